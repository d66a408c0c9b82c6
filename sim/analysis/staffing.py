"""Headcount from the scenario: crews, pools, relief, team leaders, indirect roles from their drivers.

Every number comes from the scenario's stations, shifts, failures, kits and ratios; nothing is tuned to a
public figure. Per shop and shift, in four groups:

- **direct** operators: each station's servers x its crew (sized for the most demanding model in the mix, or the
  mix average rounded up), plus the labour pools of the shop on that shift, plus the floaters of its paced
  lines, plus break relief where the lines run through the breaks (ceil(direct x break time / shift length));
- **team leaders**: ceil((direct + relief) / span);
- **indirect** roles, each from its basis, the entries of one role in one shop and shift added before rounding up:
  a ratio to a driver (robots, stations, conveyors, paint booths of the shop or of a ``stations`` list; direct
  operators; 100 staff; 1,000 cars of target) or fixed; or a workload turned into heads = work a shift / (net
  shift time x allowed utilisation): repairs (each failing station's repair hours per worked hour, its mean
  repair / its mean time between failures, x technicians a repair), preventive maintenance (hours a week per
  piece of equipment), audits (cars a day x time) and rework (cars a day at the target x (1 - first-pass yield) x
  time); a day's workload is spread over the shifts the role is staffed on (every shift, or the day shift);
  CKD logistics (with kit supply): the kits' handling activities at the plan rate, on every shift of the shop
  that takes them (``supply.logistics_heads``);
- **reserve**: to have the others present on a day with absenteeism a, ceil(present x a / (1 - a)) more people
  on the payroll, apart for the direct operators with their team leaders and for the indirect staff.

Plant-wide roles (no shop) come after the shops: their drivers are the whole plant's on that shift; per_100_staff
counts the shops' payroll (reserves included) and the plant-wide roles on other bases, on that shift, or on every
shift for a day-shift role (each such entry rounded up on its own).

Paid hours per vehicle = headcount x paid hours per shift x working days a year / annual output (direct hours
per vehicle: the direct group alone); vehicles per employee = annual output / headcount. Each row carries its
driver (``driver``), the figure it was sized from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace

import pandas as pd

from ..scenario.days import scenario_days
from ..scenario.schema import Scenario, Station
from ..scenario.topology import all_stations, main_stations, model_cycle, route_shares, stock_cycle
from ..scenario.units import format_duration
from .retrofit import retrofit_heads
from .supply import CKD_LOGISTICS, logistics_driver, logistics_loads, shift_heads

PLANT = "plant"
DIRECT, LEADER, RESERVE, INDIRECT = "direct", "team leader", "reserve", "indirect"
"""The groups of the headcount table."""
COLUMNS = ["shop", "shift", "role", "group", "headcount", "driver"]
WEEK_DAYS = 365.25 / 7
"""Calendar weeks in a year: turns working days a year into working days a week."""


def _ceil(x: float) -> int:
    return int(math.ceil(x - 1e-9))


def crew(station: Station, scenario: Scenario) -> float:
    """Operators per server of a station for the mix."""
    values = {m.name: station.operators_for(m.name) for m in scenario.product.models}
    if scenario.staffing.crew_sizing == "most_demanding":
        return float(max(values.values()))
    shares = scenario.product.shares
    return float(_ceil(sum(shares[name] * v for name, v in values.items())))


def repair_hours_per_hour(failures) -> float:
    """Expected repair hours per hour a station works: its mean repair time / its mean time between failures,
    summed over its failure modes (the one place that reads a failure spec for staffing)."""
    return failures.downtime_ratio


@dataclass(frozen=True)
class Equipment:
    """The maintenance drivers of a set of stations."""
    stations: int = 0
    robots: int = 0
    conveyors: int = 0
    booths: int = 0
    failing: int = 0
    """Stations with failures."""
    repair_rate: float = 0.0
    """Expected repair hours per worked hour, summed over the stations (and their servers)."""

    @classmethod
    def of(cls, stations: list) -> "Equipment":
        failing = [s for s in stations if s.failures is not None]
        return cls(stations=len(stations), robots=sum(s.servers * s.robots for s in stations),
                   conveyors=sum(1 for s in stations if s.conveyor is not None),
                   booths=sum(1 for s in stations if s.colour_change is not None), failing=len(failing),
                   repair_rate=sum(s.servers * repair_hours_per_hour(s.failures) for s in failing))

    def __add__(self, other: "Equipment") -> "Equipment":
        return Equipment(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})


@dataclass
class Drivers:
    """What an indirect role on one shift of one shop (or of the plant) is sized from."""
    equipment: Equipment          # on this shift (per_robot, per_station, ..., repairs)
    all_equipment: Equipment      # of the whole shop, whatever the shift (preventive)
    direct: float
    staff: float                  # the payroll counted before per_100_staff roles
    net_seconds: float            # a net shift
    staffed_shifts: int           # shifts a day's workload is spread over
    cars_a_day: float             # at the target
    first_pass_yield: float | None
    working_days_a_week: float
    on_shift: dict = field(default_factory=dict)
    """The shop's stations on this shift by name (a role's ``stations`` list)."""


def role_heads(role, drivers: Drivers, scenario: Scenario) -> tuple[float, str]:
    """(heads, driver text) of one indirect role entry on one shift."""
    eq, basis = _narrowed(role, drivers), role.basis
    ratio = {"per_robot": (eq.robots, "robots"), "per_station": (eq.stations, "stations"),
             "per_conveyor": (eq.conveyors, "conveyors"), "per_booth": (eq.booths, "booths"),
             "per_direct": (drivers.direct, "direct")}
    if basis in ratio:
        count, what = ratio[basis]
        return getattr(role, basis) * count, f"{count:,.0f} {what} × {getattr(role, basis):g}"
    if basis == "per_100_staff":
        return role.per_100_staff * drivers.staff / 100.0, f"{drivers.staff:,.0f} staff × {role.per_100_staff:g}/100"
    if basis == "per_1000_units":
        units = scenario.target.annual_units
        return role.per_1000_units * units / 1000.0, f"{units:,} cars a year × {role.per_1000_units:g}/1,000"
    if basis == "fixed":
        return role.fixed, f"fixed {role.fixed:g}"
    hours, text = _workload(role, eq, drivers)
    utilisation = role.utilisation or 1.0
    return hours * 3600.0 / (drivers.net_seconds * utilisation), f"{text} at {utilisation:.0%}"


def _narrowed(role, drivers: Drivers) -> Equipment:
    """The equipment the role counts on its shift: the shop's, or that of its ``stations`` list."""
    if role.stations is None:
        return drivers.equipment
    return Equipment.of([drivers.on_shift[name] for name in role.stations if name in drivers.on_shift])


