"""The ramp-up and the monthly production plan on the simulated days (``ramp_up`` and ``plan`` of a scenario).

From the start of production (the calendar's start date) the plant runs, month by month, the rates the ramp-up
gives: the shifts of each shop, the speed of its paced lines and conveyors, a cap on launches per working day;
and the plan's volume and mix. Nothing here costs an event per car:

* **Shifts** come from a shift count per simulated day (``calendar.shift_windows``): the shops' shift clocks
  are precomputed as before, so a month with more shifts costs no event at all.
* **Line speed**: one event per month in which the speed changes sets every paced line's and conveyor's
  speed (``PacedLine.set_speed``); each line reads its takt at each index, as it always does.
* **Launches**: a ``PlannedLaunch`` is a ``launching.LaunchHold`` that lets at most the day's cap of cars go on
  each working day (the smaller of ``launches_per_day`` and the plan's volume levelled over the month's working
  days) and wakes the launch at the next day's start while it holds it (one event a day, only while capped).
  In a planned month it also gives the launch sequence: levelled over the month's mix afresh from the month's
  first car (``levelled``: every model within one car of its share at every prefix, checked per car), or, with
  spacing rules, a ``sequencer.Sequencer`` for the month's mix that carries on after the cars launched so far.

A launch day runs from the first shop's shift start on a working day to the next working day's, in the first
shop's worked time: a car pulled at the very end of a day's last shift starts work, and counts, on the next
working day. The month of a launch is the month of its launch day.
"""

from __future__ import annotations

import datetime as dt
from itertools import accumulate

import pandas as pd

from ...scenario.plan import horizon_months, month_of, plan_by_month
from ...scenario.schema import MAX_SHIFTS, Product, RampMonth, Scenario, Shifts
from ...scenario.days import DAY, PlantDays, plant_days, worked_days
from ..flow.car import InvariantError
from ..flow.line import PacedLine
from ..launch.sequencer import Sequencer
from ..streams import drawn

