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

All candidates share the same seed, so they are compared on common random numbers. A combination
whose scenario does not validate (three shifts leave no room for the plan's overtime after the last) is
skipped, its problems kept on it to report, and the search goes on with the others.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field

from ..analysis.capacity import shop_capacity
from ..analysis.staffing import headcount
from ..analysis.stats import lower_bound, upper_bound
from ..analysis.summary import annual_units
from ..scenario.days import DAY, scenario_days
from ..scenario import Scenario, ScenarioError, with_overrides
from ..scenario.shorten import shortened
from ..scenario.units import fits_in_a_day
from .precision import replications_needed, rule
from .runner import run_all
from .screening import SCREEN_DAYS, screens


@dataclass
class Candidate:
    settings: dict
    """What this option chooses, as scenario paths: {'shops.body.shifts.count': 2,
    'shops.assembly.lines.trim1.takt': 120, 'staffing.pools[repair].size': 3}."""
    assignments: list[str]
    """The --set overrides that turn the scenario into this option (its choices and what they imply)."""
    scenario: Scenario | None
    """None: the option's scenario does not validate (``problems``)."""
    headcount: int | None
    static_capacity: float | None
    status: str = "not simulated"
    annual_mean: float | None = None
    lower_bound: float | None = None
    screened: float | None = None
    """The measured days its output and bound come from when it was screened out (None: the whole horizon)."""
    problems: list[str] = field(default_factory=list)
    """Why the option's scenario does not validate ('YAML path: message'); empty for a valid one."""


@dataclass
class SearchResult:
    target: float
    confidence: float
    replications: int
    candidates: list[Candidate] = field(default_factory=list)
    best: Candidate | None = None
    screen_days: float | None = None
    """The days the options were screened on (None: no screening)."""

    @property
    def pruned(self) -> int:
        return sum(c.status == PRUNED for c in self.candidates)

    @property
    def skipped(self) -> list[Candidate]:
        """The options whose scenario does not validate, in the order enumerated."""
        return [c for c in self.candidates if c.status == SKIPPED]


UNDECIDED_RULE = rule("annual outputs", "the output's margin over the target (the half-width now: the output's "
                      "margin over its lower bound)")


PRUNED = "pruned: static capacity below target"
UNDECIDED = "undecided: mean meets target, lower bound does not"
SKIPPED = "skipped: scenario invalid"
SCREENED_OUT = "below target"
"""The status of an option screened out (``Candidate.screened`` says on how many days)."""
NOT_CONFIRMED = "not run over the whole horizon"
"""The status of a screened option the search did not need over the whole horizon."""


def option_axes(scenario: Scenario) -> list[tuple[str, list]]:
    """(scenario path, allowed values) of every staffing option the search may change."""
    options = scenario.staffing.options
    axes: list[tuple[str, list]] = []
    axes += [(f"shops.{shop}.shifts.count", values) for shop, values in options.shifts.items()]
    for key, values in options.takt.items():
        shop, _, line = key.partition(".")
        axes.append((f"shops.{shop}.lines.{line}.takt", values))
    axes += [(f"staffing.pools[{name}].size", values) for name, values in options.pools.items()]
    return axes


def candidates(scenario: Scenario) -> list[Candidate]:
    """Every combination of the scenario's staffing options, with headcount and static bound."""
    axes = option_axes(scenario) or [("as given", [None])]
    per_year = scenario_days(scenario).working_days_per_year
    out = []
    for values in itertools.product(*(v for _, v in axes)):
        settings = {path: value for (path, _), value in zip(axes, values) if value is not None}
        assignments = option_assignments(scenario, settings)
        try:
            variant = with_overrides(scenario, assignments)
        except ScenarioError as exc:
            out.append(Candidate(settings, assignments, None, None, None, SKIPPED,
                                 problems=[str(p) for p in exc.problems]))
            continue
        static = min(s["annual_units"] for s in shop_capacity(variant, per_year).values())
        out.append(Candidate(settings, assignments, variant, int(headcount(variant)["headcount"].sum()), static))
    return out


def option_assignments(scenario: Scenario, settings: dict) -> list[str]:
    """The --set overrides of an option: its own choices, then what they imply.

    More shifts than fit in a day shorten each to 24 h / count (three 8 h shifts), keeping
    the breaks that fit; a pool sized per shift follows its shop's new shift count (its
    first shift's size repeats).
    """
    out = [f"{path}={json.dumps(value)}" for path, value in settings.items()]
    counts = {name: shop.shifts.count for name, shop in scenario.shops.items()}
    for path, count in settings.items():
        if not (path.startswith("shops.") and path.endswith(".shifts.count")):
            continue
        shop = path.split(".")[1]
        counts[shop] = count
        shifts = scenario.shops[shop].shifts
        if not fits_in_a_day(count, shifts.length):
            length = DAY / count
            breaks = [{"after": b.after, "length": b.length} for b in shifts.breaks if b.after + b.length <= length]
            out += [f"shops.{shop}.shifts.length={json.dumps(length)}",
                    f"shops.{shop}.shifts.breaks={json.dumps(breaks)}"]
    for pool in scenario.staffing.pools:
        size = settings.get(f"staffing.pools[{pool.name}].size", pool.size)
        count = counts[pool.shop]
        if isinstance(size, list) and len(size) != count:
            out.append(f"staffing.pools[{pool.name}].size={json.dumps((size + [size[0]] * count)[:count])}")
    return out


def measuring(scenario: Scenario, days: float | None) -> Scenario:
    """The scenario measured over its first ``days`` days after its warm-up (a quicker search); as it is for None.

    A dated ramp-up or plan runs those days as in the whole horizon: its entries for the months after them are
    left out (``shortened``), so a ramp-up is judged on its start."""
    return shortened(scenario, days=days)[0]


def search_order(c: Candidate) -> tuple:
    """The order options are simulated in: cheapest first, the larger static capacity first among equals."""
    return c.headcount, -c.static_capacity


def search(scenario: Scenario, target: float | None = None, confidence: float = 0.95, replications: int = 3,
           seed: int | None = None, jobs: int = 1, runners_up: int = 2, max_simulated: int = 20,
           days: float | None = None, screen_days: float | None = SCREEN_DAYS, on_progress=None,
           on_start=None, on_screened=None) -> SearchResult:
    """Search the options for the smallest headcount meeting ``target`` (default: the scenario's).

    Screen, then confirm (``screening``): when the scenario measures more than ``screen_days`` days, the options
    the static bound leaves (at most ``max_simulated``) first run over that many days, all in one pool; an
    option whose upper bound of screened output (one-sided, at ``confidence``) is under the target is 'below
    target' without running over the whole horizon. The rest are simulated over the whole horizon in order of
    headcount, as without a screening.

    ``on_start(stages)`` is called before the first simulation with the most runs it will make: a list of
    (scenario, runs), the screening's then the whole horizon's; ``on_screened(stages)`` after a screening, with the
    runs left over the whole horizon. ``on_progress(done, total, label)`` as
    replications of the screening, then options over the whole horizon, finish."""
    if replications < 2:
        raise ValueError("the search needs at least 2 replications to judge confidence")
    scenario = measuring(scenario, days)
    target = float(target or scenario.target.annual_units)
    result = SearchResult(target, confidence, replications, candidates(scenario))
    feasible = []
    for c in result.candidates:
        if c.status == SKIPPED:
            continue
        if c.static_capacity < target:
            c.status = PRUNED
        else:
            feasible.append(c)
    feasible.sort(key=search_order)
    feasible = feasible[:max_simulated]
    # the options share the scenario's horizon and ramp-up: they screen when it does, each shortened as it is
    short = [shortened(c.scenario, days=screen_days)[0] for c in feasible] if screens(scenario, screen_days) else []
    if on_start:
        on_start(([(short[0], len(feasible))] if short else []) + [(scenario, len(feasible))])
    if short:
        result.screen_days = screen_days
        _screen(result, feasible, short, seed, jobs, on_progress)
    left = [c for c in feasible if c.status != SCREENED_OUT]  # only screened options have a status by now
    if short and on_screened:
        on_screened([(scenario, len(left))])
    batch = _batch(jobs, replications, runners_up)
    simulated = after_best = k = 0

    def answered() -> bool:  # the answer and its runners-up are judged: nothing more to run
        return result.best is not None and after_best >= runners_up

    while k < len(left) and not answered():
        group = left[k:k + batch]
        k += len(group)
        for c, out in zip(group, run_all([c.scenario for c in group], replications=replications, seed=seed,
                                         jobs=jobs)):
            if answered():
                break  # run ahead in the batch but not needed: left as a one-by-one search leaves it
            found_before = result.best is not None
            _judge(result, c, [annual_units(r) for r in out.replications])
            after_best += found_before  # every option judged after the answer is a runner-up
            simulated += 1
            if on_progress:
                on_progress(simulated, len(left), "options over the whole horizon")
    return result


def _batch(jobs: int, replications: int, runners_up: int) -> int:
    """Options run over the whole horizon at a time: as many as fill every process in whole rounds (two options of
    three replications on two cores: three full rounds where one at a time took two rounds each, the second half
    idle), at most the runners-up and one more, so that at most that many are run and not needed. Each option's
    figures are its own run's, and the options judged are those of a search one by one: only the time depends on
    ``jobs``."""
    return max(1, min(jobs // math.gcd(jobs, replications), runners_up + 1))


def _judge(result: SearchResult, c: Candidate, values: list[float]) -> None:
    """An option's status from its output over the whole horizon, and the answer if it is the first to meet the
    target."""
    c.annual_mean = sum(values) / len(values)
    c.lower_bound = lower_bound(values, result.confidence)
    c.screened = None
    if c.lower_bound >= result.target:
        c.status = "meets target"
        if result.best is None:
            result.best = c
    else:
        # a mean at the target with a lower bound under it is not a miss: its interval is too wide to say
        c.status = UNDECIDED if c.annual_mean >= result.target else "below target"


def _screen(result: SearchResult, options: list[Candidate], screens: list[Scenario], seed, jobs: int,
            on_progress) -> None:
    """Every option over the screening's days in one pool; an option whose screened output's upper bound is
    under the target is screened out (its screened mean and bounds kept)."""
    label = f"screening {len(options)} options on {result.screen_days:g} days"
    runs = run_all(screens, replications=result.replications, seed=seed, jobs=jobs,
                   on_replication=(lambda done, total: on_progress(done, total, label)) if on_progress else None)
    for c, screened in zip(options, runs):
        values = [annual_units(r) for r in screened.replications]
        c.annual_mean = sum(values) / len(values)
        c.lower_bound = lower_bound(values, result.confidence)
        c.screened = result.screen_days
        c.status = SCREENED_OUT if upper_bound(values, result.confidence) < result.target else NOT_CONFIRMED


def undecided(result: SearchResult) -> list[tuple[Candidate, int | None]]:
    """The simulated options whose mean output meets the target but whose lower bound does not: their interval
    is too wide to say whether they meet it. Each with the replications that would decide it: the half-width
    now is mean - lower bound, the one needed mean - target (None: the mean is the target, nothing decides)."""
    wide = [c for c in result.candidates if c.annual_mean is not None and not c.screened
            and c.lower_bound < result.target <= c.annual_mean]
    return [(c, replications_needed(result.replications, c.annual_mean - c.lower_bound, c.annual_mean - result.target))
            for c in sorted(wide, key=search_order)]
