"""The finished-car yard, trucks and trains against known answers.

Every case but the destination shares is deterministic and exact: fixed cycle times on a shop that works
around the clock, so a car leaves the end of line on every whole hour (or every 100 s) and the yard's
content, the cars each carrier takes and the days they waited follow by hand (each test's docstring walks
through it). The destination shares are drawn: their counts must fall in the exact binomial 99.9%
acceptance interval. The last tests follow the figures into the summary, the results folder, the report
and the comparison of two runs.
"""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import CONTINUOUS, row, station
from sim.analysis.compare import compare
from sim.experiment.runner import run
from sim.scenario.days import plant_days
from sim.model.flow.car import Car, InvariantError
from sim.model.components.outbound import truck_times
from sim.model.builder import build_plant
from sim.model.replication import simulate
from sim.results import read_run, write_run
from sim.report.html import run_report_html
from sim.scenario import validate_scenario

HOUR = 3600.0
DAY = 86400.0


def plant_raw(stations, *, days, warmup, outbound=None, models=None, calendar=None, buffer_capacity=1):
    """A one-shop plant working around the clock, every day a working day (unless ``calendar`` says)."""
    raw = {
        "name": "outbound",
        "horizon": {"days": days, "warmup_days": warmup},
        "calendar": calendar or {"working_days_per_year": 250},
        "product": {"models": models or [{"name": "M", "share": 1.0}]},
        "shops": {"shop": {"shifts": CONTINUOUS, "buffer_capacity": buffer_capacity, "stations": stations}},
        "target": {"annual_units": 100000},
    }
    if outbound is not None:
        raw["outbound"] = outbound
    return raw


def hourly(outbound, *, days, warmup, export=0.0, calendar=None):
    """One station finishing a car every hour (car k at k hours) into the yard."""
    return validate_scenario(plant_raw([station("eol", "1 h")], days=days, warmup=warmup, outbound=outbound,
                                       models=[{"name": "M", "share": 1.0, "export_share": export}],
                                       calendar=calendar))


# ---------------------------------------------------------------- a yard that never empties


def test_a_yard_that_never_empties_blocks_the_line_after_exactly_its_capacity():
    """Stations A and B of 100 s with one place between them; a yard of 10 and no truck or train.

    B finishes car k at 100 (k + 1) s and the yard takes it: cars 1..10 by 1,100 s. Car 11, done at 1,200 s,
    finds the yard full: B holds it (blocked). A put car 12 into the buffer at 1,200 s and holds car 13,
    done at 1,300 s (blocked). So the end of line completed exactly 10 cars and 13 were launched: 10 in
    the yard, one on B, one in the buffer, one on A. From 1,200 s on the end of line is blocked, the whole
    measured window: B's state is blocked, and the yard counts every shift hour of the window."""
    scn = validate_scenario(plant_raw([station("A", 100), station("B", 100)], days=2, warmup=1,
                                      outbound={"yard": {"capacity": 10}}))
    res = simulate(scn, seed=1)
    s = res.scalars
    assert s["completed_total"] == 10 and s["launched_total"] == 13 and s["wip_end"] == 3
    assert s["completed"] == 0  # nothing reached the end of line in the window
    assert not s["deadlocked"]  # a full yard is not a jam of the line: outbound reports it
    b, a = row(res, "B"), row(res, "A")
    assert b.share_blocked == 1.0 and a.share_blocked == 1.0
    out = res.figures.get("outbound")
    assert out.in_yard_end == 10 and out.shipped == 0 and out.blocked_at_end
    assert out.blocked_hours == pytest.approx(s["window_hours"], abs=1e-9)
    assert out.yard == {"mean": 10.0, "max": 10, "share_full": 1.0}
    assert out.blocks == 0  # the block began in the warm-up


def test_blocked_hours_are_the_last_stations_blocked_time():
    """The same line with a yard of 10 emptied by one truck of 5 cars at 12:00 each day, two days measured
    after one: each day the yard fills, blocks the end of line, and the truck frees 5 places at noon. The
    yard's blocked hours are exactly B's blocked time (B is the end of line and nothing else blocks it)."""
    scn = validate_scenario(plant_raw([station("A", 100), station("B", 100)], days=2, warmup=1, outbound={
        "yard": {"capacity": 10}, "trucks": {"per_day": 1, "cars_per_truck": 5, "at": ["12:00"]}}))
    res = simulate(scn, seed=1)
    window_s = res.scalars["window_hours"] * HOUR
    out = res.figures.get("outbound")
    assert out.blocks == 2 and out.shipped == 10  # a truck a day in the window, full each time
    assert out.blocked_hours * HOUR == pytest.approx(row(res, "B").share_blocked * window_s, abs=1e-6)
    # after each truck B runs 5 cars (500 s) into the freed places, then blocks again: 2 x 500 s not blocked
    assert out.blocked_hours * HOUR == pytest.approx(window_s - 2 * 500, abs=1e-6)


