"""The ramp-up and the monthly plan as data: the horizon's calendar months, the volume and mix planned for each,
and the cross-checks a single field cannot make (``ramp_up`` and ``plan`` of the schema).

Months are written 'YYYY-MM'. The horizon's months run from the month of ``calendar.start_date`` (the start of
production) to the month of the last measured day. A year's volume (``plan.years``) is spread over its months
by the seasonality weight of each month times its working days (an equal weight is an equal rate per working
day), normalised over the months spread over (those from the start of production on), in whole cars that add up
to the year: month m gets floor(Y x C_m) - floor(Y x C_(m-1)), C_m the cumulative share of the weights up to m,
computed exactly (the weights as written, in decimal).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from fractions import Fraction

from .schema import Horizon, PlannedVolume, Scenario, shutdown_dates
from .units import DAY, fits_in_a_day, format_duration

Problem = tuple[tuple, str]


def measured_days(horizon: Horizon) -> float:
    """Measured days of a horizon on a dated calendar: ``days``, or 365 a year."""
    return horizon.days if horizon.days is not None else 365.0 * horizon.years


def month_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def last_day(scenario: Scenario, horizon: Horizon | None = None) -> dt.date:
    """The last simulated day (the warm-up and the measured days) of the horizon (the scenario's, or ``horizon``
    on its calendar)."""
    horizon = horizon or scenario.horizon
    return scenario.calendar.start_date + dt.timedelta(
        days=math.ceil(horizon.warmup_days + measured_days(horizon) - 1e-9) - 1)


def horizon_months(scenario: Scenario, horizon: Horizon | None = None) -> list[str]:
    """The calendar months of the horizon (the scenario's, or ``horizon`` on its calendar), warm-up included:
    from the start date's month to the last day's."""
    last = last_day(scenario, horizon)
    months, month = [], month_of(scenario.calendar.start_date)
    while month <= month_of(last):
        months.append(month)
        month = next_month(month)
    return months


def cut_to_horizon(scenario: Scenario, horizon: Horizon) -> dict[str, dict | None]:
    """The scenario's ``ramp_up`` and ``plan`` as plain data, cut to the months of ``horizon`` (a shorter one on
    the same calendar), so that the scenario validates with it and runs its first days as before: a ramp-up
    entry or planned month after the horizon's last month is left out (it would start after the run ends), a
    planned year with no month in the horizon too (a year still planned keeps its whole volume, spread as
    before); a part left with nothing is None. Empty without a ramp-up or plan, or a calendar without dates."""
    if not scenario.calendar.dated or not scenario.ramping:
        return {}
    last = horizon_months(scenario, horizon)[-1]
    out: dict[str, dict | None] = {}
    if scenario.ramp_up is not None:
        ramp = scenario.ramp_up.model_dump(mode="json")
        ramp["months"] = {month: entry for month, entry in ramp["months"].items() if month <= last}
        out["ramp_up"] = ramp if ramp["months"] else None
    if scenario.plan is not None:
        plan = scenario.plan.model_dump(mode="json")
        plan["months"] = {month: entry for month, entry in plan["months"].items() if month <= last}
        plan["years"] = {year: entry for year, entry in plan["years"].items() if int(year) <= int(last[:4])}
        if not plan["years"]:
            plan["seasonality"] = None  # it spreads years only
        out["plan"] = plan if plan["months"] or plan["years"] else None
    return out


def plan_by_month(scenario: Scenario) -> dict[str, PlannedVolume]:
    """Every month the plan gives (from ``months``, and from ``years`` spread by the seasonality), in calendar
    order; months of a planned year after the horizon are included (its volume is the whole year's)."""
    plan = scenario.plan
    if plan is None:
        return {}
    out = dict(plan.months)
    for year, entry in plan.years.items():
        months, weights = _year_weights(scenario, year)
        total, cumulative, given = sum(weights), Fraction(0), 0
        for month, weight in zip(months, weights):
            cumulative += weight
            upto = math.floor(entry.volume * cumulative / total) if total > 0 else 0
            out[month] = PlannedVolume(volume=upto - given, mix=entry.mix)
            given = upto
    return dict(sorted(out.items()))


def _year_weights(scenario: Scenario, year: int) -> tuple[list[str], list[Fraction]]:
    """The months a planned year is spread over (from the start of production on) and their weights: the
    seasonality weight (exact as written) times the month's working days, so that a month of holidays is
    planned fewer cars and an equal weight means an equal rate per working day."""
    sop = month_of(scenario.calendar.start_date)
    seasonality = scenario.plan.seasonality or [1.0] * 12
    months = [f"{year:04d}-{m:02d}" for m in range(1, 13) if f"{year:04d}-{m:02d}" >= sop]
    return months, [Fraction(str(seasonality[int(m[5:]) - 1])) * working_days_of(scenario, m) for m in months]


def working_days_of(scenario: Scenario, month: str) -> int:
    """Working days of a calendar month by the scenario's calendar (a plant shutdown's days off), from the start
    of production on."""
    calendar = scenario.calendar
    day = max(dt.date(int(month[:4]), int(month[5:]), 1), calendar.start_date)
    days = []
    while month_of(day) == month:
        days.append(day)
        day += dt.timedelta(days=1)
    return sum(calendar.working_days(days, shutdown_dates(scenario.events)))


def planned_volume(scenario: Scenario) -> dict[str, int] | None:
    """Cars planned per month of the horizon ('YYYY-MM' -> cars), in calendar order; None without a plan."""
    if scenario.plan is None:
        return None
    planned = plan_by_month(scenario)
    return {month: planned[month].volume for month in horizon_months(scenario) if month in planned}


# ---------------------------------------------------------------- cross-checks

def check_plan(scenario: Scenario) -> Iterator[Problem]:
    """Problems of ``ramp_up`` and ``plan`` that need the rest of the scenario (calendar, horizon, shops, models)."""
    if not scenario.ramping:
        return
    given = " and ".join(k for k in ("ramp_up", "plan") if getattr(scenario, k) is not None)
    if not scenario.calendar.dated:
        yield ("calendar", "working_days_per_year"), (
            f"{given} run{'s' if ' ' not in given else ''} by calendar month from the start of production: give "
            "a dated calendar (start_date, weekdays, holidays) instead of working_days_per_year")
        return
    months = horizon_months(scenario)
    span = f"the horizon runs from {months[0]} (calendar.start_date {scenario.calendar.start_date}) to {months[-1]}"
    if scenario.ramp_up is not None:
        yield from _check_ramp(scenario, months, span)
    if scenario.plan is not None:
        yield from _check_months(scenario, months, span)
    if scenario.plan is not None and scenario.plan.overtime is not None:
        yield from _check_overtime(scenario)


def _check_overtime(scenario: Scenario) -> Iterator[Problem]:
    """Hours after the last shift must end before the next day's first shift starts, in every shop and feeder
    on its own shifts, with the most shifts the ramp-up runs."""
    extra = scenario.plan.overtime.after_shift
    if extra == 0:
        return
    entries = list(scenario.ramp_up.months.values()) if scenario.ramp_up is not None else []
    for name, shop in scenario.shops.items():
        counts = [shop.shifts.count] + [
            (e.shifts.get(name, shop.shifts.count) if isinstance(e.shifts, dict) else e.shifts)
            for e in entries if e.shifts is not None]
        patterns = [(f"shops.{name}.shifts", shop.shifts, 0)] + [
            (f"shops.{name}.feeders.{f}.shifts", feeder.shifts, feeder.shifts.count - shop.shifts.count)
            for f, feeder in shop.feeders.items() if feeder.shifts is not None]
        for where, shifts, offset in patterns:
            most = max(counts) + offset
            if not fits_in_a_day(most, shifts.length, extra):
                yield ("plan", "overtime", "after_shift"), (
                    f"{format_duration(extra)} after the last shift does not fit in {where}: "
                    f"{most} shifts of {format_duration(shifts.length)} leave "
                    f"{format_duration(max(0.0, DAY - most * shifts.length))} before the next day's first")


def _check_ramp(scenario: Scenario, months: list[str], span: str) -> Iterator[Problem]:
    previous = None
    for month, entry in scenario.ramp_up.months.items():
        where = ("ramp_up", "months", month)
        if month not in months:
            yield where, f"{month} is outside the horizon: {span}"
        if previous is not None and month < previous:
            yield where, f"{month} comes after {previous}: give the months in calendar order"
        previous = month
        if entry.shifts is not None:
            yield from _check_shifts(scenario, where + ("shifts",), entry.shifts)
        if entry.launches_per_day is not None and scenario.launch is not None:
            yield where + ("launches_per_day",), _PULL_ONLY


_PULL_ONLY = ("a cap on launches needs the pull launch (the first station takes a car when it can): "
              "drop the arrival-driven launch (launch.interarrival)")


def _check_shifts(scenario: Scenario, where: tuple, shifts) -> Iterator[Problem]:
    """Each shop named exists; each count fits the shop's 24 h and its labour pools' sizes per shift."""
    counts = {shop: shifts for shop in scenario.shops} if isinstance(shifts, int) else shifts
    for shop_name, count in counts.items():
        here = where if isinstance(shifts, int) else where + (shop_name,)
        shop = scenario.shops.get(shop_name)
        if shop is None:
            yield here, f"no shop {shop_name!r}; shops: {list(scenario.shops)}"
            continue
        if not fits_in_a_day(count, shop.shifts.length):
            yield here, (f"{count} shifts of {shop.shifts.length / 3600:g} h ({shop_name}'s shift length) do not fit "
                         "in 24 h")
        for pool in scenario.staffing.pools:
            if pool.shop == shop_name and isinstance(pool.size, list) and len(pool.size) < count:
                yield here, (f"labour pool {pool.name!r} of {shop_name} gives sizes for {len(pool.size)} shifts, "
                             f"not {count}: give its size as one number, or one per shift the ramp-up runs")


def _check_months(scenario: Scenario, months: list[str], span: str) -> Iterator[Problem]:
    plan = scenario.plan
    models = scenario.model_names
    if scenario.launch is not None:
        yield ("plan",), "a plan caps the launches: " + _PULL_ONLY
    for month, entry in plan.months.items():
        where = ("plan", "months", month)
        if month not in months:
            yield where, f"{month} is outside the horizon: {span}"
        if int(month[:4]) in plan.years:
            yield where, f"{month} is listed twice: in plan.months and in plan.years {month[:4]}"
        yield from _check_mix(where, entry, models)
    for year, entry in plan.years.items():
        where = ("plan", "years", str(year))  # a year key is a number in the YAML: plan.years.2026, not [2026]
        if not any(m.startswith(f"{year:04d}-") for m in months):
            yield where, f"{year} is outside the horizon: {span}"
        elif entry.volume > 0 and sum(_year_weights(scenario, year)[1]) == 0:
            yield where, (f"the seasonality gives every month of {year} from the start of production "
                          f"({months[0]}) weight 0: its {entry.volume} cars would go to no month")
        yield from _check_mix(where, entry, models)


def _check_mix(where: tuple, entry: PlannedVolume, models: list[str]) -> Iterator[Problem]:
    for model in entry.mix or {}:
        if model not in models:
            yield where + ("mix", model), f"{model!r} is not a model of the product mix; allowed: {models}"
