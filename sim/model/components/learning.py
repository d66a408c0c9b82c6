"""Learning curves per shop: cycle time, first-pass yield and failure rate improve with the shop's output.

Wright's law: the n-th unit takes T(n) = T(1) x n^b, b = log2(rate), so every doubling of cumulative
output multiplies the unit time by the rate (an 80% curve: T(2) = 0.8 T(1), T(4) = 0.64 T(1)). Here
the curve acts on a multiplier of the scenario's mature value, m(n) = max(1, first x n^b): the first car
gets ``first`` times the mature value, and the curve meets the mature value at car n* = first^(-1/b)
and stays there. Work times are multiplied by it, times between failures divided by it when they are
drawn. The first-pass yield learns through its defects: the failing share at car n is
(1 - FPY) x max(1, (1 - first) / (1 - FPY) x n^b), FPY the mature yield.

n is the number of the shop's next car: the cars that have left the shop's last station since the start
of the run, plus the scenario's ``built_before`` pilot cars, plus one. Learning is the shop's, not the
car's: the experience that speeds a station up is what the shop has built so far, whichever car is in
front of it, so every station reads one number the shop keeps (``Experience``), updated once per car
leaving the shop. A shop without learning keeps none, and its stations do no extra work per car.

With ``new_crews`` each shift's crew keeps its own number (``Crews``): a shift the ramp-up adds brings a crew
that starts near car 1 (its training and shadowing aside), while the earlier crews keep their experience.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...scenario.days import DAY
from ..flow.car import InvariantError
from ..flow.routing import QualityGate
from .base import Component


def exponent(rate: float) -> float:
    """Wright's exponent b = log2(rate) (negative for a rate below 1)."""
    return math.log2(rate)


def multiplier(first: float, rate: float, n: float) -> float:
    """m(n) = max(1, first x n^b): the multiplier on the mature value at the shop's n-th car (n >= 1)."""
    value = first * n ** exponent(rate)
    return value if value > 1.0 else 1.0


def mature_at(first: float, rate: float) -> float:
    """The car at which max(1, first x n^b) meets 1: n* = first^(-1/b) (1 when first is 1; infinite beyond
    the floats, a rate so close to 1 that no horizon reaches it)."""
    power = -math.log(first) / exponent(rate)
    return math.exp(power) if power < 700.0 else math.inf


def first_pass_yield(first: float, mature: float, rate: float, n: float) -> float:
    """The yield at the shop's n-th car: 1 - (1 - mature) x max(1, (1 - first) / (1 - mature) x n^b), at least
    0; exactly ``mature`` once the curve has met it. ``mature`` is below 1 (the scenario checks it)."""
    excess = (1.0 - first) / (1.0 - mature) * n ** exponent(rate)
    if excess <= 1.0:
        return mature
    return max(0.0, 1.0 - (1.0 - mature) * excess)


def yield_mature_at(first: float, mature: float, rate: float) -> float:
    """The car at which the yield meets its mature value: ((1 - first) / (1 - mature))^(-1/b); 1 when the first
    car's yield is already the mature one."""
    return max(1.0, mature_at((1.0 - first) / (1.0 - mature), rate))


CURVES = ("cycle_time", "failures", "first_pass_yield")


def mature_yield(shop) -> float | None:
    """The first-pass yield of a shop's quality gate (the mature value its curve meets), or None without a gate."""
    return None if shop.quality is None else shop.quality.first_pass_yield
"""A shop's learning curves, in the order ``curve_values`` gives their values."""


def curve_values(spec, mature_fpy: float | None, n: float) -> tuple[float, float, float | None]:
    """(cycle-time multiplier, failure-rate multiplier, first-pass yield) of a shop's learning ``spec``
    (``schema.ShopLearning``) at its n-th car; a curve the spec leaves out gives its mature value."""
    cycle, failures, fpy = spec.cycle_time, spec.failures, spec.first_pass_yield
    return (1.0 if cycle is None else multiplier(cycle.first, cycle.rate, n),
            1.0 if failures is None else multiplier(failures.first, failures.rate, n),
            mature_fpy if fpy is None else first_pass_yield(fpy.first, mature_fpy, fpy.rate, n))


