"""Short-shipped parts and the retrofit area at the end of the line (``supply.retrofit``, ``short_shipped``).

A kit may arrive without a part of one of its families, or with it damaged (``Kit.short_shipped``: a family, the
share of kits short of it, the replacement's lead time, the retrofit time). Such a car flows through the shops as
any other, built without the part; at the end of line it goes into the retrofit area instead of leaving the plant:

* which cars are short is drawn when each car reaches the end of line, one draw per family of the kits its model
  takes, from the family's own stream (``supply.short_shipped.<family>``): the launch's and the supply's streams
  are untouched;
* the replacement part is ordered when the car was launched (the lot's kits are unpacked and checked before its
  cars start) and arrives a replacement lead time later (one draw per short part, from
  ``supply.short_shipped.<family>.replacement``);
* the car holds a place of the area from the end of line until it leaves. When its last part is there the
  retrofit begins: the families' retrofit times one after the other (drawn when the car enters the area, from
  ``...<family>.retrofit``), in shift time of the last shop (the retrofitters work its shifts; as many cars at
  once as have their parts: the crew is sized in the staffing table from the workload, not simulated). Then the
  car leaves the plant — it counts as produced now, not at the end of line — into the end of line behind the area
  (the yard with ``outbound``, which may hold it, still on its place, while the yard is full);
* a complete car passes the area without stopping; an incomplete car finding every place taken waits on the last
  station, which is blocked (the end of line stops), and takes the first place freed.

Cars in the area are cars in the plant (``cars_held``). Invariants (``check``): the area never holds more cars
than its places; every car that entered left or is still there; no retrofit ends before the car's parts came.
What it measures in the measured window (``figures``): cars that reached the end of line short of each family
and in all, retrofits done (cars that left the area), days in the area (end of line to leaving), the area's level
(time-weighted mean, most) and the shift hours of the last shop in which a full area held the end of line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...scenario.days import DAY
from ...scenario.window import Window
from ..flow.buffer import LevelMonitor
from ..flow.car import Car, InvariantError
from ..flow.store import Store
from .base import Component
from .end_of_line import EndOfLineBlocks, days_figures


@dataclass(frozen=True)
class RetrofitFigures:
    """One replication's retrofit figures, in the measured window."""

    places: int
    """Places of the retrofit area."""
    families: dict
    """Per part family: short (cars that reached the end of line without it), retrofits (cars retrofitted with it
    that left the area), days_mean and days_p95 (days in the area of those cars)."""
    short: int
    """Cars that reached the end of line short of at least one part (built incomplete)."""
    retrofits: int
    """Cars that left the area retrofitted."""
    days_mean: float | None
    """Mean days a retrofitted car spent in the area (end of line to leaving); None: none left."""
    days_p95: float | None
    """95th percentile of those days."""
    area: dict
    """The area's level: mean (time-weighted), max, share_full (of the window)."""
    blocked_hours: float
    """Worked hours of the last shop in which an incomplete car waited on the end of line for a place."""
    blocks: int
    """Times an incomplete car found the area full."""
    in_area_end: int
    """Cars in the area when the run ended."""
    blocked_at_end: bool
    """An incomplete car waited for a place when the run ended."""


class ShortFamily:
    """One short-shipped part family of a kit: the models that take the kit and the family's three streams."""

    __slots__ = ("name", "share", "models", "draw", "replacement", "retrofit_time")

    def __init__(self, part, models: set[int], streams):
        """``part``: the family's ``ShortShipped``; ``models``: indices of the models that take its kit."""
        self.name, self.share, self.models = part.family, part.share, models
        stream = f"supply.short_shipped.{part.family}"
        self.draw = streams.uniform(stream)
        self.replacement = streams.sampler(part.replacement, f"{stream}.replacement")
        self.retrofit_time = streams.sampler(part.retrofit_time, f"{stream}.retrofit")

    def short(self, car: Car) -> bool:
        """Whether this car's kit lacked the part (one draw per car of the kit's models)."""
        return car.model in self.models and self.draw() < self.share


