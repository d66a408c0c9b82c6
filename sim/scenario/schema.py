"""The scenario schema: pydantic models, frozen, unknown keys rejected.

Every time is in seconds inside (see ``units``); the YAML may write units out.
Cross-references between parts (a loop re-entering at a station that exists,
a store after a shop that exists) are checked in ``references.py`` so that
every problem is reported with its YAML path.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Discriminator, Field, PlainSerializer, Tag,
                      model_validator)

from .errors import shown
from .units import (ALL_MODELS, MAX_PER_STATION, Duration, DurationOrZero, PerModelCount, PerModelTime, TimeSpec,
                    format_duration, parse_duration, per_model)

Share = Annotated[float, Field(ge=0, le=1)]
Name = Annotated[str, Field(min_length=1, max_length=80)]


MAX_CAPACITY = 1_000_000
"""At most this many cars in a buffer or a store."""
MAX_POOL = 10_000
"""At most this many operators in a labour pool."""
MAX_UNITS = 10_000_000
"""At most this many cars a year (target, a model's annual volume)."""
MAX_CONVEYOR_BODIES = 10_000
"""At most this many bodies on one conveyor (transit_time / pitch)."""
MIN_YIELD = 0.01
"""The smallest first-pass yield: below it the rework loop (practically) never ends."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# ---------------------------------------------------------------- calendar

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _clock_seconds(value):
    """'06:00' -> 21600 seconds after midnight."""
    if isinstance(value, str) and _CLOCK.match(value):
        hours, minutes = _CLOCK.match(value).groups()
        return int(hours) * 3600.0 + int(minutes) * 60.0
    raise ValueError(  # YAML 1.1 reads an unquoted 14:00 as the number 840
        f"{shown(value)} is not a clock time: write it as \"HH:MM\" in quotes, e.g. \"14:00\"")


def _clock_text(seconds: float) -> str:
    """21600 -> '06:00': the resolved scenario writes a clock time as the YAML does, so it reads back."""
    minutes = int(round(seconds / 60.0))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


ClockTime = Annotated[float, BeforeValidator(_clock_seconds), PlainSerializer(_clock_text, when_used="json")]


class Break(Model):
    """A pause of every shift: no station of the shop works during it."""
    after: DurationOrZero
    """Time from the start of the shift to the start of the break."""
    length: Duration


class Shifts(Model):
    """A shop's shift pattern on each working day."""
    count: int = Field(ge=1, le=4)
    start: ClockTime = 6 * 3600.0
    """Start of the first shift (\"HH:MM\"); later shifts follow back to back."""
    length: Duration = 8 * 3600.0
    """Length of one shift including its breaks."""
    breaks: list[Break] = []
    runs_through_breaks: bool = False
    """The lines keep running through the breaks, staffed by relief operators who cover them."""

    @model_validator(mode="after")
    def _fits(self):
        if self.count * self.length > 86400 + 1e-9:
            raise ValueError(f"{self.count} shifts of {self.length / 3600:g} h do not fit in 24 h")
        for brk in self.breaks:
            if brk.after + brk.length > self.length + 1e-9:
                raise ValueError(f"a break at {brk.after / 3600:g} h lasting {brk.length / 60:g} min ends after the shift")
        ordered = sorted(self.breaks, key=lambda b: b.after)
        for first, second in zip(ordered, ordered[1:]):
            if first.after + first.length > second.after + 1e-9:
                raise ValueError("breaks overlap")
        return self

    @property
    def break_seconds(self) -> float:
        return sum(b.length for b in self.breaks)

    @property
    def net_seconds(self) -> float:
        """Working seconds of one shift: its length, minus the breaks unless the lines run through them."""
        return self.length if self.runs_through_breaks else self.length - self.break_seconds


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
_DATE = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$")


def _date(value):
    """A date written YYYY-MM-DD (YAML reads it as text) between FIRST_DATE and LAST_DATE."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueError(f"{shown(value)} has a time of day: write a date as YYYY-MM-DD")
        value = value.date()
    elif isinstance(value, str):
        match = _DATE.match(value)
        if not match:
            raise ValueError(f"{shown(value)} is not a date: write it as YYYY-MM-DD, e.g. 2025-01-01")
        try:
            value = dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise ValueError(f"{shown(value.strip())} is not a date: {exc}") from None
    elif not isinstance(value, dt.date):
        raise ValueError(f"{shown(value)} is not a date: write it as YYYY-MM-DD, e.g. 2025-01-01")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"{value.isoformat()} is out of range: give a date from {FIRST_DATE} to {LAST_DATE}")
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]


class Calendar(Model):
    """Which days the plant works.

    Either dated (start_date, weekdays and a list of public holidays), or a bare
    count: with ``working_days_per_year`` and no holidays every simulated day is a
    working day and the count is used to annualise.
    """
    start_date: Date = dt.date(2025, 1, 1)
    weekdays: list[Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]] = WEEKDAYS[:5]
    holidays: list[Date] = []
    working_days_per_year: int | None = Field(default=None, ge=1, le=366)

    @property
    def dated(self) -> bool:
        return self.working_days_per_year is None

    def working_days(self, days) -> list[bool]:
        """Whether each of these dates is a working day: one of ``weekdays`` and not a holiday (dated calendars)."""
        weekdays = {WEEKDAYS.index(d) for d in self.weekdays}
        holidays = set(self.holidays)
        return [d.weekday() in weekdays and d not in holidays for d in days]


class Horizon(Model):
    """How long to simulate: a warm-up (excluded from results) then the measured length."""
    days: float | None = Field(default=None, gt=0, le=36_600)
    """Measured days (at most 36,600: 100 years)."""
    years: float | None = Field(default=None, gt=0, le=100)
    warmup_days: float = Field(default=0, ge=0, le=3_660)

    @model_validator(mode="after")
    def _one_length(self):
        if (self.days is None) == (self.years is None):
            raise ValueError("give exactly one of 'days' or 'years'")
        return self


# ---------------------------------------------------------------- product

class CarModel(Model):
    """A car model of the mix."""
    name: Name
    share: Share | None = None
    """Share of the launched cars (all models give a share, or all an annual_volume)."""
    annual_volume: int | None = Field(default=None, ge=0, le=MAX_UNITS)
    export_share: Share = 0.0
    """Share of this model's cars built for export."""
    work_content: float = Field(default=1.0, gt=0, le=100)
    """Factor on every station's base cycle time, unless the station gives this model its own time."""


MAX_OPTIONS = 8
"""At most this many options (each car carries a combination of them)."""


class Option(Model):
    """An option some cars carry (sunroof, all-wheel drive, export pack), drawn for each car at launch."""
    name: Name
    take_rate: dict[Name, Share]
    """Share of each model's cars that carry the option; a model not named (and no 'default') has none."""


MAX_COLOURS = 40
"""At most this many paint colours."""

ColourShare = Share | dict[Name, Share]
"""One share for every model, or a share per model (key 'default' for the models not named)."""


class Colour(Model):
    """A paint colour with the share of the cars painted in it, per model and market."""
    name: Name
    share: ColourShare
    """Share of the (domestic) cars in this colour: one number, or per model with 'default'."""
    export: ColourShare | None = None
    """Share of the export cars in this colour, where export colours differ (default: as ``share``)."""

    def share_for(self, model: str, export: bool) -> float:
        given = self.share if not export or self.export is None else self.export
        if isinstance(given, dict):
            return given.get(model, given.get("default", 0.0))
        return given


MAX_SPACING_WINDOW = 100
"""The longest window a spacing rule may count over (cars in a row)."""


class SpacingRule(Model):
    """A spacing rule of the launch sequence: at most ``at_most`` cars of a model (or carrying an option)
    in any ``in_any`` consecutive cars ("at most 1 Tiggo 7 in any 3", "no two sunroof cars in a row":
    at_most 1, in_any 2). A levelled launch keeps it; every shop's entry order is measured against it."""
    model: Name | None = None
    """The model the rule spaces (product.models); give this or ``option``."""
    option: Name | None = None
    """The option the rule spaces (product.options); give this or ``model``."""
    at_most: int = Field(ge=0, le=MAX_SPACING_WINDOW - 1)
    """At most this many such cars in the window; below ``in_any``."""
    in_any: int = Field(ge=1, le=MAX_SPACING_WINDOW)
    """Length of the window: this many consecutive cars (1 to 100)."""

    @model_validator(mode="after")
    def _one_feature(self):
        if (self.model is None) == (self.option is None):
            raise ValueError("give exactly one of 'model' or 'option' (the cars the rule spaces)"
                             + (f"; got model {self.model!r} and option {self.option!r}" if self.model else ""))
        if self.at_most >= self.in_any:
            raise ValueError(f"at_most {self.at_most} in_any {self.in_any} limits nothing: at_most must be "
                             f"below in_any (0 to {self.in_any - 1})")
        return self

    @property
    def feature(self) -> str:
        """The model or option name the rule counts."""
        return self.model if self.model is not None else self.option

    @property
    def text(self) -> str:
        """The rule in words, as the reports name it: 'Tiggo 7: at most 1 in any 3'."""
        return f"{self.feature}: at most {self.at_most} in any {self.in_any}"


class Product(Model):
    models: list[CarModel] = Field(min_length=1)
    sequence: Literal["levelled", "random"] = "levelled"
    """Launch order: a levelled mixed-model sequence (goal chasing) or random draws by share."""
    options: list[Option] = Field(default=[], max_length=MAX_OPTIONS)
    """Options drawn per car at launch; a station may be visited only by the cars that carry one."""
    spacing: list[SpacingRule] = Field(default=[], exclude_if=lambda rules: not rules)
    """Spacing rules of the sequence. With ``sequence: levelled`` the launch levels models and options
    together and keeps the rules (see ``sim.model.sequencer``); with ``random`` the rules are only counted.
    Left out of the resolved scenario when empty, so scenarios without rules keep their summary."""
    colours: list[Colour] = Field(default=[], max_length=MAX_COLOURS)
    """Paint colours, drawn per car at launch by their shares; none: every car has one colour."""

    @model_validator(mode="after")
    def _shares(self):
        shares = [m.share for m in self.models]
        volumes = [m.annual_volume for m in self.models]
        if all(s is not None for s in shares):
            if abs(sum(shares) - 1.0) > 1e-6:
                raise ValueError(f"model shares sum to {sum(shares):.6g}; they must sum to 1")
        elif all(v is not None for v in volumes):
            if sum(volumes) <= 0:
                raise ValueError("annual volumes sum to 0")
        else:
            raise ValueError("give every model a 'share' (summing to 1) or every model an 'annual_volume'")
        names = [m.name for m in self.models]
        if len(set(names)) != len(names):
            raise ValueError(f"model names repeat: {shown(names, 300)}")
        options = [o.name for o in self.options]
        if len(set(options)) != len(options):
            raise ValueError(f"option names repeat: {shown(options, 300)}")
        self._check_colours(names)
        return self

    def _check_colours(self, names: list[str]) -> None:
        """Colour names unique, models named in shares exist, and each model's colours sum to 1 in each market."""
        if not self.colours:
            return
        colours = [c.name for c in self.colours]
        if len(set(colours)) != len(colours):
            raise ValueError(f"colour names repeat: {shown(colours, 300)}")
        for colour in self.colours:
            for given in (colour.share, colour.export):
                unknown = sorted(set(given) - set(names) - {"default"}) if isinstance(given, dict) else []
                if unknown:
                    raise ValueError(f"colour {colour.name!r} names {shown(unknown[0])}, which is not a model "
                                     f"(models: {shown(names, 200)}; 'default' for the rest)")
        for name in names:
            for export in (False, True):
                total = sum(c.share_for(name, export) for c in self.colours)
                if abs(total - 1.0) > 1e-6:
                    market = "export" if export else "domestic"
                    raise ValueError(f"the colour shares of {name} ({market} cars) sum to {total:.6g}; "
                                     "they must sum to 1")

    def colour_shares(self, model: str, export: bool) -> list[float]:
        """Share of each colour among a model's cars of one market."""
        return [c.share_for(model, export) for c in self.colours]

    def take_rate(self, option: "Option", model: str) -> float:
        """Share of a model's cars that carry an option."""
        return option.take_rate.get(model, option.take_rate.get("default", 0.0))

    @property
    def shares(self) -> dict[str, float]:
        """Mix shares by model name, from shares or volumes."""
        if all(m.share is not None for m in self.models):
            return {m.name: m.share for m in self.models}
        total = sum(m.annual_volume for m in self.models)
        return {m.name: m.annual_volume / total for m in self.models}


class Launch(Model):
    """Arrival-driven launch: cars arrive at the first station's queue.

    Without it the first station pulls a car whenever it can take one.
    """
    interarrival: TimeSpec


# ---------------------------------------------------------------- stations

class Failures(Model):
    """Breakdowns: MTBF/MTTR (exponential) or explicit distributions.

    ``clock: operating`` counts time to failure only while the station works
    (in a paced line: while the line runs); ``calendar`` counts all shift time.
    """
    mtbf: Duration | None = None
    mttr: Duration | None = None
    time_between: TimeSpec | None = None
    time_to_repair: TimeSpec | None = None
    clock: Literal["operating", "calendar"] = "operating"

    @model_validator(mode="after")
    def _one_form(self):
        short = self.mtbf is not None or self.mttr is not None
        long = self.time_between is not None or self.time_to_repair is not None
        if short == long:
            raise ValueError("give either mtbf and mttr, or time_between and time_to_repair")
        if short and (self.mtbf is None or self.mttr is None):
            raise ValueError("give both mtbf and mttr")
        if long and (self.time_between is None or self.time_to_repair is None):
            raise ValueError("give both time_between and time_to_repair")
        return self

    @property
    def between(self):
        from .units import Exponential
        return self.time_between or Exponential(dist="exponential", mean=self.mtbf)

    @property
    def repair(self):
        from .units import Exponential
        return self.time_to_repair or Exponential(dist="exponential", mean=self.mttr)


class Conveyor(Model):
    """A conveyor station (ED tank, oven, flash-off): bodies ride through at a fixed pitch."""
    transit_time: Duration
    pitch: Duration
    """Spacing between bodies; capacity = transit_time / pitch."""

    @model_validator(mode="after")
    def _holds_one(self):
        if self.pitch > self.transit_time:
            raise ValueError("pitch is longer than transit_time: the conveyor would hold no body")
        if self.transit_time / self.pitch > MAX_CONVEYOR_BODIES:
            raise ValueError(
                f"transit_time / pitch is {self.transit_time / self.pitch:,.0f} bodies: a conveyor holds at most "
                f"{MAX_CONVEYOR_BODIES:,}; give a longer pitch than {format_duration(self.pitch)}")
        return self

    @property
    def capacity(self) -> int:
        """Bodies on the conveyor: transit_time / pitch, rounded to whole bodies."""
        return max(1, round(self.transit_time / self.pitch))

    @property
    def index_time(self) -> float:
        """The conveyor moves one position every transit_time / capacity seconds.

        Every body spends exactly transit_time on it (an oven's dwell is a process
        requirement); when transit_time is not a multiple of the pitch, the rate
        capacity / transit_time differs from 1 / pitch by less than half a body per transit.
        """
        return self.transit_time / self.capacity


MAX_EMPTY_CARRIERS = 10
"""At most this many empty carriers left at each colour change."""


class ColourChange(Model):
    """The cost of a colour change at a paint booth: a gun purge, empty carriers, or both."""
    purge: DurationOrZero = 0.0
    """Time the booth stands to purge and fill its guns before a body of another colour."""
    empty_carriers: int = Field(default=0, ge=0, le=MAX_EMPTY_CARRIERS)
    """Carriers left empty in front of a body of another colour (a conveyor or paced booth), each costing
    one body slot: the purge happens in the gap."""

    @model_validator(mode="after")
    def _costs_something(self):
        if self.purge == 0 and self.empty_carriers == 0:
            raise ValueError("a colour change costs a purge time, empty carriers, or both: give at least one")
        return self


class Station(Model):
    """A station: parallel servers, a cycle time per model, or a conveyor."""
    name: Name
    servers: int = Field(default=1, ge=1, le=MAX_PER_STATION)
    """Identical parallel servers (two framing jigs, three repair booths)."""
    cycle_time: PerModelTime | None = None
    """Seconds per car; one time, a distribution, or a mapping per model (key 'default' for the rest)."""
    conveyor: Conveyor | None = None
    scale_by_work_content: bool = True
    """Scale the default cycle time by each model's work_content factor."""
    operators: PerModelCount = Field(default_factory=lambda: {ALL_MODELS: 0.0})
    """Operators per server, one number or per model."""
    robots: int = Field(default=0, ge=0, le=MAX_PER_STATION)
    failures: Failures | None = None
    line: Name | None = None
    """Name of the paced line this station belongs to (consecutive stations)."""
    buffer_before: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    """Cars that can wait in front of this station; default: the shop's buffer_capacity."""
    off_line: bool = False
    """A repair station reached only through a quality loop."""
    labour_pool: Name | None = None
    """A shared labour pool (staffing.pools) the station draws operators from for each car."""
    pool_operators: int = Field(default=1, ge=1, le=MAX_PER_STATION)
    """Operators taken from the pool for each car."""
    when_short: Literal["wait", "slower"] = "wait"
    """With fewer pool operators free than needed: wait for all, or start with those free and work slower."""
    models: list[Name] | None = Field(default=None, min_length=1)
    """Only cars of these models visit the station (default: every model); the others pass it by
    (on a paced line they ride through its position without work)."""
    option: Name | None = None
    """Only cars carrying this option (product.options) visit the station."""
    colour_change: ColourChange | None = None
    """A paint booth: what each change of colour between consecutive bodies costs it."""

    @property
    def visited_by_all(self) -> bool:
        return self.models is None and self.option is None

    def time_for(self, model: "CarModel"):
        """(distribution, scale) of this station's cycle for a model: its own time unscaled,
        or the default scaled by the model's work_content (unless scale_by_work_content is off)."""
        if model.name in self.cycle_time:
            return self.cycle_time[model.name], 1.0
        return self.cycle_time[ALL_MODELS], (model.work_content if self.scale_by_work_content else 1.0)

    def operators_for(self, model: str) -> float:
        """Operators per server for a model."""
        return self.operators.get(model, self.operators.get(ALL_MODELS, 0.0))

    @model_validator(mode="after")
    def _time_or_conveyor(self):
        if (self.cycle_time is None) == (self.conveyor is None):
            raise ValueError("give a station either a cycle_time or a conveyor")
        if self.conveyor is not None and self.servers != 1:
            raise ValueError("a conveyor has no servers: its capacity is transit_time / pitch")
        if self.line is not None and (self.conveyor is not None or self.servers != 1 or self.off_line):
            raise ValueError("a station of a paced line has one server, a cycle_time and is not off_line")
        if self.labour_pool is not None and (self.line is not None or self.conveyor is not None):
            raise ValueError("only a free-flow station can draw operators from a labour pool")
        if self.colour_change is not None and self.colour_change.empty_carriers and self.line is None \
                and self.conveyor is None:
            raise ValueError("a free-flow booth has no carriers to leave empty: give its colour change a purge "
                             "time, or make it a conveyor or a paced-line station")
        if (self.line is not None or self.conveyor is not None) and self.failures is not None \
                and self.failures.clock != "operating":
            raise ValueError("failures of a paced-line station or a conveyor run on the line's running clock: "
                             "use clock: operating (the default)")
        return self


class OverCycle(Model):
    """What a paced line does when a car's work at a station (plus transfer) exceeds the takt.

    Without it the line stops until the work is done. ``zone``: each station's work zone is this many
    takts long, so an operator may drift into the next zone and finish late; the deficit carries to the
    next car and lighter cars win it back (the classic drift model); the line stops only when the
    deficit would run past the zone's end. ``floaters``: utility workers on each shift of the line's
    shop; a free floater takes an over-cycle car's excess (the deficit is cleared) for one takt; with
    none free the line stops (or drifts, where a zone allows).
    """
    zone: float = Field(default=1.0, ge=1.0, le=3.0)
    """Work zone length in takts (1: no drift, the line stops at every over-cycle)."""
    floaters: int = Field(default=0, ge=0, le=MAX_PER_STATION)
    """Utility workers of this line on each shift (counted in the headcount)."""


class Line(Model):
    """A paced line: its stations index together every takt."""
    takt: Duration | None = None
    """Index period; when a station's cycle plus transfer exceeds it, the line waits (over-cycle)."""
    transfer_time: DurationOrZero = 0.0
    """Time to move every car one station on, added to the slowest station's cycle."""
    over_cycle: OverCycle | None = None
    """Drift zones and floaters that absorb over-cycles (default: the line stops for each)."""

    @model_validator(mode="after")
    def _paced(self):
        if self.over_cycle is not None and self.takt is None:
            raise ValueError("over_cycle needs a takt: a line without one waits for its slowest station anyway")
        return self


class Rework(Model):
    """Where a share of the cars failing an inspection goes."""
    share: Share
    """Share of the failing (non-scrapped) cars taking this path; the shares sum to 1."""
    repair: Name | None = None
    """The off-line repair station, if any (spot repair, repair bay)."""
    reenter: Name
    """Station at which the car re-enters the flow (re-inspection, topcoat)."""


def _yield(value: float) -> float:
    if value < MIN_YIELD:
        raise ValueError(
            f"a first_pass_yield of {value:g} makes a rework loop that (practically) never ends: a car would "
            f"go round it {'forever' if value <= 0 else f'{1 / value:,.0f} times'} on average; "
            f"give at least {MIN_YIELD}")
    return value


class Quality(Model):
    """An inspection with its first-pass yield and where the failing cars go."""
    inspection: Name
    first_pass_yield: Annotated[float, Field(ge=0, le=1), AfterValidator(_yield)]
    scrap: Share = 0.0
    """Share of the inspected cars that are scrapped."""
    rework: list[Rework] = []

    @model_validator(mode="after")
    def _shares(self):
        if self.first_pass_yield + self.scrap > 1 + 1e-9:
            raise ValueError("first_pass_yield + scrap exceeds 1")
        failing = 1 - self.first_pass_yield - self.scrap
        if failing > 1e-9:
            if not self.rework:
                raise ValueError("cars fail the inspection (first_pass_yield + scrap < 1) but no rework path is given")
            total = sum(r.share for r in self.rework)
            if abs(total - 1) > 1e-6:
                raise ValueError(f"rework shares sum to {total:.6g}; they must sum to 1")
        return self


class Branch(Model):
    """One of the parallel routes of a parallel section: its stations in flow order."""
    name: Name
    models: list[Name] | None = Field(default=None, min_length=1)
    """The models this branch takes (default: every model); with rule by_model every branch names its models."""
    stations: list[Station] = Field(min_length=1)


class Parallel(Model):
    """A parallel section of a flow: the cars split over the branches by a rule and merge back after them."""
    parallel: Name
    """The section's name."""
    rule: Literal["alternate", "shortest_queue", "by_model"] = "shortest_queue"
    """alternate: strictly in turn (a car waits for its branch); shortest_queue: the branch with the fewest
    cars that has room; by_model: each model to the branch that names it."""
    branches: list[Branch] = Field(min_length=2)


def _flow_item(value) -> str:
    """A flow item is a parallel section when it says 'parallel', else a station."""
    if isinstance(value, Parallel) or (isinstance(value, dict) and "parallel" in value):
        return FLOW_TAGS[1]
    return FLOW_TAGS[0]


FLOW_TAGS = ("station spec", "parallel section")
FlowItem = Annotated[Annotated[Station, Tag(FLOW_TAGS[0])] | Annotated[Parallel, Tag(FLOW_TAGS[1])],
                     Discriminator(_flow_item)]
"""A station or a parallel section. The tags are not YAML keys, so an error's path skips them."""


class Feeder(Model):
    """A sub-line beside the main flow whose parts are fitted to the cars at one station (the join).

    Its parts are built in the cars' sequence (a part for each car, called off when the car is done
    at ``called_off_at``), built to stock (common parts, as long as the buffer at the join has room),
    or they are the car's own parts, taken off at ``taken_off_at`` and refitted to the same car at the join.
    """
    joins: Name
    """The station that fits this feeder's part: a station of the main flow, or of another feeder."""
    built: Literal["in_sequence", "to_stock"] = "in_sequence"
    called_off_at: Name | None = None
    """In sequence: a car done at this main-flow station orders its part (default: the shop's first station)."""
    taken_off_at: Name | None = None
    """The car's own part (doors) comes off at this main-flow station (when the car is done there) and must
    come back to the same car."""
    buffer: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    """Parts waiting at the join; default: the shop's buffer_capacity."""
    shifts: Shifts | None = None
    """The feeder's own shift pattern (a sub-line building ahead on an extra shift); default: the shop's."""
    stations: list[Station] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_supply(self):
        if self.taken_off_at is not None and (self.built != "in_sequence" or self.called_off_at is not None):
            raise ValueError("a feeder of the car's own parts (taken_off_at) is neither built to stock nor called off")
        if self.built == "to_stock" and self.called_off_at is not None:
            raise ValueError("a feeder built to stock is not called off: drop called_off_at or build in_sequence")
        return self

    @property
    def supply(self) -> str:
        """in_sequence, to_stock or own_part."""
        return "own_part" if self.taken_off_at is not None else self.built


class Maintenance(Model):
    """Planned maintenance in the hours the shop does not produce.

    A repair still running when the day's last shift ends goes on in the maintenance window after
    it (``between_days``, and ``days_off`` on each non-working day that follows); when it is done
    there, the next shift starts with the station up. ``preventive``: every station is serviced in
    each window, so its time to the next failure starts afresh.
    """
    between_days: DurationOrZero = 0.0
    """Maintenance hours after the last shift of each working day (the non-production shift)."""
    days_off: DurationOrZero = 0.0
    """Maintenance hours on each non-working day (weekend, holiday)."""
    preventive: bool = False

    @model_validator(mode="after")
    def _fits(self):
        if self.between_days > 86400 or self.days_off > 86400:
            raise ValueError("a maintenance window is at most 24 h a day")
        return self


class Shop(Model):
    """A shop: its shifts, its main flow of stations in order, and the feeders beside it."""
    shifts: Shifts
    buffer_capacity: int = Field(default=1, ge=0, le=MAX_CAPACITY)
    """Default cars waiting between consecutive stations of this shop."""
    lines: dict[Name, Line] = {}
    """The shop's paced lines, of the main flow and of its feeders."""
    stations: list[FlowItem] = Field(min_length=1)
    """The main flow in order: stations, and parallel sections."""
    feeders: dict[Name, Feeder] = {}
    quality: Quality | None = None
    maintenance: Maintenance | None = None


MAX_LANES = 1_000
"""At most this many lanes in a sorting store."""


class Sort(Model):
    """How a sorting store chooses the next car for the shop behind it (``sim.model.sorting``).

    The store is ``lanes`` lanes of ``lane_depth`` cars; each lane is first in, first out, and the
    store releases one of the lanes' heads each time the next shop takes a car.

    ``by: colour`` (a WBS in front of paint) builds colour blocks: a body joins a lane whose last
    body has its colour, else an empty lane, else the lane whose last body's colour has the fewest
    bodies in the store. The store releases, in this order: the body that has waited ``max_wait``
    (oldest first); the colour of the running block while a lane head has it and the block is
    shorter than ``max_block``; else the colour that makes the longest block now.
    ``by: sequence`` (a PBS in front of assembly) restores the planned (launch) order: the head with
    the smallest launch number goes next; a car joins the lane whose last car is the latest launched
    before it, else an empty lane, else the lane whose last car is the earliest launched.
    ``by: levelled`` builds a new levelled order: cars join lanes by variant (model and options) as
    bodies do by colour, and the launch's sequencer (goal chasing, keeping ``product.spacing``)
    chooses the lane head that levels the mix best.
    """
    by: Literal["colour", "sequence", "levelled"]
    """colour: colour blocks for the paint shop; sequence: the planned order for assembly; levelled: a new
    levelled order for assembly."""
    lanes: int = Field(ge=1, le=MAX_LANES)
    """Parallel lanes (1 to 1,000)."""
    lane_depth: int = Field(ge=1, le=MAX_CAPACITY)
    """Cars each lane holds; the store holds lanes x lane_depth."""
    max_block: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    """by colour: the longest block the store builds (cars of one colour in a row); none: no limit.
    A block runs on past it only when the store holds no other colour."""
    max_wait: Duration | None = None
    """by colour: a body that has waited this long goes next, oldest first; counted in the shift time of
    the shop the store feeds (nights and breaks do not count); none: no limit."""

    @model_validator(mode="after")
    def _fits(self):
        if self.lanes * self.lane_depth > MAX_CAPACITY:
            raise ValueError(f"{self.lanes} lanes x {self.lane_depth} deep = {self.lanes * self.lane_depth:,} cars: "
                             f"a store holds at most {MAX_CAPACITY:,}")
        if self.by != "colour":
            given = [k for k in ("max_block", "max_wait") if getattr(self, k) is not None]
            if given:
                raise ValueError(f"{' and '.join(given)} {'apply' if len(given) > 1 else 'applies'} to by: colour "
                                 f"only (a colour-blocking store); by: {self.by} releases "
                                 + ("by launch number" if self.by == "sequence" else "as the sequencer levels"))
        return self


class Store(Model):
    """A named store between a shop and the next (WBS, PBS): first in, first out, or sorting (``sort``)."""
    name: Name
    after: Name
    """The shop that feeds it; the next shop in flow order takes from it."""
    capacity: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    """Cars the store holds; with ``sort`` it is lanes x lane_depth (give it or leave it out)."""
    sort: Sort | None = Field(default=None, exclude_if=lambda sort: sort is None)
    """Lanes that re-sequence the cars (colour blocks, the planned order); none: first in, first out.
    Left out of the resolved scenario when absent, so stores without it keep their summary."""

    @model_validator(mode="after")
    def _capacity(self):
        if self.sort is None:
            if self.capacity is None:
                raise ValueError("give the store a capacity (cars it holds), or a sort with lanes and lane_depth")
            return self
        lanes = self.sort.lanes * self.sort.lane_depth
        if self.capacity is None:
            object.__setattr__(self, "capacity", lanes)  # frozen: filled once, here, before anyone reads it
        elif self.capacity != lanes:
            raise ValueError(f"capacity {self.capacity} does not match the sort: {self.sort.lanes} lanes x "
                             f"{self.sort.lane_depth} deep = {lanes} cars; give capacity {lanes} or leave it out")
        return self


class IndirectRole(Model):
    """Indirect staff of a role, sized by one basis (a ratio or a fixed number)."""
    role: Name
    """maintenance, quality, logistics, supervision, engineering, administration, ..."""
    shop: Name | None = None
    """The shop it serves; none: the whole plant (counted under 'plant', on the day shift)."""
    per_robot: float | None = Field(default=None, gt=0, le=1000)
    per_station: float | None = Field(default=None, gt=0, le=1000)
    per_direct: float | None = Field(default=None, gt=0, le=1000)
    """Per direct operator of the shop (or plant) and shift."""
    per_1000_units: float | None = Field(default=None, gt=0, le=1000)
    """Per 1,000 cars of the annual target (logistics, kit handling)."""
    fixed: float | None = Field(default=None, gt=0, le=100_000)
    shifts: Literal["each", "day"] = "each"
    """Staffed on every shift of its shop, or on the day shift only."""

    @model_validator(mode="after")
    def _one_basis(self):
        given = [k for k in ("per_robot", "per_station", "per_direct", "per_1000_units", "fixed")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of per_robot, per_station, per_direct, per_1000_units, fixed"
                             + (f" (got {', '.join(given)})" if given else ""))
        return self


class LabourPool(Model):
    """Operators shared by several stations of a shop (repair team, floaters, spot-repair crew)."""
    name: Name
    shop: Name
    size: Annotated[int, Field(ge=0, le=MAX_POOL)] | list[Annotated[int, Field(ge=0, le=MAX_POOL)]]
    """Operators on each shift: one number, or a list with one number per shift of the shop."""

    def size_on(self, shift: int) -> int:
        return self.size if isinstance(self.size, int) else self.size[shift]


class Benchmark(Model):
    """A public figure to show beside the model's headcount (with its source)."""
    label: str
    headcount: int | None = Field(default=None, gt=0, le=MAX_UNITS)
    hours_per_vehicle: float | None = Field(default=None, gt=0, le=100_000)
    vehicles_per_employee_year: float | None = Field(default=None, gt=0, le=100_000)
    source: str = ""


class StaffingOptions(Model):
    """What `sim staff` may change in its search for the smallest headcount that meets the target."""
    shifts: dict[Name, list[Annotated[int, Field(ge=1, le=4)]]] = {}
    """Shift counts allowed per shop."""
    takt: dict[Name, list[Duration]] = {}
    """Takts allowed per paced line, keyed 'shop.line'."""
    pools: dict[Name, list[Annotated[int, Field(ge=0, le=MAX_POOL)]]] = {}
    """Sizes allowed per labour pool (the same on every shift)."""


class Staffing(Model):
    """How the plant is staffed: crews come from the stations, the rest from these ratios."""
    crew_sizing: Literal["most_demanding", "mix_average"] = "most_demanding"
    """Crew of a station: sized for the most demanding model in the mix, or the mix average (rounded up)."""
    absenteeism: float = Field(default=0.0, ge=0, le=0.5)
    """Share of paid staff absent on a working day (leave, sickness): covered by an absence reserve."""
    team_leader_span: int | None = Field(default=None, ge=1, le=MAX_PER_STATION)
    """One team leader per this many direct operators of a shop and shift (rounded up)."""
    paid_hours_per_shift: Duration = 8 * 3600.0
    indirect: list[IndirectRole] = []
    pools: list[LabourPool] = []
    benchmarks: list[Benchmark] = []
    options: StaffingOptions = StaffingOptions()


class Target(Model):
    annual_units: int = Field(gt=0, le=MAX_UNITS)
    export_share: Share | None = None


_FOLDER_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,79}")


