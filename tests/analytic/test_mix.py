"""Product mix and markets in the daily table.

The levelled sequence (goal chasing) keeps every model within one car of its
share of the cars launched so far, so the completions of a FIFO line by model
match the shares up to a car or two. The market of each car is an independent
draw with the model's export_share: a binomial count.

The warm-ups here are whole days: the daily table has a row per working day
whose start lies in the window, so with a whole-day warm-up its rows cover the
window exactly.
"""

import math

import numpy as np

from helpers import assert_in_interval, replicate, scenario, simulate, station

MODELS = [{"name": "A", "share": 0.2, "export_share": 0.5},
          {"name": "B", "share": 0.3, "export_share": 0.5},
          {"name": "C", "share": 0.5, "export_share": 0.5}]


def by_model(res):
    sums = res.daily.drop(columns="day").sum()
    return {m["name"]: int(sums[f"{m['name']}|export"] + sums[f"{m['name']}|domestic"]) for m in MODELS}


def test_levelled_sequence_builds_the_shares():
    # Theory: one FIFO station, levelled launch: model counts in the window = share x completed,
    # within 2 cars (one for the launch deficit bound, one for the window edge).
    res = simulate(scenario([station("s", 60)], days=2, warmup=1, models=MODELS), 1)
    counts = by_model(res)
    total = res.scalars["completed"]
    assert sum(counts.values()) == total
    for m in MODELS:
        assert abs(counts[m["name"]] - m["share"] * total) <= 2, (counts, total)


def test_random_sequence_and_export_share_are_multinomial():
    # Theory: with sequence: random each car's model is an independent draw by share, and each
    # car is export with probability 0.5: over replications the shares of A and of export cars
    # have the interval of a proportion; theory 0.2 and 0.5. Margin 0.002 for the window edges.
    scn = scenario([station("s", 60)], days=2, warmup=1, models=MODELS, sequence="random")

    def measure(res):
        sums = res.daily.drop(columns="day").sum()
        total = res.scalars["completed"]
        export = sum(int(v) for k, v in sums.items() if k.endswith("|export"))
        return by_model(res)["A"] / total, export / total

    values = np.array(replicate(scn, measure, 10, seed=3))
    assert_in_interval(values[:, 0], 0.2, 0.002, "share of model A (random sequence)")
    assert_in_interval(values[:, 1], 0.5, 0.002, "export share")
    # each replication's counts are a proportion of ~2880 cars: sd ~ 0.0075 for A
    assert values[:, 0].std(ddof=1) < 3 * math.sqrt(0.2 * 0.8 / 2880)
