"""Where the cars went: the loss waterfall, from the nameplate down to the cars made.

The *nameplate* is the calendar's net shift hours a year times the ideal rate of the plant's slowest resource
(a paced line, or a station): no stop, no repair pass, every car at its ideal cycle. The *reference* is that
resource (of several as slow, the most active: the bottleneck rule). Every hour of the reference's calendar
that did not make a car is a loss of ``ideal rate x hours`` cars, by the state the engine kept it in:

* the calendar: shift hours the scenario's calendar plans that the run did not work (a dated shutdown; with
  overtime, a gain);
* its own stops: breakdowns by failure mode, outages, run-in and dated stops (split by the downtime table's
  hours), colour changes and empty carriers, waits for a feeder's part, for operators;
* starved: traced upstream, resource by resource in flow order. Each resource on the way keeps the hours for
  its own causes and passes the rest on, in proportion to its hours: its stops, each weighed by the share of its
  hours that outlasts the buffers' cover between it and the reference (e^(-cover/m), m its mean length); its
  repair passes and pace beyond the hours per car the reference kept; the shift hours its shop works less; the
  kits missing at its shop's entry; and its own starved hours beyond its waits by design (a faster resource's
  slack), passed on. Past a buffer only as long as it was empty: a store that held cars keeps the rest. What no
  cause on the way explains is the flow's variability; what reaches the launch is the kits missing there, or
  the plan (or ramp-up) holding launches (docs/losses.md);
* pace: hours the reference indexed or worked with cars but made fewer than its ideal rate (a ramp-up line
  speed, learning, drift, the mix), over-cycle stops apart; repair passes through it;
* after the reference: cars it made that had not come off the end of line when the window closed, less those
  inside at its start, and cars scrapped after it.

The causes add up to nameplate minus output exactly, per replication, by construction: every hour is split,
never estimated twice. That is checked (``LossesDontAddUp``). The tracing is an attribution, not a
counterfactual: what reached the reference is shared among the causes on the way in proportion to their
(discounted) hours, not found by re-running the plant without each one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from ..model.replication import ReplicationResult
from ..scenario.schema import Scenario
from ..scenario.topology import Section, main_elements, node_groups
from .bottleneck import active_shares
from .capacity import shop_capacity, station_capacity
from .components import annualised
from .stats import mean_ci, rounded

GROUPS = {
    "calendar": "calendar (shutdowns, overtime)",
    "breakdowns": "breakdowns and outages",
    "quality": "quality (repair passes)",
    "sequence": "sequence (colour changes, empty carriers, stores holding cars)",
    "over_cycles": "over-cycle stops",
    "pace": "pace (ramp-up speed, learning, drift, mix)",
    "feeders": "feeder and part waits",
    "kits": "kit stockouts",
    "yard": "yard and end of line full",
    "labour": "operators short",
    "shifts": "shift patterns",
    "between_shops": "blocking and starving between shops",
    "launch": "launch plan and caps",
    "after": "after the reference (work in process, scrap)",
}
"""Every cause's group, with its label in the reports (the waterfall's bars by group)."""

METHOD = ("nameplate = the slowest resource's ideal rate x the calendar's net shift hours; each hour of that "
          "resource not making a car is a loss of ideal rate x hours, starved and blocked hours traced up and "
          "down the flow in proportion to each resource's own hours; the causes add up to nameplate - output")

FEEDER_CAUSE = "parts from feeder "
"""A wait for a feeder's part is charged as this and the feeder's name (and traced into that feeder by it)."""

RAMP_GROUPS = ("calendar", "pace", "launch")
"""With a ramp-up or a plan, the groups that hold the ramp's own capacity below the nameplate by design: the
shifts it does not run yet, its line speed and learning, the launches held to its plan."""

TOLERANCE = 1e-6
"""Relative gap allowed between nameplate - output and the sum of the causes (float rounding only)."""


class LossesDontAddUp(AssertionError):
    """The causes of a replication do not add up to nameplate minus output: a bug in the tracing."""


@dataclass(frozen=True)
class Resource:
    """One step of the main flow: a paced line, a station (or conveyor) or a parallel section."""

    shop: str
    where: str
    """Its name in the waterfall: 'assembly.chassis', 'paint.topcoat_booth'."""
    stations: tuple[str, ...]
    kind: str
    """line, station or section."""
    parts: tuple = ()
    """A section's resources (one per node group of its branches)."""
    first_of_shop: bool = False


