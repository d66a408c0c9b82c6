"""Dated events against hand calculations: a border closure and a held shipment on a deterministic kit supply
(the stockout's start and length in shift hours), a plant shutdown's days off, the shift-time intervals of a
station down, and the loader's errors for bad events.

The supply cases: one model, one station of 60 s per car on a shift of 06:00-14:00 every day of the week (a
dated calendar from Monday 2025-01-06 with seven weekdays: 480 cars a working day, 365 working days a year,
target 175,200 -> a plan rate of 480 kits a day). The rail leaves at 20:00 every day and takes 2 days exactly;
the kit is reviewed every day at midnight up to S (up_to). In steady state each review orders the 480 kits taken
the day before, two orders are on their way, and a day starts (after the 20:00 arrival) with S - 1,440 kits on
hand; the station launches at 06:01 ... 14:00, 480 cars, taking the last car's kit at 14:00 (the first station
pulls its next car as it finishes one; see test_supply.py).
"""

import datetime as dt
import io

import pytest
from rich.console import Console

import sim
from sim.analysis.events import down_hours, shutdown_days_lost
from sim.model.builder import build_plant
from sim.model.flow.clock import ShiftClock, shift_windows
from sim.report.console import print_report
from sim.report.html import run_report_html
from sim.scenario import validate_scenario
from sim.scenario.days import scenario_days
from sim.scenario.errors import ScenarioError
from sim.scenario.events import down_intervals
from sim.scenario.plan import working_days_of

DAY, HOUR, MINUTE = 86400.0, 3600.0, 60.0
START = dt.date(2025, 1, 6)  # a Monday


def date(day: int) -> str:
    return str(START + dt.timedelta(days=day))


