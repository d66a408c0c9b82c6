"""Property tests on random plants that are graphs: feeders, parallel sections, visit rules, options,
planned maintenance, feeders on their own shifts (``plant_strategies.graph_scenarios``).

On each plant:

* ``simulate`` runs without an exception: it checks car conservation, buffer capacities, state times
  adding up, parts conservation per feeder and every own part back on its car itself (InvariantError),
  and a part fitted to another car than its own raises at the join;
* every check of ``test_random_plants.check_result`` (shares of every state and off shift >= 0 adding up
  to 1, no jam, buffers within capacity, conservation, daily counts, ...), and on top: only a join
  (or a station of a paced line with a join) waits for parts, for no longer than it waits in state
  ``feeder``, and names a feeder that joins it;
* the same scenario and seed give identical tables (stations, buffers, daily, lead times, scalars) twice;
* static capacity (``station_capacity``) gives a finite positive cars_per_hour for every station some
  car visits, the same stations as the simulation's table, and no simulated work at a station (other
  than a feeder built to stock, which fills its buffer whatever the demand) that it says no car visits.

The strategy draws only plants the loader accepts; ``test_graph_strategy_covers_every_feature`` counts
it on 150 draws (every one validates) and checks every feature shows up. Hypothesis is derandomised
(fixed example sequence, no example database) so the suite is deterministic.
"""

from __future__ import annotations

import collections
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings

from plant_strategies import graph_features, graph_scenarios
from sim.analysis.capacity import station_capacity
from sim.model.replication import simulate
from sim.scenario import ScenarioError, validate_scenario
from sim.scenario.topology import all_stations, node_groups
from test_random_plants import EPS, assert_same_result, check_result

