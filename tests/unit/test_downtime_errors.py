"""Bad downtime input (failure modes, outages, the run-in, the Weibull distribution) gets the loader's clear error at
its YAML path."""

from pathlib import Path

import pytest

from sim.scenario import ScenarioError, load_scenario

SMALL = Path(__file__).resolve().parents[2] / "tests" / "small.yaml"
RESPOT = "shops.body.stations[respot].failures"


def problems(*overrides) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(SMALL, list(overrides))
    assert "Traceback" not in str(err.value)
    return [(p.path, p.message) for p in err.value.problems]


@pytest.mark.parametrize("frequency", ["mtbf: 0", "mtbf: -1 h", "time_between: 0"])
def test_a_mode_with_no_frequency_is_refused_at_its_path(frequency):
    (path, message), = problems(f"{RESPOT}={{modes: [{{name: a, {frequency}, mttr: 1 min}}]}}")
    assert path.startswith(f"shops.body.stations[2].failures.modes[0].{frequency.split(':')[0]}")


def test_modes_named_twice_are_refused():
    (path, message), = problems(f"{RESPOT}={{modes: [{{name: a, mtbf: 1 h, mttr: 1 min}}, "
                                "{name: a, mtbf: 8 h, mttr: 10 min}]}")
    assert path == "shops.body.stations[2].failures.modes" and "'a' more than once" in message


def test_modes_and_the_single_form_together_are_refused():
    (path, message), = problems(f"{RESPOT}={{mtbf: 1 h, mttr: 1 min, modes: [{{name: a, mtbf: 1 h, mttr: 1 min}}]}}")
    assert path == "shops.body.stations[2].failures" and "not both" in message


def test_a_mode_without_a_repair_is_refused():
    (path, message), = problems(f"{RESPOT}={{modes: [{{name: a, mtbf: 1 h}}]}}")
    assert path == "shops.body.stations[2].failures.modes[0]" and "how long it stands" in message


def test_an_outage_covering_an_unknown_name_is_refused():
    (path, message), = problems("shops.body.outages=[{name: power, mtbf: 50 h, mttr: 1 h, covers: [nowhere]}]")
    assert path == "shops.body.outages[0].covers[0]" and "neither a station nor a paced line" in message


def test_outages_named_twice_are_refused():
    (path, message), = problems("shops.body.outages=[{name: p, mtbf: 50 h, mttr: 1 h}, {name: p, mtbf: 9 h, mttr: 1 h}]")
    assert path == "shops.body.outages" and "more than once" in message


@pytest.mark.parametrize("run_in, key", [("{length: 20 min, rate: 1}", "rate"), ("{length: 9 h, rate: 0.5}", "length"),
                                         ("{length: 20 min, rate: -0.1}", "rate")])
def test_a_run_in_out_of_bounds_is_refused(run_in, key):
    (path, message), = problems(f"shops.body.run_in={run_in}")
    assert path == f"shops.body.run_in.{key}"


def test_a_weibull_needs_its_scale_or_mean():
    (path, message), = problems(f"{RESPOT}={{mtbf: 8 h, time_to_repair: {{dist: weibull, shape: 0.8}}}}")
    assert path.startswith("shops.body.stations[2].failures.time_to_repair") and "scale or its mean" in message


def test_a_valid_downtime_loads():
    scenario = load_scenario(SMALL, [
        f"{RESPOT}={{modes: [{{name: short, mtbf: 45 min, mttr: 1 min}}, "
        "{name: major, mtbf: 300 h, time_to_repair: {dist: weibull, shape: 0.7, mean: 3 h}}]}",
        "shops.paint.outages=[{name: oven trip, mtbf: 200 h, time_to_repair: {dist: lognormal, mean: 2 h, sd: 2 h}, "
        "covers: [ed_oven]}]", "shops.body.run_in={length: 20 min, rate: 0.5, covers: [main]}"])
    failures = scenario.shops["body"].stations[2].failures
    assert failures.downtime_ratio == pytest.approx(1 / 45 + 3 / 300)
