"""Shared labour pools against known answers.

A pool's operators serve its stations' cars first come first served; a station
holding a car without its operators is in state ``labour``. Known answers:

* one operator shared by the two servers of a station is one server: Poisson arrivals
  and exponential cycles give the M/M/1 waiting time Wq = rho / (mu - lambda);
* one operator shared by two stations in series is one work-conserving server of
  the combined load: deterministic cycles give throughput 1 / (c_a + c_b) exactly;
  with exponential cycles the number of phases (cycles) still to do is the queue
  length of an M^X/M/1 queue with batches of 2, whatever order the operator takes
  the phases in: L = rho (K + 1) / (2 (1 - rho)), K = 2 (the mean lead time is
  *not* that of an M/G/1 FIFO queue, since the operator interleaves cars);
* attendance Binomial(size, 1 - absenteeism) per shift: mean present size (1 - a);
* ``when_short: slower`` keeps the operator-seconds per car, so a saturated
  station makes pool size / (needed x cycle) cars a second.

Tolerances: 99 % t-intervals over independent replications (helpers of the
analytic tests), bias margins stated where used.
"""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "analytic"))

from helpers import (CONTINUOUS, ONE_MODEL, assert_in_interval, buffer_row, expo, replicate, row,  # noqa: E402
                     throughput_per_s)
from sim import ScenarioError, load_scenario, validate_scenario  # noqa: E402
from sim.model.replication import POOL_COLUMNS, simulate  # noqa: E402
from sim.model.streams import Streams  # noqa: E402

SIX_HOUR_SHIFTS = {"count": 4, "start": "00:00", "length": "6 h"}


def plant(stations, pools, *, absenteeism=0.0, days=5, warmup=1, shifts=None, launch=None, buffer_capacity=1):
    """A one-shop scenario with labour pools, every day a working day."""
    raw = {
        "name": "pools", "horizon": {"days": days, "warmup_days": warmup},
        "calendar": {"working_days_per_year": 250}, "product": {"models": ONE_MODEL},
        "shops": {"shop": {"shifts": shifts or CONTINUOUS, "buffer_capacity": buffer_capacity,
                           "stations": stations}},
        "staffing": {"absenteeism": absenteeism, "pools": pools},
        "target": {"annual_units": 1000},
    }
    if launch is not None:
        raw["launch"] = {"interarrival": launch}
    return validate_scenario(raw)


def pooled(name, cycle, pool="p", **extra):
    return {"name": name, "cycle_time": cycle, "labour_pool": pool, **extra}


def pool_row(result, name="p"):
    match = result.pools[result.pools.pool == name]
    assert len(match) == 1
    return match.iloc[0]


# ---------------------------------------------------------------- (a) a pool of one is one server

@pytest.mark.slow
def test_one_operator_shared_by_two_servers_is_an_mm1_queue():
    # Two servers of one station fed by one buffer, one operator: a car taken by a server waits
    # for the operator, who serves the cars in arrival order one at a time, so the car's time in
    # the plant is the M/M/1 sojourn: Wq = rho / (mu - lambda) = 0.75 / (1/75 - 1/100) = 225 s,
    # measured as mean lead time - 75 s. Pool utilisation = rho. Bias margin 2 % of Wq (empty
    # start, window edges), as in the M/M/c tests.
    lam, mu = 1 / 100, 1 / 75
    scn = plant([pooled("a", expo(75), servers=2)], [{"name": "p", "shop": "shop", "size": 1}],
                days=10, launch=expo(100))

    def measure(res):
        assert len(res.lead_times) > 5000
        return res.lead_times.mean() * 3600.0 - 75.0, pool_row(res).utilisation, pool_row(res).mean_present

    values = np.array(replicate(scn, measure, 16, seed=2024))
    wq = (lam / mu) / (mu - lam)
    assert_in_interval(values[:, 0], wq, 0.02 * wq, "M/M/1 through a pool of one: Wq [s]")
    assert_in_interval(values[:, 1], lam / mu, 0.002, "pool utilisation")
    assert np.all(values[:, 2] == 1.0)


