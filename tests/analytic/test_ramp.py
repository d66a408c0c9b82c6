"""The ramp-up and the monthly plan against hand-counted answers (``sim.scenario.ramp``, ``sim.model.components.plan``).

Every case is one deterministic station of 60 s (or a paced line, or a conveyor) on one 8 h shift from
06:00, no breaks, on a dated calendar from Monday 2025-01-06: 480 cars a working day at the design rate,
January holding 20 working days (6 to 31 January, Monday to Friday) and February 20. A car finished at the
very end of a shift counts for that day; the next car pulled then starts, and counts, on the next working day.
"""

import math

import numpy as np
import pytest

from sim.scenario.days import plant_days
from sim.model.builder import build_plant
from sim.model.launch.sequences import within_one_car as levelled
from sim.scenario.ramp import Ramp, rate_schedule
from sim.model.replication import simulate
from sim.scenario import validate_scenario
from sim.scenario.plan import plan_by_month, planned_volume

ONE_SHIFT = {"count": 1, "start": "06:00", "length": "8 h"}
STATION = [{"name": "s", "cycle_time": 60}]
ABC = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.2}, {"name": "C", "share": 0.3}]


def scenario(stations=STATION, *, horizon=None, lines=None, models=None, spacing=None, **extra):
    """One shop on a dated calendar from 2025-01-06; by default 54 days, to the end of February."""
    shop = {"shifts": ONE_SHIFT, "stations": stations}
    if lines:
        shop["lines"] = lines
    product = {"models": models or [{"name": "A", "share": 1.0}]}
    if spacing:
        product["spacing"] = spacing
    raw = {"name": "ramp", "horizon": horizon or {"days": 54}, "calendar": {"start_date": "2025-01-06"},
           "product": product, "shops": {"shop": shop}, "target": {"annual_units": 100_000}, **extra}
    return validate_scenario(raw)


def daily(scn):
    """Cars finished per working day, and per month ('YYYY-MM' -> cars)."""
    table = simulate(scn, 1).daily
    cars = table.drop(columns=["day", "date"]).sum(axis=1)
    months = {}
    for date, n in zip(table.date, cars):
        months[date[:7]] = months.get(date[:7], 0) + int(n)
    return [int(n) for n in cars], months


def run_plant(scn):
    """The plant after its run (invariants checked): for the launch order of its cars."""
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), 1, 0)
    plant.run()
    plant.check_invariants(simulate(scn, 1).stations)
    return plant


# ---------------------------------------------------------------- shifts, line speed, launches per day

def test_shifts_one_then_two():
    """1 shift in January: 480 a day, 20 days = 9,600; 2 shifts (06:00-22:00) from February: 960 a day,
    20 days = 19,200."""
    cars, months = daily(scenario(ramp_up={"months": {"2025-01": {"shifts": 1}, "2025-02": {"shifts": 2}}}))
    assert cars == [480] * 20 + [960] * 20
    assert months == {"2025-01": 9_600, "2025-02": 19_200}


def test_line_speed_halves_a_paced_line():
    """A paced line of one station, takt 60 s = its cycle: 480 a day. At line speed 0.5 from February it indexes
    every 120 s. The index that started at the end of 31 January (planned at the old takt) ends at 06:01 on
    3 February; then one car every 120 s: 1 + floor((28,800 - 60) / 120) = 240 on 3 February, and the next
    car at 60 s into each following day: 240 a day."""
    scn = scenario([{"name": "s", "cycle_time": 60, "line": "l"}], lines={"l": {"takt": 60}},
                   ramp_up={"months": {"2025-02": {"line_speed": 0.5}}})
    cars, months = daily(scn)
    assert cars == [480] * 20 + [240] * 20
    assert months == {"2025-01": 9_600, "2025-02": 4_800}


def test_line_speed_widens_a_conveyor_pitch():
    """A conveyor of 600 s transit at a 60 s pitch: 10 positions, an index every 60 s, every body 600 s on it.
    The first body leaves after 600 s: 1 + (28,800 - 600) / 60 = 471 on the first day, then 480.
    At line speed 0.5 from February it keeps its 60 s index (the dwell stays 600 s) and takes a body every
    second position: on 3 February the 10 bodies on it leave in its first 10 indexes, and the bodies taken
    at indexes 1, 3, ..., 469 leave at 10, 12, ..., 478: 10 + 235 = 245; from then on 240 a day."""
    scn = scenario([{"name": "c", "conveyor": {"transit_time": 600, "pitch": 60}}],
                   ramp_up={"months": {"2025-02": {"line_speed": 0.5}}})
    cars, _ = daily(scn)
    assert cars == [471] + [480] * 19 + [245] + [240] * 19


