"""A shop and everything in it (``shops.<name>``): its shift pattern and breaks, the stations of its main
flow (servers, cycle times, conveyors, failures, paint booths' colour changes), paced lines, parallel
sections, feeders, the quality gate with its rework paths, and planned maintenance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, ValidationInfo, field_validator, model_validator

from ..units import (ALL_MODELS, DAY, MAX_PER_STATION, Duration, DurationOrZero, PerModelCount, PerModelTime,
                     TimeSpec, fits_in_a_day, format_duration)
from .common import MAX_CAPACITY, MAX_CONVEYOR_BODIES, ClockTime, Model, Name, Share, _yield

if TYPE_CHECKING:
    from .product import CarModel


class Break(Model):
    """A pause of every shift: no station of the shop works during it."""
    after: DurationOrZero
    """Time from the start of the shift to the start of the break."""
    length: Duration
    """Length of the break (e.g. 30 min); it must end within the shift."""


class Shifts(Model):
    """A shop's shift pattern on each working day."""
    count: int = Field(ge=1, le=4)
    """Shifts on each working day (1 to 4), back to back from start; together they must fit in 24 h."""
    start: ClockTime = 6 * 3600.0
    """Start of the first shift (\"HH:MM\"); later shifts follow back to back."""
    length: Duration = 8 * 3600.0
    """Length of one shift including its breaks."""
    breaks: list[Break] = []
    """The pauses of every shift (meal and rest breaks); none: no breaks."""
    runs_through_breaks: bool = False
    """The lines keep running through the breaks, staffed by relief operators who cover them."""

    @model_validator(mode="after")
    def _fits(self):
        if not fits_in_a_day(self.count, self.length):
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


class Stoppage(Model):
    """How often something stops and how long it stands: its frequency as mtbf (exponential) or time_between, its
    repair as mttr (exponential) or time_to_repair (lognormal, weibull, empirical for a long tail)."""
    mtbf: Duration | None = None
    """Mean time between failures (exponential, e.g. 6 h); or give time_between."""
    mttr: Duration | None = None
    """Mean time to repair (exponential, e.g. 10 min); or give time_to_repair."""
    time_between: TimeSpec | None = None
    """Time between failures as a time or a distribution, instead of mtbf."""
    time_to_repair: TimeSpec | None = None
    """Repair time as a time or a distribution (lognormal, weibull, empirical for a long tail), instead of mttr."""

    @model_validator(mode="after")
    def _one_form(self):
        _one_form(self)
        return self

    @property
    def between(self):
        from ..units import Exponential
        return self.time_between or Exponential(dist="exponential", mean=self.mtbf)

    @property
    def repair(self):
        from ..units import Exponential
        return self.time_to_repair or Exponential(dist="exponential", mean=self.mttr)

    @property
    def downtime_ratio(self) -> float:
        """Mean repair / mean time between: its down time per unit of up time."""
        return self.repair.mean / self.between.mean


def _one_form(spec) -> None:
    """A stoppage gives its frequency as mtbf or time_between, and its repair as mttr or time_to_repair."""
    if (spec.mtbf is None) == (spec.time_between is None):
        raise ValueError("give how often it stops: mtbf (exponential) or time_between (a time or a distribution), "
                         "one of them")
    if (spec.mttr is None) == (spec.time_to_repair is None):
        raise ValueError("give how long it stands: mttr (exponential) or time_to_repair (a time or a distribution), "
                         "one of them")


def _unique_names(items: list, what: str) -> list:
    names = [item.name for item in items]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise ValueError(f"{what} named {', '.join(map(repr, twice))} more than once: each needs its own name")
    return items


class FailureMode(Stoppage):
    """One cause of a station's stops (short stops, breakdowns, a major failure): its own frequency and repair."""
    name: Name
    """The mode's name (short stops, breakdowns, major): its rows in downtime.csv and its random streams."""