def test_one_operator_shared_by_two_stations_in_series_deterministic():
    # a (30 s) -> b (50 s), one operator, the first station always has a car: the operator is
    # never idle and each car needs 80 s of him, so 5 days x 86,400 s / 80 s = 5,400 cars.
    # Steady state: a works 30 s and waits 50 s for the operator while he is at b, and b the reverse.
    scn = plant([pooled("a", 30), pooled("b", 50)], [{"name": "p", "shop": "shop", "size": 1}])
    res = simulate(scn, 1)
    assert res.scalars["completed"] == pytest.approx(5 * 86400 / 80, abs=1)
    a, b = row(res, "a"), row(res, "b")
    assert a.share_working == pytest.approx(30 / 80, abs=1e-4) and a.share_labour == pytest.approx(50 / 80, abs=1e-4)
    assert b.share_working == pytest.approx(50 / 80, abs=1e-4) and b.share_labour == pytest.approx(30 / 80, abs=1e-4)
    p = pool_row(res)
    assert p.utilisation == pytest.approx(1.0) and p.mean_present == 1.0
    assert p.cars_served == pytest.approx(2 * 5400, abs=2)   # a cycle at each station per car
    assert p.labour_wait_s == pytest.approx(5 * 86400 * (50 + 30) / 80, rel=1e-4)


@pytest.mark.slow
def test_one_operator_shared_by_two_stations_in_series_phases_to_do():
    # a, b exponential 37.5 s each, Poisson arrivals every 100 s, one operator, a large buffer
    # between them. The operator works whenever a station has a car waiting for him and finishes
    # an exponential phase at rate mu whatever the order, so the phases left to do (2 per car not
    # yet through a, 1 per car between a's end and b's end) form an M^X/M/1 queue with batches
    # of K = 2: L = rho (K + 1) / (2 (1 - rho)), rho = lambda K / mu = 0.75 -> 4.5 phases.
    scn = plant([pooled("a", expo(37.5)), pooled("b", expo(37.5))], [{"name": "p", "shop": "shop", "size": 1}],
                days=20, launch=expo(100), buffer_capacity=1000)

    def phases(res):
        a, b = row(res, "a"), row(res, "b")
        assert a.share_blocked == 0.0
        return 2 * (buffer_row(res, "arrivals").mean_level + a.share_working + a.share_labour) + \
            buffer_row(res, "shop.b").mean_level + b.share_working + b.share_labour

    rho = 2 * 37.5 / 100
    theory = rho * 3 / (2 * (1 - rho))
    assert_in_interval(replicate(scn, phases, 12, seed=7), theory, 0.02 * theory, "phases to do (M^X/M/1, K=2)")


# ---------------------------------------------------------------- (b) attendance

def test_absenteeism_draws_binomial_attendance_per_shift():
    # Pool of 2, absenteeism 0.5, a saturated station with 2 servers of a fixed 600 s cycle, four
    # 6 h shifts a day. Present on a shift ~ Binomial(2, 0.5): mean 1. Each present operator makes
    # 21,600 / 600 = 36 cars a shift, so throughput = mean present / 600 per second; the pool is
    # always fully used; a server waits for labour whenever fewer than 2 are present:
    # share_labour = 1 - mean present / 2 (both exact given the draws, up to the window edges).
    scn = plant([pooled("a", 600, servers=2)], [{"name": "p", "shop": "shop", "size": 2}],
                absenteeism=0.5, days=50, shifts=SIX_HOUR_SHIFTS)
    seed = 31

    def measure(res):
        p = pool_row(res)
        # the same draws, from the pool's own stream: one per shift from day 0, the window from day 1
        rng = Streams(seed, res.replication).generator("staffing.p.attendance")
        draws = [rng.binomial(2, 0.5) for _ in range(4 * 51)]
        assert p.mean_present == pytest.approx(np.mean(draws[4:]), abs=1e-12)
        assert throughput_per_s(res) * 600 == pytest.approx(p.mean_present, abs=2 / (50 * 4 * 36))
        assert p.utilisation == pytest.approx(1.0, abs=1e-12)
        assert row(res, "a").share_labour == pytest.approx(1 - p.mean_present / 2, abs=1e-9)
        return p.mean_present, throughput_per_s(res) * 3600

    values = np.array(replicate(scn, measure, 10, seed=seed))
    assert_in_interval(values[:, 0], 1.0, 0.0, "mean present of Binomial(2, 0.5)")
    assert_in_interval(values[:, 1], 6.0, 0.01, "cars per hour (1 operator x 6/h)")


