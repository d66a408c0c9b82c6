"""Durations and time distributions as the scenario writes them.

A duration is a number of seconds or a string with its unit written out
("95 s", "40 min", "8.5 h", "2 d"). Inside the model every time is in seconds.
A time specification is a duration (fixed) or a distribution mapping with a
``dist`` key; both normalise to one of the distribution models below.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WrapSerializer, model_validator

from .errors import shown

DAY = 86400.0
"""Seconds in a day: the one home of the number (wall time is seconds from midnight of the first day)."""

_UNITS = {
    "s": 1.0, "sec": 1.0, "second": 1.0, "seconds": 1.0,
    "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": DAY, "day": DAY, "days": DAY,
}
_DURATION = re.compile(r"^\s*([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-zA-Z]*)\s*$")


MAX_SECONDS = 10 * 365 * DAY
"""The longest time a scenario may give: 10 years, in seconds."""


def fits_in_a_day(count: int, length: float, extra: float = 0.0) -> bool:
    """Whether ``count`` back-to-back spans of ``length`` seconds (shifts), then ``extra`` seconds, fit in 24 h;
    a nanosecond over counts as fitting (times summed from hours and minutes are not exact)."""
    return count * length + extra <= DAY + 1e-9


def parse_duration(value):
    """Seconds from a number or from a string such as '40 min'; a finite number."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or a string like '40 min', not true/false")
    if isinstance(value, (int, float)):
        try:
            seconds = float(value)
        except OverflowError:
            seconds = math.inf
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not (match and (match.group(2).lower() in _UNITS or not match.group(2))):
            raise ValueError(
                f"{shown(value)} is not a duration: write seconds as a number, or a number "
                "and a unit (s, min, h, d), e.g. '40 min'")
        seconds = float(match.group(1)) * _UNITS.get(match.group(2).lower(), 1.0)  # no unit: seconds (YAML reads 1e5 as text)
    else:
        raise ValueError(f"{shown(value)} is not a duration: write seconds as a number, or e.g. '40 min'")
    if not math.isfinite(seconds):
        raise ValueError(f"{shown(value)} is not a finite time: a time is at most 10 years "
                         f"({MAX_SECONDS:,.0f} s)")
    return seconds


def _at_most_ten_years(seconds: float) -> float:
    if seconds > MAX_SECONDS:
        raise ValueError(f"{format_duration(seconds)} is too long: a time is at most 10 years ({MAX_SECONDS:,.0f} s)")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration), Field(gt=0), AfterValidator(_at_most_ten_years)]
