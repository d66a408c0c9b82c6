"""How the plant comes up to rate and what it is asked to build: learning curves per shop (``learning``),
the ramp-up month by month (``ramp_up``), the monthly or yearly production plan (``plan``) and the overtime
the plant may use when it is behind the plan (``plan.overtime``)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from ..errors import shown
from ..units import Duration, DurationOrZero, format_duration
from .common import FIRST_DATE, LAST_DATE, MAX_UNITS, Date, Model, Name, Share, _yield


MAX_FIRST_FACTOR = 1000.0
"""The largest multiplier a learning curve may give its first car."""


def _learning_rate(value: float) -> float:
    """A Wright learning rate: strictly between 0 and 1 (1 would never learn, above 1 unlearn)."""
    if not 0 < value < 1:
        why = ("a rate of 1 never learns: the first car's value would hold for ever; leave the curve out, or give "
               "first: 1, for no learning" if value == 1 else "each doubling of the shop's output multiplies the "
               "first car's excess by the rate")
        raise ValueError(f"a learning rate of {value:g} is not between 0 and 1 (exclusive), e.g. 0.85 for an 85% "
                         f"curve: {why}")
    return value


def _first_factor(value: float) -> float:
    """The multiplier on the first car: 1 (no learning) up to MAX_FIRST_FACTOR."""
    if value < 1:
        raise ValueError(f"a first-car multiplier of {value:g} would make the first car better than the mature "
                         "ones: give 1 or more (1: no learning; 2: the first car takes twice the mature value)")
    if value > MAX_FIRST_FACTOR:
        raise ValueError(f"a first-car multiplier of {value:g} is above {MAX_FIRST_FACTOR:g}")
    return value


def _first_yield(value: float) -> float:
    if not 0 < value <= 1:
        raise ValueError(f"a first-car first_pass_yield of {value:g} is not in (0, 1]: give the share of the first "
                         "cars that pass the inspection first time, e.g. 0.6")
    return _yield(value)


LearningRate = Annotated[float, AfterValidator(_learning_rate)]


class LearningCurve(Model):
    """Wright's law on a multiplier of the scenario's (mature) value: the shop's n-th car gets
    m(n) = max(1, first x n^b), b = log2(rate), so each doubling of the shop's output multiplies it by ``rate``
    until it meets the mature value (m = 1) at car n* = first^(-1/b), and stays there."""
    rate: LearningRate
    """Each doubling of the shop's cumulative output multiplies the first car's multiplier by this (0 < rate < 1;
    0.85: an 85% curve)."""
    first: Annotated[float, AfterValidator(_first_factor)]
    """The multiplier on the shop's first car, 1 to 1,000 (2: twice the mature value; 1: no learning)."""


class YieldLearning(Model):
    """Wright's law on the defects of a shop's quality gate: the share failing the inspection at the shop's n-th
    car is (1 - FPY) x g(n), g(n) = max(1, (1 - first) / (1 - FPY) x n^b), b = log2(rate), FPY the shop's mature
    ``quality.first_pass_yield``: the first car's yield is ``first``, and the yield meets FPY at car
    n* = ((1 - first) / (1 - FPY))^(-1/b). The failing cars are scrapped and reworked in the mature proportions."""
    rate: LearningRate
    """Each doubling of the shop's cumulative output multiplies the share of failing cars by this (0 < rate < 1)."""
    first: Annotated[float, AfterValidator(_first_yield)]
    """First-pass yield at the shop's first car, 0.01 to 1, at most the mature first_pass_yield."""


class NewCrew(Model):
    """The crew of a shift that a ramp-up month adds to the shop (``ramp_up.months``: the shop's shift count
    rises above this shift's number): hired on ``hired``, trained for ``training`` off the line, then working
    beside the running shifts until its own shift starts. From then it moves along the shop's curves on its own
    car number, which starts at 1 + ``shadowing`` x the cars the shop built between the end of its training and
    its shift's first start, and moves on by one with each car that leaves the shop in its shift."""
    hired: Date
    """The day the crew is hired (its training starts)."""
    training: DurationOrZero = 0.0
    """Training before the crew may work beside the running shifts (calendar time, e.g. 42 d): the crew must
    have finished it when its shift first starts."""
    shadowing: Share = 0.0
    """Share of each car the shop builds between the end of the crew's training and its shift's first start that
    counts in the crew's experience (0: none, the crew starts at car 1; 1: as if it had built them itself)."""


