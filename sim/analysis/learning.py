"""The learning curves of a run (the summary's ``learning``): per shop, where its curves stood.

Each replication counts the number of each shop's next car at the start and at the end of the measured
window (``model.learning.window_cars``); the curves' values there are computed from the scenario's curves
(``model.learning``), so the report and the model use one formula.
"""

from __future__ import annotations

import numpy as np

from ..model.components.learning import CURVES, curve_values, mature_at, mature_yield, yield_mature_at
from ..scenario.schema import Scenario


def summary(run) -> dict | None:
    """The run's ``learning`` section (None without learning curves): see ``learning_summary``."""
    figures = run.figures("learning")
    if figures is None:
        return None
    out = learning_summary(run.scenario, [f.cars for f in figures])
    for shop, crews in crews_summary(run.scenario, [f.crews for f in figures]).items():
        out[shop]["crews"] = crews
    return out


def crews_summary(scenario: Scenario, crews_by_rep: list[dict]) -> dict:
    """Per shop whose shift crews learn apart: {shift number: {first_car, car_at_end, cycle_time, failures,
    first_pass_yield}}, the crew's first car (an added crew's from its shadowing), its next car at the end of the
    run and its curves' values there (means over the replications in which the crew worked)."""
    out = {}
    for shop, spec in scenario.learning.items():
        if spec.new_crews is None:
            continue
        mature_fpy = mature_yield(scenario.shops[shop])
        numbers = sorted({number for rep in crews_by_rep for number in rep.get(shop, {})})
        out[shop] = {}
        for number in numbers:
            firsts, cars = zip(*(rep[shop][number] for rep in crews_by_rep if number in rep.get(shop, {})))
            values = [curve_values(spec, mature_fpy, n) for n in cars]
            crew = {"first_car": round(float(np.mean(firsts)), 1), "car_at_end": round(float(np.mean(cars)), 1)}
            for k, name in enumerate(CURVES):
                if getattr(spec, name) is not None:
                    crew[name] = round(float(np.mean([v[k] for v in values])), 4)
            out[shop][str(number)] = crew
    return out


def learning_summary(scenario: Scenario, cars_by_rep: list[dict]) -> dict:
    """{shop: {built_before, car_at_window_start, car_at_window_end (means over replications), curves: {curve:
    {rate, first, mature, mature_at_car, at_first_car, at_window_start, at_window_end}}}}.

    A curve's values are multipliers on the mature value (cycle_time, failures: 1 when mature) or the
    first-pass yield itself; at_window_start and at_window_end are means over replications of the value at
    each replication's car number there; mature_at_car is n* (None beyond 10^15 cars)."""
    out = {}
    for shop, spec in scenario.learning.items():
        mature_fpy = mature_yield(scenario.shops[shop])
        cars = {edge: [rep_cars[shop][edge] for rep_cars in cars_by_rep] for edge in ("start", "end")}

        def at(n: float, k: int) -> float:
            return curve_values(spec, mature_fpy, n)[k]

        curves = {}
        for k, name in enumerate(CURVES):
            curve = getattr(spec, name)
            if curve is None:
                continue
            fpy = name == "first_pass_yield"
            reached = (yield_mature_at(curve.first, mature_fpy, curve.rate) if fpy
                       else mature_at(curve.first, curve.rate))
            curves[name] = {
                "rate": curve.rate, "first": curve.first, "mature": mature_fpy if fpy else 1.0,
                "mature_at_car": round(reached, 1) if reached < 1e15 else None,
                "at_first_car": round(at(spec.built_before + 1, k), 4),
                "at_window_start": round(float(np.mean([at(n, k) for n in cars["start"]])), 4),
                "at_window_end": round(float(np.mean([at(n, k) for n in cars["end"]])), 4),
            }
        out[shop] = {"built_before": spec.built_before,
                     "car_at_window_start": round(float(np.mean(cars["start"])), 1),
                     "car_at_window_end": round(float(np.mean(cars["end"])), 1),
                     "curves": curves}
    return out
