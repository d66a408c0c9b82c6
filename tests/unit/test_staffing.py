"""Headcount against hand calculations."""
import pytest

from sim import ScenarioError, run, validate_scenario
from sim.analysis.staffing import headcount, staffing_summary, workload


def plant(**staffing) -> dict:
    return {
        "name": "crew", "horizon": {"days": 2},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]},
        "shops": {"assembly": {
            "shifts": {"count": 2, "start": "06:00", "length": "8 h",
                       "breaks": [{"after": "4 h", "length": "48 min"}]},
            "lines": {"main": {"takt": 120}},
            "stations": [
                {"name": "s1", "cycle_time": 100, "line": "main", "operators": {"A": 2, "B": 3}, "robots": 2},
                {"name": "s2", "cycle_time": 100, "line": "main", "operators": 4},
                {"name": "repair", "cycle_time": 600, "servers": 2, "operators": 1},
            ]}},
        "target": {"annual_units": 1000},
        "staffing": staffing,
    }


def roles(table, shift=1, shop="assembly") -> dict:
    mine = table[(table["shift"] == shift) & (table["shop"] == shop)]
    return dict(zip(mine["role"], mine["headcount"]))


def test_crews_sized_for_the_most_demanding_model_on_each_shift():
    table = headcount(validate_scenario(plant()))
    # s1: 3 (model B), s2: 4, repair: 2 servers x 1 = 9 per shift, two shifts
    assert roles(table, 1) == {"operator": 9} and roles(table, 2) == {"operator": 9}
    assert table["headcount"].sum() == 18


def test_mix_average_crew_rounds_up():
    table = headcount(validate_scenario(plant(crew_sizing="mix_average")))
    assert roles(table)["operator"] == 3 + 4 + 2  # s1: ceil(0.5*2 + 0.5*3) = 3


def test_relief_team_leaders_and_absence_reserve():
    raw = plant(team_leader_span=4, absenteeism=0.1)
    raw["shops"]["assembly"]["shifts"]["runs_through_breaks"] = True
    got = roles(headcount(validate_scenario(raw)))
    # relief: ceil(9 x 48 min / 480 min) = ceil(0.9) = 1; leaders: ceil(10 / 4) = 3
    # absence reserve: ceil(13 x 0.1 / 0.9) = ceil(1.444) = 2
    assert got == {"operator": 9, "break relief": 1, "team leader": 3, "absence reserve (direct)": 2}


def test_indirect_roles_by_basis_and_day_shift():
    raw = plant(indirect=[
        {"role": "maintenance", "shop": "assembly", "per_robot": 0.5},     # 2 robots -> 1 per shift
        {"role": "quality", "shop": "assembly", "per_direct": 0.25},       # 9 direct -> ceil(2.25) = 3
        {"role": "logistics", "per_1000_units": 1.5},                     # plant: ceil(1.5) = 2 per shift
        {"role": "engineering", "fixed": 5, "shifts": "day"}])
    table = headcount(validate_scenario(raw))
    assert roles(table, 1)["maintenance"] == 1 and roles(table, 2)["quality"] == 3
    assert roles(table, 1, "plant") == {"logistics": 2, "engineering": 5}
    assert roles(table, 2, "plant") == {"logistics": 2}
    summary = staffing_summary(validate_scenario(raw), table, 900.0, 250, workload(validate_scenario(raw), 250))
    assert summary["headcount_total"] == 18 + 2 * 4 + 2 + 2 + 5
    assert summary["direct"] == 18 and summary["indirect"] == 17
    # paid hours per vehicle = 35 people x 8 h x 250 days / 900 cars
    assert summary["hours_per_vehicle"] == pytest.approx(35 * 8 * 250 / 900, abs=1e-3)
    assert summary["vehicles_per_employee_year"] == pytest.approx(900 / 35, abs=1e-3)


def test_workload_view_flags_an_overcycled_station():
    raw = plant()
    raw["shops"]["assembly"]["stations"][1]["cycle_time"] = 150  # 4 operators x 150 s > 4 x takt 120
    table = workload(validate_scenario(raw), 250).set_index("station")
    assert table.loc["s2", "needed"] == pytest.approx(4 * 150 / 120)
    assert table.loc["s2", "gap"] == pytest.approx(4 - 5)
    # s1: mix 0.5 x 2 x 100 + 0.5 x 3 x 100 = 250 operator-seconds per car at takt 120
    assert table.loc["s1", "needed"] == pytest.approx(250 / 120, abs=1e-3)


def test_a_plant_of_one_conveyor_runs_and_reports_its_headcount():
    # a conveyor has no cycle time, so no workload row: the staffing summary must still find a 'gap' column
    raw = plant()
    raw["shops"]["assembly"] = {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                                "stations": [{"name": "oven", "conveyor": {"transit_time": 1800, "pitch": 60},
                                              "operators": 2}]}
    raw["horizon"] = {"days": 2, "warmup_days": 1}
    result = run(validate_scenario(raw), replications=1)
    assert result.summary["staffing"]["headcount_total"] == 2
    assert result.summary["staffing"]["understaffed_stations"] == []
    assert result.workload.empty and "gap" in result.workload.columns


@pytest.mark.parametrize("change, path", [
    (lambda r: r["shops"]["assembly"]["stations"][2].update(operators=-1), "stations[2].operators"),
    (lambda r: r["shops"]["assembly"]["stations"][2].update(labour_pool="floaters"), "stations[2].labour_pool"),
    (lambda r: r["staffing"].update(pools=[{"name": "p", "shop": "paint", "size": 2}]), "staffing.pools[0].shop"),
    (lambda r: r["staffing"].update(indirect=[{"role": "x", "per_robot": 1, "fixed": 2}]), "staffing.indirect[0]"),
])
def test_bad_staffing_input_names_the_yaml_path(change, path):
    raw = plant()
    change(raw)
    with pytest.raises(ScenarioError) as err:
        validate_scenario(raw)
    assert path in str(err.value)
