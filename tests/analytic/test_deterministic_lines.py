"""Deterministic lines: throughput is set exactly by the bottleneck.

With fixed cycle times a serial line settles into a periodic regime within a
few cycles (well inside the warm-up), after which the bottleneck finishes a
car every max-cycle seconds, so the window of length T holds T / max cycle
completions up to the one car cut by each edge of the window: exact to +-1.
State shares are exact up to one cycle at each window edge: tolerance
2 * cycle / T.
"""

import pytest

from helpers import DAY, row, scenario, simulate, station

WINDOW_DAYS = 1.0
WINDOW_S = WINDOW_DAYS * DAY


def completions_match(count, period):
    """Completions in the window equal window / period up to +-1 car."""
    return abs(count - WINDOW_S / period) <= 1.0


def test_free_flow_serial_line_runs_at_the_bottleneck_rate():
    # Theory: stations 50/80/60 s with one-car buffers; pull launch keeps station a busy.
    # The 80 s station is the bottleneck: TH = 1/80 per s, i.e. 86400/80 = 1080 cars a day.
    # Upstream of it a is blocked 1 - 50/80 of the time, downstream c is starved 1 - 60/80.
    scn = scenario([station("a", 50), station("b", 80), station("c", 60)], days=WINDOW_DAYS, warmup=0.1)
    res = simulate(scn, 1)
    assert completions_match(res.scalars["completed"], 80.0), res.scalars["completed"]
    for name in "abc":
        assert completions_match(row(res, name).completions, 80.0)
    edge = 2 * 80.0 / WINDOW_S  # one cycle at each end of the window
    a, b, c = row(res, "a"), row(res, "b"), row(res, "c")
    assert b.share_working == pytest.approx(1.0, abs=edge)
    assert a.share_working == pytest.approx(50 / 80, abs=edge)
    assert a.share_blocked == pytest.approx(1 - 50 / 80, abs=edge)
    assert c.share_working == pytest.approx(60 / 80, abs=edge)
    assert c.share_starved == pytest.approx(1 - 60 / 80, abs=edge)


@pytest.mark.parametrize("order", [(50, 80, 60), (80, 60, 50), (50, 60, 80)])
@pytest.mark.parametrize("buffer", [0, 1, 3])
def test_bottleneck_position_and_buffer_size_do_not_matter(order, buffer):
    # Theory: with deterministic cycles, TH = 1 / max cycle whatever the position of the
    # bottleneck and the buffer sizes (including 0, blocking after service). Exact +-1 car.
    scn = scenario([station(f"s{i}", c) for i, c in enumerate(order)], days=WINDOW_DAYS, warmup=0.1,
                   buffer_capacity=buffer)
    res = simulate(scn, 1)
    assert completions_match(res.scalars["completed"], max(order)), res.scalars["completed"]


def test_parallel_servers_multiply_station_capacity():
    # Theory: a station with 2 servers of 150 s has capacity 2/150 = 1/75 per s, so the line
    # 50 / (2 x 150) / 60 runs at 1/75: 1152 cars a day, exact +-1 once periodic.
    scn = scenario([station("a", 50), station("b", 150, servers=2), station("c", 60)],
                   days=WINDOW_DAYS, warmup=0.1)
    res = simulate(scn, 1)
    assert completions_match(res.scalars["completed"], 75.0), res.scalars["completed"]
    assert row(res, "b").share_working == pytest.approx(1.0, abs=2 * 150 / WINDOW_S)


def test_levelled_mix_with_per_model_times_and_work_content():
    # Theory: two models at 50 % each, levelled sequence A B A B ...; the single station
    # takes 60 s for A (own time) and 64 s x work_content 1.25 = 80 s for B (default time
    # scaled), so a pair takes 140 s: TH = 2/140 per s = 1234.3 cars a day, +-1.
    # The levelled sequence also makes the A and B counts differ by at most 1 (+-1 per edge).
    models = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5, "work_content": 1.25}]
    scn = scenario([station("s", {"A": 60, "default": 64})], days=WINDOW_DAYS, warmup=0.1, models=models)
    res = simulate(scn, 1)
    assert completions_match(res.scalars["completed"], 70.0), res.scalars["completed"]
    per_model = res.daily[["A|domestic", "B|domestic"]].sum()
    assert abs(per_model["A|domestic"] - per_model["B|domestic"]) <= 2


# ---------------------------------------------------------------- paced lines

@pytest.mark.parametrize("cycles, takt, transfer, period", [
    ((50, 55, 60), 60, 0, 60),     # every station within takt: indexes every takt
    ((50, 70, 40), 60, 0, 70),     # b over-cycles: the line waits for it, index = 70 s
    ((50, 55), 60, 10, 65),        # transfer 10 s is added to the slowest cycle: 55 + 10 > 60
    ((50, 55), None, 0, 55),       # no takt: the line indexes at its slowest station
    ((50, 55), None, 5, 60),       # no takt, transfer 5 s: 55 + 5
])
def test_paced_line_output_is_window_over_index_time(cycles, takt, transfer, period):
    # Theory: a paced line with pull launch and a free exit indexes every
    # max(takt, max cycle + transfer) s, so output = window / that period, exact +-1.
    # Every station of the line completes the same cars (+-1 for the cars on the line at an edge).
    line = {"L": {"transfer_time": transfer} | ({"takt": takt} if takt else {})}
    scn = scenario([station(f"s{i}", c, line="L") for i, c in enumerate(cycles)], days=WINDOW_DAYS,
                   warmup=0.1, lines=line)
    res = simulate(scn, 1)
    assert completions_match(res.scalars["completed"], period), (res.scalars["completed"], WINDOW_S / period)
    edge = 2 * period / WINDOW_S
    for i, c in enumerate(cycles):
        r = row(res, f"s{i}")
        assert completions_match(r.completions, period)
        # a line station works its own cycle once per index and waits out the rest
        assert r.share_working == pytest.approx(c / period, abs=edge)


def test_paced_line_feeding_a_slower_free_station_is_throttled():
    # Theory: paced line (takt 60) followed by a free station of 75 s behind a one-car buffer:
    # the free station is the bottleneck, the line is blocked at its exit, TH = 1/75.
    scn = scenario([station("a", 50, line="L"), station("b", 55, line="L"), station("c", 75)],
                   days=WINDOW_DAYS, warmup=0.1, lines={"L": {"takt": 60}})
    res = simulate(scn, 1)
    assert completions_match(res.scalars["completed"], 75.0), res.scalars["completed"]
    assert row(res, "c").share_working == pytest.approx(1.0, abs=2 * 75 / WINDOW_S)
