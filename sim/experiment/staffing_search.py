"""The inverse question: the smallest headcount that meets a target.

The options come from the scenario (`staffing.options`: shift counts per shop,
takts per paced line, labour-pool sizes). The search:

1. enumerates every combination and computes, without simulating, its static
   capacity (the bound a planner computes by hand) and its headcount;
2. prunes every combination whose static capacity is below the target: no
   simulation can beat the static bound;
3. simulates the rest in order of headcount (ties: larger static capacity
   first) and stops at the first whose output meets the target with the asked
   confidence: the one-sided lower t bound of annual output over the
   replications is at or above the target. Every cheaper option was pruned or
   simulated and failed, so that one is the smallest headcount; a few more
   options after it are simulated as runners-up.

All candidates share the same seed, so they are compared on common random numbers.
"""

from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass, field

from scipy import stats as _stats

from ..analysis.capacity import shop_capacity
from ..analysis.staffing import headcount
from ..model.calendar import plant_days
from ..scenario import Scenario, validate_scenario
from .runner import run


@dataclass
class Candidate:
    settings: dict
    """What this option changes: {'shifts.body': 2, 'takt.assembly.trim1': 120, 'pool.repair': 3}."""
    scenario: Scenario
    headcount: int
    static_capacity: float
    status: str = "not simulated"
    annual_mean: float | None = None
    lower_bound: float | None = None


@dataclass
class SearchResult:
    target: float
    confidence: float
    replications: int
    candidates: list[Candidate] = field(default_factory=list)
    best: Candidate | None = None

    @property
    def pruned(self) -> int:
        return sum(c.status == "pruned: static capacity below target" for c in self.candidates)


def candidates(scenario: Scenario) -> list[Candidate]:
    """Every combination of the scenario's staffing options, with headcount and static bound."""
    options = scenario.staffing.options
    axes: list[tuple[str, list]] = []
    axes += [(f"shifts.{shop}", values) for shop, values in options.shifts.items()]
    axes += [(f"takt.{line}", values) for line, values in options.takt.items()]
    axes += [(f"pool.{name}", values) for name, values in options.pools.items()]
    if not axes:
        axes = [("as given", [None])]
    per_year = plant_days(scenario.calendar, scenario.horizon).working_days_per_year
    out = []
    for values in itertools.product(*(v for _, v in axes)):
        settings = {name: value for (name, _), value in zip(axes, values) if value is not None}
        variant = apply(scenario, settings)
        static = min(s["annual_units"] for s in shop_capacity(variant, per_year).values())
        out.append(Candidate(settings, variant, int(headcount(variant)["headcount"].sum()), static))
    return out


def apply(scenario: Scenario, settings: dict) -> Scenario:
    """The scenario with the option's shift counts, takts and pool sizes (validated again)."""
    raw = copy.deepcopy(scenario.model_dump(mode="json", exclude_defaults=False))
    for key, value in settings.items():
        kind, _, rest = key.partition(".")
        if kind == "shifts":
            _set_shift_count(raw["shops"][rest]["shifts"], value)
        elif kind == "takt":
            shop, _, line = rest.partition(".")
            raw["shops"][shop]["lines"][line]["takt"] = value
        elif kind == "horizon":  # a shorter measured window for a quicker search
            raw["horizon"] = {"days": value, "years": None, "warmup_days": raw["horizon"]["warmup_days"]}
        elif kind == "pool":
            for pool in raw["staffing"]["pools"]:
                if pool["name"] == rest:
                    pool["size"] = value
    _fit_pools_to_shifts(raw)
    return validate_scenario(_json_ready(raw), f"{scenario.name} with {settings}")


def _set_shift_count(shifts: dict, count: int) -> None:
    """More shifts than fit in a day shorten each to 24 h / count (three 8 h shifts), keeping the breaks that fit."""
    shifts["count"] = count
    if count * shifts["length"] > 86400:
        shifts["length"] = 86400 / count
        shifts["breaks"] = [b for b in shifts["breaks"] if b["after"] + b["length"] <= shifts["length"]]


def _fit_pools_to_shifts(raw: dict) -> None:
    """A pool given per shift follows its shop's new shift count (its first shift's size repeats)."""
    for pool in raw["staffing"]["pools"]:
        count = raw["shops"][pool["shop"]]["shifts"]["count"]
        if isinstance(pool["size"], list) and len(pool["size"]) != count:
            pool["size"] = (pool["size"] + [pool["size"][0]] * count)[:count]


def _json_ready(raw):
    """model_dump(mode='json') writes the shop clock as seconds; the schema reads "HH:MM"."""
    for shop in raw["shops"].values():
        start = shop["shifts"]["start"]
        if isinstance(start, (int, float)):
            shop["shifts"]["start"] = f"{int(start // 3600):02d}:{int(start % 3600 // 60):02d}"
    return raw


def lower_bound(values: list[float], confidence: float) -> float:
    """One-sided lower t bound of the mean."""
    n = len(values)
    mean = sum(values) / n
    if n < 2:
        return -math.inf
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    return mean - float(_stats.t.ppf(confidence, n - 1)) * sd / math.sqrt(n)


def search(scenario: Scenario, target: float | None = None, confidence: float = 0.95, replications: int = 3,
           seed: int | None = None, jobs: int = 1, runners_up: int = 2, max_simulated: int = 20,
           days: float | None = None, on_progress=None) -> SearchResult:
    """Search the options for the smallest headcount meeting ``target`` (default: the scenario's)."""
    if replications < 2:
        raise ValueError("the search needs at least 2 replications to judge confidence")
    if days is not None:
        scenario = apply(scenario, {"horizon.days": days})
    target = float(target or scenario.target.annual_units)
    result = SearchResult(target, confidence, replications, candidates(scenario))
    feasible = []
    for c in result.candidates:
        if c.static_capacity < target:
            c.status = "pruned: static capacity below target"
        else:
            feasible.append(c)
    feasible.sort(key=lambda c: (c.headcount, -c.static_capacity))
    simulated = after_best = 0
    for c in feasible:
        if simulated >= max_simulated or (result.best is not None and after_best >= runners_up):
            break
        reps = run(c.scenario, replications=replications, seed=seed, jobs=jobs).replications
        values = [r.scalars["completed"] * r.scalars["working_days_per_year"] / r.scalars["working_days"]
                  for r in reps]
        c.annual_mean = sum(values) / len(values)
        c.lower_bound = lower_bound(values, confidence)
        simulated += 1
        if c.lower_bound >= target:
            c.status = "meets target"
            if result.best is None:
                result.best = c
            else:
                after_best += 1
        else:
            c.status = "below target"
            if result.best is not None:
                after_best += 1
        if on_progress:
            on_progress(simulated, min(len(feasible), max_simulated))
    return result
