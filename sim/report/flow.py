"""A picture of the plant flow drawn from the resolved scenario.

Shops are bands one under the other in flow order, their main flows in one
column down the page, so that the picture is only as wide as its widest shop
and shows whole on a 1,400 px page with no type under 8 pt; inside a shop the
flow runs top to bottom. A paced line is one box (with its number of stations
and takt), a conveyor a blue box, a station a white box; the number on an arrow
is the buffer in front of the next box. Stores (WBS, PBS) sit in the gap
between the bands, on the line from one shop's end to the next one's start.
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

from dataclasses import dataclass

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch

from ..scenario.topology import all_stations, failing_share
from .figures import RC, new_figure, placeholder
from .flow_layout import (BAND_GAP, FEED_H, LABEL_SIZE, NODE_W, OFF_H, OFF_W, PAD, SMALL, TITLE_H, Node, Picture,
                          Split, buffer_text, picture, text_width)

FILL = {"line": "#dff0d8", "conveyor": "#dbe8f6", "station": "#ffffff", "repair": "#fde7d3", "store": "#fff5c2"}
EDGE = {"line": "#3c763d", "conveyor": "#2f5f98", "station": "#555555", "repair": "#b35c00", "store": "#8a6d00"}
LOOP = "#7b3294"
BOTTLENECK = "#c00000"
PARTS = "#444444"
CALL_OFF = "#8c8c8c"
TAKE_OFF = "#1b7f79"
MARGIN = 0.45  # left of the bands: the lines from one shop down into the next run there
FINISH_W = 0.8  # right of the bands: those lines, and the finished cars leaving the last shop
STORE_W, STORE_H = 1.6, 0.9


def _buffer_caps(buffers: pd.DataFrame) -> dict[str, float]:
    if buffers is None or buffers.empty:
        return {}
    return {row.buffer: row.capacity for row in buffers.itertuples()}


def _put(ax, patch) -> None:
    """A box or an arrow onto the picture as an artist, not as a patch (``add_patch``): a patch widens the axes'
    limits to take it in, working out an arrow's whole path for that (a quarter of the picture's making), and the
    picture's limits are set."""
    ax.add_artist(patch)


def _box(ax, node: Node) -> None:
    kind = node.kind
    small = node.w < OFF_W
    _put(ax, FancyBboxPatch((node.left, node.bottom), node.w, node.h, boxstyle="round,pad=0,rounding_size=0.07",
                            fc=FILL[kind], ec=BOTTLENECK if node.bottleneck else EDGE[kind],
                            lw=2.8 if node.bottleneck else 1.0, zorder=3))
    if small:  # a feeder's box: the smallest type, the title cut to fit
        size, limit, step = SMALL, len(node.title), 0.145
        while limit > 4 and text_width(node.title[:limit] + "…", size, "bold") > node.w - 0.1:
            limit -= 1
    elif kind == "repair":
        size, limit, step = 9.3, 21, 0.16
    else:
        size, limit, step = (9.5, 28, 0.16) if node.w >= NODE_W else (9.3, 23, 0.16)
    title = node.title if len(node.title) <= limit else node.title[:limit - 1] + "…"
    lines = node.detail.split("\n") if node.detail else []
    top = node.y + step * len(lines) / 2
    ax.text(node.x, top, title, ha="center", va="center", fontsize=size, fontweight="bold", zorder=4,
            color=BOTTLENECK if node.bottleneck else "#111111")
    for k, line in enumerate(lines):
        ax.text(node.x, top - step * (k + 1) - 0.02, line, ha="center", va="center",
                fontsize=SMALL if small else size - 1.3, color="#333333", zorder=4)
    tags = list(node.tags)
    if node.bottleneck:
        tags.insert(0, "BOTTLENECK")
    if tags:
        # a feeder's box has its row's label above it: its tag goes under it
        ax.text(node.left + 0.06, node.bottom if small else node.top, " · ".join(tags), ha="left", va="center",
                fontsize=SMALL, zorder=5, color=BOTTLENECK if node.bottleneck else LOOP, fontweight="bold",
                bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": BOTTLENECK if node.bottleneck else LOOP,
                      "lw": 0.8})


def _arrow(ax, a, b, colour="#444444", style="-|>", rad=0.0, lw=1.2, ls="-", z=2, scale=11):
    _put(ax, FancyArrowPatch(a, b, arrowstyle=style, mutation_scale=scale, color=colour, lw=lw, linestyle=ls,
                             connectionstyle=f"arc3,rad={rad}", shrinkA=0, shrinkB=0, zorder=z))


def _line(ax, xs, ys, colour=PARTS, lw=1.2, ls="-", z=1):
    ax.add_line(Line2D(xs, ys, color=colour, lw=lw, ls=ls, zorder=z, solid_capstyle="butt"))


def _buffer_label(ax, x, y, cap, prefix: str = "") -> None:
    ax.text(x + 0.08, y, prefix + buffer_text(cap), ha="left", va="center", fontsize=SMALL, color="#666666",
            style="italic", zorder=4)


