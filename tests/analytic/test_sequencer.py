"""The constrained levelled sequencer and the spacing-rule breach counter, against known answers.

Known answers: the fewest breaches of "at most 1 in any 3" any order of the same cars can have, found by
exhaustive enumeration and by dynamic programming in this file (and the closed form c - 1 - floor(o/2)
for c such cars among o others, itself checked by enumeration); hand-counted breaches of written-out
orders; the old launch generator, written out here, for scenarios without rules.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import yaml
from rich.console import Console

from sim.scenario.days import plant_days
from sim.model.builder import build_plant
from sim.model.replication import simulate
from sim.model.launch.sequencer import Sequencer, count_breaches, feature_mask
from sim.model.launch.sequences import ModelSequence
from sim.model.streams import Streams
from sim.report import rows as R
from sim.report.console import print_report
from sim.report.html import run_report_html
from sim.results import summary_json
from sim.scenario import ScenarioError, validate_scenario
from sim.scenario.schema import Product
from tests_paths import SMALL

T2, T4, T7 = "Tiggo 2 Pro", "Tiggo 4 Pro", "Tiggo 7"
ONE_IN_THREE = {"model": T7, "at_most": 1, "in_any": 3}
NO_TWO_SUNROOFS = {"option": "sunroof", "at_most": 1, "in_any": 2}


def product(shares, spacing, take_rate=None) -> Product:
    options = [{"name": "sunroof", "take_rate": take_rate}] if take_rate else []
    return Product(models=[{"name": n, "share": s} for n, s in zip((T2, T4, T7), shares)], options=options,
                   spacing=spacing)


def launch(prod: Product, cars: int) -> tuple[Sequencer, np.ndarray]:
    seq = Sequencer(prod)
    return seq, np.array([seq.next_variant() for _ in range(cars)])


def worst_deviation(order: np.ndarray, prod: Product) -> tuple[float, float]:
    """The largest |count - n x share| over every prefix: (of any model or option, of any variant)."""
    seq = Sequencer(prod)
    carried = np.zeros((order.size, len(seq.share)))
    for i, v in enumerate(order):
        carried[i, list(seq.carries[v])] = 1
    n = np.arange(1, order.size + 1)[:, None]
    features = np.abs(np.cumsum(carried, axis=0) - n * np.array(seq.share)).max()
    one_hot = np.zeros((order.size, len(seq.target)))
    one_hot[np.arange(order.size), order] = 1
    variants = np.abs(np.cumsum(one_hot, axis=0) - n * np.array(seq.target)).max()
    return float(features), float(variants)


# ---------------------------------------------------------------- known minimum of "at most 1 in any 3"

def breaches_1_in_3(flags) -> int:
    """Cars of the feature (flag 1) with another among the two cars before them: "at most 1 in any 3"."""
    return sum(1 for i, f in enumerate(flags) if f and any(flags[max(0, i - 2):i]))


def holds_share(flags, p: float) -> bool:
    """Every prefix holds the feature's count within one car of n x p."""
    count = 0
    for n, f in enumerate(flags, start=1):
        count += f
        if abs(n * p - count) > 1 + 1e-9:
            return False
    return True


def enumerated_minimum(n: int, c: int, p: float | None) -> int:
    """Fewest breaches over every placement of c feature cars among n (holding the share p, unless None)."""
    best = None
    for places in itertools.combinations(range(n), c):
        flags = [0] * n
        for i in places:
            flags[i] = 1
        if p is not None and not holds_share(flags, p):
            continue
        b = breaches_1_in_3(flags)
        best = b if best is None else min(best, b)
    return best


def dp_minimum(n: int, c: int, p: float) -> int:
    """The same minimum by dynamic programming over (cars of the feature so far, the last two cars)."""
    states = {(0, 0): 0}
    for slot in range(1, n + 1):
        following = {}
        for (count, last_two), b in states.items():
            for f in (0, 1):
                if abs(slot * p - (count + f)) > 1 + 1e-9:
                    continue
                key = (count + f, (last_two << 1 | f) & 3)
                value = b + (1 if f and last_two else 0)
                following[key] = min(following.get(key, value), value)
        states = following
    return min(b for (count, _), b in states.items() if count == c)


