"""From replication tables to the run's figures: pure functions, no I/O.

Annual output = completions in the measured window / working days in it
x working days per year. Every figure is a mean over replications with a 95%
Student-t interval; a single replication gets a batch-means interval over
consecutive weeks of its daily output instead.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from ..model.replication import SEQUENCE_COLUMNS, ReplicationResult
from ..model.flow.states import STATE_NAMES
from ..scenario.schema import Scenario
from ..scenario.topology import feeder_key, sent_from
from . import components
from .bottleneck import METHOD, active_shares, bottleneck
from .components import annualised
from .capacity import shop_capacity, station_capacity
from .downtime import line_outage_shares
from .headline import headline
from .losses import losses_summary
from .oee import oee_summary, oee_table, quality_rates
from .sequence_costs import colour_changes, over_cycles
from .sequence_costs import replication_values as sequence_replication_values
from .sequencing import sequencing_summary, sequencing_values
from .shifting import shifting_summary
from .spacing import spacing_summary
from .staffing import headcount, staffing_summary, workload
from .stats import batch_means_ci, mean_ci, rounded

WEEK = 5  # working days per batch for the single-replication interval


def annual_units(rep: ReplicationResult) -> float:
    """Annual output of one replication: finished cars of the window, annualised."""
    return annualised(rep, rep.scalars["completed"])


def station_table(scenario: Scenario, reps: list[ReplicationResult]) -> pd.DataFrame:
    """Mean state shares per station over replications, with static capacity beside them."""
    keys = ["shop", "station", "kind", "servers"]
    stacked = pd.concat([r.stations for r in reps])
    numeric = ["completions"] + [f"share_{s}" for s in STATE_NAMES] + \
        ["share_off_shift", "share_line_active", "downs"] + SEQUENCE_COLUMNS
    table = stacked.groupby(keys, sort=False)[numeric + ["starved_by_share"]].mean().reset_index()
    table.insert(3, "line", stacked.groupby(keys, sort=False)["line"].first().to_numpy())
    # the feeder that held a join longest, in most replications
    table.insert(table.columns.get_loc("starved_by_share"), "starved_by", stacked.groupby(keys, sort=False)[
        "starved_by"].agg(lambda s: s.mode().iloc[0] if s.notna().any() else None).to_numpy())
    table["active_share"] = active_shares(table)
    static = station_capacity(scenario)
    static = static[["shop", "station", "mix_cycle_s", "ideal_cycle_s", "availability", "visits_per_car",
                     "cars_per_hour", "ideal_cars_per_hour"] +
                    [c for c in static.columns if c.startswith("visits_") and c != "visits_per_car"]]
    table = table.merge(static.rename(columns={"cars_per_hour": "static_cars_per_hour"}),
                        on=["shop", "station"], how="left")
    return table


def buffer_table(reps: list[ReplicationResult]) -> pd.DataFrame:
    stacked = pd.concat([r.buffers for r in reps])
    table = stacked.groupby(["shop", "buffer"], sort=False).agg(
        kind=("kind", "first"), capacity=("capacity", "first"), mean_level=("mean_level", "mean"), max_level=("max_level", "max"),
        share_full=("share_full", "mean"), share_empty=("share_empty", "mean")).reset_index()
    return table


def throughput_table(reps: list[ReplicationResult]) -> pd.DataFrame:
    """Long table: replication, day, date, model, market, units."""
    frames = []
    for rep in reps:
        daily = rep.daily
        ids = [c for c in ("day", "date") if c in daily.columns]
        long = daily.melt(id_vars=ids, var_name="model_market", value_name="units")
        long[["model", "market"]] = long["model_market"].str.rsplit("|", n=1, expand=True)
        long.insert(0, "replication", rep.replication)
        frames.append(long.drop(columns="model_market"))
    return pd.concat(frames, ignore_index=True)


def _annual(reps: list[ReplicationResult], count) -> dict:
    """Mean and CI of an annualised count (a function of one replication)."""
    values = [annualised(r, count(r)) for r in reps]
    return rounded(mean_ci(values), 3)


def _annual_units(reps: list[ReplicationResult], stationary: bool = True) -> dict:
    """Mean and CI of the annual output; one replication of a stationary plant gets a batch-means interval,
    one of a ramp-up or a plan (output changing by design from week to week) none."""
    if len(reps) > 1 or not stationary:
        return _annual(reps, lambda r: r.scalars["completed"])
    rep = reps[0]
    daily = rep.daily.drop(columns=[c for c in ("day", "date") if c in rep.daily.columns]).sum(axis=1)
    batch = batch_means_ci(daily.to_numpy(), WEEK, rep.scalars["working_days_per_year"])
    point = annual_units(rep)
    if batch is None:
        return rounded({"mean": point, "ci95_low": None, "ci95_high": None, "n": 1}, 3)
    half = (batch["ci95_high"] - batch["ci95_low"]) / 2
    return rounded({"mean": point, "ci95_low": point - half, "ci95_high": point + half, "n": 1,
                    "ci_method": f"batch means over {WEEK}-day batches of one replication"}, 3)


def summarise(scenario: Scenario, reps: list[ReplicationResult], seed: int,
              stations: pd.DataFrame | None = None, throughput: pd.DataFrame | None = None) -> dict:
    """The run's summary.json content (deterministic for a scenario and seed); ``stations`` and ``throughput``:
    the run's tables when the caller has them already."""
    stations = station_table(scenario, reps) if stations is None else stations
    throughput = throughput_table(reps) if throughput is None and scenario.calendar.dated else throughput
    first = reps[0].scalars
    per_year = first["working_days_per_year"]
    mature = not scenario.ramping  # a ramp's output is not a loss of the mature plant
    annual = _annual_units(reps, stationary=mature)
    target = scenario.target
    capacity = station_capacity(scenario)
    static = shop_capacity(scenario, per_year, capacity)
    plant_static = min(s["annual_units"] for s in static.values())
    lead = np.concatenate([r.lead_times for r in reps]) if reps else np.array([])
    by_market = {m: _annual(reps, lambda r, m=m: r.scalars["by_market"][m]) for m in ("export", "domestic")}
    by_model = {n: _annual(reps, lambda r, n=n: r.scalars["by_model"][n]) for n in scenario.model_names}
    jph = {shop: mean_ci([r.scalars["shop_exits"][shop] / r.scalars["shop_hours"][shop] for r in reps])
           for shop in scenario.shops}
    export_share = [r.scalars["by_market"]["export"] / max(1, r.scalars["completed"]) for r in reps]
    winners = [_resource(bottleneck(r.stations)) for r in reps]
    found = bottleneck(stations)
    quality = {shop: {"inspected": int(sum(r.scalars["inspections"][shop]["inspected"] for r in reps)),
                      "failed": int(sum(r.scalars["inspections"][shop]["failed"] for r in reps))}
               for shop in reps[0].scalars["inspections"]}
    run = components.Replications(scenario, reps, stations, throughput)
    losses = losses_summary(scenario, reps, stations, capacity)
    oee = oee_table(scenario, stations, quality_rates(quality, scenario.shops),
                    {shop: float(np.mean([r.scalars["shop_exits"][shop] for r in reps])) for shop in scenario.shops},
                    {shop: float(np.mean([r.scalars["shop_hours"][shop] for r in reps])) for shop in scenario.shops},
                    first["window_hours"] * 3600.0, line_outage_shares(run.figures("downtime"), reps))
    summary = {
        "scenario": scenario.name,
        "description": scenario.description,
        "seed": seed,
        "replications": len(reps),
        "simulated_days": first["measured_days"],
        "warmup_days": scenario.horizon.warmup_days,
        "working_days_in_window": first["working_days"],
        "working_days_per_year": per_year,
        "throughput": {
            "annual_units": annual,
            "by_model": {name: ci["mean"] for name, ci in by_model.items()},
            "by_model_ci": by_model,
            "by_market": {m: v["mean"] for m, v in by_market.items()},
            "by_market_ci": by_market,
            "export_share": round(float(np.mean(export_share)), 4),
            "scrapped_annual": _annual(reps, lambda r: r.scalars["scrapped"])["mean"],
        },
        "target": {
            "annual_units": target.annual_units,
            "export_share": target.export_share,
            "attainment": round(annual["mean"] / target.annual_units, 4),
            "met": bool(annual["mean"] >= target.annual_units),
            "met_with_95_confidence": bool(annual["ci95_low"] is not None and annual["ci95_low"] >= target.annual_units),
        },
        "jph": {shop: round(ci["mean"], 3) for shop, ci in jph.items()},
        "jph_ci": {shop: rounded(ci, 3) for shop, ci in jph.items()},
        "bottleneck": {**found, "method": METHOD,
                       "share_of_replications": round(winners.count(_resource(found)) / len(reps), 3)},
        "shifting_bottleneck": shifting_summary([r.shifting for r in reps]) if all(
            r.shifting is not None for r in reps) else None,
        "lead_time_hours": {
            "mean": round(float(lead.mean()), 3) if lead.size else None,
            "p95": round(float(np.percentile(lead, 95)), 3) if lead.size else None,
        },
        "wip_mean": round(float(np.mean([r.scalars["wip_mean"] for r in reps])), 3),
        "static_capacity": {shop: round(v["annual_units"], 1) for shop, v in static.items()},
        "static_capacity_detail": {shop: {k: (round(x, 3) if isinstance(x, float) else x) for k, x in v.items()}
                                   for shop, v in static.items()},
        "dynamic_loss": round(1.0 - annual["mean"] / plant_static, 4) if plant_static > 0 and mature else None,
        "losses": {k: v for k, v in losses.items() if k != "values"},
        "quality": quality,
        "oee": oee_summary(oee),
        "feeders": _feeders(scenario, reps),
        **({"sequence": spacing_summary(scenario, reps)} if scenario.product.spacing else {}),
        **({"sequencing": sequencing_summary(reps)} if any(s.sort for s in scenario.stores) else {}),
        "colour_changes": colour_changes(scenario, reps, stations),
        "over_cycles": over_cycles(scenario, reps, stations),
        "staffing": staffing_summary(scenario, headcount(scenario), annual["mean"], per_year,
                                     workload(scenario, per_year)),
        "labour_pools": _pools(reps),
        **components.summaries(run),
        "replication_values": {**_replication_values(scenario, reps, capacity), **sequencing_values(reps),
                               **losses["values"],
                               **components.values(run)},
        "warnings": _warnings(reps) + _no_output(reps, static) + components.warnings(run),
    }
    answer = headline(scenario, summary)
    keys = list(summary)  # the answer first, after what was run
    cut = keys.index("working_days_per_year") + 1
    return {**{k: summary[k] for k in keys[:cut]}, "headline": answer, **{k: summary[k] for k in keys[cut:]}}


