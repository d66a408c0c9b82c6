"""Plots of a run (and of several runs) for the HTML report.

Every function returns a matplotlib ``Figure`` built without pyplot (no global
state, no display needed); ``svg_data_uri`` turns it into an ``<img>`` source
that needs no file, no network and no script. Station states have the same
colours and labels in every plot: the model's table of states (``states``).
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..analysis.months import dated as has_dates
from ..scenario.topology import all_stations
from ..scenario.topology import off_line as off_line_stations
from .states import state_colour, state_columns, state_label

# ---------------------------------------------------------------- colours and labels

MODEL_COLOURS = ("#4e79a7", "#f1a340", "#76b7b2", "#b07aa1", "#9c755f", "#59a14f", "#edc948", "#ff9da7")
RUN_COLOURS = ("#1f4e79", "#c55a11", "#2e8b57", "#7030a0", "#b8860b", "#2e75b6", "#8b0000", "#556b2f")
SHIFT_COLOURS = ("#3b6ea5", "#e08a2e", "#6a9f58", "#8e6bb8")
TARGET_COLOUR = "#222222"

_RC = {
    "svg.hashsalt": "sim-report",  # reproducible ids: the same run gives the same page
    "svg.fonttype": "path",  # glyphs as paths: the page looks the same without the fonts installed
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
}


# ---------------------------------------------------------------- embedding


def new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def svg_data_uri(fig: Figure) -> str:
    """The figure as an SVG data URI for ``<img src=...>`` (one image per document: no clashing ids)."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def placeholder(title: str, message: str, width: float = 10.0, height: float = 1.6) -> Figure:
    """A figure that says why there is nothing to plot (so the page keeps its layout)."""
    with matplotlib.rc_context(_RC):
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(title, loc="left")
        ax.text(0.5, 0.45, message, ha="center", va="center", fontsize=11, color="#666666",
                transform=ax.transAxes)
    return fig


def _thousands(ax, axis: str = "y") -> None:
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _percent(ax, axis: str = "x") -> None:
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:.0f}%")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


# ---------------------------------------------------------------- output per day / week


def output_periods(throughput: pd.DataFrame, weekly: bool | None = None) -> tuple[pd.DataFrame, pd.Series, str]:
    """Mean units per period (rows) and model (columns) over replications, working days per period, period name.

    Daily for windows of up to 60 working days, weekly beyond (``weekly`` forces one or the other).
    Weeks run Monday to Sunday on a dated calendar, else in 7-day blocks from the first measured day.
    """
    tp = throughput.copy()
    days = tp["day"].drop_duplicates().sort_values()
    if weekly is None:
        weekly = len(days) > 60
    dated = has_dates(tp)
    if dated:
        tp["date"] = pd.to_datetime(tp["date"])
    if not weekly:
        tp["period"] = tp["date"] if dated else tp["day"]
    elif dated:
        tp["period"] = tp["date"] - pd.to_timedelta(tp["date"].dt.weekday, unit="D")
    else:
        tp["period"] = (tp["day"] - int(days.iloc[0])) // 7
    n_rep = max(1, tp["replication"].nunique())
    units = tp.pivot_table(index="period", columns="model", values="units", aggfunc="sum", fill_value=0) / n_rep
    first = tp[tp["replication"] == tp["replication"].min()]
    working = first.groupby("period")["day"].nunique().reindex(units.index).fillna(0)
    return units, working, ("week" if weekly else "working day")


def _period_labels(index: pd.Index, period: str, dated: bool) -> list[str]:
    if dated:
        return [f"{d:%d %b}" if period == "week" else f"{d:%a %d %b}" for d in pd.to_datetime(index)]
    if period == "week":
        return [f"week {int(w) + 1}" for w in index]
    return [f"day {int(d)}" for d in index]


def _thin_ticks(ax, labels: list[str], most: int = 26, rotate: bool = True) -> None:
    step = max(1, math.ceil(len(labels) / most))
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=90 if rotate and len(ticks) > 10 else 0)