def closed_form(c: int, o: int) -> int:
    """Each car of the feature that keeps the rule needs two others right before it, except the first."""
    return max(0, c - 1 - o // 2)


def test_closed_form_and_dynamic_programme_match_enumeration():
    for n in range(1, 13):
        for c in range(n + 1):
            assert enumerated_minimum(n, c, None) == closed_form(c, n - c), (n, c)
    for p in (0.4, 0.5):
        for n in range(1, 15):
            for c in range(n + 1):
                if abs(n * p - c) <= 1 + 1e-9:
                    assert enumerated_minimum(n, c, p) == dp_minimum(n, c, p), (p, n, c)


# ---------------------------------------------------------------- (a) a share the rule allows: never broken

@pytest.mark.parametrize("shares", [(0.25, 0.45, 0.30), (0.25, 5 / 12, 1 / 3), (1 / 3, 1 / 3, 1 / 3)])
def test_share_up_to_one_third_never_breaks_one_in_three(shares):
    prod = product(shares, [ONE_IN_THREE])
    seq, order = launch(prod, 10_000)
    mask = feature_mask(prod.spacing[0], prod)
    assert seq.breaches == [0]
    assert count_breaches(order, mask, 1, 3) == 0
    features, _ = worst_deviation(order, prod)
    assert features <= 1 + 1e-9  # every model within one car of n x share at every prefix


# ---------------------------------------------------------------- (b) above one in three: the fewest breaches

@pytest.mark.parametrize("shares", [(0.25, 0.35, 0.40), (0.2, 0.3, 0.5), (0.35, 0.25, 0.40)])
def test_breaches_above_one_third_are_the_fewest_possible(shares):
    """Any order of the same cars that holds the share (every prefix within one car of n x p) breaks the rule
    at least as often (enumeration up to 16 cars, dynamic programming up to 30); the sequence holds the share
    of every model itself, so it is one of those orders and the minimum is attained."""
    p = shares[2]
    prod = product(shares, [ONE_IN_THREE])
    seq, order = launch(prod, 30)
    features, _ = worst_deviation(order, prod)
    assert features <= 1 + 1e-9
    flags = (order == 2).astype(int).tolist()
    for n in range(12, 31):
        c = sum(flags[:n])
        breaches = breaches_1_in_3(flags[:n])
        assert breaches == dp_minimum(n, c, p), n
        if n <= 16:
            assert breaches == enumerated_minimum(n, c, p), n
    assert seq.breaches == [breaches_1_in_3(flags)]


@pytest.mark.parametrize("shares", [(0.25, 0.35, 0.40), (0.2, 0.3, 0.5), (0.1, 0.3, 0.6)])
def test_breaches_over_many_cars_meet_the_closed_form(shares):
    """Over 10,000 cars: c - 1 - floor(o / 2) breaches, the fewest of any order; at every shorter prefix at most
    one more (holding the share, the sequencer breaks as soon as a breach becomes certain, not as late as an
    order that knew where it ends could)."""
    prod = product(shares, [ONE_IN_THREE])
    seq, order = launch(prod, 10_000)
    flags = order == 2
    c = int(flags.sum())
    assert seq.breaches == [closed_form(c, 10_000 - c)]
    assert c == round(10_000 * shares[2])
    carrying = np.cumsum(flags)
    mask = feature_mask(prod.spacing[0], prod)
    before = np.zeros_like(flags)  # another Tiggo 7 among the two cars before
    before[1:] |= flags[:-1]
    before[2:] |= flags[:-2]
    prefix_breaches = np.cumsum(flags & before)
    n = np.arange(1, 10_001)
    lower = np.maximum(0, carrying - 1 - (n - carrying) // 2)
    assert (prefix_breaches >= lower).all() and (prefix_breaches <= lower + 1).all()
    assert prefix_breaches[-1] == count_breaches(order, mask, 1, 3)
    assert worst_deviation(order, prod)[0] <= 1 + 1e-9


# ---------------------------------------------------------------- (c) an option rule

@pytest.mark.parametrize("shares, take_rate", [
    ((0.25, 0.45, 0.30), {"default": 0.5}),                      # sunroof share exactly 1/2
    ((0.35, 0.45, 0.20), {T7: 1.0, T4: 0.5}),                    # 0.425, every Tiggo 7
    ((0.25, 0.45, 0.30), {T7: 0.3, T4: 0.5}),                    # 0.315
])
def test_no_two_sunroofs_in_a_row(shares, take_rate):
    prod = product(shares, [NO_TWO_SUNROOFS], take_rate)
    seq, order = launch(prod, 10_000)
    mask = feature_mask(prod.spacing[0], prod)
    assert seq.breaches == [0]
    assert count_breaches(order, mask, 1, 2) == 0
    features, variants = worst_deviation(order, prod)
    assert features <= 1 + 1e-9  # models and the option within one car at every prefix
    assert variants <= 1 + 1e-9  # and each model's own take rate: every variant within one car


def test_two_rules_that_can_both_hold_are_both_kept():
    """Tiggo 7 at 0.30 under 1 in 3, each with a sunroof, and a sunroof on 20% of the Tiggo 4 Pro (0.09 of the
    cars) under no two in a row. Both can hold: between two Tiggo 7s go at least two other cars, three when
    one of them has a sunroof (it may touch no Tiggo 7), so the others must number at least 2 x 0.30 + 0.09 =
    0.69 of the cars; they are 0.70. (At 30% of the Tiggo 4 Pro, 0.735 > 0.70: they cannot.)"""
    prod = product((0.25, 0.45, 0.30), [ONE_IN_THREE, NO_TWO_SUNROOFS], {T7: 1.0, T4: 0.2})
    seq, order = launch(prod, 10_000)
    assert seq.breaches == [0, 0]
    features, variants = worst_deviation(order, prod)
    assert features <= 1 + 1e-9 and variants <= 1 + 1e-9


# ---------------------------------------------------------------- (d) the counter on written-out orders

def test_breach_counter_on_hand_written_orders():
    prod = product((0.25, 0.45, 0.30), [ONE_IN_THREE, NO_TWO_SUNROOFS], {T7: 1.0, T4: 0.5})
    model = feature_mask(prod.spacing[0], prod)
    sunroof = feature_mask(prod.spacing[1], prod)
    assert model.tolist() == [False, False, True] * 2
    assert sunroof.tolist() == [False] * 3 + [True] * 3
    # T7 T7 T2 T7 T4 T4 T7 T7 T7: the 2nd (T7 T7), 4th (T7 . T7), 8th and 9th cars break 1 in 3
    order = np.array([2, 2, 0, 2, 1, 1, 2, 2, 2])
    assert count_breaches(order, model, 1, 3) == 4
    assert count_breaches(order, model, 2, 3) == 1  # only the 9th: three in a row
    assert count_breaches(order, model, 0, 1) == 6  # every Tiggo 7
    assert count_breaches(order, model, 1, 3, counted=np.arange(9) >= 3) == 3  # the first three not counted
    # variants 3, 4, 5 are the models with a sunroof: T4+S T7+S T4 T7+S T4+S T2 T4+S, sunroofs 1 1 0 1 1 0 1
    order = np.array([4, 5, 1, 5, 4, 0, 4])
    assert count_breaches(order, sunroof, 1, 2) == 2  # the 2nd and the 5th follow a sunroof
    assert count_breaches(order, sunroof, 2, 4) == 3  # the 4th, 5th and 7th make three in their last four
    assert count_breaches(order, model, 1, 3) == 1  # the Tiggo 7s at 2 and 4
    seq = Sequencer(prod)  # record() counts the same breaches
    for v in order:
        seq.record(int(v))
    assert seq.breaches == [1, 2]


# ---------------------------------------------------------------- (e) choosing among a subset

def test_choose_among_a_subset():
    seq = Sequencer(product((0.25, 0.45, 0.30), [ONE_IN_THREE]))
    seq.record(2)  # a Tiggo 7 first
    assert seq.choose([2, 0]) == 1  # another Tiggo 7 would break the rule
    assert seq.choose([2]) == 0  # the only candidate is taken, breaking it
    # slot 2 deficits: T2 2 x 0.25 = 0.5, T4 0.9: goal chasing takes the Tiggo 4 Pro, the first of equal heads
    assert seq.choose([0, 1, 1]) == 1
    assert seq.placed == 1 and seq.counts[:3] == [0, 0, 1]  # choosing commits nothing


def test_a_due_model_is_forced_right_after_its_last_car():
    """Tiggo 7 at 0.5 under 1 in 3: after T7 o o T7 o o T7 its count is 1.0 behind at slot 8, and 1.5 behind at
    slot 9 (it may come back only at slot 10): due, it goes now, right behind the last one."""
    seq = Sequencer(product((0.2, 0.3, 0.5), [ONE_IN_THREE]))
    for v in (2, 1, 0, 2, 1, 0, 2):
        seq.record(v)
    assert seq.choose([0, 1, 2]) == 2
    seq.record(2)
    assert seq.breaches == [1]
    assert seq.choose([2, 0, 1]) != 0  # just forced: not due again


# ---------------------------------------------------------------- (f) bad rules in the YAML

@pytest.fixture
def small_rules():
    def make(*rules, options=None):
        raw = yaml.safe_load(SMALL.read_text())
        raw["product"]["spacing"] = list(rules)
        if options:
            raw["product"]["options"] = options
        return raw
    return make


@pytest.mark.parametrize("rule, path, words", [
    ({"model": "Tiggo 9", "at_most": 1, "in_any": 3}, "product.spacing[0].model",
     ["'Tiggo 9' is not a model", "Tiggo 7"]),
    ({"option": "sunroof", "at_most": 1, "in_any": 2}, "product.spacing[0].option",
     ["no option 'sunroof'", "declare them under product.options"]),
    ({"model": "Tiggo 7", "at_most": 3, "in_any": 3}, "product.spacing[0]",
     ["at_most 3 in_any 3", "below in_any", "0 to 2"]),
    ({"model": "Tiggo 7", "option": "sunroof", "at_most": 1, "in_any": 3}, "product.spacing[0]",
     ["exactly one of 'model' or 'option'", "got model 'Tiggo 7' and option 'sunroof'"]),
    ({"at_most": 1, "in_any": 3}, "product.spacing[0]", ["exactly one of 'model' or 'option'"]),
    ({"model": "Tiggo 7", "at_most": 1, "in_any": 101}, "product.spacing[0].in_any", ["100", "101"]),
    ({"model": "Tiggo 7", "at_most": -1, "in_any": 3}, "product.spacing[0].at_most", ["0", "-1"]),
])
def test_bad_rules_name_their_path(small_rules, rule, path, words):
    with pytest.raises(ScenarioError) as err:
        validate_scenario(small_rules(rule), "s.yaml")
    text = str(err.value)
    assert f"{path}:" in text
    for word in words:
        assert word in text


def test_unknown_option_among_declared(small_rules):
    raw = small_rules(NO_TWO_SUNROOFS, {"model": "Tiggo 7", "at_most": 1, "in_any": 3},
                      {"option": "awd", "at_most": 1, "in_any": 2},
                      options=[{"name": "sunroof", "take_rate": {"Tiggo 7": 1.0}}])
    with pytest.raises(ScenarioError) as err:
        validate_scenario(raw, "s.yaml")
    assert "product.spacing[2].option: no option 'awd'; options: ['sunroof']" in str(err.value)
    assert len(err.value.problems) == 1


# ---------------------------------------------------------------- (g) scenarios without rules are unchanged

def old_levelled(shares):
    """The launch's model-only goal chasing as it was before the sequencer (copied, frozen here)."""
    launched, n = [0] * len(shares), 0
    while True:
        n += 1
        deficits = [n * share - done for share, done in zip(shares, launched)]
        model = max(range(len(shares)), key=deficits.__getitem__)
        launched[model] += 1
        yield model


def launch_log(scenario, seed=3):
    """The plant run, and the variant of every car it launched (a plant without rules or sorting stores keeps
    no entry logs: the launch's car factory is wrapped to note them, and so is its launch of a car the compiled
    engine drew ahead)."""
    plant = build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), seed, 0)
    launched, make_car, launch_drawn = [], plant.launch.make_car, plant.launch.launch_drawn

    def noting(variant):
        car = make_car(variant)
        launched.append(car.variant)
        return car

    def noting_drawn(drawn, now):
        car = launch_drawn(drawn, now)
        launched.append(car.variant)
        return car

    plant.launch.make_car, plant.launch.launch_drawn = noting, noting_drawn
    plant.run()
    return plant, np.asarray(launched)