"""A strictly positive time in seconds (at most 10 years)."""
DurationOrZero = Annotated[float, BeforeValidator(parse_duration), Field(ge=0), AfterValidator(_at_most_ten_years)]
"""A time in seconds that may be zero (at most 10 years)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Fixed(_Frozen):
    """Always the same time."""
    dist: Literal["fixed"] = "fixed"
    value: Duration

    @property
    def mean(self) -> float:
        return self.value


class Uniform(_Frozen):
    """Uniform between low and high (seconds)."""
    dist: Literal["uniform"]
    low: DurationOrZero
    high: Duration

    @model_validator(mode="after")
    def _ordered(self):
        if self.high <= self.low:
            raise ValueError(f"high ({self.high}) must be above low ({self.low})")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.high) / 2


class Triangular(_Frozen):
    """Triangular with low <= mode <= high (seconds)."""
    dist: Literal["triangular"]
    low: DurationOrZero
    mode: DurationOrZero
    high: Duration

    @model_validator(mode="after")
    def _ordered(self):
        if not (self.low <= self.mode <= self.high and self.low < self.high):
            raise ValueError(f"need low <= mode <= high and low < high, got {self.low}, {self.mode}, {self.high}")
        return self

    @property
    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3


class Normal(_Frozen):
    """Normal with mean and sd, truncated to [low, high] (low defaults to 0)."""
    dist: Literal["normal"]
    mean: Duration
    sd: DurationOrZero
    low: DurationOrZero = 0.0
    high: Duration | None = None

    @model_validator(mode="after")
    def _window(self):
        if self.high is not None and self.high <= self.low:
            raise ValueError(f"high ({self.high}) must be above low ({self.low})")
        if not (self.low <= self.mean and (self.high is None or self.mean <= self.high)):
            raise ValueError("the mean must lie inside [low, high]")
        return self


class Lognormal(_Frozen):
    """Lognormal given the mean and sd of the time itself (not of its log)."""
    dist: Literal["lognormal"]
    mean: Duration
    sd: Duration


class Exponential(_Frozen):
    """Exponential with the given mean."""
    dist: Literal["exponential"]
    mean: Duration


class Weibull(_Frozen):
    """Weibull with a shape and a scale (or the mean instead of the scale): shape below 1 gives the long tail
    of rare very long repairs, 1 is exponential, above 1 wear-out."""
    dist: Literal["weibull"]
    shape: float = Field(ge=0.2, le=20)
    scale: Duration | None = None
    mean_time: Duration | None = Field(default=None, alias="mean", exclude=True)

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, populate_by_name=True)

    @model_validator(mode="after")
    def _scale_or_mean(self):
        if (self.scale is None) == (self.mean_time is None):
            raise ValueError("give a Weibull either its scale or its mean")
        if self.scale is None:  # kept as its scale alone, so that the resolved scenario reads back equal
            object.__setattr__(self, "scale", self.mean_time / math.gamma(1 + 1 / self.shape))
            object.__setattr__(self, "mean_time", None)
        if self.mean > MAX_SECONDS:
            raise ValueError(f"a Weibull of shape {self.shape:g} and scale {format_duration(self.scale)} has a mean "
                             f"over 10 years")
        return self

    @property
    def mean(self) -> float:
        """scale x Gamma(1 + 1 / shape)."""
        return self.scale * math.gamma(1 + 1 / self.shape)


class Empirical(_Frozen):
    """One of the observed values, with optional weights."""
    dist: Literal["empirical"]
    values: list[Duration] = Field(min_length=1)
    weights: list[Annotated[float, Field(gt=0, le=1e9)]] | None = None

    @model_validator(mode="after")
    def _weights(self):
        if self.weights is not None and len(self.weights) != len(self.values):
            raise ValueError(f"{len(self.weights)} weights for {len(self.values)} values")
        return self

    @property
    def mean(self) -> float:
        weights = self.weights or [1.0] * len(self.values)
        return sum(v * w for v, w in zip(self.values, weights)) / sum(weights)


DISTRIBUTIONS = "fixed, uniform, triangular, normal, lognormal, exponential, weibull, empirical"


def _as_distribution(value):
    """A bare duration is a fixed time; a mapping must say which ``dist``."""
    if isinstance(value, dict):
        if "dist" not in value:
            raise ValueError(f"a distribution needs a 'dist' key, one of: {DISTRIBUTIONS}")
        if value["dist"] not in DISTRIBUTIONS.split(", "):
            raise ValueError(f"unknown distribution {shown(value['dist'])}; allowed: {DISTRIBUTIONS}")
        return value
    return {"dist": "fixed", "value": value}


Distribution = Annotated[
    Union[Fixed, Uniform, Triangular, Normal, Lognormal, Exponential, Weibull, Empirical],
    Field(discriminator="dist"),
]
TimeSpec = Annotated[Distribution, BeforeValidator(_as_distribution)]
"""A time: seconds, '40 min', or a distribution mapping such as {dist: triangular, ...}."""

ALL_MODELS = "*"


def _as_per_model(value):
    """One time for every model, or a mapping model name -> time.

    A per-model mapping may carry a ``default`` entry for the models it does not name.
    """
    if isinstance(value, dict) and "dist" not in value:
        return {(ALL_MODELS if k == "default" else k): v for k, v in value.items()}
    return {ALL_MODELS: value}


def _default_key(value, handler):
    """The resolved scenario writes the '*' entry back as 'default', the key a scenario file uses."""
    return {("default" if k == ALL_MODELS else k): v for k, v in handler(value).items()}


PerModelTime = Annotated[dict[str, TimeSpec], BeforeValidator(_as_per_model),
                         WrapSerializer(_default_key, when_used="json")]
"""Time per car model; the key '*' (written 'default') covers the others."""


def _as_per_model_number(value):
    if isinstance(value, dict):
        return {(ALL_MODELS if k == "default" else k): v for k, v in value.items()}
    return {ALL_MODELS: value}


MAX_PER_STATION = 1000
"""At most this many servers, operators per server or robots at one station."""

PerModelCount = Annotated[dict[str, Annotated[float, Field(ge=0, le=MAX_PER_STATION)]], BeforeValidator(_as_per_model_number),
                          WrapSerializer(_default_key, when_used="json")]
"""A count per car model (operators), or one count for all."""


def per_model(value_type):
    """A value per car model, or one value for all (``value_type``: the type of each value); the key '*'
    (written 'default') covers the models not named."""
    return Annotated[dict[str, value_type], BeforeValidator(_as_per_model_number),
                     WrapSerializer(_default_key, when_used="json")]


def format_duration(seconds: float) -> str:
    """Seconds as a scenario writes them: '95 s', '40 min', '8.5 h': the largest unit in which the
    time is a whole number of tenths (128.6 s stays in seconds)."""
    for unit, size in (("d", DAY), ("h", 3600.0), ("min", 60.0)):
        tenths = seconds / size * 10
        if abs(seconds) >= size and abs(tenths - round(tenths)) < 1e-6:
            return f"{seconds / size:g} {unit}"
    return f"{seconds:g} s"
