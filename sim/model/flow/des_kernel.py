"""Engine v2's compiled kernel (numba; plain Python when numba is absent or NUMBA_DISABLE_JIT=1): v1's processes
as state machines on an event heap kept in SimPy's order, and v1's stores, over arrays (``des.CompiledPlant``
builds them from a plant, runs this kernel and writes the records back). Kept apart from the Python side so
that numba's cache of it, invalidated by any change to this file, survives changes there.
"""
from __future__ import annotations

import numpy as np

try:
    from numba import config, njit, objmode
    COMPILED = not config.DISABLE_JIT
    """Whether numba compiles the kernel (else it runs as plain Python: the same figures, slower than v1)."""
except ImportError:  # the kernel runs as plain Python: a call into Python is a plain call
    from contextlib import contextmanager

    COMPILED = False

    def njit(*args, **kwargs):
        return args[0] if args and callable(args[0]) else (lambda f: f)

    @contextmanager
    def objmode(**types):
        yield

INF = np.inf
URGENT, NORMAL = 0, 1
LINE, CONVEYOR, STATION = 0, 1, 2
SOURCE, SINK = -1, -2
RUNNING, NEED_CARS, LOG_FULL, FINISHED, NEED_ROOM, NEED_DRAWS, NEED_CYCLES, BROKEN, YIELD, RESUMED = range(10)
IO_KIND, IO_RESUME, IO_NEXT_CAR, IO_DRAWN, IO_LOGGED, IO_UNITS, IO_ERROR, IO_ERROR_AT, IO_ENTRIES, IO_SPRIO, \
    IO_SEID, IO_ONLY, IO_CARS = range(13)
IO_SIZE = 13
"""``io``: ... SimPy's next event (its priority and number; its time in ``io_f[1]``), whether the kernel returns
once the process it resumes waits (``IO_ONLY``), the cars in Python's list of the launched (``IO_CARS``); then
two numbers per Python store s at IO_SIZE + 2 s (``_given``)."""
PY_GIVEN, PY_ENTRY = 0, 1
"""Of a Python store: how many of its puts or takes the kernel may make without asking it (places in the yard,
cars the launch with holds drew ahead, cars a kit gate passes with their kits surely on hand), and the kernel
buffer a kit gate takes from (-1: none)."""
PY = -1 << 40
"""An input or output at PY - x is the Python store x (the launch with holds, a kit gate, the yard): the kernel
calls into Python (``_callout``) to take from it or put into it."""
CO_TAKE, CO_PUT, CO_WANTS, CO_OFFER, CO_POOL_TAKE, CO_POOL_RELEASE = range(6)
CALLOUT = [None]
"""The running ``CompiledPlant``'s ``_callout``: what the kernel asks of Python (read in object mode)."""
# the invariants the kernel checks (``io[IO_ERROR]``; ``io[IO_ERROR_AT]``: the join, send or buffer)
E_OTHER_CAR, E_PARTS_AWAY, E_CARRIERS, E_UNBOUNDED, E_OVERDUE = 1, 2, 3, 4, 5
# unit columns (``cars``: cars and feeders' parts alike): variant, model, colour, re-entry lane, the car it was
# made for (a car: itself), the launch's number of a car (-1: a part), its own parts away
U_VARIANT, U_MODEL, U_COLOUR, U_LANE, U_CAR, U_DRAWN, U_AWAY, U_SEQ = range(8)
UNIT_ROWS = 8
# joins (join_i columns): node, position (a line's), parts buffer, matched, own parts, carriers (-1: none), waits,
# fitted; sends (send_i columns): node, position, call-off buffer, own parts, carriers, sent
J_NODE, J_POS, J_BUF, J_MATCHED, J_OWN, J_CARRIERS, J_WAITS, J_FITTED = range(8)
SD_NODE, SD_POS, SD_BUF, SD_OWN, SD_CARRIERS, SD_SENT = range(6)
C_COUNT, C_IN_USE, C_HEAD, C_WAITING = range(4)
CHECK = 256
"""Events between two checks of the room and draws left (each event appends at most one index or two idle
entries a node, draws one cycle, logs two cars)."""
WORKING, BLOCKED, STARVED, DOWN, LABOUR, FEEDER, COLOUR = 0, 1, 2, 3, 5, 6, 7

# process columns (ints): node, server, state, value (a car passed on resume), waiting state, N
P_NODE, P_SERVER, P_STATE, P_VALUE, P_WAITING, P_CAR, P_SERIAL, P_STEP, P_TAKEN = range(9)
SERIALS = 1 << 20
"""A waiting taker's ticket: its process x SERIALS + the serial of its wait (a served wait bumps the serial, so a
ticket left in a second store's queue, a merge's, is stale: ``getter.triggered``)."""
NONE, AFTER_REPAIR = -3, -4
MERGE, GATE, SPLIT = -10, -10, -1000
"""An input below MERGE is merge MERGE - input; an output below GATE is gate GATE - output, below SPLIT the
split SPLIT - output (a parallel section's ``BranchSplit``, in turn or by model)."""
SCRAPPED = 1 << 40
LATER = 1 << 41
"""A log entry of a put into a Python store or a take from it that the kernel made without asking it (Python makes
it later, in the log's order): -(LATER x (the store + 1) + the unit)."""
LANE = 4095
"""Places of a re-entry lane in the kernel (unbounded in v1: more cars than this in one lane would block)."""
"""A log entry of a car scrapped (its number + 1 + SCRAPPED)."""
# node columns (ints)
N_KIND, N_SERVERS, N_IN, N_OUT, N_PLACES, N_NSLOW, N_INSIDE, N_TICKS, N_IDLE, N_COMPLETIONS, N_DRIFT, N_FLOATERS, \
    N_BOOTHS, N_EXIT, N_JOIN0, N_JOINS, N_SEND0, N_SENDS, N_TAKE0, N_TAKES, N_PUSH_OUT, N_BASE, N_NEEDED, \
    N_TICK_ROW = range(24)
N_COLUMNS = 24
"""... N_NEEDED: a pooled station's operators a cycle (0: no labour pool)."""
# a quality gate (gate_i columns): where passing cars go, its rework paths, draws used, inspected, failed
G_ONWARD, G_PATHS, G_DRAWN, G_INSPECTED, G_FAILED, G_EXIT = range(6)
# a line's paint booths (booth_i columns): the position it checks, its station, the last colour (-1: none), its tally
B_POSITION, B_STATION, B_COLOUR, B_CHANGES, B_BODIES, B_BLOCKS, B_SEEN = range(7)
# line columns (floats): takt, running clock, and under drift zones: the last index's start and work, the allowance
F_TAKT, F_RUNNING, F_LAST_START, F_LAST_WORK, F_ALLOWANCE = range(5)
# buffer columns (ints): ... its sorting store (-1: a FIFO), its shop's entry log (-1: none)
B_CAP, B_HEAD, B_COUNT, B_GHEAD, B_GCOUNT, B_PHEAD, B_PCOUNT, B_TRACED, B_SORT, B_LOG, B_TRACE_ROW = range(11)
B_COLUMNS = 11
# a sorting store (``sorting[0]`` columns): lanes, lane depth, the clock of the shop it feeds, its rule, max_block
# (-1: none), whether it has a max_wait, the running block's colour (-1: none) and length, bodies in it, arrivals,
# released and forced in the window, the ring of arrivals kept for the max_wait check (head, count)
SO_LANES, SO_DEPTH, SO_CLOCK, SO_RULE, SO_MAX_BLOCK, SO_HAS_WAIT, SO_COLOUR, SO_BLOCK, SO_COUNT, SO_ARRIVED, \
    SO_RELEASED, SO_FORCED, SO_OLD_HEAD, SO_OLD_N = range(14)
SO_MAX_WAIT, SO_WAIT_SUM, SO_WAIT_MAX, SO_LO, SO_HI = range(5)
BY_COLOUR, BY_SEQUENCE = 0, 1
# per lane (``sorting[2]``): head and count of its cars, head and count of its runs of one colour; per place
# (``sorting[3]``): the car, its arrival number, the run's colour, the run's length
LN_HEAD, LN_COUNT, LN_RUN_HEAD, LN_RUNS = range(4)
PL_CAR, PL_ORDER, PL_RUN_KIND, PL_RUN_CARS = range(4)
# monitor fields (floats): last_t, level, area, full, empty, max_level, max_ever


# ---------------------------------------------------------------- the shift clock and state accounts


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


@njit(cache=True, inline="always")
def _before(ht, hp, he, a, b):
    """Whether heap entry a comes before b: (time, priority, eid)."""
    if ht[a] != ht[b]:
        return ht[a] < ht[b]
    if hp[a] != hp[b]:
        return hp[a] < hp[b]
    return he[a] < he[b]


@njit(cache=True, inline="always")
def _swap(ht, hp, he, hq, a, b):
    ht[a], ht[b] = ht[b], ht[a]
    hp[a], hp[b] = hp[b], hp[a]
    he[a], he[b] = he[b], he[a]
    hq[a], hq[b] = hq[b], hq[a]


@njit(cache=True, inline="always")
def schedule(heap_f, heap_i, sched, t, priority, proc, value):
    """Push an event (SimPy's ``schedule``: the next event number); the heap must have room."""
    ht, hp, he, hq, hv = heap_f[0], heap_i[0], heap_i[1], heap_i[2], heap_i[3]
    k = sched[0]
    eid = sched[1]
    sched[1] = eid + 1
    ht[k], hp[k], he[k], hq[k], hv[k] = t, priority, eid, proc, value
    sched[0] = k + 1
    while k > 0:
        parent = (k - 1) // 2
        if not _before(ht, hp, he, k, parent):
            break
        _swap(ht, hp, he, hq, k, parent)
        hv[k], hv[parent] = hv[parent], hv[k]
        k = parent


@njit(cache=True, inline="always")
def _pop(heap_f, heap_i, sched):
    ht, hp, he, hq, hv = heap_f[0], heap_i[0], heap_i[1], heap_i[2], heap_i[3]
    proc, value = hq[0], hv[0]
    n = sched[0] - 1
    sched[0] = n
    ht[0], hp[0], he[0], hq[0], hv[0] = ht[n], hp[n], he[n], hq[n], hv[n]
    k = 0
    while True:
        left, right, small = 2 * k + 1, 2 * k + 2, k
        if left < n and _before(ht, hp, he, left, small):
            small = left
        if right < n and _before(ht, hp, he, right, small):
            small = right
        if small == k:
            break
        _swap(ht, hp, he, hq, k, small)
        hv[k], hv[small] = hv[small], hv[k]
        k = small
    return proc, value


@njit(cache=True, inline="always")
def _change(mon, b, now, delta, lo, hi, cap, buf, traces):
    """``LevelMonitor.change`` (its trace of (time, level) kept where v1 keeps it: row ``buf[b, B_TRACE_ROW]`` of
    ``traces``, its length in ``buf[b, B_TRACED]`` - 1; 0: no trace)."""
    last_t, level = mon[b, 0], mon[b, 1]
    a = last_t if last_t > lo else lo
    e = now if now < hi else hi
    if e > a:
        span = e - a
        if level > mon[b, 5]:
            mon[b, 5] = level
        mon[b, 2] += level * span
        if level >= cap:
            mon[b, 3] += span
        if level == 0:
            mon[b, 4] += span
    mon[b, 0] = now
    level += delta
    mon[b, 1] = level
    if buf[b, B_TRACED] and delta != 0:
        m, r = buf[b, B_TRACED] - 1, buf[b, B_TRACE_ROW]
        traces[r, m] = now
        traces[r, m + 1] = level
        buf[b, B_TRACED] = m + 3
    if level > mon[b, 6]:
        mon[b, 6] = level
    if lo <= now < hi and level > mon[b, 5]:
        mon[b, 5] = level


