"""The shifting bottleneck: Roser's active-period method (Roser, Nakano, Tanaka 2001, 2002).

A resource is *active* while it works or is down (repair, a booth's colour change) and
*inactive* while it waits: starved, blocked, for operators of its labour pool or for a
feeder's part. Its *active periods* are the maximal intervals without a wait. At every
instant the *momentary bottleneck* is the resource whose active period containing that
instant is the longest. Where the period of the bottleneck overlaps the period of the
next (or the previous) bottleneck, the bottleneck is *shifting*: during that overlap both
resources count as shifting bottlenecks. The rest of a resource's time as momentary
bottleneck is its *sole* bottleneck time. Per resource the view reports the sole share,
the shifting share and their sum, of the plant's on-shift time in the measured window.

What is one resource, and when it is active:

- a free-flow station with several servers is one resource, active while **none** of its
  servers waits: a server that waits means the station had room for a car (starved) or
  was held by the flow after it (blocked), so a car reaching it would not queue for it;
  the station's inactive time is the union of its servers' waits
  (``Station.idle_log``). A breakdown counted by ``clock: calendar`` while a server was
  waiting anyway stays inside the wait (inactive);
- a paced line is one resource (its stations index together), active during each index
  that took a car in (the phase, breakdowns that stop the line included) and inactive
  between indexes (starved at the entry, blocked at the exit, waiting for a feeder's
  part); an index with an empty entry (a conveyor's gap, a feeder line pushing its last
  parts out) counts as starved, an empty carrier left for a colour change as active. Read from
  the line's index record (``tick_start``, ``tick_end``, ``tick_model``, ``gap_ticks``) after the run;
- a conveyor the same, one resource.

Time axis. Each resource's periods are in its own shop's worked time (a feeder may have
its own shifts). They are put on one *plant axis*: the union of every shop's shift
windows, with the time no shop works taken out (off-shift time belongs to no bottleneck).
A period of a shop that stops while another works is cut where its shop is off shift;
its length stays its worked length, so shops on the same shifts compare on equal terms.
Ties between periods of the same length go to the resource earlier in flow order.

The computation runs in the replication (the worker process) so only a small table per
resource leaves it; it costs O(periods) numpy work per resource plus one Python step per
change of momentary bottleneck.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .stats import mean_ci, rounded

METHOD = ("Roser's active-period method: a resource's active periods are the intervals in which it does not wait "
          "(starved, blocked, labour, feeder); at each instant the resource with the longest active period is the "
          "momentary bottleneck; where its period overlaps the previous or next bottleneck's period both are "
          "shifting bottlenecks. Shares of the plant's on-shift time in the measured window; a free-flow station "
          "is active while none of its servers waits; a paced line or conveyor while it indexes with a car in")

COLUMNS = ["shop", "resource", "kind", "sole", "shifting", "total"]
"""A row per resource: shares of the plant's on-shift time in the measured window."""


@dataclass
class Pieces:
    """A resource's active periods on the common axis: pieces [lo, hi) sorted by lo, each with the
    worked length of the period it belongs to and the period's id (unique over all resources)."""
    lo: np.ndarray
    hi: np.ndarray
    length: np.ndarray
    period: np.ndarray


# ---------------------------------------------------------------- active periods of one resource

def complement(idle_lo, idle_hi, end: float) -> tuple[np.ndarray, np.ndarray]:
    """Active periods in [0, end]: what the union of the waits [idle_lo, idle_hi] leaves."""
    lo = np.asarray(idle_lo, dtype=float)
    hi = np.asarray(idle_hi, dtype=float)
    order = np.argsort(lo, kind="stable")
    lo, hi = lo[order], hi[order]
    reach = np.maximum.accumulate(hi) if hi.size else hi  # the union's right edge so far
    # an active period runs from the end of the union so far to the next wait that starts after it
    starts = np.concatenate([[0.0], reach])
    ends = np.concatenate([lo, [end]])
    keep = ends > starts
    return np.minimum(starts[keep], end), np.minimum(ends[keep], end)


