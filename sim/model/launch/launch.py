"""The launch: the one owner of the car factory, the launch sequence and what may hold a launch.

Every car enters the plant here. The launch takes the next planned car's variant (model and options) from
its *sequence source*, makes the car (its market and colour drawn, its launch number given, counted in the
work in process) and lets it go only when every *hold* allows it. Components reach the launch only through
its hooks: ``add_hold``, ``sequence`` / ``set_sequence``, ``head``, ``replan`` and ``wake``.

Sequence sources (``sequences``), each named for what it does, all offering ``next_variant()``:

* ``ModelSequence``: models from a model order (``goal_chasing`` for a levelled launch, ``streams.drawn``
  for a random one), the options each car carries drawn by their take rates;
* ``sequencer.Sequencer``: goal chasing over variants under the spacing rules (a levelled launch with rules);
* the plan's month-by-month sources (``components.plan``), set by the plan component.

The first station's input (``first_input``):

* without holds, a plain pull ``Source`` (one call per car, nothing else);
* with holds, the launch itself, a store of the template (``store.Store``) that makes its cars instead of
  holding them: it asks every hold about the head of the plan and, with ``look_ahead`` > 0, may pass a held
  car over and launch one of the next ``look_ahead`` planned cars instead; the passed car keeps its place at
  the head and goes as soon as its holds allow. Each car launched ahead of a waiting planned car counts as
  *moved*. A hold that blocks makes the first station wait until some hold calls ``wake``;
* with ``launch.interarrival`` in the scenario, an arrivals queue that an arrival process fills on the first
  shop's shift clock (holds do not apply).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import deque
from typing import TYPE_CHECKING, Protocol

import numpy as np

from ..flow.buffer import ARRIVALS, Buffer, Source
from ..flow.car import Car
from ..flow.store import Store
from .sequences import first_sequence

if TYPE_CHECKING:
    from ...scenario.schema import Scenario
    from ..flow.clock import ShiftClock
    from ..streams import Streams


class LaunchHold(Protocol):
    """Something that may hold a launch (kits, a cap on launches): asked before every launch."""

    material: bool
    """A hold on what the car is built of (its kits): asked before the holds on when it may be built (a cap),
    whatever the order in which they were added."""

    def allows(self, variant: int, now: float) -> bool:
        """True when a car of this variant may be launched now."""

    def take(self, variant: int, now: float) -> None:
        """The car is launched: take what it needs (its kits, a place under the cap)."""

    # optional: ``sure(variants) -> int``, how many of these next launches (in order, each at the head of the plan)
    # it surely allows with nothing happening meanwhile but their own takes, which must schedule nothing
    # (``Launch.cars_sure``: the compiled engine launches them without asking and makes the takes later in order)


class Launch(Store):
    """The car factory, the sequence source and the holds of one plant."""

    def __init__(self, env, scenario: Scenario, streams: Streams, *, wip, log=None):
        """``wip``: the plant's work-in-process monitor (a launch adds a car); ``log``: the first shop's entry
        log, when something measures the launch order."""
        self._queues(env)
        product = scenario.product
        self.model_count = len(scenario.model_names)
        self.sequence = first_sequence(scenario, streams)
        """The sequence source (``next_variant()``): set at the start, changed by ``set_sequence``."""
        self._market = streams.uniform("launch.market")
        self._export_share = [m.export_share for m in product.models]
        self._colour_draw = streams.uniform("launch.colour") if product.colours else None
        # python lists for bisect: a numpy searchsorted on a handful of shares costs a few microseconds a car
        self._colour_cumulative = {(m, export): np.cumsum(product.colour_shares(model.name, export)).tolist()
                                   for m, model in enumerate(product.models) for export in (False, True)}
        self.wip = wip
        self.log = log
        self._interarrival = None if scenario.launch is None else \
            streams.sampler(scenario.launch.interarrival, "launch.arrivals")
        """Time between arrivals of an arrival-driven launch (``launch.interarrival``), or None."""
        self.launched = 0
        """Cars launched (the whole run)."""
        self.holds: list[LaunchHold] = []
        self.look_ahead = 0
        """How many planned cars the launch may look past when the first one is held."""
        self.planned: list[int] = []
        """Planned cars not launched yet, in plan order (only with holds; ``try_get`` draws at most
        ``look_ahead`` + 1 of them, ``cars_sure`` more)."""
        self.scanned = 0
        """How many of the planned cars ``try_get`` has drawn or looked at (the first ones): the plan as far as a
        launch asked car by car has drawn it."""
        self.breach_history: deque | None = None
        """When kept (the compiled engine's): the sequencer's count of broken rules after each car planned."""
        self.moved = 0
        """Cars launched ahead of a planned car that was waiting for its holds."""

    # ------------------------------------------------------------ hooks for components

    def add_hold(self, hold: LaunchHold, look_ahead: int | None = None) -> None:
        """Hold every launch until ``hold`` allows it; ``look_ahead``: how far the launch may then look past a
        held car (the largest asked for)."""
        self.holds.append(hold)
        self.holds.sort(key=lambda h: not h.material)  # stable: kits first, each kind in the order added
        if look_ahead is not None:
            self.look_ahead = max(self.look_ahead, look_ahead)

    def set_sequence(self, source) -> None:
        """Launch by another sequence source from the next planned car on."""
        self.sequence = source

    def head(self) -> int:
        """The variant of the planned car the launch waits for (the head of the plan)."""
        return self.planned[0]

    def replan(self) -> None:
        """Forget the planned cars not launched yet: the next are taken afresh from the sequence (a new month)."""
        self.planned.clear()
        self.scanned = 0

    def wake(self) -> None:
        """A hold may have lifted: launch now to each waiting server of the first station while a car may go."""
        while self.waiting_taker():  # those served by the re-entry lane of a merge meanwhile dropped
            car = self.try_get()
            if car is None:
                return
            self.getters.popleft().succeed(car)

    # ------------------------------------------------------------ the car factory

    def new_car(self) -> Car:
        """The next car of the sequence, launched now (nothing holds it)."""
        return self.make_car(self.sequence.next_variant())

    def make_car(self, variant: int) -> Car:
        """Launch a car of this variant: its market and colour drawn, counted in the WIP."""
        return self.launch_drawn(self.draw(variant), self.env.now)

    def draw(self, variant: int) -> tuple[int, int, bool, int]:
        """A car of this variant as drawn (variant, model, export, colour): the market and colour from their own
        streams, in launch order (engine v2 draws the cars of a pull launch ahead and launches them later)."""
        model = variant % self.model_count
        export = self._market() < self._export_share[model]
        colour = 0 if self._colour_draw is None else self._colour(model, export)
        return variant, model, export, colour

    def launch_drawn(self, drawn: tuple[int, int, bool, int], now: float) -> Car:
        """The car ``draw`` gave, launched at ``now``: counted, logged and in the WIP."""
        variant, model, export, colour = drawn
        self.launched += 1
        car = Car(model, export, now, variant, colour, self.launched)
        if self.log is not None:
            self.log.record(car, now)
        self.wip.change(now, 1)
        return car

    def _colour(self, model: int, export: bool) -> int:
        """The car's paint colour, drawn by the shares of its model and market."""
        cumulative = self._colour_cumulative[model, export]
        return min(bisect_right(cumulative, self._colour_draw()), len(cumulative) - 1)

    # ------------------------------------------------------------ the first station's input

    def first_input(self, clock: ShiftClock, add_buffer):
        """What the first station takes its cars from (see the module's docstring); ``add_buffer(name, capacity,
        kind)``: the builder's way to add a buffer of the plant (the arrivals queue)."""
        if self._interarrival is not None:
            queue = add_buffer("arrivals", math.inf, ARRIVALS)
            self.env.process(self._arrivals(queue, self._interarrival, clock))
            return queue
        return self if self.holds else Source(self.new_car)

    def _arrivals(self, queue: Buffer, interarrival, clock: ShiftClock):
        """Arrival-driven launch (Poisson arrivals, say), on the first shop's shift clock."""
        env = self.env
        w = clock.worked(env.now)
        while True:
            w += interarrival()
            yield env.timeout(max(0.0, clock.at_work(w) - env.now))
            queue.try_put(self.new_car())

    def try_get(self) -> Car | None:
        """The head of the plan (or, looking ahead, a later planned car) if every hold allows it, made now."""
        now = self.env.now
        for k in range(self.look_ahead + 1):
            if k == self.scanned:
                if k == len(self.planned):
                    self._plan_next()
                self.scanned += 1
            variant = self.planned[k]
            if all(hold.allows(variant, now) for hold in self.holds):
                return self._launch_planned(k, now)
        return None

    def _launch_planned(self, k: int, now: float, drawn: tuple[int, int, bool, int] | None = None) -> Car:
        """The k-th planned car launched now: its holds take what it needs, it leaves the plan (a move when it
        passes cars before it), and it is made as ``draw`` draws it (or as ``drawn``, drawn ahead)."""
        variant = self.planned[k]
        for hold in self.holds:
            hold.take(variant, now)
        del self.planned[k]
        if k < self.scanned:
            self.scanned -= 1
        self.moved += k > 0
        return self.launch_drawn(self.draw(variant) if drawn is None else drawn, now)

    def _plan_next(self) -> None:
        """The sequence's next car at the end of the plan."""
        self.planned.append(self.sequence.next_variant())
        if self.breach_history is not None:
            self.breach_history.append(tuple(self.sequence.breaches))

    def cars_sure(self, most: int) -> int:
        """How many of the next planned cars (at most ``most``; drawn into the plan as needed) every hold surely
        lets go one after another, each at the head of the plan, with nothing happening but their own takes
        (``LaunchHold.sure``). The compiled engine launches them without asking,
        each by ``launch_given`` at its time."""
        while len(self.planned) < most:
            self._plan_next()
        sure = most
        for hold in self.holds:  # every hold can say (``des.CompiledPlant.gives``)
            sure = min(sure, hold.sure(self.planned[:sure]))
        return sure

    def launch_given(self, drawn: tuple[int, int, bool, int], now: float) -> Car:
        """The head of the plan that ``cars_sure`` gave, as ``draw`` drew it, launched at ``now`` as ``try_get``
        launches a head its holds allow."""
        if drawn[0] != self.planned[0]:
            raise RuntimeError(f"launch: launching variant {drawn[0]}, the plan's head is {self.planned[0]}")
        return self._launch_planned(0, now, drawn)

    def cars(self) -> list[Car]:
        return []  # planned cars are not made yet: nothing of them is in the plant
