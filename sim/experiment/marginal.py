"""The bottleneck shopping list: what one small improvement at a resource buys in annual output.

For each chosen resource (by default the most active ones, plus any the caller names) three
changes are tried, each as a variant of the scenario built by ``--set`` overrides
(``scenario.with_overrides``), so every variant can be rerun from the command line:

- **availability +1 point**: the resource's MTBF is raised (repairs unchanged: the
  equipment fails less often) so that its availability 1 / (1 + Σ MTTR/MTBF) rises by
  0.01. On a paced line the sum runs over its stations (a failure anywhere stops the
  line) and every failing station's MTBF is scaled by the same factor; a distribution of
  the time between failures is scaled as a whole. Skipped without breakdowns (already
  100%) or when one more point would reach 100%.
- **cycle -1 s**: a free-flow station's time loses 1 s for every model (a distribution is
  shifted by 1 s: its values, bounds and mean; an exponential time keeps its shape with a
  mean 1 s shorter; a default time scaled by a model's work content loses work content × 1 s
  for that model). A paced line indexes 1 s faster for every car: its takt falls by 1 s and
  every station time that would then hold the line (cycle + transfer above the new takt)
  loses 1 s too; a line without a takt loses 1 s at its slowest station(s) (the times
  within 1 s of the slowest). A conveyor loses 1 s of pitch; its index time is
  transit / round(transit / pitch), so the change is skipped when that does not move.
  Skipped where a time would reach zero.
- **buffer +1**: one more car can wait in front of the resource (its first station's
  ``buffer_before``, or the store in front when it is the first station of a shop).
  Skipped for the first station of the plant (it takes its cars from the launch) and for a
  feeder's first station (its call-offs queue without limit).

Every variant runs with the base run's seed and replication indices, so replication r of
a variant draws the same random numbers as replication r of the base (common random
numbers); its gain is the mean of the per-replication differences in annual output with a
95% paired t interval (``stats.paired_difference``). The list is ranked by gain.

Screen, then confirm: over a long horizon every change is first run over a shorter stretch
(``screening.SCREEN_DAYS`` measured days after the same warm-up; the base too, which also picks the
resources), and only the best few (``CONFIRMED``) are run again, with the base, over the whole
horizon. Most of a long list's time went into changes that buy little; their screened gains
stay in the list, marked with the days they were measured on. Every replication of every
change of a stage goes to one process pool (``runner.run_all``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, replace

import pandas as pd

from ..analysis.bottleneck import resources as ranked_resources
from ..analysis.stats import paired_difference, rounded
from ..analysis.summary import annual_units
from ..results import RunResult
from ..scenario import Scenario, ScenarioError, load_scenario, with_overrides
from ..scenario.units import MAX_SECONDS
from ..scenario.errors import Problem, yaml_path
from ..scenario.topology import all_stations, downtime_ratio, first_station, line_stations, station_paths
from .precision import replications_needed, rule
from .runner import run, run_all
from .screening import SCREEN_DAYS, screening

AVAILABILITY, CYCLE, BUFFER = "availability +1 pt", "cycle -1 s", "buffer +1"
CHANGES = (AVAILABILITY, CYCLE, BUFFER)
METHOD = ("each change is a variant of the scenario (--set overrides) run with the base run's seed and replications "
          "(common random numbers); gain: mean of the per-replication differences in annual output, 95% paired t "
          "interval; availability +1 pt raises MTBF, cycle -1 s shortens every model's time (a paced line indexes "
          "1 s faster), buffer +1 is one more place in front")


@dataclass(frozen=True)
class Resource:
    """A resource of the plant as planners name it: a free-flow station, a conveyor or a whole paced line."""
    shop: str
    name: str
    """The station's name, or the paced line's name."""
    kind: str
    """station, conveyor or line."""

    @property
    def label(self) -> str:
        return f"{self.shop}.{self.name}" + (" line" if self.kind == "line" else "")


@dataclass
class Change:
    """One variant: what changes at a resource, as overrides, or why it does not apply."""
    resource: Resource
    change: str
    """One of ``CHANGES``."""
    what: str
    """The change in plant words (values before and after)."""
    assignments: list[str] = field(default_factory=list)
    """The --set overrides that make the variant (empty when skipped)."""
    skipped: str | None = None
    """Why the change does not apply (None: it was simulated)."""
    active_share: float | None = None
    gain: dict | None = None
    """{mean, ci95_low, ci95_high, n}: annual cars gained against the base run (paired over replications)."""
    screened: float | None = None
    """The measured days its gain comes from when it was screened out (not among the best run over the whole
    horizon); None: its gain is over the whole horizon."""

    def record(self) -> dict:
        return {"resource": self.resource.label, "shop": self.resource.shop, "kind": self.resource.kind,
                "active_share": None if self.active_share is None else round(self.active_share, 4),
                "change": self.change, "what": self.what, "set": self.assignments, "skipped": self.skipped,
                "gain": self.gain, "screened_days": self.screened}


@dataclass
class MarginalResult:
    base: RunResult
    changes: list[Change]
    """Ranked: simulated changes by gain (largest first; after a screening, those run over the whole horizon
    first, then the screened-out by their screened gain), then the skipped ones."""
    replications: int
    seed: int
    screen_days: float | None = None
    """The days every change was screened on before the best were run over the whole horizon (None: none)."""

    def summary(self) -> dict:
        """summary.json's ``marginal_values``."""
        return {"method": METHOD, "replications": self.replications, "seed": self.seed,
                "screen_days": self.screen_days,
                "base_annual_units": self.base.summary["throughput"]["annual_units"],
                "changes": [c.record() for c in self.changes]}

    def run(self) -> RunResult:
        """The base run with the list in its summary (``marginal_values``), to write as a results folder."""
        return replace(self.base, summary={**self.base.summary, "marginal_values": self.summary()})

    def table(self) -> pd.DataFrame:
        """A row per change, ranked: resource, change, what, gain with its interval, overrides, why skipped."""
        rows = []
        for c in self.changes:
            gain = c.gain or {}
            rows.append({"resource": c.resource.label, "shop": c.resource.shop, "kind": c.resource.kind,
                         "active_share": c.active_share, "change": c.change, "what": c.what,
                         "gain_per_year": gain.get("mean"), "ci95_low": gain.get("ci95_low"),
                         "ci95_high": gain.get("ci95_high"), "screened_days": c.screened,
                         "set": " ".join(c.assignments), "skipped": c.skipped})
        return pd.DataFrame(rows)


