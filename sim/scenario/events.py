"""Dated events as facts of the simulated days (``events`` of the schema): their days in wall time (the days a
shutdown takes off: ``schema.events.shutdown_dates``), when a held or closed-out shipment arrives, the
intervals of shift time a station, line or shop is down, and the checks that need the rest of the scenario.

Wall time is seconds from midnight of the first simulated day (``calendar.start_date``); an event's days run
from the midnight opening ``first_day`` to the midnight closing ``last_day``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from .errors import did_you_mean
from .plan import Problem, last_day
from .schema import Down, Route, RouteClosed, Scenario, ShipmentHeld
from .topology import station_paths
from .units import DAY


def day_index(scenario: Scenario, day: dt.date) -> int:
    """The simulated day of a date: 0 for calendar.start_date."""
    return (day - scenario.calendar.start_date).days


def wall_span(scenario: Scenario, event) -> tuple[float, float]:
    """An event's days in wall time: [midnight opening first_day, midnight closing last_day)."""
    return day_index(scenario, event.first_day) * DAY, (day_index(scenario, event.last_day) + 1) * DAY


def departure_time(route: Route, shipment: int) -> float:
    """Wall time of a route's ``shipment``-th departure (from 1) by its timetable."""
    return route.departures.first + (shipment - 1) * route.departures.every


def departures_on(route: Route, scenario: Scenario, day: dt.date) -> list[int]:
    """The numbers (from 1) of the route's departures on a date."""
    lo, hi = day_index(scenario, day) * DAY, (day_index(scenario, day) + 1) * DAY
    first, every = route.departures.first, route.departures.every
    n = max(1, math.ceil((lo - first) / every) + 1)
    out = []
    while departure_time(route, n) < hi:
        if departure_time(route, n) >= lo:
            out.append(n)
        n += 1
    return out


def held_shipment(event: ShipmentHeld, scenario: Scenario) -> int:
    """The timetable number of the shipment an event holds."""
    if event.shipment is not None:
        return event.shipment
    return departures_on(scenario.supply.routes[event.route], scenario, event.departing)[0]


@dataclass
class RouteHolds:
    """The dated events of one route, applied to each shipment's arrival (``supply.RouteRun``): a held
    shipment first, then each closure in date order (a shipment pushed into a later closure waits for that one
    too). ``log``: per event index, the shipments it held as (departed, planned arrival, arrival)."""
    closures: list[tuple[int, float, float, float]]
    """(event index, closed at, reopened at, border to plant), in date order."""
    shipments: dict[int, tuple[int, float | None, float | None]]
    """Timetable number -> (event index, hold length or None, release time or None)."""
    log: dict[int, list[tuple[float, float, float]]] = field(default_factory=dict)
    held: list[tuple[float, float, float]] = field(default_factory=list)
    """Every shipment held, once, as (departed, due by its lead time, arrival after every hold)."""

    def arrival(self, number: int, departed: float, planned: float) -> float:
        """When the ``number``-th departure of the timetable, departed at ``departed`` and due at ``planned``,
        arrives."""
        arrival = planned
        if number in self.shipments:
            index, held, released = self.shipments[number]
            arrival = arrival + held if held is not None else max(arrival, released)
            self._note(index, departed, planned, arrival)
        for index, closed, reopened, border_to_plant in self.closures:
            crossing = arrival - border_to_plant
            if closed <= crossing < reopened:
                before = arrival
                arrival = reopened + border_to_plant
                self._note(index, departed, before, arrival)
        if arrival != planned:
            self.held.append((departed, planned, arrival))
        return arrival

    def _note(self, index: int, departed: float, planned: float, arrival: float) -> None:
        self.log.setdefault(index, []).append((departed, planned, arrival))


