"""Staffing through the ramp-up and the plan (the plan component's analysis part): the headcount of each month
at the shifts the ramp-up runs in it, the paid hours and the hours per vehicle by month and by year.

A month's headcount is the scenario's staffing (``staffing.headcount``) with each shop's and feeder's shift
count of that month (``Ramp.month_scenario``): crews, pools, floaters, relief, team leaders, indirect roles and
the absence reserve of the shifts that work. Line speed and the launch caps change no crew: a station is
crewed whether its line runs at full speed or not. Paid hours = headcount x paid hours per shift x the
month's working days in the measured window; hours per vehicle = paid hours / cars finished in the month (mean
over replications). Overtime is paid on top (the overtime section gives its hours a worker).
"""

from __future__ import annotations

from ..scenario.days import scenario_days
from ..scenario.ramp import Ramp, month_speed
from .capacity import station_capacity
from .months import monthly_table
from .staffing import headcount


def summary(run) -> dict | None:
    """The run's ``plan`` section (None without a ramp-up or a plan, or on a calendar without dates)."""
    scenario = run.scenario
    if not scenario.ramping:
        return None
    months = monthly_table(run.throughput)
    if months.empty:
        return None
    ramp = Ramp(scenario, scenario_days(scenario))
    return {"staffing": staffing_by_month(ramp, months, scenario.staffing.paid_hours_per_shift / 3600.0),
            "capacity_by_month": capacity_by_month(ramp, months)}


def capacity_by_month(ramp: Ramp, months) -> dict[str, float]:
    """The ramp's own static capacity of each month of ``months`` (``months.monthly_table``): per shop, its
    slowest station's cars per shift hour (a paced line's or conveyor's at the month's line speed) x the shifts
    it runs that month x its net shift hours x the month's working days in the window; the plant's is the
    slowest shop's. What the plant could make that month with the ramp's shifts and speed, before any loss."""
    stations = station_capacity(ramp.scenario)
    paced = stations["kind"].isin(["line", "conveyor"])
    out = {}
    for row in months.itertuples():
        speed = month_speed(ramp, row.month)
        rate = stations["cars_per_hour"].where(~paced, stations["cars_per_hour"] * speed)
        shops = []
        for name, shop in ramp.scenario.shops.items():
            hours = ramp.month_shifts(row.month, name) * shop.shifts.net_seconds / 3600.0 * row.working_days
            shops.append(float(rate[stations["shop"] == name].min()) * hours)
        out[row.month] = round(min(shops), 1)
    return out


def staffing_by_month(ramp: Ramp, months, paid_hours_per_shift: float) -> dict:
    """{by_month: {month: shifts per shop, headcount, paid_hours, cars, hours_per_vehicle}, by_year: {year:
    headcount (mean over its working days), paid_hours, cars, hours_per_vehicle}} for the months of ``months``
    (``months.monthly_table``)."""
    heads: dict[tuple, int] = {}  # months with the same shifts have the same headcount
    by_month, years = {}, {}
    for row in months.itertuples():
        shifts = {shop: ramp.month_shifts(row.month, shop) for shop in ramp.scenario.shops}
        key = tuple(shifts.values())
        if key not in heads:
            heads[key] = int(headcount(ramp.month_scenario(row.month))["headcount"].sum())
        hours = heads[key] * paid_hours_per_shift * row.working_days
        by_month[row.month] = {"shifts": shifts, "headcount": heads[key], "paid_hours": round(hours, 1),
                               "cars": round(float(row.units), 1), "hours_per_vehicle": _per_car(hours, row.units)}
        year = years.setdefault(row.month[:4], {"days": 0, "person_days": 0, "hours": 0.0, "cars": 0.0})
        year["days"] += row.working_days
        year["person_days"] += heads[key] * row.working_days
        year["hours"] += hours
        year["cars"] += float(row.units)
    by_year = {year: {"headcount": round(y["person_days"] / y["days"], 1) if y["days"] else None,
                      "paid_hours": round(y["hours"], 1), "cars": round(y["cars"], 1),
                      "hours_per_vehicle": _per_car(y["hours"], y["cars"])} for year, y in years.items()}
    return {"by_month": by_month, "by_year": by_year}


def _per_car(hours: float, cars: float) -> float | None:
    return round(hours / cars, 2) if cars > 0 else None
