"""From the end of line to the customer (``outbound``): the finished-car yard, the trucks that take the
domestic cars and the trains that take the export cars."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..errors import shown
from ..units import TimeSpec
from .common import MAX_CAPACITY, ClockTime, Model, Name, Share


MAX_CARRIER_CARS = 1_000
"""At most this many cars on one truck or in one rail wagon."""
DOMESTIC = "domestic"
"""The market of the cars that leave by truck; no train destination may take its name."""


class Yard(Model):
    """The finished-car yard: a car that leaves the end of line parks here until its truck or train takes it.

    A full yard blocks the end of line: the last station holds its finished car until a shipment frees a place."""
    capacity: int = Field(ge=1, le=MAX_CAPACITY)
    """Parking places for finished cars (1 to 1,000,000)."""


class Trucks(Model):
    """Car carriers that take the domestic cars, on each working day of the calendar.

    A truck takes up to ``cars_per_truck`` domestic cars, those that reached the yard first first. Loading takes
    no time: the cars leave the yard at the truck's time."""
    per_day: int = Field(ge=1, le=MAX_CAPACITY)
    """Car carriers a working day."""
    cars_per_truck: int = Field(ge=1, le=MAX_CARRIER_CARS)
    """Cars one car carrier takes (1 to 1,000)."""
    at: list[ClockTime] = Field(default=[], max_length=1_000)
    """Loading times ("HH:MM"); the day's trucks are shared out over them, the earlier times taking one more when
    they do not divide evenly. None given: one truck at a time, spread evenly over the first shift of the last shop
    (truck k of n at start + (k + 1/2) x shift length / n)."""

    @model_validator(mode="after")
    def _times(self):
        if len(self.at) > self.per_day:
            raise ValueError(f"{len(self.at)} loading times for {self.per_day} trucks a day: give at most per_day "
                             "times")
        if len(set(self.at)) != len(self.at):
            raise ValueError("loading times repeat: give each time once (several trucks may leave at one time)")
        return self


Weekday = Literal["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class Train(Model):
    """The trains of one export destination: wagons of finished cars, on calendar days (holidays included).

    Each export car is given its destination when it reaches the yard, drawn by the shares (of its model);
    a train takes up to wagons x cars_per_wagon cars of its destination, those that reached the yard first
    first. Loading takes no time."""
    name: Name
    """The destination (a country, a city): names its trains, as a variant or ``--set`` names them
    (``outbound.trains[Russia].per_week``)."""
    share: Share | dict[Name, Share]
    """Share of the export cars going to this destination: one number, or per model with 'default' for the
    models not named. Each model's shares over the destinations sum to 1."""
    cars_per_wagon: int = Field(ge=1, le=MAX_CARRIER_CARS)
    """Cars one rail wagon takes (1 to 1,000)."""
    wagons: int = Field(ge=1, le=MAX_CAPACITY)
    """Wagons of finished cars per train."""
    per_week: float | None = Field(default=None, gt=0, le=7 * 24)
    """Trains a week, evenly spaced from the first day (every 7 / per_week days); or give ``weekdays``."""
    weekdays: list[Weekday] | None = Field(default=None, min_length=1, max_length=7)
    """The weekdays with a train (one train each); per_week is then their number. A calendar given as a count of
    working days reckons weekdays from its start_date. (Not 'on': YAML reads a bare on as true.)"""
    at: ClockTime = 12 * 3600.0
    """The time of day a train is due ("HH:MM")."""
    delay: TimeSpec | None = None
    """How late a train comes after its time (a distribution); none: every train on time."""
    cancelled: Share = 0.0
    """Chance that a train does not come at all (its cars wait for the next)."""

    @model_validator(mode="after")
    def _schedule(self):
        if self.weekdays is None:
            if self.per_week is None:
                raise ValueError("give per_week (trains a week, evenly spaced) or weekdays (the days with a train)")
            return self
        if len(set(self.weekdays)) != len(self.weekdays):
            raise ValueError(f"weekdays repeat: {shown(self.weekdays)}")
        if self.per_week is not None and self.per_week != len(self.weekdays):
            raise ValueError(f"per_week {self.per_week:g} but {len(self.weekdays)} weekdays: leave per_week out "
                             "(one train on each weekday given)")
        return self

    @property
    def cars_per_train(self) -> int:
        return self.wagons * self.cars_per_wagon

    def share_for(self, model: str) -> float:
        """Share of a model's export cars that go to this destination."""
        if isinstance(self.share, dict):
            return self.share.get(model, self.share.get("default", 0.0))
        return self.share


class Outbound(Model):
    """From the end of line to the customer: the finished-car yard, trucks for the domestic cars, trains for the
    export cars (``sim.model.components.outbound``). Without it a car leaves the plant at the end of line."""
    yard: Yard
    """The finished-car yard and its parking places."""
    trucks: Trucks | None = None
    """Without trucks the domestic cars stay in the yard."""
    trains: list[Train] = Field(default=[], max_length=100)
    """One entry per export destination; none: the export cars stay in the yard."""

    @model_validator(mode="after")
    def _destinations(self):
        names = [t.name for t in self.trains]
        if len(set(names)) != len(names):
            raise ValueError(f"destinations repeat: {shown(names, 300)}; give each destination once")
        if DOMESTIC in names:
            raise ValueError(f"{DOMESTIC!r} names the cars that leave by truck: give the train destination another "
                             "name")
        return self
