"""Sorting stores: lanes between two shops that re-sequence the cars (``stores[].sort`` in the scenario).

A plain store is first in, first out (``buffer.Buffer``). A sorting store is ``lanes`` lanes of
``lane_depth`` cars, each lane first in, first out; every time the shop behind it takes a car the
store releases one lane head, chosen by its rule:

* ``ColourBlocks`` (``by: colour``, a WBS in front of paint): the paint shop loses output at each
  colour change, so the store gathers bodies of one colour into blocks.
* ``PlannedSequence`` (``by: sequence``, a PBS in front of assembly): paint's repairs and colour
  blocks scramble the order; the store restores the planned (launch) order as far as its lanes allow.
* ``LevelledOrder`` (``by: levelled``, a PBS that re-sequences): the store builds a new levelled
  order from its lane heads, choosing with the launch's ``sequencer.Sequencer``.

A sorting store is a store of the template (``store.Store``): the queues of waiting stations
and blocked cars and their rules are the template's, the lanes and the release rule its hooks;
so the builder, the stations and a ``Merge`` use it as they use a ``Buffer``. Like
``entries.LoggedBuffer`` it is the entry of the next shop and records each car that shop takes,
in the order taken. A car that finds the store empty and the shop waiting goes straight through.

Waiting times are counted in the shift time of the shop the store feeds (its ``ShiftClock``):
a body does not "wait" through the night while that shop is not working.
"""

from __future__ import annotations

import math
from collections import deque

from .buffer import STORE, CarStore
from .car import Car, InvariantError
from ..launch.sequencer import Sequencer
from ...scenario.window import Window


class _LanesByKind:
    """Lanes that keep cars of a kind together (the colour, or the variant): the joining rule.

    A car joins, in this order of preference:

    1. the first lane (lowest number) with room whose last car is of its kind: it lengthens that
       kind's run;
    2. else the first empty lane: it starts a run of its own;
    3. else the lane with room whose last car's kind has the fewest cars in the store (then the lane
       with the fewest cars, then the lowest number): a car that must break a run breaks the one of
       the rarest kind, whose block would be short anyway, and the large runs stay whole.
    """

    __slots__ = ("lanes", "depth", "kind", "runs", "in_store")

    def __init__(self, lanes: list[deque], depth: int, kind: str):
        self.lanes = lanes
        self.depth = depth
        self.kind = kind
        """The car attribute that makes the kind: 'colour' or 'variant'."""
        self.runs: list[deque] = [deque() for _ in lanes]
        """Per lane, from head to tail: [kind, cars] of each run of one kind."""
        self.in_store: dict[int, int] = {}
        """Cars of each kind in the store."""

    def join(self, car: Car) -> int:
        """The lane the car joins (the store has room somewhere)."""
        kind = getattr(car, self.kind)
        empty = fallback = None
        fallback_key = None
        for k, lane in enumerate(self.lanes):
            n = len(lane)
            if n == 0:
                if empty is None:
                    empty = k
            elif n < self.depth:
                tail = self.runs[k][-1][0]
                if tail == kind:
                    chosen = k
                    break
                key = (self.in_store[tail], n)
                if fallback_key is None or key < fallback_key:
                    fallback, fallback_key = k, key
        else:
            chosen = empty if empty is not None else fallback
        runs = self.runs[chosen]
        if runs and runs[-1][0] == kind:
            runs[-1][1] += 1
        else:
            runs.append([kind, 1])
        self.in_store[kind] = self.in_store.get(kind, 0) + 1
        return chosen

    def left(self, lane: int, car: Car) -> None:
        """The head of ``lane`` has left the store."""
        run = self.runs[lane][0]
        run[1] -= 1
        if not run[1]:
            self.runs[lane].popleft()
        self.in_store[getattr(car, self.kind)] -= 1

    def heads(self) -> list[tuple[int, int]]:
        """(arrival number, lane) of every lane head, oldest first."""
        return sorted((lane[0][0], k) for k, lane in enumerate(self.lanes) if lane)


