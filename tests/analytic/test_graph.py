"""The plant as a graph against known answers: joins of feeders, parts for each car, parallel sections,
stations only some cars visit, and the static capacity of all of them.

Deterministic cases are checked exactly: with fixed cycle times the plant settles into a periodic
regime within the warm-up, and any half-open window whose length is a multiple of the period holds
exactly the same number of events, so counts over the 3-day window (259,200 s) are exact and state
shares exact up to one cycle at the window's edges (checked to 1e-9 where the window is a multiple of
the period and the edges fall on the same phase, else to one cycle / window).

Stochastic cases are small continuous-time Markov chains built and solved in the test (generator
matrix Q over the reachable states, pi Q = 0, sum pi = 1), compared with a 99 % t-interval over
independent replications (fixed seeds: never flaky), widened by a bias margin of 0.3 % of the
quantity for the half-day warm-up from an empty plant (the chains mix within minutes) and the +-1
car at the window's edges, as in test_blocking.
"""

import itertools

import numpy as np
import pytest

from helpers import (CONTINUOUS, ONE_MODEL, assert_in_interval, buffer_row, expo, replicate, row, station,
                     throughput_per_s, two_station_bas_throughput)
from sim.analysis.capacity import shop_capacity, station_capacity
from sim.model.flow import graph
from sim.scenario.days import plant_days
from sim.model.flow.car import Car, InvariantError, Part
from sim.model.flow.graph import Join
from sim.model.builder import build_plant
from sim.model.replication import simulate
from sim.scenario import validate_scenario

WINDOW = 3 * 86400.0
"""The measured window of ``graph_scenario``'s default horizon (3 days after a day of warm-up)."""

AB = [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]


def graph_scenario(stations, *, feeders=None, lines=None, models=None, options=None, days=3, warmup=1,
                   buffer_capacity=2, launch=None, sequence="levelled"):
    """A validated one-shop scenario with feeders, parallel sections and options; every day worked."""
    shop = {"shifts": CONTINUOUS, "buffer_capacity": buffer_capacity, "stations": stations}
    if feeders:
        shop["feeders"] = feeders
    if lines:
        shop["lines"] = lines
    product = {"models": models or ONE_MODEL, "sequence": sequence}
    if options:
        product["options"] = options
    raw = {"name": "graph", "horizon": {"days": days, "warmup_days": warmup},
           "calendar": {"working_days_per_year": 250}, "product": product, "shops": {"shop": shop},
           "target": {"annual_units": 100000}}
    if launch is not None:
        raw["launch"] = {"interarrival": launch}
    return validate_scenario(raw)


def stock(joins, *stations, buffer=None):
    """A feeder built to stock."""
    feeder = {"joins": joins, "built": "to_stock", "stations": list(stations)}
    if buffer is not None:
        feeder["buffer"] = buffer
    return feeder


def stationary(rates: dict, states: list) -> dict:
    """Stationary law of a CTMC given by its transition rates {(from, to): rate} over ``states``.

    The chain must be irreducible (an absorbing or unreachable state would make the solution depend
    on the solver): checked through the rank of Q; and the solution solves pi Q = 0 to rounding.
    """
    index = {s: i for i, s in enumerate(states)}
    n = len(states)
    q = np.zeros((n, n))
    for (a, b), rate in rates.items():
        if a != b:
            q[index[a], index[b]] += rate
    q -= np.diag(q.sum(axis=1))
    assert np.linalg.matrix_rank(q) == n - 1, "the chain is not irreducible"
    a = np.vstack([q.T, np.ones(n)])
    b = np.zeros(n + 1)
    b[-1] = 1.0
    pi = np.linalg.lstsq(a, b, rcond=None)[0]
    assert pi.min() > -1e-12 and np.abs(pi @ q).max() <= 1e-12 * np.abs(q).max()
    return dict(zip(states, pi))


# ================================================================ 1. a join of deterministic feeders

@pytest.mark.parametrize("slow_first", [False, True])
@pytest.mark.parametrize("parts_buffer", [0, 2])
def test_join_of_two_deterministic_feeders_runs_at_the_slower_feeders_rate(slow_first, parts_buffer):
    # a (30 s) -> join (20 s); feeders f_fast (40 s) and f_slow (60 s) built to stock join it.
    # The join needs a part of each per car: it runs at the slower feeder's rate, 1 car / 60 s, and
    # waits for that feeder 60 - 20 = 40 s of every 60 (share 2/3); the fast feeder is blocked 20 s
    # of every 60 (its part waiting at the join, or held on its station with a zero buffer).
    fast = stock("join", station("fa", 40), buffer=parts_buffer)
    slow = stock("join", station("sa", 60), buffer=parts_buffer)
    feeders = {"f_slow": slow, "f_fast": fast} if slow_first else {"f_fast": fast, "f_slow": slow}
    res = simulate(graph_scenario([station("a", 30), station("join", 20)], feeders=feeders), 1)
    assert res.scalars["completed"] == WINDOW / 60 == 4320
    join, fa, sa, a = row(res, "join"), row(res, "fa"), row(res, "sa"), row(res, "a")
    assert join.completions == fa.completions == sa.completions == 4320
    assert join.share_working == pytest.approx(20 / 60, abs=1e-9)
    assert join.share_feeder == pytest.approx(40 / 60, abs=1e-9)
    assert join.share_starved == join.share_blocked == 0
    assert join.starved_by == "f_slow"
    assert join.starved_by_share == pytest.approx(40 / 60, abs=1e-9)
    assert sa.share_working == pytest.approx(1.0, abs=1e-9) and sa.share_blocked == 0
    assert fa.share_working == pytest.approx(40 / 60, abs=1e-9)
    assert fa.share_blocked == pytest.approx(20 / 60, abs=1e-9)
    # the main flow's a is blocked behind the join: works 30 of 60 s
    assert a.share_working == pytest.approx(0.5, abs=1e-9) and a.share_blocked == pytest.approx(0.5, abs=1e-9)
    for feeder in ("f_fast", "f_slow"):
        parts = buffer_row(res, f"shop.{feeder}->join")
        assert parts.kind == "parts" and parts.max_ever <= parts_buffer
    # with a buffer the fast feeder's parts wait at the join: it is full all the time, the slow one empty
    if parts_buffer:
        assert buffer_row(res, "shop.f_fast->join").mean_level == pytest.approx(parts_buffer)
        assert buffer_row(res, "shop.f_slow->join").mean_level == 0


