"""Short-shipped parts and the retrofit area against hand calculations (``model.components.retrofit``).

The plant: one station of 60 s per car on a shift of 06:00-14:00, every day a working day (250 a year), one model
A at 120,000 a year (480 cars a working day), kits plenty (no stockout). As in ``test_supply``: the station pulls
its first car at t = 0 and finishes it at 06:01; car j >= 2 is launched at 06:00 + (j - 1) min of day 0 and reaches
the end of line a minute later; at 14:00 it finishes a car and pulls the next (worked at 06:00 the next day).
"""

import copy

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.retrofit import RETROFIT, retrofit_heads
from sim.analysis.staffing import headcount
from sim.model.builder import build_plant
from sim.model.flow.car import InvariantError
from sim.scenario import ScenarioError, validate_scenario
from sim.scenario.days import plant_days

DAY, HOUR, MINUTE = 86400.0, 3600.0, 60.0
SHIFT = {"count": 1, "start": "06:00", "length": "8 h"}


def plant_raw(*, days=3, places=5, share=1.0, replacement="100 d", retrofit_time="45 min", models=None, outbound=None):
    raw = {
        "name": "retrofit", "horizon": {"days": days, "warmup_days": 0}, "calendar": {"working_days_per_year": 250},
        "product": {"models": models or [{"name": "A", "share": 1.0}]},
        "shops": {"body": {"shifts": SHIFT, "stations": [{"name": "weld", "cycle_time": 60}]}},
        "target": {"annual_units": 120_000},
        "supply": {"routes": {"rail": {"lead_time": "2 d", "departures": {"every": "1 d"}}},
                   "kits": {"body": {"route": "rail", "per_container": 12, "initial": "100 d",
                                     "order": {"policy": "periodic", "every": "100 d"},
                                     "short_shipped": [{"family": "harness", "share": share,
                                                        "replacement": replacement,
                                                        "retrofit_time": retrofit_time}]}},
                   "retrofit": {"places": places}}}
    if outbound is not None:
        raw["outbound"] = outbound
    return raw


def built(raw, seed=1):
    scenario = validate_scenario(raw)
    plant = build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), seed, 0)
    plant.run()
    return plant


@pytest.mark.parametrize("places", [1, 3, 5, 20])
def test_a_full_area_stops_the_line_after_exactly_n_short_kits(places):
    """Every kit short, the parts 100 days away: the first ``places`` cars park at 06:01 ... 06:0n; car n + 1 is
    finished at 06:(n+1) and waits on the station for ever. Blocked: the rest of day 0's shift and days 1 and 2,
    3 x 8 h - (n + 1) min; launched n + 1 cars (none more: the station holds car n + 1), none produced."""
    plant = built(plant_raw(places=places))
    area = plant.component("retrofit").area
    figures = area.figures()
    assert len(area.parked) == places and figures.in_area_end == places and figures.blocked_at_end
    assert plant.launch.launched == places + 1 and plant.completed_total == 0
    assert figures.short == places + 1  # the blocked car was drawn short at the end of line too
    assert figures.blocks == 1
    assert figures.blocked_hours == pytest.approx(24.0 - (places + 1) / 60.0, abs=1e-9)
    assert figures.area["max"] == places
    assert plant.cars_inside() == places + 1  # the parked cars count as cars in the plant
    assert not plant.deadlocked  # the full area explains the standstill


def test_retrofit_time_and_departure_by_hand():
    """Every kit short, the part 1 d after the car's launch, 45 min of retrofit in shift time, room for all.
    Car 1 (launched at 0): part at 1 d 00:00, retrofitted on day 1 06:00-06:45. Car j >= 2: part at day 1
    06:00 + (j - 1) min, leaves at 06:45 + (j - 1) min while that is by 14:00: j <= 436, so 436 cars are produced
    on day 1. Car 437's part comes at 13:16: 44 min of retrofit on day 1, the last minute on day 2, out at
    06:01. Car 1 spent 06:01 day 0 to 06:45 day 1 in the area."""
    plant = built(plant_raw(places=1000, replacement="1 d"))
    times = sorted(t for t, _, _, _ in plant.completed)
    assert times[0] == pytest.approx(DAY + 6 * HOUR + 45 * MINUTE)
    assert times[1] == pytest.approx(DAY + 6 * HOUR + 46 * MINUTE)
    assert sum(1 for t in times if t < 2 * DAY) == 436
    assert times[435] == pytest.approx(DAY + 14 * HOUR)
    assert times[436] == pytest.approx(2 * DAY + 6 * HOUR + 1 * MINUTE)
    area = plant.component("retrofit").area
    first = min(area.stays, key=lambda stay: stay[1])
    assert first[1] == pytest.approx(DAY + 44 * MINUTE)  # car 1: 06:01 day 0 to 06:45 day 1
    figures = area.figures()
    assert figures.retrofits == len(times) and figures.blocked_hours == 0.0
    assert figures.families["harness"]["retrofits"] == figures.retrofits
    area.check()


