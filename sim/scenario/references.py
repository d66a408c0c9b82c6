"""Cross-reference checks that a single field cannot make (those inside a shop: ``shop_references``).

Each check yields ``(path, message)`` with the path as a tuple of keys and
indices, so the loader can print the YAML path of every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterator

from .errors import did_you_mean, not_a_model
from .events import check_events
from .plan import Problem, check_plan
from .ramp import check_new_crews
from .schema import LAUNCH, Scenario
from .shop_references import check_shop
from .topology import all_stations, station_paths
from .units import ALL_MODELS


def check_references(scenario: Scenario) -> list[Problem]:
    """Every cross-reference problem of a schema-valid scenario."""
    problems: list[Problem] = []
    shop_names = list(scenario.shops)
    problems.extend(_check_options(scenario))
    problems.extend(_check_spacing(scenario))
    for shop_name, shop in scenario.shops.items():
        problems.extend(check_shop(("shops", shop_name), shop, scenario))
    problems.extend(_check_stores(scenario, shop_names))
    problems.extend(_check_staffing(scenario, shop_names))
    problems.extend(check_plan(scenario))
    problems.extend(_check_outbound(scenario))
    problems.extend(_check_learning(scenario))
    problems.extend(check_new_crews(scenario))
    problems.extend(_check_supply(scenario))
    problems.extend(check_events(scenario))
    return problems


def _check_options(scenario: Scenario) -> Iterator[Problem]:
    models = set(scenario.model_names)
    for i, option in enumerate(scenario.product.options):
        for model in option.take_rate:
            if model != "default" and model not in models:
                yield ("product", "options", i, "take_rate", model), (
                    not_a_model(model, sorted(models), or_default=True))


def _check_spacing(scenario: Scenario) -> Iterator[Problem]:
    """A spacing rule names a model of the mix or a declared option."""
    product = scenario.product
    models, options = scenario.model_names, [o.name for o in product.options]
    for i, rule in enumerate(product.spacing):
        where = ("product", "spacing", i)
        if rule.model is not None and rule.model not in models:
            yield where + ("model",), not_a_model(rule.model, models)
        if rule.option is not None and rule.option not in options:
            yield where + ("option",), (f"no option {rule.option!r}{did_you_mean(rule.option, options, 'options: ')}"
                                        f"{options or 'none (declare them under product.options)'}")


def _check_stores(scenario: Scenario, shop_names: list[str]) -> Iterator[Problem]:
    seen = {}
    for i, store in enumerate(scenario.stores):
        where = ("stores", i)
        if store.after not in shop_names:
            yield where + ("after",), (f"no shop {store.after!r}{did_you_mean(store.after, shop_names, 'shops: ')}"
                                       f"{shop_names}")
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
            yield where + ("shop",), f"no shop {pool.shop!r}{did_you_mean(pool.shop, shop_names, 'shops: ')}{shop_names}"
        elif isinstance(pool.size, list) and len(pool.size) != scenario.shops[pool.shop].shifts.count:
            yield where + ("size",), (f"{len(pool.size)} sizes for the {scenario.shops[pool.shop].shifts.count} "
                                      f"shifts of {pool.shop!r}: give one per shift, or one number for all")
    for shop_name, shop in scenario.shops.items():
        for place, station, _ in station_paths(shop):
            if station.labour_pool is None:
                continue
            where = ("shops", shop_name) + place + ("labour_pool",)
            pool = pools.get(station.labour_pool)
            if pool is None:
                yield where, (f"no labour pool {station.labour_pool!r}{did_you_mean(station.labour_pool, pools, 'pools: ')}"
                              f"{sorted(pools) or 'none (declare them under staffing.pools)'}")
            elif pool.shop != shop_name:
                yield where, f"pool {pool.name!r} belongs to shop {pool.shop!r}, not {shop_name!r}"
    for i, role in enumerate(staffing.indirect):
        if role.shop is not None and role.shop not in scenario.shops:
            yield ("staffing", "indirect", i, "shop"), (f"no shop {role.shop!r}{did_you_mean(role.shop, shop_names, 'shops: ')}"
                                                        f"{shop_names} (or omit it: plant-wide)")
        elif role.shop is not None:
            yield from _check_role_drivers(role, scenario.shops[role.shop], ("staffing", "indirect", i))
    options = staffing.options
    for shop_name in options.shifts:
        if shop_name not in scenario.shops:
            yield ("staffing", "options", "shifts", shop_name), (f"no shop {shop_name!r}{did_you_mean(shop_name, shop_names, 'shops: ')}"
                                                                 f"{shop_names}")
    lines = [f"{name}.{line}" for name, shop in scenario.shops.items() for line in shop.lines]
    for key in options.takt:
        if key not in lines:
            yield ("staffing", "options", "takt", key), (f"no paced line {key!r}{did_you_mean(key, lines, 'lines: ')}"
                                                         f"{lines or 'none'}")
    for name in options.pools:
        if name not in pools:
            yield ("staffing", "options", "pools", name), (f"no labour pool {name!r}{did_you_mean(name, pools, 'pools: ')}"
                                                           f"{sorted(pools) or 'none'}")


def _check_role_drivers(role, shop, where: tuple) -> Iterator[Problem]:
    """An indirect role's stations are its shop's; its rework load needs the shop's quality gate."""
    names = {station.name for station in all_stations(shop)}
    for j, name in enumerate(role.stations or []):
        if name not in names:
            yield where + ("stations", j), f"no station {name!r} in shop {role.shop!r}{did_you_mean(name, names)}"
    if role.rework is not None and shop.quality is None:
        yield where + ("rework",), (f"shop {role.shop!r} has no quality gate: the rework load is its failing cars "
                                    "(give the shop a quality section, or size the role otherwise)")


