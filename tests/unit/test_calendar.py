"""Working days and the shift clock against hand counts."""
import datetime as dt

import pytest

from sim.scenario.days import DAY, plant_days

from sim.model.flow.clock import ShiftClock, shift_windows
from sim.scenario.schema import Calendar, Horizon, Shifts

# 2025 public holidays of Kazakhstan falling on weekdays, moved days included
HOLIDAYS_2025 = ["2025-01-01", "2025-01-02", "2025-01-07", "2025-03-10", "2025-03-21", "2025-03-24",
                 "2025-03-25", "2025-05-01", "2025-05-07", "2025-05-09", "2025-06-06", "2025-07-07",
                 "2025-09-01", "2025-10-27", "2025-12-16"]


def test_kazakh_2025_has_246_working_days():
    cal = Calendar(start_date=dt.date(2025, 1, 1), holidays=[dt.date.fromisoformat(d) for d in HOLIDAYS_2025])
    days = plant_days(cal, Horizon(years=1))
    assert days.working_days_per_year == 246  # 261 weekdays - 15 holidays
    assert days.working_days_in_window() == 246


def test_counted_calendar_makes_every_day_a_working_day():
    days = plant_days(Calendar(working_days_per_year=250), Horizon(days=20, warmup_days=2))
    assert days.working_days_in_window() == 20 and days.working_days_per_year == 250


def test_two_shifts_with_breaks_give_net_hours():
    shifts = Shifts(count=2, start="06:00", length="8 h",
                    breaks=[{"after": "2 h", "length": "10 min"}, {"after": "4 h", "length": "30 min"}])
    days = plant_days(Calendar(working_days_per_year=250), Horizon(days=3))
    clock = ShiftClock(shift_windows(shifts, days))
    assert shifts.net_seconds == 8 * 3600 - 40 * 60
    assert clock.worked(DAY) == pytest.approx(2 * shifts.net_seconds)
    # 06:00 + 2 h of work: the 08:00 break starts exactly then, so 2 h 5 min ends at 08:15
    assert clock.at_work(2 * 3600 + 300) == pytest.approx(6 * 3600 + 2 * 3600 + 600 + 300)
    # work started at 21:50 (off shift after 22:00 end? no: 2nd shift ends 22:00) finishes next morning
    assert clock.at_work(clock.worked(21.9 * 3600) + 1800) == pytest.approx(DAY + 6 * 3600 + 1800 - 0.1 * 3600)


def test_weekend_is_skipped():
    cal = Calendar(start_date=dt.date(2025, 1, 3))  # a Friday
    days = plant_days(cal, Horizon(days=7))
    clock = ShiftClock(shift_windows(Shifts(count=1, start="06:00", length="8 h"), days))
    friday_end = 14 * 3600
    # one more hour of work after Friday's shift falls on Monday 07:00 (day 3)
    assert clock.at_work(clock.worked(friday_end) + 3600) == pytest.approx(3 * DAY + 7 * 3600)