def _folder_name(value):
    """A scenario name is a folder name under results/: no path separator, no '..', no leading dot."""
    if not isinstance(value, str):
        raise ValueError(f"a name is text, got {shown(value)}")
    if not _FOLDER_NAME.fullmatch(value):
        raise ValueError(f"{shown(value)} cannot name the results folder results/<name>/: use 1 to 80 letters, "
                         "digits, '_', '-' and '.', not starting with '.' (so no '/', '..', spaces or control characters)")
    return value


# ---- outbound (issue 11)

MAX_CARRIER_CARS = 1_000
"""At most this many cars on one truck or in one rail wagon."""
DOMESTIC = "domestic"
"""The market of the cars that leave by truck; no train destination may take its name."""


class Yard(Model):
    """The finished-car yard: a car that leaves the end of line parks here until its truck or train takes it.

    A full yard blocks the end of line: the last station holds its finished car until a shipment frees a place."""
    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    """Parking places for finished cars (1 to 1,000,000)."""


class Trucks(Model):
    """Car carriers that take the domestic cars, on each working day of the calendar.

    A truck takes up to ``cars_per_truck`` domestic cars, those that reached the yard first first. Loading takes
    no time: the cars leave the yard at the truck's time."""
    per_day: int = Field(ge=1, le=MAX_CAPACITY)
    """Car carriers a working day."""
    cars_per_truck: int = Field(ge=1, le=MAX_CARRIER_CARS)
    at: list[ClockTime] = Field(default=[], max_length=1_000)
    """Loading times ("HH:MM"); the day's trucks are shared out over them, the earlier times taking one more when
    they do not divide evenly. None given: one truck at a time, spread evenly over the first shift of the last shop
    (truck k of n at start + (k + 1/2) x shift length / n)."""

    @model_validator(mode="after")
    def _times(self):
        if len(self.at) > self.per_day:
            raise ValueError(f"{len(self.at)} loading times for {self.per_day} trucks a day: give at most per_day "
                             "times")
        if len(set(self.at)) != len(self.at):
            raise ValueError("loading times repeat: give each time once (several trucks may leave at one time)")
        return self


Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Train(Model):
    """The trains of one export destination: wagons of finished cars, on calendar days (holidays included).

    Each export car is given its destination when it reaches the yard, drawn by the shares (of its model);
    a train takes up to wagons x cars_per_wagon cars of its destination, those that reached the yard first
    first. Loading takes no time."""
    name: Name
    """The destination (a country, a city): names its trains, as a variant or ``--set`` names them
    (``outbound.trains[Russia].per_week``)."""
    share: Share | dict[Name, Share]
    """Share of the export cars going to this destination: one number, or per model with 'default' for the
    models not named. Each model's shares over the destinations sum to 1."""
    cars_per_wagon: int = Field(ge=1, le=MAX_CARRIER_CARS)
    wagons: int = Field(ge=1, le=MAX_CAPACITY)
    """Wagons of finished cars per train."""
    per_week: float | None = Field(default=None, gt=0, le=7 * 24)
    """Trains a week, evenly spaced from the first day (every 7 / per_week days); or give ``weekdays``."""
    weekdays: list[Weekday] | None = Field(default=None, min_length=1, max_length=7)
    """The weekdays with a train (one train each); per_week is then their number. A calendar given as a count of
    working days reckons weekdays from its start_date. (Not 'on': YAML reads a bare on as true.)"""
    at: ClockTime = 12 * 3600.0
    """The time of day a train is due ("HH:MM")."""
    delay: TimeSpec | None = None
    """How late a train comes after its time (a distribution); none: every train on time."""
    cancelled: Share = 0.0
    """Chance that a train does not come at all (its cars wait for the next)."""

    @model_validator(mode="after")
    def _schedule(self):
        if self.weekdays is None:
            if self.per_week is None:
                raise ValueError("give per_week (trains a week, evenly spaced) or weekdays (the days with a train)")
            return self
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError(f"weekdays repeat: {shown(self.weekdays)}")
        if self.per_week is not None and self.per_week != len(self.weekdays):
            raise ValueError(f"per_week {self.per_week:g} but {len(self.weekdays)} weekdays: leave per_week out "
                             "(one train on each weekday given)")
        return self

    @property
    def cars_per_train(self) -> int:
        return self.wagons * self.cars_per_wagon

    def share_for(self, model: str) -> float:
        """Share of a model's export cars that go to this destination."""
        if isinstance(self.share, dict):
            return self.share.get(model, self.share.get("default", 0.0))
        return self.share


