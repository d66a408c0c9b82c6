"""What every part of the scenario schema shares: the frozen base model (unknown keys rejected), the limits
on counts, shares and names, and the value types written the same way everywhere: clock times ("HH:MM"),
dates (YYYY-MM-DD) and first-pass yields.

Durations, time distributions and per-model values are in ``sim.scenario.units``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer

from ..errors import shown


Share = Annotated[float, Field(ge=0, le=1)]
Name = Annotated[str, Field(min_length=1, max_length=80)]


MAX_CAPACITY = 1_000_000
"""At most this many cars in a buffer or a store."""
MAX_POOL = 10_000
"""At most this many operators in a labour pool."""
MAX_UNITS = 10_000_000
"""At most this many cars a year (target, a model's annual volume)."""
MAX_CONVEYOR_BODIES = 10_000
"""At most this many bodies on one conveyor (transit_time / pitch)."""
MIN_YIELD = 0.01
"""The smallest first-pass yield: below it the rework loop (practically) never ends."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def _clock_seconds(value):
    """'06:00' -> 21600 seconds after midnight."""
    if isinstance(value, str) and _CLOCK.match(value):
        hours, minutes = _CLOCK.match(value).groups()
        return int(hours) * 3600.0 + int(minutes) * 60.0
    raise ValueError(  # YAML 1.1 reads an unquoted 14:00 as the number 840
        f"{shown(value)} is not a clock time: write it as \"HH:MM\" in quotes, e.g. \"14:00\"")


def _clock_text(seconds: float) -> str:
    """21600 -> '06:00': the resolved scenario writes a clock time as the YAML does, so it reads back."""
    minutes = int(round(seconds / 60.0))
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


ClockTime = Annotated[float, BeforeValidator(_clock_seconds), PlainSerializer(_clock_text, when_used="json")]


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2200, 12, 31)
_DATE = re.compile(r"^\s*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})\s*$")


def _date(value):
    """A date written YYYY-MM-DD (YAML reads it as text) between FIRST_DATE and LAST_DATE."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0):
            raise ValueError(f"{shown(value)} has a time of day: write a date as YYYY-MM-DD")
        value = value.date()
    elif isinstance(value, str):
        match = _DATE.match(value)
        if not match:
            raise ValueError(f"{shown(value)} is not a date: write it as YYYY-MM-DD, e.g. 2025-01-01")
        try:
            value = dt.date(*(int(part) for part in match.groups()))
        except ValueError as exc:
            raise ValueError(f"{shown(value.strip())} is not a date: {exc}") from None
    elif not isinstance(value, dt.date):
        raise ValueError(f"{shown(value)} is not a date: write it as YYYY-MM-DD, e.g. 2025-01-01")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"{value.isoformat()} is out of range: give a date from {FIRST_DATE} to {LAST_DATE}")
    return value


Date = Annotated[dt.date, BeforeValidator(_date)]


def _yield(value: float) -> float:
    if value < MIN_YIELD:
        raise ValueError(
            f"a first_pass_yield of {value:g} makes a rework loop that (practically) never ends: a car would "
            f"go round it {'forever' if value <= 0 else f'{1 / value:,.0f} times'} on average; "
            f"give at least {MIN_YIELD}")
    return value
