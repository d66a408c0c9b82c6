"""Little's law on sample paths: time-average WIP = throughput x mean lead time.

Over a window of length T, the area under the cars-in-system curve is the sum
over cars of their time in the system inside the window. The cars finished in
the window contribute their whole lead time, except the part before the window
of the cars already inside at its start; the cars still inside at its end
contribute their part inside the window. So

    |wip_mean - completed / T x mean(lead)| <= (N_start + N_end) x S_max / T

with N the cars inside at the window edges and S_max the longest stay. This is
a bound, not a statistical tolerance: the law must hold on every sample path.
In a pull line N is at most the line's capacity (servers + buffer places).
"""

import numpy as np
import pytest

from helpers import expo, scenario, simulate, station


def little_gap(res):
    """(wip_mean, throughput x mean lead time) in cars."""
    sc = res.scalars
    lam = sc["completed"] / sc["window_hours"]           # cars per hour
    return sc["wip_mean"], lam * float(np.mean(res.lead_times))


@pytest.mark.parametrize("buffers", [0, 2])
def test_little_law_pull_line_random_cycles(buffers):
    # Theory: Little's law, with the edge bound above; a pull line of 4 stations with
    # buffers of `buffers` cars holds at most K = 4 + 3 * buffers cars, each staying at most
    # S_max (taken as twice the longest lead time seen, for the cars cut at the window end).
    stations = [station("a", {"dist": "triangular", "low": 40, "mode": 50, "high": 80}),
                station("b", expo(55)),
                station("c", {"dist": "uniform", "low": 30, "high": 70}),
                station("d", {"dist": "lognormal", "mean": 50, "sd": 20})]
    scn = scenario(stations, days=4, warmup=0.5, buffer_capacity=buffers)
    res = simulate(scn, 5)
    wip, lam_w = little_gap(res)
    capacity = 4 + 3 * buffers
    assert res.scalars["wip_end"] <= capacity
    bound = 2 * capacity * 2 * res.lead_times.max() / res.scalars["window_hours"]
    print(f"Little pull B={buffers}: wip_mean {wip:.4f}, TH x W {lam_w:.4f}, bound {bound:.3g}")
    assert wip == pytest.approx(lam_w, abs=bound)
    assert bound < 0.05 * wip   # the bound is tight enough to test something


def test_little_law_open_plant_with_rework_and_two_shops():
    # Theory: Little's law holds for the whole plant whatever happens inside: Poisson arrivals,
    # parallel servers overtaking each other, a rework loop sending 15 % of the cars back, a
    # store between two shops. Edge bound as above with N_start, N_end estimated by 3 x wip_mean
    # (the WIP is random here, not capped) and S_max by twice the longest lead time seen.
    paint = {"shifts": {"count": 1, "start": "00:00", "length": "24 h"}, "buffer_capacity": 2,
             "stations": [station("p1", expo(50)), station("insp", expo(40)),
                          station("repair", expo(300), servers=2, off_line=True)],
             "quality": {"inspection": "insp", "first_pass_yield": 0.85,
                         "rework": [{"share": 1, "repair": "repair", "reenter": "p1"}]}}
    scn = scenario([station("a", expo(50)), station("b", expo(120), servers=2, buffer_before=3)],
                   days=12, warmup=1, launch=expo(75), extra_shops={"paint": paint},
                   stores=[{"name": "store", "after": "shop", "capacity": 20}])
    res = simulate(scn, 11)
    wip, lam_w = little_gap(res)
    bound = 2 * 3 * wip * 2 * res.lead_times.max() / res.scalars["window_hours"]
    print(f"Little open plant: wip_mean {wip:.4f}, TH x W {lam_w:.4f}, bound {bound:.3g}")
    assert res.scalars["completed"] > 3000
    assert wip == pytest.approx(lam_w, abs=bound)
    assert bound < 0.15 * wip
