"""The parts that make a shop a graph: joins, call-offs, parallel splits and stations some cars pass by.

- ``Join``: a station fits one part of a feeder to each car that visits it; a missing part holds
  the car (state ``feeder``). Parts built for a car must come to that car: ``fit`` checks it on
  every part and raises ``InvariantError`` otherwise.
- ``Send``: a car done at a station orders its part from a feeder (in sequence), or its own part
  (the doors) comes off and goes down the feeder. ``CallOff`` is a free-flow station's output
  with sends; a paced line sends from the position itself.
- ``Carriers``: the fixed number of carriers of a feeder of own parts (``carriers`` in the scenario):
  one is taken as a part comes off and freed as it is refitted at the join; the node taking parts
  off waits (state ``feeder``) while all are in use.
- ``BranchSplit``: the target in front of a parallel section, choosing a branch by its rule.
- ``Bypass``: the target in front of a free-flow station that only some cars visit; the others
  are routed on as if they had passed it.

All follow the contracts of ``protocol`` (``CarTarget``, ``Router``) and cost nothing for a
plant without them.
"""

from __future__ import annotations

from collections import deque

from .car import InvariantError, Part


def takes_part(visits, unit) -> bool:
    """Whether a unit takes a part at a join (and so orders one): ``visits`` per variant, None for every unit."""
    return visits is None or visits[unit.variant]


class Join:
    """One feeder's parts fitted at a station (at ``position`` of a paced line)."""

    __slots__ = ("feeder", "buffer", "position", "matched", "own", "visits", "waited", "waits", "fitted", "where",
                 "carriers")

    def __init__(self, *, feeder: str, buffer, position: int, matched: bool, own: bool, visits, where: str):
        """``matched``: each part belongs to a car and must meet it; ``own``: the car's own part coming back;
        ``visits``: per variant, whether a car of it takes a part here (None: every car)."""
        self.feeder = feeder
        self.buffer = buffer
        self.position = position
        self.matched = matched
        self.own = own
        self.visits = visits
        self.waited = 0.0
        """Worked seconds (in the measured window) the station waited for this feeder's parts."""
        self.waits = 0
        """Times a car found no part of this feeder (the whole run): the loss waterfall's mean wait."""
        self.fitted = 0
        self.where = where
        self.carriers = None
        """The feeder's ``Carriers`` (own parts on a bounded number of carriers): one is freed at each fit."""

    def needed(self, unit) -> bool:
        return takes_part(self.visits, unit)

    def fit(self, part, unit) -> None:
        """Fit a part to a unit (a car, or another feeder's part for the same car)."""
        if self.matched and part.car is not unit.car:
            raise InvariantError(f"{self.where}: a part of feeder {self.feeder} built for another car was fitted "
                                 "(a part must always rejoin its own car)")
        if self.own:
            unit.car.away -= 1
            if self.carriers is not None:
                self.carriers.free()
        self.fitted += 1


class Send:
    """A car done at a station (before it is handed on) orders a part from a feeder, or gives its own part to it."""

    __slots__ = ("target", "position", "own", "visits", "sent", "carriers")

    def __init__(self, *, target, position: int, own: bool, visits, carriers: Carriers | None = None):
        """``carriers``: own parts on a fixed number of carriers (None: unbounded); the node sending waits for a
        free one (``ready``/``Carriers.freed``) before it calls the send."""
        self.target = target
        """The feeder's call-off buffer (unlimited: orders, or the parts taken off, wait there)."""
        self.position = position
        self.own = own
        self.visits = visits
        self.sent = 0
        self.carriers = carriers

    def ready(self, car) -> bool:
        """Whether ``car``'s part can be sent now: it takes none here, or a carrier is free."""
        return not takes_part(self.visits, car) or self.carriers.in_use < self.carriers.count

    def __call__(self, car) -> None:
        if not takes_part(self.visits, car):
            return
        if self.own:
            car.away += 1
            if self.carriers is not None:
                self.carriers.take()
        self.sent += 1
        self.target.try_put(Part(car))