def route_holds(scenario: Scenario) -> dict[str, RouteHolds]:
    """The holds of every route some event names."""
    holds: dict[str, RouteHolds] = {}
    for index, event in enumerate(scenario.events):
        if isinstance(event, RouteClosed):
            closed, reopened = wall_span(scenario, event)
            holds.setdefault(event.route, RouteHolds([], {})).closures.append(
                (index, closed, reopened, event.border_to_plant))
        elif isinstance(event, ShipmentHeld):
            released = None if event.released is None else day_index(scenario, event.released) * DAY
            holds.setdefault(event.route, RouteHolds([], {})).shipments[held_shipment(event, scenario)] = (
                index, event.held, released)
    for route in holds.values():
        route.closures.sort(key=lambda c: c[1])
    return holds


def down_intervals(scenario: Scenario, event: Down, clock) -> list[tuple[float, float]]:
    """The (start, end) intervals, in the shift (worked) time of the event's shop, during which the station,
    line or shop of a ``down`` event does no work: the worked time of its wall span (``wall_span``) on the
    shop's ``clock`` (``model.flow.clock.ShiftClock``: anything with ``worked(t)``). One interval, or none when
    the shop has no shift in those days."""
    lo, hi = wall_span(scenario, event)
    start, end = clock.worked(lo), clock.worked(hi)
    return [(start, end)] if end > start else []


def cut_events(scenario: Scenario, last: dt.date) -> tuple[list[dict], list[str]]:
    """The scenario's events as plain data for a shorter run ending on ``last``, and what was cut, one line
    each: an event starting after it is left out, one lasting beyond it ends on it (the run ends first
    either way, so the days simulated see the same events); a held shipment departing after it is left out,
    one released after it is held for the whole run instead (it arrives after the run ends either way)."""
    kept, notes = [], []
    end = (day_index(scenario, last) + 1) * DAY
    for i, event in enumerate(scenario.events):
        raw = event.model_dump(mode="json")
        if isinstance(event, ShipmentHeld):
            route = scenario.supply.routes[event.route]
            if departure_time(route, held_shipment(event, scenario)) >= end:
                notes.append(f"events[{i}] ({event.kind} of route {event.route!r}) left out: the shipment "
                             f"departs after {last}, the run's last day")
                continue
            if event.released is not None and event.released > last:
                raw.update(released=None, held=f"{day_index(scenario, last) + 1} d")
                notes.append(f"events[{i}] ({event.kind} of route {event.route!r}) is released after {last}, "
                             "the run's last day: held for the whole run instead")
        elif event.first_day > last:
            notes.append(f"events[{i}] ({event.kind} from {event.first_day}) left out: it starts after {last}, "
                         "the run's last day")
            continue
        elif event.last_day > last:
            raw["last_day"] = last.isoformat()
            notes.append(f"events[{i}] ({event.kind}) ends on {last}, the run's last day, instead of "
                         f"{event.last_day}")
        kept.append(raw)
    return kept, notes


# ---------------------------------------------------------------- cross-checks

def _unknown(what: str, name: str, allowed: list[str]) -> str:
    return f"no {what} {name!r}{did_you_mean(name, allowed)} Allowed: {', '.join(allowed) or 'none'}"


def check_events(scenario: Scenario) -> Iterator[Problem]:
    """Dated events need a dated calendar; their days lie in the horizon, their names exist, and two events of
    the same kind on the same target do not overlap."""
    if not scenario.events:
        return
    if not scenario.calendar.dated:
        yield ("calendar", "working_days_per_year"), (
            "dated events are placed on the calendar's dates: give a dated calendar (start_date, weekdays, "
            "holidays) instead of working_days_per_year")
        return
    span = f"the horizon runs from {scenario.calendar.start_date} to {last_day(scenario)}"
    taken: dict[tuple, list[tuple[int, tuple[dt.date, dt.date]]]] = {}
    for i, event in enumerate(scenario.events):
        where = ("events", i)
        problems = list(_check_dates(scenario, event, where, span)) + list(_check_names(scenario, event, where))
        yield from problems
        if not problems:
            yield from _check_overlap(scenario, event, where, taken, i)


