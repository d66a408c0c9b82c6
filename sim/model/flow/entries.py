"""The order in which cars enter each shop: the planned sequence and the sequence as built.

The first shop's order is the launch order (the planned sequence); every later shop takes its cars
from the store or hand-over buffer in front of it, which records each car as it leaves. From these
records the run measures what sequencing is about: spacing-rule breaches as each shop receives its
cars, colour blocks into paint, and how far the sequence into assembly strays from the plan.
"""

from __future__ import annotations

from array import array

import numpy as np

from .buffer import Buffer
from .store import Store


class EntryLog:
    """Cars in the order they entered one shop: when, launch number, variant and colour."""

    def __init__(self, shop: str):
        self.shop = shop
        self.times = array("d")
        self.seq = array("q")
        self.variant = array("q")
        self.colour = array("q")

    def record(self, car, now: float) -> None:
        self.times.append(now)
        self.seq.append(car.seq)
        self.variant.append(car.variant)
        self.colour.append(car.colour)

    def arrays(self) -> dict[str, np.ndarray]:
        """The record as arrays (every entry of the run, the warm-up included)."""
        return {"time": np.frombuffer(self.times, dtype=np.float64),
                "seq": np.frombuffer(self.seq, dtype=np.int64),
                "variant": np.frombuffer(self.variant, dtype=np.int64),
                "colour": np.frombuffer(self.colour, dtype=np.int64)}


class LoggedBuffer(Buffer):
    """The buffer in front of a shop (store or hand-over): records each car the shop takes from it.

    A car goes to the shop either from the buffer (``try_get``) or straight to a waiting station
    (``try_put`` with a getter waiting): both are recorded, in the order the shop received them.
    """

    __slots__ = ("log",)

    def __init__(self, env, name: str, *, log: EntryLog, **buffer):
        super().__init__(env, name, **buffer)
        self.log = log

    # the template's own try_put and try_get, which call the hooks this buffer adds to
    try_put = Store.try_put
    try_get = Store.try_get

    def _take(self):
        car = self.items.popleft()
        self.log.record(car, self.env.now)
        return car

    def _handed(self, car) -> None:
        self.log.record(car, self.env.now)
