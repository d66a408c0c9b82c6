"""Overtime worked when the plant fell behind its plan (``plan.overtime``; ``model.components.overtime``): per
month the Saturdays worked, the days lengthened and the hours a worker worked, the weeks behind, and the cars
the last shop finished in overtime."""

from __future__ import annotations

from .stats import mean_ci, rounded


def summary(run) -> dict | None:
    """The run's ``overtime`` section (None without overtime)."""
    figures = run.figures("overtime")
    return None if figures is None else overtime_summary(figures, limits(run.scenario))


def limits(scenario) -> str:
    """The overtime a plan allows, in words for the report."""
    spec = scenario.plan.overtime
    allowed = [f"{spec.after_shift / 3600:g} h after the last shift"] if spec.after_shift else []
    allowed += [f"{spec.saturdays} Saturday{'s' if spec.saturdays > 1 else ''} a month"] if spec.saturdays else []
    return (" and ".join(allowed) + f", at most {spec.monthly_hours / 3600:g} h a month and "
            f"{spec.annual_hours / 3600:g} h a year a worker")


def overtime_summary(values: list[dict], limits: str) -> dict:
    """summary.json's ``overtime``: per month the mean over replications of the Saturdays worked, the days
    lengthened and the overtime hours a worker worked; the weeks the plant was behind; the cars finished in
    overtime. ``values``: each replication's ``OvertimeFigures``."""
    n = len(values)
    months = sorted({m for v in values for m in v.by_month})
    by_month = {}
    for month in months:
        rows = [v.by_month.get(month, {"saturdays": 0, "days_lengthened": 0, "hours_per_worker": 0.0})
                for v in values]
        by_month[month] = {key: round(sum(r[key] for r in rows) / n, 3)
                           for key in ("saturdays", "days_lengthened", "hours_per_worker")}
    years: dict[str, float] = {}
    for month, row in by_month.items():
        years[month[:4]] = round(years.get(month[:4], 0.0) + row["hours_per_worker"], 3)
    return {"limits": limits, "by_month": by_month, "hours_per_worker_by_year": years,
            "weeks_behind": round(sum(v.weeks_behind for v in values) / n, 2),
            "cars_in_overtime": rounded(mean_ci([v.cars_in_overtime for v in values]), 1)}
