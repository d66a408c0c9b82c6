"""Bad plant graphs (feeders, parallel sections, visit rules) get the loader's clear error with its YAML path.

Each case starts from a small valid graph shop (``base``), breaks one thing, and asserts that
``validate_scenario`` raises a ``ScenarioError`` naming the path of the broken key and a key phrase of
its message (and, where the problem is a single one, that nothing else is reported).
"""
import copy

import pytest

from sim.scenario import ScenarioError, validate_scenario, with_overrides
from sim.scenario.errors import yaml_path
from sim.scenario.schema import Feeder
from sim.scenario.topology import parts_buffer, sent_from, station_paths


def base() -> dict:
    """A valid shop: main flow a -> join -> P(x | y) -> b -> c, a feeder built to stock joining 'join',
    an in-sequence feeder (cockpit) called off at 'a' joining 'c'; models A and B, option sunroof."""
    return {
        "name": "graph-errors",
        "horizon": {"days": 1},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}],
                    "options": [{"name": "sunroof", "take_rate": {"A": 0.3, "B": 1.0}}]},
        "shops": {"shop": {
            "shifts": {"count": 1, "start": "00:00", "length": "24 h"},
            "buffer_capacity": 2,
            "lines": {"L": {"takt": 60}},
            "stations": [
                {"name": "a", "cycle_time": 30},
                {"name": "join", "cycle_time": 20},
                {"parallel": "P", "rule": "alternate", "branches": [
                    {"name": "x", "stations": [{"name": "x1", "cycle_time": 40}]},
                    {"name": "y", "stations": [{"name": "y1", "cycle_time": 40}]}]},
                {"name": "b", "cycle_time": 30},
                {"name": "l1", "line": "L", "cycle_time": 50},
                {"name": "l2", "line": "L", "cycle_time": 50},
                {"name": "c", "cycle_time": 30},
            ],
            "feeders": {
                "f1": {"joins": "join", "built": "to_stock", "stations": [{"name": "f1a", "cycle_time": 40}]},
                "cockpit": {"joins": "c", "called_off_at": "b", "stations": [{"name": "c1", "cycle_time": 45}]},
            },
        }},
        "target": {"annual_units": 100000},
    }


def shop(raw: dict) -> dict:
    return raw["shops"]["shop"]


def refused(raw: dict) -> ScenarioError:
    with pytest.raises(ScenarioError) as err:
        validate_scenario(raw)
    assert "Traceback" not in str(err.value)
    return err.value


def problem_at(error: ScenarioError, path: str, phrase: str):
    """The problem reported at ``path``; its message carries ``phrase``."""
    found = [p for p in error.problems if p.path == path]
    assert found, f"no problem at {path}; got {[str(p) for p in error.problems]}"
    assert any(phrase in p.message for p in found), f"{path}: {[p.message for p in found]} lacks {phrase!r}"
    return found[0]


def only_problem(error: ScenarioError, path: str, phrase: str):
    assert [p.path for p in error.problems] == [path], [str(p) for p in error.problems]
    return problem_at(error, path, phrase)


def test_the_base_graph_is_valid():
    scenario = validate_scenario(base())
    assert set(scenario.shops["shop"].feeders) == {"f1", "cockpit"}


# ---------------------------------------------------------------- feeders

def test_feeder_joining_a_station_that_does_not_exist():
    raw = base()
    shop(raw)["feeders"]["f1"]["joins"] = "nowhere"
    problem = only_problem(refused(raw), "shops.shop.feeders.f1.joins", "no station 'nowhere' to join")
    assert "'join'" in problem.message  # the message lists the stations there are


def test_feeder_joining_one_of_its_own_stations():
    raw = base()
    shop(raw)["feeders"]["f1"]["joins"] = "f1a"
    error = refused(raw)
    # (the circle check reports the same key once more, "f1 -> f1": both name the one path)
    assert {p.path for p in error.problems} == {"shops.shop.feeders.f1.joins"}
    problem_at(error, "shops.shop.feeders.f1.joins", "feeder 'f1' cannot join one of its own stations")


def test_feeders_joining_each_other_in_a_circle():
    raw = base()
    feeders = shop(raw)["feeders"]
    feeders["f1"]["joins"] = "f2a"
    feeders["f2"] = {"joins": "f1a", "built": "to_stock", "stations": [{"name": "f2a", "cycle_time": 40}]}
    error = refused(raw)
    assert sorted(p.path for p in error.problems) == ["shops.shop.feeders.f1.joins", "shops.shop.feeders.f2.joins"]
    problem_at(error, "shops.shop.feeders.f1.joins", "feeders join each other in a circle: f1 -> f2 -> f1")
    problem_at(error, "shops.shop.feeders.f2.joins", "feeders join each other in a circle: f2 -> f1 -> f2")


