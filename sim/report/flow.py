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

from dataclasses import dataclass, field

import matplotlib
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Patch
from matplotlib.textpath import TextToPath

from ..scenario.topology import (Section, all_stations, failing_share, feeder_of, first_station, main_elements,
                                 model_cycle, node_groups, off_line)
from .plots import _RC, new_figure, placeholder

NODE_W, NODE_H, ROW = 2.35, 0.7, 0.98
OFF_W, OFF_H = 1.75, 0.7
PAD, TITLE_H, GAP = 0.2, 0.7, 1.3
BRANCH_W, BRANCH_GAP = 1.95, 0.3  # the boxes of a parallel section's branches, side by side
SPLIT_H, MERGE_H = 0.45, 0.42  # from the split bar to the branches' first boxes; from the merge bar to the next box
FEED_W, FEED_H, FEED_GAP, FEED_ROW = 1.5, 0.62, 0.38, 1.0  # a feeder's boxes, the gap between them, a row's pitch
TRUNK = 0.32  # from the main column's edge to the trunk the feeders of a box run into
INDENT = 0.3  # from the trunk (or the fed box of a feeder) to a feeder's nearest box
LANE = 0.16  # between the lines leaving a main box to the right (call-off, take-off, exit)
CHANNEL = 0.15  # between the vertical channels of those lines at the far right
LABEL_SIZE = 7.6
LABEL_UP = FEED_H / 2 + 0.2  # a row's label stands above its boxes, up to this far above the row's centre
LABEL_LINE = 0.13  # a second line of a label
LABEL_WRAP = 3.2  # a label wider than this (and than its row of boxes) goes on two lines

FILL = {"line": "#dff0d8", "conveyor": "#dbe8f6", "station": "#ffffff", "repair": "#fde7d3", "store": "#fff5c2"}
EDGE = {"line": "#3c763d", "conveyor": "#2f5f98", "station": "#555555", "repair": "#b35c00", "store": "#8a6d00"}
LOOP = "#7b3294"
BOTTLENECK = "#c00000"
PARTS = "#444444"
CALL_OFF = "#8c8c8c"
TAKE_OFF = "#1b7f79"
SUPPLY = {"in_sequence": "in sequence", "to_stock": "to stock", "own_part": "own part"}


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
    lanes: list[str] = field(default_factory=list)  # lines leaving to the right: call-off, take-off, exit
    hidden: int = 0  # boxes of other branches to its right (its feeders come in from below)

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

    def lane(self, kind: str) -> float:
        """Height of a line leaving the box to the right."""
        return self.top - 0.08 - LANE * self.lanes.index(kind)

    @property
    def lowest_lane(self) -> float:
        return self.lane(self.lanes[-1]) if self.lanes else self.top


@dataclass
class Point:
    """Where the flow enters or leaves a shop (a box's side, or a split or merge bar's end)."""
    x: float
    y: float

    left = right = property(lambda self: self.x)


@dataclass
class Split:
    """A parallel section as drawn: its branches side by side between a split bar and a merge bar."""
    spec: object  # schema.Parallel
    branches: list[list[Node]]
    xs: list[float]  # centre of each branch
    split_y: float = 0.0
    merge_y: float = 0.0


@dataclass
class Row:
    """One feeder: its boxes in flow order, drawn right to left toward what it feeds."""
    name: str
    feeder: object  # schema.Feeder
    nodes: list[Node]
    depth: int  # 0: feeds the main flow; 1: feeds a feeder; ...
    target: Node | None  # the box holding its join station
    label: str
    y: float = 0.0
    call: Node | None = None  # the main box where a car calls its part off (in sequence)
    take: Node | None = None  # the main box where the car's own part comes off

    @property
    def up(self) -> float:
        """How far the row's label reaches above the row's centre."""
        return LABEL_UP + LABEL_LINE * self.label.count("\n")

    @property
    def near(self) -> Node:
        """The box nearest what it feeds: the feeder's last."""
        return self.nodes[-1]

    @property
    def far(self) -> Node:
        """The feeder's first box, where call-offs and taken-off parts come in."""
        return self.nodes[0]


@dataclass
class Block:
    """The feeders of one main box: a row each, a feeder's own feeders in the rows under it."""
    node: Node | None  # None: feeders whose join could not be placed
    rows: list[Row]
    entry: float = 0.0  # height at which the trunk enters the box


