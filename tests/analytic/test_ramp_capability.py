"""A ramp-up the plant earns, against hand-counted answers: the plan as a yardstick (``plan.cap_launches:
false``), the months it was above what the plant could do, and a new shift's crew on its own learning curve
(``learning.<shop>.new_crews``, ``sim.model.components.learning.Crews``).

The cases are those of ``test_ramp``: one deterministic station of 60 s on one 8 h shift from 06:00, no breaks,
on a dated calendar from Monday 2025-01-06: 480 cars a working day, January and February 20 working days each.
"""

import pandas as pd
import pytest

from sim.analysis.summary import throughput_table
from sim.analysis.months import months_summary, monthly_table, plan_above_capability
from sim.model.builder import build_plant
from sim.model.components.learning import Crews, multiplier
from sim.model.replication import simulate
from sim.scenario.days import plant_days
from sim.scenario.plan import planned_volume
from test_ramp import daily, scenario

DAY = 86400.0
ONE_THEN_TWO = {"months": {"2025-01": {"shifts": 1}, "2025-02": {"shifts": 2}}}


# ---------------------------------------------------------------- the plan as a yardstick

def test_without_the_cap_the_plan_no_longer_binds():
    """The case of test_ramp's levelled plan (January 250 under launches_per_day 10, February 250): capped, the
    launch follows the plan (200, then 300). Without the cap February launches what the station makes,
    480 a day (9,600); January keeps the ramp-up's 10 launches a day, a limit of the plant, not of the plan."""
    ramp = {"months": {"2025-01": {"launches_per_day": 10}, "2025-02": {}}}
    capped, _ = daily(scenario(ramp_up=ramp, plan={"months": {"2025-01": 250, "2025-02": 250}}))
    assert sum(capped[20:]) == 300
    cars, months = daily(scenario(ramp_up=ramp, plan={"months": {"2025-01": 250, "2025-02": 250},
                                                      "cap_launches": False}))
    assert cars == [10] * 20 + [480] * 20
    assert months == {"2025-01": 200, "2025-02": 9_600}


def test_plan_above_capability_flags_exactly_the_hand_computed_months():
    """January 2025 to March (85 days; March 2025 has 21 working days, 3 to 31 March): the plant can do 200 in
    January (10 launches a day), 9,600 in February and 10,080 in March. The plan of 250, 10,000 and 5,000 is
    above it in January and February (one run of two months: 10,250 planned, 9,800 made), not in March."""
    scn = scenario(horizon={"days": 85}, ramp_up={"months": {"2025-01": {"launches_per_day": 10}, "2025-02": {}}},
                   plan={"months": {"2025-01": 250, "2025-02": 10_000, "2025-03": 5_000}, "cap_launches": False})
    _, months = daily(scn)
    assert months == {"2025-01": 200, "2025-02": 9_600, "2025-03": 10_080}
    throughput = throughput_table([simulate(scn, 1)])
    section = months_summary(throughput, planned_volume(scn), 400.0, yardstick=True)
    assert section["plan_above_capability"] == [
        {"from": "2025-01", "to": "2025-02", "months": 2, "plan": 10_250, "units": 9_800.0}]
    capped = months_summary(throughput, planned_volume(scn), 400.0)
    assert "plan_above_capability" not in capped  # a capped plan is what the plant builds: no yardstick


def test_plan_above_capability_uses_the_interval_with_replications():
    """With replications a month is flagged when its plan is above the upper end of the 95% interval of its
    cars: two replications of 100 and 120 (mean 110, interval 110 +- 12.706 x 10 / sqrt(2) x sqrt(2) = 110 +-
    127.06) do not flag a plan of 200; a plan of 300 is above 237.06."""

    rows = [{"replication": r, "day": 0, "date": "2025-01-06", "model": "A", "units": u} for r, u in ((0, 100),
                                                                                                      (1, 120))]
    table = monthly_table(pd.DataFrame(rows), {"2025-01": 200})
    assert table["ci95_high"].iloc[0] == pytest.approx(110 + 12.7062047 * 10, rel=1e-6)
    assert plan_above_capability(table) == []
    table = monthly_table(pd.DataFrame(rows), {"2025-01": 300})
    assert [r["from"] for r in plan_above_capability(table)] == ["2025-01"]


# ---------------------------------------------------------------- a new shift's crew

def crew_scenario(**crew):
    """Shift 2 (14:00-22:00) from February with a crew of its own; the shop's cycle-time curve m(n) =
    max(1, 4 / n) (rate 0.5, first 4), the founding crew mature from the start (built_before 3: car 4)."""
    return scenario(ramp_up=ONE_THEN_TWO, learning={"shop": {
        "built_before": 3, "cycle_time": {"rate": 0.5, "first": 4}, "new_crews": {2: {"hired": "2025-01-06", **crew}}}})


