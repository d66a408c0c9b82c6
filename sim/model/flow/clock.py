"""Working days and shift clocks.

Wall time is seconds from midnight of the first simulated day. A shop works
only inside its shift windows (shifts minus breaks, on working days). Rather
than scheduling an event at every shift boundary, each shop has a ``ShiftClock``
that maps wall time to *worked time* (seconds of shift time elapsed) and back:
a station that needs ``w`` seconds of work starting at wall time ``t`` finishes
at ``clock.at_work(clock.worked(t) + w)``. Everything in the shop (processing,
repairs, conveyors) advances on this clock, so stopping at breaks and at the
end of a shift costs no events at all.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right

from ...scenario.days import DAY, ExtraTime, PlantDays, worked_days
from ...scenario.schema import Shifts
from ...scenario.window import Window
from .car import InvariantError


def shift_windows(shifts: Shifts, days: PlantDays, counts: list[int] | None = None,
                  extra: ExtraTime | None = None) -> list[tuple[float, float]]:
    """Working intervals (wall seconds) of a shop: every shift of every working day, minus breaks.
    ``counts``: the shifts run on each simulated day (a ramp-up, ``ramp``); None: ``shifts.count`` every day.
    ``extra``: overtime (days off worked, hours after the last shift)."""
    pieces_of = day_pieces(shifts, counts, extra)
    windows = []
    for day in worked_days(days, extra):
        base = day * DAY
        for start, end in pieces_of(day):
            if windows and abs(windows[-1][1] - (base + start)) < 1e-9:
                windows[-1] = (windows[-1][0], base + end)  # back-to-back shifts: one window
            else:
                windows.append((base + start, base + end))
    return windows


def day_pieces(shifts: Shifts, counts: list[int] | None, extra: ExtraTime | None = None):
    """The working pieces of a day's shifts as a function of the day (``counts``: shifts per day; None:
    ``shifts.count`` every day; ``extra``: overtime lengthens a day's last piece); days with the same count
    share one list."""
    by_count: dict[int, list[tuple[float, float]]] = {}

    def pieces(day: int) -> list[tuple[float, float]]:
        count = shifts.count if counts is None else counts[day]
        if count not in by_count:
            by_count[count] = _shift_pieces(shifts, count)
        if extra is not None and day in extra.after_last_shift:
            usual = by_count[count]
            return usual[:-1] + [(usual[-1][0], usual[-1][1] + extra.after_last_shift[day])]
        return by_count[count]
    return pieces


def _shift_pieces(shifts: Shifts, count: int | None = None) -> list[tuple[float, float]]:
    """Working pieces of one day's shifts (``count`` of them, default ``shifts.count``), in seconds after midnight."""
    pieces = []
    breaks = [] if shifts.runs_through_breaks else sorted(shifts.breaks, key=lambda b: b.after)
    for k in range(shifts.count if count is None else count):
        cursor = shifts.start + k * shifts.length
        shift_end = cursor + shifts.length
        for brk in breaks:
            brk_start = shifts.start + k * shifts.length + brk.after
            if brk_start > cursor:
                pieces.append((cursor, brk_start))
            cursor = brk_start + brk.length
        if shift_end > cursor:
            pieces.append((cursor, shift_end))
    merged: list[tuple[float, float]] = []
    for start, end in pieces:
        if merged and abs(merged[-1][1] - start) < 1e-9:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