def test_starved_by_share_counts_the_wait_still_open_at_the_end():
    # The join waits for f2 over [20, 60) of each 60 s; the window ends at 345,600 s = 0 (mod 60),
    # during a wait. With one feeder starving the join, starved_by_share is its share_feeder.
    feeders = {"f1": stock("join", station("f1a", 40)), "f2": stock("join", station("f2a", 60))}
    res = simulate(graph_scenario([station("a", 30), station("join", 20)], feeders=feeders), 1)
    join = row(res, "join")
    assert join.share_feeder == pytest.approx(2 / 3, abs=1e-12)
    assert join.starved_by_share == pytest.approx(join.share_feeder, abs=1e-12)


# ================================================================ 2. a join of exponential feeders, zero buffers

def join_chain(l1: float, l2: float, mu: float) -> dict:
    """Exact law of: two exponential feeders (rates l1, l2), zero parts buffers, joining an exponential
    station (rate mu) that is the shop's first station (the pull launch always has a car for it).

    The join takes its car, then f1's part, then f2's part, one after the other (the engine's order:
    the feeders as declared), then works. A feeder is working (0) or holds its finished part blocked
    (1) until the join takes it, and starts the next part at once. States:
      ('W1', f2): the join waits for f1's part (f1 working); f2 working or holding its part;
      ('W2', f1): the join has f1's part and waits for f2's (f2 working); f1 already on the next part;
      ('B', f1, f2): the join works.
    Returns throughput mu P(B), the shares of time waiting for f1 and for f2, and each feeder's
    blocked share.
    """
    states = [("W1", 0), ("W1", 1), ("W2", 0), ("W2", 1)] + [("B", a, b) for a in (0, 1) for b in (0, 1)]
    rates = {}

    def add(a, b, rate):
        rates[(a, b)] = rates.get((a, b), 0.0) + rate

    for f2 in (0, 1):
        # f1's part arrives: the join takes it (f1 restarts) and then f2's, if it is there
        add(("W1", f2), ("B", 0, 0) if f2 else ("W2", 0), l1)
    add(("W1", 0), ("W1", 1), l2)
    for f1 in (0, 1):
        add(("W2", f1), ("B", f1, 0), l2)
    add(("W2", 0), ("W2", 1), l1)
    for f1, f2 in itertools.product((0, 1), repeat=2):
        here = ("B", f1, f2)
        if not f1:
            add(here, ("B", 1, f2), l1)
        if not f2:
            add(here, ("B", f1, 1), l2)
        # the car leaves, the next is taken at once; its parts: f1's first, then f2's
        add(here, (("B", 0, 0) if f2 else ("W2", 0)) if f1 else ("W1", f2), mu)
    pi = stationary(rates, states)
    return {
        "throughput": mu * sum(p for s, p in pi.items() if s[0] == "B"),
        "wait_f1": sum(p for s, p in pi.items() if s[0] == "W1"),
        "wait_f2": sum(p for s, p in pi.items() if s[0] == "W2"),
        "blocked_f1": sum(p for s, p in pi.items() if (s[0] == "W2" and s[1]) or (s[0] == "B" and s[1])),
        "blocked_f2": sum(p for s, p in pi.items() if (s[0] == "W1" and s[1]) or (s[0] == "B" and s[2])),
    }


def test_join_chain_reduces_to_the_two_station_line():
    # a feeder that is never late leaves a two-station line (other feeder -> join, no buffer)
    l1, mu = 1 / 50, 1 / 40
    assert join_chain(l1, 1e6, mu)["throughput"] == pytest.approx(two_station_bas_throughput(l1, mu, 0), rel=1e-5)
    assert join_chain(1e6, l1, mu)["throughput"] == pytest.approx(two_station_bas_throughput(l1, mu, 0), rel=1e-5)
    # and the throughput is below each of the three rates
    chain = join_chain(1 / 50, 1 / 60, 1 / 40)
    assert chain["throughput"] < 1 / 60


@pytest.mark.parametrize("mean1, mean2, mean_join", [(50, 60, 40), (45, 45, 30)])
def test_join_of_exponential_feeders_with_zero_buffers_matches_its_markov_chain(mean1, mean2, mean_join):
    # The join is the first station (pull launch: never short of a car) and the last (never blocked).
    feeders = {"f1": stock("join", station("f1a", expo(mean1)), buffer=0),
               "f2": stock("join", station("f2a", expo(mean2)), buffer=0)}
    scn = graph_scenario([station("join", expo(mean_join))], feeders=feeders, days=4, warmup=0.5)
    chain = join_chain(1 / mean1, 1 / mean2, 1 / mean_join)

    named = []

    def measure(res):
        join, f1, f2 = row(res, "join"), row(res, "f1a"), row(res, "f2a")
        assert join.share_starved == 0 and join.share_blocked == 0
        assert f1.share_starved == 0 and f2.share_starved == 0  # built to stock: always a part to start
        named.append(join.starved_by)
        return throughput_per_s(res), join.share_feeder, f1.share_blocked, f2.share_blocked, join.starved_by_share

    values = np.array(replicate(scn, measure, 12, seed=2024))
    th = chain["throughput"]
    assert_in_interval(values[:, 0], th, 0.003 * th, f"join TH f1=1/{mean1} f2=1/{mean2} join=1/{mean_join}")
    waiting = chain["wait_f1"] + chain["wait_f2"]
    assert_in_interval(values[:, 1], waiting, 0.003 * waiting, "join share_feeder")
    assert_in_interval(values[:, 2], chain["blocked_f1"], 0.003 * chain["blocked_f1"], "f1 blocked share")
    assert_in_interval(values[:, 3], chain["blocked_f2"], 0.003 * chain["blocked_f2"], "f2 blocked share")
    # The feeder waited for longest is named, with its share. The chain says which: in both cases here
    # the two waits differ by over 0.02 (with equal feeders, f1 is waited for longer: its part is taken
    # first, so f2's is often already there).
    assert abs(chain["wait_f1"] - chain["wait_f2"]) > 0.02
    longest = "f1" if chain["wait_f1"] > chain["wait_f2"] else "f2"
    assert named == [longest] * len(named)
    share = chain[f"wait_{longest}"]
    assert_in_interval(values[:, 4], share, 0.003 * share, f"join starved_by_share ({longest})")


