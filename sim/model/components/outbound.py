"""The finished-car yard at the end of the line, and the trucks and trains that empty it.

With ``outbound`` in the scenario the last shop's exit puts its cars into a ``Yard``
(a ``CarTarget``) instead of the plain ``Sink``. A car placed in the yard has left
the plant: ``Plant.complete`` counts it at that moment, the end of line, which
stays the plant's output. A full yard refuses the car (``try_put`` False): the last
station holds it, blocked, and the yard takes it (its ``put`` event fires) as soon
as a shipment frees a place, the stations' cars in the order they were offered.

In the yard the cars wait in queues: the domestic cars for the trucks, each export
car for the trains of its destination, drawn when it reaches the yard from the
stream ``outbound.destination`` by the shares of its model (the launch's streams
are untouched). A carrier takes the cars of its queue that reached the yard first,
up to its places. Loading takes no time: a car leaves the yard at its carrier's time.

Trucks run on the calendar's working days, at the given times or spread evenly over
the first shift of the last shop. Trains run on calendar days (holidays included),
on given weekdays or evenly spaced; each scheduled train may be cancelled and comes
late by its delay, drawn in schedule order from the destination's own streams, so a
change of one destination leaves the others' draws alone. The whole shipment plan
is drawn before the run and walked by one process: a few events a day.

What the yard measures (``figures``): cars shipped in the measured window by
destination and model, the days each waited from end of line to shipment, the
level of the yard and of each queue (time-weighted), and the shift hours of the
last shop in which a full yard held the end of line.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections import deque
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...scenario.schema import DOMESTIC, WEEKDAYS
from ...scenario.schema import Outbound as OutboundSpec
from ..flow.buffer import LevelMonitor
from ...scenario.days import DAY, PlantDays, worked_days
from ..flow.car import Car, InvariantError
from ..flow.store import Store
from .base import Component
from .end_of_line import EndOfLineBlocks, days_figures
from ...scenario.window import Window

NO_TRAIN = "export (no train)"
"""Where the export cars wait when the scenario gives no train: nothing takes them."""


@dataclass(frozen=True)
class OutboundFigures:
    """One replication's outbound figures, in the measured window."""

    capacity: int
    """Places in the yard."""
    entered: int
    """Cars that entered the yard (left the end of line)."""
    shipped: int
    """Cars shipped."""
    in_yard_end: int
    """Cars in the yard when the run ended."""
    destinations: dict
    """Per destination queue (domestic first): market, shipped per model, days_mean and days_p95 from end of line
    to shipment, waiting_mean and waiting_max (cars in its queue), carriers that came, places_offered."""
    markets: dict
    """Per market: shipped, days_mean, days_p95."""
    yard: dict
    """The yard's level: mean (time-weighted), max, share_full (of the window)."""
    blocked_hours: float
    """Worked hours of the last shop in which a finished car waited for a place."""
    blocks: int
    """Times the end of line found the yard full."""
    blocked_at_end: bool
    """A car waited for a place when the run ended."""
    levels: pd.DataFrame
    """The yard's level on every hour from the start (time_h, level)."""


class Outbound(Component):
    """The finished-car yard at the end of the line with its trucks and trains (``outbound`` of a scenario)."""

    @classmethod
    def wanted(cls, scenario) -> bool:
        return scenario.outbound is not None

    def __init__(self, build):
        self.yard: Yard | None = None
        self.model_names = build.scenario.model_names
        self._build = build
        build.set_end_of_line(self._end_of_line)

    def _end_of_line(self, complete) -> Yard:
        self.yard = build_yard(self._build.plant)
        self._build.add_store(self.yard)
        self._build = None
        return self.yard

    def start(self) -> None:
        self.yard.start()

    def finish(self) -> None:
        self.yard.finish()

    def explains_standstill(self) -> bool:
        return bool(self.yard.putters)  # a full yard with no carrier to come: its figures say so

    def check(self, plant) -> None:
        self.yard.check(plant.completed_total)

    def figures(self) -> OutboundFigures:
        return self.yard.figures(self.model_names)


