"""Sorting stores against known answers: colour blocks, max_wait, the planned order restored, the
levelled order, and the sequencing measures.

The store cases are deterministic and exact: a SimPy environment of their own, bodies put and
taken at set times, and the order the shop takes them worked out by hand from the rules in
``sim.model.flow.sorting`` (each case's comment walks through it). The plant cases check that a run
with sorting stores keeps every invariant and gives the same summary for the same seed.
"""

import json
import math
import random

import numpy as np
import pytest
import simpy

from helpers import CONTINUOUS, ONE_MODEL, station
from sim.analysis.sequencing import colour_blocks, displacements, shop_figures
from sim.experiment.runner import run
from sim.model.flow.clock import ShiftClock
from sim.model.flow.car import Car, InvariantError
from sim.model.flow.entries import EntryLog
from sim.model.flow.protocol import CarInput, CarTarget
from sim.experiment.runner import replicate as simulate  # the model's tables and the run's measures
from sim.model.flow.sorting import ColourBlocks, SortingStore
from sim.scenario.window import Window
from sim.scenario import validate_scenario
from sim.scenario.schema import Sort

A, B, C = 0, 1, 2


def store_of(by, lanes, depth, *, max_block=None, max_wait=None, product=None, window=(0.0, math.inf), **release):
    """A sorting store in an environment of its own, working around the clock (shift time = wall time);
    ``release``: release and max_wait_hard."""
    env = simpy.Environment()
    sort = Sort(by=by, lanes=lanes, lane_depth=depth, max_block=max_block, max_wait=max_wait, **release)
    store = SortingStore(env, "store", shop="next", sort=sort, window=Window(*window), log=EntryLog("next"),
                         clock=ShiftClock([(0.0, 1e12)]), product=product)
    return env, store


def body(seq, colour=0, variant=0):
    return Car(variant, False, 0.0, variant, colour=colour, seq=seq)


def put_all_then_take(store, cars):
    for car in cars:
        assert store.try_put(car)
    out = []
    while store.level:
        out.append(store.try_get())
    return out


def fifo_mean_block(colours):
    return len(colours) / colour_blocks(colours)


# ---------------------------------------------------------------- colour blocks


def test_colour_blocks_by_hand():
    """3 lanes of 4, max_block 3; bodies A B A C A B A A all waiting before the paint shop takes any.

    Joining: A1 -> lane 0 (empty), B2 -> lane 1, A3 -> lane 0 (tail A), C4 -> lane 2, A5 -> lane 0,
    B6 -> lane 1, A7 -> lane 0 (now full), A8: no lane with tail A has room, none is empty, so the
    lane whose tail colour is rarest: lane 2 (C: 1 body) before lane 1 (B: 2) -> lane 2 = [C4, A8].
    Releasing: ready at the heads A 4 (capped at 3), B 2, C 1 -> A1 A3 A5 (block full); A waits its
    turn: B 2 > C 1 -> B2 B6; then A 1 (A7) and C 1 (C4) tie -> the older head, C4; then A7 A8.
    Out: A A A | B B | C | A A: 4 blocks, mean 8 / 4 = 2; first in, first out: 7 blocks, 8 / 7.
    """
    colours = [A, B, A, C, A, B, A, A]
    env, store = store_of("colour", 3, 4, max_block=3)
    out = put_all_then_take(store, [body(k + 1, c) for k, c in enumerate(colours)])
    assert [car.seq for car in out] == [1, 3, 5, 2, 6, 4, 7, 8]
    taken = [car.colour for car in out]
    assert colour_blocks(taken) == 4 and fifo_mean_block(taken) == 2.0
    assert fifo_mean_block(colours) == 8 / 7
    # the store logged each car the shop took, in the order taken
    assert list(store.log.arrays()["seq"]) == [1, 3, 5, 2, 6, 4, 7, 8]


def runs(colours):
    out, previous = [], None
    for c in colours:
        if c == previous:
            out[-1] += 1
        else:
            out.append(1)
        previous = c
    return out


