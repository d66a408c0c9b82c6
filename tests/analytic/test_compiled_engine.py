"""The compiled engine (sim.model.flow.des) against the SimPy processes (v1): every plant it covers must give v1's
figures to the last bit, every field of the replication (tables, lead times, scalars, the components' figures),
whatever the times, breakdowns, shifts, outages, stores, feeders, quality loops, shops, Python stores beside it
(the launch with kits, kit gates, the yard) and labour pools. Run with the kernel compiled (numba) and, in CI, as
plain Python too (NUMBA_DISABLE_JIT=1), where an index out of range raises instead of corrupting memory."""

from __future__ import annotations

import pytest
from helpers import expo, scenario, station

from sim.model.replication import simulate
from sim.scenario import validate_scenario

SHIFTS = {"count": 2, "start": "06:00", "length": "8 h", "breaks": [{"after": "4 h", "length": "30 min"}]}
MIXED = [("line", "a", 60.0, [50.0, 58.0, 70.0], None), ("station", "x", None, expo(55.0), 1),
         ("line", "b", 62.0, [55.0, 61.0], 0), ("station", "y", None, {"dist": "uniform", "low": 40, "high": 70}, 0),
         ("line", "c", 59.0, [40.0, 66.0, 30.0, 20.0], 2)]
CONVEYOR = [("line", "a", 60.0, [50.0, 58.0], None), ("station", "x", None, expo(58.0), 1),
            ("conveyor", "oven", 60.0, 10, 0), ("station", "y", None, expo(57.0), 0),
            ("line", "c", 59.0, [40.0, 55.0], 1)]
LATTICE = [("line", "a", 60.0, [50.0, 58.0], None), ("conveyor", "oven", 60.0, 10, 1),
           ("line", "c", 61.0, [40.0, 55.0], 2)]
BREAKDOWNS = {"a1": {"mtbf": "1 h", "mttr": "5 min"}, "b0": {"mtbf": "40 min", "mttr": 200},
              "c1": {"mtbf": "2 h", "mttr": "10 min"}, "oven": {"mtbf": "3 h", "mttr": "10 min"}}


def plant(nodes, *, shifts=None, breakdowns=True, days=6, **product):
    """``product``: models and sequence, as ``helpers.scenario`` takes them."""
    stations, lines = [], {}
    for kind, name, takt, cycles, places in nodes:
        extra = {} if places is None else {"buffer_before": places}
        if kind == "line":
            lines[name] = {} if takt is None else {"takt": takt}
            for p, cycle in enumerate(cycles):
                fails = BREAKDOWNS.get(f"{name}{p}") if breakdowns else None
                stations.append(station(f"{name}{p}", cycle, line=name, **(extra if p == 0 else {}),
                                        **({"failures": fails} if fails else {})))
        elif kind == "conveyor":
            fails = BREAKDOWNS.get(name) if breakdowns else None
            stations.append({"name": name, "conveyor": {"transit_time": takt * cycles, "pitch": takt}, **extra,
                             **({"failures": fails} if fails else {})})
        else:
            stations.append(station(name, cycles, **extra))
    return scenario(stations, lines=lines, days=days, warmup=1, shifts=shifts, **product)


def assert_same(v1, v2):
    """Every figure of the two replications equal: the tables, the lead times, the scalars, the components'."""
    import dataclasses

    import numpy as np
    import pandas as pd
    for field in dataclasses.fields(v1):
        a, b = getattr(v1, field.name), getattr(v2, field.name)
        if isinstance(a, pd.DataFrame):
            assert b.equals(a), field.name
        elif isinstance(a, np.ndarray):
            assert np.array_equal(a, b), field.name
        elif isinstance(a, dict) and field.name == "scalars":  # equal values (a numpy or a Python float alike)
            assert b == a, field.name
        else:  # a number's value, whether numpy or Python holds it (the kernel keeps every value, not its type)
            assert _plain(repr(b)) == _plain(repr(a)), field.name


def _plain(text: str) -> str:
    """A repr with numpy scalars written as Python's (np.float64(0.5) -> 0.5)."""
    import re
    return re.sub(r"np\.(?:float64|int64)\(([^()]*)\)", r"\1", text)


