"""--days, --years and --warmup: a shorter run from the command line, a ramp-up, plan or event cut to it."""
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.scenario import ScenarioError, load_scenario, validate_scenario
from sim.scenario.shorten import shortened
from tests_paths import SMALL

RAMP_UP = Path(__file__).parents[2] / "scenarios" / "almaty-rampup.yaml"


def small_dated(**extra) -> dict:
    """The small plant on a dated calendar from Wednesday 2025-01-01, 40 days after a day of warm-up."""
    raw = yaml.safe_load(SMALL.read_text())
    raw["calendar"] = {"start_date": "2025-01-01"}
    raw["horizon"] = {"days": 40, "warmup_days": 1}
    return {**raw, **extra}


def test_days_gives_the_summary_of_the_same_set_horizon(tmp_path):
    common = [str(SMALL), "-n", "2", "--seed", "3", "--jobs", "1"]
    assert main(["run", *common, "--days", "3", "--results", str(tmp_path / "a")]) == 0
    assert main(["run", *common, "--set", "horizon={days: 3, warmup_days: 1}", "--results", str(tmp_path / "b")]) == 0
    summary = (tmp_path / "a" / "small" / "summary.json").read_bytes()
    assert summary == (tmp_path / "b" / "small" / "summary.json").read_bytes()
    assert json.loads(summary)["simulated_days"] == 3


def test_warmup_and_years_replace_only_their_part_of_the_horizon():
    scenario = load_scenario(SMALL)  # {days: 10, warmup_days: 1}
    assert shortened(scenario, warmup_days=0)[0].horizon.model_dump() == {"days": 10, "years": None,
                                                                          "warmup_days": 0}
    assert shortened(scenario, years=0.5)[0].horizon.model_dump() == {"days": None, "years": 0.5, "warmup_days": 1}
    assert shortened(scenario) == (scenario, [])


def test_a_ramp_up_and_plan_are_cut_to_the_window_with_a_warning():
    # 2025-01-01 + 60 days: the last day is 1 March, so the ramp-up's entries from April and the plan's months
    # from April and its years 2026 and 2027 start after it
    scenario = load_scenario(RAMP_UP)
    short, notes = shortened(scenario, days=60)
    assert max(short.ramp_up.months) <= "2025-03" and max(short.plan.months) == "2025-03"
    assert not short.plan.years
    assert len(notes) == 1 and "they start after 2025-03-01, the run's last day" in notes[0]
    assert "plan.years 2026 to 2027 (2 of 2)" in notes[0]
    # the file itself stays as strict as it was: a horizon given with --set that misses its months is refused
    with pytest.raises(ScenarioError, match="outside the horizon"):
        load_scenario(RAMP_UP, ["horizon={days: 60, warmup_days: 0}"])


def test_the_ramp_up_runs_60_days_with_a_warning(tmp_path, capsys):
    assert main(["run", str(RAMP_UP), "--days", "60", "--jobs", "1", "--results", str(tmp_path)]) == 0
    err = " ".join(capsys.readouterr().err.split())
    assert "warning: --days 60: ramp_up.months 2025-04 to 2027-01" in err
    assert json.loads((tmp_path / "almaty-rampup" / "summary.json").read_text())["simulated_days"] == 60


def test_dated_events_after_the_window_are_left_out_and_those_across_it_end_on_its_last_day():
    events = [{"kind": "shutdown", "first_day": "2025-01-06", "last_day": "2025-01-17"},
              {"kind": "down", "shop": "paint", "first_day": "2025-01-30", "last_day": "2025-01-31"}]
    scenario = validate_scenario(small_dated(events=events))
    # 1 day of warm-up and 10 measured: the last day is 11 January
    short, notes = shortened(scenario, days=10)
    assert [(e.first_day, e.last_day) for e in short.events] == [(dt.date(2025, 1, 6), dt.date(2025, 1, 11))]
    assert notes == ["events[0] (shutdown) ends on 2025-01-11, the run's last day, instead of 2025-01-17",
                     "events[1] (down from 2025-01-30) left out: it starts after 2025-01-11, the run's last day"]


def test_a_bad_length_names_the_option_the_value_and_the_range(capsys):
    assert main(["run", str(SMALL), "--days", "50000"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "with --days 50000" in err and "horizon.days" in err and "36600 (got 50000)" in err
    with pytest.raises(SystemExit) as stop:
        main(["run", str(SMALL), "--days", "0"])
    assert stop.value.code == 2 and "--days: must be above 0, got 0" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["run", str(SMALL), "--days", "5", "--years", "1"])
    assert "not allowed with argument" in capsys.readouterr().err


def test_compare_shortens_the_scenario_files_it_runs(tmp_path, capsys):
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {SMALL}\nname: other\nshops: {{body: {{shifts: {{count: 3}}}}}}\n")
    assert main(["compare", str(SMALL), str(other), "--days", "2", "--warmup", "0", "-n", "2", "--jobs", "1",
                 "--results", str(tmp_path), "--format", "json"]) == 0
    for name in ("small", "other"):
        assert json.loads((tmp_path / name / "summary.json").read_text())["simulated_days"] == 2