# ---------------------------------------------------------------- naming the resources

def _station_paths(scenario: Scenario) -> dict[tuple[str, str], str]:
    """The --set path of every station: (shop, station) -> 'shops.<shop>.stations[<name>]' (or deeper)."""
    return {(shop_name, st.name): yaml_path(("shops", shop_name) + where)
            for shop_name, shop in scenario.shops.items() for where, st, _ in station_paths(shop, by_name=True)}


def _stations_of(scenario: Scenario, resource: Resource) -> list:
    shop = scenario.shops[resource.shop]
    if resource.kind == "line":
        return line_stations(shop, resource.name)
    return [st for st in all_stations(shop) if st.name == resource.name]


def resource_of(scenario: Scenario, shop: str, station: str) -> Resource:
    """The resource a station belongs to: its paced line, or the station itself."""
    spec = next(st for st in all_stations(scenario.shops[shop]) if st.name == station)
    if spec.line is not None:
        return Resource(shop, spec.line, "line")
    return Resource(shop, station, "conveyor" if spec.conveyor is not None else "station")


def find_resource(scenario: Scenario, name: str) -> Resource:
    """A resource from a planner's name: 'shop.station', 'shop.line', or a station or line name alone
    when it is unique. ScenarioError naming what exists otherwise."""
    shop_part, _, rest = name.partition(".")
    candidates = []
    for shop_name, shop in scenario.shops.items():
        if rest and shop_name != shop_part:
            continue
        wanted = rest or name
        wanted = wanted[:-len(" line")] if wanted.endswith(" line") else wanted
        if wanted in shop.lines and line_stations(shop, wanted):
            candidates.append(Resource(shop_name, wanted, "line"))
        elif any(st.name == wanted for st in all_stations(shop)):
            candidates.append(resource_of(scenario, shop_name, wanted))
    if len(candidates) == 1:
        return candidates[0]
    known = sorted({r.label for r in all_resources(scenario)})
    if not candidates:
        message = (f"no station or paced line {name!r}; name one as shop.station or shop.line, e.g. "
                   f"{', '.join(known[:12])}{' …' if len(known) > 12 else ''}")
    else:
        message = f"{name!r} is ambiguous: {', '.join(r.label for r in candidates)}; name it as shop.station"
    raise ScenarioError("--resource", [Problem(name, message)])