def output_plot(run, models: Sequence[str] | None = None) -> Figure:
    """(a) Output per working day or per week by model (stacked), with the target for the same days."""
    s = run.summary
    title = "Output by model against target"
    if run.throughput.empty:
        return placeholder(title, "no daily output in this run (throughput.csv is empty)")
    units, working, period = output_periods(run.throughput)
    models = [m for m in (models or s.get("throughput", {}).get("by_model", {})) if m in units.columns]
    models += [m for m in units.columns if m not in models]
    n_rep = run.throughput["replication"].nunique()
    target = (s.get("target") or {}).get("annual_units")
    per_year = s.get("working_days_per_year")
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 4.6)
        ax = fig.add_subplot()
        x = np.arange(len(units))
        bottom = np.zeros(len(units))
        for i, model in enumerate(models):
            ax.bar(x, units[model].to_numpy(), bottom=bottom, width=0.8, color=MODEL_COLOURS[i % len(MODEL_COLOURS)],
                   label=model, linewidth=0)
            bottom += units[model].to_numpy()
        if target and per_year:
            per_day = target / per_year
            goal = per_day * working.to_numpy()
            ax.hlines(goal, x - 0.45, x + 0.45, colors=TARGET_COLOUR, linestyles="--", linewidth=1.6,
                      label=f"target: {target:,.0f} cars/yr ÷ {per_year:g} working days = {per_day:,.0f} per "
                            f"working day" + (" × working days of the week" if period == "week" else ""))
        mean = bottom.mean() if len(bottom) else 0
        ax.axhline(mean, color="#555555", linewidth=0.8, linestyle=":",
                   label=f"mean simulated: {mean:,.0f} cars per {period}")
        _thin_ticks(ax, _period_labels(units.index, period, has_dates(run.throughput)))
        dated = has_dates(run.throughput)
        ax.set_xlabel(("week starting (Monday)" if dated else "week of the measured window") if period == "week"
                      else ("working day (date)" if dated else "working day of the measured window"))
        ax.set_ylabel(f"cars per {period}")
        _thousands(ax)
        ax.set_xlim(-0.7, len(units) - 0.3)
        highest_goal = target / per_year * working.max() if target and per_year else 0
        ax.set_ylim(0, max(bottom.max() if len(bottom) else 1, highest_goal) * 1.32)
        rep = f"mean of {n_rep} replications" if n_rep > 1 else "one replication"
        ax.set_title(f"Cars completed per {period} by model ({rep}) against the target", loc="left")
        handles, labels = ax.get_legend_handles_labels()
        order = [k for k, lab in enumerate(labels) if lab not in models] + \
            [labels.index(m) for m in reversed(models)]  # models top-down as they are stacked
        ax.legend([handles[k] for k in order], [labels[k] for k in order], loc="upper left", ncol=2)
    return fig


# ---------------------------------------------------------------- month by month: plan against actual


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
    with matplotlib.rc_context(_RC):
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
        _thousands(top)
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
        _thousands(bottom)
        bottom.legend(loc="upper left")
        _thin_ticks(bottom, labels, most=40)
        bottom.set_xlim(-0.7, len(labels) - 0.3)
    return fig


# ---------------------------------------------------------------- station states


def _station_order(run) -> dict[str, list[str]]:
    """Station names per shop in flow order (from the scenario: the main flow with its branches and off-line
    repairs, then each feeder's), else the table's order."""
    shops = run.scenario.shops if run.scenario is not None else {}
    order = {name: [st.name for st in all_stations(shop)] for name, shop in shops.items()}
    for shop, group in run.stations.groupby("shop", sort=False):
        known = order.setdefault(shop, [])
        known += [st for st in group["station"] if st not in known]
    return order


def _off_line_and_inspection(run) -> tuple[set, set]:
    shops = run.scenario.shops if run.scenario is not None else {}
    off, inspection = set(), set()
    for name, shop in shops.items():
        off |= {(name, st.name) for st in off_line_stations(shop)}
        if shop.quality is not None:
            inspection.add((name, shop.quality.inspection))
    return off, inspection


