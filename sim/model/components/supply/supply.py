"""Kit supply: kits come by routes, are ordered by a policy, kept in stock per model and taken by the cars.

The scenario's ``supply`` (``scenario.schema.Supply``) names routes (rail from China, trucks from local
suppliers) and kits (body, trim, powertrain, local parts). Per kit and model there is a ``Stock``;
its plan (``kit_levels.KitPlan``) turns the days of cover of the scenario into kits at the plan rate
(target.annual_units x model share / working days a year). Under a monthly production plan the levels
follow the plan (``kit_levels.MonthlyLevels``): a review orders up to the S of the month in which its order
would arrive; a reorder point changes to the next month's s when an order placed then would arrive in that
month (one event a month per kit, which checks a reorder too).

* **Orders** (``Stock.review``, ``Stock.take``): periodic review every R brings the inventory
  position (on hand + ordered and not arrived) up to S, rounded up to whole lots; a reorder point s
  orders whole orders of ``lot_count`` lots when a car takes the position to s or below. An order
  waits in its route's backlog for the next departure.
* **Routes** (``RouteRun``): at each departure (unless a disruption stops the route) the backlog
  leaves in whole containers per kit and model, first ordered first, up to the route's containers;
  the shipment arrives one lead time later (plus a border delay with its chance), drawn once per
  departure from the route's own streams (``supply.<route>.lead_time`` ...), so a train's kits arrive
  together and the launch streams are untouched. A few events per departure, none per car. Dated events
  (``events``: a route closed, a shipment held; ``scenario.events.RouteHolds``) move a shipment's arrival
  later; departures go on.
* **Consumption** (``kit_points``): each car takes one kit of every kit its model needs at a point, and
  waits there until all are on hand: at launch a ``LaunchKits`` hold (``launch.LaunchHold``;
  with ``look_ahead`` the launch may pass a held car over), at a later shop's entry a ``KitGate``
  in front of its first station that holds the next car.

Measured per stock in the measured window: the time-weighted mean and the minimum on hand, a sample
at the start of every day (the level carried into the day, before anything that happens at midnight),
the hours the point was held with this kit missing for the car it would take (shift hours of the
consuming shop: the launch counts on the first shop's clock), the holds, the launches moved past a car
missing it, shipments arrived and their lead time realised; under a plan, the time-weighted cover at the
rate of each moment's month (one event at each month's start, none per car). Invariants (``Supply.check``):
kits on hand never negative; per stock, on hand = initial + arrived - consumed, shipped = arrived + in
transit, ordered = shipped + waiting for a departure; kits consumed = cars that passed the point.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from ....scenario.plan import next_month
from ....scenario.schema import LAUNCH, MONTH_DAYS, Route, Scenario
from ....scenario.units import Exponential
from ...flow.car import InvariantError
from ....scenario.days import DAY
from ....scenario.kit_levels import KitPlan, MonthlyLevels, PlanRates, consuming_shop, kit_plan
from ....scenario.events import RouteHolds
from ..base import Component
from .kit_points import KitGate, LaunchKits, Point
from ....scenario.window import Window


class Stock:
    """The stock of one kit for one model: on hand, the pipeline behind it and what it measured."""

    __slots__ = ("kit", "model", "plan", "route", "per_container", "lo", "hi", "level", "position",
                 "initial", "ordered", "shipped", "arrived", "consumed", "waiting", "orders", "last_t", "area",
                 "min_level", "next_sample", "samples", "reorder_at", "hold_since", "stockout_s", "holds", "moved",
                 "shipments", "lead_sum", "consumed_in_window", "arrived_in_window", "levels", "area_counted",
                 "cover_area", "cover_span")

    def __init__(self, kit: str, model: str, plan: KitPlan, per_container: int, route: RouteRun, window: Window,
                 levels: MonthlyLevels | None = None):
        self.kit, self.model, self.plan, self.route = kit, model, plan, route
        self.levels = levels
        """Under a monthly plan, the levels of each month (``plan`` is then the target rate's); None: ``plan``."""
        self.per_container = per_container
        self.lo, self.hi = window.lo, window.hi  # read at every change: plain attributes, not the window's
        self.level = self.position = self.initial = plan.initial if levels is None else levels.initial()
        self.ordered = self.shipped = self.arrived = self.consumed = self.waiting = 0
        self.orders: list[tuple[float, int]] = []
        """(time, kits) of every order placed."""
        self.last_t = 0.0
        self.area = 0.0
        self.min_level = math.inf
        self.next_sample = 0.0
        self.samples: list[int] = []
        """On hand at the start of day 0, 1, ... (the level carried into the day)."""
        self.reorder_at = None if plan.periodic else plan.level if levels is None else levels.at(0.0).level
        self.hold_since: tuple[float, float] | None = None
        """(wall, worked time of the point's shop) since which its point holds a car missing this kit."""
        self.stockout_s = 0.0
        self.holds = self.moved = self.shipments = 0
        self.lead_sum = 0.0
        self.consumed_in_window = self.arrived_in_window = 0
        self.area_counted = self.cover_area = self.cover_span = 0.0
        """Under a plan: the area counted into ``cover_area`` (area / the month's rate, working days x seconds)
        over ``cover_span`` seconds of the window in months whose rate is above 0."""

    def _change(self, now: float, delta: int) -> None:
        """The level changes by ``delta`` at ``now``: the time-weighted area and minimum in the window, and the
        day starts passed since the last change (runs once per kit a car takes: no method call inside)."""
        while self.next_sample <= now:
            self.samples.append(self.level)
            self.next_sample += DAY
        lo, hi = self.lo, self.hi
        a = self.last_t if self.last_t > lo else lo
        b = now if now < hi else hi
        if b > a:
            self.area += self.level * (b - a)
            if self.level < self.min_level:  # the level carried into (or held in) the window
                self.min_level = self.level
        self.last_t = now
        self.level += delta
        if lo <= now < hi and self.level < self.min_level:
            self.min_level = self.level

    def take(self, now: float) -> None:
        """A car takes one kit: a reorder point orders when the position falls to it."""
        self._change(now, -1)
        self.consumed += 1
        self.position -= 1
        if self.level < 0:
            raise InvariantError(f"kit {self.kit} of {self.model}: {self.level} on hand after a car took one")
        if self.lo <= now < self.hi:
            self.consumed_in_window += 1
        if self.reorder_at is not None and self.position <= self.reorder_at:
            self.check_reorder(now)

    def check_reorder(self, now: float) -> None:
        """Reorder point: at s or below, the whole orders that bring the position above s."""
        if self.position <= self.reorder_at:
            unit = self.plan.unit
            self.order(now, (math.floor((self.reorder_at - self.position) / unit) + 1) * unit)

    def review(self, now: float) -> None:
        """Periodic review: order what brings the position up to S (under a plan: the S of the month in which
        the order would arrive), rounded up to whole lots."""
        short = (self.plan.level if self.levels is None else self.levels.at(now).level) - self.position
        if short > 1e-9:
            lot = self.plan.lot
            self.order(now, int(math.ceil(short / lot - 1e-9)) * lot)

    def order(self, now: float, kits: int) -> None:
        self.orders.append((now, kits))
        self.ordered += kits
        self.position += kits
        self.waiting += kits
        self.route.backlog.append([self, kits])

    def arrive(self, now: float, kits: int, departed: float) -> None:
        self._change(now, kits)
        self.arrived += kits
        if self.lo <= now < self.hi:
            self.arrived_in_window += kits
            self.shipments += 1
            self.lead_sum += now - departed

    def close(self, now: float) -> None:
        """Carry the level to the end of the run (its area, minimum and the remaining day starts)."""
        self._change(now, 0)

    def count_cover(self, now: float, rate: float, span: float) -> None:
        """Under a plan, at the end of a month (or of the run): the area since the last count, over the month's
        rate, into the cover; ``span``: seconds of the window in the month. A month with no rate has no cover."""
        self._change(now, 0)
        area, self.area_counted = self.area - self.area_counted, self.area
        if rate > 0:
            self.cover_area += area / rate
            self.cover_span += span

    def mean_cover(self, mean_on_hand: float) -> float | None:
        """Mean days of cover in the window: the mean on hand over the plan rate; under a plan, the time-weighted
        mean of on hand over the rate of the moment's month (months without a rate left out). None: no rate."""
        if self.levels is not None:
            return self.cover_area / self.cover_span if self.cover_span > 0 else None
        return mean_on_hand / self.plan.rate if self.plan.rate > 0 else None


class RouteRun:
    """A route at work: its backlog of orders, its departures (stopped by disruptions) and shipments."""

    def __init__(self, supply: Supply, name: str, spec: Route, streams, holds: RouteHolds | None = None):
        self.supply, self.name, self.spec = supply, name, spec
        self.holds = holds
        """The dated events of the route (a closure, a held shipment; ``scenario.events``), or None."""
        self.slot = 0
        """Departures of the timetable so far, cancelled ones included (the number of a held shipment)."""
        self.backlog: deque[list] = deque()
        """[stock, kits] ordered and not departed, first ordered first."""
        self.lead_time = streams.sampler(spec.lead_time, f"supply.{name}.lead_time")
        border = spec.border_delay
        self.border_draw = streams.uniform(f"supply.{name}.border") if border else None
        self.border_time = streams.sampler(border.time, f"supply.{name}.border_time") if border else None
        stops = spec.disruptions
        self.stop_gap = streams.sampler(Exponential(dist="exponential", mean=MONTH_DAYS * DAY / stops.per_month),
                                        f"supply.{name}.disruptions") if stops else None
        self.stop_length = streams.sampler(stops.length, f"supply.{name}.disruption_length") if stops else None
        self.stopped_until = -math.inf
        self.departures = self.cancelled = self.disruptions = 0
        self.transit: dict[int, list] = {}
        """Shipments on their way: departure number -> [(stock, kits)]."""

    def start(self, env) -> None:
        env.process(self._departures(env))
        if self.stop_gap is not None:
            env.process(self._disruptions(env))

    def _departures(self, env):
        every, t = self.spec.departures.every, self.spec.departures.first
        while True:
            yield env.timeout(t - env.now)
            self._depart(env)
            t += every

    def _disruptions(self, env):
        while True:
            yield env.timeout(self.stop_gap())
            self.disruptions += 1
            self.stopped_until = max(self.stopped_until, env.now + self.stop_length())

    def _depart(self, env) -> None:
        """One departure: its lead time drawn (whether or not it runs, so that the draws stay in step with
        the timetable), then the backlog packed into whole containers per kit and model, oldest first."""
        now = env.now
        self.slot += 1
        travel = self.lead_time()
        if self.border_draw is not None and self.border_draw() < self.spec.border_delay.chance:
            travel += self.border_time()
        if now < self.stopped_until:
            self.cancelled += 1
            return
        self.departures += 1
        room = math.inf if self.spec.containers is None else self.spec.containers
        cargo = []
        backlog = self.backlog
        while backlog and room > 0:
            item = backlog[0]
            stock, kits = item
            containers = math.ceil(kits / stock.per_container)
            if containers > room:
                kits = room * stock.per_container
                item[1] -= kits
                containers = room
            else:
                backlog.popleft()
            room -= containers
            stock.waiting -= kits
            stock.shipped += kits
            cargo.append((stock, kits))
        if cargo:
            number = self.departures
            self.transit[number] = cargo
            if self.holds is not None:
                travel = self.holds.arrival(self.slot, now, now + travel) - now
            env.timeout(travel).callbacks.append(lambda _: self._arrive(env, number, now))

    def _arrive(self, env, number: int, departed: float) -> None:
        cargo = self.transit.pop(number)
        for stock, kits in cargo:
            stock.arrive(env.now, kits, departed)
        self.supply.arrived({stock.kit for stock, _ in cargo})


@dataclass(frozen=True)
class SupplyFigures:
    """One replication's kit supply figures (the measured window; ``daily``: the whole run)."""

    kits: dict
    """Per kit and model: mean_on_hand, min_on_hand, mean_cover_days, stockout_hours, holds, moved, shipments,
    kits_arrived, kits_consumed, lead_time_days, inventory_value."""
    points: dict
    """Per consumption point (the launch, a shop's entry): shop, stockout_hours, holds, moved."""
    routes: dict
    """Per route: departures, cancelled, disruptions."""
    stockout_hours: float
    """Hours the consumption points were held, summed."""
    launches_moved: int
    """Cars launched ahead of a planned car that waited for its kits."""
    inventory_value: float | None
    """Mean value of the kits on hand (None when a kit has no value)."""
    daily: dict
    """The stock on hand at the start of each day: lists day, kit, model, on_hand."""


class Supply(Component):
    """The kit supply of a plant (``supply`` of a scenario): stocks, routes, consumption points. It holds the
    launch while a launch kit is missing (a hold on the launch) and gates the entry of a shop whose cars take
    kits there (``gate``)."""

    @classmethod
    def wanted(cls, scenario: Scenario) -> bool:
        return scenario.supply is not None

    def __init__(self, build):
        scenario = build.scenario
        spec = scenario.supply
        self.plant, self.env, self.spec = build.plant, build.env, spec
        self._build = build
        launch = build.launch
        self.wake_launch = launch.wake
        per_year = build.days.working_days_per_year
        self.rates = rates = PlanRates(scenario, per_year)
        events = build.component("events")
        holds = events.holds if events is not None else {}
        self.routes = {name: RouteRun(self, name, route, build.streams, holds.get(name))
                       for name, route in spec.routes.items()}
        self.stocks: dict[tuple[str, str], Stock] = {}
        for kit_name, kit in spec.kits.items():
            route = spec.routes[kit.route]
            for model in scenario.model_names:
                if kit.covers(model):
                    plan = kit_plan(kit, route, rates.target[model], per_year)
                    levels = MonthlyLevels(kit, route, model, rates, per_year) if rates.monthly else None
                    self.stocks[kit_name, model] = Stock(kit_name, model, plan, kit.per_container_for(model),
                                                         self.routes[kit.route], build.window, levels)
        self.points: dict[str, Point] = {}
        self.gates: dict[str, KitGate] = {}
        self.launch_kits: LaunchKits | None = None
        if any(kit.taken_at == LAUNCH for kit in spec.kits.values()):
            self.launch_kits = LaunchKits(self._point(LAUNCH), launch, len(scenario.model_names))
            launch.add_hold(self.launch_kits, spec.look_ahead)
        build.on_shop_entry(self.gate)
        self._cover_month = rates.month_at(0.0) if rates.monthly else None
        self._cover_since = 0.0

    def built(self, plant) -> None:
        self._build = None  # the gates are in place

    def start(self) -> None:
        """The routes' timetables and the orders run from the start."""
        rates, spec = self.rates, self.spec
        for route in self.routes.values():
            route.start(self.env)
        for kit_name, kit in spec.kits.items():
            stocks = [s for (k, _), s in self.stocks.items() if k == kit_name]
            if kit.order.policy == "periodic":
                self.env.process(self._reviews(stocks, kit.order.every))
            else:
                for stock in stocks:
                    stock.check_reorder(0.0)
                if rates.monthly and stocks:
                    self.env.process(self._reorder_points(stocks))
        if rates.monthly:
            self.env.process(self._month_starts())

    def _point(self, name: str) -> Point:
        scenario, plant = self.plant.scenario, self._build
        shop = consuming_shop(scenario, name)
        needs = [[self.stocks[kit_name, model] for kit_name, kit in scenario.supply.kits.items()
                  if kit.taken_at == name and kit.covers(model)] for model in scenario.model_names]
        point = Point(name, shop, needs, plant.clocks[shop], plant.worked_windows[shop], plant.window)
        self.points[name] = point
        return point

    def gate(self, shop: str, entry):
        """The entry of ``shop`` as its first station sees it: a kit gate when cars take kits there."""
        if not any(kit.taken_at == shop for kit in self.spec.kits.values()):
            return entry
        gate = KitGate(self.env, entry, self._point(shop))
        self.gates[shop] = gate
        self._build.add_store(gate)
        return gate

    def _reviews(self, stocks: list[Stock], every: float):
        env = self.env
        while True:
            for stock in stocks:
                stock.review(env.now)
            yield env.timeout(every)

    def _reorder_points(self, stocks: list[Stock]):
        """Under a plan, a kit's reorder points follow the month in which an order placed now would arrive: when
        that month changes (its first midnight less the time to arrival), each model's s becomes the month's
        and a position at or below it orders at once. One event a month for the kit (its models share the
        route)."""
        env, rates = self.env, self.rates
        arrival = stocks[0].levels.arrival
        month = rates.month_at(arrival)
        while True:
            month = next_month(month)  # named, not read back from the clock: now + arrival is the boundary
            yield env.timeout(max(0.0, rates.month_start(month) - arrival - env.now))
            for stock in stocks:
                stock.reorder_at = stock.levels.of_month(month).level
                stock.check_reorder(env.now)

    def _month_starts(self):
        """Under a plan: at each month's first midnight, the cover of the month that ended, at its rate."""
        env, rates = self.env, self.rates
        while True:
            following = next_month(self._cover_month)
            yield env.timeout(rates.month_start(following) - env.now)
            self._count_cover(env.now, following)

    def _count_cover(self, now: float, following: str | None) -> None:
        """Every stock's cover since the last count, at the rate of the month counted; ``following`` is counted
        next (None: the run ends)."""
        span = self.plant.window.clip(self._cover_since, now)
        for stock in self.stocks.values():
            stock.count_cover(now, self.rates.rate(stock.model, self._cover_month), span)
        self._cover_month, self._cover_since = following, now

    def arrived(self, kits: set[str]) -> None:
        """Kits came: wake every point that takes one of them."""
        for point in self.points.values():
            if point.kits & kits:
                if point.name == LAUNCH:
                    self.wake_launch()
                else:
                    self.gates[point.name].wake()

    def cars_held(self) -> int:
        """Cars held at the kit gates (cars in the plant, outside every buffer and station)."""
        return sum(1 for gate in self.gates.values() if gate.held is not None)

    # ------------------------------------------------------------ after the run

    def finish(self) -> None:
        now = self.env.now
        for point in self.points.values():
            point.release(now)  # a hold still running ends with the run
        for stock in self.stocks.values():
            stock.close(now)
        if self._cover_month is not None:  # under a plan: the last month's cover, to the end of the run
            self._count_cover(now, None)

    def figures(self) -> SupplyFigures:
        """Per kit and model, per point and route, the plant's stockout hours, moved launches and inventory value,
        and the daily samples of every stock."""
        plant = self.plant
        span = plant.window.span
        days = math.ceil(plant.window.hi / DAY - 1e-9)
        kits, daily = {}, {"day": [], "kit": [], "model": [], "on_hand": []}
        for (kit, model), stock in self.stocks.items():
            mean = float(stock.area / span) if span > 0 else float(stock.level)
            value = self.spec.kits[kit].value
            kits.setdefault(kit, {})[model] = {
                "mean_on_hand": mean,
                "min_on_hand": stock.min_level if stock.min_level != math.inf else stock.level,
                "mean_cover_days": stock.mean_cover(mean),
                "stockout_hours": float(stock.stockout_s) / 3600.0, "holds": stock.holds, "moved": stock.moved,
                "shipments": stock.shipments, "kits_arrived": stock.arrived_in_window,
                "kits_consumed": stock.consumed_in_window,
                "lead_time_days": float(stock.lead_sum) / stock.shipments / DAY if stock.shipments else None,
                "inventory_value": None if value is None else mean * value,
            }
            samples = stock.samples[:days]
            daily["day"] += range(len(samples))
            daily["kit"] += [kit] * len(samples)
            daily["model"] += [model] * len(samples)
            daily["on_hand"] += samples
        points = {name: {"shop": p.shop, "stockout_hours": float(p.stockout_s) / 3600.0, "holds": p.holds,
                         "moved": p.moved}
                  for name, p in self.points.items()}
        values = [k["inventory_value"] for per_model in kits.values() for k in per_model.values()]
        return SupplyFigures(
            kits=kits, points=points,
            routes={name: {"departures": r.departures, "cancelled": r.cancelled, "disruptions": r.disruptions}
                    for name, r in self.routes.items()},
            stockout_hours=sum(p["stockout_hours"] for p in points.values()),
            launches_moved=points[LAUNCH]["moved"] if LAUNCH in points else 0,
            inventory_value=sum(values) if all(v is not None for v in values) else None,
            daily=daily)

    def check(self, plant) -> None:
        """Raise InvariantError when the kits were not conserved (see the module's docstring)."""
        transit: dict[Stock, int] = {}
        for route in self.routes.values():
            for cargo in route.transit.values():
                for stock, kits in cargo:
                    transit[stock] = transit.get(stock, 0) + kits
        for (kit, model), s in self.stocks.items():
            where = f"kit {kit} of {model}"
            waiting = sum(kits for stock, kits in s.route.backlog if stock is s)
            if s.level < 0 or s.level != s.initial + s.arrived - s.consumed:
                raise InvariantError(f"{where}: {s.level} on hand, but {s.initial} initial + {s.arrived} arrived - "
                                     f"{s.consumed} consumed")
            if s.shipped != s.arrived + transit.get(s, 0):
                raise InvariantError(f"{where}: {s.shipped} shipped, but {s.arrived} arrived + "
                                     f"{transit.get(s, 0)} in transit")
            if s.ordered != s.shipped + waiting or waiting != s.waiting:
                raise InvariantError(f"{where}: {s.ordered} ordered, but {s.shipped} shipped + {waiting} waiting "
                                     "for a departure")
        for name, point in self.points.items():
            for m, stocks in enumerate(point.needs):
                for s in stocks:
                    if s.consumed != point.passed[m]:
                        raise InvariantError(f"kit {s.kit} of {s.model}: {s.consumed} consumed, but "
                                             f"{point.passed[m]} cars took their kits at {name}")
            cars = plant.launch.launched if name == LAUNCH else self.gates[name].released
            if sum(point.passed) != cars:
                raise InvariantError(f"{sum(point.passed)} cars took their kits at {name}, but {cars} passed it")