class Yard(Store):
    """The finished-car yard: the end of line's target, emptied by a plan of shipments.

    A store of the template (``store.Store``) that nobody takes from: the end of line puts its cars, a full yard
    blocks it (the template's blocked puts) and each shipment admits the blocked cars in order."""

    def __init__(self, env, *, capacity: int, complete, queues: list[str], markets: list[str],
                 destination, schedule: list[tuple[float, int, int]], window: Window, clock,
                 worked_window: Window):
        """``complete``: the plant's end of line (called as each car enters); ``queues``: names of the queues,
        the domestic one first; ``markets``: each queue's market; ``destination(model)``: the queue of an export
        car of that model; ``schedule``: (time, queue, places) of every shipment, in time order; ``clock``,
        ``worked_window``: the last shop's shift clock and measured window in its worked time (blocked hours)."""
        self._queues(env)
        self.capacity = capacity
        self.complete = complete
        self.names = queues
        self.markets = markets
        self.destination = destination
        self.schedule = schedule
        self.window = window
        self.queues: list[deque] = [deque() for _ in queues]
        """Per queue: (car, time it reached the yard), the longest waiting first."""
        self.level = 0
        self.monitor = LevelMonitor(window, capacity)
        self.monitor.keep_trace()
        self.waiting = [LevelMonitor(window, math.inf) for _ in queues]
        """Per queue: its level over time (cars waiting for their truck or train)."""
        self.entered = 0
        self.shipped = 0
        self.entered_seq = 0
        self.shipped_seq = 0
        """Sums of the launch numbers of the cars that entered and left: with the counts, a car shipped twice
        (or lost) breaks the balance checked at the end."""
        self.entered_in_window = 0
        self.shipped_cars: list[tuple[int, int, float]] = []
        """(queue, model, seconds in the yard) of every car shipped in the window."""
        self.offered = [0] * len(queues)
        """Per queue: places the carriers that came in the window offered."""
        self.carriers = [0] * len(queues)
        """Per queue: shipments (a truck time, a train) in the window."""
        self.blocked = EndOfLineBlocks(clock, window, worked_window)
        """The shift time in which a full yard held the end of line."""

    # ------------------------------------------------------------ the end of line's target

    def _has_room(self) -> bool:
        return self.level < self.capacity

    def without_asking(self) -> int:
        """Places the compiled engine may fill without asking, the puts made here later in its order
        (``made_later``): a put into the yard schedules nothing (nobody takes from it), so making it later, before
        anything else Python does, changes nothing. None (0) while an end of line waits for a place."""
        return 0 if self.putters or self.getters else int(min(self.capacity - self.level, 1 << 40))

    def made_later(self, car: Car) -> bool:
        """A car the compiled engine put here, put now; True: it left the plant's flow."""
        if not self.try_put(car):
            raise InvariantError("the yard had no room for a car the compiled engine put into it")
        return True

    def _place(self, car: Car, priority: bool) -> None:
        """``priority`` has no meaning here: only the end of line puts cars."""
        self._enter(car)

    def _blocked(self, event) -> None:
        """The end of line is blocked: its blocked time counts from the first car waiting for a place."""
        if not self.putters:
            self.blocked.begin(self.env.now)

    def _enter(self, car: Car) -> None:
        now = self.env.now
        self.complete(car)
        queue = self.destination(car.model) if car.export else 0
        self.queues[queue].append((car, now))
        self.level += 1
        self.entered += 1
        self.entered_seq += car.seq
        if self.window.contains(now):
            self.entered_in_window += 1
        self.monitor.change(now, 1)
        self.waiting[queue].change(now, 1)
        if self.level > self.capacity:
            raise InvariantError(f"the yard holds {self.level} cars, above its capacity {self.capacity}")

    # ------------------------------------------------------------ shipments

    def start(self) -> None:
        self.env.process(self._ship_all())

    def _ship_all(self):
        env = self.env
        for time, queue, places in self.schedule:
            if time > env.now:
                yield env.timeout(time - env.now)
            self.ship(queue, places)

    def ship(self, queue: int, places: int) -> int:
        """A carrier of ``queue`` with ``places`` takes the cars that reached the yard first; returns how many."""
        now = self.env.now
        cars = self.queues[queue]
        n = min(places, len(cars))
        in_window = self.window.contains(now)
        for _ in range(n):
            car, since = cars.popleft()
            self.shipped_seq += car.seq
            if in_window:
                self.shipped_cars.append((queue, car.model, now - since))
        if in_window:
            self.offered[queue] += places
            self.carriers[queue] += 1
        if n:
            self.shipped += n
            self.level -= n
            self.monitor.change(now, -n)
            self.waiting[queue].change(now, -n)
            self._admit()
        return n

    def _admit(self) -> None:
        """Places freed: the blocked cars enter, in the order they were offered."""
        while self.level < self.capacity:
            event = self.next_putter()
            if event is None:
                break
            self._enter(event.car)
            event.succeed(self)
        if not self.putters:
            self.blocked.end(self.env.now)

    def cars(self) -> list[Car]:
        return [car for cars in self.queues for car, _ in cars]

    # ------------------------------------------------------------ end of the run

    def finish(self) -> None:
        """Close the level monitors and an open blocked interval at the end of the run."""
        now = self.env.now
        self.monitor.close(now)
        for monitor in self.waiting:
            monitor.close(now)
        self.blocked.end(now)

    def check(self, completed_total: int) -> None:
        """Raise InvariantError unless every car is where the counts say: within capacity, each car that entered
        shipped once or still in the yard, and every car the plant completed in the yard."""
        inside = self.cars()
        if self.monitor.max_ever > self.capacity:
            raise InvariantError(f"the yard held {self.monitor.max_ever} cars, above its capacity {self.capacity}")
        if self.entered != self.shipped + len(inside) or self.level != len(inside):
            raise InvariantError(f"yard: {self.entered} cars in != {self.shipped} shipped + {len(inside)} in the yard "
                                 f"(level {self.level})")
        if self.entered_seq != self.shipped_seq + sum(car.seq for car in inside) or \
                len({car.seq for car in inside}) != len(inside):
            raise InvariantError("yard: a car was shipped twice, or is parked twice")
        if self.entered != completed_total:
            raise InvariantError(f"yard: {self.entered} cars entered, but the plant completed {completed_total}")

    def figures(self, model_names: list[str]) -> OutboundFigures:
        """One replication's outbound figures (the measured window): see ``analysis.outbound``."""
        span = self.window.span
        shipped = np.array([q for q, _, _ in self.shipped_cars], dtype=np.int64)
        models = np.array([m for _, m, _ in self.shipped_cars], dtype=np.int64)
        days = np.array([s for _, _, s in self.shipped_cars], dtype=float) / DAY
        destinations = {}
        for q, name in enumerate(self.names):
            mine = shipped == q
            destinations[name] = {
                "market": self.markets[q],
                "shipped": {model: int(np.count_nonzero(mine & (models == m))) for m, model in enumerate(model_names)},
                **days_figures(days[mine]),
                "waiting_mean": self.waiting[q].area / span,
                "waiting_max": self.waiting[q].max_level,
                "carriers": self.carriers[q],
                "places_offered": self.offered[q],
            }
        markets = {}
        for market in dict.fromkeys(self.markets):
            mine = np.isin(shipped, [q for q, m in enumerate(self.markets) if m == market])
            markets[market] = {"shipped": int(np.count_nonzero(mine)), **days_figures(days[mine])}
        seconds, levels = self.monitor.on_the_hour(self.window.hi)
        return OutboundFigures(
            capacity=self.capacity, entered=self.entered_in_window, shipped=len(self.shipped_cars),
            in_yard_end=self.level, destinations=destinations, markets=markets,
            yard={"mean": self.monitor.area / span, "max": self.monitor.max_level,
                  "share_full": self.monitor.full / span},
            blocked_hours=self.blocked.blocked_s / 3600.0, blocks=self.blocked.blocks,
            blocked_at_end=bool(self.putters),
            levels=pd.DataFrame({"time_h": seconds / 3600.0, "level": levels}))


