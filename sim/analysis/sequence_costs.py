"""What the car sequence costs the lines: colour changes at the paint booths, over-cycles on paced lines.

Both come from the station table of each replication (``replication.SEQUENCE_COLUMNS``), counted in
the measured window, and are shown per shift of the station's shop (a shift's worked hours: its
length less its breaks) so that a planner reads them as the shop floor does: "12 colour changes a
shift", "4 minutes of line stop a shift for the Tiggo 7".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..scenario.schema import Scenario
from ..scenario.topology import all_stations
from .stats import mean_ci, rounded


def _per_rep(reps, shop: str, station: str, column: str) -> list[float]:
    out = []
    for rep in reps:
        table = rep.stations
        match = table[(table["shop"] == shop) & (table["station"] == station)]
        out.append(float(match[column].iloc[0]))
    return out


def _shifts(rep, scenario: Scenario, shop: str) -> float:
    """Shifts worked in the measured window by a shop."""
    return rep.scalars["shop_hours"][shop] * 3600.0 / scenario.shops[shop].shifts.net_seconds


def colour_changes(scenario: Scenario, reps: list, stations: pd.DataFrame) -> dict:
    """Per paint booth ('shop.station'): bodies, colour changes a shift (mean, CI), mean block length
    (bodies per block, a block being a run of bodies of one colour), empty carriers a shift and the share of
    shift time spent changing colour. Bodies, changes and blocks are counted on the same cars: those whose
    colour the booth checked in the window (so a block is never shorter than one body)."""
    out = {}
    for shop_name, shop in scenario.shops.items():
        for station in _booths(shop):
            row = stations[(stations["shop"] == shop_name) & (stations["station"] == station.name)].iloc[0]
            changes = _per_rep(reps, shop_name, station.name, "colour_changes")
            bodies = _per_rep(reps, shop_name, station.name, "colour_bodies")
            blocks = _per_rep(reps, shop_name, station.name, "colour_blocks")
            lost = _per_rep(reps, shop_name, station.name, "carriers_lost")
            shifts = [_shifts(r, scenario, shop_name) for r in reps]
            on_shift = 1.0 - float(row["share_off_shift"])
            out[f"{shop_name}.{station.name}"] = {
                "bodies": round(float(np.mean(bodies)), 1),
                "changes_per_shift": rounded(mean_ci([c / s for c, s in zip(changes, shifts)]), 2),
                "mean_block": round(float(np.sum(bodies) / np.sum(blocks)), 3) if np.sum(blocks) else None,
                "empty_carriers_per_shift": round(float(np.mean([c / s for c, s in zip(lost, shifts)])), 2),
                "colour_change_share": round(float(row["share_colour_change"]) / on_shift, 5) if on_shift else None,
            }
    return out


def over_cycles(scenario: Scenario, reps: list, stations: pd.DataFrame) -> dict:
    """Per paced line with over-cycles ('shop.line'): what it does with them, its floaters' use, and per
    station the over-cycling cars a shift, the line stop they caused (minutes a shift, mean and CI), the
    furthest drift into the next zone and the cars a floater finished."""
    out = {}
    for shop_name, shop in scenario.shops.items():
        mine = stations[(stations["shop"] == shop_name) & (stations["kind"] == "line")]
        for line_name in dict.fromkeys(mine["line"]):
            members = mine[mine["line"] == line_name]
            if not (members["over_cycles"] > 0).any():
                continue
            spec = shop.lines[line_name]
            rule = spec.over_cycle
            shifts = [_shifts(r, scenario, shop_name) for r in reps]
            per_station = {}
            for row in members.itertuples():
                if row.over_cycles <= 0:
                    continue
                stops = _per_rep(reps, shop_name, row.station, "over_cycle_stop_s")
                per_station[row.station] = {
                    "over_cycles_per_shift": round(float(np.mean(
                        [c / s for c, s in zip(_per_rep(reps, shop_name, row.station, "over_cycles"), shifts)])), 2),
                    "stop_min_per_shift": rounded(mean_ci([t / 60.0 / s for t, s in zip(stops, shifts)]), 2),
                    "drift_max_s": round(float(row.drift_max_s), 1),
                    "floater_helps_per_shift": round(float(np.mean(
                        [c / s for c, s in zip(_per_rep(reps, shop_name, row.station, "floater_helps"), shifts)])),
                        2),
                }
            helps = float(members["floater_helps"].sum())
            floaters = rule.floaters if rule is not None else 0
            line_hours = float(np.mean(shifts)) * shop.shifts.net_seconds
            out[f"{shop_name}.{line_name}"] = {
                "rule": _rule_text(rule),
                "zone_takts": rule.zone if rule is not None else 1.0,
                "floaters": floaters,
                # a floater finishing a car is busy for one takt
                "floater_utilisation": round(helps * spec.takt / (floaters * line_hours), 4)
                if floaters and line_hours else None,
                "stations": per_station,
            }
    return out


def _rule_text(rule) -> str:
    """What the line does with an over-cycle, in a few words (the line stops for what is left)."""
    if rule is None:
        return "line stops"
    parts = ([f"zone {rule.zone:g} takts"] if rule.zone > 1.0 else []) + \
        ([f"{rule.floaters} floater{'s' if rule.floaters != 1 else ''}"] if rule.floaters else [])
    return ", ".join(parts) + ", then stops" if parts else "line stops"


def _booths(shop):
    return [st for st in all_stations(shop) if st.colour_change is not None]


def replication_values(scenario: Scenario, reps: list) -> dict:
    """Per-replication figures of the sequence's cost, for paired comparisons between runs: per shop
    with booths, colour changes a shift; per shop with over-cycling lines, minutes of line stop a shift
    and the floaters' utilisation; per spacing rule, breaches per 1,000 cars entering the last shop."""
    values: dict[str, list] = {}
    for shop_name, shop in scenario.shops.items():
        booths = [st.name for st in _booths(shop)]
        lines = {name: spec for name, spec in shop.lines.items() if spec.takt}
        for rep in reps:
            table = rep.stations[rep.stations["shop"] == shop_name]
            shifts = _shifts(rep, scenario, shop_name)
            if booths:
                changes = float(table[table["station"].isin(booths)]["colour_changes"].sum())
                values.setdefault(f"colour_changes.{shop_name}", []).append(round(changes / shifts, 4))
            if (table["over_cycles"] > 0).any():
                stop = float(table["over_cycle_stop_s"].sum())
                values.setdefault(f"over_cycle_stop_min.{shop_name}", []).append(round(stop / 60.0 / shifts, 4))
                busy = sum(float(table[table["line"] == name]["floater_helps"].sum()) * spec.takt
                           for name, spec in lines.items())
                hours = sum(spec.over_cycle.floaters for spec in lines.values() if spec.over_cycle is not None) \
                    * shifts * shop.shifts.net_seconds
                if hours:
                    values.setdefault(f"floater_utilisation.{shop_name}", []).append(round(busy / hours, 5))
    last = list(scenario.shops)[-1]
    for rule in scenario.product.spacing:
        values[f"spacing.{last}.{rule.text}"] = [
            round(1000.0 * r.spacing["breaches"][rule.text][last] / max(1, r.spacing["cars"][last]), 4) for r in reps]
    return values


def kpis(values: dict) -> list[tuple[str, float, str, str]]:
    """(KPI name, mean, key in ``replication_values``, kind: decimal or share) of the figures above, for the
    comparison table."""
    out = []
    for key, series in values.items():
        kind, _, what = key.partition(".")
        series = [v for v in series if v is not None]  # as compare's differences leave them out
        if not series:
            continue
        if kind == "colour_changes":
            out.append((f"colour changes a shift {what}", float(np.mean(series)), key, "decimal"))
        elif kind == "over_cycle_stop_min":
            out.append((f"over-cycle stop min/shift {what}", float(np.mean(series)), key, "decimal"))
        elif kind == "floater_utilisation":
            out.append((f"floaters busy {what}", float(np.mean(series)), key, "share"))
        elif kind == "spacing":
            shop, _, rule = what.partition(".")
            out.append((f"breaches /1,000 into {shop} ({rule})", float(np.mean(series)), key, "decimal"))
    return out