@dataclass
class Hours:
    """A resource's hours a year (annualised from the window) by what it did, and the cars it made."""

    on: float
    down: float
    blocked: float
    starved: float
    feeder: float
    labour: float
    colour: float
    cars: float
    """Cars through it a year (visits / visits per car)."""
    first_pass: float
    """Share of its visits that are first passes (1 outside a quality loop)."""
    feeder_name: str | None
    over_cycle: float
    stops: float
    """Breakdowns a year of its stations (each stops a paced line)."""
    changes: float
    """Colour changes a year (its booths')."""
    feeder_stops: float
    """Times a year a car found no feeder's part at it."""

    @property
    def busy(self) -> float:
        """Hours working (or indexing) with cars: the rest of its shift time."""
        return self.on - self.down - self.blocked - self.starved - self.feeder - self.labour - self.colour


_AVERAGED = tuple(f.name for f in fields(Hours) if f.name not in ("cars", "first_pass", "feeder_name"))
"""The hours and counts a parallel section has as the mean of its node groups'."""


def flow_chain(scenario: Scenario) -> list[Resource]:
    """The main flow's resources in flow order, shop after shop (feeders and off-line repairs are not on it)."""
    chain: list[Resource] = []
    for shop_name, shop in scenario.shops.items():
        for k, element in enumerate(main_elements(shop)):
            first = k == 0
            if isinstance(element, Section):
                parts = tuple(_group(shop_name, g, False) for branch in element.branches for g in branch)
                names = tuple(s for p in parts for s in p.stations)
                chain.append(Resource(shop_name, f"{shop_name}.{parts[0].where.split('.', 1)[1]}…", names,
                                      "section", parts, first))
            else:
                chain.append(_group(shop_name, element, first))
    return chain


def _group(shop: str, group, first: bool) -> Resource:
    line = group[0].line
    name = line if line is not None else group[0].name
    return Resource(shop, f"{shop}.{name}", tuple(s.name for s in group), "line" if line else "station",
                    first_of_shop=first)


def reference(scenario: Scenario, stations: pd.DataFrame, chain: list[Resource],
              capacity: pd.DataFrame, per_year: float) -> tuple[Resource, float, float]:
    """(the reference resource, its ideal cars per hour, its shop's net shift hours a year): the smallest
    ideal yearly capacity; of resources within 0.1% of it, the most active (the run's mean station table)."""
    static = shop_capacity(scenario, per_year, capacity)
    ideal = {}
    for res in chain:
        rate = ideal_rate(res, capacity)
        if rate == rate:  # a resource no car visits limits nothing
            ideal[res.where] = (rate, rate * static[res.shop]["net_hours_per_year"])
    low = min(v[1] for v in ideal.values())
    table = stations.assign(active=active_shares(stations))
    slowest = [res for res in chain if res.where in ideal and ideal[res.where][1] <= low * 1.001]

    def activity(res: Resource) -> float:
        mine = table[(table["shop"] == res.shop) & table["station"].isin(res.stations)]
        return float(mine["active"].max())

    best = max(slowest, key=activity)
    return best, ideal[best.where][0], static[best.shop]["net_hours_per_year"]


def ideal_rate(res: Resource, capacity: pd.DataFrame) -> float:
    """A resource's ideal cars per hour: its slowest station's (NaN when no car visits it)."""
    rows = capacity[(capacity["shop"] == res.shop) & capacity["station"].isin(res.stations)]
    return float(rows["ideal_cars_per_hour"].min())


