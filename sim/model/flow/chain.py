"""A chain: a run of one shop's nodes computed by recursion in one SimPy process (engine v2; in progress, on the
engine-v2 branch, switched on by the environment variable SIM_CHAINS=1 for the comparison tests).

The nodes of a chain hand cars to each other through plain buffers (one producer, one consumer, FIFO). For them
the event-by-event run of engine v1 is a fixed recursion of wall times, which this module computes node by node,
index by index, calling each node's own methods for its work (index time, drift, breakdowns and outages, state
accounts) in the order v1 calls them, so that every record is v1's. Node i at its index k:

* takes its next car j at S = max(its hand-over of index k - 1, when car j is there for it): handed into the
  buffer before it (a buffer with places), or offered by the node before it (no place between: the hand-over is
  the take). A conveyor does not wait while it holds bodies: a car not there at the index start leaves an empty
  position;
* ends its work at E = max(S, at_work(end of the phase in worked time));
* hands its leaving car j on at PUT = max(E, a place free: the next node took car j - b), or, with no place
  between, when the next node takes it.

The chain meets the rest of the plant only at its two ends: it waits (a timeout) until the time of each take from
its input and each hand-over at its output, and a full or empty store there is an ordinary SimPy wait. Inside it
costs no event.

Eligible nodes (``chainable``): paced lines and conveyors without booths, joins or sends, learning or a line
speed (drift zones and floaters are the line's own ``_drift_index``, outages and the run-in its ``_phase`` and
``_idle``); free-flow stations with one server, no labour pool, joins, purge or take-offs.
"""

from __future__ import annotations

from collections import deque

from .buffer import Buffer
from .routing import Onward
from .states import BLOCKED, STARVED

INF = float("inf")


def chainable(node) -> bool:
    """Whether a node can run inside a chain (the module's list)."""
    if node.kind == "line":
        return (not node.booths and not node.joins and not node.sends and node.learning is None
                and not node.ramped and node.empty_carriers == 0 and node._takt_given is not None)
    if node.kind == "station":
        return node.servers == 1 and not node.joins and not node.purge and not node.takeoffs
    return False


def references(all_nodes: list) -> dict[int, int]:
    """How many links of the plant lead to each part (by id): the nodes' own ends and everything they lead to,
    each part's links walked once (as the wiring check walks them)."""
    count: dict[int, int] = {}
    walked: set[int] = set()
    parts = [part for node in all_nodes for _, part in node.links()]
    while parts:
        part = parts.pop()
        if part is None:
            continue
        count[id(part)] = count.get(id(part), 0) + 1
        if id(part) in walked or not hasattr(part, "links"):
            continue
        walked.add(id(part))
        parts.extend(target for _, target in part.links())
    return count


def chains(nodes: list, referenced: dict[int, int]) -> list[list]:
    """The maximal runs (two nodes or more) of chainable nodes joined by a plain buffer, in flow order: a buffer
    with one producer and one consumer (``referenced``: ``references`` of the plant; nothing else leads to it, such
    as a branch, a merge or a rework lane)."""
    runs, run = [], []
    for node in nodes:
        if not chainable(node):
            if len(run) > 1:
                runs.append(run)
            run = []
            continue
        if run and not _joined(run[-1], node, referenced):
            if len(run) > 1:
                runs.append(run)
            run = []
        run.append(node)
    if len(run) > 1:
        runs.append(run)
    return runs


def _joined(before, after, referenced: dict[int, int]) -> bool:
    output = before.output
    return type(output) is Onward and not output.priority and type(output.target) is Buffer and \
        output.target is after.input and output.target.capacity != INF and referenced.get(id(output.target)) == 2


