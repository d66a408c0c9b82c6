"""CKD kit supply: the kit-supply section of the report (the stock in days of cover, stockouts and shipments per
kit and model, the kit plan rate by month) and its console tables."""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure

from ..cells import COUNT, DECIMAL1, PERCENT, TEXT, Column, Rows, cell, ci_text
from ..figures import MODEL_COLOURS, RC, new_figure, placeholder, start_date, time_axis, time_x
from ..page import figure, rows_table, safe_plot
from ..sections import Section


def _render(run) -> str:
    s = run.summary
    planned = s["supply"].get("plan_rates")
    return figure(safe_plot(inventory_plot, run, "Kit stock"), "inventory",
                  "Kits on hand in days of cover per model over time against the safety stock",
                  "Stock at the start of each day of the first replication (over a longer run than 120 days: each "
                  "week's lowest), over the plan rate "
                  + ("(the day's month's planned cars a working day of the model)" if planned
                     else "(target cars a working day of the model)") + "; inventory.csv has every replication.") + \
        rows_table(lambda: supply_rows(s)) + rows_table(lambda: route_rows(s)) + \
        (rows_table(lambda: kit_rate_rows(s), heading="Kit plan rate by month (kits a working day)")
         if planned else "")


SECTIONS = [Section("supply", "Kit supply", "Kit supply", lambda run: bool(run.summary.get("supply")), _render,
                    after="stores")]


def console(s: dict) -> list[Rows | None]:
    return [supply_rows(s), route_rows(s), kit_rate_rows(s)]


def supply_rows(s: dict) -> Rows | None:
    """Kit supply per kit and model: stock on hand and its cover, stockouts, moved launches, shipments; None
    without ``supply``."""
    supply = s.get("supply")
    if not supply:
        return None
    rows = Rows(f"Kit supply (launch look-ahead {supply['look_ahead']})", [
        Column("kit / model"), Column("taken at", short="at"), Column("on hand", COUNT, "stock"),
        Column("cover (d)", DECIMAL1, "cover"), Column("lowest", COUNT, "low"),
        Column("stockout h", DECIMAL1, "stop h"), Column("95% CI", TEXT, "CI"), Column("moved", COUNT),
        Column("shipments", COUNT, "ships"), Column("lead time (d)", DECIMAL1, "lead")])
    for name, kit in supply["kits"].items():
        rows.add([f"{name} (local)" if kit["local"] else name, kit["taken_at"]] + [None] * 8, "total")
        for model, k in kit["models"].items():
            stop = k["stockout_hours"]
            rows.add([f"  {model}", "", k["mean_on_hand"]["mean"], k["mean_cover_days"]["mean"], k["lowest_on_hand"],
                      stop["mean"], ci_text(stop, DECIMAL1), k["moved"]["mean"], k["shipments"]["mean"],
                      k["lead_time_days"]["mean"]], "hot" if stop["mean"] else "")
    points = ", ".join(f"{name} {cell(p['stockout_hours']['mean'], DECIMAL1)} h"
                       for name, p in supply["points"].items())
    value, local = supply.get("inventory_value"), supply.get("localisation_share")
    rows.caption = (f"Kit stockouts: {cell(supply['stockout_hours']['mean'], DECIMAL1)} shift hours in the window "
                    f"({points}); launches moved past a car missing a kit: "
                    f"{cell(supply['launches_moved']['mean'], COUNT)}."
                    + (f" Inventory value held: {cell(value['mean'], COUNT)} on average." if value else "")
                    + (f" Localisation by value: {cell(local['plant'], PERCENT)}." if local else "")
                    + " On hand: the mean; cover: on hand over the plan rate (days of the planned output"
                    + ("; under the monthly plan, of the moment's month" if supply.get("plan_rates") else "")
                    + "); stockout h: shift hours the point waited with this kit missing for the car it would take; "
                    "moved: cars launched ahead of one missing it; lead time: departure to arrival, realised.")
    return rows


def route_rows(s: dict) -> Rows | None:
    """Per supply route: departures, departures cancelled and disruptions (means over replications, the whole
    run); None without ``supply``."""
    supply = s.get("supply")
    if not supply:
        return None
    rows = Rows("Supply routes", [Column("route"), Column("local"), Column("departures", COUNT, "deps"),
                                  Column("cancelled", COUNT, "cancel"), Column("disruptions", DECIMAL1, "disr")])
    for name, route in supply["routes"].items():
        rows.add([name, "yes" if route["local"] else "no", route["departures"], route["cancelled"],
                  route["disruptions"]], "hot" if route["cancelled"] or route["disruptions"] else "")
    rows.caption = ("Departures on each route's timetable over the whole run (warm-up included), those cancelled, "
                    "and the disruptions that stopped the route (means over replications).")
    return rows


