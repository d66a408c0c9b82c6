"""Every shipped scenario validates and runs a full simulated year with believable figures."""
from pathlib import Path

import pytest

from sim import load_scenario, run
from sim.cli import main

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))


def test_scenarios_are_shipped():
    names = {p.stem for p in SCENARIOS}
    assert {"almaty", "kostanay"} <= names


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_validates(path, capsys):
    assert main(["validate", str(path)]) == 0


@pytest.mark.slow
@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_runs_a_year(path):
    scenario = load_scenario(path)
    result = run(scenario, replications=1)
    s = result.summary
    # a planner's sanity band: a calibrated plant lands near its target, not at a tenth or twice it
    assert 0.8 <= s["target"]["attainment"] <= 1.3, s["throughput"]["annual_units"]
    assert sum(s["throughput"]["by_model"].values()) == pytest.approx(s["throughput"]["annual_units"]["mean"], rel=1e-6)
    assert s["bottleneck"]["station"] in set(result.stations["station"])
    assert not s["warnings"]
    # every shop runs at a line rate a CKD plant of this size runs (docs/sources.md §3: 24-36 JPH, 40 at the fastest)
    for shop, jph in s["jph"].items():
        assert 10 <= jph <= 45, (shop, jph)
    assert 0 <= s["dynamic_loss"] < 0.3
