"""Where the boxes of the plant-flow picture stand (``flow`` draws them): a shop's main flow top down with its
parallel sections side by side, its feeders in rows to the right beside the box they feed, and the channels of
the call-offs and take-offs at the far right. One unit of the picture is an inch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from ..scenario.topology import (Section, all_stations, feeder_of, first_station, main_elements, model_cycle,
                                 node_groups, off_line, parts_buffer)

NODE_W, NODE_H, ROW = 2.35, 0.7, 0.98
OFF_W, OFF_H = 1.75, 0.7
PAD, TITLE_H = 0.2, 0.7
BAND_GAP = 1.4  # between a shop's band and the next one's, under it: the store between them stands there
BRANCH_W, BRANCH_GAP = 1.95, 0.3  # the boxes of a parallel section's branches, side by side
SPLIT_H, MERGE_H = 0.45, 0.42  # from the split bar to the branches' first boxes; from the merge bar to the next box
FEED_W, FEED_H, FEED_GAP, FEED_ROW = 1.6, 0.62, 0.38, 1.0  # a feeder's boxes, the gap between them, a row's pitch
TRUNK = 0.32  # from the main column's edge to the trunk the feeders of a box run into
INDENT = 0.3  # from the trunk (or the fed box of a feeder) to a feeder's nearest box
LANE = 0.16  # between the lines leaving a main box to the right (call-off, take-off, exit)
CHANNEL = 0.15  # between the vertical channels of those lines at the far right
SMALL = 8.0  # the smallest type of the picture (pt): on a 1,400 px page, shown whole, it stays readable
LABEL_SIZE = SMALL
LABEL_UP = FEED_H / 2 + 0.2  # a row's label stands above its boxes, up to this far above the row's centre
LABEL_LINE = 0.13  # a second line of a label
LABEL_WRAP = 3.2  # a label wider than this (and than its row of boxes) goes on two lines
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


def text_width(text: str, size: float = LABEL_SIZE, weight: str = "normal") -> float:
    """Width of a line of text in inches (one unit of the picture)."""
    font = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    width, _, _ = TextToPath().get_text_width_height_descent(text, font, ismath=False)
    return width / 72.0


def buffer_text(cap) -> str:
    return "no buffer" if cap == 0 else ("buffer ∞" if pd.isna(cap) else f"buffer {cap:,.0f}")


def picture(shop: str, spec, models, stations: pd.DataFrame, bottleneck: dict, caps: dict) -> Picture:
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
        key = parts_buffer(shop, name, f.joins)
        cap = caps[key] if key in caps else (f.buffer if f.buffer is not None else spec.buffer_capacity)
        shifts = getattr(f, "shifts", None)
        extra = f" · {shifts.count} shift{'s' if shifts.count != 1 else ''}" if shifts is not None else ""
        head, tail = f"{name} → {f.joins}", f"{supply} · {buffer_text(cap)}{extra}"
        room = max(LABEL_WRAP, len(chain) * (FEED_W + FEED_GAP) - FEED_GAP)
        return f"{head} · {tail}" if text_width(f"{head} · {tail}") <= room else f"{head}\n{tail}"

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
        width = max(text_width(line) for line in row.label.split("\n"))
        right = max(right, row.far.right, near + width)
    for k, channel in enumerate(pic.channels):
        channel.x = right + 0.3 + CHANNEL * k
    pic.band_w = right + 0.3 + CHANNEL * max(0, len(pic.channels) - 1) + 0.2 - pic.main_w / 2