@pytest.mark.parametrize("nodes", [MIXED, CONVEYOR, LATTICE], ids=["mixed", "conveyor fed directly", "lattice"])
@pytest.mark.parametrize("shifts", [None, SHIFTS], ids=["continuous", "shifts"])
@pytest.mark.parametrize("breakdowns", [False, True], ids=["no breakdowns", "breakdowns"])
def test_the_compiled_des_gives_v1s_tables(nodes, shifts, breakdowns, monkeypatch):
    """The compiled engine runs the whole plant (every node covered) and gives v1's tables to the last bit."""
    _des_same(plant(nodes, shifts=shifts, breakdowns=breakdowns).model_dump(mode="json"), monkeypatch)


@pytest.mark.parametrize("servers", [1, 2, 3])
@pytest.mark.parametrize("shifts", [None, SHIFTS], ids=["continuous", "shifts"])
def test_the_compiled_des_gives_v1s_tables_with_servers_and_their_breakdowns(servers, shifts, monkeypatch):
    """Free-flow stations of several servers, each with its breakdowns on the operating clock: cars overtake, the
    servers take their cars in v1's order (the takers' queue), every record is v1's."""
    raw = plant(MIXED, shifts=shifts).model_dump(mode="json")
    for st in raw["shops"]["shop"]["stations"]:
        if st["name"] in ("x", "y"):
            st["failures"] = {"mtbf": "50 min", "mttr": "4 min"}
            st["servers"] = servers
    _des_same(raw, monkeypatch)


def _des_same(raw, monkeypatch, replicate=simulate):
    """The scenario's replication by v1 and by the compiled DES (which must cover it whole): every figure equal.
    ``replicate``: the model's (tables and scalars) or the runner's (with the run's measures: sequencing...)."""
    from sim.model.builder import build_plant
    from sim.model.flow.des import covered
    from sim.scenario.days import plant_days
    sc = validate_scenario(raw)
    assert covered(build_plant(sc, plant_days(sc.calendar, sc.horizon), sc.seed, 0))
    monkeypatch.setenv("SIM_ENGINE", "simpy")
    v1 = replicate(sc, sc.seed, 0)
    monkeypatch.setenv("SIM_ENGINE", "compiled")
    assert_same(v1, replicate(sc, sc.seed, 0))


@pytest.mark.parametrize("nodes", [MIXED, CONVEYOR, LATTICE], ids=["mixed", "conveyor fed directly", "lattice"])
@pytest.mark.parametrize("run_in", [False, True], ids=["outages", "outages and run-in"])
def test_the_compiled_des_gives_v1s_tables_under_outages(nodes, run_in, monkeypatch):
    """A shop-wide outage and one covering a station and a line (or the oven and a line), on shifts, with and
    without the run-in: lines stop whole, servers run on their outage-free time, waits in an outage are down."""
    raw = plant(nodes, shifts=SHIFTS).model_dump(mode="json")
    covers = ["oven", "c"] if nodes is LATTICE else ["x", "c"]
    raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"},
                                       {"name": "trip", "mtbf": "3 h", "mttr": "5 min", "covers": covers}]
    if run_in:
        raw["shops"]["shop"]["run_in"] = {"length": "20 min", "rate": 0.5}
    _des_same(raw, monkeypatch)


@pytest.mark.parametrize("nodes", [MIXED, LATTICE], ids=["mixed", "lattice"])
@pytest.mark.parametrize("preventive", [False, True], ids=["repairs only", "preventive"])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_tables_with_maintenance_windows(nodes, preventive, outages, monkeypatch):
    raw = plant(nodes, shifts=SHIFTS, days=12).model_dump(mode="json")
    raw["shops"]["shop"]["maintenance"] = {"between_days": "2 h", "days_off": "4 h", "preventive": preventive}
    if outages:
        raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"}]
    _des_same(raw, monkeypatch)


@pytest.mark.parametrize("zone,floaters", [(1.5, 0), (2.0, 1), (1.2, 2)])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_tables_with_drift_zones_and_floaters(zone, floaters, outages, monkeypatch):
    raw = plant(MIXED, shifts=SHIFTS).model_dump(mode="json")
    for line in ("a", "c"):
        raw["shops"]["shop"]["lines"][line]["over_cycle"] = {"zone": zone, "floaters": floaters}
    if outages:
        raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"}]
    _des_same(raw, monkeypatch)