def supply_raw(up_to: str, events: list, days: int = 16) -> dict:
    return {
        "name": "events", "horizon": {"days": days, "warmup_days": 0},
        "calendar": {"start_date": str(START), "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"body": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                           "stations": [{"name": "body_station", "cycle_time": 60}]}},
        "target": {"annual_units": 175_200},
        "supply": {"routes": {"rail": {"lead_time": "2 d", "departures": {"every": "1 d", "first": "20 h"}}},
                   "kits": {"body": {"route": "rail", "per_container": 12,
                                     "order": {"policy": "periodic", "every": "1 d", "up_to": up_to}}}},
        "events": events,
    }


def run_plant(raw: dict):
    scenario = validate_scenario(raw)
    plant = build_plant(scenario, scenario_days(scenario), 1, 0)
    plant.run()
    plant.component("supply").check(plant)
    return plant


def test_steady_supply_has_no_stockout_without_events():
    """The base of the cases below: S = 5 d = 2,400 kits, 960 on hand at the start of every day from day 4."""
    plant = run_plant(supply_raw("5 d", []))
    figures = plant.component("supply").figures()
    assert figures.daily["on_hand"][4:16] == [960] * 12
    assert figures.stockout_hours == 0.0


def test_border_closure_gives_the_stockout_by_hand():
    """S = 5 d: 960 kits at the start of each day. The route is closed on days 10, 11 and 12 (closed at 10 d
    00:00, reopened at 13 d 00:00; the border at the plant): the shipments due at 20:00 on days 10, 11 and 12
    (departed 20:00 on days 8, 9, 10) are held until 13 d 00:00, for 52 + 28 + 4 = 84 h = 3.5 days. Day 10
    takes 480 (480 left), day 11 the other 480, the last at 14:00. On day 12 the station finishes the car
    launched at 14:00 by 06:01 and the launch waits until the border reopens: held from 12 d 06:01 to the end
    of the shift, 7 h 59 min of shift time, one hold; the 1,440 held kits arrive together at 13 d 00:00."""
    closure = {"kind": "route_closed", "route": "rail", "first_day": date(10), "last_day": date(12)}
    plant = run_plant(supply_raw("5 d", [closure]))
    supply = plant.component("supply")
    figures = supply.figures()
    assert figures.daily["on_hand"][9:13] == [960, 960, 480, 0]
    assert figures.stockout_hours == pytest.approx(479 / 60, abs=1e-9)
    assert figures.points["launch"]["holds"] == 1
    log = plant.component("events").holds["rail"].log[0]
    assert [(departed, arrival) for departed, _, arrival in log] == [
        (d * DAY + 20 * HOUR, 13 * DAY) for d in (8, 9, 10)]
    events = plant.component("events").figures()
    assert events.held == {0: {"shipments_held": 3, "days_held": pytest.approx(3.5)}}
    # the cars: days 0-11 build 480 a day (day 0: 481 launched, 480 finished), day 12 builds the one car it had
    starts = [t for t, _, _, _ in plant.completed]
    assert sum(1 for t in starts if 12 * DAY <= t < 13 * DAY) == 1


def test_border_after_the_plant_holds_what_crosses_in_the_closure():
    """The same closure with the border 1 day before the plant: a shipment crosses at 20:00 the day before it
    is due. Held are the crossings at 20:00 on days 10, 11 and 12 (the closure is [10 d, 13 d)), due at the
    plant on days 11, 12 and 13; they arrive at 13 d 00:00 + 1 d = 14 d 00:00. Day 10's shipment (crossed on
    day 9) comes: 960 at the start of day 11; day 11 -> 480, day 12 -> 0 at 14:00; day 13 held from 06:01 to
    14:00: 7 h 59 min."""
    closure = {"kind": "route_closed", "route": "rail", "first_day": date(10), "last_day": date(12),
               "border_to_plant": "1 d"}
    plant = run_plant(supply_raw("5 d", [closure]))
    figures = plant.component("supply").figures()
    assert figures.daily["on_hand"][10:14] == [960, 960, 480, 0]
    assert figures.stockout_hours == pytest.approx(479 / 60, abs=1e-9)
    log = plant.component("events").holds["rail"].log[0]
    assert [arrival for _, _, arrival in log] == [14 * DAY] * 3


@pytest.mark.parametrize("which", [{"departing": date(9)}, {"shipment": 10}])
@pytest.mark.parametrize("how_long", [{"held": "2 d"}, {"released": date(13)}])
def test_held_shipment_gives_the_stockout_by_hand(which, how_long):
    """S = 4 d: 480 kits at the start of each day, the day's exact need. The shipment departing day 9 at
    20:00 (the 10th of the timetable) is held 2 days (or released on day 13 from midnight: due at 11 d 20:00,
    it arrives at 13 d 20:00 or at 13 d 00:00). Day 11 takes the 480, the last at 14:00; no arrival at 20:00;
    on day 12 the launch waits from 06:01 until the shipment departed on day 10 arrives at 20:00: 7 h 59 min of
    shift time. From then on the stock is one car short of the day: each day's 14:00 launch waits for the
    20:00 train, off shift (no stockout hours), until the held shipment comes back in."""
    plant = run_plant(supply_raw("4 d", [{"kind": "shipment_held", "route": "rail", **which, **how_long}]))
    figures = plant.component("supply").figures()
    assert figures.daily["on_hand"][10:13] == [480, 480, 0]
    assert figures.stockout_hours == pytest.approx(479 / 60, abs=1e-9)
    (departed, planned, arrival), = plant.component("events").holds["rail"].log[0]
    assert (departed, planned) == (9 * DAY + 20 * HOUR, 11 * DAY + 20 * HOUR)
    assert arrival == (13 * DAY + 20 * HOUR if "held" in how_long else 13 * DAY)


def office_raw(events: list, days: int = 21) -> dict:
    """Monday to Friday from Monday 2025-01-06, one shift 06:00-14:00, one station of 60 s."""
    return {
        "name": "shutdown", "horizon": {"days": days, "warmup_days": 0}, "calendar": {"start_date": str(START)},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"body": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                           "stations": [{"name": "weld", "cycle_time": 60}, {"name": "hem", "cycle_time": 30}]}},
        "target": {"annual_units": 100_000}, "events": events,
    }


SHUTDOWN = {"kind": "shutdown", "first_day": "2025-01-15", "last_day": "2025-01-21"}  # Wed to Tue