class Experience:
    """A shop's experience: the number of its next car and what its learning curves give at that car.

    Stations read ``cycle`` (the multiplier on work time), ``failures`` (on the failure rate) and the quality
    gate reads ``fpy`` each time they need them; ``car_left`` moves them on when a car leaves the shop's last
    station. Once every curve has met its mature value the values no longer change, and ``car_left`` only counts.
    """

    __slots__ = ("spec", "mature_fpy", "car", "cycle", "failures", "fpy", "learning", "largest_cycle")

    def __init__(self, spec, mature_fpy: float | None, start: float | None = None):
        """``spec``: the shop's ``schema.ShopLearning``; ``mature_fpy``: its quality gate's first_pass_yield
        (None without a gate); ``start``: the first car's number (default built_before + 1; a new shift crew's
        may be fractional, ``Crews``)."""
        self.spec = spec
        self.mature_fpy = mature_fpy
        self.car = spec.built_before + 1 if start is None else start
        # the bounds the first values are checked against: a multiplier is at least 1, a yield at most 1
        self.cycle = self.failures = math.inf
        self.fpy = 0.0 if mature_fpy is not None else None
        self.learning = True
        """Some curve is still above its mature value."""
        self._move_on()
        self.largest_cycle = self.cycle
        """The largest cycle-time multiplier the shop will have (its first car's): what a paced line plans for."""

    def car_left(self) -> None:
        """A car left the shop's last station: the shop's next car is one further along its curves."""
        self.car += 1
        if self.learning:
            self._move_on()

    def _move_on(self) -> None:
        """The curves' values at the next car, checked: multipliers at least 1 and never rising, the yield in
        [0, 1] and never falling (``InvariantError`` otherwise)."""
        cycle, failures, fpy = curve_values(self.spec, self.mature_fpy, self.car)
        for name, value, before in (("cycle-time", cycle, self.cycle), ("failure-rate", failures, self.failures)):
            if not 1.0 <= value <= before:
                raise InvariantError(f"the {name} learning multiplier at car {self.car} is {value!r} after "
                                     f"{before!r}: it must be at least 1 and never rise")
        if fpy is not None and not self.fpy <= fpy <= 1.0:
            raise InvariantError(f"the learning first-pass yield at car {self.car} is {fpy!r} after {self.fpy!r}: "
                                 "it must be in [0, 1] and never fall")
        self.cycle, self.failures, self.fpy = cycle, failures, fpy
        self.learning = cycle > 1.0 or failures > 1.0 or fpy != self.mature_fpy

    def slower(self, sample):
        """A station's work-time sampler under the cycle-time curve: each draw times the multiplier of the
        shop's next car, read when the cycle starts."""
        return lambda: sample() * self.cycle

    def sooner(self, sample):
        """A time-between-failures sampler under the failure curve: each draw divided by the multiplier of the
        shop's next car when it is drawn (at the start, after each repair, at a preventive service); a time
        drawn holds until that failure, however far the shop learns meanwhile."""
        return lambda: sample() / self.failures