MODES = {"modes": [{"name": "short stops", "mtbf": "40 min", "mttr": "30 s"},
                   {"name": "breakdowns", "mtbf": "3 h",
                    "time_to_repair": {"dist": "lognormal", "mean": "10 min", "sd": "12 min"}},
                   {"name": "major", "mtbf": "20 h", "time_to_repair": {"dist": "weibull", "shape": 0.8, "mean": "1 h"}}]}


@pytest.mark.parametrize("maintenance", [None, False, True], ids=["no maintenance", "repairs", "preventive"])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_figures_with_failure_modes(maintenance, outages, monkeypatch):
    """Competing failure modes on line stations and on two-server free-flow stations (each mode's clock, the mode
    due, its tally for the downtime table), under maintenance windows and outages."""
    raw = plant(MIXED, shifts=SHIFTS, days=12).model_dump(mode="json")
    for st in raw["shops"]["shop"]["stations"]:
        if st["name"] in ("a1", "b0", "c1", "x", "y"):
            st["failures"] = MODES
        if st["name"] in ("x", "y"):
            st["servers"] = 2
    _des_same(_maintained(raw, maintenance, outages), monkeypatch)


def _maintained(raw: dict, maintenance, outages: bool) -> dict:
    """The shop with maintenance windows (None: none; preventive or not) and, with ``outages``, a shop-wide outage
    and a trip covering x and line c."""
    if maintenance is not None:
        raw["shops"]["shop"]["maintenance"] = {"between_days": "2 h", "days_off": "4 h", "preventive": maintenance}
    if outages:
        raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"},
                                           {"name": "trip", "mtbf": "3 h", "mttr": "5 min", "covers": ["x", "c"]}]
    return raw


@pytest.mark.parametrize("failures", [{"clock": "calendar", "mtbf": "50 min", "mttr": "4 min"},
                                      {"clock": "calendar", **MODES}], ids=["single", "modes"])
@pytest.mark.parametrize("maintenance", [None, False, True], ids=["no maintenance", "repairs", "preventive"])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_figures_with_calendar_clock_breakdowns(failures, maintenance, outages,
                                                                          monkeypatch):
    """Two-server stations whose breakdowns run on the calendar clock (down while idle too), alone or as modes,
    under maintenance windows and outages."""
    raw = plant(MIXED, shifts=SHIFTS, days=12).model_dump(mode="json")
    for st in raw["shops"]["shop"]["stations"]:
        if st["name"] in ("x", "y"):
            st["failures"] = failures
            st["servers"] = 2
    _des_same(_maintained(raw, maintenance, outages), monkeypatch)


@pytest.mark.parametrize("nodes", [MIXED, CONVEYOR, LATTICE], ids=["mixed", "conveyor fed directly", "lattice"])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_figures_with_paint_booths(nodes, outages, monkeypatch):
    """Booths on a conveyor and on line stations purging for each new colour (three colours drawn at random): the
    changes, bodies and blocks, the purges that hold the line."""
    raw = plant(nodes, shifts=SHIFTS).model_dump(mode="json")
    raw["product"]["colours"] = [{"name": "white", "share": 0.5}, {"name": "black", "share": 0.3},
                                 {"name": "red", "share": 0.2}]
    for st in raw["shops"]["shop"]["stations"]:
        if st["name"] in ("oven", "b1", "c0"):
            st["colour_change"] = {"purge": 25}
    if outages:
        raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"}]
    _des_same(raw, monkeypatch)
    sc = validate_scenario(raw)
    assert simulate(sc, sc.seed, 0).stations["colour_changes"].sum() > 100  # the booths do change colour


