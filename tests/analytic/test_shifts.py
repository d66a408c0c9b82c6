"""Shift calendars: work pauses off shift and resumes where it stopped.

Everything in a shop runs on its shift clock, so a deterministic line makes in
each day exactly what it makes in that day's net working time: with two 8 h
shifts and a 30 min break in each, 15 h = 54000 s a day. When the bottleneck
cycle divides 54000 s the line is in the same phase at the start of every
day, so after warm-up every row of the daily table is identical.
"""

import numpy as np
import pytest

from helpers import assert_in_interval, expo, replicate, row, scenario, simulate, station
from sim.scenario import validate_scenario

TWO_SHIFTS = {"count": 2, "start": "06:00", "length": "8 h", "breaks": [{"after": "4 h", "length": "30 min"}]}
NET_S = 2 * (8 * 3600 - 30 * 60)   # 54000 s of work a day
DAYS = 5


def daily_totals(res):
    counts = res.daily.drop(columns=[c for c in ("day", "date") if c in res.daily.columns])
    return counts.sum(axis=1).to_numpy()


def check_shift_accounting(res, days=DAYS):
    # on-shift time 15 h of 24 h: share_off_shift = 9/24 for every station; shop hours 15 h a day
    assert res.scalars["shop_hours"]["shop"] == pytest.approx(15.0 * days)
    for r in res.stations.itertuples():
        assert r.share_off_shift == pytest.approx(9 / 24)


@pytest.mark.parametrize("cycles, bottleneck", [((50, 80, 60), 80), ((60, 45, 90), 90)])
def test_free_flow_line_on_two_shifts_makes_the_same_cars_every_day(cycles, bottleneck):
    # Theory: 54000 s / bottleneck cycle cars a day (675 for 80 s, 600 for 90 s), exactly, on
    # every day of the window: rows identical after the one-day warm-up.
    scn = scenario([station(f"s{i}", c) for i, c in enumerate(cycles)], days=DAYS, warmup=1, shifts=TWO_SHIFTS)
    res = simulate(scn, 1)
    per_day = daily_totals(res)
    print(f"two shifts, cycles {cycles}: daily {per_day.tolist()}, theory {NET_S / bottleneck:g}")
    assert len(per_day) == DAYS
    assert (per_day == NET_S / bottleneck).all()
    assert res.scalars["completed"] == DAYS * NET_S / bottleneck
    check_shift_accounting(res)
    # the bottleneck works all of its shift time
    assert row(res, f"s{cycles.index(bottleneck)}").share_working == pytest.approx(15 / 24)


def test_paced_line_on_two_shifts():
    # Theory: a paced line with takt 72 s (stations 50 and 60 s) followed by a free 40 s station
    # indexes 54000 / 72 = 750 times a working day: 750 cars every day.
    scn = scenario([station("a", 50, line="L"), station("b", 60, line="L"), station("c", 40)],
                   days=DAYS, warmup=1, shifts=TWO_SHIFTS, lines={"L": {"takt": 72}})
    res = simulate(scn, 1)
    per_day = daily_totals(res)
    assert (per_day == NET_S / 72).all(), per_day
    check_shift_accounting(res)


def test_cycle_not_dividing_the_day_gives_floor_or_ceil():
    # Theory: with a 70 s bottleneck a day holds 54000 / 70 = 771.43 cycles: every day makes
    # 771 or 772 cars, and the window's total is 5 x 771.43 up to +-1 car.
    scn = scenario([station("a", 50), station("b", 70)], days=DAYS, warmup=1, shifts=TWO_SHIFTS)
    res = simulate(scn, 1)
    per_day = daily_totals(res)
    assert set(per_day.tolist()) <= {771, 772}, per_day
    assert abs(per_day.sum() - DAYS * NET_S / 70) <= 1


def test_dated_calendar_skips_weekends_and_holidays():
    # Theory: Mon 2025-01-06 + 14 days with a holiday on Wed 2025-01-15 has 9 working days
    # (2 x 5 weekdays - 1). The line works only those days: 675 cars on each, none else.
    raw_calendar = {"start_date": "2025-01-06", "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"],
                    "holidays": ["2025-01-15"]}
    raw = {
        "name": "dated", "horizon": {"days": 14, "warmup_days": 0},
        "calendar": raw_calendar,
        "product": {"models": [{"name": "M", "share": 1.0}]},
        "shops": {"shop": {"shifts": TWO_SHIFTS, "buffer_capacity": 1,
                           "stations": [station("a", 50), station("b", 80), station("c", 60)]}},
        "target": {"annual_units": 100000},
    }
    res = simulate(validate_scenario(raw), 1)
    assert res.scalars["working_days"] == 9
    assert len(res.daily) == 9
    assert "2025-01-15" not in set(res.daily["date"])
    per_day = daily_totals(res)
    # the first day starts from an empty line: the first car is out after 50 + 80 + 60 = 190 s,
    # then one every 80 s: 1 + floor((54000 - 190) / 80) = 673 cars
    assert per_day[0] == 1 + (NET_S - 190) // 80
    assert (per_day[1:] == NET_S / 80).all(), per_day
    assert res.daily.attrs.get("off_day_completions", 0) == 0
    assert res.scalars["shop_hours"]["shop"] == pytest.approx(9 * 15.0)


def test_store_decouples_shops_with_different_shifts():
    # Theory: body (two 8 h shifts, no break, 60 s bottleneck) makes 57600 / 60 = 960 bodies a
    # day; paint works 24 h at 80 s (1080 a day of capacity). The store fills at 1/60 - 1/80
    # per s during body's 16 h (peak 240 bodies) and paint drains it overnight, so with room
    # for 300 paint finishes every body: 960 cars a day, and body is never blocked.
    body = {"count": 2, "start": "06:00", "length": "8 h"}
    paint = {"shifts": {"count": 1, "start": "00:00", "length": "24 h"}, "stations": [station("p", 80)]}
    scn = scenario([station("b1", 50), station("b2", 60)], days=DAYS, warmup=2, shifts=body,
                   extra_shops={"paint": paint}, stores=[{"name": "store", "after": "shop", "capacity": 300}])
    res = simulate(scn, 1)
    per_day = daily_totals(res)
    assert (np.abs(per_day - 960) <= 1).all(), per_day
    assert abs(per_day.sum() - DAYS * 960) <= 1
    store = res.buffers[res.buffers.buffer == "store"].iloc[0]
    assert store.max_level == pytest.approx(57600 * (1 / 60 - 1 / 80), abs=2)
    assert row(res, "b2").share_blocked == 0.0


def test_poisson_queue_on_shifts_is_an_mm1_in_working_time():
    # Theory: arrivals are launched on the first shop's shift clock too, so in working time the
    # system is exactly an M/M/1 (lambda = 1/100 s, mu = 1/75 s): the utilisation on shift is
    # rho = 0.75, i.e. share_working / (1 - share_off_shift) -> 0.75. Tolerance: 99 % t-interval
    # over replications plus 0.002 for the window edges.
    scn = scenario([station("a", expo(75))], days=12, warmup=1, shifts=TWO_SHIFTS, launch=expo(100))
    values = replicate(scn, lambda res: row(res, "a").share_working / (1 - row(res, "a").share_off_shift),
                       10, seed=41)
    assert_in_interval(values, 0.75, 0.002, "M/M/1 utilisation on shift")
