"""One replication: a pure function of (scenario, seed, replication number).

Builds the plant, runs it to the end of the horizon, checks the invariants and
returns tidy tables. Nothing here reads or writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..scenario.days import DAY, scenario_days
from ..scenario.schema import Scenario
from .builder import build_plant
from .flow.car import InvariantError  # noqa: F401  (raised by the engine; imported from here by callers)
from .flow.states import STATE_NAMES
from .launch.sequencer import spacing_breaches
from .plant import Plant


@dataclass
class ReplicationResult:
    replication: int
    seed: int
    stations: pd.DataFrame
    """A row per station: shop, station, kind, servers, completions, share_<state>, downs."""
    buffers: pd.DataFrame
    """A row per buffer: shop, buffer, kind (store, buffer, re-entry lane, arrivals), capacity,
    mean_level, max_level, max_ever, share_full, share_empty."""
    daily: pd.DataFrame
    """Completions per simulated day, model and market."""
    lead_times: np.ndarray
    """Launch-to-completion hours of the cars finished in the window."""
    scalars: dict
    """Counts and window facts: completed, scrapped, launched, wip_mean, shop_exits, ..."""
    pools: pd.DataFrame
    """A row per labour pool (``POOL_COLUMNS``); empty, with those columns, when there are none."""
    store_levels: pd.DataFrame
    """Level of each store between shops on the hour: time_h (wall hours from the start), store, level."""
    shifting: pd.DataFrame | None = None
    """The shifting-bottleneck view (``analysis.shifting.COLUMNS``): a row per resource, its share of the
    plant's on-shift time as sole and as shifting bottleneck (Roser's active periods)."""
    spacing: dict | None = None
    """Spacing-rule breaches (``sequencer.spacing_breaches``): per rule and shop, the breaches among the cars
    that entered the shop in the measured window, and those cars' number; None without spacing rules."""
    sequencing: dict | None = None
    """Sequencing figures (``analysis.sequencing.replication_sequencing``): per shop entered after a store,
    colour blocks and sequence adherence; per sorting store, waits and forced releases; None when no store sorts."""
    figures: dict = field(default_factory=dict)
    """Per component of the plant (its registered name): its figures of the replication, a typed record
    (``Component.figures``; e.g. ``outbound.OutboundFigures``, ``supply.SupplyFigures``)."""


SEQUENCE_COLUMNS = ["colour_changes", "colour_bodies", "colour_blocks", "carriers_lost", "over_cycles",
                    "over_cycle_stop_s", "drift_max_s", "floater_helps"]
"""What the sequence cost a station in the window: colour changes at a paint booth, the bodies it checked
for them and the blocks (runs of one colour) those bodies form (a change and its bodies are counted on the
same cars, as the booth checks each body's colour), and the empty carriers the changes left; on a paced line, cars over-cycling the station, the line stop they caused (worked s), the
furthest its operator drifted into the next zone (s) and the cars a floater finished."""

BUFFER_COLUMNS = ["shop", "buffer", "kind", "capacity", "mean_level", "max_level", "max_ever", "share_full",
                  "share_empty"]

POOL_COLUMNS = ["shop", "pool", "size", "mean_present", "utilisation", "labour_wait_s", "cars_served"]
"""size: operators per shift of the shop ("3/2"); mean_present: time-average operators present on
shift; utilisation: busy / present operator-seconds on shift; labour_wait_s: server-seconds the
pool's stations held a car waiting for its operators; cars_served: cycles done with its operators.
All on the shop's shift time in the measured window."""


def simulate(scenario: Scenario, seed: int, replication: int = 0, measures: dict | None = None) -> ReplicationResult:
    """``measures``: figures computed from the plant itself after the run, in the process that ran it, so
    that only their small tables travel (name -> function(plant); the experiment layer passes the
    analysis's: the shifting bottleneck from the active periods, sequencing from the entry logs)."""
    days = scenario_days(scenario)
    plant = build_plant(scenario, days, seed, replication)
    plant.run()
    stations = _station_table(plant)
    buffers = _buffer_table(plant)
    pools = _pool_table(plant)
    plant.check_invariants(stations)
    completed = plant.completed
    lead = np.array([(t - launched) / 3600.0 for t, _, _, launched in completed])
    window_hours = plant.window.span / 3600.0
    scalars = {
        "completed": len(completed),
        "deadlocked": plant.deadlocked,
        "scrapped": plant.scrapped_in_window,
        "launched_total": plant.launch.launched,
        "completed_total": plant.completed_total,
        "scrapped_total": plant.scrapped_total,
        "wip_end": plant.cars_inside(),
        "wip_mean": plant.wip.area / (window_hours * 3600.0),
        "window_hours": window_hours,
        "working_days": days.working_days_in_window(),
        "working_days_per_year": days.working_days_per_year,
        "measured_days": days.measured_days,
        "warmup_days": days.warmup_days,
        "shop_exits": dict(plant.shop_exits),
        "shop_hours": {name: w.span / 3600.0 for name, w in plant.worked_windows.items()},
        "by_model": {name: sum(1 for c in completed if c[1] == m) for m, name in enumerate(plant.model_names)},
        "by_market": {"export": sum(1 for c in completed if c[2]), "domestic": sum(1 for c in completed if not c[2])},
        "inspections": {shop: {"inspected": g.inspected, "failed": g.failed} for shop, g in plant.gates.items()},
        "feeder_waits": {name: record.join_wait_share() for name, record in plant.feeders.items()},
    }
    measured = {name: measure(plant) for name, measure in (measures or {}).items()}
    figures = {name: component.figures() for name, component in plant.components.items()}
    return ReplicationResult(replication, seed, stations, buffers, _daily_table(plant, days), lead, scalars, pools,
                             _store_levels(plant), measured.get("shifting"),
                             spacing=spacing_breaches(plant) if scenario.product.spacing else None,
                             sequencing=measured.get("sequencing"),
                             figures={name: f for name, f in figures.items() if f is not None})


