"""Dated events (``events``): what a planner schedules on the calendar — a route closed (a border closure), a
shipment held, a plant shutdown, a station, line or shop down. Each names its days as dates of the scenario's
dated calendar; both ``first_day`` and ``last_day`` are included (an event from 2025-02-03 to 2025-02-16 starts
at midnight opening the 3rd and ends at midnight closing the 16th). The checks that need the rest of the
scenario (names, the horizon, overlaps) are ``sim.scenario.events.check_events``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..units import Duration, DurationOrZero
from .common import Date, Model, Name

MAX_SHIPMENT = 1_000_000
"""At most this many departures of a route's timetable (the number of a held shipment)."""


class Days(Model):
    """The days an event lasts: from ``first_day`` to ``last_day``, both included."""
    first_day: Date
    """The event's first day (YYYY-MM-DD), from midnight."""
    last_day: Date
    """The event's last day (YYYY-MM-DD), included: it ends at the midnight after it; on or after first_day."""


class RouteClosed(Days):
    """A route closed between dates (a border closure): departures go on (the supplier ships, trains queue at
    the border), but a shipment that would cross the border while the route is closed is held there until it
    reopens, and arrives ``border_to_plant`` after the reopening. A shipment crosses ``border_to_plant`` before
    it would arrive."""
    kind: Literal["route_closed"]
    """A route closed between dates."""
    route: Name
    """The route (``supply.routes``) that is closed."""
    border_to_plant: DurationOrZero = 0.0
    """Time from the border to the plant's warehouse (default 0: the border is at the plant)."""


class ShipmentHeld(Model):
    """One shipment of a route held on its way (a customs hold, a damaged wagon): it arrives ``held`` later
    than its lead time would bring it, or not before the midnight opening ``released``. The shipment is the
    ``shipment``-th departure of the route's timetable (counted from 1, cancelled departures included), or the
    one departing on ``departing``."""
    kind: Literal["shipment_held"]
    """One shipment held."""
    route: Name
    """The route (``supply.routes``) the shipment travels by."""
    shipment: int | None = Field(default=None, ge=1, le=MAX_SHIPMENT)
    """The held shipment: its number in the route's timetable (1: the first departure); or give departing."""
    departing: Date | None = None
    """The held shipment: the day it departs (exactly one departure of the timetable that day); or give
    shipment."""
    held: Duration | None = None
    """How long the shipment is held on top of its lead time (e.g. 30 d); or give released."""
    released: Date | None = None
    """The day the shipment is released (from midnight): it arrives then, or later if its lead time brings it
    later; or give held."""

    @model_validator(mode="after")
    def _one_each(self):
        for a, b, what in (("shipment", "departing", "which shipment"), ("held", "released", "how long")):
            if (getattr(self, a) is None) == (getattr(self, b) is None):
                raise ValueError(f"give exactly one of {a!r} or {b!r} ({what})")
        return self


class Shutdown(Days):
    """A plant shutdown between dates (a summer shutdown): the days are days off for every shop and feeder, as
    public holidays are — no shift, no overtime; the maintenance windows, the plan's working days and the
    months table count them as days off."""
    kind: Literal["shutdown"]
    """A plant shutdown between dates."""


class Down(Days):
    """A station, a line or a whole shop down between dates (a booth rebuilt, a conveyor replaced): it does no
    work from the midnight opening first_day to the midnight closing last_day (its shop's shift time in
    between)."""
    kind: Literal["down"]
    """A station, line or shop down between dates."""
    shop: Name
    """The shop (``shops``) that is down, or that holds the station or line."""
    station: Name | None = None
    """The station of the shop that is down; none: the line, or the whole shop."""
    line: Name | None = None
    """The paced line (``shops.<shop>.lines``) that is down; none: the station, or the whole shop."""

    @model_validator(mode="after")
    def _one_target(self):
        if self.station is not None and self.line is not None:
            raise ValueError("give a station or a line, not both (neither: the whole shop is down)")
        return self

    @property
    def target(self) -> str:
        """What is down, as 'shop', 'shop.station' or 'shop.line'."""
        part = self.station or self.line
        return self.shop if part is None else f"{self.shop}.{part}"


Event = Annotated[RouteClosed | ShipmentHeld | Shutdown | Down, Field(discriminator="kind")]


def shutdown_dates(events: list) -> frozenset[dt.date]:
    """The dates of every plant shutdown among ``events``: days off for every shop, as public holidays are."""
    return frozenset(event.first_day + dt.timedelta(days=i) for event in events if isinstance(event, Shutdown)
                     for i in range((event.last_day - event.first_day).days + 1))