@pytest.mark.parametrize("servers", [1, 2])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_figures_with_free_flow_booths(servers, outages, monkeypatch):
    """A free-flow paint booth purging its guns before each new colour (an event of its own), one or two servers."""
    raw = plant(MIXED, shifts=SHIFTS).model_dump(mode="json")
    raw["product"]["colours"] = [{"name": "white", "share": 0.5}, {"name": "black", "share": 0.3},
                                 {"name": "red", "share": 0.2}]
    for st in raw["shops"]["shop"]["stations"]:
        if st["name"] in ("x", "y"):
            st["colour_change"] = {"purge": 20}
            st["servers"] = servers
    if outages:
        raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"}]
    _des_same(raw, monkeypatch)


@pytest.mark.parametrize("variant", ["straight back", "through a repair", "two paths", "two paths under outages"])
@pytest.mark.parametrize("shifts", [None, SHIFTS], ids=["continuous", "shifts"])
def test_the_compiled_des_gives_v1s_figures_with_quality_loops(variant, shifts, monkeypatch):
    """A quality gate after an inspection (80% first pass, 2% scrap): failing cars straight back or through off-line
    repair stations (two servers) into re-entry lanes taken before the main buffer (a taker waits in both)."""
    raw = plant(MIXED, shifts=shifts, days=8).model_dump(mode="json")
    stations = raw["shops"]["shop"]["stations"]
    if variant != "straight back":
        stations.append(station("repair", expo(300.0), servers=2, off_line=True))
    if variant.startswith("two paths"):
        stations.append(station("touch_up", expo(200.0), off_line=True))
        rework = [{"share": 0.6, "reenter": "x", "repair": "repair"},
                  {"share": 0.4, "reenter": "y", "repair": "touch_up"}]
    else:
        rework = [{"share": 1, "reenter": "x"} | ({"repair": "repair"} if variant != "straight back" else {})]
    raw["shops"]["shop"]["quality"] = {"inspection": "y", "first_pass_yield": 0.8, "scrap": 0.02, "rework": rework}
    if variant.endswith("outages"):
        raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "6 h", "mttr": "20 min"}]
    _des_same(raw, monkeypatch)


@pytest.mark.parametrize("rule", ["alternate", "by_model"])
@pytest.mark.parametrize("places", [0, 2])
def test_the_compiled_des_gives_v1s_figures_with_parallel_sections(rule, places, monkeypatch):
    """A parallel section split in turn or by model (a car whose branch is full waits for it), two models, the
    branches joining again before the next station (a buffer with two producers)."""
    from test_graph import graph_scenario
    models = [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]
    if rule == "alternate":
        branches = [{"name": "x", "stations": [station("x1", expo(40), buffer_before=places)]},
                    {"name": "y", "stations": [station("y1", expo(60), buffer_before=places), station("y2", expo(30))]}]
    else:
        branches = [{"name": "xa", "models": ["A"], "stations": [station("xa1", expo(40), buffer_before=places)]},
                    {"name": "xb", "models": ["B"], "stations": [station("xb1", expo(70), buffer_before=places)]}]
    sc = graph_scenario([station("a", expo(28)), {"parallel": "P", "rule": rule, "branches": branches},
                         station("z", expo(20))], models=models, days=4)
    _des_same(sc.model_dump(mode="json"), monkeypatch)


@pytest.mark.parametrize("store", [None, 40], ids=["hand-over buffer", "declared store"])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "outages"])
def test_the_compiled_des_gives_v1s_figures_with_two_shops(store, outages, monkeypatch):
    """Two shops on their own shifts (two with a break, three without), each node on its shop's clock and window,
    a hand-over buffer or a declared store between them (its level trace kept), each shop counting its exits."""
    from helpers import scenario as two_shops
    body = {"count": 2, "start": "06:00", "length": "8 h", "breaks": [{"after": "4 h", "length": "30 min"}]}
    paint = {"shifts": {"count": 3, "start": "06:00", "length": "8 h"}, "lines": {"pl": {"takt": 62.0}},
             "stations": [station("p0", expo(50), buffer_before=3), station("pl0", 55.0, line="pl"),
                          station("pl1", 58.0, line="pl", failures={"mtbf": "2 h", "mttr": "5 min"}),
                          station("p1", expo(55), buffer_before=2)]}
    if outages:
        paint["outages"] = [{"name": "oven", "mtbf": "8 h", "mttr": "15 min"}]
    extra = {"stores": [{"name": "store", "after": "shop", "capacity": store}]} if store else {}
    sc = two_shops([station("b1", expo(45)), station("b2", 48.0, failures={"mtbf": "1 h", "mttr": "3 min"})],
                   days=6, warmup=1, shifts=body, extra_shops={"paint": paint}, **extra)
    _des_same(sc.model_dump(mode="json"), monkeypatch)


