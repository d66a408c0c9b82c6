"""Kit supply against hand calculations: the stock's saw-tooth, stockout hours, the look-ahead launch, a car held
at a shop's entry for its local parts, reorder-point order times, the policies' levels, the CKD logistics heads,
unlimited supply changing nothing, and orders, reorder points and cover that follow a monthly production plan.

Every case is deterministic: one model or two levelled 50/50, one station of 60 s per car on a shift of
06:00-14:00 (480 cars a working day; every day a working day), fixed lead times. The plan rate is
target.annual_units x share / 250 working days. Two facts of the plant the hand counts use: the first station
pulls its first car at the start of the run (t = 0, before the shift), and at 14:00 it finishes a car and pulls
the next one at once (worked at 06:00 the next day): 481 launches on day 0, 480 on every day after. A car that
waits for kits is launched when they arrive, at whatever hour.
"""

import copy
import io

import pytest
from rich.console import Console

import sim
from sim.analysis.staffing import headcount
from sim.analysis.supply import CKD_LOGISTICS, logistics_heads
from sim.scenario.days import plant_days
from sim.scenario.kit_levels import PlanRates, kit_plan
from sim.model.builder import build_plant
from sim.report.console import print_report
from sim.report.html import run_report_html
from sim.scenario import validate_scenario

DAY, HOUR, MINUTE = 86400.0, 3600.0, 60.0
SHIFT = {"count": 1, "start": "06:00", "length": "8 h"}
ONE_MODEL = [{"name": "A", "share": 1.0}]
TWO_MODELS = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]


def plant_raw(supply, *, days, models=ONE_MODEL, shops=("body",), annual=120_000):
    """One station of 60 s per shop, a shift 06:00-14:00, every day a working day (250 a year)."""
    return {
        "name": "kits", "horizon": {"days": days, "warmup_days": 0}, "calendar": {"working_days_per_year": 250},
        "product": {"models": models},
        "shops": {name: {"shifts": SHIFT, "stations": [{"name": f"{name}_station", "cycle_time": 60}]}
                  for name in shops},
        "target": {"annual_units": annual}, "supply": supply,
    }


def rail(lead, first="20 h", **extra):
    return {"lead_time": lead, "departures": {"every": "1 d", "first": first}, **extra}


def kit(route="rail", **extra):
    return {"route": route, "per_container": 12, **extra}


def built(raw):
    scenario = validate_scenario(raw)
    plant = build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), 1, 0)
    plant.run()
    return plant


def test_periodic_review_saw_tooth_by_hand():
    """Rate 480 a day; S = up_to 6 d = 2,880 kits, reviewed every 3 d from t = 0; lot 24; the rail leaves at
    20:00 daily and takes 2 days. On hand at the start of each day (before anything at midnight):

    day 0: 2,880 (initial = S); the review at t = 0 orders nothing (position = S). 481 launches -> 2,399, then
    1,919 (day 2), 1,439 (day 3). Review at 3 d: position 1,439, short 1,441 -> 61 lots = 1,464 kits, leaving
    3 d 20:00, arriving 5 d 20:00. Days 3 and 4 -> 959, 479. Day 5 takes the last 479 by 13:59; at 14:00 the
    launch waits (0 shift hours: the shift is over) until 20:00, when 1,464 arrive and one car goes: 1,463 at
    day 6. Review at 6 d: short 2,880 - 1,463 = 1,417 -> 60 lots = 1,440, arriving 8 d 20:00; days 6, 7, 8:
    983, 503, 23 at 14:00 + 1,440 -> 1,463 at day 9; the same from the review at 9 d: a saw-tooth of period 3.
    """
    supply = {"routes": {"rail": rail("2 d")},
              "kits": {"body": kit(lot=24, order={"policy": "periodic", "every": "3 d", "up_to": "6 d"})}}
    plant = built(plant_raw(supply, days=12))
    stock = plant.component("supply").stocks["body", "A"]
    assert stock.plan.level == 2880 and stock.initial == 2880
    results = plant.component("supply").figures()
    assert results.daily["on_hand"] == [2880, 2399, 1919, 1439, 959, 479, 1463, 983, 503, 1463, 983, 503]
    assert stock.orders == [(3 * DAY, 1464), (6 * DAY, 1440), (9 * DAY, 1440)]
    figures = results.kits["body"]["A"]
    # three shipments arrived in the 12 days (the third at 11 d 20:00)
    assert figures["shipments"] == 3 and figures["kits_arrived"] == 1464 + 1440 + 1440
    assert figures["lead_time_days"] == 2.0
    assert figures["stockout_hours"] == 0.0 and figures["holds"] == 1  # day 5, 14:00 to 20:00: off shift
    assert figures["min_on_hand"] == 0
    plant.component("supply").check(plant)


