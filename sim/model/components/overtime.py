"""Overtime when the plant is behind its plan: hours after the last shift and Saturdays, decided week by week.

At the start of each week's first working day (the first shop's first shift) the planner compares the cars
launched on planned days with the cumulative plan up to the day before (the launch catches up with the plan
whenever it can, so a gap there is cars the plant could not make). At ``behind_by`` cars or more it plans the
hours that would make the gap up at the plant's recent rate (cars finished per shift hour of the last shop
over the last four weeks): ``after_shift`` added to the end of the week's working days, from today on, one day
after another, then the week's Saturday, as far as the limits per worker allow. A worker on the last shift works
the hours after it; a Saturday costs each worker one paid shift.

Every shop's and feeder's shift clock then gains the overtime, in place (``ShiftClock.extend``): working time
before the decision never changes, so every state time already counted stands. What had been scheduled before
the decision keeps its time: a cycle or repair planned to end after a weekend still ends then, even if a
Saturday is now worked (the decision comes at least a day before its overtime, longer than any cycle or repair
of the shipped scenarios). Labour pools keep the attendance of the shift before an overtime Saturday.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass

from ...scenario.schema import Overtime as OvertimeSpec
from ...scenario.days import DAY, ExtraTime, worked_days
from ...scenario.topology import feeder_key
from ..flow.clock import MaintenanceWindows, ShiftClock, day_pieces, shift_windows
from ..flow.car import InvariantError
from .base import Component

SATURDAY = 5
RATE_WEEKS = 4
"""Weeks of output the recent rate is measured over."""


@dataclass
class Timetable:
    """A shift clock with what it is built from, so that overtime can rebuild it in place."""
    shifts: object
    counts: list[int] | None
    clock: ShiftClock
    worked_window: object
    maintenance: MaintenanceWindows | None


class Overtime:
    """Week-by-week overtime of a plant behind its plan (``plan.overtime``)."""

    def __init__(self, plant, spec: OvertimeSpec, launch):
        self.plant = plant
        self.env = plant.env
        self.spec = spec
        self.launch = launch
        """The launch under the plan (``plan.PlanCap``): its cumulative plan and launches on planned days."""
        self.extra = ExtraTime()
        self.timetables: list[Timetable] = []
        self.weeks_behind = 0
        """Weeks that started behind the plan and called for overtime."""
        self.hours: dict[str, float] = {}
        """Overtime hours a worker worked, per calendar month ('YYYY-MM')."""
        self.first_date = plant.days.first_date
        self.last_name = list(plant.scenario.shops)[-1]
        """The last shop: its output and shift hours give the recent rate."""
        self.last_shop = plant.scenario.shops[self.last_name]
        self.last_clock = plant.clocks[self.last_name]
        self.paid_shift = plant.scenario.staffing.paid_hours_per_shift
        self.samples: list[tuple[int, float]] = []
        """(cars finished in total, worked seconds of the last shop) at each decision: the recent rate."""

    def start(self) -> None:
        self.env.process(self._weeks())

    # ------------------------------------------------------------ deciding

    def _weeks(self):
        """Wake at the first working day of each week (the first shop's shift start) and decide."""
        days = self.plant.days
        first_shop = self.plant.scenario.shops[next(iter(self.plant.scenario.shops))]
        week = None
        for day in worked_days(days):
            if self._week(day) == week:
                continue
            week = self._week(day)
            at = day * DAY + first_shop.shifts.start
            if at >= self.plant.window.hi:
                return
            yield self.env.timeout(max(0.0, at - self.env.now))
            self._decide(day)

    def _decide(self, today: int) -> None:
        now = self.env.now
        self.samples.append((self.plant.completed_total, self.last_clock.worked(now)))
        k = self.launch.launch_day(now)  # today's launch day: the plan up to the day before
        behind = (self.launch.planned_upto[k - 1] if k > 0 else 0) - self.launch.launched_planned
        if behind < self.spec.behind_by or self.launch.limits[k] is not None:
            return  # a ramp-up's launches_per_day caps each day: more hours would not launch more cars
        rate = self._recent_rate()
        if rate <= 0:
            return
        wanted = behind / rate
        extended, saturday = self._allot(today, wanted)
        self.weeks_behind += 1
        if extended or saturday is not None:
            self._rebuild(now)

    def _recent_rate(self) -> float:
        """Cars finished per worked second of the last shop over the last weeks (0: no history yet)."""
        if len(self.samples) < 2:
            return 0.0
        (cars0, w0), (cars1, w1) = self.samples[max(0, len(self.samples) - 1 - RATE_WEEKS)], self.samples[-1]
        return (cars1 - cars0) / (w1 - w0) if w1 > w0 else 0.0

    def _allot(self, today: int, wanted: float) -> tuple[list[int], int | None]:
        """The week's overtime for ``wanted`` worked seconds: hours after the last shift of the working days from
        today, then the Saturday, within the limits per worker."""
        spec, days = self.spec, self.plant.days.working
        week_days = [d for d in range(today, min(today + 7, len(days)))
                     if self._week(d) == self._week(today)]
        extended = []
        if spec.after_shift > 0:
            for day in (d for d in week_days if days[d]):
                if wanted <= 0 or not self._may_work(day, spec.after_shift):
                    break
                extended.append(day)
                self._book(day, spec.after_shift)
                self.extra.after_last_shift[day] = spec.after_shift
                wanted -= spec.after_shift
        shutdown = self.plant.days.shutdown  # a plant shutdown is no overtime Saturday
        saturday = next((d for d in week_days if self._weekday(d) == SATURDAY and not days[d] and d not in shutdown),
                        None)
        if wanted > 0 and saturday is not None and self._saturdays_in(self._month(saturday)) < spec.saturdays \
                and self._may_work(saturday, self.paid_shift):
            self._book(saturday, self.paid_shift)
            self.extra.days.add(saturday)
            return extended, saturday
        return extended, None

    def _may_work(self, day: int, hours: float) -> bool:
        month = self._month(day)
        year = month[:4]
        in_year = sum(h for m, h in self.hours.items() if m.startswith(year))
        return self.hours.get(month, 0.0) + hours <= self.spec.monthly_hours + 1e-6 and \
            in_year + hours <= self.spec.annual_hours + 1e-6

    def _book(self, day: int, hours: float) -> None:
        month = self._month(day)
        self.hours[month] = self.hours.get(month, 0.0) + hours

    def _saturdays_in(self, month: str) -> int:
        return sum(1 for d in self.extra.days if self._month(d) == month)

    # ------------------------------------------------------------ calendar

    def _date(self, day: int) -> dt.date:
        return self.first_date + dt.timedelta(days=day)

    def _week(self, day: int) -> tuple[int, int]:
        return self._date(day).isocalendar()[:2]

    def _weekday(self, day: int) -> int:
        return self._date(day).weekday()

    def _month(self, day: int) -> str:
        return self.plant.ramp.day_month[day]  # overtime needs a plan: the plant has its ramp

    def _rebuild(self, since: float) -> None:
        """Every clock, its maintenance windows and its measured window in worked time, with the overtime."""
        days, wall = self.plant.days, self.plant.window
        for table in self.timetables:
            table.clock.extend(shift_windows(table.shifts, days, table.counts, self.extra), since)
            if table.maintenance is not None:
                table.maintenance.rebuild(table.shifts, days, table.clock, table.counts, self.extra)
            # the window object is shared by every station of the shop: its worked bounds move in place
            lo, hi = table.clock.worked(wall.lo), table.clock.worked(wall.hi)
            if lo < table.worked_window.lo - 1e-6:
                raise InvariantError("overtime moved the start of the measured window back")
            table.worked_window.move(lo, hi)
        self.launch.rebase()

    # ------------------------------------------------------------ results

    def windows(self) -> list[tuple[float, float]]:
        """The overtime in wall time on the last shop's clock: the hours after its last shift, its Saturdays."""
        counts = self.plant.ramp.shift_counts(self.last_name)
        pieces = day_pieces(self.last_shop.shifts, counts)
        out = [(day * DAY + pieces(day)[-1][1], day * DAY + pieces(day)[-1][1] + extra)
               for day, extra in self.extra.after_last_shift.items()]
        out += [(day * DAY + start, day * DAY + end) for day in self.extra.days for start, end in pieces(day)]
        return sorted(out)

    def by_month(self) -> dict[str, dict]:
        """Per calendar month with overtime: Saturdays worked, days lengthened, hours a worker worked."""
        out: dict[str, dict] = {}
        for day in self.extra.days:
            out.setdefault(self._month(day), {"saturdays": 0, "days_lengthened": 0})["saturdays"] += 1
        for day in self.extra.after_last_shift:
            out.setdefault(self._month(day), {"saturdays": 0, "days_lengthened": 0})["days_lengthened"] += 1
        for month, row in out.items():
            row["hours_per_worker"] = round(self.hours.get(month, 0.0) / 3600.0, 3)
        return dict(sorted(out.items()))


@dataclass(frozen=True)
class OvertimeFigures:
    """One replication's overtime."""

    by_month: dict
    """Per calendar month with overtime: saturdays, days_lengthened, hours_per_worker."""
    weeks_behind: int
    """Weeks that started behind the plan and called for overtime."""
    cars_in_overtime: int
    """Cars the last shop finished in overtime in the measured window."""


class OvertimeComponent(Component):
    """Overtime when behind the plan (``plan.overtime`` of a scenario): it reads the plan's launch (the plan
    component, built before it) and rebuilds every shift clock, shops' and feeders', in place."""

    @classmethod
    def wanted(cls, scenario) -> bool:
        return scenario.plan is not None and scenario.plan.overtime is not None

    def __init__(self, build):
        scenario = build.scenario
        self.plant = build.plant
        self.overtime = overtime = Overtime(build.plant, scenario.plan.overtime, build.component("plan").cap)
        for name, shop in scenario.shops.items():
            overtime.timetables.append(Timetable(shop.shifts, build.shift_counts(name), build.clocks[name],
                                                 build.worked_windows[name], build.maintenance[name]))
            for feeder_name, feeder in shop.feeders.items():
                if feeder.shifts is not None:
                    clock, window, maintenance = build.feeder_clocks[feeder_key(name, feeder_name)]
                    overtime.timetables.append(Timetable(feeder.shifts, build.shift_counts(name, feeder.shifts),
                                                         clock, window, maintenance))

    def start(self) -> None:
        self.overtime.start()

    def extra_days(self) -> set[int]:
        return self.overtime.extra.days

    def figures(self) -> OvertimeFigures:
        """The overtime worked: per month, the weeks it was called for, and the cars the last shop finished in
        overtime in the measured window."""
        windows = self.overtime.windows()
        starts = [s for s, _ in windows]
        finished = 0
        for t, *_ in self.plant.completed:
            i = bisect_left(starts, t) - 1  # a car finished as the shift ends is not overtime's
            finished += i >= 0 and t <= windows[i][1]
        return OvertimeFigures(self.overtime.by_month(), self.overtime.weeks_behind, finished)
