"""The compiled engine (engine v2; ``model.engine`` decides when it runs): v1's station and paced-line processes
as state machines on a numba event heap kept in SimPy's order (by time, then priority, then the number each event
gets when it is scheduled), with v1's stores (take, put, waiting takers and blocked puts, level monitor). Every event is scheduled where v1 schedules one, so the results are v1's
to the last bit.

Covered (``uncovered`` names what is not): free-flow stations (any servers; breakdowns on the operating or the
calendar clock, failure modes, maintenance, outages, paint booths' purges); paced lines and conveyors (a takt or
none, over-cycles, drift zones and floaters, breakdowns on the running clock, outages and the run-in, maintenance,
booths); quality gates with rework and scrap, re-entry lanes, parallel sections split in turn or by model; several
shops, each on its own shift clock; feeders (joins, call-offs and own parts on a bounded number of carriers);
FIFO buffers (logged or not) and sorting stores by colour or restoring the planned sequence; the launch as a pull
source and the plant's sink. Python launches and completes the cars: the launch's cars are drawn ahead in batches
(``Launch.draw``), and the kernel logs each launch, completion and scrap with its time, which Python replays in
order (``Launch.launch_drawn``, the plant's sink), and each car a shop takes (its entry log). The same log carries
what the kernel did in a Python store without asking it, where the store gave leave (``_given``, ``made_later``):
the yard's puts, the kit gates' passes, the launches the launch with kit holds gave ahead (``_give_cars``).

Beside SimPy: components' processes (kit deliveries, trains, pools' shifts) stay SimPy processes, in one sequence
of events with the kernel's (SimPy numbers its events from the kernel's counter; the kernel yields whenever
SimPy's next event comes first, and resumes at once each process SimPy's event woke). The kernel asks Python
(``_callout``, object mode) to take from or put into the Python stores (the launch with kit holds, kit gates, the
yard) and for labour-pool operators. Not yet covered: learning, the ramp-up's line speeds and month plan,
overtime, retrofits, empty carriers, the levelled PBS and keep_blocks, shortest-queue splits, unbounded
buffers between stations: those plants run on the SimPy processes.
"""

from __future__ import annotations

from array import array
from collections import deque

import numpy as np

from .car import Part
from .des_kernel import (
    AFTER_REPAIR, BROKEN, BY_COLOUR, BY_SEQUENCE, B_CAP, B_CHANGES, B_COLOUR, B_COUNT, B_GCOUNT, B_GHEAD,
    B_COLUMNS, B_HEAD, B_LOG, B_SEEN, B_SORT, B_TRACED, B_TRACE_ROW, CALLOUT, CHECK, CONVEYOR, CO_OFFER, CO_POOL_TAKE,
    CO_PUT, CO_TAKE, CO_WANTS, C_COUNT, C_IN_USE, DOWN, E_CARRIERS, E_OTHER_CAR, E_OVERDUE, E_PARTS_AWAY,
    FINISHED, FI_CALENDAR, FI_DUE, FI_MAINT, FI_MODES, FI_STOPS, FI_TALLY, FM_DOWN_END, FM_DOWN_START, FM_GAP,
    FM_LEFT, FM_NEXT_SERVICE, FM_TO_FAILURE, F_ALLOWANCE, F_LAST_START, F_LAST_WORK, F_RUNNING, F_TAKT, GATE,
    G_DRAWN, G_EXIT, G_FAILED, G_INSPECTED, G_ONWARD, G_PATHS, INF, IO_CARS, IO_DRAWN, IO_ENTRIES, IO_ERROR, IO_ERROR_AT,
    IO_LOGGED, IO_NEXT_CAR, IO_ONLY, IO_RESUME, IO_SEID, IO_SIZE, IO_SPRIO, IO_UNITS, J_CARRIERS, J_FITTED, J_WAITS, LANE,
    LINE, LN_COUNT, LN_HEAD, LN_RUNS, LN_RUN_HEAD, L_WAIT_PART, MERGE, NEED_CARS, NEED_CYCLES,
    NEED_DRAWS, NEED_ROOM, N_BASE, N_BOOTHS, N_COLUMNS, N_COMPLETIONS, N_DRIFT, N_EXIT, N_FLOATERS, N_IDLE,
    N_IN, N_INSIDE, N_JOIN0, N_JOINS, N_KIND, N_NEEDED, N_NSLOW, N_OUT, N_PLACES, N_PUSH_OUT, N_SEND0, N_SENDS,
    N_SERVERS, N_TAKE0, N_TAKES, N_TICKS, N_TICK_ROW, PL_CAR, PL_ORDER, PL_RUN_CARS, PL_RUN_KIND, PY, P_CAR, P_NODE,
    P_SERVER, P_STATE, P_STEP, P_VALUE, P_WAITING, PY_ENTRY, PY_GIVEN, LATER, RESUMED, SCRAPPED, SD_CARRIERS, SD_SENT, SINK, SOURCE,
    SO_ARRIVED, SO_BLOCK, SO_COLOUR, SO_COUNT, SO_FORCED, SO_OLD_HEAD, SO_OLD_N, SO_RELEASED, SO_WAIT_MAX,
    SO_WAIT_SUM, SPLIT, STATION, S_WAIT_PART, UNIT_ROWS, URGENT, U_AWAY, U_CAR, U_COLOUR, U_DRAWN, U_SEQ,
    U_VARIANT, YIELD, _try_get, run, schedule)


def covered(plant) -> bool:
    """Whether the compiled DES runs this plant whole (the module's list), with nothing else scheduled."""
    return not uncovered(plant)


def uncovered(plant) -> list[str]:
    """What keeps the compiled DES from running this plant whole, in words (empty: it runs it)."""
    from ..launch.launch import Launch
    from .buffer import Merge, Sink, Source
    from .routing import Onward
    found = [f"component {name}" for name in plant.components if name not in COMPONENTS]
    sinks = 0
    for node in plant.all_nodes():
        where = f"{node.shop}.{node.name}"
        targets = _targets(node.output)
        if targets is None or (node.kind == "line" and not isinstance(node.output, Onward)):
            found.append(f"{where}: output {type(node.output).__name__}")
            continue
        sinks += sum(type(t) is Sink for t in targets)
        found += [f"{where}: output to {type(t).__name__} {getattr(t, 'name', '')}" for t in targets
                  if type(t) is not Sink and not _plain_buffer(t) and type(t).__name__ != "Yard"]
        source = node.input
        sources = [source.lane, source.main] if type(source) is Merge else [source]
        if type(source) is Merge and not all(_plain_buffer(s) for s in sources):
            found.append(f"{where}: cars re-entering at the launch")
            continue
        found += [f"{where}: input {type(s).__name__} {getattr(s, 'name', '')}" for s in sources
                  if not ((type(s) is Source and getattr(s.launch, "__func__", None) is Launch.new_car) or
                          _plain_buffer(s) or type(s) is Launch or
                          (type(s).__name__ == "KitGate" and _plain_buffer(s.entry)))]
        if node.kind == "line":
            found += [f"{where}: {what}" for what, present in (
                ("learning", node.learning is not None), ("line speed (ramp-up)", node.ramped),
                ("empty carriers", node.empty_carriers),
                ("drift zones without a takt", node._takt_given is None and node.drift),
                ("breakdowns", not all(f is None or _modes_covered(f, node.worked_window) for f in node.failures)))
                if present]
        elif node.kind != "station" or type(node).__name__ not in ("Station", "PooledStation"):
            found.append(f"{where}: {type(node).__name__}")
        elif not all(_server_covered(f, node.worked_window) for f in node.failures):
            found.append(f"{where}: breakdowns")
        elif len({id(_outages_of(f)) for f in node.failures}) > 1:
            found.append(f"{where}: servers under different outages")
        if len({id(m) for m in _maintenances(node)}) > 1:
            found.append(f"{where}: more than one maintenance plan")
    if sinks > 1:
        found.append("more than one sink")
    return found


def _plain_buffer(store) -> bool:
    """A store of the plant the kernel runs: a FIFO buffer (logged or not), finite or a re-entry lane or call-offs
    (unbounded); a sorting store by colour (overdue bodies first) or restoring the planned sequence."""
    from .buffer import CALL_OFFS, REENTRY_LANE
    kind = type(store).__name__  # (a buffer of more places than a lane's: the SimPy processes' unbounded queue)
    if kind == "SortingStore":
        rule = type(store.rule).__name__
        return rule == "PlannedSequence" or (rule == "ColourBlocks" and not store.rule.keep_blocks)
    return kind in STORES and (store.capacity <= LANE or store.kind in (REENTRY_LANE, CALL_OFFS))


