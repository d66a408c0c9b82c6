"""Staffing through the ramp-up and the plan: the headcount, paid hours and hours per vehicle of each month at
the shifts it runs, and of each year, in the report (after the months) and the console report."""

from __future__ import annotations

from ..cells import COUNT, DECIMAL2, Column, Rows
from ..page import rows_table
from ..sections import Section


def _staffing(s: dict) -> dict | None:
    return (s.get("plan") or {}).get("staffing")


SECTIONS = [Section("ramp-staffing", "Ramp staffing", "Staffing through the ramp-up",
                    lambda run: bool(_staffing(run.summary)),
                    lambda run: rows_table(lambda: staffing_rows(run.summary)), after="months")]


def console(s: dict) -> list[Rows | None]:
    return [staffing_rows(s)]


def staffing_rows(s: dict) -> Rows | None:
    """A row per month (its shifts per shop, headcount, paid hours, cars, hours per vehicle) and per year."""
    staffing = _staffing(s)
    if not staffing:
        return None
    shops = list(next(iter(staffing["by_month"].values()))["shifts"])
    rows = Rows("Staffing through the ramp-up, month by month", [Column("month")] +
                [Column(f"shifts {shop}", COUNT, shop) for shop in shops] +
                [Column("headcount", COUNT, "heads"), Column("paid hours", COUNT, "paid h"),
                 Column("cars", COUNT), Column("hours per vehicle", DECIMAL2, "h/car")])
    for month, m in staffing["by_month"].items():
        rows.add([month] + [m["shifts"][shop] for shop in shops] +
                 [m["headcount"], m["paid_hours"], m["cars"], m["hours_per_vehicle"]])
    for year, y in staffing["by_year"].items():
        rows.add([year] + [None] * len(shops) + [y["headcount"], y["paid_hours"], y["cars"], y["hours_per_vehicle"]],
                 "total")
    rows.caption = ("Each month staffed at the shifts the ramp-up runs in it (the scenario's crews, pools, relief, "
                    "team leaders, indirect roles and absence reserve on those shifts; line speed and launch caps "
                    "change no crew). Paid hours: headcount x paid hours per shift x the month's working days in "
                    "the window; hours per vehicle: paid hours / cars finished (mean of replications). A year's "
                    "headcount: its mean over working days. Overtime is paid on top.")
    return rows
