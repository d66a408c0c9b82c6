"""A free-flow station: parallel servers taking cars from the buffer in front.

Each server is one SimPy process: take a car (or wait: starved), work its cycle
on the shop's shift clock with breakdowns (one timeout event), hand the car on
(or wait: blocked, holding the car). A car that flows freely costs one event
per station.

A station drawing operators from a shared labour pool is a ``PooledStation``:
its servers also wait for operators (state ``labour``) before each cycle. Its
loop is separate so that stations without a pool do no extra work per car.
"""

from __future__ import annotations

from array import array

from .booths import ColourTally
from .states import BLOCKED, COLOUR, FEEDER, LABOUR, STARVED, STATE_NAMES, StateAccount
from ...scenario.window import Window


class Station:
    """Free-flow station with ``servers`` identical servers."""

    kind = "station"

    def __init__(self, env, *, shop: str, name: str, servers: int, cycle, failures, clock,
                 worked_window: Window, wall_window: Window, purge: float = 0.0):
        """``worked_window``: the measured window in the shop's worked time (``clock``), which the
        state times cover; ``wall_window``: the same window in wall time, which the completions cover;
        ``purge``: a paint booth's seconds to purge its guns before a body of another colour."""
        self.env = env
        self.shop = shop
        self.name = name
        self.servers = servers
        self.cycle = cycle
        """One sampler per car model index, returning seconds of work."""
        self.failures = failures
        """One breakdown process per server."""
        self.clock = clock
        self.wall_window = wall_window
        self.worked_window = worked_window
        self.accounts = [StateAccount(worked_window) for _ in range(servers)]
        self.waiting: list[tuple[int, float] | None] = [None] * servers
        self.holding: list = [None] * servers
        self.completions = 0
        self.input = None
        """Where the station takes its cars: a ``CarInput`` (buffer, merge or the launch source)."""
        self.output = None
        """Where finished cars go: a ``Router``, ``route(car) -> (target, priority)``."""
        self.joins: list = []
        """The feeders whose parts this station fits (``graph.Join``), set by the builder."""
        self.takeoffs: list = []
        """The sends of own parts on a bounded number of carriers at this station's output (``graph.Send`` with
        ``carriers``), set by the builder: a server waits (state ``feeder``) for a free carrier before handing on."""
        self.awaited: list = [None] * servers
        """Per server, the join whose part it is waiting for now (None: not waiting for a part)."""
        self.idle_log = array("d")
        """Every wait of every server (starved, blocked, labour, feeder) as flat pairs (from, to) of worked
        time, the whole run: the complement is the station's active periods (``analysis.shifting``).
        Flat doubles, 16 bytes a wait, appended only by the cars that wait."""
        self.purge = purge
        self.colours: list[int | None] = [None] * servers
        """Per server (booth), the colour of its last body."""
        self.colour_tally = ColourTally(servers)
        """The booth's colour changes in the window and the bodies they are counted on."""

    def start(self) -> None:
        for k in range(self.servers):
            self.env.process(self._serve(k))

    def _serve(self, k: int):
        env, clock, source = self.env, self.clock, self.input
        account, failures, takeoffs = self.accounts[k], self.failures[k], self.takeoffs
        # the wall-time window's bounds as locals: the loop below runs once per car, and
        # ``lo <= now < hi`` inline is cheaper than a call to ``Window.contains``
        lo, hi = self.wall_window.lo, self.wall_window.hi
        while True:
            car = source.try_get()
            if car is None:
                car = yield from self._wait(k, STARVED, source.get())
            self.holding[k] = car
            if self.joins:
                yield from self._take_parts(k, car)
            if self.purge:
                yield from self._change_colour(k, car)
            w_end = failures.work(clock.worked(env.now), self.cycle[car.model](), account)
            yield env.timeout(max(0.0, clock.at_work(w_end) - env.now))
            if takeoffs:
                yield from self._take_carriers(k, car)
            target, priority = self.output.route(car)
            if target is not None and not target.try_put(car, priority):
                yield from self._wait(k, BLOCKED, target.put(car, priority))
            self.holding[k] = None
            if lo <= env.now < hi:
                self.completions += 1

    def _take_parts(self, k: int, car):
        """Take one part of each joining feeder for this car, waiting (state ``feeder``) for a missing one."""
        account = self.accounts[k]
        for join in self.joins:
            if not join.needed(car):
                continue
            part = join.buffer.try_get()
            if part is None:
                join.waits += 1
                before = account.times[FEEDER]
                self.awaited[k] = join
                part = yield from self._wait(k, FEEDER, join.buffer.get())
                self.awaited[k] = None
                join.waited += (account.times[FEEDER] - before) / self.servers
            join.fit(part, car)

    def _take_carriers(self, k: int, car):
        """Before the car's own parts come off (``CallOff``): wait (state ``feeder``: the station waits on that
        feeder to bring a carrier back) while all the carriers of an own-part feeder are in use."""
        for send in self.takeoffs:
            while not send.ready(car):
                yield from self._wait(k, FEEDER, send.carriers.freed())

    def _change_colour(self, k: int, car):
        """A booth purges its guns before a body of another colour (state ``colour_change``; the purge
        is not working time, so it does not bring a breakdown nearer)."""
        last, self.colours[k] = self.colours[k], car.colour
        change = last is not None and last != car.colour
        env, clock = self.env, self.clock
        if self.wall_window.contains(env.now):
            self.colour_tally.count(k, change)
        if not change:
            return
        w0 = clock.worked(env.now)
        self.accounts[k].add(COLOUR, w0, w0 + self.purge)
        yield env.timeout(max(0.0, clock.at_work(w0 + self.purge) - env.now))

    def _wait(self, k: int, state: int, event):
        """Wait for ``event`` in ``state`` (starved, blocked, labour); returns its value.

        Only cars that must wait pay for this generator: a free flow never enters it.
        """
        w0 = self.clock.worked(self.env.now)
        self.waiting[k] = (state, w0)
        value = yield event
        self.waiting[k] = None
        w1 = self.clock.worked(self.env.now)
        self.failures[k].idle(state, w0, w1, self.accounts[k])
        if w1 > w0:  # a wait inside one instant (or off shift) leaves the active period whole
            self.idle_log.append(w0)
            self.idle_log.append(w1)
        return value

    def finish(self) -> None:
        """Close the open waiting intervals at the end of the run."""
        now_w = self.clock.worked(self.env.now)
        for k, waiting in enumerate(self.waiting):
            if waiting is not None:
                state, since = waiting
                if now_w > since:
                    self.idle_log.append(since)
                    self.idle_log.append(now_w)
                before = self.accounts[k].times[FEEDER]
                self.failures[k].idle(state, since, now_w, self.accounts[k])
                if self.awaited[k] is not None:  # still waiting for a part: that feeder's wait too
                    self.awaited[k].waited += (self.accounts[k].times[FEEDER] - before) / self.servers

    def links(self) -> list[tuple[str, object]]:
        """Input, output and the parts buffers of the feeders fitted here (the wiring check walks them)."""
        return [("input", self.input), ("output", self.output)] + \
            [(f"parts of feeder {join.feeder}", join.buffer) for join in self.joins]

    def cars(self) -> list:
        return [car for car in self.holding if car is not None]

    def station_rows(self) -> list[dict]:
        """One row of state times (worked seconds in the window) for this station."""
        times = [sum(a.times[s] for a in self.accounts) / self.servers for s in range(len(STATE_NAMES))]
        return [{
            "shop": self.shop, "station": self.name, "kind": self.kind, "servers": self.servers,
            "completions": self.completions, "times": times,
            "downs": sum(f.downs for f in self.failures), "line": None, "line_active_s": None, "line_stopped_s": None,
            "feeder_waits": {join.feeder: join.waited for join in self.joins},
            "feeder_stops": sum(join.waits for join in self.joins),
            **self.colour_tally.columns(),
        }]


