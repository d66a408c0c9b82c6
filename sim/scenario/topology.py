"""A shop's topology: the one place that says how its stations connect.

A shop is a graph: a *main flow* of stations in order, which may split into a
*parallel section* (branches that merge back), *off-line* repair stations
reached through the quality loop, and *feeders*: sub-lines beside the flow
whose parts are fitted to the cars at a *join* station (built in the cars'
sequence, built to stock, or the car's own part taken off and refitted).

The model builder, static capacity, staffing, the cross-reference checks and
the flow picture all need the same facts about it: which consecutive stations
make one paced line (one node of the engine), where a line starts and ends,
the YAML path of each station, where a car sends for a feeder's part and what
the feeder's parts buffer is called, which share of each model's cars visits
each station (visit rules, branches, feeders, the quality loop's rework), and
the mean cycle and rate of each node. They are worked out here, from the
schema only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import ItemName
from .schema import CarModel, Feeder, Parallel, Product, Shop, Station
from .units import ALL_MODELS

Group = list[Station]
"""The stations of one engine node: a paced line's run of consecutive stations, or one station."""


# ---------------------------------------------------------------- stations and groups

def node_groups(stations: list[Station]) -> list[Group]:
    """A flat list of stations in flow order, grouped into nodes (off-line stations left out)."""
    groups: list[Group] = []
    for station in stations:
        if station.off_line:
            continue
        if station.line is not None and groups and groups[-1][0].line == station.line:
            groups[-1].append(station)
        else:
            groups.append([station])
    return groups


@dataclass(frozen=True)
class Section:
    """A parallel section of the main flow: each branch is a list of node groups."""
    spec: Parallel
    branches: list[list[Group]]


Element = Group | Section
"""One step of the main flow: a node group, or a parallel section."""


def main_elements(shop: Shop) -> list[Element]:
    """The main flow in order: node groups, with each parallel section as one element."""
    elements: list[Element] = []
    run: list[Station] = []
    for item in shop.stations:
        if isinstance(item, Parallel):
            elements += node_groups(run)
            run = []
            elements.append(Section(item, [node_groups(b.stations) for b in item.branches]))
        else:
            run.append(item)
    return elements + node_groups(run)


def main_stations(shop: Shop) -> list[Station]:
    """Every station of the main flow in order (parallel branches one after the other), off-line ones included."""
    out: list[Station] = []
    for item in shop.stations:
        if isinstance(item, Parallel):
            out += [st for branch in item.branches for st in branch.stations]
        else:
            out.append(item)
    return out


def all_stations(shop: Shop) -> list[Station]:
    """Every station of the shop: the main flow (with branches and off-line repairs), then each feeder's."""
    return main_stations(shop) + [st for feeder in shop.feeders.values() for st in feeder.stations]


def flow_groups(shop: Shop) -> list[Group]:
    """Every node group of the shop: the main flow's (branches included), then each feeder's."""
    groups = node_groups(main_stations(shop))
    for feeder in shop.feeders.values():
        groups += node_groups(feeder.stations)
    return groups


def off_line(shop: Shop) -> list[Station]:
    """The off-line repair stations, reached only through the quality loop."""
    return [s for s in main_stations(shop) if s.off_line]


def line_stations(shop: Shop, line: str) -> list[Station]:
    """The stations of a paced line, in flow order."""
    return [s for s in all_stations(shop) if s.line == line]


def line_first(shop: Shop, line: str) -> str:
    return line_stations(shop, line)[0].name


def line_last(shop: Shop, line: str) -> str:
    return line_stations(shop, line)[-1].name


def station_paths(shop: Shop, by_name: bool = False) -> list[tuple[tuple, Station, str]]:
    """Every station of a shop with its YAML path below the shop and the flow it belongs to: 'main',
    'branch <section>/<branch>' or 'feeder <name>'. A list item on the path is its index, as a problem's path
    gives it (``("stations", 2)``); ``by_name``: a branch or a station is its name, as ``--set`` takes it
    (``("stations", ItemName("respot"))``; a parallel section has no name and stays an index). Written out
    by ``errors.yaml_path``."""
    def item(index: int, name: str):
        return ItemName(name) if by_name else index

    out = []
    for i, entry in enumerate(shop.stations):
        if isinstance(entry, Parallel):
            for j, branch in enumerate(entry.branches):
                for k, st in enumerate(branch.stations):
                    out.append((("stations", i, "branches", item(j, branch.name), "stations", item(k, st.name)), st,
                                f"branch {entry.parallel}/{branch.name}"))
        else:
            out.append((("stations", item(i, entry.name)), entry, "main"))
    for name, feeder in shop.feeders.items():
        for k, st in enumerate(feeder.stations):
            out.append((("feeders", name, "stations", item(k, st.name)), st, f"feeder {name}"))
    return out


