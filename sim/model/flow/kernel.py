"""Engine v2's compiled chain kernel (in progress, on the engine-v2 branch): ``chain.Chain``'s recursion over arrays,
compiled by numba, for the nodes it covers (``covered``): paced lines and conveyors with a takt, without drift,
booths, joins, sends, outages, maintenance, learning or line speed, their stations' breakdowns of the single form on
the line's running clock; free-flow stations of one server without breakdowns. The shop's shift clock converts
worked and wall time as ``clock.ShiftClock`` does, and every state time is summed in v1's order, so the records
are v1's to the last bit (tests/analytic/test_chains.py).

The kernel is resumable: all its state is in arrays, and ``advance`` returns when the chain needs the plant (the
first node's take, the last node's hand-over: ``NEED_PLANT``), more room (``NEED_ROOM``: the arrays indexed by
index or car are full) or more random draws (``NEED_DRAWS``), or when every node reached the end (``DONE``).
"""

from __future__ import annotations

import numpy as np

try:
    from numba import njit
except ImportError:  # the kernel runs as plain Python (slow, the same results)
    def njit(*args, **kwargs):
        return args[0] if args and callable(args[0]) else (lambda f: f)

INF = np.inf
LINE, CONVEYOR, STATION = 0, 1, 2
NEED_PLANT, NEED_ROOM, NEED_DRAWS, DONE = 0, 1, 2, 3
WORKING, BLOCKED, STARVED, DOWN = 0, 1, 2, 3  # states.STATE_NAMES order

# integer state per node: columns of ``count``
N_S, N_E, N_PUT, N_IDX, N_OFF, N_HAND, INSIDE, PHASE, STOPPED, N_IDLE, WOKEN, STATE, COMPLETIONS = range(13)
COLUMNS = 13
# the packed arrays' rows: per node and index or car (floats, ints), per node (ints, floats), per line station
F_S, F_E, F_PUT, F_OFFERED, F_HANDED, F_TICK_START, F_TICK_END, F_TICK_WORK, F_TICK_REPAIR = range(9)
I_CAR_IN, I_INDEX_OF, I_BLOCKED, I_HAS_REPAIR = range(4)
NODE_KIND, NODE_PLACES, NODE_BEFORE, NODE_NSLOW = range(4)
NODE_TAKT, NODE_RUNNING, NODE_SINCE = range(3)
# the plant's answers and what the chain waits for: columns of ``plant`` (floats) and ``plant_i`` (ints)
P_TAKE_AT, P_ANS_AT, P_PUT_AT, P_PASS_AT = range(4)
PI_TAKE, PI_TAKE_K, PI_ANS, PI_ANS_CAR, PI_PUT, PI_PUT_J, PI_PASS, PI_NEED_NODE, PI_NEED_SLOT = range(9)


@njit(cache=True, inline="always")
def _right(a, x):
    """``bisect.bisect_right``."""
    lo, hi = 0, a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if x < a[mid]:
            hi = mid
        else:
            lo = mid + 1
    return lo


@njit(cache=True, inline="always")
def _left(a, x):
    """``bisect.bisect_left``."""
    lo, hi = 0, a.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, inline="always")
def worked(clock, t):
    """``ShiftClock.worked``: shift seconds from 0 to wall time t (clock rows: starts, ends, cum, cum_end)."""
    starts, ends, cum = clock[0], clock[1], clock[2]
    i = _right(starts, t) - 1
    if i < 0:
        return 0.0
    end = ends[i]
    return cum[i] + (t if t < end else end) - starts[i]


@njit(cache=True, inline="always")
def at_work(clock, w):
    """``ShiftClock.at_work``: the earliest wall time with w shift seconds elapsed (inf past the calendar)."""
    starts, cum, cum_end = clock[0], clock[2], clock[3]
    i = _left(cum_end, w)
    if i == cum_end.shape[0]:
        return INF
    return starts[i] + (w - cum[i])


@njit(cache=True, inline="always")
def _add(acc, state, a, b, lo, hi):
    """``StateAccount.add``: the part of [a, b] inside [lo, hi] to ``acc[state]``."""
    if a < lo:
        a = lo
    if b > hi:
        b = hi
    if b > a:
        acc[state] += b - a


