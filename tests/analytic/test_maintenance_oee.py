"""Planned maintenance windows, OEE and feeders on their own shifts, against hand calculations.

All cases are deterministic: fixed cycle, fixed time between failures and fixed repair time,
so every count is exact.
"""

from __future__ import annotations

import pytest
from helpers import CONTINUOUS, ONE_MODEL, row, station

import sim
from sim.analysis.capacity import station_capacity
from sim.analysis.staffing import headcount
from sim.model.replication import simulate
from sim.scenario import validate_scenario

ONE_SHIFT = {"count": 1, "start": "06:00", "length": "8 h"}


def failing_plant(maintenance=None, line=False, clock="operating"):
    """One station of 60 s on one 8 h shift, failing after 7.5 h of work, 2 h to repair; 10 days."""
    st = station("a", 60, failures={"time_between": "7.5 h", "time_to_repair": "2 h", "clock": clock})
    shop = {"shifts": ONE_SHIFT, "stations": [{**st, "line": "L"} if line else st]}
    if line:
        shop["lines"] = {"L": {}}
    if maintenance:
        shop["maintenance"] = maintenance
    return validate_scenario({"name": "m", "horizon": {"days": 10, "warmup_days": 0},
                              "calendar": {"working_days_per_year": 250}, "product": {"models": ONE_MODEL},
                              "shops": {"shop": shop}, "target": {"annual_units": 1000}})


@pytest.mark.parametrize("line", [False, True])
def test_without_maintenance_a_repair_takes_the_next_shift(line):
    # 80 h of shift: every 7.5 h of work a 2 h repair -> 8 failures (9.5 h each, the 9th would start at 76 h
    # and end after 80 h... it starts at 8 x 9.5 = 76 h + 7.5 h > 80 h: not reached), 16 h down, 64 h of work
    res = simulate(failing_plant(line=line), 1)
    a = row(res, "a")
    assert a.downs == 8
    assert a.share_down * 240 == pytest.approx(16.0)
    assert res.scalars["completed"] == 64 * 60


@pytest.mark.parametrize("line,clock", [(False, "operating"), (False, "calendar"), (True, "operating")])
def test_a_window_long_enough_finishes_every_repair_off_shift(line, clock):
    # each day: 7.5 h of work, the failure at 13:30, 0.5 h of repair in the shift and 1.5 h after it,
    # inside the 3 h window: the next day starts up -> 10 failures, 5 h down, 75 h of work
    res = simulate(failing_plant({"between_days": "3 h"}, line=line, clock=clock), 1)
    a = row(res, "a")
    assert a.downs == 10
    assert a.share_down * 240 == pytest.approx(5.0)
    assert res.scalars["completed"] == 75 * 60