class Outbound(Model):
    """From the end of line to the customer: the finished-car yard, trucks for the domestic cars, trains for the
    export cars (``sim.model.outbound``). Without it a car leaves the plant at the end of line."""
    yard: Yard
    trucks: Trucks | None = None
    """Without trucks the domestic cars stay in the yard."""
    trains: list[Train] = Field(default=[], max_length=100)
    """One entry per export destination; none: the export cars stay in the yard."""

    @model_validator(mode="after")
    def _destinations(self):
        names = [t.name for t in self.trains]
        if len(set(names)) != len(names):
            raise ValueError(f"destinations repeat: {shown(names, 300)}; give each destination once")
        if DOMESTIC in names:
            raise ValueError(f"{DOMESTIC!r} names the cars that leave by truck: give the train destination another "
                             "name")
        return self


# ---- learning curves (issue 11)

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


class ShopLearning(Model):
    """A shop's learning curves (``sim.model.learning``): its cycle times, first-pass yield and failure rate
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

    @model_validator(mode="after")
    def _some_curve(self):
        if self.cycle_time is None and self.first_pass_yield is None and self.failures is None:
            raise ValueError("give at least one curve: cycle_time, first_pass_yield or failures")
        return self


# ---- kit supply (issue 11)

LAUNCH = "launch"
"""The consumption point of the kits taken when a car is launched (``Kit.taken_at``)."""
MAX_KITS = 1_000_000
"""At most this many kits in a lot or a container, or containers on one departure."""
MONTH_DAYS = 365.25 / 12
"""Days of an average calendar month: route disruptions are given per month."""
DAY_SECONDS = 86400.0


class Departures(Model):
    """When a route dispatches: every ``every`` from ``first``, in calendar time from the start of the run (nights,
    weekends and holidays included: trains and trucks run on their own timetable)."""
    every: Duration
    """Time between departures, e.g. 7 d for a weekly train."""
    first: DurationOrZero = 0.0
    """The first departure, after the start of the run (default: at the start)."""


class BorderDelay(Model):
    """Rare long delays of a shipment on its way (a border crossing's backlog): each shipment is held, with
    ``chance``, for ``time`` more than its lead time."""
    chance: Share
    """Chance that a shipment is delayed (0 to 1)."""
    time: TimeSpec
    """How long a delayed shipment is held (a time or a distribution)."""


class Disruptions(Model):
    """Stops of a route (a shortage at the supplier, a closed crossing): no departure while the route is stopped;
    what was ordered waits for the first departure after. Stops start at random (a Poisson process with
    ``per_month`` stops a calendar month on average) and last ``length``."""
    per_month: float = Field(gt=0, le=30)
    """Stops a calendar month on average (0.03: a 3% chance in a month)."""
    length: TimeSpec
    """How long a stop lasts (a time or a distribution)."""


class Route(Model):
    """How kits come to the plant: a shipment leaves at each departure with what was ordered and has not left
    yet (up to ``containers``), and arrives at the plant's warehouse a lead time later (one draw per departure:
    the kits of one train arrive together)."""
    lead_time: TimeSpec
    """Departure to the plant's warehouse: a time or a distribution (a normal is truncated at its low, default 0)."""
    departures: Departures
    containers: int | None = Field(default=None, ge=1, le=MAX_KITS)
    """Containers one departure carries at most (a train's capacity); each container holds kits of one kit and
    model; the rest waits for the next departure. None: no limit."""
    border_delay: BorderDelay | None = None
    """Rare long delays of single shipments on top of the lead time."""
    disruptions: Disruptions | None = None
    """Stops of the route: no departures while stopped."""
    local: bool = False
    """Parts sourced in the country (localisation): their value counts as local in the localisation share."""

    @property
    def mean_lead_days(self) -> float:
        """Mean days from departure to arrival: the lead time's mean (a truncated normal: its mean before
        truncation) plus the expected border delay (chance x mean delay)."""
        delay = self.border_delay.chance * self.border_delay.time.mean if self.border_delay else 0.0
        return (self.lead_time.mean + delay) / DAY_SECONDS

    @property
    def mean_wait_days(self) -> float:
        """Mean days an order waits for the next departure: half the interval between departures."""
        return self.departures.every / 2 / DAY_SECONDS