def steady_flow(store, env, cars, *, lag, every=10.0):
    """Bodies arrive one every ``every`` seconds from t = 5; the shop takes one every ``every`` seconds from
    t = ``lag`` (the store holds about lag / every bodies); returns (time, car) as the shop took them."""
    out = []

    def arrivals():
        for k, car in enumerate(cars):
            yield env.timeout(5.0 + k * every - env.now)
            assert store.try_put(car)

    def shop():
        for k in range(len(cars)):
            yield env.timeout(lag + k * every - env.now)
            car = store.try_get()
            if car is None:
                car = yield store.get()
            out.append((env.now, car))

    env.process(arrivals())
    env.process(shop())
    env.run()
    return out


def test_colour_blocks_from_a_random_sequence_are_longer_and_capped():
    """Lanes = colours (3), a random colour sequence of 600 bodies (shares 0.5, 0.3, 0.2), the store holding
    about 12: blocks into paint are longer than the sequence's own, and none is longer than max_block as
    long as another colour is in the store."""
    rng = random.Random(7)
    colours = rng.choices([A, B, C], weights=[0.5, 0.3, 0.2], k=600)
    env, store = store_of("colour", 3, 8, max_block=6)
    out = steady_flow(store, env, [body(k + 1, c) for k, c in enumerate(colours)], lag=125.0)
    taken = [car.colour for _, car in out]
    assert sorted(car.seq for _, car in out) == list(range(1, 601))  # every body out once
    assert fifo_mean_block(taken) > 2 * fifo_mean_block(colours)
    assert max(runs(taken)) <= 6


# ---------------------------------------------------------------- max_wait


def rare_colour_flow(max_wait):
    """Three A bodies and a B at t = 0, then an A every 10 s (t = 5, 15, ...); paint takes one every 10 s
    from t = 10. Lane 0 always has an A at its head, so the block of A runs on: without max_wait, B never
    leaves; with max_wait 100 s it leaves at t = 100, when it has waited exactly 100 s."""
    env, store = store_of("colour", 2, 30, max_wait=max_wait)
    for k, c in enumerate([A, A, A, B]):
        assert store.try_put(body(k + 1, c))
    out = []

    def arrivals():
        for k in range(30):
            yield env.timeout(5.0 + 10.0 * k - env.now)
            assert store.try_put(body(5 + k, A))

    def shop():
        for k in range(1, 31):
            yield env.timeout(10.0 * k - env.now)
            out.append((env.now, store.try_get()))

    env.process(arrivals())
    env.process(shop())
    env.run()
    return store, out


def test_max_wait_releases_the_waiting_body_exactly_on_time():
    store, out = rare_colour_flow(max_wait=100.0)
    (t, car), = [(t, car) for t, car in out if car.colour == B]
    assert t == 100.0 and car.seq == 4
    assert store.forced == 1 and store.wait_max == 100.0
    # every other body left in arrival order (lane 0 is first in, first out)
    others = [car.seq for _, car in out if car.colour == A]
    assert others == sorted(others)


def test_without_max_wait_the_rare_body_waits_on():
    store, out = rare_colour_flow(max_wait=None)
    assert all(car.colour == A for _, car in out)
    assert [car.seq for car in store.cars() if car.colour == B] == [4]
    assert store.forced == 0


class _LaneOneAlways(ColourBlocks):
    """A broken rule: releases lane 1's head whatever has waited."""
    __slots__ = ()

    def pick(self, worked):
        return 1, False


def test_a_rule_that_passes_an_overdue_body_over_breaks_the_invariant():
    """The max_wait check is kept apart from the rule: a rule that ignored an overdue body is caught."""
    env, store = store_of("colour", 2, 30, max_wait=100.0)
    for k, c in enumerate([B, A, A, A]):  # B in lane 0, the As in lane 1
        assert store.try_put(body(k + 1, c))
    store.rule.__class__ = _LaneOneAlways  # always an A, whatever has waited

    def shop():
        yield env.timeout(50.0)
        store.try_get()  # B has waited 50 s: releasing an A is allowed
        yield env.timeout(60.0)
        store.try_get()  # B has waited 110 s

    env.process(shop())
    with pytest.raises(InvariantError, match="over max_wait"):
        env.run()


