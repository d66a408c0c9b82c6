"""Hypothesis strategies: random valid small plant scenarios, as plain YAML-like dicts.

Every scenario drawn here must pass ``validate_scenario``: 1-3 shops (with or
without stores between them), each with its own shifts (continuous, 1-3
shifts, breaks), free stations with 1-3 servers and any distribution of cycle
time (per model or not), conveyors, paced lines (takt or not, transfer time,
failures), buffer capacities including 0, failures on either clock, and an
optional quality gate with scrap and rework paths through off-line repair
stations or straight back. Launch is pull or Poisson/uniform arrivals; the
calendar is a bare day count or a dated one with weekends and a holiday.
Horizons are a few days with fractional warm-ups, so windows start and end
mid-shift. Times stay >= 20 s so a run costs well under a second.

``graph_scenarios`` draws plants that are graphs on the same frame: feeders,
parallel sections, visit rules, options, maintenance (see its section below).
"""

from __future__ import annotations

from hypothesis import strategies as st

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


@st.composite
def distributions(draw, low=20, high=200):
    """A time in seconds: a number, a duration string or a distribution mapping."""
    mean = draw(st.integers(low, high))
    kind = draw(st.sampled_from(["number", "string", "exponential", "uniform", "triangular",
                                 "normal", "lognormal", "empirical"]))
    if kind == "number":
        return mean
    if kind == "string":
        return f"{mean / 60:.3f} min"
    if kind == "exponential":
        return {"dist": "exponential", "mean": mean}
    if kind == "uniform":
        return {"dist": "uniform", "low": mean // 2, "high": mean + mean // 2}
    if kind == "triangular":
        return {"dist": "triangular", "low": mean // 2, "mode": mean, "high": 2 * mean}
    if kind == "normal":
        return {"dist": "normal", "mean": mean, "sd": mean // 4, "low": mean // 4}
    if kind == "lognormal":
        return {"dist": "lognormal", "mean": mean, "sd": max(1, mean // 3)}
    values = draw(st.lists(st.integers(low, high), min_size=1, max_size=4))
    weights = draw(st.none() | st.just([1.0 + i for i in range(len(values))]))
    return {"dist": "empirical", "values": values} | ({"weights": weights} if weights else {})


def cycle_times(models, fixed=False, low=20, high=200):
    """One time for all models or a per-model mapping (with or without 'default')."""
    one = st.integers(low, high) if fixed else distributions(low, high)

    @st.composite
    def build(draw):
        if len(models) == 1 or draw(st.booleans()):
            return draw(one)
        named = draw(st.lists(st.sampled_from(models), unique=True, min_size=1, max_size=len(models)))
        mapping = {m: draw(one) for m in named}
        if set(named) != set(models) or draw(st.booleans()):
            mapping["default"] = draw(one)
        return mapping

    return build()


@st.composite
def failure_specs(draw, calendar_allowed=True):
    """Breakdowns; paced-line stations and conveyors only take the operating clock."""
    clock = draw(st.sampled_from(["operating", "calendar"] if calendar_allowed else ["operating"]))
    if draw(st.booleans()):
        spec = {"mtbf": f"{draw(st.integers(20, 240))} min", "mttr": draw(st.integers(60, 1200))}
    else:
        spec = {"time_between": draw(distributions(1200, 14400)), "time_to_repair": draw(distributions(60, 1200))}
    return spec | {"clock": clock}


@st.composite
def shifts(draw):
    if draw(st.booleans()):
        return {"count": 1, "start": "00:00", "length": "24 h"}
    count = draw(st.integers(1, 3))
    length_h = draw(st.sampled_from([h for h in (6, 7, 8) if count * h <= 24]))
    start_h = draw(st.integers(0, 23 if count * length_h < 24 else 0))
    out = {"count": count, "start": f"{start_h:02d}:{draw(st.sampled_from([0, 30])):02d}", "length": f"{length_h} h"}
    if draw(st.booleans()):
        out["breaks"] = [{"after": f"{draw(st.integers(1, length_h - 2))} h",
                          "length": f"{draw(st.integers(10, 45))} min"}]
    return out


@st.composite
def shop_specs(draw, shop, models):
    """A shop: flow units (free stations, conveyors, paced lines), maybe a quality gate."""
    stations, lines, entries, inspections = [], {}, [], []
    n_units = draw(st.integers(1, 4))
    for u in range(n_units):
        kind = draw(st.sampled_from(["free", "free", "conveyor", "line"]))
        buffer_before = draw(st.none() | st.integers(0, 3))
        extra = {} if buffer_before is None else {"buffer_before": buffer_before}
        if kind == "free":
            name = f"{shop}_f{u}"
            st_spec = {"name": name, "servers": draw(st.integers(1, 3)), "cycle_time": draw(cycle_times(models))}
            if draw(st.integers(0, 2)) == 0:
                st_spec["failures"] = draw(failure_specs())
            stations.append(st_spec | extra)
            entries.append(name)
            inspections.append(name)
        elif kind == "conveyor":
            name = f"{shop}_c{u}"
            pitch = draw(st.integers(30, 120))
            transit = pitch * draw(st.integers(1, 15)) + draw(st.integers(0, pitch - 1))
            st_spec = {"name": name, "conveyor": {"transit_time": transit, "pitch": pitch}}
            if draw(st.integers(0, 3)) == 0:
                st_spec["failures"] = draw(failure_specs(calendar_allowed=False))
            stations.append(st_spec | extra)
            entries.append(name)
            inspections.append(name)
        else:
            line = f"L{u}"
            spec = {}
            if draw(st.booleans()):
                spec["takt"] = draw(st.integers(40, 150))
            if draw(st.booleans()):
                spec["transfer_time"] = draw(st.integers(0, 15))
            lines[line] = spec
            n = draw(st.integers(1, 3))
            for k in range(n):
                st_spec = {"name": f"{shop}_l{u}_{k}", "line": line,
                           "cycle_time": draw(cycle_times(models, fixed=True, low=20, high=140))}
                if draw(st.integers(0, 3)) == 0:
                    st_spec["failures"] = draw(failure_specs(calendar_allowed=False))
                if k == 0:
                    st_spec |= extra
                stations.append(st_spec)
            entries.append(f"{shop}_l{u}_0")
            inspections.append(f"{shop}_l{u}_{n - 1}")
    out = {"shifts": draw(shifts()), "buffer_capacity": draw(st.integers(0, 3)), "stations": stations}
    if lines:
        out["lines"] = lines
    if draw(st.booleans()):
        fpy = draw(st.sampled_from([0.5, 0.7, 0.85, 0.95, 1.0]))
        scrap = draw(st.sampled_from([s for s in (0.0, 0.02, 0.1) if fpy + s <= 1]))
        n_paths = draw(st.integers(1, 2))
        shares = [1.0] if n_paths == 1 else [0.4, 0.6]
        paths = []
        for j, share in enumerate(shares):
            path = {"share": share, "reenter": draw(st.sampled_from(entries))}
            if draw(st.booleans()):
                repair = f"{shop}_r{j}"
                stations.append({"name": repair, "off_line": True, "servers": draw(st.integers(1, 3)),
                                 "cycle_time": draw(cycle_times(models, low=60, high=900))}
                                | ({"buffer_before": draw(st.integers(0, 2))} if draw(st.booleans()) else {}))
                path["repair"] = repair
            paths.append(path)
        out["quality"] = {"inspection": draw(st.sampled_from(inspections)), "first_pass_yield": fpy,
                          "scrap": scrap, "rework": paths}
    return out


@st.composite
def scenarios(draw):
    """A raw scenario dict (as from YAML) that validate_scenario accepts."""
    return draw(plants(lambda draw, models, n_shops: ({f"s{i}": draw(shop_specs(f"s{i}", models))
                                                        for i in range(n_shops)}, [])))


@st.composite
def plants(draw, make_shops, n_shops=(1, 3), days=(2, 2.5, 3, 4)):
    """A raw scenario around the shops and options ``make_shops(draw, models, n_shops)`` draws:
    product mix, stores, calendar, horizon, launch."""
    n_models = draw(st.integers(1, 3))
    models = [f"M{i}" for i in range(n_models)]
    weights = draw(st.lists(st.integers(1, 5), min_size=n_models, max_size=n_models))
    shares = [w / sum(weights) for w in weights]
    shares[-1] = 1.0 - sum(shares[:-1])
    product = {"models": [{"name": m, "share": s, "export_share": draw(st.sampled_from([0.0, 0.3, 1.0])),
                           "work_content": draw(st.sampled_from([0.8, 1.0, 1.2]))}
                          for m, s in zip(models, shares)],
               "sequence": draw(st.sampled_from(["levelled", "random"]))}
    n_shops = draw(st.integers(*n_shops))
    shops, options = make_shops(draw, models, n_shops)
    if options:
        product["options"] = options
    stores = [{"name": f"store{i}", "after": f"s{i}", "capacity": draw(st.integers(0, 30))}
              for i in range(n_shops - 1) if draw(st.booleans())]
    if draw(st.integers(0, 2)) > 0:
        calendar = {"working_days_per_year": draw(st.integers(200, 300))}
    else:
        calendar = {"start_date": draw(st.sampled_from(["2025-01-01", "2025-03-07", "2025-06-14"])),
                    "weekdays": draw(st.lists(st.sampled_from(WEEKDAYS), unique=True, min_size=3, max_size=7)),
                    "holidays": ["2025-01-02", "2025-03-10"]}
    raw = {
        "name": "prop",
        "seed": draw(st.integers(0, 1000)),
        "calendar": calendar,
        "horizon": {"days": draw(st.sampled_from(days)),
                    "warmup_days": draw(st.sampled_from([0, 0.3, 0.5, 1]))},
        "product": product,
        "shops": shops,
        "target": {"annual_units": 50000},
    }
    if draw(st.booleans()):
        raw["launch"] = {"interarrival": draw(st.sampled_from([
            {"dist": "exponential", "mean": draw(st.integers(40, 200))},
            {"dist": "uniform", "low": 30, "high": draw(st.integers(60, 240))},
            draw(st.integers(40, 200)),
        ]))}
    if stores:
        raw["stores"] = stores
    return raw


# ================================================================ plants as graphs
#
# ``graph_scenarios`` draws plants with the graph features on top of the above: feeders of each supply
# (in sequence, to stock, the car's own part) made of free-flow stations, paced lines or conveyors,
# joining main-flow stations, stations of a parallel branch or (to stock) another feeder's stations;
# parallel sections with 2-3 branches under each rule; stations only some models or the cars with an
# option visit (free-flow stations not first of their flow, and paced-line stations); options with take
# rates; planned maintenance; feeders on their own shifts; quality loops where the loader allows them.
#
# Every plant drawn is one the loader accepts: the strategy keeps to the rules of
# ``sim/scenario/references.py`` by construction (which stations can take a visit rule, which
# call-off / join pairs keep the cars' order, what a feeder may join), so no example is thrown away
# (test_random_graphs.test_graph_strategy_covers_every_feature validates every draw). It is stricter
# than the loader in one place: no call-off / join pair spans a quality re-entry downstream of its
# inspection, a layout the loader accepts but the engine breaks on (see graph_shop_specs).

VISIT_SHARES = [0.0, 0.25, 0.5, 1.0]


@st.composite
def option_specs(draw, models):
    """0-2 options, each with a take rate for some models (and maybe a default)."""
    out = []
    for k in range(draw(st.integers(0, 2))):
        named = draw(st.lists(st.sampled_from(models), unique=True, max_size=len(models)))
        rates = {m: draw(st.sampled_from(VISIT_SHARES)) for m in named}
        if not named or draw(st.booleans()):
            rates["default"] = draw(st.sampled_from(VISIT_SHARES[1:]))
        out.append({"name": f"opt{k}", "take_rate": rates})
    return out


@st.composite
def visit_rules(draw, models, options):
    """A visit rule: {'models': [...]} or {'option': name} (never empty: some rule is always drawn)."""
    if options and draw(st.booleans()):
        return {"option": draw(st.sampled_from(options))}
    return {"models": draw(st.lists(st.sampled_from(models), unique=True, min_size=1, max_size=len(models)))}


@st.composite
def flow_units(draw, prefix, models, options, *, units=(1, 3), kinds=("free", "free", "conveyor", "line"),
               max_servers=3, rules="anywhere", per_model=True, low=20, high=200, fixed=False):
    """The stations of one flow (the main flow, a branch or a feeder), in units: a free-flow station,
    a conveyor, or a paced line of 1-3 stations.

    ``rules``: where visit rules may go: 'anywhere' (free-flow stations but the flow's first, and
    paced-line stations), 'lines' (paced-line stations only: parts for each car keep their order), 'none'.
    ``per_model``: cycle times may differ per model (not in a feeder built to stock).
    ``fixed``: every time fixed and no failures (a deterministic plant: ties at equal times everywhere).
    Returns (units, lines): units a list of lists of (station spec, meta), lines the paced lines declared.
    """
    out, lines = [], {}
    all_models = models if per_model else ["common"]
    n_units = draw(st.integers(*units))
    for u in range(n_units):
        kind = draw(st.sampled_from(kinds))
        buffer_before = draw(st.none() | st.integers(0, 3))
        extra = {} if buffer_before is None else {"buffer_before": buffer_before}
        first_of_flow = u == 0
        if kind == "free":
            name = f"{prefix}f{u}"
            servers = draw(st.sampled_from([n for n in (1, 1, 2, 3) if n <= max_servers]))
            spec = {"name": name, "servers": servers,
                    "cycle_time": draw(cycle_times(all_models, fixed=fixed, low=low, high=high))}
            if not fixed and draw(st.integers(0, 3)) == 0:
                spec["failures"] = draw(failure_specs())
            if rules == "anywhere" and not first_of_flow and draw(st.integers(0, 3)) == 0:
                spec |= draw(visit_rules(models, options))
            out.append([(spec | extra, {"name": name, "kind": "free", "servers": spec["servers"],
                                        "rule": "models" in spec or "option" in spec, "first": True, "last": True})])
        elif kind == "conveyor":
            name = f"{prefix}c{u}"
            pitch = draw(st.integers(max(20, low), max(40, high // 2)))
            transit = pitch * draw(st.integers(1, 8)) + draw(st.integers(0, pitch - 1))
            spec = {"name": name, "conveyor": {"transit_time": transit, "pitch": pitch}}
            if not fixed and draw(st.integers(0, 3)) == 0:
                spec["failures"] = draw(failure_specs(calendar_allowed=False))
            out.append([(spec | extra, {"name": name, "kind": "conveyor", "servers": 1, "rule": False,
                                        "first": True, "last": True})])
        else:
            line = f"{prefix}L{u}"
            spec = {}
            if draw(st.booleans()):
                spec["takt"] = draw(st.integers(max(40, low), max(150, high)))
            if draw(st.booleans()):
                spec["transfer_time"] = draw(st.integers(0, 15))
            lines[line] = spec
            n = draw(st.integers(1, 3))
            unit = []
            for k in range(n):
                name = f"{prefix}l{u}_{k}"
                spec = {"name": name, "line": line,
                        "cycle_time": draw(cycle_times(all_models, fixed=True, low=low, high=min(high, 140)))}
                if not fixed and draw(st.integers(0, 3)) == 0:
                    spec["failures"] = draw(failure_specs(calendar_allowed=False))
                if rules != "none" and draw(st.integers(0, 2)) == 0:
                    spec |= draw(visit_rules(models, options))
                if k == 0:
                    spec |= extra
                unit.append((spec, {"name": name, "kind": "line", "servers": 1,
                                    "rule": "models" in spec or "option" in spec,
                                    "first": k == 0, "last": k == n - 1}))
            out.append(unit)
    return out, lines


def _specs(units):
    return [spec for unit in units for spec, _ in unit]


def _metas(units):
    return [meta for unit in units for _, meta in unit]


@st.composite
def branch_models(draw, models, rule, n_branches):
    """The models each branch takes (None: every model); every model is taken by some branch."""
    if rule == "by_model":
        order = draw(st.permutations(models))
        cuts = sorted(draw(st.permutations(range(1, len(models))))[:n_branches - 1])
        bounds = [0] + cuts + [len(models)]
        return [list(order[a:b]) for a, b in zip(bounds, bounds[1:])]
    taken = [draw(st.none() | st.lists(st.sampled_from(models), unique=True, min_size=1, max_size=len(models)))
             if draw(st.integers(0, 2)) == 0 else None for _ in range(n_branches)]
    if all(t is not None for t in taken):
        missing = [m for m in models if not any(m in t for t in taken)]
        taken[-1] = taken[-1] + missing
    return taken


@st.composite
def parallel_sections(draw, prefix, models, options, fixed=False):
    """A parallel section of 2-3 branches under one rule; returns (item, lines, branch metas)."""
    rules = ["alternate", "shortest_queue"] + (["by_model"] if len(models) >= 2 else [])
    rule = draw(st.sampled_from(rules))
    n_branches = draw(st.integers(2, 3 if rule != "by_model" else min(3, len(models))))
    taken = draw(branch_models(models, rule, n_branches))
    branches, lines, metas = [], {}, []
    for b, models_b in enumerate(taken):
        units, lines_b = draw(flow_units(f"{prefix}b{b}", models, options, units=(1, 2), low=40, high=300,
                                         fixed=fixed))
        lines |= lines_b
        branch = {"name": f"{prefix}b{b}", "stations": _specs(units)}
        if models_b is not None:
            branch["models"] = models_b
        branches.append(branch)
        metas += _metas(units)
    return {"parallel": prefix, "rule": rule, "branches": branches}, lines, metas


def _call_off_pairs(order, meta, loop):
    """(call-off or take-off station, join) pairs of the main flow that keep the cars' order between them,
    as references._check_feeders requires."""
    def overtakes(name):
        m = meta[name]
        return m["branch"] or name in loop or (m["kind"] == "free" and (m["servers"] > 1 or m["rule"]))
    pairs = []
    for a, start in enumerate(order):
        if meta[start]["branch"] or start in loop:
            continue
        for b in range(a + 1, len(order)):
            join = order[b]
            if overtakes(join):
                break
            if meta[join]["kind"] != "conveyor":
                pairs.append((start, join))
    return pairs


@st.composite
def graph_shop_specs(draw, shop, models, options, feeders=(0, 3), fixed=False):
    """A shop as a graph: main flow with parallel sections and visit rules, maybe a quality loop,
    0-3 feeders of any supply, maybe planned maintenance."""
    main_units, lines = draw(flow_units(f"{shop}m", models, options, units=(2, 5), fixed=fixed))
    items = [[spec for spec, _ in unit] for unit in main_units]
    metas = [[meta | {"branch": False} for _, meta in unit] for unit in main_units]
    for k in range(draw(st.integers(0, 2))):  # parallel sections, never first
        at = draw(st.integers(1, len(items)))
        section, lines_p, metas_p = draw(parallel_sections(f"{shop}p{k}", models, options, fixed=fixed))
        lines |= lines_p
        items.insert(at, [section])
        metas.insert(at, [meta | {"branch": True} for meta in metas_p])
    stations = [spec for item in items for spec in item]
    meta = {m["name"]: m for item in metas for m in item}
    order = [m["name"] for item in metas for m in item]  # the main flow, branches flattened (main_stations)
    out = {"shifts": draw(shifts()), "buffer_capacity": draw(st.integers(0, 3)), "stations": stations}

    loop = set()
    inspections = [n for n in order if not meta[n]["branch"] and not meta[n]["rule"] and meta[n]["last"]]
    entries = [n for n in order if not meta[n]["branch"] and not meta[n]["rule"] and meta[n]["first"]]
    if inspections and entries and draw(st.integers(0, 3)) == 0:
        fpy = draw(st.sampled_from([0.5, 0.7, 0.85, 0.95, 1.0]))
        scrap = draw(st.sampled_from([s for s in (0.0, 0.02, 0.1) if fpy + s <= 1]))
        shares = [1.0] if draw(st.booleans()) else [0.4, 0.6]
        inspection = draw(st.sampled_from(inspections))
        # mostly back upstream of the inspection (a short loop leaves room for feeders), now and then on
        back = [n for n in entries if order.index(n) <= order.index(inspection)]
        paths = []
        for j, share in enumerate(shares):
            path = {"share": share,
                    "reenter": draw(st.sampled_from(back if back and draw(st.integers(0, 3)) else entries))}
            if draw(st.booleans()):
                repair = f"{shop}_r{j}"
                stations.append({"name": repair, "off_line": True, "servers": draw(st.integers(1, 3)),
                                 "cycle_time": draw(cycle_times(models, fixed=fixed, low=60, high=900))})
                path["repair"] = repair
            paths.append(path)
        out["quality"] = {"inspection": inspection, "first_pass_yield": fpy, "scrap": scrap, "rework": paths}
        end = order.index(inspection)
        starts = [order.index(p["reenter"]) for p in paths]
        # as references._quality_loop: between the inspection and every re-entry, before or after it (a
        # re-entry after the inspection lets the failing cars skip the stations up to it and overtake)
        loop = set(order[min(starts + [end]):max(starts + [end]) + 1])

    pairs = _call_off_pairs(order, meta, loop)
    joinable = [n for n in order if meta[n]["kind"] != "conveyor" and n not in loop]  # to stock: any flow station
    feeders_out = {}
    for i in range(draw(st.integers(*feeders))):
        name = f"{shop}F{i}"
        supply = draw(st.sampled_from(["in_sequence", "own_part", "to_stock"] if pairs else ["to_stock"]))
        if supply == "to_stock" and not joinable:
            continue  # every main-flow station is a conveyor or in the quality loop: nothing to join
        if supply == "to_stock":
            # one server or more, one cycle time for every part, no visit rule
            units, lines_f = draw(flow_units(name, models, options, units=(1, 2), rules="none", per_model=False,
                                             fixed=fixed))
            feeder = {"joins": draw(st.sampled_from(joinable)), "built": "to_stock"}
        else:
            # parts for each car keep their order: one server, visit rules only on paced lines
            units, lines_f = draw(flow_units(name, models, options, units=(1, 2), max_servers=1, rules="lines",
                                             fixed=fixed))
            start, join = draw(st.sampled_from(pairs))
            feeder = {"joins": join}
            key = "taken_off_at" if supply == "own_part" else "called_off_at"
            if supply == "own_part" or start != order[0] or draw(st.booleans()):
                feeder[key] = start
            if supply == "in_sequence" and draw(st.booleans()):
                feeder["built"] = "in_sequence"
        lines |= lines_f
        feeder["stations"] = _specs(units)
        if draw(st.booleans()):
            feeder["buffer"] = draw(st.integers(0, 3))
        if draw(st.integers(0, 3)) == 0:
            feeder["shifts"] = draw(shifts())
        feeders_out[name] = feeder
        # a later feeder built to stock may join this one's stations (never a circle: only earlier feeders)
        joinable += [m["name"] for m in _metas(units) if m["kind"] != "conveyor"]
    if feeders_out:
        out["feeders"] = feeders_out
    if lines:
        out["lines"] = lines
    if draw(st.integers(0, 2)) == 0:
        maintenance = {}
        if draw(st.booleans()):
            maintenance["between_days"] = draw(st.sampled_from(["0 h", "30 min", "2 h", "6 h", "16 h"]))
        if draw(st.booleans()):
            maintenance["days_off"] = draw(st.sampled_from(["0 h", "4 h", "24 h"]))
        preventive = draw(st.sampled_from([None, True, False]))
        if preventive is not None:
            maintenance["preventive"] = preventive
        out["maintenance"] = maintenance
    return out


@st.composite
def graph_scenarios(draw, n_shops=(1, 2), feeders=(1, 3), days=(2, 2.5, 3)):
    """A raw scenario dict whose shops are graphs (see ``graph_shop_specs``) that validate_scenario accepts.

    A quarter of the plants are deterministic (every time fixed, no failures, a fixed launch interval):
    events fall at equal times all over, where the order of simultaneous events decides what happens.
    """
    fixed = draw(st.integers(0, 3)) == 0

    def make_shops(draw, models, count):
        options = draw(option_specs(models))
        names = [o["name"] for o in options]
        return {f"s{i}": draw(graph_shop_specs(f"s{i}", models, names, feeders=feeders, fixed=fixed))
                for i in range(count)}, options

    raw = draw(plants(make_shops, n_shops=n_shops, days=days))
    if fixed and "launch" in raw:
        raw["launch"] = {"interarrival": draw(st.integers(40, 200))}
    return raw


def _time_kind(spec) -> str:
    """'random' when a cycle time is a distribution other than a fixed number, else 'fixed'."""
    times = spec.values() if isinstance(spec, dict) and "dist" not in spec else [spec]
    return "random" if any(isinstance(t, dict) and t.get("dist") != "fixed" for t in times) else "fixed"


def graph_features(raw) -> set[str]:
    """What a drawn plant contains, for coverage counts (hypothesis events, the coverage test)."""
    out = set()

    def station(spec, where):
        kind = "conveyor" if "conveyor" in spec else "line" if "line" in spec else \
            "off_line" if spec.get("off_line") else "free"
        out.add(f"{where} station: {kind}")
        if kind == "free" and where != "main":
            out.add(f"{where} station: free, {spec.get('servers', 1)} server(s)")
        if "cycle_time" in spec:
            out.add(f"cycle time: {_time_kind(spec['cycle_time'])}")
        for rule in ("models", "option"):
            if rule in spec:
                out.add(f"visit rule {rule}: {where} {kind}")
                out.add(f"visit rule: {where.split()[0]} {kind}")
        if "failures" in spec:
            out.add(f"failures: {spec['failures']['clock']}")

    names = {}
    for shop in raw["shops"].values():
        for item in shop["stations"]:
            if "parallel" in item:
                out.add(f"parallel: {item['rule']}, {len(item['branches'])} branches")
                out.add(f"parallel: {item['rule']}")
                out.add(f"parallel: {len(item['branches'])} branches")
                if any("models" in b for b in item["branches"]) and item["rule"] != "by_model":
                    out.add(f"parallel: {item['rule']} with branch models")
                for b in item["branches"]:
                    for spec in b["stations"]:
                        station(spec, "branch")
                        names[spec["name"]] = "branch"
            else:
                station(item, "main")
                names[item["name"]] = "main"
        feeders = shop.get("feeders", {})
        out.add(f"feeders in a shop: {len(feeders)}")
        for feeder in feeders.values():
            supply = "own_part" if "taken_off_at" in feeder else feeder.get("built", "in_sequence")
            out.add(f"feeder: {supply}")
            for spec in feeder["stations"]:
                station(spec, f"feeder {supply}")
                names[spec["name"]] = "feeder"
            out.add(f"feeder {supply} joins a station of: {names[feeder['joins']]}")
            if supply == "in_sequence" and "called_off_at" not in feeder:
                out.add("feeder in_sequence called off at the shop's first station (default)")
            if "shifts" in feeder:
                out.add("feeder on its own shifts")
            if feeder.get("buffer") == 0:
                out.add("feeder buffer 0")
        if "quality" in shop:
            out.add("quality loop")
            if feeders:
                out.add("quality loop and feeders in one shop")
        if "maintenance" in shop:
            out.add("maintenance" + (", preventive" if shop["maintenance"].get("preventive") else ""))
    if raw["product"].get("options"):
        out.add("options")
    if "launch" in raw:
        out.add("launch: arrivals")
    if not any(f.startswith("cycle time: random") or f.startswith("failures") for f in out):
        out.add("plant: every time fixed")
    out.add(f"models: {len(raw['product']['models'])}")
    out.add(f"shops: {len(raw['shops'])}")
    return out