@pytest.mark.parametrize("preventive", [False, True], ids=["body repairs, paint preventive", "body preventive"])
@pytest.mark.parametrize("outages", [False, True], ids=["no outages", "paint outages"])
def test_the_compiled_des_gives_v1s_figures_with_each_shops_maintenance(preventive, outages, monkeypatch):
    """Two shops, each with its own maintenance windows, breakdowns on both clocks; a calendar-clock station draws
    its next breakdowns in its last wait, after the kernel, from the draws the kernel took ahead and left."""
    from helpers import scenario as two_shops
    body = {"count": 2, "start": "06:00", "length": "8 h", "breaks": [{"after": "4 h", "length": "30 min"}]}
    paint = {"shifts": {"count": 2, "start": "07:00", "length": "9 h"}, "lines": {"pl": {"takt": 62.0}},
             "stations": [station("p0", expo(50), buffer_before=3, failures={"mtbf": "70 min", "mttr": "6 min"}),
                          station("pl0", 55.0, line="pl"),
                          station("pl1", 58.0, line="pl", failures={"mtbf": "2 h", "mttr": "5 min"}),
                          station("p1", expo(55), buffer_before=2,
                                  failures={"clock": "calendar", "mtbf": "3 h", "mttr": "10 min"})],
             "maintenance": {"between_days": "3 h", "days_off": "6 h", "preventive": not preventive}}
    if outages:
        paint["outages"] = [{"name": "oven", "mtbf": "8 h", "mttr": "15 min"}]
    raw = two_shops([station("b1", expo(45), failures={"mtbf": "50 min", "mttr": "4 min"}),
                     station("b2", 48.0, failures={"mtbf": "1 h", "mttr": "3 min"})], days=8, warmup=1, shifts=body,
                    extra_shops={"paint": paint}, stores=[{"name": "store", "after": "shop", "capacity": 40}]
                    ).model_dump(mode="json")
    raw["shops"]["shop"]["maintenance"] = {"between_days": "2 h", "days_off": "4 h", "preventive": preventive}
    _des_same(raw, monkeypatch)


def _feeder_plants():
    """Feeders of every form the compiled DES runs: own parts taken off at a line or a free-flow station and
    refitted at either, on a bounded number of carriers or not; parts called off in sequence at a line or a
    station (two feeders called off at one station, two joining one); breakdowns on feeders and main flow."""
    from test_graph import (doors_around_a_paced_line, doors_on_a_paced_line, doors_on_carriers,
                            free_flow_take_off_before_a_paced_line, graph_scenario, in_sequence_free_flow,
                            in_sequence_paced)
    fails = {"mtbf": "1 h", "mttr": "4 min"}
    sequenced = graph_scenario(
        [station("s1", expo(40), failures=fails), {"name": "l1", "line": "L", "cycle_time": 50},
         {"name": "l2", "line": "L", "cycle_time": {"A": 45, "B": 58}, "failures": {"mtbf": "2 h", "mttr": "5 min"}},
         {"name": "l3", "line": "L", "cycle_time": 50}, station("j", expo(45)), station("out", expo(40))],
        lines={"L": {"takt": 60}, "T": {"takt": 55}}, models=[{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}],
        sequence="random", buffer_capacity=3,
        feeders={"roof": {"joins": "l3", "called_off_at": "s1", "buffer": 2,
                          "stations": [station("r1", expo(50), failures=fails), station("r2", 40)]},
                 "seats": {"joins": "l3", "called_off_at": "s1", "buffer": 1,
                           "stations": [{"name": "t1", "line": "T", "cycle_time": 45},
                                        {"name": "t2", "line": "T", "cycle_time": {"A": 50, "B": 55}}]},
                 "wheels": {"joins": "j", "called_off_at": "l2", "buffer": 0,
                            "stations": [station("w1", {"A": expo(40), "B": expo(52)})]}})
    plants = {"doors on a paced line": doors_on_a_paced_line(), "doors around a paced line":
              doors_around_a_paced_line(), "sequenced at lines and stations": sequenced,
              "in sequence, free flow": in_sequence_free_flow(50), "in sequence, paced": in_sequence_paced(72),
              "take-off before a paced line": free_flow_take_off_before_a_paced_line(3)}
    plants.update({f"carriers {layout} {k}": doors_on_carriers(layout, k)
                   for layout, k in (("free_flow", 2), ("paced", 3), ("free_flow", None))})
    return plants