# ---------------------------------------------------------------- building


def build_yard(plant) -> Yard:
    """The yard of the plant's scenario, with its shipment plan drawn (the plant's streams, its calendar, the
    first shift of its last shop for the default truck times)."""
    spec: OutboundSpec = plant.scenario.outbound
    names = [DOMESTIC] + [t.name for t in spec.trains] + ([] if spec.trains else [NO_TRAIN])
    markets = [DOMESTIC] + ["export"] * (len(names) - 1)
    last = list(plant.scenario.shops)[-1]
    schedule = truck_times(spec, plant.days, plant.scenario.shops[last].shifts)
    for k, train in enumerate(spec.trains, start=1):
        schedule += [(t, k, train.cars_per_train)
                     for t in train_times(train, plant.days, plant.scenario.calendar, plant.streams)]
    schedule.sort(key=lambda shipment: (shipment[0], shipment[1]))
    return Yard(plant.env, capacity=spec.yard.capacity, complete=plant.complete, queues=names, markets=markets,
                destination=_destinations(spec, plant.model_names, plant.streams), schedule=schedule,
                window=plant.window, clock=plant.clocks[last], worked_window=plant.worked_windows[last])


def _destinations(spec: OutboundSpec, model_names: list[str], streams):
    """The queue of an export car of a model: a destination drawn by the model's shares, or the one queue of
    export cars when no train comes."""
    if not spec.trains:
        return lambda model: 1
    draw = streams.uniform("outbound.destination")
    cumulative = [np.cumsum([t.share_for(name) for t in spec.trains]).tolist() for name in model_names]  # bisect
    last = len(spec.trains) - 1

    def destination(model: int) -> int:
        return 1 + min(bisect_right(cumulative[model], draw()), last)
    return destination


