"""What the stores at the end of the line (the finished-car yard, the retrofit area) measure alike: the shift time
in which a full store held a finished car on the last station, and the days cars spent in the store."""

from __future__ import annotations

import numpy as np

from ...scenario.window import Window


class EndOfLineBlocks:
    """The end of line blocked by a full store: the worked time of the last shop, in the measured window, from the
    first car that waited for a place to the moment none waits, and the blocks that began in the window."""

    __slots__ = ("clock", "window", "worked_window", "blocked_s", "blocks", "since")

    def __init__(self, clock, window: Window, worked_window: Window):
        """``clock``, ``worked_window``: the last shop's shift clock and measured window in its worked time;
        ``window``: the measured window in wall time."""
        self.clock, self.window, self.worked_window = clock, window, worked_window
        self.blocked_s = 0.0
        """Worked seconds of the last shop, in the window, in which a car waited for a place."""
        self.blocks = 0
        """Times the end of line found the store full (a block that began in the window)."""
        self.since: float | None = None
        """Worked time since which a car waits; None: none waits."""

    def begin(self, now: float) -> None:
        """The first car waits for a place."""
        self.since = self.clock.worked(now)
        if self.window.contains(now):
            self.blocks += 1

    def end(self, now: float) -> None:
        """No car waits any more (or the run ends): the blocked time counts."""
        if self.since is not None:
            self.blocked_s += self.worked_window.clip(self.since, self.clock.worked(now))
            self.since = None


def days_figures(days: np.ndarray) -> dict:
    """Days some cars spent (to shipment, in the retrofit area): their mean and 95th percentile (None for none)."""
    if days.size == 0:
        return {"days_mean": None, "days_p95": None}
    return {"days_mean": float(days.mean()), "days_p95": float(np.percentile(days, 95))}
