"""The constrained levelled sequencer: goal chasing over car variants, keeping the spacing rules.

Goal chasing (Monden, *Toyota Production System*): the next car is the candidate whose choice keeps the
cumulative count of every model and of every option closest to its target (n x share; an option's share
is the sum over models of share x take rate) — the squared distance over all those counts, and over the
count of every variant (target share: model share x the product of its options' take rates or their
complements), which keeps each model's own take rates (the sunroofs spread over the models as planned,
not all on one). Without options and rules this is the launch's model-only goal chasing (the model
furthest behind goes next).

Spacing rules (``product.spacing``: at most k such cars in any n consecutive cars) are constraints:
a candidate that would break a rule is never taken while one that keeps every rule exists, except that
the mix must be kept over time — a plant cannot stop building its Tiggo 7s because they are hard to
space. Three decisions make that precise:

* **Forcing.** A ruled model or option is *due* when its rule blocks it now and, if the cars until its
  rule lets it in again (no such car placed meanwhile) were all others, its count would fall more than
  one whole car behind its target. A due feature is placed now, breaking the rule. Forcing at the first
  slot the shortfall becomes certain puts the breach right after the feature's last car (two in a row),
  where it uses up no other car; breaking later, in the middle of a gap, would waste the cars before it.
* **Tight features take every slot their rule allows.** A feature whose share is at or above what its
  rule lets through (share >= k/n) and that is behind its target is placed at every slot its rule
  allows: a slot left unused is a breach later. Among the rule-keeping candidates, those carrying more
  such features go first; goal chasing decides the rest.
* **Ties** go to the earlier candidate.

With a feature of share p above k/n this gives the fewest breaches any order of the same cars can have
(for "at most 1 in any 3": each car of the feature that keeps the rule needs two other cars before it,
so c such cars among o others breach at least c - 1 - floor(o / 2) times; the test checks the sequence
against an exhaustive search) while the count stays within one car of n x p.

``count_breaches`` measures a logged order (a shop's entries) against a rule: a breach is a car carrying
the feature whose entry makes the last n entries hold more than k such cars.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from ...scenario.schema import Product, SpacingRule
from ..flow.car import InvariantError

EPS = 1e-9
"""Tolerance on deficits (shares like 1/3 are not exact in binary)."""


class Sequencer:
    """Levelled choice of car variants (``Car.variant`` = model + n_models x option bits) under spacing rules.

    ``choose(candidates)`` returns the index of the candidate to take next (the candidates may be any subset
    of variants, e.g. the heads of a store's lanes); ``record(variant)`` commits a choice and counts the
    rules it breaks (``breaches``, one count per rule of ``product.spacing``).
    """

    def __init__(self, product: Product):
        shares = list(product.shares.values())
        n_models, n_options = len(shares), len(product.options)
        names = [m.name for m in product.models]
        self.n_models = n_models
        rates = [[product.take_rate(o, name) for name in names] for o in product.options]
        # features: the models, then the options; a variant carries its model and the options of its bits
        self.feature_names = names + [o.name for o in product.options]
        self.share = shares + [sum(s * r[m] for m, s in enumerate(shares)) for r in rates]
        self.carries: list[tuple[int, ...]] = []
        self.target: list[float] = []
        """Per variant: its share of the launched cars (model share x its options' rates or complements)."""
        for variant in range(n_models << n_options):
            model, bits = variant % n_models, variant // n_models
            share = shares[model]
            for k in range(n_options):
                share *= rates[k][model] if bits >> k & 1 else 1.0 - rates[k][model]
            self.target.append(share)
            self.carries.append((model,) + tuple(n_models + k for k in range(n_options) if bits >> k & 1))
        self.launchable = [v for v, t in enumerate(self.target) if t > 0]
        """The variants a launch chooses from: those with a positive target."""
        self.rules = list(product.spacing)
        self._rule_feature = [self.feature_names.index(r.feature, n_models if r.option is not None else 0)
                              for r in self.rules]
        self._rule_bits = [sum(1 << r for r, f in enumerate(self._rule_feature) if f in carried)
                           for carried in self.carries]
        """Per variant, a bit per rule whose feature it carries: the rules a blocked set of them would break are
        counted with one AND (choose runs once per car over every launchable variant)."""
        self._feature_bits = [sum(1 << f for f in carried) for carried in self.carries]
        """Per variant, a bit per feature it carries (its features are distinct)."""
        self._windows = [deque() for _ in self.rules]
        """Per rule: slot numbers of the cars carrying its feature among the last n - 1 placed."""
        self._tight = {f for f, r in zip(self._rule_feature, self.rules)
                       if self.share[f] >= r.at_most / r.in_any - EPS}
        """Features whose share is at or above what one of their rules lets through."""
        self.placed = 0
        self.counts = [0] * len(self.share)
        """Cars placed per feature (models, then options)."""
        self.variant_counts = [0] * len(self.target)
        self.breaches = [0] * len(self.rules)
        """Cars placed that broke each rule."""

    # ------------------------------------------------------------ choosing

    def choose(self, candidates: list[int]) -> int:
        """Index in ``candidates`` (variants) of the car to take next; nothing is committed."""
        slot = self.placed + 1
        deficit = [slot * p - c for p, c in zip(self.share, self.counts)]
        pool = range(len(candidates))
        blocked, due = self._blocked_and_due(slot, deficit) if self.rules else ((), None)
        if blocked:
            pool = self._fewest_breaks(candidates, blocked, due)
            if len(pool) == 1:
                return pool[0]
        blocked_features = {self._rule_feature[r] for r in blocked}
        eager = [f for f in self._tight if f not in blocked_features and deficit[f] > EPS]
        carries, target, variant_counts = self.carries, self.target, self.variant_counts
        best = None
        for i in pool:  # the least (-eager features carried, score, i): goal chasing, ties to the earlier
            variant = candidates[i]
            carried = carries[variant]
            behind = slot * target[variant] - variant_counts[variant]
            # the squared distance of every count from its target after this choice, less the part every
            # candidate shares: (d - 1)^2 - d^2 = 1 - 2d for each count the candidate raises
            score = 0
            for f in carried:
                score += 1.0 - 2.0 * deficit[f]
            key = (-sum(1 for f in carried if f in eager) if eager else 0, score + 1.0 - 2.0 * behind, i)
            if best is None or key < best:
                best = key
        return best[2]

    def _fewest_breaks(self, candidates: list[int], blocked: list[int], due: set[int]) -> list[int]:
        """The candidates (indexes) that carry the most due features, and among them break the fewest rules."""
        blocked_bits = sum(1 << r for r in blocked)
        rule_bits = self._rule_bits
        breaks = [(rule_bits[v] & blocked_bits).bit_count() for v in candidates]
        pool = range(len(candidates))
        if due:
            due_bits = sum(1 << f for f in due)
            feature_bits = self._feature_bits
            carrying = [(feature_bits[v] & due_bits).bit_count() for v in candidates]
            most = max(carrying)
            if most > 0:
                pool = [i for i in pool if carrying[i] == most]
        fewest = min(breaks[i] for i in pool)
        return [i for i in pool if breaks[i] == fewest]

    def _blocked_and_due(self, slot: int, deficit: list[float]) -> tuple[list[int], set[int]]:
        """Rules a car of their feature would break at ``slot``, and the features due now (see the module)."""
        blocked, wait = [], {}
        for r, rule in enumerate(self.rules):
            window = self._window(r, slot)
            if len(window) < rule.at_most:
                continue
            blocked.append(r)
            # slots until the rule lets the feature in again, with no such car placed meanwhile
            # (a rule allowing none never does: the feature is due once a whole car behind)
            slots = window[len(window) - rule.at_most] + rule.in_any - slot if rule.at_most > 0 else 1
            f = self._rule_feature[r]
            wait[f] = max(wait.get(f, 0), slots)
        due = {f for f, slots in wait.items() if deficit[f] + (slots - 1) * self.share[f] > 1.0 + EPS}
        return blocked, due

    # ------------------------------------------------------------ committing

    def record(self, variant: int) -> None:
        """Commit the next car: count it against the targets and the rules (a breach per rule it breaks)."""
        self.placed += 1
        slot = self.placed
        carried = self.carries[variant]
        for f in carried:
            self.counts[f] += 1
        self.variant_counts[variant] += 1
        for r, rule in enumerate(self.rules):
            if self._rule_feature[r] in carried:
                window = self._window(r, slot)
                window.append(slot)
                if len(window) > rule.at_most:
                    self.breaches[r] += 1

    def _window(self, r: int, slot: int) -> deque:
        """Rule r's window seen from ``slot``: the slots of its feature's cars among the n - 1 before it."""
        window = self._windows[r]
        first = slot - self.rules[r].in_any
        while window and window[0] <= first:
            window.popleft()
        return window

    def resume(self, launched: np.ndarray) -> None:
        """Carry on after cars already launched (their variants, in launch order; a new month's mix): each
        rule's window holds those of its last n - 1 cars, its breaches count theirs (``count_breaches``);
        the goal chasing starts afresh from the next car."""
        launched = np.asarray(launched, dtype=np.int64)
        for r, rule in enumerate(self.rules):
            mask = np.array([self._rule_feature[r] in carried for carried in self.carries])
            self.breaches[r] = count_breaches(launched, mask, rule.at_most, rule.in_any)
            last = launched[max(0, launched.size - (rule.in_any - 1)):]
            # the last car launched takes slot 0, the one before it -1, ...: the next car is slot 1
            self._windows[r] = deque(int(k) - last.size + 1 for k in np.flatnonzero(mask[last]))

    def next_variant(self) -> int:
        """The launch's next car: chosen among every variant with a positive target, and recorded."""
        variant = self.launchable[self.choose(self.launchable)]
        self.record(variant)
        return variant


# ---------------------------------------------------------------- measuring a logged order

def feature_mask(rule: SpacingRule, product: Product) -> np.ndarray:
    """Per variant (``Car.variant``): does a car of it count under the rule (its model, or carries its option)?"""
    n_models, n_options = len(product.models), len(product.options)
    variants = np.arange(n_models << n_options)
    if rule.model is not None:
        return variants % n_models == [m.name for m in product.models].index(rule.model)
    bit = [o.name for o in product.options].index(rule.option)
    return (variants // n_models) >> bit & 1 == 1


def count_breaches(variants: np.ndarray, mask: np.ndarray, at_most: int, in_any: int,
                   counted: np.ndarray | None = None) -> int:
    """Breaches of "at most ``at_most`` in any ``in_any``" over an order of cars (``variants``, in order):
    cars of the rule's feature (``mask`` per variant) whose entry makes the last ``in_any`` entries hold
    more than ``at_most`` such cars. ``counted``: which entries count (the measured window); the windows
    still look back over the entries before it."""
    carrying = np.asarray(mask, dtype=bool)[np.asarray(variants, dtype=np.int64)]
    total = np.concatenate(([0], np.cumsum(carrying, dtype=np.int64)))
    ends = np.arange(1, carrying.size + 1)
    in_window = total[ends] - total[np.maximum(ends - in_any, 0)]
    breach = carrying & (in_window > at_most)
    if counted is not None:
        breach &= np.asarray(counted, dtype=bool)
    return int(breach.sum())


def spacing_breaches(plant) -> dict:
    """Per rule (its text) and shop: breaches among the cars that entered the shop in the measured window,
    and those cars' number (``cars``). Checks that the launch log agrees with the sequencer's own count."""
    product = plant.scenario.product
    window = plant.window
    out = {"cars": {}, "breaches": {rule.text: {} for rule in product.spacing}}
    masks = [feature_mask(rule, product) for rule in product.spacing]
    for shop, log in plant.entries.items():
        entries = log.arrays()
        counted = (entries["time"] >= window.lo) & (entries["time"] < window.hi)
        out["cars"][shop] = int(counted.sum())
        for rule, mask in zip(product.spacing, masks):
            out["breaches"][rule.text][shop] = count_breaches(entries["variant"], mask, rule.at_most, rule.in_any,
                                                              counted)
    sequencer, launch = plant.launch.sequence, plant.launch
    # a sequencer keeping the spacing rules at launch counts its own, over the cars it planned: those launched and,
    # with holds, those still waiting in the plan; a launch that passed held cars over (moved them) launched
    # another order than the one planned, so only the logged order is counted then
    if hasattr(sequencer, "breaches") and not launch.moved:
        launched = np.concatenate((next(iter(plant.entries.values())).arrays()["variant"],
                                   np.asarray(launch.planned, dtype=np.int64)))
        for r, (rule, mask) in enumerate(zip(product.spacing, masks)):
            logged = count_breaches(launched, mask, rule.at_most, rule.in_any)
            if logged != sequencer.breaches[r]:
                raise InvariantError(f"spacing rule {rule.text!r}: the sequencer counted {sequencer.breaches[r]} "
                                     f"breaches at launch, the launch log {logged}")
    return out
