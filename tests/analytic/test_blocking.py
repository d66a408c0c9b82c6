"""Two exponential stations with a finite buffer: blocking after service.

Station 1 is never starved (pull launch), station 2 never blocked (end of
line). With rates mu1, mu2 and B cars of buffer between them, the number of
cars past station 1 not yet finished by station 2 (B + 1 places, plus the
finished car station 1 holds when blocked) is a birth-death chain on 0..B+2,
and TH = mu2 P(n >= 1). For mu1 = mu2 = mu the stationary law is uniform:
TH = mu (B+2)/(B+3) (2/3 mu for B = 0, 3/4 mu for B = 1). The general case is
solved as a small CTMC in ``helpers.two_station_bas_throughput``.

Tolerance: 99 % t-interval over 10 independent replications of 4 days, plus a
bias margin of 0.3 % of TH for the half-day warm-up from an empty line (the
chain mixes in a few minutes) and the +-1 car at the window edges.
"""

import numpy as np
import pytest

from helpers import (assert_in_interval, buffer_row, expo, replicate, row, scenario, station,
                     throughput_per_s, two_station_bas_buffer_level, two_station_bas_throughput)


def test_ctmc_helper_matches_the_closed_form():
    # Theory: for equal rates the birth-death chain on B+3 states is uniform.
    mu = 1 / 60
    for b in range(5):
        assert two_station_bas_throughput(mu, mu, b) == pytest.approx(mu * (b + 2) / (b + 3), rel=1e-9)
    # a huge buffer decouples the stations: TH -> min(mu1, mu2)
    assert two_station_bas_throughput(1 / 50, 1 / 70, 200) == pytest.approx(1 / 70, rel=1e-6)


@pytest.mark.parametrize("mean1, mean2, buffer", [
    (60, 60, 0),   # TH = 2/3 * 1/60
    (60, 60, 1),   # TH = 3/4 * 1/60
    (60, 60, 3),   # TH = 5/6 * 1/60
    (50, 70, 0),
    (70, 50, 1),
    (45, 60, 2),
])
def test_two_station_exponential_line_throughput(mean1, mean2, buffer):
    scn = scenario([station("s1", expo(mean1)), station("s2", expo(mean2), buffer_before=buffer)],
                   days=4, warmup=0.5)
    theory = two_station_bas_throughput(1 / mean1, 1 / mean2, buffer)

    def measure(res):
        s1, s2 = row(res, "s1"), row(res, "s2")
        # structural facts of this line: station 1 is never starved, station 2 never blocked
        assert s1.share_starved == 0 and s2.share_blocked == 0
        assert buffer_row(res, "shop.s2").max_level <= buffer
        return throughput_per_s(res), s1.share_blocked, s2.share_starved, buffer_row(res, "shop.s2").mean_level

    values = np.array(replicate(scn, measure, 10, seed=77))
    assert_in_interval(values[:, 0], theory, 0.003 * theory, f"TH mu1=1/{mean1} mu2=1/{mean2} B={buffer}")
    # Work conservation: station 1 works TH/mu1 of the time (the rest blocked), station 2
    # works TH/mu2 (the rest starved); the interval of these follows the throughput's.
    assert_in_interval(1 - values[:, 1], theory * mean1, 0.003 * theory * mean1, "station 1 working share")
    assert_in_interval(1 - values[:, 2], theory * mean2, 0.003 * theory * mean2, "station 2 working share")
    # The buffer holds min(max(n - 1, 0), B) cars in state n: its time-average level.
    if buffer > 0:
        level = two_station_bas_buffer_level(1 / mean1, 1 / mean2, buffer)
        assert_in_interval(values[:, 3], level, 0.003 * buffer, "buffer mean level")