def test_a_lead_time_longer_than_the_stock_covers_gives_the_stockout_hours_by_hand():
    """720 kits on hand (1.5 d); the review at t = 0 orders up to 3 d: 1,440 kits, leaving at 01:00 and taking
    4 days (arrival 4 d 01:00). Launches: 1 at t = 0 and 480 on day 0 -> 239 left; day 1 launches them at
    06:01-09:59, and at 10:00 the launch waits. Held on shift: day 1 10:00-14:00 (4 h), days 2 and 3 (8 h each)
    = 20 shift hours, one hold, until the kits arrive before day 4's shift."""
    supply = {"routes": {"rail": rail("4 d", first="1 h")},
              "kits": {"body": kit(initial="1.5 d", order={"policy": "periodic", "every": "100 d", "up_to": "3 d"})}}
    result = sim.run(validate_scenario(plant_raw(supply, days=5)))
    s = result.summary["supply"]
    assert s["stockout_hours"]["mean"] == pytest.approx(20.0, abs=1e-9)
    assert s["points"]["launch"]["stockout_hours"]["mean"] == pytest.approx(20.0, abs=1e-9)
    assert s["kits"]["body"]["models"]["A"]["stockout_hours"]["mean"] == pytest.approx(20.0, abs=1e-9)
    assert s["kits"]["body"]["models"]["A"]["holds"]["mean"] == 1
    # the plant made 720 cars on days 0-1 and none on days 2-3; day 4 works the car launched at 01:00 and 479 more
    daily = result.throughput.groupby("day")["units"].sum().tolist()
    assert daily == [480, 240, 0, 0, 480]
    assert result.summary["replication_values"]["supply.stockout_hours"] == [20.0]


def test_look_ahead_launches_the_other_model_and_counts_each_move():
    """A and B levelled 50/50 (A B A B ...); B's kits plenty, A's none until 1 d 01:00. Without look-ahead the
    launch waits for A from t = 0: 8 shift hours. With look_ahead 3 it passes A over: B at 0, 06:01 and 06:02
    (3 moved); at 06:03 the four candidates are all A and the launch waits until 14:00: 7.95 shift hours."""
    supply = {"routes": {"rail": rail("1 d", first="1 h")},
              "kits": {"a": kit(models=["A"], initial=0, order={"policy": "periodic", "every": "10 d", "up_to": "2 d"}),
                       "b": kit(models=["B"], initial="100 d", order={"policy": "periodic", "every": "10 d",
                                                                     "up_to": "1 d"})}}
    waits = built(plant_raw(supply, days=2, models=TWO_MODELS))
    figures = waits.component("supply").figures()
    assert figures.launches_moved == 0 and waits.launch.moved == 0
    assert figures.points["launch"]["stockout_hours"] == pytest.approx(8.0, abs=1e-9)
    looks = copy.deepcopy(supply)
    looks["look_ahead"] = 3
    plant = built(plant_raw(looks, days=2, models=TWO_MODELS))
    figures = plant.component("supply").figures()
    assert figures.launches_moved == 3 == plant.launch.moved
    assert figures.kits["a"]["A"]["moved"] == 3
    assert figures.points["launch"]["stockout_hours"] == pytest.approx(7.95, abs=1e-9)
    launches = [launched for _, _, _, launched in plant.completed]
    assert launches[:4] == [0.0, 6 * HOUR + MINUTE, 6 * HOUR + 2 * MINUTE, DAY + HOUR]
    assert [model for _, model, _, _ in plant.completed[:4]] == [1, 1, 1, 0]