# ---------------------------------------------------------------- release: keep_blocks


def overdue_in_a_full_store(takes=6, refill=True, **release):
    """2 lanes of 3, max_block 3, max_wait 100 s. At t = 0 bodies B1 A2 A3 A4 B5 A6 arrive (seq = arrival):
    B1 takes lane 0, A2-A4 fill lane 1, B5 joins B1, A6 the only room (lane 0): lanes [B1 B5 A6], [A2 A3 A4],
    the store is full. Paint takes a body every 10 s from t = 90; with ``refill`` body puts an A right after
    each take (body is waiting for a place: the store is full at every take). Returns the store and the seq
    of each body taken, in order."""
    env, store = store_of("colour", 2, 3, max_block=3, max_wait=100.0, **release)
    for seq, colour in enumerate([B, A, A, A, B, A], start=1):
        assert store.try_put(body(seq, colour))
    taken = []

    def paint():
        for k in range(takes):
            yield env.timeout(90.0 + 10.0 * k - env.now)
            taken.append(store.try_get().seq)
            if refill:
                assert store.try_put(body(7 + k, A))

    env.process(paint())
    env.run()
    return store, taken


def changes(colours):
    return colour_blocks(colours) - 1


def test_overdue_first_breaks_the_block_keep_blocks_keeps_it():
    """By hand. t = 90: nothing overdue, no block yet: A (3 ready in lane 1) beats B (2): A2; A7 joins lane 1.
    overdue_first: t = 100 B1 has waited 100 s: B1 (a change); A8 joins lane 0 [B5 A6 A8]. t = 110 the
    oldest head is A3 (arrived before B5), waited 110 s: A3; t = 120 A4; t = 130 B5; t = 140 A6, each the
    oldest and overdue: arrival order, A B A A B A, 4 colour changes, 5 forced releases.
    keep_blocks: t = 100 B1 is overdue but the store is full and B1 is not the running colour: the block of
    A runs on, A3, then A4 (t = 110: block of 3 = max_block). t = 120 the block ends: B1 starts the next
    (forced); A10 joins lane 0 [B5 A6 A10]. t = 130 B5, the oldest and overdue, is the running colour: it goes
    (no change). t = 140 A6 is the oldest, overdue, not the running colour, but no head is B: the block ends,
    A6 starts the next. A A A B B A: 2 colour changes, 3 forced releases (B1, B5, A6)."""
    old, old_taken = overdue_in_a_full_store()
    new, new_taken = overdue_in_a_full_store(release="keep_blocks")
    colour_of = {1: B, 5: B}
    assert old_taken == [2, 1, 3, 4, 5, 6] and old.forced == 5
    assert new_taken == [2, 3, 4, 1, 5, 6] and new.forced == 3
    assert changes([colour_of.get(seq, A) for seq in old_taken]) == 4
    assert changes([colour_of.get(seq, A) for seq in new_taken]) == 2


def test_with_a_free_place_the_overdue_body_goes_at_once():
    """Body has nothing to put (no refill): after A2 leaves at t = 90 the store has a free place, so paint
    keeps up with body and a colour change costs time paint has to spare: at t = 100 B1, overdue, goes at
    once, as with overdue_first (then B5 continues its block; A3 is overdue at 110 and the oldest)."""
    old, old_taken = overdue_in_a_full_store(refill=False)
    new, new_taken = overdue_in_a_full_store(refill=False, release="keep_blocks")
    assert new_taken[:2] == old_taken[:2] == [2, 1]
    assert new.wait_max == old.wait_max


def test_past_max_wait_hard_the_overdue_body_breaks_the_block():
    """max_wait_hard 105 s: at t = 100 B1 (100 s) waits for the block (A3); at t = 110 it has waited 110 s
    >= 105: it goes, breaking the block of A at 2; A9 joins lane 0 [B5 A6 A9]. t = 120 the oldest head is A4
    (arrived before B5), 120 s, past the hard limit: it goes, a second change. t = 130 B5 (130 s). Forced:
    B1, A4, B5; A B A B: 3 changes, where keep_blocks alone makes 1 over these takes."""
    store, taken = overdue_in_a_full_store(takes=5, release="keep_blocks", max_wait_hard=105.0)
    assert taken == [2, 3, 1, 4, 5] and store.forced == 3
    assert store.wait_max == 130.0


