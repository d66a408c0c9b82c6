"""Static capacity: what a planner computes by hand from the scenario.

Per station, cars per hour of *finished* output:

    servers x 3600 / mix-weighted mean cycle x availability / visits per car

where availability = MTBF / (MTBF + MTTR), and visits per car counts the
rework load: with first-pass yield y, scrap s and rework share f = 1 - y - s,
a car is inspected 1 / (1 - f) times on average, so every station between a
re-entry point and the inspection is visited 1 + q f / (1 - f) times (q: the
share of rework taking that path). With no scrap that is the familiar 1 / y.
A paced line indexes every max(takt, slowest mix-weighted cycle + transfer)
and stops for any of its stations: its availability is 1 / (1 + sum MTTR/MTBF).
A conveyor moves one body per pitch. Shop capacity is the slowest station's
rate times the shop's net shift hours per year; plant capacity the slowest shop.
"""

from __future__ import annotations

import pandas as pd

from ..scenario.schema import Scenario
from ..scenario.topology import flow_groups, group_capacity, off_line, route_shares


def station_capacity(scenario: Scenario) -> pd.DataFrame:
    """A row per station: cycle, availability, visits and cars per hour of finished output,
    with the visits per car of each model (its route share)."""
    product = scenario.product
    shares = product.shares
    rows = []
    for shop_name, shop in scenario.shops.items():
        routes = route_shares(shop, product)
        passes = route_shares(shop, product, own_rules=False)
        first_pass = route_shares(shop, product, own_rules=False, rework=False)
        hours = _shift_hours(shop)
        for group in flow_groups(shop) + [[s] for s in off_line(shop)]:
            capacity = group_capacity(shop, group, product, routes, passes)
            # a feeder on its own shifts works more (or fewer) hours than the shop: its rate per shop hour
            capacity["rate"] *= hours.get(group[0].name, 1.0)
            kind, line = capacity["kind"], group[0].line if capacity["kind"] == "line" else None
            cycles = capacity["cycles"] if kind == "line" else capacity["cycles"] * len(group)
            for station, cycle in zip(group, cycles):
                route = routes[station.name]
                visits = sum(shares[m] * v for m, v in route.items())
                # every car reaching a paced line rides through all its positions: the line's rate
                # is in the cars that pass, whether or not they stop at this station
                through = sum(shares[m] * v for m, v in passes[station.name].items()) if kind == "line" else visits
                # the ideal (OEE's): no breakdown, no rework revisit: cars a first pass through it makes
                ideal_visits = sum(shares[m] * v for m, v in first_pass[station.name].items()) if kind == "line" \
                    else visits * _ratio(first_pass[station.name], passes[station.name], shares)
                rows.append(_row(shop_name, station.name, kind, line, capacity["servers"], cycle, capacity["index"],
                                 capacity["availability"], visits, capacity["rate"], route, through, ideal_visits))
    return pd.DataFrame(rows)


def _shift_hours(shop) -> dict[str, float]:
    """Per station of a feeder on its own shifts: its net shift time a day over the shop's."""
    shop_day = shop.shifts.count * shop.shifts.net_seconds
    return {st.name: feeder.shifts.count * feeder.shifts.net_seconds / shop_day
            for feeder in shop.feeders.values() if feeder.shifts is not None for st in feeder.stations}


def _ratio(first: dict, passes: dict, shares: dict) -> float:
    """Share of a station's visits made on the first pass (1 outside the quality loop)."""
    total = sum(shares[m] * v for m, v in passes.items())
    return sum(shares[m] * v for m, v in first.items()) / total if total > 0 else 1.0


def _row(shop, station, kind, line, servers, cycle, index, availability, visits, rate, route, through,
         ideal_visits) -> dict:
    # a station no car visits (a repair when every car passes first time) limits nothing:
    # its rate per finished car is left empty, so the shop's slowest station is one that works
    return {"shop": shop, "station": station, "kind": kind, "line": line, "servers": servers,
            "mix_cycle_s": cycle, "ideal_cycle_s": index, "availability": availability, "visits_per_car": visits,
            "cars_per_hour": rate / through if visits > 0 else float("nan"),
            "ideal_cars_per_hour": rate / availability / ideal_visits if visits > 0 and ideal_visits > 0
            else float("nan"),
            **{f"visits_{model}": value for model, value in route.items()}}


def shop_capacity(scenario: Scenario, working_days_per_year: float, stations: pd.DataFrame | None = None) -> dict:
    """Per shop: limiting station, cars per hour and annual units from the calendar."""
    stations = station_capacity(scenario) if stations is None else stations
    out = {}
    for shop_name, shop in scenario.shops.items():
        mine = stations[stations["shop"] == shop_name]
        slowest = mine.loc[mine["cars_per_hour"].idxmin()]
        hours = shop.shifts.count * shop.shifts.net_seconds / 3600.0 * working_days_per_year
        out[shop_name] = {
            "limiting_station": slowest["station"],
            "cars_per_hour": float(slowest["cars_per_hour"]),
            "net_hours_per_year": hours,
            "annual_units": float(slowest["cars_per_hour"] * hours),
        }
    return out
