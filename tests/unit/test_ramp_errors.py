"""``ramp_up`` and ``plan``: bad input gives a ScenarioError naming the YAML path, the value and what is allowed;
a good one round-trips through the resolved scenario."""

import copy

import pytest

from sim.scenario import ScenarioError, validate_scenario
from sim.scenario.loader import with_overrides
from sim.scenario.plan import planned_volume

BASE = {
    "name": "ramp",
    "horizon": {"days": 54},                         # 2025-01-06 to 2025-02-28
    "calendar": {"start_date": "2025-01-06"},
    "product": {"models": [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]},
    "shops": {"body": {"shifts": {"count": 1, "length": "8 h"}, "stations": [{"name": "s", "cycle_time": 60}]},
              "paint": {"shifts": {"count": 1, "length": "8.5 h"}, "stations": [{"name": "t", "cycle_time": 60}]}},
    "staffing": {"pools": [{"name": "crew", "shop": "paint", "size": [2]}]},
    "target": {"annual_units": 1000},
}


def raw_with(**sections):
    raw = copy.deepcopy(BASE)
    raw.update(sections)
    return raw


def problems(raw) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_scenario(raw)
    return str(caught.value)


RAMP = "ramp_up.months"


@pytest.mark.parametrize("sections, path, words", [
    ({"ramp_up": {"months": {"2025-01": {"shifts": 0}}}}, f"{RAMP}.2025-01.shifts",
     ["greater than or equal to 1", "got 0"]),
    ({"ramp_up": {"months": {"2025-01": {"shifts": {"body": 5}}}}}, f"{RAMP}.2025-01.shifts.body",
     ["less than or equal to 4", "got 5"]),
    ({"ramp_up": {"months": {"2025-01": {"line_speed": 0}}}}, f"{RAMP}.2025-01.line_speed",
     ["a line speed of 0 is not between 0.05 and 1.5"]),
    ({"ramp_up": {"months": {"2025-01": {"line_speed": -0.5}}}}, f"{RAMP}.2025-01.line_speed",
     ["a line speed of -0.5 is not between 0.05 and 1.5"]),
    # a run time growing as 1 / line_speed (a day at 1e-12): below 5% of the design rate is no production
    ({"ramp_up": {"months": {"2025-01": {"line_speed": 1e-9}}}}, f"{RAMP}.2025-01.line_speed",
     ["a line speed of 1e-09 is not between 0.05 and 1.5", "share of the design rate", "pilot month"]),
    ({"ramp_up": {"months": {"2025-01": {"line_speed": 0.049}}}}, f"{RAMP}.2025-01.line_speed",
     ["a line speed of 0.049 is not between 0.05 and 1.5"]),
    ({"ramp_up": {"months": {"2025-01": {"line_speed": 1.6}}}}, f"{RAMP}.2025-01.line_speed",
     ["a line speed of 1.6 is not between 0.05 and 1.5"]),
    ({"ramp_up": {"months": {"2025-01": {"launches_per_day": 0}}}}, f"{RAMP}.2025-01.launches_per_day",
     ["greater than or equal to 1", "got 0"]),
    ({"ramp_up": {"months": {"2025-01": {"line_sped": 0.5}}}}, f"{RAMP}.2025-01.line_sped",
     ["did you mean 'line_speed'"]),
    ({"ramp_up": {"months": {"2025-13": {"shifts": 1}}}}, RAMP, ["'2025-13' is not a month", "YYYY-MM"]),
    ({"ramp_up": {"months": {"2025-2": {"shifts": 1}, "2025-02": {"shifts": 2}}}}, RAMP,
     ["month 2025-02 is listed twice", "'2025-2'", "'2025-02'"]),
    ({"ramp_up": {"months": {}}}, RAMP, ["at least 1 item"]),
    ({"ramp_up": {"months": {"2025-02": {"shifts": 2}, "2025-01": {"shifts": 1}}}}, f"{RAMP}.2025-01",
     ["2025-01 comes after 2025-02", "calendar order"]),
    ({"ramp_up": {"months": {"2024-12": {"shifts": 1}}}}, f"{RAMP}.2024-12",
     ["outside the horizon", "from 2025-01 (calendar.start_date 2025-01-06) to 2025-02"]),
    ({"ramp_up": {"months": {"2025-03": {"shifts": 1}}}}, f"{RAMP}.2025-03", ["outside the horizon"]),
    ({"ramp_up": {"months": {"2025-01": {"shifts": {"assembly": 2}}}}}, f"{RAMP}.2025-01.shifts.assembly",
     ["no shop 'assembly'", "'body', 'paint'"]),
    ({"ramp_up": {"months": {"2025-01": {"shifts": 3}}}}, f"{RAMP}.2025-01.shifts",
     ["3 shifts of 8.5 h (paint's shift length) do not fit in 24 h"]),
    ({"ramp_up": {"months": {"2025-01": {"shifts": {"paint": 2}}}}}, f"{RAMP}.2025-01.shifts.paint",
     ["labour pool 'crew' of paint gives sizes for 1 shifts, not 2"]),
    ({"ramp_up": {"months": {"2025-01": {"launches_per_day": 10}}}, "launch": {"interarrival": 60}},
     f"{RAMP}.2025-01.launches_per_day", ["needs the pull launch", "launch.interarrival"]),
    ({"plan": {"months": {"2025-03": 100}}}, "plan.months.2025-03",
     ["2025-03 is outside the horizon", "to 2025-02"]),
    ({"plan": {"months": {"2025-02": {"volume": 100, "mix": {"A": 0.5, "C": 0.5}}}}}, "plan.months.2025-02.mix.C",
     ["'C' is not a model of the product mix", "['A', 'B']"]),
    ({"plan": {"months": {"2025-02": {"volume": 100, "mix": {"A": 0.5, "B": 0.4}}}}}, "plan.months.2025-02.mix",
     ["the mix shares sum to 0.9", "must sum to 1"]),
    ({"plan": {"months": {"2025-02": {"volume": 100, "mix": {"A": 1.5, "B": -0.5}}}}}, "plan.months.2025-02.mix.A",
     ["less than or equal to 1"]),
    ({"plan": {"months": {"2025-02": -5}}}, "plan.months.2025-02", ["greater than or equal to 0", "-5"]),
    ({"plan": {"months": {"2025-02": {"volume": 10.5}}}}, "plan.months.2025-02.volume", ["integer", "10.5"]),
    ({"plan": {"months": {"2025-02": "many"}}}, "plan.months.2025-02", ["'many'"]),
    ({"plan": {"months": {"2025-02": 100, "2025-2": 50}}}, "plan.months", ["month 2025-02 is listed twice"]),
    ({"plan": {"months": {"2025-02": 100}, "years": {2025: 1200}}}, "plan.months.2025-02",
     ["2025-02 is listed twice: in plan.months and in plan.years 2025"]),
    ({"plan": {"years": {2026: 1200}}}, "plan.years.2026", ["2026 is outside the horizon"]),
    ({"plan": {}}, "plan", ["give the plan's months", "or years"]),
    ({"plan": {"months": {"2025-02": 100}, "seasonality": [1] * 12}}, "plan", ["seasonality spreads", "give years"]),
    ({"plan": {"years": {2025: 100}, "seasonality": [1] * 11}}, "plan.seasonality", ["at least 12 items"]),
    ({"plan": {"years": {2025: 100}, "seasonality": [0] * 12}}, "plan", ["weights are all 0"]),
    ({"plan": {"months": {"2025-02": 100}}, "launch": {"interarrival": 60}}, "plan",
     ["a plan caps the launches", "needs the pull launch"]),
])
def test_bad_ramp_or_plan_names_its_path(sections, path, words):
    text = problems(raw_with(**sections))
    assert f"  {path}" in text, text
    for word in words:
        assert word in text, (word, text)


