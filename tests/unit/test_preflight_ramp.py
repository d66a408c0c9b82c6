"""The pre-flight estimate of a ramp-up, a plan and overtime against a hand calculation.

One shop, one shift of 8 h (28,800 s) without breaks, a paced line of two stations at a takt of 60 s: 480
indexes a working day at design speed; station b fails every 6 h for 10 min (availability 36/37), so the static
capacity is 480 x 36/37 cars a working day. The horizon is 14 days from Monday 2025-02-03: 10 working days
(Mondays to Fridays, no holiday), all in February (20 working days). The engine runs EVENTS_PER_SECOND.
"""

import pytest

from sim.experiment.preflight import EVENTS_PER_SECOND, estimate
from sim.scenario import validate_scenario


def plant(**sections):
    return validate_scenario({
        "name": "ramp", "horizon": {"days": 14, "warmup_days": 0}, "calendar": {"start_date": "2025-02-03"},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"body": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"}, "lines": {"main": {"takt": 60}},
                           "stations": [{"name": "a", "cycle_time": 50, "line": "main"},
                                        {"name": "b", "cycle_time": 50, "line": "main",
                                         "failures": {"mtbf": "6 h", "mttr": "10 min"}}]}},
        "target": {"annual_units": 100_000}, **sections})


def test_a_slow_capped_month_costs_more_events_a_car():
    """Half speed: the line indexes every 120 s, 240 times a day, 2,400 events; at most 100 launches a day:
    1,000 cars, 2.4 events a car (at design speed: 480 indexes a day for 480 x 36/37 cars; uncapped at half
    speed, half of them)."""
    slow = estimate(plant(ramp_up={"months": {"2025-02": {"line_speed": 0.5, "launches_per_day": 100}}}))
    assert slow.cars == pytest.approx(1000) and slow.events == pytest.approx(2400)
    assert slow.seconds == pytest.approx(2400 / EVENTS_PER_SECOND)
    design = estimate(plant(ramp_up={"months": {"2025-02": {"shifts": 1}}}))
    assert design.cars == pytest.approx(4800 * 36 / 37) and design.events == pytest.approx(4800)
    uncapped = estimate(plant(ramp_up={"months": {"2025-02": {"line_speed": 0.5}}}))
    assert uncapped.cars == pytest.approx(2400 * 36 / 37) and uncapped.events == pytest.approx(2400)


def test_the_plan_caps_the_cars_and_overtime_adds_the_line_indexes():
    """February's plan of 600 cars over its 20 working days: 30 a day, 300 in the 10 days; the line still indexes
    480 times a day: 4,800 events. Overtime of 1 h after the shift on each of February's 20 working days is 20 h,
    above a worker's 12 h a month: 12 h = 43,200 s spread over the 20 days, 2,160 s a day: 36 more indexes a day,
    5,160 events."""
    planned = estimate(plant(plan={"months": {"2025-02": 600}}))
    assert planned.cars == pytest.approx(300) and planned.events == pytest.approx(4800)
    over = estimate(plant(plan={"months": {"2025-02": 600}, "overtime": {"after_shift": "1 h"}}))
    assert over.cars == pytest.approx(300) and over.events == pytest.approx(4800 + 360)


def test_the_estimate_counts_the_engine_that_will_run_the_plant(monkeypatch):
    """The same events, at the compiled engine's rate where it covers the plant, else at the SimPy processes'."""
    from pathlib import Path

    from sim.experiment.preflight import COMPILED_EVENTS_PER_SECOND
    from sim.scenario import load_scenario
    almaty = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "almaty.yaml")
    monkeypatch.setenv("SIM_ENGINE", "simpy")
    simpy = estimate(almaty)
    monkeypatch.setenv("SIM_ENGINE", "compiled")
    compiled = estimate(almaty)
    assert compiled.events == simpy.events
    assert simpy.seconds == pytest.approx(simpy.events / EVENTS_PER_SECOND)
    assert compiled.seconds == pytest.approx(compiled.events / COMPILED_EVENTS_PER_SECOND)