# ---------------------------------------------------------------- an always-empty yard


def test_an_always_empty_yard_changes_nothing_for_the_same_seed(small_raw):
    """A yard with room for every car (and daily trucks, daily trains) never blocks: the plant's figures are
    those of the same scenario without outbound, station by station and day by day (its own random streams
    leave the plant's untouched)."""
    with_yard = dict(small_raw, outbound={
        "yard": {"capacity": 1_000_000}, "trucks": {"per_day": 4, "cars_per_truck": 10},
        "trains": [{"name": "A", "share": 0.5, "cars_per_wagon": 10, "wagons": 5, "per_week": 7,
                    "delay": {"dist": "exponential", "mean": "6 h"}, "cancelled": 0.1},
                   {"name": "B", "share": 0.5, "cars_per_wagon": 10, "wagons": 5, "per_week": 7}]})
    plain, yard = validate_scenario(small_raw), validate_scenario(with_yard)
    for replication in (0, 1):
        a, b = simulate(plain, 11, replication), simulate(yard, 11, replication)
        assert a.figures.get("outbound") is None and b.figures.get("outbound") is not None
        pd.testing.assert_frame_equal(a.stations, b.stations)
        pd.testing.assert_frame_equal(a.buffers, b.buffers)
        pd.testing.assert_frame_equal(a.daily, b.daily)
        assert np.array_equal(a.lead_times, b.lead_times)
        assert a.scalars == b.scalars
        assert b.figures["outbound"].blocked_hours == 0 and b.figures["outbound"].shipped > 0


# ---------------------------------------------------------------- trucks


def test_truck_schedule_by_hand():
    """A car every hour (car k at k h), all domestic; one truck of 30 a day at 12:30; 3 days after 1 of warm-up.

    Day 0's truck takes cars 1..12; from then each truck at 24 d + 12.5 h takes the 24 cars done since the
    last (hours 24 d - 11 .. 24 d + 12): in the window [24 h, 96 h) the trucks of days 1, 2, 3 ship 72 cars,
    each having waited 0.5, 1.5, ..., 23.5 h: mean 12 h = 0.5 d; 95th percentile of the 72 waits (each of the
    24 values three times, numpy's linear rule) the 68th and 69th smallest, both 22.5 h. The places used:
    72 of 3 x 30. Cars waiting (time-weighted over the 72 h): 12..24 from 24 h to the first truck
    (12 x 1 h at 12..23 + half an hour at 24 = 222 car-hours), 0..24 between trucks (276 + 12 = 288, twice),
    0..11 after the last (66): 864 / 72 = 12 cars; at most 24."""
    scn = hourly({"yard": {"capacity": 1000}, "trucks": {"per_day": 1, "cars_per_truck": 30, "at": ["12:30"]}},
                 days=3, warmup=1)
    out = simulate(scn, seed=1).figures.get("outbound")
    domestic = out.destinations["domestic"]
    assert domestic["shipped"] == {"M": 72} and out.shipped == 72 and out.entered == 72
    assert domestic["days_mean"] == pytest.approx(0.5, abs=1e-12)
    assert domestic["days_p95"] == pytest.approx(22.5 / 24, abs=1e-12)
    assert domestic["carriers"] == 3 and domestic["places_offered"] == 90
    assert domestic["waiting_mean"] == pytest.approx(12.0, abs=1e-9)
    assert domestic["waiting_max"] == 24
    assert out.markets["domestic"]["shipped"] == 72 and out.markets["export"]["shipped"] == 0
    assert out.blocked_hours == 0


def test_trucks_shared_out_over_the_loading_times():
    """5 trucks of 8 at 08:00 and 14:00: 3 at 8:00 (24 places), 2 at 14:00 (16); without times, 2 trucks spread
    over a 24 h shift from 00:00 leave at 06:00 and 18:00."""
    def times(trucks):
        scn = hourly({"yard": {"capacity": 10}, "trucks": trucks}, days=2, warmup=0)
        return truck_times(scn.outbound, plant_days(scn.calendar, scn.horizon), scn.shops["shop"].shifts)[:4]

    assert times({"per_day": 5, "cars_per_truck": 8, "at": ["14:00", "08:00"]}) == [
        (8 * HOUR, 0, 24), (14 * HOUR, 0, 16), (DAY + 8 * HOUR, 0, 24), (DAY + 14 * HOUR, 0, 16)]
    assert times({"per_day": 2, "cars_per_truck": 8}) == [
        (6 * HOUR, 0, 8), (18 * HOUR, 0, 8), (DAY + 6 * HOUR, 0, 8), (DAY + 18 * HOUR, 0, 8)]


