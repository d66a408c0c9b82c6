"""Building the plant on SimPy from a validated scenario: ``build_plant(scenario, days, seed, replication)``.

The scenario is data; the builder turns it into a ``plant.Plant``, in this order:

1. the clocks: each shop's (and each feeder's on its own shifts) shift clock, worked window and maintenance
   windows, with the ramp-up's shifts per day when the scenario has one (``scenario.ramp.Ramp``);
2. the labour pools and the launch (``launch.Launch``: the car factory and the sequence);
3. the components the scenario asks for (``sim.registry``), in registration order: each wires itself through
   the builder's extension points —

   * ``launch``: the launch's hooks (``add_hold``, ``set_sequence``, ``head``, ``wake``);
   * ``on_shop_entry(gate)``: ``gate(shop, entry)`` returns what the shop's first station takes its cars
     from (a kit gate in front of the store);
   * ``set_end_of_line(make)``: ``make(complete)`` returns the last shop's target (the yard) instead of the
     plain end of line;
   * ``before_end_of_line(wrap)``: ``wrap(target)`` returns what the last shop's exit puts its cars into, in
     front of the end of line (the retrofit area before the yard or the plain end);
   * ``shop_experience``: a shop's experience (``learning.Experience``), which slows its cycles, failures
     and first-pass yield at the start (learning curves);
   * ``shop_outages``: a shop's stoppages of many stations at once (outages, the run-in), each a
     ``flow.outages.DownSchedule`` with the stations and lines it covers; ``failure_modes``: the stations' failure
     modes as the shops are built (downtime);
   * ``add_store(store)``: a store the component made, for the wiring check;
   * the plant's clocks, days, streams and scenario, to read;

4. the flow, shop by shop (``shops.ShopBuilder``), joined by the stores between shops; the wiring check
   (``wiring.check_wiring``);
5. each component's ``built(plant)``.

Nothing here names a component: a new one is a registration (``sim.registry``) and a package.
"""

from __future__ import annotations


from .. import registry
from ..scenario.days import PlantDays
from ..scenario.ramp import Ramp
from ..scenario.schema import Scenario, Shop
from ..scenario.topology import feeder_key, first_station
from .flow.buffer import BUFFER, STORE, Buffer, Sink
from .flow.clock import MaintenanceWindows, ShiftClock, shift_windows
from .flow.entries import EntryLog, LoggedBuffer
from .flow.labour import LabourPool, shift_starts
from .flow.sorting import SortingStore
from .launch.launch import Launch
from .plant import Plant
from .shops import ShopBuilder
from .wiring import check_wiring


def build_plant(scenario: Scenario, days: PlantDays, seed: int, replication: int) -> Plant:
    """The plant of ``scenario`` on ``days`` with the random streams of (seed, replication), built and wired."""
    return Builder(scenario, days, seed, replication).build()


