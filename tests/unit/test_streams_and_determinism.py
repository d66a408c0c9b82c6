"""Named streams (common random numbers) and byte-identical results."""
import copy

import numpy as np

from sim import run, validate_scenario
from sim.model.replication import simulate
from sim.model.streams import Streams
from sim.results import summary_json


def test_stream_depends_only_on_seed_replication_and_name():
    a = Streams(7, 0).generator("paint.topcoat.cycle.Tiggo 7").random(5)
    b = Streams(7, 0).generator("paint.topcoat.cycle.Tiggo 7").random(5)
    c = Streams(7, 1).generator("paint.topcoat.cycle.Tiggo 7").random(5)
    d = Streams(7, 0).generator("paint.inspection.quality").random(5)
    assert np.array_equal(a, b) and not np.array_equal(a, c) and not np.array_equal(a, d)


def test_changing_one_station_keeps_the_draws_of_the_others(small_raw):
    """Common random numbers: a slower paint topcoat leaves the body respot's random times alone."""
    base = validate_scenario(small_raw)
    changed_raw = copy.deepcopy(small_raw)
    changed_raw["shops"]["paint"]["stations"][1]["cycle_time"] = 112
    changed = validate_scenario(changed_raw)
    from sim.scenario.days import plant_days
    from sim.model.builder import build_plant
    draws = []
    for scenario in (base, changed):
        plant = build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), 5, 0)
        respot = plant.nodes["body"][1]
        draws.append([respot.cycle[m]() for m in (0, 1, 2) for _ in range(10)])
    assert draws[0] == draws[1]


def test_same_seed_same_bytes_sequential_or_pool(small_raw):
    scenario = validate_scenario(small_raw)
    one = summary_json(run(scenario, replications=3, seed=11, jobs=1).summary)
    two = summary_json(run(scenario, replications=3, seed=11, jobs=2).summary)
    assert one == two
    other = summary_json(run(scenario, replications=3, seed=12, jobs=1).summary)
    assert other != one


def test_replication_is_a_pure_function(small_raw):
    scenario = validate_scenario(small_raw)
    a, b = simulate(scenario, 3, 2), simulate(scenario, 3, 2)
    assert a.stations.equals(b.stations) and np.array_equal(a.lead_times, b.lead_times)
