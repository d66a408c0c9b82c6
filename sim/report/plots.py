"""Plots of one run for the HTML report (``figures``: what they share; ``compare_plots``: several runs)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..analysis.months import dated as has_dates
from ..scenario.topology import all_stations
from ..scenario.topology import off_line as off_line_stations
from .cells import DECIMAL1, PERCENT, cell, missing
from .figures import (MODEL_COLOURS, RC, SHIFT_COLOURS, TARGET_COLOUR, bars, draw_levels, new_figure, percent,
                      placeholder, start_date, store_capacities, thin_ticks, thousands, time_axis, time_x)
from .states import state_colour, state_columns, state_label

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
    with matplotlib.rc_context(RC):
        fig = new_figure(11, 4.6)
        ax = fig.add_subplot()
        x = np.arange(len(units))
        bottom = np.zeros(len(units))
        for i, model in enumerate(models):
            bars(ax, x, bottom, units[model].to_numpy(dtype=float), 0.8, MODEL_COLOURS[i % len(MODEL_COLOURS)],
                 label=model)
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
        thin_ticks(ax, _period_labels(units.index, period, has_dates(run.throughput)))
        dated = has_dates(run.throughput)
        ax.set_xlabel(("week starting (Monday)" if dated else "week of the measured window") if period == "week"
                      else ("working day (date)" if dated else "working day of the measured window"))
        ax.set_ylabel(f"cars per {period}")
        thousands(ax)
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


SHARE_SIZE = 7.5
"""Type size of the shares printed along the top and bottom of a shop's panel of station states."""


def _over_the_shares(ax, title: str) -> None:
    """A shop's panel title over the shares printed along the panel's top, where matplotlib would lift it (its
    usual gap over the labels' tick, gap and type), but put there rather than found: finding it measures every
    label of the panel, each station's name among them, at each draw and each pass of the layout."""
    rc = matplotlib.rcParams
    ax.set_title(title, loc="left", y=1.0,
                 pad=rc["axes.titlepad"] + rc["xtick.major.size"] + rc["xtick.major.pad"] + SHARE_SIZE)


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
    with matplotlib.rc_context(RC):
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
                bars(ax, y, left, values, 0.78, state_colour(state), horizontal=True)
                left += values
            ax.set_yticks(y, names, fontsize=7.5 if len(rows) > 40 else 8.5)
            ax.set_ylim(len(rows) - 0.5, -0.5)
            ax.set_xlim(0, 1)
            ax.tick_params(axis="y", length=0)
            percent(ax)
            ax.xaxis.set_ticks_position("both")
            ax.tick_params(axis="x", labeltop=True, labelsize=SHARE_SIZE)
            off = float(rows["share_off_shift"].iloc[0]) if "share_off_shift" in rows else 0.0
            _over_the_shares(ax, f"{shop} shop: {len(rows)} stations in flow order (off shift {100 * off:.0f}% of "
                                 "calendar time, not drawn)")
            # the station axis has no label: a place given spares measuring every name to find one at each draw
            ax.yaxis.set_label_coords(0, 0.5)
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


def store_levels_plot(run) -> Figure:
    """(c) WBS / PBS levels over the whole horizon and over one week (first replication); the whole horizon's
    title gives the store's mean level and time at capacity from the buffers table (time-weighted over the
    measured window, all replications: the figures the table beside the plot shows)."""
    title = "Store levels (WBS, PBS)"
    levels = run.store_levels
    if levels is None or levels.empty:
        return placeholder(title, "no samples: this run has no store levels (store_levels.csv absent or empty)")
    table = {row["buffer"]: row for row in run.buffers.to_dict("records")} \
        if run.buffers is not None and not run.buffers.empty else {}
    rep = levels["replication"].min()
    first = levels[levels["replication"] == rep]
    stores = list(dict.fromkeys(first["store"]))
    capacity = store_capacities(run)
    warmup_h = float(run.summary.get("warmup_days") or 0) * 24
    span_h = float(first["time_h"].max() - first["time_h"].min())
    long = span_h > 24 * 16
    start = start_date(run)
    with matplotlib.rc_context(RC):
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
                draw_levels(ax, part, start, "#2171b5", store, envelope=span_h > 24 * 60 and window is None)
                if cap is not None:
                    ax.axhline(cap, color="#b00000", linestyle="--", linewidth=1.2, label=f"capacity {cap:,.0f}")
                if window is None and warmup_h > 0:
                    ax.axvspan(time_x([0], start)[0], time_x([warmup_h], start)[0], color="#e6e6e6", zorder=0,
                               label="warm-up (not measured)")
                if window is None and len(views) > 1:
                    w = views[1][1]
                    ax.axvspan(time_x([w[0]], start)[0], time_x([w[1]], start)[0], color="#fdd49e", alpha=0.7, zorder=0,
                               label="week shown on the right")
                top = max(float(cap or 0), float(part["level"].max() if len(part) else 0), 1)
                ax.set_ylim(0, top * (1.3 if v == 0 else 1.12))
                ax.set_ylabel("cars in store")
                time_axis(ax, start, (span_h if window is None else 7 * 24) / 24)
                ax.set_title(f"{store}: {label}" + (_store_figures(table.get(store), cap) if window is None else
                                                    _week_mean(part, warmup_h)), loc="left", fontsize=10)
                if v == 0:
                    ax.legend(loc="upper left", ncol=4, fontsize=8)
    return fig