# ---------------------------------------------------------------- breakdowns (``states``): one slot per server

# fm_i columns: the mode due (-1: none yet), the number of modes, whether its tally is kept (FailureModes), whether
# the server has maintenance windows (a free-flow server), then the stops per mode
FI_DUE, FI_MODES, FI_TALLY, FI_MAINT, FI_CALENDAR, FI_STOPS = range(6)
# fm_f columns: the gap given last, a free-flow server's time to failure and next service, then each mode's clock
# left and each mode's down time
FM_GAP, FM_TO_FAILURE, FM_NEXT_SERVICE, FM_DOWN_START, FM_DOWN_END, FM_LEFT = range(6)


@njit(cache=True, inline="always")
def _fm_next(f, fm_i, fm_f):
    """``FailureModes._next``: the mode whose clock runs out first (the first of equals)."""
    m = fm_i[f, FI_MODES]
    due = 0
    for k in range(1, m):
        if fm_f[f, FM_LEFT + k] < fm_f[f, FM_LEFT + due]:
            due = k
    fm_i[f, FI_DUE] = due
    left = fm_f[f, FM_LEFT + due]
    fm_f[f, FM_GAP] = left if left > 0.0 else 0.0
    return fm_f[f, FM_GAP]


@njit(cache=True, inline="always")
def _fm_between(f, fm_i, fm_f, fm_draws, fm_di):
    """``FailureModes.between`` (the single form as one mode: its next draw): the time to the next failure."""
    due = fm_i[f, FI_DUE]
    if due >= 0:
        gap = fm_f[f, FM_GAP]
        for k in range(fm_i[f, FI_MODES]):
            fm_f[f, FM_LEFT + k] -= gap
        fm_f[f, FM_LEFT + due] = fm_draws[0, f, due, fm_di[f, due, 0]]
        fm_di[f, due, 0] += 1
    return _fm_next(f, fm_i, fm_f)


@njit(cache=True, inline="always")
def _fm_afresh(f, fm_i, fm_f, fm_draws, fm_di):
    """``FailureModes.afresh``: every mode's clock drawn afresh (a preventive service)."""
    for k in range(fm_i[f, FI_MODES]):
        fm_f[f, FM_LEFT + k] = fm_draws[0, f, k, fm_di[f, k, 0]]
        fm_di[f, k, 0] += 1
    return _fm_next(f, fm_i, fm_f)


@njit(cache=True, inline="always")
def _fm_repair(f, fm_i, fm_draws, fm_di):
    """The repair of the failure that just happened (the due mode's)."""
    due = fm_i[f, FI_DUE]
    repair = fm_draws[1, f, due, fm_di[f, due, 1]]
    fm_di[f, due, 1] += 1
    return repair


@njit(cache=True, inline="always")
def _fm_note(f, w, repaired, fm_i, fm_f, tally_lo, tally_hi):
    """``FailureModes.note``: the due mode's stop (starting in the window) and its down time (clipped to it)."""
    if fm_i[f, FI_TALLY]:
        due = fm_i[f, FI_DUE]
        m = fm_i[f, FI_MODES]
        if tally_lo <= w < tally_hi:
            fm_i[f, FI_STOPS + due] += 1
        fm_f[f, FM_LEFT + m + due] += _clip(w, repaired, tally_lo, tally_hi)


@njit(cache=True, inline="always")
def _service_after(maint, n_maint, w, outs, n_outs, o):
    """The maintenance window after w (``next_after``; in outage-free time under outages: ``MaintenanceOnFreeTime``)."""
    if o < 0:
        return _next_after(maint, n_maint, w)
    return _free(outs, n_outs, o, _next_after(maint, n_maint, _back(outs, n_outs, o, w)))


@njit(cache=True, inline="always")
def _repaired(maint, n_maint, w, repair, outs, n_outs, o):
    """``repair_end`` of a repair from w (in outage-free time under outages)."""
    if o < 0:
        return _repair_end(maint, n_maint, w, repair)
    return _free(outs, n_outs, o, _repair_end(maint, n_maint, _back(outs, n_outs, o, w), repair))


@njit(cache=True)
def _calendar_next(f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, lo, hi, outs, n_outs, o):
    """``CalendarFailures._next``: the next breakdown after the last repair, serviced first if a window comes."""
    start = fm_f[f, FM_DOWN_END] + _fm_between(f, fm_i, fm_f, fm_draws, fm_di)
    if not fm_i[f, FI_MAINT]:
        fm_f[f, FM_DOWN_START] = start
        fm_f[f, FM_DOWN_END] = start + _fm_repair(f, fm_i, fm_draws, fm_di)
    else:
        if fm_i[f, FI_MAINT] == 2:  # preventive: serviced in a window before it failed, its clock starts afresh
            service = _service_after(maint, n_maint, fm_f[f, FM_DOWN_END], outs, n_outs, o)
            while start > service:
                start = service + _fm_afresh(f, fm_i, fm_f, fm_draws, fm_di)
                service = _service_after(maint, n_maint, service, outs, n_outs, o)
        fm_f[f, FM_DOWN_START] = start
        fm_f[f, FM_DOWN_END] = _repaired(maint, n_maint, start, _fm_repair(f, fm_i, fm_draws, fm_di), outs, n_outs, o)
    _fm_note(f, start, fm_f[f, FM_DOWN_END], fm_i, fm_f, lo, hi)


@njit(cache=True)
def _calendar_work(f, w, work, acc, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i, k, outs, n_outs, o, lo,
                   hi):
    """``CalendarFailures.work``: the cycle from w, down through each breakdown on the way; its end."""
    while True:
        if fm_f[f, FM_DOWN_END] <= w:
            st_i[0, i, k] += 1
            _calendar_next(f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, lo, hi, outs, n_outs, o)
        elif fm_f[f, FM_DOWN_START] <= w:
            _add_free(acc, DOWN, w, fm_f[f, FM_DOWN_END], outs, n_outs, o, lo, hi)
            w = fm_f[f, FM_DOWN_END]
        elif w + work <= fm_f[f, FM_DOWN_START]:
            _add_free(acc, WORKING, w, w + work, outs, n_outs, o, lo, hi)
            return w + work
        else:
            span = fm_f[f, FM_DOWN_START] - w
            _add_free(acc, WORKING, w, fm_f[f, FM_DOWN_START], outs, n_outs, o, lo, hi)
            work -= span
            w = fm_f[f, FM_DOWN_START]


# ---------------------------------------------------------------- outages and maintenance (``outages``, ``clock``)


@njit(cache=True, inline="always")
def _free(outs, n_outs, o, w):
    """``DownSchedule.free``: outage-free time before worked time w (schedule o)."""
    starts, ends, free_at = outs[o, 0], outs[o, 1], outs[o, 2]
    i = _right(starts[:n_outs[o]], w) - 1
    if i < 0:
        return w
    if w < ends[i]:
        return free_at[i]
    return free_at[i] + (w - ends[i])


@njit(cache=True, inline="always")
def _back(outs, n_outs, o, u):
    """``DownSchedule.back``: the earliest worked time with u of outage-free time before it."""
    ends, free_at = outs[o, 1], outs[o, 2]
    i = _left(free_at[:n_outs[o]], u) - 1
    return u if i < 0 else ends[i] + (u - free_at[i])


@njit(cache=True)
def _pieces(acc, up, down, a, b, outs, n_outs, o, lo, hi):
    """[a, b] cut at schedule o's outages (``DownSchedule.pieces``): each up piece added to ``acc[up]`` and each
    down piece to ``acc[down]`` (an index < 0: not added); returns the measured seconds of the up pieces
    (``PacedLine._free_clip``) and of the down pieces."""
    starts, ends = outs[o, 0], outs[o, 1]
    n = n_outs[o]
    i = _right(ends[:n], a)
    cursor = a
    up_s = 0.0
    down_s = 0.0
    while i < n and starts[i] < b:
        if starts[i] > cursor:
            if up >= 0:
                _add(acc, up, cursor, starts[i], lo, hi)
            up_s += _clip(cursor, starts[i], lo, hi)
        end = ends[i] if ends[i] < b else b
        if end > cursor:
            start = starts[i] if starts[i] > cursor else cursor
            if down >= 0:
                _add(acc, down, start, end, lo, hi)
            down_s += _clip(start, end, lo, hi)
            cursor = end
        i += 1
    if cursor < b:
        if up >= 0:
            _add(acc, up, cursor, b, lo, hi)
        up_s += _clip(cursor, b, lo, hi)
    return up_s, down_s


@njit(cache=True, inline="always")
def _add_free(acc, state, a, b, outs, n_outs, o, lo, hi):
    """``OnFreeTime.add`` (o >= 0: [a, b] in outage-free time, added at its worked-time pieces) or ``StateAccount.add``."""
    if o < 0:
        _add(acc, state, a, b, lo, hi)
    elif b > a:
        _pieces(acc, state, -1, _back(outs, n_outs, o, a), _back(outs, n_outs, o, b), outs, n_outs, o, lo, hi)


@njit(cache=True)
def _inner_idle(acc, state, a, b, outs, n_outs, o, lo, hi, f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i, k):
    """A server's breakdown process waiting from a to b (``idle``): on the calendar clock, down in its breakdowns on
    the way (``CalendarFailures.idle``); otherwise all of it the wait."""
    if f < 0 or not fm_i[f, FI_CALENDAR]:
        _add_free(acc, state, a, b, outs, n_outs, o, lo, hi)
        return
    w = a
    while w < b:
        if fm_f[f, FM_DOWN_END] <= w:
            st_i[0, i, k] += 1
            _calendar_next(f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, lo, hi, outs, n_outs, o)
        elif fm_f[f, FM_DOWN_START] <= w:
            end = fm_f[f, FM_DOWN_END] if fm_f[f, FM_DOWN_END] < b else b
            _add_free(acc, DOWN, w, end, outs, n_outs, o, lo, hi)
            w = end
        else:
            end = fm_f[f, FM_DOWN_START] if fm_f[f, FM_DOWN_START] < b else b
            _add_free(acc, state, w, end, outs, n_outs, o, lo, hi)
            w = end


@njit(cache=True)
def _idle_free(acc, state, a, b, outs, n_outs, o, lo, hi, f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i, k):
    """``WithOutages.idle`` of a server: down in the outages of [a, b], the rest its wait, read in outage-free time
    (each up piece converted there and back, as v1 does)."""
    starts, ends = outs[o, 0], outs[o, 1]
    n = n_outs[o]
    j = _right(ends[:n], a)
    cursor = a
    while j < n and starts[j] < b:
        if starts[j] > cursor:
            _inner_idle(acc, state, _free(outs, n_outs, o, cursor), _free(outs, n_outs, o, starts[j]), outs, n_outs, o,
                        lo, hi, f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i, k)
        end = ends[j] if ends[j] < b else b
        if end > cursor:
            _add(acc, DOWN, starts[j] if starts[j] > cursor else cursor, end, lo, hi)
            cursor = end
        j += 1
    if cursor < b:
        _inner_idle(acc, state, _free(outs, n_outs, o, cursor), _free(outs, n_outs, o, b), outs, n_outs, o, lo, hi, f,
                    fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i, k)