DRAWS = 150
"""Plants the coverage test draws (and validates), without simulating them."""
SETTINGS = settings(max_examples=80, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_graph_result(scn, res):
    """The graph's own properties of one result: waits for parts only at joins, named after their feeder."""
    joined_by: dict[tuple[str, str], set[str]] = collections.defaultdict(set)  # station -> feeders it waits on
    stocked = set()
    for shop_name, shop in scn.shops.items():
        for name, feeder in shop.feeders.items():
            joined_by[shop_name, feeder.joins].add(name)
            if feeder.supply == "to_stock":
                stocked |= {(shop_name, st.name) for st in feeder.stations}
        # a paced line with a join stands still for the part: each of its stations waits on that feeder
        groups = node_groups(all_stations(shop))
        for group in groups:
            feeders = set().union(*(joined_by[shop_name, st.name] for st in group))
            for st in group:
                joined_by[shop_name, st.name] = feeders
    for r in res.stations.itertuples():
        waits_on = joined_by[r.shop, r.station]
        if not waits_on:
            assert r.share_feeder <= EPS and pd.isna(r.starved_by), (r.station, r.share_feeder, r.starved_by)
        else:
            assert pd.isna(r.starved_by) or r.starved_by in waits_on, (r.station, r.starved_by, waits_on)
            assert r.starved_by_share <= r.share_feeder + EPS, (r.station, r.starved_by_share, r.share_feeder)
    return stocked


def check_capacity(scn, res, stocked):
    """Static capacity covers the simulated stations; finite and positive wherever some car goes."""
    cap = station_capacity(scn)
    assert sorted(zip(cap["shop"], cap["station"])) == sorted(zip(res.stations["shop"], res.stations["station"]))
    for r in cap.itertuples():
        assert r.visits_per_car >= 0, (r.shop, r.station, r.visits_per_car)
        if r.visits_per_car > 0:
            assert math.isfinite(r.cars_per_hour) and r.cars_per_hour > 0, (r.shop, r.station, r.cars_per_hour)
    visits = {(r.shop, r.station): r.visits_per_car for r in cap.itertuples()}
    for r in res.stations.itertuples():
        if r.completions > 0 and (r.shop, r.station) not in stocked:
            assert visits[r.shop, r.station] > 0, (r.shop, r.station, r.completions)


@settings(SETTINGS, max_examples=25)  # the quick loop's share; the longer test below runs 150 in CI
@given(graph_scenarios())
def test_random_graph_plants_keep_every_invariant(raw):
    for feature in sorted(graph_features(raw)):
        event(feature)
    scn = validate_scenario(raw)
    res = simulate(scn, raw["seed"], 0)  # raises InvariantError on a broken invariant
    check_result(scn, res)
    stocked = check_graph_result(scn, res)
    check_capacity(scn, res, stocked)


@settings(SETTINGS, max_examples=20)
@given(graph_scenarios())
def test_random_graph_plants_are_reproducible(raw):
    # the same (scenario, seed, replication) gives the same tables, draw for draw
    scn = validate_scenario(raw)
    first = simulate(scn, raw["seed"], 1)
    second = simulate(scn, raw["seed"], 1)
    assert_same_result(first, second)
    # and so does the scenario written out (as `sim` writes the resolved scenario) and read back
    again = validate_scenario(scn.model_dump(mode="json"))
    assert_same_result(first, simulate(again, raw["seed"], 1))


@pytest.mark.slow
def test_graph_strategy_covers_every_feature():
    """DRAWS plants drawn (not simulated): every one validates, and every feature shows up."""
    counts = collections.Counter()
    drawn = []

    @settings(SETTINGS, max_examples=DRAWS)
    @given(graph_scenarios())
    def draw(raw):
        validate_scenario(raw)  # a ScenarioError here is a strategy that strays outside the loader's rules
        drawn.append(raw)
        counts.update(graph_features(raw))

    draw()
    assert len(drawn) == DRAWS
    expected = [
        "feeder: in_sequence", "feeder: to_stock", "feeder: own_part",
        "feeders in a shop: 1", "feeders in a shop: 2", "feeders in a shop: 3",
        "feeder in_sequence called off at the shop's first station (default)",
        *(f"feeder {s} station: {k}" for s in ("in_sequence", "to_stock", "own_part")
          for k in ("free", "line", "conveyor")),
        "feeder to_stock station: free, 2 server(s)",
        "feeder in_sequence joins a station of: main", "feeder own_part joins a station of: main",
        "feeder to_stock joins a station of: main", "feeder to_stock joins a station of: branch",
        "feeder to_stock joins a station of: feeder",
        "feeder on its own shifts", "feeder buffer 0",
        "parallel: alternate", "parallel: shortest_queue", "parallel: by_model",
        "parallel: 2 branches", "parallel: 3 branches",
        "parallel: alternate with branch models", "parallel: shortest_queue with branch models",
        "visit rule models: main free", "visit rule models: main line", "visit rule option: main free",
        "visit rule option: main line", "visit rule: branch free", "visit rule: branch line", "visit rule: feeder line",
        "options", "maintenance", "maintenance, preventive", "quality loop", "quality loop and feeders in one shop",
        "cycle time: random", "cycle time: fixed", "failures: operating", "failures: calendar",
        "launch: arrivals", "shops: 2", "models: 3", "plant: every time fixed",
    ]
    missing = [f for f in expected if counts[f] == 0]
    assert not missing, f"never drawn in {DRAWS} plants: {missing}\n{sorted(counts.items())}"


# ---------------------------------------------------------------- reproducibility across processes

_DIGEST = """
import hashlib, json, sys
import numpy as np
from sim.model.replication import simulate
from sim.scenario import validate_scenario

def digest(res):
    h = hashlib.sha256()
    for table in (res.stations, res.buffers, res.daily, res.pools, res.store_levels):
        h.update(table.to_csv(index=False, float_format="%.17g").encode())
    h.update(np.asarray(res.lead_times, dtype=float).tobytes())
    h.update(json.dumps(res.scalars, sort_keys=True, default=repr).encode())
    return h.hexdigest()

for raw in json.load(open(sys.argv[1])):
    print(digest(simulate(validate_scenario(raw), raw["seed"], 0)))
"""


@pytest.mark.slow
def test_random_graph_plants_do_not_depend_on_the_hash_seed(tmp_path):
    # README: the same scenario, seed and replication give identical results whatever PYTHONHASHSEED;
    # sets or dicts keyed by names anywhere in the graph's wiring must not change the order of events
    plants = []

    @settings(SETTINGS, max_examples=12)
    @given(graph_scenarios())
    def collect(raw):
        plants.append(raw)

    collect()
    path = tmp_path / "plants.json"
    path.write_text(json.dumps(plants))
    script = tmp_path / "digest.py"
    script.write_text(_DIGEST)
    root = Path(__file__).resolve().parents[2]
    runs = []
    for hash_seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=hash_seed, PYTHONPATH=str(root))
        out = subprocess.run([sys.executable, str(script), str(path)], env=env, cwd=root,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        runs.append(out.stdout.split())
    assert len(runs[0]) == len(plants)
    assert runs[0] == runs[1] == runs[2]


@pytest.mark.slow
@settings(SETTINGS, max_examples=150)
@given(graph_scenarios(n_shops=(1, 3), feeders=(1, 3), days=(3, 5, 7)))
def test_random_graph_plants_keep_every_invariant_longer(raw):
    # more and bigger plants over a week: rarer interleavings (a feeder's shift ending with parts on
    # its line, maintenance over weekends, long failures at a join)
    scn = validate_scenario(raw)
    res = simulate(scn, raw["seed"], 0)
    check_result(scn, res)
    check_capacity(scn, res, check_graph_result(scn, res))


# ---------------------------------------------------------------- found by the properties

def _forward_reentry(supply: str) -> dict:
    """The smallest plant of the bug: a -> b -> c, the quality gate at a sends failing cars on to c
    (a re-entry after the inspection), and a feeder of parts for each car called off (or taken off) at
    a joins b, which the failing cars skip."""
    feeder = {"joins": "b", "stations": [{"name": "f", "cycle_time": 30}]}
    if supply == "own_part":
        feeder["taken_off_at"] = "a"
    return {
        "name": "forward-reentry", "horizon": {"days": 1}, "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"shop": {
            "shifts": {"count": 1, "start": "00:00", "length": "24 h"},
            "stations": [{"name": "a", "cycle_time": 60}, {"name": "b", "cycle_time": 60},
                         {"name": "c", "cycle_time": 60}],
            "quality": {"inspection": "a", "first_pass_yield": 0.9, "rework": [{"share": 1.0, "reenter": "c"}]},
            "feeders": {"F": feeder},
        }},
        "target": {"annual_units": 1000},
    }


