"""The inverse search returns the hand-computed optimum."""
import pytest

from sim import validate_scenario
from sim.cli import main
from sim.experiment.staffing_search import search


def two_shops() -> dict:
    # body: one station of 60 s with 5 operators (60 cars per shift hour);
    # assembly: one station of 90 s with 3 operators (40 cars per shift hour); shifts of 8 h, 250 days.
    return {
        "name": "search", "horizon": {"days": 10, "warmup_days": 1},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {
            "body": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                     "stations": [{"name": "weld", "cycle_time": 60, "operators": 5}]},
            "assembly": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                         "stations": [{"name": "fit", "cycle_time": 90, "operators": 3}]}},
        "stores": [{"name": "store", "after": "body", "capacity": 200}],
        "target": {"annual_units": 100000},
        "staffing": {"options": {"shifts": {"body": [1, 2], "assembly": [1, 2]}}},
    }


def test_search_finds_the_hand_computed_optimum():
    # 100,000 a year = 400 a day. Body on one shift makes 480 a day; assembly needs two shifts
    # (320 a shift): the store carries the first shift's surplus of 160 into the second.
    # Headcount: body 1 x 5 + assembly 2 x 3 = 11; both on two shifts would be 16.
    # Assembly on one shift caps the plant at 320 x 250 = 80,000 < target: pruned, never simulated.
    result = search(validate_scenario(two_shops()), replications=2)
    best = result.best
    assert best.settings == {"shops.body.shifts.count": 1, "shops.assembly.shifts.count": 2}
    assert best.assignments == ["shops.body.shifts.count=1", "shops.assembly.shifts.count=2"]
    assert best.headcount == 11
    assert best.annual_mean == pytest.approx(480 * 250, rel=0.01)
    assert result.pruned == 2
    statuses = {tuple(c.settings.values()): c.status for c in result.candidates}
    assert statuses[(2, 2)] == "meets target"  # the runner-up, dearer
    assert statuses[(1, 1)].startswith("pruned") and statuses[(2, 1)].startswith("pruned")


def test_unreachable_target_says_so(tmp_path, capsys):
    import yaml
    raw = two_shops()
    raw["target"]["annual_units"] = 500000
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert main(["staff", str(path), "--jobs", "1"]) == 3
    assert "No option meets" in capsys.readouterr().out