def _workload(role, eq: Equipment, drivers: Drivers) -> tuple[float, str]:
    """(hours of work a shift, text) of a workload basis."""
    net_h = drivers.net_seconds / 3600.0
    if role.repairs is not None:
        hours = eq.repair_rate * net_h
        return hours * role.repairs.technicians, \
            f"{eq.failing} stations with failures: {hours:.1f} repair h a shift × {role.repairs.technicians:g} technicians"
    if role.preventive is not None:
        pm, all_eq = role.preventive, drivers.all_equipment
        week = (pm.per_robot * all_eq.robots + pm.per_station * all_eq.stations + pm.per_conveyor * all_eq.conveyors
                + pm.per_booth * all_eq.booths)
        return week / drivers.working_days_a_week / drivers.staffed_shifts, f"preventive {week:,.0f} h a week"
    if role.audit is not None:
        a = role.audit
        return a.cars_a_day * a.time / 3600.0 / drivers.staffed_shifts, \
            f"{a.cars_a_day:g} audit cars a day × {format_duration(a.time)}"
    failing = drivers.cars_a_day * (1.0 - drivers.first_pass_yield)
    return failing * role.rework.time / 3600.0 / drivers.staffed_shifts, \
        f"{failing:,.0f} failing cars a day × {format_duration(role.rework.time)}"


