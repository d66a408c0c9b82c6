"""Replications that would resolve a wide interval: the bottleneck list's notes on intervals too wide to rank, the
staffing search's on options too wide to decide."""
from sim.experiment.marginal import CYCLE, BUFFER, Change, Resource, too_wide
from sim.experiment.precision import replications_needed
from sim.experiment.staffing_search import UNDECIDED_RULE, Candidate, SearchResult, undecided
from sim.report.console import print_search, undecided_notes
from rich.console import Console


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


def searched() -> SearchResult:
    # a target of 100,000 a year over 3 replications; four options simulated, cheapest first
    def option(shifts: int, people: int, mean: float, low: float) -> Candidate:
        settings = {"shops.body.shifts.count": shifts}
        return Candidate(settings, [], None, people, 130_000, "meets target" if low >= 100_000 else "below target",
                         mean, low)
    return SearchResult(100_000, 0.95, 3, [option(1, 10, 99_000, 95_000),    # below the target: decided
                                           option(2, 11, 101_000, 97_000),   # above it, its bound below: undecided
                                           option(3, 12, 100_000, 98_000),   # exactly on it: nothing decides
                                           option(4, 13, 104_000, 101_000)])  # its bound above: decided


def test_an_option_above_the_target_with_its_bound_below_is_undecided():
    # half-width now 101,000 - 97,000 = 4,000; needed 101,000 - 100,000 = 1,000: 3 x (4,000 / 1,000)^2 = 48
    result = searched()
    assert [(c.headcount, n) for c, n in undecided(result)] == [(11, 48), (12, None)]
    assert undecided_notes(result) == [
        "body 2 shifts: output 101,000, lower bound 97,000 below the target 100,000: about 48 replications would "
        "decide it (--replications 48)",
        "body 3 shifts: output 100,000, lower bound 98,000 below the target 100,000: the output is the target "
        "itself, so no number of replications decides it"]


def test_the_search_says_under_its_table_which_options_are_too_wide_to_decide():
    console = Console(record=True, width=80)
    print_search(searched(), console)
    out = console.export_text()
    assert out.index("Options, cheapest first") < out.index("Too wide to decide:")
    assert "(--replications 48)" in out and UNDECIDED_RULE[:40] in " ".join(out.split())
    decided = searched()
    decided.candidates = decided.candidates[::3]
    console = Console(record=True, width=80)
    print_search(decided, console)
    assert "Too wide" not in console.export_text()