def kit_rate_rows(s: dict) -> Rows | None:
    """Kits a working day per model in each month under a monthly plan (the supply's ``plan_rates``); None
    without a plan."""
    rates = (s.get("supply") or {}).get("plan_rates")
    if not rates:
        return None
    models = list(rates["target"])
    rows = Rows("Kit plan rate by month (kits a working day)", [
        Column("month"), Column("working days", COUNT, "days"), Column("planned cars", COUNT, "planned")] +
        [Column(m, DECIMAL1) for m in models])
    for month, m in rates["by_month"].items():
        rows.add([month, m["working_days"], m["planned"]] + [m["kits_a_day"][model] for model in models])
    rows.add(["target"] + [None, None] + [rates["target"][model] for model in models], "total")
    rows.caption = ("Planned cars x the model's share in the month's mix ÷ working days; a month not planned: the "
                    "target (last row). An order is placed for the rate of the month it arrives in.")
    return rows


def inventory_plot(run) -> Figure:
    """Kits on hand in days of cover at the start of each day, a line per model and a panel per kit, against
    the kit's safety stock (first replication)."""
    title = "Kit stock"
    inventory = run.optional.get("inventory")
    kits = (run.summary.get("supply") or {}).get("kits") or {}
    if inventory is None or inventory.empty or not kits:
        return placeholder(title, "no samples: this run has no kit stock (inventory.csv absent or empty)")
    first = inventory[inventory["replication"] == inventory["replication"].min()]
    warmup_h = float(run.summary.get("warmup_days") or 0) * 24
    start = start_date(run)
    with matplotlib.rc_context(RC):
        fig = new_figure(11, 2.6 * len(kits) + 0.3)
        for k, (name, kit) in enumerate(kits.items()):
            ax = fig.add_subplot(len(kits), 1, k + 1)
            data = first[first["kit"] == name]
            weekly = data["day"].nunique() > DAILY_DAYS
            for m, model in enumerate(kit["models"]):
                days, cover = _cover(data[data["model"] == model], weekly)
                colour = MODEL_COLOURS[m % len(MODEL_COLOURS)]
                ax.step(time_x(days * 24.0, start), cover, where="post", color=colour, linewidth=1.1, label=model)
            plan = next(iter(kit["models"].values()))  # the safety stock is the same days of cover for every model
            safety = plan["safety_stock"] / plan["plan_rate"] if plan["plan_rate"] else None
            if safety:
                ax.axhline(safety, color="#b00000", linestyle="--", linewidth=1.1,
                           label=f"safety stock {safety:,.1f} days")
            if warmup_h > 0:
                ax.axvspan(time_x([0], start)[0], time_x([warmup_h], start)[0], color="#e6e6e6", zorder=0,
                           label="warm-up (not measured)")
            ax.set_ylim(bottom=0)
            ax.set_ylabel("days of cover")
            time_axis(ax, start, float(data["day"].max() + 1) if len(data) else 1.0)
            where = "at launch" if kit["taken_at"] == "launch" else f"entering {kit['taken_at']}"
            ax.set_title(f"{name} kits ({kit['route']}, taken {where}): "
                         + ("lowest stock of each week" if weekly else "stock at the start of each day"),
                         loc="left", fontsize=10)
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)  # beside the lines, not on them
    return fig


DAILY_DAYS = 120
"""Up to this many days a kit's stock is drawn day by day; beyond, a daily delivery's sawtooth fills the panel, so
each week's lowest stock is drawn (the figure that matters for a stockout)."""


def _cover(rows, weekly: bool):
    """(day, days of cover) of one model's kit: each day's, or each week's lowest at the week's first day."""
    rows = rows.sort_values("day")
    if weekly:
        rows = rows.assign(week=rows["day"] // 7).groupby("week", as_index=False).agg(
            day=("day", "min"), days_of_cover=("days_of_cover", "min"))
    return rows["day"].to_numpy(dtype=float), rows["days_of_cover"].to_numpy(dtype=float)