@dataclass
class Channel:
    """Call-offs or take-offs from one main box: a line to the far right, down to its feeders' first boxes."""
    kind: str  # call-off, take-off
    node: Node
    rows: list[Row]
    x: float = 0.0


@dataclass
class Picture:
    """One shop laid out: main column centred on x = 0, its top at y = 0 (moved onto its panel later)."""
    shop: str
    spec: object  # schema.Shop
    elements: list  # Node | Split, in flow order
    main: list[Node]  # every box of the main flow, branches included
    off: list[Node]
    loops: list
    blocks: list[Block]
    channels: list[Channel]
    main_w: float = NODE_W
    band_w: float = 0.0
    depth: float = 0.0
    trunk_x: float = 0.0

    @property
    def rows(self) -> list[Row]:
        return [row for block in self.blocks for row in block.rows]

    @property
    def entry(self) -> Point | None:
        if not self.elements:
            return None
        first = self.elements[0]
        if isinstance(first, Split):
            return Point(min(first.xs), first.split_y)
        return Point(first.left, first.y)

    @property
    def exit(self) -> Point | None:
        if not self.elements:
            return None
        last = self.elements[-1]
        if isinstance(last, Split):
            return Point(max(last.xs), last.merge_y)
        return Point(last.right, last.lane("exit") if "exit" in last.lanes else last.y)

    def move(self, dx: float, dy: float) -> None:
        for node in self.main + self.off + [n for row in self.rows for n in row.nodes]:
            node.x += dx
            node.y += dy
        for el in self.elements:
            if isinstance(el, Split):
                el.xs = [x + dx for x in el.xs]
                el.split_y += dy
                el.merge_y += dy
        for block in self.blocks:
            block.entry += dy
            for row in block.rows:
                row.y += dy
        for channel in self.channels:
            channel.x += dx
        self.trunk_x += dx


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


def _text_width(text: str, size: float = LABEL_SIZE, weight: str = "normal") -> float:
    """Width of a line of text in inches (one unit of the picture)."""
    font = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return width / 72.0


def _buffer_text(cap) -> str:
    return "no buffer" if cap == 0 else ("buffer ∞" if pd.isna(cap) else f"buffer {cap:,.0f}")