def test_shutdown_takes_off_the_hand_counted_working_days():
    """Wed 15 to Tue 21 January: Wed, Thu, Fri, Mon, Tue are 5 working days lost (the weekend was off
    anyway). 21 days from Monday 6 January: 15 working days, 10 with the shutdown; 40 shift hours less; no car
    on those days; 2025 has 261 weekdays, 256 working days with it; January from the 6th: 20, then 15."""
    base, shut = validate_scenario(office_raw([])), validate_scenario(office_raw([SHUTDOWN]))
    assert scenario_days(base).working_days_in_window() == 15
    assert scenario_days(shut).working_days_in_window() == 10
    assert scenario_days(base).working_days_per_year == 261 and scenario_days(shut).working_days_per_year == 256
    assert working_days_of(base, "2025-01") == 20 and working_days_of(shut, "2025-01") == 15
    assert shutdown_days_lost(shut, shut.events[0]) == 5
    plants = [build_plant(scenario, scenario_days(scenario), 1, 0) for scenario in (base, shut)]
    for plant in plants:
        plant.run()
    hours = [plant.worked_windows["body"].span / HOUR for plant in plants]
    assert hours == [15 * 8.0, 10 * 8.0]
    assert len(plants[0].completed) - len(plants[1].completed) == 5 * 480
    assert not [t for t, _, _, _ in plants[1].completed if 9 * DAY <= t < 16 * DAY]  # Wed 15 to Tue 21
    result = sim.run(shut)
    assert result.summary["working_days_per_year"] == 256
    row = result.summary["events"][0]
    assert row["working_days_lost"] == 5 and row["shift_hours_lost"] == {"body": 40.0}
    assert result.summary["months"]["by_month"]["2025-01"]["working_days"] == 10
    assert scenario_days(shut).shutdown == frozenset(range(9, 16))  # no overtime Saturday in it either
    buffer = io.StringIO()
    print_report(result, Console(file=buffer, width=120))
    assert "Dated events" in buffer.getvalue() and "Dated events" in run_report_html(result)


def test_station_down_intervals_in_shift_time_by_hand():
    """weld down Mon 13 to Wed 15 January: worked time at Mon 13 00:00 is 5 days x 8 h = 40 h, at Thu 16 00:00
    it is 64 h: one interval (40 h, 64 h) of the shop's shift time, 24 shift hours; none over a weekend."""
    scenario = validate_scenario(office_raw([
        {"kind": "down", "shop": "body", "station": "weld", "first_day": "2025-01-13", "last_day": "2025-01-15"},
        {"kind": "down", "shop": "body", "first_day": "2025-01-18", "last_day": "2025-01-19"}]))
    clock = ShiftClock(shift_windows(scenario.shops["body"].shifts, scenario_days(scenario)))
    assert down_intervals(scenario, scenario.events[0], clock) == [(40 * HOUR, 64 * HOUR)]
    assert down_intervals(scenario, scenario.events[1], clock) == []
    assert down_hours(scenario, scenario.events[0]) == 24.0


def test_station_down_stops_it_for_its_shift_hours_and_the_flow_behind_it():
    """weld (60 s, the first station) down Mon 13 to Wed 15 January: 3 of the 15 working days in 21 days, 24 shift
    hours down (state down) and 3 x 480 cars fewer; hem (30 s) after it, starved half of each 60 s cycle anyway,
    starves the other half of those hours too: 12 h more. The downtime table has the event once, 24 h."""
    down = {"kind": "down", "shop": "body", "station": "weld", "first_day": "2025-01-13", "last_day": "2025-01-15"}
    base, with_down = (sim.run(validate_scenario(office_raw(events))) for events in ([], [down]))
    assert base.throughput["units"].sum() - with_down.throughput["units"].sum() == 3 * 480
    rows = {row["station"]: row for row in with_down.stations.to_dict("records")}
    window = 21 * DAY  # the stations' shares are of calendar time (off shift included)
    assert rows["weld"]["share_down"] * window == pytest.approx(24 * HOUR, abs=1e-6)
    hem_base = {row["station"]: row for row in base.stations.to_dict("records")}["hem"]
    assert (rows["hem"]["share_starved"] - hem_base["share_starved"]) * window == pytest.approx(12 * HOUR, abs=60)
    [event] = with_down.summary["downtime"]["rows"]
    assert (event["kind"], event["station"], event["name"]) == ("event", "weld", "events[0] body.weld down")
    assert event["down_h_per_year"] * 15 / 261 == pytest.approx(24.0, abs=1e-6)


