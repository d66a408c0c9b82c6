"""The ramp-up and the monthly plan as a component of the plant (``ramp_up`` and ``plan`` of a scenario).

From the start of production (the calendar's start date) the plant runs, month by month, the rates the ramp-up
gives: the shifts of each shop, the speed of its paced lines and conveyors, a cap on launches per working day;
and the plan's volume and mix. Nothing here costs an event per car:

* **Shifts** come from a shift count per simulated day (``clock.shift_windows``): the shops' shift clocks
  are precomputed as before, so a month with more shifts costs no event at all.
* **Line speed**: one event per month in which the speed changes sets every paced line's and conveyor's
  speed (``PacedLine.set_speed``); each line reads its takt at each index, as it always does.
* **Launches**: a ``PlanCap`` is a ``launch.LaunchHold`` that lets at most the day's cap of cars go on
  each working day (the smaller of ``launches_per_day`` and the plan's volume levelled over the month's working
  days) and wakes the launch at the next day's start while it holds it (one event a day, only while capped).
  With ``plan.cap_launches: false`` the plan caps nothing (only ``launches_per_day`` does): the plant launches
  what it can, and the plan stays the yardstick (mix, kits, overtime's target, the months table).
  In a planned month it also gives the launch sequence: levelled over the month's mix afresh from the month's
  first car (``sequences.within_one_car``: every model within one car of its share at every prefix, checked per car), or, with
  spacing rules, a ``sequencer.Sequencer`` for the month's mix that carries on after the cars launched so far.

A launch day runs from the first shop's shift start on a working day to the next working day's, in the first
shop's worked time: a car pulled at the very end of a day's last shift starts work, and counts, on the next
working day. The month of a launch is the month of its launch day.
"""

from __future__ import annotations

from itertools import accumulate

from ...scenario.days import DAY, worked_days
from ...scenario.ramp import Ramp
from ...scenario.schema import Product, Scenario
from ..flow.car import InvariantError
from ..flow.line import PacedLine
from ..launch.sequencer import Sequencer
from ..launch.sequences import ModelSequence, within_one_car
from ..streams import drawn
from .base import Component


class PlanComponent(Component):
    """The ramp-up and the plan: the launch held under the caps (``PlanCap``), each planned month's sequence,
    and the paced lines' speed month by month (the shifts come from ``Ramp.shift_counts`` through the clocks)."""

    @classmethod
    def wanted(cls, scenario: Scenario) -> bool:
        return scenario.ramping

    def __init__(self, build):
        self.ramp: Ramp = build.ramp
        self.cap: PlanCap | None = None
        """The launch under the caps and the plan, when something caps a launch."""
        ramp = self.ramp
        if not ramp.plan and all(rate.launches_per_day is None for rate in ramp.rates.values()):
            return
        launch = build.launch
        self.cap = cap = PlanCap(build, ramp)
        launch.add_hold(cap)
        if not ramp.plan:
            return  # a cap alone keeps the scenario's sequence
        source = launch.sequence
        if isinstance(source, ModelSequence):  # the scenario's model order goes on in the unplanned months
            launch.set_sequence(source.with_models(cap.models(source.models)))
        else:
            launch.set_sequence(MonthlySequencer(cap, build.scenario.product, launch.log))

    def built(self, plant) -> None:
        """Set every paced line's and conveyor's speed from the start, and change it at midnight on the first
        day of each month whose speed differs (one event per change)."""
        changes = self.ramp.speed_changes()
        if not changes:
            return
        lines = [node for node in plant.all_nodes() if isinstance(node, PacedLine)]
        fastest = max(speed for _, speed in changes)  # every month's speed is among the changes
        for line in lines:
            line.set_speed(changes[0][1], fastest)
        if len(changes) > 1:
            plant.env.process(_speed_changes(plant.env, lines, changes[1:], fastest))


def _speed_changes(env, lines: list[PacedLine], changes: list[tuple[float, float]], fastest: float):
    for at, speed in changes:
        yield env.timeout(at - env.now)
        for line in lines:
            line.set_speed(speed, fastest)


class PlanCap:
    """The launch under the ramp-up's cap and the plan (a ``launch.LaunchHold``): at most the day's cap of
    cars launched on each working day; the launch sequence of each planned month (``models``)."""

    material = False
    """A cap on when a car may be built: asked after the kits."""

    def __init__(self, build, ramp: Ramp):
        self.launch = build.launch
        self.env = build.env
        scenario = build.scenario
        first = next(iter(scenario.shops))
        self.clock = build.clocks[first]
        working = worked_days(build.days)
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
        self.follows_plan = scenario.plan is not None and scenario.plan.cap_launches
        """The launch never passes the cumulative plan (false: the plan is a yardstick, ``plan.cap_launches``)."""
        self.scenario = scenario
        self.today = 0
        self.launched_today = 0
        self._wake_at: int | None = None
        self._draw = build.streams.uniform("plan.sequence") if ramp.plan and \
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

    # ------------------------------------------------------------ the launch hold

    def allows(self, variant: int, now: float) -> bool:
        k = self.launch_day(now)
        limit = self.limits[k]
        if (limit is None or self.launched_today < limit) and (not self.follows_plan or not self.planned_day[k]
                                                                or self.launched_planned < self.planned_upto[k]):
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
        if self.follows_plan and self.planned_day[k] and self.launched_planned > self.planned_upto[k]:
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
        if self.plan and self.month[k] != self.month[k - 1]:
            # the car planned while the cap held belongs to last month's sequence: plan afresh for this month
            self.launch.replan()
        self.launch.wake()

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
                    sequence = within_one_car(shares)
                else:
                    sequence = drawn(shares, self._draw)
            yield next(sequence)


class MonthlySequencer:
    """The levelled launch with spacing rules under a plan: each month a ``sequencer.Sequencer`` for the month's
    mix (the product's in an unplanned month), levelling afresh from the month's first car and carrying on the
    spacing rules after the cars launched so far (read from the launch log)."""

    def __init__(self, launch: PlanCap, product: Product, log):
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