def test_a_car_held_at_assembly_entry_for_its_local_parts_goes_when_the_truck_arrives():
    """Local parts at assembly's entry, none on hand; the truck leaves at 05:00 and takes 2 h. The first car
    leaves the body shop at 06:01 and waits at assembly's entry until 07:00 exactly, so it is finished at 07:01;
    assembly was held 59 shift minutes."""
    supply = {"routes": {"rail": rail("1 d"), "trucks": rail("2 h", first="5 h", local=True)},
              "kits": {"body": kit(initial="100 d", order={"policy": "periodic", "every": "10 d", "up_to": "1 d"}),
                       "local": kit("trucks", taken_at="assembly", initial=0,
                                    order={"policy": "periodic", "every": "1 d", "up_to": "1 d"})}}
    plant = built(plant_raw(supply, days=2, models=TWO_MODELS, shops=("body", "assembly")))
    assert plant.completed[0][0] == 7 * HOUR + MINUTE
    figures = plant.component("supply").figures()
    assert figures.points["assembly"]["stockout_hours"] == pytest.approx(59 / 60, abs=1e-9)
    assert figures.points["assembly"]["holds"] == 1
    plant.component("supply").check(plant)
    assert plant.component("supply").gates["assembly"].released == sum(plant.component("supply").points["assembly"].passed)


def test_reorder_point_orders_by_hand():
    """s = 2 d = 960 kits, orders of lot_count 2 x lot 240 = 480, 1,440 on hand at the start. The launch at
    t = 0 and 479 more by 13:59 take the position to 960: an order at 13:59; every later day the position
    starts at 1,439 (after the 14:00 launch) and again reaches 960 at 13:59."""
    supply = {"routes": {"rail": rail("1 d")},
              "kits": {"body": kit(lot=240, initial="3 d",
                                   order={"policy": "reorder_point", "reorder_at": "2 d", "lot_count": 2})}}
    plant = built(plant_raw(supply, days=4))
    stock = plant.component("supply").stocks["body", "A"]
    at = 13 * HOUR + 59 * MINUTE
    assert stock.orders == [(d * DAY + at, 480) for d in range(4)]
    plant.component("supply").check(plant)


def test_default_levels_of_the_policies_by_hand():
    """Rate 480 a day, 250 working days a year (x 250/365 from calendar days); lead time 25 d plus a 5% chance of
    2.5 d at the border (25.125 d), departures every 2 d (a mean wait of 1 d), safety stock 10 d:
    periodic every 7 d: S = 480 x (7 + 25.125 + 1) x 250/365 + 4,800; reorder point: s = 480 x 26.125 x 250/365
    + 4,800, initial s + 2 x 24."""
    route = {"lead_time": "25 d", "departures": {"every": "2 d"},
             "border_delay": {"chance": 0.05, "time": "2.5 d"}}
    periodic = kit(lot=24, safety_stock="10 d", order={"policy": "periodic", "every": "7 d"})
    reorder = kit(lot=24, safety_stock="10 d", order={"policy": "reorder_point", "lot_count": 2})
    scenario = validate_scenario(plant_raw({"routes": {"rail": route}, "kits": {"p": periodic, "r": reorder}}, days=1))
    spec = scenario.supply
    s_periodic = kit_plan(spec.kits["p"], spec.routes["rail"], 480.0, 250)
    assert s_periodic.level == pytest.approx(480 * 33.125 * 250 / 365 + 4800)
    assert s_periodic.initial == 15691 and s_periodic.unit == 24  # ceil(15,690.41...)
    s_reorder = kit_plan(spec.kits["r"], spec.routes["rail"], 480.0, 250)
    assert s_reorder.level == pytest.approx(480 * 26.125 * 250 / 365 + 4800)
    assert s_reorder.unit == 48 and s_reorder.initial == 13438  # ceil(13,389.04... + 48)


