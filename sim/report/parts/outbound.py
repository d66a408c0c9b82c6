"""The finished-car yard and its trucks and trains: the outbound section of the report (the yard's level, the
cars shipped per market, destination and model) and its console tables."""

from __future__ import annotations

import matplotlib
from matplotlib.figure import Figure

from ..cells import COUNT, DECIMAL1, INTERVAL, PERCENT, Column, Rows, cell
from ..figures import RC, draw_levels, new_figure, placeholder, start_date, time_axis, time_x
from ..page import figure, rows_table, safe_plot
from ..sections import Section


def _render(run) -> str:
    s = run.summary
    return figure(safe_plot(yard_plot, run, "Finished-car yard"), "yard",
                  "Cars in the finished-car yard over time against its capacity",
                  "Hourly level of the first replication (a daily low–high band and mean over long horizons); a car "
                  "finished while the yard is full waits on the last station (blocked).") + \
        rows_table(lambda: outbound_rows(s)) + rows_table(lambda: outbound_model_rows(s))


SECTIONS = [Section("outbound", "Outbound", "Outbound: yard, trucks and trains",
                    lambda run: bool(run.summary.get("outbound")), _render, after="stores")]


def console(s: dict) -> list[Rows | None]:
    return [outbound_rows(s), outbound_model_rows(s)]


def outbound_rows(s: dict) -> Rows | None:
    """Cars shipped from the finished-car yard per market and destination: how many, how long they waited
    after the end of line, how many waited for their carrier; None without ``outbound``."""
    outbound = s.get("outbound")
    if not outbound:
        return None
    rows = Rows("Outbound: cars shipped from the finished-car yard", [
        Column("market / destination", short="shipped to"), Column("cars / year", COUNT, "cars/yr"),
        Column("95% CI", INTERVAL), Column("days to ship", DECIMAL1, "days"), Column("p95 days", DECIMAL1, "p95"),
        Column("cars waiting", DECIMAL1, "waiting"), Column("most waiting", COUNT, "most"),
        Column("places used", PERCENT, "used")])

    def destination(name: str, d: dict, label: str, mark: str = "") -> None:
        rows.add([label, d["shipped_annual"]["mean"], d["shipped_annual"], d["days_mean"]["mean"],
                  d["days_p95"]["mean"], d["waiting_mean"]["mean"], d["waiting_max"]["mean"], d["fill"]["mean"]],
                 mark)

    for market, m in outbound["markets"].items():
        inside = {name: d for name, d in outbound["destinations"].items() if d["market"] == market}
        if list(inside) == [market]:  # the domestic cars: one queue, the market's own row
            destination(market, inside[market], market, "total")
            continue
        rows.add([market, m["shipped_annual"]["mean"], m["shipped_annual"], m["days_mean"]["mean"],
                  m["days_p95"]["mean"], None, None, None], "total")
        for name, d in inside.items():
            destination(name, d, f"  {name}")
    total = outbound["shipped_annual"]
    rows.add(["all", total["mean"], total, None, None, None, None, None], "total")
    yard, blocked = outbound["yard"], outbound["blocked_hours"]
    rows.caption = (f"Yard of {cell(outbound['yard_capacity'], COUNT)} places: mean "
                    f"{cell(yard['mean']['mean'], COUNT)} cars, most {cell(yard['max'], COUNT)}, full {cell(yard['share_full']['mean'], PERCENT)} of the "
                    f"time; a full yard held the end of line {cell(blocked['mean'], DECIMAL1)} shift hours "
                    f"({cell(outbound['blocked_share']['mean'], PERCENT)} of the last shop's shift time) in the "
                    "window. Days to ship: from end of line to the truck or train, loading taking no time; cars "
                    "waiting: time-weighted mean in the queue (most: at once); places used: cars taken / places "
                    "the trucks or trains that came offered.")
    return rows


def outbound_model_rows(s: dict) -> Rows | None:
    """Cars shipped a year per destination and model; None without ``outbound``."""
    outbound = s.get("outbound")
    if not outbound:
        return None
    models = list(outbound["by_model"])
    rows = Rows("Outbound: cars shipped a year by destination and model",
                [Column("destination")] + [Column(m, COUNT) for m in models] + [Column("all", COUNT)])
    for name, d in outbound["destinations"].items():
        rows.add([name] + [d["by_model"][m] for m in models] + [d["shipped_annual"]["mean"]])
    rows.add(["all"] + [outbound["by_model"][m]["mean"] for m in models] + [outbound["shipped_annual"]["mean"]],
             "total")
    return rows


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
    start = start_date(run)
    with matplotlib.rc_context(RC):
        fig = new_figure(11, 3.2)
        ax = fig.add_subplot()
        draw_levels(ax, first, start, "#2171b5", "cars in the yard", envelope=span_h > 24 * 60)
        if capacity is not None:
            ax.axhline(capacity, color="#b00000", linestyle="--", linewidth=1.2, label=f"capacity {capacity:,.0f}")
        if warmup_h > 0:
            ax.axvspan(time_x([0], start)[0], time_x([warmup_h], start)[0], color="#e6e6e6", zorder=0,
                       label="warm-up (not measured)")
        ax.set_ylim(0, max(float(capacity or 0), float(first["level"].max()), 1) * 1.25)
        ax.set_ylabel("cars in the yard")
        time_axis(ax, start, span_h / 24)
        yard = outbound.get("yard") or {}
        full = (yard.get("share_full") or {}).get("mean")
        ax.set_title(f"{title}: cars waiting for their truck or train" +
                     (f" (full {100 * full:.0f}% of the measured time)" if full is not None else ""), loc="left",
                     fontsize=10)
        ax.legend(loc="upper left", ncol=4, fontsize=8)
    return fig