EPS = 1e-9
"""Tolerance on the levelled sequence's deficits (shares like 0.3 are not exact in binary)."""
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
        self.plan = plan_by_month(scenario)
        """Per planned month: its volume and mix (``PlannedVolume``)."""
        self.launch: PlannedLaunch | None = None
        """The launch under the caps and the plan, once the plant has one (``plan_launches``)."""

    # ------------------------------------------------------------ shifts

    def shift_counts(self, shop: str, feeder_shifts: Shifts | None = None) -> list[int] | None:
        """Per simulated day, the shifts the shop runs (or its feeder on ``feeder_shifts``, as many more or
        fewer than its shop as in the scenario, 1 to what fits in 24 h); None: its own count every day."""
        design = self.scenario.shops[shop].shifts.count
        per_month = {month: _shifts_of(rate, shop, design) for month, rate in self.rates.items()}
        if all(count == design for count in per_month.values()):
            return None
        if feeder_shifts is not None:
            most = min(MAX_SHIFTS, int((86400 + EPS) // feeder_shifts.length))
            offset = feeder_shifts.count - design
            per_month = {month: min(most, max(1, count + offset)) for month, count in per_month.items()}
        return [per_month[month] for month in self.day_month]

    # ------------------------------------------------------------ line speed

    def pace_lines(self, plant) -> None:
        """Set every paced line's and conveyor's speed from the start, and change it at midnight on the first
        day of each month whose speed differs (one event per change)."""
        speeds = {month: _speed(rate) for month, rate in self.rates.items()}
        if all(speed == 1.0 for speed in speeds.values()):
            return
        lines = [node for node in plant.all_nodes() if isinstance(node, PacedLine)]
        fastest = max(speeds.values())
        first_day: dict[str, int] = {}
        for day, month in enumerate(self.day_month):
            first_day.setdefault(month, day)
        changes: list[tuple[float, float]] = []  # (wall time, speed from then on)
        for month in self.months:
            if not changes or speeds[month] != changes[-1][1]:
                changes.append((first_day[month] * DAY, speeds[month]))
        for line in lines:
            line.set_speed(changes[0][1], fastest)
        if len(changes) > 1:
            plant.env.process(_speed_changes(plant.env, lines, changes[1:], fastest))

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

    def working_days(self) -> dict[str, int]:
        """Working days per calendar month of the simulated days (from the start date, margin included)."""
        out = dict.fromkeys(self.months, 0)
        for month, works in zip(self.day_month, self.days.working):
            out[month] += works
        return out

    def plan_launches(self, plant) -> None:
        """Hold the launch under the caps and give each planned month its sequence (before the plant is built:
        its launch is then a ``launching.Launcher`` behind this hold). Nothing when nothing caps a launch."""
        if not self.plan and all(rate.launches_per_day is None for rate in self.rates.values()):
            return
        launch = PlannedLaunch(plant, self)
        self.launch = launch
        plant.launch_holds.append(launch)
        if not self.plan:
            return  # a cap alone keeps the scenario's sequence
        if plant.sequencer is None:  # the plant's model sequence, wrapped: it goes on in the unplanned months
            plant._sequence = launch.models(plant._sequence)
        else:
            plant.sequencer = MonthlySequencer(launch, plant.scenario.product, plant._launch_log)


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


def _speed(rate: RampMonth) -> float:
    return 1.0 if rate.line_speed is None else rate.line_speed


def _speed_changes(env, lines: list[PacedLine], changes: list[tuple[float, float]], fastest: float):
    for at, speed in changes:
        yield env.timeout(at - env.now)
        for line in lines:
            line.set_speed(speed, fastest)


class PlannedLaunch:
    """The launch under the ramp-up's cap and the plan (a ``launching.LaunchHold``): at most the day's cap of
    cars launched on each working day; the launch sequence of each planned month (``models``)."""

    def __init__(self, plant, ramp: Ramp):
        self.plant = plant
        self.env = plant.env
        scenario = plant.scenario
        first = next(iter(scenario.shops))
        self.clock = plant.clocks[first]
        working = worked_days(plant.days)
        self.starts = [d * DAY + scenario.shops[first].shifts.start for d in working]
        """Per launch day: its start in wall time (the first shop's shift start)."""
        self.worked = [self.clock.worked(t) for t in self.starts]
        """Per launch day: its start in the first shop's worked time."""
        self.month = [ramp.day_month[d] for d in working]
        self.limits, levels = ramp.daily_limits()
        self.planned_upto = list(accumulate(0 if level is None else level for level in levels))
        """Per launch day: the cars planned on planned days up to and including it (the cumulative plan)."""
        self.planned_day = [level is not None for level in levels]
        self.launched_planned = 0
        """Cars launched on planned days: the launch may catch up with the cumulative plan, never pass it."""
        self.plan = ramp.plan
        self.scenario = scenario
        self.today = 0
        self.launched_today = 0
        self._wake_at: int | None = None
        self._draw = plant.streams.uniform("plan.sequence") if ramp.plan and \
            scenario.product.sequence == "random" else None

    def rebase(self) -> None:
        """The first shop's clock gained overtime: the launch days' starts in its worked time anew."""
        self.worked = [self.clock.worked(t) for t in self.starts]

    def launch_day(self, now: float) -> int:
        """The launch day (index of the working day) a car pulled now counts for; a new day resets the count."""
        w = self.clock.worked(now)
        k, worked = self.today, self.worked
        while k + 1 < len(worked) and worked[k + 1] <= w + 1e-6:
            k += 1
        if k != self.today:
            self.today, self.launched_today = k, 0
        return k

    # ------------------------------------------------------------ LaunchHold

    def allows(self, variant: int, now: float) -> bool:
        k = self.launch_day(now)
        limit = self.limits[k]
        if (limit is None or self.launched_today < limit) and \
                (not self.planned_day[k] or self.launched_planned < self.planned_upto[k]):
            return True
        self._wake_next_day(k)
        return False

    def take(self, variant: int, now: float) -> None:
        k = self.launch_day(now)
        self.launched_today += 1
        self.launched_planned += self.planned_day[k]
        limit = self.limits[k]
        if limit is not None and self.launched_today > limit:
            raise InvariantError(f"{self.launched_today} cars launched on working day {k + 1} "
                                 f"({self.month[k]}), above its launches_per_day of {limit}")
        if self.planned_day[k] and self.launched_planned > self.planned_upto[k]:
            raise InvariantError(f"{self.launched_planned} cars launched on planned days by working day {k + 1} "
                                 f"({self.month[k]}), above the {self.planned_upto[k]} planned")

    def _wake_next_day(self, k: int) -> None:
        """The day's cap is reached: the launch waits for the next working day's start (one event)."""
        if k + 1 == len(self.starts) or self._wake_at == k + 1:
            return
        self._wake_at = k + 1
        self.env.timeout(max(0.0, self.starts[k + 1] - self.env.now)).callbacks.append(
            lambda _: self._new_day(k + 1))

    def _new_day(self, k: int) -> None:
        launcher = self.plant.launcher
        if self.plan and self.month[k] != self.month[k - 1]:
            # the car planned while the cap held belongs to last month's sequence: plan afresh for this month
            launcher.planned.clear()
        launcher.wake()

    # ------------------------------------------------------------ sequence

    def month_now(self) -> str:
        """The month of the launch day a car pulled now counts for."""
        return self.month[self.launch_day(self.env.now)]

    def shares(self, month: str) -> list[float] | None:
        """The month's model shares (its mix, or the product's), in model order; None: the month is not planned."""
        planned = self.plan.get(month)
        if planned is None:
            return None
        shares = planned.mix if planned.mix is not None else self.scenario.product.shares
        return [shares.get(name, 0.0) for name in self.scenario.model_names]

    def models(self, unplanned):
        """Model indices in launch order: a planned month's own sequence over its mix, from its first car
        (levelled, or drawn by its shares from the stream 'plan.sequence'); an unplanned month continues
        ``unplanned`` (the scenario's sequence)."""
        month, sequence = None, unplanned
        while True:
            now = self.month_now()
            if now != month:
                month, shares = now, self.shares(now)
                if shares is None:
                    sequence = unplanned
                elif self._draw is None:
                    sequence = levelled(shares)
                else:
                    sequence = drawn(shares, self._draw)
            yield next(sequence)


def levelled(shares: list[float]):
    """Model indices of a levelled sequence over ``shares`` (summing to 1): after every n cars, every model's
    count is within one car of n x its share.

    Tijdeman's rule for the chairman assignment problem (1980): with k models that have a share, the n-th car
    goes, among the models at least 1 / (2k - 2) behind their target (n x share - count), to the one whose
    next car falls due soonest ((count + d) / share, d = 1 - 1 / (2k - 2); ties to the first model); this keeps
    every count within d < 1 of its target. Each car checks it (``InvariantError`` otherwise).
    """
    models = [m for m, share in enumerate(shares) if share > 0]
    if len(models) == 1:
        while True:
            yield models[0]
    d = 1.0 - 1.0 / (2 * len(models) - 2)
    done = [0] * len(shares)
    n = 0
    while True:
        n += 1
        due = min((m for m in models if n * shares[m] - done[m] >= 1.0 - d - EPS),
                  key=lambda m: (done[m] + d) / shares[m])
        done[due] += 1
        for m in models:
            if abs(done[m] - n * shares[m]) > 1.0 + EPS:
                raise InvariantError(f"levelled sequence: model {m} has {done[m]} of the first {n} cars, "
                                     f"target {n * shares[m]:.3f}: more than one car off")
        yield due


class MonthlySequencer:
    """The levelled launch with spacing rules under a plan: each month a ``sequencer.Sequencer`` for the month's
    mix (the product's in an unplanned month), levelling afresh from the month's first car and carrying on the
    spacing rules after the cars launched so far (read from the launch log)."""

    def __init__(self, launch: PlannedLaunch, product: Product, log):
        self.launch = launch
        self.product = product
        self.log = log
        self.month = None
        self.current = Sequencer(product)

    def next_variant(self) -> int:
        month = self.launch.month_now()
        if month != self.month:
            self.month = month
            shares = self.launch.shares(month)
            self.current = Sequencer(self.product if shares is None else _with_shares(self.product, shares))
            self.current.resume(self.log.arrays()["variant"])
        return self.current.next_variant()

    @property
    def breaches(self) -> list[int]:
        """Cars launched that broke each spacing rule (``Sequencer.breaches``), over the whole run."""
        return self.current.breaches


def _with_shares(product: Product, shares: list[float]) -> Product:
    """The product with other model shares (a month's mix)."""
    models = [model.model_copy(update={"share": share, "annual_volume": None})
              for model, share in zip(product.models, shares)]
    return product.model_copy(update={"models": models})


# ---------------------------------------------------------------- the schedule as a table

def rate_schedule(scenario: Scenario) -> pd.DataFrame:
    """The ramp-up and the plan per month of the horizon: working days (the whole month's, from the start date),
    shifts per shop ('shifts <shop>'), line speed, launches_per_day, planned cars, and the most and fewest
    launches a working day may have (None: no cap). Empty without a ramp-up or a plan."""
    columns = ["month", "working_days"] + [f"shifts {shop}" for shop in scenario.shops] + \
        ["line_speed", "launches_per_day", "planned", "most_per_day", "fewest_per_day"]
    if scenario.ramp_up is None and scenario.plan is None:
        return pd.DataFrame(columns=columns)
    ramp = Ramp(scenario, plant_days(scenario.calendar, scenario.horizon))
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
