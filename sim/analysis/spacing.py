"""Spacing-rule breaches of the run: per rule and shop, over replications (the summary's ``sequence``).

Each replication counts, for every shop, the cars that entered it in the measured window and broke a
spacing rule (``model.sequencer.spacing_breaches``): the first shop's order is the planned sequence,
later shops show what the stores and buffers in between made of it.
"""

from __future__ import annotations

from ..model.replication import ReplicationResult
from ..scenario.schema import Scenario
from .stats import mean_ci, rounded


def spacing_summary(scenario: Scenario, reps: list[ReplicationResult]) -> dict:
    """{launch, rules: {rule text: {shop: {breaches (mean and 95% CI over replications), per_1000_cars,
    cars}}}}; per_1000_cars: breaches per 1,000 cars entering the shop, over all replications."""
    rules = {}
    for rule in scenario.product.spacing:
        shops = {}
        for shop in scenario.shops:
            breaches = [r.spacing["breaches"][rule.text][shop] for r in reps]
            cars = [r.spacing["cars"][shop] for r in reps]
            shops[shop] = {
                "breaches": rounded(mean_ci(breaches), 3),
                "per_1000_cars": round(1000.0 * sum(breaches) / sum(cars), 3) if sum(cars) else None,
                "cars": round(sum(cars) / len(cars), 1),
            }
        rules[rule.text] = shops
    return {"launch": scenario.product.sequence, "rules": rules}
