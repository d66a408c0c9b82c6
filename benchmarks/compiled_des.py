"""Prototype of the recommended route: v1's processes as state machines on a compiled event heap that mirrors
SimPy's (time, priority, eid) order. Plant: pull launch -> station A (1 server, exponential) -> buffer (b1)
-> paced line L (P positions, takt) -> buffer (b2) -> station B (1 server, exponential) -> sink; continuous
time, no breakdowns. Compared with v1 on the completion times at the sink, then timed."""
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests", "analytic"))
from numba import njit  # noqa: E402

URGENT, NORMAL = 0, 1
A, L, B = 0, 1, 2


@njit(cache=True)
def push(ht, hp, he, hproc, hval, n, t, p, e, proc, val):
    k = n
    ht[k], hp[k], he[k], hproc[k], hval[k] = t, p, e, proc, val
    while k > 0:
        parent = (k - 1) // 2
        if (ht[parent], hp[parent], he[parent]) <= (ht[k], hp[k], he[k]):
            break
        ht[k], ht[parent] = ht[parent], ht[k]
        hp[k], hp[parent] = hp[parent], hp[k]
        he[k], he[parent] = he[parent], he[k]
        hproc[k], hproc[parent] = hproc[parent], hproc[k]
        hval[k], hval[parent] = hval[parent], hval[k]
        k = parent
    return n + 1


@njit(cache=True)
def pop(ht, hp, he, hproc, hval, n):
    t, proc, val = ht[0], hproc[0], hval[0]
    n -= 1
    ht[0], hp[0], he[0], hproc[0], hval[0] = ht[n], hp[n], he[n], hproc[n], hval[n]
    k = 0
    while True:
        left, right, small = 2 * k + 1, 2 * k + 2, k
        if left < n and (ht[left], hp[left], he[left]) < (ht[small], hp[small], he[small]):
            small = left
        if right < n and (ht[right], hp[right], he[right]) < (ht[small], hp[small], he[small]):
            small = right
        if small == k:
            break
        ht[k], ht[small] = ht[small], ht[k]
        hp[k], hp[small] = hp[small], hp[k]
        he[k], he[small] = he[small], he[k]
        hproc[k], hproc[small] = hproc[small], hproc[k]
        hval[k], hval[small] = hval[small], hval[k]
        k = small
    return t, proc, val, n