def _picture(shop: str, spec, models, stations: pd.DataFrame, bottleneck: dict, caps: dict) -> Picture:
    """A shop's boxes and where they stand: main flow (parallel sections), off-line repairs, feeders."""
    rows = stations[stations["shop"] == shop].set_index("station") if not stations.empty else pd.DataFrame()

    def row_of(name):
        return rows.loc[name] if name in rows.index else None

    def station_detail(st) -> str:
        return ", ".join(x for x in (f"{st.servers} servers" if st.servers > 1 else "",
                                     _cycle(st, models, row_of(st.name))) if x)

    def box(group, w=NODE_W, h=NODE_H) -> Node:
        first = group[0]
        if first.line is not None:
            takt = spec.lines[first.line].takt
            n = len(group)
            detail = f"{n} station{'s' if n > 1 else ''}" + (f", takt {takt:g} s" if takt else ", paced")
            return Node("line", f"{first.line} line", detail, [st.name for st in group], w=w, h=h)
        if first.conveyor is not None:
            conveyor = first.conveyor
            detail = f"conveyor {_fmt_seconds(conveyor.transit_time)}, {conveyor.capacity} bodies"
            return Node("conveyor", first.name, detail, [first.name], w=w, h=h)
        return Node("station", first.name, station_detail(first), [first.name], w=w, h=h)

    elements, main = [], []
    for element in main_elements(spec):
        if isinstance(element, Section):
            branches = [[box(g, BRANCH_W) for g in groups] for groups in element.branches]
            n = len(branches)
            xs = [(k - (n - 1) / 2) * (BRANCH_W + BRANCH_GAP) for k in range(n)]
            for k, (x, branch) in enumerate(zip(xs, branches)):
                for i, node in enumerate(branch):
                    node.x = x
                    node.hidden = sum(1 for other in branches[k + 1:] if i < len(other))
            elements.append(Split(element.spec, branches, xs))
            main += [node for branch in branches for node in branch]
        else:
            node = box(element)
            elements.append(node)
            main.append(node)
    off = [Node("repair", st.name, station_detail(st), [st.name], w=OFF_W, h=OFF_H) for st in off_line(spec)]

    # feeders: a row each, in the block of the main box they feed, a feeder's own feeders under it
    where = {s: node for node in main for s in node.stations}
    chains = {name: [box(g, FEED_W, FEED_H) for g in node_groups(f.stations)] for name, f in spec.feeders.items()}
    box_of = dict(where)
    for chain in chains.values():
        box_of.update({s: node for node in chain for s in node.stations})
    order = {st.name: k for k, st in enumerate(all_stations(spec))}
    owner = feeder_of(spec)
    children: dict[str, list[str]] = {name: [] for name in spec.feeders}
    fed: dict[int, list[str]] = {}
    for name, f in spec.feeders.items():
        parent = owner.get(f.joins)
        if parent is not None and parent != name:
            children[parent].append(name)
        elif f.joins in where:
            fed.setdefault(id(where[f.joins]), []).append(name)
    by_join = lambda name: order.get(spec.feeders[name].joins, len(order))  # noqa: E731
    start = first_station(spec).name if main else None

    def label(name, f, chain) -> str:
        supply = SUPPLY.get(f.supply, f.supply)
        if f.supply == "own_part":
            supply = f"own part off at {f.taken_off_at}"
        elif f.supply == "in_sequence" and f.called_off_at and f.called_off_at != start:
            supply = f"in sequence from {f.called_off_at}"
        key = f"{shop}.{name}->{f.joins}"
        cap = caps[key] if key in caps else (f.buffer if f.buffer is not None else spec.buffer_capacity)
        shifts = getattr(f, "shifts", None)
        extra = f" · {shifts.count} shift{'s' if shifts.count != 1 else ''}" if shifts is not None else ""
        head, tail = f"{name} → {f.joins}", f"{supply} · {_buffer_text(cap)}{extra}"
        room = max(LABEL_WRAP, len(chain) * (FEED_W + FEED_GAP) - FEED_GAP)
        return f"{head} · {tail}" if _text_width(f"{head} · {tail}") <= room else f"{head}\n{tail}"

    seen: set[str] = set()

    def emit(name: str, depth: int, out: list[Row]) -> None:
        if name in seen:
            return
        seen.add(name)
        f = spec.feeders[name]
        call = where.get(f.called_off_at or start) if f.supply == "in_sequence" else None
        take = where.get(f.taken_off_at) if f.supply == "own_part" else None
        out.append(Row(name, f, chains[name], depth, box_of.get(f.joins), label(name, f, chains[name]),
                       call=call, take=take))
        for child in sorted(children[name], key=by_join):
            emit(child, depth + 1, out)

    blocks = []
    for node in main:
        if id(node) in fed:
            block = Block(node, [])
            for name in sorted(fed[id(node)], key=by_join):
                emit(name, 0, block.rows)
            blocks.append(block)
    stray: list[Row] = []  # a join that is nowhere (or a cycle of feeders): the reference checks report it
    for name in spec.feeders:
        emit(name, 0, stray)
    for row in stray:
        row.target = None if row.depth == 0 else row.target
    if stray:
        blocks.append(Block(None, stray))

    channels: list[Channel] = []
    for kind in ("call-off", "take-off"):
        for node in main:
            served = [row for block in blocks for row in block.rows
                      if (row.call if kind == "call-off" else row.take) is node]
            if served:
                channels.append(Channel(kind, node, served))
                node.lanes.append(kind)
    last = elements[-1] if elements else None
    if isinstance(last, Node) and any(block.node is last for block in blocks):
        last.lanes.append("exit")

    quality = spec.quality
    for node in main + off + [n for chain in chains.values() for n in chain]:
        member_rows = rows.loc[[s for s in node.stations if s in rows.index]] if not rows.empty else None
        active = _active(member_rows)
        if active:
            node.detail = f"{node.detail}\n{active}" if node.detail else active
        if bottleneck.get("shop") == shop and bottleneck.get("station") in node.stations:
            node.bottleneck = True
        if quality is not None and quality.inspection in node.stations:
            node.tags.append(f"inspection, first pass {100 * quality.first_pass_yield:.0f}%")
    loops = quality.rework if quality is not None else []
    pic = Picture(shop, spec, elements, main, off, loops, blocks, channels)
    _stack(pic)
    _spread(pic)
    return pic


def _put(row: Row, y: float) -> None:
    row.y = y
    for node in row.nodes:
        node.y = y