def test_pool_size_per_shift_and_an_empty_shift():
    # Two 8 h shifts from 06:00; the pool has 2 operators on the first, none on the second: a
    # 300 s cycle makes 2 x 96 cars a day, and the station waits for labour through the second
    # shift (not a jam: the next morning brings the operators back).
    scn = plant([pooled("a", 300, servers=2)], [{"name": "p", "shop": "shop", "size": [2, 0]}],
                days=4, shifts={"count": 2, "start": "06:00", "length": "8 h"})
    res = simulate(scn, 3)
    assert res.scalars["completed"] == 4 * 2 * 96
    p = pool_row(res)
    assert p["size"] == "2/0" and p.mean_present == pytest.approx(1.0) and p.utilisation == pytest.approx(1.0)
    assert row(res, "a").share_labour == pytest.approx(8 / 24) and not res.scalars["deadlocked"]


# ---------------------------------------------------------------- (c) when short: slower

@pytest.mark.parametrize("size, when_short, cars_per_hour, utilisation", [
    (1, "slower", 30.0, 1.0),     # needs 2, has 1: every cycle takes 2 x 60 s -> half of 60 cars/h
    (2, "slower", 60.0, 1.0),     # the full crew on one server, the other always waits
    (3, "slower", 90.0, 1.0),     # one server with 2 (60 s), the other with 1 (120 s): 3 per 120 s
    (3, "wait", 60.0, 2 / 3),     # the third operator can never make a crew of 2
])
def test_slower_crews_keep_the_operator_seconds_per_car(size, when_short, cars_per_hour, utilisation):
    scn = plant([pooled("a", 60, servers=2, pool_operators=2, when_short=when_short)],
                [{"name": "p", "shop": "shop", "size": size}], days=2)
    res = simulate(scn, 5)
    assert throughput_per_s(res) * 3600 == pytest.approx(cars_per_hour, rel=1e-3)
    assert pool_row(res).utilisation == pytest.approx(utilisation, rel=1e-3)


def test_waiting_for_a_crew_the_pool_never_has_is_a_jam():
    scn = plant([pooled("a", 60, pool_operators=2)], [{"name": "p", "shop": "shop", "size": 1}], days=1)
    res = simulate(scn, 5)
    assert res.scalars["completed"] == 0 and res.scalars["deadlocked"]
    assert row(res, "a").share_labour == pytest.approx(1.0)
    assert pool_row(res).labour_wait_s == pytest.approx(86400.0)


# ---------------------------------------------------------------- (d) the labour state

