"""Confidence intervals: the one home of every t interval the project computes.

Across replications: Student t on the replication means (independent runs).
With a single replication: batch means over consecutive weeks of daily output,
so that a one-run answer still says how precise it is. Differences between two
runs: paired t when they drew common random numbers, Welch's t otherwise. The
staffing search's test: the one-sided lower t bound of a mean.

scipy is imported when a quantile is first needed, so ``import sim`` stays light: ``scipy.special`` alone
(0.4 s), whose ``stdtrit`` is what ``scipy.stats.t.ppf`` computes, not ``scipy.stats`` (1.1 s of every run).
"""

from __future__ import annotations

import math

import numpy as np


def t_quantile(p: float, dof: float) -> float:
    """The p-quantile of Student's t with ``dof`` degrees of freedom (``scipy.stats.t.ppf``'s own function)."""
    from scipy.special import stdtrit  # lazy: most commands never need a quantile

    return float(stdtrit(dof, p))


def mean_ci(values, confidence: float = 0.95) -> dict:
    """{mean, ci95_low, ci95_high, n} of independent observations (t interval)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    mean = float(x.mean()) if n else math.nan
    if n < 2:
        return {"mean": mean, "ci95_low": None, "ci95_high": None, "n": int(n)}
    half = t_quantile(0.5 + confidence / 2, n - 1) * float(x.std(ddof=1)) / math.sqrt(n)
    return {"mean": mean, "ci95_low": mean - half, "ci95_high": mean + half, "n": int(n)}


def rounded(ci: dict, digits: int) -> dict:
    """An interval ({mean, ci95_low, ci95_high, n}, and any note beside) with each of its numbers rounded to
    ``digits`` decimals; the count, None and text as they are. Each figure keeps the digits it is published with."""
    return {k: (round(v, digits) if isinstance(v, float) else v) for k, v in ci.items()}


def defined_mean_ci(values, digits: int) -> dict:
    """``mean_ci`` of the values that are defined (None left out: a figure a replication could not have), each
    number rounded to ``digits``; n counts the defined values (mean None when there is none)."""
    given = [v for v in values if v is not None]
    if not given:
        return {"mean": None, "ci95_low": None, "ci95_high": None, "n": 0}
    return rounded(mean_ci(given), digits)


def batch_means_ci(series, batch: int, scale: float = 1.0, confidence: float = 0.95) -> dict | None:
    """t interval of the mean of ``series`` from non-overlapping batches of ``batch`` values, times scale."""
    x = np.asarray(series, dtype=float)
    k = x.size // batch
    if k < 5:
        return None
    means = x[: k * batch].reshape(k, batch).mean(axis=1) * scale
    out = mean_ci(means, confidence)
    out["mean"] = float(x.mean() * scale)
    half = (out["ci95_high"] - out["ci95_low"]) / 2
    out["ci95_low"], out["ci95_high"] = out["mean"] - half, out["mean"] + half
    return out


def paired_difference(a, b, confidence: float = 0.95) -> tuple[float, float]:
    """(mean, half width) of b - a over paired replications (common random numbers)."""
    d = np.asarray(b, dtype=float) - np.asarray(a, dtype=float)
    n = d.size
    half = t_quantile(0.5 + confidence / 2, n - 1) * float(d.std(ddof=1)) / math.sqrt(n)
    return float(d.mean()), half


def welch_difference(a, b, confidence: float = 0.95) -> tuple[float, float]:
    """(mean, half width) of mean(b) - mean(a) for two independent samples (Welch's t)."""
    va, vb = np.var(a, ddof=1) / len(a), np.var(b, ddof=1) / len(b)
    se = math.sqrt(va + vb)
    dof = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1)) if se > 0 else 1.0
    return float(np.mean(b) - np.mean(a)), t_quantile(0.5 + confidence / 2, dof) * se


def upper_bound(values, confidence: float) -> float:
    """One-sided upper t bound of the mean (inf with fewer than two values)."""
    return -lower_bound(-np.asarray(values, dtype=float), confidence)


def lower_bound(values, confidence: float) -> float:
    """One-sided lower t bound of the mean (-inf with fewer than two values)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    if n < 2:
        return -math.inf
    return float(x.mean()) - t_quantile(confidence, n - 1) * float(x.std(ddof=1)) / math.sqrt(n)