@njit(cache=True, inline="always")
def _clip(a, b, lo, hi):
    if a < lo:
        a = lo
    if b > hi:
        b = hi
    return b - a if b > a else 0.0


@njit(cache=True)
def advance(F, I, cars, node_i, node_f, pos_i, slow_need, clock, windows, end, count, plant, plant_i, accs, st_f,
            st_i, draws, draw_i, cyc, cyc_ij, idle_log):
    """Every node as far as it goes; returns why it stopped (``NEED_*``, ``DONE``). The arrays come packed (a
    call's cost grows with its arguments): their rows are unpacked here as views."""
    s, e, put, offered, handed = F[F_S], F[F_E], F[F_PUT], F[F_OFFERED], F[F_HANDED]
    tick_start, tick_end, tick_work, tick_repair = F[F_TICK_START], F[F_TICK_END], F[F_TICK_WORK], F[F_TICK_REPAIR]
    car_in, index_of, blocked, has_repair = I[I_CAR_IN], I[I_INDEX_OF], I[I_BLOCKED], I[I_HAS_REPAIR]
    car_variant, car_model = cars[0], cars[1]
    kind, places, before, nslow = node_i[NODE_KIND], node_i[NODE_PLACES], node_i[NODE_BEFORE], node_i[NODE_NSLOW]
    takt, running, since = node_f[NODE_TAKT], node_f[NODE_RUNNING], node_f[NODE_SINCE]
    slow_pos, station_of = pos_i[0], pos_i[1]
    window, wall_window = windows[0:2], windows[2:4]
    line_acc, acc = accs[0], accs[1]
    down_acc, over_stop, next_fail = st_f[0], st_f[1], st_f[2]
    downs, over_cycles, has_fail = st_i[0], st_i[1], st_i[2]
    tbf, ttr = draws[0], draws[1]
    cyc_i, cyc_slot = cyc_ij[0], cyc_ij[1]
    state, completions = count[:, STATE], count[:, COMPLETIONS]
    n = kind.shape[0]
    room = s.shape[1]
    lo, hi = window[0], window[1]
    while True:
        # the next woken node (values do not depend on the order: each node draws and sums in its own order)
        i = -1
        for q in range(n):
            if count[q, WOKEN]:
                i = q
                break
        if i < 0:
            break
        count[i, WOKEN] = 0
        was_stopped = count[i, STOPPED]
        while not count[i, STOPPED]:
            if count[i, N_S] >= room - 1 or count[i, N_IDX] >= room - 1 or count[i, N_IDLE] >= idle_log.shape[1] - 4:
                count[i, WOKEN] = 1
                return NEED_ROOM
            phase = count[i, PHASE]
            if phase == 0:
                went = _take(i, n, kind, places, before, end, s, put, car_in, index_of, offered, handed,
                             count, state, since, plant, plant_i, clock, line_acc, acc, idle_log, lo, hi)
                if went and i > 0:
                    count[i - 1, WOKEN] = 1  # a place is free for the node before
            elif phase == 1:
                if kind[i] == STATION:
                    w_end = _work_station(i, clock, lo, hi, s, car_in, count, car_model, cyc, cyc_i, cyc_slot, acc,
                                          plant_i)
                else:
                    w_end = _work_line(i, takt, slow_pos, slow_need, nslow, station_of, clock, lo, hi, s, car_in,
                                       count, car_variant, tick_start, tick_end, tick_work, tick_repair, has_repair,
                                       down_acc, downs, over_cycles, over_stop, running, next_fail, has_fail, tbf,
                                       ttr, draw_i, plant_i)
                if w_end < 0:
                    count[i, WOKEN] = 1
                    return NEED_DRAWS
                _worked_to(i, w_end, clock, s, e, count)
                went = 1
            else:
                went = _hand_on(i, n, kind, places, before, end, s, e, put, car_in, index_of, offered,
                                handed, blocked, count, state, since, plant, plant_i, clock, line_acc, acc,
                                idle_log, lo, hi, completions, wall_window)
                if went and i < n - 1:
                    count[i + 1, WOKEN] = 1  # a car for the next node
            if not went:
                break
        if count[i, STOPPED] and not was_stopped:  # its neighbours may wait on it
            if i > 0:
                count[i - 1, WOKEN] = 1
            if i < n - 1:
                count[i + 1, WOKEN] = 1
    if plant_i[PI_TAKE] or plant_i[PI_PUT]:
        return NEED_PLANT
    return DONE


