"""Kit supply figures of a run, the CKD logistics labour the kits make, and the localisation share.

From the replications' ``supply`` figures (``model.supply.Supply.results``): per kit and model the mean
and lowest stock on hand, its mean days of cover, the stockout hours (shift hours of the consuming shop in
the measured window during which the point was held with this kit missing), holds, launches moved past a
car missing it, shipments and their realised lead time, and the inventory value; per consumption point
its stockout hours (with any kit missing); per route its departures, cancelled departures and disruptions.
Each is a mean with a 95% t interval over replications (``stats.defined_mean_ci``). Days of cover are over the
plan rate; under a monthly plan, over the rate of the moment's month (``model.kit_levels``).

Computed from the scenario alone (no simulation):

* **Levels** per kit and model at the target rate (plan rate, safety stock, order level), the kits on hand
  at the start, and under a monthly plan each month's kits a working day per model (``plan_rates``).
* **CKD logistics heads** per shift of each consuming shop (the launch's kits: the first shop's) =
  ceil(work a shift / (net shift hours x ``staffing.logistics_utilisation``)), work a shift = the sum over the
  handling activities (``Handling.units``) of units a shift x time per unit: containers (unloading, empty
  packaging, other container work), kits (unpacking, other kit work), parts (sorting and storing, kitting and
  sequencing) and line-side deliveries (parts / parts per delivery); kits a shift = the plan rate (kits a
  working day at the target: the crews of the plant at its rate) / the shop's shift count, containers =
  kits / kits per container; summed over the kits and models taken in that shop, rounded up once.
* **Localisation share by value** per model = value of its kits on local routes / value of all its kits
  (when every kit gives a value); the plant's is the mix-weighted share of the value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..scenario.days import scenario_days
from ..scenario.kit_levels import MonthlyLevels, PlanRates, consuming_shop, kit_plan, plan_rates
from ..scenario.plan import horizon_months, planned_volume, working_days_of
from ..scenario.schema import Scenario
from .kinds import DECIMAL1
from .shapes import optional_number
from .stats import defined_mean_ci

CKD_LOGISTICS = "CKD logistics"
"""The staffing role of the kits' handling work (``staffing.headcount``)."""
KIT_FIGURES = (("mean_on_hand", 1), ("min_on_hand", 1), ("mean_cover_days", 2), ("stockout_hours", 2),
               ("holds", 2), ("moved", 2), ("shipments", 2), ("lead_time_days", 2), ("inventory_value", 0))
"""Figures per kit and model, with the digits the summary keeps."""
POINT_FIGURES = (("stockout_hours", 2), ("holds", 2), ("moved", 2))
INVENTORY_COLUMNS = ["replication", "day", "date", "kit", "model", "on_hand", "days_of_cover"]


def _working_days_per_year(scenario: Scenario) -> float:
    return scenario_days(scenario).working_days_per_year


