"""Overall equipment effectiveness (OEE) per paced line, conveyor and shop, in its standard definition.

OEE = availability x performance x quality, over the planned production time (the
shift time of the measured window, breaks excluded):

- availability = (planned time - breakdown time) / planned time; a paced line stops for a
  breakdown of any of its stations, so its breakdown time is the sum of its stations' down time;
- performance = ideal cycle x units / (planned time - breakdown time): the speed loss, with
  the line's starved, blocked, feeder and balance waits in it. The ideal cycle is the line's
  takt (a self-paced line's: its slowest mean station cycle plus transfer), a conveyor's
  index time;
- quality = the share of the shop's inspected cars that pass first time (1 in a shop
  without an inspection): every line of a shop shares the defects its inspection finds.

A shop's OEE is its good first-pass output at the ideal cycle of its slowest station (without
breakdowns or rework revisits) over the shop's planned time; its availability is that of its limiting resource
(the line or station that limits static capacity), and performance is what remains:
OEE / (availability x quality).
"""

from __future__ import annotations

import math

import pandas as pd

from ..scenario.schema import Scenario

OEE_COLUMNS = ["level", "shop", "name", "availability", "performance", "quality", "oee", "units", "ideal_cycle_s"]


def quality_rates(summary_quality: dict, shops) -> dict[str, float]:
    """First-pass share of each shop's inspections (1 where a shop inspects nothing)."""
    out = {}
    for shop in shops:
        q = summary_quality.get(shop)
        out[shop] = 1.0 if not q or not q["inspected"] else 1.0 - q["failed"] / q["inspected"]
    return out


def oee_table(scenario: Scenario, stations: pd.DataFrame, quality: dict, shop_exits: dict,
              shop_hours: dict, window_s: float, line_outages: dict | None = None) -> pd.DataFrame:
    """A row per paced line and conveyor (level 'line') and per shop (level 'shop').

    ``stations``: the run's station table (mean shares, completions, static capacity columns);
    ``quality``: per shop, first-pass share; ``shop_exits`` / ``shop_hours``: mean cars leaving each
    shop in the window and its shift hours in the window; ``window_s``: the measured window in seconds;
    ``line_outages``: per (shop, line) covered by outages or a run-in, the share of the window it stood for them,
    which each of its stations counts as down (``analysis.downtime.line_outage_shares``): counted once."""
    rows = []
    resources = {}
    for shop_name, shop in scenario.shops.items():
        mine = stations[stations["shop"] == shop_name]
        q = quality[shop_name]
        for name, members in _lines(mine):
            first = members.iloc[0]
            planned = 1.0 - float(first["share_off_shift"])
            down = float(members["share_down"].sum())
            if line_outages and (shop_name, name) in line_outages:  # a shared stop, not one per station
                down -= (len(members) - 1) * line_outages[shop_name, name]
            ideal = float(first["ideal_cycle_s"])  # the line's takt, or its slowest mean cycle + transfer
            units = float(members["completions"].max())
            row = _row("line", shop_name, name, planned, down, ideal, units, q, window_s)
            resources[(shop_name, name)] = row
            rows.append(row)
        rows.append(_shop_row(shop_name, mine, resources, q, shop_exits[shop_name], shop_hours[shop_name]))
    return pd.DataFrame(rows, columns=OEE_COLUMNS)


def _lines(mine: pd.DataFrame):
    """(name, rows) of each paced line and conveyor of a shop, in flow order."""
    lines = mine[mine["kind"] == "line"]
    for name in dict.fromkeys(lines["line"]):
        yield name, lines[lines["line"] == name]
    for _, conveyor in mine[mine["kind"] == "conveyor"].iterrows():
        yield conveyor["station"], conveyor.to_frame().T


def _row(level, shop, name, planned_share, down_share, ideal, units, quality, window_s) -> dict:
    """Availability, performance, quality and OEE from shares of the window (planned: on shift)."""
    planned = planned_share * window_s
    running = planned - down_share * window_s
    availability = running / planned if planned > 0 else math.nan
    performance = ideal * units / running if running > 0 else math.nan
    return {"level": level, "shop": shop, "name": name, "availability": availability, "performance": performance,
            "quality": quality, "oee": availability * performance * quality, "units": units, "ideal_cycle_s": ideal}


def _shop_row(shop_name, mine: pd.DataFrame, resources: dict, quality: float, exits: float, hours: float) -> dict:
    ideal_rates = mine["ideal_cars_per_hour"].dropna()
    if ideal_rates.empty or hours <= 0:
        return {"level": "shop", "shop": shop_name, "name": shop_name, "availability": math.nan,
                "performance": math.nan, "quality": quality, "oee": math.nan, "units": exits,
                "ideal_cycle_s": math.nan}
    limiting = mine.loc[mine["static_cars_per_hour"].idxmin()]
    ideal = 3600.0 / float(ideal_rates.min())
    resource = resources.get((shop_name, limiting["line"] if limiting["kind"] == "line" else limiting["station"]))
    if resource is not None:
        availability = resource["availability"]
    else:  # a free-flow station: its own breakdowns over its shift time
        on_shift = 1.0 - float(limiting["share_off_shift"])
        availability = 1.0 - float(limiting["share_down"]) / on_shift if on_shift > 0 else math.nan
    oee = exits * ideal * quality / (hours * 3600.0)
    performance = oee / (availability * quality) if availability > 0 and quality > 0 else math.nan
    return {"level": "shop", "shop": shop_name, "name": shop_name, "availability": availability,
            "performance": performance, "quality": quality, "oee": oee, "units": exits, "ideal_cycle_s": ideal}


def oee_summary(table: pd.DataFrame) -> dict:
    """The ``oee`` object of summary.json: per shop and per line ('shop.line'), each part rounded."""
    def parts(row) -> dict:
        return {k: (None if row[k] != row[k] else round(float(row[k]), 4))
                for k in ("availability", "performance", "quality", "oee")}
    return {"shops": {r["shop"]: parts(r) for _, r in table[table["level"] == "shop"].iterrows()},
            "lines": {f"{r['shop']}.{r['name']}": parts(r) for _, r in table[table["level"] == "line"].iterrows()}}
