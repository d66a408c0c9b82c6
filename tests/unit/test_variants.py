"""Variants: extends chains and cycles, overrides by station name, --set and --name."""
from pathlib import Path

import pytest
import yaml

from sim import ScenarioError, load_scenario
from sim.cli import main


@pytest.fixture
def base(tmp_path, small_raw):
    path = tmp_path / "base.yaml"
    path.write_text(yaml.safe_dump(small_raw, sort_keys=False))
    return path


def write(tmp_path, name, raw):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    return path


def test_stations_are_overridden_by_name_not_position(tmp_path, base):
    child = write(tmp_path, "child.yaml", {"extends": "base.yaml", "name": "child", "shops": {"paint": {
        "stations": [{"name": "inspection", "cycle_time": 95}, {"name": "final_audit", "cycle_time": 60}]}}})
    scenario = load_scenario(child)
    names = [s.name for s in scenario.shops["paint"].stations]
    assert names == ["ed_oven", "topcoat", "inspection", "spot_repair", "final_audit"]
    inspection = scenario.shops["paint"].stations[2]
    assert inspection.cycle_time["*"].value == 95 and inspection.name == "inspection"
    assert scenario.shops["paint"].stations[1].cycle_time["*"].value == 110  # untouched
    assert scenario.name == "child" and scenario.seed == 3  # the rest comes from the base


def test_chain_of_extends_and_remove(tmp_path, base):
    write(tmp_path, "middle.yaml", {"extends": "base.yaml", "name": "middle", "horizon": {"days": 5}})
    last = write(tmp_path, "last.yaml", {"extends": "middle.yaml", "name": "last",
                                         "shops": {"body": {"stations": [{"name": "respot", "remove": True}]}}})
    scenario = load_scenario(last)
    assert scenario.horizon.days == 5 and scenario.horizon.warmup_days == 1
    assert [s.name for s in scenario.shops["body"].stations] == ["underbody", "framing"]


def test_a_misspelt_name_in_a_variant_says_it_became_a_new_item(tmp_path, base):
    """'topcat' is not a station of the base: merged by name it is a new station without a cycle time. The error
    says so at the variant's line, with the base's closest name; a new station that is whole still loads."""
    child = write(tmp_path, "child.yaml", {"extends": "base.yaml", "name": "child", "shops": {"paint": {
        "stations": [{"name": "topcat", "servers": 2}]}}})
    with pytest.raises(ScenarioError) as err:
        load_scenario(child)
    [problem] = err.value.problems
    assert problem.path == "shops.paint.stations[4]" and problem.line == 6, problem  # "- name: topcat"
    assert "cycle_time" in problem.message and "'topcat' is not in this list of the base scenario (base.yaml)" in \
        problem.message and "did you mean 'topcoat'?" in problem.message, problem.message
    whole = write(tmp_path, "whole.yaml", {"extends": "base.yaml", "name": "whole", "shops": {"paint": {
        "stations": [{"name": "topcoat_2", "cycle_time": 60}]}}})
    assert load_scenario(whole).shops["paint"].stations[-1].name == "topcoat_2"


def test_extends_cycle_is_a_clear_error(tmp_path):
    write(tmp_path, "a.yaml", {"extends": "b.yaml", "name": "a"})
    write(tmp_path, "b.yaml", {"extends": "a.yaml", "name": "b"})
    with pytest.raises(ScenarioError) as err:
        load_scenario(tmp_path / "a.yaml")
    assert "cycle" in str(err.value) and "a.yaml -> b.yaml -> a.yaml" in str(err.value)


def test_missing_base_file(tmp_path):
    path = write(tmp_path, "a.yaml", {"extends": "nowhere.yaml", "name": "a"})
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "nowhere.yaml" in str(err.value) and "file not found" in str(err.value)


def test_set_by_path_index_and_name(base):
    scenario = load_scenario(base, ["shops.paint.quality.first_pass_yield=0.85",
                                    "shops.paint.stations[1].servers=2",
                                    "shops.body.stations[respot].cycle_time=90 s",
                                    "stores.WBS.capacity=60"], name="variant")
    assert scenario.shops["paint"].quality.first_pass_yield == 0.85
    assert scenario.shops["paint"].stations[1].servers == 2
    assert scenario.shops["body"].stations[2].cycle_time["*"].value == 90
    assert scenario.stores[0].capacity == 60 and scenario.name == "variant"


def test_set_is_validated_like_the_file(base):
    with pytest.raises(ScenarioError) as err:
        load_scenario(base, ["shops.paint.quality.first_pass_yield=1.5"])
    assert "shops.paint.quality.first_pass_yield" in str(err.value)
    with pytest.raises(ScenarioError) as err:
        load_scenario(base, ["shops.paint.stations[nope].servers=2"])
    assert "no item 'nope'" in str(err.value) and "topcoat" in str(err.value)
    with pytest.raises(ScenarioError) as err:
        load_scenario(base, ["shops.paint.stations[topcat].servers=2"])
    assert "no item 'topcat' in this list; did you mean 'topcoat'?" in str(err.value)


