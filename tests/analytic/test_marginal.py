"""Marginal values (sim.experiment.marginal) against exact answers on deterministic lines and the known
bottleneck of a random line."""

from __future__ import annotations

import pytest
from helpers import scenario, station

from sim.experiment.marginal import (AVAILABILITY, BUFFER, CYCLE, _station_paths, availability_change, find_resource,
                                     marginal_values)
from sim.scenario import ScenarioError

WINDOW = (86400.0, 3 * 86400.0)  # days=2 after a 1-day warm-up, around the clock
PER_YEAR, DAYS = 250, 2


def finished(cycle: float, after: float) -> int:
    """Cars done at the last station inside the window: car k leaves the first station (fed without limit,
    ``cycle`` s) at cycle*k and the faster second one ``after`` s later."""
    lo, hi = WINDOW
    return sum(1 for k in range(1, int(hi // cycle) + 2) if lo <= cycle * k + after < hi)


def by(result, resource, change):
    return next(c for c in result.changes if c.resource.name == resource and c.change == change)


def test_deterministic_line_bottleneck_gains_its_cycle_and_the_other_station_nothing():
    sc = scenario([station("a", 60), station("b", 50)], days=DAYS, warmup=1)
    result = marginal_values(sc, replications=2, top=2)
    gain = by(result, "a", CYCLE).gain
    exact = (finished(59, 50) - finished(60, 50)) * PER_YEAR / DAYS
    assert gain["mean"] == pytest.approx(exact, abs=1e-6)
    assert gain["ci95_low"] == pytest.approx(exact, abs=1e-6) and gain["ci95_high"] == pytest.approx(exact, abs=1e-6)
    base = result.base.summary["throughput"]["annual_units"]["mean"]
    assert base == finished(60, 50) * PER_YEAR / DAYS
    # the calendar's count is the analytic rate 60/59 up to one car at each end of the window
    assert abs((base + exact) / base - 60 / 59) < 2 / finished(60, 50)
    for change in (CYCLE, BUFFER):  # the 50 s station holds nothing up: exactly zero
        assert by(result, "b", change).gain["mean"] == 0.0
    assert by(result, "a", AVAILABILITY).skipped.startswith("no breakdowns")
    assert "launch" in by(result, "a", BUFFER).skipped
    assert result.changes[0].resource.name == "a" and result.changes[0].change == CYCLE


def test_paced_line_takt_binding_indexes_one_second_faster():
    # a takt-bound line (takt 60, stations 40 and 50) before a 45 s station: -1 s = takt 59 exactly
    sc = scenario([station("p1", 40, line="main"), station("p2", 50, line="main"), station("after", 45)],
                  lines={"main": {"takt": 60}}, days=DAYS, warmup=1)
    line = find_resource(sc, "main")
    result = marginal_values(sc, resources=["shop.main"], replications=2, top=1)
    change = by(result, "main", CYCLE)
    assert change.assignments == ["shops.shop.lines.main.takt=59"]
    # the line indexes every takt from t = 0; car k leaves it at takt*k and is done 45 s later
    exact = (finished(59, 45) - finished(60, 45)) * PER_YEAR / DAYS
    assert change.gain["mean"] == pytest.approx(exact, abs=1e-6)
    assert line.kind == "line"


def test_availability_plus_one_point_sets_mtbf_exactly():
    sc = scenario([station("a", 60, failures={"mtbf": 3600, "mttr": 400})], days=1, warmup=0.5)
    change = availability_change(sc, find_resource(sc, "a"), _station_paths(sc))
    mtbf = float(change.assignments[0].split("=")[1])
    assert mtbf / (mtbf + 400) == pytest.approx(0.9 + 0.01, abs=1e-6)  # 3600/4000 = 90% -> 91%


def test_random_line_ranks_the_known_bottleneck_first():
    # b fails often (availability 1/(1 + 720/3600) = 83%); a and c hardly (99%): b is the bottleneck and
    # every change worth most is at b
    rare = {"mtbf": 8 * 3600, "mttr": 300}
    sc = scenario([station("a", 60, failures=rare), station("b", 60, failures={"mtbf": 3600, "mttr": 720}),
                   station("c", 60, failures=rare)], days=5, warmup=1, buffer_capacity=2)
    result = marginal_values(sc, replications=4, top=3)
    assert result.changes[0].resource.name == "b"
    top = result.changes[0].gain
    assert top["ci95_low"] > 0  # significant
    b_availability = by(result, "b", AVAILABILITY).gain
    a_availability = by(result, "a", AVAILABILITY).gain
    assert b_availability["mean"] > a_availability["mean"]
    assert b_availability["ci95_low"] > 0


def test_bad_resource_names_say_what_exists():
    sc = scenario([station("a", 60), station("b", 50)], days=1, warmup=0.5)
    with pytest.raises(ScenarioError) as err:
        find_resource(sc, "shop.nowhere")
    text = str(err.value)
    assert "nowhere" in text and "shop.a" in text and "shop.b" in text
    with pytest.raises(ScenarioError):
        marginal_values(sc, resources=["zz"], replications=1)
    assert find_resource(sc, "b").label == "shop.b"


def test_availability_plus_one_point_holds_a_rare_modes_mtbf_at_ten_years():
    """A rare mode whose MTBF x factor would pass 10 years (the longest time a scenario may give) is held at 10
    years and the other mode takes up the rest: the station still gains exactly one point, and the candidate
    scenario validates (`sim bottleneck` on almaty.yaml stopped on its topcoat booth's chain or drive mode)."""
    from sim.scenario import with_overrides
    from sim.scenario.units import MAX_SECONDS
    modes = [{"name": "stops", "mtbf": 3600, "mttr": 300}, {"name": "rare", "mtbf": 3.0e8, "mttr": 7200}]
    sc = scenario([station("a", 60, failures={"modes": modes})], days=1, warmup=0.5)
    change = availability_change(sc, find_resource(sc, "a"), _station_paths(sc))
    mtbfs = [float(a.split("=")[1]) for a in change.assignments]
    assert mtbfs[1] == MAX_SECONDS and "10 years" in change.what
    before = 1 / (1 + 300 / 3600 + 7200 / 3.0e8)
    assert 1 / (1 + 300 / mtbfs[0] + 7200 / mtbfs[1]) == pytest.approx(before + 0.01, abs=1e-6)
    with_overrides(sc, change.assignments)  # the candidate is a valid scenario