def _shift_numbers(value):
    """``new_crews`` keyed by shift number: YAML may give the keys as text."""
    if isinstance(value, dict):
        return {int(k) if isinstance(k, str) and k.strip().isdigit() else k: v for k, v in value.items()}
    return value


class ShopLearning(Model):
    """A shop's learning curves (``sim.model.components.learning``): its cycle times, first-pass yield and failure rate
    improve with its cumulative output, the cars that have left its last station since the start of the run
    (plus ``built_before``). Every station's work time (free-flow stations, paced-line stations, feeders and
    repair stations; not a conveyor's transit, a process time) is multiplied by the cycle-time curve's m(n) for
    the shop's next car n; every time between failures of its stations (conveyors included) is divided by the
    failure curve's m(n) when it is drawn (at the start and after each repair or preventive service)."""
    built_before: int = Field(default=0, ge=0, le=MAX_UNITS)
    """Cars the shop built before the run (pilot output): its first car in the run is car built_before + 1."""
    cycle_time: LearningCurve | None = None
    """Multiplier on every station's work time: m(n) x the scenario's time."""
    first_pass_yield: YieldLearning | None = None
    """The shop's first-pass yield at its quality gate (shops.<shop>.quality)."""
    failures: LearningCurve | None = None
    """Multiplier on the failure rate of the shop's stations: each time between failures is divided by m(n)."""
    new_crews: Annotated[dict[Annotated[int, Field(ge=2, le=4)], NewCrew], BeforeValidator(_shift_numbers)] | \
        None = Field(default=None, exclude_if=lambda crews: crews is None)
    """Per shift number (2 to 4) that the ramp-up adds to the shop, its new crew (every added shift needs one).
    With it, each shift's crew learns on its own car number: the cars that left the shop in its shift (the
    shifts run from the start together with ``built_before``); without it the shop learns as one."""

    @model_validator(mode="after")
    def _some_curve(self):
        if self.cycle_time is None and self.first_pass_yield is None and self.failures is None:
            raise ValueError("give at least one curve: cycle_time, first_pass_yield or failures")
        return self


MAX_LINE_SPEED = 1.5
"""The fastest a ramp-up may run the paced lines: 1.5 x their design rate."""
MIN_LINE_SPEED = 0.05
"""The slowest a ramp-up may run them: 5% of their design rate (a pilot month runs about 15%,
``scenarios/almaty-rampup.yaml``; slower is no production, and costs a run time growing as 1 / line_speed)."""


def _line_speed(value: float) -> float:
    if not MIN_LINE_SPEED <= value <= MAX_LINE_SPEED:
        raise ValueError(f"a line speed of {value:g} is not between {MIN_LINE_SPEED:g} and {MAX_LINE_SPEED:g}: it is "
                         f"the share of the design rate the paced lines and conveyors run at ({MIN_LINE_SPEED:g}: 5% "
                         "of it; a pilot month runs about 0.15, half speed is 0.5)")
    return value

MAX_SHIFTS = 4
"""At most this many shifts a day (as ``Shifts.count``)."""
_MONTH = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})\s*$")


def _month(value) -> str:
    """A calendar month written YYYY-MM -> 'YYYY-MM' (zero-padded), between FIRST_DATE and LAST_DATE."""
    match = _MONTH.match(value) if isinstance(value, str) else None
    if match is None or not 1 <= int(match.group(2)) <= 12 or \
            not FIRST_DATE.year <= int(match.group(1)) <= LAST_DATE.year:
        raise ValueError(f"{shown(value)} is not a month: write it as YYYY-MM, e.g. 2025-04 "
                         f"(years {FIRST_DATE.year} to {LAST_DATE.year})")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def _each_month_once(value):
    """A mapping keyed by month: each key written YYYY-MM (normalised to 'YYYY-MM'), each month once."""
    if not isinstance(value, dict):
        return value  # not a mapping: pydantic says so
    out, written = {}, {}
    for key, entry in value.items():
        month = _month(key)
        if month in out:
            raise ValueError(f"month {month} is listed twice (as {shown(written[month])} and {shown(key)})")
        out[month], written[month] = entry, key
    return out