def test_launches_per_day_caps_each_working_day():
    """A cap of 10 launches a working day: exactly 10 cars a day (the station could make 480)."""
    cars, months = daily(scenario(ramp_up={"months": {"2025-01": {"launches_per_day": 10}}}))
    assert cars == [10] * 40
    assert months == {"2025-01": 200, "2025-02": 200}


def test_plan_levels_the_month_and_the_smaller_cap_holds():
    """February plans 250 cars over its 20 working days: the k-th day may launch floor(12.5 k) - floor(12.5 (k-1)):
    12, 13, 12, 13, ..., 250 in all. January plans 250 too, but launches_per_day 10 is smaller: 10 a day, 200,
    50 behind the plan. The launch catches up with the cumulative plan as soon as it may: February's first day
    launches its 12 and January's 50 (62; the station could make 480), then 13, 12, 13, ...: 300 in February."""
    scn = scenario(ramp_up={"months": {"2025-01": {"launches_per_day": 10}, "2025-02": {}}},
                   plan={"months": {"2025-01": 250, "2025-02": 250}})
    cars, months = daily(scn)
    assert cars == [10] * 20 + [62, 13] + [12, 13] * 9
    assert months == {"2025-01": 200, "2025-02": 300}


def test_a_plan_below_one_car_a_day():
    """7 cars over 20 working days: day k launches floor(7k / 20) - floor(7(k - 1) / 20): a car on days 3, 6, 9,
    12, 15, 18 and 20 (7k / 20 passes a whole number there)."""
    scn = scenario(horizon={"days": 26}, plan={"months": {"2025-01": 7}})
    cars, _ = daily(scn)
    assert [k + 1 for k, n in enumerate(cars) if n] == [3, 6, 9, 12, 15, 18, 20] and sum(cars) == 7


# ---------------------------------------------------------------- the month's mix

def test_levelled_sequence_by_hand():
    """Tijdeman's rule for shares A 0.5, B 0.2, C 0.3 (k = 3: d = 3/4, a model is eligible at least 1/4 behind):
    car 1: A 0.5, C 0.3 eligible, due (0 + 3/4) / share: A 1.5 < C 2.5 -> A; car 2: B 0.4, C 0.6: C 2.5 < B 3.75
    -> C; car 3: A 0.5, B 0.6: A 1.75 / 0.5 = 3.5 < B 3.75 -> A; car 4: only B (0.8) -> B; car 5: A 0.5, C 0.5:
    A 5.5 < C 5.83 -> A; car 6: only C (0.8; B 0.2) -> C; car 7: A 0.5, B 0.4: A 7.5 < B 8.75 -> A; car 8: B 0.6,
    C 0.4: B 8.75 < C 9.17 -> B; car 9: A 0.5, C 0.7: C 9.17 < A 9.5 -> C; car 10: only A (1.0) -> A."""
    sequence = levelled([0.5, 0.2, 0.3])
    assert [next(sequence) for _ in range(10)] == [0, 2, 0, 1, 0, 2, 0, 1, 2, 0]


@pytest.mark.parametrize("shares", [[0.5, 0.2, 0.3], [0.45, 0.3, 0.25], [0.01, 0.49, 0.2, 0.3], [0.6, 0.0, 0.4],
                                    [0.007675, 0.458993, 0.531672, 0.00166]])
def test_levelled_sequence_stays_within_one_car(shares):
    """Every prefix of 2,000 cars holds each model within one car of n x share (the last shares: a case where
    the plain goal chasing of the launch strays 1.01 cars)."""
    shares = [s / sum(shares) for s in shares]
    sequence = levelled(shares)
    counts = np.zeros(len(shares))
    for n in range(1, 2001):
        counts[next(sequence)] += 1
        assert np.all(np.abs(counts - n * np.array(shares)) < 1.0)


def test_month_mix_is_levelled_from_the_months_first_car():
    """January plans 100 cars all B (5 a day); February 200 in A 0.5, B 0.2, C 0.3 (10 a day). On 31 January
    the cap holds a sixth B that was already planned; on 3 February that car is planned afresh, so February
    starts with its own levelled sequence (A C A B A C A B C A, as above) and builds exactly 100 A, 40 B, 60 C,
    every model within one car of its share at every point of the month."""
    scn = scenario(models=ABC, plan={"months": {"2025-01": {"volume": 100, "mix": {"B": 1.0}},
                                                "2025-02": {"volume": 200, "mix": {"A": 0.5, "B": 0.2, "C": 0.3}}}})
    plant = run_plant(scn)
    february = [model for t, model, _, _ in plant.completed if t >= 26 * 86400]
    january = [model for t, model, _, _ in plant.completed if t < 26 * 86400]
    assert january == [1] * 100
    assert february[:10] == [0, 2, 0, 1, 0, 2, 0, 1, 2, 0]
    assert [february.count(m) for m in range(3)] == [100, 40, 60]
    counts, shares = np.zeros(3), np.array([0.5, 0.2, 0.3])
    for n, model in enumerate(february, start=1):
        counts[model] += 1
        assert np.all(np.abs(counts - n * shares) < 1.0)


