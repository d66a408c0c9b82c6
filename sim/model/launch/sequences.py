"""Launch sequences: the orders in which models are launched, and the source that adds each car's options.

Two levelled orders, each named for what it does (both keep every model close to its share at every
prefix of the sequence, by different rules):

* ``goal_chasing`` (the scenario's ``sequence: levelled``): the model furthest behind its share of the first
  n cars goes next (Monden's goal chasing, models only; ``sequencer.Sequencer`` extends it to options and
  spacing rules);
* ``within_one_car`` (a planned month's order over its mix): Tijdeman's rule, which keeps every model within
  one car of n x its share at every n, checked per car.

A random launch draws each model by its share (``streams.drawn``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..flow.car import InvariantError
from ..streams import drawn
from .sequencer import Sequencer

if TYPE_CHECKING:
    from ...scenario.schema import Scenario
    from ..streams import Streams

EPS = 1e-9
"""Tolerance on the levelled sequences' deficits (shares like 0.3 are not exact in binary)."""


class ModelSequence:
    """A sequence source: models from a model order, the options of each car drawn by their take rates."""

    def __init__(self, models: Iterator[int], take_rates: list[list[float]], option_draw):
        """``take_rates[option][model]``; ``option_draw``: the stream 'launch.options' (None without options)."""
        self.models = models
        self._take_rates = take_rates
        self._option_draw = option_draw
        self._model_count = len(take_rates[0]) if take_rates else 0

    def next_variant(self) -> int:
        """The next car's variant: its model, and the options it carries (inline: this runs once per car)."""
        model = next(self.models)
        if self._option_draw is None:
            return model
        bits = 0
        for k, rates in enumerate(self._take_rates):
            if self._option_draw() < rates[model]:
                bits |= 1 << k
        return model + self._model_count * bits

    def with_models(self, models: Iterator[int]) -> ModelSequence:
        """The same options drawn over another model order."""
        return ModelSequence(models, self._take_rates, self._option_draw)


def first_sequence(scenario: Scenario, streams: Streams):
    """The launch's sequence source at the start of the run: with spacing rules a levelled launch is the
    sequencer's; otherwise the scenario's model order (levelled or random) with options drawn."""
    product = scenario.product
    if product.spacing and product.sequence == "levelled":
        return Sequencer(product)
    shares = list(product.shares.values())
    models = drawn(shares, streams.uniform("launch.sequence")) if product.sequence == "random" \
        else goal_chasing(shares)
    take_rates = [[product.take_rate(o, m.name) for m in product.models] for o in product.options]
    return ModelSequence(models, take_rates, streams.uniform("launch.options") if product.options else None)


def goal_chasing(shares: list[float]) -> Iterator[int]:
    """Model indices, levelled: the model furthest behind its share of the first n cars goes next (ties: the
    first model)."""
    launched = [0] * len(shares)
    n = 0
    while True:
        n += 1
        deficits = [n * share - done for share, done in zip(shares, launched)]
        model = max(range(len(shares)), key=deficits.__getitem__)
        launched[model] += 1
        yield model


def within_one_car(shares: list[float]) -> Iterator[int]:
    """Model indices of a levelled sequence over ``shares`` (summing to 1): after every n cars, every model's
    count is within one car of n x its share.

    Tijdeman's rule for the chairman assignment problem (1980): with k models that have a share, the n-th car
    goes, among the models at least 1 / (2k - 2) behind their target (n x share - count), to the one whose
    next car falls due soonest ((count + d) / share, d = 1 - 1 / (2k - 2); ties to the first model); this keeps
    every count within d < 1 of its target. Each car checks it (``InvariantError`` otherwise).
    """
    models = [m for m, share in enumerate(shares) if share > 0]
    if len(models) == 1:
        while True:
            yield models[0]
    d = 1.0 - 1.0 / (2 * len(models) - 2)
    done = [0] * len(shares)
    n = 0
    while True:
        n += 1
        due = min((m for m in models if n * shares[m] - done[m] >= 1.0 - d - EPS),
                  key=lambda m: (done[m] + d) / shares[m])
        done[due] += 1
        for m in models:
            if abs(done[m] - n * shares[m]) > 1.0 + EPS:
                raise InvariantError(f"levelled sequence: model {m} has {done[m]} of the first {n} cars, "
                                     f"target {n * shares[m]:.3f}: more than one car off")
        yield due