class ShiftClock:
    """Maps wall time to worked (shift) time and back for one shop."""

    __slots__ = ("starts", "ends", "cum", "cum_end", "_i", "_lo", "_hi", "_j", "_wlo", "_whi")

    def __init__(self, windows: list[tuple[float, float]]):
        if not windows:
            raise ValueError("a shop has no working time in the horizon")
        self.starts = [s for s, _ in windows]
        self.ends = [e for _, e in windows]
        self.cum = []
        self.cum_end = []
        total = 0.0
        for start, end in windows:
            self.cum.append(total)
            total += end - start
            self.cum_end.append(total)
        self._forget()

    def _forget(self) -> None:
        """No shift window kept from the last readings (the clock changed, or none was read yet). The clock is
        read hundreds of thousands of times a month, nearly always in the window read last: ``worked`` keeps
        the window of wall times [its start, the next start) and ``at_work`` that of worked times (the last
        one's end, its end], so that a reading inside them needs no search (the same sums either way)."""
        self._i, self._lo, self._hi = 0, 1.0, 0.0
        self._j, self._wlo, self._whi = 0, 1.0, 0.0

    def worked(self, t: float) -> float:
        """Shift seconds elapsed from time 0 to wall time t."""
        if self._lo <= t < self._hi:
            i = self._i
            end = self.ends[i]
            return self.cum[i] + (t if t < end else end) - self.starts[i]  # min() without the call
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        self._i, self._lo = i, self.starts[i]
        self._hi = self.starts[i + 1] if i + 1 < len(self.starts) else math.inf
        return self.cum[i] + min(t, self.ends[i]) - self.starts[i]

    def at_work(self, w: float) -> float:
        """Earliest wall time at which ``w`` shift seconds have elapsed (inf past the calendar)."""
        if self._wlo < w <= self._whi:
            i = self._j
            return self.starts[i] + (w - self.cum[i])
        i = bisect_left(self.cum_end, w)
        if i == len(self.cum_end):
            return math.inf
        self._j, self._whi = i, self.cum_end[i]
        self._wlo = self.cum_end[i - 1] if i > 0 else -math.inf
        return self.starts[i] + (w - self.cum[i])

    def worked_window(self, wall: Window) -> Window:
        """The wall-time window ``wall`` in this shop's worked time."""
        return Window(self.worked(wall.lo), self.worked(wall.hi))

    def extend(self, windows: list[tuple[float, float]], since: float) -> None:
        """Overtime decided at wall time ``since``: the clock becomes ``windows``, in place (every part of the shop
        holds this clock). Working time before ``since`` cannot change: the worked time of every moment up to
        then, and so every state time counted, stays as it was (InvariantError otherwise)."""
        new = ShiftClock(windows)
        i = bisect_right(self.starts, since)  # the windows started by then; the last may run on past it
        changed = new.starts[:i] != self.starts[:i] or new.ends[:i - 1] != self.ends[:i - 1] or (
            i > 0 and new.ends[i - 1] != self.ends[i - 1] and min(new.ends[i - 1], self.ends[i - 1]) < since)
        if changed:
            raise InvariantError(f"overtime decided at {since:.0f} s would change working time before then")
        self.starts, self.ends, self.cum, self.cum_end = new.starts, new.ends, new.cum, new.cum_end
        self._forget()


class MaintenanceWindows:
    """Where a shop's working days end, in its worked time, with the maintenance hours that follow.

    A repair still running when the day's last shift ends goes on off shift, for at most the
    window's hours (``between_days``, plus ``days_off`` for each non-working day before the next
    working day, and never more than the time until the next shift starts); whatever is left
    continues in the next shift. In worked time the off-shift hours take no time at all, so a
    repair that is done in the window ends exactly at the boundary: the next shift starts up.
    """

    __slots__ = ("at", "hours", "preventive", "between_days", "days_off")

    def __init__(self, *, between_days: float, days_off: float, preventive: bool, shifts: Shifts, days: PlantDays,
                 clock: ShiftClock, counts: list[int] | None = None, extra: ExtraTime | None = None):
        """``counts``: the shifts run on each simulated day (a ramp-up), as for ``shift_windows``; ``extra``:
        overtime, as there."""
        self.preventive = preventive
        self.between_days, self.days_off = between_days, days_off
        self.rebuild(shifts, days, clock, counts, extra)

    def rebuild(self, shifts: Shifts, days: PlantDays, clock: ShiftClock, counts: list[int] | None,
                extra: ExtraTime | None) -> None:
        """The windows of these days and shifts (in place: overtime moves the ends of the days after it)."""
        pieces = day_pieces(shifts, counts, extra)
        working = worked_days(days, extra)
        self.at: list[float] = []
        self.hours: list[float] = []
        for day, following in zip(working, working[1:]):
            end = day * DAY + pieces(day)[-1][1]
            gap = following * DAY + pieces(following)[0][0] - end
            hours = min(self.between_days + self.days_off * (following - day - 1), gap)
            if hours > 0:
                self.at.append(clock.worked(end))
                self.hours.append(hours)

    def repair_end(self, w: float, repair: float) -> float:
        """Worked time at which a repair of ``repair`` seconds, starting at worked time ``w``, is done."""
        at, hours = self.at, self.hours
        i = bisect_right(at, w)
        while i < len(at) and w + repair > at[i]:
            repair -= at[i] - w + hours[i]
            w = at[i]
            if repair <= 0:
                return w
            i += 1
        return w + repair

    def next_after(self, w: float) -> float:
        """The first window boundary after worked time ``w`` (inf when there is none)."""
        i = bisect_right(self.at, w)
        return self.at[i] if i < len(self.at) else math.inf
