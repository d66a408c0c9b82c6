"""A picture of the plant flow drawn from the resolved scenario.

Shops are panels side by side in flow order; inside a shop the flow runs top to
bottom. A paced line is one box (with its number of stations and takt), a
conveyor a blue box, a station a white box; the number on an arrow is the
buffer in front of the next box. Stores (WBS, PBS) sit between the shops.
Off-line repair stations stand to the left of the flow, and quality loops run
back from the inspection through the repair to the re-entry station.

A parallel section splits the flow at a bar into its branches, side by side,
and merges them at a second bar. Feeders stand to the right of the flow, one
row each, beside the box they feed: their boxes (smaller) run right to left
into a trunk that enters the joining box; the row's label names the feeder,
where it joins, how it is supplied (in sequence, to stock, the car's own part)
and its parts buffer. A feeder feeding another feeder's station sits in the row
under it. Lines leave the main boxes on the right into channels at the far
right: a dashed call-off from where a car orders its part (in sequence), a
teal take-off from where the car's own part (doors) comes off.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from ..scenario.topology import all_stations, failing_share
from .figures import RC, new_figure, placeholder
from .flow_layout import (FEED_H, GAP, LABEL_SIZE, NODE_W, OFF_H, OFF_W, PAD, TITLE_H, Node, Picture, Split,
                          buffer_text, picture, text_width)

FILL = {"line": "#dff0d8", "conveyor": "#dbe8f6", "station": "#ffffff", "repair": "#fde7d3", "store": "#fff5c2"}
EDGE = {"line": "#3c763d", "conveyor": "#2f5f98", "station": "#555555", "repair": "#b35c00", "store": "#8a6d00"}
LOOP = "#7b3294"
BOTTLENECK = "#c00000"
PARTS = "#444444"
CALL_OFF = "#8c8c8c"
TAKE_OFF = "#1b7f79"


def _buffer_caps(buffers: pd.DataFrame) -> dict[str, float]:
    if buffers is None or buffers.empty:
        return {}
    return {row.buffer: row.capacity for row in buffers.itertuples()}


def _box(ax, node: Node) -> None:
    kind = node.kind
    small = node.w < OFF_W
    ax.add_patch(FancyBboxPatch((node.left, node.bottom), node.w, node.h, boxstyle="round,pad=0,rounding_size=0.07",
                                fc=FILL[kind], ec=BOTTLENECK if node.bottleneck else EDGE[kind],
                                lw=2.8 if node.bottleneck else 1.0, zorder=3))
    if small:  # the largest type (down to 6.6 pt) that fits the title in the box
        size, limit, step = 8.0, len(node.title), 0.145
        while size > 6.6 and text_width(node.title, size, "bold") > node.w - 0.12:
            size -= 0.2
        while limit > 4 and text_width(node.title[:limit] + "…", size, "bold") > node.w - 0.12:
            limit -= 1
    elif kind == "repair":
        size, limit, step = 8.8, 21, 0.16
    else:
        size, limit, step = (9.5, 28, 0.16) if node.w >= NODE_W else (9.0, 23, 0.16)
    title = node.title if len(node.title) <= limit else node.title[:limit - 1] + "…"
    lines = node.detail.split("\n") if node.detail else []
    top = node.y + step * len(lines) / 2
    ax.text(node.x, top, title, ha="center", va="center", fontsize=size, fontweight="bold", zorder=4,
            color=BOTTLENECK if node.bottleneck else "#111111")
    for k, line in enumerate(lines):
        ax.text(node.x, top - step * (k + 1) - 0.02, line, ha="center", va="center",
                fontsize=6.9 if small else size - 1.3, color="#333333", zorder=4)
    tags = list(node.tags)
    if node.bottleneck:
        tags.insert(0, "BOTTLENECK")
    if tags:
        # a feeder's box has its row's label above it: its tag goes under it
        ax.text(node.left + 0.06, node.bottom if small else node.top, " · ".join(tags), ha="left", va="center",
                fontsize=7.4, zorder=5, color=BOTTLENECK if node.bottleneck else LOOP, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": BOTTLENECK if node.bottleneck else LOOP,
                      "lw": 0.8})


def _arrow(ax, a, b, colour="#444444", style="-|>", rad=0.0, lw=1.2, ls="-", z=2, scale=11):
    ax.add_patch(FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=scale, color=colour, lw=lw, linestyle=ls,
                                 connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0, zorder=z))


def _line(ax, xs, ys, colour=PARTS, lw=1.2, ls="-", z=1):
    ax.add_line(Line2D(xs, ys, color=colour, lw=lw, ls=ls, zorder=z, solid_capstyle="butt"))


def _buffer_label(ax, x, y, cap, prefix: str = "") -> None:
    ax.text(x + 0.08, y, prefix + buffer_text(cap), ha="left", va="center", fontsize=7.6, color="#666666",
            style="italic", zorder=4)


def _main_flow(ax, pic: Picture, caps: dict) -> None:
    """Arrows and buffers along the main flow, the parallel sections' split and merge, the main boxes."""
    shop = pic.shop

    def buffer(node: Node, x: float, y: float, prefix: str = "") -> None:
        key = f"{shop}.{node.stations[0]}"
        if key in caps:
            _buffer_label(ax, x, y, caps[key], prefix)
        elif prefix:
            ax.text(x + 0.08, y, prefix.rstrip(" ·"), ha="left", va="center", fontsize=7.6, color="#666666",
                    style="italic", zorder=4)

    def down(a: Node, b: Node) -> None:
        _arrow(ax, (b.x, a.bottom), (b.x, b.top))
        buffer(b, b.x, (a.bottom + b.top) / 2)

    prev = None
    for el in pic.elements:
        if isinstance(el, Node):
            if isinstance(prev, Node):
                down(prev, el)
            elif isinstance(prev, Split):
                _arrow(ax, (el.x, prev.merge_y), (el.x, el.top))
                buffer(el, el.x, (prev.merge_y + el.top) / 2)
        else:
            centre = (min(el.xs) + max(el.xs)) / 2
            if isinstance(prev, Node):
                _line(ax, [centre, centre], [prev.bottom, el.split_y], z=2)
            elif isinstance(prev, Split):
                _line(ax, [centre, centre], [prev.merge_y, el.split_y], z=2)
            _line(ax, [min(el.xs), max(el.xs)], [el.split_y, el.split_y], lw=1.6, z=2)
            _line(ax, [min(el.xs), max(el.xs)], [el.merge_y, el.merge_y], lw=1.6, z=2)
            rule = el.spec.rule.replace("_", " ")
            ax.text(centre + 0.1, el.split_y + 0.04, f"{el.spec.parallel}: parallel, {rule}", ha="left",
                    va="bottom", fontsize=7.8, color="#1d2b3a", fontweight="bold", zorder=4)
            for spec, branch in zip(el.spec.branches, el.branches):
                first = branch[0]
                _arrow(ax, (first.x, el.split_y), (first.x, first.top))
                name = spec.name if not spec.models else f"{spec.name} ({', '.join(spec.models)})"
                name = name if len(name) <= 24 else name[:23] + "…"
                buffer(first, first.x, (el.split_y + first.top) / 2, f"{name} · ")
                for a, b in zip(branch, branch[1:]):
                    down(a, b)
                _line(ax, [branch[-1].x, branch[-1].x], [branch[-1].bottom, el.merge_y], z=2)
        prev = el
    for node in pic.main:
        _box(ax, node)