# ---------------------------------------------------------------- trains

MONDAYS = {"start_date": "2025-01-06", "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}
"""A dated calendar from a Monday with every day a working day."""


def test_weekly_trains_by_hand():
    """A car every hour, all for export to one destination; a train of 5 wagons x 20 = 100 cars every Monday
    at 12:30 (2025-01-06 is a Monday); 21 days measured after 7.

    The plant makes 168 cars a week, a train takes 100: the queue grows by 68 a week. Day 0's train takes
    cars 1..12; the trains of days 7, 14, 21 (180.5 h, 348.5 h, 516.5 h) take cars 13..112, 113..212 and
    213..312, which waited 180.5 - 62.5 = 118 h, 186 h and 254 h on average: 186 h = 7.75 d in all. The queue
    only grows: at most at the end of the window, cars 313..671 (359). Cars waiting at time t are the cars done, floor(t), less
    the 12 + 100 per train shipped: over the window [168 h, 672 h) the sum of floor(t) = 211,428 car-hours,
    less 12 x 504, less 100 x (491.5 + 323.5 + 155.5) for the trains in it: 108,330 car-hours over 504 h."""
    scn = hourly({"yard": {"capacity": 100_000}, "trains": [
        {"name": "Russia", "share": 1.0, "cars_per_wagon": 20, "wagons": 5, "weekdays": ["Mon"],
         "at": "12:30"}]},
        days=21, warmup=7, export=1.0, calendar=MONDAYS)
    out = simulate(scn, seed=1).figures.get("outbound")
    russia = out.destinations["Russia"]
    assert russia["market"] == "export" and russia["shipped"] == {"M": 300} and russia["carriers"] == 3
    assert russia["days_mean"] == pytest.approx(186 / 24, abs=1e-12)
    assert russia["waiting_max"] == 359
    assert russia["waiting_mean"] == pytest.approx(108_330 / 504, abs=1e-9)
    assert russia["places_offered"] == 300  # every train full: the queue only grows
    assert out.destinations["domestic"]["shipped"] == {"M": 0}


def test_evenly_spaced_trains_late_and_cancelled():
    """per_week 3.5 puts a train every 2 days at 12:30; a fixed delay of 6 h moves each to 18:30, and with
    cancelled 1 no train comes. A car every hour: the first train (day 0, 18:30) takes cars 1..18; each
    later one (2 d apart) the 48 done since; in the window [2 d, 8 d) the trains of days 2, 4, 6 take 144."""
    def train(**extra):
        return {"yard": {"capacity": 100_000}, "trains": [
            {"name": "X", "share": 1.0, "cars_per_wagon": 10, "wagons": 10, "per_week": 3.5, "at": "12:30",
             **extra}]}

    late = simulate(hourly(train(delay="6 h"), days=6, warmup=2, export=1.0), seed=1).figures["outbound"]
    x = late.destinations["X"]
    assert x["shipped"] == {"M": 144} and x["carriers"] == 3
    # each train at 48 d' + 18.5 h takes cars done at 48 d' - 29 .. 48 d' + 18 h: waits 0.5 .. 47.5 h, mean 24 h
    assert x["days_mean"] == pytest.approx(1.0, abs=1e-12)
    none = simulate(hourly(train(cancelled=1.0), days=6, warmup=2, export=1.0), seed=1).figures["outbound"]
    assert none.destinations["X"]["carriers"] == 0 and none.shipped == 0
    assert none.in_yard_end == 8 * 24 - 1  # cars 1..191 (car 192 is due at the end of the horizon)


def test_destination_shares_within_the_binomial_interval():
    """Two models, each export car given a destination by its model's shares (A: 0.2 for M1, 0.5 for the
    rest via 'default'; B the complement). No train ever comes (cancelled 1), so every car stays in its
    destination's queue and is counted there. Given n cars of a model, the cars sent to A are binomial
    (n, share): the count must lie in the exact 99.9% acceptance interval. Fixed seed: never flaky."""
    scn = validate_scenario(plant_raw([station("eol", 60)], days=10, warmup=0, models=[
        {"name": "M1", "share": 0.5, "export_share": 1.0}, {"name": "M2", "share": 0.5, "export_share": 1.0}],
        outbound={"yard": {"capacity": 1_000_000}, "trains": [
            {"name": "A", "share": {"M1": 0.2, "default": 0.5}, "cars_per_wagon": 1, "wagons": 1,
             "per_week": 7, "cancelled": 1.0},
            {"name": "B", "share": {"M1": 0.8, "default": 0.5}, "cars_per_wagon": 1, "wagons": 1,
             "per_week": 7, "cancelled": 1.0}]}))
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), seed=5, replication=0)
    plant.run()
    yard = plant.component("outbound").yard
    assert yard.names == ["domestic", "A", "B"] and yard.shipped == 0
    for model, share in ((0, 0.2), (1, 0.5)):
        to_a = sum(1 for car, _ in yard.queues[1] if car.model == model)
        n = to_a + sum(1 for car, _ in yard.queues[2] if car.model == model)
        assert n > 5_000
        low, high = stats.binom.ppf(0.0005, n, share), stats.binom.ppf(0.9995, n, share)
        assert low <= to_a <= high, f"model {model}: {to_a} of {n} to A, expected {n * share:.0f} ({low:g}-{high:g})"
    yard.check(plant.completed_total)