def feeder_of(shop: Shop) -> dict[str, str]:
    """The feeder each feeder station belongs to."""
    return {st.name: name for name, feeder in shop.feeders.items() for st in feeder.stations}


def first_station(shop: Shop) -> Station:
    """The shop's first station in the flow (where a car enters the shop)."""
    return next(s for s in main_stations(shop) if not s.off_line)


def sent_from(shop: Shop, feeder: Feeder) -> str | None:
    """The station where a car sends for its feeder part: where its own part is taken off, or where a part built
    in sequence is called off (the shop's first station unless ``called_off_at`` names one); None for common
    parts built to stock, which no car sends for."""
    if feeder.supply == "to_stock":
        return None
    return feeder.taken_off_at or feeder.called_off_at or first_station(shop).name


def feeder_key(shop_name: str, feeder_name: str) -> str:
    """A feeder's name across the plant: 'shop.feeder' (its clock, its record, its row in the summary)."""
    return f"{shop_name}.{feeder_name}"


def parts_buffer(shop_name: str, feeder_name: str, joins: str) -> str:
    """The name of a feeder's parts buffer, beside the station it joins: 'shop.feeder->join'."""
    return f"{feeder_key(shop_name, feeder_name)}->{joins}"


# ---------------------------------------------------------------- who visits what

def visit_share(station: Station, product: Product, model: str) -> float:
    """Share of a model's cars that visit a station by its own rule (models, option)."""
    if station.models is not None and model not in station.models:
        return 0.0
    if station.option is None:
        return 1.0
    option = next(o for o in product.options if o.name == station.option)
    return product.take_rate(option, model)


def failing_share(shop: Shop) -> float:
    """Share of the inspected cars that fail and are reworked (neither passing nor scrapped)."""
    quality = shop.quality
    if quality is None:
        return 0.0
    return max(0.0, 1.0 - quality.first_pass_yield - quality.scrap)


def route_shares(shop: Shop, product: Product, own_rules: bool = True,
                 rework: bool = True) -> dict[str, dict[str, float]]:
    """Expected visits per finished car of each model, per station of the shop.

    A station's own rule (models, option take rate) gives the share of a model's cars that
    visit it; a parallel branch the share the split rule sends it (alternate: in turn over the
    branches that take the model; shortest queue: in proportion to the branches' rates; by
    model: the branch naming it). A feeder station works one part per car visiting its join
    (times its own rule for parts built in sequence). The quality loop adds the rework: with a
    failing share f = 1 - y - s a car is inspected 1 / (1 - f) times on average, so every
    station between a rework path's re-entry and the inspection is visited q f / (1 - f) times
    more (q: the path's share of the rework) and the path's repair station q f / (1 - f) times.
    ``own_rules=False``: the cars that reach each station, whether or not its own rule has them
    stop there (on a paced line they ride through its position either way). ``rework=False``: the
    first pass only, the quality loop's revisits left out.
    """
    names = [m.name for m in product.models]
    rule = visit_share if own_rules else (lambda station, product, model: 1.0)

    routes: dict[str, dict[str, float]] = {}
    for item in shop.stations:
        if isinstance(item, Parallel):
            for branch, shares in zip(item.branches, branch_shares(item, shop, product)):
                for st in branch.stations:
                    routes[st.name] = {m: shares[m] * rule(st, product, m) for m in names}
        else:
            routes[item.name] = {m: 0.0 if item.off_line else rule(item, product, m) for m in names}
    failing = failing_share(shop) if rework else 0.0
    if failing > 0:
        reworks = failing / (1.0 - failing)
        order = [s.name for s in main_stations(shop) if not s.off_line]
        inspection = order.index(shop.quality.inspection)
        first = {name: dict(route) for name, route in routes.items()}
        for path in shop.quality.rework:
            loop = order[order.index(path.reenter):inspection + 1] + ([path.repair] if path.repair else [])
            for name in loop:
                # a loop station is revisited by the cars that fail, as often as they visit it
                base = first[name] if name != path.repair else {m: 1.0 for m in names}
                routes[name] = {m: routes[name][m] + reworks * path.share * base[m] for m in names}
    pending = dict(shop.feeders)
    while pending:  # feeders joining another feeder's station after that feeder
        for name, feeder in list(pending.items()):
            if feeder.joins not in routes:
                continue
            join = routes[feeder.joins]
            for st in feeder.stations:
                own = (lambda m: 1.0) if feeder.supply == "to_stock" else (lambda m, st=st: rule(st, product, m))
                routes[st.name] = {m: join[m] * own(m) for m in names}
            del pending[name]
        if pending and not any(f.joins in routes for f in pending.values()):
            break  # a cycle of feeders: the reference checks report it
    return routes