def test_a_month_change_without_a_cap_reached():
    """Plans larger than the plant can build (the cap never holds): the car pulled at the end of 31 January's
    shift starts, and counts, on 3 February, so it already follows February's mix (all C)."""
    scn = scenario(models=ABC, plan={"months": {"2025-01": {"volume": 20_000, "mix": {"B": 1.0}},
                                                "2025-02": {"volume": 20_000, "mix": {"C": 1.0}}}})
    plant = run_plant(scn)
    assert {model for t, model, _, _ in plant.completed if t < 26 * 86400} == {1}
    assert {model for t, model, _, _ in plant.completed if t >= 26 * 86400} == {2}


def test_unplanned_month_returns_to_the_products_mix():
    """January planned all B; February not planned: no cap (480 a day) and the product's levelled sequence
    (the launch's goal chasing over 0.5, 0.2, 0.3) from where it stood: 4,800 A, 1,920 B, 2,880 C over 9,600."""
    scn = scenario(models=ABC, plan={"months": {"2025-01": {"volume": 100, "mix": {"B": 1.0}}}})
    plant = run_plant(scn)
    february = [model for t, model, _, _ in plant.completed if t >= 26 * 86400]
    assert len(february) == 9_600 and [february.count(m) for m in range(3)] == [4_800, 1_920, 2_880]


def test_spacing_rules_carry_on_across_months():
    """A spacing rule (at most 1 A in any 2) with A and B at 0.5 each: the launch's sequencer alternates
    A B A B ... (A tight at its rule's limit goes whenever allowed). January plans 99 cars, so its last is an A;
    February's sequencer levels afresh (both models at 0, the tie to A) but carries the rule's window on from
    the launch log, so February starts with B: B A B A ..., 100 of each, and the run has no breach (the launch
    log's count agrees with the sequencer's)."""
    mix = {"A": 0.5, "B": 0.5}
    scn = scenario(models=[{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}],
                   spacing=[{"model": "A", "at_most": 1, "in_any": 2}],
                   plan={"months": {"2025-01": {"volume": 99, "mix": mix}, "2025-02": {"volume": 200, "mix": mix}}})
    assert list(simulate(scn, 1).spacing["breaches"].values()) == [{"shop": 0}]
    plant = run_plant(scn)
    january = [model for t, model, _, _ in plant.completed if t < 26 * 86400]
    february = [model for t, model, _, _ in plant.completed if t >= 26 * 86400]
    assert january == [0, 1] * 49 + [0]
    assert february == [1, 0] * 100


# ---------------------------------------------------------------- nothing changes without a ramp

def test_design_entries_change_nothing():
    """A ramp-up whose only entry gives the scenario's own rates ({}) runs exactly as no ramp-up at all."""
    plain = simulate(scenario(models=ABC), 7)
    same = simulate(scenario(models=ABC, ramp_up={"months": {"2025-01": {}}}), 7)
    assert plain.stations.equals(same.stations) and plain.daily.equals(same.daily)
    assert plain.scalars == same.scalars


# ---------------------------------------------------------------- feeders, pools, the schedule table

def test_feeders_keep_their_extra_shifts():
    """A shop of 2 shifts with a feeder on 3: at 1 shift in the ramp-up the feeder runs 2 (one more, as in the
    scenario); at 3 shifts it runs the 3 that fit in 24 h."""
    raw_shop = {"shifts": {"count": 2, "length": "8 h"}, "stations": STATION + [{"name": "fit", "cycle_time": 60}],
                "feeders": {"sub": {"joins": "fit", "built": "to_stock", "shifts": {"count": 3, "start": "00:00"},
                                    "stations": [{"name": "make", "cycle_time": 60}]}}}
    scn = validate_scenario({"name": "ramp", "horizon": {"days": 54}, "calendar": {"start_date": "2025-01-06"},
                             "product": {"models": [{"name": "A", "share": 1.0}]}, "shops": {"shop": raw_shop},
                             "target": {"annual_units": 1000},
                             "ramp_up": {"months": {"2025-01": {"shifts": 1}, "2025-02": {"shifts": 3}}}})
    ramp = Ramp(scn, plant_days(scn.calendar, scn.horizon))
    feeder = scn.shops["shop"].feeders["sub"].shifts
    assert ramp.shift_counts("shop")[0] == 1 and ramp.shift_counts("shop")[30] == 3
    assert ramp.shift_counts("shop", feeder)[0] == 2 and ramp.shift_counts("shop", feeder)[30] == 3