@njit(cache=True, inline="always")
def _idle_line(acc, state, a, b, outs, n_outs, o, lo, hi):
    """A line's wait (``_idle``, ``_idle_around_outages``): down in the outages of [a, b]."""
    if o < 0:
        _add(acc, state, a, b, lo, hi)
    else:
        _pieces(acc, state, DOWN, a, b, outs, n_outs, o, lo, hi)


@njit(cache=True, inline="always")
def _idle_station(acc, state, a, b, outs, n_outs, o, lo, hi, f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i,
                  k):
    """A server's wait (``failures.idle``), under outages ``WithOutages.idle``."""
    if o < 0:
        _inner_idle(acc, state, a, b, outs, n_outs, o, lo, hi, f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i,
                    k)
    else:
        _idle_free(acc, state, a, b, outs, n_outs, o, lo, hi, f, fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, i,
                   k)


@njit(cache=True, inline="always")
def _repair_end(maint, n_maint, w, repair):
    """``MaintenanceWindows.repair_end``."""
    at, hours = maint[0], maint[1]
    n = n_maint[0]
    i = _right(at[:n], w)
    while i < n and w + repair > at[i]:
        repair -= at[i] - w + hours[i]
        w = at[i]
        if repair <= 0:
            return w
        i += 1
    return w + repair


@njit(cache=True, inline="always")
def _next_after(maint, n_maint, w):
    """``MaintenanceWindows.next_after``."""
    at = maint[0]
    n = n_maint[0]
    i = _right(at[:n], w)
    return at[i] if i < n else INF


@njit(cache=True)
def _callout(code, a, b, c, d):
    """Ask Python (``CompiledPlant._callout``): a take from or a put into a Python store, a Python taker's wish
    for a car and the car handed to it, operators of a labour pool taken or given back."""
    with objmode(answer="int64"):
        answer = _dispatch(code, a, b, c, d)
    return answer


def _dispatch(code, a, b, c, d) -> int:
    """The kernel's question to the running plant (a module function: numba caches a kernel that calls it)."""
    return CALLOUT[0](code, a, b, c, d)


@njit(cache=True)
def _python_taker(b, ticket, car, now, buf, sorting, cars, io):
    """A Python taker (a kit gate's standing request) at the head of a kernel store's takers: True when it still
    wants a car and took this one (handed over as the store hands a car to a waiting station)."""
    if not _callout(CO_WANTS, -1 - ticket, 0, 0, 0):
        return False  # it no longer wants one (the template's ``triggered``): the next taker
    if buf[b, B_SORT] >= 0:
        _sort_taken(b, buf[b, B_SORT], car, 0.0, 0, now, buf, sorting, cars, io)
    elif buf[b, B_LOG] >= 0:
        _record(b, car, now, buf, sorting, io)
    _callout(CO_OFFER, -1 - ticket, car, 0, 0)
    return True


@njit(cache=True, inline="always")
def _next_putter(b, buf, putters, putter_car):
    """The first blocked put (its process and car), taken off the queue (rule 3 of the store template)."""
    q = buf[b, B_PHEAD]
    buf[b, B_PHEAD] = (q + 1) % putters.shape[1]
    buf[b, B_PCOUNT] -= 1
    return putters[b, q], putter_car[b, q]


@njit(cache=True, inline="always")
def _record(b, u, now, buf, sorting, io):
    """``EntryLog.record``: the unit entered the shop the buffer feeds (logged for Python, in order)."""
    n = io[IO_ENTRIES]
    sorting[8][n] = now
    sorting[9][0, n], sorting[9][1, n] = u, buf[b, B_LOG]
    io[IO_ENTRIES] = n + 1


@njit(cache=True)
def _heads(s, so_i, lane_i, lane_u, heads):
    """``_LanesByKind.heads``: the lanes with a car, their heads oldest (lowest arrival number) first."""
    n = 0
    for k in range(so_i[s, SO_LANES]):
        if lane_i[s, k, LN_COUNT] == 0:
            continue
        order = lane_u[s, k, lane_i[s, k, LN_HEAD], PL_ORDER]
        q = n
        while q > 0 and lane_u[s, heads[q - 1], lane_i[s, heads[q - 1], LN_HEAD], PL_ORDER] > order:
            heads[q] = heads[q - 1]
            q -= 1
        heads[q] = k
        n += 1
    return n


