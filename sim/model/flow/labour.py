"""Shared labour pools: operators shared by the free-flow stations of one shop.

A pool (``staffing.pools``) has a size per shift of its shop. At the start of
every shift of every working day the operators present are drawn
Binomial(size, 1 - absenteeism) from the pool's own stream
(``staffing.<pool>.attendance``); with no absenteeism the whole size is present.
One small process per pool wakes at each shift start of the measured horizon:
a few events a day, whatever the number of cars.

A station naming the pool takes ``pool_operators`` operators for each car when
it starts the car's cycle and gives them back when the cycle ends (repairs
during the cycle included; not while the station is blocked holding the
finished car). Operators go to the requests first come first served across all
the pool's stations, strictly: a request that cannot be served holds back
every later one, even one that the free operators could serve. With
``when_short: slower`` a request is served as soon as one operator is free: it
takes min(needed, free) and its work time is scaled by needed / taken (the
operator-seconds per car stay the same); the crew does not grow during the
cycle if more operators become free. When the present count drops at a shift
start below the operators busy, those finish their car and no one is given
work until the busy count is below the present one again.

Everything is measured in the worked time of the pool's shop (see
``calendar``), clipped to the shop's measured ``Window`` like ``StateAccount``: present
and busy operator-seconds, and the seconds station servers waited for
operators.
"""

from __future__ import annotations

from collections import deque

from ...scenario.days import DAY
from ...scenario.window import Window


class LabourPool:
    """Operators shared by several stations of one shop, with daily attendance per shift."""

    def __init__(self, env, *, shop: str, name: str, sizes: list[int], absenteeism: float, attendance,
                 shift_starts: list[tuple[float, int]], clock, worked_window: Window, wall_window: Window):
        """``sizes[k]``: operators on shift k; ``attendance``: a numpy Generator (None: no absenteeism);
        ``shift_starts``: (wall time, shift index) of every shift start to simulate, in order;
        ``worked_window``: the measured window in the shop's worked time (``clock``), which the
        operator-second counters cover; ``wall_window``: the same window in wall time (cars served)."""
        self.env = env
        self.shop = shop
        self.name = name
        self.sizes = sizes
        self.absenteeism = absenteeism
        self.attendance = attendance
        self.shift_starts = shift_starts
        self.clock = clock
        self.worked_window = worked_window
        self.wall_window = wall_window
        self.present = 0
        self.busy = 0
        self.queue: deque = deque()
        """Waiting requests, first come first served: [event, needed, slower, worked time of the request]."""
        self.stations: list = []
        # counters, worked seconds clipped to the measured window
        self.last_w = 0.0
        self.present_area = 0.0
        self.busy_area = 0.0
        self.wait_s = 0.0
        self.served = 0
        """Cars whose cycle with the pool's operators ended in the window (wall time)."""
        self.overdrawn = 0
        """Grants that left more operators busy than present: a bug if ever non-zero."""

    @property
    def sizes_text(self) -> str:
        return "/".join(str(s) for s in self.sizes)

    # ------------------------------------------------------------ attendance

    def start(self) -> None:
        self.env.process(self._shifts())

    def _shifts(self):
        env = self.env
        for t, k in self.shift_starts:
            if t > env.now:
                yield env.timeout(t - env.now)
            self._set_present(self._draw(k))

    def _draw(self, k: int) -> int:
        size = self.sizes[k]
        if self.attendance is None or size == 0:
            return size
        return int(self.attendance.binomial(size, 1.0 - self.absenteeism))

    def _set_present(self, present: int) -> None:
        w = self.clock.worked(self.env.now)
        self._advance(w)
        self.present = present
        if self.queue:
            self._serve(w)

    # ------------------------------------------------------------ taking and giving back

    def _advance(self, w: float) -> None:
        """Accumulate present and busy operator-seconds up to worked time w."""
        window = self.worked_window  # called at every take and release: bounds compared inline
        a = self.last_w if self.last_w > window.lo else window.lo
        b = w if w < window.hi else window.hi
        if b > a:
            self.present_area += self.present * (b - a)
            self.busy_area += self.busy * (b - a)
        self.last_w = w

    def _take(self, w: float, take: int) -> None:
        self._advance(w)
        self.busy += take
        if self.busy > self.present:
            self.overdrawn += 1

    def try_take(self, needed: int, slower: bool) -> int:
        """Operators given now (0: the request must wait, see ``request``)."""
        if self.queue:
            return 0
        take = self._grant(needed, slower)
        if take:
            self._take(self.clock.worked(self.env.now), take)
        return take

    def _grant(self, needed: int, slower: bool) -> int:
        """Operators a request gets from those free now: all it needs, or with ``slower`` at least one."""
        free = self.present - self.busy
        if free >= needed:
            return needed
        return free if slower and free >= 1 else 0

    def request(self, needed: int, slower: bool, w0: float):
        """Event whose value is the operators given (after ``try_take`` returned 0)."""
        event = self.env.event()
        self.queue.append((event, needed, slower, w0))
        return event

    def release(self, taken: int) -> None:
        """Give back the operators of a finished cycle; serve the waiting requests."""
        now = self.env.now
        w = self.clock.worked(now)
        self._advance(w)
        self.busy -= taken
        wall = self.wall_window  # once per car: bounds compared inline, no method call
        if wall.lo <= now < wall.hi:
            self.served += 1
        if self.queue:
            self._serve(w)

    def _serve(self, w: float) -> None:
        queue = self.queue
        while queue:
            event, needed, slower, w0 = queue[0]
            take = self._grant(needed, slower)
            if not take:
                return
            queue.popleft()
            self._take(w, take)
            self.wait_s += self.worked_window.clip(w0, w)
            event.succeed(take)

    def stuck(self) -> bool:
        """The first waiting request needs more operators than any shift of the pool has."""
        if not self.queue:
            return False
        _, needed, slower, _ = self.queue[0]
        return max(self.sizes) < (1 if slower else needed)

    def finish(self) -> None:
        """Close the counters at the end of the run (requests still waiting included)."""
        w = self.clock.worked(self.env.now)
        self._advance(w)
        for _, _, _, w0 in self.queue:
            self.wait_s += self.worked_window.clip(w0, w)


def shift_starts(shifts, days, until: float, counts: list[int] | None = None) -> list[tuple[float, int]]:
    """(wall time, shift index) of every shift start of the working days before ``until``; ``counts``: the
    shifts run on each simulated day (a ramp-up), None: ``shifts.count`` every day."""
    starts = []
    for day, works in enumerate(days.working):
        if not works:
            continue
        for k in range(shifts.count if counts is None else counts[day]):
            t = day * DAY + shifts.start + k * shifts.length
            if t >= until:
                return starts
            starts.append((t, k))
    return starts
