"""Building the plant on SimPy from a validated scenario.

The scenario is data; this module turns it into stations, paced lines,
conveyors, buffers, stores and quality gates, wired in flow order, with one
named random stream per station and purpose. The parts follow the contracts of
``protocol`` (``Node``, ``CarInput``, ``Router``, ``CarTarget``); the build ends
with ``check_wiring``, which raises ``WiringError`` if any node or path was left
unconnected.
"""

from __future__ import annotations

import math

import numpy as np
import simpy

from ..scenario.schema import Scenario, Shop
from ..scenario.schema import Station as StationSpec
from ..scenario.topology import Group, Section, all_stations, first_station, main_elements, node_groups
from .flow.buffer import (ARRIVALS, BUFFER, CALL_OFFS, PART_KINDS, PARTS, REENTRY_LANE, STORE, Buffer, LevelMonitor, Merge,
                     Sink, Source)
from ..scenario.days import PlantDays
from .flow.clock import MaintenanceWindows, ShiftClock, shift_windows
from .flow.car import Car, InvariantError, Part
from .flow.entries import EntryLog, LoggedBuffer
from .flow.graph import BranchSplit, Bypass, CallOff, Join, Send
from .components.supply.kit_points import KitGate
from .flow.labour import LabourPool, shift_starts
from .launch.launcher import Launcher, LaunchHold
from .components.learning import Experience, LearningGate, mature_yield
from .flow.line import PacedLine
from .components.outbound import Yard, build_yard
from .components.overtime import Overtime, Timetable
from .components.ramp import Ramp
from .flow.protocol import CarInput, Node, Router
from .flow.routing import AfterRepair, Onward, QualityGate
from .launch.sequencer import Sequencer
from .flow.sorting import SortingStore
from .flow.station import PooledStation, Station
from .flow.states import make_failures
from .streams import Streams, drawn
from .components.supply.supply import Supply
from ..scenario.window import Window


class WiringError(RuntimeError):
    """The builder left a node or a path unconnected: a bug in the builder, never a user error."""


