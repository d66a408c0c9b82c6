"""Outbound figures of a run: cars shipped from the finished-car yard, how long they waited, how full the yard
was and how long it held the end of line (``model.components.outbound``).

Per replication the yard counts the measured window (``Yard.figures``: an ``OutboundFigures`` record): cars shipped by destination (the
domestic cars by truck, each export destination by train) and model; days from end of line to shipment
(mean and 95th percentile, per destination and market); cars waiting in each queue (time-weighted mean,
and the most at once); the yard's level (mean, most, share of the time full); the shift hours of the last
shop in which a full yard held a finished car on the end of line.

The run's ``outbound`` section gives each figure's mean with a 95% t interval over replications
(``stats.mean_ci``; figures undefined in a replication, such as the days of a destination that shipped
nothing, are left out). Shipped cars are annualised as the plant's output is (``components.annualised``).
The section is there only with ``outbound`` in the scenario, so other scenarios keep their summary.
"""

from __future__ import annotations

import pandas as pd

from .components import annualised
from .shapes import optional_number
from .kinds import COUNT, DECIMAL1, DECIMAL2, PERCENT
from .stats import defined_mean_ci

DESTINATION_FIGURES = ("days_mean", "days_p95", "waiting_mean", "waiting_max")
"""Per destination, besides the cars shipped: days from end of line to shipment (mean, 95th percentile), cars
waiting in its queue (time-weighted mean, most at once)."""


def summary(run) -> dict | None:
    """The run's ``outbound`` section (None without ``outbound``)."""
    figures, reps, scenario = run.figures("outbound"), run.reps, run.scenario
    if figures is None:
        return None
    first = figures[0]
    last_shop = list(scenario.shops)[-1]

    def annual(count) -> dict:
        return _ci([annualised(r, count(f)) for f, r in zip(figures, reps)])

    destinations = {}
    for name, d in first.destinations.items():
        destinations[name] = {
            "market": d["market"],
            "shipped_annual": annual(lambda f, name=name: sum(f.destinations[name]["shipped"].values())),
            "by_model": {model: _ci([annualised(r, f.destinations[name]["shipped"][model])
                                     for f, r in zip(figures, reps)])["mean"] for model in d["shipped"]},
            **{k: _ci([f.destinations[name][k] for f in figures]) for k in DESTINATION_FIGURES},
            "carriers": _ci([f.destinations[name]["carriers"] for f in figures]),
            "fill": _ci([_fill(f.destinations[name]) for f in figures]),
        }
    markets = {market: {"shipped_annual": annual(lambda f, m=market: f.markets[m]["shipped"]),
                        "days_mean": _ci([f.markets[market]["days_mean"] for f in figures]),
                        "days_p95": _ci([f.markets[market]["days_p95"] for f in figures])}
               for market in first.markets}
    models = list(next(iter(first.destinations.values()))["shipped"])
    return {
        "yard_capacity": first.capacity,
        "shipped_annual": annual(lambda f: f.shipped),
        "markets": markets,
        "destinations": destinations,
        "by_model": {model: annual(lambda f, m=model: sum(d["shipped"][m] for d in f.destinations.values()))
                     for model in models},
        "yard": {"mean": _ci([f.yard["mean"] for f in figures]),
                 "max": max(f.yard["max"] for f in figures),
                 "share_full": _ci([f.yard["share_full"] for f in figures])},
        "blocked_hours": _ci([f.blocked_hours for f in figures]),
        "blocked_share": _ci([f.blocked_hours / r.scalars["shop_hours"][last_shop] if
                              r.scalars["shop_hours"][last_shop] > 0 else None for f, r in zip(figures, reps)]),
        "blocks": _ci([f.blocks for f in figures]),
        "in_yard_end": _ci([f.in_yard_end for f in figures]),
    }


def _fill(destination: dict) -> float | None:
    """Share of the places its carriers offered in the window that cars took (None: no carrier came)."""
    offered = destination["places_offered"]
    return sum(destination["shipped"].values()) / offered if offered else None