class PooledStation(Station):
    """A free-flow station whose servers take ``needed`` operators from a labour pool for each cycle.

    A server holding a car waits (state ``labour``) until the pool gives it operators;
    it keeps them for the whole cycle, repairs during the cycle included, and gives
    them back before handing the car on. Given fewer than needed (``when_short: slower``)
    the cycle's work time is scaled by needed / given.
    """

    def __init__(self, env, *, pool, needed: int, slower: bool, **station):
        """``station``: the keyword arguments of ``Station``."""
        super().__init__(env, **station)
        self.pool = pool
        self.needed = needed
        self.slower = slower
        pool.stations.append(self)

    def _serve(self, k: int):
        env, clock, source, pool = self.env, self.clock, self.input, self.pool
        account, failures = self.accounts[k], self.failures[k]
        needed, slower, takeoffs = self.needed, self.slower, self.takeoffs
        lo, hi = self.wall_window.lo, self.wall_window.hi  # as in Station._serve: no method call per car
        while True:
            car = source.try_get()
            if car is None:
                car = yield from self._wait(k, STARVED, source.get())
            self.holding[k] = car
            if self.joins:
                yield from self._take_parts(k, car)
            if self.purge:
                yield from self._change_colour(k, car)
            taken = pool.try_take(needed, slower)
            if not taken:
                taken = yield from self._wait(k, LABOUR, pool.request(needed, slower, clock.worked(env.now)))
            work = self.cycle[car.model]()
            if taken < needed:
                work *= needed / taken
            w_end = failures.work(clock.worked(env.now), work, account)
            yield env.timeout(max(0.0, clock.at_work(w_end) - env.now))
            pool.release(taken)
            if takeoffs:
                yield from self._take_carriers(k, car)
            target, priority = self.output.route(car)
            if target is not None and not target.try_put(car, priority):
                yield from self._wait(k, BLOCKED, target.put(car, priority))
            self.holding[k] = None
            if lo <= env.now < hi:
                self.completions += 1