@pytest.mark.parametrize("depth, max_block", [(30, 3), (2, 1)], ids=["free place", "block full"])
def test_keep_blocks_passes_an_overdue_body_only_within_a_block_of_a_full_store(depth, max_block):
    """The check of max_wait with keep_blocks is kept apart from the rule: a broken rule that always releases
    lane 1's head (an A) while B1 in lane 0 is overdue is caught when the store has a free place (2 lanes of
    30), and when the store is full (2 lanes of 2, body refills it) but the running block of A has reached
    max_block 1. At t = 50 nothing is overdue: A2 goes, A5 arrives."""
    env, store = store_of("colour", 2, depth, max_block=max_block, max_wait=100.0, release="keep_blocks")
    for k, c in enumerate([B, A, A, B]):  # lanes [B1 B4], [A2 A3]
        assert store.try_put(body(k + 1, c))
    store.rule.__class__ = _LaneOneAlways

    def shop():
        yield env.timeout(50.0)
        assert store.try_get().seq == 2 and store.try_put(body(5, A))
        yield env.timeout(60.0)
        store.try_get()  # B1 has waited 110 s

    env.process(shop())
    with pytest.raises(InvariantError, match="without continuing a colour block from a full store"):
        env.run()


def test_waits_are_counted_in_the_next_shops_shift_time():
    """A body put at 7:00 on a shop that works 8:00-16:00 and taken at 9:30 waited 1.5 shift hours."""
    env = simpy.Environment()
    sort = Sort(by="colour", lanes=2, lane_depth=2, max_wait=7200.0)
    store = SortingStore(env, "WBS", shop="paint", sort=sort, window=Window(0.0, 86400.0), log=EntryLog("paint"),
                         clock=ShiftClock([(8 * 3600.0, 16 * 3600.0)]))

    def flow():
        yield env.timeout(7 * 3600.0)
        store.try_put(body(1, A))
        yield env.timeout(2.5 * 3600.0)
        assert store.try_get().seq == 1

    env.process(flow())
    env.run()
    assert store.wait_sum == store.wait_max == 1.5 * 3600.0 and store.forced == 0


# ---------------------------------------------------------------- the planned order


def block_shuffled(n, lanes, seed):
    """1..n with each block of ``lanes`` consecutive numbers shuffled: no car is more than lanes - 1 places
    from its planned slot."""
    rng = random.Random(seed)
    order = []
    for start in range(1, n + 1, lanes):
        block = list(range(start, min(start + lanes, n + 1)))
        rng.shuffle(block)
        order += block
    return order


@pytest.mark.parametrize("lanes", [2, 4, 8])
def test_sequence_store_restores_an_order_displaced_by_less_than_its_lanes(lanes):
    order = block_shuffled(200, lanes, seed=lanes)
    assert displacements(order).max() == lanes - 1
    env, store = store_of("sequence", lanes, 200)
    out = put_all_then_take(store, [body(seq) for seq in order])
    assert [car.seq for car in out] == list(range(1, 201))
    figures = shop_figures(np.array([car.seq for car in out]), np.zeros(200), has_colours=False)
    assert figures["in_slot"] == 1.0 and figures["displacement_mean"] == 0.0 and figures["displacement_p95"] == 0.0


@pytest.mark.parametrize("lanes", [3, 8])
def test_sequence_store_restores_the_order_in_a_flow(lanes):
    """Cars arrive one every 10 s, displaced by up to lanes - 1 places; the shop takes one every 10 s from
    just after the (lanes - 1)-th arrival. Car s arrives by place s - 1 + lanes - 1, so when the shop takes
    its s-th car, car s is in the store: the order comes out exact."""
    order = block_shuffled(300, lanes, seed=11)
    env, store = store_of("sequence", lanes, 10)
    out = steady_flow(store, env, [body(seq) for seq in order], lag=5.0 + 10.0 * (lanes - 1) + 1.0)
    assert [car.seq for _, car in out] == list(range(1, 301))


