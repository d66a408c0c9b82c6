"""Learning curves: bad input gives a ScenarioError naming the YAML path, the value and what is allowed; a
scenario without ``learning`` serialises as before, and one with it reads back from its resolved form."""

import copy
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.scenario import ScenarioError, validate_scenario

SMALL = yaml.safe_load((Path(__file__).parents[1] / "small.yaml").read_text())


def with_learning(learning, quality=None):
    raw = copy.deepcopy(SMALL)
    raw["learning"] = learning
    if quality is not None:
        raw["shops"]["paint"]["quality"].update(quality)
    return raw


def problem(learning, quality=None) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(with_learning(learning, quality))
    return str(caught.value)


CYCLE = {"rate": 0.85, "first": 2}


@pytest.mark.parametrize("learning, path, words", [
    ({"body": {"cycle_time": {"rate": 0, "first": 2}}}, "learning.body.cycle_time.rate",
     ["learning rate of 0", "between 0 and 1 (exclusive)", "0.85 for an 85% curve"]),
    ({"body": {"cycle_time": {"rate": -0.5, "first": 2}}}, "learning.body.cycle_time.rate", ["-0.5"]),
    ({"body": {"cycle_time": {"rate": 1, "first": 2}}}, "learning.body.cycle_time.rate",
     ["rate of 1 never learns", "leave the curve out, or give first: 1"]),
    ({"body": {"failures": {"rate": 1.2, "first": 2}}}, "learning.body.failures.rate", ["1.2", "between 0 and 1"]),
    ({"body": {"cycle_time": {"rate": 0.85, "first": 0.5}}}, "learning.body.cycle_time.first",
     ["multiplier of 0.5", "better than the mature ones", "give 1 or more"]),
    ({"body": {"failures": {"rate": 0.85, "first": 0.9}}}, "learning.body.failures.first", ["0.9", "give 1 or more"]),
    ({"body": {"cycle_time": {"rate": 0.85, "first": 5000}}}, "learning.body.cycle_time.first", ["above 1000"]),
    ({"paint": {"first_pass_yield": {"rate": 0.8, "first": 0}}}, "learning.paint.first_pass_yield.first",
     ["first_pass_yield of 0 is not in (0, 1]"]),
    ({"paint": {"first_pass_yield": {"rate": 0.8, "first": 1.2}}}, "learning.paint.first_pass_yield.first",
     ["1.2 is not in (0, 1]"]),
    ({"paint": {"first_pass_yield": {"rate": 0.8, "first": 0.001}}}, "learning.paint.first_pass_yield.first",
     ["never ends", "at least 0.01"]),
    ({"paint": {"first_pass_yield": {"rate": 0.8, "first": 0.95}}}, "learning.paint.first_pass_yield.first",
     ["0.95 is above the mature first_pass_yield 0.88 of shops.paint.quality"]),
    ({"body": {"first_pass_yield": {"rate": 0.8, "first": 0.6}}}, "learning.body.first_pass_yield",
     ["shop 'body' has no quality gate"]),
    ({"paint": {"failures": {"rate": 0.8, "first": 2}}}, "learning.paint.failures",
     ["no station of 'paint' has failures"]),
    ({"assembly": {"cycle_time": CYCLE}}, "learning.assembly", ["no shop 'assembly'", "['body', 'paint']"]),
    ({"body": {}}, "learning.body", ["give at least one curve"]),
    ({"body": {"built_before": -1, "cycle_time": CYCLE}}, "learning.body.built_before", ["-1"]),
    ({"body": {"cycle_time": {"rate": 0.85, "frist": 2}}}, "learning.body.cycle_time.frist", ["first"]),
    ({"body": {"cycle_time": {"rate": 0.85}}}, "learning.body.cycle_time.first", ["required"]),
])
def test_bad_learning_names_its_path_and_what_is_allowed(learning, path, words):
    text = problem(learning)
    missing = [part for part in (f"  {path}", *words) if part not in text]
    assert not missing, f"{missing} not in: {text}"


def test_a_yield_curve_needs_failing_cars():
    """A gate that passes every car has no failing mix for the learning yield's extra failures."""
    text = problem({"paint": {"first_pass_yield": {"rate": 0.8, "first": 0.6}}},
                   {"first_pass_yield": 1.0, "rework": []})
    assert "  learning.paint.first_pass_yield" in text and "passes every car (first_pass_yield 1)" in text


def test_a_conveyor_only_shop_has_no_work_to_learn():
    raw = copy.deepcopy(SMALL)
    raw["shops"]["oven"] = {"shifts": {"count": 1}, "stations": [{"name": "cure",
                                                                   "conveyor": {"transit_time": 600, "pitch": 60}}]}
    raw["learning"] = {"oven": {"cycle_time": CYCLE}}
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(raw)
    assert "  learning.oven.cycle_time" in str(caught.value) and "conveyor" in str(caught.value)


def test_the_cli_prints_the_error_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(with_learning({"body": {"cycle_time": {"rate": 1, "first": 2}}}), sort_keys=False))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "learning.body.cycle_time.rate" in err and "never learns" in err and "Traceback" not in err


def test_without_learning_the_resolved_scenario_has_no_learning_key():
    assert "learning" not in validate_scenario(copy.deepcopy(SMALL)).model_dump(mode="json")


def test_learning_reads_back_from_the_resolved_scenario():
    scenario = validate_scenario(with_learning({
        "body": {"built_before": 200, "cycle_time": CYCLE, "failures": {"rate": 0.9, "first": 3}},
        "paint": {"first_pass_yield": {"rate": 0.8, "first": 0.6}}}))
    assert scenario.learning["body"].built_before == 200
    assert validate_scenario(scenario.model_dump(mode="json")) == scenario