@njit(cache=True, inline="always")
def _there(i, j, before, offered, handed, count):
    """When car j is there for node i (-1: not known yet)."""
    if before[i] == 0:
        return offered[i - 1, j] if j < count[i - 1, N_OFF] else -1.0
    return handed[i - 1, j] if j < count[i - 1, N_HAND] else -1.0


@njit(cache=True, inline="always")
def _take(i, n, kind, places, before, end, s, put, car_in, index_of, offered, handed, count, state, since,
          plant, plant_i, clock, line_acc, acc, idle_log, lo, hi):
    k = count[i, N_S]
    ready = put[i, k - 1] if k > 0 else 0.0
    j = count[i, N_IDX]
    conveyor = kind[i] == CONVEYOR
    if i == 0:
        if not (plant_i[PI_ANS] and plant_i[PI_TAKE_K] == k):
            plant_i[PI_TAKE] = 1
            plant_i[PI_TAKE_K] = k
            plant[P_TAKE_AT] = ready
            return 0
        plant_i[PI_ANS] = 0
        car = plant_i[PI_ANS_CAR]
        at = plant[P_ANS_AT]
        if car < 0:  # a conveyor holding bodies: the position stays empty
            _enter(i, k, ready, -1, s, car_in, index_of, count)
            return 1
        start = at
        j = car
    else:
        there = _there(i, j, before, offered, handed, count)
        if there < 0:
            if not count[i - 1, STOPPED]:
                return 0
            there = INF
        if conveyor and there > ready and count[i, INSIDE] > 0:
            _enter(i, k, ready, -1, s, car_in, index_of, count)
            return 1
        start = there if there > ready else ready
    if start >= end:
        _stop(i, STARVED, ready, count, state, since, clock)
        return 0
    if start > ready:
        _wait(i, STARVED, ready, start, kind, clock, line_acc, acc, idle_log, count, lo, hi)
    _enter(i, k, start, j, s, car_in, index_of, count)
    return 1


@njit(cache=True, inline="always")
def _enter(i, k, start, j, s, car_in, index_of, count):
    s[i, k] = start
    car_in[i, k] = j
    count[i, N_S] = k + 1
    if j >= 0:
        index_of[i, count[i, N_IDX]] = k
        count[i, N_IDX] += 1
        count[i, INSIDE] += 1
    count[i, PHASE] = 1


@njit(cache=True, inline="always")
def _work_station(i, clock, lo, hi, s, car_in, count, car_model, cyc, cyc_i, cyc_slot, acc, plant_i):
    """A free-flow station's cycle of its car (no breakdowns): the worked time it ends (-1: more draws needed)."""
    k = count[i, N_E]
    w0 = worked(clock, s[i, k])
    m = cyc_slot[i, car_model[car_in[i, k]]]  # models sharing a sampler share its draws
    c = cyc_i[i, m]
    if c >= cyc.shape[2]:
        plant_i[PI_NEED_NODE] = i
        plant_i[PI_NEED_SLOT] = -1 - m
        return -1.0
    work = cyc[i, m, c]
    cyc_i[i, m] = c + 1
    _add(acc[i], WORKING, w0, w0 + work, lo, hi)
    return w0 + work