# ================================================================ 3. the car's own part, taken off and refitted

def doors_on_a_paced_line():
    """Doors come off at l1 and go back at l4 of a paced line; the door line is random (exponential,
    per model), the main flow around it too, and the mix is drawn at random."""
    return graph_scenario(
        [station("s0", expo(50)),
         {"name": "l1", "line": "L", "cycle_time": 50}, {"name": "l2", "line": "L", "cycle_time": {"A": 45, "B": 55}},
         {"name": "l3", "line": "L", "cycle_time": 50}, {"name": "l4", "line": "L", "cycle_time": 50},
         station("out", expo(40))],
        lines={"L": {"takt": 60}}, models=[{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}],
        sequence="random",
        feeders={"doors": {"taken_off_at": "l1", "joins": "l4", "buffer": 2, "stations": [
            station("d1", expo(45)), station("d2", {"A": expo(40), "B": expo(50)}, buffer_before=1)]}})


def doors_around_a_paced_line():
    """Doors come off at a free-flow station, the car rides a paced line, and they go back at a
    free-flow station with zero buffers in front of it and of the doors."""
    return graph_scenario(
        [station("s0", expo(50)), station("s1", expo(45)), station("s2", expo(50)),
         {"name": "l1", "line": "L", "cycle_time": 40}, {"name": "l2", "line": "L", "cycle_time": 40},
         station("s3", expo(40), buffer_before=0), station("out", expo(40))],
        lines={"L": {"takt": 55}}, models=AB, sequence="random",
        feeders={"doors": {"taken_off_at": "s1", "joins": "s3", "buffer": 0,
                           "stations": [station("d1", expo(45)), station("d2", expo(50))]}})


def run_plant(scn, seed: int):
    plant = build_plant(scn, plant_days(scn.calendar, scn.horizon), seed, 0)
    plant.run()
    return plant


@pytest.mark.parametrize("layout", [doors_on_a_paced_line, doors_around_a_paced_line])
def test_every_car_leaves_with_its_own_doors(layout):
    scn = layout()
    join = "l4" if layout is doors_on_a_paced_line else "s3"
    for seed in (1, 2, 3):
        # the engine checks it as it runs: a door fitted to another car (Join.fit), or a car leaving
        # the plant without its doors (Plant.complete), raises InvariantError
        plant = run_plant(scn, seed)
        assert len(plant.completed) > 1000 and not plant.deadlocked
        record = plant.feeders["shop.doors"]
        assert record.join.fitted > 1000
        parts = next(b for b in plant.buffers if b.name == f"shop.doors->{join}")
        assert parts.kind == "parts" and parts.monitor.max_ever <= parts.capacity
        # conservation at the end of the run: every door taken off is fitted or in the door line
        # (call-offs, buffers, stations), and the doors in the door line are exactly those of the
        # cars in the plant that miss them, one each
        inside = [u for b in record.buffers for u in b.items] + [u for n in record.nodes for u in n.cars()]
        assert all(type(p) is Part and p.car is not None for p in inside)
        assert record.source.sent == record.join.fitted + len(inside)
        cars = [c for n in plant.all_nodes() if n not in record.nodes for c in n.cars()]
        cars += [c for b in plant.buffers if b not in record.buffers for c in b.items]
        assert all(type(c) is Car for c in cars) and len(cars) == plant.cars_inside()
        assert all(c.away in (0, 1) for c in cars)
        assert sorted(id(p.car) for p in inside) == sorted(id(c) for c in cars if c.away)
        # and the cars' own count: launched = finished + inside
        assert plant.launch.launched == plant.completed_total + len(cars)


def test_join_fit_refuses_a_part_of_another_car():
    own = Car(0, False, 0.0)
    other = Car(0, False, 0.0)
    for own_part in (True, False):  # the car's own doors, or a part built in sequence for it
        join = Join(feeder="doors", buffer=None, position=0, matched=True, own=own_part, visits=None, where="shop.l4")
        own.away = other.away = 1
        with pytest.raises(InvariantError, match="shop.l4: a part of feeder doors built for another car"):
            join.fit(Part(own), other)
        assert join.fitted == 0 and other.away == 1
        join.fit(Part(own), own)
        assert join.fitted == 1 and own.away == (0 if own_part else 1)
    # a part for a car fitted to another feeder's part for the same car (a sub-assembly) is fine
    join = Join(feeder="f", buffer=None, position=0, matched=True, own=False, visits=None, where="shop.c1")
    join.fit(Part(own), Part(own))
    # common parts (built to stock) fit any car
    stock_join = Join(feeder="f", buffer=None, position=0, matched=False, own=False, visits=None, where="shop.j")
    stock_join.fit(Part(None), other)
    assert stock_join.fitted == 1


@pytest.mark.parametrize("layout", [doors_on_a_paced_line, doors_around_a_paced_line])
def test_a_door_sent_for_another_car_is_caught(monkeypatch, layout):
    monkeypatch.setenv("SIM_ENGINE", "simpy")  # the SimPy processes' own parts, patched below
    # the door line is handed a part that belongs to a stranger instead of the car's own doors
    monkeypatch.setattr(graph, "Part", lambda car: Part(Car(car.model, False, 0.0, car.variant)))
    with pytest.raises(InvariantError, match="built for another car"):
        simulate(layout(), 1)


