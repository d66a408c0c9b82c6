"""Overtime when the plant is behind its plan, against hand-counted answers (``sim.model.components.overtime``).

One deterministic station of 60 s on one 8 h shift from 06:00 (480 cars a working day), a dated calendar from
Monday 2025-01-06 (no holidays); the plan asks 10,000 cars in January's 20 working days, 500 a day: the plant
falls 20 cars a day behind unless it works overtime. Decisions come at 06:00 on each week's first working day.
"""

import pytest

from sim.scenario.days import plant_days
from sim.model.builder import build_plant
from sim.model.replication import simulate
from sim.model.components.overtime import OvertimeFigures
from sim.scenario import ScenarioError, validate_scenario

from test_ramp import daily, scenario

PLAN = {"months": {"2025-01": 10_000}}


def with_overtime(days=26, **overtime):
    return scenario(horizon={"days": days}, plan={**PLAN, "overtime": overtime})


def test_hours_after_the_shift_make_up_the_gap_by_hand():
    """Week 1 (6-10 Jan): no history, no overtime: 480 a day, 2,400 launched and 1 more pulled as Friday's shift
    ends (it counts for Monday). 13 Jan: 2,500 planned to Friday, 2,401 launched: 99 behind; the rate was 2,400
    cars in 40 h = 1 a minute, so 99 minutes are wanted: 1 h after Monday's shift and 1 h after Tuesday's
    (540 cars each). 20 Jan: 5,000 planned, 2,401 + 2,520 = 4,921 launched: 79 behind, 79 minutes: Monday and
    Tuesday again. 27 Jan: 7,500 planned, 7,441 launched: 59 behind, 59 minutes: Monday only. January: 9,900
    cars, 5 h of overtime a worker."""
    scn = with_overtime(after_shift="1 h")
    cars, months = daily(scn)
    assert cars == [480] * 5 + [540, 540, 480, 480, 480] * 2 + [540, 480, 480, 480, 480]
    assert months == {"2025-01": 9_900}
    overtime = simulate(scn, 1).figures["overtime"]
    assert overtime.by_month == {"2025-01": {"saturdays": 0, "days_lengthened": 5, "hours_per_worker": 5.0}}
    assert overtime.weeks_behind == 3
    assert overtime.cars_in_overtime == 5 * 60


def test_the_monthly_limit_per_worker_holds():
    """At most 4 h a month: weeks 2 and 3 take 2 h each; week 4 gets none (9,840 cars)."""
    cars, months = daily(with_overtime(after_shift="1 h", monthly_hours="4 h"))
    assert cars == [480] * 5 + [540, 540, 480, 480, 480] * 2 + [480] * 5
    assert months == {"2025-01": 9_840}


def test_a_saturday_worked_when_behind():
    """13 Jan: 99 behind: the week's Saturday (18 Jan) is worked, its launches still under the cumulative plan: by
    Thursday's end 2,400 + 4 x 480 = 4,320 launched of the 5,000 planned to Friday; Friday launches 480 and
    Saturday the 200 left (the Saturday belongs to Friday's launch day), then the station waits for Monday.
    20 Jan: 5,000 planned, 5,000 launched: no overtime. A second Saturday would pass 12 h a month."""
    scn = with_overtime(days=19, saturdays=2)
    table = simulate(scn, 1).daily
    cars = dict(zip(table.date, table.drop(columns=["day", "date"]).sum(axis=1)))
    assert cars["2025-01-18"] == 200
    assert [cars[d] for d in sorted(cars) if d != "2025-01-18"] == [480] * 15
    overtime = simulate(scn, 1).figures["overtime"]
    assert overtime.by_month == {"2025-01": {"saturdays": 1, "days_lengthened": 0, "hours_per_worker": 8.0}}
    assert overtime.cars_in_overtime == 200