def test_seasonality_that_leaves_no_month_of_a_year():
    """A year the plant starts in is spread from the start month on: weights of 0 for all of them leave its
    volume nowhere."""
    raw = raw_with(plan={"years": {2025: 100}, "seasonality": [0] * 11 + [1]},
                   calendar={"start_date": "2025-12-01"})
    assert validate_scenario(raw).plan is not None
    raw["plan"]["seasonality"] = [1] + [0] * 11
    text = problems(raw)
    assert "  plan.years.2025" in text and "from the start of production (2025-12) weight 0" in text


@pytest.mark.parametrize("sections", [{"ramp_up": {"months": {"2025-01": {"shifts": 1}}}},
                                      {"plan": {"months": {"2025-01": 100}}}])
def test_ramp_and_plan_need_a_dated_calendar(sections):
    raw = raw_with(**sections, calendar={"working_days_per_year": 246})
    text = problems(raw)
    assert "  calendar.working_days_per_year" in text and "give a dated calendar" in text


def test_a_good_ramp_and_plan_round_trip():
    """The resolved scenario (as stored with the results) reads back to the same scenario; month keys are
    normalised to YYYY-MM; a scenario without them has neither key in its resolved form."""
    raw = raw_with(ramp_up={"months": {"2025-1": {"shifts": {"body": 2}, "line_speed": 0.5, "launches_per_day": 12},
                                       "2025-02": {}}},
                   plan={"months": {"2025-01": 200, "2025-02": {"volume": 300, "mix": {"A": 0.25, "B": 0.75}}}})
    scenario = validate_scenario(raw)
    assert list(scenario.ramp_up.months) == ["2025-01", "2025-02"]
    assert with_overrides(scenario, []) == scenario
    assert planned_volume(scenario) == {"2025-01": 200, "2025-02": 300}
    plain = validate_scenario(copy.deepcopy(BASE)).model_dump(mode="json")
    assert "ramp_up" not in plain and "plan" not in plain and planned_volume(validate_scenario(BASE)) is None
    overridden = with_overrides(scenario, ["plan.months.2025-01=150", "ramp_up.months.2025-01.line_speed=0.8"])
    assert overridden.plan.months["2025-01"].volume == 150 and overridden.ramp_up.months["2025-01"].line_speed == 0.8