def test_a_car_leaving_without_its_doors_is_caught(monkeypatch):
    monkeypatch.setenv("SIM_ENGINE", "simpy")  # the SimPy processes' own parts, patched below
    # a join that counts the door as fitted but never gives it back to the car
    def forgetful_fit(self, part, unit):
        self.fitted += 1

    monkeypatch.setattr(Join, "fit", forgetful_fit)
    with pytest.raises(InvariantError, match="left the plant without its own parts"):
        simulate(doors_around_a_paced_line(), 1)


def test_in_sequence_part_for_another_car_is_caught(monkeypatch):
    monkeypatch.setenv("SIM_ENGINE", "simpy")  # the SimPy processes' own parts, patched below
    monkeypatch.setattr(graph, "Part", lambda car: Part(Car(car.model, False, 0.0, car.variant)))
    scn = graph_scenario([station("s1", 30), station("s2", 30), station("join", 20)],
                         feeders={"cockpit": {"joins": "join", "stations": [station("c1", 25)]}})
    with pytest.raises(InvariantError, match="cockpit built for another car"):
        simulate(scn, 1)


def doors_on_carriers(layout: str, carriers):
    """Doors taken off on a slow doors line (one door set every 200 s) with ``carriers`` carriers (None: no limit),
    buffers of 10. ``free_flow``: s1 (10 s, takes the doors off) -> s2 (10 s) -> join (10 s); ``paced``: a paced
    line l1, l2 (takt 60 s, the doors come off at l1) -> join (10 s)."""
    doors = {"taken_off_at": "s1" if layout == "free_flow" else "l1", "joins": "join", "buffer": 10,
             "stations": [station("d1", 200)]}
    if carriers is not None:
        doors["carriers"] = carriers
    if layout == "free_flow":
        return graph_scenario([station("s1", 10), station("s2", 10), station("join", 10)],
                              feeders={"doors": doors}, buffer_capacity=10)
    return graph_scenario([{"name": "l1", "line": "L", "cycle_time": 50}, {"name": "l2", "line": "L", "cycle_time": 50},
                           station("join", 10)], lines={"L": {"takt": 60}}, feeders={"doors": doors},
                          buffer_capacity=10)


@pytest.mark.parametrize("layout, period, k", [("free_flow", 10, 1), ("free_flow", 10, 2), ("free_flow", 10, 3),
                                               ("paced", 60, 2), ("paced", 60, 3)])
def test_take_off_stops_when_every_carrier_is_out(monkeypatch, layout, period, k):
    monkeypatch.setenv("SIM_ENGINE", "simpy")  # the SimPy processes' own parts, patched below
    # car n is done at the take-off at n x period and takes carrier n; door 1 is back on its car at the join at
    # period + 200 s (later than (k + 1) x period for every k here): the take-off stops when car k + 1 is done, at
    # (k + 1) x period, with the k doors out, and waits there (state feeder) until door 1 is refitted. (One
    # carrier on the paced line would jam it for good: the line would stand for it with car 1, doors off, at l2.)
    stops = []
    real = graph.Carriers.freed

    def freed(self):
        stops.append((self.env.now, self.in_use))
        return real(self)

    monkeypatch.setattr(graph.Carriers, "freed", freed)
    plant = run_plant(doors_on_carriers(layout, k), 1)
    assert stops[0] == ((k + 1) * period, k) and not plant.deadlocked
    carriers = plant.feeders["shop.doors"].source.carriers
    assert carriers.count == k and 0 <= carriers.in_use <= k
    # in the long run the doors line sets the rate, one car every 200 s; the take-off stands the rest of it
    # waiting for a carrier (state feeder), never blocked: at most k cars are between it and the join
    res = simulate(doors_on_carriers(layout, k), 1)
    assert res.scalars["completed"] == WINDOW / 200
    take_off = row(res, "s1" if layout == "free_flow" else "l1")
    assert take_off.share_feeder == pytest.approx((200 - period) / 200, abs=1e-9)
    assert take_off.share_blocked == pytest.approx(0.0, abs=1e-9)
    assert row(res, "d1").share_working == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("layout", ["free_flow", "paced"])
def test_take_off_without_carriers_never_waits_for_one(monkeypatch, layout):
    monkeypatch.setenv("SIM_ENGINE", "simpy")  # the SimPy processes' own parts, patched below
    # the same plant without carriers: the doors line still sets the rate, but the take-off never waits for a
    # carrier: it is blocked by the full buffers in front of the join
    monkeypatch.setattr(graph.Carriers, "freed", lambda self: pytest.fail("waited for a carrier"))
    plant = run_plant(doors_on_carriers(layout, None), 1)
    assert plant.feeders["shop.doors"].source.carriers is None
    res = simulate(doors_on_carriers(layout, None), 1)
    assert res.scalars["completed"] == WINDOW / 200
    take_off = row(res, "s1" if layout == "free_flow" else "l1")
    assert take_off.share_feeder == 0 and take_off.share_blocked > 0.5


def free_flow_take_off_before_a_paced_line(carriers: int):
    """s1 (10 s, takes the doors off) -> paced line l1, l2 (takt 60 s) -> join (10 s); doors line d1 (30 s)."""
    doors = {"taken_off_at": "s1", "joins": "join", "buffer": 10, "carriers": carriers,
             "stations": [station("d1", 30)]}
    return graph_scenario([station("s1", 10), {"name": "l1", "line": "L", "cycle_time": 50},
                           {"name": "l2", "line": "L", "cycle_time": 50}, station("join", 10)],
                          lines={"L": {"takt": 60}}, feeders={"doors": doors}, buffer_capacity=10)


def test_carriers_the_loader_refuses_jam_and_one_more_runs():
    # the loader's rule (scenario/shop_references._check_carriers) is tight: with 1 carrier (forced past the
    # loader) the line waits for a car to enter with car 1 at l2, its doors out (refitted only at the join after
    # the line's next index), while s1 stands with car 2 for that carrier: a jam; with 2 the line runs at its takt
    jammed = free_flow_take_off_before_a_paced_line(2)
    object.__setattr__(jammed.shops["shop"].feeders["doors"], "carriers", 1)  # frozen: past the loader on purpose
    assert run_plant(jammed, 1).deadlocked
    plant = run_plant(free_flow_take_off_before_a_paced_line(2), 1)
    assert not plant.deadlocked and len(plant.completed) > 1000
    res = simulate(free_flow_take_off_before_a_paced_line(2), 1)
    assert res.scalars["completed"] == pytest.approx(WINDOW / 60, abs=2)