class Failures(Stoppage):
    """Breakdowns: MTBF/MTTR (exponential) or explicit distributions, or several modes.

    ``modes``: independent causes that race (competing risks): each has its own clock to failure, the
    first to run out stops the station for that mode's repair, and every clock stands during a repair.
    ``clock: operating`` counts time to failure only while the station works
    (in a paced line: while the line runs); ``calendar`` counts all shift time.
    """
    modes: list[FailureMode] | None = Field(default=None, min_length=1, max_length=20)
    """Several failure modes (1 to 20), each with a name, a frequency and a repair; give them instead of the
    single form's mtbf/mttr or time_between/time_to_repair."""
    clock: Literal["operating", "calendar"] = "operating"
    """operating: the time to failure counts only while the station works (on a paced line or a conveyor, while it
    runs; these must use operating); calendar: it counts all shift time, idle or not."""

    @field_validator("modes")
    @classmethod
    def _named_once(cls, modes):
        return modes if modes is None else _unique_names(modes, "failure modes")

    @model_validator(mode="after")
    def _one_form(self):
        if self.modes is None:
            _one_form(self)
        elif any(v is not None for v in (self.mtbf, self.mttr, self.time_between, self.time_to_repair)):
            raise ValueError("give either modes or the single form (mtbf or time_between, and mttr or "
                             "time_to_repair), not both")
        return self

    @property
    def downtime_ratio(self) -> float:
        """Mean repair / mean time between, summed over the modes (competing risks: the station's down time per unit
        of up time); its inherent availability is 1 / (1 + this)."""
        if self.modes is None:
            return super().downtime_ratio
        return sum(mode.downtime_ratio for mode in self.modes)


class Outage(Stoppage):
    """A stoppage of many stations at once (an oven trip, a conveyor chain break, a power cut): every station it
    covers is down (state down) for the whole outage; stations it does not cover starve or block through the flow.
    Its times are in the shop's shift time: an outage left at the end of a shift goes on at the next."""
    name: Name
    """The outage's name (oven trip, power): its row in downtime.csv and its random streams."""
    covers: list[Name] | None = Field(default=None, min_length=1)
    """The stations and paced lines it stops, by name (a paced line or conveyor stops whole); none: every station
    of the shop (a feeder on its own shifts excepted)."""


class RunIn(Model):
    """The loss after each shift start: the lines run at ``rate`` of their speed for ``length``, counted as the
    equivalent stand at the start of the shift, length x (1 - rate), in state down."""
    length: Duration
    """How long after each shift start the covered stations run slower (e.g. 20 min); within the shift."""
    rate: float = Field(ge=0, lt=1)
    """Their speed meanwhile as a share of the full speed (0: they stand; below 1)."""
    covers: list[Name] | None = Field(default=None, min_length=1)
    """The stations and paced lines it slows, by name; none: every station of the shop (a feeder on its own shifts
    excepted)."""

    @property
    def lost(self) -> float:
        """Seconds lost at each shift start: length x (1 - rate)."""
        return self.length * (1.0 - self.rate)


class Conveyor(Model):
    """A conveyor station (ED tank, oven, flash-off): bodies ride through at a fixed pitch."""
    transit_time: Duration
    """Time every body spends on the conveyor, entry to exit (an oven's dwell, e.g. 40 min); at least the pitch."""
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
    """The station's name (1 to 80 characters), as quality loops, feeders, --set and the reports name it."""
    servers: int = Field(default=1, ge=1, le=MAX_PER_STATION)
    """Identical parallel servers (two framing jigs, three repair booths)."""
    cycle_time: PerModelTime | None = None
    """Seconds per car; one time, a distribution, or a mapping per model (key 'default' for the rest)."""
    conveyor: Conveyor | None = None
    """Makes the station a conveyor (ED tank, oven, flash-off) with a transit time and a pitch; give a conveyor or a
    cycle_time."""
    scale_by_work_content: bool = True
    """Scale the default cycle time by each model's work_content factor."""
    operators: PerModelCount = Field(default_factory=lambda: {ALL_MODELS: 0.0})
    """Operators per server, one number or per model."""
    robots: int = Field(default=0, ge=0, le=MAX_PER_STATION)
    """Robots at each server (0 to 1,000): counted for indirect staff sized per robot (maintenance); the cycle time
    already includes their work."""
    failures: Failures | None = None
    """Breakdowns of the station: MTBF and MTTR, distributions, or several modes; none: it never fails."""
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


class Quality(Model):
    """An inspection with its first-pass yield and where the failing cars go."""
    inspection: Name
    """The inspection station of the shop's main flow: each car done there passes, is scrapped or goes to rework."""
    first_pass_yield: Annotated[float, Field(ge=0, le=1), AfterValidator(_yield)]
    """Share of the inspected cars that pass first time, 0.01 to 1 (below 0.01 a rework loop would practically never
    end)."""
    scrap: Share = 0.0
    """Share of the inspected cars that are scrapped."""
    rework: list[Rework] = []
    """Where the failing cars go, with shares summing to 1; needed when first_pass_yield + scrap is below 1."""

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
    """The branch's name (1 to 80 characters)."""
    models: list[Name] | None = Field(default=None, min_length=1)
    """The models this branch takes (default: every model); with rule by_model every branch names its models."""
    stations: list[Station] = Field(min_length=1)
    """The branch's stations in flow order (at least one)."""


