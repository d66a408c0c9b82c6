"""Screen, then confirm (sim.experiment.screening): a search's candidates first run over a shorter stretch.

Exact answers, not tolerances: every stage uses the same seed and replications, so a change confirmed over the
whole horizon has exactly the gain an unscreened list gives it, a screened-out change exactly the gain a list
over the screening's days gives it, and ``run_all`` gives each scenario exactly ``run``'s result."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import expo, scenario, station

from sim.experiment.marginal import marginal_values
from sim.experiment.preflight import Estimate, workload
from sim.experiment.runner import run, run_all
from sim.experiment.screening import screening
from sim.scenario import with_overrides
from sim.scenario.shorten import shortened


def random_line(days: float = 6):
    """Three stations with random times, breakdowns at the middle one and small buffers: every change buys a
    different, random amount."""
    return scenario([station("a", expo(50)), station("b", expo(55), failures={"mtbf": "2 h", "mttr": "10 min"}),
                     station("c", expo(45))], days=days, warmup=1)


def summary_text(result) -> str:
    return json.dumps(result.summary, sort_keys=True, default=str)


def test_run_all_gives_each_scenario_exactly_its_own_run():
    sc = random_line(3)
    other = with_overrides(sc, ["shops.shop.buffer_capacity=3"])
    pooled = run_all([sc, other], replications=3, jobs=2)
    assert [summary_text(r) for r in pooled] == [summary_text(run(s, replications=3)) for s in (sc, other)]


def gains(result) -> dict:
    return {(c.resource.name, c.change): c.gain for c in result.changes if not c.skipped}


def test_screened_list_confirms_its_best_exactly_as_the_whole_horizon_and_keeps_the_rest_screened():
    sc = random_line()
    whole = gains(marginal_values(sc, replications=3, top=3, screen_days=None))
    short = gains(marginal_values(shortened(sc, days=2)[0], replications=3, top=3, screen_days=None))
    result = marginal_values(sc, replications=3, top=3, screen_days=2, confirm=2)
    simulated = [c for c in result.changes if not c.skipped]
    confirmed = [c for c in simulated if c.screened is None]
    screened = [c for c in simulated if c.screened is not None]
    # the two best by their screened gain, then run over the whole horizon: the unscreened list's gains exactly
    best = sorted(short, key=lambda key: -short[key]["mean"])[:2]
    assert sorted((c.resource.name, c.change) for c in confirmed) == sorted(best)
    for c in confirmed:
        assert c.gain == whole[(c.resource.name, c.change)]
    for c in screened:  # the rest keep their gain over the screening's 2 days, marked
        assert c.screened == 2 and c.gain == short[(c.resource.name, c.change)]
    assert len(screened) == len(simulated) - 2 > 0
    # ranked: the confirmed by their gain over the whole horizon, then the screened by their screened gain
    assert simulated == sorted(confirmed, key=lambda c: -c.gain["mean"]) + sorted(screened, key=lambda c: -c.gain["mean"])
    # the base run reported is the whole horizon's
    assert summary_text(result.base) == summary_text(run(sc, replications=3))
    assert result.summary()["screen_days"] == 2


def test_no_screening_when_the_horizon_is_no_longer_than_the_screening():
    sc = random_line(2)
    assert screening(sc, 2) is None and screening(sc, None) is None and screening(sc, 0) is None
    assert screening(sc, 1.5) is not None
    result = marginal_values(sc, replications=2, top=1, screen_days=2)
    assert result.screen_days is None and all(c.screened is None for c in result.changes)


def test_no_screening_of_a_ramp_up():
    """A ramp-up's first days are its pilot's: a screening on them would put out every staffing option."""
    from sim import load_scenario
    ramp = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "almaty-rampup.yaml")
    assert ramp.ramping and screening(ramp, 60) is None


def test_workload_of_a_screening_then_the_whole_horizon():
    sc = random_line(days=9)  # 1 + 9 = 10 days a replication
    short = screening(sc, 3)  # 1 + 3 = 4 days
    found = Estimate(cars=0, events=0, seconds=100.0, waiting_cars=0)  # 100 s for the whole horizon
    text = workload([(short, 16), (sc, 6)], found, replications=5, jobs=2)
    # 80 replications of 40 s in 40 rounds of two, then 30 of 100 s in 15 rounds: 1,600 + 1,500 s
    assert text.startswith("16 run(s) x 5 replication(s) of 4 days, then 6 run(s) x 5 replication(s) of 10 days")
    assert "about 51.7 min on 2 process(es)" in text
    # plant-years on a count calendar of 250 working days: (80 x 4 + 30 x 10) / 250
    assert f"about {(80 * 4 + 30 * 10) / 250:.1f} plant-years" in text
