"""Output by calendar month: the month section of the report (the plot and the table) and the month table of
the console, with the plan's columns and, under overtime, the Saturdays and hours worked."""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from ..cells import COUNT, DECIMAL1, INTERVAL, PERCENT, Column, Rows
from ..figures import MODEL_COLOURS, RC, TARGET_COLOUR, new_figure, placeholder, thin_ticks, thousands
from ..page import figure, rows_table, safe_plot
from ..sections import Section


def _shown(run) -> bool:
    """The month table and plot need two months."""
    return len((run.summary.get("months") or {}).get("by_month") or {}) >= 2


def _render(run) -> str:
    return figure(safe_plot(months_plot, run, "Month by month"), "months",
                  "Cars made per month against the plan and the target rate, and cumulative",
                  "Bars: cars finished in the month (mean of replications, 95% interval); dashed: the target rate "
                  "times the month's working days; orange marks: the monthly plan. Green from the first month at "
                  "the target rate.") + rows_table(lambda: month_rows(run.summary))


SECTIONS = [Section("months", "Months", "Month by month", _shown, _render, after="output")]


def console(s: dict) -> list[Rows | None]:
    return [month_rows(s)]


def output_caption(s: dict) -> str:
    """The output table's note on a window spanning calendar years."""
    years = (s.get("months") or {}).get("by_year", {})
    if len(years) > 1:
        return (f" A year's output: the measured window's, annualised over its working days (it spans "
                f"{', '.join(years)}); each calendar year's own is in Output by month.")
    return ""


def month_rows(s: dict) -> Rows | None:
    """Output by calendar month (and a total per year) against the plan and the target rate; None when the
    run has no dated months, or covers a single month."""
    months = s.get("months")
    if not months or len(months["by_month"]) < 2:
        return None
    planned = any("plan" in m for m in months["by_month"].values())
    overtime = s.get("overtime")
    with_ci = any(m["ci95_low"] is not None for m in months["by_month"].values())  # none from one replication
    rows = Rows("Output by month", [
        Column("month"), Column("working days", COUNT, "days"), Column("cars", COUNT)] +
        ([Column("95% CI", INTERVAL)] if with_ci else []) + [
        Column("cars / working day", DECIMAL1, "per day"), Column("rate vs target", PERCENT, "vs target")] +
        ([Column("plan", COUNT), Column("cars vs plan", PERCENT, "vs plan"), Column("cumulative gap", COUNT, "gap")]
         if planned else []) +
        ([Column("Saturdays worked", DECIMAL1, "Sat"), Column("overtime h / worker", DECIMAL1, "OT h")]
         if overtime else []))
    per_day = months["target_per_working_day"]
    short = above_capability(months)
    gap = 0.0
    for month, m in months["by_month"].items():
        values = [month, m["working_days"], m["units"]] + ([m] if with_ci else []) + [
            m["per_working_day"], m["per_working_day"] / per_day if m["per_working_day"] is not None and per_day else None]
        if planned:
            plan = m.get("plan")
            gap += m["units"] - (plan or 0)
            values += [plan, m["units"] / plan if plan else None, gap]
        if overtime:
            used = overtime["by_month"].get(month, {})
            values += [used.get("saturdays", 0), used.get("hours_per_worker", 0.0)]
        rows.add(values, "reached" if month == months["first_month_at_target_rate"] else "hot" if month in short
                 else "")
    for year, y in months["by_year"].items():
        values = [year, y["working_days"], y["units"]] + ([y] if with_ci else []) + [
            y["per_working_day"], y["per_working_day"] / per_day if y["per_working_day"] is not None and per_day else None]
        if planned:
            values += [y.get("plan"), y["units"] / y["plan"] if y.get("plan") else None, None]
        if overtime:
            values += [sum(m["saturdays"] for k, m in overtime["by_month"].items() if k.startswith(year)),
                       overtime["hours_per_worker_by_year"].get(year, 0.0)]
        rows.add(values, "total")
    first = months["first_month_at_target_rate"]
    rows.caption = (f"Target rate {per_day:,.1f} cars per working day (annual target ÷ working days a year): "
                    + (f"first reached in {first} (highlighted)." if first else "not reached in the window.")
                    + (" Cumulative gap: cars made minus cars planned so far." if planned else "")
                    + (f" Overtime: hours a worker worked (limits {overtime['limits']}); "
                       f"{overtime['cars_in_overtime']['mean']:,.0f} cars finished in overtime." if overtime else "")
                    + capability_note(months))
    return rows


