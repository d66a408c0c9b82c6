"""A chain: a run of one shop's nodes computed by recursion in one SimPy process (engine v2; in progress, on the
engine-v2 branch, switched on by the environment variable SIM_CHAINS=1 for the comparison tests).

The nodes of a chain hand cars to each other through plain buffers (one producer, one consumer, FIFO). For them
the event-by-event run of engine v1 is a fixed recursion of wall times, which this module computes node by node
and car by car, calling each node's own methods for its work (breakdowns, state accounts) in the order v1 calls
them, so that every record is v1's:

* node i takes car k (a paced line: index k) at S(i, k) = max(PUT(i, k-1), the time car k is handed to it);
* it ends its work at E(i, k) = max(S, at_work(end of the phase in worked time));
* it hands its leaving car m (k - positions + 1 on a line, k on a station) on at PUT(i, k) = max(E, room): the next
  node took car m - b (b the buffer's places), or, with no place between them, was ready for car m.

The chain meets the rest of the plant only at its two ends: it waits (a timeout) until the time of each take from
its input and each hand-over at its output, and a full or empty store there is an ordinary SimPy wait. Inside it
costs no event: a chain of ten nodes costs about two events a car instead of ten to twenty.

Eligible nodes (``chainable``): paced lines without booths, drift zones or floaters, joins or sends, learning or
a line speed (outages and the run-in are the node's own ``_phase`` and ``_idle``), and not conveyors (their gaps come later); free-flow stations with one server, no labour
pool, joins, purge or take-offs.
"""

from __future__ import annotations

from collections import deque

from .buffer import Buffer
from .routing import Onward
from .states import BLOCKED, STARVED


class External(Exception):
    """The recursion needs the plant: (wall time, 'take' or 'put', car index)."""


class Beyond(Exception):
    """The recursion reached the end of the run."""


def chainable(node) -> bool:
    """Whether a node can run inside a chain (the module's list)."""
    if node.kind == "line":
        return (not node.gaps and not node.booths and not node.drift and not node.joins and not node.sends
                and node.learning is None and not node.ramped
                and node.empty_carriers == 0 and node._takt_given is not None)
    if node.kind == "station":
        return node.servers == 1 and not node.joins and not node.purge and not node.takeoffs
    return False


def chains(nodes: list) -> list[list]:
    """The maximal runs (two nodes or more) of chainable nodes joined by a plain buffer, in flow order."""
    runs, run = [], []
    for node in nodes:
        if not chainable(node):
            if len(run) > 1:
                runs.append(run)
            run = []
            continue
        if run and not _joined(run[-1], node):
            if len(run) > 1:
                runs.append(run)
            run = []
        run.append(node)
    if len(run) > 1:
        runs.append(run)
    return runs


def _joined(before, after) -> bool:
    output = before.output
    return type(output) is Onward and not output.priority and type(output.target) is Buffer and \
        output.target is after.input and output.target.capacity != float("inf")


