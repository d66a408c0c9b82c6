"""Retrofit figures of a run: cars built without a short-shipped part, their time in the retrofit area, how full
the area was and how long it held the end of line (``model.components.retrofit``); and the retrofit heads of the
staffing table.

Per replication the area counts the measured window (``RetrofitArea.figures``: a ``RetrofitFigures`` record).
The run's ``retrofit`` section gives each figure's mean with a 95% t interval over replications (``stats``);
cars built short and retrofits done are annualised as the plant's output is (``components.annualised``). The
section is there only with ``supply.retrofit`` in the scenario, so other scenarios keep their summary.

Retrofit heads (``retrofit_heads``): the retrofit work at the plan rate, cars a working day x share short x mean
retrofit time summed over the families, shared over the shifts of the last shop, in heads of its net shift time,
rounded up — as the CKD logistics heads are sized (``supply.logistics_heads``).
"""

from __future__ import annotations


from ..scenario.days import scenario_days
from ..scenario.kit_levels import plan_rates
from ..scenario.schema import Scenario
from .components import annualised
from .kinds import COUNT, DECIMAL1, DECIMAL2
from .shapes import optional_number
from .stats import defined_mean_ci
from .supply import shift_heads

RETROFIT = "retrofit"
"""The staffing table's role of the retrofitters (in the last shop, on each of its shifts)."""
FAMILY_FIGURES = ("days_mean", "days_p95")


def summary(run) -> dict | None:
    """The run's ``retrofit`` section (None without a retrofit area)."""
    figures, reps = run.figures("retrofit"), run.reps
    if figures is None:
        return None
    last_shop = list(run.scenario.shops)[-1]

    def annual(count) -> dict:
        return _ci([annualised(r, count(f)) for f, r in zip(figures, reps)])

    families = {name: {"short_annual": annual(lambda f, n=name: f.families[n]["short"]),
                       "retrofits_annual": annual(lambda f, n=name: f.families[n]["retrofits"]),
                       **{k: _ci([f.families[name][k] for f in figures]) for k in FAMILY_FIGURES}}
                for name in figures[0].families}
    return {
        "places": figures[0].places,
        "short_annual": annual(lambda f: f.short),
        "retrofits_annual": annual(lambda f: f.retrofits),
        "days_mean": _ci([f.days_mean for f in figures]),
        "days_p95": _ci([f.days_p95 for f in figures]),
        "families": families,
        "area": {"mean": _ci([f.area["mean"] for f in figures]), "max": max(f.area["max"] for f in figures),
                 "share_full": _ci([f.area["share_full"] for f in figures])},
        "blocked_hours": _ci([f.blocked_hours for f in figures]),
        "blocked_share": _ci([f.blocked_hours / r.scalars["shop_hours"][last_shop]
                              if r.scalars["shop_hours"][last_shop] > 0 else None for f, r in zip(figures, reps)]),
        "blocks": _ci([f.blocks for f in figures]),
        "in_area_end": _ci([f.in_area_end for f in figures]),
        "heads_per_shift": retrofit_heads(run.scenario, last_shop, 0).get(RETROFIT, (0, ""))[0],
    }


def values(run) -> dict:
    """Per-replication values for paired comparisons (``retrofit.<figure>``); empty without a retrofit area."""
    figures, reps = run.figures("retrofit"), run.reps
    if figures is None:
        return {}
    return {"retrofit.short_annual": [round(annualised(r, f.short), 3) for f, r in zip(figures, reps)],
            "retrofit.retrofits_annual": [round(annualised(r, f.retrofits), 3) for f, r in zip(figures, reps)],
            "retrofit.days_mean": [None if f.days_mean is None else round(f.days_mean, 3) for f in figures],
            "retrofit.area_mean": [round(f.area["mean"], 3) for f in figures],
            "retrofit.blocked_hours": [round(f.blocked_hours, 3) for f in figures]}


def warnings(run) -> list[str]:
    """The area was full, an incomplete car waiting on the end of line, when the run ended."""
    figures, reps = run.figures("retrofit"), run.reps
    if figures is None:
        return []
    full = [r.replication for f, r in zip(figures, reps) if f.blocked_at_end]
    if not full:
        return []
    return [f"the retrofit area was full at the end of replications {full}, an incomplete car waiting on the end of "
            "line: the area has too few places for the cars waiting for their parts (retrofit)"]


CHECKS = (
    ("short_annual.mean", optional_number),
    ("retrofits_annual.mean", optional_number),
    ("days_mean.mean", optional_number),
    ("area.mean.mean", optional_number),
    ("area.max", optional_number),
    ("blocked_hours.mean", optional_number),
)
"""The keys of the section ``kpis`` reads back from summary.json (``shapes.faults``), checked when a run is read."""


def kpis(summary: dict) -> list[tuple[str, object, str | None, str]]:
    """(kpi name, value, key of its per-replication values, kind of value) of the retrofit section, for
    ``compare``; none without it."""
    retrofit = summary.get("retrofit")
    if not retrofit:
        return []
    return [("built short / yr", retrofit["short_annual"]["mean"], "retrofit.short_annual", COUNT),
            ("retrofitted / yr", retrofit["retrofits_annual"]["mean"], "retrofit.retrofits_annual", COUNT),
            ("days in retrofit", retrofit["days_mean"]["mean"], "retrofit.days_mean", DECIMAL2),
            ("retrofit area mean (cars)", retrofit["area"]["mean"]["mean"], "retrofit.area_mean", DECIMAL1),
            ("retrofit area most (cars)", retrofit["area"]["max"], None, COUNT),
            ("retrofit blocked end of line (h)", retrofit["blocked_hours"]["mean"], "retrofit.blocked_hours",
             DECIMAL1)]


def retrofit_heads(scenario: Scenario, shop: str, shift: int) -> dict[str, tuple[int, str]]:
    """{RETROFIT: (heads, driver)} on shift ``shift`` (0-based) of ``shop`` when it is the last shop, works that
    shift and the scenario has short-shipped parts; else {} (the staffing table's one call)."""
    supply = scenario.supply
    last = list(scenario.shops)[-1]
    if supply is None or supply.retrofit is None or shop != last or shift >= scenario.shops[last].shifts.count:
        return {}
    rates = plan_rates(scenario, scenario_days(scenario).working_days_per_year)
    work = sum(rate * part.share * part.retrofit_time.mean
               for kit in supply.kits.values() for part in kit.short_shipped or []
               for model, rate in rates.items() if kit.covers(model))
    last_shop = scenario.shops[last]
    return {RETROFIT: (shift_heads(work, last_shop),
                       f"{work / 3600:,.1f} retrofit h a working day over {last_shop.shifts.count} shifts")}


def _ci(values: list) -> dict:
    """Mean and 95% interval of the defined values, rounded to 3 decimals."""
    return defined_mean_ci(values, 3)