def headcount(scenario: Scenario) -> pd.DataFrame:
    """Long table: shop, shift (1-based), role, group, headcount, driver."""
    staffing = scenario.staffing
    per_year = scenario_days(scenario).working_days_per_year  # a dated shutdown takes its days off the year
    rows: list[dict] = []
    plant_shifts: dict[int, dict] = {}
    loads = logistics_loads(scenario)
    for shop_name, shop in scenario.shops.items():
        pools = [p for p in staffing.pools if p.shop == shop_name]
        roles = [r for r in staffing.indirect if r.shop == shop_name]
        for k in range(shift_count(shop)):
            shift = k + 1
            stations = stations_on_shift(shop, k)
            crews = sum(s.servers * crew(s, scenario) for s in stations)
            pool_size = sum(p.size_on(k) for p in pools) if k < shop.shifts.count else 0
            floaters = floaters_on_shift(shop, stations)
            direct = crews + pool_size + floaters
            relief = _ceil(direct * shop.shifts.break_seconds / shop.shifts.length) \
                if shop.shifts.runs_through_breaks else 0
            leaders = _ceil((direct + relief) / staffing.team_leader_span) if staffing.team_leader_span else 0
            drivers = _shop_drivers(scenario, shop, stations, direct, per_year)
            plant = plant_shifts.setdefault(shift, {"equipment": Equipment(), "direct": 0.0})
            plant["equipment"] += drivers.equipment
            plant["direct"] += direct
            group = {"operator": (_ceil(crews), f"{len(stations)} stations"),
                     "pool operator": (pool_size, "pools " + ", ".join(p.name for p in pools)),
                     "floater": (floaters, "paced lines' floaters"),
                     "break relief": (relief, f"{direct:,.0f} direct × breaks {format_duration(shop.shifts.break_seconds)}")}
            leader = {"team leader": (leaders, f"{direct + relief:,.0f} direct ÷ {staffing.team_leader_span}")} \
                if leaders else {}
            indirect = _rounded(roles, shift, drivers, scenario)
            if shop_name in loads and k < shop.shifts.count:
                _add(indirect, CKD_LOGISTICS, shift_heads(loads[shop_name].seconds, shop, staffing.logistics_utilisation),
                     logistics_driver(loads[shop_name]) + f" at {staffing.logistics_utilisation:.0%}")
            indirect.update(retrofit_heads(scenario, shop_name, k))  # retrofitters of short-shipped parts
            rows.extend(_rows(shop_name, shift, group, leader, indirect, staffing.absenteeism))
    rows.extend(_plant_rows(scenario, plant_shifts, rows, per_year))
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table[table["headcount"] > 0].reset_index(drop=True)


def _shop_drivers(scenario: Scenario, shop, stations: list, direct: float, per_year: float) -> Drivers:
    return Drivers(equipment=Equipment.of(stations), all_equipment=Equipment.of(all_stations(shop)), direct=direct,
                   staff=0.0, net_seconds=shop.shifts.net_seconds, staffed_shifts=shop.shifts.count,
                   cars_a_day=scenario.target.annual_units / per_year,
                   first_pass_yield=shop.quality.first_pass_yield if shop.quality else None,
                   working_days_a_week=per_year / WEEK_DAYS, on_shift={st.name: st for st in stations})


def _rounded(roles: list, shift: int, drivers: Drivers, scenario: Scenario) -> dict[str, tuple[int, str]]:
    """{role: (heads, driver)} of the entries staffed on this shift: each role's entries added, then rounded up."""
    heads: dict[str, float] = {}
    texts: dict[str, list[str]] = {}
    for role in roles:
        if role.shifts == "each" or shift == 1:
            staffed = drivers.staffed_shifts if role.shifts == "each" else 1
            n, text = role_heads(role, replace(drivers, staffed_shifts=staffed), scenario)
            heads[role.role] = heads.get(role.role, 0.0) + n
            texts.setdefault(role.role, []).append(text)
    return {name: (_ceil(n), "; ".join(texts[name])) for name, n in heads.items()}


def _add(indirect: dict[str, tuple[int, str]], role: str, heads: int, driver: str) -> None:
    """Add heads sized from another driver to a role's (heads, driver) entry, the drivers joined."""
    before, text = indirect.get(role, (0, ""))
    indirect[role] = (before + heads, "; ".join(t for t in (text, driver) if t))


