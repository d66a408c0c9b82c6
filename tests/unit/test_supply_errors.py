"""Kit supply: bad input gets the loader's clear error at its YAML path; `--set` reaches into routes and kits."""
import copy

import pytest

from sim.cli import main
from sim.scenario import ScenarioError, load_scenario, validate_scenario

SHIFT = {"count": 1, "start": "06:00", "length": "8 h"}
RAW = {
    "name": "kits", "horizon": {"days": 5, "warmup_days": 0}, "calendar": {"working_days_per_year": 250},
    "product": {"models": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]},
    "shops": {"body": {"shifts": SHIFT, "stations": [{"name": "weld", "cycle_time": 60}]},
              "assembly": {"shifts": SHIFT, "stations": [{"name": "fit", "cycle_time": 60}]}},
    "target": {"annual_units": 100_000},
    "supply": {
        "routes": {"china_rail": {"lead_time": {"dist": "normal", "mean": "25 d", "sd": "7 d"},
                                  "departures": {"every": "7 d", "first": "3 d"}, "containers": 60}},
        "kits": {"body": {"route": "china_rail", "per_container": 12, "lot": 24, "safety_stock": "10 d",
                          "order": {"policy": "periodic", "every": "7 d"}},
                 "trim": {"route": "china_rail", "taken_at": "assembly", "per_container": {"A": 8, "default": 12},
                          "lot": 24, "order": {"policy": "reorder_point"}}}},
}


def problems_of(change) -> str:
    raw = copy.deepcopy(RAW)
    change(raw)
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(raw)
    return str(caught.value)


def kit(raw, name="body"):
    return raw["supply"]["kits"][name]


def test_the_example_is_valid_and_reads_back():
    scenario = validate_scenario(copy.deepcopy(RAW))
    assert scenario.supply.kits["trim"].per_container_for("A") == 8
    assert scenario.supply.kits["trim"].per_container_for("B") == 12
    assert validate_scenario(scenario.model_dump(mode="json")) == scenario  # the stored scenario validates back


@pytest.mark.parametrize("lead_time, path", [
    ("-2 d", "supply.routes.china_rail.lead_time"),
    (0, "supply.routes.china_rail.lead_time"),
    ({"dist": "normal", "mean": "-2 d", "sd": "1 d"}, "supply.routes.china_rail.lead_time.mean"),
])
def test_a_negative_lead_time(lead_time, path):
    err = problems_of(lambda raw: raw["supply"]["routes"]["china_rail"].__setitem__("lead_time", lead_time))
    assert f"{path}: Input should be greater than 0" in err


def test_a_model_with_no_kit():
    err = problems_of(lambda raw: [kit(raw, k).__setitem__("models", ["A"]) for k in ("body", "trim")])
    assert "supply.kits: no kit for ['B']" in err and "every model needs its kits" in err


def test_an_unknown_route():
    err = problems_of(lambda raw: kit(raw).__setitem__("route", "china_sea"))
    assert "supply.kits.body.route: no route 'china_sea'; did you mean 'china_rail'? Routes: ['china_rail']" in err


def test_taken_at_an_unknown_shop():
    err = problems_of(lambda raw: kit(raw, "trim").__setitem__("taken_at", "trim_shop"))
    assert "supply.kits.trim.taken_at: 'trim_shop' is neither 'launch' nor a shop; shops: ['body', 'assembly']" in err


def test_taken_at_the_first_shop_is_the_launch():
    err = problems_of(lambda raw: kit(raw).__setitem__("taken_at", "body"))
    assert "supply.kits.body.taken_at" in err and "write taken_at: launch" in err


@pytest.mark.parametrize("value", [0, -24])
def test_lot_zero(value):
    err = problems_of(lambda raw: kit(raw).__setitem__("lot", value))
    assert "supply.kits.body.lot: Input should be greater than or equal to 1" in err


def test_per_container_zero():
    err = problems_of(lambda raw: kit(raw).__setitem__("per_container", 0))
    assert "supply.kits.body.per_container: Input should be greater than or equal to 1" in err
    err = problems_of(lambda raw: kit(raw, "trim").__setitem__("per_container", {"A": 0, "default": 12}))
    assert "supply.kits.trim.per_container.A: Input should be greater than or equal to 1" in err


def test_per_container_naming_an_unknown_model_or_missing_one():
    err = problems_of(lambda raw: kit(raw, "trim").__setitem__("per_container", {"A": 8, "Tiggo 9": 12}))
    assert "supply.kits.trim.per_container.Tiggo 9: 'Tiggo 9' is not a model of the product mix" in err
    assert "supply.kits.trim.per_container: no per_container for ['B']" in err


def test_supply_with_arrival_driven_launch():
    err = problems_of(lambda raw: raw.__setitem__("launch", {"interarrival": 120}))
    assert "launch.interarrival: kit supply needs the pull launch" in err


def test_a_policy_given_what_belongs_to_the_other():
    err = problems_of(lambda raw: kit(raw)["order"].__setitem__("reorder_at", "5 d"))
    assert "supply.kits.body.order: reorder_at belongs to policy reorder_point, not periodic" in err
    err = problems_of(lambda raw: kit(raw)["order"].pop("every"))
    assert "supply.kits.body.order: a periodic policy orders every review interval: give every" in err


def test_every_problem_at_once_through_the_command_line(tmp_path, capsys):
    import yaml
    raw = copy.deepcopy(RAW)
    raw["supply"]["routes"]["china_rail"]["lead_time"] = "-1 d"
    kit(raw)["lot"] = 0
    kit(raw, "trim")["route"] = "truck"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "supply.routes.china_rail.lead_time" in err and "supply.kits.body.lot" in err
    # the schema's problems come first; the cross-references are checked once the schema holds
    assert "2 problems" in err


def test_set_reaches_a_route_by_name():
    """`--set supply.routes.china_rail.lead_time.mean=35d`: the planner's "what if kits arrive late"."""
    scenario = load_scenario("scenarios/almaty.yaml", ["supply.routes.china_rail.lead_time.mean=35d"])
    lead = scenario.supply.routes["china_rail"].lead_time
    assert lead.mean == 35 * 86400.0 and lead.sd == 3.5 * 86400.0  # the rest of the route as almaty.yaml has it
    scenario = load_scenario("scenarios/almaty.yaml", ["supply.kits.body.safety_stock=5 d"])
    assert scenario.supply.kits["body"].safety_stock == 5 * 86400.0