@pytest.mark.parametrize("name", list(_feeder_plants()))
def test_the_compiled_des_gives_v1s_figures_with_feeders(name, monkeypatch):
    """Joins (a missing part holds the car: state feeder, the feeder's wait), sends (a new unit for each part),
    carriers (the take-off waits for one freed at the join): v1's figures, every feeder's counts and the
    invariants (parts conserved, carriers in use = parts off their cars)."""
    _des_same(_feeder_plants()[name].model_dump(mode="json"), monkeypatch)


SORTS = {"plain stores": (None, None),
         "colour blocks, overdue first": ({"by": "colour", "lanes": 3, "lane_depth": 10, "max_block": 8,
                                           "max_wait": "20 min"}, {"by": "sequence", "lanes": 4, "lane_depth": 10}),
         "colour blocks, no bound": ({"by": "colour", "lanes": 4, "lane_depth": 5}, None),
         "planned sequence, few lanes": (None, {"by": "sequence", "lanes": 2, "lane_depth": 6})}


@pytest.mark.parametrize("name", list(SORTS))
def test_the_compiled_des_gives_v1s_figures_with_sorting_stores(name, monkeypatch):
    """Stores between shops that log the cars each shop takes, and sorting stores (colour blocks with max_block
    and max_wait, the planned sequence restored): v1's figures, the shops' entry records and the stores' tallies
    (released, waits, forced releases) included; the max_wait invariant checked in the kernel."""
    from test_sorting import sorting_plant

    from sim.experiment.runner import replicate
    wbs, pbs = SORTS[name]
    _des_same(sorting_plant(wbs=wbs, pbs=pbs, days=5).model_dump(mode="json"), monkeypatch, replicate)


@pytest.mark.parametrize("shifts", [None, SHIFTS], ids=["continuous", "shifts"])
@pytest.mark.parametrize("breakdowns", [False, True], ids=["no breakdowns", "breakdowns"])
def test_the_compiled_des_gives_v1s_figures_with_lines_without_a_takt(shifts, breakdowns, monkeypatch):
    """Lines paced by their slowest work (no takt): the slowest position's time when it holds a car, else the
    slowest work on the line (a car of another model, an empty place); no over-cycle stops counted."""
    nodes = [("line", "a", None, [50.0, {"A": 58.0, "B": 64.0}, 40.0], None), ("station", "x", None, expo(55.0), 1),
             ("line", "b", None, [{"A": 52.0, "B": 45.0}, 61.0], 0), ("station", "y", None, expo(50.0), 2)]
    sc = plant(nodes, shifts=shifts, breakdowns=breakdowns, sequence="random",
               models=[{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}])
    _des_same(sc.model_dump(mode="json"), monkeypatch)


# ---------------------------------------------------------------- the kernel beside SimPy: Python stores, pools,
# components (one sequence of events: the kernel yields to SimPy's next event and resumes what it woke)


def _runner_same(raw, monkeypatch):
    from sim.experiment.runner import replicate
    _des_same(raw, monkeypatch, replicate)