def test_run_with_set_and_name_writes_its_own_folder(tmp_path, base, capsys):
    assert main(["run", str(base), "--results", str(tmp_path / "r"), "--jobs", "1",
                 "--set", "shops.paint.quality.first_pass_yield=0.85", "--name", "small-fpy85"]) == 0
    provenance = (tmp_path / "r" / "small-fpy85" / "provenance.json").read_text()
    assert '"first_pass_yield": 0.85' in provenance and '"scenario_sha256"' in provenance


SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def test_shipped_variants_are_short_overrides():
    a = load_scenario(SCENARIOS / "almaty.yaml", ["shops.paint.quality.first_pass_yield=0.85"], "almaty-fpy85")
    b = load_scenario(SCENARIOS / "almaty-fpy85.yaml")
    assert a.model_dump(exclude={"description"}) == b.model_dump(exclude={"description"})
    three = load_scenario(SCENARIOS / "almaty-3shift.yaml")
    assert all(shop.shifts.count == 3 and shop.shifts.length == 8 * 3600 for shop in three.shops.values())


@pytest.mark.parametrize("assignment, words", [
    ("stores[WBS].after=pint", "stores[0].after: no shop 'pint'; did you mean 'paint'? Shops: ['body', 'paint']"),
    ("stores[WBS].after=zzz", "stores[0].after: no shop 'zzz'; shops: ['body', 'paint']"),
    ("shops.paint.quality.inspection=inspectoin", "no station 'inspectoin'; did you mean 'inspection'? Stations of"),
])
def test_a_misspelt_reference_gets_the_closest_name(base, assignment, words):
    """Names referenced elsewhere in the scenario: the closest one offered, the list kept; none offered when
    nothing is close."""
    with pytest.raises(ScenarioError) as err:
        load_scenario(base, [assignment])
    assert words in str(err.value), str(err.value)


ALMATY = Path(__file__).parents[2] / "scenarios" / "almaty.yaml"


def test_a_misspelt_kit_in_a_variant_or_a_set_says_it_became_a_new_kit(tmp_path):
    """Kits are keyed by name: 'trimm' is not a kit of the base (body, trim, powertrain, local_parts), so it is
    a new kit without per_container and order; the error says so, with the closest kit."""
    (tmp_path / "almaty.yaml").write_text(ALMATY.read_text(encoding="utf-8"), encoding="utf-8")
    variant = tmp_path / "v.yaml"
    variant.write_text("extends: almaty.yaml\nname: v\nsupply:\n  kits:\n    trimm:\n      route: china_rail\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(variant)
    paths = {p.path for p in err.value.problems}
    assert paths == {"supply.kits.trimm.per_container", "supply.kits.trimm.order"}
    for problem in err.value.problems:
        assert problem.line == 6  # the new kit's first line in the variant
        assert ("'trimm' is not in this mapping of the base scenario (almaty.yaml), so the variant adds it as a new "
                "item; did you mean 'trim'?") in problem.message
    with pytest.raises(ScenarioError) as err:
        load_scenario(ALMATY, ["supply.kits.trimm.route=china_rail"])
    assert all("so --set adds it as a new item; did you mean 'trim'?" in p.message for p in err.value.problems)


def test_a_misspelt_colour_in_a_variant_is_named_where_the_shares_break(tmp_path):
    """A whole new colour loads as one more colour: the shares then sum to 1.3, said at product; the error names
    the colour the variant added and the base's closest one."""
    (tmp_path / "almaty.yaml").write_text(ALMATY.read_text(encoding="utf-8"), encoding="utf-8")
    variant = tmp_path / "v.yaml"
    variant.write_text("extends: almaty.yaml\nname: v\nproduct:\n  colours:\n    - {name: polar whit, share: 0.3}\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(variant)
    [problem] = err.value.problems
    assert problem.path == "product" and "sum to 1.3" in problem.message
    assert "'polar whit' is not in this list of the base scenario (almaty.yaml)" in problem.message
    assert "did you mean 'polar white'?" in problem.message
    with pytest.raises(ScenarioError, match="no item 'polar whit' in this list; did you mean 'polar white'"):
        load_scenario(ALMATY, ["product.colours[polar whit].share=0.3"])


def test_a_misspelt_model_in_a_colour_share_gets_the_closest_model(small_raw):
    from sim.scenario import validate_scenario
    raw = dict(small_raw)
    models = [m["name"] for m in raw["product"]["models"]]
    raw["product"] = {**raw["product"], "colours": [{"name": "white", "share": {models[0][:-1]: 1.0, "default": 1.0}}]}
    with pytest.raises(ScenarioError, match=f"did you mean '{models[0]}'"):
        validate_scenario(raw)