class Parked:
    """A car in the retrofit area: its short families, when its parts come, when it entered and its retrofit
    end (None until its parts are all there and its retrofit is scheduled)."""

    __slots__ = ("car", "families", "parts_at", "work", "entered", "done")

    def __init__(self, car: Car, families: list[ShortFamily], parts_at: float, work: float, entered: float):
        self.car, self.families, self.parts_at, self.work, self.entered = car, families, parts_at, work, entered
        self.done: float | None = None


class RetrofitArea(Store):
    """The retrofit area in front of the end of line: the last shop's exit puts every car here; complete cars go
    straight on to ``end``, incomplete ones park until their parts came and were fitted (see the module)."""

    def __init__(self, env, *, places: int, end, families: list[ShortFamily], clock, window: Window,
                 worked_window: Window):
        """``end``: the end of line behind (the yard or the plain end, a ``CarTarget``); ``clock``,
        ``worked_window``: the last shop's shift clock and measured window in its worked time."""
        self._queues(env)
        self.name = "retrofit area"
        self.places, self.end, self.families = places, end, families
        self.clock, self.window = clock, window
        self.parked: dict[Car, Parked] = {}
        self._drawn: dict[Car, list[ShortFamily]] = {}
        """Short families drawn for a car offered and not yet placed (a refused car is offered again)."""
        self.monitor = LevelMonitor(window, places)
        self.entered = self.left = 0
        self.short_in_window = 0
        self.short_by_family = {family.name: 0 for family in families}
        self.stays: list[tuple[list[str], float]] = []
        """(families, seconds in the area) of every car that left in the window."""
        self.blocked = EndOfLineBlocks(clock, window, worked_window)
        """The shift time in which a full area held the end of line."""

    # ------------------------------------------------------------ the end of line's target

    def _short(self, car: Car) -> list[ShortFamily]:
        """The families the car lacks: drawn once, when it first reaches the end of line."""
        short = self._drawn.get(car)
        if short is None:
            short = self._drawn[car] = [family for family in self.families if family.short(car)]
            if short and self.window.contains(self.env.now):
                self.short_in_window += 1
                for family in short:
                    self.short_by_family[family.name] += 1
        return short

    def try_put(self, car: Car, priority: bool = False) -> bool:
        if not self._short(car):
            if self.end.try_put(car, priority):
                del self._drawn[car]
                return True
            return False
        if len(self.parked) < self.places:
            self._park(car)
            return True
        return False

    def put(self, car: Car, priority: bool = False):
        """A refused car: a complete one waits for the end of line behind, an incomplete one for a place."""
        if not self._short(car):
            del self._drawn[car]
            return self.end.put(car, priority)
        event = self.env.event()
        event.car = car
        if not self.putters:
            self.blocked.begin(self.env.now)
        if priority:
            self.putters.appendleft(event)
        else:
            self.putters.append(event)
        return event

    def _park(self, car: Car) -> None:
        now = self.env.now
        short = self._drawn.pop(car)
        parts_at = max(car.launched + family.replacement() for family in short)
        work = sum(family.retrofit_time() for family in short)
        parked = self.parked[car] = Parked(car, short, parts_at, work, now)
        self.entered += 1
        self.monitor.change(now, 1)
        if len(self.parked) > self.places:
            raise InvariantError(f"the retrofit area holds {len(self.parked)} cars, above its {self.places} places")
        start = max(now, parts_at)
        parked.done = self.clock.at_work(self.clock.worked(start) + work)
        if parked.done < math.inf:  # else the shifts end first: the car stays
            self.env.timeout(parked.done - now).callbacks.append(lambda _: self._retrofitted(parked))

    # ------------------------------------------------------------ leaving

    def _retrofitted(self, parked: Parked) -> None:
        """The car's retrofit is done: it leaves the plant into the end of line behind, or waits there on its
        place."""
        if self.env.now < parked.parts_at + parked.work - 1e-6:
            raise InvariantError(f"car {parked.car.seq} retrofitted at {parked.done:.0f} s, before its parts came "
                                 f"({parked.parts_at:.0f} s) and were fitted")
        if self.end.try_put(parked.car):
            self._leave(parked)
        else:
            self.end.put(parked.car).callbacks.append(lambda _: self._leave(parked))

    def _leave(self, parked: Parked) -> None:
        now = self.env.now
        del self.parked[parked.car]
        self.left += 1
        self.monitor.change(now, -1)
        if self.window.contains(now):
            self.stays.append(([family.name for family in parked.families], now - parked.entered))
        event = self.next_putter()
        if event is not None:
            self._park(event.car)
            event.succeed(self)
        if not self.putters:
            self.blocked.end(now)

    def cars(self) -> list[Car]:
        return list(self.parked)

    def links(self) -> list[tuple[str, object]]:
        return [("end of line", self.end)]

    # ------------------------------------------------------------ end of the run

    def finish(self) -> None:
        self.monitor.close(self.env.now)
        self.blocked.end(self.env.now)

    def check(self) -> None:
        """Raise InvariantError unless the area kept within its places, every car that entered left or is still
        there, and no car still there is marked to leave before its parts came."""
        if self.monitor.max_ever > self.places:
            raise InvariantError(f"the retrofit area held {self.monitor.max_ever} cars, above its {self.places} "
                                 "places")
        if self.entered != self.left + len(self.parked):
            raise InvariantError(f"retrofit area: {self.entered} cars in != {self.left} left + {len(self.parked)} "
                                 "still there")
        early = [p.car.seq for p in self.parked.values() if p.done is not None and p.done < p.parts_at]
        if early:
            raise InvariantError(f"retrofit area: cars {early} would be retrofitted before their parts came")

    def figures(self) -> RetrofitFigures:
        span = self.window.span
        days = np.array([seconds for _, seconds in self.stays], dtype=float) / DAY
        families = {}
        for family in self.families:
            mine = np.array([family.name in names for names, _ in self.stays], dtype=bool)
            families[family.name] = {"short": self.short_by_family[family.name],
                                     "retrofits": int(np.count_nonzero(mine)), **days_figures(days[mine])}
        return RetrofitFigures(
            places=self.places, families=families, short=self.short_in_window, retrofits=len(self.stays),
            **days_figures(days), area={"mean": self.monitor.area / span if span > 0 else 0.0,
                                 "max": self.monitor.max_level, "share_full": self.monitor.full / span if span > 0
                                 else 0.0},
            blocked_hours=self.blocked.blocked_s / 3600.0, blocks=self.blocked.blocks, in_area_end=len(self.parked),
            blocked_at_end=bool(self.putters))


