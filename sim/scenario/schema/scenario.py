"""The top level of a scenario file (``Scenario``): its name, seed, calendar, horizon, launch and target,
with the parts of the other modules (product, shops, stores, staffing, outbound, learning, supply, ramp-up,
plan, events) under their keys."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, model_validator

from ..errors import shown
from ..units import TimeSpec
from .common import MAX_UNITS, WEEKDAYS, Date, Model, Name, Share
from .events import Event
from .outbound import Outbound
from .product import Product
from .ramp import Plan, RampUp, ShopLearning
from .shop import Shop
from .staffing import Staffing
from .stores import Store
from .supply import Supply


class Calendar(Model):
    """Which days the plant works.

    Either dated (start_date, weekdays and a list of public holidays), or a bare
    count: with ``working_days_per_year`` and no holidays every simulated day is a
    working day and the count is used to annualise.
    """
    start_date: Date = dt.date(2025, 1, 1)
    """The first simulated day, YYYY-MM-DD (1900-01-01 to 2200-12-31); the start of production (SOP) of a ramp-up or
    a plan."""
    weekdays: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]] = WEEKDAYS[:5]
    """The working weekdays, Mon to Sun (default: Monday to Friday)."""
    holidays: list[Date] = []
    """Public holidays (YYYY-MM-DD): no shop works on them, whatever the weekday."""
    working_days_per_year: int | None = Field(default=None, ge=1, le=366)
    """A bare count of working days a year (1 to 366) instead of dates: every simulated day is then a working day
    and the count annualises the output; none: a dated calendar."""

    @property
    def dated(self) -> bool:
        return self.working_days_per_year is None

    def working_days(self, days, shutdown: frozenset[dt.date] = frozenset()) -> list[bool]:
        """Whether each of these dates is a working day: one of ``weekdays``, not a holiday and not a day of a
        plant shutdown (``shutdown``: ``events.shutdown_dates``) (dated calendars)."""
        weekdays = {WEEKDAYS.index(d) for d in self.weekdays}
        holidays = set(self.holidays) | shutdown
        return [d.weekday() in weekdays and d not in holidays for d in days]


class Horizon(Model):
    """How long to simulate: a warm-up (excluded from results) then the measured length."""
    days: float | None = Field(default=None, gt=0, le=36_600)
    """Measured days (at most 36,600: 100 years)."""
    years: float | None = Field(default=None, gt=0, le=100)
    """Measured years instead of days (above 0, at most 100): 365 days each with a dated calendar,
    working_days_per_year days each with a count; give days or years."""
    warmup_days: float = Field(default=0, ge=0, le=3_660)
    """Days simulated before the measured window so that buffers and stores fill (0 to 3,660); excluded from every
    result."""

    @model_validator(mode="after")
    def _one_length(self):
        if (self.days is None) == (self.years is None):
            raise ValueError("give exactly one of 'days' or 'years'")
        return self


class Launch(Model):
    """Arrival-driven launch: cars arrive at the first station's queue.

    Without it the first station pulls a car whenever it can take one.
    """
    interarrival: TimeSpec
    """Time between two cars arriving at the first station's queue: a time or a distribution (e.g. {dist:
    exponential, mean: 120})."""


class Target(Model):
    """The plant's annual target, against which the simulated output is judged."""
    annual_units: int = Field(gt=0, le=MAX_UNITS)
    """Cars a year the plant must build (1 to 10,000,000): the output is judged against it; it sets the takt of the
    static capacity and workload views and the plan rate of the kits."""
    export_share: Share | None = None
    """Share of the target's cars built for export (0 to 1), shown as the export and domestic goals beside the
    output by market; none: no goal by market. Which cars are built for export is set by each model's
    export_share."""


_FOLDER_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}")


def _folder_name(value):
    """A scenario name is a folder name under results/: no path separator, no '..', no leading dot."""
    if not isinstance(value, str):
        raise ValueError(f"a name is text, got {shown(value)}")
    if not _FOLDER_NAME.fullmatch(value):
        raise ValueError(f"{shown(value)} cannot name the results folder results/<name>/: use 1 to 80 letters, "
                         "digits, '_', '-' and '.', not starting with '.' (so no '/', '..', spaces or control characters)")
    return value