def station_periods(idle_log, end: float) -> tuple[np.ndarray, np.ndarray]:
    """A free-flow station's active periods (worked time) from its servers' waits, flat (from, to) pairs."""
    waits = np.frombuffer(idle_log, dtype=float) if len(idle_log) else np.zeros(0)
    out = complement(waits[0::2], waits[1::2], end)
    return out[0][out[1] > out[0]], out[1][out[1] > out[0]]


def line_periods(tick_start, tick_end, tick_model, end: float, gap_ticks=()) -> tuple[np.ndarray, np.ndarray]:
    """A paced line's or conveyor's active periods (worked time): its indexes that took a unit in, or an
    empty carrier left for a colour change (``gap_ticks``: the booth's own time), back-to-back indexes
    joined into one period."""
    start = np.asarray(tick_start, dtype=float)
    stop = np.minimum(np.asarray(tick_end, dtype=float), end)
    took = np.asarray(tick_model, dtype=np.int64) >= 0
    took[np.asarray(gap_ticks, dtype=np.int64)] = True
    start, stop = start[took], stop[took]
    keep = stop > start
    start, stop = start[keep], stop[keep]
    if not start.size:
        return start, stop
    new = np.ones(start.size, dtype=bool)
    new[1:] = start[1:] > stop[:-1]
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, start.size - 1)
    return start[first], stop[last]


# ---------------------------------------------------------------- the common axis

class Axis:
    """The plant axis: wall time with the hours no shop works taken out (sorted, disjoint windows)."""

    def __init__(self, windows: list[tuple[float, float]]):
        merged: list[list[float]] = []
        for a, b in sorted(windows):
            if merged and a <= merged[-1][1] + 1e-9:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = np.array([a for a, _ in merged])
        self.ends = np.array([b for _, b in merged])
        self.cum = np.concatenate([[0.0], np.cumsum(self.ends - self.starts)[:-1]])

    def at(self, wall) -> np.ndarray:
        """Position on the axis of wall times inside the windows."""
        wall = np.asarray(wall, dtype=float)
        i = np.clip(np.searchsorted(self.starts, wall, side="right") - 1, 0, None)
        return self.cum[i] + np.minimum(wall, self.ends[i]) - self.starts[i]


def on_axis(lo: np.ndarray, hi: np.ndarray, clock, axis: Axis, first_id: int) -> Pieces:
    """Periods [lo, hi] of a resource (worked time of ``clock``, a ``ShiftClock``) as pieces on the plant axis,
    cut where the resource's shifts stop while other shops work; period ids from ``first_id``."""
    n = lo.size
    ids = np.arange(first_id, first_id + n)
    length = hi - lo
    starts, ends = np.asarray(clock.starts), np.asarray(clock.ends)
    if starts.size == axis.starts.size and np.array_equal(starts, axis.starts) and np.array_equal(ends, axis.ends):
        return Pieces(lo, hi, length, ids)  # the plant's own shifts: worked time is the axis
    cum, cum_end = np.asarray(clock.cum), np.asarray(clock.cum_end)
    offset = axis.at(starts) - cum  # where each of the clock's windows lies on the axis
    last = cum.size - 1
    i0 = np.minimum(np.searchsorted(cum_end, lo, side="right"), last)  # a period starting at a window's end
    i1 = np.minimum(np.searchsorted(cum_end, hi, side="left"), last)   # starts in the next window
    count = np.maximum(i1 - i0 + 1, 1)
    owner = np.repeat(np.arange(n), count)
    window = i0[owner] + np.arange(owner.size) - np.repeat(np.cumsum(count) - count, count)
    plo = np.maximum(lo[owner], cum[window]) + offset[window]
    phi = np.minimum(hi[owner], cum_end[window]) + offset[window]
    keep = phi > plo
    owner, plo, phi = owner[keep], plo[keep], phi[keep]
    if not owner.size:
        return Pieces(plo, phi, plo, owner)
    # pieces of one period that meet on the axis (no other shop worked between them) are one piece
    new = np.ones(owner.size, dtype=bool)
    new[1:] = (owner[1:] != owner[:-1]) | (plo[1:] > phi[:-1] + 1e-9)
    first = np.flatnonzero(new)
    last_piece = np.append(first[1:] - 1, owner.size - 1)
    owner = owner[first]
    return Pieces(plo[first], phi[last_piece], length[owner], ids[owner])