@njit(cache=True)
def run(end, takt, P, cap1, cap2, cyc_a, cyc_b, out):
    """Returns the number of cars completed; their completion times in ``out``."""
    size = 64
    ht = np.zeros(size); hp = np.zeros(size, np.int64); he = np.zeros(size, np.int64)
    hproc = np.zeros(size, np.int64); hval = np.zeros(size, np.int64)
    n = 0
    eid = 0
    # buffers: ring of car ids; one getter and one putter at most here (one consumer, one producer)
    buf = np.zeros((2, 4096), np.int64); head = np.zeros(2, np.int64); count = np.zeros(2, np.int64)
    caps = np.array([cap1, cap2])
    getter = np.full(2, -1)  # process waiting to take (or -1)
    putter = np.full(2, -1)  # process waiting to put
    putter_car = np.zeros(2, np.int64)
    state = np.zeros(3, np.int64)
    holding = np.full(3, -1)
    positions = np.full(P, -1)
    inside = 0
    launched = 0
    ia = 0
    ib = 0
    done = 0
    # Initialize events of the three processes, in start order
    for proc in range(3):
        n = push(ht, hp, he, hproc, hval, n, 0.0, URGENT, eid, proc, -1); eid += 1
    while n > 0:
        if ht[0] >= end:
            break
        now, proc, val, n = pop(ht, hp, he, hproc, hval, n)
        # resume proc at its state with val
        while True:
            st = state[proc]
            if proc == A:
                if st == 0:  # take from the launch (always a car), work
                    car = launched; launched += 1
                    holding[A] = car
                    work = cyc_a[ia]; ia += 1
                    d = now + work - now
                    n = push(ht, hp, he, hproc, hval, n, now + (d if d > 0.0 else 0.0), NORMAL, eid, A, -1); eid += 1
                    state[A] = 1
                    break
                if st == 1:  # try_put into buffer 0
                    car = holding[A]
                    if getter[0] >= 0:
                        g = getter[0]; getter[0] = -1
                        n = push(ht, hp, he, hproc, hval, n, now, NORMAL, eid, g, car); eid += 1
                    elif count[0] < caps[0]:
                        buf[0, (head[0] + count[0]) % 4096] = car; count[0] += 1
                    else:
                        putter[0] = A; putter_car[0] = car
                        state[A] = 2
                        break
                    holding[A] = -1
                    state[A] = 0
                    continue
                if st == 2:  # the put went through
                    holding[A] = -1
                    state[A] = 0
                    continue
            elif proc == L:
                if st == 0:  # take from buffer 0
                    if count[0] > 0:
                        car = buf[0, head[0]]; head[0] = (head[0] + 1) % 4096; count[0] -= 1
                        if putter[0] >= 0:
                            pcar = putter_car[0]; pp = putter[0]; putter[0] = -1
                            buf[0, (head[0] + count[0]) % 4096] = pcar; count[0] += 1
                            n = push(ht, hp, he, hproc, hval, n, now, NORMAL, eid, pp, -1); eid += 1
                    elif putter[0] >= 0:
                        car = putter_car[0]; pp = putter[0]; putter[0] = -1
                        n = push(ht, hp, he, hproc, hval, n, now, NORMAL, eid, pp, -1); eid += 1
                    else:
                        getter[0] = L
                        state[L] = 1
                        break
                    val = car
                    st = 1
                if st == 1:  # a car enters: index
                    car = val
                    positions[0] = car
                    inside += 1
                    n = push(ht, hp, he, hproc, hval, n, now + takt, NORMAL, eid, L, -1); eid += 1
                    state[L] = 2
                    break
                if st == 2:  # index done: hand the last position's car on
                    leaving = positions[P - 1]
                    if leaving >= 0:
                        if getter[1] >= 0:
                            g = getter[1]; getter[1] = -1
                            n = push(ht, hp, he, hproc, hval, n, now, NORMAL, eid, g, leaving); eid += 1
                        elif count[1] < caps[1]:
                            buf[1, (head[1] + count[1]) % 4096] = leaving; count[1] += 1
                        else:
                            putter[1] = L; putter_car[1] = leaving
                            state[L] = 3
                            break
                        inside -= 1
                    st = 4
                if st == 3:  # the blocked put went through
                    inside -= 1
                    st = 4
                if st == 4:
                    for p in range(P - 1, 0, -1):
                        positions[p] = positions[p - 1]
                    positions[0] = -1
                    state[L] = 0
                    continue
            else:  # B
                if st == 0:
                    if count[1] > 0:
                        car = buf[1, head[1]]; head[1] = (head[1] + 1) % 4096; count[1] -= 1
                        if putter[1] >= 0:
                            pcar = putter_car[1]; pp = putter[1]; putter[1] = -1
                            buf[1, (head[1] + count[1]) % 4096] = pcar; count[1] += 1
                            n = push(ht, hp, he, hproc, hval, n, now, NORMAL, eid, pp, -1); eid += 1
                    elif putter[1] >= 0:
                        car = putter_car[1]; pp = putter[1]; putter[1] = -1
                        n = push(ht, hp, he, hproc, hval, n, now, NORMAL, eid, pp, -1); eid += 1
                    else:
                        getter[1] = B
                        state[B] = 1
                        break
                    val = car
                    st = 1
                if st == 1:
                    holding[B] = val
                    work = cyc_b[ib]; ib += 1
                    n = push(ht, hp, he, hproc, hval, n, now + work, NORMAL, eid, B, -1); eid += 1
                    state[B] = 2
                    break
                if st == 2:  # to the sink
                    out[done] = now; done += 1
                    holding[B] = -1
                    state[B] = 0
                    continue
    return done


def v1_and_kernel(days=30, P=10, takt=60.0, b1=2, b2=3):
    from helpers import expo, scenario, station
    from sim.model.builder import build_plant
    from sim.scenario.days import plant_days
    stations = [station("A", expo(55.0))]
    for p in range(P):
        stations.append(station(f"L{p}", 50.0, line="L", **({"buffer_before": b1} if p == 0 else {})))
    stations.append(station("B", expo(57.0), buffer_before=b2))
    sc = scenario(stations, lines={"L": {"takt": takt}}, days=days, warmup=0)
    d = plant_days(sc.calendar, sc.horizon)
    plant = build_plant(sc, d, sc.seed, 0)
    t = time.perf_counter(); plant.run(); v1_wall = time.perf_counter() - t
    events = next(plant.env._eid)
    end = plant.window.hi
    out = np.zeros(200000)
    run(1.0, takt, P, b1, b2, np.ones(4), np.ones(4), out)  # compile (or load the cache) before timing
    twin = build_plant(sc, d, sc.seed, 0)  # the same samplers: their draws at once
    cyc_a = twin.nodes["shop"][0].cycle[0].take(200000)
    cyc_b = twin.nodes["shop"][-1].cycle[0].take(200000)
    t = time.perf_counter(); done = run(end, takt, P, b1, b2, cyc_a, cyc_b, out); k_wall = time.perf_counter() - t
    return plant, v1_wall, events, out[:done], k_wall


if __name__ == "__main__":
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 30
    plant, v1_wall, events, times, k_wall = v1_and_kernel(days)
    v1 = np.array([c[0] for c in plant.completed])
    print(f"v1: {v1_wall:.2f} s, {events:,} events, {plant.completed_total:,} cars; kernel: {k_wall * 1000:.1f} ms, "
          f"{len(times):,} cars; {events / k_wall / 1e6:.1f} M v1-events/s")
    m = min(len(v1), len(times))
    print("completion times equal:", len(v1) == len(times) and bool(np.array_equal(v1, times[-len(v1):] if len(v1) < len(times) else times)),
          "first differences:", np.flatnonzero(v1[:m] != times[:m])[:5])