def test_pools_work_the_shifts_run():
    """A labour pool of 1 operator a shift, the station's only operator: 480 cars a shift, so 480 a day on
    1 shift in January and 960 on 2 in February."""
    scn = scenario([{"name": "s", "cycle_time": 60, "labour_pool": "crew"}],
                   staffing={"pools": [{"name": "crew", "shop": "shop", "size": 1}]},
                   ramp_up={"months": {"2025-01": {"shifts": 1}, "2025-02": {"shifts": 2}}})
    cars, _ = daily(scn)
    assert cars == [480] * 20 + [960] * 20


def test_rate_schedule_table():
    scn = scenario(ramp_up={"months": {"2025-01": {"shifts": 1, "line_speed": 0.5, "launches_per_day": 12},
                                       "2025-02": {"shifts": 2}}},
                   plan={"months": {"2025-02": 250}})
    table = rate_schedule(scn)
    assert list(table.month) == ["2025-01", "2025-02"]
    assert list(table.working_days) == [20, 20] and list(table["shifts shop"]) == [1, 2]
    assert list(table.line_speed) == [0.5, 1.0]
    assert table.launches_per_day.iloc[0] == 12 and math.isnan(table.launches_per_day.iloc[1])
    assert math.isnan(table.planned.iloc[0]) and table.planned.iloc[1] == 250
    assert list(table.most_per_day) == [12, 13] and list(table.fewest_per_day) == [12, 12]
    assert rate_schedule(scenario()).empty


# ---------------------------------------------------------------- a multi-year horizon

def test_three_years_by_month_and_year():
    """Three years (1,095 days) from Monday 2025-01-06, no holidays: weekdays in 2025 from 6 January: 261 less
    1-3 January = 258; 2026 and 2027: 261 each (365 days from a Thursday, a Friday); 2028: 1 to 5 January,
    Saturday to Wednesday: 3. A station of 600 s makes 48 cars a day; the plan gives 2025 6,001 cars and the
    other years 6,000, spread by the seasonality (weights summing to 12; 2025 from January, its start month):
    every planned month is built exactly."""
    weights = [0.8, 0.9, 1.0, 1.05, 1.05, 1.0, 0.95, 1.0, 1.05, 1.1, 1.05, 1.05]
    scn = scenario([{"name": "s", "cycle_time": 600}], horizon={"years": 3}, models=ABC,
                   plan={"years": {2025: 6001, 2026: 6000, 2027: 6000, 2028: 6000}, "seasonality": weights})
    table = simulate(scn, 1).daily
    per_year = table.date.str[:4].value_counts().sort_index()
    assert dict(per_year) == {"2025": 258, "2026": 261, "2027": 261, "2028": 3}
    planned = planned_volume(scn)
    assert list(planned)[0] == "2025-01" and list(planned)[-1] == "2028-01" and len(planned) == 37
    whole = plan_by_month(scn)
    for year, volume in (("2025", 6001), ("2026", 6000), ("2027", 6000), ("2028", 6000)):
        assert sum(v.volume for m, v in whole.items() if m.startswith(year)) == volume
    # weights x working days: 2025 from Monday 6 January has 20, 20, 21, 22, 22, 21, 23, 21, 22, 23, 20, 23
    # working days (258), so S = 0.8 x 20 + 0.9 x 20 + ... + 1.05 x 23 = 258.6; January floor(6,001 x 16 / 258.6)
    # = floor(371.3) = 371; February floor(6,001 x 34 / 258.6) - 371 = 788 - 371 = 417; December
    # 6,001 - floor(6,001 x (258.6 - 24.15) / 258.6) = 6,001 - 5,440 = 561
    assert (planned["2025-01"], planned["2025-02"], planned["2025-12"]) == (371, 417, 561)
    built = table.drop(columns=["day", "date"]).sum(axis=1).groupby(table.date.str[:7]).sum()
    for month in list(planned)[:-1]:  # the horizon ends on 5 January 2028
        assert built[month] == planned[month], month