@pytest.mark.parametrize("supply", ["in_sequence", "own_part"])
def test_forward_reentry_between_call_off_and_join(supply):
    # failing cars skip b and take the re-entry lane at c ahead of the queue: the loader refuses the
    # layout, naming the quality loop (the parts would meet the wrong cars at the join)
    with pytest.raises(ScenarioError, match="quality loop"):
        validate_scenario(_forward_reentry(supply))


def _idle_line(in_branch: bool) -> dict:
    """A paced line L (no takt, no transfer time) of one station 'roof' that only cars with a sunroof
    visit, and no car has one; in the main flow after 'a', or as a branch of a shortest-queue section."""
    roof = {"name": "roof", "line": "L", "cycle_time": 60, "option": "sunroof"}
    stations = [{"name": "a", "cycle_time": 60}]
    if in_branch:
        stations.append({"parallel": "P", "rule": "shortest_queue", "branches": [
            {"name": "x", "stations": [roof]}, {"name": "y", "stations": [{"name": "y1", "cycle_time": 60}]}]})
    else:
        stations.append(roof)
    return {
        "name": "idle-line", "horizon": {"days": 1}, "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}],
                    "options": [{"name": "sunroof", "take_rate": {"A": 0.0}}]},
        "shops": {"shop": {"shifts": {"count": 1, "start": "00:00", "length": "24 h"},
                           "lines": {"L": {}}, "stations": stations}},
        "target": {"annual_units": 1000},
    }


@pytest.mark.parametrize("in_branch", [False, True], ids=["main_flow", "shortest_queue_branch"])
def test_static_capacity_of_a_line_no_car_stops_at(in_branch):
    scn = validate_scenario(_idle_line(in_branch))
    assert simulate(scn, 1).scalars["completed"] > 0
    cap = station_capacity(scn).set_index("station")
    assert cap.loc["roof", "visits_per_car"] == 0
    assert math.isfinite(cap.loc["a", "cars_per_hour"]) and cap.loc["a", "cars_per_hour"] > 0