# ---------------------------------------------------------------- the momentary bottleneck

def momentary(resources: list[Pieces], lo: float, hi: float) -> tuple[np.ndarray, np.ndarray]:
    """The momentary bottleneck over [lo, hi]: breakpoints x and, per segment [x[i], x[i+1]), the id of
    the longest period covering it (-1: no resource active). Resources are merged one at a time into
    the upper envelope of period lengths; a later resource wins only with a strictly longer period."""
    x = np.array([lo, hi], dtype=float)
    best = np.array([-1.0])
    owner = np.array([-1], dtype=np.int64)
    for r in resources:
        if not r.lo.size:
            continue
        points = np.concatenate([r.lo, r.hi])
        x_new = np.union1d(x, points[(points > lo) & (points < hi)])
        left = x_new[:-1]
        old = np.searchsorted(x, left, side="right") - 1
        q = np.searchsorted(r.lo, left, side="right") - 1
        qc = np.maximum(q, 0)
        covered = (q >= 0) & (left < r.hi[qc])
        candidate = np.where(covered, r.length[qc], -1.0)
        take = candidate > best[old]
        best_new = np.where(take, candidate, best[old])
        owner_new = np.where(take, r.period[qc], owner[old])
        change = np.ones(owner_new.size, dtype=bool)
        change[1:] = owner_new[1:] != owner_new[:-1]
        x = np.append(left[change], x_new[-1])
        best, owner = best_new[change], owner_new[change]
    return x, owner


def _measure(intervals: list[tuple[float, float]], lo: float, hi: float) -> float:
    """Length of the union of intervals inside [lo, hi]."""
    total, reach = 0.0, lo
    for a, b in sorted(intervals):
        a, b = max(a, reach), min(b, hi)
        if b > a:
            total += b - a
            reach = b
    return total


def _intersect(a: list[tuple[float, float]], b: list[tuple[float, float]]) -> list[tuple[float, float]]:
    out = []
    for a0, a1 in a:
        for b0, b1 in b:
            lo, hi = max(a0, b0), min(a1, b1)
            if hi > lo:
                out.append((lo, hi))
    return out