def station_states_plot(run) -> Figure:
    """(b) Share of the measured window in each state, a bar per station, a panel per shop in flow order."""
    title = "Station states"
    st = run.stations
    if st.empty:
        return placeholder(title, "no stations table in this run")
    # shares of on-shift time: off shift is the same for every station of a shop and would squeeze
    # the losses into a sliver; it is stated in each panel's title instead
    states = [s for s in state_columns(st) if s != "off_shift"
              and (s == "working" or st[f"share_{s}"].fillna(0).gt(0).any())]
    on_shift = (1 - st["share_off_shift"]).where(lambda v: v > 0) if "share_off_shift" in st else 1
    st = st.assign(**{f"share_{s}": st[f"share_{s}"] / on_shift for s in states})
    order = _station_order(run)
    shops = [shop for shop in order if shop in set(st["shop"])]
    b = run.summary.get("bottleneck") or {}
    off_line, inspections = _off_line_and_inspection(run)
    counts = [int((st["shop"] == shop).sum()) for shop in shops]
    per_bar = 0.2
    height = sum(counts) * per_bar + len(shops) * 0.75 + 1.5
    with matplotlib.rc_context(_RC):
        fig = new_figure(13, height)
        grid = fig.add_gridspec(len(shops), 1, height_ratios=[c + 2.5 for c in counts])
        axes = []
        for k, shop in enumerate(shops):
            ax = fig.add_subplot(grid[k])
            axes.append(ax)
            rows = st[st["shop"] == shop].set_index("station")
            names = [n for n in order[shop] if n in rows.index]
            rows = rows.loc[names]
            y = np.arange(len(rows))
            left = np.zeros(len(rows))
            for state in states:
                values = rows[f"share_{state}"].fillna(0).to_numpy(dtype=float)
                drawn = values > 0  # no empty rectangles: a year of 135 stations stays a light page
                ax.barh(y[drawn], values[drawn], left=left[drawn], height=0.78, color=state_colour(state),
                        linewidth=0, label=state_label(state))
                left += values
            ax.set_yticks(y, names, fontsize=7.5 if len(rows) > 40 else 8.5)
            ax.set_ylim(len(rows) - 0.5, -0.5)
            ax.set_xlim(0, 1)
            ax.tick_params(axis="y", length=0)
            _percent(ax)
            ax.xaxis.set_ticks_position("both")
            ax.tick_params(axis="x", labeltop=True, labelsize=7.5)
            off = float(rows["share_off_shift"].iloc[0]) if "share_off_shift" in rows else 0.0
            ax.set_title(f"{shop} shop: {len(rows)} stations in flow order (off shift {100 * off:.0f}% of "
                         "calendar time, not drawn)", loc="left")
            # paced lines as shaded bands, with the line's name at the right
            lines = rows["line"] if "line" in rows else pd.Series([None] * len(rows), index=rows.index)
            kinds = rows["kind"] if "kind" in rows else pd.Series([""] * len(rows), index=rows.index)
            i = 0
            band = 0
            while i < len(rows):
                line = lines.iloc[i]
                j = i
                if isinstance(line, str) and kinds.iloc[i] == "line":
                    while j + 1 < len(rows) and lines.iloc[j + 1] == line:
                        j += 1
                    if band % 2 == 0:
                        ax.axhspan(i - 0.5, j + 0.5, xmin=1.0, xmax=1.012, color="#6a9f58", clip_on=False)
                    else:
                        ax.axhspan(i - 0.5, j + 0.5, xmin=1.0, xmax=1.012, color="#2f6b2f", clip_on=False)
                    band += 1
                    ax.text(1.02, (i + j) / 2, f"paced line {line} ({j - i + 1})", transform=ax.get_yaxis_transform(),
                            va="center", ha="left", fontsize=8, color="#2f6b2f")
                else:
                    name = rows.index[i]
                    tags = []
                    if kinds.iloc[i] == "conveyor":
                        tags.append("conveyor")
                    if (shop, name) in off_line:
                        tags.append("off-line repair")
                    if (shop, name) in inspections:
                        tags.append("quality inspection")
                    if tags:
                        ax.text(1.02, i, ", ".join(tags), transform=ax.get_yaxis_transform(), va="center",
                                ha="left", fontsize=7.5, color="#555555")
                i = j + 1
            if b.get("shop") == shop:
                where = names.index(b["station"]) if b.get("station") in names else None
                if where is not None:
                    label = ax.get_yticklabels()[where]
                    label.set_color("#b00000")
                    label.set_fontweight("bold")
                    what = f"bottleneck: line {b['line']}" if b.get("line") else "bottleneck"
                    ax.text(0.995, where, f"{what} (active {100 * b.get('active_share', 0):.1f}% of shift time)",
                            ha="right", va="center", fontsize=8, color="#b00000", fontweight="bold", zorder=5,
                            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "#b00000", "lw": 0.8})
        axes[-1].set_xlabel("share of on-shift time in the measured window")
        handles = [Patch(color=state_colour(s), label=state_label(s)) for s in states]
        fig.legend(handles=handles, loc="outside upper left", ncol=4, fontsize=8.5)
    return fig


