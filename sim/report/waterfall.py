"""The loss waterfall in the reports (summary.json's ``losses``, ``sim.analysis.losses``): a table of the causes
and a waterfall chart from the nameplate down to the cars made, a bar per group of causes."""

from __future__ import annotations

from matplotlib.figure import Figure

from ..analysis.losses import GROUPS, RAMP_GROUPS
from .cells import COUNT, INTERVAL, Column, Rows
from .figures import new_figure

SHOWN = 12
"""Causes listed in the table; the rest are summed in one row (the chart shows every group)."""

GROUP_COLOURS = {
    "calendar": "#9e9e9e", "breakdowns": "#d62728", "quality": "#8c564b", "sequence": "#17becf",
    "over_cycles": "#bcbd22", "pace": "#98df8a", "feeders": "#e377c2", "kits": "#ff7f0e", "yard": "#1f77b4",
    "labour": "#9467bd", "shifts": "#7f7f7f", "between_shops": "#f5d04c", "launch": "#aec7e8", "after": "#c7c7c7",
}
"""One colour per group (``losses.GROUPS``), the same in every chart."""


def loss_rows(s: dict) -> Rows | None:
    """The causes, largest first: cars a year with their interval, and each one's group."""
    losses = s.get("losses")
    if not losses:
        return None
    table = Rows("Where the cars went: losses from the nameplate, cars a year", [
        Column("cause"), Column("where"), Column("group"), Column("cars / yr", COUNT, "cars"),
        Column("95% CI", INTERVAL, "CI")])
    table.add(["nameplate", losses["reference"]["where"], "ideal rate x calendar", losses["nameplate"]["mean"],
               "exact"], "total")
    rows = losses["rows"]
    for row in rows[:SHOWN]:
        table.add([row["cause"], row["where"], GROUPS[row["group"]], -row["cars"]["mean"], _negated(row["cars"])])
    rest = rows[SHOWN:]
    if rest:
        table.add([f"{len(rest)} smaller causes", "", "", -sum(r["cars"]["mean"] for r in rest), None])
    # the output's own interval (a batch-means one for a single replication), as the output table gives it
    made = (s.get("throughput") or {}).get("annual_units") or losses["output"]
    table.add(["cars made", "", "", losses["output"]["mean"], made], "total")
    reference = losses["reference"]
    table.caption = (f"Nameplate: {reference['where']} at its ideal {reference['ideal_cars_per_hour']:.2f} cars an "
                     f"hour x {reference['net_hours_per_year']:,.0f} net shift hours a year. The causes add up "
                     "to nameplate - cars made exactly; starved and blocked hours are traced up and down the flow "
                     "(docs/losses.md). A negative loss is a gain (overtime; fewer cars inside at the end).")
    if losses.get("ramp"):
        table.caption += (f" The ramp-up's own design (shifts not run yet, line speed and learning, launches held "
                          f"to the plan) accounts for {losses['ramp']['cars']:,.0f} of them.")
    return table


def _negated(ci: dict) -> dict:
    """A loss's interval as a change of output (the table writes losses as minus cars)."""
    low, high = ci.get("ci95_low"), ci.get("ci95_high")
    return {**ci, "mean": -ci["mean"], "ci95_low": None if high is None else -high,
            "ci95_high": None if low is None else -low}


def waterfall_plot(s: dict) -> Figure:
    """Nameplate, a falling bar per group of causes (largest first; the ramp's own groups first in a ramp), and
    the cars made; each bar labelled with its cars a year."""
    losses = s["losses"]
    groups = sorted(((g, ci) for g, ci in losses["by_group"].items() if abs(ci["mean"]) >= 0.5),
                    key=lambda item: -item[1]["mean"])  # a group under half a car a year shows as nothing
    if losses.get("ramp"):
        groups.sort(key=lambda item: item[0] not in RAMP_GROUPS)  # stable: the ramp's design, then the rest
    labels = ["nameplate"] + [GROUPS[g] for g, _ in groups] + ["cars made"]
    nameplate, made = losses["nameplate"]["mean"], losses["output"]["mean"]
    levels = [nameplate]
    for _, ci in groups:
        levels.append(levels[-1] - ci["mean"])
    # the losses are a few per cent each: the axis starts below the lowest level, as a waterfall's does
    lowest, highest = min(levels + [made]), max(levels)
    left = max(0.0, lowest - 0.35 * (highest - lowest))
    room = max(highest - left, 1.0)  # a plant that lost nothing still gets an axis
    fig = new_figure(10.5, 0.36 * len(labels) + 1.3)
    ax = fig.add_subplot()
    ax.barh(0, nameplate - left, left=left, color="#4d4d4d")
    for k, (group, ci) in enumerate(groups, start=1):
        cars = ci["mean"]
        ax.barh(k, -cars, left=levels[k - 1], color=GROUP_COLOURS[group])
        ax.text(max(levels[k - 1], levels[k]) + 0.01 * room, k, f"{-cars:+,.0f}", va="center", fontsize=8.5)
    ax.barh(len(labels) - 1, made - left, left=left, color="#2e9e44")
    for k, value in ((0, nameplate), (len(labels) - 1, made)):
        ax.text(value + 0.01 * room, k, f"{value:,.0f}", va="center", fontsize=9, fontweight="bold")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(left, highest + 0.12 * room)
    ax.xaxis.set_major_formatter(lambda x, _: f"{x:,.0f}")
    ax.set_xlabel("cars a year" + (f" (the axis starts at {left:,.0f})" if left > 0 else ""))
    ax.set_title("Where the cars went: from the nameplate to the cars made", loc="left")
    return fig
