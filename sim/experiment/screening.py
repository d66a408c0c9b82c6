"""Screen, then confirm: a search's candidates first run over a shorter stretch of the horizon.

``sim bottleneck`` and ``sim staff`` simulate many variants of one scenario, each over the whole horizon (a year
and its warm-up for the shipped plants): most of that time goes into variants that are plainly out of the
running — a change that buys a handful of cars, a staffing option far below the target. Each search therefore
runs every candidate first over its first ``SCREEN_DAYS`` measured days after the same warm-up (same seed and
replications: common random numbers), and only the candidates still in the running over the whole horizon: the
best few changes of the shopping list, the staffing options whose screened output does not fall clearly short
of the target. What was screened out keeps its screened figures, marked with the days they come from.
"""

from __future__ import annotations

from ..scenario import Scenario
from ..scenario.days import scenario_days
from ..scenario.shorten import shortened

SCREEN_DAYS = 60.0
"""Measured days a candidate is screened on (after the scenario's own warm-up)."""


def screens(scenario: Scenario, days: float | None) -> bool:
    """Whether a search of this scenario screens on ``days`` days: not when ``days`` is None or 0, the scenario
    measures no more than that anyway, or a ramp-up or plan sets its pace (its first days are the pilot's, nothing
    like the rest, and would put out every option)."""
    return bool(days) and not scenario.ramping and scenario_days(scenario).measured_days > days


def screening(scenario: Scenario, days: float | None) -> Scenario | None:
    """The scenario measured over its first ``days`` days after the warm-up, to screen on (None: no screening,
    ``screens``)."""
    return shortened(scenario, days=days)[0] if screens(scenario, days) else None