# ---------------------------------------------------------------- stores


def _store_capacities(run) -> dict[str, float]:
    return {s.name: s.capacity for s in run.scenario.stores} if run.scenario is not None else {}


def _start_date(run):
    if run.scenario is not None and run.scenario.calendar.dated:
        return pd.Timestamp(run.scenario.calendar.start_date)
    return None


def _daily_envelope(data: pd.DataFrame) -> pd.DataFrame:
    """Per simulated day: lowest, mean and highest sampled level (a year of hourly samples stays readable)."""
    day = (data["time_h"] // 24).astype(int)
    out = data.groupby(day)["level"].agg(["min", "mean", "max"])
    out.index = out.index.astype(float) + 0.5
    return out


def _x(hours, start):
    hours = np.asarray(hours, dtype=float)
    return (start + pd.to_timedelta(hours, unit="h")) if start is not None else hours / 24


def _draw_levels(ax, data: pd.DataFrame, start, colour: str, label: str, envelope: bool, fill: bool = True):
    if envelope:
        env = _daily_envelope(data)
        x = _x(env.index.to_numpy() * 24, start)
        ax.fill_between(x, env["min"], env["max"], color=colour, alpha=0.22 if fill else 0.12, linewidth=0,
                        label=f"{label}: daily low–high" if fill else None)
        ax.plot(x, env["mean"], color=colour, linewidth=1.3, label=f"{label}: daily mean")
    else:
        x = _x(data["time_h"], start)
        if fill:
            ax.fill_between(x, data["level"].to_numpy(dtype=float), step="post", color=colour, alpha=0.2,
                            linewidth=0)
        ax.step(x, data["level"].to_numpy(dtype=float), where="post", color=colour, linewidth=1.0,
                label=f"{label} (hourly)")


def _time_axis(ax, start, window_days: float) -> None:
    if start is None:
        ax.set_xlabel("day from the simulation start")
        return
    if window_days <= 10:
        ax.xaxis.set_major_locator(matplotlib.dates.DayLocator())
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%a\n%d %b"))
        ax.tick_params(axis="x", labelsize=7.5)
    else:
        ax.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator(maxticks=10))
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    ax.set_xlabel("date")


def store_levels_plot(run) -> Figure:
    """(c) WBS / PBS levels over the whole horizon and over one week (first replication)."""
    title = "Store levels (WBS, PBS)"
    levels = run.store_levels
    if levels is None or levels.empty:
        return placeholder(title, "no samples: this run has no store levels (store_levels.csv absent or empty)")
    rep = levels["replication"].min()
    first = levels[levels["replication"] == rep]
    stores = list(dict.fromkeys(first["store"]))
    capacity = _store_capacities(run)
    warmup_h = float(run.summary.get("warmup_days") or 0) * 24
    span_h = float(first["time_h"].max() - first["time_h"].min())
    long = span_h > 24 * 16
    start = _start_date(run)
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 2.9 * len(stores) + 0.3)
        grid = fig.add_gridspec(len(stores), 2 if long else 1, width_ratios=[3, 2] if long else [1])
        for k, store in enumerate(stores):
            data = first[first["store"] == store].sort_values("time_h")
            cap = capacity.get(store)
            views = [("whole horizon", None)]
            if long:
                w0 = (warmup_h + float(first["time_h"].max())) / 2  # mid-measurement, away from the start-up
                if start is not None:  # a whole Monday-to-Sunday week
                    when = start + pd.Timedelta(hours=w0)
                    w0 += 24 * ((7 - when.weekday()) % 7) - (when.hour + when.minute / 60)
                views.append(("one week", (w0, w0 + 7 * 24)))
            for v, (label, window) in enumerate(views):
                ax = fig.add_subplot(grid[k, v])
                part = data if window is None else data[(data["time_h"] >= window[0]) & (data["time_h"] <= window[1])]
                _draw_levels(ax, part, start, "#2171b5", store, envelope=span_h > 24 * 60 and window is None)
                if cap is not None:
                    ax.axhline(cap, color="#b00000", linestyle="--", linewidth=1.2, label=f"capacity {cap:,.0f}")
                if window is None and warmup_h > 0:
                    ax.axvspan(_x([0], start)[0], _x([warmup_h], start)[0], color="#e6e6e6", zorder=0,
                               label="warm-up (not measured)")
                if window is None and len(views) > 1:
                    w = views[1][1]
                    ax.axvspan(_x([w[0]], start)[0], _x([w[1]], start)[0], color="#fdd49e", alpha=0.7, zorder=0,
                               label="week shown on the right")
                top = max(float(cap or 0), float(part["level"].max() if len(part) else 0), 1)
                ax.set_ylim(0, top * (1.3 if v == 0 else 1.12))
                ax.set_ylabel("cars in store")
                _time_axis(ax, start, (span_h if window is None else 7 * 24) / 24)
                measured = part[part["time_h"] >= warmup_h]["level"]
                mean = float(measured.mean()) if len(measured) else float("nan")
                full = float((measured >= cap).mean()) if cap and len(measured) else None
                extra = f", at capacity {100 * full:.0f}% of the time" if full is not None and window is None else ""
                ax.set_title(f"{store}: {label} (mean {mean:,.1f} cars{extra})", loc="left", fontsize=10)
                if v == 0:
                    ax.legend(loc="upper left", ncol=4, fontsize=8)
    return fig