class ColourBlocks(_LanesByKind):
    """Lanes by colour and colour blocks out (``by: colour``); bodies join as ``_LanesByKind`` says.

    Each time the shop takes a body, the store releases:

    1. the body that has waited ``max_wait`` or longer (in the shift time of the shop it feeds),
       oldest first: no body is passed over once it is overdue. Lanes are first in, first out, so the
       oldest body of the store is always a lane head;
    2. else the colour of the running block, while a lane head has it and the block is shorter than
       ``max_block`` (the oldest of those heads first);
    3. else the start of a new block: the colour with the most bodies ready at the lane heads (a
       lane's head and the bodies of the same colour right behind it), counted up to ``max_block``;
       equal ones: the colour whose head has waited longest. Once the block has ``max_block`` bodies
       its colour waits its turn, unless the store holds no other colour: the paint shop then takes
       the next body of the same colour rather than stand idle (a block longer than ``max_block``).

    With ``keep_blocks`` (``release: keep_blocks``) rule 1 weighs the overdue body against the colour
    change it causes. While the store is full the shop it feeds is the constraint (the shop upstream
    waits for its places), so a change costs that shop output: the overdue body then waits for the end
    of the running block (rule 2 goes first) and starts the next block itself, in place of rule 3's
    longest block. It still goes at once when it costs no change (it has the running block's colour),
    when the store has a free place (the shop it feeds keeps up: the change costs time it has to spare)
    or when it has waited ``max_wait_hard``. Its wait is bounded: a block ends after ``max_block``
    bodies at most and each block end releases the oldest overdue body, so an overdue body lets at most
    ``max_block`` - 1 bodies pass it (the schema asks for ``max_block`` or ``max_wait_hard``).
    """

    __slots__ = ("max_block", "max_wait", "colour", "block", "keep_blocks", "max_wait_hard")

    def __init__(self, lanes: list[deque], depth: int, max_block: int | None, max_wait: float | None,
                 keep_blocks: bool = False, max_wait_hard: float | None = None):
        super().__init__(lanes, depth, "colour")
        self.max_block = math.inf if max_block is None else max_block
        self.max_wait = max_wait
        self.colour: int | None = None
        """Colour of the running block (the last body the shop took)."""
        self.block = 0
        """Bodies in the running block."""
        self.keep_blocks = keep_blocks
        """release: keep_blocks; else an overdue body goes at once (overdue_first)."""
        self.max_wait_hard = math.inf if max_wait_hard is None else max_wait_hard

    def pick(self, worked: float) -> tuple[int, bool]:
        """(lane whose head goes next, whether max_wait forced it); ``worked``: the shift clock now."""
        lanes, runs = self.lanes, self.runs
        heads = self.heads()
        overdue = None
        if self.max_wait is not None:
            k = heads[0][1]
            waited = worked - lanes[k][0][1]
            if waited >= self.max_wait:
                if not self.keep_blocks or self.goes_out_of_turn(runs[k][0][0], waited):
                    return k, True
                overdue = k
        if self.colour is not None and self.block < self.max_block:
            for _, k in heads:
                if runs[k][0][0] == self.colour:
                    return k, False
        if overdue is not None:
            return overdue, True  # the block ends anyway: the overdue body's colour starts the next
        ready: dict[int, list] = {}  # colour -> [bodies ready, its oldest head's lane]
        for _, k in heads:
            colour, bodies = runs[k][0]
            entry = ready.get(colour)
            if entry is None:
                ready[colour] = [bodies, k]
            else:
                entry[0] += bodies
        if self.block >= self.max_block and len(ready) > 1:
            ready.pop(self.colour, None)  # the block is full: another colour's turn
        cap = self.max_block
        # max() keeps the first of equals: the heads are oldest first, so equal colours go by their oldest head
        return max(ready.values(), key=lambda entry: min(entry[0], cap))[1], False

    def goes_out_of_turn(self, colour: int, waited: float) -> bool:
        """keep_blocks: whether an overdue body of ``colour`` that has waited ``waited`` goes before the
        running block ends: it costs no colour change, the store has a free place, or it is past max_wait_hard."""
        return colour == self.colour or waited >= self.max_wait_hard or not self.full()

    def full(self) -> bool:
        """Every lane is full: the shop upstream waits for a place, the shop fed is the constraint."""
        depth = self.depth
        return all(len(lane) >= depth for lane in self.lanes)

    def continues_block(self, car: Car) -> bool:
        """``car`` lengthens the running block below max_block (keep_blocks lets it pass an overdue body)."""
        return car.colour == self.colour and self.block < self.max_block

    def sent(self, car: Car) -> None:
        """The shop took ``car`` (from a lane or straight through): the running block grows or a new one starts."""
        if car.colour == self.colour:
            self.block += 1
        else:
            self.colour, self.block = car.colour, 1