def _check_outbound(scenario: Scenario) -> Iterator[Problem]:
    """Per-model destination shares name models of the mix, and each model's shares over the destinations sum to 1."""
    outbound = scenario.outbound
    if outbound is None or not outbound.trains:
        return
    models = scenario.model_names
    for i, train in enumerate(outbound.trains):
        for model in train.share if isinstance(train.share, dict) else ():
            if model != "default" and model not in models:
                yield ("outbound", "trains", i, "share", model), (
                    not_a_model(model, models, or_default=True))
    wrong: dict[float, list[str]] = {}
    for model in models:
        total = sum(train.share_for(model) for train in outbound.trains)
        if abs(total - 1.0) > 1e-6:
            wrong.setdefault(round(total, 6), []).append(model)
    for total, named in wrong.items():
        which = "every model" if len(named) == len(models) else ", ".join(named)
        yield ("outbound", "trains"), (f"the destination shares sum to {total:.6g} for {which}; each model's "
                                       "export cars are shared out over the destinations: they must sum to 1")


def _check_learning(scenario: Scenario) -> Iterator[Problem]:
    """A shop's learning curves name a shop, and each curve has something to act on: a quality gate with
    failing cars for the yield (learning from below its mature value), stations with failures, stations with
    work times (a conveyor's transit does not learn)."""
    shop_names = list(scenario.shops)
    for name, learning in (scenario.learning or {}).items():
        where = ("learning", name)
        shop = scenario.shops.get(name)
        if shop is None:
            yield where, f"no shop {name!r}{did_you_mean(name, shop_names, 'shops: ')}{shop_names}"
            continue
        stations = [station for _, station, _ in station_paths(shop)]
        if learning.cycle_time is not None and all(st.conveyor is not None for st in stations):
            yield where + ("cycle_time",), (f"every station of {name!r} is a conveyor, whose transit is a process "
                                            "time that does not learn: leave the cycle_time curve out")
        if learning.failures is not None and not any(st.failures is not None for st in stations):
            yield where + ("failures",), f"no station of {name!r} has failures whose rate could learn"
        curve = learning.first_pass_yield
        if curve is None:
            continue
        if shop.quality is None:
            yield where + ("first_pass_yield",), (f"shop {name!r} has no quality gate (shops.{name}.quality) whose "
                                                  "first-pass yield could learn")
        elif shop.quality.first_pass_yield >= 1:
            yield where + ("first_pass_yield",), (f"shops.{name}.quality passes every car (first_pass_yield 1): "
                                                  "give a mature yield below 1, whose failing cars have their paths")
        elif curve.first > shop.quality.first_pass_yield:
            yield where + ("first_pass_yield", "first"), (
                f"{curve.first:g} is above the mature first_pass_yield {shop.quality.first_pass_yield:g} of "
                f"shops.{name}.quality: the first cars' yield is at most the mature one")


def _check_supply(scenario: Scenario) -> Iterator[Problem]:
    """Kits name routes, models and a consumption point that exist, every model has its kits, and the launch
    is a pull launch that can wait for them."""
    supply = scenario.supply
    if supply is None:
        return
    models, shops = scenario.model_names, list(scenario.shops)
    if scenario.launch is not None:
        yield ("launch", "interarrival"), (
            "kit supply needs the pull launch: a car is launched when its kits are there, while arrival-driven "
            "cars come whatever the stock; drop launch (or supply)")
    covered: set[str] = set()
    for name, kit in supply.kits.items():
        where = ("supply", "kits", name)
        if kit.route not in supply.routes:
            yield where + ("route",), (f"no route {kit.route!r}{did_you_mean(kit.route, supply.routes, 'routes: ')}"
                                       f"{sorted(supply.routes)}")
        if kit.taken_at != LAUNCH and kit.taken_at not in scenario.shops:
            yield where + ("taken_at",), (f"{kit.taken_at!r} is neither {LAUNCH!r} nor a shop{did_you_mean(kit.taken_at, shops, 'shops: ')}"
                                          f"{shops}")
        elif kit.taken_at == shops[0]:
            yield where + ("taken_at",), (f"cars enter the first shop {shops[0]!r} when they are launched: "
                                          f"write taken_at: {LAUNCH}")
        for j, model in enumerate(kit.models or []):
            if model not in models:
                yield where + ("models", j), not_a_model(model, models)
        for model in kit.per_container:
            if model != ALL_MODELS and model not in models:
                yield where + ("per_container", model), (
                    not_a_model(model, models, or_default=True))
        needing = [m for m in models if kit.covers(m)]
        if ALL_MODELS not in kit.per_container and not set(needing) <= set(kit.per_container):
            yield where + ("per_container",), (f"no per_container for {sorted(set(needing) - set(kit.per_container))}: "
                                               "name every model the kit covers or add a 'default'")
        covered.update(needing)
    missing = [m for m in models if m not in covered]
    if missing:
        yield ("supply", "kits"), (f"no kit for {missing}: with supply modelled every model needs its kits (a kit "
                                   "covers every model unless its models name some)")