def _main_flow(ax, pic: Picture, caps: dict) -> None:
    """Arrows and buffers along the main flow, the parallel sections' split and merge, the main boxes."""
    shop = pic.shop

    def buffer(node: Node, x: float, y: float, prefix: str = "") -> None:
        key = f"{shop}.{node.stations[0]}"
        if key in caps:
            _buffer_label(ax, x, y, caps[key], prefix)
        elif prefix:
            ax.text(x + 0.08, y, prefix.rstrip(" ·"), ha="left", va="center", fontsize=SMALL, color="#666666",
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
                    va="bottom", fontsize=SMALL, color="#1d2b3a", fontweight="bold", zorder=4)
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
                            ha="center", va="bottom", fontsize=SMALL, color="#666666", style="italic", zorder=4)
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
        ax.text(node.right + 0.05, y + 0.015, channel.kind, ha="left", va="bottom", fontsize=SMALL, color=colour,
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
                            va="top", fontsize=SMALL, color=LOOP, zorder=5)
            else:
                # straight back (e.g. a full repaint): a curve through the repair column
                a = (inspect.left, inspect.y + 0.15)
                b = (re.left, re.y)
                bend = min(0.9, 0.25 + 0.12 * abs(a[1] - b[1]))
                _arrow(ax, a, b, LOOP, rad=-bend if a[1] < b[1] else bend, ls="--")
                apex = min(a[0], b[0]) - bend * abs(a[1] - b[1]) / 2
                ax.text(apex - 0.08, b[1], f"{100 * share:.1f}% of inspected:\nstraight back",
                        ha="right", va="center", fontsize=SMALL, color=LOOP, zorder=5)
        for title, share in received.items():
            node = by_name[title]
            ax.text(node.x, node.bottom - 0.05, f"gets {100 * share:.1f}% of inspected cars", ha="center",
                    va="top", fontsize=SMALL, color=LOOP, zorder=5)
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


@dataclass
class Band:
    """A shop's panel as placed: the width of the picture, its top at y_top."""
    pic: Picture
    x0: float
    y_top: float
    width: float
    height: float
    own_w: float  # what its own boxes, feeders and channels need (the panel may be wider)

    @property
    def bottom(self) -> float:
        return self.y_top - self.height


def _shop_heading(ax, band: Band, summary: dict) -> None:
    spec = band.pic.spec
    shifts = spec.shifts.count
    n_st = len(all_stations(spec))
    n_feeders = len(spec.feeders)
    jph = (summary.get("jph") or {}).get(band.pic.shop)
    sub = ", ".join(x for x in (f"{shifts} shift{'s' if shifts != 1 else ''}" if shifts else "",
                                f"{n_st} stations",
                                f"{n_feeders} feeder{'s' if n_feeders != 1 else ''}" if n_feeders else "",
                                f"{jph:.1f} JPH simulated" if jph else "") if x)
    ax.text(band.x0 + 0.15, band.y_top - 0.2, band.pic.shop.upper(), ha="left", va="center", fontsize=12,
            fontweight="bold", color="#1d2b3a")
    ax.text(band.x0 + 0.15, band.y_top - 0.45, sub, ha="left", va="center", fontsize=SMALL, color="#444444")


def _shop(ax, band: Band, summary: dict, caps: dict, left: float) -> None:
    """A shop's panel and everything in it; its main column stands `left` in from the panel's edge."""
    pic = band.pic
    _put(ax, FancyBboxPatch((band.x0, band.bottom), band.width, band.height,
                            boxstyle="round,pad=0,rounding_size=0.15", fc="#f6f7f9", ec="#9aa3ad", lw=1.0, zorder=0))
    _shop_heading(ax, band, summary)
    pic.move(band.x0 + PAD + left + pic.main_w / 2, band.y_top - TITLE_H)
    _main_flow(ax, pic, caps)
    _feeders(ax, pic, caps)
    _channels(ax, pic)
    _quality_loops(ax, pic, band.x0 + PAD + OFF_W / 2, band.bottom)


def _store_box(ax, store, row, x: float, y: float) -> None:
    """A store between two shops' bands, with its capacity and (simulated) mean level and time full."""
    detail = f"capacity {store.capacity:,}"
    if row is not None and pd.notna(row.mean_level):
        mean = f"{row.mean_level:,.1f}" if row.mean_level < 10 else f"{row.mean_level:,.0f}"
        detail += f"\nmean {mean} cars\nfull {100 * row.share_full:.0f}% of time"
    node = Node("store", store.name, detail, [], x=x, y=y, w=STORE_W, h=STORE_H)
    _put(ax, FancyBboxPatch((node.left, node.bottom), node.w, node.h, boxstyle="round,pad=0,rounding_size=0.07",
                            fc=FILL["store"], ec=EDGE["store"], lw=1.2, zorder=3))
    ax.text(node.x, node.top - 0.17, store.name, ha="center", va="center", fontsize=9.5, fontweight="bold", zorder=4)
    ax.text(node.x, node.y - 0.12, detail, ha="center", va="center", fontsize=SMALL, zorder=4)
    ax.text(node.right + 0.08, node.bottom + 0.12, "store", ha="left", va="center", fontsize=SMALL, zorder=4,
            color=EDGE["store"], style="italic")


