"""Learning curves against known answers: Wright's textbook unit and cumulative-average times, a one-station
shop and paced lines worked car by car by hand, the first-pass yield against its Markov chain solved here,
the failure rate against the expected number of failures per car, and no change at all where nothing learns.

Wright's law (``sim.model.components.learning``): m(n) = max(1, first x n^b), b = log2(rate), n the shop's next car.
"""

import math

import numpy as np
import pytest

from helpers import CONTINUOUS, ONE_MODEL, station, t_interval
from sim.analysis.summary import summarise
from sim.scenario.days import plant_days
from sim.model.flow.car import InvariantError
from sim.model.components.learning import (Experience, LearningGate, first_pass_yield, mature_at, multiplier,
                                yield_mature_at)
from sim.model.builder import build_plant
from sim.model.replication import simulate
from sim.model.flow.states import StateAccount, make_failures
from sim.model.streams import Streams
from sim.scenario.window import Window
from sim.scenario import load_scenario, validate_scenario
from sim.scenario.schema import Failures, ShopLearning

from tests_paths import SMALL

HOUR = 3600.0
B80 = math.log2(0.8)


def one_shop(stations, learning, *, days, lines=None, quality=None, warmup=0):
    """A validated one-shop scenario ('shop', one 24 h shift, every day a working day) with ``learning``
    for that shop."""
    shop = {"shifts": CONTINUOUS, "buffer_capacity": 1, "stations": stations}
    if lines:
        shop["lines"] = lines
    if quality:
        shop["quality"] = quality
    return validate_scenario({
        "name": "learning", "horizon": {"days": days, "warmup_days": warmup},
        "calendar": {"working_days_per_year": 250}, "product": {"models": ONE_MODEL},
        "shops": {"shop": shop}, "target": {"annual_units": 1000}, "learning": {"shop": learning}})


def completions(scn, seed=1) -> list[float]:
    """Completion times (s) of the cars finished in the window, in order."""
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), seed, 0)
    plant.run()
    return [t for t, _, _, _ in plant.completed]


# ---------------------------------------------------------------- Wright's law, the textbook


def test_textbook_unit_times_and_cumulative_average():
    """An 80% curve with T(1) = 100 h: T(2) = 80, T(4) = 64, T(8) = 51.2 h; the cumulative average of the
    first 8 units is their exact sum / 8 = 534.6 / 8 = 66.8 h (the textbook's unit-curve table)."""
    # hours: the multiplier on a mature 1 h from first = 100, whose floor (n* = 1.6 million) is far away
    unit = [multiplier(100.0, 0.8, n) for n in range(1, 9)]
    assert unit[0] == 100.0
    assert unit[1] == pytest.approx(80.0, rel=1e-12)
    assert unit[3] == pytest.approx(64.0, rel=1e-12)
    assert unit[7] == pytest.approx(51.2, rel=1e-12)
    assert unit[2] == pytest.approx(100 * 3 ** B80, rel=1e-12) and round(unit[2], 2) == 70.21
    total = sum(100.0 * n ** B80 for n in range(1, 9))
    assert sum(unit) == pytest.approx(total, rel=1e-12)
    assert round(total, 1) == 534.6 and round(total / 8, 1) == 66.8