class Chain:
    """The nodes of one run (``chains``), driven by one process."""

    def __init__(self, env, nodes: list, end: float):
        self.env = env
        self.nodes = nodes
        self.end = end
        """The run's end (wall time): nothing at or after it is computed."""
        self.clock = nodes[0].clock
        count = len(nodes)
        self.places = [len(n.positions) if n.kind == "line" else 1 for n in nodes]
        self.conveyor = [n.kind == "line" and n.gaps for n in nodes]
        self.buffers = [n.output.target for n in nodes[:-1]]
        """buffers[i]: between node i and node i + 1."""
        self.before = [None] + [b.capacity for b in self.buffers]
        """Per node: the places of the buffer in front of it (None: the chain's input)."""
        self.s = [[] for _ in range(count)]
        self.e = [[] for _ in range(count)]
        self.put = [[] for _ in range(count)]
        """Per node and index: wall time of its take, of the end of its work, of its hand-over."""
        self.car_in = [[] for _ in range(count)]
        """Per node and index: the car (its number in the chain) that entered, None for an empty position."""
        self.index_of = [[] for _ in range(count)]
        """Per node and car: the index it entered at (cars enter every node in their order)."""
        self.offered = [[] for _ in range(count)]
        """Per node and car: when the node was done with it and tried to hand it on."""
        self.handed = [[] for _ in range(count)]
        """Per node and car: when it handed it on."""
        self.blocked = [[] for _ in range(count)]
        """Per node and car: whether its hand-over waited for room."""
        self.inside = [0] * count
        self.cars: list = []
        """The cars by number, as the chain's input handed them."""
        self.answer: dict[int, object] = {}
        """The plant's answer to the first node's take at an index: (car or None, wall time)."""
        self.passed: dict[int, float] = {}
        """The plant's answer to the last node's hand-over of a car: its wall time."""
        self.state = [None] * count
        """Per node: (state, worked time since) when it waits at the end."""
        self.phase = [0] * count
        """Per node: 0 to take its next car, 1 to work, 2 to hand its leaving car on."""
        self.stopped = [False] * count
        """Per node: nothing more before the end."""
        self.pending = [None, None]
        """What the chain waits for from the plant: the first node's take, the last node's hand-over."""
        self.queued = [True] * count
        self.work = deque(range(count))

    # ------------------------------------------------------------ one node, one phase

    def _step(self, i: int) -> bool:
        if self.stopped[i]:
            return False
        phase = self.phase[i]
        if phase == 0:
            return self._take(i)
        if phase == 1:
            self._work(i)
            self.phase[i] = 2
            return True
        return self._hand_on(i)

    def _take(self, i: int) -> bool:
        k = len(self.s[i])
        ready = self.put[i][k - 1] if k > 0 else 0.0
        j = len(self.index_of[i])  # the next car to come
        conveyor = self.conveyor[i]
        if i == 0:
            if k not in self.answer:
                self.pending[0] = (ready, "take", k)
                return False
            car, at = self.answer.pop(k)
            if car is None:  # a conveyor holding bodies: the position stays empty
                return self._enter(i, k, ready, None)
            self.cars.append(car)
            start = at
        else:
            there = self._there(i, j)
            if there is None:
                if not self.stopped[i - 1]:
                    return False  # the node before has not got that far yet
                there = INF  # it comes after the end
            if conveyor and there > ready and self.inside[i] > 0:
                return self._enter(i, k, ready, None)
            start = there if there > ready else ready
        if start >= self.end:
            self._stop(i, STARVED, ready)
            return False
        if start > ready:
            self._wait(i, STARVED, ready, start)
        return self._enter(i, k, start, j)

    def _there(self, i: int, j: int):
        """When car j is there for node i (None: not known yet): handed into the buffer in front, or, with no place
        between, offered by the node before."""
        if self.before[i] == 0:
            offered = self.offered[i - 1]
            return offered[j] if j < len(offered) else None
        handed = self.handed[i - 1]
        return handed[j] if j < len(handed) else None

    def _enter(self, i: int, k: int, start: float, j) -> bool:
        self.s[i].append(start)
        self.car_in[i].append(j)
        if j is not None:
            self.index_of[i].append(k)
            self.inside[i] += 1
        self.phase[i] = 1
        return True

    def _work(self, i: int) -> None:
        k = len(self.e[i])
        start, j = self.s[i][k], self.car_in[i][k]
        node, clock = self.nodes[i], self.clock
        w0 = clock.worked(start)
        car = None if j is None else self.cars[j]
        if node.kind == "line":
            positions = node.positions  # indexes come in order: the deque turns one place, as v1's does
            positions.rotate(1)
            positions[0] = car
            work = node._drift_index(w0) if node.drift else node._index_time(w0)
            w_end = node._phase(w0, work)
            node.tick_start.append(w0)
            node.tick_end.append(w_end)
            node.tick_work.append(work)
            node.tick_model.append(-1 if car is None else car.variant)
        else:
            node.holding[0] = car
            w_end = node.failures[0].work(w0, node.cycle[car.model](), node.accounts[0])
        end = clock.at_work(w_end)
        self.e[i].append(end if end > start else start)

    def _hand_on(self, i: int) -> bool:
        k = len(self.put[i])
        end = self.e[i][k]
        leaving = k - self.places[i] + 1
        j = self.car_in[i][leaving] if leaving >= 0 else None
        last = i == len(self.nodes) - 1
        if j is not None:
            if j == len(self.offered[i]):
                self.offered[i].append(end)
                self._wake(i + 1)  # with no place between, the next node may take it now
            if end >= self.end:  # still working at the end
                self.stopped[i] = True
                return False
            if last:
                if j not in self.passed:
                    self.pending[1] = (end, "put", j)
                    return False
                at = self.passed.pop(j)
            else:
                room = self._room(i, j)
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
            self.handed[i].append(at)
            self.blocked[i].append(at > end)
            self.inside[i] -= 1
            self._handed_on(i, at)
        else:
            at = end
        self.put[i].append(at)
        self.phase[i] = 0
        return True

    def _room(self, i: int, j: int):
        """When node i may hand car j on (None: not known yet): the next node took car j - places, or, with no
        place between, took car j itself."""
        places = self.buffers[i].capacity
        wanted = j if places == 0 else j - places
        if wanted < 0:
            return 0.0
        index_of = self.index_of[i + 1]
        return self.s[i + 1][index_of[wanted]] if wanted < len(index_of) else None

    def _handed_on(self, i: int, at: float) -> None:
        node = self.nodes[i]
        if node.kind == "station":
            node.holding[0] = None
            if node.wall_window.lo <= at < node.wall_window.hi:
                node.completions += 1

    def _stop(self, i: int, state: int, since: float) -> None:
        self.stopped[i] = True
        self.state[i] = (state, self.clock.worked(since))

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

    def _wake(self, i: int) -> None:
        if 0 <= i < len(self.nodes) and not self.queued[i]:
            self.queued[i] = True
            self.work.append(i)

    def _advance(self) -> list:
        """Every woken node as far as it goes (a node that went further wakes its neighbours); the plant's answers
        the chain waits for: (wall time, kind, key) each."""
        queued, work, step, phase = self.queued, self.work, self._step, self.phase
        while work:
            i = work.popleft()
            queued[i] = False
            while True:
                was = phase[i]
                if not step(i):
                    break
                if was == 0:  # it took a car: a place is free for the node before it
                    self._wake(i - 1)
                elif was == 2:  # it handed a car on: the next node may take it
                    self._wake(i + 1)
        return [need for need in self.pending if need is not None]

    def _run(self):
        env, clock = self.env, self.clock
        first, final, last = self.nodes[0], self.nodes[-1], len(self.nodes) - 1
        while True:
            pending = self._advance()
            if not pending:  # every node reached the end: wait there, as v1's nodes do, not a standstill
                yield env.timeout(self.end - env.now)
                return
            when, what, key = min(pending, key=lambda need: (need[0], need[1] != "take"))
            if when > env.now:
                yield env.timeout(when - env.now)
            if what == "take":
                car = first.input.try_get()
                if car is None and not (self.conveyor[0] and self.inside[0]):
                    self.state[0] = (STARVED, clock.worked(env.now))
                    car = yield first.input.get()
                    self.state[0] = None  # the wait is booked when the node takes the car
                self.answer[key] = (car, env.now)
                self.pending[0] = None
                self._wake(0)
            else:
                car = self.cars[key]
                target, priority = final.output.route(car)
                if target is not None and not target.try_put(car, priority):
                    self.state[last] = (BLOCKED, clock.worked(env.now))
                    yield target.put(car, priority)
                    self.state[last] = None
                self.passed[key] = env.now
                self.pending[1] = None
                self._wake(last)

    def finish(self) -> None:
        """At the end of the run: every step of every node before the end computed, the cars where they are, the
        inner buffers' levels replayed, each node's wait at the end left for its own ``finish``."""
        for i in range(len(self.nodes)):
            self._wake(i)
        self._advance()
        for i in range(len(self.buffers)):
            self._levels(i)
            taken = len(self.index_of[i + 1])
            for j in range(taken, len(self.handed[i])):  # handed into the buffer, not taken by the end
                self.buffers[i].items.append(self.cars[j])
        for i, node in enumerate(self.nodes):
            self._leave_cars(i, node)

    def _levels(self, i: int) -> None:
        """Replay buffer i's level changes as v1's store makes them: a car handed straight to a node waiting for
        it, or placed by a blocked hand-over in the place a take just freed, changes nothing (nor does that take);
        any other car goes up one when handed in and down one when taken."""
        places = self.buffers[i].capacity
        if places == 0:
            return  # every car goes straight from one node to the next
        s, put, index_of = self.s[i + 1], self.put[i + 1], self.index_of[i + 1]
        freed = set()  # cars whose take let a blocked hand-over in: their take changes nothing
        changes = []
        for j, (at, blocked) in enumerate(zip(self.handed[i], self.blocked[i])):
            taken = s[index_of[j]] if j < len(index_of) else None
            if taken is not None and taken == at:
                k = index_of[j]
                ready = put[k - 1] if k > 0 else 0.0  # the next node ready for it: it was waiting
                if ready < at:
                    continue  # handed straight to the next node
            # a hand-over that waited for the take of car j - places, or came at that very instant (a tie: v1's
            # node tried first and stood blocked for no time), fills the place freed: no change
            if j >= places and j - places < len(index_of) and s[index_of[j - places]] == at:
                freed.add(j - places)
            else:
                changes.append((at, 1, j))
            if taken is not None:
                changes.append((taken, -1, j))
        changes.sort()  # in time; a take before a hand-in at one instant
        _replay(self.buffers[i].monitor, [(at, delta) for at, delta, j in changes if delta > 0 or j not in freed])

    def _leave_cars(self, i: int, node) -> None:
        count, done = self._indexes(i)
        if node.kind == "line":
            size = len(node.positions)
            last = count - 1
            handed_last = done == count and count > 0
            cars = [self._car_at(i, last - p) if last - p >= 0 else None for p in range(size)]
            node.positions = deque(None if j is None else self.cars[j] for j in cars)
            if handed_last:  # the last index handed its car on: the line stands ready for the next
                node.positions.rotate(1)
                node.positions[0] = None
            node.inside = sum(1 for car in node.positions if car is not None)
            if self.state[i] is not None:
                node.waiting = self.state[i]
        else:
            j = self._car_at(i, count - 1) if count else None
            node.holding[0] = self.cars[j] if j is not None and done < count else None
            if self.state[i] is not None:
                node.waiting[0] = self.state[i]

    def _indexes(self, i: int) -> tuple[int, int]:
        """Node i's indexes begun, and those whose hand-over is done."""
        return len(self.s[i]), len(self.put[i])

    def _car_at(self, i: int, k: int):
        """The car that entered node i at index k (None: an empty position)."""
        return self.car_in[i][k]


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