def test_carriers_in_use_beyond_their_number_are_caught():
    carriers = graph.Carriers(None, 1, "shop.doors carriers")
    carriers.take()
    with pytest.raises(InvariantError, match="shop.doors carriers: 2 carriers in use, more than the 1"):
        carriers.take()


# ================================================================ 4. feeders building in sequence

def in_sequence_free_flow(feeder_cycle):
    """s1, s2, s3 (30 s each) -> join (20 s) -> out; the cockpit is called off as a car leaves s1
    (the default: the shop's first station) and built in ``feeder_cycle`` s."""
    cockpit = {"joins": "join", "buffer": 1, "stations": [station("c1", feeder_cycle)]}
    return graph_scenario([station("s1", 30), station("s2", 30), station("s3", 30), station("join", 20),
                           station("out", 10)], feeders={"cockpit": cockpit})


def in_sequence_paced(feeder_cycle):
    """s1 (30 s) -> paced line l1, l2, l3 (takt 60 s); the cockpit is called off as a car leaves l1
    and fitted at l3, two indexes later."""
    return graph_scenario([station("s1", 30), {"name": "l1", "line": "L", "cycle_time": 50},
                           {"name": "l2", "line": "L", "cycle_time": 40},
                           {"name": "l3", "line": "L", "cycle_time": 50}],
                          lines={"L": {"takt": 60}},
                          feeders={"cockpit": {"joins": "l3", "called_off_at": "l1", "buffer": 1,
                                               "stations": [station("c1", feeder_cycle)]}})


def test_in_sequence_feeder_slower_than_the_main_flow_sets_the_rate():
    # free flow: cars pile up before the join, each one's cockpit ordered long before it is needed;
    # the cockpit line is never idle and the join gets one every 50 s: waits 30 of them
    res = simulate(in_sequence_free_flow(50), 1)
    assert res.scalars["completed"] == WINDOW / 50 == 5184
    join, c1 = row(res, "join"), row(res, "c1")
    assert c1.share_working == pytest.approx(1.0, abs=1e-9)
    assert join.share_feeder == pytest.approx(30 / 50, abs=1e-9) and join.starved_by == "cockpit"
    assert join.share_working == pytest.approx(20 / 50, abs=1e-9)
    # paced: the line stands while l3's cockpit is missing: one index every 72 s = 12 s waiting + 60 s takt,
    # the whole line (every station) in state feeder
    res = simulate(in_sequence_paced(72), 1)
    assert res.scalars["completed"] == WINDOW / 72 == 3600
    for name, cycle in (("l1", 50), ("l2", 40), ("l3", 50)):
        st = row(res, name)
        assert st.completions == 3600
        assert st.share_feeder == pytest.approx(12 / 72, abs=1e-9) and st.starved_by == "cockpit"
        assert st.share_working == pytest.approx(cycle / 72, abs=1e-9)
    assert row(res, "c1").share_working == pytest.approx(1.0, abs=1e-9)


def test_in_sequence_feeder_faster_than_the_main_flow_is_never_waited_for():
    # free flow: a cockpit ordered as a car leaves s1 is ready 25 s later, the car reaches the join
    # 60 s later: the main rate (1 / 30 s), never a wait
    res = simulate(in_sequence_free_flow(25), 1)
    assert res.scalars["completed"] == WINDOW / 30 == 8640
    assert (res.stations.share_feeder == 0).all() and res.stations.starved_by.isna().all()
    assert row(res, "c1").share_working == pytest.approx(25 / 30, abs=1e-9)
    # paced: built in 50 s, needed two indexes (120 s) after the call-off: the takt's rate
    res = simulate(in_sequence_paced(50), 1)
    assert res.scalars["completed"] == WINDOW / 60 == 4320
    assert (res.stations.share_feeder == 0).all() and res.stations.starved_by.isna().all()
    assert row(res, "c1").share_working == pytest.approx(50 / 60, abs=1e-9)


def test_in_sequence_feeder_on_a_paced_line_pushes_its_last_part_out():
    # s1, s2, s3 (60 s each) -> join (30 s); the cockpit is built on a paced line of 4 positions
    # (15 s of work, takt 20 s), called off as a car leaves s1. The feeder's line indexes on while parts
    # remain on it (it does not wait for the next order to move them): a part is at the join 4 x 20 = 80 s
    # after its call-off, its car 120 s after: the join never waits, the part waits 40 s of every 60.
    cockpit = {"joins": "join", "buffer": 1,
               "stations": [{"name": f"p{i}", "line": "F", "cycle_time": 15} for i in range(1, 5)]}
    res = simulate(graph_scenario([station("s1", 60), station("s2", 60), station("s3", 60), station("join", 30)],
                                  lines={"F": {"takt": 20}}, feeders={"cockpit": cockpit}), 1)
    assert res.scalars["completed"] == WINDOW / 60 == 4320
    assert (res.stations.share_feeder == 0).all()
    assert buffer_row(res, "shop.cockpit->join").mean_level == pytest.approx(40 / 60, abs=1e-9)
    for k in range(1, 5):  # each position holds one part for one index of every 60 s
        p = row(res, f"p{k}")
        assert p.completions == 4320
        assert p.share_working == pytest.approx(15 / 60, abs=1e-9)
        assert p.share_paced == pytest.approx(5 / 60, abs=1e-9)


def test_in_sequence_part_is_called_off_when_the_car_is_done_at_the_call_off_station():
    # s1 (10 s) -> join (60 s, no buffer in front); the cockpit (50 s) is called off at s1. The order goes
    # out when a car is done at s1, before it waits there, blocked, for the join: the cockpit has the
    # 50 s it needs while the car waits, so the join never waits for it: one car every 60 s.
    scn = graph_scenario([station("s1", 10), station("join", 60, buffer_before=0)],
                         feeders={"cockpit": {"joins": "join", "buffer": 1, "stations": [station("c1", 50)]}})
    res = simulate(scn, 1)
    assert res.scalars["completed"] == WINDOW / 60
    assert row(res, "join").share_feeder == 0