def yard_plot(run) -> Figure:
    """The finished-car yard's level over the whole horizon against its capacity (first replication; a daily
    low-mean-high band when the horizon is long)."""
    title = "Finished-car yard"
    levels = run.optional.get("yard_levels")
    outbound = run.summary.get("outbound") or {}
    if levels is None or levels.empty:
        return placeholder(title, "no samples: this run has no yard levels (yard_levels.csv absent or empty)")
    first = levels[levels["replication"] == levels["replication"].min()].sort_values("time_h")
    capacity = outbound.get("yard_capacity")
    warmup_h = float(run.summary.get("warmup_days") or 0) * 24
    span_h = float(first["time_h"].max() - first["time_h"].min())
    start = _start_date(run)
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 3.2)
        ax = fig.add_subplot()
        _draw_levels(ax, first, start, "#2171b5", "cars in the yard", envelope=span_h > 24 * 60)
        if capacity is not None:
            ax.axhline(capacity, color="#b00000", linestyle="--", linewidth=1.2, label=f"capacity {capacity:,.0f}")
        if warmup_h > 0:
            ax.axvspan(_x([0], start)[0], _x([warmup_h], start)[0], color="#e6e6e6", zorder=0,
                       label="warm-up (not measured)")
        ax.set_ylim(0, max(float(capacity or 0), float(first["level"].max()), 1) * 1.25)
        ax.set_ylabel("cars in the yard")
        _time_axis(ax, start, span_h / 24)
        yard = outbound.get("yard") or {}
        full = (yard.get("share_full") or {}).get("mean")
        ax.set_title(f"{title}: cars waiting for their truck or train" +
                     (f" (full {100 * full:.0f}% of the measured time)" if full is not None else ""), loc="left",
                     fontsize=10)
        ax.legend(loc="upper left", ncol=4, fontsize=8)
    return fig



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
    start = _start_date(run)
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 2.6 * len(kits) + 0.3)
        for k, (name, kit) in enumerate(kits.items()):
            ax = fig.add_subplot(len(kits), 1, k + 1)
            data = first[first["kit"] == name]
            for m, model in enumerate(kit["models"]):
                rows = data[data["model"] == model].sort_values("day")
                colour = MODEL_COLOURS[m % len(MODEL_COLOURS)]
                ax.step(_x(rows["day"].to_numpy() * 24.0, start), rows["days_of_cover"].to_numpy(dtype=float),
                        where="post", color=colour, linewidth=1.1, label=model)
            plan = next(iter(kit["models"].values()))  # the safety stock is the same days of cover for every model
            safety = plan["safety_stock"] / plan["plan_rate"] if plan["plan_rate"] else None
            if safety:
                ax.axhline(safety, color="#b00000", linestyle="--", linewidth=1.1,
                           label=f"safety stock {safety:,.1f} days")
            if warmup_h > 0:
                ax.axvspan(_x([0], start)[0], _x([warmup_h], start)[0], color="#e6e6e6", zorder=0,
                           label="warm-up (not measured)")
            ax.set_ylim(bottom=0)
            ax.set_ylabel("days of cover")
            _time_axis(ax, start, float(data["day"].max() + 1) if len(data) else 1.0)
            where = "at launch" if kit["taken_at"] == "launch" else f"entering {kit['taken_at']}"
            ax.set_title(f"{name} kits ({kit['route']}, taken {where}): stock at the start of each day",
                         loc="left", fontsize=10)
            ax.legend(loc="upper right", ncol=5, fontsize=8)
    return fig

