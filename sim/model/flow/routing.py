"""Where a finished car goes: the next buffer, or a quality gate's paths.

Each router here (and the plant's shop exits) offers ``route(car) -> (target, priority)``,
the ``protocol.Router`` contract.
"""

from __future__ import annotations


class Onward:
    """Plain flow: every car goes to the next buffer."""

    __slots__ = ("target", "priority")

    def __init__(self, target, priority: bool = False):
        self.target = target
        self.priority = priority

    def route(self, car):
        return self.target, self.priority

    def links(self) -> list[tuple[str, object]]:
        return [("output", self.target)]


class QualityGate:
    """After an inspection: pass on, scrap, or send to a rework path.

    A share ``first_pass_yield`` of the inspected cars passes, ``scrap`` is
    scrapped, and the rest is split over the rework paths by their shares.
    Each path leads to its repair station's lane, or straight back into the
    flow at the re-entry station (a full repaint re-enters at topcoat).
    Re-entering cars go to the front of the re-entry buffer.
    """

    def __init__(self, onward, first_pass_yield: float, scrap: float, paths: list, uniform, on_scrap, in_window):
        """``paths``: [(cumulative share, target, priority, re-entry)] over the failing cars."""
        self.onward = onward
        self.pass_below = first_pass_yield
        self.scrap_below = first_pass_yield + scrap
        self.paths = paths
        self.uniform = uniform
        self.on_scrap = on_scrap
        self.in_window = in_window
        """Counts cover the measured window, like every other count of a run."""
        self.inspected = 0
        self.failed = 0

    def links(self) -> list[tuple[str, object]]:
        out = [("cars passing the quality gate", self.onward)]
        for k, (_, target, _, reentry) in enumerate(self.paths, start=1):
            out += [(f"quality gate rework path {k}", target), (f"quality gate rework path {k} re-entry", reentry)]
        return out

    def route(self, car):
        counted = self.in_window()
        self.inspected += counted
        u = self.uniform()
        if u < self.pass_below:
            return self.onward, False
        self.failed += counted
        if u < self.scrap_below:
            self.on_scrap(car)
            return None, False
        rest = (u - self.scrap_below) / (1.0 - self.scrap_below)
        for upto, target, priority, reentry in self.paths:
            if rest < upto:
                car.reentry = reentry
                return target, priority
        _, target, priority, car.reentry = self.paths[-1]
        return target, priority


class AfterRepair:
    """A repair station's exit: each car goes back to the re-entry lane of its own rework path."""

    def route(self, car):
        return car.reentry, True

    def links(self) -> list[tuple[str, object]]:
        """None fixed: each car goes back to the re-entry lane its gate chose, which the gate's paths link."""
        return []
