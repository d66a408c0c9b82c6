"""Plots of several runs side by side for the comparison report."""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .figures import (RC, TARGET_COLOUR, draw_levels, new_figure, percent, placeholder, run_colour, store_capacities,
                      thousands)
from .plots import output_periods
from .states import state_colour, state_columns, state_label


def compare_output_plot(runs) -> Figure:
    """Output per week of each run (sum of models, mean over replications), with each run's target per week."""
    title = "Output per week"
    usable = [(i, r) for i, r in enumerate(runs) if not r.throughput.empty]
    if not usable:
        return placeholder(title, "no daily output in these runs")
    with matplotlib.rc_context(RC):
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
        thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.3)
        ax.set_title("Cars completed per week, each run against its own target", loc="left")
        ax.legend(loc="upper left", ncol=2)
    return fig


def compare_annual_plot(runs) -> Figure:
    """Annual output of each run with its 95% confidence interval and its target."""
    with matplotlib.rc_context(RC):
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
        thousands(ax, "x")
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
    with matplotlib.rc_context(RC):
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
            percent(ax)
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
    with matplotlib.rc_context(RC):
        fig = new_figure(11, 2.8 * len(stores) + 0.4)
        axes = fig.subplots(len(stores), 1, squeeze=False)[:, 0]
        for ax, store in zip(axes, stores):
            for i, run in frames:
                levels = run.store_levels
                data = levels[(levels["replication"] == levels["replication"].min()) & (levels["store"] == store)]
                if data.empty:
                    continue
                data = data.sort_values("time_h")
                cap = store_capacities(run).get(store)
                draw_levels(ax, data, None, run_colour(i), run.name, envelope=long, fill=len(frames) < 3)
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
    with matplotlib.rc_context(RC):
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
        thousands(ax)
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)
        missing = [r.name for r in runs if all(r is not u for _, u in usable)]
        ax.set_title("Headcount per run by shop (all shifts)" +
                     (f"; no staffing in {', '.join(missing)}" if missing else ""), loc="left")
        ax.legend(loc="upper left")
    return fig
