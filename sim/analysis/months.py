"""Output by calendar month and year, against the monthly plan: the ramp-up view.

From the daily output table (dated calendars only): the mean cars finished per
month over replications with a 95% interval, the working days of the month in
the measured window, cars per working day, the plan's volume for the month and
the cumulative plan and actual. The *target rate* is the scenario's target per
working day (annual target / working days per year); the month the plant first
reaches it is the first whose mean cars per working day are at or above it.
"""

from __future__ import annotations

import pandas as pd

from ..scenario.plan import planned_volume
from .stats import mean_ci

COLUMNS = ["month", "working_days", "units", "ci95_low", "ci95_high", "per_working_day", "plan",
           "cumulative_units", "cumulative_plan"]
"""month: 'YYYY-MM'; working_days: of the month in the measured window; units: mean cars finished (over
replications) with the 95% interval; plan: the plan's volume (NaN for a month the plan does not list)."""


def dated(throughput: pd.DataFrame) -> bool:
    return not throughput.empty and "date" in throughput.columns and throughput["date"].notna().all()


def monthly_table(throughput: pd.DataFrame, plan: dict[str, int] | None = None) -> pd.DataFrame:
    """A row per calendar month of the measured window (``COLUMNS``), plus the mean cars per model
    (``units.<model>``). ``throughput``: the long table of ``summary.throughput_table``."""
    if not dated(throughput):
        return pd.DataFrame(columns=COLUMNS)
    tp = throughput.assign(month=throughput["date"].str[:7])
    table = _periods(tp, "month", plan)
    table["cumulative_units"] = table["units"].cumsum()
    table["cumulative_plan"] = table["plan"].fillna(0).cumsum() if plan else float("nan")
    n_rep = tp["replication"].nunique()
    by_model = tp.pivot_table(index="month", columns="model", values="units", aggfunc="sum", fill_value=0) / n_rep
    for model in by_model.columns:
        table[f"units.{model}"] = by_model[model].reindex(table["month"]).to_numpy()
    return table


def yearly_table(throughput: pd.DataFrame, plan: dict[str, int] | None = None) -> pd.DataFrame:
    """Per calendar year of the window: working days, mean cars with the 95% interval, cars per working day and
    the plan (the sum of the year's listed months that the monthly rows show, those of the measured window: a
    warm-up month is left out, as its output is; NaN when none is listed)."""
    if not dated(throughput):
        return pd.DataFrame(columns=["year"] + COLUMNS[1:7])
    shown = set(throughput["date"].str[:7])  # the months of monthly_table's rows
    yearly_plan = {}
    for month, volume in (plan or {}).items():
        if month in shown:
            yearly_plan[month[:4]] = yearly_plan.get(month[:4], 0) + volume
    return _periods(throughput.assign(year=throughput["date"].str[:4]), "year", yearly_plan).rename(
        columns={"month": "year"})


def _periods(tp: pd.DataFrame, period: str, plan: dict | None) -> pd.DataFrame:
    """Per period (the column ``period`` of ``tp``): working days, mean cars with the 95% interval over
    replications, cars per working day, and the plan's volume."""
    per_rep = tp.pivot_table(index=period, columns="replication", values="units", aggfunc="sum", fill_value=0)
    first = tp[tp["replication"] == tp["replication"].min()]
    working = first.groupby(period)["day"].nunique()
    rows = []
    for key, counts in per_rep.iterrows():
        ci = mean_ci(counts.to_numpy())
        days = int(working.get(key, 0))
        rows.append([key, days, ci["mean"], ci["ci95_low"], ci["ci95_high"],
                     ci["mean"] / days if days else float("nan"), float((plan or {}).get(key, float("nan")))])
    return pd.DataFrame(rows, columns=COLUMNS[:7])


def first_month_at_rate(monthly: pd.DataFrame, per_day: float) -> str | None:
    """The first month whose mean cars per working day reach ``per_day`` (None: never in the window)."""
    reached = monthly[(monthly["working_days"] > 0) & (monthly["per_working_day"] >= per_day - 1e-9)]
    return None if reached.empty else str(reached["month"].iloc[0])


def plan_above_capability(monthly: pd.DataFrame) -> list[dict]:
    """The months whose plan was above what the plant could build (a run with ``plan.cap_launches: false``): the
    plan above the upper end of the 95% interval of the month's cars (above the mean with one replication, which
    has no interval), one entry per run of consecutive such months: {from, to, months, plan, units}, the plan and
    the cars summed over the run of months."""
    runs: list[dict] = []
    previous = None
    for row in monthly.itertuples():
        high = row.units if row.ci95_high is None or row.ci95_high != row.ci95_high else row.ci95_high
        above = row.plan == row.plan and row.plan > high + 1e-9
        if above and previous is not None and runs and runs[-1]["to"] == previous:
            last = runs[-1]
            last.update({"to": row.month, "months": last["months"] + 1, "plan": last["plan"] + row.plan,
                         "units": last["units"] + row.units})
        elif above:
            runs.append({"from": row.month, "to": row.month, "months": 1, "plan": row.plan, "units": row.units})
        previous = row.month
    return [{**r, "plan": _num(r["plan"], 0), "units": _num(r["units"])} for r in runs]


def months_summary(throughput: pd.DataFrame, plan: dict[str, int] | None, target_per_day: float,
                   yardstick: bool = False) -> dict:
    """summary.json's ``months``: output by month and year with their intervals, the plan, and the month the
    target rate was first reached; with ``yardstick`` (a plan that does not cap the launch), the months the plan
    was above what the plant could do (``plan_above_capability``)."""
    monthly = monthly_table(throughput, plan)
    planned = bool(plan)

    def period(row) -> dict:
        return {"working_days": int(row.working_days), "units": _num(row.units), "ci95_low": _num(row.ci95_low),
                "ci95_high": _num(row.ci95_high), "per_working_day": _num(row.per_working_day, 2),
                **({"plan": _num(row.plan, 0)} if planned else {})}

    return {
        "target_per_working_day": round(target_per_day, 3),
        "first_month_at_target_rate": first_month_at_rate(monthly, target_per_day),
        "by_month": {row.month: period(row) for row in monthly.itertuples()},
        "by_year": {row.year: period(row) for row in yearly_table(throughput, plan).itertuples()},
        **({"plan_above_capability": plan_above_capability(monthly)} if yardstick and planned else {}),
    }


def _num(value, digits: int = 1):
    return None if value is None or value != value else round(float(value), digits)


def summary(run) -> dict | None:
    """The run's ``months`` section: output by calendar month and year against the plan, and the month the
    target rate is first reached; None on a calendar without dates."""
    scenario = run.scenario
    if not scenario.calendar.dated:
        return None
    return months_summary(run.throughput, planned_volume(scenario), scenario.target.annual_units / run.per_year,
                          yardstick=scenario.plan is not None and not scenario.plan.cap_launches)
