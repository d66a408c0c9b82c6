"""The run's answer in one place (summary.json's ``headline``): output against the right yardstick, what limited it,
the bottleneck, the people and their hours per car. The console, the report and ``sim show`` print it.

The yardstick: with a ramp-up or a plan, the plan (the window's planned cars, year by year, and the months made
under 95% of it), or without a plan the ramp's own capacity month by month; otherwise the scenario's target. The
mature static capacity and the loss against it only for a mature window: against a ramp it would call the ramp
itself a loss. What limited output: the largest loss of the waterfall (``losses``), below the ramp's own
capacity in a ramp. Staffing: in a ramp, the window's months as they were staffed (person-days over working
days; paid hours over cars made), not the mature plant's.
"""

from __future__ import annotations

BELOW_PLAN = 0.95
"""A month made under this share of its plan is listed as below plan."""


def headline(scenario, summary: dict) -> dict:
    ramping = scenario.ramping
    losses = summary.get("losses") or {}
    out = {"output": summary["throughput"]["annual_units"], **_yardstick(summary, ramping),
           "limited_by": (losses.get("ramp") or {}).get("largest") if ramping else losses.get("largest"),
           "bottleneck": _bottleneck(summary["bottleneck"]), **_people(summary, ramping)}
    if not ramping:
        out["static_capacity"] = min(summary["static_capacity"].values())
        out["dynamic_loss"] = summary["dynamic_loss"]
    return out


def _yardstick(summary: dict, ramping: bool) -> dict:
    target = summary["target"]
    months = summary.get("months") or {}
    years = {y: v for y, v in (months.get("by_year") or {}).items() if v.get("plan")}
    if ramping and years:
        made, planned = sum(v["units"] for v in years.values()), sum(v["plan"] for v in years.values())
        below = [m for m, v in (months.get("by_month") or {}).items()
                 if v.get("plan") and v["units"] < BELOW_PLAN * v["plan"]]
        return {"judged_against": "plan", "made": round(made, 1), "planned": round(planned, 1),
                "attainment": round(made / planned, 4),
                "by_year": {y: {"made": v["units"], "planned": v["plan"], "attainment": round(v["units"] / v["plan"], 4)}
                            for y, v in years.items()},
                "months_below_plan": below}
    capacity = ((summary.get("plan") or {}).get("capacity_by_month") or {})
    if ramping and capacity:
        made = sum(v["units"] for m, v in months["by_month"].items() if m in capacity)
        possible = sum(capacity.values())
        return {"judged_against": "ramp capacity", "made": round(made, 1), "planned": round(possible, 1),
                "attainment": round(made / possible, 4) if possible > 0 else None}
    return {"judged_against": "target", "target": target["annual_units"], "attainment": target["attainment"],
            "met": target["met"], "met_with_95_confidence": target["met_with_95_confidence"]}


def _bottleneck(found: dict) -> dict:
    return {"where": f"{found['shop']}.{found.get('line') or found['station']}", "station": found["station"],
            "active_share": found["active_share"]}


def _people(summary: dict, ramping: bool) -> dict:
    staffing = summary.get("staffing") or {}
    by_month = ((summary.get("plan") or {}).get("staffing") or {}).get("by_month") or {}
    days = {m: v["working_days"] for m, v in ((summary.get("months") or {}).get("by_month") or {}).items()}
    if ramping and by_month and all(m in days for m in by_month):
        worked = sum(days[m] for m in by_month)
        cars = sum(v["cars"] for v in by_month.values())
        hours = sum(v["paid_hours"] for v in by_month.values())
        return {"headcount": round(sum(v["headcount"] * days[m] for m, v in by_month.items()) / worked, 1)
                if worked else None,
                "hours_per_vehicle": round(hours / cars, 2) if cars > 0 else None, "staffing_of": "window's months"}
    if not staffing:
        return {}
    return {"headcount": staffing.get("headcount_total"), "hours_per_vehicle": staffing.get("hours_per_vehicle"),
            "staffing_of": "mature plant"}
