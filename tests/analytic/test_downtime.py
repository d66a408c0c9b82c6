"""Downtime as plants see it: failure modes, outages over many stations, the run-in, each against a known answer.

* Two competing failure modes on an always-busy station (operating clock): the station's down time per unit of
  working time is the sum over the modes of MTTR / MTBF, so its availability is 1 / (1 + sum), and its mean
  repair is the modes' repairs weighted by their rates (the mixture). Statistical: a 99 % t-interval over
  independent replications, widened by a small bias margin for the window's edges.
* An outage of fixed length stops every station it covers for exactly that length (deterministic).
* A store of B places between two stations of equal cycle c, full when an outage of length T stops the upstream
  one: the downstream one starves exactly max(0, T - B c) (deterministic hand calculation).
* The run-in on a deterministic paced line: length x (1 - rate) down at each shift start, and the output that
  follows from it.
"""

import numpy as np
import pytest

from sim.model.flow.outages import FixedOutages, MergedOutages, RandomOutages
from sim.model.replication import simulate
from sim.scenario import validate_scenario

from helpers import CONTINUOUS, ONE_MODEL, assert_in_interval, replicate, row, station


def shop_scenario(stations, *, days, warmup, shifts=None, lines=None, outages=None, run_in=None,
                  buffer_capacity=1):
    shop = {"shifts": shifts or CONTINUOUS, "buffer_capacity": buffer_capacity, "stations": stations}
    for key, value in (("lines", lines), ("outages", outages), ("run_in", run_in)):
        if value is not None:
            shop[key] = value
    return validate_scenario({
        "name": "downtime", "horizon": {"days": days, "warmup_days": warmup},
        "calendar": {"working_days_per_year": 250}, "product": {"models": ONE_MODEL},
        "shops": {"shop": shop}, "target": {"annual_units": 100000}})


# ------------------------------------------------------------------ failure modes

SHORT = {"name": "short stops", "mtbf": "1 h", "mttr": "10 min"}
LONG = {"name": "breakdowns", "mtbf": "4 h", "time_to_repair": {"dist": "lognormal", "mean": "40 min", "sd": "30 min"}}
# sum of MTTR / MTBF = 10/60 + 40/240 = 1/3: availability 3/4; rates 1/60 and 1/240 a minute of work: mean
# repair (10 x 1/60 + 40 x 1/240) / (1/60 + 1/240) = 16 min
AVAILABILITY = 1.0 / (1.0 + 10 / 60 + 40 / 240)
MEAN_REPAIR_S = (10 / 60 + 40 / 240) / (1 / 60 + 1 / 240) * 60


def test_two_modes_give_the_mixture_availability_and_mean_repair():
    scn = shop_scenario([station("a", 60, failures={"modes": [SHORT, LONG]})], days=20, warmup=1)

    def measure(res):
        r = row(res, "a")
        assert r.share_blocked == 0 and r.share_starved == 0
        rows = res.figures["downtime"].rows
        stops = sum(x["stops"] for x in rows)
        assert stops > 300  # enough repairs in a replication for the means to mean something
        assert {x["name"] for x in rows} == {"short stops", "breakdowns"}
        return r.share_working / (r.share_working + r.share_down), sum(x["down_s"] for x in rows) / stops

    values = np.array(replicate(scn, measure, 10))
    assert_in_interval(values[:, 0], AVAILABILITY, 0.003, "availability of two modes")
    assert_in_interval(values[:, 1], MEAN_REPAIR_S, 15.0, "mean repair of two modes")


def test_a_mode_ties_its_own_streams_and_the_single_form_keeps_its_own():
    # the single form draws from {name}.failure / {name}.repair as before; one mode is the same process on its
    # own streams: the same availability in theory, other draws
    single = shop_scenario([station("a", 60, failures={"mtbf": "1 h", "mttr": "10 min"})], days=3, warmup=1)
    one_mode = shop_scenario([station("a", 60, failures={"modes": [SHORT]})], days=3, warmup=1)
    a, b = (simulate(s, 7) for s in (single, one_mode))
    assert row(a, "a").downs != row(b, "a").downs or row(a, "a").share_down != row(b, "a").share_down
    assert "downtime" not in a.figures and "downtime" in b.figures


# ------------------------------------------------------------------ outages

T_OUT, GAP = 1800.0, 36000.0  # every outage 30 min, 10 h after the last one ended