def values(run) -> dict:
    """Per-replication values for paired comparisons (``outbound.<figure>``); empty without ``outbound``."""
    figures, reps = run.figures("outbound"), run.reps
    if figures is None:
        return {}
    values = {"outbound.shipped_annual": [round(annualised(r, f.shipped), 3) for f, r in zip(figures, reps)]}
    for market in figures[0].markets:
        values[f"outbound.shipped_annual.{market}"] = [
            round(annualised(r, f.markets[market]["shipped"]), 3) for f, r in zip(figures, reps)]
        values[f"outbound.days_mean.{market}"] = [_round(f.markets[market]["days_mean"]) for f in figures]
    values["outbound.blocked_hours"] = [round(f.blocked_hours, 3) for f in figures]
    values["outbound.yard_mean"] = [round(f.yard["mean"], 3) for f in figures]
    return values


def warnings(run) -> list[str]:
    """What a planner must know about the yard: it held the end of line when the run ended, or some cars had no
    carrier at all in the window; empty without ``outbound``."""
    figures, reps = run.figures("outbound"), run.reps
    if figures is None:
        return []
    out = []
    full = [r.replication for f, r in zip(figures, reps) if f.blocked_at_end]
    if full:
        out.append(f"the finished-car yard was full at the end of replications {full}, a finished car waiting on the "
                   "end of line for a place: the trucks and trains carry fewer cars than the plant makes (outbound)")
    for name, d in figures[0].destinations.items():
        stranded = [r.replication for f, r in zip(figures, reps) if f.destinations[name]["carriers"] == 0
                    and f.destinations[name]["waiting_max"] > 0]
        if stranded:
            carrier = "truck" if d["market"] == "domestic" else "train"
            out.append(f"no {carrier} came for the {name} cars in the window of replications {stranded}: they stay "
                       "in the yard (outbound)")
    return out


CHECKS = (
    ("shipped_annual.mean", optional_number),
    ("markets.*.shipped_annual.mean", optional_number),
    ("markets.*.days_mean.mean", optional_number),
    ("blocked_hours.mean", optional_number),
    ("yard.mean.mean", optional_number),
    ("yard.share_full.mean", optional_number),
)
"""The keys of the section ``kpis`` reads back from summary.json (``shapes.faults``), checked when a run is read."""


def kpis(summary: dict) -> list[tuple[str, object, str, str]]:
    """(kpi name, value, key of its per-replication values, kind of value) of the outbound section, for
    ``compare``; none without it."""
    outbound = summary.get("outbound")
    if not outbound:
        return []
    rows = [("shipped / yr", outbound["shipped_annual"]["mean"], "outbound.shipped_annual", COUNT)]
    rows += [(f"shipped {market} / yr", m["shipped_annual"]["mean"], f"outbound.shipped_annual.{market}", COUNT)
             for market, m in outbound["markets"].items()]
    rows += [(f"days to shipment {market}", m["days_mean"]["mean"], f"outbound.days_mean.{market}", DECIMAL2)
             for market, m in outbound["markets"].items()]
    rows.append(("yard blocked end of line (h)", outbound["blocked_hours"]["mean"], "outbound.blocked_hours",
                 DECIMAL1))
    rows.append(("yard mean (cars)", outbound["yard"]["mean"]["mean"], "outbound.yard_mean", COUNT))
    rows.append(("yard full", outbound["yard"]["share_full"]["mean"], None, PERCENT))
    return rows


def tables(run) -> dict[str, pd.DataFrame]:
    """The run's outbound tables, written as <name>.csv; none without ``outbound``.

    outbound: a row per replication and destination (window figures: cars shipped, per model and in all, days
    from end of line to shipment, cars waiting, carriers that came and the places they offered);
    yard_levels: the yard's level on every hour of each replication (time_h from the start of the run)."""
    figures = run.figures("outbound")
    if figures is None:
        return {}
    rows, levels = [], []
    for f, r in zip(figures, run.reps):
        for name, d in f.destinations.items():
            rows.append({"replication": r.replication, "market": d["market"], "destination": name,
                         "shipped": sum(d["shipped"].values()),
                         **{f"shipped|{model}": n for model, n in d["shipped"].items()},
                         **{k: d[k] for k in DESTINATION_FIGURES},
                         "carriers": d["carriers"], "places_offered": d["places_offered"]})
        levels.append(f.levels.assign(replication=r.replication)[["replication", "time_h", "level"]])
    return {"outbound": pd.DataFrame(rows), "yard_levels": pd.concat(levels, ignore_index=True)}


def _ci(values: list) -> dict:
    """Mean and 95% interval of the defined values, rounded to 3 decimals (n: how many were defined)."""
    return defined_mean_ci(values, 3)


def _round(value):
    return round(value, 3) if isinstance(value, float) else value
