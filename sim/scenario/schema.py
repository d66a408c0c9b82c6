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
                    format_duration, parse_duration)

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

    @property
    def model_names(self) -> list[str]:
        return [m.name for m in self.product.models]


__all__ = [
    "Branch", "Break", "Calendar", "CarModel", "Colour", "ColourChange", "Conveyor", "Failures", "Feeder", "Horizon",
    "Launch", "Line", "OverCycle",
    "Maintenance", "Option", "Parallel",
    "Benchmark", "IndirectRole", "LabourPool", "Product", "Quality", "Rework", "Scenario", "Shifts", "Shop",
    "Staffing", "StaffingOptions", "Station", "Store", "Target",
    "parse_duration",
]