def _targets(output):
    """Where a node's cars may go (None: a router the kernel does not run): a plain ``Onward`` (or the shop's exit),
    a quality gate's ways (``QualityGate``, not a learning one), or a repair's way back (its lanes, set by the gate)."""
    from ..shops import _Gate
    from .routing import AfterRepair, Onward, QualityGate
    if type(output).__name__ == "_LearningExit":
        return None
    if type(output).__name__ == "CallOff":
        onward, sends = _call_offs(output)
        targets = _targets(onward)
        return None if targets is None else targets + [send.target for send in sends]
    if isinstance(output, Onward) and not output.priority:
        target = output.target
        if type(target).__name__ == "BranchSplit":
            return None if target.rule == "shortest_queue" else list(target.inputs)
        return [target]
    if type(output) is _Gate and type(output.gate) is QualityGate:
        gate = output.gate
        onward = _targets(gate.onward)
        return None if onward is None else onward + [t for _, t, _, _ in gate.paths] + [r for *_, r in gate.paths]
    if type(output) is AfterRepair:
        return []
    return None


def _maintenances(node) -> list:
    """The maintenance windows a node's breakdowns read (a line's, its servers')."""
    if node.kind == "line":
        return [node.maintenance] if node.maintenance is not None else []
    found = []
    for failures in node.failures:
        inner = failures.inner if _outages_of(failures) is not None else failures
        maintenance = getattr(inner, "maintenance", None)
        if type(maintenance).__name__ == "MaintenanceOnFreeTime":
            maintenance = maintenance.maintenance
        if maintenance is not None:
            found.append(maintenance)
    return found


def _maintenance_of(node):
    """The one maintenance windows a node reads (None: none)."""
    found = _maintenances(node)
    return found[0] if found else None


def _modes_covered(made, window) -> bool:
    """Breakdowns the kernel draws ahead: the single form or failure modes, plain samplers (no learning), the
    modes' tally over the shop's window."""
    from .states import FailureModes, OneMode
    if type(made) is OneMode:
        return hasattr(made.between, "take") and hasattr(made.repair, "take")
    return type(made) is FailureModes and made.window.lo == window.lo and made.window.hi == window.hi and \
        all(hasattr(d, "take") for d in made._betweens + made._repairs)


def _outages_of(failures):
    """The outage schedule a server's breakdown process runs under (None: none)."""
    from .outages import WithOutages
    return failures.outages if type(failures) is WithOutages else None


def _server_covered(failures, window) -> bool:
    from .outages import WithOutages
    from .states import NoFailures
    inner = failures.inner if type(failures) is WithOutages else failures
    return type(inner) is NoFailures or _operating(inner, window)


def _operating(failures, window) -> bool:
    """Breakdowns on the operating clock (the single form or failure modes, no learning)."""
    from .states import CalendarFailures, OperatingFailures
    made = getattr(failures.note, "__self__", None)
    return type(failures) in (OperatingFailures, CalendarFailures) and made is not None and \
        _modes_covered(made, window)


STORES = ("Buffer", "LoggedBuffer", "SortingStore")
"""The stores the kernel runs: a FIFO buffer, one that logs the cars its shop takes, a sorting store."""
PY_STORES = ("Launch", "KitGate", "Yard")
"""The stores Python keeps, which the kernel takes from or puts into through ``_callout``: the launch with holds
(kits, caps), a shop's kit gate (its entry a kernel store), the finished-car yard."""
COMPONENTS = ("supply", "outbound", "downtime", "events")
"""The components whose SimPy processes run beside the kernel: they reach the flow only through Python stores."""


class _SharedEids:
    """SimPy's event numbers drawn from the kernel's (``sched[1]``): the events of both heaps at one instant keep
    v1's order."""

    __slots__ = ("sched",)

    def __init__(self, sched):
        self.sched = sched

    def __iter__(self):
        return self

    def __next__(self) -> int:
        eid = int(self.sched[1])
        self.sched[1] = eid + 1
        return eid


class _KernelStore:
    """A kernel store as Python sees it (a kit gate's entry): take a car now, wait with a standing request."""

    def __init__(self, compiled, b: int, store):
        self.compiled, self.b, self.store = compiled, b, store
        self.name = store.name

    def try_get(self):
        c = self.compiled
        u = _try_get(self.b, float(c.plant.env.now), c.buf, c.items, c.getters, c.putters, c.putter_car, c.mon, c.mon_w,
                     c.heap_f, c.heap_i, c.sched, c.traces, c.sorting, c.cars_a, c.clocks, c.io)
        return None if u < 0 else c._unit(int(u))

    def add_getter(self, taker) -> None:
        c, b = self.compiled, self.b
        if taker not in c.takers:
            c.takers.append(taker)
        q = (c.buf[b, B_GHEAD] + c.buf[b, B_GCOUNT]) % c.getters.shape[1]
        c.getters[b, q] = -1 - c.takers.index(taker)
        c.buf[b, B_GCOUNT] += 1

    def waits(self, taker) -> bool:
        c, b = self.compiled, self.b
        if taker not in c.takers:
            return False
        ticket = -1 - c.takers.index(taker)
        room = c.getters.shape[1]
        return any(c.getters[b, (c.buf[b, B_GHEAD] + q) % room] == ticket for q in range(c.buf[b, B_GCOUNT]))


def _append(record, values) -> None:
    """Numbers appended to a run's record: an ``array.array`` takes them as it stores them (no Python object made
    for each of the millions of a year's records), a list as Python numbers."""
    if type(record) is array:
        record.frombytes(np.ascontiguousarray(values, dtype=record.typecode).tobytes())
    else:
        record.extend(values.tolist())


def _draws(sampler, n: int):
    """A sampler's next n draws (at once where it can: the same values, and the same sampler state, as n calls)."""
    take = getattr(sampler, "take", None)
    return take(n) if take is not None else [sampler() for _ in range(n)]


def _top_up(row, counts, used: int, made: int, low: int, sampler, draws) -> None:
    """One sampler's draws ahead (``row``; ``counts[used]`` taken, ``counts[made]`` made), when fewer than ``low``
    are left: the ones left moved to the front, the row filled with its next draws."""
    left = int(counts[made] - counts[used])
    if left >= low:
        return
    row[:left] = row[counts[used]:counts[made]].copy()
    row[left:] = draws(sampler, len(row) - left)
    counts[used], counts[made] = 0, len(row)


def _call_offs(output) -> tuple:
    """A free-flow station's output under its call-offs (``CallOff``, one wrapped round another per feeder), and
    its sends in the order ``CallOff.route`` calls them (the outermost first)."""
    sends = []
    while type(output).__name__ == "CallOff":
        sends += output.sends
        output = output.onward
    return output, sends


def _visits(visits, width: int) -> list:
    """Per variant, 1 when its units take a part at a join or send (``graph.takes_part``; None: every unit)."""
    return [1] * width if visits is None else [int(bool(v)) for v in visits] + [0] * (width - len(visits))


class _Rest:
    """A sampler handed back after the run: the draws taken ahead and not used, then its own."""

    __slots__ = ("values", "index", "sampler")

    def __init__(self, values, sampler):
        self.values, self.index, self.sampler = values.copy(), 0, sampler

    def __call__(self) -> float:
        if self.index < len(self.values):
            self.index += 1
            return float(self.values[self.index - 1])
        return self.sampler()