def _between(ax, a: Band, b: Band, store, store_row, caps: dict) -> None:
    """From a shop's end to the next shop's start, in the band under it: out past the right of the upper band,
    back left through the store in the gap between the bands, down the left of the lower band, into its first
    box (the lines stay clear of both bands' boxes and headings)."""
    out, into = a.pic.exit, b.pic.entry
    if out is None or into is None:
        return
    right, left = a.x0 + a.width + 0.2, b.x0 - 0.2
    gap_y = a.bottom - BAND_GAP / 2
    ax.add_line(Line2D([out.right, right, right, left, left], [out.y, out.y, gap_y, gap_y, into.y],
                       color="#444444", lw=1.4, zorder=1))
    _arrow(ax, (left, into.y), (into.left, into.y), lw=1.4)
    middle = b.x0 + b.width / 2
    first = b.pic.main[0] if b.pic.main else None
    if store is not None:
        _store_box(ax, store, store_row, middle, gap_y)
    elif first is not None and f"{b.pic.shop}.{first.stations[0]}" in caps:
        _buffer_label(ax, middle, gap_y + 0.12, caps[f"{b.pic.shop}.{first.stations[0]}"])


def _launch_and_finish(ax, first: Band, last: Band) -> None:
    """The launch into the first shop and the finished cars out of the last one, past its feeders' band."""
    start, end = first.pic.entry, last.pic.exit
    if start is not None:
        _arrow(ax, (start.left - 0.5, start.y), (start.left, start.y), lw=1.4)
        ax.text(start.left - 0.5, start.y + 0.08, "launch", ha="left", va="bottom", fontsize=8.5, color="#444444")
    if end is not None:
        x = last.x0 + last.own_w - PAD + 0.3
        _arrow(ax, (end.right, end.y), (x, end.y), lw=1.4)
        ax.text(x + 0.03, end.y, "finished\ncars", ha="left", va="center", fontsize=8.5, color="#444444")


def plant_flow_plot(run) -> Figure:
    """(e) Plant flow: shops in flow order, one band under the other (so that a plant of many shops stays as
    wide as its widest shop and its type readable on the page), paced lines, conveyors, buffers, stores between
    the bands, quality loops, parallel sections and feeders."""
    summary = run.summary
    scenario = run.scenario
    if scenario is None:
        return placeholder("Plant flow", "the run's stored scenario could not be read back")
    stations = run.stations if run.stations is not None else pd.DataFrame()
    caps = _buffer_caps(run.buffers)
    stores = {s.after: s for s in scenario.stores}
    store_rows = {}
    if run.buffers is not None and not run.buffers.empty:
        store_rows = {row.buffer: row for row in run.buffers.itertuples()}

    pictures = [picture(shop, spec, scenario.product.models, stations, summary.get("bottleneck") or {}, caps)
                for shop, spec in scenario.shops.items()]
    # one column for the main flow of every shop, as far in as the shop with off-line repairs needs: the flow
    # reads straight down the page from band to band
    left = OFF_W + 0.55 if any(pic.off or pic.loops for pic in pictures) else 0.35
    own = [left + pic.main_w + pic.band_w + 2 * PAD for pic in pictures]
    heights = [TITLE_H + pic.depth + 0.35 for pic in pictures]
    panel_w = max(own)
    width = MARGIN + panel_w + FINISH_W
    handles = _legend(any(pic.blocks for pic in pictures), {ch.kind for pic in pictures for ch in pic.channels})
    ncol = _legend_columns(handles, width - 0.6)
    top_margin, bottom_margin = 0.75 + 0.2 * max(0, -(-len(handles) // ncol) - 2), 0.2
    fig_h = top_margin + sum(heights) + BAND_GAP * (len(pictures) - 1) + bottom_margin

    with matplotlib.rc_context(RC):
        fig = new_figure(width, fig_h)
        fig.set_layout_engine("none")
        ax = fig.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, width)
        ax.set_ylim(0, fig_h)
        ax.set_axis_off()
        bands, y_top = [], fig_h - top_margin
        for pic, w, h in zip(pictures, own, heights):
            band = Band(pic, MARGIN, y_top, panel_w, h, w)
            _shop(ax, band, summary, caps, left)
            bands.append(band)
            y_top = band.bottom - BAND_GAP
        for a, b in zip(bands, bands[1:]):
            store = stores.get(a.pic.shop)
            _between(ax, a, b, store, store_rows.get(store.name) if store is not None else None, caps)
        _launch_and_finish(ax, bands[0], bands[-1])
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.3 / width, 1 - 0.05 / fig_h), ncol=ncol,
                  fontsize=9, frameon=False, handlelength=1.6, columnspacing=1.4)
    return fig