def visits(shop: Shop, product: Product) -> dict[str, float]:
    """Expected visits per finished car of each station (the route shares weighted by the mix)."""
    shares = product.shares
    return {name: sum(shares[m] * v for m, v in route.items()) for name, route in route_shares(shop, product).items()}


def branch_shares(section: Parallel, shop: Shop, product: Product) -> list[dict[str, float]]:
    """Per branch of a parallel section: the share of each model's cars the split rule sends it."""
    names = [m.name for m in product.models]
    takes = [[b.models is None or m in b.models for m in names] for b in section.branches]
    if section.rule == "shortest_queue":
        # joining the shortest queue balances the load: each branch gets cars in proportion to its rate
        weight = [branch_rate(b.stations, shop, product) for b in section.branches]
        if any(math.isinf(w) for w in weight):  # a branch that limits nothing takes the cars, shared evenly
            weight = [1.0 if math.isinf(w) else 0.0 for w in weight]
    else:
        weight = [1.0] * len(section.branches)
    out = []
    for b, branch_takes in enumerate(takes):
        shares = {}
        for j, m in enumerate(names):
            total = sum(w for w, t in zip(weight, takes) if t[j])
            shares[m] = weight[b] / total if branch_takes[j] and total > 0 else 0.0
        out.append(shares)
    return out


# ---------------------------------------------------------------- cycle times and rates

def model_cycle(station: Station, model: CarModel) -> float:
    """Mean cycle time of one model at a station, in seconds (work-content factor applied)."""
    dist, scale = station.time_for(model)
    return dist.mean * scale


def mix_cycle(station: Station, models: list[CarModel], weights: dict[str, float]) -> float:
    """Mean cycle time of a station over the cars that visit it (weights: the mix share of each model
    times its visits), in seconds; NaN when no car visits it."""
    total = sum(weights[m.name] for m in models)
    if total <= 0:
        return float("nan")
    return sum(weights[m.name] * model_cycle(station, m) for m in models) / total


def balance_efficiency(stations: list[Station], model: CarModel) -> float:
    """A line's balance efficiency for a model: its station times summed over (stations x the slowest),
    the stations it does not stop at left out (1 for a perfectly balanced line)."""
    times = [model_cycle(st, model) for st in stations if st.models is None or model.name in st.models]
    return sum(times) / (len(times) * max(times)) if times else float("nan")


def stock_cycle(station: Station) -> float:
    """Mean cycle of a station of a feeder built to stock: common parts, one time for every part."""
    return station.cycle_time[ALL_MODELS].mean


def downtime_ratio(failures) -> float:
    """MTTR / MTBF of a station's breakdowns (0 without)."""
    if failures is None:
        return 0.0
    return failures.downtime_ratio