class Carriers:
    """The ``count`` carriers of a feeder of own parts: taken as a part comes off, freed as it is refitted.

    Two-step as everywhere: the node taking parts off checks ``Send.ready`` first and asks for the
    ``freed`` event only when all carriers are in use, so a free carrier costs no SimPy event.
    """

    __slots__ = ("env", "count", "in_use", "waiters", "where")

    def __init__(self, env, count: int, where: str):
        self.env = env
        self.count = count
        self.in_use = 0
        """Carriers holding a part taken off and not yet refitted."""
        self.waiters: deque = deque()
        self.where = where

    def take(self) -> None:
        self.in_use += 1
        if self.in_use > self.count:
            raise InvariantError(f"{self.where}: {self.in_use} carriers in use, more than the {self.count} there are")

    def free(self) -> None:
        self.in_use -= 1
        if self.in_use < 0:
            raise InvariantError(f"{self.where}: a carrier was freed that was not in use")
        if self.waiters:
            self.waiters.popleft().succeed()

    def freed(self):
        """An event that fires when the next carrier is freed (the waiter checks ``Send.ready`` again)."""
        event = self.env.event()
        self.waiters.append(event)
        return event


class CallOff:
    """A free-flow station's output that sends parts orders (or own parts) as each car is done (before it is handed on)."""

    __slots__ = ("onward", "sends")

    def __init__(self, onward, sends: list[Send]):
        self.onward = onward
        self.sends = sends

    def route(self, car):
        for send in self.sends:
            send(car)
        return self.onward.route(car)

    def links(self) -> list[tuple[str, object]]:
        return [("onward", self.onward)] + [(f"call-off {k + 1}", send.target) for k, send in enumerate(self.sends)]


class BranchSplit:
    """In front of a parallel section: each car goes to one branch's input, by the section's rule.

    ``alternate``: strictly in turn over the branches that take the car's model; a car whose branch
    is full waits for it. ``shortest_queue``: the branch with the fewest cars (waiting or on its
    stations) that has room, equal ones taken in turn (so idle booths share the work); with none,
    the car waits for the first to make room. ``by_model``: the one branch that takes the model.
    """

    def __init__(self, env, *, rule: str, inputs: list, eligible: list[list[int]], branch_cars):
        """``eligible[model]``: the branches taking the model; ``branch_cars(b)``: cars in branch b now."""
        self.env = env
        self.rule = rule
        self.inputs = inputs
        self.eligible = eligible
        self.branch_cars = branch_cars
        self.turn = 0

    def _in_turn(self, car) -> int:
        options = self.eligible[car.model]
        return next((b for b in options if b >= self.turn), options[0])

    def _sent(self, b: int) -> None:
        self.turn = b + 1

    def _shortest(self, b: int) -> tuple[int, int]:
        return self.branch_cars(b), (b - self.turn) % len(self.inputs)

    def try_put(self, car, priority: bool = False) -> bool:
        if self.rule == "shortest_queue":
            for b in sorted(self.eligible[car.model], key=self._shortest):
                if self.inputs[b].try_put(car, priority):
                    self._sent(b)
                    return True
            return False
        b = self._in_turn(car)
        if self.inputs[b].try_put(car, priority):
            self._sent(b)
            return True
        return False

    def _taken(self, event) -> None:
        """A waiting car was taken by the branch whose buffer made room first: the turn moves past it."""
        self._sent(self.inputs.index(event.value))

    def put(self, car, priority: bool = False):
        if self.rule == "shortest_queue":
            event = self.env.event()
            event.car = car
            for b in self.eligible[car.model]:  # the first branch to make room takes it (its value: that branch)
                self.inputs[b].add_putter(event)
            event.callbacks.append(self._taken)
            return event
        b = self._in_turn(car)
        self._sent(b)
        return self.inputs[b].put(car, priority)

    def links(self) -> list[tuple[str, object]]:
        return [(f"branch {b + 1}", target) for b, target in enumerate(self.inputs)]


class Bypass:
    """In front of a free-flow station only some cars visit: the others go where its output sends them."""

    __slots__ = ("buffer", "node", "visits", "pending")

    def __init__(self, buffer, node, visits):
        self.buffer = buffer
        self.node = node
        self.visits = visits
        self.pending = None

    def try_put(self, car, priority: bool = False) -> bool:
        if self.visits[car.variant]:
            return self.buffer.try_put(car, priority)
        target, onward_priority = self.node.output.route(car)  # routed once: put() reuses it
        if target.try_put(car, onward_priority):
            return True
        self.pending = (target, onward_priority)
        return False

    def put(self, car, priority: bool = False):
        if self.visits[car.variant]:
            return self.buffer.put(car, priority)
        target, onward_priority = self.pending
        self.pending = None
        return target.put(car, onward_priority)

    def links(self) -> list[tuple[str, object]]:
        """The visited station's buffer; the cars passing it by go where that station's output sends them."""
        return [("buffer of the visited station", self.buffer), ("output of the station passed by", self.node.output)]