def test_the_curve_meets_the_mature_value_at_n_star_and_stays():
    """m(n) = max(1, 2 n^log2(0.85)): n* = 2^(1 / 0.2345) = 19.2; cars 1..19 learn, car 20 on is mature."""
    n_star = mature_at(2.0, 0.85)
    assert n_star == pytest.approx(2 ** (-1 / math.log2(0.85)), rel=1e-12) and round(n_star, 1) == 19.2
    values = [multiplier(2.0, 0.85, n) for n in range(1, 200)]
    assert values[0] == 2.0 and values[1] == pytest.approx(1.7, rel=1e-12)
    assert all(v > 1.0 for v in values[:19]) and all(v == 1.0 for v in values[19:])
    assert all(a >= b for a, b in zip(values, values[1:]))
    assert mature_at(1.0, 0.85) == 1.0
    # the yield: defects 1 - FPY at 0.4 on the first car, the mature 0.1 reached at (0.4 / 0.1)^(1 / 0.3219)
    assert first_pass_yield(0.6, 0.9, 0.8, 1) == pytest.approx(0.6, rel=1e-12)
    assert first_pass_yield(0.6, 0.9, 0.8, 2) == pytest.approx(1 - 0.4 * 0.8, rel=1e-12)
    assert yield_mature_at(0.6, 0.9, 0.8) == pytest.approx(4 ** (-1 / B80), rel=1e-12)
    assert first_pass_yield(0.6, 0.9, 0.8, 74) < 0.9 and first_pass_yield(0.6, 0.9, 0.8, 75) == 0.9  # n* = 74.2
    assert first_pass_yield(0.9, 0.9, 0.8, 1) == 0.9 and yield_mature_at(0.9, 0.9, 0.8) == 1.0


def test_experience_moves_on_per_car_and_checks_its_invariants():
    """The shop's next car starts at built_before + 1; multipliers >= 1 and never rising, the yield in [0, 1]
    and never falling; a curve that would rise (a rate above 1, refused by the loader) raises InvariantError."""
    spec = ShopLearning(built_before=3, cycle_time={"rate": 0.8, "first": 100}, failures={"rate": 0.9, "first": 3},
                        first_pass_yield={"rate": 0.8, "first": 0.5})
    state = Experience(spec, 0.9)
    assert state.car == 4 and state.cycle == pytest.approx(100 * 4 ** B80) and state.fpy == pytest.approx(
        1 - 0.5 * 4 ** B80)
    for _ in range(5000):
        before = (state.cycle, state.failures, state.fpy)
        state.car_left()
        assert 1.0 <= state.cycle <= before[0] and 1.0 <= state.failures <= before[1]
        assert before[2] <= state.fpy <= 1.0
    assert state.car == 5004 and state.failures == 1.0 and state.fpy == 0.9 and state.cycle > 1.0
    rising = ShopLearning.model_construct(built_before=0, cycle_time=type(spec.cycle_time).model_construct(
        rate=1.25, first=2.0), failures=None, first_pass_yield=None)
    state = Experience(rising, None)
    with pytest.raises(InvariantError, match="cycle-time learning multiplier at car 2"):
        state.car_left()


# ---------------------------------------------------------------- a one-station shop, car by car


@pytest.mark.parametrize("built_before", [0, 3])
def test_one_station_shop_finishes_its_cars_at_the_hand_sums(built_before):
    """One station, 1 h of mature work, an 80% curve with first = 100 (T(1) = 100 h; mature only after
    1.6 million cars): the shop's k-th car in the run is its car n = built_before + k and takes
    T(n) = 100 h x n^log2(0.8) (the station takes the next car when the last one has left, so the shop has
    built n - 1 cars when car n starts). Its completion is the sum of the unit times before it, and its lead
    time (launched as the station takes it) its unit time."""
    scn = one_shop([station("work", "1 h")], {"built_before": built_before, "cycle_time": {"rate": 0.8,
                                                                                          "first": 100}}, days=30)
    done = completions(scn)
    unit = [100 * HOUR * (built_before + k) ** B80 for k in range(1, 20)]
    hand = np.cumsum(unit)
    expected = int((hand < 30 * 86400).sum())  # cars finished in 30 days
    assert len(done) == expected >= 8
    assert done == pytest.approx(list(hand[:expected]), rel=1e-12)
    if built_before == 0:  # the textbook's first eight: 100 + 80 + 70.21 + 64 + ... = 534.6 h
        assert round(done[7] / HOUR, 1) == 534.6
    lead = simulate(scn, 1).lead_times
    assert lead == pytest.approx([u / HOUR for u in unit[:expected]], rel=1e-12)


# ---------------------------------------------------------------- paced lines