class Crews:
    """A shop whose shift crews learn apart (``learning.<shop>.new_crews``): one ``Experience`` per crew, the one
    on shift read when a station, line, failure or gate asks (the same interface as ``Experience``).

    The crew on shift at wall time t is the shift whose hours hold t: k = floor((t - start - day) / length) on
    the shift day (from the shop's shift start), capped at the day's last crew (overtime after the last shift,
    or a car leaving off shift, is the last crew's). The crews of the shifts run from the start (the first
    working day's count) start at car ``built_before`` + 1; the crew of a shift the ramp adds starts at car
    1 + shadowing x the cars the shop built between the end of its training and the first moment the crew is
    asked for (its shift's first start: its first car counted, or its first cycle, whichever comes first; a car
    leaving the shop in its shift is its own). Each car that leaves the shop moves on the crew on shift only."""

    __slots__ = ("spec", "crews", "total", "shifts", "counts", "env", "_pending", "_ready", "_snapshots",
                 "_shadowing", "_mature_fpy", "founding", "largest_cycle",
                 "_current", "_lo", "_hi", "first_cars")

    def __init__(self, spec, mature_fpy: float | None, env, shifts, counts: list[int] | None,
                 ready: dict[int, float], first_day: int = 0):
        """``shifts``: the shop's ``Shifts``; ``counts``: its shift count per simulated day (None: its own);
        ``ready``: per added crew (0-based shift index), the wall time its training ends; ``first_day``: the
        first working day (its count is the founding crews')."""
        self.spec, self.env, self.shifts, self.counts = spec, env, shifts, counts
        self.founding = shifts.count if counts is None else counts[first_day]
        self.crews: dict[int, Experience] = {k: Experience(spec, mature_fpy) for k in range(self.founding)}
        self.first_cars = {k: crew.car for k, crew in self.crews.items()}
        """Per crew: the number of its first car (an added crew's from its shadowing)."""
        self.total = 0
        """Cars that have left the shop since the start of the run."""
        self._ready = dict(ready)
        self._snapshots: dict[int, int] = {}
        """Per added crew whose training has ended: the shop's cars then."""
        self._shadowing = {number - 1: crew.shadowing for number, crew in (spec.new_crews or {}).items()}
        self._mature_fpy = mature_fpy
        self._current, self._lo, self._hi = self.crews[0], 0.0, -1.0
        """The crew on shift over wall times [lo, hi) (none yet)."""
        self.largest_cycle = Experience(spec, mature_fpy, start=1.0).cycle if ready else self.crews[0].cycle
        """The largest cycle-time multiplier any crew will have: an added crew's (it starts at car 1 or later)."""

    def crew_at(self, t: float, leaving: bool = False) -> tuple[int, float, float]:
        """The 0-based shift index of the crew on shift at wall time t, and the wall times [lo, hi) over which it
        stays on; ``leaving``: for a car leaving at t (a car leaving exactly at a shift change is the ending
        shift's last, a cycle starting then the next's)."""
        shifts = self.shifts
        day, within = divmod(math.nextafter(t - shifts.start, -math.inf) if leaving else t - shifts.start, DAY)
        if day < 0:
            return 0, -math.inf, shifts.start
        d = min(int(day), len(self.counts) - 1) if self.counts is not None else 0
        count = shifts.count if self.counts is None else self.counts[d]
        k = min(int(within // shifts.length), count - 1)
        lo = day * DAY + shifts.start + k * shifts.length
        return k, lo, (lo + shifts.length if k < count - 1 else (day + 1) * DAY + shifts.start)

    def on_shift(self, leaving: bool = False) -> Experience:
        """The experience of the crew on shift now (an added crew starts on its first call)."""
        now = self.env.now
        if not leaving and self._lo <= now < self._hi:
            return self._current
        k, lo, hi = self.crew_at(now, leaving)
        crew = self.crews.get(k)
        if crew is None:
            crew = self._arrive(k)
        if not leaving:
            self._current, self._lo, self._hi = crew, lo, hi
        return crew

    def _arrive(self, k: int) -> Experience:
        """Crew k's first moment on shift: its car number from the cars it shadowed since its training ended."""
        self._take_snapshots()
        shadowed = self.total - self._snapshots.get(k, self.total)
        crew = Experience(self.spec, self._mature_fpy, start=1.0 + self._shadowing.get(k, 0.0) * shadowed)
        self.crews[k] = crew
        self.first_cars[k] = crew.car
        return crew

    def _take_snapshots(self) -> None:
        """The shop's cars when each added crew's training ended (read before the next car is counted)."""
        now = self.env.now
        for k, at in list(self._ready.items()):
            if at <= now:
                self._snapshots[k] = self.total
                del self._ready[k]

    @property
    def car(self) -> int:
        """The shop's next car (all crews)."""
        return self.spec.built_before + self.total + 1

    @property
    def cycle(self) -> float:
        return self.on_shift().cycle

    @property
    def failures(self) -> float:
        return self.on_shift().failures

    @property
    def fpy(self) -> float | None:
        return self.on_shift().fpy

    def car_left(self) -> None:
        """A car left the shop's last station: the crew on shift is one car further along its curves."""
        if self._ready:
            self._take_snapshots()
        self.on_shift(leaving=True).car_left()
        self.total += 1

    def slower(self, sample):
        return lambda: sample() * self.cycle

    def sooner(self, sample):
        return lambda: sample() / self.failures

    def crew_cars(self) -> dict[int, tuple[float, float]]:
        """Per crew (shift number, 1-based) that has worked: the number of its first car and of its next car."""
        return {k + 1: (self.first_cars[k], crew.car) for k, crew in sorted(self.crews.items())}


@dataclass(frozen=True)
class LearningFigures:
    """One replication's learning figures."""

    cars: dict[str, dict[str, int]]
    """Per shop with learning curves: the number of its next car at the start and at the end of the measured
    window ('start', 'end')."""
    crews: dict[str, dict[int, tuple[float, float]]] = field(default_factory=dict)
    """Per shop whose shift crews learn apart: per crew (shift number) that has worked, the number of its first car
    and of its next car at the end of the run."""


class Learning(Component):
    """Learning curves (``learning`` of a scenario): each shop's experience, which the builder's stations, quality
    gate and shop exit of that shop use (``Builder.shop_experience``)."""

    @classmethod
    def wanted(cls, scenario) -> bool:
        return bool(scenario.learning)

    def __init__(self, build):
        scenario = build.scenario
        self.experience = {name: Experience(spec, mature_yield(scenario.shops[name])) if spec.new_crews is None
                           else _crews(build, name, spec) for name, spec in scenario.learning.items()}
        build.shop_experience.update(self.experience)
        self.plant = build.plant

    def figures(self) -> LearningFigures:
        return LearningFigures(window_cars(self.experience, self.plant.shop_exits),
                               {shop: state.crew_cars() for shop, state in self.experience.items()
                                if isinstance(state, Crews)})


def _crews(build, shop: str, spec) -> Crews:
    """A shop's crews learning apart: the added crews' training ends in wall time (from the hiring date)."""
    days = build.days
    ready = {number - 1: (crew.hired - days.first_date).days * DAY + crew.training
             for number, crew in spec.new_crews.items()}
    first_day = next((d for d, works in enumerate(days.working) if works), 0)
    return Crews(spec, mature_yield(build.scenario.shops[shop]), build.env, build.scenario.shops[shop].shifts,
                 build.shift_counts(shop), ready, first_day)


def window_cars(experience: dict[str, Experience], window_exits: dict[str, int]) -> dict[str, dict[str, int]]:
    """Per shop with learning: the number of its next car at the start and at the end of the measured window
    (the run ends with the window; ``window_exits``: the cars that left each shop in the window)."""
    return {shop: {"start": state.car - window_exits[shop], "end": state.car} for shop, state in experience.items()}


class LearningGate(QualityGate):
    """A quality gate whose first-pass yield follows its shop's learning curve (``Experience.fpy``).

    The failing cars keep the mature proportions: the share of them scrapped is scrap / (1 - FPY), the rest
    follows the rework paths by their shares. Once the yield is mature the gate's thresholds are the plain
    gate's, exactly.
    """

    def __init__(self, *args, experience: Experience, **kwargs):
        """``args``, ``kwargs``: those of ``QualityGate``; ``experience``: the shop's."""
        super().__init__(*args, **kwargs)
        self.experience = experience
        self.mature = (self.pass_below, self.scrap_below)
        self.fpy = self.pass_below
        self.scrapped_of_failing = (self.scrap_below - self.pass_below) / (1.0 - self.pass_below)

    def route(self, car):
        fpy = self.experience.fpy
        if fpy != self.fpy:
            self.fpy = fpy
            if fpy == self.mature[0]:
                self.pass_below, self.scrap_below = self.mature
            else:  # without rework paths every failing car is scrapped: nothing may fall past the last threshold
                self.pass_below = fpy
                self.scrap_below = fpy + (1.0 - fpy) * self.scrapped_of_failing if self.paths else 1.0
        return QualityGate.route(self, car)