@njit(cache=True, inline="always")
def _work_line(i, takt, slow_pos, slow_need, nslow, station_of, clock, lo, hi, s, car_in, count, car_variant,
               tick_start, tick_end, tick_work, tick_repair, has_repair, down_acc, downs, over_cycles, over_stop,
               running, next_fail, has_fail, tbf, ttr, draw_i, plant_i):
    """A line's index (``PacedLine._index_time``, ``_count_stop``, ``_run_phase``): the worked time its phase ends
    (-1: more draws needed). At most 30 arguments: a call with more is built as ``f(*args)``, which numba does
    not inline."""
    k = count[i, N_E]
    w0 = worked(clock, s[i, k])
    # the index's work: max(takt, the slowest occupied watched position), an over-cycle counted in the window
    t = takt[i]
    phase = t
    for q in range(nslow[i]):
        p = slow_pos[i, q]
        if k - p >= 0 and car_in[i, k - p] >= 0:
            need = slow_need[i, q, car_variant[car_in[i, k - p]]]
            if need > phase:
                phase = need
    if phase > t and lo <= w0 < hi:
        slowest = -1
        most = t
        for q in range(nslow[i]):
            p = slow_pos[i, q]
            if k - p >= 0 and car_in[i, k - p] >= 0:
                need = slow_need[i, q, car_variant[car_in[i, k - p]]]
                if need > t:
                    st = station_of[i, p]
                    over_cycles[i, st] += 1
                    if need > most:
                        slowest = st
                        most = need
        over_stop[i, slowest] += phase - t
    work = phase
    # breakdowns on the line's running clock (v1's heap: the earliest failure first, the lower station on a tie)
    w = w0
    left = work
    stopped = 0.0
    failed = False
    while True:
        first = -1
        at = INF
        for st in range(next_fail.shape[1]):
            if has_fail[i, st] and next_fail[i, st] < at:
                first = st
                at = next_fail[i, st]
        if first < 0 or at >= running[i] + left:
            break
        if draw_i[i, first, 1] >= ttr.shape[2] or draw_i[i, first, 0] >= tbf.shape[2]:
            plant_i[PI_NEED_NODE] = i
            plant_i[PI_NEED_SLOT] = first
            return -1.0
        failed = True
        delta = at - running[i]
        w += delta
        running[i] = at
        left -= delta
        repair = ttr[i, first, draw_i[i, first, 1]]
        draw_i[i, first, 1] += 1
        repaired = w + repair
        _add(down_acc[i], first, w, repaired, lo, hi)
        stopped += _clip(w, repaired, lo, hi)
        w = repaired
        downs[i, first] += 1
        next_fail[i, first] = running[i] + tbf[i, first, draw_i[i, first, 0]]
        draw_i[i, first, 0] += 1
    if failed:
        tick_repair[i, k] = stopped
        has_repair[i, k] = 1
    running[i] += left
    w_end = w + left
    tick_start[i, k] = w0
    tick_end[i, k] = w_end
    tick_work[i, k] = work
    return w_end


@njit(cache=True, inline="always")
def _worked_to(i, w_end, clock, s, e, count):
    """The end of node i's work phase in wall time (never before its start): on to the hand-over."""
    k = count[i, N_E]
    start = s[i, k]
    wall = at_work(clock, w_end)
    e[i, k] = wall if wall > start else start
    count[i, N_E] = k + 1
    count[i, PHASE] = 2


@njit(cache=True, inline="always")
def _hand_on(i, n, kind, places, before, end, s, e, put, car_in, index_of, offered, handed, blocked, count,
             state, since, plant, plant_i, clock, line_acc, acc, idle_log, lo, hi, completions, wall_window):
    k = count[i, N_PUT]
    done = e[i, k]
    leaving = k - places[i] + 1
    j = car_in[i, leaving] if leaving >= 0 else -1
    last = i == n - 1
    if j >= 0:
        if j == count[i, N_OFF]:
            offered[i, j] = done
            count[i, N_OFF] = j + 1
            if i < n - 1:
                count[i + 1, WOKEN] = 1  # with no place between, the next node may take it now
        if done >= end:
            count[i, STOPPED] = 1
            return 0
        if last:
            if not (plant_i[PI_PASS] and plant_i[PI_PUT_J] == j):
                plant_i[PI_PUT] = 1
                plant_i[PI_PUT_J] = j
                plant[P_PUT_AT] = done
                return 0
            plant_i[PI_PASS] = 0
            at = plant[P_PASS_AT]
        else:
            places_next = before[i + 1]
            wanted = j if places_next == 0 else j - places_next
            if wanted < 0:
                free = 0.0
            elif wanted < count[i + 1, N_IDX]:
                free = s[i + 1, index_of[i + 1, wanted]]
            else:
                if count[i + 1, STOPPED]:
                    _stop(i, BLOCKED, done, count, state, since, clock)
                return 0
            at = free if free > done else done
            if at >= end:
                _stop(i, BLOCKED, done, count, state, since, clock)
                return 0
        if at > done:
            _wait(i, BLOCKED, done, at, kind, clock, line_acc, acc, idle_log, count, lo, hi)
        handed[i, j] = at
        blocked[i, j] = 1 if at > done else 0
        count[i, N_HAND] = j + 1
        count[i, INSIDE] -= 1
        if kind[i] == STATION and wall_window[0] <= at < wall_window[1]:
            completions[i] += 1
    else:
        at = done
    put[i, k] = at
    count[i, N_PUT] = k + 1
    count[i, PHASE] = 0
    return 1