# ---------------------------------------------------------------- a ramp-up the plant earns

TWO_IN_FEB = {"months": {"2025-01": {"shifts": 1}, "2025-02": {"shifts": {"body": 2}}}}
CURVE = {"cycle_time": {"rate": 0.9, "first": 2}}
CREWS = "learning.body.new_crews"


@pytest.mark.parametrize("sections, path, words", [
    ({"learning": {"body": {**CURVE, "new_crews": {2: {"hired": "2025-01-06"}}}}}, CREWS,
     ["new shift crews need a ramp-up"]),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {3: {"hired": "2025-01-06"}}}}},
     f"{CREWS}[3]", ["never adds shift 3", "shifts added: [2]"]),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {}}}}, CREWS,
     ["adds shift 2 to 'body' from 2025-02-03", "give its crew"]),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {
        2: {"hired": "2025-01-20", "training": "21 d"}}}}}, f"{CREWS}[2].training",
     ["finishes its training on 2025-02-10, after its shift first runs on 2025-02-03"]),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {
        2: {"hired": "2025-01-06", "shadowing": 1.5}}}}}, f"{CREWS}[2].shadowing", ["less than or equal to 1"]),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {
        2: {"hired": "2025-01-06", "training": "-1 d"}}}}}, f"{CREWS}[2].training", []),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {1: {"hired": "2025-01-06"}}}}},
     f"{CREWS}[1].[key]", ["greater than or equal to 2"]),
    ({"ramp_up": TWO_IN_FEB, "learning": {"body": {**CURVE, "new_crews": {2: {"hired": "2025-02-30"}}}}},
     f"{CREWS}[2].hired", ["is not a date"]),
    ({"plan": {"months": {"2025-01": 100}, "cap_launches": "sometimes"}}, "plan.cap_launches", ["boolean"]),
])
def test_bad_crews_or_cap_name_their_path(sections, path, words):
    test_bad_ramp_or_plan_names_its_path(sections, path, words)


def test_crews_and_the_yardstick_round_trip():
    """new_crews and cap_launches: false read back from the resolved scenario; left at their defaults they are
    not in it (a scenario without them resolves as before)."""
    raw = raw_with(ramp_up=TWO_IN_FEB, plan={"months": {"2025-01": 100}, "cap_launches": False},
                   learning={"body": {**CURVE, "new_crews": {"2": {"hired": "2025-01-06", "training": "14 d",
                                                                   "shadowing": 0.5}}}})
    scenario = validate_scenario(raw)
    assert scenario.learning["body"].new_crews[2].training == 14 * 86400 and not scenario.plan.cap_launches
    assert with_overrides(scenario, []) == scenario
    plain = validate_scenario(raw_with(ramp_up=TWO_IN_FEB, plan={"months": {"2025-01": 100}},
                                       learning={"body": CURVE})).model_dump(mode="json")
    assert "cap_launches" not in plain["plan"] and "new_crews" not in plain["learning"]["body"]