# ---------------------------------------------------------------- headcount


def headcount_plot(run) -> Figure:
    """(d) Headcount by shop and shift: a bar per shift, direct solid, indirect hatched."""
    title = "Headcount by shop and shift"
    staffing = run.staffing
    if staffing is None or staffing.empty or staffing["headcount"].sum() == 0:
        return placeholder(title, "no headcount: this scenario names no crews or staffing ratios")
    shops = list(dict.fromkeys(staffing["shop"]))
    shifts = sorted(staffing["shift"].unique(), key=lambda v: str(v))
    table = staffing.pivot_table(index=["shop", "shift"], columns="group", values="headcount", aggfunc="sum",
                                 fill_value=0)
    width = 0.8 / len(shifts)
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 4.2)
        ax = fig.add_subplot()
        x = np.arange(len(shops))
        for j, shift in enumerate(shifts):
            colour = SHIFT_COLOURS[j % len(SHIFT_COLOURS)]
            pos = x - 0.4 + width * (j + 0.5)
            direct = np.array([table.loc[(s, shift)].get("direct", 0) if (s, shift) in table.index else 0
                               for s in shops], dtype=float)
            indirect = np.array([table.loc[(s, shift)].get("indirect", 0) if (s, shift) in table.index else 0
                                 for s in shops], dtype=float)
            ax.bar(pos, direct, width * 0.92, color=colour, label=f"shift {shift}")
            ax.bar(pos, indirect, width * 0.92, bottom=direct, color="white", edgecolor=colour, hatch="///",
                   linewidth=0.8)
            for p, total in zip(pos, direct + indirect):
                if total:
                    ax.text(p, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=8)
        ax.bar([0], [0], color="white", edgecolor="#555555", hatch="///", label="indirect (hatched part)")
        totals = staffing.groupby("shop")["headcount"].sum()
        ax.set_xticks(x, [f"{s}\n({totals.get(s, 0):,.0f} in all shifts)" for s in shops])
        ax.set_ylabel("people on the payroll")
        _thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
        total = staffing["headcount"].sum()
        ax.set_title(f"Headcount by shop and shift: {total:,.0f} people (solid: direct, hatched: indirect)",
                     loc="left")
        ax.legend(loc="upper left")
    return fig


# ---------------------------------------------------------------- comparison plots


def run_colour(i: int) -> str:
    return RUN_COLOURS[i % len(RUN_COLOURS)]


def compare_output_plot(runs) -> Figure:
    """Output per week of each run (sum of models, mean over replications), with each run's target per week."""
    title = "Output per week"
    usable = [(i, r) for i, r in enumerate(runs) if not r.throughput.empty]
    if not usable:
        return placeholder(title, "no daily output in these runs")
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 4.4)
        ax = fig.add_subplot()
        longest = 0
        for i, run in usable:
            units, working, _ = output_periods(run.throughput, weekly=True)
            total = units.sum(axis=1).to_numpy()
            x = np.arange(1, len(total) + 1)
            longest = max(longest, len(total))
            colour = run_colour(i)
            ax.plot(x, total, marker="o", markersize=3, color=colour, linewidth=1.6,
                    label=f"{run.name}: simulated (mean {total.mean():,.0f} per week)")
            target = (run.summary.get("target") or {}).get("annual_units")
            per_year = run.summary.get("working_days_per_year")
            if target and per_year:
                ax.step(x, target / per_year * working.to_numpy(), where="mid", color=colour, linestyle="--",
                        linewidth=1.1, alpha=0.9,
                        label=f"{run.name}: target {target:,.0f}/yr ({target / per_year:,.0f} per working day)")
        ax.set_xlabel("week of the measured window (weeks with holidays have fewer working days)")
        ax.set_ylabel("cars per week")
        ax.set_xlim(0.5, longest + 0.5)
        _thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
        ax.set_title("Cars completed per week, each run against its own target", loc="left")
        ax.legend(loc="upper left", ncol=2)
    return fig