def test_a_longer_circle_of_feeders():
    raw = base()
    feeders = shop(raw)["feeders"]
    feeders["f1"]["joins"] = "f3a"
    feeders["f2"] = {"joins": "f1a", "built": "to_stock", "stations": [{"name": "f2a", "cycle_time": 40}]}
    feeders["f3"] = {"joins": "f2a", "built": "to_stock", "stations": [{"name": "f3a", "cycle_time": 40}]}
    problem_at(refused(raw), "shops.shop.feeders.f1.joins", "in a circle: f1 -> f3 -> f2 -> f1")


def test_in_sequence_feeder_with_parallel_servers_lets_parts_overtake():
    raw = base()
    shop(raw)["feeders"]["cockpit"]["stations"][0]["servers"] = 2
    only_problem(refused(raw), "shops.shop.feeders.cockpit.stations[0]", "lets parts overtake (parallel servers)")


def test_own_part_feeder_with_parallel_servers_lets_parts_overtake():
    raw = base()
    shop(raw)["feeders"]["doors"] = {"taken_off_at": "b", "joins": "c",
                                     "stations": [{"name": "d1", "cycle_time": 40, "servers": 2}]}
    only_problem(refused(raw), "shops.shop.feeders.doors.stations[0]", "lets parts overtake")


def test_called_off_at_after_the_join():
    raw = base()
    shop(raw)["feeders"]["cockpit"]["called_off_at"] = "l2"
    shop(raw)["feeders"]["cockpit"]["joins"] = "l1"
    only_problem(refused(raw), "shops.shop.feeders.cockpit.called_off_at", "which is not before the join 'l1'")


def test_called_off_at_the_join_itself():
    raw = base()
    shop(raw)["feeders"]["cockpit"]["called_off_at"] = "c"
    only_problem(refused(raw), "shops.shop.feeders.cockpit.called_off_at", "call it off at an earlier station")


def test_carriers_on_a_feeder_built_in_sequence():
    raw = base()
    shop(raw)["feeders"]["cockpit"]["carriers"] = 4
    only_problem(refused(raw), "shops.shop.feeders.cockpit.carriers",
                 "carriers bound a feeder of the car's own parts only (taken_off_at)")


def test_zero_carriers():
    raw = base()
    shop(raw)["feeders"]["doors"] = {"taken_off_at": "b", "joins": "c", "carriers": 0,
                                     "stations": [{"name": "d1", "cycle_time": 40}]}
    only_problem(refused(raw), "shops.shop.feeders.doors.carriers", "greater than or equal to 1")
    shop(raw)["feeders"]["doors"]["carriers"] = 3  # one or more: valid
    assert validate_scenario(raw).shops["shop"].feeders["doors"].carriers == 3


def test_taken_off_at_after_the_join():
    raw = base()
    shop(raw)["feeders"]["doors"] = {"taken_off_at": "c", "joins": "l1", "stations": [{"name": "d1", "cycle_time": 40}]}
    only_problem(refused(raw), "shops.shop.feeders.doors.taken_off_at", "must come off before it is refitted")


def test_call_off_before_a_parallel_section_would_meet_the_wrong_car():
    raw = base()
    shop(raw)["feeders"]["cockpit"]["called_off_at"] = "a"
    only_problem(refused(raw), "shops.shop.feeders.cockpit.called_off_at",
                 "cars can change order at 'x1' (a parallel section)")


def test_call_off_before_a_bypassed_station_would_meet_the_wrong_car():
    raw = base()
    # m between the call-off (b) and the join (c): only model B stops there, A cars overtake
    shop(raw)["stations"].insert(6, {"name": "m", "cycle_time": 30, "models": ["B"]})
    only_problem(refused(raw), "shops.shop.feeders.cockpit.called_off_at", "at 'm' (some cars pass it by)")


def test_call_off_at_a_bypassed_station_itself_keeps_the_order():
    # cars passing the call-off station by are routed (and call off) in the order they enter the
    # next buffer: no overtaking between the call-off and the join, so this is valid
    raw = base()
    shop(raw)["stations"][3]["models"] = ["B"]
    validate_scenario(raw)


def test_call_off_before_a_station_with_parallel_servers():
    raw = base()
    shop(raw)["stations"].insert(6, {"name": "m", "cycle_time": 30, "servers": 2})
    only_problem(refused(raw), "shops.shop.feeders.cockpit.called_off_at", "at 'm' (2 parallel servers)")


