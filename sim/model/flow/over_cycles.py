"""Over-cycles on a paced line: a car whose work at a station exceeds the takt stops the line, or, with drift
zones and floaters, its operator runs into the next zone and a floater finishes the car (``PacedLine`` takes these
methods from ``OverCycles``)."""

from __future__ import annotations


class OverCycles:
    """A paced line's over-cycling positions: the deficit each carries from car to car, the stops and helps."""

    __slots__ = ()

    def _over_cycle_setup(self, over_cycle) -> None:
        """Drift zones and floaters: each over-cycling position carries a deficit from car to car."""
        self.drift = over_cycle is not None
        zone, floaters = over_cycle if self.drift else (1.0, 0)
        self._zone = zone
        self.allowance = (zone - 1.0) * self.takt
        """Seconds an operator may run past the takt into the next zone."""
        self.floaters = floaters
        self.deficit = [0.0] * len(self._slow)
        self._drifting = [(i, p, need) for i, (p, need) in enumerate(self._slow)]
        self._last_start = self._last_work = 0.0
        n = len(self.station_names)
        self.over_cycles = [0] * n
        self.over_cycle_stop = [0.0] * n
        self.drift_max = [0.0] * n
        self.floater_helps = [0] * n

    def _count_stop(self, phase: float) -> None:
        """An over-cycle stopped the line: count each over-cycling car and book the stop on the slowest."""
        slowest, most = None, self.takt
        for p, need in self._slow:
            car = self.positions[p]
            if car is not None and need[car.variant] > self.takt:
                s = self._station_of[p]
                self.over_cycles[s] += 1
                if need[car.variant] > most:
                    slowest, most = s, need[car.variant]
        self.over_cycle_stop[slowest] += phase - self.takt

    def _drift_index(self, w0: float) -> float:
        """Work phase of this index under drift zones and floaters.

        At each over-cycling position the operator starts late by the deficit carried from the cars
        before (less what they worked on while the line stood since the last index) and finishes
        ``excess = deficit + cycle + transfer - takt`` past this index. Up to the zone's allowance the
        excess carries on to the next car; beyond it, a free floater finishes the car (the deficit is
        cleared), the largest excesses first; the rest stop the line for the largest remaining excess,
        during which every drifting operator catches up.
        """
        takt, positions, deficit = self.takt, self.positions, self.deficit
        stood = w0 - self._last_start - self._last_work  # the line stood beyond its last phase: operators worked on
        self._last_start = w0
        over = None
        for i, p, need in self._drifting:
            car = positions[p]
            work = 0.0 if car is None else need[car.variant]
            d = deficit[i]
            if not d and work <= takt:
                continue  # the usual case: no deficit carried, no over-cycle
            excess = (d - stood if d > stood else 0.0) + work - takt
            if excess > 0.0:
                if over is None:
                    over = []
                over.append((excess, i, work > takt))
            else:
                deficit[i] = 0.0
        work = takt if over is None else takt + self._absorb(over, w0)
        self._last_work = work
        return work

    def _absorb(self, over: list, w0: float) -> float:
        """Share out this index's excesses (excess, slow position, its car over-cycles): drift up to the
        allowance, floaters beyond it (largest first), a line stop for the largest excess left. Returns the stop."""
        allowance, deficit, station_of, slow = self.allowance, self.deficit, self._station_of, self._slow
        if max(over)[0] <= allowance:  # the usual case: the zones hold every excess, nobody helps or stops
            if self._in_window(w0):
                for excess, i, over_cycling in over:
                    deficit[i] = excess
                    s = station_of[slow[i][0]]
                    self.over_cycles[s] += over_cycling
                    if excess > self.drift_max[s]:
                        self.drift_max[s] = excess
            else:
                for excess, i, _ in over:
                    deficit[i] = excess
            return 0.0
        over.sort(reverse=True)
        stop, stopper, helpers, helped = 0.0, None, self.floaters, set()
        for excess, i, _ in over:  # largest first: floaters go where the line would stop longest
            if excess <= allowance:
                break
            if helpers:
                helpers -= 1
                helped.add(i)
            elif stopper is None:
                stop, stopper = excess - allowance, i
        in_window = self._in_window(w0)
        for excess, i, over_cycling in over:
            left = 0.0 if i in helped else min(max(excess - stop, 0.0), allowance)
            deficit[i] = left
            if in_window:
                s = station_of[slow[i][0]]
                self.over_cycles[s] += over_cycling
                if i in helped:
                    self.floater_helps[s] += 1
                if left > self.drift_max[s]:
                    self.drift_max[s] = left
        if in_window and stopper is not None:
            self.over_cycle_stop[station_of[slow[stopper][0]]] += stop
        return stop
