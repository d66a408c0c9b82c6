"""A paced line: all its positions index together, one event per takt.

Used for paced assembly and body lines (one position per station) and for
conveyors such as ovens and the ED tank (one station spread over
transit_time / pitch positions, moving every pitch, with empty gaps allowed).

A cycle of the line: a car enters the first position (a paced line waits for
one: a missing car stops the line; a conveyor moves on with a gap), every
station works its car, the line indexes after max(takt, slowest cycle +
transfer), breakdowns stop the whole line (andon), and the car at the last
position must be handed on before the line moves (a full buffer blocks it).

Breakdowns of line stations run on the line's running clock: a station of a
paced line works whenever its line runs, so the operating clock of the flow
line literature is the line's running time. Per-position state times are
computed at the end from the record of each index (which model entered,
when the phase started and ended), so a tick costs O(1) work, not O(positions).
"""

from __future__ import annotations

import heapq
from array import array
from collections import deque

import numpy as np

from .booths import PaintBooths
from .over_cycles import OverCycles
from .outages import MaintenanceOnFreeTime, OnFreeTime
from .states import BLOCKED, DOWN, FEEDER, STARVED, STATE_NAMES, StateAccount
from ...scenario.window import Window

COLOUR_GAP = -2
"""``tick_model`` of an index whose entry position was left empty for a colour change (an empty carrier)."""