def resource_hours(res: Resource, rep: ReplicationResult, capacity: pd.DataFrame) -> Hours:
    """The resource's hours a year in one replication, from its station rows."""
    if res.kind == "section":
        parts = [resource_hours(p, rep, capacity) for p in res.parts]
        mean = {k: float(np.mean([getattr(p, k) for p in parts])) for k in _AVERAGED}
        # every node group of a branch counts the cars of the whole section (its completions over its branch's
        # share of the cars): their mean is the section's cars
        return Hours(**mean, cars=float(np.mean([p.cars for p in parts])), first_pass=1.0,
                     feeder_name=next((p.feeder_name for p in parts if p.feeder_name), None))
    rows = rep.stations[(rep.stations["shop"] == res.shop) & rep.stations["station"].isin(res.stations)]
    rows = rows.set_index("station").loc[list(res.stations)]
    window = rep.scalars["window_hours"]
    year = annualised(rep, 1.0)  # window -> a year

    def hours(column: str, row=None) -> float:
        source = rows[column] if row is None else rows[column].iloc[row]
        return float(source.max() if row is None else source) * window * year

    on = float(rows["on_shift_s"].iloc[0]) / 3600.0 * year
    static = capacity[(capacity["shop"] == res.shop)].set_index("station").loc[list(res.stations)]
    top = int(np.argmax(rows["completions"].to_numpy()))
    visits = float(static["visits_per_car"].iloc[top])
    first_pass = float(static["cars_per_hour"].iloc[top]) / (float(static["availability"].iloc[top]) *
                                                            float(static["ideal_cars_per_hour"].iloc[top]))
    first_pass = min(1.0, first_pass) if first_pass == first_pass and first_pass > 0 else 1.0
    cars = float(rows["completions"].iloc[top]) * year / visits if visits > 0 else 0.0
    over = float(rows["over_cycle_stop_s"].sum()) / 3600.0 * year
    feeder = next((f for f in rows["starved_by"] if isinstance(f, str)), None)
    # breakdowns and part waits are counted over the whole run: the window's share of them, by its share of the
    # run's days
    days = rep.scalars["measured_days"]
    in_window = days / (days + rep.scalars["warmup_days"]) * year
    stops = float(rows["downs"].sum()) * in_window
    feeder_stops = float(rows["feeder_stops"].max()) * in_window  # a line's stations each count its waits
    changes = float(rows["colour_changes"].sum()) * year
    if res.kind == "line":
        stopped = float(rows["line_stopped_s"].iloc[0]) / 3600.0 * year
        # a station's blocked time holds its line's stops for another station's breakdowns: the line's own
        # blocked time is what is left of its blocked and down time once the line's stops are taken out
        blocked = max(0.0, hours("share_blocked", 0) + hours("share_down", 0) - stopped)
        return Hours(on, stopped, blocked, hours("share_starved", 0), hours("share_feeder", 0), 0.0,
                     hours("share_colour_change"), cars, first_pass, feeder, over, stops, changes,
                     feeder_stops)
    return Hours(on, hours("share_down"), hours("share_blocked"), hours("share_starved"), hours("share_feeder"),
                 hours("share_labour"), hours("share_colour_change"), cars, first_pass, feeder, over, stops, changes,
                 feeder_stops)


