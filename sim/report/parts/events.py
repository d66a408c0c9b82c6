"""Dated events: a table of the events of the scenario, what each held or took off, in the report's Plan
section and the console report."""

from __future__ import annotations

from ..cells import DECIMAL1, DECIMAL2, Column, Rows
from ..page import rows_table
from ..sections import Section

SECTIONS = [Section("events", "Events", "Dated events", lambda run: bool(run.summary.get("events")),
                    lambda run: rows_table(lambda: event_rows(run.summary)), after="output")]


def console(s: dict) -> list[Rows | None]:
    return [event_rows(s)]


def event_rows(s: dict) -> Rows | None:
    """One row per event: its kind and target, its days, and what it cost."""
    events = s.get("events")
    if not events:
        return None
    rows = Rows("Dated events", [Column("event"), Column("target"), Column("days"),
                                 Column("shipments held", DECIMAL2), Column("days held", DECIMAL1),
                                 Column("working days lost", DECIMAL1), Column("shift hours", DECIMAL1)])
    for event in events:
        rows.add([event["kind"].replace("_", " "), event["target"], _days(event),
                  _mean(event.get("shipments_held")), _mean(event.get("days_held")), event.get("working_days_lost"),
                  _hours(event)])
    rows.caption = ("Shipments held and the days they were held: summed over the run, means over replications "
                    "(what they cost in kits: the supply section's stockout hours). Shift hours: lost by a shutdown "
                    "(the shops' most), or of the shop while a station, line or shop is down, at its shift count.")
    return rows


def _days(event: dict) -> str:
    if "first_day" in event:
        return f"{event['first_day']} to {event['last_day']}"
    which = f"shipment {event['shipment']}" if "shipment" in event else f"departing {event['departing']}"
    until = f"held {event['held_days']:g} d" if "held_days" in event else f"released {event['released']}"
    return f"{which}, {until}"


def _mean(ci: dict | None):
    return None if ci is None else ci["mean"]


def _hours(event: dict):
    if "shift_hours_lost" in event:
        return max(event["shift_hours_lost"].values())
    return event.get("shift_hours_down")
