"""Buffers between stations, the launch source and the end-of-line sink.

A buffer's capacity counts the cars *waiting* between two stations: not the car
being worked on, nor a finished car held on a blocked station. Capacity 0 is a
direct hand-over: the upstream station keeps its finished car until the
downstream station takes it (blocking after service).

Stations first try the immediate ``try_get``/``try_put`` and only yield an
event when they must wait, so a car that flows freely costs no buffer events
(the contracts are written down in ``protocol``: ``CarInput``, ``CarTarget``).

Every buffer carries its kind as data (``BUFFER_KINDS``), shown in the buffer table.
"""

from __future__ import annotations

from array import array
from collections import deque

import numpy as np

from .car import Car
from .store import Store
from ...scenario.window import Window

STORE = "store"
"""A store declared between two shops (WBS, PBS)."""
BUFFER = "buffer"
"""A buffer in front of a station, or the hand-over between two shops without a declared store."""
REENTRY_LANE = "re-entry lane"
"""The lane in which reworked cars wait to re-enter the flow (taken before the main buffer)."""
ARRIVALS = "arrivals"
"""The queue of cars launched by an arrival process, in front of the first station."""
PARTS = "parts"
"""A feeder's finished parts waiting at the station that fits them (its join)."""
CALL_OFFS = "call-offs"
"""A feeder's orders: the parts called off for cars (or the cars' own parts taken off), waiting to be built."""
BUFFER_KINDS = (STORE, BUFFER, REENTRY_LANE, ARRIVALS, PARTS, CALL_OFFS)
PART_KINDS = (PARTS, CALL_OFFS)
"""Buffers that hold parts, not cars."""


class LevelMonitor:
    """Time-weighted level of a container over the measured wall-time window."""

    __slots__ = ("window", "capacity", "last_t", "level", "area", "full", "empty", "max_level", "max_ever",
                 "trace")

    def __init__(self, window: Window, capacity: float):
        self.window = window
        self.capacity = capacity
        self.last_t = 0.0
        self.level = 0
        self.area = 0.0
        self.full = 0.0
        self.empty = 0.0
        self.max_level = 0
        self.max_ever = 0
        self.trace: array | None = None
        """Flat pairs (time, level after the change) of every change, kept for the stores between shops only
        (``keep_trace``; level plots): doubles, 16 bytes a change, not a tuple of two objects each."""

    def keep_trace(self) -> None:
        """From now on, log every change of level (``trace``)."""
        self.trace = array("d")

    def change(self, now: float, delta: int) -> None:
        # runs at every put and get: the window's bounds as locals, no method call per car
        window = self.window
        lo, hi = window.lo, window.hi
        a = self.last_t if self.last_t > lo else lo
        b = now if now < hi else hi
        if b > a:
            span = b - a
            if self.level > self.max_level:  # the level carried into (or held in) the window
                self.max_level = self.level
            self.area += self.level * span
            if self.level >= self.capacity:
                self.full += span
            if self.level == 0:
                self.empty += span
        self.last_t = now
        self.level += delta
        if self.trace is not None and delta:
            self.trace.append(now)
            self.trace.append(self.level)
        if self.level > self.max_ever:
            self.max_ever = self.level
        if lo <= now < hi and self.level > self.max_level:
            self.max_level = self.level

    def close(self, now: float) -> None:
        self.change(now, 0)

    def on_the_hour(self, until: float) -> tuple[np.ndarray, np.ndarray]:
        """(seconds, level) on every whole hour from time 0 to ``until`` (s), read off the trace (kept by the
        caller): the level after the last change at or before each hour. No sampling events in the run."""
        hours = np.arange(0.0, until / 3600.0 + 1e-9, 1.0) * 3600.0
        pairs = np.frombuffer(self.trace, dtype=float).reshape(-1, 2)
        times = np.concatenate(([0.0], pairs[:, 0]))
        levels = np.concatenate(([0], pairs[:, 1].astype(np.int64)))
        return hours, levels[np.searchsorted(times, hours, side="right") - 1]