def _feeders(scenario: Scenario, reps: list[ReplicationResult]) -> dict:
    """Per feeder ('shop.feeder'): how its parts are supplied, where they join, and the share of the join's
    shift time spent waiting for them (mean and CI over replications)."""
    out = {}
    for shop_name, shop in scenario.shops.items():
        for name, feeder in shop.feeders.items():
            key = feeder_key(shop_name, name)
            wait = rounded(mean_ci([r.scalars["feeder_waits"][key] for r in reps]), 5)
            out[key] = {"supply": feeder.supply, "joins": feeder.joins, "from": sent_from(shop, feeder),
                        "join_wait_share": wait}
    return out


def _warnings(reps: list[ReplicationResult]) -> list[str]:
    out = []
    jammed = [r.replication for r in reps if r.scalars["deadlocked"]]
    if jammed:
        out.append(f"replications {jammed} jammed: every station waits on another (a full loop of finite "
                   "buffers, or a join waiting for a part that nothing will make); enlarge the buffers in the loop, "
                   "or check the feeders' call-offs")
    return out


def _no_output(reps: list[ReplicationResult], static: dict) -> list[str]:
    """Why a run finished no car at all, from the hand calculation: a figure of zero needs a reason."""
    if any(r.scalars["completed"] for r in reps):
        return []
    shop, slowest = min(static.items(), key=lambda item: item[1]["cars_per_hour"])
    first = reps[0].scalars
    hours = first["shop_hours"][shop]
    reason = (f"{shop}.{slowest['limiting_station']} makes {slowest['cars_per_hour']:.3g} finished cars per shift hour "
              f"and the window holds {hours:,.1f} shift hours of {shop}")
    if first["launched_total"] == 0:
        reason += "; no car was launched"
    elif first["scrapped_total"]:
        reason += f"; {first['scrapped_total']} cars were scrapped"
    return [f"no car finished in the measured window: {reason}. A longer horizon or warm-up, or faster times, "
            "are needed for an output figure"]


