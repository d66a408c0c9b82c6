"""Indirect staff from its drivers (issue 18, item 2), against hand calculations: CKD logistics by handling
activity, maintenance from equipment, failures and preventive hours, quality from inspection stations, audits
and the rework load, plant-wide roles per 100 staff, team leaders and the absence reserve apart from the direct
operators, and bad input named at its YAML path."""
import pytest

from sim import ScenarioError, validate_scenario
from sim.analysis.staffing import headcount, repair_hours_per_hour, staffing_summary, workload
from sim.analysis.supply import CKD_LOGISTICS, logistics_heads

WEEK_DAYS = 365.25 / 7


def plant(indirect=(), **staffing) -> dict:
    """Assembly on 2 shifts of 8 h with a 48 min break (7.2 h net), 250 working days, 90,000 cars a year (360 a
    day); a line s1 (2 robots, fails every 10 h for 30 min), s2 (the quality gate, FPY 0.9), an oven conveyor and
    a repair station of 2 servers (fails every 20 h for 1 h); an off-line spot repair."""
    return {
        "name": "drivers", "horizon": {"days": 2},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"assembly": {
            "shifts": {"count": 2, "start": "06:00", "length": "8 h",
                       "breaks": [{"after": "4 h", "length": "48 min"}]},
            "lines": {"main": {"takt": 120}},
            "stations": [
                {"name": "s1", "cycle_time": 100, "line": "main", "operators": 3, "robots": 2,
                 "failures": {"mtbf": "10 h", "mttr": "30 min"}},
                {"name": "s2", "cycle_time": 100, "line": "main", "operators": 4},
                {"name": "oven", "conveyor": {"transit_time": 1800, "pitch": 60}},
                {"name": "repair", "cycle_time": 60, "servers": 2, "operators": 1,
                 "failures": {"mtbf": "20 h", "mttr": "1 h", "clock": "calendar"}},
                {"name": "spot", "cycle_time": 300, "operators": 1, "off_line": True},
            ],
            "quality": {"inspection": "s2", "first_pass_yield": 0.9,
                        "rework": [{"share": 1.0, "repair": "spot", "reenter": "s1"}]}}},
        "target": {"annual_units": 90_000},
        "staffing": {"indirect": list(indirect), **staffing},
    }


def heads(raw, role, shift=1, shop="assembly") -> int:
    table = headcount(validate_scenario(raw))
    mine = table[(table["shift"] == shift) & (table["shop"] == shop) & (table["role"] == role)]
    return int(mine["headcount"].sum())


def test_repair_hours_per_hour_is_mean_repair_over_mean_time_between():
    scenario = validate_scenario(plant())
    s1 = scenario.shops["assembly"].stations[0]
    assert repair_hours_per_hour(s1.failures) == pytest.approx(0.5 / 10)


@pytest.mark.parametrize("utilisation, expected", [(0.75, 3), (0.5, 4)])
def test_maintenance_from_equipment_repairs_and_preventive_by_hand(utilisation, expected):
    """Per shift: 2 robots x 0.5 = 1; 1 conveyor x 1 = 1; repairs: s1 0.5/10 + repair 2 servers x 1/20 = 0.15 repair
    h per worked hour x 2 technicians / u; preventive: 2 robots x 4 + 5 stations x 1 + 1 conveyor x 5 = 18 h a
    week / (250 / 52.18 working days a week) / 2 shifts / (7.2 h x u).
    u = 0.75: 1 + 1 + 0.4 + 0.3478 = 2.748 -> 3; u = 0.5: 1 + 1 + 0.6 + 0.5217 = 3.122 -> 4."""
    raw = plant([
        {"role": "maintenance", "shop": "assembly", "per_robot": 0.5},
        {"role": "maintenance", "shop": "assembly", "per_conveyor": 1},
        {"role": "maintenance", "shop": "assembly", "repairs": {"technicians": 2}, "utilisation": utilisation},
        {"role": "maintenance", "shop": "assembly", "preventive": {"per_robot": 4, "per_station": 1,
                                                                    "per_conveyor": 5}, "utilisation": utilisation}])
    repairs = 0.15 * 2 / utilisation
    preventive = 18 / (250 / WEEK_DAYS) / 2 / (7.2 * utilisation)
    assert 1 + 1 + repairs + preventive == pytest.approx({0.75: 2.748, 0.5: 3.122}[utilisation], abs=1e-3)
    assert heads(raw, "maintenance", 1) == expected and heads(raw, "maintenance", 2) == expected
    driver = headcount(validate_scenario(raw)).query("role == 'maintenance'")["driver"].iloc[0]
    assert "2 robots × 0.5" in driver and "2 stations with failures: 1.1 repair h a shift × 2 technicians" in driver  # 0.15 x 7.2 h