def test_one_lane_too_few_leaves_the_order_displaced():
    """The same shuffle through lanes - 1 lanes: the order cannot be restored everywhere."""
    order = block_shuffled(200, 4, seed=4)
    env, store = store_of("sequence", 3, 200)
    out = [car.seq for car in put_all_then_take(store, [body(seq) for seq in order])]
    assert out != list(range(1, 201)) and sorted(out) == list(range(1, 201))


# ---------------------------------------------------------------- the measures


def test_adherence_of_a_hand_made_order():
    # launch numbers as entered: planned slots (ranks) 0 2 1 4 3 5 -> displacements 0 1 1 1 1 0
    f = shop_figures(np.array([11, 13, 12, 15, 14, 16]), np.array([A, A, B, B, B, C]), has_colours=True)
    assert f["cars"] == 6 and f["in_slot"] == 2 / 6 and f["displacement_mean"] == 4 / 6
    assert f["displacement_p95"] == 1.0  # sorted 0 0 1 1 1 1: the 95th percentile lies between two 1s
    assert f["mean_block"] == 6 / 3
    # a car launched first that enters last: planned 3 0 1 2 -> displacements 3 1 1 1
    f = shop_figures(np.array([10, 2, 3, 4]), np.array([A, B, A, B]), has_colours=True)
    assert f["in_slot"] == 0.0 and f["displacement_mean"] == 1.5
    assert f["displacement_p95"] == pytest.approx(1 + 0.85 * 2)  # numpy's linear interpolation at 2.85
    assert f["mean_block"] == 1.0
    assert shop_figures(np.array([]), np.array([]), has_colours=True)["mean_block"] is None
    assert colour_blocks([A, A, B, B, B, A, C]) == 4 and colour_blocks([]) == 0


# ---------------------------------------------------------------- the levelled order


def test_levelled_store_alternates_two_models_of_equal_share():
    """Shares 1/2 and 1/2, four A then four B into two lanes: goal chasing takes the model furthest behind
    its share (A first: equal heads go oldest first), so A B A B A B A B."""
    product = validate_scenario({
        "name": "lv", "horizon": {"days": 1}, "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 0.5}, {"name": "B", "share": 0.5}]},
        "shops": {"s": {"shifts": CONTINUOUS, "stations": [station("x", 10)]}},
        "target": {"annual_units": 1000}}).product
    env, store = store_of("levelled", 2, 4, product=product)
    out = put_all_then_take(store, [body(k + 1, variant=0 if k < 4 else 1) for k in range(8)])
    assert [car.variant for car in out] == [0, 1, 0, 1, 0, 1, 0, 1]
    assert [car.seq for car in out] == [1, 5, 2, 6, 3, 7, 4, 8]


# ---------------------------------------------------------------- the Buffer interface


def test_the_store_offers_what_a_buffer_offers():
    env, store = store_of("colour", 1, 2)
    assert isinstance(store, CarInput) and isinstance(store, CarTarget)
    got = []

    def shop():
        assert store.try_get() is None
        car = yield store.get()  # waits: the next body goes straight through
        got.append(car.seq)

    def body_shop():
        yield env.timeout(1.0)
        assert store.try_put(body(1, A))  # straight to the waiting shop
        assert store.try_put(body(2, B)) and store.try_put(body(3, A))
        assert not store.try_put(body(4, A))  # full: 1 lane of 2
        placed = store.put(body(4, A))
        yield env.timeout(1.0)
        assert store.try_get().seq == 2  # the full lane's head, first in, first out
        value = yield placed
        assert value is store and store.level == 2 and [c.seq for c in store.cars()] == [3, 4]

    env.process(shop())
    env.process(body_shop())
    env.run()
    assert got == [1] and list(store.log.arrays()["seq"]) == [1, 2]
    assert store.monitor.max_ever == 2 and store.wait_sum == 1.0  # body 2 waited 1 s, body 1 none


# ---------------------------------------------------------------- in the plant


