"""How many replications an interval needs to be narrow enough to decide something.

A t interval's half-width is h = t·s/√n (t the 97.5% quantile of Student's t, s the standard deviation of
the per-replication values, n the replications). To shrink it to a half-width ``needed`` takes about
n' = (t·s/needed)² replications. s is read back from the interval we have (s = h·√n/t) and t kept at the
current replications' (it only falls as n grows, so the answer errs on the safe side), which gives
n' = n·(h/needed)², rounded up, and at least one more than was run.
"""

from __future__ import annotations

import math


def replications_needed(n: int, half: float, needed: float) -> int | None:
    """Replications for a half-width of ``needed`` from an interval of half-width ``half`` over ``n``
    replications: ceil(n·(half/needed)²), at least n + 1; None when nothing can be asked (needed <= 0)."""
    if needed <= 0 or n < 2:
        return None
    return max(n + 1, math.ceil(n * (half / needed) ** 2 - 1e-9))


def rule(values: str, needed: str) -> str:
    """The rule behind a suggested number of replications, said once for every list of intervals too wide to
    decide: ``values`` names the per-replication figures, ``needed`` the half-width that would decide."""
    return (f"replications suggested: n' = n x (half-width now / half-width needed)^2, i.e. n' = (t s / h)^2 with "
            f"s the observed standard deviation of the per-replication {values} and h the half-width needed: {needed}")