def all_resources(scenario: Scenario) -> list[Resource]:
    out = []
    for shop_name, shop in scenario.shops.items():
        for st in all_stations(shop):
            resource = resource_of(scenario, shop_name, st.name)
            if resource not in out:
                out.append(resource)
    return out


def chosen_resources(base: RunResult, named: list[str], top: int) -> list[tuple[Resource, float | None]]:
    """The ``top`` most active resources of the base run (the active-share rule), then the named ones."""
    scenario = base.scenario
    out: dict[Resource, float | None] = {}
    table = ranked_resources(base.stations)
    for row in table.head(top).to_dict("records"):
        out[resource_of(scenario, row["shop"], row["station"])] = row["active_share"]
    shares = {resource_of(scenario, r["shop"], r["station"]): r["active_share"] for r in table.to_dict("records")}
    for name in named:
        resource = find_resource(scenario, name)
        out.setdefault(resource, shares.get(resource))
    return [(r, None if share is None or share != share else float(share)) for r, share in out.items()]


# ---------------------------------------------------------------- the changes

def _scaled(dist, factor: float) -> dict:
    """A time distribution with every time in it multiplied by ``factor``."""
    data = dist.model_dump(mode="json")
    for key in ("value", "low", "mode", "high", "mean", "sd"):
        if data.get(key) is not None:
            data[key] = data[key] * factor
    if "values" in data:
        data["values"] = [v * factor for v in data["values"]]
    return data


def _shifted(dist, seconds: float) -> dict | None:
    """A time distribution shifted by ``seconds`` (None when a time would reach zero or below)."""
    data = dist.model_dump(mode="json")
    for key in ("value", "mean", "mode", "high"):
        if data.get(key) is not None:
            data[key] = data[key] + seconds
    if data.get("low") is not None:
        data["low"] = max(0.0, data["low"] + seconds)
    if "values" in data:
        data["values"] = [v + seconds for v in data["values"]]
    times = [data[k] for k in ("value", "mean", "high") if data.get(k) is not None] + data.get("values", [])
    if any(t <= 0 for t in times) or (data.get("mode") is not None and data["mode"] < data["low"]):
        return None
    return data


def _text(x: float) -> str:
    return f"{x:.6g}"


def availability_change(scenario: Scenario, resource: Resource, paths: dict) -> Change:
    stations = [st for st in _stations_of(scenario, resource) if st.failures is not None]
    change = Change(resource, AVAILABILITY, "")
    if not stations:
        change.what, change.skipped = "no breakdowns", "no breakdowns: its availability is already 100%"
        return change
    ratio = sum(downtime_ratio(st.failures) for st in stations)
    before = 1.0 / (1.0 + ratio)
    after = before + 0.01
    if after >= 1.0:
        change.what = f"availability {100 * before:.2f}%"
        change.skipped = f"availability {100 * before:.2f}%: one point more would reach 100%"
        return change
    modes = []
    for st in stations:
        path = f"{paths[resource.shop, st.name]}.failures"
        modes += [(path, st.failures)] if st.failures.modes is None else \
            [(f"{path}.modes[{mode.name}]", mode) for mode in st.failures.modes]
    factor, capped = _mtbf_factor([mode for _, mode in modes], 1.0 / after - 1.0)
    for k, (where, mode) in enumerate(modes):
        if mode.mtbf is not None:
            change.assignments.append(f"{where}.mtbf={_text(MAX_SECONDS if k in capped else mode.mtbf * factor)}")
        else:
            change.assignments.append(f"{where}.time_between={json.dumps(_scaled(mode.time_between, factor))}")
    change.what = f"availability {100 * before:.2f}% → {100 * after:.2f}% (MTBF × {factor:.4g}" + \
        (", the longest at 10 years)" if capped else ")")
    return change


