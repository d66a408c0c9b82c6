"""How much of a kit to keep: the plan rate of each model and the levels an order policy keeps at that rate.

The plan rate of a model is kits a working day: target.annual_units x the model's share / working days a year.
Under a monthly production plan (``plan`` of the scenario) a planner orders for the plan instead: the rate of a
calendar month is its planned volume x the model's share in the month's mix (the product's shares when the
month gives no mix) / the month's working days (from the start of production, as the plan spreads a year); a
month the plan does not list keeps the target rate (``PlanRates``).

A ``KitPlan`` turns the days of cover of ``Kit`` and ``OrderPolicy`` into kits at one rate (``kit_plan``).
Under a plan the levels follow the month in which an order placed now would arrive (``MonthlyLevels``): now
plus the route's mean lead time (expected border delay included) plus the mean wait for a departure, in
calendar days. Stock on hand is judged, in days of cover, against the rate of the moment's own month.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from .plan import month_of, plan_by_month, working_days_of
from .schema import LAUNCH, Kit, Route, Scenario
from .days import DAY


def consuming_shop(scenario: Scenario, taken_at: str) -> str:
    """The shop whose shift clock a consumption point (``Kit.taken_at``) works on: the first shop for the launch."""
    return next(iter(scenario.shops)) if taken_at == LAUNCH else taken_at


def plan_rates(scenario: Scenario, working_days_per_year: float) -> dict[str, float]:
    """Kits a working day of each model at the plan rate: target.annual_units x share / working days a year."""
    annual = scenario.target.annual_units
    return {name: annual * share / working_days_per_year for name, share in scenario.product.shares.items()}


def order_to_arrival_days(route: Route) -> float:
    """Mean calendar days from an order to its arrival: the wait for a departure plus the lead time."""
    return route.mean_lead_days + route.mean_wait_days


class PlanRates:
    """Kits a working day of each model: the target rate, and under a monthly plan the rate of each planned
    month (see the module's docstring). Without a plan (or a plan that lists no month) ``monthly`` is False and
    every rate is the target's."""

    def __init__(self, scenario: Scenario, working_days_per_year: float):
        self.target = plan_rates(scenario, working_days_per_year)
        """Model -> kits a working day at target.annual_units."""
        self.by_month: dict[str, dict[str, float]] = {}
        """Planned month 'YYYY-MM' -> model -> kits a working day."""
        for month, planned in plan_by_month(scenario).items():
            shares = planned.mix if planned.mix is not None else scenario.product.shares
            days = working_days_of(scenario, month)  # no working day: nothing can be built, nothing is needed
            self.by_month[month] = {model: planned.volume * shares.get(model, 0.0) / days if days else 0.0
                                    for model in scenario.model_names}
        self.monthly = bool(self.by_month)
        self.start = scenario.calendar.start_date if self.monthly else None
        """The date of simulated day 0 (a plan needs a dated calendar)."""

    def rate(self, model: str, month: str) -> float:
        """Kits a working day of ``model`` in ``month``."""
        return self.by_month.get(month, self.target)[model]

    def month_at(self, t: float) -> str:
        """The calendar month of wall time ``t`` (seconds from the start of day 0)."""
        return month_of(self.start + dt.timedelta(days=math.floor(t / DAY + 1e-9)))

    def month_start(self, month: str) -> float:
        """Wall time of midnight on the first day of ``month``."""
        return (dt.date(int(month[:4]), int(month[5:]), 1) - self.start).days * DAY


@dataclass(frozen=True)
class KitPlan:
    """A kit's stock plan for one model, in kits: the plan rate and the levels its policy keeps."""
    rate: float
    """Kits a working day at the plan rate."""
    lot: int
    unit: int
    """What one order is a multiple of: the lot (periodic), lot_count x lot (reorder point)."""
    periodic: bool
    level: float
    """The order-up-to level S (periodic) or the reorder point s, in kits."""
    safety: float
    initial: int


def kit_plan(kit: Kit, route: Route, rate: float, working_days_per_year: float) -> KitPlan:
    """The levels of ``Kit`` and ``OrderPolicy``: calendar days become working days (x working days / 365)."""
    working = working_days_per_year / 365.0
    order = kit.order
    safety = rate * kit.safety_stock / DAY
    pipeline = order_to_arrival_days(route) * working
    periodic = order.policy == "periodic"
    if periodic:
        given = order.up_to
        level = rate * (order.every / DAY * working + pipeline) + safety
        unit = kit.lot
    else:
        given = order.reorder_at
        level = rate * pipeline + safety
        unit = kit.lot * (order.lot_count or 1)
    if given is not None:
        level = rate * given / DAY
    initial = rate * kit.initial / DAY if kit.initial is not None else (level if periodic else level + unit)
    return KitPlan(rate=rate, lot=kit.lot, unit=unit, periodic=periodic, level=level, safety=safety,
                   initial=int(math.ceil(initial - 1e-9)))


class MonthlyLevels:
    """A kit's levels for one model under a monthly plan: the ``KitPlan`` at each month's rate, and the one that
    holds for an order placed at a given time (the month it would arrive in)."""

    def __init__(self, kit: Kit, route: Route, model: str, rates: PlanRates, working_days_per_year: float):
        self.kit, self.route, self.model, self.rates = kit, route, model, rates
        self.per_year = working_days_per_year
        self.arrival = order_to_arrival_days(route) * DAY
        """Seconds from an order to its mean arrival."""
        self._plans: dict[str, KitPlan] = {}

    def of_month(self, month: str) -> KitPlan:
        plan = self._plans.get(month)
        if plan is None:
            plan = self._plans[month] = kit_plan(self.kit, self.route, self.rates.rate(self.model, month),
                                                 self.per_year)
        return plan

    def at(self, now: float) -> KitPlan:
        """The levels for an order placed at ``now``: those of the month it would arrive in."""
        return self.of_month(self.rates.month_at(now + self.arrival))

    def initial(self) -> int:
        """Kits on hand at the start: the kit's ``initial`` days of cover at the first month's rate, or by
        default the level an order placed at the start answers to (S; s plus one order)."""
        first = self.of_month(self.rates.month_at(0.0)) if self.kit.initial is not None else self.at(0.0)
        return first.initial