def _store_figures(row: dict | None, capacity) -> str:
    """' (mean 12.3 cars, at capacity 4.5% of the time)': the buffers table's figures of a store, as it writes them."""
    if row is None or missing(row.get("mean_level")):
        return ""
    full = f", at capacity {cell(row['share_full'], PERCENT)} of the time" \
        if capacity and not missing(row.get("share_full")) else ""
    return f" (mean {cell(row['mean_level'], DECIMAL1)} cars{full})"


def _week_mean(part: pd.DataFrame, warmup_h: float) -> str:
    """' (mean 12.3 cars that week)': the mean of the hourly samples drawn in a one-week view."""
    measured = part[part["time_h"] >= warmup_h]["level"]
    return f" (mean {float(measured.mean()):,.1f} cars that week)" if len(measured) else ""


# ---------------------------------------------------------------- headcount


def headcount_plot(run) -> Figure:
    """(d) Headcount by shop and shift: a bar per shift, direct operators solid, team leaders, reserve and indirect
    staff hatched."""
    title = "Headcount by shop and shift"
    staffing = run.staffing
    if staffing is None or staffing.empty or staffing["headcount"].sum() == 0:
        return placeholder(title, "no headcount: this scenario names no crews or staffing ratios")
    shops = list(dict.fromkeys(staffing["shop"]))
    shifts = sorted(staffing["shift"].unique(), key=lambda v: str(v))
    table = staffing.pivot_table(index=["shop", "shift"], columns="group", values="headcount", aggfunc="sum",
                                 fill_value=0)
    width = 0.8 / len(shifts)
    with matplotlib.rc_context(RC):
        fig = new_figure(11, 4.2)
        ax = fig.add_subplot()
        x = np.arange(len(shops))
        for j, shift in enumerate(shifts):
            colour = SHIFT_COLOURS[j % len(SHIFT_COLOURS)]
            pos = x - 0.4 + width * (j + 0.5)
            direct = np.array([table.loc[(s, shift)].get("direct", 0) if (s, shift) in table.index else 0
                               for s in shops], dtype=float)
            indirect = np.array([table.loc[(s, shift)].sum() - table.loc[(s, shift)].get("direct", 0)
                                 if (s, shift) in table.index else 0 for s in shops], dtype=float)
            ax.bar(pos, direct, width * 0.92, color=colour, label=f"shift {shift}")
            ax.bar(pos, indirect, width * 0.92, bottom=direct, color="white", edgecolor=colour, hatch="///",
                   linewidth=0.8)
            for p, total in zip(pos, direct + indirect):
                if total:
                    ax.text(p, total, f"{total:,.0f}", ha="center", va="bottom", fontsize=8)
        ax.bar([0], [0], color="white", edgecolor="#555555", hatch="///",
               label="team leaders, reserve, indirect (hatched)")
        totals = staffing.groupby("shop")["headcount"].sum()
        ax.set_xticks(x, [f"{s}\n({totals.get(s, 0):,.0f} in all shifts)" for s in shops])
        ax.set_ylabel("people on the payroll")
        thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
        total = staffing["headcount"].sum()
        ax.set_title(f"Headcount by shop and shift: {total:,.0f} people (solid: direct operators, hatched: the rest)",
                     loc="left")
        ax.legend(loc="upper left")
    return fig
