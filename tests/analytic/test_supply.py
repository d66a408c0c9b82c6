"""Kit supply against hand calculations: the stock's saw-tooth, stockout hours, the look-ahead launch, a car held
at a shop's entry for its local parts, reorder-point order times, the policies' levels, the CKD logistics heads,
and unlimited supply changing nothing.

Every case is deterministic: one model or two levelled 50/50, one station of 60 s per car on a shift of
06:00-14:00 (480 cars a working day; every day a working day), fixed lead times. The plan rate is
target.annual_units x share / 250 working days. Two facts of the plant the hand counts use: the first station
pulls its first car at the start of the run (t = 0, before the shift), and at 14:00 it finishes a car and pulls
the next one at once (worked at 06:00 the next day): 481 launches on day 0, 480 on every day after. A car that
waits for kits is launched when they arrive, at whatever hour.
"""

import copy

import pytest

import sim
from sim.analysis.staffing import headcount
from sim.analysis.supply import CKD_LOGISTICS, logistics_heads
from sim.model.calendar import plant_days
from sim.model.plant import Plant
from sim.model.supply import kit_plan
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


def built(raw) -> Plant:
    scenario = validate_scenario(raw)
    plant = Plant(scenario, plant_days(scenario.calendar, scenario.horizon), 1, 0)
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
    stock = plant.supply.stocks["body", "A"]
    assert stock.plan.level == 2880 and stock.initial == 2880
    results = plant.supply.results()
    assert results["daily"]["on_hand"] == [2880, 2399, 1919, 1439, 959, 479, 1463, 983, 503, 1463, 983, 503]
    assert stock.orders == [(3 * DAY, 1464), (6 * DAY, 1440), (9 * DAY, 1440)]
    figures = results["kits"]["body"]["A"]
    # three shipments left; two arrived in the 12 days (the third arrives at 11 d 20:00: also in the window)
    assert figures["shipments"] == 3 and figures["kits_arrived"] == 1464 + 1440 + 1440
    assert figures["lead_time_days"] == 2.0
    assert figures["stockout_hours"] == 0.0 and figures["holds"] == 1  # day 5, 14:00 to 20:00: off shift
    assert figures["min_on_hand"] == 0
    plant.supply.check()


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
    figures = waits.supply.results()
    assert figures["launches_moved"] == 0 and waits.launcher.moved == 0
    assert figures["points"]["launch"]["stockout_hours"] == pytest.approx(8.0, abs=1e-9)
    looks = copy.deepcopy(supply)
    looks["look_ahead"] = 3
    plant = built(plant_raw(looks, days=2, models=TWO_MODELS))
    figures = plant.supply.results()
    assert figures["launches_moved"] == 3 == plant.launcher.moved
    assert figures["kits"]["a"]["A"]["moved"] == 3
    assert figures["points"]["launch"]["stockout_hours"] == pytest.approx(7.95, abs=1e-9)
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
    figures = plant.supply.results()
    assert figures["points"]["assembly"]["stockout_hours"] == pytest.approx(59 / 60, abs=1e-9)
    assert figures["points"]["assembly"]["holds"] == 1
    plant.supply.check()
    assert plant.supply.gates["assembly"].released == sum(plant.supply.points["assembly"].passed)


def test_reorder_point_orders_by_hand():
    """s = 2 d = 960 kits, orders of lot_count 2 x lot 240 = 480, 1,440 on hand at the start. The launch at
    t = 0 and 479 more by 13:59 take the position to 960: an order at 13:59; every later day the position
    starts at 1,439 (after the 14:00 launch) and again reaches 960 at 13:59."""
    supply = {"routes": {"rail": rail("1 d")},
              "kits": {"body": kit(lot=240, initial="3 d",
                                   order={"policy": "reorder_point", "reorder_at": "2 d", "lot_count": 2})}}
    plant = built(plant_raw(supply, days=4))
    stock = plant.supply.stocks["body", "A"]
    at = 13 * HOUR + 59 * MINUTE
    assert stock.orders == [(d * DAY + at, 480) for d in range(4)]
    plant.supply.check()


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
    left_out = {"supply", "resolved_scenario", "scenario_sha256", "replication_values", "staffing"}
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