ShiftCount = Annotated[int, Field(ge=1, le=MAX_SHIFTS)]


class RampMonth(Model):
    """The plant's rates from one month on (an entry of ``ramp_up.months``). A key an entry leaves out takes the
    scenario's own value: the shops' own shift counts, the design line speed (1), no cap on launches."""
    shifts: ShiftCount | dict[Name, ShiftCount] | None = None
    """Shifts each shop runs on its working days (1 to 4): one count for every shop, or a count per shop (the
    shops not named run their own ``shifts.count``). Each shop keeps its shift pattern (start, length, breaks):
    the shifts follow back to back from its start and must fit in 24 h. A feeder on its own shifts runs as many
    more (or fewer) shifts than its shop as it does in the scenario (at least 1, at most what fits in 24 h).
    Labour pools keep their size per shift (a pool with a size per shift needs one for each shift run)."""
    line_speed: Annotated[float, AfterValidator(_line_speed)] | None = None
    """Share of the design rate of every paced line and conveyor, 0.05 to 1.5 (0.5: half speed; a pilot month
    about 0.15).
    A paced line indexes every takt / line_speed (a line without a takt: no faster than its slowest
    station's quickest cycle + transfer, / line_speed), its stations' work unchanged. A conveyor keeps its transit time (an oven's dwell is a process
    requirement) and takes a body at most every pitch / line_speed, leaving carriers empty in between; above 1
    it still takes at most one body per pitch. Changes at midnight on the first day of the month."""
    launches_per_day: int | None = Field(default=None, ge=1, le=MAX_UNITS)
    """At most this many cars launched on a working day (the launch day runs from the first shop's shift
    start to the next working day's; a car pulled at the very end of a day's last shift starts, and counts,
    on the next working day). Needs the pull launch (no ``launch``)."""


class RampUp(Model):
    """A ramp-up from the start of production (SOP: ``calendar.start_date``, a dated calendar) month by month:
    shifts run, line speed and a cap on launches (``sim.scenario.ramp``, ``sim.model.components.plan``)."""
    months: Annotated[dict[str, RampMonth], BeforeValidator(_each_month_once)] = Field(min_length=1)
    """The rates by calendar month, keyed YYYY-MM in calendar order, within the horizon: each entry holds from
    its month until the next entry (the last to the end of the run); months before the first entry run at the
    scenario's own rates."""


def _volume_only(value):
    """A plan entry written as a bare number is its volume."""
    return {"volume": value} if isinstance(value, int) and not isinstance(value, bool) else value


def _mix_sums_to_one(mix: dict[str, float]) -> dict[str, float]:
    total = sum(mix.values())
    if abs(total - 1.0) > 1e-6:
        raise ValueError(f"the mix shares sum to {total:.6g}; they must sum to 1 (models left out build none)")
    return mix


class PlannedVolume(Model):
    """Cars to build in a month (or a year), with the mix they are built in."""
    volume: int = Field(ge=0, le=MAX_UNITS)
    """Cars to launch: in a calendar month (``plan.months``) or a year (``plan.years``)."""
    mix: Annotated[dict[Name, Share], AfterValidator(_mix_sums_to_one)] | None = None
    """Share of each model (product.models) in the launch sequence, summing to 1 (models not named: none);
    default: the product's shares."""


PlanEntry = Annotated[PlannedVolume, BeforeValidator(_volume_only)]
Weight = Annotated[float, Field(ge=0, le=1_000)]


