"""Station states and breakdowns, measured in a shop's worked (shift) time.

All state times are kept in worked-time coordinates (see ``calendar``): off-shift
time is the same for every station of a shop and is added when the tables are
made, so a station's state times add up to the measured window by construction
and the model checks that they do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...scenario.window import Window


@dataclass(frozen=True)
class StationState:
    """A station state as every table and plot names and colours it."""

    name: str
    """Its name in the tables (``share_<name>`` of stations.csv)."""
    short: str
    """A column heading for a narrow terminal."""
    label: str
    """What it means, in a plot's legend."""
    colour: str
    """Its colour in every plot (hex)."""
    place: int
    """Its place in the reports' tables and plots: work first, then the waits, repair, off shift last."""


STATES = (
    StationState("working", "working", "working", "#2e9e44", 0),
    StationState("blocked", "blocked", "blocked (no room downstream)", "#f28e2b", 3),
    StationState("starved", "starved", "starved (no car)", "#f5d04c", 4),
    StationState("down", "down", "down (in repair)", "#d62728", 7),
    StationState("paced", "paced", "paced (waits for takt / slower station of its line)", "#a9dc9b", 1),
    StationState("labour", "labour", "waiting for labour", "#9b7cc4", 2),
    StationState("feeder", "feeder", "waiting for a feeder's part", "#e07bb0", 5),
    StationState("colour_change", "colour", "colour change (purge, empty carriers)", "#17becf", 6),
)
"""The states a station's time is split into, in the order of its account (the indices below).
``paced``: a paced-line station done with its car, waiting for the takt or for a
slower station of its own line (balance loss); free-flow stations are never paced.
``labour``: a free-flow station holding a car it cannot start, waiting for operators
from its labour pool; stations without a pool (and paced lines) never are.
``feeder``: a join station holding a car whose part has not come from its feeder (a paced line
with a join stands still for it: every station of the line counts it).
``colour_change``: a paint booth purging its guns for a body of another colour, or an empty carrier
left for the change (only booths with a ``colour_change`` are ever in it)."""
OFF_SHIFT = StationState("off_shift", "off_shift", "off shift", "#dcdcdc", 8)
"""Not a state a station is put in: the share of calendar time outside its shop's shifts, the same for every
station of the shop, added when the tables are made."""
SHOWN = tuple(sorted(STATES + (OFF_SHIFT,), key=lambda state: state.place))
"""Every state of the stations table in the reports' order."""

STATE_NAMES = tuple(state.name for state in STATES)
WORKING, BLOCKED, STARVED, DOWN, PACED, LABOUR, FEEDER, COLOUR = (STATE_NAMES.index(name) for name in (
    "working", "blocked", "starved", "down", "paced", "labour", "feeder", "colour_change"))


class StateAccount:
    """Seconds spent in each state inside a measured window of worked time."""

    __slots__ = ("times", "window")

    def __init__(self, window: Window):
        self.times = [0.0] * len(STATE_NAMES)
        self.window = window

    def add(self, state: int, a: float, b: float) -> None:
        """Add the part of [a, b] inside the window to ``state``.

        Runs for every cycle of every station: the window's bounds are compared
        inline rather than through ``Window.clip`` (one method call less per car).
        """
        window = self.window
        if a < window.lo:
            a = window.lo
        if b > window.hi:
            b = window.hi
        if b > a:
            self.times[state] += b - a


class NoFailures:
    """A station that never breaks down."""

    downs = 0
    down_while_idle = False
    """Whether a wait (starved, blocked, labour) may count as down: never here."""

    def work(self, w: float, work: float, account: StateAccount) -> float:
        account.add(WORKING, w, w + work)
        return w + work

    def idle(self, state: int, a: float, b: float, account: StateAccount) -> None:
        account.add(state, a, b)


class OneMode:
    """The breakdowns of the single form (``failures: {mtbf, mttr}``): one time between failures, one repair."""

    __slots__ = ("between", "repair", "afresh")

    def __init__(self, between, repair):
        self.between = between
        """The time to the next failure, drawn after each repair (and once at the start)."""
        self.afresh = between
        """The time to the next failure when the failure clock starts afresh (preventive maintenance)."""
        self.repair = repair
        """The repair time of the failure that has just happened."""

    def note(self, w: float, repaired: float) -> None:
        """A failure at worked time ``w`` repaired at ``repaired`` (only the failure modes keep their tally)."""