def _feeders(ax, pic: Picture, caps: dict) -> None:
    """Each feeder's row: its boxes right to left, its label, the arrow into what it feeds; the trunks."""
    for block in pic.blocks:
        top_rows = [row for row in block.rows if row.depth == 0]
        node = block.node
        if node is not None and top_rows:
            ys = [row.y for row in top_rows]
            if not node.hidden:  # into the box's right side
                x = pic.trunk_x
                _line(ax, [x, x], [min(ys), max(ys + [block.entry])], lw=1.3)
                _arrow(ax, (x, block.entry), (node.right, block.entry), colour=PARTS, lw=1.3)
            else:  # another branch's box stands to its right: under that box, into this one from below
                x = max(pic.trunk_x - 0.12 * node.hidden, node.right + 0.08)
                y = node.bottom - 0.08 - 0.07 * node.hidden
                _line(ax, [x, x], [min(ys + [y]), max(ys + [y])], lw=1.3)
                _line(ax, [x, node.x + 0.45], [y, y], lw=1.3)
                _arrow(ax, (node.x + 0.45, y), (node.x + 0.45, node.bottom), colour=PARTS, lw=1.3, scale=9)
            for row in top_rows:
                _line(ax, [row.near.left, x], [row.y, row.y], lw=1.3)
        for row in block.rows:
            target = row.target
            if row.depth > 0 and target is not None:
                _line(ax, [row.near.left, target.x], [row.y, row.y], lw=1.1)
                _arrow(ax, (target.x, row.y), (target.x, target.bottom), lw=1.1, scale=9)
            for a, b in zip(row.nodes, row.nodes[1:]):
                _arrow(ax, (a.left, row.y), (b.right, row.y), lw=1.0, scale=9)
                key = f"{pic.shop}.{b.stations[0]}"
                if key in caps:
                    cap = caps[key]
                    ax.text((a.left + b.right) / 2, row.y + 0.05, "∞" if pd.isna(cap) else f"{cap:,.0f}",
                            ha="center", va="bottom", fontsize=6.5, color="#666666", style="italic", zorder=4)
            for node_ in row.nodes:
                _box(ax, node_)
            ax.text(row.near.left, row.y + FEED_H / 2 + 0.05, row.label, ha="left", va="bottom",
                    fontsize=LABEL_SIZE, color="#1d2b3a", zorder=5, gid=f"feeder-label:{row.name}")


