"""The t quantile every interval uses (sim.analysis.stats.t_quantile) is scipy.stats.t.ppf's, value for value:
it calls the function t.ppf computes with (scipy.special.stdtrit) to spare every run scipy.stats' import."""

import numpy as np
from scipy import stats

from sim.analysis.stats import t_quantile


def test_t_quantile_is_scipy_stats_t_ppf_exactly():
    dofs = list(range(1, 120)) + list(np.linspace(1.05, 400.0, 300))  # Welch's degrees of freedom are fractional
    for dof in dofs:
        for p in (0.5, 0.8, 0.9, 0.95, 0.975, 0.99, 0.995, 0.025, 0.05):
            assert t_quantile(p, dof) == float(stats.t.ppf(p, dof)), (p, dof)
    assert abs(t_quantile(0.975, 4) - 2.776445105) < 1e-9  # the 95% two-sided value of the tables