class Tracer:
    """One replication's waterfall: causes (group, cause, where) -> cars a year."""

    def __init__(self, scenario: Scenario, rep: ReplicationResult, chain: list[Resource], ref: Resource,
                 rate: float, capacity: pd.DataFrame):
        self.scenario, self.rep, self.chain, self.ref, self.rate = scenario, rep, chain, ref, rate
        self.capacity = capacity
        self.causes: dict[tuple[str, str, str], float] = defaultdict(float)
        self._hours: dict[str, Hours] = {}
        year = annualised(rep, 1.0)
        self.downtime = _downtime_rows(rep)
        self.kits = _kit_points(rep, year)
        self.end_blocks = _end_of_line(rep, year)

    def hours(self, res: Resource) -> Hours:
        if res.where not in self._hours:
            self._hours[res.where] = resource_hours(res, self.rep, self.capacity)
        return self._hours[res.where]

    def slack(self, res: Resource, h: Hours) -> float:
        """Hours a year a resource faster than the reference waits by design: its shift hours x (1 - the
        reference's ideal rate / its own). Its waits up to that much are its speed, not a cause to trace."""
        own = ideal_rate(res, self.capacity)
        return h.on * max(0.0, 1.0 - self.rate / own) if own == own and own > 0 else 0.0

    def add(self, group: str, cause: str, where: str, cars: float) -> None:
        self.causes[(group, cause, where)] += cars

    def trace(self, nameplate_hours: float, output: float) -> dict:
        ref, rate = self.ref, self.rate
        h = self.hours(ref)
        k = self.chain.index(ref)
        self.add("calendar", "shift hours not worked (shutdowns; overtime a gain)", ref.shop,
                 rate * (nameplate_hours - h.on))
        self._split(self._own(ref, h, None), rate)
        self._upstream(k - 1, self._split(self._starved(ref, h, k), rate), h)
        self._downstream(k + 1, rate * h.blocked, h)
        first_pass = h.cars / h.first_pass
        pace = rate * h.busy - first_pass
        over = min(max(0.0, pace), rate * h.over_cycle)
        self.add("over_cycles", "over-cycle stops", ref.where, over)
        self.add("pace", self._pace_cause(), ref.where, pace - over)
        self.add("quality", "repair passes", ref.where, first_pass - h.cars)
        self.add("after", "made by the reference, not yet off the end of line (net), or scrapped after it",
                 "end of line", h.cars - output)
        self._into_feeders()
        return dict(self.causes)

    def _into_feeders(self) -> None:
        """Cars charged to a feeder's parts, traced into the feeder's own lines and stations: their stops past
        the parts buffer's cover, their repair passes and pace, as a resource on the main flow; what none of
        them explains stays with the feeder's parts (its variability)."""
        for key in [k for k in self.causes if k[0] == "feeders"]:
            _, cause, where = key
            shop, name = where.split(".", 1)[0], cause.removeprefix(FEEDER_CAUSE)
            feeder = self.scenario.shops[shop].feeders.get(name) if shop in self.scenario.shops else None
            if feeder is None or self.causes[key] <= 0:
                continue
            cars = self.causes.pop(key)
            cover = self._parts_cover(shop, name)
            ref = self.hours(self.ref)
            weights = [w for group in node_groups(feeder.stations)
                       for res in [_group(shop, group, False)]
                       for w in self._own(res, self.hours(res), ref, cover)]
            self._share(weights, cars, ("feeders", cause + ": its variability, no single stop", where))

    def _parts_cover(self, shop: str, feeder: str) -> float:
        """Hours at the reference's ideal rate the feeder's parts buffer covers: its mean level and the part in
        hand."""
        buffers = self.rep.buffers
        parts = buffers[(buffers["kind"] == "parts") & buffers["buffer"].str.startswith(f"{shop}.{feeder}->")]
        level = float(parts["mean_level"].mean()) if not parts.empty else 0.0
        return (level + 1.0) / self.rate

    def _pace_cause(self) -> str:
        s = self.scenario
        if s.ramp_up is not None or s.learning:
            return "slower than ideal (ramp-up line speed, learning, drift, mix)"
        return "slower than ideal (drift, mix, run-in)"

    def _split(self, weights: list[tuple[tuple[str, str, str] | None, float]], amount_per_hour: float | None,
               amount: float | None = None) -> float:
        """Share out cars by hours: ``amount_per_hour`` x each weight's hours, or ``amount`` in proportion to the
        weights. A weight keyed None is the part passed on; its cars are returned."""
        total = sum(w for _, w in weights)
        passed = 0.0
        for key, w in weights:
            cars = amount_per_hour * w if amount is None else (amount * w / total if total > 0 else 0.0)
            if key is None:
                passed += cars
            else:
                self.add(*key, cars)
        return passed

    def _own(self, res: Resource, h: Hours, relative_to: Hours | None, cover: float = 0.0) -> list:
        """A resource's own causes with their hours. For a resource other than the reference, ``cover`` hours of
        buffer stand between it and the reference: of its stops (mean length m) the share e^(-cover/m) outlasts
        the cover and reaches the reference (exponential stop lengths); and its repair passes and pace count
        only as far as its work exceeds the hours per car the reference kept (at least its ideal), with the shift
        hours its shop works less than the reference's."""
        where = res.where
        out = self._down(res, h, cover)
        out += [(("sequence", "colour changes and empty carriers", where),
                 h.colour * _outlasting(cover, h.colour, h.changes)),
                (("feeders", f"{FEEDER_CAUSE}{h.feeder_name or 'of ' + where}", where),
                 h.feeder * _outlasting(cover, h.feeder, h.feeder_stops)),
                (("labour", "waiting for operators", where), h.labour)]
        if relative_to is not None:
            # worked beyond the pace the reference kept (its hours per first-pass car: a ramp-up's line speed
            # and learning slow every line alike, and are the reference's pace loss, not this resource's)
            made = relative_to.cars / relative_to.first_pass
            per_car = relative_to.busy / made if made > 0 else 1.0 / self.rate
            excess = max(0.0, h.busy - h.cars * max(per_car, 1.0 / self.rate))
            repair = min(excess, h.busy * (1.0 - h.first_pass))
            out += [(("quality", "repair passes", where), repair),
                    (("between_shops", "slower than the reference", where), excess - repair),
                    (("shifts", "fewer shift hours than the reference", res.shop), max(0.0, relative_to.on - h.on))]
        return out

    def _down(self, res: Resource, h: Hours, cover: float) -> list:
        """Down hours by cause: each outage, run-in and dated stop covering the resource stops it for its whole
        time (the downtime table's hours, scaled down together should they exceed the down hours); the rest
        is its stations' own breakdowns. Each weighed by the share of its hours that outlasts ``cover``."""
        year = annualised(self.rep, 1.0)
        rows = [r for r in self.downtime if r["shop"] == res.shop and r["kind"] != "mode" and _covers(r, res)]
        scheduled: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for r in rows:
            scheduled[_down_cause(r)][0] += r["down_s"] / 3600.0 * year
            scheduled[_down_cause(r)][1] += r["stops"] * year
        total = sum(hours for hours, _ in scheduled.values())
        scale = min(1.0, h.down / total) if total > 0 else 0.0
        out = [(("breakdowns", cause, res.where), hours * scale * _outlasting(cover, hours, stops))
               for cause, (hours, stops) in scheduled.items()]
        own = h.down - total * scale
        return out + [(("breakdowns", "breakdowns", res.where), own * _outlasting(cover, own, h.stops))]

    def _buffer(self, res: Resource):
        """The buffer or store in front of ``res`` (its row of the replication's buffer table), or None."""
        buffers = self.rep.buffers
        mine = buffers[(buffers["shop"] == res.shop) & (buffers["kind"] == "store")] if res.first_of_shop else None
        if mine is None or mine.empty:
            mine = buffers[buffers["buffer"] == f"{res.shop}.{res.stations[0]}"]
        return None if mine.empty else mine.iloc[0]

    def _cover(self, res: Resource, starving: bool) -> float:
        """Hours of the reference's ideal rate the buffer (or store) in front of ``res`` covers: its mean level
        against a stop upstream of it (starving), its mean room against one downstream (blocking); and the car
        in hand."""
        row = self._buffer(res)
        if row is None:
            return 1.0 / self.rate
        cars = row["mean_level"] if starving else max(0.0, float(row["capacity"]) - row["mean_level"])
        return (float(cars) + 1.0) / self.rate

    def _through_buffer(self, res: Resource, amount: float) -> float:
        """Of the cars ``res`` lost starved, those that can be traced past the buffer in front of it: at most its
        hours empty at the reference's rate. A store that held cars while ``res`` starved (sorting into blocks,
        restoring the sequence) keeps the rest."""
        row = self._buffer(res)
        if row is None:
            return amount
        empty = float(row["share_empty"]) * self.rep.scalars["window_hours"] * annualised(self.rep, 1.0) * self.rate
        if amount <= empty:
            return amount
        if row["kind"] == "store":
            self.add("sequence", "cars held in the store (sorting, sequence)", str(row["buffer"]), amount - empty)
        else:
            self.add("between_shops", "starved while its buffer held cars", res.where, amount - empty)
        return empty

    def _upstream(self, k: int, amount: float, ref: Hours) -> None:
        """Cars the resource after chain[k] lost starved, traced upstream from chain[k]."""
        cover = 0.0
        while amount > 0:
            if k < 0:
                self._launch(amount)
                return
            res = self.chain[k]
            amount = self._through_buffer(self.chain[k + 1], amount)
            cover += self._cover(self.chain[k + 1], starving=True)
            h = self.hours(res)
            # the first resource starves only when the launch holds a car (kits, the plan): no wait of its is by design
            slack = self.slack(res, h) if k > 0 else 0.0
            weights = self._own(res, h, ref, cover) + self._starved(res, h, k, slack)
            amount = self._trace_at(res, weights, amount, "starved")
            k -= 1

    def _starved(self, res: Resource, h: Hours, k: int, slack: float = 0.0) -> list:
        """A resource's starved hours: the kits missing at its shop's entry gate (or at the launch, for the first
        resource) as far as they go, the rest passed on upstream (keyed None). ``slack``: its waits by design
        (``slack``), taken first from its blocked hours, then from these."""
        starved, out = max(0.0, h.starved - max(0.0, slack - h.blocked)), []
        points = [(res.shop, f"{res.shop} entry")] if res.first_of_shop else []
        points += [("launch", "launch")] if k == 0 else []
        for point, where in points:
            if point in self.kits:
                short = min(self.kits[point], starved)
                out.append((("kits", "kit stockouts", where), short))
                starved -= short
        return out + [(None, starved)]

    def _trace_at(self, res: Resource, weights: list, amount: float, how: str) -> float:
        """Share the cars a starved (blocked) reference lost out at ``res``: in proportion to its weights when they
        hold at least the hours lost; else each weight whole, and the hours none explains (the flow's
        variability that the buffers on the way did not absorb) to blocking and starving between shops.
        Returns the cars passed on."""
        return self._share(weights, amount, ("between_shops", f"{how}: variability "
                           f"{'upstream' if how == 'starved' else 'downstream'}, no single stop explains it", res.where))

    def _share(self, weights: list, amount: float, remainder: tuple[str, str, str]) -> float:
        """Share ``amount`` cars out by the weights' hours: in proportion when they hold at least the hours lost,
        else each weight whole and the hours none explains to ``remainder``. Returns the cars passed on."""
        explained = sum(w for _, w in weights) * self.rate
        if explained >= amount:
            return self._split(weights, None, amount)
        self.add(*remainder, amount - explained)
        return self._split(weights, self.rate)

    def _launch(self, amount: float) -> None:
        s = self.scenario
        cause = "launches held to the plan" if s.ramping else "launch rate"
        self.add("launch", cause, "launch", amount)

    def _downstream(self, k: int, amount: float, ref: Hours) -> None:
        """Cars the resource before chain[k] lost blocked, traced downstream from chain[k]."""
        cover = 0.0
        while amount > 0:
            if k >= len(self.chain):
                self._end(amount)
                return
            res = self.chain[k]
            cover += self._cover(res, starving=False)
            h = self.hours(res)
            # its waits by design (slack) taken first from its starved hours, then from these
            # (the last resource is blocked only by the yard or the retrofit area: none of its waits is by design)
            slack = self.slack(res, h) if k < len(self.chain) - 1 else 0.0
            blocked = max(0.0, h.blocked - max(0.0, slack - h.starved))
            weights = self._own(res, h, ref, cover) + [(None, blocked)]
            amount = self._trace_at(res, weights, amount, "blocked")
            k += 1

    def _end(self, amount: float) -> None:
        """The end of line blocked: by the finished-car yard or the retrofit area, in proportion to their
        blocked hours."""
        weights = [(("yard", label, where), hours) for label, where, hours in self.end_blocks]
        if sum(w for _, w in weights) <= 0:
            self.add("yard", "end of line blocked", "end of line", amount)
        else:
            self._split(weights, None, amount)