def _mtbf_factor(modes: list, target: float) -> tuple[float, set[int]]:
    """The factor every mode's time between stops is multiplied by so that the modes' MTTR/MTBF sum to ``target``
    (availability 1 / (1 + target)), a mode whose MTBF would pass the longest time a scenario may give held at it
    (the others take up the rest): (factor, indexes of the modes held)."""
    capped: set[int] = set()
    while True:
        free = sum(mode.downtime_ratio for k, mode in enumerate(modes) if k not in capped)
        held = sum(mode.repair.mean / MAX_SECONDS for k, mode in enumerate(modes) if k in capped)
        factor = free / (target - held)
        more = {k for k, mode in enumerate(modes)
                if k not in capped and mode.mtbf is not None and mode.mtbf * factor > MAX_SECONDS}
        if not more:
            return factor, capped
        capped |= more


def cycle_change(scenario: Scenario, resource: Resource, paths: dict) -> Change:
    change = Change(resource, CYCLE, "")
    stations = _stations_of(scenario, resource)
    if resource.kind == "conveyor":
        conveyor = stations[0].conveyor
        pitch = conveyor.pitch - 1.0
        if pitch <= 0:
            change.what, change.skipped = f"pitch {conveyor.pitch:g} s", "a pitch of 1 s or less cannot lose 1 s"
            return change
        index_after = conveyor.transit_time / max(1, round(conveyor.transit_time / pitch))
        change.what = (f"pitch {conveyor.pitch:g} → {pitch:g} s (index {conveyor.index_time:.1f} → "
                       f"{index_after:.1f} s)")
        if math.isclose(index_after, conveyor.index_time, rel_tol=1e-12):
            change.skipped = (f"no change: the conveyor indexes every transit / round(transit / pitch) = "
                              f"{conveyor.index_time:.1f} s at either pitch")
            return change
        change.assignments.append(f"{paths[resource.shop, stations[0].name]}.conveyor.pitch={_text(pitch)}")
        return change
    if resource.kind == "line":
        return _line_cycle_change(scenario, resource, stations, paths, change)
    station = stations[0]
    shifted = {}
    for key, dist in station.cycle_time.items():
        moved = _shifted(dist, -1.0)
        if moved is None:
            change.what, change.skipped = "cycle time", "a time of 1 s or less cannot lose 1 s"
            return change
        shifted["default" if key == "*" else key] = moved
    change.assignments.append(f"{paths[resource.shop, station.name]}.cycle_time={json.dumps(shifted)}")
    change.what = "1 s off every model's time: " + ", ".join(
        f"{'default' if key == '*' else key} {dist.mean:.1f} → {dist.mean - 1:.1f} s"
        for key, dist in station.cycle_time.items())
    return change


def _line_cycle_change(scenario: Scenario, resource: Resource, stations: list, paths: dict, change: Change) -> Change:
    shop = scenario.shops[resource.shop]
    line = shop.lines[resource.name]
    models = scenario.product.models
    times = {st.name: [dist.value * scale for dist, scale in map(st.time_for, models)] for st in stations}
    slowest = max(t + line.transfer_time for values in times.values() for t in values)
    bound = (line.takt if line.takt is not None else slowest) - 1.0  # the line's new index time, at least
    if line.takt is not None:
        if line.takt <= 1.0:
            change.what, change.skipped = f"takt {line.takt:g} s", "a takt of 1 s or less cannot lose 1 s"
            return change
        change.assignments.append(f"shops.{resource.shop}.lines.{resource.name}.takt={_text(line.takt - 1.0)}")
    cut = []
    for st in stations:
        values = times[st.name]
        if not any(t + line.transfer_time > bound for t in values):
            continue
        new = [t - 1.0 if t + line.transfer_time > bound else t for t in values]
        if any(t <= 0 for t in new):
            change.what, change.skipped = "cycle time", f"{st.name}: a time of 1 s or less cannot lose 1 s"
            change.assignments = []
            return change
        mapping = {m.name: round(t, 9) for m, t in zip(models, new)}
        change.assignments.append(f"{paths[resource.shop, st.name]}.cycle_time={json.dumps(mapping)}")
        cut.append(st.name)
    takt = f"takt {line.takt:g} → {line.takt - 1:g} s" if line.takt is not None else "no takt"
    change.what = f"{takt}; 1 s off " + (", ".join(cut) if cut else "no station (none holds the line)")
    return change