@pytest.mark.parametrize("events, where, words", [
    ([SHUTDOWN, {"kind": "shutdown", "first_day": "2025-01-20", "last_day": "2025-01-22"}], "events[1]",
     "overlaps events[0]"),
    ([{"kind": "shutdown", "first_day": "2025-01-15", "last_day": "2025-01-14"}], "events[0].last_day",
     "is before first_day"),
    ([{"kind": "down", "shop": "bdy", "first_day": "2025-01-15", "last_day": "2025-01-16"}], "events[0].shop",
     "did you mean 'body'"),
    ([{"kind": "down", "shop": "body", "station": "wled", "first_day": "2025-01-15", "last_day": "2025-01-16"}],
     "events[0].station", "did you mean 'weld'"),
    ([{"kind": "down", "shop": "body", "line": "main", "first_day": "2025-01-15", "last_day": "2025-01-16"}],
     "events[0].line", "no line"),
    ([{"kind": "route_closed", "route": "rail", "first_day": "2025-01-15", "last_day": "2025-01-16"}],
     "events[0].route", "no route 'rail'"),
    ([{"kind": "shutdown", "first_day": "2025-01-15", "last_day": "2025-03-16"}], "events[0].last_day",
     "outside the simulated days"),
    ([{"kind": "down", "shop": "body", "station": "weld", "line": "x", "first_day": "2025-01-15",
       "last_day": "2025-01-16"}], "events[0]", "not both"),
])
def test_bad_events_get_the_loaders_error_at_their_path(events, where, words):
    with pytest.raises(ScenarioError) as error:
        validate_scenario(office_raw(events))
    text = str(error.value)
    assert f"{where}:" in text and words in text, text


def test_a_station_on_a_feeder_with_its_own_shifts_is_not_taken_down_by_date():
    """Its shop's shift time is not its own: the loader refuses, naming the feeder."""
    raw = office_raw([{"kind": "down", "shop": "body", "station": "sub_weld", "first_day": "2025-01-13",
                       "last_day": "2025-01-15"}])
    raw["shops"]["body"]["feeders"] = {"sub": {
        "joins": "hem", "built": "to_stock", "buffer": 100, "shifts": {"count": 2, "start": "06:00", "length": "8 h"},
        "stations": [{"name": "sub_weld", "cycle_time": 60}]}}
    with pytest.raises(ScenarioError) as error:
        validate_scenario(raw)
    assert "events[0].station:" in str(error.value) and "feeder 'sub', which works its own shifts" in str(error.value)
    del raw["shops"]["body"]["feeders"]["sub"]["shifts"]
    assert validate_scenario(raw).events[0].station == "sub_weld"


def test_supply_event_errors():
    """Overlapping closures of one route; a shipment held twice; a day with no departure; a count calendar."""
    closure = {"kind": "route_closed", "route": "rail", "first_day": date(3), "last_day": date(5)}
    cases = [
        ([closure, {**closure, "first_day": date(5), "last_day": date(8)}], "events[1]", "overlaps events[0]"),
        ([{"kind": "shipment_held", "route": "rail", "shipment": 4, "held": "1 d"},
          {"kind": "shipment_held", "route": "rail", "departing": date(3), "held": "2 d"}], "events[1]",
         "shipment 4 of route 'rail' is held by events[0] already"),
        ([{"kind": "shipment_held", "route": "rail", "shipment": 40, "held": "1 d"}], "events[0].shipment",
         "after the last simulated day"),
    ]
    for events, where, words in cases:
        with pytest.raises(ScenarioError) as error:
            validate_scenario(supply_raw("4 d", events))
        assert f"{where}:" in str(error.value) and words in str(error.value), str(error.value)
    raw = supply_raw("4 d", [closure])
    raw["calendar"] = {"working_days_per_year": 250}
    with pytest.raises(ScenarioError, match="calendar.working_days_per_year: dated events"):
        validate_scenario(raw)


def test_a_held_shipment_that_meets_a_closure_waits_for_it_and_the_check_sees_a_crossing():
    """The shipment departing day 7 (due 9 d 20:00) held 2 days is due 11 d 20:00, inside the closure of days
    10 to 12: it arrives at 13 d 00:00, logged by both events, held once. A hold that would let a shipment
    cross the closed border breaks the component's invariant."""
    from sim.model.flow.car import InvariantError
    events = [{"kind": "shipment_held", "route": "rail", "departing": date(7), "held": "2 d"},
              {"kind": "route_closed", "route": "rail", "first_day": date(10), "last_day": date(12)}]
    plant = run_plant(supply_raw("5 d", events))
    component = plant.component("events")
    holds = component.holds["rail"]
    assert holds.log[0] == [(7 * DAY + 20 * HOUR, 9 * DAY + 20 * HOUR, 11 * DAY + 20 * HOUR)]
    assert (7 * DAY + 20 * HOUR, 11 * DAY + 20 * HOUR, 13 * DAY) in holds.log[1]
    assert (7 * DAY + 20 * HOUR, 9 * DAY + 20 * HOUR, 13 * DAY) in holds.held
    assert len(holds.held) == 4  # the three of the closure and the held one
    component.check(plant)
    holds.held.append((8 * DAY, 10 * DAY, 11 * DAY))
    with pytest.raises(InvariantError, match="crossed the closed border"):
        component.check(plant)
