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

Eligible nodes (``chainable``): paced lines without booths, joins or sends, learning or a line speed, and not
conveyors (their gaps come later); drift zones and floaters are the line's own ``_drift_index``, outages and the
run-in its ``_phase`` and ``_idle``. Free-flow stations with one server, no labour pool, joins, purge or
take-offs.
"""

from __future__ import annotations

from collections import deque

from .buffer import Buffer
from .routing import Onward
from .states import BLOCKED, STARVED


def chainable(node) -> bool:
    """Whether a node can run inside a chain (the module's list)."""
    if node.kind == "line":
        return (not node.gaps and not node.booths and not node.joins and not node.sends
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
        self.cursor = [0] * count
        """Per node: its next index (car, on a station)."""
        self.phase = [0] * count
        """Per node: 0 to take its next car, 1 to work it, 2 to hand its leaving car on."""
        self.stopped = [False] * count
        """Per node: nothing more before the end."""
        self.pending = [None, None]
        self.queued = [True] * count
        self.work = deque(range(count))
        """The nodes that may go further (the worklist of ``_advance``): all at first, then those woken."""
        self.direct = [i > 0 and self.buffers[i - 1].capacity == 0 for i in range(count)]
        """Per node: no place between it and the node before (that node hands it its car directly)."""

    # ------------------------------------------------------------ the recursion, node by node

    def _step(self, i: int) -> bool:
        """Take node i one phase further (its next take, its work, its hand-over) if what it needs is known;
        whether it went further. A node that can go no further before the end stops, its wait at the end kept."""
        if self.stopped[i]:
            return False
        k, phase = self.cursor[i], self.phase[i]
        if phase == 0:
            return self._take(i, k)
        if phase == 1:
            self._work(i, k)
            self.phase[i] = 2
            return True
        return self._hand_on(i, k)

    def _take(self, i: int, k: int) -> bool:
        ready = self.put[i][k - 1] if k > 0 else 0.0
        if i == 0:
            if k not in self.taken:
                self.pending[0] = (ready, "take", k)
                return False
            start = self.taken[k]
        else:
            handed = self.put[i - 1].get(k + self.places[i - 1] - 1)
            if handed is None:
                if self.stopped[i - 1]:  # its car comes after the end: it waits for it at the end
                    self._stop(i, STARVED, ready)
                return False
            start = handed if handed > ready else ready
        if start >= self.end:
            self._stop(i, STARVED, ready)
            return False
        if start > ready:
            self._wait(i, STARVED, ready, start)
        self.s[i][k] = start
        self.phase[i] = 1
        return True

    def _work(self, i: int, k: int) -> None:
        start = self.s[i][k]
        node, clock = self.nodes[i], self.clock
        w0 = clock.worked(start)
        car = self.cars[k]
        if node.kind == "line":
            positions = node.positions  # indexes come in order: the deque turns one place, as v1's does
            positions.rotate(1)
            positions[0] = car
            work = node._drift_index(w0) if node.drift else node._index_time(w0)
            w_end = node._phase(w0, work)
            node.tick_start.append(w0)
            node.tick_end.append(w_end)
            node.tick_work.append(work)
            node.tick_model.append(car.variant)
        else:
            node.holding[0] = car
            w_end = node.failures[0].work(w0, node.cycle[car.model](), node.accounts[0])
        self.e[i][k] = max(start, clock.at_work(w_end))

    def _hand_on(self, i: int, k: int) -> bool:
        end = self.e[i][k]
        m = k - self.places[i] + 1
        last = i == len(self.nodes) - 1
        if m < 0:
            at = end
        elif end >= self.end:  # still working at the end
            self.stopped[i] = True
            return False
        elif last:
            if m not in self.handed:
                self.pending[1] = (end, "put", m)
                return False
            at = self.handed[m]
        else:
            places = self.buffers[i].capacity
            if places == 0:  # the next node takes car m as soon as it is ready for it
                room = (self.put[i + 1].get(m - 1) if m > 0 else 0.0)
            else:  # a place is free once the next node took car m - places
                room = self.s[i + 1].get(m - places) if m >= places else 0.0
            if room is None:
                if self.stopped[i + 1]:  # room comes after the end: it stands blocked at the end
                    self._stop(i, BLOCKED, end)
                return False
            at = room if room > end else end
            if at >= self.end:
                self._stop(i, BLOCKED, end)
                return False
        if at > end:
            self._wait(i, BLOCKED, end, at)
        if m >= 0:
            if not last:
                self.changes[i].append((m, at, at > end))
            self._handed_on(i, at)
        self.put[i][k] = at
        self.cursor[i] = k + 1
        self.phase[i] = 0
        return True

    def _stop(self, i: int, state: int, since: float) -> None:
        self.stopped[i] = True
        self.state[i] = (state, self.clock.worked(since))

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
        """Every node as far as it goes (a node that went further may let its neighbours go); the plant's answers
        the chain waits for: (wall time, kind, car) each."""
        count = len(self.nodes)
        queued, work = self.queued, self.work
        step, phase, direct = self._step, self.phase, self.direct

        def wake(j: int) -> None:
            if 0 <= j < count and not queued[j]:
                queued[j] = True
                work.append(j)

        while work:
            i = work.popleft()
            queued[i] = False
            while True:
                was = phase[i]
                if not step(i):
                    break
                if was == 0:  # it took a car: a place is free for the node before it
                    wake(i - 1)
                elif was == 2:  # it handed a car on: the next node may take it; with no place between, the
                    wake(i + 1)  # node before may hand it its car now that it is ready
                    if direct[i]:
                        wake(i - 1)
        return [need for need in self.pending if need is not None]

    def _run(self):
        env = self.env
        first, final, last = self.nodes[0], self.nodes[-1], len(self.nodes) - 1
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
                self.pending[0] = None
                self._wake(0)
            else:
                car = self.cars[j]
                target, priority = final.output.route(car)
                if target is not None and not target.try_put(car, priority):
                    self.state[last] = (BLOCKED, self.clock.worked(env.now))
                    yield target.put(car, priority)
                    self.state[last] = None
                self.handed[j] = env.now
                self.pending[1] = None
                self._wake(last)

    def _wake(self, i: int) -> None:
        if not self.queued[i]:
            self.queued[i] = True
            self.work.append(i)

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
            ready = self.put[i + 1].get(m - 1) if m > 0 else 0.0  # the next node ready for car m
            if m in taken and taken[m] == at and ready is not None and ready < at:
                continue  # handed straight to the next node, waiting for it
            if blocked and m - places >= 0 and taken.get(m - places) == at:
                freed.add(m - places)
            else:
                changes.append((at, 1, m))
            if m in taken:
                changes.append((taken[m], -1, m))
        changes.sort()  # in time; a take before a hand-in at one instant
        _replay(buffer.monitor, [(at, delta) for at, delta, m in changes if delta > 0 or m not in freed])

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


def _replay(monitor, changes: list) -> None:
    """``LevelMonitor.change`` for each (time, delta) in order, in one loop (the same sums in the same order)."""
    lo, hi, capacity, trace = monitor.window.lo, monitor.window.hi, monitor.capacity, monitor.trace
    last_t, level, area, full, empty = monitor.last_t, monitor.level, monitor.area, monitor.full, monitor.empty
    max_level, max_ever = monitor.max_level, monitor.max_ever
    for now, delta in changes:
        a = last_t if last_t > lo else lo
        b = now if now < hi else hi
        if b > a:
            span = b - a
            if level > max_level:
                max_level = level
            area += level * span
            if level >= capacity:
                full += span
            if level == 0:
                empty += span
        last_t = now
        level += delta
        if trace is not None and delta:
            trace.append(now)
            trace.append(level)
        if level > max_ever:
            max_ever = level
        if lo <= now < hi and level > max_level:
            max_level = level
    monitor.last_t, monitor.level, monitor.area, monitor.full, monitor.empty = last_t, level, area, full, empty
    monitor.max_level, monitor.max_ever = max_level, max_ever
