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
    n_models = draw(st.integers(1, 3))
    models = [f"M{i}" for i in range(n_models)]
    weights = draw(st.lists(st.integers(1, 5), min_size=n_models, max_size=n_models))
    shares = [w / sum(weights) for w in weights]
    shares[-1] = 1.0 - sum(shares[:-1])
    product = {"models": [{"name": m, "share": s, "export_share": draw(st.sampled_from([0.0, 0.3, 1.0])),
                           "work_content": draw(st.sampled_from([0.8, 1.0, 1.2]))}
                          for m, s in zip(models, shares)],
               "sequence": draw(st.sampled_from(["levelled", "random"]))}
    n_shops = draw(st.integers(1, 3))
    shops = {f"s{i}": draw(shop_specs(f"s{i}", models)) for i in range(n_shops)}
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
        "horizon": {"days": draw(st.sampled_from([2, 2.5, 3, 4])),
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