def test_labour_state_with_breaks_failures_and_two_pools():
    shifts = {"count": 2, "start": "06:00", "length": "8 h", "breaks": [{"after": "4 h", "length": "30 min"}]}
    stations = [
        pooled("a", expo(50), servers=2, failures={"mtbf": "2 h", "mttr": "10 min"}),
        {"name": "b", "cycle_time": 45},
        pooled("c", {"dist": "uniform", "low": 40, "high": 80}, servers=3, pool_operators=2, when_short="slower",
               failures={"mtbf": "3 h", "mttr": "15 min", "clock": "calendar"}),
        pooled("d", expo(30), pool="q"),
    ]
    scn = plant(stations, [{"name": "p", "shop": "shop", "size": [3, 2]}, {"name": "q", "shop": "shop", "size": 1}],
                absenteeism=0.2, days=6, shifts=shifts, launch=expo(70))
    res = simulate(scn, 11)   # the invariants are checked inside: state times, pool counters
    table = res.stations.set_index("station")
    shares = [c for c in table.columns if c.startswith("share_") and c != "share_line_active"]
    assert shares[-4:] == ["share_labour", "share_feeder", "share_colour_change", "share_off_shift"]
    assert np.allclose(table[shares].sum(axis=1), 1.0, atol=1e-9)
    assert table.loc["a", "share_labour"] > 0.01 and table.loc["c", "share_labour"] > 0.01
    assert table.loc["b", "share_labour"] == 0.0
    assert list(res.pools.columns) == POOL_COLUMNS and list(res.pools.pool) == ["p", "q"]
    window = res.scalars["window_hours"] * 3600
    p, q = pool_row(res, "p"), pool_row(res, "q")
    # no calendar failures at d: the pool's wait time is its station's labour time
    assert q.labour_wait_s == pytest.approx(table.loc["d", "share_labour"] * window, rel=1e-9)
    # at a and c (c's calendar failures count part of the wait as down)
    assert p.labour_wait_s >= (table.loc["a", "share_labour"] * 2 + table.loc["c", "share_labour"] * 3) * window
    assert p["size"] == "3/2" and 0 < p.utilisation <= 1 and p.mean_present < 2.5
    # cycles with the pool's operators: every car once at a and once at c
    assert p.cars_served == pytest.approx(table.loc["a", "completions"] + table.loc["c", "completions"], abs=10)


def test_no_pools_gives_an_empty_table_and_plain_stations():
    from sim.model.builder import build_plant
    from sim.scenario.days import plant_days
    from sim.model.flow.station import PooledStation, Station
    scn = plant([{"name": "a", "cycle_time": 60}, pooled("b", 60)], [{"name": "p", "shop": "shop", "size": 1}])
    built = build_plant(scn, plant_days(scn.calendar, scn.horizon), 1, 0)
    a, b = built.nodes["shop"]
    assert type(a) is Station and type(b) is PooledStation   # no pool, no extra work per car
    res = simulate(plant([{"name": "a", "cycle_time": 60}], []), 1)
    assert res.pools.empty and list(res.pools.columns) == POOL_COLUMNS
    assert row(res, "a").share_labour == 0.0


# ---------------------------------------------------------------- (e) bad input

YAML = """\
name: bad
horizon: {days: 2}
calendar: {working_days_per_year: 250}
product: {models: [{name: M, share: 1}]}
shops:
  body:
    shifts: {count: 1}
    stations:
      - {name: a, cycle_time: 60}
  paint:
    shifts: {count: 1}
    stations:
      - {name: b, cycle_time: 60, labour_pool: POOL}
staffing:
  pools:
    - {name: crew, shop: SHOP, size: 2}
target: {annual_units: 1000}
"""


@pytest.mark.parametrize("pool, shop, path, message", [
    ("floaters", "paint", "shops.paint.stations[0].labour_pool (line 13)", "no labour pool 'floaters'"),
    ("crew", "body", "shops.paint.stations[0].labour_pool (line 13)", "belongs to shop 'body'"),
    ("crew", "stamping", "staffing.pools[0].shop (line 16)", "no shop 'stamping'"),
])
def test_bad_pool_references_name_the_yaml_path(tmp_path, pool, shop, path, message):
    file = tmp_path / "bad.yaml"
    file.write_text(YAML.replace("POOL", pool).replace("SHOP", shop))
    with pytest.raises(ScenarioError) as err:
        load_scenario(file)
    text = str(err.value)
    assert path in text and message in text, text
