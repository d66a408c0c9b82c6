"""``outbound``: bad input gives a ScenarioError naming the YAML path, the value and what is allowed; a good
section round-trips through the resolved scenario; the command line prints the error without a traceback."""

import copy
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.scenario import ScenarioError, validate_scenario

SMALL = yaml.safe_load((Path(__file__).parents[1] / "small.yaml").read_text())

RUSSIA = {"name": "Russia", "share": 0.6, "cars_per_wagon": 10, "wagons": 20, "per_week": 2}
UZBEKISTAN = {"name": "Uzbekistan", "share": 0.4, "cars_per_wagon": 10, "wagons": 10, "weekdays": ["Tue"]}
GOOD = {"yard": {"capacity": 1200}, "trucks": {"per_day": 6, "cars_per_truck": 8, "at": ["08:00", "14:00"]},
        "trains": [RUSSIA, UZBEKISTAN]}


def with_outbound(outbound):
    raw = copy.deepcopy(SMALL)
    raw["outbound"] = outbound
    return raw


def problem(outbound) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(with_outbound(outbound))
    return str(caught.value)


def changed(**parts):
    """GOOD with some parts replaced: yard=, trucks=, or train0= / train1= (a dict merged into that train)."""
    out = copy.deepcopy(GOOD)
    for key, value in parts.items():
        if key.startswith("train"):
            out["trains"][int(key[-1])].update(value)
        else:
            out[key] = value
    return out


@pytest.mark.parametrize("outbound, path, words", [
    (changed(train0={"share": 0.5}), "outbound.trains",
     ["destination shares sum to 0.9 for every model", "must sum to 1"]),
    (changed(train0={"share": {"Tiggo 7": 0.5, "default": 0.6}}), "outbound.trains",
     ["sum to 0.9 for Tiggo 7", "must sum to 1"]),
    (changed(yard={"capacity": -5}), "outbound.yard.capacity", ["greater than or equal to 1", "-5"]),
    (changed(yard={"capacity": 0}), "outbound.yard.capacity", ["greater than or equal to 1", "got 0"]),
    (changed(train0={"cars_per_wagon": 0}), "outbound.trains[0].cars_per_wagon",
     ["greater than or equal to 1", "got 0"]),
    (changed(train1={"share": {"Tiggo 9": 0.4, "default": 0.4}}), "outbound.trains[1].share.Tiggo 9",
     ["'Tiggo 9' is not a model of the product mix", "Tiggo 2 Pro", "'default'"]),
    (changed(train0={"per_week": 0}), "outbound.trains[0].per_week", ["greater than 0", "got 0"]),
    (changed(train0={"per_week": None}), "outbound.trains[0]", ["give per_week", "or weekdays"]),
    (changed(train1={"per_week": 3}), "outbound.trains[1]", ["per_week 3 but 1 weekdays"]),
    (changed(train1={"weekdays": ["Tue", "Tue"]}), "outbound.trains[1]", ["weekdays repeat"]),
    (changed(train1={"weekdays": ["Tuesday"]}), "outbound.trains[1].weekdays[0]", ["'Mon'", "'Tuesday'"]),
    (changed(train0={"cancelled": 1.5}), "outbound.trains[0].cancelled", ["less than or equal to 1", "1.5"]),
    (changed(train0={"delay": "soon"}), "outbound.trains[0].delay", ["'soon' is not a duration"]),
    (changed(train0={"at": 840}), "outbound.trains[0].at", ["840 is not a clock time", "\"14:00\""]),
    (changed(train1={"name": "Russia"}), "outbound", ["destinations repeat", "'Russia'"]),
    (changed(train1={"name": "domestic"}), "outbound", ["'domestic' names the cars that leave by truck"]),
    (changed(trucks={"per_day": 1, "cars_per_truck": 8, "at": ["08:00", "14:00"]}), "outbound.trucks",
     ["2 loading times for 1 trucks a day"]),
    (changed(trucks={"per_day": 0, "cars_per_truck": 8}), "outbound.trucks.per_day",
     ["greater than or equal to 1", "got 0"]),
    (changed(trucks={"per_day": 2, "cars_per_truck": 8, "at": ["08:00", "08:00"]}), "outbound.trucks",
     ["loading times repeat"]),
    ({"trucks": {"per_day": 2, "cars_per_truck": 8}}, "outbound.yard", ["required"]),
    (changed(yard={"capacity": 10, "size": 3}), "outbound.yard.size", ["unknown key 'size'", "capacity"]),
])
def test_bad_outbound_names_its_path_and_what_is_allowed(outbound, path, words):
    text = problem(outbound)
    assert f"  {path}" in text, text
    for word in words:
        assert word in text, f"{word!r} not in {text}"


def test_every_problem_at_once():
    text = problem(changed(yard={"capacity": -1}, train0={"cars_per_wagon": 0, "per_week": 0}))
    assert "3 problems" in text


def test_a_good_section_round_trips_through_the_resolved_scenario():
    scenario = validate_scenario(with_outbound(GOOD))
    again = validate_scenario(scenario.model_dump(mode="json"))
    assert again == scenario
    dumped = scenario.model_dump(mode="json")["outbound"]
    assert dumped["trucks"]["at"] == ["08:00", "14:00"] and dumped["trains"][1]["weekdays"] == ["Tue"]
    assert scenario.outbound.trains[1].per_week is None and scenario.outbound.trains[0].cars_per_train == 200


def test_the_command_line_says_where_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(with_outbound(changed(train0={"share": 0.5})), sort_keys=False))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err and "outbound.trains" in err and "sum to 0.9" in err