def compare_annual_plot(runs) -> Figure:
    """Annual output of each run with its 95% confidence interval and its target."""
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 0.9 + 0.65 * len(runs) + 1.2)
        ax = fig.add_subplot()
        y = np.arange(len(runs))
        for i, run in enumerate(runs):
            annual = run.summary.get("throughput", {}).get("annual_units", {})
            mean = annual.get("mean") or 0
            lo, hi = annual.get("ci95_low"), annual.get("ci95_high")
            err = None if lo is None or hi is None else [[mean - lo], [hi - mean]]
            ax.barh(i, mean, height=0.55, color=run_colour(i), xerr=err, capsize=6,
                    error_kw={"elinewidth": 1.5, "ecolor": "#222222"})
            ci = f" (95% CI {lo:,.0f} – {hi:,.0f})" if err is not None else " (no CI: one replication)"
            ax.text(mean * 0.01, i, f" {mean:,.0f}{ci}", va="center", ha="left", color="white", fontsize=9,
                    fontweight="bold")
            target = (run.summary.get("target") or {}).get("annual_units")
            if target:
                ax.vlines(target, i - 0.4, i + 0.4, color=TARGET_COLOUR, linestyle="--", linewidth=2,
                          label="target" if i == 0 else None)
                att = (run.summary.get("target") or {}).get("attainment")
                ax.text(max(target, hi or mean), i + 0.36, f"  target {target:,.0f}" +
                        (f": {100 * att:.1f}% attained" if att is not None else ""), va="center", fontsize=8.5)
        ax.set_yticks(y, [r.name for r in runs])
        ax.set_ylim(len(runs) - 0.4, -0.6)
        _thousands(ax, "x")
        ax.set_xlim(0, ax.get_xlim()[1] * 1.25)
        ax.set_xlabel("cars per year (annualised from the measured window)")
        ax.set_title("Annual output per run with 95% confidence interval (error bar) and target (dashed)", loc="left")
        ax.legend(loc="lower right")
    return fig