def test_no_overtime_when_the_plant_keeps_up():
    """A plan the plant can make (400 a day): never behind, so overtime changes nothing at all."""
    plain = scenario(horizon={"days": 26}, plan={"months": {"2025-01": 8_000}})
    allowed = scenario(horizon={"days": 26}, plan={"months": {"2025-01": 8_000},
                                                   "overtime": {"after_shift": "2 h", "saturdays": 2}})
    a, b = simulate(plain, 1), simulate(allowed, 1)
    assert a.daily.equals(b.daily) and a.stations.equals(b.stations)
    assert b.figures["overtime"].by_month == {} and b.figures["overtime"].weeks_behind == 0


def test_state_times_add_up_with_overtime_in_the_clock():
    """The shift clock gains the overtime in place: every station's state times still add up to its (longer)
    shift time, the invariants hold, and the shop's shift hours include the overtime (20 x 8 h + 5 h)."""
    scn = with_overtime(after_shift="1 h")
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), 1, 0)
    plant.run()
    result = simulate(scn, 1)
    plant.check_invariants(result.stations)
    assert result.scalars["shop_hours"]["shop"] == pytest.approx(20 * 8 + 5)


@pytest.mark.parametrize("overtime, words", [
    ({}, ["after_shift", "saturdays"]),
    ({"after_shift": "13 h"}, ["more than 12 h"]),
    ({"saturdays": 6}, ["less than or equal to 5"]),
])
def test_bad_overtime(overtime, words):
    with pytest.raises(ScenarioError) as error:
        validate_scenario({"name": "x", "horizon": {"days": 26}, "calendar": {"start_date": "2025-01-06"},
                           "product": {"models": [{"name": "A", "share": 1.0}]},
                           "shops": {"shop": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                                              "stations": [{"name": "s", "cycle_time": 60}]}},
                           "target": {"annual_units": 1000}, "plan": {**PLAN, "overtime": overtime}})
    text = str(error.value)
    assert "plan.overtime" in text
    for word in words:
        assert word in text, text


def test_hours_after_the_shift_must_fit_before_the_next_day():
    """Three 8 h shifts leave no room after the last one; two leave 8 h."""
    raw = {"name": "x", "horizon": {"days": 26}, "calendar": {"start_date": "2025-01-06"},
           "product": {"models": [{"name": "A", "share": 1.0}]},
           "shops": {"shop": {"shifts": {"count": 2, "start": "06:00", "length": "8 h"},
                              "stations": [{"name": "s", "cycle_time": 60}]}},
           "target": {"annual_units": 1000}, "plan": {**PLAN, "overtime": {"after_shift": "2 h"}}}
    validate_scenario(raw)
    raw["ramp_up"] = {"months": {"2025-01": {"shifts": 3}}}
    with pytest.raises(ScenarioError) as error:
        validate_scenario(raw)
    assert "plan.overtime.after_shift" in str(error.value) and "does not fit in shops.shop.shifts" in str(error.value)


def test_no_overtime_under_a_launch_cap():
    """launches_per_day 450 holds every day below the plan's 500: the plant is behind, but more hours would
    not launch more cars, so none are worked: 450 a day."""
    scn = scenario(horizon={"days": 26}, ramp_up={"months": {"2025-01": {"launches_per_day": 450}}},
                   plan={**PLAN, "overtime": {"after_shift": "1 h", "saturdays": 1}})
    cars, _ = daily(scn)
    assert cars == [450] * 20
    assert simulate(scn, 1).figures["overtime"] == OvertimeFigures(by_month={}, weeks_behind=0, cars_in_overtime=0)


def test_one_run_of_a_plan_has_no_batch_means_interval():
    """Batch means assume output that does not change by design from week to week: a plain one-run plant
    gets their interval, a planned one (here the same plant under a plan it keeps up with) none."""
    import sim
    plain = sim.run(scenario(horizon={"days": 54}), replications=1).summary["throughput"]["annual_units"]
    planned = sim.run(scenario(horizon={"days": 54}, plan={"months": {"2025-01": 9_000, "2025-02": 9_000}}),
                      replications=1).summary["throughput"]["annual_units"]
    assert plain["ci95_low"] is not None
    assert planned["ci95_low"] is None and planned["n"] == 1