def test_in_sequence_feeder_joining_a_branch_station():
    raw = base()
    shop(raw)["feeders"]["cockpit"]["joins"] = "x1"
    shop(raw)["feeders"]["cockpit"]["called_off_at"] = "a"
    only_problem(refused(raw), "shops.shop.feeders.cockpit.joins", "build this feeder to stock")


def test_own_part_feeder_cannot_be_built_to_stock():
    raw = base()
    shop(raw)["feeders"]["doors"] = {"taken_off_at": "b", "built": "to_stock", "joins": "c",
                                     "stations": [{"name": "d1", "cycle_time": 40}]}
    only_problem(refused(raw), "shops.shop.feeders.doors", "neither built to stock nor called off")


def test_to_stock_feeder_with_per_model_cycle_times():
    raw = base()
    shop(raw)["feeders"]["f1"]["stations"][0]["cycle_time"] = {"A": 40, "B": 50}
    only_problem(refused(raw), "shops.shop.feeders.f1.stations[0].cycle_time",
                 "a feeder built to stock makes common parts: give one cycle time")


def test_to_stock_feeder_with_a_visit_rule():
    raw = base()
    shop(raw)["feeders"]["f1"]["stations"].append({"name": "f1b", "cycle_time": 40, "option": "sunroof"})
    only_problem(refused(raw), "shops.shop.feeders.f1.stations[1]", "common parts: no visit rule")


# ---------------------------------------------------------------- names, models and options

def test_repeated_station_name_across_main_flow_and_feeder():
    raw = base()
    shop(raw)["feeders"]["f1"]["stations"][0]["name"] = "a"
    problem = problem_at(refused(raw), "shops.shop.feeders.f1.stations[0].name", "station name 'a' repeats")
    assert "shops.shop.stations[0]" in problem.message


def test_repeated_station_name_across_branches():
    raw = base()
    shop(raw)["stations"][2]["branches"][1]["stations"][0]["name"] = "x1"
    problem = only_problem(refused(raw), "shops.shop.stations[2].branches[1].stations[0].name", "repeats")
    assert "shops.shop.stations[2].branches[0].stations[0]" in problem.message


def test_station_option_that_is_not_declared():
    raw = base()
    shop(raw)["stations"][3]["option"] = "towbar"
    only_problem(refused(raw), "shops.shop.stations[3].option", "no option 'towbar'; options: ['sunroof']")


def test_station_option_without_any_options_declared():
    raw = base()
    del raw["product"]["options"]
    shop(raw)["stations"][3]["option"] = "sunroof"
    only_problem(refused(raw), "shops.shop.stations[3].option", "declare them under product.options")


def test_model_in_models_that_is_not_in_the_mix():
    raw = base()
    shop(raw)["stations"][3]["models"] = ["B", "C"]
    only_problem(refused(raw), "shops.shop.stations[3].models[1]", "'C' is not a model of the product mix")


def test_branch_model_that_is_not_in_the_mix():
    raw = base()
    shop(raw)["stations"][2]["branches"][0]["models"] = ["Z"]
    only_problem(refused(raw), "shops.shop.stations[2].branches[0].models[0]", "'Z' is not a model of the product mix")


def test_option_take_rate_for_an_unknown_model():
    raw = base()
    raw["product"]["options"][0]["take_rate"]["C"] = 0.5
    only_problem(refused(raw), "product.options[0].take_rate.C", "'C' is not a model of the product mix")


# ---------------------------------------------------------------- parallel sections

def test_by_model_branches_missing_a_model():
    raw = base()
    raw["product"]["models"].append({"name": "C", "share": 0.0})
    section = shop(raw)["stations"][2]
    section["rule"] = "by_model"
    section["branches"][0]["models"] = ["A"]
    section["branches"][1]["models"] = ["B"]
    only_problem(refused(raw), "shops.shop.stations[2].branches", "no branch takes ['C']")


def test_by_model_branch_without_models():
    raw = base()
    section = shop(raw)["stations"][2]
    section["rule"] = "by_model"
    section["branches"][0]["models"] = ["A", "B"]
    only_problem(refused(raw), "shops.shop.stations[2].branches[1]", "every branch names the models it takes")


def test_by_model_model_in_two_branches():
    raw = base()
    section = shop(raw)["stations"][2]
    section["rule"] = "by_model"
    section["branches"][0]["models"] = ["A", "B"]
    section["branches"][1]["models"] = ["B"]
    only_problem(refused(raw), "shops.shop.stations[2].branches[1].models[0]", "'B' already goes to branch 'x'")