class CompiledPlant:
    """A covered plant's nodes and buffers run by ``run``; their records written back where v1 keeps them."""

    DRAWS = 4096

    def __init__(self, plant):
        self._draws = _draws
        self.plant = plant
        nodes = plant.all_nodes()
        self.nodes = nodes
        n = len(nodes)
        first = next(node.input for node in nodes if type(node.input).__name__ in ("Source", "Launch"))  # the first
        self.launch = first if type(first).__name__ == "Launch" else first.launch.__self__
        from .buffer import Merge
        stores = [b for node in nodes for b in ([node.input.lane, node.input.main] if type(node.input) is Merge
                                                 else [node.input]) + _targets(node.output)]
        stores += [b.entry for b in stores if type(b).__name__ == "KitGate"]  # a kit gate takes from a kernel store
        self.py_stores = list({id(b): b for b in stores if type(b).__name__ in PY_STORES}.values())
        """The Python stores the kernel takes from or puts into (``PY`` - their index)."""
        buffers = sorted({id(b): b for b in stores if type(b).__name__ in STORES}.values(),
                         key=lambda b: plant.buffers.index(b))
        self.buffers = buffers
        index = {id(b): k for k, b in enumerate(buffers)}
        lines = [node for node in nodes if node.kind == "line"]
        width = max([len(node.positions) for node in lines] + [1])
        stations = max([len(node.station_names) for node in lines] + [1])
        variants = max([node.cycle.shape[1] for node in lines] + [1])
        servers = max([node.servers for node in nodes if node.kind == "station"] + [1])
        stations = max(stations, servers)  # per line station, or per free-flow server
        self.nodes_a = np.zeros((n, N_COLUMNS), dtype=np.int64)
        booths = max([len(node.booths) for node in lines] + [servers, 1])
        self.booth_i = np.zeros((n, booths, 7), dtype=np.int64)
        self.booth_f = np.zeros((n, booths, 1 + variants))
        self.node_f = np.zeros((5, n))
        self.deficit = np.zeros((n, width))
        self.positions = np.full((n, width), -1, dtype=np.int64)
        self.slow_pos = np.zeros((n, width), dtype=np.int64)
        self.slow_need = np.zeros((n, width, variants))
        self.need_all = np.zeros((n, width, variants))
        """Per line position and variant, its work and transfer (a line without a takt paces by the slowest)."""
        self.station_of = np.zeros((n, width), dtype=np.int64)
        self.st_f = np.zeros((4, n, stations))
        self.st_i = np.zeros((4, n, stations), dtype=np.int64)
        self.line_acc = np.zeros((n, 8))
        self.acc = np.zeros((n, servers, 8))
        self.slot = np.full((n, stations), -1, dtype=np.int64)
        self.breakdowns: list = []
        """Per slot: (the breakdowns: ``OneMode`` or ``FailureModes``, the server's failure process or None)."""
        procs, self.cycle_slot, models = [], [], 1
        merges, gates = [], []
        self.gates = []
        self.sink = None
        """The plant's sink (the kernel counts the shops' exits, Python completes the cars)."""

        splits = []
        self.splits = splits

        self.shops = list(plant.nodes)

        def place(router):
            """Where an ``Onward`` leads in the kernel: a buffer's index, a split, or the sink."""
            if type(router.target).__name__ == "Sink":
                self.sink = router.target
                return SINK
            if type(router.target).__name__ == "BranchSplit":
                if router.target not in splits:
                    splits.append(router.target)
                return SPLIT - splits.index(router.target)
            if router.target in self.py_stores:
                return PY - self.py_stores.index(router.target)
            return index[id(router.target)]

        for i, node in enumerate(nodes):
            row = self.nodes_a[i]
            if type(node.input) is Merge:
                row[N_IN] = MERGE - len(merges)
                merges.append((index[id(node.input.lane)], index[id(node.input.main)]))
            else:
                row[N_IN] = SOURCE if type(node.input).__name__ == "Source" else \
                    PY - self.py_stores.index(node.input) if node.input in self.py_stores else index[id(node.input)]
            output, _ = _call_offs(node.output)
            kind = type(output).__name__
            if kind == "_ShopExit":  # the shop's last node: it counts the shop's cars out
                row[N_EXIT] = 1 + self.shops.index(output.shop)
            if kind == "_Gate":
                gate = output.gate
                row[N_OUT] = GATE - len(gates)
                gates.append((gate, place(gate.onward), [(upto, index[id(target)], index[id(reentry)], priority)
                                                        for upto, target, priority, reentry in gate.paths]))
                self.gates.append(gate)
            elif kind == "AfterRepair":
                row[N_OUT] = AFTER_REPAIR
            else:
                row[N_OUT] = place(output)
            if node.kind == "line":
                row[N_KIND] = CONVEYOR if node.gaps else LINE
                row[N_PUSH_OUT] = node.push_out
                row[N_TICK_ROW] = lines.index(node)
                row[N_BASE] = -1 if node._base_position is None else node._base_position
                self.need_all[i, :len(node.positions), :node.cycle.shape[1]] = node.cycle * node._factor + node.transfer
                row[N_SERVERS] = len(node.station_names)  # a line: its stations
                row[N_PLACES] = len(node.positions)
                row[N_NSLOW] = len(node._slow)
                self.node_f[F_TAKT, i] = node.takt
                self.node_f[F_RUNNING, i] = node.running
                row[N_BOOTHS] = len(node.booths)
                for b, (p, station, purge) in enumerate(node.booths):
                    colour = node.booth_colour[b]
                    self.booth_i[i, b, :3] = p, station, -1 if colour is None else colour
                    self.booth_f[i, b, 0] = purge
                    self.booth_f[i, b, 1:1 + node.cycle.shape[1]] = node.cycle[p] * node._factor + node.transfer
                if node.drift:
                    row[N_DRIFT], row[N_FLOATERS] = 1, node.floaters
                    self.node_f[F_LAST_START, i], self.node_f[F_LAST_WORK, i] = node._last_start, node._last_work
                    self.node_f[F_ALLOWANCE, i] = node.allowance
                    self.deficit[i, :len(node.deficit)] = node.deficit
                for q, (p, need) in enumerate(node._slow):
                    self.slow_pos[i, q] = p
                    self.slow_need[i, q, :len(need)] = need
                self.station_of[i, :len(node._station_of)] = node._station_of
                for fail_at, s in node.next_failure:
                    self.st_f[2, i, s] = fail_at
                    self.st_i[2, i, s] = 1
                    self.slot[i, s] = len(self.breakdowns)
                    self.breakdowns.append((node.failures[s], None))
                procs.append((i, 0))
                self.cycle_slot.append([])
            else:
                row[N_KIND] = STATION
                row[N_SERVERS] = node.servers
                row[N_NEEDED] = getattr(node, "needed", 0)  # a pooled station's operators a cycle
                if node.purge:
                    row[N_BOOTHS] = 1
                    self.booth_f[i, 0, 0] = node.purge
                    for k, colour in enumerate(node.colours):
                        self.booth_i[i, k, B_COLOUR] = -1 if colour is None else colour
                        self.booth_i[i, k, B_SEEN] = node.colour_tally._seen[k]
                for k, failures in enumerate(node.failures):
                    inner = failures.inner if _outages_of(failures) is not None else failures
                    if type(inner).__name__ in ("OperatingFailures", "CalendarFailures"):
                        self.slot[i, k] = len(self.breakdowns)
                        self.breakdowns.append((inner.note.__self__, inner))
                procs += [(i, k) for k in range(node.servers)]
                slots: dict[int, int] = {}
                self.cycle_slot.append([slots.setdefault(id(sampler), len(slots)) for sampler in node.cycle])
                models = max(models, len(node.cycle), len(slots))
        self._feeders(index)
        self.procs = np.zeros((len(procs), 9), dtype=np.int64)
        for p, (i, k) in enumerate(procs):
            self.procs[p, P_NODE], self.procs[p, P_SERVER] = i, k
        self.procs[:, P_WAITING] = -1
        self.procs[:, P_CAR] = -1
        self.procs[:, P_VALUE] = -1
        self.proc_w = np.zeros(len(procs))
        self.cyc_ij = np.zeros((3, n, models), dtype=np.int64)
        """Per node and cycle sampler: draws used, the sampler's slot (models sharing one), draws made (a large
        number where no sampler is: never short)."""
        self.cyc_ij[2] = 1 << 62
        for i, mine in enumerate(self.cycle_slot):
            self.cyc_ij[1, i, :len(mine)] = mine
        self._failure_slots()
        self.cyc = np.zeros((n, models, 0))
        self._more_draws()
        self._more_cycles()
        self._clocks(nodes)
        self._outages_and_maintenance(nodes, max(node.clock.worked(plant.window.hi) for node in nodes))
        self.wall = np.array([plant.window.lo, plant.window.hi])
        self._quality(merges, gates)
        self._splits(index)
        nb = max(len(buffers), 1)
        self.buf = np.zeros((nb, B_COLUMNS), dtype=np.int64)
        room = max([int(b.capacity) for b in buffers if b.capacity != INF and not hasattr(b, "lanes")] + [LANE]) + 1
        self.items = np.zeros((nb, room), dtype=np.int64)
        waiting = 4 * len(procs) + 4  # a merge's takers wait in two queues: a stale ticket may stay in one
        self.getters = np.zeros((nb, waiting), dtype=np.int64)
        self.putters = np.zeros((nb, waiting), dtype=np.int64)
        self.putter_car = np.zeros((nb, waiting), dtype=np.int64)
        self.mon = np.zeros((nb, 7))
        self.mon_w = np.zeros((nb, 3))
        for b, buffer in enumerate(buffers):
            self.buf[b, B_CAP] = LANE if buffer.capacity == INF else int(buffer.capacity)
            m = buffer.monitor
            self.mon[b] = [m.last_t, m.level, m.area, m.full, m.empty, m.max_level, m.max_ever]
            self.mon_w[b] = [m.window.lo, m.window.hi, m.capacity]
            self.buf[b, B_TRACED] = 0 if m.trace is None else 1
            self.buf[b, B_TRACE_ROW] = int(np.sum(self.buf[:b, B_TRACED] > 0))  # a row for each buffer traced
        self._sorting_stores()
        self.traces = np.zeros((max(int(np.sum(self.buf[:, B_TRACED] > 0)), 1), 4 * CHECK))
        self.heap_f = np.zeros((1, len(procs) + 4))
        self.heap_i = np.zeros((4, len(procs) + 4), dtype=np.int64)
        self.sched = np.zeros(3, dtype=np.int64)
        env = plant.env
        self.sched[1] = next(env._eid)  # after the components' processes: the nodes start as v1 starts them
        for p in range(len(procs)):  # every process started in the order v1 starts them
            schedule(self.heap_f, self.heap_i, self.sched, 0.0, URGENT, p, -1)
        env._eid = _SharedEids(self.sched)  # SimPy's events numbered in one sequence with the kernel's
        self.resumes: list = []
        """Kernel processes a SimPy event woke (process, value), to resume in order."""
        self.unit_of: dict = {}
        """id(car) -> its unit, for the cars Python handed over or was handed (the cars list keeps them alive)."""
        self.takers: list = []
        """Python takers waiting in kernel stores (a kit gate's standing request): ticket -1 - index."""
        self._proxies()
        self.exits = np.zeros(len(self.shops), dtype=np.int64)
        self.io = np.zeros(IO_SIZE + 2 * len(self.py_stores), dtype=np.int64)  # then two per Python store
        for s, store in enumerate(self.py_stores):
            self.io[IO_SIZE + 2 * s + PY_ENTRY] = store.entry.b if store in self.kit_gates else -1
        self.leaves = [(IO_SIZE + 2 * s + PY_GIVEN, store.without_asking) for s, store in enumerate(self.py_stores)
                       if hasattr(store, "without_asking")]
        """The Python stores that give the kernel leave to put or take without asking (``_given``), Python making
        those puts and takes later in the log's order (``made_later``): the yard, the kit gates."""
        self.gives = self.launch in self.py_stores and all(hasattr(hold, "sure") for hold in self.launch.holds)
        """Whether the launch with holds gives the kernel cars ahead (``_give_cars``)."""
        if self.gives and hasattr(self.launch.sequence, "breaches"):
            self.launch.breach_history = deque(maxlen=self.GIVEN + self.launch.look_ahead + 2)
        self.io[IO_RESUME] = -1
        self.io_f = np.zeros(2)
        self.log_t = np.zeros(16384)
        self.log_c = np.zeros(16384, dtype=np.int64)
        self.drawn: list = []
        self.launched = self.launch.launched
        self.breaches: list = []
        """A sequencer's count of broken spacing rules after each car drawn (its count is the launched cars')."""
        self.breaches_before = list(getattr(self.launch.sequence, "breaches", []))
        self.cars = []
        self.cars_a = np.zeros((UNIT_ROWS, 4 * self.DRAWN), dtype=np.int32)  # a year's units: 3 MB per 100,000
        self.drawn_a = np.zeros((4, self.GIVEN if self.gives else 0), dtype=np.int64)
        self.ticks = np.zeros((4, max(len(lines), 1), 0))
        self.tick_i = np.zeros((3, max(len(lines), 1), 0), dtype=np.int64)
        """The lines' index records, a row each (``N_TICK_ROW``)."""
        self.idle_log = np.zeros((n, 0))
        self._grow()

    def _feeders(self, index: dict) -> None:
        """The joins, sends and carriers of the feeders, each node's in a run of rows (its first row, how many): a
        line's sends in its order, a free-flow station's in ``CallOff.route``'s, its take-offs in its own."""
        joins, sends, takeoffs, carriers = [], [], [], []
        for i, node in enumerate(self.nodes):
            row = self.nodes_a[i]
            row[N_JOIN0], row[N_JOINS] = len(joins), len(node.joins)
            joins += node.joins
            mine = node.sends if node.kind == "line" else _call_offs(node.output)[1]
            row[N_SEND0], row[N_SENDS] = len(sends), len(mine)
            sends += mine
            takes = getattr(node, "takeoffs", [])
            row[N_TAKE0], row[N_TAKES] = len(takeoffs), len(takes)
            takeoffs += [sends.index(send) for send in takes]
            for send in mine:
                if send.carriers is not None and send.carriers not in carriers:
                    carriers.append(send.carriers)
        width = max([len(x.visits) for x in joins + sends if x.visits is not None] + [self.slow_need.shape[2], 1])
        self.joins, self.sends, self.carriers = joins, sends, carriers
        self.join_i = np.zeros((max(len(joins), 1), 8), dtype=np.int64)
        self.join_f = np.zeros(max(len(joins), 1))
        self.join_v = np.ones((max(len(joins), 1), width), dtype=np.int64)
        for j, join in enumerate(joins):
            self.join_i[j, :J_WAITS] = (self.nodes.index(next(n for n in self.nodes if join in n.joins)),
                                        join.position, index[id(join.buffer)], join.matched, join.own,
                                        -1 if join.carriers is None else carriers.index(join.carriers))
            self.join_i[j, J_WAITS], self.join_i[j, J_FITTED], self.join_f[j] = join.waits, join.fitted, join.waited
            self.join_v[j] = _visits(join.visits, width)
        self.send_i = np.zeros((len(sends), 6), dtype=np.int64)
        self.send_v = np.ones((max(len(sends), 1), width), dtype=np.int64)
        for k, send in enumerate(sends):
            self.send_i[k] = (0, send.position, index[id(send.target)], send.own,
                              -1 if send.carriers is None else carriers.index(send.carriers), send.sent)
            self.send_v[k] = _visits(send.visits, width)
        self.tk_s = np.array(takeoffs + [0], dtype=np.int64)
        self.carr_i = np.zeros((max(len(carriers), 1), 4), dtype=np.int64)
        for c, bound in enumerate(carriers):
            self.carr_i[c, C_COUNT], self.carr_i[c, C_IN_USE] = bound.count, bound.in_use
        self.carr_w = np.zeros((max(len(carriers), 1), len(self.nodes_a) * max(self.slot.shape[1], 1) + 1),
                               dtype=np.int64)

    def _clocks(self, nodes) -> None:
        """Each shop's shift clock (rows: starts, ends, cum, cum_end; padded with inf), which one each node reads, and
        each node's measured window in its shop's worked time."""
        clocks = list({id(clock): clock for clock in [node.clock for node in nodes] +
                       [b.clock for b in self.buffers if type(b).__name__ == "SortingStore"]}.values())
        self.clock_objects = clocks
        width = max(len(clock.starts) for clock in clocks)
        self.clocks = np.full((len(clocks), 4, width), INF)
        for c, clock in enumerate(clocks):
            for row, values in enumerate((clock.starts, clock.ends, clock.cum, clock.cum_end)):
                self.clocks[c, row, :len(values)] = values
        self.node_clock = np.array([clocks.index(node.clock) for node in nodes], dtype=np.int64)
        self.windows = np.array([[node.worked_window.lo, node.worked_window.hi] for node in nodes])

    def _quality(self, merges: list, gates: list) -> None:
        """The merges' two stores, and each quality gate: its yields, rework paths and uniform draws."""
        self.merges = np.array(merges or [(0, 0)], dtype=np.int64)
        paths = max([len(p) for _, _, p in gates] + [1])
        self.gate_i = np.zeros((max(len(gates), 1), 6), dtype=np.int64)
        self.gate_f = np.zeros((max(len(gates), 1), 2 + paths))
        self.paths_i = np.zeros((max(len(gates), 1), paths, 3), dtype=np.int64)
        for g, (gate, onward, ways) in enumerate(gates):
            self.gate_i[g, G_ONWARD], self.gate_i[g, G_PATHS] = onward, len(ways)
            if type(gate.onward).__name__ == "_ShopExit":
                self.gate_i[g, G_EXIT] = 1 + self.shops.index(gate.onward.shop)
            self.gate_i[g, G_INSPECTED], self.gate_i[g, G_FAILED] = gate.inspected, gate.failed
            self.gate_f[g, :2] = gate.pass_below, gate.scrap_below
            for q, (upto, target, reentry, priority) in enumerate(ways):
                self.gate_f[g, 2 + q] = upto
                if not -(1 << 31) <= reentry < 1 << 31:  # the kernel keeps it in the car's row of the unit table
                    raise RuntimeError(f"engine v2: a rework path's re-entry {reentry} does not fit the unit table")
                self.paths_i[g, q] = target, reentry, priority
        self.gate_u = np.zeros((max(len(gates), 1), 0))
        self._more_uniforms()

    def _splits(self, index: dict) -> None:
        """Each parallel section's split: its turn, its branches' inputs, the branches taking each model."""
        branches = max([len(split.inputs) for split in self.splits] + [1])
        models = max([len(split.eligible) for split in self.splits] + [1])
        self.split_i = np.zeros((max(len(self.splits), 1), 2 + branches), dtype=np.int64)
        self.split_e = np.zeros((max(len(self.splits), 1), models, 1 + branches), dtype=np.int64)
        for s, split in enumerate(self.splits):
            self.split_i[s, 0], self.split_i[s, 1] = split.turn, len(split.inputs)
            self.split_i[s, 2:2 + len(split.inputs)] = [index[id(b)] for b in split.inputs]
            for model, options in enumerate(split.eligible):
                self.split_e[s, model, 0] = len(options)
                self.split_e[s, model, 1:1 + len(options)] = options

    def _more_uniforms(self) -> None:
        """Twice the gates' uniform draws."""
        if self.gate_u.shape[1] and np.max(self.gate_i[:, G_DRAWN]) < self.gate_u.shape[1] - CHECK:
            return  # none is short
        old = self.gate_u.shape[1]
        size = self.DRAWS if old == 0 else old
        draws = np.zeros((self.gate_u.shape[0], old + size))
        draws[:, :old] = self.gate_u
        for g, gate in enumerate(self.gates):
            draws[g, old:] = self._draws(gate.uniform, size)
        self.gate_u = draws

    def _outages_and_maintenance(self, nodes, worked_end: float) -> None:
        """Each outage schedule grown past the horizon (the same intervals v1 reads as it goes: each draws from
        its own streams) as arrays, which schedule covers each node, and the shop's maintenance windows."""
        schedules: dict[int, object] = {}
        covering = []
        for node in nodes:
            schedule_of = node.outages if node.kind == "line" else _outages_of(node.failures[0])
            if schedule_of is not None:
                schedules.setdefault(id(schedule_of), schedule_of)
            covering.append(-1 if schedule_of is None else list(schedules).index(id(schedule_of)))
        self.node_out = np.array(covering, dtype=np.int64)
        for schedule_of in schedules.values():
            schedule_of._known_past(worked_end + 30 * 86400.0)
        size = max([len(x.starts) for x in schedules.values()] + [1])
        self.outs = np.zeros((max(len(schedules), 1), 3, size))
        self.n_outs = np.zeros(max(len(schedules), 1), dtype=np.int64)
        for o, schedule_of in enumerate(schedules.values()):
            count = len(schedule_of.starts)
            self.outs[o, 0, :count] = schedule_of.starts
            self.outs[o, 1, :count] = schedule_of.ends
            self.outs[o, 2, :count] = schedule_of.free_at
            self.n_outs[o] = count
        # each shop's maintenance windows (row 0: none), and which each node reads
        found = [_maintenance_of(node) for node in nodes]
        windows = [None] + list({id(m): m for m in found if m is not None}.values())
        size = max([len(m.at) for m in windows[1:]] + [1])
        self.maints = np.zeros((len(windows), 2, size))
        self.n_maints = np.zeros(len(windows), dtype=np.int64)
        for k, maintenance in enumerate(windows[1:], start=1):
            self.maints[k, 0, :len(maintenance.at)] = maintenance.at
            self.maints[k, 1, :len(maintenance.at)] = maintenance.hours
            self.n_maints[k] = len(maintenance.at)
        self.node_maint = np.array([0 if m is None else windows.index(m) for m in found], dtype=np.int64)
        self.next_service = np.array([node.next_service if node.kind == "line" else INF for node in nodes])

    def _failure_slots(self) -> None:
        """Each server's breakdowns as a slot: its modes' clocks, the mode due and the gap given last (the single
        form as one mode that has just failed: its next time between is its next draw), a free-flow server's time
        to failure and next service, each mode's tally."""
        from .states import FailureModes
        count = max(len(self.breakdowns), 1)
        modes = max([len(b.names) if type(b) is FailureModes else 1 for b, _ in self.breakdowns] + [1])
        self.fm_i = np.zeros((count, FI_STOPS + modes), dtype=np.int64)
        self.fm_f = np.zeros((count, FM_LEFT + 2 * modes))
        self.fm_draws = np.zeros((2, count, modes, 0))
        self.fm_di = np.zeros((count, modes, 4), dtype=np.int64)
        """Per slot and mode: draws used (time between, repair), draws made (a large number where no mode is)."""
        self.fm_di[:, :, 2:] = 1 << 62
        self.fm_samplers = []
        """Per slot and mode: (time between, repair) samplers."""
        for f, (made, process) in enumerate(self.breakdowns):
            row, values = self.fm_i[f], self.fm_f[f]
            if type(made) is FailureModes:
                row[FI_MODES], row[FI_TALLY] = len(made.names), 1
                row[FI_DUE] = -1 if made.due is None else made.due
                values[FM_GAP] = made.gap
                values[FM_LEFT:FM_LEFT + len(made.left)] = made.left
                self.fm_samplers.append(list(zip(made._betweens, made._repairs)))
            else:
                row[FI_MODES], row[FI_DUE] = 1, 0
                self.fm_samplers.append([(made.between, made.repair)])
            values[FM_NEXT_SERVICE] = INF
            if process is not None:
                maintenance = process.maintenance
                row[FI_MAINT] = 0 if maintenance is None else 1 + bool(maintenance.preventive)
                if type(process).__name__ == "CalendarFailures":
                    row[FI_CALENDAR] = 1
                    values[FM_DOWN_START], values[FM_DOWN_END] = process.down_start, process.down_end
                else:
                    values[FM_TO_FAILURE] = process.to_failure
                    values[FM_NEXT_SERVICE] = process.next_service

    def _more_draws(self) -> None:
        """Each breakdown sampler running low (fewer than 8 x CHECK draws left) topped up: its draws left moved to
        the front, new ones after them (the same values, in the same order, as drawn one at a time)."""
        n = self.DRAWS
        if self.fm_draws.shape[3] != n:
            self.fm_draws = np.zeros(self.fm_draws.shape[:3] + (n,))
            for f, samplers in enumerate(self.fm_samplers):
                self.fm_di[f, :len(samplers), 2:] = 0
        for f, samplers in enumerate(self.fm_samplers):
            for k, pair in enumerate(samplers):
                for kind, sampler in enumerate(pair):
                    _top_up(self.fm_draws[kind, f, k], self.fm_di[f, k], kind, 2 + kind, 8 * CHECK, sampler,
                            self._draws)

    def _more_cycles(self) -> None:
        """Each free-flow station's cycle sampler running low topped up as ``_more_draws`` tops up breakdowns."""
        n = self.DRAWS
        if self.cyc.shape[2] != n:
            self.cyc = np.zeros(self.cyc.shape[:2] + (n,))
            for i, node in enumerate(self.nodes):
                if node.kind == "station":
                    self.cyc_ij[2, i, :len(set(self.cycle_slot[i]))] = 0
        for i, node in enumerate(self.nodes):
            if node.kind == "station":
                seen = set()
                for sampler, slot in zip(node.cycle, self.cycle_slot[i]):
                    if slot not in seen:
                        seen.add(slot)
                        _top_up(self.cyc[i, slot], self.cyc_ij[:, i, slot], 0, 2, CHECK, sampler, self._draws)

    def _grow(self) -> None:
        """Room: the lines' index records and the stations' waits written to the nodes when the kernel's rows are
        nearly full (``_write_records``; rows of ``RECORDS``), the units and the stores' traces twice as long."""
        def wider(array, size):
            new = np.zeros(array.shape[:-1] + (size,), dtype=array.dtype)
            new[..., :array.shape[-1]] = array
            return new

        if self.ticks.shape[2] == 0:
            self.ticks = wider(self.ticks, self.RECORDS)
            self.tick_i = wider(self.tick_i, self.RECORDS)
            self.idle_log = wider(self.idle_log, self.RECORDS)
        elif np.max(self.nodes_a[:, N_TICKS]) >= self.ticks.shape[2] - CHECK or \
                np.max(self.nodes_a[:, N_IDLE]) >= self.idle_log.shape[1] - 2 * CHECK:
            self._write_records()
        if self.io[IO_UNITS] >= self.cars_a.shape[1] - CHECK * (2 + len(self.send_i)):
            self.cars_a = wider(self.cars_a, 2 * self.cars_a.shape[1])
        if hasattr(self, "traces") and np.max(self.buf[:, B_TRACED]) >= self.traces.shape[1] - 2 * CHECK:
            self.traces = wider(self.traces, 2 * self.traces.shape[1])

    RECORDS = 16 * CHECK
    """Index records a line, and wait ends a station, the kernel keeps before writing them to the nodes."""

    def _write_records(self) -> None:
        """Each line's index records and each station's waits so far written where v1 keeps them (appended: the
        kernel's rows start again), so that the kernel keeps only the last stretch of them."""
        for i, node in enumerate(self.nodes):
            row = self.nodes_a[i]
            if node.kind == "line":
                done, r, base = int(row[N_TICKS]), int(row[N_TICK_ROW]), len(node.tick_start)
                _append(node.tick_start, self.ticks[0, r, :done])
                _append(node.tick_end, self.ticks[1, r, :done])
                _append(node.tick_work, self.ticks[2, r, :done])
                _append(node.tick_model, self.tick_i[0, r, :done])
                node.tick_repairs.update({base + int(k): float(self.ticks[3, r, k])
                                          for k in np.flatnonzero(self.tick_i[1, r, :done])})
                for k in np.flatnonzero(self.tick_i[2, r, :done]):
                    mask = int(self.tick_i[2, r, k])
                    node.tick_purges[base + int(k)] = [(station, purge) for b, (_, station, purge)
                                                       in enumerate(node.booths) if mask >> b & 1]
            else:
                _append(node.idle_log, self.idle_log[i, :int(row[N_IDLE])])
            row[N_TICKS] = row[N_IDLE] = 0

    def _arguments(self) -> tuple:
        return (self.procs, self.proc_w, self.nodes_a, self.node_f, self.positions, self.slow_pos, self.slow_need,
                self.station_of, self.cars_a, self.clocks, self.windows, self.wall, self.plant.window.hi, self.ticks,
                self.tick_i, self.line_acc, self.st_f, self.st_i, self.fm_i, self.fm_f, self.fm_draws, self.fm_di,
                self.slot, self.acc, self.idle_log,
                self.cyc, self.cyc_ij, self.buf, self.items, self.getters, self.putters, self.putter_car, self.mon,
                self.mon_w, self.heap_f, self.heap_i, self.sched, self.io, self.io_f, self.log_t, self.log_c, self.outs, self.n_outs, self.node_out, self.maints, self.n_maints,
                self.next_service, self.deficit, self.booth_i, self.booth_f, self.merges, self.gate_i, self.gate_f,
                self.gate_u, self.paths_i, self.split_i, self.split_e, self.node_clock, self.exits, self.traces,
                self.node_maint, self.drawn_a, self.join_i, self.join_f, self.join_v, self.send_i, self.send_v,
                self.tk_s, self.carr_i, self.carr_w, self.sorting, self.need_all)

    DRAWN = 4096
    """Cars drawn for the launch at a time."""

    def _draw_cars(self) -> None:
        """The launch's next cars drawn (sequence, market, colour: each stream in launch order, as v1 draws them
        car by car); launched when the kernel takes them."""
        launch, drawn = self.launch, self.drawn
        first = len(drawn)
        sequence = launch.sequence
        counts = getattr(sequence, "breaches", None)  # a sequencer's own count of the spacing rules it broke
        for _ in range(self.DRAWN):
            drawn.append(launch.draw(sequence.next_variant()))
            if counts is not None:
                self.breaches.append(list(counts))
        self._drawn_ahead(first, self.launched + 1 + first)

    def _drawn_ahead(self, first: int, seq: int) -> None:
        """The cars drawn from ``first`` on into the kernel's table of drawn cars, ``seq`` the launch number the
        first will get (``Launch.launch_drawn``)."""
        drawn = self.drawn
        fresh = np.array([(d[0], d[1], d[3], seq + q) for q, d in enumerate(drawn[first:])],
                         dtype=np.int64).reshape(-1, 4).T
        if len(drawn) > self.drawn_a.shape[1]:
            wider = np.zeros((4, max(2 * self.drawn_a.shape[1], len(drawn))), dtype=np.int64)
            wider[:, :first] = self.drawn_a[:, :first]
            self.drawn_a = wider
        self.drawn_a[:, first:len(drawn)] = fresh
        self.io[IO_DRAWN] = len(drawn)

    GIVEN = 256
    """Cars the launch with holds is asked for ahead at a time."""

    def _give_cars(self, s: int) -> None:
        """The next cars the launch with holds (Python store ``s``) surely launches one after another, drawn now
        (``Launch.draw``: the streams in launch order) and given to the kernel, which launches them without asking
        (``Launch.launch_given`` at each one's time): asked when the kernel has launched the ones it had."""
        launch, drawn = self.launch, self.drawn
        if self.io[IO_NEXT_CAR] != len(drawn):
            raise RuntimeError("engine v2: the launch was asked for cars while the kernel still had some")
        # every car given before is launched and made in Python (a call into Python replays the log first): the
        # table starts again, in place (the kernel runs on with the array it was given, GIVEN cars wide)
        drawn.clear()
        n = launch.cars_sure(self.GIVEN)
        drawn.extend(launch.draw(variant) for variant in launch.planned[:n])
        self.io[IO_NEXT_CAR] = 0
        self._drawn_ahead(0, launch.launched + 1)
        self.io[IO_SIZE + 2 * s + PY_GIVEN] = n

    def _sorting_stores(self) -> None:
        """The sorting stores' lanes and rules as the kernel keeps them (``sorting``), and the entry logs of the
        shops the buffers feed (each car a shop takes recorded in the kernel, written to its ``EntryLog`` after)."""
        self.logs = list({id(b.log): b.log for b in self.buffers if getattr(b, "log", None) is not None}.values())
        sorts = [b for b in self.buffers if type(b).__name__ == "SortingStore"]
        self.sorts = sorts
        for b, buffer in enumerate(self.buffers):
            log = getattr(buffer, "log", None)
            self.buf[b, B_LOG] = -1 if log is None else self.logs.index(log)
            self.buf[b, B_SORT] = sorts.index(buffer) if buffer in sorts else -1
        n = max(len(sorts), 1)
        lanes = max([len(store.lanes) for store in sorts] + [1])
        depth = max([store.rule.depth for store in sorts] + [1])
        colours = max([len(v) for v in getattr(self.launch, "_colour_cumulative", {}).values()] + [1])
        so_i, so_f = np.zeros((n, 14), dtype=np.int64), np.zeros((n, 5))
        lane_i, lane_u = np.zeros((n, lanes, 4), dtype=np.int64), np.zeros((n, lanes, depth, 4), dtype=np.int64)
        lane_w, in_store = np.zeros((n, lanes, depth)), np.zeros((n, colours), dtype=np.int64)
        ring = 4096
        old_i, old_w = np.zeros((n, ring, 2), dtype=np.int64), np.zeros((n, ring))
        clocks = [id(c) for c in self.clock_objects]
        for s, store in enumerate(sorts):
            rule = store.rule
            colour = type(rule).__name__ == "ColourBlocks"
            so_i[s, :SO_RELEASED] = (len(store.lanes), rule.depth, clocks.index(id(store.clock)),
                                    BY_COLOUR if colour else BY_SEQUENCE,
                                    -1 if not colour or rule.max_block == INF else rule.max_block,
                                    store.max_wait is not None, -1 if not colour or rule.colour is None else rule.colour,
                                    rule.block if colour else 0, store.count, store.arrived)
            so_i[s, SO_RELEASED], so_i[s, SO_FORCED] = store.released, store.forced
            so_f[s] = (0.0 if store.max_wait is None else store.max_wait, store.wait_sum, store.wait_max,
                       store.window.lo, store.window.hi)
            if store.count or store._oldest:  # the kernel runs the plant from its start, every store empty
                raise ValueError(f"store {store.name}: the compiled engine starts from an empty plant")
        self.sorting = (so_i, so_f, lane_i, lane_u, lane_w, in_store, old_i, old_w, np.zeros(8 * CHECK),
                        np.zeros((2, 8 * CHECK), dtype=np.int64))

    def _entries(self) -> None:
        """The cars each shop took, as the kernel recorded them, into the shops' entry logs (``EntryLog.record``)."""
        n = int(self.io[IO_ENTRIES])
        if not n:
            return
        times, units, logs = self.sorting[8][:n], self.sorting[9][0, :n], self.sorting[9][1, :n]
        for q, log in enumerate(self.logs):
            mine = logs == q
            if mine.any():
                u = units[mine]
                _append(log.times, times[mine])
                _append(log.seq, self.cars_a[U_SEQ, u])
                _append(log.variant, self.cars_a[U_VARIANT, u])
                _append(log.colour, self.cars_a[U_COLOUR, u])
        self.io[IO_ENTRIES] = 0

    def _replay(self, entries: bool = False) -> None:
        """The launches and completions the kernel logged, in its order: each car launched (counted, logged, in
        the WIP) and each completed (the plant's sink) at its time; with ``entries``, the cars each shop took too
        (read after the run only: written when the kernel's record is full and at the end)."""
        if entries:
            self._entries()
        if not self.io[IO_LOGGED]:
            return
        env, sink, cars, drawn = self.plant.env, self.sink, self.cars, self.drawn
        launched = self.launch.launch_given if self.gives else self.launch.launch_drawn
        for t, c in zip(self.log_t[:self.io[IO_LOGGED]].tolist(), self.log_c[:self.io[IO_LOGGED]].tolist()):
            if c <= -LATER:  # a put or take the kernel made without asking (``_given``)
                env._now = t
                s, u = divmod(-c, LATER)
                car = self._unit(u)
                self.unit_of.pop(id(car), None)  # the kernel has it, or it left the plant
                if self.py_stores[s - 1].made_later(car):  # it left the plant's flow (the yard's)
                    cars[int(self.cars_a[U_DRAWN, u])] = None
            elif c > SCRAPPED:
                env._now = t
                self.plant.scrap(cars[c - 1 - SCRAPPED])
                cars[c - 1 - SCRAPPED] = None
            elif c > 0:
                cars.append(launched(drawn[c - 1], t))
            else:
                env._now = t
                sink.try_put(cars[-c - 1])  # the kernel counted the shop's exit
                cars[-c - 1] = None  # Python keeps what it needs of a car that left (the sink's, the yard's)
        self.io[IO_LOGGED] = 0

    def run(self) -> None:
        import gc
        CALLOUT[0] = self._callout
        collecting = gc.isenabled()
        gc.disable()  # the run makes few Python objects, all kept to its end: no cycles worth a collector's pass
        try:
            self._run()
        finally:
            CALLOUT[0] = None
            if collecting:
                gc.enable()
        self._replay(entries=True)
        if self.breaches:  # the sequencer counts the cars launched, not those drawn ahead and never launched
            launched = self.launch.launched - self.launched
            self.launch.sequence.breaches[:] = self.breaches[launched - 1] if launched else self.breaches_before
        self._unplanned()
        self.plant.env._now = float(self.plant.window.hi)

    def _unplanned(self) -> None:
        """The launch with holds as a launch asked car by car leaves it: the planned cars given ahead or looked at
        by ``cars_sure`` and never launched put back (the sequencer's count of broken rules as it was after the
        last car such a launch planned)."""
        launch = self.launch
        extra = len(launch.planned) - launch.scanned
        if not self.gives or extra <= 0:
            return
        history = launch.breach_history
        if history is not None:
            launch.sequence.breaches[:] = history[-extra - 1] if extra < len(history) else self.breaches_before
        del launch.planned[launch.scanned:]

    def _run(self) -> None:
        """The kernel's events and SimPy's, in one order: the kernel runs until SimPy's next event comes first
        (``YIELD``), SimPy processes it, and the kernel processes it woke resume at once, one by one."""
        args = self._arguments()
        self._given()
        while True:
            self._simpy_next()
            why = run(*args)
            if why == FINISHED:
                break
            if why == YIELD:
                self._step()
                continue
            if why == RESUMED:
                continue
            if why == BROKEN:
                from .car import InvariantError
                raise InvariantError(self.broken())
            if why == NEED_ROOM:
                self._grow()
            elif why == NEED_DRAWS:
                self._more_draws()
                self._more_uniforms()
            elif why == NEED_CYCLES:
                self._more_cycles()
            elif why == NEED_CARS:
                self._draw_cars()
            else:  # LOG_FULL
                self._replay(entries=True)
            args = self._arguments()

    def _simpy_next(self) -> None:
        """SimPy's next event (time, priority, number) where the kernel compares it with its own."""
        queue = self.plant.env._queue
        if queue:
            self.io_f[1], self.io[IO_SPRIO], self.io[IO_SEID] = queue[0][:3]
        else:
            self.io_f[1] = INF

    def _step(self) -> None:
        """SimPy processes its next event (Python's records brought up to its time first); each kernel process
        it woke resumes now, before anything else happens."""
        self._replay()
        env = self.plant.env
        env.step()
        self._given()
        while self.resumes:
            p, value = self.resumes.pop(0)
            self.procs[p, P_VALUE] = value
            self.io[IO_RESUME], self.io[IO_ONLY] = p, 1
            self.io_f[0] = env.now
            self._simpy_next()
            why = run(*self._arguments())
            if why != RESUMED:  # the resumed process must wait again before Python goes on
                raise RuntimeError(f"engine v2: a process resumed from SimPy stopped the kernel ({why})")

    def _wake(self, p: int, value: str):
        """The callback of a SimPy event a kernel process waits on: resume it with the event's value as the kernel
        reads it (``value``: "car", its unit; "count", the operators a pool gave; "none": a put, -1)."""
        def woken(event) -> None:
            self.resumes.append((p, self._unit_id(event.value) if value == "car" else
                                 int(event.value) if value == "count" else -1))
        return woken

    def _callout(self, code: int, a: int, b: int, c: int, d: int) -> int:
        """What the kernel asks of Python (``_callout`` in the kernel), at the kernel's time: Python's records
        brought up to it first, SimPy's next event read again after (Python may have scheduled one)."""
        env = self.plant.env
        self._replay()
        env._now = float(self.io_f[0])
        a, b, c, d = int(a), int(b), int(c), int(d)
        if code == CO_TAKE:  # a from Python store a for process b (c: whether it waits when none is there)
            store = self.py_stores[a]
            car = store.try_get()
            if car is not None:
                answer = self._unit_id(car)
                if self.gives and store is self.launch:
                    self._give_cars(a)
            else:
                if c:
                    store.get().callbacks.append(self._wake(b, "car"))
                answer = -1
        elif code == CO_PUT:  # unit c into Python store a for process b (d: a re-entering car)
            store, car = self.py_stores[a], self._unit(c)
            answer = int(store.try_put(car, bool(d)))
            if not answer:
                store.put(car, bool(d)).callbacks.append(self._wake(b, "none"))
        elif code == CO_WANTS:
            answer = int(not self.takers[a].triggered)
        elif code == CO_OFFER:
            self.takers[a].succeed(self._unit(b))
            answer = 1
        elif code == CO_POOL_TAKE:  # operators for node a's process b
            node = self.nodes[a]
            answer = node.pool.try_take(node.needed, node.slower)
            if not answer:
                node.pool.request(node.needed, node.slower, node.clock.worked(env.now)).callbacks.append(
                    self._wake(b, "count"))
        else:  # CO_POOL_RELEASE: node a gives its b operators back
            self.nodes[a].pool.release(b)
            answer = 0
        self._given()
        self._simpy_next()
        return answer

    def _given(self) -> None:
        """What each store of ``leaves`` lets the kernel do without asking now: asked whenever Python is up to date
        with the kernel (after a call into Python, after a SimPy step), as what Python did may change it."""
        for k, leave in self.leaves:
            self.io[k] = leave()

    def _unit_id(self, car) -> int:
        """The unit of a car Python hands the kernel: the one it had when the kernel handed it to Python (``_unit``:
        forgotten now, the kernel has it again), or a new unit for a car the launch made in Python."""
        u = self.unit_of.pop(id(car), None)
        if u is not None:
            return u
        u = int(self.io[IO_UNITS])
        self.io[IO_UNITS] = u + 1
        if self.io[IO_CARS] != len(self.cars):  # the kernel's count of the cars launched, Python's list of them
            raise RuntimeError(f"engine v2: {self.io[IO_CARS]} cars launched, {len(self.cars)} in the list")
        self.cars_a[:, u] = (car.variant, car.model, car.colour, 0, u, len(self.cars), 0, car.seq)
        self.cars.append(car)
        self.io[IO_CARS] += 1
        return u

    def _proxies(self) -> None:
        """Each kit gate takes from its entry, a kernel store, through a proxy while the kernel runs."""
        self.kit_gates = [store for store in self.py_stores if type(store).__name__ == "KitGate"]
        for gate in self.kit_gates:
            gate.entry = _KernelStore(self, self.buffers.index(gate.entry), gate.entry)

    def _write_failure_modes(self) -> None:
        """Each ``FailureModes``' clocks, mode due and tally (the downtime table reads the tally); every breakdown
        sampler handed back with the draws the kernel took ahead and did not use first (a breakdown process on the
        calendar clock draws on at the end of the run, in its last wait, as v1's does)."""
        from .states import FailureModes, OneMode
        for f, (made, process) in enumerate(self.breakdowns):
            rest = [(_Rest(self.fm_draws[0, f, k, self.fm_di[f, k, 0]:self.fm_di[f, k, 2]], between),
                     _Rest(self.fm_draws[1, f, k, self.fm_di[f, k, 1]:self.fm_di[f, k, 3]], repair))
                    for k, (between, repair) in enumerate(self.fm_samplers[f])]
            if type(made) is OneMode:
                made.between, made.repair = rest[0]
                made.afresh = made.between
                if process is not None:
                    process.between, process.repair, process.afresh = made.between, made.repair, made.between
            else:
                made._betweens = [b for b, _ in rest]
                made._repairs = [r for _, r in rest]
        for f, (made, _) in enumerate(self.breakdowns):
            if type(made) is FailureModes:
                m = len(made.names)
                made.left = self.fm_f[f, FM_LEFT:FM_LEFT + m].tolist()
                due = int(self.fm_i[f, FI_DUE])
                made.due, made.gap = (None if due < 0 else due), float(self.fm_f[f, FM_GAP])
                made.stops = self.fm_i[f, FI_STOPS:FI_STOPS + m].tolist()
                made.down = self.fm_f[f, FM_LEFT + m:FM_LEFT + 2 * m].tolist()

    def _write_sorting(self, s: int, store) -> None:
        """A sorting store's lanes, its rule's runs and block, its tallies and its arrivals kept for max_wait."""
        so_i, so_f, lane_i, lane_u, lane_w, in_store, old_i, old_w = self.sorting[:8]
        rule = store.rule
        depth = rule.depth
        for k, lane in enumerate(store.lanes):
            head = int(lane_i[s, k, LN_HEAD])
            lane.extend((int(lane_u[s, k, (head + q) % depth, PL_ORDER]), float(lane_w[s, k, (head + q) % depth]),
                         self._unit(int(lane_u[s, k, (head + q) % depth, PL_CAR])))
                        for q in range(int(lane_i[s, k, LN_COUNT])))
        if type(rule).__name__ == "ColourBlocks":
            for k, runs in enumerate(rule.runs):
                head = int(lane_i[s, k, LN_RUN_HEAD])
                runs.extend([int(lane_u[s, k, (head + q) % depth, PL_RUN_KIND]),
                             int(lane_u[s, k, (head + q) % depth, PL_RUN_CARS])]
                            for q in range(int(lane_i[s, k, LN_RUNS])))
            rule.in_store = {kind: int(n) for kind, n in enumerate(in_store[s]) if n or kind in rule.in_store}
            colour = int(so_i[s, SO_COLOUR])
            rule.colour, rule.block = (None if colour < 0 else colour), int(so_i[s, SO_BLOCK])
        store.count, store.arrived = int(so_i[s, SO_COUNT]), int(so_i[s, SO_ARRIVED])
        store.released, store.forced = int(so_i[s, SO_RELEASED]), int(so_i[s, SO_FORCED])
        store.wait_sum, store.wait_max = float(so_f[s, SO_WAIT_SUM]), float(so_f[s, SO_WAIT_MAX])
        ring = old_w.shape[1]
        head = int(so_i[s, SO_OLD_HEAD])
        store._oldest.extend((int(old_i[s, (head + q) % ring, 0]), float(old_w[s, (head + q) % ring]))
                             for q in range(int(so_i[s, SO_OLD_N])))
        store._gone.update(order for order, _ in store._oldest if old_i[s, order % ring, 1])

    def _unit(self, u: int):
        """The object of a unit: its car (the launch's), or a feeder's part for the unit it was made for."""
        drawn = int(self.cars_a[U_DRAWN, u])
        if drawn < 0:
            return Part(self._unit(int(self.cars_a[U_CAR, u])))
        car = self.cars[drawn]
        if car is None:
            raise RuntimeError(f"engine v2: unit {u} is a car that left the plant")
        self.unit_of[id(car)] = u
        return car

    def _write_feeders(self) -> None:
        """Each join's waits and fits, each send's count, the carriers in use, the own parts still away."""
        for j, join in enumerate(self.joins):
            join.waits, join.fitted = int(self.join_i[j, J_WAITS]), int(self.join_i[j, J_FITTED])
            join.waited = float(self.join_f[j])
        for k, send in enumerate(self.sends):
            send.sent = int(self.send_i[k, SD_SENT])
        for c, carriers in enumerate(self.carriers):
            carriers.in_use = int(self.carr_i[c, C_IN_USE])
        units = int(self.io[IO_UNITS])
        for u in np.flatnonzero(self.cars_a[U_AWAY, :units]).tolist():
            self._unit(u).away = int(self.cars_a[U_AWAY, u])

    def broken(self) -> str:
        """v1's words for the invariant the kernel found broken."""
        code, at = int(self.io[IO_ERROR]), int(self.io[IO_ERROR_AT])
        if code == E_OTHER_CAR:
            join = self.joins[at]
            return f"{join.where}: a part of feeder {join.feeder} built for another car was fitted " \
                "(a part must always rejoin its own car)"
        if code == E_PARTS_AWAY:
            return f"a car left the plant without its own parts ({int(self.cars_a[U_AWAY, at])} still away)"
        if code == E_CARRIERS:
            carriers = self.carriers[self.send_i[at, SD_CARRIERS] if at >= 0 else self.join_i[-1 - at, J_CARRIERS]]
            if at >= 0:
                return f"{carriers.where}: {carriers.count + 1} carriers in use, more than the {carriers.count} there are"
            return f"{carriers.where}: a carrier was freed that was not in use"
        if code == E_OVERDUE:
            return f"store {self.buffers[at].name}: a body waited over max_wait and a later body was released " \
                "before it"
        if at < 0:
            return f"a sorting store: more than {self.sorting[7].shape[1] - CHECK} arrivals while its oldest body " \
                "stayed (the compiled engine's bound on its max_wait check)"
        return f"buffer {self.buffers[at].name}: more than {LANE} parts called off and waiting (the compiled " \
            "engine's bound on an unbounded buffer)"

    def nothing_left(self) -> bool:
        """No event scheduled at the end, in the kernel or in SimPy (every process waits on another: a jam), as
        ``plant._nothing_left``."""
        return int(self.sched[0]) == 0 and not self.plant.env._queue

    def finish(self) -> None:
        """The records of the run where v1 keeps them, and what each node and buffer holds at the end."""
        unit = self._unit
        for gate in self.kit_gates:  # the kit gates take from their entries again
            gate.entry = gate.entry.store
        self._write_feeders()
        self._write_records()
        for i, node in enumerate(self.nodes):
            row = self.nodes_a[i]
            mine = np.flatnonzero(self.procs[:, P_NODE] == i)
            if node.kind == "line":
                for b, (_, station, _) in enumerate(node.booths):
                    colour = int(self.booth_i[i, b, B_COLOUR])
                    node.booth_colour[b] = None if colour < 0 else colour
                    tally = node.colour_tallies[station]
                    tally.changes, tally.bodies, tally.blocks = (int(v) for v in self.booth_i[i, b, B_CHANGES:B_SEEN])
                    tally._seen[0] = bool(self.booth_i[i, b, B_SEEN])
                node.line_account.times[:] = self.line_acc[i].tolist()
                for s, account in enumerate(node.station_down):
                    account.times[DOWN] = float(self.st_f[0, i, s])
                    node.downs[s] = int(self.st_i[0, i, s])
                    node.over_cycles[s] = int(self.st_i[1, i, s])
                    node.over_cycle_stop[s] = float(self.st_f[1, i, s])
                    node.drift_max[s] = float(self.st_f[3, i, s])
                    node.floater_helps[s] = int(self.st_i[3, i, s])
                node.running = float(self.node_f[F_RUNNING, i])
                if node.drift:
                    node.deficit = self.deficit[i, :len(node.deficit)].tolist()
                    node._last_start, node._last_work = float(self.node_f[F_LAST_START, i]), \
                        float(self.node_f[F_LAST_WORK, i])
                node.positions = deque(None if j < 0 else unit(j) for j in self.positions[i, :len(node.positions)])
                node.inside = int(row[N_INSIDE])
                p = mine[0]
                if self.procs[p, P_WAITING] >= 0:
                    node.waiting = (int(self.procs[p, P_WAITING]), float(self.proc_w[p]))
                if self.procs[p, P_STATE] == L_WAIT_PART:
                    node.awaited = self.joins[int(row[N_JOIN0] + self.procs[p, P_STEP])]
            else:
                for k, p in enumerate(mine):
                    node.accounts[k].times[:] = self.acc[i, k].tolist()
                    f = int(self.slot[i, k])
                    if f >= 0:
                        process = self.breakdowns[f][1]
                        process.downs = int(self.st_i[0, i, k])
                        if self.fm_i[f, FI_CALENDAR]:
                            process.down_start = float(self.fm_f[f, FM_DOWN_START])
                            process.down_end = float(self.fm_f[f, FM_DOWN_END])
                        else:
                            process.to_failure = float(self.fm_f[f, FM_TO_FAILURE])
                            process.next_service = float(self.fm_f[f, FM_NEXT_SERVICE])
                    car = int(self.procs[p, P_CAR])
                    node.holding[k] = None if car < 0 else unit(car)
                    if self.procs[p, P_WAITING] >= 0:
                        node.waiting[k] = (int(self.procs[p, P_WAITING]), float(self.proc_w[p]))
                    if self.procs[p, P_STATE] == S_WAIT_PART:
                        node.awaited[k] = self.joins[int(row[N_JOIN0] + self.procs[p, P_STEP])]
                if node.purge:
                    tally = node.colour_tally
                    tally.changes, tally.bodies, tally.blocks = (int(v) for v in self.booth_i[i, 0, B_CHANGES:B_SEEN])
                    for k in range(node.servers):
                        colour = int(self.booth_i[i, k, B_COLOUR])
                        node.colours[k] = None if colour < 0 else colour
                        tally._seen[k] = bool(self.booth_i[i, k, B_SEEN])
                node.completions = int(row[N_COMPLETIONS])
        self._write_failure_modes()
        for g, gate in enumerate(self.gates):
            gate.inspected, gate.failed = int(self.gate_i[g, G_INSPECTED]), int(self.gate_i[g, G_FAILED])
        for s, split in enumerate(self.splits):
            split.turn = int(self.split_i[s, 0])
        for shop, count in zip(self.shops, self.exits.tolist()):
            self.plant.shop_exits[shop] = count
        for b, buffer in enumerate(self.buffers):
            m, f = buffer.monitor, self.mon[b]
            m.last_t, m.area, m.full, m.empty = float(f[0]), float(f[2]), float(f[3]), float(f[4])
            m.level, m.max_level, m.max_ever = int(f[1]), int(f[5]), int(f[6])
            if m.trace is not None:
                _append(m.trace, self.traces[self.buf[b, B_TRACE_ROW], :int(self.buf[b, B_TRACED]) - 1])
            if self.buf[b, B_SORT] >= 0:
                self._write_sorting(int(self.buf[b, B_SORT]), buffer)
                continue
            head, count, room = int(self.buf[b, B_HEAD]), int(self.buf[b, B_COUNT]), self.items.shape[1]
            buffer.items.extend(unit(int(self.items[b, (head + q) % room])) for q in range(count))

