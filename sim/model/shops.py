"""Building one shop's flow: its nodes (free-flow stations, paced lines, conveyors) and the buffers between
them, parallel sections, stations only some cars visit, the quality loop with its repair lanes, and the
feeders with their call-offs and joins, wired in flow order with one named random stream per station and
purpose. The parts follow the contracts of ``flow.protocol`` (``Node``, ``CarInput``, ``Router``,
``CarTarget``); ``builder.Builder`` joins the shops and checks the wiring.
"""

from __future__ import annotations

import math

import numpy as np

from ..scenario.schema import Shop
from ..scenario.schema import Station as StationSpec
from ..scenario.topology import (Group, Section, all_stations, feeder_key, main_elements, node_groups, parts_buffer,
                                 sent_from)
from .components.learning import Experience, LearningGate
from .flow.buffer import BUFFER, CALL_OFFS, PARTS, REENTRY_LANE, Buffer, Merge, Source
from .flow.car import Part
from .flow.graph import BranchSplit, Bypass, CallOff, Carriers, Join, Send
from .flow.line import PacedLine
from .flow.protocol import CarInput, Node
from .flow.routing import AfterRepair, Onward, QualityGate
from .flow.station import PooledStation, Station
from .flow.outages import MaintenanceOnFreeTime, WithOutages, merged
from .flow.states import FailureModes, breakdowns, failure_process
from ..scenario.window import Window


