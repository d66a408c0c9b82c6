"""Before the clock starts: is this run worth starting?

A valid scenario can still ask for absurd work: a century of horizon, an
arrival every millisecond, a line indexing every microsecond. The estimate
below is a planner's arithmetic on the scenario (static capacity, shift time,
nodes per car), made in microseconds, so a run that would take hours or eat
the machine's memory is refused with the estimate in the message, unless the
user insists (``--force``). A measured window that holds no working day is
refused always: there is no output to annualise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..analysis.capacity import shop_capacity
from ..scenario.days import DAY, scenario_days
from ..scenario.ramp import Ramp
from ..scenario import Problem, Scenario, ScenarioError
from ..scenario.topology import flow_groups, off_line

EVENTS_PER_SECOND = 90_000
"""Engine speed used for the estimate: benchmarks/bench.py measures about 93,000 events/s on the Almaty year
(engine only; 325,000 on a serial line of free-flow stations). The estimate is printed as the expected time of
`sim bottleneck` and `sim staff`, so it is set from the plant, not from the fastest case (at 250,000 it promised
the Almaty year in 17 s; it takes about 60)."""
COMPILED_EVENTS_PER_SECOND = 600_000
"""The same on the compiled engine (``model.engine``): benchmarks/bench.py measures about 675,000 events/s on the
Almaty year (62.2 events a car, 10,850 cars/s, 8 December 2026, the engine alone), and `sim bottleneck` on it
about 605,000 a process (258 million events in 213 s on 2 processes: each replication also builds its plant and
its tables)."""
BYTES_PER_WAITING_CAR = 400
MAX_SECONDS = 2 * 3600.0
"""One replication estimated to run longer than this is refused without --force."""
MAX_BYTES = 4 * 2 ** 30


@dataclass(frozen=True)
class Estimate:
    cars: float
    """Cars launched in one replication."""
    events: float
    """SimPy events of one replication."""
    seconds: float
    """Wall seconds of one replication at the rate of the engine that will run it (``events_per_second``)."""
    waiting_cars: float
    """Cars that pile up in the unbounded arrivals queue (arrivals beyond what the plant takes)."""

    @property
    def bytes(self) -> float:
        return self.waiting_cars * BYTES_PER_WAITING_CAR

    def text(self) -> str:
        return (f"about {self.cars:,.0f} cars and {self.events:,.0f} events a replication, "
                f"{_duration(self.seconds)} of computing and {self.bytes / 2 ** 30:,.1f} GiB for waiting cars")


def events_per_second(scenario: Scenario) -> float:
    """The rate of the engine that will run the scenario's plant: the compiled engine's where it covers the plant
    (the plant built to ask ``flow.des.covered``, about a second for Almaty), else the SimPy processes'."""
    from ..model.engine import compiled_engine
    if not compiled_engine():
        return EVENTS_PER_SECOND
    from ..model.builder import build_plant
    from ..model.flow.des import covered
    plant = build_plant(scenario, scenario_days(scenario), scenario.seed, 0)
    return COMPILED_EVENTS_PER_SECOND if covered(plant) else EVENTS_PER_SECOND


def estimate(scenario: Scenario) -> Estimate:
    """Cars, events and time of one replication, from the scenario's static figures (with a ramp-up or a plan:
    day by day, ``_ramped``)."""
    days = scenario_days(scenario)
    static = shop_capacity(scenario, days.working_days_per_year)
    if scenario.ramping:
        return _ramped(scenario, days, static)
    total_days = scenario.horizon.warmup_days + days.measured_days
    plant_per_year = min(s["annual_units"] for s in static.values())
    cars = plant_per_year * total_days / 365.0
    first = next(iter(scenario.shops.values()))
    shift_seconds = first.shifts.count * first.shifts.net_seconds * days.working_days_per_year * total_days / 365.0
    waiting = 0.0
    if scenario.launch is not None:
        arrivals = shift_seconds / scenario.launch.interarrival.mean
        waiting = max(0.0, arrivals - cars)
        cars = max(cars, arrivals)
    events = 0.0
    for shop in scenario.shops.values():
        worked = shop.shifts.count * shop.shifts.net_seconds * days.working_days_per_year * total_days / 365.0
        events += _shop_events(shop, worked, 1.0, cars)
    return Estimate(cars, events, events / events_per_second(scenario), waiting)


def _shop_events(shop, worked: float, speed: float, cars: float) -> float:
    """Events of a shop working ``worked`` seconds at ``speed`` (a ramp-up's line speed) for ``cars`` cars."""
    events = 0.0
    for group in flow_groups(shop):
        head = group[0]
        if head.conveyor is not None:
            events += worked / head.conveyor.index_time  # one event per index, with or without a body, at any speed
        elif head.line is not None:
            takt = shop.lines[head.line].takt
            events += worked * speed / takt if takt else cars  # one event per index, every takt / speed
        else:
            events += cars  # one event per car and station
    return events + cars * 0.1 * len(off_line(shop))


def _paced(shop) -> bool:
    return any(group[0].conveyor is not None or group[0].line is not None for group in flow_groups(shop))