class KernelChain(Chain):
    """A chain whose recursion runs in the compiled kernel (``kernel.advance``): every node ``kernel_covered``."""

    DRAWS = 512

    def __init__(self, env, nodes: list, end: float):
        super().__init__(env, nodes, end)
        import numpy as np
        from . import kernel as K
        self.K, self.np = K, np
        n = len(nodes)
        lines = [node for node in nodes if node.kind == "line"]
        width = max([len(node.positions) for node in lines] + [1])
        stations = max([len(node.station_names) for node in lines] + [1])
        variants = max([node.cycle.shape[1] for node in lines] + [1])
        kinds = [(K.CONVEYOR if node.gaps else K.LINE) if node.kind == "line" else K.STATION for node in nodes]
        self.node_i = np.array([kinds, self.places, [-1] + [int(b.capacity) for b in self.buffers],
                                [len(node._slow) if node.kind == "line" else 0 for node in nodes]], dtype=np.int64)
        self.node_f = np.zeros((3, n))
        self.pos_i = np.zeros((2, n, width), dtype=np.int64)
        self.slow_need = np.zeros((n, width, variants))
        self.st_f = np.zeros((3, n, stations))
        self.st_i = np.zeros((3, n, stations), dtype=np.int64)
        self.samplers = {}
        """(node, slot) -> the sampler its draws come from: a line station's (time between, repair) or a station's
        cycle sampler."""
        models = 1
        self.cycle_slot = []
        for i, node in enumerate(nodes):
            if node.kind == "line":
                self.node_f[K.NODE_TAKT, i] = node.takt
                for q, (p, need) in enumerate(node._slow):
                    self.pos_i[0, i, q] = p
                    self.slow_need[i, q, :len(need)] = need
                self.pos_i[1, i, :len(node._station_of)] = node._station_of
                self.node_f[K.NODE_RUNNING, i] = node.running
                for fail_at, s in node.next_failure:
                    self.st_f[2, i, s] = fail_at
                    self.st_i[2, i, s] = 1
                    self.samplers[i, s] = node.failures[s]
                self.cycle_slot.append([])
            else:
                slots: dict[int, int] = {}
                mine = [slots.setdefault(id(sampler), len(slots)) for sampler in node.cycle]
                self.cycle_slot.append(mine)
                models = max(models, len(node.cycle), len(slots))
        self.models = models
        self.cyc_ij = np.zeros((2, n, models), dtype=np.int64)
        for i, mine in enumerate(self.cycle_slot):
            self.cyc_ij[1, i, :len(mine)] = mine
        self.draws = np.zeros((2, n, stations, 0))
        self.cyc = np.zeros((n, models, 0))
        self.draw_i = np.zeros((n, stations, 2), dtype=np.int64)
        self._more_draws()
        self.clock_a = np.array([self.clock.starts, self.clock.ends, self.clock.cum, self.clock.cum_end])
        first = nodes[0]
        wall = next((node.wall_window for node in nodes if node.kind == "station"), None)
        self.windows = np.array([first.worked_window.lo, first.worked_window.hi,
                                 wall.lo if wall is not None else 0.0, wall.hi if wall is not None else 0.0])
        self.count = np.zeros((n, K.COLUMNS), dtype=np.int64)
        self.count[:, K.WOKEN] = 1
        self.count[:, K.STATE] = -1
        self.plant = np.zeros(4)
        self.plant_i = np.zeros(9, dtype=np.int64)
        self.accs = np.zeros((2, n, 8))
        self.room = 0
        self.F = self.I = self.cars_a = self.idle_log = None
        self._grow()
        self._args = self._arguments()

    def _more_draws(self) -> None:
        """Each sampler's next draws, appended (the same values, in the same order, as drawn one at a time)."""
        np = self.np
        old = self.draws.shape[3]
        size = self.DRAWS if old == 0 else old
        draws = np.zeros(self.draws.shape[:3] + (old + size,))
        cyc = np.zeros(self.cyc.shape[:2] + (old + size,))
        draws[..., :old] = self.draws
        cyc[..., :old] = self.cyc
        for (i, s), breakdowns in self.samplers.items():
            draws[0, i, s, old:] = _draws(breakdowns.between, size)
            draws[1, i, s, old:] = _draws(breakdowns.repair, size)
        for i, node in enumerate(self.nodes):
            if node.kind == "station":
                seen = set()
                for sampler, slot in zip(node.cycle, self.cycle_slot[i]):
                    if slot not in seen:
                        seen.add(slot)
                        cyc[i, slot, old:] = _draws(sampler, size)
        self.draws, self.cyc = draws, cyc
        if hasattr(self, "_args"):
            self._args = self._arguments()

    def _grow(self) -> None:
        """Twice the room for indexes and cars (the kernel asked for it), what is there kept."""
        np, n, K = self.np, len(self.nodes), self.K
        old, room = self.room, max(1024, 2 * self.room)

        def wider(array, shape, fill, dtype):
            new = np.full(shape, fill, dtype=dtype)
            if array is not None:
                new[..., :array.shape[-1]] = array
            return new

        self.F = wider(self.F, (9, n, room), 0.0, float)
        self.I = wider(self.I, (4, n, room), -1, np.int64)
        if old == 0:
            self.I[K.I_BLOCKED:] = 0
        else:
            self.I[K.I_BLOCKED:, :, old:] = 0
        self.cars_a = wider(self.cars_a, (2, room), 0, np.int64)
        self.idle_log = wider(self.idle_log, (n, 2 * room), 0.0, float)
        self.room = room
        if hasattr(self, "_args"):
            self._args = self._arguments()

    def _arguments(self) -> tuple:
        """``kernel.advance``'s arguments (made again when an array is replaced: more room, more draws)."""
        return (self.F, self.I, self.cars_a, self.node_i, self.node_f, self.pos_i, self.slow_need, self.clock_a,
                self.windows, self.end, self.count, self.plant, self.plant_i, self.accs, self.st_f, self.st_i,
                self.draws, self.draw_i, self.cyc, self.cyc_ij, self.idle_log)

    def _compute(self) -> None:
        """The kernel as far as it goes: until it needs the plant, or every node reached the end."""
        K = self.K
        while True:
            why = K.advance(*self._args)
            if why == K.NEED_ROOM:
                self._grow()
            elif why == K.NEED_DRAWS:
                self._more_draws()
            else:
                return

    def _run(self):
        K, env, clock = self.K, self.env, self.clock
        first, final, last = self.nodes[0], self.nodes[-1], len(self.nodes) - 1
        take_from, plant, plant_i = first.input, self.plant, self.plant_i
        cars = self.cars
        while True:
            self._compute()
            taking, putting = plant_i[K.PI_TAKE], plant_i[K.PI_PUT]
            if not taking and not putting:  # every node reached the end: wait there, as v1's nodes do
                yield env.timeout(self.end - env.now)
                return
            take_at, put_at = plant[K.P_TAKE_AT], plant[K.P_PUT_AT]
            # the earlier of the two; a take before a hand-over at one instant
            take = taking and (not putting or take_at <= put_at)
            when = float(take_at if take else put_at)
            if when > env.now:
                yield env.timeout(when - env.now)
            if take:
                car = take_from.try_get()
                if car is None and not (self.conveyor[0] and self.count[0, K.INSIDE]):
                    self.state[0] = (STARVED, clock.worked(env.now))
                    car = yield take_from.get()
                    self.state[0] = None
                if car is None:
                    number = -1
                else:
                    number = len(cars)
                    cars.append(car)
                    if number >= self.room - 1:
                        self._grow()
                    self.cars_a[0, number] = car.variant
                    self.cars_a[1, number] = car.model
                plant_i[K.PI_TAKE] = 0
                plant_i[K.PI_ANS] = 1
                plant_i[K.PI_ANS_CAR] = number
                plant[K.P_ANS_AT] = env.now
                self.count[0, K.WOKEN] = 1
            else:
                car = cars[plant_i[K.PI_PUT_J]]
                target, priority = final.output.route(car)
                if target is not None and not target.try_put(car, priority):
                    self.state[last] = (BLOCKED, clock.worked(env.now))
                    yield target.put(car, priority)
                    self.state[last] = None
                plant_i[K.PI_PUT] = 0
                plant_i[K.PI_PASS] = 1
                plant[K.P_PASS_AT] = env.now
                self.count[last, K.WOKEN] = 1

    def finish(self) -> None:
        """At the end of the run: the kernel's last steps, then its arrays as the lists ``Chain`` keeps (the inner
        buffers' levels and the cars left are placed by ``Chain``'s own code) and its records into each node."""
        self.count[:, self.K.WOKEN] = 1
        self._compute()
        K, count = self.K, self.count
        for i in range(len(self.nodes)):
            if self.state[i] is None and count[i, K.STATE] >= 0:
                self.state[i] = (int(count[i, K.STATE]), float(self.node_f[K.NODE_SINCE, i]))
        for i in range(len(self.buffers)):
            self._levels(i)
            for j in range(int(count[i + 1, K.N_IDX]), int(count[i, K.N_HAND])):  # handed in, not taken
                self.buffers[i].items.append(self.cars[j])
        for i, node in enumerate(self.nodes):
            self._records(i, node)
            self._leave_cars(i, node)

    def _indexes(self, i: int) -> tuple[int, int]:
        return int(self.count[i, self.K.N_S]), int(self.count[i, self.K.N_PUT])

    def _car_at(self, i: int, k: int):
        j = int(self.I[self.K.I_CAR_IN, i, k])
        return None if j < 0 else j

    def _levels(self, i: int) -> None:
        """``Chain._levels`` in the kernel (``kernel.level_changes`` and ``kernel.replay``)."""
        places = int(self.buffers[i].capacity)
        if places == 0:
            return
        K, count, np = self.K, self.count, self.np
        F, I = self.F, self.I
        at, delta = K.level_changes(F[K.F_HANDED, i], int(count[i, K.N_HAND]), F[K.F_S, i + 1], F[K.F_PUT, i + 1],
                                    I[K.I_INDEX_OF, i + 1], int(count[i + 1, K.N_IDX]), places)
        monitor = self.buffers[i].monitor
        fields = np.array([monitor.last_t, monitor.level, monitor.area, monitor.full, monitor.empty,
                           monitor.max_level, monitor.max_ever], dtype=float)
        trace = K.replay(at, delta, monitor.window.lo, monitor.window.hi, float(monitor.capacity), fields,
                         monitor.trace is not None)
        monitor.last_t, monitor.area, monitor.full, monitor.empty = (float(v) for v in fields[[0, 2, 3, 4]])
        monitor.level, monitor.max_level, monitor.max_ever = (int(v) for v in fields[[1, 5, 6]])
        if monitor.trace is not None:
            monitor.trace.extend(trace.tolist())

    def _records(self, i: int, node) -> None:
        """The kernel's records of node i written where v1 keeps them."""
        K, count = self.K, self.count
        done = int(count[i, K.N_E])
        if node.kind == "line":
            F, I = self.F, self.I
            node.tick_start.extend(F[K.F_TICK_START, i, :done].tolist())
            node.tick_end.extend(F[K.F_TICK_END, i, :done].tolist())
            node.tick_work.extend(F[K.F_TICK_WORK, i, :done].tolist())
            variants = self.cars_a[0]
            node.tick_model.extend([-1 if j < 0 else int(variants[j]) for j in I[K.I_CAR_IN, i, :done].tolist()])
            node.tick_repairs.update({int(k): float(F[K.F_TICK_REPAIR, i, k])
                                      for k in self.np.flatnonzero(I[K.I_HAS_REPAIR, i, :done])})
            node.line_account.times[:] = self.accs[0, i].tolist()
            for s, account in enumerate(node.station_down):
                account.times[K.DOWN] = float(self.st_f[0, i, s])
                node.downs[s] = int(self.st_i[0, i, s])
                node.over_cycles[s] = int(self.st_i[1, i, s])
                node.over_cycle_stop[s] = float(self.st_f[1, i, s])
            node.running = float(self.node_f[K.NODE_RUNNING, i])
        else:
            node.accounts[0].times[:] = self.accs[1, i].tolist()
            node.idle_log.extend(self.idle_log[i, :count[i, K.N_IDLE]].tolist())
            node.completions = int(count[i, K.COMPLETIONS])


def _draws(sampler, n: int):
    """A sampler's next n draws (at once where it can)."""
    take = getattr(sampler, "take", None)
    return take(n) if take is not None else [sampler() for _ in range(n)]


def kernel_covered(node) -> bool:
    """Whether the compiled kernel covers a node (``kernel``'s list)."""
    from .states import NoFailures, OneMode
    if not chainable(node):
        return False
    if node.kind == "line":
        return not node.drift and node.outages is None and node.maintenance is None and \
            all(f is None or type(f) is OneMode for f in node.failures)
    return type(node.failures[0]) is NoFailures