def _outlasting(cover: float, hours: float, stops: float) -> float:
    """The share of stop hours that outlasts ``cover`` hours of buffer: e^(-cover/m) for stops of exponential
    length with mean m = hours / stops (1 when the stops are not counted)."""
    if cover <= 0 or stops <= 0 or hours <= 0:
        return 1.0
    return math.exp(-cover * stops / hours)


def _covers(row: dict, res: Resource) -> bool:
    """Whether an outage, run-in or dated stop of the resource's shop covers it."""
    covered = str(row["station"]).split()
    line = res.where.split(".", 1)[1]
    return "all" in covered or line in covered or any(s in covered for s in res.stations)


def _down_cause(row: dict) -> str:
    kind = row["kind"]
    if kind == "run_in":
        return "run-in after start-up"
    if kind == "event":
        return f"dated stop: {row['name']}"
    return f"outage: {row['name']}"


def _downtime_rows(rep: ReplicationResult) -> list[dict]:
    figures = rep.figures.get("downtime")
    return list(figures.rows) if figures is not None else []


def _kit_points(rep: ReplicationResult, year: float) -> dict[str, float]:
    """Hours a year each consumption point held cars for kits: 'launch', or the shop whose entry it gates."""
    supply = rep.figures.get("supply")
    if supply is None:
        return {}
    return {("launch" if name == "launch" else point["shop"]): point["stockout_hours"] * year
            for name, point in supply.points.items()}


