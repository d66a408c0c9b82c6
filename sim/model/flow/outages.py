"""Stoppages many stations share: outages (an oven trip, a conveyor chain break, a power cut) and the run-in
after each shift start.

A ``DownSchedule`` is a sorted list of disjoint down intervals in a shop's worked (shift) time, grown lazily as
the stations read it: random (``RandomOutages``: a time between and a repair drawn from the outage's own
streams), fixed (``FixedOutages``: dated events turned into worked time), the run-in at each shift start
(``RunInLoss``), or the union of several (``MergedOutages``). One schedule object is shared by every station
it covers, so they all stop at once.

A station composes the schedule with its own breakdowns: a free-flow server's breakdown process is wrapped
in ``WithOutages``, which runs it on the server's outage-free time (worked time with the outages cut out), so
its own failure clock and its repairs stand while an outage lasts; a paced line reads the schedule as a line
stop (``PacedLine``). Time in an outage is the covered stations' state ``down``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from ...scenario.days import DAY
from ...scenario.window import Window
from .states import DOWN, StateAccount


class DownSchedule:
    """Disjoint down intervals [start, end) in worked time, in order, grown on demand (``_next_interval``)."""

    def __init__(self, name: str = ""):
        self.name = name
        self.starts: list[float] = []
        self.ends: list[float] = []
        self.free_at: list[float] = []
        """Per interval, the outage-free time before its start."""
        self.done = False
        # the gap between two outages read last (most readings fall in it): its index (-1: before the first)
        # and its bounds in worked time [lo, hi] and in outage-free time (flo, fhi]
        self._gap, self._lo, self._hi, self._flo, self._fhi = -1, 1.0, 0.0, 1.0, 0.0

    def _next_interval(self) -> tuple[float, float] | None:
        """The next interval after the last one (None: there are no more)."""
        raise NotImplementedError

    def _grow(self) -> bool:
        interval = None if self.done else self._next_interval()
        if interval is None:
            self.done = True
            return False
        start, end = interval
        if self.ends and start <= self.ends[-1]:  # touching or overlapping the last one: one interval
            self.ends[-1] = max(self.ends[-1], end)
            return True
        # the intervals before are final now: the free time before this one is the last one's plus the gap
        self.free_at.append(start if not self.ends else self.free_at[-1] + (start - self.ends[-1]))
        self.starts.append(start)
        self.ends.append(end)
        return True

    def interval(self, k: int) -> tuple[float, float] | None:
        """The k-th interval (None: there are fewer)."""
        while len(self.starts) <= k + 1 and self._grow():  # one more, so that the k-th is merged whole
            pass
        return (self.starts[k], self.ends[k]) if k < len(self.starts) else None

    def _known_past(self, w: float) -> None:
        """Grow until an interval starts after ``w`` (or there are no more): every interval starting at or before
        ``w`` is then whole, as a later one did not merge with it. (Growing one more on every call made the
        schedule grow by an interval per reading, millions in a year.)"""
        while (not self.starts or self.starts[-1] <= w) and self._grow():
            pass

    def free(self, w: float) -> float:
        """Outage-free time before worked time ``w`` (constant during an outage)."""
        if self._lo <= w < self._hi:  # in the gap read last: the same sums as below, without the search
            i = self._gap
            return w if i < 0 else self.free_at[i] + (w - self.ends[i])
        self._known_past(w)
        i = bisect_right(self.starts, w) - 1
        if i < 0:
            self._remember(i)
            return w
        if w < self.ends[i]:
            return self.free_at[i]
        self._remember(i)
        return self.free_at[i] + (w - self.ends[i])

    def back(self, u: float) -> float:
        """The earliest worked time with ``u`` of outage-free time before it (before an outage starting there)."""
        if self._flo < u <= self._fhi:  # in the gap read last
            i = self._gap
            return u if i < 0 else self.ends[i] + (u - self.free_at[i])
        while (not self.free_at or self.free_at[-1] < u) and self._grow():
            pass
        i = bisect_left(self.free_at, u) - 1
        return u if i < 0 else self.ends[i] + (u - self.free_at[i])

    def _remember(self, i: int) -> None:
        """Keep gap i (after interval i, before interval i + 1) for the next readings: worked times in [its end,
        the next start) read free time without a search, outage-free times in (its free time, the next's] read
        back. The next interval is known: ``free`` grew the schedule past the time read."""
        nxt = i + 1
        last = nxt >= len(self.starts)
        if last and not self.done:
            self._lo, self._hi, self._flo, self._fhi = 1.0, 0.0, 1.0, 0.0  # no bound yet: keep searching
            return
        self._gap = i
        self._lo = -float("inf") if i < 0 else self.ends[i]
        self._hi = float("inf") if last else self.starts[nxt]
        self._flo = -float("inf") if i < 0 else self.free_at[i]
        self._fhi = float("inf") if last else self.free_at[nxt]

    def within_gap(self, a: float, b: float) -> bool:
        """Whether worked times a <= b lie in the gap read last (no outage between them: ``pieces`` would give
        the one piece (a, b, up))."""
        return self._lo <= a and b <= self._hi

    def pieces(self, a: float, b: float):
        """[a, b] cut at the outages: (from, to, down) in order."""
        if self.within_gap(a, b):  # in the gap read last: one piece up
            if a < b:
                yield a, b, False
            return
        self._known_past(b)
        i = bisect_right(self.ends, a)
        cursor = a
        starts, ends = self.starts, self.ends
        while i < len(starts) and starts[i] < b:
            if starts[i] > cursor:
                yield cursor, starts[i], False
            end = min(ends[i], b)
            if end > cursor:
                yield max(starts[i], cursor), end, True
                cursor = end
            i += 1
        if cursor < b:
            yield cursor, b, False

    def tally(self, window: Window) -> tuple[int, float]:
        """(stops starting in the window, seconds down in it) of this schedule, grown to the window's end."""
        self._known_past(window.hi)
        stops = sum(1 for s in self.starts if window.lo <= s < window.hi)
        return stops, sum(window.clip(s, e) for s, e in zip(self.starts, self.ends))


class RandomOutages(DownSchedule):
    """Outages at random: the first after a time between from the start, each lasting a repair, the next a time
    between after the last one's end (all in the shop's shift time)."""

    def __init__(self, between, repair, name: str = ""):
        super().__init__(name)
        self._between, self._repair = between, repair
        self._last_end = 0.0

    def _next_interval(self):
        start = self._last_end + self._between()
        self._last_end = start + self._repair()
        return start, self._last_end


class FixedOutages(DownSchedule):
    """Outages at given times: ``FixedOutages([(start, end), ...], name)`` with start < end in the shop's worked
    (shift) seconds from the start of the run (``ShiftClock.worked`` turns a date's wall time into it). The
    intervals may come in any order; overlapping or touching ones are joined. The constructor dated events use
    (a station, line or shop down from one date to another)."""

    def __init__(self, intervals, name: str = ""):
        super().__init__(name)
        ordered = sorted((float(a), float(b)) for a, b in intervals)
        for a, b in ordered:
            if not (0.0 <= a < b):
                raise ValueError(f"an outage from {a:g} s to {b:g} s of worked time: it must start at 0 or later and "
                                 "end after its start")
        self._intervals = iter(ordered)

    def _next_interval(self):
        return next(self._intervals, None)


class RunInLoss(DownSchedule):
    """The run-in: ``lost`` seconds down from each shift start (the equivalent stand of running slower).

    ``clock``: the shop's ``ShiftClock``; ``start``, ``length``: its first shift's start (seconds after midnight)
    and a shift's length; ``shifts_on(day)``: shifts run on a simulated day. A shift start the clock does not work
    (a day off) is skipped; a shift that starts with a break starts its run-in when its work does."""

    def __init__(self, clock, start: float, length: float, shifts_on, lost: float):
        super().__init__("run-in")
        self.clock, self.start, self.length, self.shifts_on, self.lost = clock, start, length, shifts_on, lost
        self._starts = self._shift_starts()

    def _shift_starts(self):
        clock, day = self.clock, 0
        while day * DAY <= clock.ends[-1]:
            for k in range(self.shifts_on(day)):
                t = day * DAY + self.start + k * self.length
                w = clock.worked(t)
                if clock.worked(t + self.length) > w:  # the shift is worked that day
                    yield w
            day += 1

    def _next_interval(self):
        w = next(self._starts, None)
        return None if w is None else (w, w + self.lost)


class MergedOutages(DownSchedule):
    """The union of several schedules (a station covered by a shop-wide outage and its line's)."""

    def __init__(self, parts: list[DownSchedule]):
        super().__init__("+".join(part.name for part in parts))
        self.parts = parts
        self._at = [0] * len(parts)

    def _pending(self, k: int):
        return self.parts[k].interval(self._at[k])

    def _next_interval(self):
        pending = [(self._pending(k), k) for k in range(len(self.parts))]
        pending = [(interval, k) for interval, k in pending if interval is not None]
        if not pending:
            return None
        (start, end), k = min(pending)
        self._at[k] += 1
        joined = True
        while joined:
            joined = False
            for k in range(len(self.parts)):
                interval = self._pending(k)
                while interval is not None and interval[0] <= end:
                    end = max(end, interval[1])
                    self._at[k] += 1
                    interval = self._pending(k)
                    joined = True
        return start, end


def merged(schedules: list[DownSchedule]) -> DownSchedule | None:
    """One schedule of several (None: none)."""
    if not schedules:
        return None
    return schedules[0] if len(schedules) == 1 else MergedOutages(schedules)


class OnFreeTime:
    """A state account read in outage-free time: each interval is written at its worked-time pieces."""

    __slots__ = ("account", "outages", "window")

    def __init__(self, account: StateAccount, outages: DownSchedule):
        self.account, self.outages = account, outages
        self.window = account.window

    def add(self, state: int, a: float, b: float) -> None:
        if b <= a:
            return
        outages = self.outages
        if outages._flo < a and b < outages._fhi:  # both inside the gap read last: one piece up, no search
            self.account.add(state, outages.back(a), outages.back(b))
            return
        for lo, hi, down in outages.pieces(outages.back(a), outages.back(b)):
            if not down:
                self.account.add(state, lo, hi)


class MaintenanceOnFreeTime:
    """The shop's planned maintenance windows (``calendar.MaintenanceWindows``) read in outage-free time: a repair
    runs on in worked time (an outage meanwhile adds nothing to it) and ends in the maintenance window as usual."""

    __slots__ = ("maintenance", "outages", "preventive")

    def __init__(self, maintenance, outages: DownSchedule):
        self.maintenance, self.outages, self.preventive = maintenance, outages, maintenance.preventive

    def repair_end(self, u: float, repair: float) -> float:
        outages = self.outages
        return outages.free(self.maintenance.repair_end(outages.back(u), repair))

    def next_after(self, u: float) -> float:
        outages = self.outages
        return outages.free(self.maintenance.next_after(outages.back(u)))


class WithOutages:
    """A server's breakdown process (``states``) under a shared outage schedule: the server is down for every
    outage, and its own process runs on its outage-free time (its failure clock and any repair stand meanwhile)."""

    __slots__ = ("inner", "outages", "_on_free")
    down_while_idle = True
    """An outage during a wait is down."""

    def __init__(self, inner, outages: DownSchedule):
        self.inner, self.outages = inner, outages
        self._on_free: OnFreeTime | None = None

    def _free_account(self, account: StateAccount) -> OnFreeTime:
        """The server's account read in outage-free time (one server, one account: made once)."""
        on_free = self._on_free
        if on_free is None or on_free.account is not account:
            on_free = self._on_free = OnFreeTime(account, self.outages)
        return on_free

    @property
    def downs(self) -> int:
        return self.inner.downs

    def work(self, w: float, work: float, account: StateAccount) -> float:
        outages = self.outages
        u_end = self.inner.work(outages.free(w), work, self._free_account(account))
        w_end = max(w, outages.back(u_end))
        if outages.within_gap(w, w_end):  # no outage on the way: nothing down to add
            return w_end
        for lo, hi, down in outages.pieces(w, w_end):
            if down:
                account.add(DOWN, lo, hi)
        return w_end

    def idle(self, state: int, a: float, b: float, account: StateAccount) -> None:
        outages = self.outages
        on_free = self._free_account(account)
        if a <= b and outages.within_gap(a, b):  # no outage during the wait: one piece up
            if a < b:
                self.inner.idle(state, outages.free(a), outages.free(b), on_free)
            return
        for lo, hi, down in outages.pieces(a, b):
            if down:
                account.add(DOWN, lo, hi)
            else:
                self.inner.idle(state, outages.free(lo), outages.free(hi), on_free)
