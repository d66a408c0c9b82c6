"""Cross-references inside a shop that a single field cannot make: station names unique across its flows,
visit rules that the flow can route, paced lines of consecutive stations, parallel sections, the quality loop
on the main flow, and feeders whose parts meet the right car.

Each check yields ``(path, message)`` as ``references`` does; ``check_shop`` runs them all for one shop.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import did_you_mean, not_a_model, yaml_path
from .plan import Problem
from .schema import Parallel, Scenario, Shop, Station
from .topology import feeder_of, line_first, line_last, main_stations, sent_from, station_paths
from .units import ALL_MODELS


def check_shop(path: tuple, shop: Shop, scenario: Scenario) -> Iterator[Problem]:
    """Every cross-reference problem inside a shop (``path``: the shop's, ``("shops", name)``)."""
    models = set(scenario.model_names)
    options = {o.name for o in scenario.product.options}
    placed = station_paths(shop)
    names = [st.name for _, st, _ in placed]
    first_path = {}
    for where, station, _ in placed:
        here = path + where
        if station.name in first_path:
            yield here + ("name",), (f"station name {station.name!r} repeats {yaml_path(first_path[station.name])}: "
                                     "every station of a shop (main flow, branches, feeders) has its own name")
        first_path.setdefault(station.name, path + where)
        yield from _check_models(here, station, models, options)
    yield from _check_lines(path, shop, placed)
    in_flow = [s for s in main_stations(shop) if not s.off_line]
    if not in_flow:
        yield path + ("stations",), "every station is off_line: a shop needs at least one station in the flow"
    yield from _check_visit_rules(path, shop, placed)
    yield from _check_parallel(path, shop, models)
    yield from _check_quality(path, shop, names, placed)
    yield from _check_feeders(path, shop, placed)
    yield from _check_downtime(path, shop, placed)


def _check_models(path: tuple, station, models: set[str], options: set[str]) -> Iterator[Problem]:
    for key, per_model in (("cycle_time", station.cycle_time), ("operators", station.operators)):
        if not per_model:
            continue
        for model in per_model:
            if model != ALL_MODELS and model not in models:
                yield path + (key, model), (
                    not_a_model(model, sorted(models), or_default=True))
        if key == "cycle_time" and ALL_MODELS not in per_model and set(per_model) != models:
            missing = sorted(models - set(per_model))
            yield path + (key,), f"no cycle time for {missing}: name every model or add a 'default'"
    for j, model in enumerate(station.models or []):
        if model not in models:
            yield path + ("models", j), not_a_model(model, sorted(models))
    if station.option is not None and station.option not in options:
        yield path + ("option",), (f"no option {station.option!r}{did_you_mean(station.option, options, 'options: ')}"
                                   f"{sorted(options) or 'none (declare them under product.options)'}")


def _flows(shop: Shop, placed) -> dict[str, list]:
    """The flat flows of a shop (main, each branch, each feeder): [(path, station)] in order."""
    flows: dict[str, list] = {}
    for where, station, flow in placed:
        flows.setdefault(flow, []).append((where, station))
    return flows


def _check_lines(path: tuple, shop: Shop, placed) -> Iterator[Problem]:
    seen_runs: dict[str, tuple] = {}
    for flow, members in _flows(shop, placed).items():
        previous = None
        for where, station in members:
            line = station.line
            here = path + where + ("line",)
            if line is not None and line != previous:
                if line in seen_runs:
                    yield here, (f"line {line!r} already ended at {yaml_path(seen_runs[line])}: the stations of "
                                 "a paced line must be consecutive, in one flow (main, a branch or a feeder)")
                if line not in shop.lines:
                    yield here, f"line {line!r} is not declared under lines; declared: {sorted(shop.lines) or 'none'}"
            if line is not None:
                seen_runs[line] = path + where
                if any(d.dist != "fixed" for d in station.cycle_time.values()):
                    yield path + where + ("cycle_time",), (
                        "a paced-line station needs a fixed cycle time per model (the line indexes together); "
                        "model variable work as a free-flow station")
            previous = line
    for name in shop.lines:
        if name not in seen_runs:
            yield path + ("lines", name), f"line {name!r} has no stations (set 'line: {name}' on its stations)"


def _check_visit_rules(path: tuple, shop: Shop, placed) -> Iterator[Problem]:
    """A station some cars pass by: on a paced line they ride through; a free-flow station is bypassed,
    which needs a station before it to route the cars (not the first of its flow)."""
    firsts = {members[0][1].name for members in _flows(shop, placed).values()}
    quality = shop.quality
    special = {quality.inspection} | {p.reenter for p in quality.rework} if quality else set()
    for where, station, _ in placed:
        if station.visited_by_all:
            continue
        here = path + where + ("models" if station.models is not None else "option",)
        if station.conveyor is not None:
            yield here, "every car rides a conveyor: a conveyor cannot be visited by some models or options only"
        elif station.off_line:
            yield here, "an off-line repair is visited by the cars its rework path sends: give it no visit rule"
        elif station.line is None and station.name in firsts:
            yield here, ("the first station of a flow cannot be passed by: put the visit rule on a later station, "
                         "or on a paced-line station")
        elif station.name in special:
            yield here, "the inspection and the stations cars re-enter at are visited by every car"


def _check_parallel(path: tuple, shop: Shop, models: set[str]) -> Iterator[Problem]:
    sections = set()
    for i, item in enumerate(shop.stations):
        if not isinstance(item, Parallel):
            continue
        here = path + ("stations", i)
        if i == 0:
            yield here, "a shop cannot start with a parallel section: the cars need a station to split from"
        if item.parallel in sections:
            yield here + ("parallel",), f"parallel section {item.parallel!r} repeats"
        sections.add(item.parallel)
        names = [b.name for b in item.branches]
        taken: dict[str, str] = {}
        for j, branch in enumerate(item.branches):
            where = here + ("branches", j)
            if names.index(branch.name) != j:
                yield where + ("name",), f"branch name {branch.name!r} repeats"
            if item.rule == "by_model" and branch.models is None:
                yield where, "rule by_model: every branch names the models it takes (models: [...])"
            for k, model in enumerate(branch.models or []):
                if model not in models:
                    yield where + ("models", k), not_a_model(model, sorted(models))
                elif item.rule == "by_model" and model in taken:
                    yield where + ("models", k), f"rule by_model: {model!r} already goes to branch {taken[model]!r}"
                taken.setdefault(model, branch.name)
            for k, st in enumerate(branch.stations):
                if st.off_line:
                    yield where + ("stations", k, "off_line"), "a branch holds no off-line station (put repairs in the main flow)"
        untaken = sorted(models - set(taken)) if all(b.models is not None for b in item.branches) else []
        if untaken:
            yield here + ("branches",), f"no branch takes {untaken}: their cars could not pass"


def _check_quality(path: tuple, shop: Shop, names: list[str], placed) -> Iterator[Problem]:
    quality = shop.quality
    if quality is None:
        return
    here = path + ("quality",)
    main = {st.name: st for where, st, flow in placed if flow == "main"}
    elsewhere = {st.name: flow for where, st, flow in placed if flow != "main"}
    allowed = f"stations of the main flow: {list(main)}"

    def outside(name: str) -> str:
        return f"{name!r} is a station of {elsewhere[name]}: the quality loop runs on the main flow"

    inspection = main.get(quality.inspection)
    if quality.inspection in elsewhere:
        yield here + ("inspection",), outside(quality.inspection)
    elif inspection is None:
        yield here + ("inspection",), f"no station {quality.inspection!r}{did_you_mean(quality.inspection, main, allowed)}"
    elif inspection.off_line:
        yield here + ("inspection",), "the inspection station must be in the flow, not off_line"
    elif inspection.line is not None and line_last(shop, inspection.line) != inspection.name:
        yield here + ("inspection",), "an inspection inside a paced line must be the line's last station"
    repairs = set()
    for j, path_ in enumerate(quality.rework):
        where = here + ("rework", j)
        if path_.repair is not None:
            repair = main.get(path_.repair)
            if path_.repair in elsewhere:
                yield where + ("repair",), outside(path_.repair)
            elif repair is None:
                yield where + ("repair",), f"no station {path_.repair!r}{did_you_mean(path_.repair, main, allowed)}"
            elif not repair.off_line:
                yield where + ("repair",), f"repair station {path_.repair!r} must be marked off_line: true"
            repairs.add(path_.repair)
        target = main.get(path_.reenter)
        if path_.reenter in elsewhere:
            yield where + ("reenter",), outside(path_.reenter)
        elif target is None:
            yield where + ("reenter",), f"no station {path_.reenter!r} to re-enter at{did_you_mean(path_.reenter, main, allowed)}"
        elif target.off_line:
            yield where + ("reenter",), "cars must re-enter at a station in the flow, not an off_line one"
        elif target.line is not None and line_first(shop, target.line) != target.name:
            yield where + ("reenter",), "cars can re-enter a paced line only at its first station"
    for where, station, flow in placed:
        if flow == "main" and station.off_line and station.name not in repairs:
            yield path + where + ("off_line",), (
                f"off_line station {station.name!r} is not the repair of any quality rework path")


def _check_feeders(path: tuple, shop: Shop, placed) -> Iterator[Problem]:
    """Each feeder joins a station that exists; parts that belong to a car keep the cars' order from
    where they are called off (or taken off) to where they are fitted, and never meet the quality loop."""
    if not shop.feeders:
        return
    flow_of = {st.name: flow for _, st, flow in placed}
    station = {st.name: st for _, st, _ in placed}
    main = [st for st in main_stations(shop) if not st.off_line]
    order = [st.name for st in main]
    in_branch = {st.name for _, st, flow in placed if flow.startswith("branch")}
    loop = _quality_loop(shop, order)
    owner = feeder_of(shop)
    for name, feeder in shop.feeders.items():
        here = path + ("feeders", name)
        join = station.get(feeder.joins)
        if join is None:
            yield here + ("joins",), (f"no station {feeder.joins!r} to join{did_you_mean(feeder.joins, station, 'stations of this shop: ')}"
                                      f"{list(station)}")
            continue
        if owner.get(feeder.joins) == name:
            yield here + ("joins",), f"feeder {name!r} cannot join one of its own stations"
            continue
        if join.off_line or join.conveyor is not None:
            yield here + ("joins",), f"{feeder.joins!r} is {'an off-line repair' if join.off_line else 'a conveyor'}: " \
                                     "parts are fitted at a station of the flow with a cycle time"
            continue
        if feeder.joins in loop:
            yield here + ("joins",), (f"{feeder.joins!r} lies in the quality loop (between a re-entry and the "
                                      "inspection): a reworked car would take a second part")
        for k, st in enumerate(feeder.stations):
            if st.off_line:
                yield here + ("stations", k, "off_line"), "a feeder holds no off-line station"
            if feeder.shifts is not None and st.labour_pool is not None:
                yield here + ("stations", k, "labour_pool"), (
                    "a feeder on its own shifts cannot draw from a labour pool (pools work the shop's shifts)")
        if feeder.supply == "to_stock":
            for k, st in enumerate(feeder.stations):
                if st.cycle_time is not None and set(st.cycle_time) != {ALL_MODELS}:
                    yield here + ("stations", k, "cycle_time"), (
                        "a feeder built to stock makes common parts: give one cycle time, not one per model")
                if not st.visited_by_all:
                    yield here + ("stations", k), "a feeder built to stock makes common parts: no visit rule"
            continue
        # parts that belong to a car: they must arrive in the order the cars do
        if flow_of[feeder.joins] != "main" or feeder.joins in in_branch:
            yield here + ("joins",), (f"{feeder.joins!r} is on {flow_of[feeder.joins]}: parts built for a car "
                                      "(in sequence, or its own) join a station of the main flow outside parallel "
                                      "sections; build this feeder to stock")
            continue
        for k, st in enumerate(feeder.stations):
            if st.line is None and st.conveyor is None and (st.servers > 1 or not st.visited_by_all):
                yield here + ("stations", k), (
                    f"{st.name!r} lets parts overtake ({'parallel servers' if st.servers > 1 else 'some parts pass it by'}): "
                    "a feeder of parts for each car keeps their order; use one server, a paced line, or build to stock")
        key = "taken_off_at" if feeder.supply == "own_part" else "called_off_at"
        start = sent_from(shop, feeder)
        if start not in order:
            where = flow_of.get(start)
            yield here + (key,), (f"{start!r} is " + (f"a station of {where}" if where else "not a station of this shop")
                                  + f": give a station of the main flow; main flow: {order}")
            continue
        if start in in_branch:
            yield here + (key,), f"{start!r} is in a parallel branch: the cars' order is not kept there"
            continue
        if start in loop:
            yield here + (key,), f"{start!r} lies in the quality loop: a reworked car would pass it twice"
            continue
        a, b = order.index(start), order.index(feeder.joins)
        if a >= b:
            yield here + (key,), (
                f"the part must come off before it is refitted: {start!r} is not before {feeder.joins!r}"
                if feeder.supply == "own_part" else
                f"a car's part is called off when the car is done at {start!r}, which is not before the join "
                f"{feeder.joins!r}: call it off at an earlier station")
            continue
        for st in main[a + 1:b + 1]:
            reason = _overtakes(st, shop, in_branch, loop)
            if reason:
                yield here + (key,), (f"between {start!r} and the join {feeder.joins!r} cars can change order at "
                                      f"{st.name!r} ({reason}): parts for each car would meet the wrong car; "
                                      "call off after it, or build to stock")
                break
        if feeder.carriers is not None:
            yield from _check_carriers(here, feeder, main[a:b + 1])
    yield from _check_feeder_cycles(path, shop, owner)


def _check_carriers(here: tuple, feeder, between: list) -> Iterator[Problem]:
    """Too few carriers jam the flow for good. With every carrier out, the take-off stands with its car and the
    flow after it drains, except the paced lines: a paced line indexes only when a car enters it, so it waits with
    a car on every station but its first, each car's part out (the one at the join is refitted only as the next
    car enters). Buffers, free-flow stations and conveyors (which move on with a gap) drain. The take-off's own
    line, if paced, stands after its work: its stations after the take-off hold cars without their parts, up to
    the join (whose car was refitted as the index began). With no more carriers than all those cars, nothing
    ever brings one back. ``between``: the main flow's stations from the take-off to the join."""
    take_off, join = between[0], between[-1]
    held = []
    for previous, st in zip(between, between[1:]):
        if st.line is None or st is join and st.line == take_off.line:
            continue
        if st.line == take_off.line or st.line == previous.line:  # not the first station of a line waiting for a car
            held.append(st)
    if feeder.carriers <= len(held):
        lines = ", ".join(dict.fromkeys(repr(st.line) for st in held))
        yield here + ("carriers",), (
            f"{feeder.carriers} carrier{'s' if feeder.carriers != 1 else ''} would jam paced line"
            f"{'s' if ',' in lines else ''} {lines}: {len(held)} of {'their' if ',' in lines else 'its'} stations "
            f"between {take_off.name!r} and the join {join.name!r} can hold a car whose part is out while the "
            f"take-off stands for a carrier only those cars can bring back; give at least {len(held) + 1}")


def _overtakes(st: Station, shop: Shop, in_branch: set, loop: set) -> str:
    """Why cars can change order at a main-flow station (empty: they cannot)."""
    if st.name in in_branch:
        return "a parallel section"
    if st.line is None and st.conveyor is None and st.servers > 1:
        return f"{st.servers} parallel servers"
    if st.line is None and st.conveyor is None and not st.visited_by_all:
        return "some cars pass it by"
    if st.name in loop:
        return "the quality loop"
    return ""


def _quality_loop(shop: Shop, order: list[str]) -> set[str]:
    """Main-flow stations between a rework re-entry and the inspection, both included: the stations a
    reworked car passes again, or (a re-entry after the inspection) the ones it skips, overtaken."""
    quality = shop.quality
    if quality is None or quality.inspection not in order:
        return set()
    ends = [order.index(quality.inspection)] + [order.index(p.reenter) for p in quality.rework if p.reenter in order]
    return set(order[min(ends):max(ends) + 1])


def _check_feeder_cycles(path: tuple, shop: Shop, owner: dict[str, str]) -> Iterator[Problem]:
    for name, feeder in shop.feeders.items():
        seen, current = [name], feeder
        if owner.get(feeder.joins) == name:
            continue  # joining its own station: reported on its own
        while current.joins in owner:
            nxt = owner[current.joins]
            if nxt in seen:
                yield path + ("feeders", name, "joins"), (
                    f"feeders join each other in a circle: {' -> '.join(seen + [nxt])}")
                break
            seen.append(nxt)
            current = shop.feeders[nxt]


def _check_downtime(path: tuple, shop: Shop, placed) -> Iterator[Problem]:
    """Outages and the run-in cover stations and paced lines of the shop that work the shop's shifts (their times
    are in its shift time); a run-in fits in a shift."""
    flow_of = {station.name: flow for _, station, flow in placed}
    flow_of.update({station.line: flow for _, station, flow in placed if station.line is not None})
    own_shifts = {f"feeder {name}" for name, feeder in shop.feeders.items() if feeder.shifts is not None}
    covering = [(("outages", k), outage.covers) for k, outage in enumerate(shop.outages)]
    if shop.run_in is not None:
        covering.append((("run_in",), shop.run_in.covers))
        if shop.run_in.length > shop.shifts.length:
            yield path + ("run_in", "length"), "the run-in is longer than a shift"
    for where, covers in covering:
        for j, name in enumerate(covers or []):
            flow = flow_of.get(name)
            if flow is None:
                yield path + where + ("covers", j), f"{name!r} is neither a station nor a paced line of this shop{did_you_mean(name, flow_of)}"
            elif flow in own_shifts:
                yield path + where + ("covers", j), (f"{name!r} is on {flow}, which works its own shifts: outages "
                                                     "and the run-in run on the shop's shift time")