@pytest.mark.parametrize("capacity", [12, 400], ids=["a yard that fills", "a roomy yard"])
def test_the_compiled_des_gives_v1s_figures_with_a_yard(capacity, monkeypatch):
    """The end of line puts its cars into the finished-car yard (a Python store, trucks on a timetable, trains for
    the export cars): a full yard blocks it until a carrier takes cars (the kernel's put waits on SimPy's event)."""
    from test_outbound import plant_raw
    raw = plant_raw([station("a", expo(50)), station("eol", expo(55), failures={"mtbf": "2 h", "mttr": "6 min"})],
                    days=6, warmup=1, models=[{"name": "M", "share": 1.0, "export_share": 0.3}],
                    outbound={"yard": {"capacity": capacity},
                              "trucks": {"per_day": 3, "cars_per_truck": 20, "at": ["08:00", "16:00", "23:00"]},
                              "trains": [{"name": "A", "share": 1.0, "cars_per_wagon": 10, "wagons": 3, "per_week": 4,
                                          "delay": {"dist": "exponential", "mean": "6 h"}, "cancelled": 0.1}]})
    _runner_same(raw, monkeypatch)


@pytest.mark.parametrize("events", [[], [{"kind": "route_closed", "route": "rail", "first_day": "2025-01-10",
                                          "last_day": "2025-01-12"}]], ids=["steady", "a closure"])
def test_the_compiled_des_gives_v1s_figures_with_kits_at_the_launch(events, monkeypatch):
    """The launch with holds (kits on hand, a Python store the first station takes from; SimPy's deliveries wake
    it): v1's stockouts, held launches and output."""
    from test_events import supply_raw
    raw = supply_raw("3 d", events, days=12)
    raw["shops"]["body"]["stations"].append(station("b2", expo(55.0), buffer_before=2))
    _runner_same(raw, monkeypatch)


@pytest.mark.parametrize("look_ahead", [0, 2])
def test_the_compiled_des_gives_v1s_figures_with_scarce_kits_at_the_launch_and_a_shop(look_ahead, monkeypatch):
    """Kits short often, at the launch (a reorder point, two models under a spacing rule, the launch passing held
    cars over) and at the second shop's entry (a kit gate, periodic review): the kernel launches the cars the
    launch surely lets go and passes the cars the gate surely lets through without asking Python, which makes
    those launches and passes later in order; every figure, the held launches, moves and broken rules v1's."""
    raw = {
        "name": "scarce-kits", "horizon": {"days": 12, "warmup_days": 1},
        "calendar": {"start_date": "2025-01-06", "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
        "product": {"models": [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}], "sequence": "levelled",
                    "spacing": [{"model": "B", "at_most": 1, "in_any": 3}]},
        "shops": {"body": {"shifts": SHIFTS, "stations": [station("b0", expo(50.0)), station("b1", 48.0)]},
                  "assembly": {"shifts": SHIFTS, "stations": [station("a0", expo(52.0)), station("a1", 50.0)]}},
        "target": {"annual_units": 300_000},
        "supply": {"look_ahead": look_ahead,
                   "routes": {"rail": {"lead_time": {"dist": "exponential", "mean": "1 d"},
                                       "departures": {"every": "8 h", "first": "1 h"}}},
                   "kits": {"body": {"route": "rail", "per_container": 6, "lot": 6, "initial": "0.2 d",
                                     "order": {"policy": "reorder_point", "reorder_at": "0.6 d"}},
                            "trim": {"route": "rail", "per_container": 6, "lot": 6, "taken_at": "assembly",
                                     "models": ["B"], "initial": "0.2 d",
                                     "order": {"policy": "periodic", "every": "1 d", "up_to": "1.4 d"}}}},
    }
    _runner_same(raw, monkeypatch)


@pytest.mark.parametrize("when_short", ["wait", "slower"])
def test_the_compiled_des_gives_v1s_figures_with_a_labour_pool(when_short, monkeypatch):
    """Stations drawing operators from a shared pool (two a cycle, three in the pool): a server waits for them
    (state labour) or works slower with fewer; the pool gives them back before the car goes on."""
    sc = scenario([station("s", expo(40.0)), station("p1", expo(70.0), servers=2),
                   station("p2", expo(60.0), buffer_before=2), station("t", 35.0)], days=6, warmup=1, shifts=SHIFTS)
    raw = sc.model_dump(mode="json")
    for st in raw["shops"]["shop"]["stations"][1:3]:
        st.update(labour_pool="crew", pool_operators=2, when_short=when_short)
    raw["staffing"] = {"pools": [{"name": "crew", "shop": "shop", "size": [3, 2]}]}
    _runner_same(raw, monkeypatch)