def test_ckd_logistics_heads_by_hand():
    """120,000 a year of A and B (50/50) over 250 days: 240 of each a working day.
    Body (2 shifts of 8 h with a 30 min break: 7.5 h net) takes a kit of every car at launch: 240 kits a shift,
    20 containers of 12; 240 x 15 min + 20 x 45 min = 75 h -> 75 / 7.5 = 10 heads a shift.
    Assembly (1 shift, 8 h net) takes a kit of A only: 240 kits x 21 min = 84 h -> 10.5 -> 11 heads.
    Absence reserve at 10%: ceil(10 x 0.1 / 0.9) = 2 in body, ceil(11 x 0.1 / 0.9) = 2 in assembly."""
    supply = {"routes": {"rail": rail("1 d")},
              "kits": {"body": kit(order={"policy": "periodic", "every": "7 d"},
                                   handling={"per_container": "45 min", "per_kit": "15 min"}),
                       "trim": kit(taken_at="assembly", models=["A"], order={"policy": "periodic", "every": "7 d"},
                                   handling={"per_kit": "21 min"})}}
    raw = plant_raw(supply, days=1, models=TWO_MODELS, shops=("body", "assembly"))
    raw["shops"]["body"]["shifts"] = {"count": 2, "start": "06:00", "length": "8 h",
                                      "breaks": [{"after": "4 h", "length": "30 min"}]}
    raw["staffing"] = {"absenteeism": 0.1}
    scenario = validate_scenario(raw)
    assert logistics_heads(scenario) == {"body": 10, "assembly": 11}
    table = headcount(scenario)
    ckd = table[table["role"] == CKD_LOGISTICS]
    assert ckd[["shop", "shift", "headcount"]].values.tolist() == [["body", 1, 10], ["body", 2, 10],
                                                                   ["assembly", 1, 11]]
    assert set(ckd["group"]) == {"indirect"}
    reserve = table[table["role"] == "absence reserve (indirect)"]
    assert reserve[["shop", "shift", "headcount"]].values.tolist() == [["body", 1, 2], ["body", 2, 2],
                                                                       ["assembly", 1, 2]]


UNLIMITED = ("supply={routes: {rail: {lead_time: 25 d, departures: {every: 7 d}}}, kits: {"
             "body: {route: rail, per_container: 12, lot: 1000000, initial: 3650 d, order: {policy: periodic, "
             "every: 7 d}}, paint: {route: rail, taken_at: paint, per_container: 12, lot: 1000000, initial: 3650 d, "
             "order: {policy: reorder_point}}}}")


def test_unlimited_supply_changes_nothing(small_path):
    """Kits that never run out (ten years on hand, orders never needed) at launch and at paint's entry: the same
    seed gives the same figures and station table as the scenario without supply."""
    plain = sim.run(sim.load_scenario(small_path), replications=2)
    supplied = sim.run(sim.load_scenario(small_path, [UNLIMITED]), replications=2)
    assert supplied.summary["supply"]["stockout_hours"]["mean"] == 0
    left_out = {"supply", "replication_values", "staffing"}
    for key, value in plain.summary.items():
        if key not in left_out:
            assert supplied.summary[key] == value, key
    values = supplied.summary["replication_values"]
    assert {k: v for k, v in values.items() if not k.startswith("supply.")} == plain.summary["replication_values"]
    assert supplied.stations.equals(plain.stations)
    assert supplied.throughput.equals(plain.throughput)


def test_every_server_of_the_first_station_gets_a_car_when_the_kits_come():
    """Two servers wait for the launch from t = 0; the kits arrive at 1 d 01:00 and both are launched then, so
    both servers finish a car at 06:01 the next day."""
    supply = {"routes": {"rail": rail("1 d", first="1 h")},
              "kits": {"body": kit(initial=0, order={"policy": "periodic", "every": "10 d", "up_to": "2 d"})}}
    raw = plant_raw(supply, days=2)
    raw["shops"]["body"]["stations"][0]["servers"] = 2
    plant = built(raw)
    first = plant.completed[:3]
    assert [(t, launched) for t, _, _, launched in first[:2]] == [(DAY + 6 * HOUR + MINUTE, DAY + HOUR)] * 2
    assert first[2][0] == DAY + 6 * HOUR + 2 * MINUTE


# ---------------------------------------------------------------- a monthly production plan