# ================================================================ 5. parallel sections

@pytest.mark.parametrize("rule", ["alternate", "shortest_queue"])
def test_equal_deterministic_branches_give_the_sum_of_their_rates(rule):
    # a (10 s) splits over two branches of 40 s each and merges into z (5 s): 2 / 40 cars a second
    res = simulate(graph_scenario([station("a", 10), {"parallel": "P", "rule": rule, "branches": [
        {"name": "x", "stations": [station("x1", 40)]}, {"name": "y", "stations": [station("y1", 40)]}]},
        station("z", 5)]), 1)
    assert res.scalars["completed"] == 2 * WINDOW / 40 == 12960
    assert row(res, "x1").completions == row(res, "y1").completions == 6480
    assert row(res, "x1").share_working == row(res, "y1").share_working == pytest.approx(1.0, abs=1e-9)
    # three branches, one of them of two stations (40 s then 30 s): still 3 / 40
    res = simulate(graph_scenario([station("a", 10), {"parallel": "P", "rule": rule, "branches": [
        {"name": "x", "stations": [station("x1", 40), station("x2", 30)]},
        {"name": "y", "stations": [station("y1", 40)]}, {"name": "w", "stations": [station("w1", 40)]}]},
        station("z", 5)]), 1)
    assert res.scalars["completed"] == 3 * WINDOW / 40 == 19440
    assert row(res, "x2").share_working == pytest.approx(30 / 40, abs=1e-9)


def split_chain(lam: float | None, mus: list[float], rule: str) -> float:
    """Throughput of: an exponential station (rate lam; None: saturated, a car always ready at once) that
    is the shop's first (pull launch), splitting over branches of one exponential station each (rates
    mus), zero buffers in front of them, the branches the end of the line.

    alternate: the next car goes to the branch whose turn it is; the upstream station holds it (blocked)
    until that branch is free, even if another is. shortest_queue: the car goes to a free branch (with
    zero buffers a branch holds 0 or 1 car; several free ones are taken in turn, from the one after the
    branch used last); with none free it waits for the first to free, which takes it.
    State: (upstream holds a finished car, busy flag per branch, turn);
    the chain is built over the states reachable from the empty plant.
    """
    n = len(mus)
    alternate = rule == "alternate"

    def offer(busy, turn):
        """The upstream has a finished car: into the branch it may take, or held (blocked)."""
        if alternate:
            if busy[turn]:
                return (1, busy, turn)
            return (0, busy[:turn] + (1,) + busy[turn + 1:], (turn + 1) % n)
        free = [i for i in range(n) if not busy[i]]
        if not free:
            return (1, busy, turn)
        i = min(free, key=lambda b: (b - turn) % n)
        return (0, busy[:i] + (1,) + busy[i + 1:], (i + 1) % n)

    def settle(state):
        """Saturated: an upstream without a car has the next one at once."""
        while lam is None and not state[0]:
            state = offer(state[1], state[2])
        return state

    def moves(state):
        held, busy, turn = state
        if not held:
            yield offer(busy, turn), lam
        for i in range(n):
            if not busy[i]:
                continue
            if held and (not alternate or turn == i):  # branch i frees and takes the held car at once
                yield (0, busy, (i + 1) % n), mus[i]
            else:
                yield (held, busy[:i] + (0,) + busy[i + 1:], turn), mus[i]

    start = settle((0, (0,) * n, 0))
    states, todo, rates = [start], [start], {}
    while todo:
        state = todo.pop()
        for after, rate in moves(state):
            after = settle(after)
            rates[(state, after)] = rates.get((state, after), 0.0) + rate
            if after not in states:
                states.append(after)
                todo.append(after)
    pi = stationary(rates, states)
    return sum(p * sum(mu for mu, b in zip(mus, s[1]) if b) for s, p in pi.items())


def test_split_chain_by_hand():
    mu = 1 / 40
    # saturated, alternate, equal branches: 4 states (turn x/y, the other branch busy or idle), all
    # equally likely; each branch busy 3/4 of the time: 1.5 mu
    assert split_chain(None, [mu, mu], "alternate") == pytest.approx(1.5 * mu, rel=1e-9)
    # saturated, shortest queue: every branch always busy
    assert split_chain(None, [mu, 1 / 60], "shortest_queue") == pytest.approx(mu + 1 / 60, rel=1e-9)
    # the saturated chain is the limit of a fast upstream station
    for rule in ("alternate", "shortest_queue"):
        assert split_chain(1e7, [mu, 1 / 60], rule) == pytest.approx(split_chain(None, [mu, 1 / 60], rule), rel=1e-5)
    # one branch is a two-station line without a buffer
    assert split_chain(1 / 25, [mu], "alternate") == pytest.approx(two_station_bas_throughput(1 / 25, mu, 0))


@pytest.mark.parametrize("upstream_mean", [None, 25])
def test_split_rules_match_their_markov_chains(upstream_mean):
    # Branches x (exponential, mean 40 s) and y (mean 60 s), zero buffers in front of each. Upstream:
    # saturated (a fixed 0.01 s station: a car always ready but for 0.01 s after each hand-over, a bias
    # of about 0.01 / 48 = 0.02 % of the throughput, inside the margin) or exponential (mean 25 s).
    upstream = 0.01 if upstream_mean is None else expo(upstream_mean)
    lam = None if upstream_mean is None else 1 / upstream_mean
    measured = {}
    for rule in ("alternate", "shortest_queue"):
        scn = graph_scenario([station("a", upstream), {"parallel": "P", "rule": rule, "branches": [
            {"name": "x", "stations": [station("x1", expo(40), buffer_before=0)]},
            {"name": "y", "stations": [station("y1", expo(60), buffer_before=0)]}]}], days=3, warmup=0.5)
        theory = split_chain(lam, [1 / 40, 1 / 60], rule)
        values = replicate(scn, throughput_per_s, 10, seed=99)
        measured[rule] = assert_in_interval(values, theory, 0.003 * theory, f"{rule} TH, upstream {upstream}")
    # joining any free branch beats waiting for the branch in turn
    assert measured["shortest_queue"].low > measured["alternate"].high