def _ramped(scenario: Scenario, days, static: dict) -> Estimate:
    """The estimate of a ramp-up or a plan, working day by working day of the horizon: each shop works its
    month's shifts (and, with overtime, the most the limits allow: ``_overtime``); a paced line indexes every
    takt / line_speed and a conveyor every index time, cars or no cars; the cars are the slowest shop's (at the
    month's shifts, its paced shops at the line speed), at most the day's cap (launches_per_day, the plan's
    level). So a slow month with few cars costs many events a car."""
    ramp = Ramp(scenario, days)
    shifts = {name: ramp.shift_counts(name) for name in scenario.shops}
    caps = iter(ramp.daily_caps())
    extra = _overtime(scenario, ramp, shifts)
    cars = events = 0.0
    for day in range(math.ceil(scenario.horizon.warmup_days + days.measured_days - 1e-9)):
        if not days.working[day]:
            continue
        cap, month = next(caps), ramp.day_month[day]
        speed = ramp.rates[month].line_speed or 1.0
        worked = {name: (shop.shifts.count if shifts[name] is None else shifts[name][day]) * shop.shifts.net_seconds
                  + extra.get((name, month), 0.0) for name, shop in scenario.shops.items()}
        made = min(static[name]["cars_per_hour"] * worked[name] / 3600.0 * (speed if _paced(shop) else 1.0)
                   for name, shop in scenario.shops.items())
        made = made if cap is None else min(made, cap)
        cars += made
        events += sum(_shop_events(shop, worked[name], speed, made) for name, shop in scenario.shops.items())
    return Estimate(cars, events, events / events_per_second(scenario), 0.0)


def _overtime(scenario: Scenario, ramp: Ramp, shifts: dict) -> dict[tuple[str, str], float]:
    """(shop, month) -> seconds of overtime a working day of the month, the most ``plan.overtime`` allows: a
    worker's ``monthly_hours`` as ``after_shift`` on each working day of the month, then as Saturdays (a shift
    each, every shift of the shop) as far as the hours left cover whole shifts, spread over the working days."""
    overtime = scenario.plan.overtime if scenario.plan is not None else None
    if overtime is None:
        return {}
    out = {}
    first_day = {}
    for day, month in enumerate(ramp.day_month):
        first_day.setdefault(month, day)
    for month, working in ramp.working_days().items():
        if not working:
            continue
        for name, shop in scenario.shops.items():
            count = shop.shifts.count if shifts[name] is None else shifts[name][first_day[month]]
            after = min(overtime.after_shift * working, overtime.monthly_hours)
            saturdays = min(overtime.saturdays, int((overtime.monthly_hours - after) // shop.shifts.net_seconds))
            out[name, month] = (after + saturdays * count * shop.shifts.net_seconds) / working
    return out


def check_window(scenario: Scenario) -> None:
    """Refuse a measured window that holds no working day: there is no output to annualise."""
    days = scenario_days(scenario)
    if days.working_days_in_window() == 0:
        raise ScenarioError(scenario.name, [Problem("horizon", (
            f"the measured window ({days.measured_days:g} days after {days.warmup_days:g} days of warm-up) holds no "
            "working day: there is no output to annualise; measure at least one working day"))])


def check(scenario: Scenario, force: bool = False) -> Estimate:
    """Refuse a run that cannot report (no working day measured) or that would take absurd time or
    memory (unless ``force``); returns the estimate."""
    check_window(scenario)
    found = estimate(scenario)
    if not force and (found.seconds > MAX_SECONDS or found.bytes > MAX_BYTES):
        raise ScenarioError(scenario.name, [Problem("", (
            f"this run would take {found.text()} (limits: {_duration(MAX_SECONDS)} and "
            f"{MAX_BYTES / 2 ** 30:g} GiB a replication); shorten the horizon or check the times "
            "(a launch interarrival, takt or pitch far too short), or run it anyway with --force"))])
    return found


def workload(stages: list[tuple[Scenario, int]], found: Estimate, replications: int, jobs: int) -> str:
    """The work of several runs (a bottleneck list, a staffing search) in a planner's words: for each stage
    (a scenario, its number of runs: a screening on a shorter horizon, then the runs over the whole one) the runs
    and days simulated (warm-up included), then the plant-years in all (a year is 365 days on a dated calendar,
    working_days_per_year on a count) and the time, every replication of a stage dealt to ``jobs`` processes.
    ``found``: the estimate of one replication of the last stage's scenario (the whole horizon); a replication of
    another stage takes its share of that by the days it simulates."""
    simulated = [_simulated(scenario) for scenario, _ in stages]
    whole = stages[-1][0]
    year = 365.0 if whole.calendar.dated else scenario_days(whole).working_days_per_year
    parallel = max(1, min(jobs, max(runs for _, runs in stages) * replications))
    parts, seconds, years = [], 0.0, 0.0
    for (scenario, runs), days in zip(stages, simulated):
        parts.append(f"{runs:,} run(s) x {replications} replication(s) of {days:,.0f} days")
        seconds += found.seconds * days / simulated[-1] * math.ceil(runs * replications / parallel)
        years += runs * replications * days / year
    return (", then ".join(parts) + f": about {years:,.1f} plant-years, about {_duration(seconds)} on "
            f"{parallel} process(es)")


def _simulated(scenario: Scenario) -> float:
    """Days one replication simulates: warm-up and measured window."""
    days = scenario_days(scenario)
    return days.warmup_days + days.measured_days


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds >= 2 * DAY:
        return f"{seconds / DAY:,.0f} days"
    if seconds >= 2 * 3600:
        return f"{seconds / 3600:,.1f} h"
    return f"{seconds / 60:,.1f} min"
