"""What the parts of a plant offer each other: nodes, their inputs, outputs and targets.

The plant (``plant.Plant``) is a chain of *nodes* (free-flow ``Station``,
``PooledStation``, ``PacedLine``), each with an ``input`` it takes cars from and
an ``output`` that says where each finished car goes::

    input (CarInput) -> node -> output (Router) -> target (CarTarget) ...

A target is usually the next node's input buffer: a ``Buffer`` is both. The plant
is a graph: ``graph`` adds the targets in front of a parallel section
(``BranchSplit``) and of a station only some cars visit (``Bypass``), the router
that calls off feeders' parts (``CallOff``), and the joins where a node fits a
feeder's part to each car (``Join``, in a node's ``joins``). The
classes here are ``typing.Protocol`` s: they state the contract, the model's
classes follow it structurally (no inheritance). They are checked at run time
only by the tests (``runtime_checkable``); ``wiring.check_wiring`` walks every part's ``links``.

Waiting is two-step everywhere, so that a car that flows freely costs no
SimPy event: first the immediate ``try_get`` / ``try_put``; only when that
fails, the event of ``get`` / ``put``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from simpy import Event

    from .car import Car


@runtime_checkable
class CarInput(Protocol):
    """Where a node takes its cars from: a ``Buffer``, a ``Merge`` (re-entry lane first) or the
    pull ``Source`` of the launch."""

    def try_get(self) -> Car | None:
        """The next car, taken now; None when there is none, and then nothing has changed.

        Taking a car from a full buffer lets the first blocked upstream station put its
        car in (that station's ``put`` event fires)."""

    def get(self) -> Event:
        """An event whose value is the next car, taken off the input when it fires.

        Called only after ``try_get`` returned None; the caller waits on the event and
        must not call ``try_get`` meanwhile."""

    def cars(self) -> list[Car]:
        """The cars waiting in it now (a new list). Inputs made of other buffers (a merge)
        return none: their buffers count their own cars."""


@runtime_checkable
class CarTarget(Protocol):
    """Where a router sends a car: a ``Buffer`` (or a re-entry lane), or the ``Sink`` at the end
    of the line."""

    def try_put(self, car: Car, priority: bool = False) -> bool:
        """Hand the car over now: to a station waiting for one, or into the free room.

        True if it was placed. False when there is no room, and then nothing has changed
        (the caller keeps the car). ``priority``: the car goes in front of the waiting
        ones (re-entering cars)."""

    def put(self, car: Car, priority: bool = False) -> Event:
        """An event that fires once the car has been placed.

        Called only after ``try_put`` returned False; the caller holds the car (blocked)
        until the event fires and must not offer it elsewhere meanwhile."""


@runtime_checkable
class Router(Protocol):
    """A node's output: ``Onward`` (plain flow), a shop's exit, a quality gate, a repair exit."""

    def route(self, car: Car) -> tuple[CarTarget | None, bool]:
        """Where this finished car goes, and whether with priority. Called once per car; it may
        count the car (shop output, inspections) and draw random numbers. A None target
        means the car has left the flow (scrapped)."""


@runtime_checkable
class Node(Protocol):
    """A resource cars flow through: ``Station``, ``PooledStation`` or ``PacedLine``."""

    shop: str
    name: str
    """The station's name; a paced line's is the line's."""
    kind: str
    """"station" (free flow) or "line" (paced line or conveyor)."""
    input: CarInput | None
    """Set by the builder after construction; never None once the plant is built."""
    output: Router | None
    """Set by the builder after construction; never None once the plant is built."""
    joins: list
    """The feeders' joins fitted at this node (``graph.Join``); empty for most nodes."""
    worked_window: object
    """The measured window in its clock's worked time (the shop's, or its feeder's own shifts)."""

    def start(self) -> None:
        """Start its SimPy process(es); called once, before the run."""

    def finish(self) -> None:
        """Close the open waiting intervals at the end of the run (before ``station_rows``)."""

    def cars(self) -> list[Car]:
        """The cars on it now: being worked on, or finished and held (blocked)."""

    def links(self) -> list[tuple[str, object]]:
        """What it is wired to, named: its input and output, the parts buffers of its joins, its call-offs;
        the wiring check (``wiring.check_wiring``) walks them and what they link in turn."""

    def station_rows(self) -> list[dict]:
        """A row per station (a paced line has one per station on it): shop, station, kind,
        servers, completions, times (worked seconds per state in the window), downs, line,
        line_active_s, line_stopped_s (a paced line's seconds stood for its breakdowns and outages; None for
        a free station)."""