def summary(run) -> dict | None:
    """The run's ``supply`` section: the plant's figures, per point, per kit and model (with its plan), per route;
    None without ``supply``."""
    figures, reps, scenario = run.figures("supply"), run.reps, run.scenario
    if figures is None:
        return None
    spec = scenario.supply
    per_year = reps[0].scalars["working_days_per_year"]
    rates = PlanRates(scenario, per_year)
    kits = {}
    for name, kit in spec.kits.items():
        models = {}
        route = spec.routes[kit.route]
        for model, first in figures[0].kits[name].items():
            plan = kit_plan(kit, route, rates.target[model], per_year)
            initial = MonthlyLevels(kit, route, model, rates, per_year).initial() if rates.monthly else plan.initial
            models[model] = {
                "plan_rate": round(plan.rate, 3), "safety_stock": round(plan.safety, 1),
                "order_level": round(plan.level, 1), "initial": initial,
                **{key: defined_mean_ci([f.kits[name][model][key] for f in figures], digits)
                   for key, digits in KIT_FIGURES},
                "lowest_on_hand": min(f.kits[name][model]["min_on_hand"] for f in figures),
            }
        kits[name] = {"route": kit.route, "taken_at": kit.taken_at, "local": spec.routes[kit.route].local,
                      "policy": kit.order.policy, "lot": kit.lot, "value": kit.value, "models": models}
    points = {name: {"shop": info["shop"],
                     **{key: defined_mean_ci([f.points[name][key] for f in figures], digits)
                        for key, digits in POINT_FIGURES}}
              for name, info in figures[0].points.items()}
    routes = {name: {"local": route.local,
                     **{key: round(float(sum(f.routes[name][key] for f in figures)) / len(figures), 2)
                        for key in ("departures", "cancelled", "disruptions")}}
              for name, route in spec.routes.items()}
    values = [f.inventory_value for f in figures]
    return {
        "look_ahead": spec.look_ahead,
        "stockout_hours": defined_mean_ci([f.stockout_hours for f in figures], 2),
        "launches_moved": defined_mean_ci([f.launches_moved for f in figures], 2),
        "inventory_value": defined_mean_ci(values, 0) if all(v is not None for v in values) else None,
        "localisation_share": localisation_share(scenario),
        "points": points, "kits": kits, "routes": routes,
        **({"plan_rates": plan_rates_by_month(scenario, rates)} if rates.monthly else {}),
    }


def plan_rates_by_month(scenario: Scenario, rates: PlanRates) -> dict:
    """The supply section's ``plan_rates`` under a monthly plan: per month of the horizon its working days, the
    cars planned (None: not planned, the target rate holds) and each model's kits a working day."""
    planned, months = planned_volume(scenario), {}
    for month in horizon_months(scenario):
        months[month] = {"working_days": working_days_of(scenario, month), "planned": planned.get(month),
                         "kits_a_day": {model: round(rates.rate(model, month), 3) for model in scenario.model_names}}
    return {"target": {model: round(rate, 3) for model, rate in rates.target.items()}, "by_month": months}


def values(run) -> dict:
    """Per-replication values for paired comparisons: the plant's kit stockout hours and moved launches."""
    figures = run.figures("supply")
    if figures is None:
        return {}
    return {"supply.stockout_hours": [round(f.stockout_hours, 3) for f in figures],
            "supply.launches_moved": [f.launches_moved for f in figures]}


CHECKS = (("stockout_hours.mean", optional_number), ("launches_moved.mean", optional_number))
"""The keys of the section ``kpis`` reads back from summary.json (``shapes.faults``), checked when a run is read."""


def kpis(summary: dict) -> list[tuple[str, object, str, str]]:
    """(kpi name, value, key of its per-replication values, kind) of the supply section, for ``compare``; none
    without it."""
    supply = summary.get("supply")
    if not supply:
        return []
    return [("kit stockout hours", supply["stockout_hours"]["mean"], "supply.stockout_hours", DECIMAL1),
            ("launches moved (look-ahead)", supply["launches_moved"]["mean"], "supply.launches_moved", DECIMAL1)]


def tables(run) -> dict[str, pd.DataFrame]:
    """The run's optional tables of kit supply (``RunResult.optional``): inventory.csv; none without supply."""
    return {} if run.figures("supply") is None else {"inventory": inventory_table(run.scenario, run.reps)}


def inventory_table(scenario: Scenario, reps: list) -> pd.DataFrame:
    """inventory.csv: per replication, day, kit and model the stock on hand at the start of the day and its
    days of cover at the plan rate (under a monthly plan: the rate of the day's month; date when the calendar is
    dated)."""
    rates = PlanRates(scenario, reps[0].scalars["working_days_per_year"])
    frames = []
    for rep in reps:
        daily = pd.DataFrame(rep.figures["supply"].daily)
        daily.insert(0, "replication", rep.replication)
        frames.append(daily)
    table = pd.concat(frames, ignore_index=True)
    start = scenario.calendar.start_date if scenario.calendar.dated else None
    table["date"] = [None] * len(table) if start is None else \
        (pd.Timestamp(start) + pd.to_timedelta(table["day"], unit="D")).dt.strftime("%Y-%m-%d")
    if rates.monthly:  # a plan needs a dated calendar
        rate = pd.Series([rates.rate(model, date[:7]) for model, date in zip(table["model"], table["date"])],
                         index=table.index, dtype=float)
    else:
        rate = table["model"].map(rates.target)
    table["days_of_cover"] = (table["on_hand"] / rate.where(rate > 0)).round(3)  # a model the plan does not build: none
    return table[INVENTORY_COLUMNS]