def _end_of_line(rep: ReplicationResult, year: float) -> list[tuple[str, str, float]]:
    out = []
    if rep.figures.get("outbound") is not None:
        out.append(("finished-car yard full", "yard", rep.figures["outbound"].blocked_hours * year))
    if rep.figures.get("retrofit") is not None:
        out.append(("retrofit area full", "retrofit area", rep.figures["retrofit"].blocked_hours * year))
    return out


def replication_losses(scenario: Scenario, rep: ReplicationResult, chain: list[Resource], ref: Resource,
                       rate: float, net_hours: float, capacity: pd.DataFrame) -> dict:
    """One replication's nameplate, output and causes (cars a year); checks that they add up."""
    output = annualised(rep, rep.scalars["completed"])
    nameplate = rate * net_hours
    causes = Tracer(scenario, rep, chain, ref, rate, capacity).trace(net_hours, output)
    gap = nameplate - output - sum(causes.values())
    if abs(gap) > TOLERANCE * max(1.0, nameplate):
        raise LossesDontAddUp(f"replication {rep.replication}: the causes miss nameplate - output by {gap:.6g} cars")
    return {"nameplate": nameplate, "output": output, "causes": causes}


def _ramp(rows: list[dict]) -> dict:
    """The ramp's own capacity (the nameplate less its by-design losses, ``RAMP_GROUPS``) and the largest loss
    below it: what limited a ramp-up is not that it ramped."""
    designed = [row for row in rows if row["group"] in RAMP_GROUPS]
    rest = [row for row in rows if row["group"] not in RAMP_GROUPS]
    return {"groups": list(RAMP_GROUPS), "cars": round(sum(row["cars"]["mean"] for row in designed), 1),
            "largest": rest[0] if rest else None}


