"""A store's ``sort``: bad input gives a ScenarioError naming the YAML path, the value and what is allowed;
a store without it serialises and runs as before."""

import copy
from pathlib import Path

import pytest
import yaml

from sim.scenario import ScenarioError, validate_scenario

SMALL = yaml.safe_load((Path(__file__).parents[1] / "small.yaml").read_text())


def with_store(store):
    raw = copy.deepcopy(SMALL)
    raw["stores"] = [store]
    return raw


def problem(store) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(with_store(store))
    return str(caught.value)


WBS = {"name": "WBS", "after": "body"}


@pytest.mark.parametrize("store, path, words", [
    ({**WBS, "capacity": 40, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7}},
     "stores[0]", ["capacity 40", "6 lanes x 7 deep = 42", "give capacity 42 or leave it out"]),
    ({**WBS, "sort": {"by": "size", "lanes": 6, "lane_depth": 7}},
     "stores[0].sort.by", ["'colour'", "'sequence'", "'levelled'", "'size'"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_block": 0}},
     "stores[0].sort.max_block", ["greater than or equal to 1", "got 0"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 0, "lane_depth": 7}},
     "stores[0].sort.lanes", ["greater than or equal to 1", "got 0"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 2000, "lane_depth": 7}},
     "stores[0].sort.lanes", ["less than or equal to 1000", "got 2000"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 1000, "lane_depth": 2000}},
     "stores[0].sort", ["1000 lanes x 2000 deep = 2,000,000 cars", "at most 1,000,000"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": "two hours"}},
     "stores[0].sort.max_wait", ["two hours"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": -5}},
     "stores[0].sort.max_wait", ["-5"]),
    ({**WBS, "sort": {"by": "sequence", "lanes": 8, "lane_depth": 12, "max_wait": "1 h"}},
     "stores[0].sort", ["max_wait applies to by: colour only", "by: sequence"]),
    ({**WBS, "sort": {"by": "levelled", "lanes": 8, "lane_depth": 12, "max_block": 4, "max_wait": "1 h"}},
     "stores[0].sort", ["max_block and max_wait apply to by: colour only"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "release": "keep_blocks"}},
     "stores[0].sort", ["release: keep_blocks", "give max_wait"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": "1 h", "release": "keep_blocks"}},
     "stores[0].sort", ["keep_blocks needs max_block or max_wait_hard"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": "1 h", "release": "blocks"}},
     "stores[0].sort.release", ["'overdue_first'", "'keep_blocks'", "'blocks'"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": "1 h", "max_wait_hard": "3 h"}},
     "stores[0].sort", ["max_wait_hard applies to release: keep_blocks only"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": "2 h", "release": "keep_blocks",
                      "max_wait_hard": "1 h"}},
     "stores[0].sort", ["max_wait_hard 3600 s must be longer than max_wait 7200 s"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_wait": "2 h", "release": "keep_blocks",
                      "max_wait_hard": "-3 h"}},
     "stores[0].sort.max_wait_hard", ["-3 h"]),
    ({**WBS, "sort": {"by": "sequence", "lanes": 8, "lane_depth": 12, "release": "keep_blocks"}},
     "stores[0].sort", ["release applies to by: colour only"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6}},
     "stores[0].sort.lane_depth", ["required"]),
    ({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7, "max_blok": 3}},
     "stores[0].sort.max_blok", ["max_block"]),
    (WBS, "stores[0]", ["give the store a capacity", "or a sort with lanes and lane_depth"]),
])
def test_bad_sort_names_its_path_and_what_is_allowed(store, path, words):
    text = problem(store)
    assert f"  {path}" in text, text
    for word in words:
        assert word in text, text


def test_capacity_defaults_to_the_lanes():
    scenario = validate_scenario(with_store({**WBS, "sort": {"by": "colour", "lanes": 6, "lane_depth": 7}}))
    assert scenario.stores[0].capacity == 42
    again = validate_scenario(with_store({**WBS, "capacity": 42, "sort": {"by": "colour", "lanes": 6,
                                                                           "lane_depth": 7}}))
    assert again == scenario
    dumped = scenario.model_dump(mode="json")
    assert validate_scenario(dumped) == scenario  # the resolved scenario reads back


def test_a_store_without_sort_serialises_as_before():
    """No 'sort' key in the resolved scenario of a plain store: its summary.json keeps its bytes."""
    dumped = validate_scenario(copy.deepcopy(SMALL)).model_dump(mode="json")
    assert dumped["stores"] == [{"name": "WBS", "after": "body", "capacity": 40}]