def _station_table(plant: Plant) -> pd.DataFrame:
    rows = []
    window = plant.window.span
    for shop, nodes in plant.nodes.items():
        for node in nodes:
            on_shift = node.worked_window.span  # a feeder may work its own shifts
            for row in node.station_rows():
                times = row.pop("times")
                row["measured_s"] = sum(times)
                row["on_shift_s"] = on_shift
                for name, value in zip(STATE_NAMES, times):
                    row[f"share_{name}"] = value / window
                row["share_off_shift"] = (window - on_shift) / window
                active = row.pop("line_active_s")
                row["share_line_active"] = None if active is None else active / window
                waits = row.pop("feeder_waits")
                starved_by = max(waits, key=waits.get) if waits and max(waits.values()) > 0 else None
                row["starved_by"] = starved_by
                row["starved_by_share"] = waits[starved_by] / window if starved_by else 0.0
                for column in SEQUENCE_COLUMNS:
                    row.setdefault(column, 0)
                rows.append(row)
    table = pd.DataFrame(rows)
    columns = ["shop", "station", "kind", "line", "servers", "completions"] + \
        [f"share_{s}" for s in STATE_NAMES] + ["share_off_shift", "share_line_active", "downs",
                                                 "starved_by", "starved_by_share", "measured_s", "on_shift_s",
                                                 "line_stopped_s", "feeder_stops"] + \
        SEQUENCE_COLUMNS
    return table[columns]


def _pool_table(plant: Plant) -> pd.DataFrame:
    """A row per labour pool, from the counters it keeps in its shop's worked time."""
    rows = []
    for pool in plant.pools.values():
        on_shift = pool.worked_window.span
        rows.append({
            "shop": pool.shop, "pool": pool.name, "size": pool.sizes_text,
            "mean_present": pool.present_area / on_shift if on_shift > 0 else np.nan,
            "utilisation": pool.busy_area / pool.present_area if pool.present_area > 0 else np.nan,
            "labour_wait_s": pool.wait_s, "cars_served": pool.served,
        })
    return pd.DataFrame(rows, columns=POOL_COLUMNS)


def _store_levels(plant: Plant) -> pd.DataFrame:
    """Hourly samples of each store's level, from its change log (no sampling events in the run)."""
    frames = []
    for buffer in plant.buffers:
        if buffer.monitor.trace is None:
            continue
        seconds, levels = buffer.monitor.on_the_hour(plant.window.hi)
        frames.append(pd.DataFrame({"time_h": seconds / 3600.0, "store": buffer.name, "level": levels}))
    if not frames:
        return pd.DataFrame(columns=["time_h", "store", "level"])
    return pd.concat(frames, ignore_index=True)


def _buffer_table(plant: Plant) -> pd.DataFrame:
    """A row per buffer: shop, buffer, kind (``buffer.BUFFER_KINDS``), capacity and level statistics."""
    window = plant.window.span
    rows = []
    for buffer in plant.buffers:
        m = buffer.monitor
        rows.append({
            "shop": buffer.shop, "buffer": buffer.name, "kind": buffer.kind,
            "capacity": buffer.capacity if np.isfinite(buffer.capacity) else np.nan,
            "mean_level": m.area / window, "max_level": m.max_level, "max_ever": m.max_ever,
            "share_full": m.full / window, "share_empty": m.empty / window,
        })
    return pd.DataFrame(rows, columns=BUFFER_COLUMNS)  # a plant of one station has no buffer at all


def _daily_table(plant: Plant, days) -> pd.DataFrame:
    """Completions per working day of the window, by model and market (zero rows kept)."""
    first = int(np.ceil(days.warmup_days - 1e-9))
    last = int(np.ceil(days.warmup_days + days.measured_days - 1e-9))
    extra = set().union(*(component.extra_days() for component in plant.components.values()))
    day_numbers = [d for d in range(first, last) if days.working[d] or d in extra]  # overtime Saturdays too
    counts = {}
    # a car finished on a night shift after midnight counts for the day its shift began
    last_shop = plant.scenario.shops[list(plant.scenario.shops)[-1]]
    day_start = last_shop.shifts.start
    for t, model, export, _ in plant.completed:
        key = (int((t - day_start) // DAY), model, export)
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for d in day_numbers:
        row = {"day": d}
        if days.first_date is not None:
            row["date"] = (days.first_date + pd.Timedelta(days=d)).isoformat()
        for m, name in enumerate(plant.model_names):
            for export, market in ((True, "export"), (False, "domestic")):
                row[f"{name}|{market}"] = counts.get((d, m, export), 0)
        rows.append(row)
    table = pd.DataFrame(rows)
    table.attrs["off_day_completions"] = sum(v for (d, _, _), v in counts.items() if d not in set(day_numbers))
    return table
