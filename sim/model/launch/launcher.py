"""The launch when something may hold it: kits missing, a cap on launches.

Without holds the first station pulls from the plain ``buffer.Source`` (one call
per car, nothing else). With holds it pulls from a ``Launcher``: the launch plan
gives the next planned car (its variant: model and options), every ``LaunchHold``
must allow it, and only then is the car made and launched. A hold that blocks a
car makes the first station wait (``get``) until some hold calls ``wake``
(kits arrived, a new day began).

With ``look_ahead`` > 0 the launcher may pass a blocked car over and launch one
of the next ``look_ahead`` planned cars instead; the passed car keeps its place
at the head of the plan and goes as soon as its holds allow it. Each car
launched ahead of a planned car that was still waiting counts as *moved*.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Callable, Protocol

if TYPE_CHECKING:
    import simpy

    from ..flow.car import Car


class LaunchHold(Protocol):
    """Something that may hold a launch (kits, a launch cap): asked before every launch."""

    def allows(self, variant: int, now: float) -> bool:
        """True when a car of this variant may be launched now."""

    def take(self, variant: int, now: float) -> None:
        """The car is launched: take what it needs (its kits, a place under the cap)."""


class Launcher:
    """Pull launch behind holds (``LaunchHold``): the first station's input when something may hold it."""

    def __init__(self, env: simpy.Environment, next_variant: Callable[[], int], make_car: Callable[[int], Car],
                 holds: list[LaunchHold], look_ahead: int = 0):
        self.env = env
        self.next_variant = next_variant
        self.make_car = make_car
        self.holds = holds
        self.look_ahead = look_ahead
        self.planned: list[int] = []
        """Planned cars not launched yet, in plan order (at most ``look_ahead`` + 1)."""
        self.moved = 0
        """Cars launched ahead of a planned car that was waiting for its holds."""
        self.getters: deque = deque()
        """The first station's servers waiting for a launch (events), in the order they asked; as in a buffer, a
        re-entry lane's merge may have served one already (``buffer.Merge``)."""

    def try_get(self) -> Car | None:
        now = self.env.now
        for k in range(self.look_ahead + 1):
            if k == len(self.planned):
                self.planned.append(self.next_variant())
            variant = self.planned[k]
            if all(hold.allows(variant, now) for hold in self.holds):
                for hold in self.holds:
                    hold.take(variant, now)
                del self.planned[k]
                self.moved += k > 0
                return self.make_car(variant)
        return None

    def get(self):
        event = self.env.event()
        self.getters.append(event)
        return event

    def wake(self) -> None:
        """A hold may have lifted: launch now to each waiting server of the first station while a car may go."""
        getters = self.getters
        while getters:
            if getters[0].triggered:  # served by the re-entry lane of a merge meanwhile
                getters.popleft()
                continue
            car = self.try_get()
            if car is None:
                return
            getters.popleft().succeed(car)

    def cars(self) -> list[Car]:
        return []  # planned cars are not made yet: nothing of them is in the plant
