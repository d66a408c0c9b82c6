"""The plant at run time: its flow (nodes, stores, the launch), its components, its counts, the run and its checks.

``builder.build_plant`` makes a ``Plant`` from a validated scenario; ``Plant.run`` runs it to the end of the
horizon and ``Plant.check_invariants`` checks, after every run, what must hold whatever the scenario:

* every car launched is finished, scrapped, or still in the plant (in a buffer or store, on a station, or
  held by a component: a car at a kit gate);
* no buffer ever held more than its capacity;
* every station's state times add up to its time on shift;
* every part a feeder started was fitted to its car or is still in the feeder;
* a labour pool never gave out operators who were not there;
* each component's own invariants (``Component.check``).
"""

from __future__ import annotations

import math

import simpy

from ..scenario.days import PlantDays
from ..scenario.schema import Scenario
from ..scenario.window import Window
from .flow.buffer import PART_KINDS, LevelMonitor
from .flow.car import Car, InvariantError
from .flow.states import LABOUR, STATE_NAMES
from .engine import compiled_engine
from .streams import Streams

TOLERANCE = 1e-6
"""Relative tolerance on time sums (state times against time on shift)."""


class Plant:
    """A built plant: its shops' nodes and stores, the launch, the components; the counts of the run."""

    def __init__(self, scenario: Scenario, days: PlantDays, seed: int, replication: int):
        """An empty plant on its clock and streams: ``builder.build_plant`` fills it in."""
        self.scenario = scenario
        self.days = days
        self.env = simpy.Environment()
        self.streams = Streams(seed, replication)
        self.window: Window = days.window
        """The measured window in wall time; every count of the run covers it."""
        self.model_names = scenario.model_names
        self.ramp = None
        """The ramp-up and plan on the simulated days (``scenario.ramp.Ramp``), or None."""
        self.clocks = {}
        """Per shop: its shift clock (``clock.ShiftClock``)."""
        self.worked_windows: dict[str, Window] = {}
        """Per shop: the measured window in the shop's worked time; its stations' state times cover it."""
        self.maintenance = {}
        """Per shop: its planned maintenance windows, where repairs are finished off shift (or None)."""
        self.feeder_clocks = {}
        """Per feeder on its own shifts ('shop.feeder'): (clock, worked window, maintenance windows)."""
        self.nodes: dict[str, list] = {}
        self.buffers: list = []
        """The buffers and stores with a level (the buffer table)."""
        self.stores: list = []
        """Every store of the plant (buffers, sorting stores, the launch, kit gates, the yard): what the wiring
        check accepts a link to lead to."""
        self.gates = {}
        """Per shop with a quality loop: its quality gate."""
        self.pools = {}
        self.feeders = {}
        """Per feeder ('shop.feeder'): its join, nodes and buffers (``builder.FeederRecord``)."""
        self.entries = {}
        """Per shop, where something measures it: the order in which its cars entered (``entries.EntryLog``)."""
        self.launch = None
        """The launch (``launch.Launch``): the car factory, the sequence and the holds."""
        self.components: dict = {}
        """The plant's components by name (``components.base.Component``), in registration order."""
        self.shop_exits = {name: 0 for name in scenario.shops}
        self.completed_total = 0
        self.scrapped_total = 0
        self.scrapped_in_window = 0
        self.completed: list[tuple[float, int, bool, float]] = []
        """(completion time, model, export, launch time) of cars finished in the window."""
        self.wip = LevelMonitor(self.window, math.inf)
        self.deadlocked = False

    # ------------------------------------------------------------ the end of the line

    def complete(self, car: Car) -> None:
        if car.away:
            raise InvariantError(f"a car left the plant without its own parts ({car.away} still away)")
        now = self.env.now
        self.completed_total += 1
        self.wip.change(now, -1)
        if self.window.contains(now):
            self.completed.append((now, car.model, car.export, car.launched))

    def in_window(self) -> bool:
        return self.window.contains(self.env.now)

    def scrap(self, car: Car) -> None:
        self.scrapped_total += 1
        self.wip.change(self.env.now, -1)
        if self.window.contains(self.env.now):
            self.scrapped_in_window += 1

    # ------------------------------------------------------------ running

    def component(self, name: str):
        """The component registered as ``name``, or None when the plant has none of it."""
        return self.components.get(name)

    def all_nodes(self) -> list:
        return [node for nodes in self.nodes.values() for node in nodes]

    def run(self) -> None:
        components = list(self.components.values())
        for component in components:
            component.start()
        self.compiled = None
        if compiled_engine():  # engine v2, the compiled DES, for a plant it covers whole (else the SimPy processes)
            from .flow.des import CompiledPlant, covered
            if covered(self):
                self.compiled = CompiledPlant(self)
        if self.compiled is not None:
            for pool in self.pools.values():  # after the nodes, as v1 starts them
                pool.start()
            self.compiled.run()
        if self.compiled is None:
            for node in self.all_nodes():
                node.start()
            for pool in self.pools.values():
                pool.start()  # wakes at shift starts before the end of the window only
            self.env.run(until=self.window.hi)
        # nothing left to happen while cars are inside: every station waits on another (a loop jammed),
        # or on operators that no shift brings; not when a pool's next shift would bring them
        # (pools stop waking at the end of the window), nor what a component explains (a full yard)
        left = self.compiled.nothing_left() if self.compiled is not None else _nothing_left(self.env)
        if self.compiled is not None:  # the cars where v1 keeps them, before they are counted
            self.compiled.finish()
        self.deadlocked = left and self.cars_inside() > 0 and \
            not any(pool.queue and not pool.stuck() for pool in self.pools.values()) and \
            not any(component.explains_standstill() for component in components)
        for node in self.all_nodes():
            node.finish()
        for pool in self.pools.values():
            pool.finish()
        for buffer in self.buffers:
            buffer.close()
        for component in components:
            component.finish()
        self.wip.close(self.env.now)

    def cars_inside(self) -> int:
        """Cars counted where they are: in buffers and on stations (feeders' parts are not cars), and held
        by components (a car waiting for its kits at a shop's entry)."""
        return sum(b.level for b in self.buffers if b.kind not in PART_KINDS) + \
            sum(1 for n in self.all_nodes() for unit in n.cars() if type(unit) is Car) + \
            sum(component.cars_held() for component in self.components.values())

    def feeder_balances(self) -> list[tuple[str, int, int]]:
        """Per feeder: (name, parts made or called off, parts fitted + parts still in the feeder)."""
        out = []
        for name, record in self.feeders.items():
            inside = sum(b.level for b in record.buffers) + sum(len(n.cars()) for n in record.nodes)
            out.append((name, record.made(), record.join.fitted + inside))
        return out

    # ------------------------------------------------------------ checks

    def check_invariants(self, stations) -> None:
        """Raise InvariantError when the run broke conservation, capacity or time accounting (``stations``: the
        replication's station table, with its measured and on-shift seconds)."""
        inside = self.cars_inside()
        launched = self.launch.launched
        if launched != self.completed_total + self.scrapped_total + inside:
            raise InvariantError(
                f"cars not conserved: launched {launched} != completed {self.completed_total}"
                f" + scrapped {self.scrapped_total} + in process {inside}")
        for component in self.components.values():
            component.check(self)
        for name, made, accounted in self.feeder_balances():
            if made != accounted:
                raise InvariantError(f"feeder {name}: {made} parts started, but {accounted} fitted or still in the "
                                     "feeder")
        for name, record in self.feeders.items():
            carriers = getattr(record.source, "carriers", None)
            if carriers is not None and not (carriers.in_use == record.made() - record.join.fitted
                                             and 0 <= carriers.in_use <= carriers.count):
                raise InvariantError(f"feeder {name}: {carriers.in_use} carriers in use, but "
                                     f"{record.made() - record.join.fitted} own parts are off their cars "
                                     f"({carriers.count} carriers)")
        for buffer in self.buffers:
            if buffer.monitor.max_ever > buffer.capacity:
                raise InvariantError(f"buffer {buffer.name} held {buffer.monitor.max_ever} > capacity "
                                     f"{buffer.capacity}")
        _check_state_times(stations)
        for pool in self.pools.values():
            _check_pool(pool)