class OrderPolicy(Model):
    """How a kit is ordered, for each model apart. The inventory position is what is on hand plus what was
    ordered and has not arrived (waiting for a departure or on its way).

    ``periodic``: every ``every`` (from the start of the run) an order brings the position up to the order-up-to
    level S, rounded up to whole lots. ``reorder_point``: when a car takes a kit and the position falls to the
    reorder point s or below, whole orders of ``lot_count`` lots are placed to bring it above s. Levels are in
    days of cover at the plan rate (``Kit``); by default S = rate x (every + L + W) + safety stock and
    s = rate x (L + W) + safety stock, with L the route's mean lead time (border delays included) and W the mean
    wait for a departure (half its interval), both in calendar days turned into working days (x working days a
    year / 365). Under a monthly plan the rate is that of the month in which an order placed now would arrive
    (now + L + W): a review orders up to that month's S; the reorder point becomes the next month's s when an
    order placed then would arrive in it, and orders at once if the position is at or below it."""
    policy: Literal["periodic", "reorder_point"]
    every: Duration | None = None
    """periodic: the review interval, e.g. 7 d."""
    up_to: DurationOrZero | None = None
    """periodic: the order-up-to level S in days of cover (e.g. 30 d) instead of the default."""
    reorder_at: DurationOrZero | None = None
    """reorder_point: the reorder point s in days of cover instead of the default."""
    lot_count: int | None = Field(default=None, ge=1, le=10_000)
    """reorder_point: lots in one order (the order quantity Q = lot_count x lot; default 1)."""

    @model_validator(mode="after")
    def _fits_policy(self):
        if self.policy == "periodic":
            if self.every is None:
                raise ValueError("a periodic policy orders every review interval: give every (e.g. 7 d)")
            wrong = [k for k in ("reorder_at", "lot_count") if getattr(self, k) is not None]
            other = "reorder_point"
        else:
            wrong = [k for k in ("every", "up_to") if getattr(self, k) is not None]
            other = "periodic"
        if wrong:
            raise ValueError(f"{' and '.join(wrong)} {'belong' if len(wrong) > 1 else 'belongs'} to policy {other}, "
                             f"not {self.policy}")
        return self