def test_parallel_section_as_the_first_item():
    raw = base()
    stations = shop(raw)["stations"]
    stations.insert(0, stations.pop(2))
    error = refused(raw)
    problem_at(error, "shops.shop.stations[0]", "a shop cannot start with a parallel section")


# Schema errors inside a parallel section lose their path: the loader (``loader._clean_loc``) keeps
# pydantic's union tag 'parallel' as if it were the YAML key of the same name (the section's name),
# descends into that scalar and stops, so every such problem is reported at
# ``shops.shop.stations[2].parallel`` (a typo's hint even reads "unknown key 'parallel'; did you mean
# 'parallel'?"). Engine-side references checks of sections (by_model, first item, names) are unaffected.


def test_schema_errors_inside_a_section_are_reported():
    # what works today: the problem is caught, and names the section (not yet the key)
    raw = base()
    shop(raw)["stations"][2]["rule"] = "random"
    error = refused(raw)
    assert [p.path for p in error.problems][0].startswith("shops.shop.stations[2]")


def test_parallel_section_with_one_branch():
    raw = base()
    del shop(raw)["stations"][2]["branches"][1]
    problem_at(refused(raw), "shops.shop.stations[2].branches", "at least 2")


def test_unknown_split_rule():
    raw = base()
    shop(raw)["stations"][2]["rule"] = "random"
    problem = problem_at(refused(raw), "shops.shop.stations[2].rule", "alternate")
    assert "shortest_queue" in problem.message and "by_model" in problem.message


def test_typo_in_a_branch_station_names_its_key():
    raw = base()
    st = shop(raw)["stations"][2]["branches"][0]["stations"][0]
    st["cylce_time"] = st.pop("cycle_time")
    problem_at(refused(raw), "shops.shop.stations[2].branches[0].stations[0].cylce_time",
               "did you mean 'cycle_time'")


def test_bad_cycle_time_in_a_branch_station_names_its_key():
    raw = base()
    shop(raw)["stations"][2]["branches"][1]["stations"][0]["cycle_time"] = -5
    problem_at(refused(raw), "shops.shop.stations[2].branches[1].stations[0].cycle_time", "greater than 0")


# ---------------------------------------------------------------- visit rules

def test_conveyor_with_a_visit_rule():
    raw = base()
    shop(raw)["stations"][3] = {"name": "b", "conveyor": {"transit_time": "10 min", "pitch": 60}, "models": ["B"]}
    only_problem(refused(raw), "shops.shop.stations[3].models", "a conveyor cannot be visited by some models")


def test_conveyor_with_an_option_rule():
    raw = base()
    shop(raw)["stations"][3] = {"name": "b", "conveyor": {"transit_time": "10 min", "pitch": 60}, "option": "sunroof"}
    only_problem(refused(raw), "shops.shop.stations[3].option", "a conveyor cannot be visited")


def test_visit_rule_on_the_first_station_of_a_flow():
    raw = base()
    shop(raw)["stations"][0]["models"] = ["A"]
    only_problem(refused(raw), "shops.shop.stations[0].models", "the first station of a flow cannot be passed by")


def test_visit_rule_on_the_first_station_of_a_branch():
    raw = base()
    shop(raw)["stations"][2]["branches"][0]["stations"][0]["option"] = "sunroof"
    only_problem(refused(raw), "shops.shop.stations[2].branches[0].stations[0].option",
                 "the first station of a flow cannot be passed by")


def test_every_problem_is_reported_at_once():
    raw = base()
    shop(raw)["feeders"]["f1"]["joins"] = "nowhere"
    shop(raw)["stations"][3]["option"] = "towbar"
    shop(raw)["feeders"]["cockpit"]["stations"][0]["servers"] = 2
    error = refused(raw)
    assert {p.path for p in error.problems} == {"shops.shop.feeders.f1.joins", "shops.shop.stations[3].option",
                                                "shops.shop.feeders.cockpit.stations[0]"}
    assert "3 problems" in str(error)


def test_base_is_not_shared_between_cases():
    # every case mutates its own copy
    assert base() == copy.deepcopy(base())