def test_launch_order_without_rules_is_the_old_one(small_raw):
    scenario = validate_scenario(small_raw)
    plant, order = launch_log(scenario)
    assert isinstance(plant.launch.sequence, ModelSequence) and order.size > 1000
    old = old_levelled(list(scenario.product.shares.values()))
    assert order.tolist() == [next(old) for _ in range(order.size)]


def test_random_launch_with_options_draws_as_before_and_rules_are_only_counted(small_raw):
    """sequence: random with an option: the models and options come from the streams as before; adding
    rules changes no draw (they are only counted)."""
    small_raw["product"]["sequence"] = "random"
    small_raw["product"]["options"] = [{"name": "sunroof", "take_rate": {"Tiggo 7": 1.0, "Tiggo 4 Pro": 0.5}}]
    scenario = validate_scenario(small_raw)
    _, order = launch_log(scenario)
    streams = Streams(3, 0)
    model_draw, option_draw = streams.uniform("launch.sequence"), streams.uniform("launch.options")
    cumulative = np.cumsum(list(scenario.product.shares.values()))
    rates = [0.0, 0.5, 1.0]
    expected = []
    for _ in range(order.size):
        model = min(int(np.searchsorted(cumulative, model_draw(), side="right")), 2)
        expected.append(model + 3 * (option_draw() < rates[model]))
    assert order.tolist() == expected
    small_raw["product"]["spacing"] = [ONE_IN_THREE, NO_TWO_SUNROOFS]
    ruled = validate_scenario(small_raw)
    plant, again = launch_log(ruled)
    assert isinstance(plant.launch.sequence, ModelSequence) and again.tolist() == order.tolist()


