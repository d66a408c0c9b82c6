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

from ..scenario.schema import Scenario, Shop
from ..scenario.topology import flow_groups, mix_cycle, off_line, visits as station_visits


def station_capacity(scenario: Scenario) -> pd.DataFrame:
    """A row per station: cycle, availability, visits and cars per hour of finished output."""
    shares = scenario.product.shares
    rows = []
    for shop_name, shop in scenario.shops.items():
        visits = station_visits(shop)
        for group in flow_groups(shop) + [[s] for s in off_line(shop)]:
            rows.extend(_group_rows(shop_name, shop, group, shares, scenario, visits))
    return pd.DataFrame(rows)


def _group_rows(shop_name, shop: Shop, group, shares, scenario, visits) -> list[dict]:
    first = group[0]
    if first.conveyor is not None:
        availability = _availability(first.failures)
        rate = 3600.0 / first.conveyor.index_time * availability
        return [_row(shop_name, first.name, "conveyor", first.conveyor.capacity, first.conveyor.index_time,
                     availability, visits[first.name], rate)]
    if first.line is not None:
        line = shop.lines[first.line]
        cycles = [mix_cycle(st, scenario.product.models, shares) for st in group]
        index = max([line.takt or 0.0] + [c + line.transfer_time for c in cycles])
        availability = 1.0 / (1.0 + sum(_downtime_ratio(st.failures) for st in group))
        rate = 3600.0 / index * availability
        return [_row(shop_name, st.name, "line", 1, cycle, availability, visits[st.name], rate, line=first.line)
                for st, cycle in zip(group, cycles)]
    cycle = mix_cycle(first, scenario.product.models, shares)
    availability = _availability(first.failures)
    rate = first.servers * 3600.0 / cycle * availability
    return [_row(shop_name, first.name, "station", first.servers, cycle, availability, visits[first.name], rate)]


def _row(shop, station, kind, servers, cycle, availability, visits, rate, line=None) -> dict:
    # a station no car visits (a repair when every car passes first time) limits nothing:
    # its rate per finished car is left empty, so the shop's slowest station is one that works
    return {"shop": shop, "station": station, "kind": kind, "line": line, "servers": servers,
            "mix_cycle_s": cycle, "availability": availability, "visits_per_car": visits,
            "cars_per_hour": rate / visits if visits > 0 else float("nan")}


def _downtime_ratio(failures) -> float:
    if failures is None:
        return 0.0
    return failures.repair.mean / failures.between.mean


def _availability(failures) -> float:
    return 1.0 / (1.0 + _downtime_ratio(failures))


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