def stoppage_ratio(shop: Shop, group: Group) -> float:
    """Down time per unit of up time of a node group from the shop's outages and run-in that cover it
    (``shops.ShopBuilder._outages``): each outage's mean repair / mean time between, and the run-in's loss at each
    shift start against the rest of the shift's working time."""
    names = {st.name for st in group} | {st.line for st in group if st.line is not None}
    ratio = sum(outage.downtime_ratio for outage in shop.outages if outage.covers is None or names & set(outage.covers))
    run_in = shop.run_in
    if run_in is not None and (run_in.covers is None or names & set(run_in.covers)):
        ratio += run_in.lost / max(shop.shifts.net_seconds - run_in.lost, 1.0)
    return ratio


def group_capacity(shop: Shop, group: Group, product: Product, routes: dict | None = None,
                   passes: dict | None = None) -> dict:
    """Ideal rate of a node group, in units per hour of its own work, with its stations' mean cycles and
    its ideal cycle (``index``: seconds between units at full speed, breakdowns aside).

    A free-flow station: servers x 3600 / mean cycle x availability (MTBF / (MTBF + MTTR)). A paced
    line indexes every max(takt, slowest mean cycle + transfer) (every takt where floaters may take the
    over-cycles) and stops for any of its stations:
    its availability is 1 / (1 + sum MTTR/MTBF). A conveyor moves one body per index time. The
    mean cycle of a station is over the units that visit it (visit rules, the mix its route sees).
    """
    routes = route_shares(shop, product) if routes is None else routes
    shares = product.shares
    if passes is None and group[0].line is not None:
        passes = route_shares(shop, product, own_rules=False)
    stocked = {st.name for f in shop.feeders.values() if f.supply == "to_stock" for st in f.stations}

    def cycle(st: Station) -> float:
        if st.name in stocked:
            return stock_cycle(st)
        return mix_cycle(st, product.models, {m: shares[m] * v for m, v in routes[st.name].items()})

    first = group[0]
    if first.conveyor is not None:
        availability = 1.0 / (1.0 + downtime_ratio(first.failures) + stoppage_ratio(shop, group))
        return {"kind": "conveyor", "servers": first.conveyor.capacity, "cycles": [first.conveyor.index_time],
                "availability": availability, "index": first.conveyor.index_time,
                "rate": 3600.0 / first.conveyor.index_time * availability}
    if first.line is not None:
        line = shop.lines[first.line]
        cycles = [cycle(st) for st in group]
        # a station some cars pass by works only on the others: the line's mean index is over all cars
        loads = [c * _stopping(routes, passes, shares, st.name) if c == c else 0.0 for c, st in zip(cycles, group)]
        index = max([line.takt or 0.0] + [load + line.transfer_time for load in loads])
        if line.over_cycle is not None and line.over_cycle.floaters:
            index = line.takt  # floaters may take any over-cycle: the takt is the bound
        availability = 1.0 / (1.0 + sum(downtime_ratio(st.failures) for st in group) + stoppage_ratio(shop, group))
        # a self-paced line no car stops at indexes in no time: it limits nothing
        return {"kind": "line", "servers": 1, "cycles": cycles, "availability": availability, "index": index,
                "rate": 3600.0 / index * availability if index > 0 else float("nan")}
    mean = cycle(first)
    availability = 1.0 / (1.0 + downtime_ratio(first.failures) + stoppage_ratio(shop, group))
    return {"kind": "station", "servers": first.servers, "cycles": [mean], "availability": availability,
            "index": mean / first.servers,
            "rate": first.servers * 3600.0 / mean * availability if mean == mean else float("nan")}


def _stopping(routes: dict, passes: dict, shares: dict, name: str) -> float:
    """Share of the cars passing a paced-line station that stop to be worked there."""
    passing = sum(shares[m] * v for m, v in passes[name].items())
    return sum(shares[m] * v for m, v in routes[name].items()) / passing if passing > 0 else 0.0


def branch_rate(stations: list[Station], shop: Shop, product: Product) -> float:
    """Cars per hour a branch (or any flat flow) can pass: its slowest node's rate, mix of every model."""
    routes = {st.name: {m.name: visit_share(st, product, m.name) for m in product.models} for st in stations}
    passes = {st.name: {m.name: 1.0 for m in product.models} for st in stations}
    rates = [group_capacity(shop, g, product, routes, passes)["rate"] for g in node_groups(stations)]
    rates = [r for r in rates if r == r]
    return min(rates) if rates else math.inf  # nothing in it limits a car