class Overtime(Model):
    """Extra working time the plant may use when it is behind its plan (``sim.model.components.overtime``), within limits
    per worker (the labour code's: at most 2 h a day, 12 h a month, 120 h a year in Kazakhstan).

    At the start of each week's first working day the plant compares the cars launched on planned days with
    the cumulative plan up to the day before; when it is at least ``behind_by`` cars behind, it plans the hours
    that would make the gap up at its recent rate (cars finished per shift hour of the last shop over the last
    four weeks): first ``after_shift`` added to the end of the week's working days, one day after another, then
    the week's Saturday (a day off worked with the month's usual shifts, up to ``saturdays`` a month), as far as
    the limits per worker allow (not in a month with a ramp-up's ``launches_per_day``: more hours would not
    launch more cars). Every shop and feeder works the overtime. A worker on the last shift works the
    hours added after it; a Saturday costs each worker one shift (``staffing.paid_hours_per_shift``)."""
    after_shift: DurationOrZero = 0.0
    """Hours that may be added after the last shift of a working day (e.g. 1 h; the labour code allows at most
    2 h a day). 0: none."""
    saturdays: int = Field(default=0, ge=0, le=5)
    """Saturdays that may be worked in a calendar month (a Saturday that is a working day already is not
    overtime)."""
    monthly_hours: Duration = 12 * 3600.0
    """Most overtime hours a worker may work in a calendar month (labour code: 12 h)."""
    annual_hours: Duration = 120 * 3600.0
    """Most overtime hours a worker may work in a calendar year (labour code: 120 h)."""
    behind_by: int = Field(default=1, ge=1, le=MAX_UNITS)
    """Cars behind the cumulative plan that call for overtime."""

    @model_validator(mode="after")
    def _some_overtime(self):
        if self.after_shift == 0 and self.saturdays == 0:
            raise ValueError("give after_shift (hours added after the last shift) or saturdays (a month), or leave "
                             "overtime out")
        if self.after_shift > 12 * 3600:
            raise ValueError(f"after_shift {format_duration(self.after_shift)} is more than 12 h a day")
        return self


class Plan(Model):
    """The monthly production plan (``sim.scenario.ramp``, ``sim.model.components.plan``): cars to build per calendar month and their mix.

    A planned month caps the launches of each of its working days at its volume V levelled over them: the k-th
    of its W working days (those from the start of production on) may launch floor(k V / W) - floor((k - 1) V / W)
    cars (floor(V / W) or one more; V in the month when the plant keeps up), or the ramp-up's
    ``launches_per_day`` if that is smaller. Cars not launched on their day (the plant behind) are made up as
    soon as the plant can: the launch catches up with the cumulative plan (the planned days' levels so far),
    never passes it, and never passes a day's ``launches_per_day``.
    The month's launch sequence starts afresh at its first car over the month's mix: levelled, every model within
    one car of its share at every point of the month (with spacing rules, the launch's sequencer levels the mix
    under them; with ``sequence: random``, drawn by the month's shares). A month the plan does not give has no
    cap and the product's mix and sequence. Needs the pull launch (no ``launch``) and a dated calendar."""
    months: Annotated[dict[str, PlanEntry], BeforeValidator(_each_month_once)] = {}
    """Per calendar month (YYYY-MM, within the horizon): its volume, or {volume, mix}."""
    years: dict[Annotated[int, Field(ge=FIRST_DATE.year, le=LAST_DATE.year)], PlanEntry] = {}
    """Per year (a month given in ``months`` is not in a year given here): its volume, or {volume, mix}, spread
    over its months by ``seasonality``; a year the plant starts in is spread over its months from the start of
    production (the start month counts whole)."""
    overtime: Overtime | None = None
    """Overtime used when the plant is behind the plan; none: no overtime."""
    cap_launches: bool = Field(default=True, exclude_if=lambda cap: cap)
    """true: the launch never passes the cumulative plan (the plan is what the plant builds). false: the plan is
    a yardstick only: it still gives each month's mix and sequence, the kits ordered and overtime's target, but
    the launch takes every car the plant can build (within a ramp-up's ``launches_per_day``), so the months
    table shows what the plant could do beside the plan and flags the months the plan was above it."""
    seasonality: list[Weight] | None = Field(default=None, min_length=12, max_length=12)
    """Twelve weights, January to December, for spreading a year's volume over its months: each month's share is
    its weight times its working days, normalised over the months spread over (an equal weight is an equal rate
    per working day); each month gets whole cars, rounded so that the year adds up; default: all 1."""

    @model_validator(mode="after")
    def _something_planned(self):
        if not self.months and not self.years:
            raise ValueError("give the plan's months (YYYY-MM: volume) or years (YYYY: volume)")
        if self.seasonality is not None and not self.years:
            raise ValueError("seasonality spreads the volumes of plan.years: give years, or leave it out")
        if self.seasonality is not None and sum(self.seasonality) <= 0:
            raise ValueError("the seasonality weights are all 0: give each month a weight (equal: 1)")
        return self