def _resource(found: dict) -> tuple:
    """A bottleneck's identity: a paced line counts as one resource whichever station is slowest."""
    return found["shop"], found["line"] or found["station"]


def _replication_values(scenario: Scenario, reps: list[ReplicationResult], capacity: pd.DataFrame) -> dict:
    """Per-replication KPIs, in replication order, for paired comparisons between runs."""
    values = {"annual_units": [round(annual_units(r), 3) for r in reps]}
    for name in scenario.model_names:
        values[f"by_model.{name}"] = [round(annualised(r, r.scalars["by_model"][name]), 3) for r in reps]
    for market in ("export", "domestic"):
        values[f"by_market.{market}"] = [round(annualised(r, r.scalars["by_market"][market]), 3) for r in reps]
    for shop in scenario.shops:
        values[f"jph.{shop}"] = [round(r.scalars["shop_exits"][shop] / r.scalars["shop_hours"][shop], 4) for r in reps]
    static = capacity[["shop", "station", "mix_cycle_s", "ideal_cycle_s", "availability", "cars_per_hour",
                       "ideal_cars_per_hour"]]
    for r in reps:  # each replication's own OEE, for paired comparisons
        table = r.stations.merge(static.rename(columns={"cars_per_hour": "static_cars_per_hour"}),
                                 on=["shop", "station"], how="left")
        oee = oee_table(scenario, table, quality_rates(r.scalars["inspections"], scenario.shops),
                        r.scalars["shop_exits"], r.scalars["shop_hours"], r.scalars["window_hours"] * 3600.0,
                        line_outage_shares(None if "downtime" not in r.figures else [r.figures["downtime"]], [r]))
        for row in oee[oee["level"] == "shop"].itertuples():
            values.setdefault(f"oee.{row.shop}", []).append(None if row.oee != row.oee else round(row.oee, 5))
    values["lead_time_hours.mean"] = [round(float(r.lead_times.mean()), 3) if r.lead_times.size else None
                                      for r in reps]
    values.update(sequence_replication_values(scenario, reps))
    return values


def _pools(reps: list[ReplicationResult]) -> dict:
    """Per labour pool, means over replications: operators present, utilisation, hours stations waited."""
    stacked = pd.concat([r.pools for r in reps], ignore_index=True)
    out = {}
    for (shop, pool), rows in stacked.groupby(["shop", "pool"], sort=False):
        out[pool] = {"shop": shop, "size": rows["size"].iloc[0],
                     "mean_present": round(float(rows["mean_present"].mean()), 3),
                     "utilisation": round(float(rows["utilisation"].mean()), 4),
                     "station_wait_hours": round(float(rows["labour_wait_s"].mean()) / 3600.0, 2),
                     "cars_served": round(float(rows["cars_served"].mean()), 1)}
    return out