def test_summary_without_rules_has_no_sequence_section(small_raw):
    scenario = validate_scenario(small_raw)
    assert "spacing" not in scenario.model_dump(mode="json")["product"]
    from sim.analysis.summary import summarise
    rep = simulate(scenario, 3, 0)
    assert rep.spacing is None
    summary = summarise(scenario, [rep], 3)
    assert "sequence" not in summary and "spacing" not in scenario.model_dump(mode="json")["product"]


# ---------------------------------------------------------------- (h) a run with rules

def ruled_small(small_raw, t7_share, sequence="levelled"):
    small_raw["product"]["sequence"] = sequence
    small_raw["product"]["models"][0]["share"] = 0.25
    small_raw["product"]["models"][1]["share"] = round(0.75 - t7_share, 10)
    small_raw["product"]["models"][2]["share"] = t7_share
    small_raw["product"]["options"] = [{"name": "sunroof", "take_rate": {"Tiggo 7": 1.0, "Tiggo 4 Pro": 0.2}}]
    small_raw["product"]["spacing"] = [ONE_IN_THREE, NO_TWO_SUNROOFS]
    return validate_scenario(small_raw)


def test_run_with_rules_keeps_them_when_feasible(small_raw):
    """The two rules of ``test_two_rules_that_can_both_hold_are_both_kept`` in a run: no car breaks either as it
    enters body, nor paint (one server and a FIFO store between: paint receives body's order)."""
    import sim
    scenario = ruled_small(small_raw, 0.30)
    result = sim.run(scenario, replications=2, seed=3)
    section = result.summary["sequence"]
    assert section["launch"] == "levelled"
    assert list(section["rules"]) == ["Tiggo 7: at most 1 in any 3", "sunroof: at most 1 in any 2"]
    for rule in section["rules"].values():
        assert list(rule) == ["body", "paint"]
        for shop in rule.values():
            assert shop["breaches"]["mean"] == 0 and shop["breaches"]["n"] == 2
            assert shop["per_1000_cars"] == 0 and shop["cars"] > 1000
    assert result.provenance["resolved_scenario"]["product"]["spacing"][0] == {**ONE_IN_THREE, "option": None}
    assert validate_scenario(result.provenance["resolved_scenario"]) == scenario  # the stored rules read back
    rows = R.spacing_rows(result.summary)  # the report's table: a line per rule, then one per shop
    assert [r[0] for r in rows.rows] == ["Tiggo 7: at most 1 in any 3", "  body", "  paint",
                                         "sunroof: at most 1 in any 2", "  body", "  paint"]
    assert rows.rows[1][1:4] == [0.0, "0 – 0", 0.0]  # breaches are counts: whole numbers
    console = Console(record=True, width=130)
    print_report(result, console)
    assert "Spacing rules (launch: levelled)" in console.export_text()
    assert "sunroof: at most 1 in any 2" in run_report_html(result)
    assert R.spacing_rows({"sequence": None}) is None
    assert '"sequence"' in summary_json(result.summary)