def _channels(ax, pic: Picture) -> None:
    """Call-offs and take-offs: from the main box to the right, down the channel, into each feeder's first box."""
    for channel in pic.channels:
        node = channel.node
        y = node.lane(channel.kind)
        ys = [row.y for row in channel.rows]
        if channel.kind == "call-off":
            colour, lw, ls, style = CALL_OFF, 0.9, (0, (4, 2.5)), "->"
        else:
            colour, lw, ls, style = TAKE_OFF, 1.4, "-", "-|>"
        _line(ax, [node.right, channel.x, channel.x], [y, y, min(ys + [y])], colour=colour, lw=lw, ls=ls)
        if max(ys) > y:
            _line(ax, [channel.x, channel.x], [y, max(ys)], colour=colour, lw=lw, ls=ls)
        ax.text(node.right + 0.05, y + 0.015, channel.kind, ha="left", va="bottom", fontsize=6.3, color=colour,
                style="italic", zorder=4)
        for row in channel.rows:
            _arrow(ax, (channel.x, row.y), (row.far.right, row.y), colour=colour, lw=lw, ls=ls, style=style,
                   scale=8 if channel.kind == "call-off" else 10, z=1)


def _quality_loops(ax, pic: Picture, off_x: float, bottom: float) -> None:
    """Off-line repairs to the left of the flow, and the loops from the inspection through them."""
    spec, main, off, loops = pic.spec, pic.main, pic.off, pic.loops
    if loops:
        index = {s: n for n in main for s in n.stations}
        by_name = {n.title: n for n in off}
        inspect = index.get(spec.quality.inspection)
        fail = failing_share(spec)
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
        node.x, node.y = off_x, bottom + 0.5 + k * (OFF_H + 0.2)
    for node in off:
        _box(ax, node)


def _legend(feeders: bool, channels: set[str]) -> list:
    handles = [Patch(fc=FILL["line"], ec=EDGE["line"], label="paced line (one box: its stations move together)"),
               Patch(fc=FILL["conveyor"], ec=EDGE["conveyor"], label="conveyor (tank, oven, booth)"),
               Patch(fc=FILL["station"], ec=EDGE["station"], label="station"),
               Patch(fc=FILL["repair"], ec=EDGE["repair"], label="off-line repair"),
               Patch(fc=FILL["store"], ec=EDGE["store"], label="store between shops"),
               Patch(fc="white", ec=BOTTLENECK, lw=2.4, label="bottleneck"),
               Line2D([], [], color=LOOP, ls="--", label="quality loop (rework)")]
    if feeders:
        handles.append(Line2D([], [], color=PARTS, lw=1.3, label="feeder (parts into the station fitting them)"))
    if "call-off" in channels:
        handles.append(Line2D([], [], color=CALL_OFF, lw=0.9, ls=(0, (4, 2.5)),
                              label="call-off (a passing car orders its part)"))
    if "take-off" in channels:
        handles.append(Line2D([], [], color=TAKE_OFF, lw=1.4, label="take-off (the car's own part comes off)"))
    return handles