class Scenario(Model):
    """A plant scenario."""
    extends: str | None = None
    """The scenario file this one overrides (resolved when the file is loaded)."""
    name: Annotated[str, BeforeValidator(_folder_name)]
    """Names the results folder results/<name>/: letters, digits, '_', '-' and '.', not starting with '.'."""
    description: str = ""
    """Free text on what the scenario models and where its figures come from; shown in the reports."""
    seed: int = Field(default=1, ge=0, lt=2**63)
    """Random seed of the runs (0 to 2^63 - 1): the same scenario and seed give the same results; --seed overrides
    it."""
    calendar: Calendar = Calendar()
    """Which days the plant works (default: Monday to Friday from 2025-01-01, no holidays)."""
    horizon: Horizon
    """How long to simulate: a warm-up, then the measured days or years."""
    product: Product
    """The car models and their mix, the options and colours drawn per car, and the launch sequence."""
    launch: Launch | None = None
    """Arrival-driven launch: cars arrive at the first station at random intervals; none: the first station pulls a
    car whenever it can take one."""
    shops: dict[Name, Shop] = Field(min_length=1)
    """The shops in flow order (body, paint, assembly), keyed by name; at least one. Cars pass through them in the
    order written."""
    stores: list[Store] = []
    """The stores between consecutive shops (WBS, PBS); a shop with no store after it hands its cars to the next
    shop through a plain buffer the size of the next shop's first buffer_before (or buffer_capacity)."""
    staffing: Staffing = Staffing()
    """How the plant is staffed beyond the station crews: absenteeism, team leaders, indirect roles, labour pools
    (default: the crews only)."""
    target: Target
    """The plant's annual target."""
    outbound: Outbound | None = Field(default=None, exclude_if=lambda outbound: outbound is None)
    """The finished-car yard, trucks and trains (issue 11); none: a car leaves the plant at the end of line.
    Left out of the resolved scenario when absent, so scenarios without it keep their summary."""
    learning: dict[Name, ShopLearning] | None = Field(default=None, exclude_if=lambda learning: learning is None)
    """Learning curves per shop (issue 11): cycle time, first-pass yield and failure rate improving with the
    shop's cumulative output (Wright's law); none: every shop at its mature values. Left out of the resolved
    scenario when absent, so scenarios without it keep their summary."""
    supply: Supply | None = Field(default=None, exclude_if=lambda supply: supply is None)
    """Kit supply from China and localisation (issue 11): kits, routes, orders and stocks; none: every car's
    parts are always there. Left out of the resolved scenario when absent, so scenarios without it keep their
    summary."""

    ramp_up: RampUp | None = Field(default=None, exclude_if=lambda ramp: ramp is None)
    """The ramp-up from the start of production, month by month (issue 11): shifts, line speed, a cap on
    launches; none: the design rates throughout. Left out of the resolved scenario when absent."""
    plan: Plan | None = Field(default=None, exclude_if=lambda plan: plan is None)
    """The monthly production plan (issue 11): volume and mix per month, or per year with seasonality; none: no
    plan. Left out of the resolved scenario when absent."""
    events: list[Event] = Field(default=[], max_length=1_000, exclude_if=lambda events: not events)
    """Dated events (issue 18): a route closed or a shipment held between dates, a plant shutdown, a station, line
    or shop down; each a mapping with its kind, e.g. {kind: route_closed, route: china_rail, first_day: 2025-02-03,
    last_day: 2025-02-16}. Needs a dated calendar. Empty: nothing is scheduled. Left out of the resolved
    scenario when empty."""

    @property
    def model_names(self) -> list[str]:
        return [m.name for m in self.product.models]

    @property
    def ramping(self) -> bool:
        """A ramp-up or a monthly plan sets the pace: output changes by design from month to month."""
        return self.ramp_up is not None or self.plan is not None
