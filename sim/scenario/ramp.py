"""The ramp-up and the monthly plan on the simulated days: pure facts of a scenario (no SimPy).

From the start of production (the calendar's start date) the plant runs, month by month, the rates the ramp-up
gives: the shifts of each shop, the speed of its paced lines and conveyors, a cap on launches per working day;
and the plan's volume and mix. ``Ramp`` lays them on the simulated days: the shift count of each day (which the
shops' shift clocks are built from), the line speed changes, and each working day's launch limits. The plan
component (``sim.model.components.plan``) runs them; ``rate_schedule`` shows them as a table.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import pandas as pd

from .days import DAY, PlantDays, scenario_days
from .plan import horizon_months, month_of, plan_by_month
from .schema import MAX_SHIFTS, RampMonth, Scenario, Shifts
from .units import fits_in_a_day

_DESIGN = RampMonth()
"""The rates of a month the ramp-up does not reach: every value the scenario's own."""


class Ramp:
    """The ramp-up's rates and the plan's volumes for each simulated day of a dated calendar."""

    def __init__(self, scenario: Scenario, days: PlantDays):
        self.scenario = scenario
        self.days = days
        self.day_month = [month_of(days.first_date + dt.timedelta(days=d)) for d in range(len(days.working))]
        """Per simulated day (margin included): its calendar month, 'YYYY-MM'."""
        self.months = list(dict.fromkeys(self.day_month))
        self.rates = _rates_by_month(scenario, self.months)
        """Per month: the ramp-up's entry in force (``RampMonth``; the scenario's own rates before the first)."""

    @cached_property
    def plan(self) -> dict:
        """Per planned month: its volume and mix (``PlannedVolume``); worked out when first asked (the loader's
        crew check needs only the shifts, before the plan's own checks)."""
        return plan_by_month(self.scenario)

    # ------------------------------------------------------------ shifts

    def shift_counts(self, shop: str, feeder_shifts: Shifts | None = None) -> list[int] | None:
        """Per simulated day, the shifts the shop runs (or its feeder on ``feeder_shifts``); None: its own count
        every day."""
        design = self.scenario.shops[shop].shifts.count
        if all(_shifts_of(rate, shop, design) == design for rate in self.rates.values()):
            return None
        per_month = {month: self.month_shifts(month, shop, feeder_shifts) for month in self.months}
        return [per_month[month] for month in self.day_month]

    def month_shifts(self, month: str, shop: str, feeder_shifts: Shifts | None = None) -> int:
        """The shifts a shop runs in a month (or its feeder on ``feeder_shifts``: as many more or fewer than its
        shop as in the scenario, 1 to what fits in 24 h)."""
        design = self.scenario.shops[shop].shifts.count
        count = _shifts_of(self.rates[month], shop, design)
        if feeder_shifts is None:
            return count
        most = max(n for n in range(1, MAX_SHIFTS + 1) if fits_in_a_day(n, feeder_shifts.length))
        return min(most, max(1, count + feeder_shifts.count - design))

    def month_scenario(self, month: str) -> Scenario:
        """The scenario as a month runs it: each shop's and each feeder's shift count of the month (what its
        staffing reads; not validated again: only counts change)."""
        shops = {}
        for name, shop in self.scenario.shops.items():
            feeders = {f_name: f if f.shifts is None else f.model_copy(update={"shifts": f.shifts.model_copy(
                update={"count": self.month_shifts(month, name, f.shifts)})}) for f_name, f in shop.feeders.items()}
            shifts = shop.shifts.model_copy(update={"count": self.month_shifts(month, name)})
            shops[name] = shop.model_copy(update={"shifts": shifts, "feeders": feeders})
        return self.scenario.model_copy(update={"shops": shops})

    # ------------------------------------------------------------ line speed

    def speed_changes(self) -> list[tuple[float, float]]:
        """(wall time, speed from then on) of the paced lines and conveyors: the first from the start, then at
        midnight on the first day of each month whose speed differs; empty when every month runs at 1."""
        speeds = {month: _speed(rate) for month, rate in self.rates.items()}
        if all(speed == 1.0 for speed in speeds.values()):
            return []
        first_day: dict[str, int] = {}
        for day, month in enumerate(self.day_month):
            first_day.setdefault(month, day)
        changes: list[tuple[float, float]] = []
        for month in self.months:
            if not changes or speeds[month] != changes[-1][1]:
                changes.append((first_day[month] * DAY, speeds[month]))
        return changes

    # ------------------------------------------------------------ launches

    def daily_caps(self) -> list[int | None]:
        """Per working day, in order: the most cars it may launch when the plant keeps up with the plan (None: no
        cap): the smaller of the month's ``launches_per_day`` and its planned level (``daily_limits``)."""
        return [level if limit is None else limit if level is None else min(limit, level)
                for limit, level in zip(*self.daily_limits())]

    def daily_limits(self) -> tuple[list[int | None], list[int | None]]:
        """Per working day, in order: the month's ``launches_per_day`` (None: none), and its planned volume V
        levelled over its W working days (the k-th gets floor(k V / W) - floor((k - 1) V / W); None: the month is
        not planned)."""
        limits, levels = [], []
        for month, count in self.working_days().items():
            planned = self.plan.get(month)
            for k in range(1, count + 1):
                limits.append(self.rates[month].launches_per_day)
                levels.append(None if planned is None else
                              planned.volume * k // count - planned.volume * (k - 1) // count)
        return limits, levels

    # ------------------------------------------------------------ new shift crews

    def added_shifts(self, shop: str) -> dict[int, int]:
        """Per shift number the ramp-up adds to a shop (above the shifts of its first working day): the first
        working day (simulated day index) it runs."""
        counts = self.shift_counts(shop)
        if counts is None:
            return {}
        working = [d for d, works in enumerate(self.days.working) if works]
        if not working:
            return {}
        out: dict[int, int] = {}
        for day in working:
            for number in range(counts[working[0]] + 1, counts[day] + 1):
                out.setdefault(number, day)
        return out

    def working_days(self) -> dict[str, int]:
        """Working days per calendar month of the simulated days (from the start date, margin included)."""
        out = dict.fromkeys(self.months, 0)
        for month, works in zip(self.day_month, self.days.working):
            out[month] += works
        return out


def _rates_by_month(scenario: Scenario, months: list[str]) -> dict[str, RampMonth]:
    """Per month: the last ramp-up entry at or before it (entries are in calendar order), else the design."""
    entries = scenario.ramp_up.months if scenario.ramp_up is not None else {}
    out, current = {}, _DESIGN
    for month in months:
        current = entries.get(month, current)
        out[month] = current
    return out


def _shifts_of(rate: RampMonth, shop: str, design: int) -> int:
    if rate.shifts is None:
        return design
    return rate.shifts if isinstance(rate.shifts, int) else rate.shifts.get(shop, design)


def month_speed(ramp: Ramp, month: str) -> float:
    """The paced lines' and conveyors' speed in a month (1: design speed)."""
    return _speed(ramp.rates[month])


def _speed(rate: RampMonth) -> float:
    return 1.0 if rate.line_speed is None else rate.line_speed


def check_new_crews(scenario: Scenario):
    """Problems of ``learning.<shop>.new_crews``: each shift the ramp-up adds to the shop has a crew, each crew
    is for a shift it adds, and a crew has finished its training when its shift first starts."""
    for shop, learning in (scenario.learning or {}).items():
        if learning.new_crews is None or shop not in scenario.shops:
            continue
        where = ("learning", shop, "new_crews")
        if scenario.ramp_up is None or not scenario.calendar.dated:
            yield where, "new shift crews need a ramp-up (ramp_up.months) that adds shifts, on a dated calendar"
            continue
        ramp = Ramp(scenario, scenario_days(scenario))
        added = ramp.added_shifts(shop)
        for number in sorted(set(added) - set(learning.new_crews)):
            yield where, (f"the ramp-up adds shift {number} to {shop!r} from {_date_of(ramp, added[number])}: "
                          f"give its crew (new_crews.{number}: hired, training)")
        for number, crew in learning.new_crews.items():
            if number not in added:
                yield where + (number,), (f"the ramp-up never adds shift {number} to {shop!r} (shifts added: "
                                          f"{sorted(added) or 'none'})")
                continue
            ready = crew.hired + dt.timedelta(seconds=crew.training)
            if ready > _date_of(ramp, added[number]):
                yield where + (number, "training"), (
                    f"the crew hired on {crew.hired} finishes its training on {ready}, after its shift first runs "
                    f"on {_date_of(ramp, added[number])}: hire it earlier or train it for less")


def _date_of(ramp: Ramp, day: int) -> dt.date:
    return ramp.days.first_date + dt.timedelta(days=day)


# ---------------------------------------------------------------- the schedule as a table

def rate_schedule(scenario: Scenario) -> pd.DataFrame:
    """The ramp-up and the plan per month of the horizon: working days (the whole month's, from the start date),
    shifts per shop ('shifts <shop>'), line speed, launches_per_day, planned cars, and the most and fewest
    launches a working day may have (None: no cap). Empty without a ramp-up or a plan."""
    columns = ["month", "working_days"] + [f"shifts {shop}" for shop in scenario.shops] + \
        ["line_speed", "launches_per_day", "planned", "most_per_day", "fewest_per_day"]
    if not scenario.ramping:
        return pd.DataFrame(columns=columns)
    ramp = Ramp(scenario, scenario_days(scenario))
    working, caps = ramp.working_days(), iter(ramp.daily_caps())
    month_caps = {month: [next(caps) for _ in range(count)] for month, count in working.items()}
    rows = []
    for month in horizon_months(scenario):
        rate, capped = ramp.rates[month], [c for c in month_caps[month] if c is not None]
        planned = ramp.plan.get(month)
        rows.append([month, working[month]]
                    + [_shifts_of(rate, shop, spec.shifts.count) for shop, spec in scenario.shops.items()]
                    + [_speed(rate), rate.launches_per_day, None if planned is None else planned.volume,
                       max(capped) if capped else None, min(capped) if capped else None])
    return pd.DataFrame(rows, columns=columns)
