"""Confidence intervals.

Across replications: Student t on the replication means (independent runs).
With a single replication: batch means over consecutive weeks of daily output,
so that a one-run answer still says how precise it is.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats as _stats


def mean_ci(values, confidence: float = 0.95) -> dict:
    """{mean, ci95_low, ci95_high, n} of independent observations (t interval)."""
    x = np.asarray(values, dtype=float)
    n = x.size
    mean = float(x.mean()) if n else math.nan
    if n < 2:
        return {"mean": mean, "ci95_low": None, "ci95_high": None, "n": int(n)}
    half = float(_stats.t.ppf(0.5 + confidence / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return {"mean": mean, "ci95_low": mean - half, "ci95_high": mean + half, "n": int(n)}


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
