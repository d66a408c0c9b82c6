"""Headcount from the scenario: crews, pools, relief, team leaders, indirect roles.

Every number comes from the scenario's stations, shifts and ratios; nothing is
tuned to a public figure. Per shop and shift:

- direct operators: each station's servers x its crew (sized for the most
  demanding model in the mix, or the mix average rounded up), plus the labour
  pools of the shop on that shift, plus the floaters of its paced lines;
- break relief: where the lines run through the breaks, ceil(direct x break
  time / shift length) operators cover the breaks;
- team leaders: ceil((direct + relief) / span);
- indirect roles from their basis (per robot, per station, per direct operator,
  per 1,000 cars of target, or fixed), on every shift or the day shift only;
- CKD logistics (with kit supply): the kits' handling work at the plan rate, on every
  shift of the shop that takes them (``supply.logistics_heads``);
- absence reserve: to have the others present on a day with absenteeism a,
  ceil(present x a / (1 - a)) more people are on the payroll.

Paid hours per vehicle = headcount x paid hours per shift x working days a
year / annual output; vehicles per employee = annual output / headcount.
"""

from __future__ import annotations

import math

import pandas as pd

from ..scenario.schema import Scenario, Station
from ..scenario.topology import all_stations, main_stations, model_cycle, route_shares, stock_cycle
from .retrofit import retrofit_heads
from .supply import CKD_LOGISTICS, logistics_heads

PLANT = "plant"


def _ceil(x: float) -> int:
    return int(math.ceil(x - 1e-9))


def crew(station: Station, scenario: Scenario) -> float:
    """Operators per server of a station for the mix."""
    values = {m.name: station.operators_for(m.name) for m in scenario.product.models}
    if scenario.staffing.crew_sizing == "most_demanding":
        return float(max(values.values()))
    shares = scenario.product.shares
    return float(_ceil(sum(shares[name] * v for name, v in values.items())))


def headcount(scenario: Scenario) -> pd.DataFrame:
    """Long table: shop, shift (1-based; 0 for plant-wide day staff is never used), role, headcount."""
    staffing = scenario.staffing
    rows: list[dict] = []
    direct_by_shift: dict[int, float] = {}
    logistics = logistics_heads(scenario)
    for shop_name, shop in scenario.shops.items():
        pools = [p for p in staffing.pools if p.shop == shop_name]
        for k in range(shift_count(shop)):
            shift = k + 1
            stations = stations_on_shift(shop, k)
            crews = sum(s.servers * crew(s, scenario) for s in stations)
            robots = sum(s.servers * s.robots for s in stations)
            pool_size = sum(p.size_on(k) for p in pools) if k < shop.shifts.count else 0
            floaters = floaters_on_shift(shop, stations)
            direct = crews + pool_size + floaters
            relief = _ceil(direct * shop.shifts.break_seconds / shop.shifts.length) \
                if shop.shifts.runs_through_breaks else 0
            leaders = _ceil((direct + relief) / staffing.team_leader_span) if staffing.team_leader_span else 0
            direct_by_shift[shift] = direct_by_shift.get(shift, 0.0) + direct
            group = {"operator": _ceil(crews), "pool operator": pool_size, "floater": floaters,
                     "break relief": relief, "team leader": leaders}
            indirect = {role.role: _ceil(_basis(role, robots, len(stations), direct, scenario))
                        for role in staffing.indirect
                        if role.shop == shop_name and (role.shifts == "each" or shift == 1)}
            if shop_name in logistics and k < shop.shifts.count:
                indirect[CKD_LOGISTICS] = indirect.get(CKD_LOGISTICS, 0) + logistics[shop_name]
            indirect.update(retrofit_heads(scenario, shop_name, k))  # retrofitters of short-shipped parts
            rows.extend(_rows(shop_name, shift, group, indirect, staffing.absenteeism))
    for shift in sorted(direct_by_shift):
        indirect = {role.role: _ceil(_basis(role, 0, 0, direct_by_shift[shift], scenario))
                    for role in staffing.indirect
                    if role.shop is None and (role.shifts == "each" or shift == 1)}
        if indirect:
            rows.extend(_rows(PLANT, shift, {}, indirect, staffing.absenteeism))
    table = pd.DataFrame(rows, columns=["shop", "shift", "role", "group", "headcount"])
    return table[table["headcount"] > 0].reset_index(drop=True)


def shift_count(shop) -> int:
    """Shifts worked in a shop: its own, or more where a feeder works extra shifts."""
    return max([shop.shifts.count] + [f.shifts.count for f in shop.feeders.values() if f.shifts is not None])


def stations_on_shift(shop, k: int) -> list:
    """The stations crewed on shift k (0-based): the shop's on its shifts, each feeder's on its own."""
    main = [st for st in main_stations(shop)] if k < shop.shifts.count else []
    fed = [st for f in shop.feeders.values() if k < (f.shifts or shop.shifts).count for st in f.stations]
    return main + fed