def test_a_rework_loop_back_to_the_first_station_under_a_launch_cap():
    """Cars failing the inspection re-enter at the plant's first station, whose input is then a merge of the
    re-entry lane and the capped launch: the launch still gives exactly 10 cars a working day (200 in January),
    the re-entering cars go first, and every car launched is finished or still inside."""
    stations = [{"name": "s1", "cycle_time": 60}, {"name": "check", "cycle_time": 60}]
    raw = scenario(stations, horizon={"days": 26}, ramp_up={"months": {"2025-01": {"launches_per_day": 10}}})
    raw = validate_scenario({**raw.model_dump(mode="json", exclude_none=True),
                             "shops": {"shop": {"shifts": ONE_SHIFT, "stations": stations,
                                                "quality": {"inspection": "check", "first_pass_yield": 0.5,
                                                            "rework": [{"share": 1.0, "reenter": "s1"}]}}}})
    plant = run_plant(raw)
    assert plant.launch.launched == 200
    assert plant.completed_total + plant.cars_inside() == 200
    assert plant.gates["shop"].failed > 50  # about half of ~400 inspections fail: the loop was used


# ---------------------------------------------------------------- staffing through the ramp-up

def test_headcount_and_hours_per_vehicle_follow_the_months_shifts():
    """One station of one operator: 1 person on one shift in January, 2 on two shifts in February (no team
    leaders, no indirect roles, no absenteeism); 20 working days in each month of the window (Mon 6 January to
    Fri 28 February 2025), paid 8 h a shift: 160 and 320 paid hours; hours per vehicle over the month's cars."""
    import sim

    scn = scenario([{"name": "s", "cycle_time": 60, "operators": 1}], ramp_up={"months": {"2025-02": {"shifts": 2}}})
    run = sim.run(scn)
    staffing = run.summary["plan"]["staffing"]
    months = run.summary["months"]["by_month"]
    for month, heads in (("2025-01", 1), ("2025-02", 2)):
        row = staffing["by_month"][month]
        assert row["shifts"] == {"shop": heads} and row["headcount"] == heads
        assert months[month]["working_days"] == 20 and row["paid_hours"] == heads * 8 * 20
        assert row["cars"] == months[month]["units"]
        assert row["hours_per_vehicle"] == pytest.approx(heads * 8 * 20 / months[month]["units"], abs=0.005)
    year = staffing["by_year"]["2025"]
    assert year["headcount"] == 1.5 and year["paid_hours"] == 480
    assert year["hours_per_vehicle"] == pytest.approx(480 / (months["2025-01"]["units"] + months["2025-02"]["units"]),
                                                      abs=0.005)
    assert "plan" not in sim.run(scenario()).summary  # without a ramp-up or a plan: no such section


# ---------------------------------------------------------------- the answer of a ramp-up run

def test_the_headline_judges_a_ramp_by_its_plan_and_its_own_capacity():
    """The plan case above: 500 planned, 500 made (200 in January, 10 a day for lack of launches; 300 in
    February): attainment 100%, January (200 of 250, 80%) below plan. Without a plan, one shift in January and
    two in February: the ramp's own capacity by month is 480 x 20 = 9,600 and 960 x 20 = 19,200 cars, all made.
    The mature static capacity and its loss are not the yardstick of a ramp: no dynamic loss. The waterfall's
    largest loss below the ramp's own capacity is none of the ramp's by-design groups."""
    import sim
    planned = sim.run(scenario(ramp_up={"months": {"2025-01": {"launches_per_day": 10}, "2025-02": {}}},
                               plan={"months": {"2025-01": 250, "2025-02": 250}})).summary
    head = planned["headline"]
    assert (head["judged_against"], head["made"], head["planned"], head["attainment"]) == ("plan", 500, 500, 1.0)
    assert head["by_year"] == {"2025": {"made": 500, "planned": 500, "attainment": 1.0}}
    assert head["months_below_plan"] == ["2025-01"]
    assert planned["dynamic_loss"] is None and "static_capacity" not in head
    assert planned["losses"]["ramp"]["largest"] is None or \
        planned["losses"]["ramp"]["largest"]["group"] not in ("calendar", "pace", "launch")
    shifts = sim.run(scenario(ramp_up={"months": {"2025-01": {"shifts": 1}, "2025-02": {"shifts": 2}}})).summary
    assert shifts["plan"]["capacity_by_month"] == {"2025-01": 9_600, "2025-02": 19_200}
    head = shifts["headline"]
    assert (head["judged_against"], head["made"], head["planned"], head["attainment"]) == \
        ("ramp capacity", 28_800, 28_800, 1.0)