EVERY_DAY = {"start_date": "2025-01-01", "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}
"""A dated calendar on which every day of 2025 is a working day: 365 a year, so calendar days are working days."""
DOUBLING = {"2025-01": 7440, "2025-02": 13440}
"""240 cars a day in January (31 days), 480 a day in February (28 days)."""


def planned_raw(supply, *, days, months, **extra):
    """plant_raw on the every-day calendar with a monthly plan: the plan caps the launch at the month's level
    (V / W a day when W divides V) and its rate sets the kits' levels."""
    raw = plant_raw(supply, days=days, **extra)
    raw["calendar"] = EVERY_DAY
    raw["plan"] = {"months": months}
    return raw


def january_launches(arrivals: tuple[int, ...]) -> list[float]:
    """Launch times on days 0-30 at 240 a day: day 0 at t = 0 and 06:01-09:59; every later day 06:00-09:59 (the
    day's cap reached at 10:00, the launch waits for the next day's shift start), except after a day with an
    arrival (``arrivals``, at 20:00): the kits wake the launch, and the next day's first car is pulled then
    (after the shift: it counts for the next day), the rest 06:01-09:59."""
    times = [0.0] + [6 * HOUR + k * MINUTE for k in range(1, 240)]
    for d in range(1, 31):
        early = d - 1 in arrivals
        times += ([(d - 1) * DAY + 20 * HOUR] if early else []) + \
            [d * DAY + 6 * HOUR + k * MINUTE for k in range(1 if early else 0, 240)]
    return times


def february_launches(days: range) -> list[float]:
    """Launch times at 480 a day from day 31 (1 February), the day after a capped day: 06:00-13:59 and the pull at
    14:00, which counts for the next launch day; every later day 06:01-13:59 and 14:00."""
    times = []
    for d in days:
        times += [d * DAY + 6 * HOUR + k * MINUTE for k in range(0 if d == 31 else 1, 480)] + [d * DAY + 14 * HOUR]
    return times


def area(initial: int, changes: list[tuple[float, int]], hi: float) -> float:
    """Kit-seconds on hand over [0, hi): the level starts at ``initial`` and changes by each (time, delta)."""
    total, level, t = 0.0, initial, 0.0
    for at, delta in sorted(changes):
        if at >= hi:
            break
        total += level * (at - t)
        level, t = level + delta, at
    return total + level * (hi - t)


def test_plan_rates_by_month_by_hand():
    """January 2025 on a Monday-to-Friday calendar with New Year on 1 January: 23 weekdays - 1 = 22 working days;
    the plan gives 1,000 cars with A 25% and B 75%: A 250 / 22, B 750 / 22 kits a working day. February is not
    planned: the target rate, 120,000 x 0.5 / the working days a year given (260). Without a plan: not monthly."""
    raw = plant_raw({"routes": {"rail": rail("1 d")}, "kits": {"body": kit(order={"policy": "periodic",
                                                                                  "every": "7 d"})}},
                    days=40, models=TWO_MODELS)
    raw["calendar"] = {"start_date": "2025-01-01", "holidays": ["2025-01-01"]}
    raw["plan"] = {"months": {"2025-01": {"volume": 1000, "mix": {"A": 0.25, "B": 0.75}}}}
    scenario = validate_scenario(raw)
    rates = PlanRates(scenario, 260)
    assert rates.monthly
    assert rates.rate("A", "2025-01") == pytest.approx(250 / 22)
    assert rates.rate("B", "2025-01") == pytest.approx(750 / 22)
    assert rates.rate("A", "2025-02") == rates.target["A"] == pytest.approx(120_000 * 0.5 / 260)
    assert rates.month_at(30 * DAY + 23 * HOUR) == "2025-01" and rates.month_at(31 * DAY) == "2025-02"
    assert rates.month_start("2025-02") == 31 * DAY
    assert not PlanRates(validate_scenario(plant_raw(raw["supply"], days=1)), 250).monthly


def test_periodic_review_orders_up_to_the_level_of_the_month_the_order_arrives_in():
    """Plan 240 kits a day in January, 480 in February; the rail leaves daily at 20:00 and takes 10 days: an
    order arrives on average 10 + 0.5 days after it is placed (calendar days = working days here). Reviews every
    7 d, safety stock 2 d, lot 24: S = rate x (7 + 10.5) + rate x 2 = 19.5 days of the arriving month's rate:
    4,680 (January), 9,360 (February).

    Initial: S at t = 0 (arriving 11 January): 4,680. Launches: 240 a day (january_launches), so the position at
    the reviews at 7 and 14 d is 4,680 - 1,680 = 3,000 and each orders 1,680 (70 lots). The review at 21 d
    places an order that arrives on 1 February 12:00 (21 + 10.5 = 31.5): S = 9,360 - 3,000 = 6,360 (265 lots).
    At 28 d (arrives 38.5: February): 9,360 - 7,680 = 1,680. At 35 d: since 28 d, days 28-30 took 720 and days
    31-34 took 481 + 3 x 480 (february_launches): 2,641 short -> 111 lots = 2,664.
    On hand at the start of day 30: 4,680 - 30 x 240 + 2 x 1,680 (arrived 17 d and 24 d 20:00) = 840, 3.5 days of
    cover at January's 240; day 31: 600, 1.25 days at February's 480."""
    supply = {"routes": {"rail": rail("10 d")},
              "kits": {"body": kit(lot=24, safety_stock="2 d", order={"policy": "periodic", "every": "7 d"})}}
    plant = built(planned_raw(supply, days=36, months=DOUBLING))
    stock = plant.component("supply").stocks["body", "A"]
    assert stock.initial == 4680
    assert stock.orders == [(7 * DAY, 1680), (14 * DAY, 1680), (21 * DAY, 6360), (28 * DAY, 1680), (35 * DAY, 2664)]
    assert stock.plan.rate == pytest.approx(120_000 / 365)  # the target's, for the summary
    results = plant.component("supply").figures()
    on_hand = results.daily["on_hand"]
    assert on_hand[30] == 840 and on_hand[31] == 600 and on_hand[32] == 600 - 481 + 6360
    # mean cover: kit-seconds on hand in each month over its rate, from the launches and arrivals by hand
    changes = [(t, -1) for t in january_launches(arrivals=(17, 24)) + february_launches(range(31, 36))] + \
        [(17 * DAY + 20 * HOUR, 1680), (24 * DAY + 20 * HOUR, 1680), (31 * DAY + 20 * HOUR, 6360)]
    figures = results.kits["body"]["A"]
    january, both = area(4680, changes, 31 * DAY), area(4680, changes, 36 * DAY)
    assert figures["mean_on_hand"] == pytest.approx(both / (36 * DAY), rel=1e-12)
    assert figures["mean_cover_days"] == pytest.approx((january / 240 + (both - january) / 480) / (36 * DAY),
                                                       rel=1e-12)
    plant.component("supply").check(plant)


def test_the_reports_read_cover_at_the_rate_of_each_days_month():
    """The same run through sim.run: inventory.csv's days of cover at the day's month's rate (840 / 240 on 31
    January, 600 / 480 on 1 February), the summary's plan rates by month and the target's levels, and the
    console table of the rates within 100 columns."""
    supply = {"routes": {"rail": rail("10 d")},
              "kits": {"body": kit(lot=24, safety_stock="2 d", order={"policy": "periodic", "every": "7 d"})}}
    result = sim.run(validate_scenario(planned_raw(supply, days=36, months=DOUBLING)))
    inventory = result.optional["inventory"].set_index("date")
    assert inventory.loc["2025-01-31", "days_of_cover"] == 3.5 and inventory.loc["2025-02-01", "days_of_cover"] == 1.25
    s = result.summary["supply"]
    assert s["plan_rates"]["by_month"] == {
        "2025-01": {"working_days": 31, "planned": 7440, "kits_a_day": {"A": 240.0}},
        "2025-02": {"working_days": 28, "planned": 13440, "kits_a_day": {"A": 480.0}}}
    assert s["plan_rates"]["target"] == {"A": round(120_000 / 365, 3)}
    body = s["kits"]["body"]["models"]["A"]
    assert body["plan_rate"] == round(120_000 / 365, 3) and body["initial"] == 4680
    assert body["safety_stock"] == round(2 * 120_000 / 365, 1)
    buffer = io.StringIO()
    print_report(result, Console(file=buffer, width=100))
    lines = buffer.getvalue()[buffer.getvalue().index("Kit plan rate by month"):].splitlines()
    table = lines[:next(i for i, line in enumerate(lines) if line.startswith("└")) + 1]
    assert max(len(line) for line in table) <= 100
    assert [line.split("│")[1:-1] for line in table[-4:-1]] == [
        ["2025-01 ", "  31 ", "  7,440 ", "240.0"], ["2025-02 ", "  28 ", " 13,440 ", "480.0"],
        ["target  ", "   – ", "      – ", "328.8"]]
    assert "Kit plan rate by month" in run_report_html(result)


@pytest.mark.parametrize("february, orders_from_day_20", [
    # doubling: at 20.5 d the position is 3,240 and s becomes 6,000: 12 orders of 240 (floor(2,760 / 240) + 1);
    # then the position starts each day at 6,120 and reaches 6,000 at the 120th launch (07:59); on 1 February
    # (480 a day from 06:00) at the 120th and the 360th (07:59, 11:59)
    (13440, [(20 * DAY + 9 * HOUR + 59 * MINUTE, 240), (20.5 * DAY, 2880)]
     + [(d * DAY + 7 * HOUR + 59 * MINUTE, 240) for d in range(21, 32)] + [(31 * DAY + 11 * HOUR + 59 * MINUTE, 240)]),
    # halving: s becomes 1,500 at 20.5 d, below the position (3,240): no order then; the position falls to 1,500
    # after 1,740 more launches, the 60th of day 28 (06:59), and on each day after
    (3360, [(20 * DAY + 9 * HOUR + 59 * MINUTE, 240)]
     + [(d * DAY + 6 * HOUR + 59 * MINUTE, 240) for d in range(28, 32)]),
])
def test_reorder_point_changes_when_the_month_of_arrival_changes(february, orders_from_day_20):
    """Plan 240 a day in January and 2 x or 0.5 x that in February; orders arrive on average 10.5 days after they
    are placed, safety stock 2 d: s = rate x 12.5 = 3,000 in January (6,000 or 1,500 in February); orders of
    10 lots of 24. The month of now + 10.5 d becomes February at 31 - 10.5 = 20.5 d (12:00 on 21 January): s
    changes then (one event), and the position is checked against the new s at once.

    Initial: s + one order = 3,240. Every January day the 240th launch (09:59) takes the position to 3,000: one
    order of 240."""
    supply = {"routes": {"rail": rail("10 d")},
              "kits": {"body": kit(lot=24, safety_stock="2 d", order={"policy": "reorder_point", "lot_count": 10})}}
    plant = built(planned_raw(supply, days=32, months={"2025-01": 7440, "2025-02": february}))
    stock = plant.component("supply").stocks["body", "A"]
    assert stock.initial == 3240
    assert stock.reorder_at == february * 12.5 / 28
    assert stock.orders[:20] == [(d * DAY + 9 * HOUR + 59 * MINUTE, 240) for d in range(20)]
    assert stock.orders[20:] == orders_from_day_20
    plant.component("supply").check(plant)


def test_a_plan_at_the_target_rate_orders_as_without_a_plan():
    """Every month planned at the target rate (87,600 a year: 240 a day) orders, keeps and covers as the flat plan
    rate does, the launch capped at 240 a day both ways (by the plan, or by a ramp-up's launches_per_day)."""
    supply = {"routes": {"rail": rail("10 d")},
              "kits": {"body": kit(lot=24, safety_stock="2 d", order={"policy": "periodic", "every": "7 d"}),
                       "local": kit(lot=24, safety_stock="2 d", order={"policy": "reorder_point", "lot_count": 2})}}
    planned = built(planned_raw(supply, days=45, months={"2025-01": 7440, "2025-02": 6720}, annual=87_600))
    flat_raw = plant_raw(supply, days=45, annual=87_600)
    flat_raw["calendar"] = EVERY_DAY
    flat_raw["ramp_up"] = {"months": {"2025-01": {"launches_per_day": 240}}}
    flat = built(flat_raw)
    assert not flat.component("supply").rates.monthly and planned.component("supply").rates.monthly
    plain, monthly = flat.component("supply").figures(), planned.component("supply").figures()
    assert monthly.daily == plain.daily
    for key in ("body", "local"):
        assert planned.component("supply").stocks[key, "A"].orders == flat.component("supply").stocks[key, "A"].orders
        assert len(flat.component("supply").stocks[key, "A"].orders) > 3
        for figure, value in plain.kits[key]["A"].items():
            assert monthly.kits[key]["A"][figure] == (value if value is None else pytest.approx(value, rel=1e-12))