class Plant:
    """A built plant: its shops' nodes and buffers, launch and end of line."""

    def __init__(self, scenario: Scenario, days: PlantDays, seed: int, replication: int):
        self.scenario = scenario
        self.days = days
        self.env = simpy.Environment()
        self.streams = Streams(seed, replication)
        self.window: Window = days.window
        """The measured window in wall time; every count of the run covers it."""
        self.model_names = scenario.model_names
        self.ramp = Ramp(scenario, days) if scenario.ramp_up is not None or scenario.plan is not None else None
        """The ramp-up and the monthly plan on the simulated days (``ramp.Ramp``), or None."""
        self.clocks = {name: ShiftClock(shift_windows(shop.shifts, days, self._shift_counts(name)))
                       for name, shop in scenario.shops.items()}
        self.worked_windows: dict[str, Window] = {name: clock.worked_window(self.window)
                                                  for name, clock in self.clocks.items()}
        self.maintenance = {name: self._maintenance(shop, shop.shifts, self.clocks[name], self._shift_counts(name))
                            for name, shop in scenario.shops.items()}
        """Per shop: its planned maintenance windows, where repairs are finished off shift (or None)."""
        self.feeder_clocks = {}
        """Per feeder on its own shifts ('shop.feeder'): (clock, worked window, maintenance windows)."""
        for name, shop in scenario.shops.items():
            for feeder_name, feeder in shop.feeders.items():
                if feeder.shifts is not None:
                    counts = self._shift_counts(name, feeder.shifts)
                    clock = ShiftClock(shift_windows(feeder.shifts, days, counts))
                    self.feeder_clocks[f"{name}.{feeder_name}"] = (
                        clock, clock.worked_window(self.window), self._maintenance(shop, feeder.shifts, clock, counts))
        """Per shop: the measured window in the shop's worked time; its stations' state times cover it."""
        self.nodes: dict[str, list[Node]] = {}
        self.buffers: list[Buffer] = []
        self.gates: dict[str, QualityGate] = {}
        self.shop_exits = {name: 0 for name in scenario.shops}
        self.launched = 0
        self.completed_total = 0
        self.scrapped_total = 0
        self.scrapped_in_window = 0
        self.completed: list[tuple[float, int, bool, float]] = []
        """(completion time, model, export, launch time) of cars finished in the window."""
        self.wip = LevelMonitor(self.window, math.inf)
        self.pools = self._pools()
        levelled_with_rules = scenario.product.spacing and scenario.product.sequence == "levelled"
        self.sequencer = Sequencer(scenario.product) if levelled_with_rules else None
        """With spacing rules, the levelled launch's sequencer: it picks each car's variant (models and options
        levelled together); otherwise None, and the launch draws options as below."""
        self._sequence = _launch_sequence(scenario, self.streams) if self.sequencer is None else None
        self._market = self.streams.uniform("launch.market")
        self._export_share = [m.export_share for m in scenario.product.models]
        product = scenario.product
        self._take_rates = [[product.take_rate(o, m.name) for m in product.models] for o in product.options]
        self._option_draw = self.streams.uniform("launch.options") if product.options else None
        self._colour_draw = self.streams.uniform("launch.colour") if product.colours else None
        self._colour_cumulative = {(m, export): np.cumsum(product.colour_shares(model.name, export))
                                   for m, model in enumerate(product.models) for export in (False, True)}
        self.variants = len(self.model_names) << len(product.options)
        """Car variants: each model with each combination of options (``Car.variant``)."""
        # the order cars enter each shop is kept where something measures it: spacing rules, sorting stores
        tracked = bool(scenario.product.spacing) or any(store.sort is not None for store in scenario.stores)
        self.entries = {name: EntryLog(name) for name in scenario.shops} if tracked else {}
        """Per shop: the order in which its cars entered (the first shop's is the launch order)."""
        self.feeders: dict[str, _FeederRecord] = {}
        """Per feeder ('shop.feeder'): its join, nodes and buffers (for the invariant checks and tables)."""
        self._launch_log = self.entries.get(next(iter(scenario.shops)))
        self.launch_holds: list[LaunchHold] = []
        """What may hold a launch (missing kits, a cap on launches): none, and the first station pulls
        from the plain source."""
        self.launch_look_ahead = 0
        """How many planned cars the launch may look past when the first one is held (``Launcher``)."""
        self.launcher: Launcher | None = None
        self.experience = {name: Experience(spec, mature_yield(scenario.shops[name]))
                           for name, spec in (scenario.learning or {}).items()}
        """Per shop with learning curves: its experience (``learning.Experience``), moved on by its exit."""
        self.yard: Yard | None = None
        """The finished-car yard at the end of the line (``outbound``); None: cars leave at the end of line."""
        self.supply = Supply(self) if scenario.supply is not None else None
        """Kit supply (``supply.Supply``): it holds the launch and gates shop entries while kits are missing."""
        if self.ramp is not None:
            self.ramp.plan_launches(self)  # a cap holds the launch: before the first shop is built
        self.overtime = self._overtime()
        """Overtime when behind the plan (``overtime.Overtime``), or None."""
        self._build()
        if self.ramp is not None:
            self.ramp.pace_lines(self)

    # ------------------------------------------------------------ launch / exit

    def launch(self) -> Car:
        return self.make_car(self.next_variant())

    def next_variant(self) -> int:
        """The model and options of the next planned car: from the sequencer (spacing rules), or the
        model sequence and options drawn by their take rates (inline: this runs once per car)."""
        if self.sequencer is None:
            model = next(self._sequence)
            return model if self._option_draw is None else self._variant(model)
        return self.sequencer.next_variant()

    def make_car(self, variant: int) -> Car:
        """Launch a car of this variant: its market and colour drawn, counted in the WIP."""
        model = variant % len(self.model_names)
        self.launched += 1
        export = self._market() < self._export_share[model]
        colour = 0 if self._colour_draw is None else self._colour(model, export)
        car = Car(model, export, self.env.now, variant, colour, self.launched)
        if self._launch_log is not None:
            self._launch_log.record(car, self.env.now)
        self.wip.change(self.env.now, 1)
        return car

    def _variant(self, model: int) -> int:
        """The car's variant: its model, and the options it carries drawn by their take rates."""
        bits = 0
        for k, rates in enumerate(self._take_rates):
            if self._option_draw() < rates[model]:
                bits |= 1 << k
        return model + len(self.model_names) * bits

    def _colour(self, model: int, export: bool) -> int:
        """The car's paint colour, drawn by the shares of its model and market."""
        cumulative = self._colour_cumulative[model, export]
        return min(int(np.searchsorted(cumulative, self._colour_draw(), side="right")), len(cumulative) - 1)

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

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        shop_names = list(self.scenario.shops)
        stores = {s.after: s for s in self.scenario.stores}
        upstream_exit = None
        for index, name in enumerate(shop_names):
            shop = self.scenario.shops[name]
            if index == 0:
                entry = self._first_entry(name, shop)
            else:
                store = stores.get(shop_names[index - 1])
                first = first_station(shop)
                capacity = store.capacity if store else (
                    shop.buffer_capacity if first.buffer_before is None else first.buffer_before)
                # between shops: a declared store, or a plain hand-over buffer; the level of either
                # over time is kept for the store level plots (store_levels)
                if store is not None and store.sort is not None:
                    entry = self._sorting_store(store, name)
                else:
                    entry = self._buffer(store.name if store else f"{shop_names[index - 1]}->{name}", name, capacity,
                                         STORE if store else BUFFER, trace=True, log=self.entries.get(name))
                upstream_exit.target = entry
                if self.supply is not None:
                    entry = self.supply.gate(name, entry)  # the shop takes its cars through its kits
            upstream_exit = self._build_shop(name, shop, entry)
        if self.scenario.outbound is None:
            upstream_exit.target = Sink(self.complete)
        else:
            upstream_exit.target = self.yard = build_yard(self)
        check_wiring(self)

    def _sorting_store(self, store, shop: str) -> SortingStore:
        """A store with lanes that releases by its ``sort`` rule; its waits count on ``shop``'s shift clock."""
        entry = SortingStore(self.env, store.name, shop=shop, sort=store.sort, window=self.window,
                             log=self.entries[shop], clock=self.clocks[shop], product=self.scenario.product)
        entry.monitor.trace = []
        self.buffers.append(entry)
        return entry

    def _first_entry(self, name: str, shop: Shop) -> CarInput:
        launch = self.scenario.launch
        if launch is None:
            if not self.launch_holds:
                return Source(self.launch)
            self.launcher = Launcher(self.env, self.next_variant, self.make_car, self.launch_holds,
                                     self.launch_look_ahead)
            return self.launcher
        queue = self._buffer("arrivals", name, math.inf, ARRIVALS)
        interarrival = self.streams.sampler(launch.interarrival, "launch.arrivals")
        self.env.process(self._arrivals(queue, interarrival, self.clocks[name]))
        return queue

    def _arrivals(self, queue: Buffer, interarrival, clock: ShiftClock):
        """Arrival-driven launch (kits, or Poisson arrivals), on the first shop's shift clock."""
        env = self.env
        w = clock.worked(env.now)
        while True:
            w += interarrival()
            yield env.timeout(max(0.0, clock.at_work(w) - env.now))
            queue.try_put(self.launch())

    def _overtime(self) -> Overtime | None:
        """Overtime of a plan that allows it: it rebuilds every shift clock (shops and feeders) in place."""
        plan = self.scenario.plan
        if plan is None or plan.overtime is None:
            return None
        overtime = Overtime(self, plan.overtime, self.ramp.launch)
        for name, shop in self.scenario.shops.items():
            overtime.timetables.append(Timetable(shop.shifts, self._shift_counts(name), self.clocks[name],
                                                 self.worked_windows[name], self.maintenance[name]))
            for feeder_name, feeder in shop.feeders.items():
                if feeder.shifts is not None:
                    clock, window, maintenance = self.feeder_clocks[f"{name}.{feeder_name}"]
                    overtime.timetables.append(Timetable(feeder.shifts, self._shift_counts(name, feeder.shifts),
                                                         clock, window, maintenance))
        return overtime

    def _maintenance(self, shop: Shop, shifts, clock: ShiftClock, counts: list[int] | None) -> MaintenanceWindows | None:
        spec = shop.maintenance
        if spec is None:
            return None
        return MaintenanceWindows(between_days=spec.between_days, days_off=spec.days_off, preventive=spec.preventive,
                                  shifts=shifts, days=self.days, clock=clock, counts=counts)

    def _shift_counts(self, shop: str, feeder_shifts=None) -> list[int] | None:
        """Per simulated day, the shifts the ramp-up runs in a shop (or its feeder on its own shifts); None:
        its own count every day."""
        return None if self.ramp is None else self.ramp.shift_counts(shop, feeder_shifts)

    def _pools(self) -> dict[str, LabourPool]:
        """The shared labour pools of ``staffing.pools``, on their shop's shift clock."""
        staffing = self.scenario.staffing
        pools = {}
        for spec in staffing.pools:
            shifts = self.scenario.shops[spec.shop].shifts
            counts = self._shift_counts(spec.shop)  # a ramp-up may run more shifts: the pool has a size for each
            attendance = self.streams.generator(f"staffing.{spec.name}.attendance") \
                if staffing.absenteeism > 0 else None
            pools[spec.name] = LabourPool(
                self.env, shop=spec.shop, name=spec.name,
                sizes=[spec.size_on(k) for k in range(shifts.count if counts is None else max(counts))],
                absenteeism=staffing.absenteeism, attendance=attendance,
                shift_starts=shift_starts(shifts, self.days, self.window.hi, counts), clock=self.clocks[spec.shop],
                worked_window=self.worked_windows[spec.shop], wall_window=self.window)
        return pools

    def _buffer(self, name: str, shop: str, capacity: float, kind: str, trace: bool = False,
                log: EntryLog | None = None) -> Buffer:
        """A buffer of the plant (``kind``: one of ``buffer.BUFFER_KINDS``); ``trace``: keep its level log;
        ``log``: the buffer feeds a shop and records the order in which the shop takes its cars."""
        if log is None:
            buffer = Buffer(self.env, name, shop=shop, kind=kind, capacity=capacity, window=self.window)
        else:
            buffer = LoggedBuffer(self.env, name, shop=shop, kind=kind, capacity=capacity, window=self.window,
                                  log=log)
        if trace:
            buffer.monitor.trace = []
        self.buffers.append(buffer)
        return buffer

    def _build_shop(self, shop_name: str, shop: Shop, entry: CarInput) -> Onward:
        """Wire a shop's nodes; returns the exit router of its main flow (target set by the caller)."""
        self.nodes[shop_name] = []
        self._placed: dict[str, tuple[Node, int]] = {}
        experience = self.experience.get(shop_name)
        exit_router = _ShopExit(self, shop_name) if experience is None else _LearningExit(self, shop_name, experience)
        self._main_flow(shop_name, shop, entry, exit_router)
        self._add_quality(shop_name, shop)
        self._add_feeders(shop_name, shop)
        return exit_router

    def _main_flow(self, shop_name: str, shop: Shop, entry: CarInput, exit_router) -> None:
        """The main flow: node groups in order, parallel sections split and merged back."""
        tail: list[Node] = []  # nodes whose output goes to the next element
        for index, element in enumerate(main_elements(shop)):
            if isinstance(element, Section):
                target, tail_next = self._section(shop_name, shop, element)
            else:
                nodes = self._chain(shop_name, shop, [element], entry if index == 0 else None)
                target, tail_next = self._target_of(nodes[0], element), nodes
            for node in tail:
                node.output = Onward(target)
            tail = tail_next[-1:] if not isinstance(element, Section) else tail_next
        for node in tail:
            node.output = exit_router

    def _chain(self, shop_name: str, shop: Shop, groups: list[Group], entry: CarInput | None,
               to_stock: bool = False, feeder: str | None = None, kind: str = BUFFER) -> list[Node]:
        """Nodes of consecutive groups, each behind its buffer (the first behind ``entry`` if given);
        ``feeder``: the feeder they belong to (its own shift clock, if it has one); ``kind``: of the
        buffers between them (a feeder's hold parts)."""
        nodes: list[Node] = []
        for group in groups:
            node = self._node(shop_name, shop, group, to_stock, feeder)
            if entry is not None and not nodes:
                node.input = entry
            else:
                capacity = group[0].buffer_before
                node.input = self._buffer(f"{shop_name}.{group[0].name}", shop_name,
                                          shop.buffer_capacity if capacity is None else capacity, kind)
            if nodes:
                nodes[-1].output = Onward(self._target_of(node, group))
            nodes.append(node)
            self.nodes[shop_name].append(node)
            for position, station in enumerate(group):
                self._placed[station.name] = (node, position)
        return nodes

    def _target_of(self, node: Node, group: Group):
        """Where the node before puts its cars: the node's input, or a bypass when only some cars visit it."""
        station = group[0]
        if station.visited_by_all or station.line is not None:
            return node.input
        return Bypass(node.input, node, self._visits(station))

    def _section(self, shop_name: str, shop: Shop, section: Section):
        """A parallel section: its branches' chains behind a split; returns (split, last node of each branch)."""
        spec = section.spec
        chains = [self._chain(shop_name, shop, groups, None) for groups in section.branches]
        eligible = [[b for b, branch in enumerate(spec.branches) if branch.models is None or name in branch.models]
                    for name in self.model_names]

        def branch_cars(b: int) -> int:
            chain = chains[b]
            return sum(node.input.level for node in chain) + sum(len(node.cars()) for node in chain)

        split = BranchSplit(self.env, rule=spec.rule, inputs=[self._target_of(c[0], g[0]) for c, g in
                                                              zip(chains, section.branches)],
                            eligible=eligible, branch_cars=branch_cars)
        return split, [chain[-1] for chain in chains]

    def _add_feeders(self, shop_name: str, shop: Shop) -> None:
        """Each feeder's chain between its call-offs (or a pull of common parts) and its parts buffer at the join."""
        built = {}
        for name, feeder in shop.feeders.items():
            supply = feeder.supply
            first_buffer = len(self.buffers)
            if supply == "to_stock":
                entry = _StockSource()
            else:
                entry = self._buffer(f"{shop_name}.{name}.call-offs", shop_name, math.inf, CALL_OFFS)
            chain = self._chain(shop_name, shop, node_groups(feeder.stations), entry, to_stock=supply == "to_stock",
                                feeder=name, kind=PARTS)
            capacity = shop.buffer_capacity if feeder.buffer is None else feeder.buffer
            parts = self._buffer(f"{shop_name}.{name}->{feeder.joins}", shop_name, capacity, PARTS)
            chain[-1].output = Onward(parts)
            built[name] = (entry, parts, chain, self.buffers[first_buffer:])
        for name, feeder in shop.feeders.items():
            entry, parts, chain, buffers = built[name]
            node, position = self._placed[feeder.joins]
            join_station = self._station(shop, feeder.joins)
            visits = None if join_station.visited_by_all else self._visits(join_station)
            join = Join(feeder=name, buffer=parts, position=position, matched=feeder.supply != "to_stock",
                        own=feeder.supply == "own_part", visits=visits, where=f"{shop_name}.{feeder.joins}")
            node.joins.append(join)
            source = entry if feeder.supply == "to_stock" else self._send(shop, feeder, entry, visits)
            self.feeders[f"{shop_name}.{name}"] = _FeederRecord(
                join=join, join_window=node.worked_window, nodes=chain, buffers=buffers, source=source)

    def _send(self, shop: Shop, feeder, target: Buffer, visits) -> Send:
        """Where a car orders its part (or gives its own): a paced line's position, or a station's output."""
        start = feeder.taken_off_at or feeder.called_off_at or first_station(shop).name
        node, position = self._placed[start]
        send = Send(target=target, position=position, own=feeder.supply == "own_part", visits=visits)
        if isinstance(node, PacedLine):
            node.sends.append(send)
        else:
            node.output = CallOff(node.output, [send])
        return send

    @staticmethod
    def _station(shop: Shop, name: str) -> StationSpec:
        return next(st for st in all_stations(shop) if st.name == name)

    def _visits(self, station: StationSpec) -> list[bool]:
        """Per car variant, whether its cars visit the station (its models and option)."""
        models = self.scenario.product.models
        option = None if station.option is None else \
            [o.name for o in self.scenario.product.options].index(station.option)
        out = []
        for variant in range(self.variants):
            model, bits = variant % len(models), variant // len(models)
            out.append((station.models is None or models[model].name in station.models)
                       and (option is None or bool(bits >> option & 1)))
        return out

    def _add_quality(self, shop_name: str, shop: Shop) -> None:
        quality = shop.quality
        if quality is None:
            return
        nodes = self.nodes[shop_name]
        by_name = {s.name: s for s in shop.stations if isinstance(s, StationSpec)}
        node_of = {name: node for name, (node, _) in self._placed.items()}
        lanes: dict[str, Buffer] = {}
        repairs: dict[str, object] = {}
        paths, upto = [], 0.0
        for path in quality.rework:
            upto += path.share
            reentry = lanes.get(path.reenter)
            if reentry is None:
                # re-entering cars wait in their own lane, taken before the main buffer
                reentry = self._buffer(f"{shop_name}.{path.reenter}.reentry", shop_name, math.inf, REENTRY_LANE)
                node = node_of[path.reenter]
                node.input = Merge(self.env, reentry, node.input)
                lanes[path.reenter] = reentry
            if path.repair is None:
                paths.append((upto, reentry, True, reentry))
                continue
            repair = repairs.get(path.repair)
            if repair is None:  # one repair station may serve several paths
                station = by_name[path.repair]
                repair = self._node(shop_name, shop, [station])
                capacity = shop.buffer_capacity if station.buffer_before is None else station.buffer_before
                repair.input = self._buffer(f"{shop_name}.{station.name}", shop_name, capacity, BUFFER)
                repair.output = AfterRepair()
                nodes.append(repair)
                repairs[path.repair] = repair
            paths.append((upto, repair.input, False, reentry))
        inspection = node_of[quality.inspection]
        gate_args = (inspection.output, quality.first_pass_yield, quality.scrap, paths,
                     self.streams.uniform(f"{shop_name}.{quality.inspection}.quality"), self.scrap, self.in_window)
        experience = self._learns(shop_name, "first_pass_yield")
        gate = QualityGate(*gate_args) if experience is None else LearningGate(*gate_args, experience=experience)
        self.gates[shop_name] = gate
        inspection.output = _Gate(gate)

    def _node(self, shop_name: str, shop: Shop, group: list, to_stock: bool = False,
              feeder: str | None = None) -> Node:
        """The node of one flow group: a conveyor, a paced line or a free-flow station. ``to_stock``: a
        feeder of common parts, one time for every part (its default, not scaled by a model)."""
        first = group[0]
        prefix = f"{shop_name}.{first.name}"
        models = self.scenario.product.models
        time_for = (lambda st: lambda model: (st.cycle_time["*"], 1.0)) if to_stock else (lambda st: st.time_for)
        clock, worked_window, maintenance = self.feeder_clocks.get(
            f"{shop_name}.{feeder}", (self.clocks[shop_name], self.worked_windows[shop_name],
                                      self.maintenance[shop_name]))
        learns = self._learns(shop_name, "cycle_time")  # a conveyor's transit does not learn, its failures do
        if first.conveyor is not None:
            conveyor = first.conveyor
            cycle = np.full((conveyor.capacity, self.variants), conveyor.index_time)
            fails = [self._line_failures(first.failures, prefix, shop_name)]
            return PacedLine(self.env, shop=shop_name, name=first.name, stations=[first.name],
                             position_station=[0] * conveyor.capacity, cycle=cycle, takt=conveyor.index_time,
                             transfer=0.0, gaps=True, failures=fails, clock=clock, worked_window=worked_window,
                             maintenance=maintenance, colour_changes=_booths([first]))
        if first.line is not None:
            line = shop.lines[first.line]
            cycle = np.array([self._line_cycles(st, time_for(st)) for st in group])
            fails = [self._line_failures(st.failures, f"{shop_name}.{st.name}", shop_name) for st in group]
            return PacedLine(self.env, shop=shop_name, name=first.line, stations=[st.name for st in group],
                             position_station=list(range(len(group))), cycle=cycle, takt=line.takt,
                             transfer=line.transfer_time, gaps=False, failures=fails, clock=clock,
                             worked_window=worked_window, maintenance=maintenance, push_out=feeder is not None,
                             colour_changes=_booths(group), over_cycle=_over_cycle(line), learning=learns)
        cycle = [self.streams.sampler(dist, f"{prefix}.cycle.{model.name}", scale)
                 for model, (dist, scale) in zip(models, map(time_for(first), models))]
        if learns is not None:
            cycle = [learns.slower(sample) for sample in cycle]
        failures = [make_failures(first.failures, self.streams, f"{prefix}[{k}]", maintenance,
                                  self._learns(shop_name, "failures")) for k in range(first.servers)]
        station = dict(shop=shop_name, name=first.name, servers=first.servers, cycle=cycle, failures=failures,
                       clock=clock, worked_window=worked_window, wall_window=self.window,
                       purge=0.0 if first.colour_change is None else first.colour_change.purge)
        if first.labour_pool is not None:
            return PooledStation(self.env, pool=self.pools[first.labour_pool], needed=first.pool_operators,
                                 slower=first.when_short == "slower", **station)
        return Station(self.env, **station)

    def _line_cycles(self, station: StationSpec, time_for) -> list[float]:
        """Seconds of work per car variant at a paced-line station: 0 for the cars that pass it by."""
        times = [dist.value * scale for dist, scale in map(time_for, self.scenario.product.models)]
        if station.visited_by_all:
            return [times[v % len(times)] for v in range(self.variants)]
        return [times[v % len(times)] if visits else 0.0 for v, visits in enumerate(self._visits(station))]

    def _line_failures(self, spec, name: str, shop_name: str):
        """(time between failures, time to repair) samplers of a line station or conveyor, or None; the
        time between failures under the shop's failure curve, if it has one."""
        if spec is None:
            return None
        between = self.streams.sampler(spec.between, f"{name}.failure")
        learns = self._learns(shop_name, "failures")
        return (between if learns is None else learns.sooner(between),
                self.streams.sampler(spec.repair, f"{name}.repair"))

    def _learns(self, shop_name: str, curve: str) -> Experience | None:
        """The shop's experience when it has this learning curve (cycle_time, first_pass_yield, failures)."""
        experience = self.experience.get(shop_name)
        return experience if experience is not None and getattr(experience.spec, curve) is not None else None

    # ------------------------------------------------------------ running

    def all_nodes(self) -> list[Node]:
        return [node for nodes in self.nodes.values() for node in nodes]

    def run(self) -> None:
        for node in self.all_nodes():
            node.start()
        if self.yard is not None:
            self.yard.start()
        if self.overtime is not None:
            self.overtime.start()
        for pool in self.pools.values():
            pool.start()  # wakes at shift starts before the end of the window only
        self.env.run(until=self.window.hi)
        # nothing left to happen while cars are inside: every station waits on another (a loop jammed),
        # or on operators that no shift brings; not when a pool's next shift would bring them
        # (pools stop waking at the end of the window)
        self.deadlocked = _nothing_left(self.env) and self.cars_inside() > 0 and \
            not any(pool.queue and not pool.stuck() for pool in self.pools.values()) and \
            not (self.yard is not None and self.yard.putters)  # a full yard with no carrier to come: outbound says so
        for node in self.all_nodes():
            node.finish()
        for pool in self.pools.values():
            pool.finish()
        for buffer in self.buffers:
            buffer.close()
        if self.yard is not None:
            self.yard.finish()
        self.wip.close(self.env.now)

    def cars_inside(self) -> int:
        """Cars counted where they are: in buffers and on stations (feeders' parts are not cars), and held
        for their kits at a shop's entry."""
        return sum(b.level for b in self.buffers if b.kind not in PART_KINDS) + \
            sum(1 for n in self.all_nodes() for unit in n.cars() if type(unit) is Car) + \
            (self.supply.cars_held() if self.supply is not None else 0)

    def feeder_balances(self) -> list[tuple[str, int, int]]:
        """Per feeder: (name, parts made or called off, parts fitted + parts still in the feeder)."""
        out = []
        for name, record in self.feeders.items():
            inside = sum(b.level for b in record.buffers) + sum(len(n.cars()) for n in record.nodes)
            out.append((name, record.made(), record.join.fitted + inside))
        return out