def bottleneck_shares(resources: list[Pieces], window: tuple[float, float],
                      span: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Seconds of ``window`` (on the axis) each resource is sole and shifting bottleneck.

    ``span``: the whole axis the periods may cover (default: the window), so that a period's
    overlap with a bottleneck just outside the window is seen."""
    span = span or window
    x, owner = momentary(resources, *span)
    # period ids are consecutive per resource: a period's resource is the last one starting at or below it
    firsts = [(int(r.period.min()), k) for k, r in enumerate(resources) if r.period.size]
    first_ids = np.array([f for f, _ in sorted(firsts)], dtype=np.int64)
    first_owner = [k for _, k in sorted(firsts)]

    def resource_of(pid: int) -> int:
        return first_owner[int(np.searchsorted(first_ids, pid, side="right")) - 1]

    pieces: dict[int, list[tuple[float, float]]] = {}
    reigning = owner >= 0
    reign_lo, reign_hi, reign = x[:-1][reigning], x[1:][reigning], owner[reigning]
    needed = set(int(p) for p in np.unique(reign))
    for r in resources:
        mask = np.isin(r.period, list(needed))
        for pid, a, b in zip(r.period[mask].tolist(), r.lo[mask].tolist(), r.hi[mask].tolist()):
            pieces.setdefault(pid, []).append((a, b))
    reign_lo, reign_hi, reign = reign_lo.tolist(), reign_hi.tolist(), reign.tolist()
    overlaps = [[] if p == q else _intersect(pieces[p], pieces[q]) for p, q in zip(reign, reign[1:])]
    shifting_of: dict[int, list] = {}
    for i, p in enumerate(reign):
        around = (overlaps[i - 1] if i > 0 else []) + (overlaps[i] if i < len(overlaps) else [])
        shifting_of.setdefault(p, []).extend(around)
    sole = np.zeros(len(resources))
    shifting = np.zeros(len(resources))
    w0, w1 = window
    for p, sets in shifting_of.items():
        shifting[resource_of(p)] += _measure(sets, w0, w1)
    for a, b, p in zip(reign_lo, reign_hi, reign):
        a, b = max(a, w0), min(b, w1)
        if b > a:
            sole[resource_of(p)] += (b - a) - _measure(shifting_of[p], a, b)
    return sole, shifting


# ---------------------------------------------------------------- one replication of the plant

def plant_resources(plant) -> list[tuple[dict, np.ndarray, np.ndarray, object]]:
    """(identity, period starts, period ends, clock) of every resource of a plant run, in flow order:
    free-flow stations from their waits, paced lines and conveyors from their index record."""
    out = []
    for nodes in plant.nodes.values():
        for node in nodes:
            end = node.clock.worked(plant.env.now)
            if hasattr(node, "idle_log"):
                lo, hi = station_periods(node.idle_log, end)
                ident = {"shop": node.shop, "resource": node.name, "kind": "station"}
            else:
                lo, hi = line_periods(node.tick_start, node.tick_end, node.tick_model, end, node.gap_ticks)
                ident = {"shop": node.shop, "resource": node.name if node.gaps else f"{node.name} line",
                         "kind": "conveyor" if node.gaps else "line"}
            out.append((ident, lo, hi, node.clock))
    return out


def shifting_table(plant) -> pd.DataFrame:
    """A row per resource of one replication: its sole, shifting and total share of the plant's on-shift
    time in the measured window (``COLUMNS``)."""
    found = plant_resources(plant)
    clocks = {id(clock): clock for *_, clock in found}
    axis = Axis([(a, b) for clock in clocks.values() for a, b in zip(clock.starts, clock.ends)])
    pieces, first = [], 0
    for _, lo, hi, clock in found:
        pieces.append(on_axis(lo, hi, clock, axis, first))
        first += lo.size
    window = (float(axis.at(plant.window.lo)), float(axis.at(plant.window.hi)))
    span = (0.0, float(axis.at(plant.env.now)))
    sole, shifting = bottleneck_shares(pieces, window, span)
    on_shift = window[1] - window[0]
    rows = []
    for (ident, *_), s, t in zip(found, sole, shifting):
        share_sole = s / on_shift if on_shift > 0 else 0.0
        share_shifting = t / on_shift if on_shift > 0 else 0.0
        rows.append({**ident, "sole": share_sole, "shifting": share_shifting, "total": share_sole + share_shifting})
    return pd.DataFrame(rows, columns=COLUMNS)


# ---------------------------------------------------------------- over replications

def shifting_summary(tables: list[pd.DataFrame], top: int = 10) -> dict:
    """summary.json's ``shifting_bottleneck``: per resource that was ever the bottleneck, its sole, shifting
    and total share (mean and 95% t interval over replications), largest total first (at most ``top``)."""
    stacked = pd.concat(tables, ignore_index=True)
    n = len(tables)
    rows = []
    for (shop, resource), group in stacked.groupby(["shop", "resource"], sort=False):
        if not (group["total"] > 0).any():
            continue
        row = {"shop": shop, "resource": resource, "kind": group["kind"].iloc[0]}
        for column in ("sole", "shifting", "total"):
            values = list(group[column]) + [0.0] * (n - len(group))
            ci = mean_ci(values)
            if ci["ci95_low"] is not None:  # a share's interval stays within [0, 1]
                ci["ci95_low"], ci["ci95_high"] = max(0.0, ci["ci95_low"]), min(1.0, ci["ci95_high"])
            row[column] = rounded(ci, 5)
        rows.append(row)
    rows.sort(key=lambda r: -r["total"]["mean"])
    return {"method": METHOD, "resources": rows[:top]}
