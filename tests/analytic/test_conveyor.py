"""Conveyors (ovens, ED tank): bodies ride through at a fixed pitch.

A conveyor of transit time T and pitch p holds N = T / p bodies (rounded to
whole bodies), moves one position every T / N (= p when T is a multiple of p),
and so lets out at most one body per index; every body spends exactly T on it. Fed faster than 1/p it runs full at 1/p; fed slower it runs at the
feed rate with gaps. Little's law on the conveyor itself: mean bodies on it =
throughput x T, i.e. its occupied share (share_working, averaged over its
positions) = throughput x T / capacity = throughput x p.

Everything here is deterministic or a sample-path identity: tolerances are one
car (+-1) or one pitch / cycle at each window edge.
"""

import math

import numpy as np
import pytest

from helpers import DAY, expo, row, scenario, simulate, station, throughput_per_s

TRANSIT, PITCH = 1200.0, 60.0   # 20 min, 1 min: 20 positions
OVEN = {"name": "oven", "conveyor": {"transit_time": "20 min", "pitch": PITCH}}


def test_conveyor_alone_runs_full_at_its_pitch():
    # Theory: pulled from launch with a free exit the conveyor is always full: 20 bodies on it
    # (wip_mean = 20 exactly), one out per pitch (1440 a day, +-1), each after exactly 1200 s.
    res = simulate(scenario([OVEN], days=1, warmup=0.5), 1)
    r = row(res, "oven")
    assert r.kind == "conveyor" and r.servers == TRANSIT / PITCH
    assert abs(res.scalars["completed"] - DAY / PITCH) <= 1
    assert np.allclose(res.lead_times * 3600.0, TRANSIT)
    assert res.scalars["wip_mean"] == pytest.approx(TRANSIT / PITCH)
    assert r.share_working == pytest.approx(1.0)


def test_fast_feed_is_limited_by_the_pitch():
    # Theory: a 50 s feeder offers more than 1/60 per s: output 1/pitch (1440 a day, +-1), the
    # conveyor is full (working share 1), the feeder blocked 1 - 50/60 of the time.
    res = simulate(scenario([station("a", 50), OVEN, station("b", 55)], days=1, warmup=0.5), 1)
    assert abs(res.scalars["completed"] - DAY / PITCH) <= 1
    edge = 2 * PITCH / DAY
    assert row(res, "oven").share_working == pytest.approx(1.0, abs=edge)
    assert row(res, "a").share_blocked == pytest.approx(1 - 50 / 60, abs=edge)


def test_slow_feed_runs_with_gaps_and_keeps_the_transit_time():
    # Theory: a 90 s feeder sets the rate (960 a day, +-1); the conveyor carries 1200/90 = 13.3
    # bodies on average, occupied share 60/90; each car's lead time is feeder 90 s + wait for
    # the next index (0 to one pitch) + transit 1200 s + exit station 55 s.
    res = simulate(scenario([station("a", 90), OVEN, station("b", 55)], days=1, warmup=0.5), 1)
    assert abs(res.scalars["completed"] - DAY / 90) <= 1
    assert row(res, "oven").share_working == pytest.approx(PITCH / 90, abs=2 * 90 / DAY)
    through = res.lead_times * 3600.0 - 90 - 55
    assert through.min() >= TRANSIT - 1e-6 and through.max() <= TRANSIT + PITCH + 1e-6


@pytest.mark.parametrize("buffer", [0, 5])
def test_conveyor_occupancy_is_littles_law(buffer):
    # Theory: with a random feeder (exponential, mean 90 s) the conveyor's occupied share equals
    # its throughput x pitch on every sample path (Little's law on the conveyor, each body
    # staying exactly 1200 s); tolerance: the bodies on it at each window edge, 2 x 20 bodies x
    # 1200 s over the 20 positions x window.
    res = simulate(scenario([station("a", expo(90)), OVEN], days=4, warmup=0.5, buffer_capacity=buffer), 3)
    th = throughput_per_s(res)
    window = res.scalars["window_hours"] * 3600.0
    occupied = row(res, "oven").share_working
    print(f"conveyor B={buffer}: occupied {occupied:.5f}, TH x pitch {th * PITCH:.5f}")
    assert occupied == pytest.approx(th * PITCH, abs=2 * 20 * TRANSIT / (20 * window))
    assert (res.lead_times * 3600.0 >= TRANSIT - 1e-6).all()   # no body leaves before its transit


def test_conveyor_transit_time_is_kept_when_not_a_multiple_of_the_pitch():
    # Theory (README, Conveyors): every body spends exactly transit_time on the conveyor (an oven's
    # dwell time is a process requirement). 40 min at a 116 s pitch holds N = round(2400/116) = 21
    # bodies and moves every 2400/21 = 114.3 s: lead time 2400 s, 21 bodies per 2400 s = 756 a day
    # (+-1). (Found by this suite: the transit used to be 21 x 116 = 2436 s.)
    oven = {"name": "oven", "conveyor": {"transit_time": "40 min", "pitch": 116}}
    res = simulate(scenario([oven], days=1, warmup=0.5), 1)
    assert row(res, "oven").servers == 21
    assert abs(res.scalars["completed"] - DAY * 21 / 2400) <= 1
    assert np.allclose(res.lead_times * 3600.0, 2400.0, atol=1e-6), np.unique(res.lead_times * 3600.0)


@pytest.mark.parametrize("seconds", [121, 600, 1140])
def test_conveyor_that_never_filled_up_still_reports(seconds):
    # Theory: a run shorter than one transit time is valid (a short horizon, or a shop that works
    # only briefly in it). Up to 1200 s on a 20-position conveyor of pitch 60 s: nothing out yet,
    # and the bodies on it fill seconds / 60 positions. (Found by this suite: station_rows used to
    # crash with a numpy broadcast error when the conveyor had fewer index records than positions.)
    res = simulate(scenario([OVEN], days=seconds / DAY, warmup=0), 1)
    assert res.scalars["completed"] == 0
    r = row(res, "oven")
    assert r.share_working + r.share_blocked + r.share_starved + r.share_down == pytest.approx(1.0)
    # a body enters at every index and rides on: during the k-th pitch k of the 20 positions are
    # occupied, so the occupied share is the time-average of k / 20 (the last pitch cut at the end)
    phases = [(k, min(k * PITCH, seconds) - (k - 1) * PITCH) for k in range(1, math.ceil(seconds / PITCH) + 1)]
    assert r.share_working == pytest.approx(sum(k * span for k, span in phases) / (20 * seconds), abs=1e-9)