class LevelledOrder(_LanesByKind):
    """Lanes by variant and a new levelled order out (``by: levelled``); cars join as ``_LanesByKind``
    says, by variant, so that the lane heads offer as many variants as the lanes allow.

    The store asks a ``sequencer.Sequencer`` of the product for the best lane head (goal chasing over
    models and options, keeping the spacing rules) and tells it every car the shop takes; equal heads
    go oldest first.
    """

    __slots__ = ("sequencer",)

    def __init__(self, lanes: list[deque], depth: int, sequencer):
        super().__init__(lanes, depth, "variant")
        self.sequencer = sequencer

    def pick(self, worked: float) -> tuple[int, bool]:
        heads = self.heads()
        choice = self.sequencer.choose([self.lanes[k][0][2].variant for _, k in heads])
        return heads[choice][1], False

    def sent(self, car: Car) -> None:
        self.sequencer.record(car.variant)


class PlannedSequence:
    """Lanes that restore the planned order (``by: sequence``).

    A car joins the lane with room whose last car has the largest launch number below its own (so
    every lane stays in launch order: patience sorting, the fewest lanes for a scrambled order); else
    the first empty lane; else the lane with room whose last car has the smallest launch number. The
    store releases the lane head with the smallest launch number. A sequence in which no car is more
    than ``lanes`` - 1 places from its planned slot fits the lanes in launch order, so with the store
    holding that many cars ahead it comes out exactly in the planned order.
    """

    __slots__ = ("lanes", "depth")

    def __init__(self, lanes: list[deque], depth: int):
        self.lanes = lanes
        self.depth = depth

    def join(self, car: Car) -> int:
        seq = car.seq
        below = empty = lowest = None
        below_tail = lowest_tail = 0
        for k, lane in enumerate(self.lanes):
            n = len(lane)
            if n == 0:
                if empty is None:
                    empty = k
                continue
            if n >= self.depth:
                continue
            tail = lane[-1][2].seq
            if tail < seq:
                if below is None or tail > below_tail:
                    below, below_tail = k, tail
            elif lowest is None or tail < lowest_tail:
                lowest, lowest_tail = k, tail
        if below is not None:
            return below
        return empty if empty is not None else lowest

    def pick(self, worked: float) -> tuple[int, bool]:
        return min((lane[0][2].seq, k) for k, lane in enumerate(self.lanes) if lane)[1], False

    def left(self, lane: int, car: Car) -> None:
        pass

    def sent(self, car: Car) -> None:
        pass