def test_quality_from_inspection_stations_audits_and_rework_by_hand():
    """Inspector at s2: 1 a shift. Audit 3 cars a day x 2 h = 6 h on the day shift only: 6 / 7.2 = 0.833.
    Rework: 360 cars a day x (1 - 0.9) x 12 min = 7.2 h a day over 2 shifts: 3.6 / 7.2 = 0.5 a shift.
    Shift 1: 1 + 0.833 + 0.5 = 2.33 -> 3; shift 2: 1 + 0.5 = 1.5 -> 2."""
    raw = plant([
        {"role": "quality", "shop": "assembly", "per_station": 1, "stations": ["s2"]},
        {"role": "quality", "shop": "assembly", "audit": {"cars_a_day": 3, "time": "2 h"}, "shifts": "day"},
        {"role": "quality", "shop": "assembly", "rework": {"time": "12 min"}}])
    assert heads(raw, "quality", 1) == 3 and heads(raw, "quality", 2) == 2


def test_ckd_logistics_by_activity_by_hand():
    """90,000 a year over 250 days: 360 kits a working day, 30 containers of 12, 100 parts a kit (36,000 parts),
    720 deliveries of 50 parts. Work a day: 30 x (30 + 15) min = 22.5 h; 360 x 6 min = 36 h; 36,000 x (2 + 3) s
    = 50 h; 720 x 5 min = 60 h; in all 168.5 h over 2 shifts = 84.25 h a shift.
    At utilisation 1: 84.25 / 7.2 = 11.70 -> 12; at 0.8: 84.25 / 5.76 = 14.63 -> 15 heads a shift."""
    raw = plant()
    raw["supply"] = {"routes": {"rail": {"lead_time": "1 d", "departures": {"every": "1 d"}}},
                     "kits": {"trim": {"route": "rail", "per_container": 12, "order": {"policy": "periodic",
                                                                                       "every": "7 d"},
                                       "handling": {"unload": "30 min", "empties": "15 min", "unpack": "6 min",
                                                    "parts": 100, "sort": "2 s", "sequence": "3 s",
                                                    "feed": "5 min", "parts_per_delivery": 50}}}}
    assert logistics_heads(validate_scenario(raw)) == {"assembly": 12}
    raw["staffing"]["logistics_utilisation"] = 0.8
    assert logistics_heads(validate_scenario(raw)) == {"assembly": 15}
    assert heads(raw, CKD_LOGISTICS, 2) == 15
    driver = headcount(validate_scenario(raw)).query(f"role == '{CKD_LOGISTICS}'")["driver"].iloc[0]
    assert driver.startswith("30.0 containers, 360 kits, 36,000 parts a day: 168 h a day")


def test_team_leaders_and_reserve_apart_and_direct_hours_per_vehicle_by_hand():
    """Per shift: operators 3 + 4 + 2 x 1 + 1 = 10 (the oven uncrewed); relief where the line runs through the
    breaks: ceil(10 x 48 / 480) = 1; team leaders ceil(11 / 4) = 3; reserve at 10%: ceil(14 x 0.1 / 0.9) = 2.
    Direct 2 x 11 = 22, team leaders 6, reserve 4: 32 people. At 900 cars and 250 days of 8 h paid:
    direct hours per vehicle 22 x 8 x 250 / 900 = 48.89; all 32 x 8 x 250 / 900 = 71.11."""
    raw = plant(team_leader_span=4, absenteeism=0.1)
    raw["shops"]["assembly"]["shifts"]["runs_through_breaks"] = True
    scenario = validate_scenario(raw)
    table = headcount(scenario)
    assert table.groupby("group")["headcount"].sum().to_dict() == {"direct": 22, "team leader": 6, "reserve": 4}
    summary = staffing_summary(scenario, table, 900.0, 250, workload(scenario, 250))
    assert (summary["direct"], summary["team_leaders"], summary["reserve"], summary["indirect"]) == (22, 6, 4, 0)
    assert summary["direct_hours_per_vehicle"] == pytest.approx(22 * 8 * 250 / 900, abs=1e-3)
    assert summary["hours_per_vehicle"] == pytest.approx(32 * 8 * 250 / 900, abs=1e-3)