class ShopBuilder:
    """Builds the shops of one plant, one at a time (``build``), for its ``builder.Builder``."""

    def __init__(self, builder):
        self.builder = builder
        self.plant = builder.plant
        self.env, self.streams, self.scenario, self.window = builder.env, builder.streams, builder.scenario, \
            builder.window
        self.clocks, self.worked_windows = builder.clocks, builder.worked_windows
        self.maintenance, self.feeder_clocks = builder.maintenance, builder.feeder_clocks
        product = self.scenario.product
        self.variants = len(product.models) << len(product.options)
        """Car variants: each model with each combination of options (``Car.variant``)."""
        self._placed: dict = {}

    def build(self, shop_name: str, shop: Shop, entry: CarInput) -> Onward:
        """Wire a shop's nodes; returns the exit router of its main flow (target set by the caller)."""
        self.plant.nodes[shop_name] = []
        self._placed: dict[str, tuple[Node, int]] = {}
        experience = self.builder.shop_experience.get(shop_name)
        exit_router = _ShopExit(self.plant, shop_name) if experience is None else _LearningExit(self.plant, shop_name, experience)
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
                node.input = self.builder.buffer(f"{shop_name}.{group[0].name}", shop_name,
                                          shop.buffer_capacity if capacity is None else capacity, kind)
            if nodes:
                nodes[-1].output = Onward(self._target_of(node, group))
            nodes.append(node)
            self.plant.nodes[shop_name].append(node)
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
                    for name in self.scenario.model_names]

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
            first_buffer = len(self.plant.buffers)
            if supply == "to_stock":
                entry = _StockSource()
            else:
                entry = self.builder.buffer(f"{shop_name}.{name}.call-offs", shop_name, math.inf, CALL_OFFS)
            chain = self._chain(shop_name, shop, node_groups(feeder.stations), entry, to_stock=supply == "to_stock",
                                feeder=name, kind=PARTS)
            capacity = shop.buffer_capacity if feeder.buffer is None else feeder.buffer
            parts = self.builder.buffer(parts_buffer(shop_name, name, feeder.joins), shop_name, capacity, PARTS)
            chain[-1].output = Onward(parts)
            built[name] = (entry, parts, chain, self.plant.buffers[first_buffer:])
        for name, feeder in shop.feeders.items():
            entry, parts, chain, buffers = built[name]
            node, position = self._placed[feeder.joins]
            join_station = self._station(shop, feeder.joins)
            visits = None if join_station.visited_by_all else self._visits(join_station)
            join = Join(feeder=name, buffer=parts, position=position, matched=feeder.supply != "to_stock",
                        own=feeder.supply == "own_part", visits=visits, where=f"{shop_name}.{feeder.joins}")
            node.joins.append(join)
            source = entry if feeder.supply == "to_stock" else self._send(shop_name, shop, name, feeder, entry, visits)
            if getattr(source, "carriers", None) is not None:
                join.carriers = source.carriers
            self.plant.feeders[feeder_key(shop_name, name)] = FeederRecord(
                join=join, join_window=node.worked_window, nodes=chain, buffers=buffers, source=source)

    def _send(self, shop_name: str, shop: Shop, name: str, feeder, target: Buffer, visits) -> Send:
        """Where a car orders its part (or gives its own): a paced line's position, or a station's output; own parts
        on a bounded number of carriers make that node wait for a free one."""
        node, position = self._placed[sent_from(shop, feeder)]
        carriers = None if feeder.carriers is None else \
            Carriers(self.env, feeder.carriers, f"{shop_name}.{name} carriers")
        send = Send(target=target, position=position, own=feeder.supply == "own_part", visits=visits,
                    carriers=carriers)
        if isinstance(node, PacedLine):
            node.sends.append(send)
        else:
            node.output = CallOff(node.output, [send])
            if carriers is not None:
                node.takeoffs.append(send)
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
        nodes = self.plant.nodes[shop_name]
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
                reentry = self.builder.buffer(f"{shop_name}.{path.reenter}.reentry", shop_name, math.inf, REENTRY_LANE)
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
                repair.input = self.builder.buffer(f"{shop_name}.{station.name}", shop_name, capacity, BUFFER)
                repair.output = AfterRepair()
                nodes.append(repair)
                repairs[path.repair] = repair
            paths.append((upto, repair.input, False, reentry))
        inspection = node_of[quality.inspection]
        gate_args = (inspection.output, quality.first_pass_yield, quality.scrap, paths,
                     self.streams.uniform(f"{shop_name}.{quality.inspection}.quality"), self.plant.scrap, self.plant.in_window)
        experience = self._learns(shop_name, "first_pass_yield")
        gate = QualityGate(*gate_args) if experience is None else LearningGate(*gate_args, experience=experience)
        self.plant.gates[shop_name] = gate
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
            feeder_key(shop_name, feeder), (self.clocks[shop_name], self.worked_windows[shop_name],
                                      self.maintenance[shop_name]))
        learns = self._learns(shop_name, "cycle_time")  # a conveyor's transit does not learn, its failures do
        outages = self._outages(shop_name, shop, group, feeder)
        if first.conveyor is not None:
            conveyor = first.conveyor
            cycle = np.full((conveyor.capacity, self.variants), conveyor.index_time)
            fails = [self._line_failures(first, prefix, shop_name, worked_window)]
            return PacedLine(self.env, shop=shop_name, name=first.name, stations=[first.name],
                             position_station=[0] * conveyor.capacity, cycle=cycle, takt=conveyor.index_time,
                             transfer=0.0, gaps=True, failures=fails, clock=clock, worked_window=worked_window,
                             maintenance=maintenance, colour_changes=_booths([first]), outages=outages)
        if first.line is not None:
            line = shop.lines[first.line]
            cycle = np.array([self._line_cycles(st, time_for(st)) for st in group])
            fails = [self._line_failures(st, f"{shop_name}.{st.name}", shop_name, worked_window) for st in group]
            return PacedLine(self.env, shop=shop_name, name=first.line, stations=[st.name for st in group],
                             position_station=list(range(len(group))), cycle=cycle, takt=line.takt,
                             transfer=line.transfer_time, gaps=False, failures=fails, clock=clock,
                             worked_window=worked_window, maintenance=maintenance, push_out=feeder is not None,
                             colour_changes=_booths(group), over_cycle=_over_cycle(line), learning=learns,
                             outages=outages)
        cycle = [self.streams.sampler(dist, f"{prefix}.cycle.{model.name}", scale)
                 for model, (dist, scale) in zip(models, map(time_for(first), models))]
        if learns is not None:
            cycle = [learns.slower(sample) for sample in cycle]
        failures = [self._server_failures(first, f"{prefix}[{k}]", shop_name, maintenance, worked_window, outages)
                    for k in range(first.servers)]
        station = dict(shop=shop_name, name=first.name, servers=first.servers, cycle=cycle, failures=failures,
                       clock=clock, worked_window=worked_window, wall_window=self.window,
                       purge=0.0 if first.colour_change is None else first.colour_change.purge)
        if first.labour_pool is not None:
            return PooledStation(self.env, pool=self.plant.pools[first.labour_pool], needed=first.pool_operators,
                                 slower=first.when_short == "slower", **station)
        return Station(self.env, **station)

    def _line_cycles(self, station: StationSpec, time_for) -> list[float]:
        """Seconds of work per car variant at a paced-line station: 0 for the cars that pass it by."""
        times = [dist.value * scale for dist, scale in map(time_for, self.scenario.product.models)]
        if station.visited_by_all:
            return [times[v % len(times)] for v in range(self.variants)]
        return [times[v % len(times)] if visits else 0.0 for v, visits in enumerate(self._visits(station))]

    def _line_failures(self, station: StationSpec, name: str, shop_name: str, worked_window: Window):
        """The breakdowns of a line station or conveyor (``states.OneMode`` or ``states.FailureModes``), or None;
        the time between failures under the shop's failure curve, if it has one."""
        if station.failures is None:
            return None
        return self._breakdowns(station, name, shop_name, worked_window)

    def _breakdowns(self, station: StationSpec, name: str, shop_name: str, worked_window: Window):
        """A server's breakdowns (its failure modes noted for the downtime table)."""
        made = breakdowns(station.failures, self.streams, name, self._learns(shop_name, "failures"), worked_window)
        if isinstance(made, FailureModes):
            self.builder.failure_modes.append((shop_name, station.name, made))
        return made

    def _server_failures(self, station: StationSpec, name: str, shop_name: str, maintenance, worked_window: Window,
                         outages):
        """The breakdown process of one server of a free-flow station; under outages, run on its outage-free time."""
        if outages is not None and maintenance is not None:
            maintenance = MaintenanceOnFreeTime(maintenance, outages)
        process = failure_process(station.failures, None if station.failures is None else
                                  self._breakdowns(station, name, shop_name, worked_window), maintenance)
        return process if outages is None else WithOutages(process, outages)

    def _outages(self, shop_name: str, shop: Shop, group: list, feeder: str | None):
        """The outages and run-in covering a node (``outages.DownSchedule``), or None: those of the shop that cover
        it whole (covers: none) or name one of its stations or its paced line; a feeder on its own shifts has none."""
        covering = self.builder.shop_outages.get(shop_name)
        if not covering or (feeder is not None and shop.feeders[feeder].shifts is not None):
            return None
        names = {st.name for st in group} | {st.line for st in group if st.line is not None}
        return merged([schedule for covers, schedule in covering if covers is None or names & set(covers)])

    def _learns(self, shop_name: str, curve: str) -> Experience | None:
        """The shop's experience when it has this learning curve (cycle_time, first_pass_yield, failures)."""
        experience = self.builder.shop_experience.get(shop_name)
        return experience if experience is not None and getattr(experience.spec, curve) is not None else None


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


class FeederRecord:
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

    def __init__(self, plant, shop: str):
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

    def __init__(self, plant, shop: str, experience: Experience):
        super().__init__(plant, shop)
        self.experience = experience

    def route(self, car):
        self.experience.car_left()
        return super().route(car)


class _Gate:
    """Adapts a QualityGate to the node output interface."""

    def __init__(self, gate: QualityGate):
        self.gate = gate

    def links(self) -> list[tuple[str, object]]:
        return self.gate.links()

    def route(self, car):
        onward, priority = self.gate.route(car)
        if onward is self.gate.onward:
            return onward.route(car)
        return onward, priority