def test_a_short_window_carries_the_rest_of_the_repair_into_the_next_shift():
    # day 1: work 7.5 h, fail, 0.5 h of repair in the shift + 1 h in the window -> 0.5 h left for day 2.
    # The pattern then shifts from day to day (a failure falling exactly on a shift end belongs to the
    # next day's first cycle and gets no window), so the answer is a walk in worked time, done by hand:
    res = simulate(failing_plant({"between_days": "1 h"}, line=False), 1)
    a = row(res, "a")
    # worked-time walk: shift ends at 8, 16, ... h; a repair crossing an end loses 1 h of repair there
    w, down, downs, work = 0.0, 0.0, 0, 0.0
    while True:
        if w + 7.5 > 80:
            work += 80 - w
            break
        w += 7.5
        work += 7.5
        end, repair = w, 2.0
        boundary = (int(w // 8) + 1) * 8 if w % 8 else w + 8  # a failure at a shift end belongs to the next day
        if end + repair > boundary:
            repair -= boundary - end + 1.0
            end = boundary
            end += max(0.0, repair)
        else:
            end += repair
        down += min(end, 80) - w
        downs += 1
        w = end
        if w >= 80:
            break
    assert a.downs == downs
    assert a.share_down * 240 == pytest.approx(down)
    assert res.scalars["completed"] == round(work * 60)


@pytest.mark.parametrize("line", [False, True])
def test_preventive_maintenance_restarts_the_failure_clock(line):
    # day 1 fails at 13:30 and is repaired in the window; day 2 starts afresh and runs 06:30 .. 14:00
    # (7.5 h) without failing: it would fail with the first cycle of day 3, but the window services
    # it first. So every second day fails: 5 failures of 0.5 h in the shift, 75 h of work
    res = simulate(failing_plant({"between_days": "1 h", "preventive": True}, line=line), 1)
    a = row(res, "a")
    assert a.downs == 5
    assert a.share_down * 240 == pytest.approx(5 * 0.5 + 5 * 0.5)
    assert res.scalars["completed"] == 75 * 60


def test_weekend_maintenance_hours_add_up_over_the_days_off():
    # Mon-Fri, one 8 h shift, failing after 39.5 h of work with a 2 h repair: the first failure comes on
    # Friday 13:30 (4 x 8 + 7.5 h); between_days 0 h, days_off 1 h: Friday's window is 2 x 1 h (Sat, Sun)
    # >= the 1.5 h left, so Monday starts up
    st = station("a", 60, failures={"time_between": "39.5 h", "time_to_repair": "2 h"})
    raw = {"name": "w", "horizon": {"days": 8, "warmup_days": 0},  # Monday 6 to Monday 13 January
           "calendar": {"start_date": "2025-01-06", "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"]},
           "product": {"models": ONE_MODEL},
           "shops": {"shop": {"shifts": ONE_SHIFT, "stations": [st],
                              "maintenance": {"between_days": "0 h", "days_off": "1 h"}}},
           "target": {"annual_units": 1000}}
    res = simulate(validate_scenario(raw), 1)
    assert row(res, "a").share_down * 8 * 24 == pytest.approx(0.5)
    raw["shops"]["shop"]["maintenance"]["days_off"] = "30 min"  # 1 h over the weekend: 0.5 h left for Monday
    res = simulate(validate_scenario(raw), 1)
    assert row(res, "a").share_down * 8 * 24 == pytest.approx(1.0)


# ---------------------------------------------------------------- OEE


def test_oee_of_a_paced_line_with_fixed_stops():
    # takt 60 s, stations 50 s and 40 s, the first stopping 600 s after every 3,600 s the line runs:
    # availability 3600 / 4200, performance 1 (one car a takt while running), quality 1
    scn = validate_scenario({
        "name": "oee", "horizon": {"days": 20, "warmup_days": 1}, "calendar": {"working_days_per_year": 250},
        "product": {"models": ONE_MODEL},
        "shops": {"shop": {"shifts": CONTINUOUS, "lines": {"L": {"takt": 60}}, "stations": [
            station("s1", 50, line="L", failures={"time_between": 3600, "time_to_repair": 600}),
            station("s2", 40, line="L")]}},
        "target": {"annual_units": 1000}})
    oee = sim.run(scn, replications=1).summary["oee"]
    line, shop = oee["lines"]["shop.L"], oee["shops"]["shop"]
    # the 20-day window holds 411.4 run-and-repair cycles of 70 min: the part-cycle at its ends moves
    # the shares by at most one repair (600 s) or one takt over the window
    edge = 600 / (20 * 86400) + 1e-4
    assert line["availability"] == pytest.approx(6 / 7, abs=edge)
    assert line["performance"] == pytest.approx(1.0, abs=edge)
    assert line["quality"] == 1.0
    assert line["oee"] == pytest.approx(6 / 7, abs=2 * edge)
    assert shop["oee"] == pytest.approx(6 / 7, abs=2 * edge) and shop["availability"] == line["availability"]


def test_oee_quality_is_the_shops_first_pass_share():
    scn = validate_scenario({
        "name": "q", "horizon": {"days": 10, "warmup_days": 1}, "calendar": {"working_days_per_year": 250},
        "product": {"models": ONE_MODEL},
        "shops": {"shop": {"shifts": CONTINUOUS, "buffer_capacity": 5, "lines": {"L": {"takt": 60}}, "stations": [
            station("s1", 50, line="L"), station("check", 20), station("fix", 100, off_line=True)],
            "quality": {"inspection": "check", "first_pass_yield": 0.8,
                        "rework": [{"share": 1.0, "repair": "fix", "reenter": "check"}]}}},
        "target": {"annual_units": 1000}})
    result = sim.run(scn, replications=1)
    q = result.summary["quality"]["shop"]
    line = result.summary["oee"]["lines"]["shop.L"]
    assert line["quality"] == pytest.approx(1 - q["failed"] / q["inspected"], abs=1e-4)
    assert 0.75 < line["quality"] < 0.85


# ---------------------------------------------------------------- feeders on their own shifts


def own_shift_plant(feeder_shifts: int, feeder_cycle: float):
    return validate_scenario({
        "name": "own", "horizon": {"days": 10, "warmup_days": 2}, "calendar": {"working_days_per_year": 250},
        "product": {"models": ONE_MODEL},
        "shops": {"shop": {"shifts": ONE_SHIFT, "buffer_capacity": 2,
                           "stations": [station("a", 30), station("join", 30, operators=2)],
                           "feeders": {"f": {"joins": "join", "built": "to_stock", "buffer": 5000,
                                             "shifts": {**ONE_SHIFT, "count": feeder_shifts},
                                             "stations": [station("fa", feeder_cycle, operators=1)]}}}},
        "target": {"annual_units": 1000}})


def test_a_feeder_on_two_shifts_keeps_a_one_shift_line_fed():
    # the feeder makes 72 parts an hour on 16 h a day (1,152 a day) for a line taking 120 an hour on
    # 8 h (960 a day): after the warm-up's stock the line never waits, exactly 960 cars a day
    res = simulate(own_shift_plant(2, 50), 1)
    assert res.scalars["completed"] == 10 * 960
    assert row(res, "join").share_feeder == 0.0
    assert row(res, "fa").share_off_shift == pytest.approx(1 / 3)
    assert station_capacity(own_shift_plant(2, 50)).set_index("station").loc["fa", "cars_per_hour"] == \
        pytest.approx(144.0)
    crews = headcount(own_shift_plant(2, 50))
    operators = crews[crews.role == "operator"].set_index("shift")["headcount"]
    assert operators.to_dict() == {1: 3, 2: 1}  # the line's crew on shift 1, the feeder's on both


def test_a_feeder_on_one_shift_limits_the_line_to_its_rate():
    # the feeder makes 72 an hour on the same 8 h: the line finishes 72 an hour (576 a day) and waits
    # for parts the rest of the time: 1 - 72 x 30 / 3600 = 40% of its shift
    res = simulate(own_shift_plant(1, 50), 1)
    assert res.scalars["completed"] == pytest.approx(10 * 576, abs=2)
    join = row(res, "join")
    assert join.starved_by == "f"
    assert join.share_feeder / (1 - join.share_off_shift) == pytest.approx(0.4, abs=0.01)
