"""Replications that would resolve a wide interval, and the bottleneck list's notes on intervals too wide to rank."""
from sim.experiment.marginal import CYCLE, BUFFER, Change, Resource, too_wide
from sim.experiment.precision import replications_needed


def test_replications_needed_by_hand():
    # n' = n (h / h_needed)^2, rounded up: 5 x (100 / 50)^2 = 20; 3 x (311 / 219)^2 = 6.05 -> 7
    assert replications_needed(5, 100.0, 50.0) == 20
    assert replications_needed(3, 311.0, 219.0) == 7
    # an interval already narrow enough still asks for one more than was run; nothing to ask for h_needed = 0
    assert replications_needed(5, 10.0, 50.0) == 6
    assert replications_needed(5, 10.0, 0.0) is None


def change(name: str, kind: str, mean: float, half: float, n: int = 5) -> Change:
    out = Change(Resource("paint", name, "station"), kind, "")
    out.gain = {"mean": mean, "ci95_low": mean - half, "ci95_high": mean + half, "n": n}
    return out


def test_too_wide_names_the_interval_that_spans_zero_or_overlaps_the_next():
    ranked = [change("booth", CYCLE, 1000, 200),   # [800, 1200] overlaps the next's [850, 950]
              change("oven", CYCLE, 900, 50),      # [850, 950]: clear of zero and of the next
              change("sanding", BUFFER, 50, 100)]  # [-50, 150] spans zero
    lines = too_wide(ranked)
    # to rank booth above oven: a half-width of (1000 - 900) / 2 = 50, so 5 x (200 / 50)^2 = 80 replications;
    # to tell sanding from zero: a half-width of 50, so 5 x (100 / 50)^2 = 20
    assert lines == [
        "paint.booth cycle -1 s: +1,000 [+800, +1,200] cars/yr overlaps paint.oven cycle -1 s's: about 80 "
        "replications would resolve it",
        "paint.sanding buffer +1: +50 [-50, +150] cars/yr spans zero: about 20 replications would resolve it"]
    assert too_wide(ranked[1:2]) == []


def test_one_replication_has_no_interval_to_rank():
    one = change("booth", CYCLE, 1000, 0, n=1)
    one.gain.update(ci95_low=None, ci95_high=None)
    assert "run --replications 2 or more" in too_wide([one])[0]