def most_loaded_resources(stations: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The n most active resources (a paced line by its slowest station), as the bottleneck rule ranks them."""
    try:
        from ..analysis.bottleneck import most_loaded
        return most_loaded(stations, n)
    except (KeyError, ImportError, IndexError):  # a table without the columns the rule needs
        key = "active_share" if "active_share" in stations else "share_working"
        return stations.sort_values(key, ascending=False).head(n)


def compare_loaded_plot(runs, n: int = 10) -> Figure:
    """State shares (of on-shift time) of the n most loaded resources of each run, a panel per run."""
    usable = [(i, r) for i, r in enumerate(runs) if not r.stations.empty]
    if not usable:
        return placeholder("Most loaded stations", "no stations table in these runs")
    states = [s for s in dict.fromkeys(s for _, r in usable for s in state_columns(r.stations)) if s != "off_shift"
              and (s == "working" or any(r.stations.get(f"share_{s}", pd.Series(dtype=float)).fillna(0).gt(0).any()
                                         for _, r in usable))]
    with matplotlib.rc_context(_RC):
        tops = [most_loaded_resources(r.stations, n) for _, r in usable]
        sizes = [len(t) for t in tops]
        fig = new_figure(11, sum(k * 0.3 + 0.9 for k in sizes) + 1.0)
        grid = fig.add_gridspec(len(usable), 1, height_ratios=[k + 3 for k in sizes])
        for k, (i, run) in enumerate(usable):
            ax = fig.add_subplot(grid[k])
            top = tops[k]
            on = (1 - top["share_off_shift"]).where(lambda v: v > 0) if "share_off_shift" in top else 1
            left = np.zeros(len(top))
            y = np.arange(len(top))
            for state in states:
                col = f"share_{state}"
                values = (top[col] / on).fillna(0).to_numpy(dtype=float) if col in top else np.zeros(len(top))
                ax.barh(y, values, left=left, height=0.75, color=state_colour(state), linewidth=0,
                        label=state_label(state) if k == 0 else None)
                left += values
            labels = []
            for row in top.itertuples():
                kind = getattr(row, "kind", "")
                name = f"{row.shop}: line {row.line} (slowest {row.station})" if kind == "line" \
                    else f"{row.shop}: {row.station}"
                labels.append(name)
            ax.set_yticks(y, labels, fontsize=8)
            ax.tick_params(axis="y", length=0)
            ax.set_ylim(len(top) - 0.5, -0.5)
            ax.set_xlim(0, 1)
            _percent(ax)
            if "active_share" in top:
                for j, a in enumerate(top["active_share"]):
                    if pd.notna(a):
                        ax.text(1.01, j, f"active {100 * a:.1f}%", va="center", fontsize=7.5,
                                transform=ax.get_yaxis_transform())
            ax.set_title(f"{run.name}: {len(top)} most loaded resources (bottleneck first)", loc="left",
                         color=run_colour(i))
        ax.set_xlabel("share of on-shift time (off-shift time left out, so shops with different shifts compare)")
        fig.legend(loc="outside upper left", ncol=3, fontsize=8.5)
    return fig


def compare_store_plot(runs) -> Figure:
    """Store levels of each run overlaid (first replication), a panel per store; days from the start."""
    title = "Store levels"
    frames = [(i, r) for i, r in enumerate(runs) if r.store_levels is not None and not r.store_levels.empty]
    if not frames:
        return placeholder(title, "no samples: none of these runs has store levels (store_levels.csv)")
    stores = list(dict.fromkeys(s for _, r in frames for s in r.store_levels["store"]))
    long = max(float(r.store_levels["time_h"].max()) for _, r in frames) > 24 * 60
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 2.8 * len(stores) + 0.4)
        axes = fig.subplots(len(stores), 1, squeeze=False)[:, 0]
        for ax, store in zip(axes, stores):
            for i, run in frames:
                levels = run.store_levels
                data = levels[(levels["replication"] == levels["replication"].min()) & (levels["store"] == store)]
                if data.empty:
                    continue
                data = data.sort_values("time_h")
                cap = _store_capacities(run).get(store)
                _draw_levels(ax, data, None, run_colour(i), run.name, envelope=long, fill=len(frames) < 3)
                if cap is not None:
                    ax.axhline(cap, color=run_colour(i), linestyle="--", linewidth=1,
                               label=f"{run.name}: capacity {cap:,.0f}")
            ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
            ax.set_ylabel("cars in store")
            ax.set_xlabel("day from the simulation start (warm-up included)")
            ax.set_title(f"{store}" + (": daily mean (line) and daily low–high (band)" if long else ": hourly"),
                         loc="left", fontsize=10)
            ax.legend(loc="upper left", ncol=3, fontsize=8)
    return fig


def compare_headcount_plot(runs) -> Figure:
    """Headcount of each run by shop (all shifts), grouped bars."""
    usable = [(i, r) for i, r in enumerate(runs) if r.staffing is not None and not r.staffing.empty
              and r.staffing["headcount"].sum() > 0]
    if not usable:
        return placeholder("Headcount per run", "no headcount in these runs")
    shops = list(dict.fromkeys(s for _, r in usable for s in r.staffing["shop"]))
    width = 0.8 / len(usable)
    with matplotlib.rc_context(_RC):
        fig = new_figure(11, 4.2)
        ax = fig.add_subplot()
        x = np.arange(len(shops))
        for j, (i, run) in enumerate(usable):
            by_shop = run.staffing.groupby("shop")["headcount"].sum().reindex(shops).fillna(0)
            pos = x - 0.4 + width * (j + 0.5)
            ax.bar(pos, by_shop.to_numpy(), width * 0.92, color=run_colour(i),
                   label=f"{run.name}: {by_shop.sum():,.0f} people")
            for p, v in zip(pos, by_shop):
                if v:
                    ax.text(p, v, f"{v:,.0f}", ha="center", va="bottom", fontsize=8)
        ax.set_xticks(x, shops)
        ax.set_ylabel("people on the payroll (all shifts)")
        _thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
        missing = [r.name for r in runs if all(r is not u for _, u in usable)]
        ax.set_title("Headcount per run by shop (all shifts)" +
                     (f"; no staffing in {', '.join(missing)}" if missing else ""), loc="left")
        ax.legend(loc="upper left")
    return fig