def _booths(group: list[StationSpec]) -> list[tuple[int, float, int]]:
    """(station index, purge s, empty carriers) of the paint booths of a line or conveyor."""
    return [(k, st.colour_change.purge, st.colour_change.empty_carriers)
            for k, st in enumerate(group) if st.colour_change is not None]


def _over_cycle(line) -> tuple[float, int] | None:
    """(zone in takts, floaters) of a line that absorbs over-cycles, or None: it stops for each."""
    spec = line.over_cycle
    return None if spec is None else (spec.zone, spec.floaters)


class _StockSource(Source):
    """A feeder built to stock pulls a new common part whenever its first station can start one."""

    def __init__(self):
        super().__init__(self._make)
        self.sent = 0

    def _make(self) -> Part:
        self.sent += 1
        return Part(None)


class _FeederRecord:
    """What the plant keeps of a feeder: its join, its nodes and buffers, and where its parts come from."""

    def __init__(self, *, join: Join, join_window: Window, nodes: list, buffers: list, source):
        self.join = join
        self.join_window = join_window
        """The join node's measured window in its worked time."""
        self.nodes = nodes
        self.buffers = buffers
        self.source = source
        """A ``Send`` (parts for cars) or a ``_StockSource`` (common parts): either counts what it started."""

    def made(self) -> int:
        return self.source.sent

    def join_wait_share(self) -> float:
        """Share of the join's shift time (in the measured window) spent waiting for this feeder's parts."""
        window = self.join_window.span
        return self.join.waited / window if window > 0 else 0.0