class Chain:
    """The nodes of one run (``chains``), driven by one process."""

    def __init__(self, env, nodes: list, end: float):
        self.env = env
        self.nodes = nodes
        self.end = end
        """The run's end (wall time): nothing at or after it is computed."""
        self.clock = nodes[0].clock
        self.places = [len(n.positions) if n.kind == "line" else 1 for n in nodes]
        self.buffers = [n.output.target for n in nodes[:-1]]
        """buffers[i]: between node i and node i + 1."""
        count = len(nodes)
        self.s = [dict() for _ in range(count)]
        self.e = [dict() for _ in range(count)]
        self.put = [dict() for _ in range(count)]
        self.cars: dict[int, object] = {}
        """Car by index, as the chain's input handed them."""
        self.taken: dict[int, float] = {}
        """Wall time the first node took car k (resolved by the plant)."""
        self.handed: dict[int, float] = {}
        """Wall time the last node handed car m on (resolved by the plant)."""
        self.changes = [[] for _ in self.buffers]
        """Per inner buffer: (car, wall time handed in, whether the hand-over waited for room) of every car handed
        in, its level replayed from them at the end (``_levels``)."""
        self.state = [None] * count
        """Per node: (state, worked time since) when its last computed step is a wait past the end."""

    # ------------------------------------------------------------ the recursion

    def ready(self, i: int, k: int) -> float:
        return self.PUT(i, k - 1) if k > 0 else 0.0

    def S(self, i: int, k: int) -> float:
        s = self.s[i]
        if k in s:
            return s[k]
        ready = self.ready(i, k)
        if ready >= self.end:
            raise Beyond
        if i == 0:
            if k not in self.taken:
                raise External(ready, "take", k)
            start = self.taken[k]
        else:
            try:
                start = max(ready, self.handed_to(i, k))
            except Beyond:  # its car comes after the end: it waits for it at the end
                self.state[i] = (STARVED, self.clock.worked(ready))
                raise
        if start >= self.end:
            self.state[i] = (STARVED, self.clock.worked(ready))
            raise Beyond
        if start > ready:
            self._wait(i, STARVED, ready, start)
        s[k] = start
        return start

    def handed_to(self, i: int, k: int) -> float:
        """When node i - 1 hands car k on."""
        return self.PUT(i - 1, k + self.places[i - 1] - 1)

    def E(self, i: int, k: int) -> float:
        e = self.e[i]
        if k in e:
            return e[k]
        start = self.S(i, k)
        node, clock = self.nodes[i], self.clock
        w0 = clock.worked(start)
        car = self.cars[k]
        if node.kind == "line":
            positions = node.positions
            for p in range(len(positions)):
                positions[p] = self.cars.get(k - p) if k - p >= 0 else None
            work = node._index_time(w0)
            w_end = node._phase(w0, work)
            node.tick_start.append(w0)
            node.tick_end.append(w_end)
            node.tick_work.append(work)
            node.tick_model.append(car.variant)
        else:
            node.holding[0] = car
            w_end = node.failures[0].work(w0, node.cycle[car.model](), node.accounts[0])
        end = max(start, clock.at_work(w_end))
        e[k] = end
        return end

    def PUT(self, i: int, k: int) -> float:
        put = self.put[i]
        if k in put:
            return put[k]
        end = self.E(i, k)
        m = k - self.places[i] + 1
        if m < 0:
            put[k] = end
            return end
        last = i == len(self.nodes) - 1
        if last:
            if m not in self.handed:
                if end >= self.end:
                    raise Beyond
                raise External(end, "put", m)
            at = self.handed[m]
        else:
            if end >= self.end:
                raise Beyond  # still working at the end
            places = self.buffers[i].capacity
            try:
                if places == 0:
                    room = self.ready(i + 1, m)
                else:
                    room = self.S(i + 1, m - places) if m - places >= 0 else 0.0
            except Beyond:  # room comes after the end: it stands blocked at the end
                self.state[i] = (BLOCKED, self.clock.worked(end))
                raise
            at = max(end, room)
            if at >= self.end:
                self.state[i] = (BLOCKED, self.clock.worked(end))
                raise Beyond
        if at > end:
            self._wait(i, BLOCKED, end, at)
        if not last:
            self.changes[i].append((m, at, at > end))
        self._handed_on(i, at)
        put[k] = at
        return at

    def _handed_on(self, i: int, at: float) -> None:
        node = self.nodes[i]
        if node.kind == "station":
            node.holding[0] = None
            if node.wall_window.lo <= at < node.wall_window.hi:
                node.completions += 1

    def _wait(self, i: int, state: int, a: float, b: float) -> None:
        """Node i waited (starved or blocked) from wall time a to b: its records as v1 keeps them."""
        node, clock = self.nodes[i], self.clock
        w0, w1 = clock.worked(a), clock.worked(b)
        if node.kind == "line":
            node._idle(state, w0, w1)
        else:
            node.failures[0].idle(state, w0, w1, node.accounts[0])
            if w1 > w0:
                node.idle_log.append(w0)
                node.idle_log.append(w1)

    # ------------------------------------------------------------ the process

    def start(self) -> None:
        for node in self.nodes:
            node.start = lambda: None  # the chain runs them
        self.env.process(self._run())

    def _advance(self) -> list:
        """Compute every node as far as it goes; the plant's answers it waits for: (time, kind, car) each."""
        pending = []
        for i in range(len(self.nodes)):
            k = self.next[i]
            while True:
                try:
                    self.PUT(i, k)
                except External as need:
                    pending.append(need.args)
                    break
                except Beyond:
                    break
                k += 1
            self.next[i] = k
        return pending

    def _run(self):
        env = self.env
        first, final, last = self.nodes[0], self.nodes[-1], len(self.nodes) - 1
        self.next = [0] * len(self.nodes)
        while True:
            pending = self._advance()
            if not pending:  # every node reached the end: wait there, as v1's nodes do, not a standstill
                yield env.timeout(self.end - env.now)
                return
            when, what, j = min(pending, key=lambda need: (need[0], need[1] != "take"))
            if when > env.now:
                yield env.timeout(when - env.now)
            if what == "take":
                car = first.input.try_get()
                if car is None:
                    self.state[0] = (STARVED, self.clock.worked(env.now))
                    car = yield first.input.get()
                    self.state[0] = None  # the wait is booked when the recursion takes the car (S)
                self.cars[j] = car
                self.taken[j] = env.now
            else:
                car = self.cars[j]
                target, priority = final.output.route(car)
                if target is not None and not target.try_put(car, priority):
                    self.state[last] = (BLOCKED, self.clock.worked(env.now))
                    yield target.put(car, priority)
                    self.state[last] = None
                self.handed[j] = env.now

    def finish(self) -> None:
        """At the end of the run: every step of every node before the end computed, the cars where they are, the
        inner buffers' levels replayed, each node's wait at the end left for its own ``finish``."""
        self._advance()
        self._takes_into_buffers()
        for i, node in enumerate(self.nodes):
            self._leave_cars(i, node)

    def _takes_into_buffers(self) -> None:
        for i, handed in enumerate(self.changes):
            self._levels(i, handed)
            taken = self.s[i + 1]
            for m, _, _ in handed:  # cars handed into the buffer and not taken by the end wait in it
                if m not in taken:
                    self.buffers[i].items.append(self.cars[m])

    def _levels(self, i: int, handed: list) -> None:
        """Replay buffer i's level changes as v1's store makes them: a car handed straight to a node waiting for
        it, or placed by a blocked hand-over in the place a take just freed, changes nothing (nor does that take);
        any other car goes up one when handed in and down one when taken."""
        buffer, taken, places = self.buffers[i], self.s[i + 1], self.buffers[i].capacity
        if places == 0:
            return  # every car goes straight from one node to the next
        freed = set()  # cars whose take let a blocked hand-over in: their take changes nothing
        changes = []
        for m, at, blocked in handed:
            if m in taken and taken[m] == at and self.ready(i + 1, m) < at:
                continue  # handed straight to the next node, waiting for it
            if blocked and m - places >= 0 and taken.get(m - places) == at:
                freed.add(m - places)
            else:
                changes.append((at, 1))
            if m in taken:
                changes.append((taken[m], -1, m))
        monitor = buffer.monitor
        for change in sorted(changes, key=lambda c: (c[0], c[1])):  # a take before a hand-in at one instant
            if change[1] < 0 and change[2] in freed:
                continue
            monitor.change(change[0], change[1])

    def _leave_cars(self, i: int, node) -> None:
        started = sorted(self.s[i])
        if node.kind == "line":
            last = started[-1] if started else -1
            put_last = last in self.put[i]
            node.positions = deque(self.cars.get(last - p) if last - p >= 0 else None
                                   for p in range(len(node.positions)))
            if put_last:  # the last index handed its car on: the line stands ready for the next
                node.positions.rotate(1)
                node.positions[0] = None
            if self.state[i] is not None:
                node.waiting = self.state[i]
        else:
            last = started[-1] if started else -1
            node.holding[0] = self.cars[last] if last >= 0 and last not in self.put[i] else None
            if self.state[i] is not None:
                node.waiting[0] = self.state[i]