class CarStore(Store):
    """A store of the plant with a place in it (shop, name, kind, capacity) and a time-weighted level: what
    the buffer table shows. Its level goes up and down through the template's ``_entered``/``_left``."""

    __slots__ = ()

    def _open(self, env, name: str, shop: str, kind: str, capacity: float, window: Window) -> None:
        """What every store of cars starts with: its place in the plant, no one waiting, a level monitor."""
        if kind not in BUFFER_KINDS:
            raise ValueError(f"buffer {name}: unknown kind {kind!r} (one of {', '.join(BUFFER_KINDS)})")
        self._queues(env)
        self.name = name
        self.shop = shop
        self.kind = kind
        self.capacity = capacity
        self.monitor = LevelMonitor(window, capacity)

    def _entered(self) -> None:
        self.monitor.change(self.env.now, 1)

    def _left(self) -> None:
        self.monitor.change(self.env.now, -1)

    def close(self) -> None:
        self.monitor.close(self.env.now)


class Buffer(CarStore):
    """A FIFO of cars with finite capacity; re-entering cars may take priority (they go in front)."""

    __slots__ = ("env", "name", "shop", "kind", "capacity", "items", "getters", "putters", "monitor")

    def __init__(self, env, name: str, *, shop: str, kind: str, capacity: float, window: Window):
        """``kind``: one of ``BUFFER_KINDS``; ``window``: the measured wall-time window of its level."""
        self._open(env, name, shop, kind, capacity, window)
        self.items: deque[Car] = deque()

    # the template's hooks, for stores built on a buffer (a logged buffer)

    def _has_car(self) -> bool:
        return bool(self.items)

    def _take(self) -> Car:
        return self.items.popleft()

    def _has_room(self) -> bool:
        return len(self.items) < self.capacity

    def _place(self, car: Car, priority: bool) -> None:
        if priority:
            self.items.appendleft(car)
        else:
            self.items.append(car)

    # The template's try_put and try_get with the hooks above written in: inlined for performance (the buffer is
    # the store every free-flow station uses twice per car; the hook calls cost ~6% of a free-flow line's run).
    # tests/unit/test_store_template.py holds them to the template's on random sequences of puts and gets.

    def try_put(self, car: Car, priority: bool = False) -> bool:
        getters = self.getters
        while getters:
            getter = getters.popleft()
            if not getter.triggered:
                getter.succeed(car)
                return True
        items = self.items
        if len(items) < self.capacity:
            if priority:
                items.appendleft(car)
            else:
                items.append(car)
            self.monitor.change(self.env.now, 1)
            return True
        return False

    def try_get(self) -> Car | None:
        items = self.items
        if items:
            car = items.popleft()
            event = self.next_putter() if self.putters else None
            if event is not None:
                items.append(event.car)
                event.succeed(self)
            else:
                self.monitor.change(self.env.now, -1)
            return car
        event = self.next_putter() if self.putters else None
        if event is not None:
            event.succeed(self)
            return event.car
        return None

    @property
    def level(self) -> int:
        return len(self.items)

    def cars(self) -> list[Car]:
        return list(self.items)


class Merge:
    """The input of a station where re-entering cars join: their lane first, then the main buffer."""

    __slots__ = ("env", "lane", "main")

    def __init__(self, env, lane: Buffer, main):
        self.env = env
        self.lane = lane
        self.main = main

    def try_get(self) -> Car | None:
        car = self.lane.try_get()
        return car if car is not None else self.main.try_get()

    def get(self):
        """One event waiting on both: the first of the two to have a car serves it, the other skips it."""
        event = self.env.event()
        self.lane.add_getter(event)
        self.main.add_getter(event)
        return event

    def cars(self) -> list[Car]:
        return []

    def links(self) -> list[tuple[str, object]]:
        return [("re-entry lane", self.lane), ("main input", self.main)]


class Source:
    """Pull launch: the first station takes a new car whenever it can."""

    def __init__(self, launch):
        self.launch = launch

    def try_get(self) -> Car:
        return self.launch()

    def get(self):  # never needed: a pull source always has a car
        raise RuntimeError("the pull source never runs out of cars")

    def cars(self) -> list[Car]:
        return []

    def links(self) -> list[tuple[str, object]]:
        return []


class Sink:
    """End of the last shop: a finished car leaves the plant."""

    def __init__(self, complete):
        self.complete = complete

    def try_put(self, car: Car, priority: bool = False) -> bool:
        self.complete(car)
        return True

    def put(self, car: Car, priority: bool = False):  # never needed: the sink always takes the car
        raise RuntimeError("the end of the line never refuses a car")

    def links(self) -> list[tuple[str, object]]:
        return []