@njit(cache=True, inline="always")
def _stop(i, st, at, count, state, since, clock):
    count[i, STOPPED] = 1
    state[i] = st
    since[i] = worked(clock, at)


@njit(cache=True, inline="always")
def _wait(i, st, a, b, kind, clock, line_acc, acc, idle_log, count, lo, hi):
    w0 = worked(clock, a)
    w1 = worked(clock, b)
    if kind[i] == STATION:
        _add(acc[i], st, w0, w1, lo, hi)
        if w1 > w0:
            m = count[i, N_IDLE]
            idle_log[i, m] = w0
            idle_log[i, m + 1] = w1
            count[i, N_IDLE] = m + 2
    else:
        _add(line_acc[i], st, w0, w1, lo, hi)


@njit(cache=True)
def level_changes(handed, n_handed, s_next, put_next, index_of_next, n_taken, places):
    """``chain.Chain._levels``'s changes of the buffer between two nodes of a chain, in v1's order: (time, +1 or
    -1) sorted by time, a take before a hand-in at one instant, then by car; a car handed straight to a node
    waiting for it changes nothing, nor does a blocked hand-over into the place a take just freed (nor that
    take)."""
    at = np.empty(2 * n_handed)
    delta = np.empty(2 * n_handed, dtype=np.int64)
    car = np.empty(2 * n_handed, dtype=np.int64)
    freed = np.zeros(n_handed + 1, dtype=np.bool_)
    m = 0
    for j in range(n_handed):
        when = handed[j]
        has_taken = j < n_taken
        taken = s_next[index_of_next[j]] if has_taken else 0.0
        if has_taken and taken == when:
            k = index_of_next[j]
            ready = put_next[k - 1] if k > 0 else 0.0
            if ready < when:
                continue
        if j >= places and j - places < n_taken and s_next[index_of_next[j - places]] == when:
            freed[j - places] = True
        else:
            at[m] = when
            delta[m] = 1
            car[m] = j
            m += 1
        if has_taken:
            at[m] = taken
            delta[m] = -1
            car[m] = j
            m += 1
    at, delta, car = at[:m], delta[:m], car[:m]
    # (time, delta, car) in order: stable sorts by the later keys first (entries come in car order)
    order = np.argsort(delta, kind="mergesort")
    order = order[np.argsort(at[order], kind="mergesort")]
    keep = np.zeros(m, dtype=np.bool_)
    for q in range(m):
        keep[q] = delta[order[q]] > 0 or not freed[car[order[q]]]
    chosen = order[keep]
    return at[chosen], delta[chosen]


@njit(cache=True)
def replay(at, delta, lo, hi, capacity, fields, traced):
    """``LevelMonitor.change`` for each change in order (the same sums in the same order): ``fields`` = last_t,
    level, area, full, empty, max_level, max_ever (updated in place); returns the trace's (time, level) pairs."""
    last_t, level, area, full, empty, max_level, max_ever = fields[0], fields[1], fields[2], fields[3], fields[4], \
        fields[5], fields[6]
    trace = np.empty(2 * at.shape[0] if traced else 0)
    t = 0
    for q in range(at.shape[0]):
        now = at[q]
        a = last_t if last_t > lo else lo
        b = now if now < hi else hi
        if b > a:
            span = b - a
            if level > max_level:
                max_level = level
            area += level * span
            if level >= capacity:
                full += span
            if level == 0:
                empty += span
        last_t = now
        level += delta[q]
        if traced and delta[q] != 0:
            trace[t] = now
            trace[t + 1] = level
            t += 2
        if level > max_ever:
            max_ever = level
        if lo <= now < hi and level > max_level:
            max_level = level
    fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], fields[6] = last_t, level, area, full, empty, \
        max_level, max_ever
    return trace[:t]