class _ShopExit(Onward):
    """The last node of a shop: counts the shop's output, then hands on."""

    def __init__(self, plant: Plant, shop: str):
        super().__init__(None)
        self.plant = plant
        self.shop = shop

    def route(self, car):
        plant = self.plant
        if plant.window.contains(plant.env.now):
            plant.shop_exits[self.shop] += 1
        return self.target, False


class _LearningExit(_ShopExit):
    """The last node of a shop with learning curves: each car leaving moves the shop's experience on."""

    def __init__(self, plant: Plant, shop: str, experience: Experience):
        super().__init__(plant, shop)
        self.experience = experience

    def route(self, car):
        self.experience.car_left()
        return super().route(car)


class _Gate:
    """Adapts a QualityGate to the node output interface."""

    def __init__(self, gate: QualityGate):
        self.gate = gate

    def route(self, car):
        onward, priority = self.gate.route(car)
        if onward is self.gate.onward:
            return onward.route(car)
        return onward, priority


def check_wiring(plant: Plant) -> None:
    """Raise ``WiringError`` unless every part of the built plant is connected.

    In the spirit of desmod's ``elaborate()``: every node has an input and an output;
    every plain router (``Onward``, a shop's exit) has a target; a node's input is one of
    the plant's buffers (or a merge of two, or the launch source); every quality gate
    passes its good cars on to a target and sends each rework path to buffers of the
    plant. (A repair station's exit has no fixed target: each car goes back to the
    re-entry lane its gate chose, which the gate's paths cover. Scrapped cars leave the
    flow by design.) The message names ``shop.station`` of each unconnected node and the
    end that is missing.
    """
    buffers = {id(b) for b in plant.buffers}
    problems = []

    def check_input(where: str, source: CarInput | None) -> None:
        if source is None:
            problems.append(f"{where}: no input")
        elif isinstance(source, Merge):
            check_input(f"{where} (re-entry lane)", source.lane)
            check_input(where, source.main)
        elif isinstance(source, KitGate):
            check_input(f"{where} (through its kit gate)", source.entry)
        elif isinstance(source, Buffer) and id(source) not in buffers:
            problems.append(f"{where}: input {source.name} is not a buffer of the plant")

    def check_router(where: str, router: Router | None) -> None:
        if router is None:
            problems.append(f"{where}: no output")
        elif isinstance(router, Onward) and router.target is None:
            problems.append(f"{where}: output leads nowhere (router without a target)")
        elif isinstance(router, CallOff):
            check_router(where, router.onward)
        elif isinstance(router, _Gate):
            gate = router.gate
            check_router(f"{where} (cars passing the quality gate)", gate.onward)
            for k, (_, target, _, reentry) in enumerate(gate.paths, start=1):
                if target is None or id(target) not in buffers:
                    problems.append(f"{where}: quality gate rework path {k} leads to no buffer of the plant")
                if reentry is None or id(reentry) not in buffers:
                    problems.append(f"{where}: quality gate rework path {k} re-enters no buffer of the plant")

    for node in plant.all_nodes():
        where = f"{node.shop}.{node.name}"
        check_input(where, node.input)
        check_router(where, node.output)
    if problems:
        raise WiringError("plant wiring incomplete: " + "; ".join(problems))


def _nothing_left(env) -> bool:
    """No event is scheduled at all, once ``env.run(until=...)`` has stopped: every process waits
    on another (a jam).

    SimPy (4.1) puts the stop event of ``run`` back in the queue with priority -1; that event is
    left out here. A cycle that ends only after the calendar's last shift is scheduled at infinity:
    that station is working, slowly (a shift of a few seconds), not jammed, so it counts as left.
    """
    return all(priority < 0 for _, priority, _, _ in env._queue)


def _launch_sequence(scenario: Scenario, streams: Streams):
    """Model indices in launch order: levelled (goal chasing) or random by share."""
    shares = list(scenario.product.shares.values())
    if scenario.product.sequence == "random":
        yield from drawn(shares, streams.uniform("launch.sequence"))
    launched = [0] * len(shares)
    n = 0
    while True:
        n += 1
        # the model furthest behind its share of the first n cars goes next
        deficits = [n * share - done for share, done in zip(shares, launched)]
        model = max(range(len(shares)), key=deficits.__getitem__)
        launched[model] += 1
        yield model
