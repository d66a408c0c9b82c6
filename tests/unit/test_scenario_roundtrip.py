"""The resolved scenario stored with every run validates back into the same Scenario."""
from pathlib import Path

import pytest

from sim import load_scenario, validate_scenario

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "tests" / "small.yaml"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_resolved_scenario_round_trips(path):
    scenario = load_scenario(path)
    dumped = scenario.model_dump(mode="json")
    assert validate_scenario(dumped, "dump") == scenario
    # written as a scenario file writes it: a clock time, and 'default' for the other models
    first = next(iter(dumped["shops"].values()))
    assert first["shifts"]["start"] == "06:00"
    assert "*" not in str([st["cycle_time"] for st in first["stations"] if st["cycle_time"]])