def buffer_change(scenario: Scenario, resource: Resource, paths: dict) -> Change:
    change = Change(resource, BUFFER, "")
    first = _stations_of(scenario, resource)[0]
    shop = scenario.shops[resource.shop]
    shop_names = list(scenario.shops)
    feeders = {st.name for feeder in shop.feeders.values() for st in feeder.stations[:1]}
    if first.name in feeders:
        change.what, change.skipped = "call-offs", "a feeder's first station takes its call-offs, which queue without limit"
        return change
    if not first.off_line and first.name == first_station(shop).name:
        index = shop_names.index(resource.shop)
        if index == 0:
            change.what, change.skipped = "launch", "the plant's first station takes its cars from the launch: no buffer"
            return change
        store = next((s for s in scenario.stores if s.after == shop_names[index - 1]), None)
        if store is not None and store.sort is not None:  # a sorting store grows a place in every lane
            sort = store.sort
            depth = sort.lane_depth + 1
            change.assignments += [f"stores[{store.name}].sort.lane_depth={depth}",
                                   f"stores[{store.name}].capacity={sort.lanes * depth}"]
            change.what = f"store {store.name} {sort.lanes} lanes x {sort.lane_depth} → x {depth}"
            return change
        if store is not None:
            change.assignments.append(f"stores[{store.name}].capacity={store.capacity + 1}")
            change.what = f"store {store.name} {store.capacity} → {store.capacity + 1}"
            return change
    places = shop.buffer_capacity if first.buffer_before is None else first.buffer_before
    change.assignments.append(f"{paths[resource.shop, first.name]}.buffer_before={places + 1}")
    change.what = f"buffer before {first.name} {places} → {places + 1}"
    return change


def changes_for(scenario: Scenario, resource: Resource, paths: dict | None = None) -> list[Change]:
    """The three changes at a resource (some skipped, with the reason)."""
    paths = paths or _station_paths(scenario)
    out = []
    for make in (availability_change, cycle_change, buffer_change):
        change = make(scenario, resource, paths)
        if not change.skipped:
            with_overrides(scenario, change.assignments)  # a variant the schema refuses fails here, by name
        out.append(change)
    return out


# ---------------------------------------------------------------- the runs

CONFIRMED = 5
"""Changes confirmed over the whole horizon after the screening (the best by screened gain)."""