def test_station_paths_by_index_and_by_name():
    """The one home of a station's YAML path: by index as a problem gives it, by name as --set takes it (a
    parallel section has no name: its index stays), and the named path reaches the station it names."""
    scenario = validate_scenario(base())
    placed = station_paths(scenario.shops["shop"])
    named = station_paths(scenario.shops["shop"], by_name=True)
    assert [(yaml_path(w), st.name, flow) for w, st, flow in placed] == [
        ("stations[0]", "a", "main"), ("stations[1]", "join", "main"),
        ("stations[2].branches[0].stations[0]", "x1", "branch P/x"),
        ("stations[2].branches[1].stations[0]", "y1", "branch P/y"),
        ("stations[3]", "b", "main"), ("stations[4]", "l1", "main"), ("stations[5]", "l2", "main"),
        ("stations[6]", "c", "main"),
        ("feeders.f1.stations[0]", "f1a", "feeder f1"), ("feeders.cockpit.stations[0]", "c1", "feeder cockpit")]
    assert [yaml_path(w) for w, _, _ in named] == [
        "stations[a]", "stations[join]", "stations[2].branches[x].stations[x1]", "stations[2].branches[y].stations[y1]",
        "stations[b]", "stations[l1]", "stations[l2]", "stations[c]", "feeders.f1.stations[f1a]",
        "feeders.cockpit.stations[c1]"]
    for (where, st, _), (named_where, _, _) in zip(placed, named):
        changed = with_overrides(scenario, [yaml_path(("shops", "shop") + named_where) + ".cycle_time=77"])
        moved = [other.name for (_, before, _), (_, other, _) in zip(placed, station_paths(changed.shops["shop"]))
                 if other.cycle_time != before.cycle_time]
        assert moved == [st.name]


def test_where_a_feeder_part_is_sent_from_and_its_parts_buffer():
    scenario = validate_scenario(base())
    graph = scenario.shops["shop"]
    stations = [{"name": "p1", "cycle_time": 45}]
    assert sent_from(graph, graph.feeders["f1"]) is None  # built to stock: no car sends for its parts
    assert sent_from(graph, graph.feeders["cockpit"]) == "b"
    assert sent_from(graph, Feeder(joins="c", stations=stations)) == "a"  # called off at the shop's first station
    assert sent_from(graph, Feeder(joins="c", taken_off_at="join", stations=stations)) == "join"
    assert parts_buffer("shop", "cockpit", graph.feeders["cockpit"].joins) == "shop.cockpit->c"


def test_too_few_carriers_for_a_paced_take_off():
    """Doors off at l1 of the paced line l1, l2 and refitted after it: one carrier would be held by the car at l2
    while the line stands at l1 for it (a jam); two are the fewest that let it run."""
    raw = base()
    shop(raw)["feeders"]["doors"] = {"taken_off_at": "l1", "joins": "c", "carriers": 1,
                                     "stations": [{"name": "d1", "cycle_time": 40}]}
    only_problem(refused(raw), "shops.shop.feeders.doors.carriers", "would jam paced line")
    shop(raw)["feeders"]["doors"]["carriers"] = 2
    assert validate_scenario(raw).shops["shop"].feeders["doors"].carriers == 2


def test_too_few_carriers_for_the_paced_lines_after_a_free_flow_take_off():
    """Doors off at the free-flow station b, then the paced line l1, l2, refitted at c: with every carrier out, b
    stands with its car and the line waits for a car to enter with one at l2, its part out (l1 is empty: the line
    indexes only when a car enters): one carrier jams, two are the fewest that run (tests/analytic/test_graph.py
    runs both)."""
    raw = base()
    del shop(raw)["feeders"]["cockpit"]
    shop(raw)["feeders"]["doors"] = {"taken_off_at": "b", "joins": "c", "carriers": 1,
                                     "stations": [{"name": "d1", "cycle_time": 40}]}
    only_problem(refused(raw), "shops.shop.feeders.doors.carriers", "1 of its stations between 'b' and the join 'c'")
    shop(raw)["feeders"]["doors"]["carriers"] = 2
    assert validate_scenario(raw).shops["shop"].feeders["doors"].carriers == 2


def test_carriers_count_every_paced_line_up_to_the_join():
    """Doors off at t0 of line T (t0, t1, t2), then line U (u0, u1, u2) with the join at u1, refitted there: T
    stands after its work with cars at t1, t2; U waits for a car with one at u1 (u0 empty): three jam, four run."""
    raw = base()
    del shop(raw)["feeders"]["cockpit"]
    shop(raw)["lines"] = {"T": {"takt": 60}, "U": {"takt": 60}}
    shop(raw)["stations"] = [{"name": n, "line": n[0].upper(), "cycle_time": 50}
                             for n in ("t0", "t1", "t2", "u0", "u1", "u2")]
    shop(raw)["feeders"] = {"doors": {"taken_off_at": "t0", "joins": "u1", "carriers": 3,
                                      "stations": [{"name": "d1", "cycle_time": 40}]}}
    only_problem(refused(raw), "shops.shop.feeders.doors.carriers", "give at least 4")
    shop(raw)["feeders"]["doors"]["carriers"] = 4
    assert validate_scenario(raw).shops["shop"].feeders["doors"].carriers == 4