@njit(cache=True)
def _colour_pick(s, worked_now, so_i, so_f, lane_i, lane_u, lane_w):
    """``ColourBlocks.pick`` (release overdue_first): (lane whose head goes next, 1 when max_wait forced it)."""
    heads = np.empty(so_i[s, SO_LANES], dtype=np.int64)
    n = _heads(s, so_i, lane_i, lane_u, heads)
    if so_i[s, SO_HAS_WAIT]:
        k = heads[0]
        if worked_now - lane_w[s, k, lane_i[s, k, LN_HEAD]] >= so_f[s, SO_MAX_WAIT]:
            return k, 1
    colour, block = so_i[s, SO_COLOUR], so_i[s, SO_BLOCK]
    cap = so_i[s, SO_MAX_BLOCK]
    if cap < 0:
        cap = 1 << 62
    if colour >= 0 and block < cap:
        for q in range(n):
            k = heads[q]
            if lane_u[s, k, lane_i[s, k, LN_RUN_HEAD], PL_RUN_KIND] == colour:
                return k, 0
    # the colours ready at the lane heads (in order of their oldest head) and their bodies
    kinds = np.empty(n, dtype=np.int64)
    bodies = np.zeros(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    m = 0
    for q in range(n):
        k = heads[q]
        run = lane_i[s, k, LN_RUN_HEAD]
        kind, cars = lane_u[s, k, run, PL_RUN_KIND], lane_u[s, k, run, PL_RUN_CARS]
        c = 0
        while c < m and kinds[c] != kind:
            c += 1
        if c == m:
            kinds[m], bodies[m], first[m] = kind, cars, k
            m += 1
        else:
            bodies[c] += cars
    skip = colour if block >= cap and m > 1 else -2  # the block is full: another colour's turn
    best, best_n = -1, -1
    for c in range(m):
        if kinds[c] == skip:
            continue
        ready = bodies[c] if bodies[c] < cap else cap
        if ready > best_n:
            best, best_n = first[c], ready
    return best, 0


@njit(cache=True)
def _sequence_pick(s, so_i, lane_i, lane_u, cars):
    """``PlannedSequence.pick``: the lane head with the lowest launch number."""
    best, best_seq = -1, 0
    for k in range(so_i[s, SO_LANES]):
        if lane_i[s, k, LN_COUNT] > 0:
            seq = cars[U_SEQ, lane_u[s, k, lane_i[s, k, LN_HEAD], PL_CAR]]
            if best < 0 or seq < best_seq:
                best, best_seq = k, seq
    return best


@njit(cache=True)
def _sort_join(s, car, now, sorting, cars, clocks):
    """``SortingStore._join``: the car into the lane its rule chooses, with its arrival number and time."""
    so_i, lane_i, lane_u, lane_w, in_store, old_i, old_w = sorting[0], sorting[2], sorting[3], sorting[4], \
        sorting[5], sorting[6], sorting[7]
    depth = so_i[s, SO_DEPTH]
    chosen = -1
    if so_i[s, SO_RULE] == BY_SEQUENCE:  # ``PlannedSequence.join``
        seq = cars[U_SEQ, car]
        below = empty = lowest = -1
        below_tail = lowest_tail = 0
        for k in range(so_i[s, SO_LANES]):
            n = lane_i[s, k, LN_COUNT]
            if n == 0:
                if empty < 0:
                    empty = k
                continue
            if n >= depth:
                continue
            tail = cars[U_SEQ, lane_u[s, k, (lane_i[s, k, LN_HEAD] + n - 1) % depth, PL_CAR]]
            if tail < seq:
                if below < 0 or tail > below_tail:
                    below, below_tail = k, tail
            elif lowest < 0 or tail < lowest_tail:
                lowest, lowest_tail = k, tail
        chosen = below if below >= 0 else (empty if empty >= 0 else lowest)
    else:  # ``_LanesByKind.join`` by colour: its run lengthened, an empty lane, else the rarest tail's lane
        kind = cars[U_COLOUR, car]
        empty = fallback = -1
        key_a = key_b = 0
        for k in range(so_i[s, SO_LANES]):
            n = lane_i[s, k, LN_COUNT]
            if n == 0:
                if empty < 0:
                    empty = k
            elif n < depth:
                tail = lane_u[s, k, (lane_i[s, k, LN_RUN_HEAD] + lane_i[s, k, LN_RUNS] - 1) % depth, PL_RUN_KIND]
                if tail == kind:
                    chosen = k
                    break
                a = in_store[s, tail]
                if fallback < 0 or a < key_a or (a == key_a and n < key_b):
                    fallback, key_a, key_b = k, a, n
        if chosen < 0:
            chosen = empty if empty >= 0 else fallback
        runs = lane_i[s, chosen, LN_RUNS]
        last = (lane_i[s, chosen, LN_RUN_HEAD] + runs - 1) % depth
        if runs > 0 and lane_u[s, chosen, last, PL_RUN_KIND] == kind:
            lane_u[s, chosen, last, PL_RUN_CARS] += 1
        else:
            last = (lane_i[s, chosen, LN_RUN_HEAD] + runs) % depth
            lane_u[s, chosen, last, PL_RUN_KIND], lane_u[s, chosen, last, PL_RUN_CARS] = kind, 1
            lane_i[s, chosen, LN_RUNS] = runs + 1
        in_store[s, kind] += 1
    arrived = worked(clocks[so_i[s, SO_CLOCK]], now)
    place = (lane_i[s, chosen, LN_HEAD] + lane_i[s, chosen, LN_COUNT]) % depth
    lane_u[s, chosen, place, PL_CAR], lane_u[s, chosen, place, PL_ORDER] = car, so_i[s, SO_ARRIVED]
    lane_w[s, chosen, place] = arrived
    lane_i[s, chosen, LN_COUNT] += 1
    if so_i[s, SO_HAS_WAIT]:  # the arrivals in order, for the max_wait check
        ring = old_w.shape[1]
        q = (so_i[s, SO_OLD_HEAD] + so_i[s, SO_OLD_N]) % ring
        old_i[s, q, 0], old_i[s, so_i[s, SO_ARRIVED] % ring, 1], old_w[s, q] = so_i[s, SO_ARRIVED], 0, arrived
        so_i[s, SO_OLD_N] += 1
    so_i[s, SO_ARRIVED] += 1
    so_i[s, SO_COUNT] += 1


@njit(cache=True)
def _sort_taken(b, s, car, wait, forced, now, buf, sorting, cars, io):
    """``SortingStore._taken``: the next shop took the car (logged), the running block, the window's tallies."""
    so_i, so_f = sorting[0], sorting[1]
    _record(b, car, now, buf, sorting, io)
    if so_i[s, SO_RULE] == BY_COLOUR:  # ``ColourBlocks.sent``
        if cars[U_COLOUR, car] == so_i[s, SO_COLOUR]:
            so_i[s, SO_BLOCK] += 1
        else:
            so_i[s, SO_COLOUR], so_i[s, SO_BLOCK] = cars[U_COLOUR, car], 1
    if so_f[s, SO_LO] <= now < so_f[s, SO_HI]:
        so_i[s, SO_RELEASED] += 1
        so_f[s, SO_WAIT_SUM] += wait
        if wait > so_f[s, SO_WAIT_MAX]:
            so_f[s, SO_WAIT_MAX] = wait
        so_i[s, SO_FORCED] += forced


@njit(cache=True)
def _sort_take(b, s, now, buf, sorting, cars, clocks, io):
    """``SortingStore._take``: the lane head its rule picks (the max_wait invariant checked), taken now."""
    so_i, so_f, lane_i, lane_u, lane_w, in_store, old_i, old_w = sorting[0], sorting[1], sorting[2], sorting[3], \
        sorting[4], sorting[5], sorting[6], sorting[7]
    w = worked(clocks[so_i[s, SO_CLOCK]], now)
    if so_i[s, SO_RULE] == BY_COLOUR:
        lane, forced = _colour_pick(s, w, so_i, so_f, lane_i, lane_u, lane_w)
    else:
        lane, forced = _sequence_pick(s, so_i, lane_i, lane_u, cars), 0
    depth = so_i[s, SO_DEPTH]
    head = lane_i[s, lane, LN_HEAD]
    car, order, arrived = lane_u[s, lane, head, PL_CAR], lane_u[s, lane, head, PL_ORDER], lane_w[s, lane, head]
    lane_i[s, lane, LN_HEAD] = (head + 1) % depth
    lane_i[s, lane, LN_COUNT] -= 1
    so_i[s, SO_COUNT] -= 1
    if so_i[s, SO_RULE] == BY_COLOUR:  # ``_LanesByKind.left``
        run = lane_i[s, lane, LN_RUN_HEAD]
        lane_u[s, lane, run, PL_RUN_CARS] -= 1
        if lane_u[s, lane, run, PL_RUN_CARS] == 0:
            lane_i[s, lane, LN_RUN_HEAD] = (run + 1) % depth
            lane_i[s, lane, LN_RUNS] -= 1
        in_store[s, cars[U_COLOUR, car]] -= 1
    if so_i[s, SO_HAS_WAIT]:  # ``_check_overdue``: no body passes one that has waited max_wait
        ring = old_w.shape[1]
        while old_i[s, old_i[s, so_i[s, SO_OLD_HEAD], 0] % ring, 1]:  # left before: dropped
            old_i[s, old_i[s, so_i[s, SO_OLD_HEAD], 0] % ring, 1] = 0
            so_i[s, SO_OLD_HEAD] = (so_i[s, SO_OLD_HEAD] + 1) % ring
            so_i[s, SO_OLD_N] -= 1
        q = so_i[s, SO_OLD_HEAD]
        if old_i[s, q, 0] == order:
            so_i[s, SO_OLD_HEAD] = (q + 1) % ring
            so_i[s, SO_OLD_N] -= 1
        else:
            if w - old_w[s, q] >= so_f[s, SO_MAX_WAIT]:
                io[IO_ERROR], io[IO_ERROR_AT] = E_OVERDUE, b
            old_i[s, order % ring, 1] = 1
    _sort_taken(b, s, car, w - arrived, forced, now, buf, sorting, cars, io)
    return car


@njit(cache=True)
def _sort_get(b, now, buf, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces, sorting, cars, clocks,
              io):
    """The store template's ``try_get`` on a sorting store: its rule's car, a blocked car joining in its place."""
    s = buf[b, B_SORT]
    if sorting[0][s, SO_COUNT] > 0:
        car = _sort_take(b, s, now, buf, sorting, cars, clocks, io)
        if buf[b, B_PCOUNT] > 0:
            proc, pcar = _next_putter(b, buf, putters, putter_car)
            _sort_join(s, pcar, now, sorting, cars, clocks)
            schedule(heap_f, heap_i, sched, now, NORMAL, proc, -1)
        else:
            _change(mon, b, now, -1.0, mon_w[b, 0], mon_w[b, 1], mon_w[b, 2], buf, traces)
        return car
    if buf[b, B_PCOUNT] > 0:
        proc, pcar = _next_putter(b, buf, putters, putter_car)
        _sort_taken(b, s, pcar, 0.0, 0, now, buf, sorting, cars, io)
        schedule(heap_f, heap_i, sched, now, NORMAL, proc, -1)
        return pcar
    return -1


@njit(cache=True, inline="always")
def _try_get(b, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces, sorting,
             cars, clocks, io):
    """``Buffer.try_get``: the head car (-1: none), a blocked put let in (rule 3) or taken straight (no place); a
    sorting store's by its rule; each car recorded where the shop's entries are logged."""
    if buf[b, B_SORT] >= 0:
        return _sort_get(b, now, buf, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces, sorting, cars,
                         clocks, io)
    rb = items.shape[1]
    if buf[b, B_COUNT] > 0:
        car = items[b, buf[b, B_HEAD]]
        if buf[b, B_LOG] >= 0:
            _record(b, car, now, buf, sorting, io)
        buf[b, B_HEAD] = (buf[b, B_HEAD] + 1) % rb
        buf[b, B_COUNT] -= 1
        if buf[b, B_PCOUNT] > 0:
            proc, pcar = _next_putter(b, buf, putters, putter_car)
            items[b, (buf[b, B_HEAD] + buf[b, B_COUNT]) % rb] = pcar
            buf[b, B_COUNT] += 1
            schedule(heap_f, heap_i, sched, now, NORMAL, proc, -1)
        else:
            _change(mon, b, now, -1.0, mon_w[b, 0], mon_w[b, 1], mon_w[b, 2], buf, traces)
        return car
    if buf[b, B_PCOUNT] > 0:
        proc, pcar = _next_putter(b, buf, putters, putter_car)
        if buf[b, B_LOG] >= 0:
            _record(b, pcar, now, buf, sorting, io)
        schedule(heap_f, heap_i, sched, now, NORMAL, proc, -1)
        return pcar
    return -1


@njit(cache=True, inline="always")
def _try_put(b, car, priority, now, buf, items, getters, procs, mon, mon_w, heap_f, heap_i, sched, traces, sorting,
             cars, clocks, io):
    """``Buffer.try_put``: to the first taker still waiting (a ticket served by another store skipped), or into a
    free place (at the front for a re-entering car); False when full. A sorting store's car joins a lane."""
    while buf[b, B_GCOUNT] > 0:
        q = buf[b, B_GHEAD]
        ticket = getters[b, q]
        buf[b, B_GHEAD] = (q + 1) % getters.shape[1]
        buf[b, B_GCOUNT] -= 1
        if ticket < 0:  # a Python taker
            if _python_taker(b, ticket, car, now, buf, sorting, cars, io):
                return True
            continue
        proc = ticket // SERIALS
        if ticket % SERIALS == procs[proc, P_SERIAL] % SERIALS:
            procs[proc, P_SERIAL] += 1
            if buf[b, B_SORT] >= 0:
                _sort_taken(b, buf[b, B_SORT], car, 0.0, 0, now, buf, sorting, cars, io)
            elif buf[b, B_LOG] >= 0:
                _record(b, car, now, buf, sorting, io)
            schedule(heap_f, heap_i, sched, now, NORMAL, proc, car)
            return True
    if buf[b, B_SORT] >= 0:
        s = buf[b, B_SORT]
        if sorting[0][s, SO_COUNT] >= sorting[0][s, SO_LANES] * sorting[0][s, SO_DEPTH]:
            return False
        _sort_join(s, car, now, sorting, cars, clocks)
        _change(mon, b, now, 1.0, mon_w[b, 0], mon_w[b, 1], mon_w[b, 2], buf, traces)
        return True
    if buf[b, B_COUNT] < buf[b, B_CAP]:
        rb = items.shape[1]
        if priority:
            buf[b, B_HEAD] = (buf[b, B_HEAD] - 1) % rb
            items[b, buf[b, B_HEAD]] = car
        else:
            items[b, (buf[b, B_HEAD] + buf[b, B_COUNT]) % rb] = car
        buf[b, B_COUNT] += 1
        _change(mon, b, now, 1.0, mon_w[b, 0], mon_w[b, 1], mon_w[b, 2], buf, traces)
        return True
    return False


@njit(cache=True, inline="always")
def _branch(b, car, cars, split_i, split_e):
    """``BranchSplit._in_turn`` and ``_sent``: the input of the branch whose turn it is among those taking the car's
    model (the first of them after the turn, else the first); the turn moves past it."""
    s = SPLIT - b
    model = cars[1, car]
    count = split_e[s, model, 0]
    branch = split_e[s, model, 1]
    for q in range(count):
        if split_e[s, model, 1 + q] >= split_i[s, 0]:
            branch = split_e[s, model, 1 + q]
            break
    split_i[s, 0] = branch + 1
    return split_i[s, 2 + branch]


@njit(cache=True, inline="always")
def _wait_get(b, proc, buf, getters, procs):
    """A taker waits for a car (its ticket queued)."""
    q = (buf[b, B_GHEAD] + buf[b, B_GCOUNT]) % getters.shape[1]
    getters[b, q] = proc * SERIALS + procs[proc, P_SERIAL] % SERIALS
    buf[b, B_GCOUNT] += 1


@njit(cache=True, inline="always")
def _wait_put(b, proc, car, priority, buf, putters, putter_car):
    """A blocked put waits for a place (in front of the others for a re-entering car)."""
    if priority:
        buf[b, B_PHEAD] = (buf[b, B_PHEAD] - 1) % putters.shape[1]
        q = buf[b, B_PHEAD]
    else:
        q = (buf[b, B_PHEAD] + buf[b, B_PCOUNT]) % putters.shape[1]
    putters[b, q] = proc
    putter_car[b, q] = car
    buf[b, B_PCOUNT] += 1


@njit(cache=True)
def _purge(i, k, w0, work, lo, hi, nodes, positions, cars, tick_i, booth_i, booth_f):
    """``PaintBooths._purge``: each booth checks the colour of the body in front of it; a new colour is a change
    (tallied in the window) and its purge holds the line until the purge and the body's work are done. The
    booths that purged at index k are the bits of ``tick_i[2, i, k]``."""
    purged = 0
    for b in range(nodes[i, N_BOOTHS]):
        car = positions[i, booth_i[i, b, B_POSITION]]
        if car < 0:
            continue
        colour = cars[2, car]
        last = booth_i[i, b, B_COLOUR]
        booth_i[i, b, B_COLOUR] = colour
        change = last >= 0 and last != colour
        if lo <= w0 < hi:  # ``ColourTally.count`` (one server)
            booth_i[i, b, B_BODIES] += 1
            if change or not booth_i[i, b, B_SEEN]:
                booth_i[i, b, B_BLOCKS] += 1
                booth_i[i, b, B_SEEN] = 1
            if change:
                booth_i[i, b, B_CHANGES] += 1
        if not change:
            continue
        purge = booth_f[i, b, 0]
        if purge:
            need = booth_f[i, b, 1 + cars[0, car]] + purge
            if need > work:
                work = need
            purged |= 1 << b
    tick_i[2, nodes[i, N_TICK_ROW], k] = purged
    return work


@njit(cache=True)
def _drift(i, w0, t, nodes, node_f, positions, slow_pos, slow_need, station_of, cars, lo, hi, st_f, st_i, deficit):
    """``OverCycles._drift_index`` and ``_absorb``: the index's work under drift zones and floaters (the takt and any
    stop), each watched position's deficit carried on."""
    stood = w0 - node_f[F_LAST_START, i] - node_f[F_LAST_WORK, i]
    node_f[F_LAST_START, i] = w0
    m = nodes[i, N_NSLOW]
    ex = np.empty(m)
    qs = np.empty(m, dtype=np.int64)
    oc = np.empty(m, dtype=np.int64)
    count = 0
    for q in range(m):
        car = positions[i, slow_pos[i, q]]
        work = 0.0 if car < 0 else slow_need[i, q, cars[0, car]]
        d = deficit[i, q]
        if not d and work <= t:
            continue
        excess = (d - stood if d > stood else 0.0) + work - t
        if excess > 0.0:
            ex[count], qs[count], oc[count] = excess, q, 1 if work > t else 0
            count += 1
        else:
            deficit[i, q] = 0.0
    if count == 0:
        node_f[F_LAST_WORK, i] = t
        return t
    allowance = node_f[F_ALLOWANCE, i]
    in_window = lo <= w0 < hi
    largest = ex[0]
    for c in range(1, count):
        if ex[c] > largest:
            largest = ex[c]
    stop = 0.0
    if largest <= allowance:  # the zones hold every excess
        for c in range(count):
            deficit[i, qs[c]] = ex[c]
            if in_window:
                st = station_of[i, slow_pos[i, qs[c]]]
                st_i[1, i, st] += oc[c]
                if ex[c] > st_f[3, i, st]:
                    st_f[3, i, st] = ex[c]
    else:
        # largest first (Python's sort of (excess, position, over-cycling) tuples, reversed)
        for c in range(1, count):
            c2 = c
            while c2 > 0 and (ex[c2] > ex[c2 - 1] or (ex[c2] == ex[c2 - 1] and (qs[c2] > qs[c2 - 1]))):
                ex[c2], ex[c2 - 1] = ex[c2 - 1], ex[c2]
                qs[c2], qs[c2 - 1] = qs[c2 - 1], qs[c2]
                oc[c2], oc[c2 - 1] = oc[c2 - 1], oc[c2]
                c2 -= 1
        helpers = nodes[i, N_FLOATERS]
        helped = np.zeros(m, dtype=np.bool_)
        stopper = -1
        for c in range(count):
            if ex[c] <= allowance:
                break
            if helpers:
                helpers -= 1
                helped[qs[c]] = True
            elif stopper < 0:
                stop = ex[c] - allowance
                stopper = qs[c]
        for c in range(count):
            q = qs[c]
            if helped[q]:
                left = 0.0
            else:
                left = ex[c] - stop
                if not left > 0.0:
                    left = 0.0
                if allowance < left:
                    left = allowance
            deficit[i, q] = left
            if in_window:
                st = station_of[i, slow_pos[i, q]]
                st_i[1, i, st] += oc[c]
                if helped[q]:
                    st_i[3, i, st] += 1
                if left > st_f[3, i, st]:
                    st_f[3, i, st] = left
        if in_window and stopper >= 0:
            st_f[1, i, station_of[i, slow_pos[i, stopper]]] += stop
    work = t + stop
    node_f[F_LAST_WORK, i] = work
    return work


@njit(cache=True, inline="always")
def _index(i, w0, nodes, node_f, positions, slow_pos, slow_need, station_of, cars, window, ticks, tick_i, st_f, st_i,
           fm_i, fm_f, fm_draws, fm_di, slot, outs, n_outs, o, maint, n_maint, next_service, deficit, booth_i, booth_f,
           need_all):
    """A line's index from worked time w0 (``_index_time``, ``_count_stop``, ``_phase`` and ``_run_phase``: its
    stations' breakdowns on the line's running clock, outages stopping the whole line, maintenance windows): the
    worked time its phase ends; its record appended. At most 30 arguments (numba inlines no f(*args) call)."""
    lo, hi = window[0], window[1]
    t = node_f[F_TAKT, i]
    if nodes[i, N_DRIFT]:
        phase = _drift(i, w0, t, nodes, node_f, positions, slow_pos, slow_need, station_of, cars, lo, hi, st_f, st_i,
                       deficit)
    elif nodes[i, N_BASE] >= 0 and positions[i, nodes[i, N_BASE]] < 0:  # a line without a takt, its slowest
        phase = 0.0  # position empty: the slowest work on the line now (``_index_time``)
        for p in range(nodes[i, N_PLACES]):
            car = positions[i, p]
            if car >= 0 and need_all[i, p, cars[0, car]] > phase:
                phase = need_all[i, p, cars[0, car]]
    else:
        phase = t
        for q in range(nodes[i, N_NSLOW]):
            car = positions[i, slow_pos[i, q]]
            if car >= 0:
                need = slow_need[i, q, cars[0, car]]
                if need > phase:
                    phase = need
        if phase > t and nodes[i, N_BASE] < 0 and lo <= w0 < hi:
            slowest = -1
            most = t
            for q in range(nodes[i, N_NSLOW]):
                p = slow_pos[i, q]
                car = positions[i, p]
                if car >= 0:
                    need = slow_need[i, q, cars[0, car]]
                    if need > t:
                        st = station_of[i, p]
                        st_i[1, i, st] += 1
                        if need > most:
                            slowest = st
                            most = need
            st_f[1, i, slowest] += phase - t
    work = phase
    k = nodes[i, N_TICKS]
    r = nodes[i, N_TICK_ROW]  # the line's row of the index records
    tick_i[1, r, k] = 0
    tick_i[2, r, k] = 0
    if nodes[i, N_BOOTHS]:
        work = _purge(i, k, w0, work, lo, hi, nodes, positions, cars, tick_i, booth_i, booth_f)
    # the phase on the line's running clock, in outage-free time when outages cover the line
    w = w0 if o < 0 else _free(outs, n_outs, o, w0)
    if w >= next_service[i]:  # serviced in the window: every station's failure clock starts afresh
        back = w if o < 0 else _back(outs, n_outs, o, w)
        service = _next_after(maint, n_maint, back)
        next_service[i] = service if o < 0 else _free(outs, n_outs, o, service)
        for st in range(st_f.shape[2]):
            if st_i[2, i, st]:
                st_f[2, i, st] = node_f[F_RUNNING, i] + _fm_afresh(slot[i, st], fm_i, fm_f, fm_draws, fm_di)
    left = work
    stopped = 0.0
    failed = False
    while True:
        first = -1
        at = INF
        for st in range(st_f.shape[2]):
            if st_i[2, i, st] and st_f[2, i, st] < at:
                first = st
                at = st_f[2, i, st]
        if first < 0 or at >= node_f[F_RUNNING, i] + left:
            break
        failed = True
        delta = at - node_f[F_RUNNING, i]
        w += delta
        node_f[F_RUNNING, i] = at
        left -= delta
        f = slot[i, first]
        repair = _fm_repair(f, fm_i, fm_draws, fm_di)
        if n_maint[0] == 0:
            repaired = w + repair
        elif o < 0:
            repaired = _repair_end(maint, n_maint, w, repair)
        else:
            repaired = _free(outs, n_outs, o, _repair_end(maint, n_maint, _back(outs, n_outs, o, w), repair))
        _fm_note(f, w, repaired, fm_i, fm_f, lo, hi)
        if o < 0:
            _add(st_f[0, i], first, w, repaired, lo, hi)
            stopped += _clip(w, repaired, lo, hi)
        else:
            _add_free(st_f[0, i], first, w, repaired, outs, n_outs, o, lo, hi)
            up, _ = _pieces(st_f[0, i], -1, -1, _back(outs, n_outs, o, w), _back(outs, n_outs, o, repaired), outs,
                            n_outs, o, lo, hi)
            stopped += up
        w = repaired
        st_i[0, i, first] += 1
        st_f[2, i, first] = node_f[F_RUNNING, i] + _fm_between(f, fm_i, fm_f, fm_draws, fm_di)
    if failed:
        ticks[3, r, k] = stopped
        tick_i[1, r, k] = 1
    node_f[F_RUNNING, i] += left
    w_end = w + left
    if o >= 0:  # every outage on the way stops the whole line: each station down
        back = _back(outs, n_outs, o, w_end)
        w_end = w0 if w0 >= back else back
        down = 0.0
        for st in range(nodes[i, N_SERVERS]):
            _, down = _pieces(st_f[0, i], -1, st, w0, w_end, outs, n_outs, o, lo, hi)
        if down:
            ticks[3, r, k] = (ticks[3, r, k] if tick_i[1, r, k] else 0.0) + down
            tick_i[1, r, k] = 1
    ticks[0, r, k] = w0
    ticks[1, r, k] = w_end
    ticks[2, r, k] = work
    car = positions[i, 0]
    tick_i[0, r, k] = -1 if car < 0 else cars[0, car]
    nodes[i, N_TICKS] = k + 1
    return w_end


# states of a process: a station server / a line
@njit(cache=True, inline="always")
def _launch(now, io, drawn_a, cars, log_t, log_c):
    """The launch's next car drawn, launched now as a new unit (logged for Python by its number in the launch)."""
    k = io[IO_NEXT_CAR]
    io[IO_NEXT_CAR] = k + 1
    u = io[IO_UNITS]
    io[IO_UNITS] = u + 1
    cars[U_VARIANT, u], cars[U_MODEL, u], cars[U_COLOUR, u] = drawn_a[0, k], drawn_a[1, k], drawn_a[2, k]
    # U_DRAWN: the car's place in Python's list of the cars launched (Python launches some itself: the launch with
    # holds when it had no car to give ahead)
    cars[U_LANE, u], cars[U_CAR, u], cars[U_DRAWN, u], cars[U_AWAY, u], cars[U_SEQ, u] = 0, u, io[IO_CARS], 0, \
        drawn_a[3, k]
    io[IO_CARS] += 1
    log_t[io[IO_LOGGED]], log_c[io[IO_LOGGED]] = now, k + 1
    io[IO_LOGGED] += 1
    return u


@njit(cache=True, inline="always")
def _ready(s, unit, send_i, send_v, carr_i, cars):
    """``Send.ready``: the unit takes no part here, or the feeder has a free carrier (or no bound on them)."""
    c = send_i[s, SD_CARRIERS]
    return c < 0 or send_v[s, cars[U_VARIANT, unit]] == 0 or carr_i[c, C_IN_USE] < carr_i[c, C_COUNT]


@njit(cache=True, inline="always")
def _wait_carrier(s, p, send_i, carr_i, carr_w):
    """``Carriers.freed``: the process waits for the feeder's next carrier freed (a queue of processes)."""
    c = send_i[s, SD_CARRIERS]
    carr_w[c, (carr_i[c, C_HEAD] + carr_i[c, C_WAITING]) % carr_w.shape[1]] = p
    carr_i[c, C_WAITING] += 1


@njit(cache=True, inline="always")
def _later(s, car, now, io, log_t, log_c):
    """A put into Python store ``s`` or a take from it made without asking: one less given, logged for Python."""
    io[IO_SIZE + 2 * s + PY_GIVEN] -= 1
    log_t[io[IO_LOGGED]], log_c[io[IO_LOGGED]] = now, -(LATER * (s + 1) + car)
    io[IO_LOGGED] += 1


@njit(cache=True, inline="always")
def _put_later(s, car, priority, now, io, log_t, log_c):
    """Into Python store ``s`` without calling Python where it gave places (the yard's; a re-entering car always
    asks): the put logged."""
    if priority or io[IO_SIZE + 2 * s + PY_GIVEN] <= 0:
        return False
    _later(s, car, now, io, log_t, log_c)
    return True


@njit(cache=True, inline="always")
def _take_given(b, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces, sorting,
                cars, clocks, io, drawn_a, log_t, log_c):
    """A take from input ``b`` without calling Python where it is a Python store that gave leave: the launch's
    next car drawn ahead, launched now; a kit gate's car from its entry now (its kits surely on hand: the pass
    logged). -1: not such an input, nothing given or nothing in the entry (Python is asked)."""
    if b > PY:
        return -1
    s = PY - b
    if io[IO_SIZE + 2 * s + PY_GIVEN] <= 0:
        return -1
    e = io[IO_SIZE + 2 * s + PY_ENTRY]
    if e < 0:
        if io[IO_NEXT_CAR] >= io[IO_DRAWN]:
            return -1
        io[IO_SIZE + 2 * s + PY_GIVEN] -= 1
        return _launch(now, io, drawn_a, cars, log_t, log_c)
    car = _try_get(e, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces,
                   sorting, cars, clocks, io)
    if car >= 0:
        _later(s, car, now, io, log_t, log_c)
    return car


@njit(cache=True, inline="always")
def _leave(car, now, cars, io, log_t, log_c):
    """The car leaves the plant (logged for Python); False when its own parts are still away."""
    if cars[U_AWAY, car]:
        io[IO_ERROR], io[IO_ERROR_AT] = E_PARTS_AWAY, car
        return False
    log_t[io[IO_LOGGED]], log_c[io[IO_LOGGED]] = now, -(cars[U_DRAWN, car] + 1)
    io[IO_LOGGED] += 1
    return True


@njit(cache=True, inline="always")
def _station_waited(i, k, p, state, clock, now, proc_w, acc, outs, n_outs, node_out, lo, hi, slot, fm_i, fm_f,
                    fm_draws, fm_di, maint, n_maint, st_i, nodes, idle_log, procs):
    """``Station._wait`` after the event: the wait accounted by the server's breakdowns, logged when it took
    worked time."""
    w0, w1 = proc_w[p], worked(clock, now)
    _idle_station(acc[i, k], state, w0, w1, outs, n_outs, node_out[i], lo, hi, slot[i, k], fm_i, fm_f, fm_draws,
                  fm_di, maint, n_maint, st_i, i, k)
    if w1 > w0:
        m = nodes[i, N_IDLE]
        idle_log[i, m] = w0
        idle_log[i, m + 1] = w1
        nodes[i, N_IDLE] = m + 2
    procs[p, P_WAITING] = -1


@njit(cache=True)
def _send(s, unit, now, send_i, send_v, carr_i, cars, io, buf, items, getters, procs, mon, mon_w, heap_f, heap_i,
          sched, traces, sorting, clocks):
    """``Send.__call__``: the unit orders its part (or gives its own) to the feeder's call-offs, a new unit made
    for it. False: an invariant broke (``io[IO_ERROR]``)."""
    if send_v[s, cars[U_VARIANT, unit]] == 0:
        return True
    c = send_i[s, SD_CARRIERS]
    if send_i[s, SD_OWN]:
        cars[U_AWAY, unit] += 1
        if c >= 0:
            carr_i[c, C_IN_USE] += 1
            if carr_i[c, C_IN_USE] > carr_i[c, C_COUNT]:
                io[IO_ERROR], io[IO_ERROR_AT] = E_CARRIERS, s
                return False
    send_i[s, SD_SENT] += 1
    u = io[IO_UNITS]
    io[IO_UNITS] = u + 1
    cars[U_VARIANT, u], cars[U_MODEL, u], cars[U_COLOUR, u] = cars[U_VARIANT, unit], cars[U_MODEL, unit], 0
    cars[U_LANE, u], cars[U_CAR, u], cars[U_DRAWN, u], cars[U_AWAY, u] = 0, unit, -1, 0
    if not _try_put(send_i[s, SD_BUF], u, False, now, buf, items, getters, procs, mon, mon_w, heap_f, heap_i, sched,
                    traces, sorting, cars, clocks, io):
        io[IO_ERROR], io[IO_ERROR_AT] = E_UNBOUNDED, send_i[s, SD_BUF]
        return False
    return True


@njit(cache=True)
def _fit(j, part, unit, now, join_i, cars, carr_i, carr_w, io, heap_f, heap_i, sched):
    """``Join.fit``: a part of the right car (when matched), its own part back on the car (a carrier freed, its
    first waiter woken). False: an invariant broke (``io[IO_ERROR]``)."""
    if join_i[j, J_MATCHED] and cars[U_CAR, part] != cars[U_CAR, unit]:
        io[IO_ERROR], io[IO_ERROR_AT] = E_OTHER_CAR, j
        return False
    if join_i[j, J_OWN]:
        cars[U_AWAY, cars[U_CAR, unit]] -= 1
        c = join_i[j, J_CARRIERS]
        if c >= 0:
            carr_i[c, C_IN_USE] -= 1
            if carr_i[c, C_IN_USE] < 0:
                io[IO_ERROR], io[IO_ERROR_AT] = E_CARRIERS, -1 - j
                return False
            if carr_i[c, C_WAITING] > 0:
                q = carr_i[c, C_HEAD]
                carr_i[c, C_HEAD] = (q + 1) % carr_w.shape[1]
                carr_i[c, C_WAITING] -= 1
                schedule(heap_f, heap_i, sched, now, NORMAL, carr_w[c, q], -1)
    join_i[j, J_FITTED] += 1
    return True


@njit(cache=True, inline="always")
def _take(b, p, waits, now, merges, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched,
          traces, sorting, cars, clocks, io, procs):
    """A node's take from its input (-1: none there; with ``waits``, its ticket queued for the next): a buffer, or
    a ``Merge``: the re-entry lane first, then the main buffer, waiting in both; a Python store (the launch with
    holds, a kit gate) through Python, whose SimPy event wakes the node."""
    if b <= PY:
        return _callout(CO_TAKE, PY - b, p, waits, 0)
    if b > MERGE:
        car = _try_get(b, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces,
                       sorting, cars, clocks, io)
        if car < 0 and waits:
            _wait_get(b, p, buf, getters, procs)
        return car
    lane, main = merges[MERGE - b, 0], merges[MERGE - b, 1]
    car = _try_get(lane, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces,
                   sorting, cars, clocks, io)
    if car < 0:
        car = _try_get(main, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched,
                       traces, sorting, cars, clocks, io)
    if car < 0 and waits:
        _wait_get(lane, p, buf, getters, procs)
        _wait_get(main, p, buf, getters, procs)
    return car


@njit(cache=True, inline="always")
def _join_step(j, unit, p, waiting, now, clock, proc_w, procs, join_i, buf, items, getters, putters, putter_car, mon,
               mon_w, heap_f, heap_i, sched, traces, sorting, cars, clocks, io, carr_i, carr_w):
    """One join of a station or a line: the unit's part taken and fitted (1: the process goes on to the next
    join), or none there: the process waits for it in state ``waiting`` (0); -1: an invariant broke."""
    b = join_i[j, J_BUF]
    part = _try_get(b, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces,
                    sorting, cars, clocks, io)
    if part < 0:
        join_i[j, J_WAITS] += 1
        _wait_get(b, p, buf, getters, procs)
        proc_w[p] = worked(clock, now)
        procs[p, P_WAITING] = FEEDER
        procs[p, P_STATE] = waiting
        return 0
    if not _fit(j, part, unit, now, join_i, cars, carr_i, carr_w, io, heap_f, heap_i, sched):
        return -1
    procs[p, P_STEP] += 1
    return 1


S_TOP, S_TAKEN, S_GOT, S_WORKED, S_PUT_WAIT, S_PUT_DONE, S_WAIT_TAKE, S_WORK, S_JOIN, S_WAIT_PART, S_BOOTH, \
    S_CARRIERS, S_WAIT_CARRIER, S_POOL, S_WAIT_POOL, S_RELEASE = range(16)
L_TOP, L_TAKEN, L_ENTER, L_INDEXED, L_PUT_WAIT, L_PUT_DONE, L_TURN, L_WAIT_TAKE, L_JOIN, L_WAIT_PART, L_INDEX, \
    L_SENDS, L_WAIT_CARRIER = range(13)


@njit(cache=True)
def run(procs, proc_w, nodes, node_f, positions, slow_pos, slow_need, station_of, cars, clocks, windows, wall, end,
        ticks, tick_i, line_acc, st_f, st_i, fm_i, fm_f, fm_draws, fm_di, slot, acc, idle_log, cyc, cyc_ij, buf, items,
        getters, putters, putter_car, mon, mon_w, heap_f, heap_i, sched, io, io_f, log_t, log_c, outs, n_outs,
        node_out, maints, n_maints, next_service, deficit, booth_i, booth_f, merges, gate_i, gate_f, gate_u, paths_i,
        split_i, split_e, node_clock, exits, traces, node_maint, drawn_a, join_i, join_f, join_v, send_i, send_v, tk_s,
        carr_i, carr_w, sorting, need_all):
    """The events in order until the end, or until Python must act: more cars drawn for the launch, the log
    of launches and completions full (Python replays it in order), more room or draws. ``io[IO_RESUME]``: a
    process to resume first. Each node reads its shop's clock and measured window."""
    clock = clocks[0]
    window = windows[0]
    lo, hi = window[0], window[1]
    maint = maints[0]
    n_maint = n_maints[0:1]
    now = io_f[0]
    p = io[IO_RESUME]
    io[IO_RESUME] = -1
    value = procs[p, P_VALUE] if p >= 0 else -1
    while True:
        if p < 0:
            if io[IO_ERROR]:
                return BROKEN
            if sched[0] == 0 or heap_f[0, 0] >= end:
                return YIELD if io_f[1] < end else FINISHED  # SimPy's events before the end, else the end
            t, q = io_f[1], heap_f[0, 0]  # SimPy's next event before the kernel's: SimPy goes first
            if t < q or (t == q and (io[IO_SPRIO] < heap_i[0, 0] or (io[IO_SPRIO] == heap_i[0, 0] and
                                                                   io[IO_SEID] < heap_i[1, 0]))):
                return YIELD
            # room for what the next CHECK events may append, draws for as many cycles and some breakdowns: checked
            # every CHECK events (a check reads every node's counters)
            if sched[2] <= 0:
                sched[2] = CHECK
                for i in range(nodes.shape[0]):
                    if nodes[i, N_TICKS] >= ticks.shape[2] - CHECK or nodes[i, N_IDLE] >= idle_log.shape[1] - 2 * CHECK:
                        sched[2] = 0
                        return NEED_ROOM
                if np.min(cyc_ij[2] - cyc_ij[0]) < CHECK:  # a cycle sampler's draws left (row 2: drawn)
                    sched[2] = 0
                    return NEED_CYCLES
                if np.min(fm_di[:, :, 2:] - fm_di[:, :, :2]) < 8 * CHECK or \
                        np.max(gate_i[:, G_DRAWN]) >= gate_u.shape[1] - CHECK:  # a breakdown sampler's, a gate's
                    sched[2] = 0
                    return NEED_DRAWS
                if np.max(buf[:, B_TRACED]) >= traces.shape[1] - 2 * CHECK:
                    sched[2] = 0
                    return NEED_ROOM
                if np.max(sorting[0][:, SO_OLD_N]) >= sorting[7].shape[1] - CHECK:  # the max_wait check's ring
                    io[IO_ERROR], io[IO_ERROR_AT] = E_UNBOUNDED, -1
                    return BROKEN
                if io[IO_LOGGED] >= log_t.shape[0] - 2 * CHECK or io[IO_ENTRIES] >= sorting[8].shape[0] - 2 * CHECK:
                    sched[2] = 0
                    return LOG_FULL
                if io[IO_UNITS] >= cars.shape[1] - CHECK * (2 + send_i.shape[0]):  # launches, the sends: new units
                    sched[2] = 0
                    return NEED_ROOM
            sched[2] -= 1
            now = heap_f[0, 0]
            io_f[0] = now
            p, value = _pop(heap_f, heap_i, sched)
        i = procs[p, P_NODE]
        kind = nodes[i, N_KIND]
        clock = clocks[node_clock[i]]
        window = windows[i]
        lo, hi = window[0], window[1]
        m = node_maint[i]  # the node's shop's maintenance windows (0: none)
        maint = maints[m]
        n_maint = n_maints[m:m + 1]
        # run process p until it waits (its next event scheduled or it queued), or Python must act
        while True:
            state = procs[p, P_STATE]
            if kind == STATION:
                k = procs[p, P_SERVER]
                if state == S_TOP:
                    b = nodes[i, N_IN]
                    value = _take_given(b, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i,
                                        sched, traces, sorting, cars, clocks, io, drawn_a, log_t, log_c)
                    if value >= 0:  # what the launch with holds or a kit gate gave leave to take without asking
                        procs[p, P_STATE] = S_GOT
                        continue
                    if b == SOURCE:  # the launch: the next car drawn, launched now (logged for Python)
                        if io[IO_NEXT_CAR] >= io[IO_DRAWN]:
                            io[IO_RESUME] = p
                            return NEED_CARS
                        value = _launch(now, io, drawn_a, cars, log_t, log_c)
                        procs[p, P_STATE] = S_GOT
                        continue
                    car = _take(b, p, True, now, merges, buf, items, getters, putters, putter_car, mon, mon_w, heap_f,
                                heap_i, sched, traces, sorting, cars, clocks, io, procs)
                    if car < 0:
                        proc_w[p] = worked(clock, now)
                        procs[p, P_WAITING] = STARVED
                        procs[p, P_STATE] = S_WAIT_TAKE
                        break
                    value = car
                    procs[p, P_STATE] = S_GOT
                    continue
                if state == S_WAIT_TAKE:  # a car came
                    _station_waited(i, k, p, STARVED, clock, now, proc_w, acc, outs, n_outs, node_out, lo, hi, slot,
                                    fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, nodes, idle_log, procs)
                    procs[p, P_STATE] = S_GOT
                    continue
                if state == S_GOT:
                    procs[p, P_CAR] = value
                    procs[p, P_STEP] = 0
                    procs[p, P_STATE] = S_JOIN if nodes[i, N_JOINS] else S_BOOTH
                    continue
                if state == S_JOIN:  # ``Station._take_parts``: one part of each feeder joining here
                    car = procs[p, P_CAR]
                    q = procs[p, P_STEP]
                    if q >= nodes[i, N_JOINS]:
                        procs[p, P_STATE] = S_BOOTH
                        continue
                    j = nodes[i, N_JOIN0] + q
                    if join_v[j, cars[U_VARIANT, car]] == 0:
                        procs[p, P_STEP] = q + 1
                        continue
                    took = _join_step(j, car, p, S_WAIT_PART, now, clock, proc_w, procs, join_i, buf, items, getters,
                                      putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces, sorting, cars,
                                      clocks, io, carr_i, carr_w)
                    if took < 0:
                        return BROKEN
                    if took == 0:
                        break
                    continue
                if state == S_WAIT_PART:  # the part came: the wait was the feeder's (its share of the servers)
                    car = procs[p, P_CAR]
                    j = nodes[i, N_JOIN0] + procs[p, P_STEP]
                    before = acc[i, k, FEEDER]
                    _station_waited(i, k, p, FEEDER, clock, now, proc_w, acc, outs, n_outs, node_out, lo, hi, slot,
                                    fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, nodes, idle_log, procs)
                    join_f[j] += (acc[i, k, FEEDER] - before) / nodes[i, N_SERVERS]
                    if not _fit(j, value, car, now, join_i, cars, carr_i, carr_w, io, heap_f, heap_i, sched):
                        return BROKEN
                    procs[p, P_STEP] += 1
                    procs[p, P_STATE] = S_JOIN
                    continue
                if state == S_BOOTH:
                    car = procs[p, P_CAR]
                    procs[p, P_STATE] = S_POOL if nodes[i, N_NEEDED] else S_WORK
                    if nodes[i, N_BOOTHS]:  # a paint booth (``Station._change_colour``): a purge before a new colour
                        colour = cars[2, car]
                        last = booth_i[i, k, B_COLOUR]
                        booth_i[i, k, B_COLOUR] = colour
                        change = last >= 0 and last != colour
                        if wall[0] <= now < wall[1]:  # ``ColourTally.count`` (server k)
                            booth_i[i, 0, B_BODIES] += 1
                            if change or not booth_i[i, k, B_SEEN]:
                                booth_i[i, 0, B_BLOCKS] += 1
                                booth_i[i, k, B_SEEN] = 1
                            if change:
                                booth_i[i, 0, B_CHANGES] += 1
                        if change:
                            w0 = worked(clock, now)
                            purge = booth_f[i, 0, 0]
                            _add(acc[i, k], COLOUR, w0, w0 + purge, lo, hi)
                            d = at_work(clock, w0 + purge) - now
                            schedule(heap_f, heap_i, sched, now + (d if d > 0.0 else 0.0), NORMAL, p, -1)
                            break
                    continue
                if state == S_POOL:  # ``PooledStation``: operators from the labour pool, or wait for them
                    taken = _callout(CO_POOL_TAKE, i, p, 0, 0)
                    if taken <= 0:
                        proc_w[p] = worked(clock, now)
                        procs[p, P_WAITING] = LABOUR
                        procs[p, P_STATE] = S_WAIT_POOL
                        break
                    procs[p, P_TAKEN] = taken
                    procs[p, P_STATE] = S_WORK
                    continue
                if state == S_WAIT_POOL:  # the pool gave operators
                    _station_waited(i, k, p, LABOUR, clock, now, proc_w, acc, outs, n_outs, node_out, lo, hi, slot,
                                    fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, nodes, idle_log, procs)
                    procs[p, P_TAKEN] = value
                    procs[p, P_STATE] = S_WORK
                    continue
                if state == S_RELEASE:  # the operators back to the pool before the car is handed on
                    _callout(CO_POOL_RELEASE, i, procs[p, P_TAKEN], 0, 0)
                    procs[p, P_STATE] = S_CARRIERS if nodes[i, N_TAKES] else S_WORKED
                    continue
                if state == S_WORK:
                    car = procs[p, P_CAR]
                    sampler = cyc_ij[1, i, cars[1, car]]  # models sharing a sampler share its draws
                    work = cyc[i, sampler, cyc_ij[0, i, sampler]]
                    cyc_ij[0, i, sampler] += 1
                    needed = nodes[i, N_NEEDED]
                    if needed and procs[p, P_TAKEN] < needed:  # fewer operators, slower (``when_short: slower``)
                        work *= needed / procs[p, P_TAKEN]
                    w_at = worked(clock, now)
                    o = node_out[i]
                    w = w_at if o < 0 else _free(outs, n_outs, o, w_at)
                    f = slot[i, k]
                    if f >= 0 and fm_i[f, FI_CALENDAR]:  # breakdowns on the calendar clock
                        w_end = _calendar_work(f, w, work, acc[i, k], fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i,
                                               i, k, outs, n_outs, o, lo, hi)
                    else:
                        if f >= 0:  # breakdowns on the operating clock (``OperatingFailures.work``)
                            if w >= fm_f[f, FM_NEXT_SERVICE]:  # serviced: its failure clock starts afresh
                                fm_f[f, FM_TO_FAILURE] = _fm_afresh(f, fm_i, fm_f, fm_draws, fm_di)
                                fm_f[f, FM_NEXT_SERVICE] = _service_after(maint, n_maint, w, outs, n_outs, o)
                            while fm_f[f, FM_TO_FAILURE] < work:
                                left = fm_f[f, FM_TO_FAILURE]
                                _add_free(acc[i, k], WORKING, w, w + left, outs, n_outs, o, lo, hi)
                                w += left
                                work -= left
                                repair = _fm_repair(f, fm_i, fm_draws, fm_di)
                                repaired = _repaired(maint, n_maint, w, repair, outs, n_outs, o) if fm_i[f, FI_MAINT] \
                                    else w + repair
                                _fm_note(f, w, repaired, fm_i, fm_f, lo, hi)
                                _add_free(acc[i, k], DOWN, w, repaired, outs, n_outs, o, lo, hi)
                                w = repaired
                                st_i[0, i, k] += 1
                                fm_f[f, FM_TO_FAILURE] = _fm_between(f, fm_i, fm_f, fm_draws, fm_di)
                            fm_f[f, FM_TO_FAILURE] -= work
                        _add_free(acc[i, k], WORKING, w, w + work, outs, n_outs, o, lo, hi)
                        w_end = w + work
                    if o >= 0:  # ``WithOutages.work``: the outages on the way are down
                        back = _back(outs, n_outs, o, w_end)
                        w_end = w_at if w_at >= back else back
                        _pieces(acc[i, k], -1, DOWN, w_at, w_end, outs, n_outs, o, lo, hi)
                    d = at_work(clock, w_end) - now
                    schedule(heap_f, heap_i, sched, now + (d if d > 0.0 else 0.0), NORMAL, p, -1)
                    procs[p, P_STEP] = 0
                    procs[p, P_STATE] = S_RELEASE if nodes[i, N_NEEDED] else \
                        S_CARRIERS if nodes[i, N_TAKES] else S_WORKED
                    break
                if state == S_CARRIERS:  # ``Station._take_carriers``: a free carrier for each own part coming off
                    car = procs[p, P_CAR]
                    q = procs[p, P_STEP]
                    if q >= nodes[i, N_TAKES]:
                        procs[p, P_STATE] = S_WORKED
                        continue
                    s = tk_s[nodes[i, N_TAKE0] + q]
                    if _ready(s, car, send_i, send_v, carr_i, cars):
                        procs[p, P_STEP] = q + 1
                        continue
                    _wait_carrier(s, p, send_i, carr_i, carr_w)
                    proc_w[p] = worked(clock, now)
                    procs[p, P_WAITING] = FEEDER
                    procs[p, P_STATE] = S_WAIT_CARRIER
                    break
                if state == S_WAIT_CARRIER:  # a carrier was freed (one wait each time: the check again)
                    _station_waited(i, k, p, FEEDER, clock, now, proc_w, acc, outs, n_outs, node_out, lo, hi, slot,
                                    fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, nodes, idle_log, procs)
                    procs[p, P_STATE] = S_CARRIERS
                    continue
                if state == S_WORKED:
                    b = nodes[i, N_OUT]
                    car = procs[p, P_CAR]
                    priority = False
                    for s in range(nodes[i, N_SEND0], nodes[i, N_SEND0] + nodes[i, N_SENDS]):  # ``CallOff.route``
                        if not _send(s, car, now, send_i, send_v, carr_i, cars, io, buf, items, getters, procs, mon,
                                     mon_w, heap_f, heap_i, sched, traces, sorting, clocks):
                            return BROKEN
                    if nodes[i, N_EXIT] and wall[0] <= now < wall[1]:  # the shop's exit counts its cars
                        exits[nodes[i, N_EXIT] - 1] += 1
                    if SPLIT < b <= GATE:  # ``QualityGate.route``: pass, scrap, or a rework path
                        g = GATE - b
                        counted = wall[0] <= now < wall[1]
                        gate_i[g, G_INSPECTED] += counted
                        u = gate_u[g, gate_i[g, G_DRAWN]]
                        gate_i[g, G_DRAWN] += 1
                        if u < gate_f[g, 0]:
                            b = gate_i[g, G_ONWARD]
                            if gate_i[g, G_EXIT] and counted:  # passed on through the shop's exit
                                exits[gate_i[g, G_EXIT] - 1] += 1
                        else:
                            gate_i[g, G_FAILED] += counted
                            if u < gate_f[g, 1]:  # scrapped (logged for Python)
                                log_t[io[IO_LOGGED]] = now
                                # int: the unit table is 32-bit (plain Python would overflow, not widen)
                                log_c[io[IO_LOGGED]] = int(cars[U_DRAWN, car]) + 1 + SCRAPPED
                                io[IO_LOGGED] += 1
                                b = NONE
                            else:
                                rest = (u - gate_f[g, 1]) / (1.0 - gate_f[g, 1])
                                path = gate_i[g, G_PATHS] - 1
                                for q in range(gate_i[g, G_PATHS]):
                                    if rest < gate_f[g, 2 + q]:
                                        path = q
                                        break
                                cars[3, car] = paths_i[g, path, 1]
                                b, priority = paths_i[g, path, 0], paths_i[g, path, 2] == 1
                    elif b == AFTER_REPAIR:  # ``AfterRepair``: back to the re-entry lane its gate chose
                        b, priority = cars[3, car], True
                    if PY < b <= SPLIT:
                        b = _branch(b, car, cars, split_i, split_e)
                    if b == NONE:
                        procs[p, P_STATE] = S_PUT_DONE
                        continue
                    if b == SINK:  # the car leaves the plant (logged for Python)
                        if not _leave(car, now, cars, io, log_t, log_c):
                            return BROKEN
                        procs[p, P_STATE] = S_PUT_DONE
                        continue
                    if b <= PY:  # into a Python store (the yard): a full one wakes the server when it takes it
                        if _put_later(PY - b, car, priority, now, io, log_t, log_c) or \
                                _callout(CO_PUT, PY - b, p, car, priority):
                            procs[p, P_STATE] = S_PUT_DONE
                            continue
                        proc_w[p] = worked(clock, now)
                        procs[p, P_WAITING] = BLOCKED
                        procs[p, P_STATE] = S_PUT_WAIT
                        break
                    if _try_put(b, car, priority, now, buf, items, getters, procs, mon, mon_w,
                                heap_f, heap_i, sched, traces, sorting, cars, clocks, io):
                        procs[p, P_STATE] = S_PUT_DONE
                        continue
                    _wait_put(b, p, car, priority, buf, putters, putter_car)
                    proc_w[p] = worked(clock, now)
                    procs[p, P_WAITING] = BLOCKED
                    procs[p, P_STATE] = S_PUT_WAIT
                    break
                if state == S_PUT_WAIT:
                    _station_waited(i, k, p, BLOCKED, clock, now, proc_w, acc, outs, n_outs, node_out, lo, hi, slot,
                                    fm_i, fm_f, fm_draws, fm_di, maint, n_maint, st_i, nodes, idle_log, procs)
                    procs[p, P_STATE] = S_PUT_DONE
                    continue
                # S_PUT_DONE
                procs[p, P_CAR] = -1
                if wall[0] <= now < wall[1]:
                    nodes[i, N_COMPLETIONS] += 1
                procs[p, P_STATE] = S_TOP
                value = -1
                continue
            # a line or conveyor
            P = nodes[i, N_PLACES]
            if state == L_TOP:
                b = nodes[i, N_IN]
                value = _take_given(b, now, buf, items, getters, putters, putter_car, mon, mon_w, heap_f, heap_i,
                                    sched, traces, sorting, cars, clocks, io, drawn_a, log_t, log_c)
                if value >= 0:  # what the launch with holds or a kit gate gave leave to take without asking
                    procs[p, P_STATE] = L_ENTER
                    continue
                if b == SOURCE:
                    if io[IO_NEXT_CAR] >= io[IO_DRAWN]:
                        io[IO_RESUME] = p
                        return NEED_CARS
                    value = _launch(now, io, drawn_a, cars, log_t, log_c)
                    procs[p, P_STATE] = L_ENTER
                    continue
                waits = not (nodes[i, N_PUSH_OUT] and nodes[i, N_INSIDE] > 0)  # a conveyor, a feeder's line
                car = _take(b, p, waits, now, merges, buf, items, getters, putters, putter_car, mon, mon_w, heap_f,
                            heap_i, sched, traces, sorting, cars, clocks, io, procs)
                if car < 0 and waits:
                    proc_w[p] = worked(clock, now)
                    procs[p, P_WAITING] = STARVED
                    procs[p, P_STATE] = L_WAIT_TAKE
                    break
                value = car
                procs[p, P_STATE] = L_ENTER
                continue
            if state == L_WAIT_TAKE:
                _idle_line(line_acc[i], STARVED, proc_w[p], worked(clock, now), outs, n_outs, node_out[i], lo, hi)
                procs[p, P_WAITING] = -1
                procs[p, P_STATE] = L_ENTER
                continue
            if state == L_ENTER:
                car = value
                positions[i, 0] = car
                if car >= 0:
                    nodes[i, N_INSIDE] += 1
                procs[p, P_STEP] = 0
                procs[p, P_STATE] = L_JOIN if nodes[i, N_JOINS] else L_INDEX
                continue
            if state == L_JOIN:  # ``PacedLine._fit_parts``: each join position takes its unit's part
                q = procs[p, P_STEP]
                if q >= nodes[i, N_JOINS]:
                    procs[p, P_STATE] = L_INDEX
                    continue
                j = nodes[i, N_JOIN0] + q
                unit = positions[i, join_i[j, J_POS]]
                if unit < 0 or join_v[j, cars[U_VARIANT, unit]] == 0:
                    procs[p, P_STEP] = q + 1
                    continue
                took = _join_step(j, unit, p, L_WAIT_PART, now, clock, proc_w, procs, join_i, buf, items, getters,
                                  putters, putter_car, mon, mon_w, heap_f, heap_i, sched, traces, sorting, cars, clocks,
                                  io, carr_i, carr_w)
                if took < 0:
                    return BROKEN
                if took == 0:
                    break
                continue
            if state == L_WAIT_PART:  # the part came: the line's wait, the feeder's in the window
                j = nodes[i, N_JOIN0] + procs[p, P_STEP]
                w0, w1 = proc_w[p], worked(clock, now)
                _idle_line(line_acc[i], FEEDER, w0, w1, outs, n_outs, node_out[i], lo, hi)
                join_f[j] += _clip(w0, w1, lo, hi)
                procs[p, P_WAITING] = -1
                if not _fit(j, value, positions[i, join_i[j, J_POS]], now, join_i, cars, carr_i, carr_w, io, heap_f,
                            heap_i, sched):
                    return BROKEN
                procs[p, P_STEP] += 1
                procs[p, P_STATE] = L_JOIN
                continue
            if state == L_INDEX:
                w0 = worked(clock, now)
                w_end = _index(i, w0, nodes, node_f, positions, slow_pos, slow_need, station_of, cars, window, ticks,
                               tick_i, st_f, st_i, fm_i, fm_f, fm_draws, fm_di, slot, outs, n_outs, node_out[i], maint,
                               n_maint, next_service, deficit, booth_i, booth_f, need_all)
                d = at_work(clock, w_end) - now
                schedule(heap_f, heap_i, sched, now + (d if d > 0.0 else 0.0), NORMAL, p, -1)
                procs[p, P_STEP] = 0
                procs[p, P_STATE] = L_SENDS if nodes[i, N_SENDS] else L_INDEXED
                break
            if state == L_SENDS:  # the positions' orders and own parts sent, each waiting for a free carrier
                q = procs[p, P_STEP]
                if q >= nodes[i, N_SENDS]:
                    procs[p, P_STATE] = L_INDEXED
                    continue
                s = nodes[i, N_SEND0] + q
                unit = positions[i, send_i[s, SD_POS]]
                if unit >= 0:
                    if not _ready(s, unit, send_i, send_v, carr_i, cars):
                        _wait_carrier(s, p, send_i, carr_i, carr_w)
                        proc_w[p] = worked(clock, now)
                        procs[p, P_WAITING] = FEEDER
                        procs[p, P_STATE] = L_WAIT_CARRIER
                        break
                    if not _send(s, unit, now, send_i, send_v, carr_i, cars, io, buf, items, getters, procs, mon,
                                 mon_w, heap_f, heap_i, sched, traces, sorting, clocks):
                        return BROKEN
                procs[p, P_STEP] = q + 1
                continue
            if state == L_WAIT_CARRIER:  # a carrier was freed: taken if still free, else the wait goes on
                s = nodes[i, N_SEND0] + procs[p, P_STEP]
                unit = positions[i, send_i[s, SD_POS]]
                if not _ready(s, unit, send_i, send_v, carr_i, cars):
                    _wait_carrier(s, p, send_i, carr_i, carr_w)
                    break
                _idle_line(line_acc[i], FEEDER, proc_w[p], worked(clock, now), outs, n_outs, node_out[i], lo, hi)
                procs[p, P_WAITING] = -1
                if not _send(s, unit, now, send_i, send_v, carr_i, cars, io, buf, items, getters, procs, mon,
                             mon_w, heap_f, heap_i, sched, traces, sorting, clocks):
                    return BROKEN
                procs[p, P_STEP] += 1
                procs[p, P_STATE] = L_SENDS
                continue
            if state == L_INDEXED:
                leaving = positions[i, P - 1]
                if leaving < 0:
                    procs[p, P_STATE] = L_TURN
                    continue
                b = nodes[i, N_OUT]
                if nodes[i, N_EXIT] and wall[0] <= now < wall[1]:
                    exits[nodes[i, N_EXIT] - 1] += 1
                if PY < b <= SPLIT:
                    b = _branch(b, leaving, cars, split_i, split_e)
                if b == SINK:
                    if not _leave(leaving, now, cars, io, log_t, log_c):
                        return BROKEN
                    procs[p, P_STATE] = L_PUT_DONE
                    continue
                if b <= PY:  # into a Python store (the yard): a full one wakes the line when it takes the car
                    if _put_later(PY - b, leaving, 0, now, io, log_t, log_c) or _callout(CO_PUT, PY - b, p, leaving, 0):
                        procs[p, P_STATE] = L_PUT_DONE
                        continue
                    proc_w[p] = worked(clock, now)
                    procs[p, P_WAITING] = BLOCKED
                    procs[p, P_STATE] = L_PUT_WAIT
                    break
                if _try_put(b, leaving, False, now, buf, items, getters, procs, mon, mon_w,
                            heap_f, heap_i, sched, traces, sorting, cars, clocks, io):
                    procs[p, P_STATE] = L_PUT_DONE
                    continue
                _wait_put(b, p, leaving, False, buf, putters, putter_car)
                proc_w[p] = worked(clock, now)
                procs[p, P_WAITING] = BLOCKED
                procs[p, P_STATE] = L_PUT_WAIT
                break
            if state == L_PUT_WAIT:
                _idle_line(line_acc[i], BLOCKED, proc_w[p], worked(clock, now), outs, n_outs, node_out[i], lo, hi)
                procs[p, P_WAITING] = -1
                procs[p, P_STATE] = L_PUT_DONE
                continue
            if state == L_PUT_DONE:
                nodes[i, N_INSIDE] -= 1
                procs[p, P_STATE] = L_TURN
                continue
            # L_TURN: the positions turn one place
            for q in range(P - 1, 0, -1):
                positions[i, q] = positions[i, q - 1]
            positions[i, 0] = -1
            procs[p, P_STATE] = L_TOP
            value = -1
            continue
        p = -1
        if io[IO_ONLY]:  # a process Python resumed (a SimPy event it waited on): it waits again, Python goes on
            io[IO_ONLY] = 0
            return RESUMED