def truck_times(spec: OutboundSpec, days: PlantDays, shifts) -> list[tuple[float, int, int]]:
    """(time, 0, places) of the trucks on each working day of ``days`` (the margin after the horizon included, so
    a blocked end of line still has a shipment ahead and does not read as a jam): the day's trucks shared out over
    the loading times (several trucks at one time are one shipment of their places together)."""
    trucks = spec.trucks
    if trucks is None:
        return []
    if trucks.at:
        times = sorted(trucks.at)
        n = len(times)
        loads = [(t, trucks.per_day // n + (k < trucks.per_day % n)) for k, t in enumerate(times)]
    else:
        step = shifts.length / trucks.per_day
        loads = [(shifts.start + (k + 0.5) * step, 1) for k in range(trucks.per_day)]
    out = []
    for day in worked_days(days):
        out += [(day * DAY + t, 0, count * trucks.cars_per_truck) for t, count in loads]
    return out


def train_times(train, days: PlantDays, calendar, streams) -> list[float]:
    """Arrival times of the trains of one destination that come, over the days of ``days``: each scheduled train
    is cancelled with its chance, else late by its delay (both drawn for every scheduled train, in schedule
    order)."""
    scheduled = []
    if train.weekdays is not None:
        weekdays = {WEEKDAYS.index(d) for d in train.weekdays}
        start = calendar.start_date
        for day in range(len(days.working)):
            if (start + dt.timedelta(days=day)).weekday() in weekdays:
                scheduled.append(day * DAY + train.at)
    else:
        every = 7 * DAY / train.per_week
        horizon = len(days.working) * DAY
        k = 0
        while train.at + k * every < horizon:
            scheduled.append(train.at + k * every)
            k += 1
    cancel = streams.uniform(f"outbound.{train.name}.cancelled") if train.cancelled > 0 else None
    delay = streams.sampler(train.delay, f"outbound.{train.name}.delay") if train.delay is not None else None
    out = []
    for time in scheduled:
        cancelled = cancel is not None and cancel() < train.cancelled
        late = delay() if delay is not None else 0.0
        if not cancelled:
            out.append(time + late)
    return out