def test_a_complete_car_passes_and_a_retrofitted_car_waits_for_the_yard():
    """The area in front of a yard of 2 places that no truck empties: no kit short, the first two cars fill the
    yard and the third blocks the end of line as with no area (the yard's own blocking); with every kit short and
    the parts there at once (1 s), two cars are retrofitted into the yard and the third waits on its place for
    the yard: the area holds it, its place taken, and the conservation of cars still holds."""
    yard = {"yard": {"capacity": 2}}
    complete = built(plant_raw(share=0.0, outbound=yard))
    assert complete.completed_total == 2 and len(complete.component("retrofit").area.parked) == 0
    assert complete.component("outbound").yard.putters  # the third car waits on the station for the yard
    short = built(plant_raw(share=1.0, replacement="1 s", places=1, outbound=yard))
    area = short.component("retrofit").area
    assert short.completed_total == 2 and len(area.parked) == 1 and area.putters  # car 3 parked, car 4 blocked
    assert short.launch.launched == 4
    assert short.launch.launched == short.completed_total + short.cars_inside()


def test_the_share_of_short_kits_is_within_its_binomial_interval():
    """Share 0.1 of a kit taken by model A only (A and B 50/50, B's kit never short): of the N cars of A that
    reached the end of line, the short ones are Binomial(N, 0.1): within 3 standard deviations (fixed seed);
    no car of B is short."""
    models = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]
    raw = plant_raw(days=10, places=100_000, share=0.1, replacement="1 h", models=models)
    kits = raw["supply"]["kits"]
    kits["body"]["models"] = ["A"]
    kits["body_b"] = {**copy.deepcopy(kits["body"]), "models": ["B"]}
    del kits["body_b"]["short_shipped"]
    plant = built(raw, seed=7)
    area = plant.component("retrofit").area
    short_models = {p.car.model for p in area.parked.values()}
    assert short_models <= {0}
    reached_a = sum(1 for _, model, _, _ in plant.completed if model == 0) + len(area.parked)
    n, p = reached_a, 0.1
    assert n > 2000
    assert abs(area.short_in_window - n * p) <= 3 * np.sqrt(n * p * (1 - p))


def test_retrofit_heads_by_hand_in_the_staffing_table():
    """480 cars a working day x share 0.004 x 45 min = 86.4 min of retrofit a day, on one 8 h shift (net 8 h):
    1 head; every kit short: 480 x 45 min = 360 h = 45 heads."""
    few = validate_scenario(plant_raw(share=0.004))
    assert retrofit_heads(few, "body", 0)[RETROFIT][0] == 1
    assert retrofit_heads(few, "body", 1) == {}  # no second shift
    every = validate_scenario(plant_raw(share=1.0))
    table = headcount(every)
    assert table[table["role"] == RETROFIT]["headcount"].tolist() == [45]


def test_the_run_reports_and_compares_the_retrofit_figures():
    """The summary's retrofit section, its per-replication values and compare's KPI rows."""
    from sim.analysis.retrofit import kpis
    from sim.report.parts.retrofit import retrofit_rows
    result = sim.run(validate_scenario(plant_raw(places=5)))
    section = result.summary["retrofit"]
    assert section["places"] == 5 and section["area"]["max"] == 5
    assert section["blocked_hours"]["mean"] == pytest.approx(24.0 - 6 / 60.0, abs=1e-3)
    assert result.summary["replication_values"]["retrofit.blocked_hours"] == [pytest.approx(23.9)]
    names = [row[0] for row in kpis(result.summary)]
    assert "retrofit blocked end of line (h)" in names and "retrofitted / yr" in names
    assert retrofit_rows(result.summary) is not None


SHORT = [("share", 1.5, "supply.kits.body.short_shipped[0].share"),
         ("share", -0.1, "supply.kits.body.short_shipped[0].share"),
         ("replacement", "-1 d", "supply.kits.body.short_shipped[0].replacement"),
         ("retrofit_time", 0, "supply.kits.body.short_shipped[0].retrofit_time")]


@pytest.mark.parametrize("key, value, path", SHORT)
def test_bad_short_shipped_input_is_refused_at_its_path(key, value, path):
    raw = plant_raw()
    raw["supply"]["kits"]["body"]["short_shipped"][0][key] = value
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(raw)
    assert path in str(caught.value)


@pytest.mark.parametrize("places", [-1, 0, 1.5])
def test_a_retrofit_area_without_places_is_refused(places):
    raw = plant_raw(places=places)
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(raw)
    assert "supply.retrofit.places" in str(caught.value)


def test_short_parts_and_the_area_go_together_and_families_are_named_once():
    no_area = plant_raw()
    del no_area["supply"]["retrofit"]
    no_parts = plant_raw()
    del no_parts["supply"]["kits"]["body"]["short_shipped"]
    twice = plant_raw()
    parts = twice["supply"]["kits"]["body"]["short_shipped"]
    parts.append(copy.deepcopy(parts[0]))
    for raw, message in ((no_area, "give the retrofit area"), (no_parts, "no kit has short_shipped parts"),
                         (twice, "part family harness more than once")):
        with pytest.raises(ScenarioError) as caught:
            validate_scenario(raw)
        assert message in str(caught.value)


def test_the_area_checks_its_invariants():
    """A car lost from the area, or one marked to leave before its part came, breaks the area's check; the plant's
    conservation of cars counts the parked cars (without them it fails)."""
    plant = built(plant_raw(places=3))
    component = plant.component("retrofit")
    component.check(plant)
    parked = next(iter(component.area.parked.values()))
    parked.done = parked.parts_at - 1.0
    with pytest.raises(InvariantError, match="before their parts came"):
        component.area.check()
    parked.done = None
    component.area.entered += 1
    with pytest.raises(InvariantError, match="cars in"):
        component.area.check()
    component.area.entered -= 1
    component.cars_held = lambda: 0
    with pytest.raises(InvariantError, match="cars not conserved"):
        plant.check_invariants(pd.DataFrame())  # conservation is checked before the stations' table