# ================================================================ 6. routing by model

NEVER = "1000 h"
"""A cycle time that would stop the plant if a car of the wrong model ever came."""


@pytest.mark.parametrize("share_a", [0.5, 2 / 3, 0.75])
def test_by_model_sends_each_model_only_to_its_branch(share_a):
    # a (30 s) -> by_model: A to xa1 (40 s), B to xb1 (80 s) -> z (10 s); a levelled mix (periodic).
    # Rate: the slowest of a (1/30), A's branch (1/40 per A car) and B's (1/80 per B car).
    models = [{"name": "A", "share": share_a}, {"name": "B", "share": 1 - share_a}]
    scn = graph_scenario([station("a", 30), {"parallel": "P", "rule": "by_model", "branches": [
        {"name": "xa", "models": ["A"], "stations": [station("xa1", {"A": 40, "B": NEVER})]},
        {"name": "xb", "models": ["B"], "stations": [station("xb1", {"A": NEVER, "B": 80})]}]},
        station("z", 10)], models=models)
    res = simulate(scn, 1)
    rate = min(1 / 30, (1 / 40) / share_a, (1 / 80) / (1 - share_a))
    total = round(WINDOW * rate)
    assert res.scalars["completed"] == total
    by_model = res.scalars["by_model"]
    assert by_model["A"] == round(total * share_a) and by_model["B"] == total - by_model["A"]
    xa, xb = row(res, "xa1"), row(res, "xb1")
    assert xa.completions == by_model["A"] and xb.completions == by_model["B"]
    # only the right model's time was ever worked there
    assert xa.share_working == pytest.approx(by_model["A"] * 40 / WINDOW, abs=1e-9)
    assert xb.share_working == pytest.approx(by_model["B"] * 80 / WINDOW, abs=1e-9)


# ================================================================ 7. stations only some cars visit

def test_station_visited_by_a_share_of_the_cars_carries_that_share_of_the_load():
    # Launch every 60 s, levelled A B A B. b (100 s) only for model B: load 0.5 x 100 / 60;
    # c (30 s) only for cars with the sunroof, taken by every B and no A: 0.5 x 30 / 60, both exact
    # (the cars reach c at least 40 s apart: no queue, nothing random before it);
    # d (30 s) only for the tow bar, drawn for 40 % of the cars: 0.4 x 30 / 60 within the interval.
    options = [{"name": "sunroof", "take_rate": {"A": 0.0, "B": 1.0}}, {"name": "tow", "take_rate": {"default": 0.4}}]
    scn = graph_scenario([station("a", 30), station("b", 100, models=["B"]), station("c", 30, option="sunroof"),
                          station("d", 30, option="tow"), station("e", 10)],
                         models=AB, options=options, launch=60)

    def measure(res):
        assert abs(res.scalars["completed"] - 4320) <= 1  # d's random work moves a car over an edge
        assert row(res, "a").share_working == pytest.approx(0.5, abs=1e-9)
        b, c, d = row(res, "b"), row(res, "c"), row(res, "d")
        assert b.completions == c.completions == 2160
        assert b.share_working == pytest.approx(0.5 * 100 / 60, abs=1e-9)
        assert c.share_working == pytest.approx(0.5 * 30 / 60, abs=1e-9)
        assert b.share_starved == pytest.approx(1 - 0.5 * 100 / 60, abs=1e-9)  # the A cars pass it by
        # d works 30 s for each car it completes (up to the car in work at an edge)
        assert abs(d.share_working * WINDOW - 30 * d.completions) <= 30 + 1e-6
        return d.share_working

    values = replicate(scn, measure, 10, seed=5)
    # margin: at most one 30 s cycle cut by each edge of the window, 60 / 259200
    assert_in_interval(values, 0.4 * 30 / 60, 60 / WINDOW, "share_working of d (tow bar, take rate 0.4)")


def test_paced_line_station_with_a_visit_rule():
    # l2 works only model B cars; A cars ride through its position with no work. The line still
    # indexes every takt (60 s): the same rate as without the rule; l2 completes only the B cars.
    def line(rule):
        return graph_scenario([station("a", 30), {"name": "l1", "line": "L", "cycle_time": 50},
                               {"name": "l2", "line": "L", "cycle_time": 50, **rule},
                               {"name": "l3", "line": "L", "cycle_time": 50}],
                              lines={"L": {"takt": 60}}, models=AB)

    every, some = simulate(line({}), 1), simulate(line({"models": ["B"]}), 1)
    assert every.scalars["completed"] == some.scalars["completed"] == WINDOW / 60 == 4320
    assert row(every, "l2").completions == 4320 and row(some, "l2").completions == 2160
    assert row(some, "l2").share_working == pytest.approx(0.5 * 50 / 60, abs=1e-9)
    assert row(some, "l2").share_paced == pytest.approx(1 - 0.5 * 50 / 60, abs=1e-9)
    for name in ("l1", "l3"):
        assert row(some, name).share_working == row(every, name).share_working == pytest.approx(50 / 60, abs=1e-9)
    # by an option: the sunroof station of the line works on the cars that carry it, 0.3 of the As
    # and every B (the drawn count lies within the interval; here its exact consistency)
    scn = graph_scenario([station("a", 30), {"name": "l1", "line": "L", "cycle_time": 50},
                          {"name": "l2", "line": "L", "cycle_time": 50, "option": "sunroof"},
                          {"name": "l3", "line": "L", "cycle_time": 50}], lines={"L": {"takt": 60}}, models=AB,
                         options=[{"name": "sunroof", "take_rate": {"A": 0.3, "B": 1.0}}])
    res = simulate(scn, 1)
    l2 = row(res, "l2")
    assert res.scalars["completed"] == 4320
    assert 2160 < l2.completions < 4320
    assert l2.share_working * WINDOW == pytest.approx(50 * l2.completions, abs=50)


