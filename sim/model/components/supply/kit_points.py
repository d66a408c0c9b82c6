"""Where cars take their kits: the launch and a shop's entry (``supply`` keeps the stocks behind them).

A ``Point`` knows the stocks (``supply.Stock``) each model takes there and measures how long it was held:
from the moment it wants to give a car whose kit is missing to the moment it gives one, in shift time of
the consuming shop, per missing kit as well as for the point. Two points exist:

* the launch: ``LaunchKits`` is a ``launch.LaunchHold``. The launch asks it before every launch; a
  car is launched when its kits are on hand. With ``look_ahead`` the launch may pass the planned car
  over for a later one whose kits are there: that launch is *moved* (counted against the kits the passed
  car lacked), and the launch is held only when no candidate may go.
* a later shop's entry: ``KitGate`` is the ``protocol.CarInput`` of the shop's first station. It takes
  the next car from the store or buffer in front of the shop only when a station wants one, and holds it
  until its kits are there (the held car is a car in the plant). It asks the entry for a car with a
  standing request that the entry serves as it serves a waiting station, so a car that flows freely costs
  no event more than without supply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ....scenario.window import Window
from ...flow.store import Request, Store

if TYPE_CHECKING:
    from .supply import Stock


class Point:
    """Where cars take kits (the launch, or a shop's entry): the stocks each model needs there, and the
    hours the point was held for a missing kit, on the consuming shop's shift clock."""

    def __init__(self, name: str, shop: str, needs: list[list[Stock]], clock, worked_window: Window,
                 wall_window: Window):
        self.name, self.shop = name, shop
        self.needs = needs
        """Per model index, the stocks a car takes here."""
        self.clock, self.worked_window, self.wall_window = clock, worked_window, wall_window
        self.passed = [0] * len(needs)
        """Cars per model that took their kits here (the whole run)."""
        self.hold_since: tuple[float, float] | None = None
        """(wall, worked time) since which the point holds a car missing a kit; None: not held."""
        self.stockout_s = 0.0
        self.holds = self.moved = 0
        self.kits = {stock.kit for stocks in needs for stock in stocks}

    def ready(self, model: int) -> bool:
        for stock in self.needs[model]:
            if stock.level <= 0:
                return False
        return True

    def sure(self, models) -> int:
        """How many cars of these models (in order) get their kits here one after another with nothing happening
        but their takes: no hold running, and each kit still on hand when its car comes (a take schedules
        nothing: an order at the reorder point waits in its route's backlog)."""
        if self.hold_since is not None:
            return 0
        taken: dict[int, int] = {}
        n = 0
        for model in models:
            for stock in self.needs[model]:
                k = taken.get(id(stock), 0)
                if stock.level <= k:
                    return n
                taken[id(stock)] = k + 1
            n += 1
        return n

    def sure_any(self) -> int:
        """How many cars of any models surely get their kits here one after another with nothing happening but
        their takes (the fewest kits on hand of any stock here)."""
        if self.hold_since is not None:
            return 0
        return min((stock.level for stocks in self.needs for stock in stocks), default=1 << 40)

    def hold(self, model: int, now: float) -> None:
        """The point wants to give a car of ``model`` and a kit is missing: the stockout of each missing kit
        runs from now (kits that came meanwhile end theirs)."""
        w = self.clock.worked(now)
        if self.hold_since is None:
            self.hold_since = (now, w)
        for stock in self.needs[model]:
            if stock.level <= 0:
                if stock.hold_since is None:
                    stock.hold_since = (now, w)
            elif stock.hold_since is not None:
                self._end(stock, now, w)

    def release(self, now: float) -> None:
        """The point gives a car: every stockout running ends now."""
        if self.hold_since is None:
            return
        w = self.clock.worked(now)
        self._end(self, now, w)
        for stocks in self.needs:
            for stock in stocks:
                if stock.hold_since is not None:
                    self._end(stock, now, w)

    def _end(self, held, now: float, w: float) -> None:
        """A hold of the point (or of one of its stocks) ends at wall time ``now``, worked time ``w``: its shift
        time in the window counts, and the hold itself if it began in the window and lasted (a car passed over
        at once by the look-ahead is no hold)."""
        start, w0 = held.hold_since
        held.hold_since = None
        if now > start:
            held.stockout_s += self.worked_window.clip(w0, w)
            if self.wall_window.contains(start):
                held.holds += 1

    def take(self, model: int, now: float) -> None:
        """A car of ``model`` passes: it takes one of each of its kits."""
        if self.hold_since is not None:
            self.release(now)
        for stock in self.needs[model]:
            stock.take(now)
        self.passed[model] += 1


class LaunchKits:
    """The launch kits as a ``launch.LaunchHold``: a car is launched when its kits are on hand."""

    material = True
    """A hold on what the car is built of: asked before a cap on launches."""

    def __init__(self, point: Point, launch, models: int):
        self.point, self.launch, self.models = point, launch, models

    def allows(self, variant: int, now: float) -> bool:
        point = self.point
        if point.ready(variant % self.models):
            return True
        head = self.launch.head() % self.models  # the car the launch waits for, if nothing passes it
        if not point.ready(head):
            point.hold(head, now)
        return False

    def sure(self, variants: list[int]) -> int:
        """``LaunchHold.sure``: the next launches whose kits are surely on hand (``Point.sure``)."""
        models = self.models
        return self.point.sure(variant % models for variant in variants)

    def take(self, variant: int, now: float) -> None:
        point = self.point
        head = self.launch.head() % self.models
        # the head was found ready when it is the car launched (``allows``): only a car launched past it asks
        if variant % self.models != head and not point.ready(head):  # launched past the head, which lacks a kit
            if point.wall_window.contains(now):
                point.moved += 1
                for stock in point.needs[head]:
                    if stock.level <= 0:
                        stock.moved += 1
        point.take(variant % self.models, now)


class KitGate(Store):
    """A shop's entry where its cars take kits (``protocol.CarInput`` in front of its first station): it takes
    the next car from the store or buffer in front of the shop when the shop wants one, and holds it until every
    kit the car needs there is on hand. The held car is a car in the plant (``cars``).

    A store of the template (``store.Store``) that holds at most one car, and that by its kits: its ``try_get``
    is its own. A station (or a merge) waiting at the gate makes it serve at once; the gate waits on its entry
    with a standing ``store.Request``, served like a waiting station."""

    def __init__(self, env, entry, point: Point):
        self._queues(env)
        self.entry, self.point = entry, point
        self.held = None
        self.request = Request(self)
        self.released = 0
        """Cars handed to the shop (the whole run)."""

    def try_get(self):
        if self.waiting_taker():
            return None  # stations already waiting come first
        car = self.held if self.held is not None else self.entry.try_get()
        if car is None:
            return None
        if self.point.ready(car.model):
            self.held = None
            self._pass(car)
            return car
        self.held = car  # the station waits (``get``) and the hold starts there
        return None

    def add_getter(self, taker) -> None:
        """A station (or a merge) waits at the gate: serve it now if a car with its kits is there."""
        self.getters.append(taker)
        self.serve()

    def wants_car(self) -> bool:
        """The standing request's question: whether a station waits for a car."""
        return self.waiting_taker()

    def receive(self, car) -> None:
        """The entry handed a car to the standing request."""
        self.held = car
        self.serve()

    def serve(self) -> None:
        """Give the waiting stations cars whose kits are on hand, in order; hold the first that lacks one."""
        point = self.point
        while self.waiting_taker():
            car = self.held
            if car is None:
                car = self.entry.try_get()
                if car is None:
                    if not self.entry.waits(self.request):
                        self.entry.add_getter(self.request)
                    return
                self.held = car
            if not point.ready(car.model):
                point.hold(car.model, self.env.now)
                return
            self.held = None
            self._pass(car)
            self.getters.popleft().succeed(car)

    def wake(self) -> None:
        """Kits arrived: the held car may go."""
        if self.held is not None:
            self.serve()

    def without_asking(self) -> int:
        """Cars the compiled engine may take from the entry and pass without asking (``made_later``): with no car
        held, no station waiting and every kit surely on hand, the gate passes the entry's cars as they come."""
        return 0 if self.held is not None or self.getters else max(self.point.sure_any(), 0)

    def made_later(self, car) -> bool:
        """A car the compiled engine took from the entry and passed (``try_get``'s pass, made later in order);
        False: it goes on in the plant."""
        self._pass(car)
        return False

    def _pass(self, car) -> None:
        self.point.take(car.model, self.env.now)
        self.released += 1

    def cars(self) -> list:
        return [] if self.held is None else [self.held]

    def links(self) -> list[tuple[str, object]]:
        return [("entry", self.entry)]