class FailureModes:
    """Competing failure modes of one server (short stops, breakdowns, major failures).

    Each mode has its own clock to failure, which runs on the server's failure clock (its working time or
    its shift time, ``Failures.clock``) and stands, like all the others, while the server is in repair: the
    server is down while one mode is in repair. The first clock to run out fails the server; the repair is
    drawn from that mode's distribution and only that mode's clock is drawn again (the others keep what
    they had left). ``between`` gives the server's time to its next failure, the least of the clocks, and
    assumes the time it gave last has passed and that failure happened: the protocol the failure processes
    below follow with ``OneMode``. With exponential modes this is the superposed Poisson process; in
    general it is the competing-risks model of independent failure causes.

    It tallies each mode's stops and down time (its repairs starting in the measured window, clipped to
    it) for the downtime table.
    """

    def __init__(self, names: list[str], betweens: list, repairs: list, window: Window):
        self.names = names
        self._betweens = betweens
        self._repairs = repairs
        self.window = window
        self.left = [draw() for draw in betweens]
        """Per mode, the time its clock has left to failure from the last failure (or the start)."""
        self.due: int | None = None
        """The mode whose clock runs out next."""
        self.gap = 0.0
        self.stops = [0] * len(names)
        self.down = [0.0] * len(names)

    def between(self) -> float:
        left = self.left
        if self.due is not None:  # the gap given last has passed and its mode failed
            gap = self.gap
            for k in range(len(left)):
                left[k] -= gap
            left[self.due] = self._betweens[self.due]()
        return self._next()

    def afresh(self) -> float:
        """Every mode's clock starts afresh (a preventive service)."""
        self.left = [draw() for draw in self._betweens]
        return self._next()

    def _next(self) -> float:
        left = self.left
        self.due = min(range(len(left)), key=left.__getitem__)
        self.gap = max(0.0, left[self.due])
        return self.gap

    def repair(self) -> float:
        return self._repairs[self.due]()

    def note(self, w: float, repaired: float) -> None:
        window = self.window
        if window.lo <= w < window.hi:
            self.stops[self.due] += 1
        self.down[self.due] += window.clip(w, repaired)


class OperatingFailures:
    """Time to failure counts only while the station works.

    A failure in the middle of a cycle stops it; the cycle resumes after repair. With planned
    maintenance windows (``calendar.MaintenanceWindows``) a repair running at the end of the day
    is finished off shift; with preventive maintenance the station starts the first cycle after
    each window with a fresh time to failure.
    """

    __slots__ = ("between", "repair", "afresh", "note", "to_failure", "downs", "maintenance", "next_service")
    down_while_idle = False

    def __init__(self, breakdowns, maintenance=None):
        """``breakdowns``: a ``OneMode`` or ``FailureModes``."""
        self.between, self.repair = breakdowns.between, breakdowns.repair
        self.afresh, self.note = breakdowns.afresh, breakdowns.note
        self.to_failure = self.between()
        self.downs = 0
        self.maintenance = maintenance
        self.next_service = maintenance.next_after(0.0) if maintenance is not None and maintenance.preventive \
            else math.inf

    def work(self, w: float, work: float, account: StateAccount) -> float:
        if w >= self.next_service:
            self.to_failure = self.afresh()
            self.next_service = self.maintenance.next_after(w)
        while self.to_failure < work:
            account.add(WORKING, w, w + self.to_failure)
            w += self.to_failure
            work -= self.to_failure
            repaired = w + self.repair() if self.maintenance is None else \
                self.maintenance.repair_end(w, self.repair())
            self.note(w, repaired)
            account.add(DOWN, w, repaired)
            w = repaired
            self.downs += 1
            self.to_failure = self.between()
        self.to_failure -= work
        account.add(WORKING, w, w + work)
        return w + work

    def idle(self, state: int, a: float, b: float, account: StateAccount) -> None:
        account.add(state, a, b)