def test_paced_line_indexes_at_max_takt_and_the_learnt_work():
    """Two stations on a line, takt 100 s, work 90 and 70 s, cycle-time curve rate 0.8, first 1.5:
    m(1) = 1.5, m(2) = 1.2, m(3) = 1.5 x 3^log2(0.8) = 1.0532, m(4) = max(1, 0.96) = 1.

    Index k works car k at the first station and car k-1 at the second; car k-1 leaves at its end, so index k
    runs at the shop's car n = k - 1 (n = 1 for the first index), for max(100, m(n) x 90):
    135, 135, 108, 100, 100, ...: car 1 leaves at 270, car 2 at 378, car k >= 3 at 378 + 100 (k - 2).
    Over-cycles: the first station's cars in indexes 1, 2, 3 (135, 135, 108 s) and the second's in index 2
    (1.5 x 70 = 105 s): 3 and 1; the stops (35 + 35 + 8 = 78 s) are booked on the slower, the first.
    Its working time: 135 + 135 + 108 + 1.0532 x 90 + 90 for each later index, the last one (from 86,378 s,
    100 s long) 22 s inside the day."""
    scn = one_shop([station("a", 90, line="main"), station("b", 70, line="main")],
                   {"cycle_time": {"rate": 0.8, "first": 1.5}}, days=1, lines={"main": {"takt": 100}})
    done = completions(scn)
    assert done[:4] == pytest.approx([270.0, 378.0, 478.0, 578.0], abs=1e-9)
    assert done[1:] == pytest.approx([378.0 + 100.0 * j for j in range(len(done) - 1)], abs=1e-6)
    result = simulate(scn, 1)
    stations = result.stations.set_index("station")
    assert list(stations["over_cycles"]) == [3, 1]
    assert stations.loc["a", "over_cycle_stop_s"] == pytest.approx(78.0, abs=1e-9)
    assert stations.loc["b", "over_cycle_stop_s"] == 0.0
    m3 = 1.5 * 3 ** B80
    full = int((86400 - 478) // 100)  # indexes 5 .. 4 + full end by the end of the day
    working_a = 135 + 135 + 108 + m3 * 90 + 90 * full + 90 * (86400 - 478 - 100 * full) / 100
    assert stations.loc["a", "share_working"] * 86400 == pytest.approx(working_a, abs=1e-6)


def test_line_without_takt_indexes_at_its_slowest_learnt_work():
    """The same two stations on a line without a takt: it indexes at its slowest station's m(n) x work,
    135, 135, 108, 1.0532 x 90 = 94.79, then 90: cars leave at 270, 378, 472.79, 562.79, ..."""
    scn = one_shop([station("a", 90, line="main"), station("b", 70, line="main")],
                   {"cycle_time": {"rate": 0.8, "first": 1.5}}, days=0.1, lines={"main": {}})
    third = 378.0 + 1.5 * 3 ** B80 * 90
    assert completions(scn)[:5] == pytest.approx([270.0, 378.0, third, third + 90, third + 180], abs=1e-9)


def test_drift_zone_takes_the_learnt_work_a_station_never_over_cycles_without_it():
    """One station of 90 s (below the 100 s takt: without learning it never over-cycles), zone 1.3 (30 s of
    drift), no floater, rate 0.8, first 1.5. The car leaves with each index, so index k runs at car n = k.
    Index 1: 135 s of work, excess 35 > 30: the line stops 5 s (105 s), 30 s carried; index 2: 30 + 108 - 100
    = 38: stops 8 (108 s), 30 carried; index 3: 30 + 94.78 - 100 = 24.78 carried (100 s); then 14.78, 4.78,
    nothing. Cars leave at 105, 213, 313, 413, ...; 2 over-cycles, 13 s of stop, drift up to 30 s."""
    scn = one_shop([station("a", 90, line="main")], {"cycle_time": {"rate": 0.8, "first": 1.5}}, days=1,
                   lines={"main": {"takt": 100, "over_cycle": {"zone": 1.3}}})
    done = completions(scn)
    assert done[:3] == pytest.approx([105.0, 213.0, 313.0], abs=1e-9)
    assert done[2:] == pytest.approx([313.0 + 100.0 * j for j in range(len(done) - 2)], abs=1e-6)
    row = simulate(scn, 1).stations.iloc[0]
    assert row.over_cycles == 2 and row.over_cycle_stop_s == pytest.approx(13.0, abs=1e-9)
    assert row.drift_max_s == pytest.approx(30.0, abs=1e-9)


# ---------------------------------------------------------------- failures


FIXED_FAILURES = {"time_between": {"dist": "fixed", "value": 250}, "time_to_repair": {"dist": "fixed", "value": 10}}


@pytest.mark.parametrize("kind", ["free-flow station", "paced line"])
def test_failure_times_are_divided_when_drawn(kind):
    """100 s of work per car, a failure after every 250 s of operation (10 s repairs), failure curve rate 0.5,
    first 4: the time to failure drawn with car n is 250 / max(1, 4 / n). Drawn at the start (car 1): 62.5,
    fails in car 1 at 62.5, repaired at 72.5, drawn again with car 1 (62.5): car 1 done at 110 with 25 left;
    car 2 fails at 135, repaired 145, drawn with car 2: 125, done 220 with 50 left; car 3 fails at 270,
    repaired 280, drawn with car 3: 187.5, done 330 with 137.5 left; car 4 (mature): 330 to 430, 37.5 left;
    car 5 fails at 467.5, repaired 477.5, drawn 250, done 540; car 6 to 640 (87.5 left); car 7 fails at 727.5,
    done 750. A paced line (takt 100) draws on its running clock at the same moments: the same times."""
    extra = {"line": "main"} if kind == "paced line" else {}
    scn = one_shop([station("a", 100, failures=FIXED_FAILURES, **extra)], {"failures": {"rate": 0.5, "first": 4}},
                   days=0.01, lines={"main": {"takt": 100}} if extra else None)
    assert completions(scn)[:7] == pytest.approx([110.0, 220.0, 330.0, 430.0, 540.0, 640.0, 750.0], abs=1e-9)


def expected_failures(mtbf: float, work: float, h: list[float]) -> float:
    """Expected failures over cars of ``work`` s of operation each, car n failing at rate h[n] / mtbf once its
    first time to failure is past (exponential times, each drawn at a repair with the car then at the station).

    Car 1 starts with a time drawn at rate l1 = h[1] / mtbf: Poisson(l1 x work) failures. Car n >= 2 starts with
    the rest of a time drawn at car n - 1's rate a (memoryless: that rest is exponential at rate a, when car
    n - 1 had a failure, which with a x work = 60 or more it has but for e^-60): the first failure at t < work
    with density a e^(-a t), then Poisson at rate l = h[n] / mtbf for the rest:
    E = (1 - e^(-a w)) + l (w - (1 - e^(-a w)) / a)."""
    rates = [x / mtbf for x in h]
    total = rates[0] * work
    for a, rate in zip(rates, rates[1:]):
        first = 1.0 - math.exp(-a * work)
        total += first + rate * (work - first / a)
    return total


def test_expected_failures_per_car_follow_the_curve():
    """Exponential times between failures (mature MTBF 10 min), 10 h of operation per car, failure curve rate
    0.8, first 3 (n* = 30.3: all 20 cars learn): the failures of 20 cars over 30 replications against the
    expected number worked out per car (``expected_failures``); about 60 x sum 3 n^b = 2,200, against 1,200
    mature. The station is the model's (``make_failures`` with the shop's experience); the car leaving moves
    the experience on, as the shop's exit does."""
    mtbf, work, cars = 600.0, 36000.0, 20
    spec = ShopLearning(failures={"rate": 0.8, "first": 3})
    failures_spec = Failures(mtbf=mtbf, mttr=60)
    counts = []
    for rep in range(30):
        state = Experience(spec, None)
        server = make_failures(failures_spec, Streams(11, rep), "shop.a[0]", None, state)
        account, w = StateAccount(Window(0.0, math.inf)), 0.0
        for _ in range(cars):
            w = server.work(w, work, account)
            state.car_left()
        counts.append(server.downs)
    h = [multiplier(3.0, 0.8, n) for n in range(1, cars + 1)]
    theory = expected_failures(mtbf, work, h)
    ci = t_interval(counts)
    assert ci.contains(theory), f"failures {ci} against {theory:.1f}"
    assert ci.half < 0.02 * theory  # sharp enough to tell the curve from the mature 1,200
    assert abs(theory - cars * work / mtbf) > 10 * ci.half


# ---------------------------------------------------------------- first-pass yield


def yield_chain(inspections: int, fpy) -> tuple[float, float]:
    """Mean and variance of the failures in ``inspections`` inspections when the car inspected with k cars
    passed before it passes with probability fpy(k + 1): the Markov chain of the passes, solved by stepping
    its distribution one inspection at a time."""
    p = np.array([fpy(k + 1) for k in range(inspections + 1)])
    dist = np.zeros(inspections + 1)
    dist[0] = 1.0
    for _ in range(inspections):
        moved = dist * p
        dist = dist - moved
        dist[1:] += moved[:-1]
    passes = np.arange(inspections + 1)
    mean = float((dist * passes).sum())
    return inspections - mean, float((dist * passes ** 2).sum()) - mean ** 2


def test_first_pass_yield_failures_against_the_markov_chain():
    """One inspection station (60 s a car), mature yield 0.9 with the failing 10% scrapped, yield curve rate
    0.85 from 0.4 (n* = 2,084): the car inspected after k cars passed passes with FPY(k + 1) (the shop's next
    car is the passes + 1), so the failures of a day's 1,439 inspections follow the chain ``yield_chain``: mean
    216.8 (sd 14.4) against 143.9 mature. 20 replications; the mean within its 99% interval, each within 4.5 sd."""
    scn = one_shop([station("inspect", 60)], {"first_pass_yield": {"rate": 0.85, "first": 0.4}}, days=1,
                   quality={"inspection": "inspect", "first_pass_yield": 0.9, "scrap": 0.1})
    runs = [simulate(scn, 5, rep).scalars["inspections"]["shop"] for rep in range(20)]
    assert {r["inspected"] for r in runs} == {1439}
    mean, variance = yield_chain(1439, lambda n: first_pass_yield(0.4, 0.9, 0.85, n))
    failed = [r["failed"] for r in runs]
    ci = t_interval(failed)
    assert ci.contains(mean), f"failures {ci} against the chain's {mean:.1f}"
    assert all(abs(f - mean) < 4.5 * math.sqrt(variance) for f in failed)
    assert mean - 0.1 * 1439 > 5 * ci.half  # the learning is visible: far above the mature 143.9


def test_learning_gate_keeps_the_mature_mix_of_scrap_and_rework():
    """Mature yield 0.8, scrap 0.05 (a quarter of the failing cars), rework paths for the rest: at a yield of
    0.6 the gate passes u < 0.6, scraps 0.6 <= u < 0.6 + 0.4 / 4 = 0.7 and reworks the rest; back at the mature
    yield its thresholds are the plain gate's, exactly."""
    spec = ShopLearning(first_pass_yield={"rate": 0.8, "first": 0.6})
    state = Experience(spec, 0.8)
    lane = object()
    draws = iter([0.59, 0.61, 0.69, 0.71, 0.61, 0.79, 0.84, 0.86])
    scrapped = []
    gate = LearningGate("onward", 0.8, 0.05, [(1.0, lane, True, lane)], lambda: next(draws), scrapped.append,
                        lambda: True, experience=state)

    class Car:
        reentry = None

    routed = [gate.route(Car())[0] for _ in range(4)]
    assert routed == ["onward", None, None, lane] and len(scrapped) == 2
    assert gate.scrap_below == pytest.approx(0.7, rel=1e-12)
    while state.fpy != 0.8:
        state.car_left()
    routed = [gate.route(Car())[0] for _ in range(4)]
    assert routed == ["onward", "onward", None, lane]
    assert (gate.pass_below, gate.scrap_below) == (0.8, 0.8 + 0.05)


# ---------------------------------------------------------------- nothing learns, nothing changes


def test_curves_at_their_mature_values_change_nothing():
    """first: 1 for the cycle time and failures, and the first yield equal to the mature one: every multiplier is
    1 and the yield the mature one from the first car, so the run is the run without learning, table for
    table (only the summary gains its learning section and the resolved scenario its curves)."""
    plain = load_scenario(SMALL)
    flat = load_scenario(SMALL, ["learning={body: {cycle_time: {rate: 0.85, first: 1}, failures: {rate: 0.9, "
                                 "first: 1}}, paint: {cycle_time: {rate: 0.8, first: 1}, first_pass_yield: "
                                 "{rate: 0.8, first: 0.88}}}"])
    a, b = simulate(plain, 3), simulate(flat, 3)
    assert a.stations.equals(b.stations) and a.buffers.equals(b.buffers) and a.daily.equals(b.daily)
    assert np.array_equal(a.lead_times, b.lead_times) and a.store_levels.equals(b.store_levels)
    learning = b.figures["learning"].cars
    assert a.scalars == {k: v for k, v in b.scalars.items() if k != "learning"}
    assert learning["paint"]["end"] == learning["paint"]["start"] + b.scalars["shop_exits"]["paint"]
    summary = summarise(flat, [b], 3)["learning"]
    paint = summary["paint"]["curves"]
    assert paint["cycle_time"]["at_first_car"] == 1.0 and paint["cycle_time"]["mature_at_car"] == 1.0
    assert paint["first_pass_yield"]["at_window_end"] == 0.88


def test_summary_reports_where_each_curve_stood():
    """small.yaml with the body learning (cycle time 0.85 from 2, failures 0.9 from 3; n* = 19.2 and 1,376.9)
    and paint's yield from 0.5 with 10 pilot cars built (its first car in the run is car 11:
    FPY = 1 - 0.5 x 11^log2(0.8) = 0.7689): the window starts after the day's warm-up, past the cycle-time
    curve's n*, and each value at the window's edges is the curve's at the car numbers the replication counted."""
    scn = load_scenario(SMALL, ["learning={body: {cycle_time: {rate: 0.85, first: 2}, failures: {rate: 0.9, "
                                "first: 3}}, paint: {built_before: 10, first_pass_yield: {rate: 0.8, first: 0.5}}}"])
    rep = simulate(scn, 3)
    body = summarise(scn, [rep], 3)["learning"]["body"]
    cars = rep.figures["learning"].cars["body"]
    assert body["car_at_window_start"] == cars["start"] > 20 and body["car_at_window_end"] == cars["end"]
    cycle, failures = body["curves"]["cycle_time"], body["curves"]["failures"]
    assert (cycle["at_first_car"], cycle["mature_at_car"], cycle["at_window_start"]) == (2.0, 19.2, 1.0)
    assert failures["mature_at_car"] == 1376.9
    assert failures["at_window_start"] == round(3 * cars["start"] ** math.log2(0.9), 4)
    paint = summarise(scn, [rep], 3)["learning"]["paint"]["curves"]["first_pass_yield"]
    assert paint["at_first_car"] == round(1 - 0.5 * 11 ** B80, 4) == 0.7689
    assert paint["mature"] == 0.88 and paint["mature_at_car"] == round(yield_mature_at(0.5, 0.88, 0.8), 1)


def test_no_learning_no_experience():
    """Without ``learning`` the plant keeps no experience: its exits and gates are the plain ones."""
    scn = load_scenario(SMALL)
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), 1, 0)
    assert plant.component("learning") is None and not any(isinstance(g, LearningGate) for g in plant.gates.values())