# ================================================================ 8. static capacity of the graph

def capacity_scenario(rule="alternate"):
    models = [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]
    return graph_scenario(
        [station("a", 30), station("join", 20),
         {"parallel": "P", "rule": rule, "branches": [
             {"name": "x", "stations": [station("x1", 40), station("x2", 50)]},
             {"name": "y", "stations": [station("y1", 60)]}]},
         station("e0", 10), station("b", 100, models=["B"]), station("c", 90, option="sunroof"),
         station("d", 45, models=["A"], option="sunroof"),
         {"name": "l1", "line": "L", "cycle_time": 50},
         {"name": "l2", "line": "L", "cycle_time": {"A": 40, "B": 55}, "option": "sunroof"}, station("e", 20)],
        lines={"L": {"takt": 60}}, models=models,
        options=[{"name": "sunroof", "take_rate": {"A": 0.3, "B": 1.0}}],
        feeders={"f1": stock("join", station("f1a", 40)),
                 "sub": stock("f1a", station("s1", 25)),
                 "roof": {"joins": "l2", "called_off_at": "l1", "stations": [station("r1", 50)]},
                 "cockpit": {"joins": "e", "called_off_at": "l1", "stations": [station("c1", {"A": 30, "B": 60})]}})


def test_static_capacity_of_feeders():
    table = station_capacity(capacity_scenario()).set_index("station")
    # to stock: one part per car at the join, and a sub-feeder's one per part: its own rate
    for name, cycle in (("f1a", 40), ("s1", 25)):
        assert table.loc[name, "visits_per_car"] == pytest.approx(1.0)
        assert table.loc[name, "cars_per_hour"] == pytest.approx(3600 / cycle)
        assert table.loc[name, "visits_A"] == table.loc[name, "visits_B"] == pytest.approx(1.0)
    # in sequence, per-model times: one per car, at the mix cycle 0.6 x 30 + 0.4 x 60 = 42 s
    assert table.loc["c1", "visits_per_car"] == pytest.approx(1.0)
    assert table.loc["c1", "mix_cycle_s"] == pytest.approx(42.0)
    assert table.loc["c1", "cars_per_hour"] == pytest.approx(3600 / 42)
    # in sequence to a station with the sunroof rule: a part for each car that carries it
    assert table.loc["r1", "visits_A"] == pytest.approx(0.3) and table.loc["r1", "visits_B"] == pytest.approx(1.0)
    assert table.loc["r1", "visits_per_car"] == pytest.approx(0.6 * 0.3 + 0.4)
    assert table.loc["r1", "cars_per_hour"] == pytest.approx(3600 / 50 / (0.6 * 0.3 + 0.4))


def test_static_capacity_of_a_parallel_section():
    table = station_capacity(capacity_scenario("alternate")).set_index("station")
    # alternate: each branch takes every second car, whatever its speed
    for name in ("x1", "x2", "y1"):
        assert table.loc[name, "visits_per_car"] == pytest.approx(0.5)
        assert table.loc[name, "visits_A"] == table.loc[name, "visits_B"] == pytest.approx(0.5)
    # a branch station passes its own rate over its share: x1 90/h -> 180, x2 72/h -> 144, y1 60/h -> 120;
    # the section as a whole: n x the slowest branch's rate, 2 x min(min(90, 72), 60) = 120 cars/h
    assert table.loc["x1", "cars_per_hour"] == pytest.approx(180)
    assert table.loc["x2", "cars_per_hour"] == pytest.approx(144)
    assert table.loc[["x1", "x2", "y1"], "cars_per_hour"].min() == pytest.approx(2 * 60)
    # shortest queue: each branch in proportion to its rate (x 72/h, y 60/h): the section passes the sum
    table = station_capacity(capacity_scenario("shortest_queue")).set_index("station")
    assert table.loc["x1", "visits_per_car"] == pytest.approx(72 / 132)
    assert table.loc["y1", "visits_per_car"] == pytest.approx(60 / 132)
    assert table.loc[["x2", "y1"], "cars_per_hour"].to_numpy() == pytest.approx([132, 132])


def test_static_capacity_visits_by_model_of_visit_rules_and_options():
    table = station_capacity(capacity_scenario()).set_index("station")
    expected = {  # (visits_A, visits_B): by hand from the rules and the take rates {A: 0.3, B: 1.0}
        "a": (1, 1), "e0": (1, 1),
        "b": (0, 1),  # models: [B]
        "c": (0.3, 1),  # option: sunroof
        "d": (0.3, 0),  # models: [A] and option: sunroof
        "l1": (1, 1),
        "l2": (0.3, 1),  # a paced-line station with the option
    }
    for name, (va, vb) in expected.items():
        assert table.loc[name, "visits_A"] == pytest.approx(va), name
        assert table.loc[name, "visits_B"] == pytest.approx(vb), name
        assert table.loc[name, "visits_per_car"] == pytest.approx(0.6 * va + 0.4 * vb), name
    # a free-flow station works only on its visitors: its rate over its visits per car
    assert table.loc["b", "cars_per_hour"] == pytest.approx(3600 / 100 / 0.4)
    assert table.loc["c", "cars_per_hour"] == pytest.approx(3600 / 90 / 0.58)
    assert table.loc["d", "cars_per_hour"] == pytest.approx(3600 / 45 / 0.18)
    # a paced line: every car rides through the optioned position; its mean cycle is over its visitors,
    # (0.18 x 40 + 0.4 x 55) / 0.58, and the line's rate is the takt's, 60 cars/h
    assert table.loc["l2", "mix_cycle_s"] == pytest.approx((0.18 * 40 + 0.4 * 55) / 0.58)
    assert table.loc["l2", "cars_per_hour"] == pytest.approx(60.0)
    shops = shop_capacity(capacity_scenario(), 250)
    assert shops["shop"]["limiting_station"] == "l1" and shops["shop"]["cars_per_hour"] == pytest.approx(60.0)