class Retrofit(Component):
    """Short-shipped parts and the retrofit area (``supply.retrofit`` of a scenario): it puts the area in front
    of the end of line (``before_end_of_line``), ahead of the yard when the plant has one."""

    @classmethod
    def wanted(cls, scenario) -> bool:
        return scenario.supply is not None and scenario.supply.retrofit is not None

    def __init__(self, build):
        self.area: RetrofitArea | None = None
        self._build = build
        build.before_end_of_line(self._in_front)

    def _in_front(self, end) -> RetrofitArea:
        plant = self._build.plant
        scenario = plant.scenario
        last = list(scenario.shops)[-1]
        self.area = RetrofitArea(plant.env, places=scenario.supply.retrofit.places, end=end,
                                 families=short_families(scenario, plant.streams), clock=plant.clocks[last],
                                 window=plant.window, worked_window=plant.worked_windows[last])
        self._build.add_store(self.area)
        self._build = None
        return self.area

    def finish(self) -> None:
        self.area.finish()

    def cars_held(self) -> int:
        """Cars parked in the area (built, not yet produced)."""
        return len(self.area.parked)

    def explains_standstill(self) -> bool:
        """A full area whose cars wait for parts or retrofits past the last shift of the horizon."""
        return bool(self.area.putters) or any(p.done == math.inf for p in self.area.parked.values())

    def check(self, plant) -> None:
        self.area.check()

    def figures(self) -> RetrofitFigures:
        return self.area.figures()


def short_families(scenario, streams) -> list[ShortFamily]:
    """The short-shipped families of the scenario's kits, in kit order, each with its own streams."""
    out = []
    for kit in scenario.supply.kits.values():
        models = {m for m, name in enumerate(scenario.model_names) if kit.covers(name)}
        out += [ShortFamily(part, models, streams) for part in kit.short_shipped or []]
    return out