def floaters_on_shift(shop, stations: list) -> int:
    """Utility workers of the shop's paced lines crewed on a shift (``over_cycle.floaters`` per line)."""
    lines = dict.fromkeys(st.line for st in stations if st.line is not None)
    return sum(shop.lines[name].over_cycle.floaters for name in lines if shop.lines[name].over_cycle is not None)


def _basis(role, robots: int, stations: int, direct: float, scenario: Scenario) -> float:
    if role.per_robot is not None:
        return role.per_robot * robots
    if role.per_station is not None:
        return role.per_station * stations
    if role.per_direct is not None:
        return role.per_direct * direct
    if role.per_1000_units is not None:
        return role.per_1000_units * scenario.target.annual_units / 1000.0
    return role.fixed


def _rows(shop: str, shift: int, direct: dict, indirect: dict, absenteeism: float) -> list[dict]:
    rows = [{"shop": shop, "shift": shift, "role": r, "group": "direct", "headcount": n} for r, n in direct.items()]
    rows += [{"shop": shop, "shift": shift, "role": r, "group": "indirect", "headcount": n}
             for r, n in indirect.items()]
    reserve = absenteeism / (1.0 - absenteeism)
    for group, roles in (("direct", direct), ("indirect", indirect)):
        present = sum(roles.values())
        if present and reserve:
            rows.append({"shop": shop, "shift": shift, "role": f"absence reserve ({group})", "group": group,
                         "headcount": _ceil(present * reserve)})
    return rows


def workload(scenario: Scenario, working_days_per_year: float) -> pd.DataFrame:
    """Per station: assigned crew against the operators its work content needs at its takt.

    Work content = mix-weighted operator-seconds per finished car (operators x cycle x visits);
    needed = work content / takt, where takt is the paced line's takt, or for a free-flow
    station the shop's takt from the target (net shift seconds a year / annual target).
    """
    rows = []
    shares = scenario.product.shares
    for shop_name, shop in scenario.shops.items():
        routes = route_shares(shop, scenario.product)
        stocked = {st.name for f in shop.feeders.values() if f.supply == "to_stock" for st in f.stations}
        for station in all_stations(shop):
            if station.cycle_time is None:
                continue
            route = routes[station.name]
            content = sum(shares[m.name] * route[m.name] * station.operators_for(m.name) *
                          (stock_cycle(station) if station.name in stocked else model_cycle(station, m))
                          for m in scenario.product.models)
            line = shop.lines.get(station.line) if station.line else None
            takt = line.takt if line is not None and line.takt else \
                _planned_takt(shop, station, working_days_per_year, scenario.target.annual_units)
            assigned = station.servers * crew(station, scenario)
            needed = content / takt
            rows.append({"shop": shop_name, "station": station.name, "takt_s": round(takt, 2),
                         "work_content_min": round(content / 60.0, 3), "assigned": assigned,
                         "needed": round(needed, 3), "gap": round(assigned - needed, 3)})
    # the columns named, so that a plant of conveyors only (no row) still has a table to filter and write
    return pd.DataFrame(rows, columns=WORKLOAD_COLUMNS)


WORKLOAD_COLUMNS = ["shop", "station", "takt_s", "work_content_min", "assigned", "needed", "gap"]


def _planned_takt(shop, station, working_days_per_year: float, annual_units: int) -> float:
    """The takt the target sets on a station's shifts (its feeder's own, or the shop's)."""
    shifts = next((f.shifts for f in shop.feeders.values() if f.shifts is not None and station in f.stations),
                  shop.shifts)
    return shifts.count * shifts.net_seconds * working_days_per_year / annual_units


def staffing_summary(scenario: Scenario, table: pd.DataFrame, annual_output: float,
                     working_days_per_year: float, workload_table: pd.DataFrame) -> dict:
    """The `staffing` object of summary.json."""
    total = int(table["headcount"].sum())
    hours = total * scenario.staffing.paid_hours_per_shift / 3600.0 * working_days_per_year
    by_shop = {k: int(v) for k, v in table.groupby("shop", sort=False)["headcount"].sum().items()}
    by_shift = {str(k): int(v) for k, v in table.groupby("shift")["headcount"].sum().items()}
    by_role = {k: int(v) for k, v in table.groupby("role", sort=False)["headcount"].sum().items()}
    under = workload_table[workload_table["gap"] < -1e-9]
    return {
        "headcount_total": total,
        "direct": int(table.loc[table["group"] == "direct", "headcount"].sum()),
        "indirect": int(table.loc[table["group"] == "indirect", "headcount"].sum()),
        "by_shop": by_shop,
        "by_shift": by_shift,
        "by_role": by_role,
        "paid_hours_per_year": round(hours, 1),
        "hours_per_vehicle": round(hours / annual_output, 3) if annual_output > 0 else None,
        "vehicles_per_employee_year": round(annual_output / total, 3) if total else None,
        "understaffed_stations": [f"{r.shop}.{r.station}" for r in under.itertuples()],
        "benchmarks": [b.model_dump(exclude_none=True) for b in scenario.staffing.benchmarks],
    }