def test_a_line_wide_outage_stops_every_station_it_covers_for_exactly_its_length():
    # outages at 10 h, 20.5 h, 31 h, 41.5 h, 52 h, 62.5 h of (continuous) worked time: the window [24 h, 72 h)
    # holds four whole ones
    outage = {"name": "chain", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s", "covers": ["main"]}
    stations = [station(f"s{k}", 50, line="main") for k in range(3)] + [station("after", 40)]
    res = simulate(shop_scenario(stations, days=2, warmup=1, lines={"main": {"takt": 60}}, outages=[outage]), 1)
    window = res.scalars["window_hours"] * 3600.0
    for k in range(3):
        assert row(res, f"s{k}").share_down * window == pytest.approx(4 * T_OUT, abs=1e-6)
    after = row(res, "after")
    assert after.share_down == 0 and after.share_starved * window >= 4 * T_OUT - 1e-6  # starves through the flow
    outage_row, = [x for x in res.figures["downtime"].rows if x["kind"] == "outage"]
    assert (outage_row["stops"], outage_row["down_s"]) == (4, 4 * T_OUT)
    # the line stood 4 x 30 min for it once, not once per station (its OEE breakdown time)
    assert res.figures["downtime"].line_outages == {"shop|main": 4 * T_OUT}


def test_a_shop_wide_outage_stops_idle_and_busy_free_flow_stations_alike():
    outage = {"name": "power", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s"}
    stations = [station("a", 50), station("b", 30, servers=2)]
    res = simulate(shop_scenario(stations, days=2, warmup=1, outages=[outage]), 1)
    window = res.scalars["window_hours"] * 3600.0
    for name in ("a", "b"):
        assert row(res, name).share_down * window == pytest.approx(4 * T_OUT, abs=1e-6)


@pytest.mark.parametrize("outage_s", [1200.0, 240.0])
def test_a_store_loses_the_outage_beyond_its_stock(outage_s):
    # a -> store of B = 5 -> d, both 60 s. d stands 10 min at each day's start (the run-in, rate 0), so a fills the
    # store; from then on both run in step with the store full. a's outage of T ends every 12 h of worked time (it
    # starts 12 h - T after the last one ended); the window [24 h, 42 h) holds the one from 36 h - T: d works off
    # its car and the B stored ones, then starves until a's next car, exactly max(0, T - B x 60 s).
    B, c = 5, 60.0
    outage = {"name": "a down", "time_between": f"{12 * 3600 - outage_s} s", "time_to_repair": f"{outage_s} s",
              "covers": ["a"]}
    stations = [station("a", c), station("d", c, buffer_before=B)]
    scn = shop_scenario(stations, days=0.75, warmup=1, outages=[outage],
                        run_in={"length": "10 min", "rate": 0, "covers": ["d"]})
    res = simulate(scn, 1)
    window = res.scalars["window_hours"] * 3600.0
    d = row(res, "d")
    assert d.share_starved * window == pytest.approx(max(0.0, outage_s - B * c), abs=1e-6)
    assert d.share_down * window == pytest.approx(600.0, abs=1e-6)  # the run-in at 24 h
    assert d.share_working * window == pytest.approx(window - 600.0 - max(0.0, outage_s - B * c), abs=1e-6)


# ------------------------------------------------------------------ run-in

@pytest.mark.parametrize("start_up, cars_a_day", [(None, 940), (600, 920)])
def test_the_run_in_by_hand_on_a_deterministic_line(start_up, cars_a_day):
    # two 8 h shifts from 06:00; a paced line at takt 60 s. The run-in of 20 min at half speed is a 10 min stand
    # at each shift start (after a start-up break, if the shift begins with one): 20 min down a day at each
    # station, and 2 x (8 h - 10 min) / 60 s = 940 cars a day instead of 960 (920 with a 10 min start-up break).
    shifts = {"count": 2, "start": "06:00", "length": "8 h"}
    if start_up is not None:
        shifts["breaks"] = [{"after": 0, "length": start_up}]
    stations = [station("s0", 50, line="main"), station("s1", 55, line="main")]
    scn = shop_scenario(stations, days=4, warmup=1, shifts=shifts, lines={"main": {"takt": 60}},
                        run_in={"length": "20 min", "rate": 0.5})
    res = simulate(scn, 1)
    window = res.scalars["window_hours"] * 3600.0
    for name in ("s0", "s1"):
        assert row(res, name).share_down * window == pytest.approx(4 * 2 * 600.0, abs=1e-6)
    assert row(res, "s1").completions == pytest.approx(4 * cars_a_day, abs=1)
    run_in, = res.figures["downtime"].rows
    assert (run_in["kind"], run_in["stops"], run_in["down_s"]) == ("run_in", 8, 8 * 600.0)


# ------------------------------------------------------------------ the shared schedule

def test_fixed_outages_cut_worked_time_and_map_it_back():
    fixed = FixedOutages([(30, 35), (10, 20), (35, 40), (100, 101)], "dated")
    assert list(fixed.pieces(0, 200)) == [(0, 10, False), (10, 20, True), (20, 30, False), (30, 40, True),
                                          (40, 100, False), (100, 101, True), (101, 200, False)]
    assert [fixed.free(w) for w in (5, 15, 25, 45, 200)] == [5, 10, 15, 25, 179]
    assert [fixed.back(u) for u in (5, 10, 11, 25)] == [5, 10, 21, 45]  # before an outage that starts there
    merged = MergedOutages([fixed, FixedOutages([(15, 25), (50, 60)])])
    assert [(a, b) for a, b, down in merged.pieces(0, 70) if down] == [(10, 25), (30, 40), (50, 60)]
    with pytest.raises(ValueError, match="end after its start"):
        FixedOutages([(5, 5)])


def test_random_outages_are_drawn_in_shift_time():
    draws = iter([100.0, 10.0, 50.0, 5.0])
    schedule = RandomOutages(lambda: next(draws), lambda: next(draws), "x")
    # between 100, repair 10, between 50, repair 5: [100, 110), [160, 165)
    assert schedule.interval(0) == (100.0, 110.0)


def test_a_schedule_grows_only_as_far_as_it_is_read():
    """Reading the outage-free time at one moment again and again draws nothing new: the schedule holds the
    intervals up to the moment read and the one after it, however often a station asks."""
    schedule = RandomOutages(lambda: 100.0, lambda: 10.0, "every 110 s")  # [100, 110), [210, 220), ...
    for _ in range(1000):
        assert schedule.free(555.0) == 505.0  # five outages of 10 s before 555 s, the sixth starting at 650
    assert len(schedule.starts) == 6
    assert sum(down for _, _, down in schedule.pieces(0.0, 700.0)) == 6 and len(schedule.starts) == 7
