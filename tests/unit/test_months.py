"""Output by month and year, the plan beside it, and the first month at the target rate: hand-made tables."""

import pandas as pd
import pytest

from sim.analysis.months import first_month_at_rate, monthly_table, months_summary, yearly_table


def _throughput(per_rep: dict[int, dict[str, int]]) -> pd.DataFrame:
    """A long throughput table: one model, one market, the given cars per dated working day per replication."""
    rows = []
    for rep, days in per_rep.items():
        for k, (date, units) in enumerate(days.items()):
            rows.append({"replication": rep, "day": k, "date": date, "model": "A", "market": "domestic",
                         "units": units})
    return pd.DataFrame(rows)


DAYS = {"2025-01-30": 10, "2025-01-31": 12, "2025-02-03": 20, "2025-02-04": 22, "2026-01-05": 30}


def test_months_years_and_intervals_by_hand():
    tp = _throughput({0: DAYS, 1: {d: u + 2 for d, u in DAYS.items()}})
    monthly = monthly_table(tp, {"2025-01": 30, "2025-02": 40})
    assert list(monthly["month"]) == ["2025-01", "2025-02", "2026-01"]
    assert list(monthly["working_days"]) == [2, 2, 1]
    assert list(monthly["units"]) == [24.0, 44.0, 31.0]           # (22 + 26) / 2, (42 + 46) / 2, (30 + 32) / 2
    assert list(monthly["per_working_day"]) == [12.0, 22.0, 31.0]
    assert list(monthly["cumulative_units"]) == [24.0, 68.0, 99.0]
    assert list(monthly["cumulative_plan"]) == [30.0, 70.0, 70.0]
    # two replications 22 and 26: mean 24, t(0.975, 1) = 12.706 x s (2.828) / sqrt 2 = 25.41
    assert monthly["ci95_low"].iloc[0] == pytest.approx(24 - 12.7062 * 2, abs=1e-3)
    assert list(monthly["units.A"]) == [24.0, 44.0, 31.0]
    yearly = yearly_table(tp, {"2025-01": 30, "2025-02": 40})
    assert list(yearly["year"]) == ["2025", "2026"]
    assert list(yearly["units"]) == [68.0, 31.0]
    assert list(yearly["working_days"]) == [4, 1]
    assert yearly["plan"].iloc[0] == 70 and pd.isna(yearly["plan"].iloc[1])


def test_first_month_at_the_target_rate():
    monthly = monthly_table(_throughput({0: DAYS}))
    assert first_month_at_rate(monthly, 11.0) == "2025-01"        # 22 cars in 2 days = 11 a day: reached
    assert first_month_at_rate(monthly, 21.0) == "2025-02"
    assert first_month_at_rate(monthly, 30.0) == "2026-01"
    assert first_month_at_rate(monthly, 30.5) is None


def test_summary_section_has_the_plan_only_when_there_is_one():
    tp = _throughput({0: DAYS})
    plain = months_summary(tp, None, 21.0)
    assert plain["first_month_at_target_rate"] == "2025-02"
    assert "plan" not in plain["by_month"]["2025-01"]
    assert plain["by_year"]["2025"]["units"] == 64.0
    planned = months_summary(tp, {"2025-02": 50}, 21.0)
    assert planned["by_month"]["2025-02"]["plan"] == 50 and planned["by_month"]["2025-01"]["plan"] is None


def test_undated_runs_have_no_months():
    tp = _throughput({0: DAYS}).assign(date=None)
    assert monthly_table(tp).empty and yearly_table(tp).empty


def test_the_yearly_plan_leaves_out_the_months_the_monthly_rows_leave_out():
    # a ramp from 2025-03-31 with a day of warm-up: the window starts in April, so the monthly rows show April
    # only, and the year's plan is April's 600, not 600 + the warm-up March's 200
    tp = _throughput({0: {"2025-04-01": 20, "2025-04-02": 25}})
    planned = months_summary(tp, {"2025-03": 200, "2025-04": 600}, 21.0)
    assert list(planned["by_month"]) == ["2025-04"] and planned["by_month"]["2025-04"]["plan"] == 600
    assert planned["by_year"]["2025"]["plan"] == 600