def _check_state_times(stations) -> None:
    for row in stations.itertuples():
        if abs(row.measured_s - row.on_shift_s) > TOLERANCE * max(1.0, row.on_shift_s):
            raise InvariantError(
                f"station {row.shop}.{row.station}: state times add up to {row.measured_s:.3f} s"
                f" of {row.on_shift_s:.3f} s on shift")
        negative = [s for s in STATE_NAMES if getattr(row, f"share_{s}") < -TOLERANCE]
        if negative:
            raise InvariantError(f"station {row.shop}.{row.station}: negative time in {negative}")


def _check_pool(pool) -> None:
    if pool.overdrawn or pool.busy < 0:
        raise InvariantError(f"labour pool {pool.name}: gave out operators who were not there"
                             f" ({pool.overdrawn} grants above the present count, {pool.busy} busy at the end)")
    # the stations' labour time is the pool's wait time, except what calendar failures and outages count as down
    labour = sum(a.times[LABOUR] for station in pool.stations for a in station.accounts)
    exact = not any(f.down_while_idle for station in pool.stations for f in station.failures)
    if labour > pool.wait_s + TOLERANCE * max(1.0, pool.wait_s) or \
            (exact and abs(labour - pool.wait_s) > TOLERANCE * max(1.0, pool.wait_s)):
        raise InvariantError(f"labour pool {pool.name}: its stations waited {labour:.3f} s for labour,"
                             f" the pool counted {pool.wait_s:.3f} s")


def _nothing_left(env) -> bool:
    """No event is scheduled at all, once ``env.run(until=...)`` has stopped: every process waits
    on another (a jam).

    SimPy (4.1) puts the stop event of ``run`` back in the queue with priority -1; that event is
    left out here. A cycle that ends only after the calendar's last shift is scheduled at infinity:
    that station is working, slowly (a shift of a few seconds), not jammed, so it counts as left.
    """
    return all(priority < 0 for _, priority, _, _ in env._queue)