class CalendarFailures:
    """Time to failure counts all shift time, idle or not: an alternating up/down process.

    A station idle when it fails is down for the repair; a car arriving meanwhile waits.
    """

    __slots__ = ("between", "repair", "afresh", "note", "down_start", "down_end", "downs", "maintenance")
    down_while_idle = True

    def __init__(self, breakdowns, maintenance=None):
        """``breakdowns``: a ``OneMode`` or ``FailureModes``."""
        self.between, self.repair = breakdowns.between, breakdowns.repair
        self.afresh, self.note = breakdowns.afresh, breakdowns.note
        self.maintenance = maintenance
        self.down_end = 0.0
        self._schedule(self.between())
        self.downs = 0

    def _schedule(self, start: float) -> None:
        """The next breakdown at worked time ``start`` (serviced first if a window comes before it)."""
        maintenance = self.maintenance
        if maintenance is None:
            self.down_start = start
            self.down_end = start + self.repair()
            self.note(start, self.down_end)
            return
        if maintenance.preventive:
            service = maintenance.next_after(self.down_end)
            while start > service:  # serviced in the window before it failed: its clock starts afresh
                start = service + self.afresh()
                service = maintenance.next_after(service)
        self.down_start = start
        self.down_end = maintenance.repair_end(start, self.repair())
        self.note(start, self.down_end)

    def _next(self) -> None:
        self.downs += 1
        self._schedule(self.down_end + self.between())

    def work(self, w: float, work: float, account: StateAccount) -> float:
        while True:
            if self.down_end <= w:
                self._next()
            elif self.down_start <= w:
                account.add(DOWN, w, self.down_end)
                w = self.down_end
            elif w + work <= self.down_start:
                account.add(WORKING, w, w + work)
                return w + work
            else:
                span = self.down_start - w
                account.add(WORKING, w, self.down_start)
                work -= span
                w = self.down_start

    def idle(self, state: int, a: float, b: float, account: StateAccount) -> None:
        w = a
        while w < b:
            if self.down_end <= w:
                self._next()
            elif self.down_start <= w:
                end = min(b, self.down_end)
                account.add(DOWN, w, end)
                w = end
            else:
                end = min(b, self.down_start)
                account.add(state, w, end)
                w = end


def make_failures(spec, streams, name: str, maintenance=None, learning=None, window: Window | None = None):
    """The breakdown process of one server from its scenario spec (or none); ``maintenance``: the
    shop's planned maintenance windows (``calendar.MaintenanceWindows``), if any; ``learning``: the shop's
    experience (``learning.Experience``) when its failure rate learns; ``window``: the measured window in the
    server's worked time (the failure modes' tally)."""
    return failure_process(spec, None if spec is None else breakdowns(spec, streams, name, learning, window),
                           maintenance)


def failure_process(spec, made, maintenance=None):
    """The breakdown process of a server with the breakdowns ``made`` (``OneMode`` or ``FailureModes``) on the
    clock its spec says, or ``NoFailures`` without a spec."""
    if spec is None:
        return NoFailures()
    cls = OperatingFailures if spec.clock == "operating" else CalendarFailures
    return cls(made, maintenance)


def breakdowns(spec, streams, name: str, learning=None, window: Window | None = None):
    """A server's ``OneMode`` (the single form: streams ``{name}.failure`` and ``{name}.repair``) or its
    ``FailureModes`` (streams ``{name}.failure.{mode}`` and ``{name}.repair.{mode}``); ``learning``: the
    shop's experience when its failure rate learns (every mode's time between failures shortened)."""
    def sooner(between):
        return between if learning is None else learning.sooner(between)

    if spec.modes is None:
        return OneMode(sooner(streams.sampler(spec.between, f"{name}.failure")),
                       streams.sampler(spec.repair, f"{name}.repair"))
    return FailureModes([mode.name for mode in spec.modes],
                        [sooner(streams.sampler(mode.between, f"{name}.failure.{mode.name}")) for mode in spec.modes],
                        [streams.sampler(mode.repair, f"{name}.repair.{mode.name}") for mode in spec.modes],
                        window if window is not None else Window(0.0, math.inf))
