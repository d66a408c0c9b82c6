"""Valid scenarios at the edges run and report, with numbers a planner can trust."""
import pytest

import sim
from sim.analysis.capacity import shop_capacity
from sim.experiment.preflight import check, estimate
from sim.scenario import ScenarioError, validate_scenario, with_overrides


def one_station(**shop) -> dict:
    return {
        "name": "one", "horizon": {"days": 5, "warmup_days": 0},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"only": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                           "stations": [{"name": "fit", "cycle_time": 60}], **shop}},
        "target": {"annual_units": 1000},
    }


def test_a_plant_without_any_buffer_runs_and_reports():
    # one station pulling from the launch: 8 h x 60 cars/h x 5 days = 2,400 cars, no buffer anywhere
    result = sim.run(validate_scenario(one_station()))
    assert result.buffers.empty and "kind" in result.buffers.columns
    assert result.summary["throughput"]["annual_units"]["mean"] == pytest.approx(480 * 250)


def test_static_capacity_ignores_a_repair_no_car_visits(small_raw):
    # every car passes paint's inspection first time: the spot repair (30 min, 2 servers in small.yaml)
    # would cap paint at 4 cars/h if it were counted; it is visited by no car
    small_raw["shops"]["paint"]["quality"]["first_pass_yield"] = 1.0
    scenario = validate_scenario(small_raw)
    paint = shop_capacity(scenario, 246)["paint"]
    assert paint["limiting_station"] != "spot_repair"
    assert paint["cars_per_hour"] > 20


def test_a_shift_of_one_working_second_is_slow_not_jammed():
    # a break covers all but 1 s of the shift: a 60 s cycle needs 60 days; the station works, slowly
    raw = one_station()
    raw["shops"]["only"]["shifts"]["breaks"] = [{"after": "1 s", "length": "28799 s"}]
    summary = sim.run(validate_scenario(raw)).summary
    assert not any("jammed" in w for w in summary["warnings"])
    assert any(w.startswith("no car finished in the measured window") for w in summary["warnings"])


def test_zero_output_says_why(small_path):
    scenario = sim.load_scenario(small_path, ["horizon={days: 1, warmup_days: 0}",
                                              "shops.paint.stations[topcoat].cycle_time=20 h"])
    summary = sim.run(scenario).summary
    assert summary["throughput"]["annual_units"]["mean"] == 0
    (warning,) = [w for w in summary["warnings"] if w.startswith("no car finished")]
    assert "paint.topcoat" in warning and "shift hours" in warning


def test_a_window_without_a_working_day_is_refused_before_the_clock_starts():
    raw = one_station()
    raw["calendar"] = {"start_date": "2025-01-04", "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"]}  # a Saturday
    raw["horizon"] = {"days": 1, "warmup_days": 0}
    with pytest.raises(ScenarioError, match="holds no working day"):
        check(validate_scenario(raw))


def test_an_absurd_run_is_refused_with_its_estimate_unless_forced(small_path):
    scenario = sim.load_scenario(small_path)
    fast = with_overrides(scenario, ["launch={interarrival: {dist: exponential, mean: 0.001}}"])
    with pytest.raises(ScenarioError, match="--force") as error:
        check(fast)
    assert "events a replication" in str(error.value)
    assert check(fast, force=True).waiting_cars > 1e8  # 11 days x 16 h of arrivals every millisecond
    # the shipped scenario passes, with an estimate near what it simulates
    found = check(scenario)
    result = sim.run(scenario)
    launched = result.replications[0].scalars["launched_total"]
    assert 0.5 < found.cars / launched < 2
    assert estimate(scenario).events > found.cars
