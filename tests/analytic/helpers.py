"""Shared helpers of the analytic tests: scenario builders, queueing formulas, intervals.

Every analytic test runs a small scenario with fixed seeds and compares a
measured quantity with a known answer. Statistical comparisons use a
t-interval over independent replications (each replication draws from its own
random streams), widened by a small explicit bias margin for the finite
warm-up / window edge effects. The Student-t quantiles are tabulated here
because scipy is not a dependency.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.replication import simulate
from sim.scenario import validate_scenario

DAY = 86400.0

CONTINUOUS = {"count": 1, "start": "00:00", "length": "24 h"}
"""One 24 h shift a day: the shop works continuously."""

ONE_MODEL = [{"name": "M", "share": 1.0}]


def station(name, cycle, **extra):
    """A station mapping: ``cycle`` in seconds, a duration string or a distribution mapping."""
    return {"name": name, "cycle_time": cycle, **extra}


def expo(mean):
    return {"dist": "exponential", "mean": mean}


def scenario(stations, *, days=5, warmup=1, shifts=None, buffer_capacity=1, lines=None, quality=None,
             launch=None, models=None, name="analytic", extra_shops=None, stores=None, sequence="levelled"):
    """A validated one-shop scenario (more shops through ``extra_shops``), every day a working day."""
    shop = {"shifts": shifts or CONTINUOUS, "buffer_capacity": buffer_capacity, "stations": stations}
    if lines:
        shop["lines"] = lines
    if quality:
        shop["quality"] = quality
    shops = {"shop": shop}
    shops.update(extra_shops or {})
    raw = {
        "name": name,
        "horizon": {"days": days, "warmup_days": warmup},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": models or ONE_MODEL, "sequence": sequence},
        "shops": shops,
        "target": {"annual_units": 100000},
    }
    if launch is not None:
        raw["launch"] = {"interarrival": launch}
    if stores:
        raw["stores"] = stores
    return validate_scenario(raw)


def row(result, name, shop="shop"):
    """The stations-table row of one station, as a Series."""
    table = result.stations
    match = table[(table.shop == shop) & (table.station == name)]
    assert len(match) == 1, f"no single row for {shop}.{name}"
    return match.iloc[0]


def buffer_row(result, name):
    table = result.buffers
    match = table[table.buffer == name]
    assert len(match) == 1, f"no single buffer {name}"
    return match.iloc[0]


def throughput_per_s(result):
    """Cars finished per second of the measured window."""
    return result.scalars["completed"] / (result.scalars["window_hours"] * 3600.0)


# ---------------------------------------------------------------- intervals

# two-sided 99 % Student-t quantiles t_{0.995, df}
_T995 = {1: 63.657, 2: 9.925, 3: 5.841, 4: 4.604, 5: 4.032, 6: 3.707, 7: 3.499, 8: 3.355, 9: 3.250,
         10: 3.169, 11: 3.106, 12: 3.055, 13: 3.012, 14: 2.977, 15: 2.947, 16: 2.921, 17: 2.898,
         18: 2.878, 19: 2.861, 20: 2.845, 24: 2.797, 29: 2.756, 39: 2.708, 59: 2.662}


def t995(df: int) -> float:
    """t quantile for a two-sided 99 % interval (conservative for df between table entries)."""
    known = [d for d in _T995 if d <= df]
    return _T995[max(known)] if known else math.inf


@dataclass
class Interval:
    mean: float
    half: float
    n: int

    @property
    def low(self):
        return self.mean - self.half

    @property
    def high(self):
        return self.mean + self.half

    def contains(self, value, margin=0.0):
        """Does the interval widened by ``margin`` (absolute) hold ``value``?"""
        return self.low - margin <= value <= self.high + margin

    def __str__(self):
        return f"{self.mean:.6g} ± {self.half:.3g} (99 % t, n={self.n})"


def t_interval(values) -> Interval:
    """99 % t-interval for the mean of independent replication values."""
    x = np.asarray(values, dtype=float)
    n = x.size
    half = t995(n - 1) * x.std(ddof=1) / math.sqrt(n)
    return Interval(float(x.mean()), float(half), n)


def replicate(scn, measure, n, seed=12345):
    """``measure(result)`` over replications 0..n-1 of one seed (independent streams)."""
    return [measure(simulate(scn, seed, r)) for r in range(n)]


def assert_in_interval(values, theory, margin, what):
    ci = t_interval(values)
    print(f"{what}: measured {ci}, theory {theory:.6g}")
    assert ci.contains(theory, margin), (
        f"{what}: theory {theory:.6g} outside {ci} widened by bias margin {margin:.3g}")
    # the interval must also be informative: narrower than the quantity itself
    assert ci.half < 0.1 * abs(theory) + margin, f"{what}: interval {ci} too wide to test anything"
    return ci


# ---------------------------------------------------------------- queueing theory

def erlang_c(c: int, lam: float, mu: float) -> float:
    """Probability that an arrival waits in an M/M/c queue (Erlang C)."""
    a = lam / mu
    rho = a / c
    assert rho < 1
    top = a ** c / math.factorial(c) / (1 - rho)
    return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)


def mmc_wq(c: int, lam: float, mu: float) -> float:
    """Mean wait in queue of M/M/c: C(c, a) / (c mu - lambda)."""
    return erlang_c(c, lam, mu) / (c * mu - lam)


def two_station_bas_chain(mu1: float, mu2: float, buffer: int) -> np.ndarray:
    """Stationary law of a two-station exponential line, blocking after service, station 1 never starved.

    State n = cars past station 1 that station 2 has not finished: n = 0..B+1 counts the
    cars in the buffer and at station 2; n = B+2 means station 1 also holds a finished car
    (blocked). Station 1 completes at rate mu1 while n <= B+1 (n -> n+1); station 2
    completes at rate mu2 while n >= 1 (n -> n-1; from B+2 the held car drops into the
    buffer and station 1 restarts). Solved as a CTMC: pi Q = 0, sum pi = 1.
    """
    size = buffer + 3
    q = np.zeros((size, size))
    for n in range(size - 1):
        q[n, n + 1] = mu1
    for n in range(1, size):
        q[n, n - 1] = mu2
    q -= np.diag(q.sum(axis=1))
    a = np.vstack([q.T, np.ones(size)])
    b = np.zeros(size + 1)
    b[-1] = 1.0
    return np.linalg.lstsq(a, b, rcond=None)[0]


def two_station_bas_throughput(mu1: float, mu2: float, buffer: int) -> float:
    """Throughput mu2 * P(n >= 1) of the chain of ``two_station_bas_chain``."""
    return mu2 * (1.0 - two_station_bas_chain(mu1, mu2, buffer)[0])


def two_station_bas_buffer_level(mu1: float, mu2: float, buffer: int) -> float:
    """Mean number of cars waiting in the buffer: min(max(n - 1, 0), B) in state n."""
    pi = two_station_bas_chain(mu1, mu2, buffer)
    return float(sum(p * min(max(n - 1, 0), buffer) for n, p in enumerate(pi)))