def _check_dates(scenario: Scenario, event, where: tuple, span: str) -> Iterator[Problem]:
    first, last = scenario.calendar.start_date, last_day(scenario)
    if not isinstance(event, ShipmentHeld) and event.last_day < event.first_day:
        yield where + ("last_day",), (f"{event.last_day} is before first_day {event.first_day}: an event ends on or "
                                      "after the day it starts")
    keys = ("first_day", "last_day") if not isinstance(event, ShipmentHeld) else ("departing", "released")
    for key in keys:
        day = getattr(event, key)
        if day is not None and not first <= day <= last:
            yield where + (key,), f"{day} is outside the simulated days: {span}"


def _check_names(scenario: Scenario, event, where: tuple) -> Iterator[Problem]:
    if isinstance(event, (RouteClosed, ShipmentHeld)):
        routes = list(scenario.supply.routes) if scenario.supply is not None else []
        if event.route not in routes:
            yield where + ("route",), _unknown("route", event.route, routes) + (
                "" if routes else " (routes are those of supply.routes)")
        elif isinstance(event, ShipmentHeld):
            yield from _check_shipment(scenario, event, where)
    elif isinstance(event, Down):
        if event.shop not in scenario.shops:
            yield where + ("shop",), _unknown("shop", event.shop, list(scenario.shops))
            return
        shop = scenario.shops[event.shop]
        if event.station is not None:
            names = [st.name for _, st, _ in station_paths(shop)]
            if event.station not in names:
                yield where + ("station",), _unknown(f"station of shop {event.shop!r}:", event.station, names)
            own = [name for name, feeder in shop.feeders.items() if feeder.shifts is not None
                   and event.station in {st.name for st in feeder.stations}]
            if own:
                yield where + ("station",), (
                    f"{event.station!r} is on feeder {own[0]!r}, which works its own shifts: a station is taken "
                    "down by date in its shop's shift time; take the shop or its line down, or drop the event")
        if event.line is not None and event.line not in shop.lines:
            yield where + ("line",), _unknown(f"line of shop {event.shop!r}:", event.line, list(shop.lines))


def _check_shipment(scenario: Scenario, event: ShipmentHeld, where: tuple) -> Iterator[Problem]:
    route = scenario.supply.routes[event.route]
    end = (day_index(scenario, last_day(scenario)) + 1) * DAY
    if event.departing is not None:
        numbers = departures_on(route, scenario, event.departing)
        if len(numbers) != 1:
            yield where + ("departing",), (
                f"{len(numbers)} departures of route {event.route!r} on {event.departing}: name one day with "
                "exactly one, or give the shipment's number instead")
    elif departure_time(route, event.shipment) >= end:
        yield where + ("shipment",), (
            f"shipment {event.shipment} of route {event.route!r} would depart after the last simulated day "
            f"{last_day(scenario)}")


def _check_overlap(scenario: Scenario, event, where: tuple, taken: dict, index: int) -> Iterator[Problem]:
    """Two events of one kind on one target: overlapping days (a shipment: held twice)."""
    if isinstance(event, ShipmentHeld):
        number = held_shipment(event, scenario)
        key, days = (event.kind, event.route, number), (dt.date.min, dt.date.max)
    else:
        target = event.route if isinstance(event, RouteClosed) else event.target if isinstance(event, Down) else ""
        key, days = (event.kind, target), (event.first_day, event.last_day)
    for other, (a, b) in taken.get(key, []):
        if days[0] <= b and a <= days[1]:
            what = (f"shipment {key[2]} of route {key[1]!r} is held by events[{other}] already"
                    if isinstance(event, ShipmentHeld) else
                    f"{event.first_day} to {event.last_day} overlaps events[{other}] ({a} to {b}), of the same "
                    f"kind on the same {'plant' if not key[1] else repr(key[1])}: merge them into one event")
            yield where, what
            return
    taken.setdefault(key, []).append((index, days))