class PacedLine(PaintBooths, OverCycles):
    """A paced line or conveyor of one or more stations: one node (``protocol.Node``) of its shop."""

    kind = "line"

    def __init__(self, env, *, shop: str, name: str, stations: list[str], position_station: list[int],
                 cycle: np.ndarray, takt: float | None, transfer: float, gaps: bool, failures: list, clock,
                 worked_window: Window, maintenance=None, push_out: bool = False, colour_changes=(),
                 over_cycle=None, learning=None, outages=None):
        """``cycle[p, v]``: seconds of work of a car of variant v (model and options, ``Car.variant``) at
        position p (fixed; 0 where the car passes the station by); ``position_station[p]``:
        the index in ``stations`` of the station at position p; ``gaps``: a conveyor (moves on with
        an empty position) rather than a paced line (waits for a car); ``worked_window``: the
        measured window in the shop's worked time (``clock``), which the state times cover;
        ``colour_changes``: (station index, purge seconds, empty carriers) of each paint booth of the line;
        ``over_cycle``: (zone in takts, floaters) when drift zones or floaters absorb over-cycles, else None
        (the line stops until the work is done); ``learning``: the shop's experience (``learning.Experience``)
        when its work times learn: each index works ``cycle`` x the multiplier of the shop's next car, read as the
        index starts; ``outages``: the outages and run-in covering the line (``outages.DownSchedule``) or None:
        the whole line stands for each, every station down."""
        self.env = env
        self.shop = shop
        self.name = name
        self.station_names = stations
        self.position_station = np.asarray(position_station)
        self.cycle = cycle
        self.transfer = transfer
        self.gaps = gaps
        self.clock = clock
        self.worked_window = worked_window
        self.line_account = StateAccount(worked_window)
        """Line-level idle time: starved (no car to enter) and blocked (exit full) or stopped."""
        self.station_down = [StateAccount(worked_window) for _ in stations]
        self.failures = failures
        """Per station: its breakdowns (``states.OneMode`` or ``states.FailureModes``) or None."""
        self.outages = outages
        self._idle = self.line_account.add if outages is None else self._idle_around_outages
        """Book a line-level wait (starved, blocked, feeder); under outages, their time is down."""
        self.downs = [0] * len(stations)
        self.positions: deque = deque([None] * cycle.shape[0])
        self.inside = 0
        self.waiting: tuple[int, float] | None = None
        self.input = None
        """Where the line takes its cars: a ``CarInput``, set by the builder."""
        self.output = None
        """Where cars leaving the last position go: a ``Router``, set by the builder."""
        self.joins: list = []
        """Feeders whose parts are fitted at a position (``graph.Join``): the line waits for a missing part."""
        self.sends: list = []
        """Parts called off (or taken off) as a car is done at a position (``graph.Send``)."""
        self.awaited = None
        """The join whose part the line is waiting for now (None: not waiting for a part)."""
        self.learning = learning
        self._factor = 1.0 if learning is None else learning.largest_cycle
        """The learning multiplier the line's work times are planned with (1: none, or mature)."""
        self._reach = (cycle * self._factor + transfer).max(axis=1)
        """Per position, its longest time at the largest multiplier the line will see (its first car's): a
        position that may over-cycle under it is watched from the start, so the drift deficits keep their places
        as the multiplier falls."""
        self.tick_factor = array("d")
        """With learning: the multiplier of each index (the work times of the index record are scaled by it)."""
        self.speed = 1.0
        """The ramp-up's line speed (``set_speed``): a paced line indexes every takt / speed; a conveyor takes a
        body at most every 1 / speed positions."""
        self._fastest = 1.0
        """The fastest speed the ramp-up runs the line at: the positions that may over-cycle at it are watched
        from the start, so the drift deficits keep their places as the speed changes."""
        self.ramped = False
        """A ramp-up sets this line's speed (``set_speed``)."""
        self._pitch_origin, self._pitch_count = 0.0, 0
        """A conveyor under a line speed: the index its pitch counts from, and the bodies taken since."""
        self._station_of = [int(s) for s in self.position_station]
        self._plan_index_time(takt)
        self.push_out = gaps or push_out
        """Index on with an empty entry position while units remain on the line (a conveyor always; a
        feeder's line too, so the last parts called off reach their join without waiting for the next order)."""
        self.maintenance = maintenance
        """The shop's planned maintenance windows (``calendar.MaintenanceWindows``) or None."""
        if outages is not None:  # the stations' breakdowns run on the line's outage-free time
            self._free_down = [OnFreeTime(account, outages) for account in self.station_down]
            self._free_maintenance = None if maintenance is None else MaintenanceOnFreeTime(maintenance, outages)
            maintenance = self._free_maintenance
        self.next_service = maintenance.next_after(0.0) if maintenance is not None and maintenance.preventive \
            else float("inf")
        self.running = 0.0
        self.next_failure: list[tuple[float, int]] = []
        for s, spec in enumerate(failures):
            if spec is not None:
                heapq.heappush(self.next_failure, (spec.between(), s))
        # the record of every index, turned into state times at the end: flat arrays of doubles (and of ints),
        # 8 bytes an entry where a list of floats took 32 (a year of Almaty's lines kept ~200 MB in lists)
        self.tick_start = array("d")
        self.tick_end = array("d")
        self.tick_work = array("d")
        self.tick_model = array("i")
        self.tick_repairs: dict[int, float] = {}
        self.tick_purges: dict[int, list[tuple[int, float]]] = {}
        """Per index with a colour change: (station, purge seconds) of each booth that purged."""
        self._colour_setup(colour_changes)
        self._over_cycle_setup(over_cycle)

    def _plan_index_time(self, takt: float | None) -> None:
        """Precompute which positions can ever hold the line beyond its takt (under learning, at the largest
        multiplier) and their times with this index's learning multiplier."""
        need = self.cycle * self._factor + self.transfer  # x 1.0 without learning: exact, the same floats
        self._takt_given = takt
        if takt is None:
            shortest = need.min(axis=1)
            takt = float(shortest.max())
            self._base_position = int(shortest.argmax())
        else:
            self._base_position = None
        # the ramp-up's line speed (x / 1.0 without one: the same floats); a conveyor keeps its index time (its dwell)
        speed, fastest = (1.0, 1.0) if self.gaps else (self.speed, self._fastest)
        self.takt = takt / speed
        # python lists, not numpy rows: indexing them once per index is several times faster
        self._slow_positions = np.flatnonzero(self._reach > takt / fastest + 1e-12).tolist()
        self._slow = list(zip(self._slow_positions, need[self._slow_positions].tolist()))

    def _learn(self, factor: float) -> None:
        """The shop has learnt: the work times of the next index are the scenario's x ``factor`` (the takt of a
        line that has one stays, the watched positions too)."""
        self._factor = factor
        if self._takt_given is None:  # the pace of a line without a takt is its slowest work: planned afresh
            self._plan_index_time(None)
        else:  # the watched positions stay: their times rescaled in one array operation per index
            positions = self._slow_positions
            self._slow = list(zip(positions, (self.cycle[positions] * factor + self.transfer).tolist()))
        self._drifting = [(i, p, need) for i, (p, need) in enumerate(self._slow)]

    def set_speed(self, speed: float, fastest: float) -> None:
        """From now the line runs at ``speed`` x its design rate (the ramp-up's line speed; ``fastest``: the
        fastest it will run in the whole run). A paced line indexes every takt / speed, its drift zones as many
        takts long; a conveyor keeps its index time and takes a body at most every 1 / speed positions."""
        slot = self._pitch_slot()
        carried = dict(zip((p for p, _ in self._slow), self.deficit))
        self.speed, self._fastest, self.ramped = speed, fastest, True
        self._plan_index_time(self._takt_given)
        self.deficit = [carried.get(p, 0.0) for p, _ in self._slow]
        self._drifting = [(i, p, need) for i, (p, need) in enumerate(self._slow)]
        self.allowance = (self._zone - 1.0) * self.takt
        self._pitch_origin, self._pitch_count = slot, 0

    def _pitch_slot(self) -> float:
        """A conveyor under a line speed: the index from which it may take its next body."""
        return self._pitch_origin + self._pitch_count / self.speed

    def _pitched(self) -> None:
        """A body went on the conveyor: the next may follow 1 / speed positions after this one's slot, or after
        this index when the body came late (a gap left for want of bodies is not made up)."""
        n = len(self.tick_start)
        if n - self._pitch_slot() >= 1.0 - 1e-9:
            self._pitch_origin, self._pitch_count = float(n), 0
        self._pitch_count += 1

    def _in_window(self, w: float) -> bool:
        return self.worked_window.lo <= w < self.worked_window.hi

    def _index_time(self, w0: float) -> float:
        """Work phase of this index: max(takt, slowest occupied station's cycle + transfer): an over-cycle
        stops the line until the work is done, booked on the slowest station."""
        positions = self.positions
        if self._base_position is not None and positions[self._base_position] is None:
            times = [self.cycle[p, car.variant] * self._factor + self.transfer for p, car in enumerate(positions)
                     if car is not None]
            return max(times)
        phase = self.takt
        for p, need in self._slow:
            car = positions[p]
            if car is not None and need[car.variant] > phase:
                phase = need[car.variant]
        if phase > self.takt and self._base_position is None and self._in_window(w0):
            self._count_stop(phase)
        return float(phase)

    def _fit_parts(self):
        """Before the line indexes on: each join position takes its car's part, the line waiting
        (state ``feeder``) while one is missing."""
        env, clock, positions = self.env, self.clock, self.positions
        for join in self.joins:
            unit = positions[join.position]
            if unit is None or not join.needed(unit):
                continue
            part = join.buffer.try_get()
            if part is None:
                join.waits += 1
                w0 = clock.worked(env.now)
                self.waiting = (FEEDER, w0)
                self.awaited = join
                part = yield join.buffer.get()
                self.waiting = self.awaited = None
                w1 = clock.worked(env.now)
                self._idle(FEEDER, w0, w1)
                join.waited += self.worked_window.clip(w0, w1)
            join.fit(part, unit)

    def _wait_carrier(self, send, unit):
        """All the carriers of an own-part feeder are in use: the line stands (state ``feeder``: it waits on
        that feeder to bring a carrier back) until one is freed at the join. With too few carriers for the paced
        positions between the take-off and the join, that never comes (the loader refuses such a layout:
        ``scenario.shop_references._check_carriers``)."""
        env, clock = self.env, self.clock
        w0 = clock.worked(env.now)
        self.waiting = (FEEDER, w0)
        while not send.ready(unit):
            yield send.carriers.freed()
        self.waiting = None
        self._idle(FEEDER, w0, clock.worked(env.now))

    def start(self) -> None:
        self.env.process(self._run())

    def _run(self):
        env, clock, source = self.env, self.clock, self.input
        positions = self.positions
        # what the line is made of never changes: decided once, not looked up at every index
        empty_carriers, drift, booths, joins = self.empty_carriers, self.drift, bool(self.booths), bool(self.joins)
        learning = self.learning
        spaced = self.gaps and self.ramped  # a conveyor under the ramp-up's line speed: bodies a wider pitch apart
        while True:
            if self.pending is None:
                closed = spaced and len(self.tick_start) < self._pitch_slot() - 1e-9
                car = None if closed else source.try_get()  # closed: this carrier goes on empty
                if car is None and not closed and not (self.push_out and self.inside):
                    w0 = clock.worked(env.now)
                    self.waiting = (STARVED, w0)
                    car = yield source.get()
                    self.waiting = None
                    self._idle(STARVED, w0, clock.worked(env.now))
                if empty_carriers and car is not None:
                    car = self._colour_entry(car)
            else:
                car = self._next_carrier()
            positions[0] = car
            if car is not None:
                self.inside += 1
                if spaced:
                    self._pitched()
            if joins:
                yield from self._fit_parts()
            w0 = clock.worked(env.now)
            if learning is not None:
                if learning.cycle != self._factor:
                    self._learn(learning.cycle)
                self.tick_factor.append(self._factor)
            work = self._drift_index(w0) if drift else self._index_time(w0)
            if booths:
                work = self._purge(work, w0)
            w_end = self._phase(w0, work)
            self.tick_start.append(w0)
            self.tick_end.append(w_end)
            self.tick_work.append(work)
            self.tick_model.append(-1 if car is None else car.variant)
            yield env.timeout(max(0.0, clock.at_work(w_end) - env.now))
            for send in self.sends:
                unit = positions[send.position]
                if unit is not None:
                    if send.carriers is not None and not send.ready(unit):
                        yield from self._wait_carrier(send, unit)
                    send(unit)
            leaving = positions[-1]
            if leaving is not None:
                target, priority = self.output.route(leaving)
                if target is not None and not target.try_put(leaving, priority):
                    w0 = clock.worked(env.now)
                    self.waiting = (BLOCKED, w0)
                    yield target.put(leaving, priority)
                    self.waiting = None
                    self._idle(BLOCKED, w0, clock.worked(env.now))
                self.inside -= 1
            positions.rotate(1)
            positions[0] = None

    def _idle_around_outages(self, state: int, a: float, b: float) -> None:
        for lo, hi, down in self.outages.pieces(a, b):
            self.line_account.add(DOWN if down else state, lo, hi)

    def _phase(self, w: float, work: float) -> float:
        """Worked time at which the phase ends, breakdowns and outages (line stops) included."""
        outages = self.outages
        if outages is None:
            return self._run_phase(w, work, self.station_down, self.worked_window.clip, self.maintenance)
        # the line's breakdowns run on its outage-free time; every outage on the way stops the whole line
        first = len(self.tick_start)
        w_end = max(w, outages.back(self._run_phase(outages.free(w), work, self._free_down, self._free_clip,
                                                    self._free_maintenance)))
        if outages.within_gap(w, w_end):  # no outage during the phase (most phases): no stop to count
            return w_end
        stopped = 0.0
        for lo, hi, down in outages.pieces(w, w_end):
            if down:
                for account in self.station_down:
                    account.add(DOWN, lo, hi)
                stopped += self.worked_window.clip(lo, hi)
        if stopped:
            self.tick_repairs[first] = self.tick_repairs.get(first, 0.0) + stopped
        return w_end

    def _free_clip(self, a: float, b: float) -> float:
        """Seconds of the measured window in the outage-free time [a, b]."""
        outages, clip = self.outages, self.worked_window.clip
        return sum(clip(lo, hi) for lo, hi, down in outages.pieces(outages.back(a), outages.back(b)) if not down)

    def _run_phase(self, w: float, work: float, station_down, clip, maintenance) -> float:
        """The phase from ``w`` with the stations' breakdowns (``station_down``, ``clip``, ``maintenance``: in
        the time ``w`` is in, worked or outage-free)."""
        heap = self.next_failure
        if w >= self.next_service:  # serviced in the window: every station's failure clock starts afresh
            self.next_service = maintenance.next_after(w)
            heap[:] = [(self.running + self.failures[s].afresh(), s) for _, s in sorted(heap, key=lambda e: e[1])]
            heapq.heapify(heap)
        if not heap or heap[0][0] >= self.running + work:
            self.running += work
            return w + work
        stopped = 0.0
        while heap and heap[0][0] < self.running + work:
            fail_at, s = heapq.heappop(heap)
            delta = fail_at - self.running
            w += delta
            self.running = fail_at
            work -= delta
            breakdowns = self.failures[s]
            repair = breakdowns.repair()
            repaired = w + repair if maintenance is None else maintenance.repair_end(w, repair)
            breakdowns.note(w, repaired)
            station_down[s].add(DOWN, w, repaired)
            stopped += clip(w, repaired)
            w = repaired
            self.downs[s] += 1
            heapq.heappush(heap, (self.running + breakdowns.between(), s))
        self.tick_repairs[len(self.tick_start)] = stopped
        self.running += work
        return w + work

    def finish(self) -> None:
        if self.waiting is not None:
            state, since = self.waiting
            now_w = self.clock.worked(self.env.now)
            self._idle(state, since, now_w)
            if self.awaited is not None:  # still waiting for a part: that feeder's wait too
                self.awaited.waited += self.worked_window.clip(since, now_w)

    def links(self) -> list[tuple[str, object]]:
        """Input, output and the parts buffers of the feeders fitted here (the wiring check walks them)."""
        return [("input", self.input), ("output", self.output)] + \
            [(f"parts of feeder {join.feeder}", join.buffer) for join in self.joins] + [(f"call-off {k + 1}", send.target) for k, send in enumerate(self.sends)]

    def cars(self) -> list:
        held = [] if self.pending is None else [self.pending[0]]  # a body waiting for its empty carriers
        return [car for car in self.positions if car is not None] + held

    def station_rows(self) -> list[dict]:
        """State times per station (worked seconds in the window), from the index record."""
        lo, hi = self.worked_window.lo, self.worked_window.hi
        start = np.asarray(self.tick_start)
        end = np.asarray(self.tick_end)
        work = np.asarray(self.tick_work)
        models = np.asarray(self.tick_model, dtype=np.int64)
        models[self.gap_ticks] = COLOUR_GAP
        clipped = np.clip(np.minimum(end, hi) - np.maximum(start, lo), 0.0, None)
        repairs = np.zeros_like(clipped)
        for k, stopped in self.tick_repairs.items():
            repairs[k] = stopped
        share = np.divide(clipped - repairs, work, out=np.zeros_like(work), where=work > 0)
        phase_work = share * work
        in_window = (end > lo) & (end <= hi)
        # an empty carrier left for a colour change is the booth's own time, not a missing car
        entered = models != -1 if self.push_out and not self.gaps else np.ones(models.shape, dtype=bool)
        stops_in_window = float(repairs.sum())
        idle = self.line_account.times
        purged = self._purge_times(share)
        factors = np.asarray(self.tick_factor) if self.learning is not None else None  # per index, learning
        rows = []
        for s, name in enumerate(self.station_names):
            totals = np.zeros(len(STATE_NAMES))
            completions = 0
            mine = np.flatnonzero(self.position_station == s)
            purge = purged.get(s)
            for p in mine:
                held = np.full(models.shape, -1)
                if p < models.size:  # position p holds the car that entered p indexes earlier
                    held[p:] = models[:models.size - p]
                occupied = held >= 0
                work_here = self.cycle[p, held[occupied]]
                if factors is not None:  # each car worked with the multiplier of its index
                    work_here = work_here * factors[occupied]
                busy = float(phase_work[occupied].sum())
                # a drifting operator's work runs into the next index (or the line's stops): capped at busy
                working = min(float((share[occupied] * work_here).sum()), busy)
                down = self.station_down[s].times[DOWN]
                empty = float(phase_work[~occupied].sum())
                colour = 0.0
                if purge is not None:  # a booth: its purges, and the empty carriers left for its changes
                    gap = held == COLOUR_GAP
                    gaps = float(phase_work[gap].sum())
                    # an index that both purges and holds an empty carrier here is colour change already, the
                    # whole of it (its purge included): only a purge over a carrier empty for want of a body
                    # is taken out of the empty time
                    vacant = float(purge[held == -1].sum())
                    colour = float(purge[occupied].sum()) + vacant + gaps
                    busy -= float(purge[occupied].sum())
                    empty -= vacant + gaps
                totals += [working,
                           stops_in_window - down + idle[BLOCKED],  # exit full, or another station down
                           empty + idle[STARVED],
                           down + idle[DOWN],  # its repairs and outages, and outages while the line waited
                           busy - working,  # done, waiting for the takt or a slower station
                           0.0,  # labour: a paced line draws no operators from a pool
                           idle[FEEDER],  # the line stood waiting for a feeder's part
                           colour]
                visited = occupied.copy()
                visited[occupied] = work_here > 0  # a car passing the station by is not its completion
                completions += int((visited & in_window).sum())
            rows.append({
                "shop": self.shop, "station": name, "kind": "conveyor" if self.gaps else "line",
                "servers": len(mine), "completions": completions // len(mine),
                "times": list(totals / len(mine)), "downs": self.downs[s],
                "line": self.name if not self.gaps else None,
                # the line as a whole is active while it indexes or stands for a breakdown; a feeder's line
                # indexing on with an empty entry (pushing its last parts out) would take a part: starved
                "line_active_s": float(phase_work[entered].sum()) + stops_in_window,
                # the line as a whole stood for a breakdown or an outage (while indexing or waiting): the loss
                # waterfall's own down time of the line, counted once (each station counts only its own)
                "line_stopped_s": stops_in_window + idle[DOWN],
                # the whole line stands for a missing part: each of its stations was held by that feeder
                "feeder_waits": {join.feeder: join.waited for join in self.joins},
                "feeder_stops": sum(join.waits for join in self.joins),
                **self._sequence_counts(s),
            })
        return rows

    def _sequence_counts(self, s: int) -> dict:
        """What the sequence cost station s in the window: colour changes and over-cycles."""
        tally = self.colour_tallies.get(s)
        lost = sum(1 for k in self.gap_ticks if self._in_window(self.tick_start[k])) if tally is not None else 0
        colours = tally.columns() if tally is not None else {}
        return {**colours, "carriers_lost": lost,
                "over_cycles": self.over_cycles[s], "over_cycle_stop_s": self.over_cycle_stop[s],
                "drift_max_s": self.drift_max[s], "floater_helps": self.floater_helps[s]}