def test_the_yard_checks_its_own_balance():
    """A car parked twice (or shipped twice) breaks the yard's balance: InvariantError, never a quiet count."""
    scn = hourly({"yard": {"capacity": 1000}}, days=1, warmup=0)
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), seed=1, replication=0)
    plant.run()
    plant.component("outbound").yard.check(plant.completed_total)
    car, since = plant.component("outbound").yard.queues[0][0]
    plant.component("outbound").yard.queues[0].append((car, since))
    plant.component("outbound").yard.level += 1
    plant.component("outbound").yard.entered += 1
    plant.component("outbound").yard.entered_seq += car.seq
    with pytest.raises(InvariantError, match="twice"):
        plant.component("outbound").yard.check(plant.completed_total + 1)
    with pytest.raises(InvariantError, match="capacity"):
        plant.component("outbound").yard.capacity = 1
        plant.component("outbound").yard._enter(Car(0, False, 0.0))


# ---------------------------------------------------------------- summary, folder, report, compare


def test_figures_reach_the_summary_folder_report_and_comparison(tmp_path):
    """Two runs of the truck case, one with a second truck a day: the summary's outbound section holds the hand
    figures (annualised as the plant's output), the folder keeps outbound.csv and yard_levels.csv and reads
    them back, the report has its section, and compare pairs the shipped cars."""
    base = hourly({"yard": {"capacity": 1000}, "trucks": {"per_day": 1, "cars_per_truck": 30, "at": ["12:30"]}},
                  days=3, warmup=1)
    result = run(base, replications=2)
    o = result.summary["outbound"]
    per_year = 250 / 3  # working days a year / working days in the window
    assert o["shipped_annual"]["mean"] == pytest.approx(72 * per_year, abs=1e-3)
    assert o["destinations"]["domestic"]["days_mean"]["mean"] == pytest.approx(0.5, abs=1e-3)
    assert o["destinations"]["domestic"]["fill"]["mean"] == pytest.approx(0.8, abs=1e-3)
    assert o["yard_capacity"] == 1000 and o["blocked_hours"]["mean"] == 0
    assert result.summary["replication_values"]["outbound.shipped_annual"] == [round(72 * per_year, 3)] * 2
    folder, _ = write_run(result, tmp_path / "base", 1.0)
    back = read_run(folder)
    assert set(back.optional) == {"outbound", "yard_levels"}
    table = back.optional["outbound"]
    assert list(table[table.destination == "domestic"].shipped) == [72, 72]
    assert len(back.optional["yard_levels"]) == 2 * (4 * 24 + 1)
    page = run_report_html(back)
    assert 'id="outbound"' in page and 'data-plot="yard"' in page and "data-error" not in page

    more = run(hourly({"yard": {"capacity": 1000}, "trucks": {"per_day": 2, "cars_per_truck": 30,
                                                               "at": ["00:30", "12:30"]}}, days=3, warmup=1),
               replications=2)
    kpis = {k["kpi"]: k for k in compare([result.summary, more.summary], ["base", "more"])["kpis"]}
    days = kpis["days to shipment domestic"]
    # twice a day each car waits 0.5 .. 11.5 h: 6 h = 0.25 d instead of 0.5 d, the same in both replications
    assert days["values"] == [0.5, 0.25] and days["differences"][0]["diff"] == pytest.approx(-0.25)
    assert days["differences"][0]["method"].startswith("paired")
    assert kpis["shipped / yr"]["differences"][0]["method"].startswith("paired")


def test_scenarios_without_outbound_have_no_outbound_anything(small_raw):
    result = run(validate_scenario(small_raw), replications=1)
    assert "outbound" not in result.summary and result.optional == {}
    assert not any(key.startswith("outbound") for key in result.summary["replication_values"])
    assert "outbound" not in result.provenance["resolved_scenario"]
    assert math.isfinite(result.summary["throughput"]["annual_units"]["mean"])