class SortingStore(CarStore):
    """A store of lanes that releases its cars by a rule (``ColourBlocks``, ``PlannedSequence``, ``LevelledOrder``).

    Capacity is lanes x lane_depth: a car waits upstream only when every lane is full. Tallies of
    the measured window: ``released`` cars the shop took (straight-through ones included),
    ``wait_sum`` and ``wait_max`` their waits in the store (seconds of the next shop's shift time),
    ``forced`` releases that ``max_wait`` made (with keep_blocks, also those that start a block).
    """

    __slots__ = ("env", "name", "shop", "kind", "by", "capacity", "lanes", "getters", "putters", "monitor", "log",
                 "rule", "clock", "window", "max_wait", "count", "arrived", "released", "wait_sum", "wait_max",
                 "forced", "_oldest", "_gone")

    def __init__(self, env, name: str, *, shop: str, sort, window: Window, log, clock, product=None):
        """``sort``: the scenario's ``Sort``; ``log``: the next shop's ``EntryLog``; ``clock``: its ``ShiftClock``;
        ``product``: the scenario's product (the levelled rule's targets and spacing rules)."""
        self._open(env, name, shop, STORE, sort.lanes * sort.lane_depth, window)
        self.by = sort.by
        """The rule: colour, sequence or levelled."""
        self.lanes: list[deque] = [deque() for _ in range(sort.lanes)]
        """Per lane, head first: (arrival number, shift-clock time of arrival, car)."""
        if sort.by == "colour":
            self.rule = ColourBlocks(self.lanes, sort.lane_depth, sort.max_block, sort.max_wait,
                                     sort.release == "keep_blocks", sort.max_wait_hard)
        elif sort.by == "sequence":
            self.rule = PlannedSequence(self.lanes, sort.lane_depth)
        elif sort.by == "levelled":
            self.rule = LevelledOrder(self.lanes, sort.lane_depth, Sequencer(product))
        else:
            raise ValueError(f"store {name}: unknown sort rule {sort.by!r}")
        self.max_wait = sort.max_wait
        self.log = log
        self.clock = clock
        self.window = window
        self.count = 0
        self.arrived = 0
        self.released = 0
        self.wait_sum = 0.0
        self.wait_max = 0.0
        self.forced = 0
        self._oldest: deque = deque()
        """(arrival number, arrival time) of every body that joined a lane, in arrival order (max_wait check)."""
        self._gone: set[int] = set()
        """Arrival numbers that left while an older body stayed (dropped from ``_oldest`` when it reaches them)."""

    # ------------------------------------------------------------ the store template's hooks

    def _has_car(self) -> bool:
        return bool(self.count)

    def _take(self) -> Car:
        """The lane head the rule chooses."""
        worked = self.clock.worked(self.env.now)
        lane, forced = self.rule.pick(worked)
        full = self.count == self.capacity  # before the body leaves: keep_blocks's test of the constraint
        order, arrived, car = self.lanes[lane].popleft()
        self.count -= 1
        self.rule.left(lane, car)
        if self.max_wait is not None:
            self._check_overdue(order, worked, car, full)
        self._taken(car, worked - arrived, forced)
        return car

    def _has_room(self) -> bool:
        return self.count < self.capacity

    def _place(self, car: Car, priority: bool) -> None:
        """Into the lane the rule chooses; ``priority`` has no meaning here: cars leave by the store's rule."""
        self._join(car)

    def _handed(self, car: Car) -> None:
        """Straight to the shop waiting for it (the store was empty)."""
        self._taken(car, 0.0, False)

    @property
    def level(self) -> int:
        return self.count

    def cars(self) -> list[Car]:
        return [car for lane in self.lanes for _, _, car in lane]

    # ------------------------------------------------------------ inside

    def _join(self, car: Car) -> None:
        lane = self.rule.join(car)
        arrived = self.clock.worked(self.env.now)
        self.lanes[lane].append((self.arrived, arrived, car))
        if self.max_wait is not None:
            self._oldest.append((self.arrived, arrived))
        self.arrived += 1
        self.count += 1

    def _taken(self, car: Car, wait: float, forced: bool) -> None:
        """The next shop took ``car`` after ``wait`` shift seconds in the store."""
        now = self.env.now
        self.log.record(car, now)
        self.rule.sent(car)
        if self.window.contains(now):
            self.released += 1
            self.wait_sum += wait
            if wait > self.wait_max:
                self.wait_max = wait
            if forced:
                self.forced += 1

    def _check_overdue(self, order: int, worked: float, car: Car, full: bool) -> None:
        """Invariant of max_wait: when the oldest body in the store has waited max_wait, it is the one
        released; with keep_blocks, or a body that continues the running block below max_block from a
        full store while the oldest has waited less than max_wait_hard. Checked against the arrival order
        kept apart from the lanes, so a lane that broke first in, first out (or a rule that passed an
        overdue body over) is caught."""
        oldest, gone = self._oldest, self._gone
        while oldest[0][0] in gone:
            gone.discard(oldest.popleft()[0])
        first, arrived = oldest[0]
        if first == order:
            oldest.popleft()
            return
        waited = worked - arrived
        if waited >= self.max_wait and not self._may_pass_overdue(car, waited, full):
            raise InvariantError(
                f"store {self.name}: a body waited {waited / 3600:.3f} shift h, over max_wait "
                f"{self.max_wait / 3600:.3f} h, and a later body (arrival {order}) was released before it"
                + (" without continuing a colour block from a full store" if self.rule.keep_blocks else ""))
        gone.add(order)

    def _may_pass_overdue(self, car: Car, waited: float, full: bool) -> bool:
        """keep_blocks lets ``car`` pass a body overdue by ``waited``: it continues the running block, the store
        was full and the overdue body has not reached max_wait_hard."""
        rule = self.rule
        return rule.keep_blocks and full and waited < rule.max_wait_hard and rule.continues_block(car)