def losses_summary(scenario: Scenario, reps: list[ReplicationResult], stations: pd.DataFrame,
                   capacity: pd.DataFrame | None = None) -> dict:
    """summary.json's ``losses``: nameplate, output and every cause (cars a year, mean and 95% interval over
    replications), largest first, the largest apart; with each replication's values by group for ``compare``."""
    capacity = station_capacity(scenario) if capacity is None else capacity
    per_year = reps[0].scalars["working_days_per_year"]
    chain = flow_chain(scenario)
    ref, rate, net_hours = reference(scenario, stations, chain, capacity, per_year)
    each = [replication_losses(scenario, r, chain, ref, rate, net_hours, capacity) for r in reps]
    keys = list(dict.fromkeys(key for e in each for key in e["causes"]))
    rows = []
    for key in keys:
        values = [e["causes"].get(key, 0.0) for e in each]
        if any(abs(v) > 1e-9 for v in values):
            group, cause, where = key
            rows.append({"group": group, "cause": cause, "where": where, "cars": rounded(mean_ci(values), 1)})
    rows.sort(key=lambda row: -row["cars"]["mean"])
    by_group = {g: [sum(v for (group, _, _), v in e["causes"].items() if group == g) for e in each]
                for g in GROUPS if any(row["group"] == g for row in rows)}
    return {
        "reference": {"shop": ref.shop, "where": ref.where, "kind": ref.kind, "ideal_cars_per_hour": round(rate, 4),
                      "net_hours_per_year": round(net_hours, 3)},
        "nameplate": rounded(mean_ci([e["nameplate"] for e in each]), 1),
        "output": rounded(mean_ci([e["output"] for e in each]), 1),
        "rows": rows,
        "by_group": {g: rounded(mean_ci(v), 1) for g, v in by_group.items()},
        "largest": rows[0] if rows else None,
        **({"ramp": _ramp(rows)} if scenario.ramping else {}),
        "method": METHOD,
        "values": {f"losses.{g}": [round(x, 3) for x in v] for g, v in by_group.items()},
    }
