"""Cross-reference checks that a single field cannot make.

Each check yields ``(path, message)`` with the path as a tuple of keys and
indices, so the loader can print the YAML path of every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from .schema import Scenario, Shop
from .topology import line_first, line_last
from .units import ALL_MODELS

Problem = tuple[tuple, str]


def check_references(scenario: Scenario) -> list[Problem]:
    """Every cross-reference problem of a schema-valid scenario."""
    problems: list[Problem] = []
    models = set(scenario.model_names)
    shop_names = list(scenario.shops)
    for shop_name, shop in scenario.shops.items():
        problems.extend(_check_shop(("shops", shop_name), shop, models))
    problems.extend(_check_stores(scenario, shop_names))
    problems.extend(_check_staffing(scenario, shop_names))
    return problems


def _check_shop(path: tuple, shop: Shop, models: set[str]) -> Iterator[Problem]:
    names = [s.name for s in shop.stations]
    index = {}
    for i, station in enumerate(shop.stations):
        here = path + ("stations", i)
        if station.name in index:
            yield here + ("name",), f"station name {station.name!r} repeats stations[{index[station.name]}]"
        index.setdefault(station.name, i)
        yield from _check_models(here, station, models)
    yield from _check_lines(path, shop)
    in_flow = [s for s in shop.stations if not s.off_line]
    if not in_flow:
        yield path + ("stations",), "every station is off_line: a shop needs at least one station in the flow"
    yield from _check_quality(path, shop, names)


def _check_models(path: tuple, station, models: set[str]) -> Iterator[Problem]:
    for key, per_model in (("cycle_time", station.cycle_time), ("operators", station.operators)):
        if not per_model:
            continue
        for model in per_model:
            if model != ALL_MODELS and model not in models:
                yield path + (key, model), (
                    f"{model!r} is not a model of the product mix; allowed: {sorted(models)} or 'default'")
        if key == "cycle_time" and ALL_MODELS not in per_model and set(per_model) != models:
            missing = sorted(models - set(per_model))
            yield path + (key,), f"no cycle time for {missing}: name every model or add a 'default'"


def _check_lines(path: tuple, shop: Shop) -> Iterator[Problem]:
    seen_runs: dict[str, int] = {}
    previous = None
    for i, station in enumerate(shop.stations):
        line = station.line
        if line is not None and line != previous:
            if line in seen_runs:
                yield path + ("stations", i, "line"), (
                    f"line {line!r} already ended at stations[{seen_runs[line]}]: "
                    "the stations of a paced line must be consecutive")
            if line not in shop.lines:
                yield path + ("stations", i, "line"), (
                    f"line {line!r} is not declared under lines; declared: {sorted(shop.lines) or 'none'}")
        if line is not None:
            seen_runs[line] = i
            if any(d.dist != "fixed" for d in station.cycle_time.values()):
                yield path + ("stations", i, "cycle_time"), (
                    "a paced-line station needs a fixed cycle time per model (the line indexes together); "
                    "model variable work as a free-flow station")
        previous = line
    for name in shop.lines:
        if name not in seen_runs:
            yield path + ("lines", name), f"line {name!r} has no stations (set 'line: {name}' on its stations)"


def _check_quality(path: tuple, shop: Shop, names: list[str]) -> Iterator[Problem]:
    quality = shop.quality
    if quality is None:
        return
    here = path + ("quality",)
    by_name = {s.name: s for s in shop.stations}
    allowed = f"stations of this shop: {names}"
    inspection = by_name.get(quality.inspection)
    if inspection is None:
        yield here + ("inspection",), f"no station {quality.inspection!r}; {allowed}"
    elif inspection.off_line:
        yield here + ("inspection",), "the inspection station must be in the flow, not off_line"
    elif inspection.line is not None and line_last(shop, inspection.line) != inspection.name:
        yield here + ("inspection",), "an inspection inside a paced line must be the line's last station"
    repairs = set()
    for j, path_ in enumerate(quality.rework):
        where = here + ("rework", j)
        if path_.repair is not None:
            repair = by_name.get(path_.repair)
            if repair is None:
                yield where + ("repair",), f"no station {path_.repair!r}; {allowed}"
            elif not repair.off_line:
                yield where + ("repair",), f"repair station {path_.repair!r} must be marked off_line: true"
            repairs.add(path_.repair)
        target = by_name.get(path_.reenter)
        if target is None:
            yield where + ("reenter",), f"no station {path_.reenter!r} to re-enter at; {allowed}"
        elif target.off_line:
            yield where + ("reenter",), "cars must re-enter at a station in the flow, not an off_line one"
        elif target.line is not None and line_first(shop, target.line) != target.name:
            yield where + ("reenter",), "cars can re-enter a paced line only at its first station"
    for i, station in enumerate(shop.stations):
        if station.off_line and station.name not in repairs:
            yield path + ("stations", i, "off_line"), (
                f"off_line station {station.name!r} is not the repair of any quality rework path")


def _check_stores(scenario: Scenario, shop_names: list[str]) -> Iterator[Problem]:
    seen = {}
    for i, store in enumerate(scenario.stores):
        where = ("stores", i)
        if store.after not in shop_names:
            yield where + ("after",), f"no shop {store.after!r}; shops: {shop_names}"
        elif store.after == shop_names[-1]:
            yield where + ("after",), f"{store.after!r} is the last shop: a store must feed a following shop"
        elif store.after in seen:
            yield where + ("after",), f"shop {store.after!r} already feeds store {seen[store.after]!r}"
        seen.setdefault(store.after, store.name)


def _check_staffing(scenario: Scenario, shop_names: list[str]) -> Iterator[Problem]:
    staffing = scenario.staffing
    pools = {}
    for i, pool in enumerate(staffing.pools):
        where = ("staffing", "pools", i)
        if pool.name in pools:
            yield where + ("name",), f"pool name {pool.name!r} repeats"
        pools.setdefault(pool.name, pool)
        if pool.shop not in scenario.shops:
            yield where + ("shop",), f"no shop {pool.shop!r}; shops: {shop_names}"
        elif isinstance(pool.size, list) and len(pool.size) != scenario.shops[pool.shop].shifts.count:
            yield where + ("size",), (f"{len(pool.size)} sizes for the {scenario.shops[pool.shop].shifts.count} "
                                      f"shifts of {pool.shop!r}: give one per shift, or one number for all")
    for shop_name, shop in scenario.shops.items():
        for i, station in enumerate(shop.stations):
            if station.labour_pool is None:
                continue
            where = ("shops", shop_name, "stations", i, "labour_pool")
            pool = pools.get(station.labour_pool)
            if pool is None:
                yield where, (f"no labour pool {station.labour_pool!r}; "
                              f"pools: {sorted(pools) or 'none (declare them under staffing.pools)'}")
            elif pool.shop != shop_name:
                yield where, f"pool {pool.name!r} belongs to shop {pool.shop!r}, not {shop_name!r}"
    for i, role in enumerate(staffing.indirect):
        if role.shop is not None and role.shop not in scenario.shops:
            yield ("staffing", "indirect", i, "shop"), f"no shop {role.shop!r}; shops: {shop_names} (or omit it: plant-wide)"
    options = staffing.options
    for shop_name in options.shifts:
        if shop_name not in scenario.shops:
            yield ("staffing", "options", "shifts", shop_name), f"no shop {shop_name!r}; shops: {shop_names}"
    lines = [f"{name}.{line}" for name, shop in scenario.shops.items() for line in shop.lines]
    for key in options.takt:
        if key not in lines:
            yield ("staffing", "options", "takt", key), f"no paced line {key!r}; lines: {lines or 'none'}"
    for name in options.pools:
        if name not in pools:
            yield ("staffing", "options", "pools", name), f"no labour pool {name!r}; pools: {sorted(pools) or 'none'}"