def test_the_compiled_des_gives_v1s_figures_with_rework_reentering_a_line(monkeypatch):
    """Cars that fail an inspection re-enter at a paced line's first station: the line takes from the re-entry
    lane first, then its buffer (a ``Merge``), waiting in both."""
    raw = plant(MIXED, days=8).model_dump(mode="json")
    raw["shops"]["shop"]["stations"].append(station("repair", expo(200.0), off_line=True))
    raw["shops"]["shop"]["quality"] = {"inspection": "y", "first_pass_yield": 0.85,
                                       "rework": [{"share": 1, "reenter": "b0", "repair": "repair"}]}
    _des_same(raw, monkeypatch)


@pytest.mark.slow
@pytest.mark.parametrize("name, days", [("almaty", 5), ("kostanay", 5), ("almaty-3shift", 5),
                                        ("almaty-kit-delays", 5), ("almaty-export-trains", 5), ("almaty-fpy85", 5),
                                        ("almaty-tiggo7-heavy", 5), ("almaty-border-closed", 50)])
def test_the_compiled_des_gives_v1s_figures_on_the_shipped_scenarios(name, days, monkeypatch):
    """Every shipped scenario the kernel covers, over its first days (the border closure's past its closure):
    v1's figures, every one."""
    from pathlib import Path

    from sim.scenario import load_scenario
    sc = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / f"{name}.yaml")
    raw = sc.model_dump(mode="json")
    raw["horizon"] = {**raw["horizon"], "days": days, "years": None}
    _runner_same(raw, monkeypatch)


def test_the_compiled_engine_refuses_a_part_of_another_car():
    """The kernel's ``Join.fit``: a part made for one car fitted to another breaks the invariant (the kernel stops,
    Python raises v1's InvariantError); the car's own part is fitted, its away count back to 0."""
    import numpy as np

    from sim.model.flow.des_kernel import (E_OTHER_CAR, IO_ERROR, IO_SIZE, J_CARRIERS, J_FITTED, J_MATCHED, J_OWN,
                                           U_AWAY, U_CAR, UNIT_ROWS, _fit)
    join_i = np.zeros((1, 8), dtype=np.int64)
    join_i[0, J_MATCHED], join_i[0, J_OWN], join_i[0, J_CARRIERS] = 1, 1, -1
    cars = np.zeros((UNIT_ROWS, 4), dtype=np.int64)
    cars[U_CAR] = [0, 1, 0, 1]  # cars 0 and 1; units 2 and 3: their parts
    cars[U_AWAY, :2] = 1
    io = np.zeros(IO_SIZE, dtype=np.int64)
    heap = (np.zeros((1, 4)), np.zeros((4, 4), dtype=np.int64), np.zeros(3, dtype=np.int64))
    carriers = np.zeros((1, 4), dtype=np.int64), np.zeros((1, 4), dtype=np.int64)
    assert not _fit(0, 3, 0, 0.0, join_i, cars, *carriers, io, *heap)
    assert io[IO_ERROR] == E_OTHER_CAR and join_i[0, J_FITTED] == 0 and cars[U_AWAY, 0] == 1
    io[IO_ERROR] = 0
    assert _fit(0, 2, 0, 0.0, join_i, cars, *carriers, io, *heap)
    assert io[IO_ERROR] == 0 and join_i[0, J_FITTED] == 1 and cars[U_AWAY, 0] == 0


def test_the_compiled_engine_catches_a_car_leaving_without_its_doors(monkeypatch):
    """A join that keeps the car's own doors (tampered with in the kernel's tables): the car leaves with them
    away, and the kernel's check raises v1's InvariantError."""
    from test_graph import doors_on_a_paced_line

    from sim.model.flow import des
    from sim.model.flow.car import InvariantError
    from sim.model.flow.des_kernel import J_OWN
    real = des.CompiledPlant._feeders

    def keeping(self, index):
        real(self, index)
        self.join_i[0, J_OWN] = 0

    monkeypatch.setattr(des.CompiledPlant, "_feeders", keeping)
    monkeypatch.setenv("SIM_ENGINE", "compiled")
    with pytest.raises(InvariantError, match="left the plant without its own parts"):
        simulate(doors_on_a_paced_line(), 1)