def exits(scn):
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), 1, 0)
    plant.run()
    return plant, [t for t, _, _, _ in plant.completed]


def test_a_new_crew_starts_on_its_own_curve_the_old_one_keeps_its_experience():
    """Without new_crews the shop learns as one, mature since car 4: 960 a day from 3 February. With a crew of
    its own, shift 2 starts at its car 1 at 14:00 on 3 February: 240 s, 120 s, 80 s (m = 4, 2, 4/3), then 60 s;
    the first shift runs its 60 s throughout (its cars leave at 06:01, 06:02, ..., 14:00). The crew's cars leave
    at 14:04, 14:06, 14:07:20, 14:08:20, ... and 3 + floor((28,800 - 440) / 60) = 475 of them by 22:00 (the
    476th, started at 21:59:20, leaves at 06:00:20 the next day, on the first shift); from then on 960 a day."""
    shared = scenario(ramp_up=ONE_THEN_TWO, learning={"shop": {"built_before": 3,
                                                               "cycle_time": {"rate": 0.5, "first": 4}}})
    assert daily(shared)[0] == [480] * 20 + [960] * 20
    scn = crew_scenario()
    assert daily(scn)[0] == [480] * 20 + [955] + [960] * 19
    plant, times = exits(scn)
    feb3 = 28 * DAY
    first_shift = [t - feb3 - 6 * 3600 for t in times if feb3 + 6 * 3600 < t <= feb3 + 14 * 3600]
    assert first_shift == pytest.approx([60.0 * k for k in range(1, 481)], abs=1e-6)
    second = [t - feb3 - 14 * 3600 for t in times if feb3 + 14 * 3600 < t <= feb3 + 22 * 3600]
    assert len(second) == 475
    assert second[:5] == pytest.approx([240.0, 360.0, 440.0, 500.0, 560.0], abs=1e-6)
    crews = plant.components["learning"].experience["shop"]
    assert isinstance(crews, Crews)
    first, second = crews.crew_cars()[1], crews.crew_cars()[2]
    assert first == (4, 4 + 20 * 480 + 20 * 480)  # the first shift's 9,600 cars in each month
    assert second[0] == 1.0 and second[1] >= 1 + 475 + 19 * 480  # its own cars only (and any after the window)


def test_shadowing_gives_the_crew_a_head_start():
    """Hired on 27 January, no training, shadowing 0.001: between 27 January and its first shift it sees the
    shop build 5 x 480 (27 to 31 January) + 480 (3 February's first shift) = 2,880 cars, so it starts at car
    1 + 2.88 = 3.88: its first cycle takes 60 x 4 / 3.88 = 61.856 s, the next (car 4.88) the mature 60 s."""
    plant, times = exits(crew_scenario(hired="2025-01-27", shadowing=0.001))
    assert plant.components["learning"].experience["shop"].crew_cars()[2][0] == pytest.approx(3.88, abs=1e-12)
    start = 28 * DAY + 14 * 3600
    second = [t - start for t in times if start < t <= start + 200]
    assert second[:2] == pytest.approx([60 * multiplier(4, 0.5, 3.88), 60 * multiplier(4, 0.5, 3.88) + 60],
                                       abs=1e-6)
    assert multiplier(4, 0.5, 3.88) == pytest.approx(4 / 3.88, rel=1e-12)


def test_the_crew_on_shift_by_the_clock():
    """Three 8 h shifts from 06:00: 05:00 on the first day is before any shift (the first crew); 06:00 starts
    shift 1, 14:00 shift 2 (a car leaving at 14:00 is shift 1's last), 22:00 to 06:00 the next day shift 3 (it
    runs past midnight); 06:00 the next day shift 1 again. One 8 h shift: 15:00 (overtime after it, or a car
    leaving off shift) is its crew's."""
    from sim.scenario.schema import ShopLearning, Shifts
    spec = ShopLearning(cycle_time={"rate": 0.5, "first": 4})
    hour = 3600.0
    crews = Crews(spec, None, None, Shifts(count=3, start="06:00", length="8 h"), None, {})
    at = [(5, False), (6, False), (13.99, False), (14, False), (14, True), (22, False), (27, False),
          (29.99, False), (30, False), (30, True)]
    assert [crews.crew_at(h * hour, leaving)[0] for h, leaving in at] == [0, 0, 0, 1, 0, 2, 2, 2, 0, 2]
    assert crews.crew_at(23 * hour)[1:] == (22 * hour, 30 * hour)
    one = Crews(spec, None, None, Shifts(count=1, start="06:00", length="8 h"), None, {})
    assert one.crew_at(15 * hour) == (0, 6 * hour, 30 * hour)