def _stack(pic: Picture) -> None:
    """Heights: the main flow top down, each box's feeder rows beside it (pushing the next box down)."""
    block_of = {id(block.node): block for block in pic.blocks if block.node is not None}

    def rows_beside(nodes: list[Node]) -> float:
        """Place the rows of these boxes (side by side) one under the other; the lowest point drawn."""
        blocks = [block_of[id(n)] for n in nodes if id(n) in block_of]
        low = min(n.bottom for n in nodes)
        if not blocks:
            return low
        up = blocks[0].rows[0].up
        y = None
        for block in blocks:
            node = block.node
            for row in block.rows:
                if y is None:
                    y = min(n.y - 0.1 if not n.lanes else min(n.y - 0.1, n.lowest_lane - 0.1 - up) for n in nodes)
                else:
                    y -= FEED_ROW + row.up - LABEL_UP
                _put(row, y)
            first = block.rows[0].y
            entry = max(first, node.bottom + 0.12)
            block.entry = min(entry, node.lowest_lane - 0.12) if node.lanes else min(entry, node.y)
        return min(low, y - FEED_H / 2 - 0.12)

    cursor = 0.0
    for k, el in enumerate(pic.elements):
        if isinstance(el, Node):
            el.y = cursor - NODE_H / 2
            cursor = min(cursor - ROW, rows_beside([el]) - (ROW - NODE_H))
        else:
            el.split_y = cursor - (0.08 if k else 0.2)
            top = el.split_y - SPLIT_H + 0.08
            low = 0.0
            for i in range(max(len(branch) for branch in el.branches)):
                nodes = [branch[i] for branch in reversed(el.branches) if i < len(branch)]  # nearest the feeders first
                for node in nodes:
                    node.y = top - NODE_H / 2
                bottom = rows_beside(nodes)
                low = min(low, bottom)
                top = min(top - ROW, bottom - (ROW - NODE_H))
            el.merge_y = low - 0.22
            cursor = el.merge_y - MERGE_H
    stray = next((block for block in pic.blocks if block.node is None), None)
    if stray is not None:
        y = cursor - 0.2 + FEED_ROW
        for row in stray.rows:
            y -= FEED_ROW + row.up - LABEL_UP
            _put(row, y)
        cursor = y - FEED_H / 2 - 0.3
    pic.depth = -cursor


def _spread(pic: Picture) -> None:
    """Widths: the main column (as wide as its widest parallel section), then the feeders' band to its right."""
    widths = [NODE_W] + [len(el.xs) * BRANCH_W + (len(el.xs) - 1) * BRANCH_GAP
                         for el in pic.elements if isinstance(el, Split)]
    pic.main_w = max(widths)
    pic.trunk_x = pic.main_w / 2 + TRUNK
    if not pic.blocks:
        return
    right = pic.trunk_x
    for row in pic.rows:
        near = pic.trunk_x + INDENT if row.depth == 0 or row.target is None else row.target.x + INDENT
        for k, node in enumerate(reversed(row.nodes)):
            node.x = near + FEED_W / 2 + k * (FEED_W + FEED_GAP)
        width = max(_text_width(line) for line in row.label.split("\n"))
        right = max(right, row.far.right, near + width)
    for k, channel in enumerate(pic.channels):
        channel.x = right + 0.3 + CHANNEL * k
    pic.band_w = right + 0.3 + CHANNEL * max(0, len(pic.channels) - 1) + 0.2 - pic.main_w / 2


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
        while size > 6.6 and _text_width(node.title, size, "bold") > node.w - 0.12:
            size -= 0.2
        while limit > 4 and _text_width(node.title[:limit] + "…", size, "bold") > node.w - 0.12:
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
    ax.text(x + 0.08, y, prefix + _buffer_text(cap), ha="left", va="center", fontsize=7.6, color="#666666",
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
    entry = [0.2 + 0.1 + _text_width(h.get_label(), 9) for h in handles]  # handle, pad, text
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

    pictures = [_picture(shop, spec, models, stations, bottleneck, caps) for shop, spec in shops.items()]
    height = TITLE_H + max(pic.depth for pic in pictures) + 0.35
    lefts = [OFF_W + 0.55 if (pic.off or pic.loops) else 0.35 for pic in pictures]
    widths = [left + pic.main_w + pic.band_w + 2 * PAD for left, pic in zip(lefts, pictures)]
    width = sum(widths) + GAP * (len(pictures) - 1) + 1.45
    handles = _legend(any(pic.blocks for pic in pictures), {ch.kind for pic in pictures for ch in pic.channels})
    ncol = _legend_columns(handles, width - 0.6)
    top_margin, bottom_margin = 0.75 + 0.2 * max(0, -(-len(handles) // ncol) - 2), 0.2
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
