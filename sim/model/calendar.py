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

import datetime as dt
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from ..scenario.schema import Calendar, Horizon, Shifts, WEEKDAYS
from .window import Window

DAY = 86400.0
_MARGIN_DAYS = 45  # shift windows beyond the horizon, so work started near the end has an end time


@dataclass(frozen=True)
class PlantDays:
    """Which simulated days are working days, and the measured window."""
    working: tuple[bool, ...]
    """One flag per simulated day, margin included."""
    warmup_days: float
    measured_days: float
    working_days_per_year: float
    first_date: dt.date | None

    @property
    def warmup_end(self) -> float:
        return self.warmup_days * DAY

    @property
    def end(self) -> float:
        return (self.warmup_days + self.measured_days) * DAY

    @property
    def window(self) -> Window:
        """The measured window in wall time: end of the warm-up to the end of the horizon."""
        return Window(self.warmup_end, self.end)

    def working_days_in_window(self) -> int:
        """Working days whose start lies in the measured window."""
        first = math.ceil(self.warmup_days - 1e-9)
        last = math.ceil(self.warmup_days + self.measured_days - 1e-9)
        return sum(self.working[first:last])


def plant_days(calendar: Calendar, horizon: Horizon) -> PlantDays:
    """The day flags of a scenario's calendar over its horizon."""
    if calendar.dated:
        measured = horizon.days if horizon.days is not None else 365.0 * horizon.years
        total = math.ceil(horizon.warmup_days + measured) + _MARGIN_DAYS
        holidays = set(calendar.holidays)
        weekdays = {WEEKDAYS.index(d) for d in calendar.weekdays}
        dates = [calendar.start_date + dt.timedelta(days=i) for i in range(total)]
        working = tuple(d.weekday() in weekdays and d not in holidays for d in dates)
        year = calendar.start_date.year
        per_year = sum(1 for d in _year_dates(year) if d.weekday() in weekdays and d not in holidays)
        return PlantDays(working, horizon.warmup_days, measured, float(per_year), calendar.start_date)
    per_year = float(calendar.working_days_per_year)
    measured = horizon.days if horizon.days is not None else per_year * horizon.years
    total = math.ceil(horizon.warmup_days + measured) + _MARGIN_DAYS
    return PlantDays((True,) * total, horizon.warmup_days, measured, per_year, None)


def _year_dates(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


def shift_windows(shifts: Shifts, days: PlantDays) -> list[tuple[float, float]]:
    """Working intervals (wall seconds) of a shop: every shift of every working day, minus breaks."""
    pieces = _shift_pieces(shifts)
    windows = []
    for day, works in enumerate(days.working):
        if not works:
            continue
        base = day * DAY
        for start, end in pieces:
            if windows and abs(windows[-1][1] - (base + start)) < 1e-9:
                windows[-1] = (windows[-1][0], base + end)  # back-to-back shifts: one window
            else:
                windows.append((base + start, base + end))
    return windows


def _shift_pieces(shifts: Shifts) -> list[tuple[float, float]]:
    """Working pieces of one day's shifts, in seconds after midnight."""
    pieces = []
    breaks = [] if shifts.runs_through_breaks else sorted(shifts.breaks, key=lambda b: b.after)
    for k in range(shifts.count):
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

    __slots__ = ("starts", "ends", "cum", "cum_end")

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

    def worked(self, t: float) -> float:
        """Shift seconds elapsed from time 0 to wall time t."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0.0
        return self.cum[i] + min(t, self.ends[i]) - self.starts[i]

    def at_work(self, w: float) -> float:
        """Earliest wall time at which ``w`` shift seconds have elapsed (inf past the calendar)."""
        i = bisect_left(self.cum_end, w)
        if i == len(self.cum_end):
            return math.inf
        return self.starts[i] + (w - self.cum[i])

    def worked_window(self, wall: Window) -> Window:
        """The wall-time window ``wall`` in this shop's worked time."""
        return Window(self.worked(wall.lo), self.worked(wall.hi))


class MaintenanceWindows:
    """Where a shop's working days end, in its worked time, with the maintenance hours that follow.

    A repair still running when the day's last shift ends goes on off shift, for at most the
    window's hours (``between_days``, plus ``days_off`` for each non-working day before the next
    working day, and never more than the time until the next shift starts); whatever is left
    continues in the next shift. In worked time the off-shift hours take no time at all, so a
    repair that is done in the window ends exactly at the boundary: the next shift starts up.
    """

    __slots__ = ("at", "hours", "preventive")

    def __init__(self, *, between_days: float, days_off: float, preventive: bool, shifts: Shifts, days: PlantDays,
                 clock: ShiftClock):
        pieces = _shift_pieces(shifts)
        working = [d for d, works in enumerate(days.working) if works]
        self.at: list[float] = []
        self.hours: list[float] = []
        self.preventive = preventive
        for day, following in zip(working, working[1:]):
            end = day * DAY + pieces[-1][1]
            gap = following * DAY + pieces[0][0] - end
            hours = min(between_days + days_off * (following - day - 1), gap)
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
