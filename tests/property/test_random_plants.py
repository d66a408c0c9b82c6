"""Property tests: every random valid small plant keeps the engine's invariants.

``simulate`` itself raises InvariantError when cars are not conserved, a buffer
ever held more than its capacity or a station's state times do not add up to
its shift time. On top of that each result must be internally consistent:

* per station the shares of every state (working, blocked, starved, down, paced, labour, feeder) and
  off shift add up to 1, none negative; the state seconds equal the station's on-shift seconds in the
  window (its shop's, or its feeder's own shifts');
* no jam: the run never ends with cars inside and nothing left to happen (``deadlocked``);
* buffers: mean level <= max level in the window <= highest level ever <= capacity;
* conservation: launched_total = completed_total + scrapped_total + wip_end, and the
  window's counts are at most the totals;
* the last shop's exits are the cars completed; one lead time per completed car, >= 0;
* the daily table plus the completions on non-working days add up to the completed cars.

Hypothesis is derandomised (fixed example sequence, no example database) so the
suite is deterministic; max_examples is kept modest for run time.
"""

from __future__ import annotations

import json
import math

import numpy as np
from hypothesis import HealthCheck, given, settings

from plant_strategies import scenarios
from sim.model.replication import simulate
from sim.model.flow.states import STATE_NAMES
from sim.scenario import validate_scenario
from sim.scenario.topology import all_stations

SETTINGS = settings(max_examples=30, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
EPS = 1e-6


def check_result(scn, res):
    sc = res.scalars
    window_s = sc["window_hours"] * 3600.0

    assert not sc["deadlocked"], "the plant jammed: cars inside and nothing left to happen"

    # stations: shares add up to the window, times to the shift time
    shares = [f"share_{s}" for s in STATE_NAMES] + ["share_off_shift"]
    own_shifts = {st.name for shop in scn.shops.values() for f in shop.feeders.values() if f.shifts is not None
                  for st in f.stations}
    for r in res.stations.itertuples():
        values = [getattr(r, s) for s in shares]
        assert all(v >= -EPS for v in values), (r.shop, r.station, values)
        assert math.isclose(sum(values), 1.0, abs_tol=EPS), (r.shop, r.station, values)
        assert math.isclose(r.measured_s, r.on_shift_s, rel_tol=EPS, abs_tol=EPS)
        assert math.isclose(r.share_off_shift, 1 - r.on_shift_s / window_s, abs_tol=EPS)
        if r.station not in own_shifts:
            assert math.isclose(sc["shop_hours"][r.shop] * 3600.0, r.on_shift_s, rel_tol=EPS, abs_tol=EPS)
        assert r.completions >= 0 and r.downs >= 0
    failing = {s.name for shop in scn.shops.values() for s in all_stations(shop) if s.failures is not None}
    for r in res.stations.itertuples():
        if r.station not in failing:
            assert r.share_down <= EPS and r.downs == 0, (r.shop, r.station)

    # buffers
    for b in res.buffers.itertuples():
        if not np.isnan(b.capacity):
            assert b.max_level <= b.capacity, (b.buffer, b.max_level, b.capacity)
            assert b.max_ever <= b.capacity
        assert 0 <= b.mean_level <= b.max_level + EPS, (b.buffer, b.mean_level, b.max_level)
        assert b.max_level <= b.max_ever
        assert -EPS <= b.share_full <= 1 + EPS and -EPS <= b.share_empty <= 1 + EPS
        assert b.share_full + b.share_empty <= 1 + EPS or b.capacity == 0

    # conservation and counts
    assert sc["launched_total"] == sc["completed_total"] + sc["scrapped_total"] + sc["wip_end"]
    assert 0 <= sc["completed"] <= sc["completed_total"]
    assert 0 <= sc["scrapped"] <= sc["scrapped_total"]
    assert sc["wip_end"] >= 0 and sc["wip_mean"] >= 0
    last_shop = list(scn.shops)[-1]
    assert sc["shop_exits"][last_shop] == sc["completed"]
    assert len(res.lead_times) == sc["completed"]
    assert (res.lead_times >= 0).all()
    for shop, gate in sc["inspections"].items():
        assert 0 <= gate["failed"] <= gate["inspected"]

    # daily table
    counts = res.daily.drop(columns=[c for c in ("day", "date") if c in res.daily.columns])
    assert len(res.daily) == sc["working_days"]
    assert int(counts.to_numpy().sum()) + res.daily.attrs.get("off_day_completions", 0) == sc["completed"]
    assert (counts.to_numpy() >= 0).all()


@SETTINGS
@given(scenarios())
def test_random_plants_keep_every_invariant(raw):
    scn = validate_scenario(raw)
    res = simulate(scn, raw["seed"], 0)   # raises InvariantError on a broken invariant
    check_result(scn, res)


@settings(SETTINGS, max_examples=10)
@given(scenarios())
def test_replications_are_reproducible(raw):
    # the same (scenario, seed, replication) gives the same result, draw for draw
    scn = validate_scenario(raw)
    first = simulate(scn, raw["seed"], 1)
    second = simulate(scn, raw["seed"], 1)
    assert_same_result(first, second)


def assert_same_result(first, second):
    """Two results are identical: every table (NaN equal to NaN), the lead times and the scalars."""
    for table in ("stations", "buffers", "daily", "pools", "store_levels"):
        a, b = getattr(first, table), getattr(second, table)
        assert a.equals(b) and list(a.columns) == list(b.columns), f"{table} differ:\n{a}\n{b}"
    assert first.daily.attrs == second.daily.attrs
    assert np.array_equal(first.lead_times, second.lead_times)
    assert json.dumps(first.scalars, sort_keys=True, default=repr) == \
        json.dumps(second.scalars, sort_keys=True, default=repr)
