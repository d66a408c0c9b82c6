"""The measured window: the half-open interval [lo, hi) after the warm-up.

A run has one window in wall time (``Plant.window``: end of the warm-up to the end
of the horizon) and, per shop, the same window in the shop's worked time
(``ShiftClock.worked_window``). Every count of a run (cars completed, stations'
state times, buffer levels, labour pools) covers one of them.

The hot loops (a station's server, a paced line, a buffer's level monitor, a state
account) read ``lo`` and ``hi`` into local variables instead of calling ``contains``
or ``clip`` once per car; they do the same operations in the same order, so the
figures are the same to the bit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Window:
    """The half-open time interval [lo, hi) (seconds, wall or worked time).

    Frozen, except through ``move``: a shop's window in worked time is one object shared by all its stations,
    and overtime decided during the run moves its bounds in place (``overtime.Overtime``)."""

    lo: float
    hi: float

    def move(self, lo: float, hi: float) -> None:
        """New bounds (overtime added worked time inside the window), seen by everything that shares it."""
        object.__setattr__(self, "lo", lo)
        object.__setattr__(self, "hi", hi)

    @property
    def span(self) -> float:
        """Length of the window: hi - lo."""
        return self.hi - self.lo

    def contains(self, t: float) -> bool:
        """Whether time t lies in the window: lo <= t < hi."""
        return self.lo <= t < self.hi

    def clip(self, a: float, b: float) -> float:
        """Length of the interval [a, b] inside the window (0.0 if none)."""
        a = max(a, self.lo)
        b = min(b, self.hi)
        return b - a if b > a else 0.0
