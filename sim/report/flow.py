"""A picture of the plant flow drawn from the resolved scenario.

Shops are panels side by side in flow order; inside a shop the flow runs top to
bottom. A paced line is one box (with its number of stations and takt), a
conveyor a blue box, a station a white box; the number on an arrow is the
buffer in front of the next box. Stores (WBS, PBS) sit between the shops.
Off-line repair stations stand to the left of the flow, and quality loops run
back from the inspection through the repair to the re-entry station.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from ..scenario.topology import failing_share, flow_groups, model_cycle, off_line
from .plots import _RC, new_figure, placeholder

NODE_W, NODE_H, ROW = 2.35, 0.7, 0.98
OFF_W, OFF_H = 1.75, 0.7
PAD, TITLE_H, GAP = 0.2, 0.7, 1.3

FILL = {"line": "#dff0d8", "conveyor": "#dbe8f6", "station": "#ffffff", "repair": "#fde7d3", "store": "#fff5c2"}
EDGE = {"line": "#3c763d", "conveyor": "#2f5f98", "station": "#555555", "repair": "#b35c00", "store": "#8a6d00"}
LOOP = "#7b3294"
BOTTLENECK = "#c00000"


@dataclass
class Node:
    kind: str  # line, conveyor, station, repair
    title: str
    detail: str
    stations: list[str]
    x: float = 0.0
    y: float = 0.0  # centre
    w: float = NODE_W
    h: float = NODE_H
    bottleneck: bool = False
    tags: list[str] = field(default_factory=list)

    @property
    def left(self):
        return self.x - self.w / 2

    @property
    def right(self):
        return self.x + self.w / 2

    @property
    def top(self):
        return self.y + self.h / 2

    @property
    def bottom(self):
        return self.y - self.h / 2


def _fmt_seconds(s: float) -> str:
    if s >= 600:
        return f"{s / 60:.0f} min"
    return f"{s:.0f} s" if s >= 10 else f"{s:.1f} s"


def _cycle(station, models, row) -> str:
    """The simulated table's mix cycle, else the range of the station's mean cycle over the models."""
    if row is not None and pd.notna(row.get("mix_cycle_s", float("nan"))):
        return f"cycle {_fmt_seconds(float(row['mix_cycle_s']))}"
    means = [model_cycle(station, m) for m in models]
    lo, hi = min(means), max(means)
    return f"cycle {_fmt_seconds(lo)}" if hi - lo < 0.5 else f"cycle {_fmt_seconds(lo)}–{_fmt_seconds(hi)}"


def _active(rows: pd.DataFrame) -> str:
    if rows is None or rows.empty or "active_share" not in rows:
        return ""
    value = rows["active_share"].max()
    return "" if pd.isna(value) else f"active {100 * value:.0f}%"


def _nodes(shop: str, spec, models, stations: pd.DataFrame, bottleneck: dict) -> tuple[list[Node], list[Node]]:
    """Main-flow boxes (a paced line is one box, as in the engine) and off-line repair boxes of a shop."""
    rows = stations[stations["shop"] == shop].set_index("station") if not stations.empty else pd.DataFrame()

    def row_of(name):
        return rows.loc[name] if name in rows.index else None

    def station_detail(st) -> str:
        return ", ".join(x for x in (f"{st.servers} servers" if st.servers > 1 else "",
                                     _cycle(st, models, row_of(st.name))) if x)

    main, off = [], []
    for group in flow_groups(spec):
        first = group[0]
        if first.line is not None:
            takt = spec.lines[first.line].takt
            n = len(group)
            detail = f"{n} station{'s' if n > 1 else ''}" + (f", takt {takt:g} s" if takt else ", paced")
            main.append(Node("line", f"{first.line} line", detail, [st.name for st in group]))
        elif first.conveyor is not None:
            conveyor = first.conveyor
            detail = f"conveyor {_fmt_seconds(conveyor.transit_time)}, {conveyor.capacity} bodies"
            main.append(Node("conveyor", first.name, detail, [first.name]))
        else:
            main.append(Node("station", first.name, station_detail(first), [first.name]))
    off = [Node("repair", st.name, station_detail(st), [st.name], w=OFF_W, h=OFF_H) for st in off_line(spec)]
    quality = spec.quality
    for node in main + off:
        member_rows = rows.loc[[s for s in node.stations if s in rows.index]] if not rows.empty else None
        active = _active(member_rows)
        if active:
            node.detail = f"{node.detail}\n{active}" if node.detail else active
        if bottleneck.get("shop") == shop and bottleneck.get("station") in node.stations:
            node.bottleneck = True
        if quality is not None and quality.inspection in node.stations:
            node.tags.append(f"inspection, first pass {100 * quality.first_pass_yield:.0f}%")
    return main, off


def _buffer_caps(buffers: pd.DataFrame) -> dict[str, float]:
    if buffers is None or buffers.empty:
        return {}
    return {row.buffer: row.capacity for row in buffers.itertuples()}


def _box(ax, node: Node) -> None:
    kind = node.kind
    ax.add_patch(FancyBboxPatch((node.left, node.bottom), node.w, node.h, boxstyle="round,pad=0,rounding_size=0.07",
                                fc=FILL[kind], ec=BOTTLENECK if node.bottleneck else EDGE[kind],
                                lw=2.8 if node.bottleneck else 1.0, zorder=3))
    size = 9.5 if kind != "repair" else 8.8
    limit = 28 if kind != "repair" else 21
    title = node.title if len(node.title) <= limit else node.title[:limit - 1] + "…"
    lines = node.detail.split("\n") if node.detail else []
    step = 0.16
    top = node.y + step * len(lines) / 2
    ax.text(node.x, top, title, ha="center", va="center", fontsize=size, fontweight="bold", zorder=4,
            color=BOTTLENECK if node.bottleneck else "#111111")
    for k, line in enumerate(lines):
        ax.text(node.x, top - step * (k + 1) - 0.02, line, ha="center", va="center", fontsize=size - 1.3,
                color="#333333", zorder=4)
    tags = list(node.tags)
    if node.bottleneck:
        tags.insert(0, "BOTTLENECK")
    if tags:
        ax.text(node.left + 0.06, node.top, " · ".join(tags), ha="left", va="center", fontsize=7.4, zorder=5,
                color=BOTTLENECK if node.bottleneck else LOOP, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": BOTTLENECK if node.bottleneck else LOOP,
                      "lw": 0.8})


def _arrow(ax, a, b, colour="#444444", style="-|>", rad=0.0, lw=1.2, ls="-", z=2):
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=11, color=colour, lw=lw, linestyle=ls,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0, zorder=z))


def _buffer_label(ax, x, y, cap) -> None:
    text = "no buffer" if cap == 0 else ("buffer ∞" if pd.isna(cap) else f"buffer {cap:,.0f}")
    ax.text(x + 0.08, y, text, ha="left", va="center", fontsize=7.6, color="#666666", style="italic", zorder=4)


def plant_flow_plot(run) -> Figure:
    """(e) Plant flow: shops in flow order, paced lines, conveyors, buffers, stores and quality loops."""
    summary = run.summary
    scenario = run.scenario
    if scenario is None:
        return placeholder("Plant flow", "the run's stored scenario could not be read back")
    shops = scenario.shops
    models = scenario.product.models
    stations = run.stations if run.stations is not None else pd.DataFrame()
    caps = _buffer_caps(run.buffers)
    bottleneck = summary.get("bottleneck") or {}
    stores = {s.after: s for s in scenario.stores}
    store_rows = {}
    if run.buffers is not None and not run.buffers.empty:
        store_rows = {row.buffer: row for row in run.buffers.itertuples()}

    layout = []
    for shop, spec in shops.items():
        main, off = _nodes(shop, spec, models, stations, bottleneck)
        loops = spec.quality.rework if spec.quality is not None else []
        layout.append((shop, spec, main, off, loops))
    most = max(len(main) for _, _, main, _, _ in layout)
    height = TITLE_H + most * ROW + 0.35
    widths = [(OFF_W + 0.55 if (off or loops) else 0.35) + NODE_W + 2 * PAD for _, _, _, off, loops in layout]
    width = sum(widths) + GAP * (len(layout) - 1) + 1.45
    top_margin, bottom_margin = 0.75, 0.2
    fig_h = height + top_margin + bottom_margin

    with matplotlib.rc_context(_RC):
        fig = new_figure(width, fig_h)
        fig.set_layout_engine("none")
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, fig_h)
        ax.set_axis_off()
        x0 = 0.45
        y_top = fig_h - top_margin
        placed = []
        for (shop, spec, main, off, loops), w in zip(layout, widths):
            panel_h = height
            ax.add_patch(FancyBboxPatch((x0, y_top - panel_h), w, panel_h, boxstyle="round,pad=0,rounding_size=0.15",
                                        fc="#f6f7f9", ec="#9aa3ad", lw=1.0, zorder=0))
            shifts = spec.shifts.count
            n_st = len(spec.stations)
            jph = (summary.get("jph") or {}).get(shop)
            sub = ", ".join(x for x in (f"{shifts} shift{'s' if shifts != 1 else ''}" if shifts else "",
                                        f"{n_st} stations", f"{jph:.1f} JPH simulated" if jph else "") if x)
            ax.text(x0 + 0.15, y_top - 0.2, shop.upper(), ha="left", va="center", fontsize=12, fontweight="bold",
                    color="#1d2b3a")
            ax.text(x0 + 0.15, y_top - 0.45, sub, ha="left", va="center", fontsize=8, color="#444444")
            main_x = x0 + w - PAD - NODE_W / 2
            for k, node in enumerate(main):
                node.x, node.y = main_x, y_top - TITLE_H - ROW * k - NODE_H / 2
            # arrows and buffers along the main flow
            for a, b in zip(main, main[1:]):
                mid = (a.bottom + b.top) / 2
                _arrow(ax, (a.x, a.bottom), (b.x, b.top))
                cap = caps.get(f"{shop}.{b.stations[0]}")
                if f"{shop}.{b.stations[0]}" in caps:
                    _buffer_label(ax, a.x, mid, cap)
            for node in main:
                _box(ax, node)
            # off-line repairs and quality loops
            if loops:
                index = {s: n for n in main for s in n.stations}
                by_name = {n.title: n for n in off}
                inspect = index.get(spec.quality.inspection)
                fail = failing_share(spec)
                off_x = x0 + PAD + OFF_W / 2
                wanted = []
                for path in loops:
                    re = index.get(path.reenter)
                    if inspect is None or re is None:
                        continue
                    repair = by_name.get(path.repair) if path.repair else None
                    wanted.append((path, re, repair))
                # place each repair box between its inspection and its re-entry, then push apart
                targets = {}
                for path, re, repair in wanted:
                    if repair is not None:
                        targets.setdefault(repair.title, []).append((inspect.y + re.y) / 2)
                order = sorted((sum(v) / len(v), k) for k, v in targets.items())  # lowest first, push up
                last = None
                for y, key in order:
                    if last is not None and y < last + (OFF_H + 0.45):
                        y = last + (OFF_H + 0.45)
                    by_name[key].x, by_name[key].y = off_x, y
                    last = y
                received: dict[str, float] = {}
                for path, re, repair in wanted:
                    share = path.share * fail
                    if repair is not None:
                        received[repair.title] = received.get(repair.title, 0) + share
                        a = (inspect.left, inspect.y - 0.12)
                        b = (repair.right, repair.y - 0.12)
                        _arrow(ax, a, b, LOOP, rad=0.0 if abs(a[1] - b[1]) < 0.05 else 0.15, ls="--")
                        c = (repair.right, repair.y + 0.12)
                        d = (re.left, re.y + (0.12 if re is inspect else 0.0))
                        _arrow(ax, c, d, LOOP, rad=0.0 if abs(c[1] - d[1]) < 0.05 else -0.15, ls="--")
                        if len(re.stations) > 1 and re.stations[0] != path.reenter:
                            ax.text(re.left - 0.05, re.y - 0.2, f"re-enter at {path.reenter}", ha="right",
                                    va="top", fontsize=7.2, color=LOOP, zorder=5)
                    else:
                        # straight back (e.g. a full repaint): a curve through the repair column
                        a = (inspect.left, inspect.y + 0.15)
                        b = (re.left, re.y)
                        bend = min(0.9, 0.25 + 0.12 * abs(a[1] - b[1]))
                        _arrow(ax, a, b, LOOP, rad=-bend if a[1] < b[1] else bend, ls="--")
                        apex = min(a[0], b[0]) - bend * abs(a[1] - b[1]) / 2
                        ax.text(apex - 0.08, b[1], f"{100 * share:.1f}% of inspected:\nstraight back",
                                ha="right", va="center", fontsize=7.4, color=LOOP, zorder=5)
                for title, share in received.items():
                    node = by_name[title]
                    ax.text(node.x, node.bottom - 0.05, f"gets {100 * share:.1f}% of inspected cars", ha="center",
                            va="top", fontsize=7.4, color=LOOP, zorder=5)
            unplaced = [n for n in off if n.y == 0.0]
            for k, node in enumerate(unplaced):  # a repair no loop names
                node.x, node.y = x0 + PAD + OFF_W / 2, y_top - panel_h + 0.5 + k * (OFF_H + 0.2)
            for node in off:
                _box(ax, node)
            placed.append((shop, main, x0, w))
            x0 += w + GAP
        # connections between shops, through the stores
        for (shop_a, main_a, xa, wa), (shop_b, main_b, xb, wb) in zip(placed, placed[1:]):
            if not main_a or not main_b:
                continue
            a, b = main_a[-1], main_b[0]
            gx = xa + wa + GAP / 2
            ax.add_line(Line2D([a.right, gx, gx], [a.y, a.y, b.y], color="#444444", lw=1.4, zorder=1))
            _arrow(ax, (gx, b.y), (b.left, b.y), lw=1.4)
            store = stores.get(shop_a)
            if store is not None:
                row = store_rows.get(store.name)
                detail = f"capacity {store.capacity:,}"
                if row is not None and pd.notna(row.mean_level):
                    mean = f"{row.mean_level:,.1f}" if row.mean_level < 10 else f"{row.mean_level:,.0f}"
                    detail += f"\nmean {mean} cars\nfull {100 * row.share_full:.0f}% of time"
                node = Node("store", store.name, detail, [], x=gx, y=(a.y + b.y) / 2, w=GAP - 0.1, h=0.9)
                ax.add_patch(FancyBboxPatch((node.left, node.bottom), node.w, node.h,
                                            boxstyle="round,pad=0,rounding_size=0.07", fc=FILL["store"],
                                            ec=EDGE["store"], lw=1.2, zorder=3))
                ax.text(node.x, node.top - 0.17, store.name, ha="center", va="center", fontsize=9.5,
                        fontweight="bold", zorder=4)
                ax.text(node.x, node.y - 0.12, detail, ha="center", va="center", fontsize=7.8, zorder=4)
                ax.text(node.x, node.bottom - 0.12, "store", ha="center", va="center", fontsize=8, zorder=4,
                        color=EDGE["store"], style="italic")
            elif f"{shop_b}.{b.stations[0]}" in caps:
                _buffer_label(ax, gx, (a.y + b.y) / 2, caps[f"{shop_b}.{b.stations[0]}"])
        # launch and end of line
        first, last = placed[0][1][0], placed[-1][1][-1]
        _arrow(ax, (first.left - 0.5, first.y), (first.left, first.y), lw=1.4)
        ax.text(first.left - 0.5, first.y + 0.08, "launch", ha="left", va="bottom", fontsize=8.5, color="#444444")
        _arrow(ax, (last.right, last.y), (last.right + 0.45, last.y), lw=1.4)
        ax.text(last.right + 0.48, last.y, "finished\ncars", ha="left", va="center", fontsize=8.5, color="#444444")
        handles = [Patch(fc=FILL["line"], ec=EDGE["line"], label="paced line (one box: its stations move together)"),
                   Patch(fc=FILL["conveyor"], ec=EDGE["conveyor"], label="conveyor (tank, oven, booth)"),
                   Patch(fc=FILL["station"], ec=EDGE["station"], label="station"),
                   Patch(fc=FILL["repair"], ec=EDGE["repair"], label="off-line repair"),
                   Patch(fc=FILL["store"], ec=EDGE["store"], label="store between shops"),
                   Patch(fc="white", ec=BOTTLENECK, lw=2.4, label="bottleneck"),
                   Line2D([], [], color=LOOP, ls="--", label="quality loop (rework)")]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.3 / width, 1 - 0.05 / fig_h), ncol=4,
                  fontsize=9, frameon=False, handlelength=1.6, columnspacing=1.4)
    return fig
