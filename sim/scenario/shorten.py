"""Another run length for a scenario (``--days``, ``--years``, ``--warmup`` of the command line): its horizon
replaced, and what the scenario dates after the new last day cut off.

Why cut and not refuse: a planner who asks for the first 60 days of a three-year ramp-up wants those days as the
whole run simulates them, not an error about the ramp-up's later months. So the ramp-up entries and planned months
after the last day are left out (``plan.cut_to_horizon``), and so are the dated events after it (those lasting
beyond it end on it: ``events.cut_events``); each cut is returned as a line to print. A scenario file whose own
horizon misses its ramp-up or events is still refused: the file says two different things, and only its author
knows which is meant.
"""

from __future__ import annotations

from pydantic import ValidationError

from .events import cut_events
from .loader import validate_scenario
from .plan import cut_to_horizon, last_day
from .schema import Horizon, Scenario


def shortened(scenario: Scenario, days: float | None = None, years: float | None = None,
              warmup_days: float | None = None, source: str | None = None) -> tuple[Scenario, list[str]]:
    """The scenario run for ``days`` or ``years`` measured after ``warmup_days`` of warm-up (each None: the
    scenario's own), and a line per thing cut to fit (empty when nothing was). Years are the schema's: 365 days
    each on a dated calendar, ``working_days_per_year`` days each on a count. A bad length raises
    ``ScenarioError`` at ``horizon`` under ``source`` (default: the scenario's name with the new horizon)."""
    if days is not None and years is not None:
        raise ValueError("give days or years, not both")
    if days is None and years is None and warmup_days is None:
        return scenario, []
    horizon = _horizon(scenario.horizon, days, years, warmup_days)
    raw = scenario.model_dump(mode="json")
    raw["horizon"] = horizon
    source = source or f"{scenario.name} with horizon {horizon}"
    try:
        window = Horizon(**horizon)
    except ValidationError:
        return validate_scenario(raw, source), []  # raises: the horizon's path, the bad value and its range
    if not scenario.calendar.dated:
        return validate_scenario(raw, source), []  # no dates: nothing dated to cut
    last = last_day(scenario, window)
    cut = cut_to_horizon(scenario, window)
    raw.update(cut)
    raw["events"], notes = cut_events(scenario, last)
    return validate_scenario(raw, source), _plan_notes(scenario, cut, last) + notes


def _horizon(own: Horizon, days, years, warmup_days) -> dict:
    """The new horizon as plain data: the length given (else the scenario's), the warm-up given (else its)."""
    length = ({"days": days} if days is not None else {"years": years} if years is not None else
              {"days": own.days} if own.days is not None else {"years": own.years})
    return {**length, "warmup_days": own.warmup_days if warmup_days is None else warmup_days}


def _plan_notes(scenario: Scenario, cut: dict, last) -> list[str]:
    """A line on the parts of the ramp-up and plan that ``cut`` leaves out (none when it leaves out nothing)."""
    parts = []
    for key, part in (("ramp_up", "months"), ("plan", "months"), ("plan", "years")):
        given = getattr(scenario, key)
        if given is None:
            continue
        before = [str(k) for k in getattr(given, part)]
        after = [str(k) for k in ((cut.get(key) or {}).get(part) or {})]
        left_out = [k for k in before if k not in after]
        if left_out:
            span = left_out[0] if len(left_out) == 1 else f"{left_out[0]} to {left_out[-1]}"
            parts.append(f"{key}.{part} {span} ({len(left_out)} of {len(before)})")
    if not parts:
        return []
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return [f"{listed} left out: they start after {last}, the run's last day"]