def _legend_columns(handles: list, room: float) -> int:
    """The most legend columns (up to 4) whose entries fit across the picture."""
    entry = [0.2 + 0.1 + text_width(h.get_label(), 9) for h in handles]  # handle, pad, text
    for ncol in (4, 3, 2):
        rows = -(-len(entry) // ncol)
        columns = [max(entry[k:k + rows]) for k in range(0, len(entry), rows)]
        if sum(columns) + 0.175 * (len(columns) - 1) <= room:
            return ncol
    return 1


def plant_flow_plot(run) -> Figure:
    """(e) Plant flow: shops in flow order, paced lines, conveyors, buffers, stores, quality loops,
    parallel sections and feeders."""
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

    pictures = [picture(shop, spec, models, stations, bottleneck, caps) for shop, spec in shops.items()]
    height = TITLE_H + max(pic.depth for pic in pictures) + 0.35
    lefts = [OFF_W + 0.55 if (pic.off or pic.loops) else 0.35 for pic in pictures]
    widths = [left + pic.main_w + pic.band_w + 2 * PAD for left, pic in zip(lefts, pictures)]
    width = sum(widths) + GAP * (len(pictures) - 1) + 1.45
    handles = _legend(any(pic.blocks for pic in pictures), {ch.kind for pic in pictures for ch in pic.channels})
    ncol = _legend_columns(handles, width - 0.6)
    top_margin, bottom_margin = 0.75 + 0.2 * max(0, -(-len(handles) // ncol) - 2), 0.2
    fig_h = height + top_margin + bottom_margin

    with matplotlib.rc_context(RC):
        fig = new_figure(width, fig_h)
        fig.set_layout_engine("none")
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, fig_h)
        ax.set_axis_off()
        x0 = 0.45
        y_top = fig_h - top_margin
        placed = []
        for pic, left, w in zip(pictures, lefts, widths):
            spec = pic.spec
            panel_h = height
            ax.add_patch(FancyBboxPatch((x0, y_top - panel_h), w, panel_h, boxstyle="round,pad=0,rounding_size=0.15",
                                        fc="#f6f7f9", ec="#9aa3ad", lw=1.0, zorder=0))
            shifts = spec.shifts.count
            n_st = len(all_stations(spec))
            n_feeders = len(spec.feeders)
            jph = (summary.get("jph") or {}).get(pic.shop)
            sub = ", ".join(x for x in (f"{shifts} shift{'s' if shifts != 1 else ''}" if shifts else "",
                                        f"{n_st} stations",
                                        f"{n_feeders} feeder{'s' if n_feeders != 1 else ''}" if n_feeders else "",
                                        f"{jph:.1f} JPH simulated" if jph else "") if x)
            ax.text(x0 + 0.15, y_top - 0.2, pic.shop.upper(), ha="left", va="center", fontsize=12,
                    fontweight="bold", color="#1d2b3a")
            ax.text(x0 + 0.15, y_top - 0.45, sub, ha="left", va="center", fontsize=8, color="#444444")
            pic.move(x0 + PAD + left + pic.main_w / 2, y_top - TITLE_H)
            _main_flow(ax, pic, caps)
            _feeders(ax, pic, caps)
            _channels(ax, pic)
            _quality_loops(ax, pic, x0 + PAD + OFF_W / 2, y_top - panel_h)
            placed.append((pic, x0, w))
            x0 += w + GAP
        # connections between shops, through the stores
        for (pic_a, xa, wa), (pic_b, xb, wb) in zip(placed, placed[1:]):
            a, b = pic_a.exit, pic_b.entry
            if a is None or b is None:
                continue
            gx = xa + wa + GAP / 2
            ax.add_line(Line2D([a.right, gx, gx], [a.y, a.y, b.y], color="#444444", lw=1.4, zorder=1))
            _arrow(ax, (gx, b.y), (b.left, b.y), lw=1.4)
            store = stores.get(pic_a.shop)
            first_b = pic_b.main[0] if pic_b.main else None
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
            elif first_b is not None and f"{pic_b.shop}.{first_b.stations[0]}" in caps:
                _buffer_label(ax, gx, (a.y + b.y) / 2, caps[f"{pic_b.shop}.{first_b.stations[0]}"])
        # launch and end of line
        first, last = placed[0][0].entry, placed[-1][0].exit
        end = placed[-1][1] + placed[-1][2] - PAD + 0.45  # past the feeders' band, if any
        if first is not None:
            _arrow(ax, (first.left - 0.5, first.y), (first.left, first.y), lw=1.4)
            ax.text(first.left - 0.5, first.y + 0.08, "launch", ha="left", va="bottom", fontsize=8.5,
                    color="#444444")
        if last is not None:
            _arrow(ax, (last.right, last.y), (end, last.y), lw=1.4)
            ax.text(end + 0.03, last.y, "finished\ncars", ha="left", va="center", fontsize=8.5,
                    color="#444444")
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.3 / width, 1 - 0.05 / fig_h), ncol=ncol,
                  fontsize=9, frameon=False, handlelength=1.6, columnspacing=1.4)
    return fig