COLOURS = [{"name": "white", "share": 0.5}, {"name": "black", "share": 0.3}, {"name": "red", "share": 0.2}]


def sorting_plant(wbs=None, pbs=None, days=4):
    """Body (fast, two shifts) -> WBS -> paint (three shifts, a repair loop) -> PBS -> assembly."""
    stores = [{"name": "WBS", "after": "body", **({"sort": wbs} if wbs else {"capacity": 30})},
              {"name": "PBS", "after": "paint", **({"sort": pbs} if pbs else {"capacity": 40})}]
    two = {"count": 2, "start": "06:00", "length": "8 h"}
    return validate_scenario({
        "name": "sorting", "seed": 5, "horizon": {"days": days, "warmup_days": 1},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": ONE_MODEL, "colours": COLOURS},
        "shops": {
            "body": {"shifts": two, "stations": [station("weld", {"dist": "exponential", "mean": 80})]},
            "paint": {"shifts": {"count": 3, "start": "06:00", "length": "8 h"},
                      "stations": [station("topcoat", {"dist": "exponential", "mean": 100}),
                                   station("inspection", 60), station("repair", 600, off_line=True)],
                      "quality": {"inspection": "inspection", "first_pass_yield": 0.85,
                                  "rework": [{"share": 1.0, "repair": "repair", "reenter": "topcoat"}]}},
            "assembly": {"shifts": two, "stations": [station("trim", 95)]}},
        "stores": stores, "target": {"annual_units": 50000}})


@pytest.mark.parametrize("release", [{}, {"release": "keep_blocks", "max_wait_hard": "3 h"}])
def test_a_plant_with_sorting_stores_keeps_its_invariants_and_is_reproducible(release):
    scenario = sorting_plant(wbs={"by": "colour", "lanes": 3, "lane_depth": 10, "max_block": 8, "max_wait": "1 h",
                                  **release},
                             pbs={"by": "sequence", "lanes": 4, "lane_depth": 10})
    first = run(scenario, replications=2, seed=3)
    again = run(scenario, replications=2, seed=3)
    assert json.dumps(first.summary, sort_keys=True) == json.dumps(again.summary, sort_keys=True)
    seq = first.summary["sequencing"]
    assert seq["shops"]["paint"]["sort"] == "colour" and seq["stores"]["WBS"]["by"] == "colour"
    assert seq["stores"]["WBS"]["released"]["mean"] > 0
    rep = simulate(scenario, 3, 0)  # simulate checks the invariants (cars conserved, capacities, max_wait)
    wbs = rep.buffers[rep.buffers.buffer == "WBS"].iloc[0]
    assert wbs.kind == "store" and wbs.capacity == 30 and wbs.max_level <= 30
    assert rep.sequencing["stores"]["WBS"]["released"] == rep.sequencing["shops"]["paint"]["cars"]


def test_sorting_lengthens_the_blocks_into_paint_on_the_same_bodies():
    """Common random numbers: the same bodies in the same order leave body in both runs; the colour store
    makes longer blocks into paint than a first-in-first-out store of the same size."""
    plain = simulate(sorting_plant(pbs={"by": "sequence", "lanes": 4, "lane_depth": 10}), 3, 0)
    sorted_ = simulate(sorting_plant(wbs={"by": "colour", "lanes": 3, "lane_depth": 10, "max_block": 8},
                                     pbs={"by": "sequence", "lanes": 4, "lane_depth": 10}), 3, 0)
    assert sorted_.sequencing["shops"]["paint"]["mean_block"] > plain.sequencing["shops"]["paint"]["mean_block"]
    assert plain.sequencing["shops"]["paint"]["in_slot"] == 1.0  # first in, first out keeps the order


def test_a_levelled_pbs_runs_in_the_plant():
    """by: levelled in a plant: the invariants hold and every car the shop took is counted once."""
    rep = simulate(sorting_plant(pbs={"by": "levelled", "lanes": 4, "lane_depth": 10}), 3, 0)
    assembly = rep.sequencing["shops"]["assembly"]
    assert assembly["sort"] == "levelled" and assembly["cars"] == rep.sequencing["stores"]["PBS"]["released"] > 0
