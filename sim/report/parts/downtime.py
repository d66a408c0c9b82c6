"""Downtime: stops and down hours a year by shop, station and failure mode, and by outage and run-in, in the
report's Shops section and the console report."""

from __future__ import annotations

from ..cells import COUNT, DECIMAL1, Column, Rows
from ..page import rows_table
from ..sections import Section

SECTIONS = [Section("downtime", None, "Downtime by mode and outage", lambda run: bool(run.summary.get("downtime")),
                    lambda run: rows_table(lambda: downtime_rows(run.summary)), within="shops")]

KINDS = {"mode": "failure modes", "outage": "outages", "run_in": "run-in", "event": "dated events"}


def console(s: dict) -> list[Rows | None]:
    return [downtime_rows(s)]


def downtime_rows(s: dict) -> Rows | None:
    """Per shop: its down hours a year by kind, then each failure mode (summed over the stations that have it),
    outage and run-in with its stops and hours; downtime.csv has them per station."""
    section = s.get("downtime")
    if not section:
        return None
    rows = Rows("Downtime by mode and outage (a year)", [
        Column("shop: mode or outage"), Column("stations", COUNT), Column("stops", COUNT),
        Column("down h", DECIMAL1), Column("mean stop min", DECIMAL1, "mean min")])
    for shop, kinds in section["by_shop"].items():
        rows.add([f"{shop}: " + ", ".join(f"{KINDS[k]} {h:,.0f} h" for k, h in kinds.items()), None, None, None,
                  None], "total")
        summed: dict = {}
        for row in section["rows"]:
            if row["shop"] == shop:
                key = (row["kind"], row["name"]) if row["kind"] == "mode" else (row["kind"], row["name"], row["station"])
                line = summed.setdefault(key, [0, 0.0, 0.0])
                line[0] += 1
                line[1] += row["stops_per_year"]
                line[2] += row["down_h_per_year"]
        for key, (stations, stops, hours) in summed.items():
            label = {"mode": key[1], "outage": f"{key[1]} (outage on {key[-1]})", "run_in": f"run-in on {key[-1]}",
                     "event": key[1]}[key[0]]
            rows.add([f"  {label}", stations if key[0] == "mode" else None, stops, hours,
                      hours * 60 / stops if stops else None])
    rows.caption = ("Stops starting in the measured window and their worked hours in it, a year, summed over the "
                    "stations with that mode (a station's servers summed; per station in downtime.csv); an outage or "
                    "the run-in stops every station it covers at once (docs/downtime.md). Means over replications.")
    return rows