@dataclass
class LogisticsLoad:
    """The CKD logistics work of the kits one shop takes, a working day at the plan rate."""
    containers: float = 0.0
    kits: float = 0.0
    parts: float = 0.0
    seconds: float = 0.0
    by_activity: dict[str, float] = field(default_factory=dict)
    """Seconds a working day per handling activity (``Handling.units``)."""

    def add(self, kits: float, containers: float, handling) -> None:
        self.kits += kits
        self.containers += containers
        self.parts += kits * (handling.parts or 0)
        for activity, (units, each) in handling.units(kits, containers).items():
            self.by_activity[activity] = self.by_activity.get(activity, 0.0) + units * each
            self.seconds += units * each


def logistics_loads(scenario: Scenario) -> dict[str, LogisticsLoad]:
    """Per consuming shop, the handling work of its kits a working day at the plan rate (kits a working day at the
    target); shops whose kits give no handling are left out."""
    if scenario.supply is None:
        return {}
    rates = plan_rates(scenario, _working_days_per_year(scenario))
    loads: dict[str, LogisticsLoad] = {}
    for kit in scenario.supply.kits.values():
        if kit.handling is None:
            continue
        load = loads.setdefault(consuming_shop(scenario, kit.taken_at), LogisticsLoad())
        for model, rate in rates.items():
            if kit.covers(model):
                load.add(rate, rate / kit.per_container_for(model), kit.handling)
    return loads


def logistics_heads(scenario: Scenario) -> dict[str, int]:
    """CKD logistics heads on each shift of each consuming shop (see the module's docstring)."""
    return {shop: shift_heads(load.seconds, scenario.shops[shop], scenario.staffing.logistics_utilisation)
            for shop, load in logistics_loads(scenario).items()}


def shift_heads(seconds_a_day: float, shop, utilisation: float = 1.0) -> int:
    """Heads on each shift of a shop for a day's work spread over its shifts: ceil(work a shift / (net shift
    seconds x allowed utilisation))."""
    return int(math.ceil(seconds_a_day / shop.shifts.count / (shop.shifts.net_seconds * utilisation) - 1e-9))


def logistics_driver(load: LogisticsLoad) -> str:
    """The drivers of a shop's CKD logistics heads, for the headcount table."""
    text = f"{load.containers:,.1f} containers, {load.kits:,.0f} kits"
    if load.parts:
        text += f", {load.parts:,.0f} parts"
    return text + f" a day: {load.seconds / 3600.0:,.0f} h a day (" + \
        ", ".join(f"{name} {sec / 3600.0:,.0f} h" for name, sec in load.by_activity.items()) + ")"


def localisation_share(scenario: Scenario) -> dict | None:
    """Share of each model's kit value sourced locally, and the plant's (mix-weighted by value); None unless
    every kit gives a value."""
    supply = scenario.supply
    if supply is None or any(kit.value is None for kit in supply.kits.values()):
        return None
    local, total = {}, {}
    for kit in supply.kits.values():
        for model in scenario.model_names:
            if kit.covers(model):
                total[model] = total.get(model, 0.0) + kit.value
                if supply.routes[kit.route].local:
                    local[model] = local.get(model, 0.0) + kit.value
    shares = scenario.product.shares
    plant_total = sum(shares[m] * total[m] for m in total)
    return {"by_model": {m: round(local.get(m, 0.0) / total[m], 4) if total[m] else None for m in total},
            "plant": round(sum(shares[m] * local.get(m, 0.0) for m in total) / plant_total, 4) if plant_total else None}