def test_plant_roles_per_100_staff_by_hand():
    """The shops' payroll: 2 shifts x 10 operators = 20; a fixed 5 engineers on the day shift: 25 staff before;
    HR at 10 per 100 on the day shift: 2.5 -> 3; a per-shift ratio of 20 per 100 counts that shift's 10 + 5 (shift
    1) -> 3 and 10 (shift 2) -> 2."""
    raw = plant([{"role": "engineering", "fixed": 5, "shifts": "day"},
                 {"role": "HR", "per_100_staff": 10, "shifts": "day"},
                 {"role": "security", "per_100_staff": 20}])
    assert heads(raw, "HR", 1, "plant") == 3 and heads(raw, "HR", 2, "plant") == 0
    assert heads(raw, "security", 1, "plant") == 3 and heads(raw, "security", 2, "plant") == 2


@pytest.mark.parametrize("role, path", [
    ({"role": "q", "shop": "assembly", "per_station": 1, "stations": ["nowhere"]}, "staffing.indirect[0].stations[0]"),
    ({"role": "m", "shop": "assembly", "per_robot": 1, "utilisation": 0.8}, "staffing.indirect[0]"),
    ({"role": "m", "shop": "assembly", "repairs": {"technicians": 0}}, "staffing.indirect[0].repairs.technicians"),
    ({"role": "m", "shop": "assembly", "repairs": {}, "utilisation": 0}, "staffing.indirect[0].utilisation"),
    ({"role": "m", "repairs": {}}, "staffing.indirect[0]"),
    ({"role": "hr", "shop": "assembly", "per_100_staff": 1}, "staffing.indirect[0]"),
    ({"role": "m", "shop": "assembly", "preventive": {}}, "staffing.indirect[0].preventive"),
    ({"role": "q", "shop": "assembly", "audit": {"cars_a_day": -1, "time": "1 h"}},
     "staffing.indirect[0].audit.cars_a_day"),
])
def test_bad_driver_input_names_the_yaml_path(role, path):
    with pytest.raises(ScenarioError) as err:
        validate_scenario(plant([role]))
    assert path in str(err.value)


def test_rework_load_needs_a_quality_gate_and_feed_needs_parts_per_delivery():
    raw = plant([{"role": "q", "shop": "assembly", "rework": {"time": "10 min"}}])
    del raw["shops"]["assembly"]["quality"]
    raw["shops"]["assembly"]["stations"][-1]["off_line"] = False
    with pytest.raises(ScenarioError) as err:
        validate_scenario(raw)
    assert "staffing.indirect[0].rework" in str(err.value) and "no quality gate" in str(err.value)
    raw = plant()
    raw["supply"] = {"routes": {"rail": {"lead_time": "1 d", "departures": {"every": "1 d"}}},
                     "kits": {"trim": {"route": "rail", "per_container": 12,
                                       "order": {"policy": "periodic", "every": "7 d"},
                                       "handling": {"parts": 10, "feed": "5 min"}}}}
    with pytest.raises(ScenarioError) as err:
        validate_scenario(raw)
    assert "supply.kits.trim.handling" in str(err.value) and "parts_per_delivery" in str(err.value)


def test_a_dated_shutdown_raises_the_daily_rework_load():
    """The rework load is cars a day x (1 - FPY) x time: cars a day = 90,000 over the year's working days. On a
    calendar from Monday 6 January 2025 a year has 261 weekdays, 256 with a shutdown of Wed 15 to Tue 21 January
    (the same days the headcount's year has as the run's): 344.8 or 351.6 cars a day, x 0.1 x 24.8 min = 14.25 or
    14.53 h a day over 2 shifts of 7.2 h: 0.990 -> 1 rework inspector a shift, or 1.009 -> 2."""
    role = [{"role": "quality", "shop": "assembly", "rework": {"time": "24.8 min"}}]
    shutdown = {"kind": "shutdown", "first_day": "2025-01-15", "last_day": "2025-01-21"}
    dated = {"calendar": {"start_date": "2025-01-06"}, "horizon": {"days": 21}}
    assert heads({**plant(role), **dated}, "quality") == 1
    assert heads({**plant(role), **dated, "events": [shutdown]}, "quality") == 2
