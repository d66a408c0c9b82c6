"""The simulated days of a scenario: which are working days, the measured window, overtime days.

Pure facts of the calendar and horizon (no SimPy): the model's shift clocks
(``sim.model.flow.clock``), the ramp-up, supply and outbound read them.
Wall time is seconds from midnight of the first simulated day.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .plan import measured_days
from .schema import Calendar, Horizon, Scenario, shutdown_dates
from .units import DAY  # the model and the components take it from here with the plant days
from .window import Window

_MARGIN_DAYS = 45  # shift windows beyond the horizon, so work started near the end has an end time


@dataclass(frozen=True)
class PlantDays:
    """Which simulated days are working days, and the measured window."""
    working: tuple[bool, ...]
    """One flag per simulated day, margin included."""
    warmup_days: float
    measured_days: float
    working_days_per_year: float
    first_date: dt.date | None
    shutdown: frozenset[int] = frozenset()
    """The simulated days of a plant shutdown (``events``): days off that overtime does not work either."""

    @property
    def warmup_end(self) -> float:
        return self.warmup_days * DAY

    @property
    def end(self) -> float:
        return (self.warmup_days + self.measured_days) * DAY

    @property
    def window(self) -> Window:
        """The measured window in wall time: end of the warm-up to the end of the horizon."""
        return Window(self.warmup_end, self.end)

    def working_days_in_window(self) -> int:
        """Working days whose start lies in the measured window."""
        first = math.ceil(self.warmup_days - 1e-9)
        last = math.ceil(self.warmup_days + self.measured_days - 1e-9)
        return sum(self.working[first:last])


def scenario_days(scenario: Scenario) -> PlantDays:
    """The day flags of a scenario: its calendar over its horizon, a plant shutdown's days off."""
    return plant_days(scenario.calendar, scenario.horizon, shutdown_dates(scenario.events))


def plant_days(calendar: Calendar, horizon: Horizon, shutdown: frozenset[dt.date] = frozenset()) -> PlantDays:
    """The day flags of a calendar over a horizon; ``shutdown``: the dates of a plant shutdown, days off (they
    count as days off in the working days a year too: the year's output is what the plant builds in it)."""
    if calendar.dated:
        measured = measured_days(horizon)
        total = math.ceil(horizon.warmup_days + measured) + _MARGIN_DAYS
        dates = [calendar.start_date + dt.timedelta(days=i) for i in range(total)]
        working = tuple(calendar.working_days(dates, shutdown))
        per_year = sum(calendar.working_days(_year_dates(calendar.start_date.year), shutdown))
        shut = frozenset(i for i, day in enumerate(dates) if day in shutdown)
        return PlantDays(working, horizon.warmup_days, measured, float(per_year), calendar.start_date, shut)
    per_year = float(calendar.working_days_per_year)
    measured = horizon.days if horizon.days is not None else per_year * horizon.years
    total = math.ceil(horizon.warmup_days + measured) + _MARGIN_DAYS
    return PlantDays((True,) * total, horizon.warmup_days, measured, per_year, None)


def _year_dates(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@dataclass
class ExtraTime:
    """Overtime decided during a run (``overtime.Overtime``): days off that are worked (Saturdays, with the
    day's usual shifts) and seconds added after a working day's last shift."""
    days: set[int] = field(default_factory=set)
    after_last_shift: dict[int, float] = field(default_factory=dict)


def worked_days(days: PlantDays, extra: ExtraTime | None = None) -> list[int]:
    """The simulated days with shifts: the working days, and the days off worked as overtime."""
    return [d for d, works in enumerate(days.working) if works or (extra is not None and d in extra.days)]