class Handling(Model):
    """The CKD logistics work a kit makes at the plant: unpacking containers, sorting and sequencing the parts,
    delivering them to the line. Sized from the plan rate into heads per shift of the consuming shop."""
    per_container: DurationOrZero = 0.0
    """Work per container received (unstuffing, checking, moving the racks)."""
    per_kit: DurationOrZero = 0.0
    """Work per kit (unpacking, sorting, sequencing, line-side delivery)."""


KitsPerContainer = per_model(Annotated[int, Field(ge=1, le=MAX_KITS)])


class Kit(Model):
    """A kit of parts each car of its models needs at one point of the plant: the body kit at launch, the trim
    and powertrain kits as the body enters assembly, the local parts there too. A car waits where its kits
    are taken until every kit it needs there is on hand.

    Stock is kept per model. The plan rate of a model is target.annual_units x the model's share / working
    days a year (kits per working day); days of cover are the stock over that rate. With a monthly ``plan`` the
    rate of a planned month is its volume x the model's share in its mix (else the product's) / the month's
    working days (a month the plan does not list: the target's), and stock is ordered for the plan
    (``OrderPolicy``); cover is judged at the rate of the day's month."""
    route: Name
    """The route (``supply.routes``) the kit comes by."""
    taken_at: Name = LAUNCH
    """Where a car takes the kit: launch (the car waits to be launched), or the name of a later shop (the car
    waits at the shop's entry, after the store in front of it)."""
    models: list[Name] | None = Field(default=None, min_length=1)
    """The models that need the kit (default: every model)."""
    per_container: KitsPerContainer
    """Kits in one container: a number, or per model ({Tiggo 7: 8, default: 12})."""
    lot: int = Field(default=1, ge=1, le=MAX_KITS)
    """Kits are ordered in whole lots (CKD lots of 12, 24, 96 cars)."""
    order: OrderPolicy
    safety_stock: DurationOrZero = 0.0
    """Days of cover held on top of the pipeline, written as a duration (10 d: ten working days at the plan rate;
    under a monthly plan, at the rate of the month an order arrives in)."""
    initial: DurationOrZero | None = None
    """Days of cover on hand at the start of the run (under a monthly plan, at the first month's rate); default:
    the order-up-to level (periodic) or the reorder point plus one order (reorder_point), as an order placed at
    the start would have them."""
    value: float | None = Field(default=None, ge=0, le=1e9)
    """Money per kit (the inventory value; the localisation share by value when every kit gives one)."""
    handling: Handling | None = None
    """The CKD logistics work this kit makes, counted in the staffing report."""

    def covers(self, model: str) -> bool:
        return self.models is None or model in self.models

    def per_container_for(self, model: str) -> int:
        return self.per_container.get(model, self.per_container.get(ALL_MODELS))