def above_capability(months: dict) -> set[str]:
    """The months whose plan was above what the plant could do (a plan run as a yardstick)."""
    out = set()
    for run in months.get("plan_above_capability") or []:
        year, month = map(int, run["from"].split("-"))
        for _ in range(run["months"]):
            out.add(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def capability_note(months: dict) -> str:
    """The caption's sentence on a plan run as a yardstick: the months it was above what the plant could do."""
    runs = months.get("plan_above_capability")
    if runs is None:
        return ""
    if not runs:
        return " The plan is a yardstick (it does not cap the launch): the plant could build it in every month."
    spans = "; ".join((r["from"] if r["months"] == 1 else f"{r['from']} to {r['to']}")
                      + f" ({r['units']:,.0f} cars against {r['plan']:,.0f} planned)" for r in runs)
    return (" The plan is a yardstick (it does not cap the launch); it was above what the plant could do "
            f"(above the month's 95% interval, or its cars with one replication) in these months (red): {spans}.")


def months_plot(run) -> Figure:
    """Cars per month against the plan and the target rate (top), cumulative cars against the cumulative plan
    (bottom): the ramp-up at a glance."""
    months = run.summary.get("months")
    title = "Month by month: cars made"
    if not months or len(months["by_month"]) < 2:
        return placeholder(title, "fewer than two calendar months in the measured window")
    rows = months["by_month"]
    if any("plan" in m for m in rows.values()):
        title += " against the plan"
    labels = list(rows)
    x = np.arange(len(labels))
    units = np.array([m["units"] for m in rows.values()], dtype=float)
    low = np.array([m["ci95_low"] if m["ci95_low"] is not None else m["units"] for m in rows.values()], dtype=float)
    high = np.array([m["ci95_high"] if m["ci95_high"] is not None else m["units"] for m in rows.values()], dtype=float)
    days = np.array([m["working_days"] for m in rows.values()], dtype=float)
    plan = np.array([m.get("plan") if m.get("plan") is not None else np.nan for m in rows.values()], dtype=float)
    at_rate = months["target_per_working_day"] * days
    first = months["first_month_at_target_rate"]
    with matplotlib.rc_context(RC):
        fig = new_figure(11, 6.4)
        top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        colours = [("#59a14f" if first is not None and label >= first else MODEL_COLOURS[0]) for label in labels]
        top.bar(x, units, width=0.75, color=colours, linewidth=0, label="cars made (mean of replications)")
        if run.summary.get("replications", 1) > 1:
            top.errorbar(x, units, yerr=[units - low, high - units], fmt="none", ecolor="#333333", elinewidth=0.8,
                         capsize=2, label="95% interval")
        top.step(x, at_rate, where="mid", color=TARGET_COLOUR, linestyle="--", linewidth=1.3,
                 label=f"target rate: {months['target_per_working_day']:,.0f} cars × working days of the month")
        if np.isfinite(plan).any():
            top.plot(x, plan, marker="_", markersize=16, markeredgewidth=2.2, linestyle="none", color="#c55a11",
                     label="plan")
        top.set_ylabel("cars per month")
        thousands(top)
        note = f"target rate first reached in {first} (green)" if first else "target rate not reached in the window"
        top.set_title(f"{title}: {note}", loc="left")
        top.legend(loc="upper left", ncol=2)
        top.set_ylim(0, max(np.nanmax(high), np.nanmax(at_rate), np.nanmax(plan) if np.isfinite(plan).any() else 0)
                     * 1.3)
        bottom.plot(x, np.cumsum(units), color=MODEL_COLOURS[0], linewidth=2, label="cumulative cars made")
        if np.isfinite(plan).any():
            bottom.plot(x, np.cumsum(np.nan_to_num(plan)), color="#c55a11", linewidth=1.6, linestyle="--",
                        label="cumulative plan")
        bottom.plot(x, np.cumsum(at_rate), color=TARGET_COLOUR, linewidth=1, linestyle=":",
                    label="cumulative at target rate")
        bottom.set_ylabel("cars, cumulative")
        thousands(bottom)
        bottom.legend(loc="upper left")
        thin_ticks(bottom, labels, most=40)
        bottom.set_xlim(-0.7, len(labels) - 0.3)
    return fig