def marginal_values(scenario: Scenario | str, resources: list[str] | None = None, top: int = 5,
                    replications: int = 5, jobs: int = 1, seed: int | None = None,
                    on_progress=None, screen_days: float | None = SCREEN_DAYS,
                    confirm: int = CONFIRMED) -> MarginalResult:
    """Marginal value of availability, cycle time and buffer at the ``top`` most active resources and the
    named ``resources``: annual cars gained per change, paired against the base run.

    Screen, then confirm: when the scenario measures more than ``screen_days`` days, every change is first run
    over its first ``screen_days`` days after the warm-up (``screening``), and only the ``confirm`` best by
    that gain are run over the whole horizon with the base; the others keep their screened gain, marked with
    the days it was measured on (``Change.screened``). ``screen_days`` None or 0: every change over the whole
    horizon. Both stages use the base run's seed and replications (common random numbers) and deal every
    replication of every change to one pool of ``jobs`` processes (``runner.run_all``).

    ``on_progress(done, total, label)`` is called as replications finish (labels: 'base run', 'screening
    N changes on D days', 'N changes over the whole horizon') and once at the end with done == total.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if replications < 1:
        raise ValueError("replications must be at least 1")
    if confirm < 1:
        raise ValueError("confirm must be at least 1")
    for name in resources or []:
        find_resource(scenario, name)  # a bad name fails before any simulation
    seed = scenario.seed if seed is None else seed
    screen = screening(scenario, screen_days)
    first = screen or scenario
    progress = _Progress(on_progress)
    base = run(first, replications=replications, seed=seed, jobs=jobs,
               on_replication=progress.stage("base run" + (f" on {screen_days:g} days" if screen else "")))
    paths = _station_paths(scenario)
    changes = []
    for resource, share in chosen_resources(base, list(resources or []), top):
        for change in changes_for(scenario, resource, paths):
            change.active_share = share
            changes.append(change)
    todo = [c for c in changes if not c.skipped]
    label = f"screening {len(todo)} changes on {screen_days:g} days" if screen else \
        f"{len(todo)} changes over the whole horizon"
    _measure(first, base, todo, replications, seed, jobs, progress.stage(label))
    if screen:
        for c in todo:
            c.screened = screen_days
        best = sorted(todo, key=lambda c: -c.gain["mean"])[:confirm]
        base = _measure(scenario, None, best, replications, seed, jobs,
                        progress.stage(f"the {len(best)} best changes over the whole horizon"))
        for c in best:
            c.screened = None
    progress.end()
    ranked = sorted(todo, key=lambda c: (c.screened is not None, -c.gain["mean"])) + [c for c in changes if c.skipped]
    return MarginalResult(base, ranked, replications, seed, screen_days if screen else None)


def _measure(scenario: Scenario, base: RunResult | None, changes: list[Change], replications: int, seed: int,
             jobs: int, on_replication) -> RunResult:
    """Each change's gain over ``scenario`` (the base and every variant in one pool; ``base`` given: that run
    is the base, not rerun). Returns the base run."""
    variants = [with_overrides(scenario, c.assignments) for c in changes]
    results = run_all(([] if base else [scenario]) + variants, replications=replications, seed=seed, jobs=jobs,
                      on_replication=on_replication)
    if base is None:
        base, results = results[0], results[1:]
    base_values = [annual_units(r) for r in base.replications]
    for change, result in zip(changes, results):
        change.gain = _gain(base_values, [annual_units(r) for r in result.replications])
    return base


class _Progress:
    """``on_progress(done, total, label)`` over the stages of the list (each stage counts its replications)."""

    def __init__(self, on_progress):
        self.on_progress = on_progress
        self.last = (0, 1)

    def stage(self, label: str):
        def report(done: int, total: int) -> None:
            self.last = (done, total)
            if self.on_progress:
                self.on_progress(done, total, label)
        if self.on_progress:
            self.on_progress(0, None, label)
        return report

    def end(self) -> None:
        if self.on_progress:
            self.on_progress(self.last[1], self.last[1], "done")


WIDE_RULE = rule("gains", "the gain itself to tell it from zero, half the gap to the next change's gain to rank "
                 "the two")


def too_wide(changes: list[Change]) -> list[str]:
    """A line for each simulated change (ranked by gain) whose interval cannot rank it: it spans zero, or it
    overlaps the next change's; each with the replications that would resolve it (``precision``). Empty when
    every interval ranks; with one replication, one line saying intervals need two."""
    run = [c for c in changes if c.gain is not None and c.screened is None]  # screened-out: another horizon
    if run and run[0].gain["ci95_low"] is None:
        return ["one replication gives no interval: the gains cannot be ranked; run --replications 2 or more"]
    lines = []
    for c, after in zip(run, run[1:] + [None]):
        gain = c.gain
        half = (gain["ci95_high"] - gain["ci95_low"]) / 2
        if gain["ci95_low"] <= 0 <= gain["ci95_high"]:
            why, needed = "spans zero", abs(gain["mean"])
        elif after is not None and after.gain["ci95_high"] >= gain["ci95_low"]:
            why, needed = f"overlaps {after.resource.label} {after.change}'s", (gain["mean"] - after.gain["mean"]) / 2
        else:
            continue
        n = replications_needed(gain["n"], half, needed)
        lines.append(f"{c.resource.label} {c.change}: {gain['mean']:+,.0f} [{gain['ci95_low']:+,.0f}, "
                     f"{gain['ci95_high']:+,.0f}] cars/yr {why}: "
                     + (f"about {n:,} replications would resolve it" if n else "the means are equal, so no number "
                        "of replications tells them apart"))
    return lines


def _gain(base: list[float], variant: list[float]) -> dict:
    """Mean annual cars gained and its 95% paired t interval (none from one replication)."""
    n = len(base)
    if n < 2:
        mean = variant[0] - base[0]
        return rounded({"mean": mean, "ci95_low": None, "ci95_high": None, "n": n}, 3)
    mean, half = paired_difference(base, variant)
    return rounded({"mean": mean, "ci95_low": mean - half, "ci95_high": mean + half, "n": n}, 3)