class Supply(Model):
    """Kit supply (``sim.model.supply``): the kits each car needs, where it takes them, and the routes,
    orders and stocks that bring them."""
    look_ahead: int = Field(default=0, ge=0, le=100)
    """The launch may pass over up to this many planned cars whose launch kits are missing and launch the next
    one whose kits are there (the sequence changes; counted as moved launches); 0: the launch waits."""
    routes: dict[Name, Route] = Field(min_length=1)
    kits: dict[Name, Kit] = Field(min_length=1)


# ---- ramp-up and monthly plan (issue 11)

MAX_LINE_SPEED = 1.5
"""The fastest a ramp-up may run the paced lines: 1.5 x their design rate."""
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
    line_speed: float | None = Field(default=None, gt=0, le=MAX_LINE_SPEED)
    """Share of the design rate of every paced line and conveyor, above 0 and at most 1.5 (0.5: half speed).
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
    shifts run, line speed and a cap on launches (``sim.model.ramp``)."""
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
    """Extra working time the plant may use when it is behind its plan (``sim.model.overtime``), within limits
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
    """The monthly production plan (``sim.model.ramp``): cars to build per calendar month and their mix.

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


class Scenario(Model):
    """A plant scenario."""
    extends: str | None = None
    """The scenario file this one overrides (resolved when the file is loaded)."""
    name: Annotated[str, BeforeValidator(_folder_name)]
    """Names the results folder results/<name>/: letters, digits, '_', '-' and '.', not starting with '.'."""
    description: str = ""
    seed: int = Field(default=1, ge=0, lt=2**63)
    calendar: Calendar = Calendar()
    horizon: Horizon
    product: Product
    launch: Launch | None = None
    shops: dict[Name, Shop] = Field(min_length=1)
    stores: list[Store] = []
    staffing: Staffing = Staffing()
    target: Target
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

    @property
    def model_names(self) -> list[str]:
        return [m.name for m in self.product.models]


__all__ = [
    "Branch", "Break", "Calendar", "CarModel", "Colour", "ColourChange", "Conveyor", "Failures", "Feeder", "Horizon",
    "Launch", "Line", "OverCycle",
    "Maintenance", "Option", "Overtime", "Parallel",
    "Benchmark", "IndirectRole", "LabourPool", "Product", "Quality", "Rework", "Scenario", "Shifts", "Shop",
    "Staffing", "StaffingOptions", "Station", "Store", "Target",
    "Outbound", "Train", "Trucks", "Yard",
    "LearningCurve", "ShopLearning", "YieldLearning",
    "BorderDelay", "Departures", "Disruptions", "Handling", "Kit", "OrderPolicy", "Route", "Supply",
    "Plan", "PlannedVolume", "RampMonth", "RampUp",
    "parse_duration",
]