class Parallel(Model):
    """A parallel section of a flow: the cars split over the branches by a rule and merge back after them."""
    parallel: Name
    """The section's name."""
    rule: Literal["alternate", "shortest_queue", "by_model"] = "shortest_queue"
    """alternate: strictly in turn (a car waits for its branch); shortest_queue: the branch with the fewest
    cars that has room; by_model: each model to the branch that names it."""
    branches: list[Branch] = Field(min_length=2)
    """The parallel routes the cars split over (at least two), each with its stations."""


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
    """in_sequence: one part for each car, called off when the car is done at called_off_at; to_stock: common parts,
    built while the buffer at the join has room."""
    called_off_at: Name | None = None
    """In sequence: a car done at this main-flow station orders its part (default: the shop's first station)."""
    taken_off_at: Name | None = None
    """The car's own part (doors) comes off at this main-flow station (when the car is done there) and must
    come back to the same car."""
    buffer: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    """Parts waiting at the join; default: the shop's buffer_capacity."""
    carriers: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    """Only with taken_off_at: the carriers of the own-part line (a doors conveyor's hangers). One is taken as a car's
    part comes off and freed when it is refitted at the join; with all in use, the station or paced line taking the
    parts off stands with its car (counted as waiting on a feeder, state feeder) until one comes back. More than the
    cars the paced lines between the take-off and the join hold with their parts out when the flow stands (the
    loader names the fewest). Default: no limit, the parts taken off never stop the main flow."""
    shifts: Shifts | None = None
    """The feeder's own shift pattern (a sub-line building ahead on an extra shift); default: the shop's."""
    stations: list[Station] = Field(min_length=1)
    """The feeder's stations in flow order (at least one); the last one hands its parts to the join."""

    @field_validator("carriers")
    @classmethod
    def _carriers_of_own_parts(cls, carriers, info: ValidationInfo):
        if carriers is not None and info.data.get("taken_off_at") is None:
            raise ValueError("carriers bound a feeder of the car's own parts only (taken_off_at): drop carriers, or "
                             "take the parts off the cars (parts built in sequence or to stock are limited by the "
                             "feeder's buffer)")
        return carriers

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
    """Every station is serviced in each maintenance window, so its time to the next failure starts afresh; false:
    the windows only finish repairs."""

    @model_validator(mode="after")
    def _fits(self):
        if self.between_days > DAY or self.days_off > DAY:
            raise ValueError("a maintenance window is at most 24 h a day")
        return self


class Shop(Model):
    """A shop: its shifts, its main flow of stations in order, and the feeders beside it."""
    shifts: Shifts
    """The shop's shift pattern on each working day: shifts, start, length, breaks."""
    buffer_capacity: int = Field(default=1, ge=0, le=MAX_CAPACITY)
    """Default cars waiting between consecutive stations of this shop."""
    lines: dict[Name, Line] = {}
    """The shop's paced lines, of the main flow and of its feeders."""
    stations: list[FlowItem] = Field(min_length=1)
    """The main flow in order: stations, and parallel sections."""
    feeders: dict[Name, Feeder] = {}
    """Sub-lines beside the main flow, keyed by name, whose parts are fitted to the cars at a join station; none by
    default."""
    quality: Quality | None = None
    """The shop's quality gate: an inspection, its first-pass yield and the rework paths; none: every car passes."""
    maintenance: Maintenance | None = None
    """Maintenance in the hours the shop does not produce; none: a repair left at the end of the day's last shift
    goes on at the next shift."""
    outages: list[Outage] = Field(default=[], max_length=50)
    """Stoppages of many stations at once (oven trip, conveyor chain break, power), each with a name, a frequency
    and a repair and the stations or lines it covers; none by default."""
    run_in: RunIn | None = None
    """The loss after each shift start (the lines run slower while they warm up); none: full speed from the start."""

    @field_validator("outages")
    @classmethod
    def _outages_named_once(cls, outages):
        return _unique_names(outages, "outages")