class Builder:
    """Builds one plant; its public attributes and methods are the components' extension points."""

    def __init__(self, scenario: Scenario, days: PlantDays, seed: int, replication: int):
        self.plant = plant = Plant(scenario, days, seed, replication)
        self.scenario, self.days, self.env, self.streams = scenario, days, plant.env, plant.streams
        self.window = plant.window
        self.ramp = plant.ramp = Ramp(scenario, days) if scenario.ramping else None
        self.clocks, self.worked_windows = plant.clocks, plant.worked_windows
        self.maintenance, self.feeder_clocks = plant.maintenance, plant.feeder_clocks
        self.launch: Launch | None = None
        self.shop_experience: dict = {}
        """Per shop with learning curves: its experience (``learning.Experience``), set by a component."""
        self.shop_outages: dict = {}
        """Per shop with outages or a run-in: [(names covered or None for the whole shop, ``DownSchedule``)], set by
        a component; the shop builder composes each node's with its breakdowns."""
        self.failure_modes: list = []
        """(shop, station, ``states.FailureModes``) of every server with failure modes, added as the shops are
        built."""
        self._entry_gates: list = []
        self._end_of_line = None
        self._before_end: list = []

    # ------------------------------------------------------------ extension points

    def on_shop_entry(self, gate) -> None:
        """``gate(shop, entry)``: what the first station of ``shop`` (every shop after the first) takes its cars
        from, given the store or buffer in front of it."""
        self._entry_gates.append(gate)

    def set_end_of_line(self, make) -> None:
        """``make(complete)``: the target of the last shop's exit, which calls ``complete(car)`` for each car
        that leaves the plant (instead of the plain end of line)."""
        if self._end_of_line is not None:
            raise ValueError("two components want the end of the line")
        self._end_of_line = make

    def before_end_of_line(self, wrap) -> None:
        """``wrap(target)``: what the last shop's exit puts its cars into, given the end of line behind it (the
        yard or the plain end); it passes on to ``target`` the cars that leave the plant."""
        self._before_end.append(wrap)

    def add_store(self, store) -> None:
        """A store a component made and put in the flow (the wiring check accepts links to it)."""
        self.plant.stores.append(store)

    def component(self, name: str):
        """A component built before this one (by its registered name), or None."""
        return self.plant.components.get(name)

    def shift_counts(self, shop: str, feeder_shifts=None) -> list[int] | None:
        """Per simulated day, the shifts the ramp-up runs in a shop (or its feeder on its own shifts); None:
        its own count every day."""
        return None if self.ramp is None else self.ramp.shift_counts(shop, feeder_shifts)

    # ------------------------------------------------------------ building

    def build(self) -> Plant:
        plant, scenario = self.plant, self.scenario
        self._clocks()
        plant.pools = self._pools()
        # the order cars enter each shop is kept where something measures it: spacing rules, sorting stores
        tracked = bool(scenario.product.spacing) or any(store.sort is not None for store in scenario.stores)
        plant.entries = {name: EntryLog(name) for name in scenario.shops} if tracked else {}
        self.launch = plant.launch = Launch(self.env, scenario, self.streams, wip=plant.wip,
                                            log=plant.entries.get(next(iter(scenario.shops))))
        for name, kind in registry.parts("model"):
            if kind.wanted(scenario):
                kind.name = name
                plant.components[name] = kind(self)
        self._flow()
        check_wiring(plant)
        for component in plant.components.values():
            component.built(plant)
        return plant

    def _clocks(self) -> None:
        days, window = self.days, self.window
        for name, shop in self.scenario.shops.items():
            counts = self.shift_counts(name)
            clock = self.clocks[name] = ShiftClock(shift_windows(shop.shifts, days, counts))
            self.worked_windows[name] = clock.worked_window(window)
            self.maintenance[name] = self._maintenance(shop, shop.shifts, clock, counts)
        for name, shop in self.scenario.shops.items():
            for feeder_name, feeder in shop.feeders.items():
                if feeder.shifts is not None:
                    counts = self.shift_counts(name, feeder.shifts)
                    clock = ShiftClock(shift_windows(feeder.shifts, days, counts))
                    self.feeder_clocks[feeder_key(name, feeder_name)] = (
                        clock, clock.worked_window(window), self._maintenance(shop, feeder.shifts, clock, counts))

    def _maintenance(self, shop: Shop, shifts, clock: ShiftClock, counts: list[int] | None) -> MaintenanceWindows | None:
        spec = shop.maintenance
        if spec is None:
            return None
        return MaintenanceWindows(between_days=spec.between_days, days_off=spec.days_off, preventive=spec.preventive,
                                  shifts=shifts, days=self.days, clock=clock, counts=counts)

    def _pools(self) -> dict[str, LabourPool]:
        """The shared labour pools of ``staffing.pools``, on their shop's shift clock."""
        staffing = self.scenario.staffing
        pools = {}
        for spec in staffing.pools:
            shifts = self.scenario.shops[spec.shop].shifts
            counts = self.shift_counts(spec.shop)  # a ramp-up may run more shifts: the pool has a size for each
            attendance = self.streams.generator(f"staffing.{spec.name}.attendance") \
                if staffing.absenteeism > 0 else None
            pools[spec.name] = LabourPool(
                self.env, shop=spec.shop, name=spec.name,
                sizes=[spec.size_on(k) for k in range(shifts.count if counts is None else max(counts))],
                absenteeism=staffing.absenteeism, attendance=attendance,
                shift_starts=shift_starts(shifts, self.days, self.window.hi, counts), clock=self.clocks[spec.shop],
                worked_window=self.worked_windows[spec.shop], wall_window=self.window)
        return pools

    def buffer(self, name: str, shop: str, capacity: float, kind: str, trace: bool = False,
               log: EntryLog | None = None) -> Buffer:
        """A buffer of the plant (``kind``: one of ``buffer.BUFFER_KINDS``); ``trace``: keep its level log;
        ``log``: the buffer feeds a shop and records the order in which the shop takes its cars."""
        if log is None:
            buffer = Buffer(self.env, name, shop=shop, kind=kind, capacity=capacity, window=self.window)
        else:
            buffer = LoggedBuffer(self.env, name, shop=shop, kind=kind, capacity=capacity, window=self.window,
                                  log=log)
        if trace:
            buffer.monitor.keep_trace()
        return self._measured(buffer)

    def _flow(self) -> None:
        """The shops in flow order, each behind the store (or hand-over buffer) between it and the one before."""
        scenario, plant = self.scenario, self.plant
        shop_names = list(scenario.shops)
        stores = {s.after: s for s in scenario.stores}
        upstream_exit = None
        shops = ShopBuilder(self)
        for index, name in enumerate(shop_names):
            shop = scenario.shops[name]
            if index == 0:
                entry = self.launch.first_input(
                    self.clocks[name], lambda buffer, capacity, kind: self.buffer(buffer, name, capacity, kind))
                if entry is self.launch:
                    self.add_store(entry)
            else:
                entry = self._between_shops(stores.get(shop_names[index - 1]), shop_names[index - 1], name, shop)
                upstream_exit.target = entry
                for gate in self._entry_gates:
                    entry = gate(name, entry)  # e.g. the shop takes its cars through its kits
            upstream_exit = shops.build(name, shop, entry)
        target = Sink(plant.complete) if self._end_of_line is None else self._end_of_line(plant.complete)
        for wrap in self._before_end:
            target = wrap(target)
        upstream_exit.target = target

    def _between_shops(self, store, before: str, name: str, shop: Shop):
        """A declared store, or a plain hand-over buffer; the level of either over time is kept for the store
        level plots (store_levels)."""
        if store is not None and store.sort is not None:
            return self._sorting_store(store, name)
        first = first_station(shop)
        capacity = store.capacity if store else (shop.buffer_capacity if first.buffer_before is None
                                                 else first.buffer_before)
        return self.buffer(store.name if store else f"{before}->{name}", name, capacity, STORE if store else BUFFER,
                           trace=True, log=self.plant.entries.get(name))

    def _sorting_store(self, store, shop: str) -> SortingStore:
        """A store with lanes that releases by its ``sort`` rule; its waits count on ``shop``'s shift clock."""
        entry = SortingStore(self.env, store.name, shop=shop, sort=store.sort, window=self.window,
                             log=self.plant.entries[shop], clock=self.clocks[shop], product=self.scenario.product)
        entry.monitor.keep_trace()
        return self._measured(entry)

    def _measured(self, store):
        """A store of the plant whose level the buffer table shows (a buffer, a sorting store)."""
        self.plant.buffers.append(store)
        self.add_store(store)
        return store



