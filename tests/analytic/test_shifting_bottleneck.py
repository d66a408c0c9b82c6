"""The shifting-bottleneck view (Roser's active-period method) against answers worked out by hand."""

from __future__ import annotations

from array import array

import numpy as np
import pytest

from sim.analysis.shifting import (Axis, Pieces, bottleneck_shares, complement, line_periods, on_axis,
                                   station_periods)
from sim.model.flow.clock import ShiftClock
from sim.experiment.runner import replicate as simulate  # the model's tables and the run's measures

from helpers import scenario, station


def single_axis(periods: list[tuple], first_id: int = 0) -> list[Pieces]:
    """Hand-made resources whose periods (lo, hi) already lie on one axis, each period as long as it is."""
    out = []
    for lo, hi in periods:
        lo, hi = np.asarray(lo, dtype=float), np.asarray(hi, dtype=float)
        out.append(Pieces(lo, hi, hi - lo, np.arange(first_id, first_id + lo.size)))
        first_id += lo.size
    return out


def shares(periods, window):
    sole, shifting = bottleneck_shares(single_axis(periods), window)
    return sole.tolist(), shifting.tolist()


def test_two_overlapping_periods_shift_over_their_overlap():
    # A [0,10] (10 long), B [8,20] (12), C [25,30] (5). Momentary bottleneck: A on [0,8), B on [8,20),
    # nobody on [20,25), C on [25,30). A's and B's periods overlap on [8,10]: both shifting there.
    sole, shifting = shares([([0], [10]), ([8], [20]), ([25], [30])], (0.0, 30.0))
    assert sole == [8.0, 10.0, 5.0]
    assert shifting == [2.0, 2.0, 0.0]


def test_a_bottleneck_overlapping_both_neighbours():
    # A [0,10], B [5,30] (25), C [20,60] (40): A rules [0,5), B [5,20), C [20,60).
    # A-B overlap [5,10], B-C overlap [20,30]: B shifts 15 s, is sole on [10,20].
    sole, shifting = shares([([0], [10]), ([5], [30]), ([20], [60])], (0.0, 60.0))
    assert sole == [5.0, 10.0, 30.0]
    assert shifting == [5.0, 15.0, 10.0]
    assert sum(sole) + 15.0 == 60.0  # every instant is sole or inside one overlap


def test_a_shorter_period_inside_a_longer_one_never_rules_and_ties_go_to_the_first():
    sole, shifting = shares([([0], [10]), ([2], [5]), ([0], [10])], (0.0, 10.0))
    assert sole == [10.0, 0.0, 0.0]
    assert shifting == [0.0, 0.0, 0.0]


def test_the_window_clips_what_is_counted_but_not_the_periods():
    # B's period [8,20] is 12 long even though the window ends at 15: it still beats A from 8 on
    sole, shifting = bottleneck_shares(single_axis([([0], [10]), ([8], [20])]), (0.0, 15.0), (0.0, 20.0))
    assert sole.tolist() == [8.0, 5.0]
    assert shifting.tolist() == [2.0, 2.0]


def test_several_periods_per_resource_alternate():
    # A: [0,4], [6,16]; B: [3,7], [15,18]. B's [3,7] is as long as A's [0,4] (a tie: A, first, keeps it),
    # so A rules [0,4), B [4,6) (A idle), A's [6,16] (10 long) beats B's [3,7] from 6, B rules [16,18).
    # Overlaps of consecutive bottlenecks: [3,4], [6,7], [15,16]: 3 s shifting for each.
    sole, shifting = shares([([0, 6], [4, 16]), ([3, 15], [7, 18])], (0.0, 18.0))
    assert shifting == [3.0, 3.0]
    assert sole == [3.0 + 8.0, 2.0 + 2.0]  # A: [0,3) and [7,15); B: [4,6) and [16,18)
    assert sum(sole) + 3.0 == 18.0


def test_active_periods_from_waits_union_of_servers():
    # two servers' waits [2,5] and [4,8], one [12,13]: active [0,2], [8,12], [13,20]
    lo, hi = complement([2, 4, 12], [5, 8, 13], 20.0)
    assert lo.tolist() == [0.0, 8.0, 13.0] and hi.tolist() == [2.0, 12.0, 20.0]
    lo, hi = station_periods(array("d", [0.0, 3.0]), 10.0)  # waiting from the start
    assert lo.tolist() == [3.0] and hi.tolist() == [10.0]


def test_line_periods_join_back_to_back_indexes_and_drop_empty_entries():
    lo, hi = line_periods([0, 10, 25, 35], [10, 20, 35, 45], [0, 0, -1, 1], 40.0)
    assert lo.tolist() == [0.0, 35.0] and hi.tolist() == [20.0, 40.0]
    # an empty carrier left for a colour change (index 2) is the booth's own time: active
    lo, hi = line_periods([0, 10, 20, 35], [10, 20, 30, 45], [0, 0, -1, 1], 40.0, gap_ticks=[2])
    assert lo.tolist() == [0.0, 35.0] and hi.tolist() == [30.0, 40.0]


def test_periods_of_a_shop_off_shift_are_cut_on_the_plant_axis():
    # the plant works [0,100) and [200,300) (paint); body works only [0,100) and [250,300)
    plant = ShiftClock([(0.0, 100.0), (200.0, 300.0)])
    body = ShiftClock([(0.0, 100.0), (250.0, 300.0)])
    axis = Axis([(0.0, 100.0), (200.0, 300.0), (0.0, 100.0), (250.0, 300.0)])
    # a body period over worked time [80, 120]: wall [80,100] and [250,270] -> axis [80,100] and [150,170]
    pieces = on_axis(np.array([80.0]), np.array([120.0]), body, axis, 0)
    assert pieces.lo.tolist() == [80.0, 150.0] and pieces.hi.tolist() == [100.0, 170.0]
    assert pieces.length.tolist() == [40.0, 40.0]
    same = on_axis(np.array([80.0]), np.array([120.0]), plant, axis, 5)
    assert same.lo.tolist() == [80.0] and same.hi.tolist() == [120.0] and same.period.tolist() == [5]


def _view(result):
    return result.shifting.set_index("resource")


def test_deterministic_line_the_slowest_station_is_the_bottleneck_all_the_time():
    # 50 s, 60 s, 40 s free-flow stations fed without limit: the 60 s station never waits once its
    # buffer is full; the others starve or block every cycle, so their periods are shorter.
    sc = scenario([station("a", 50), station("b", 60), station("c", 40)], days=2, warmup=1, buffer_capacity=1)
    view = _view(simulate(sc, 1, 0))
    assert view.loc["b", "sole"] == pytest.approx(1.0, abs=1e-12)
    assert view.loc["b", "shifting"] == 0.0
    assert view.loc["a", "total"] == 0.0 and view.loc["c", "total"] == 0.0


def test_paced_line_slower_than_the_free_station_after_it_is_the_bottleneck():
    sc = scenario([station("l1", 55, line="main"), station("l2", 50, line="main"), station("after", 45)],
                  lines={"main": {"takt": 60}}, days=2, warmup=1)
    view = _view(simulate(sc, 1, 0))
    assert view.loc["main line", "sole"] == pytest.approx(1.0, abs=1e-12)
    assert view.loc["after", "total"] == 0.0