def _plant_rows(scenario: Scenario, plant_shifts: dict, shop_rows: list[dict], per_year: float) -> list[dict]:
    """The plant-wide roles on each shift: other bases first, then per_100_staff on the payroll before them."""
    staffing = scenario.staffing
    ratio = [r for r in staffing.indirect if r.shop is None and r.per_100_staff is not None]
    others = [r for r in staffing.indirect if r.shop is None and r.per_100_staff is None]
    first = {}
    for shift, plant in sorted(plant_shifts.items()):
        drivers = Drivers(equipment=plant["equipment"], all_equipment=plant["equipment"], direct=plant["direct"],
                          staff=0.0, net_seconds=0.0, staffed_shifts=1, cars_a_day=0.0, first_pass_yield=None,
                          working_days_a_week=per_year / WEEK_DAYS)
        first[shift] = (drivers, _rounded(others, shift, drivers, scenario))
    payroll = {}
    for row in shop_rows:
        payroll[row["shift"]] = payroll.get(row["shift"], 0) + row["headcount"]
    own = {shift: sum(n for n, _ in indirect.values()) for shift, (_, indirect) in first.items()}
    every = sum(payroll.values()) + sum(own.values())
    out = []
    for shift, (drivers, indirect) in first.items():
        for role in ratio:
            if role.shifts == "each" or shift == 1:
                staff = every if role.shifts == "day" else payroll.get(shift, 0) + own[shift]
                n, text = role_heads(role, replace(drivers, staff=staff), scenario)
                _add(indirect, role.role, _ceil(n), text)
        if indirect:
            out.extend(_rows(PLANT, shift, {}, {}, indirect, staffing.absenteeism))
    return out


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


def _rows(shop: str, shift: int, direct: dict, leaders: dict, indirect: dict, absenteeism: float) -> list[dict]:
    """The rows of one shop and shift; each dict is {role: (heads, driver)}. The reserve covers the direct operators
    with their team leaders, and the indirect staff, apart."""
    rows = [{"shop": shop, "shift": shift, "role": r, "group": group, "headcount": n, "driver": text}
            for group, roles in ((DIRECT, direct), (LEADER, leaders), (INDIRECT, indirect))
            for r, (n, text) in roles.items()]
    reserve = absenteeism / (1.0 - absenteeism)
    for group, present in (("direct", sum(n for n, _ in direct.values()) + sum(n for n, _ in leaders.values())),
                           ("indirect", sum(n for n, _ in indirect.values()))):
        if present and reserve:
            rows.append({"shop": shop, "shift": shift, "role": f"absence reserve ({group})", "group": RESERVE,
                         "headcount": _ceil(present * reserve),
                         "driver": f"{present:,.0f} present × {absenteeism:.0%} absent"})
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
    person_hours = scenario.staffing.paid_hours_per_shift / 3600.0 * working_days_per_year
    hours = total * person_hours
    groups = {group: int(table.loc[table["group"] == group, "headcount"].sum())
              for group in (DIRECT, LEADER, RESERVE, INDIRECT)}
    by_shop = {k: int(v) for k, v in table.groupby("shop", sort=False)["headcount"].sum().items()}
    by_shift = {str(k): int(v) for k, v in table.groupby("shift")["headcount"].sum().items()}
    by_role = {k: int(v) for k, v in table.groupby("role", sort=False)["headcount"].sum().items()}
    under = workload_table[workload_table["gap"] < -1e-9]
    return {
        "headcount_total": total,
        "direct": groups[DIRECT],
        "team_leaders": groups[LEADER],
        "reserve": groups[RESERVE],
        "indirect": groups[INDIRECT],
        "by_shop": by_shop,
        "by_shift": by_shift,
        "by_role": by_role,
        "paid_hours_per_year": round(hours, 1),
        "hours_per_vehicle": round(hours / annual_output, 3) if annual_output > 0 else None,
        "direct_hours_per_vehicle": round(groups[DIRECT] * person_hours / annual_output, 3)
        if annual_output > 0 else None,
        "vehicles_per_employee_year": round(annual_output / total, 3) if total else None,
        "understaffed_stations": [f"{r.shop}.{r.station}" for r in under.itertuples()],
        "benchmarks": [b.model_dump(exclude_none=True) for b in scenario.staffing.benchmarks],
    }