def test_run_above_one_third_breaks_at_the_closed_form_rate(small_raw):
    """Tiggo 7 at 0.40: the fewest breaches are c - 1 - floor(o/2), 0.40 - 0.60 / 2 = 0.1 a car: 100 per 1,000
    cars entering body; in the measured window within two cars of 0.1 x cars (the window cuts the pattern)."""
    scenario = ruled_small(small_raw, 0.40)
    scenario = scenario.model_copy(update={"product": scenario.product.model_copy(
        update={"spacing": scenario.product.spacing[:1]})})
    rep = simulate(scenario, 3, 0)  # the run checks the launch log against the sequencer's own count
    cars, breaches = rep.spacing["cars"]["body"], rep.spacing["breaches"]["Tiggo 7: at most 1 in any 3"]["body"]
    assert abs(breaches - 0.1 * cars) <= 2


def breach_moments(p: float) -> tuple[float, float]:
    """Mean and variance per car (in a long run) of the breaches of 1 in 3 when every car is a Tiggo 7 with
    probability p, independently: B_i = F_i (F_i-1 or F_i-2) depends on B_i+1 and B_i+2 only; exact, by
    enumerating the five cars i-2 .. i+2."""
    mean = cov0 = cov1 = cov2 = 0.0
    for f in itertools.product((0, 1), repeat=5):
        weight = np.prod([p if x else 1 - p for x in f])
        b = [f[i] * (f[i - 1] | f[i - 2]) for i in (2, 3, 4)]  # B_i, B_i+1, B_i+2
        mean += weight * b[0]
        cov0 += weight * b[0]
        cov1 += weight * b[0] * b[1]
        cov2 += weight * b[0] * b[2]
    return mean, (cov0 - mean ** 2) + 2 * (cov1 - mean ** 2) + 2 * (cov2 - mean ** 2)


def test_random_launch_with_rules_counts_breaches(small_raw):
    """sequence: random: the rules are only counted. A Tiggo 7 with another among the two cars before breaks
    1 in 3: p (1 - (1 - p)^2) a car; the count over the window's cars lies within its 99.9% interval."""
    scenario = ruled_small(small_raw, 0.30, sequence="random")
    rep = simulate(scenario, 3, 0)
    cars, breaches = rep.spacing["cars"]["body"], rep.spacing["breaches"]["Tiggo 7: at most 1 in any 3"]["body"]
    mean, variance = breach_moments(0.30)
    assert mean == pytest.approx(0.30 * (1 - 0.70 ** 2))
    assert abs(breaches - mean * cars) <= 3.29 * (variance * cars) ** 0.5
    assert breaches > 0
