"""Paint colour changes at booths and over-cycles on paced lines, against exact hand calculations.

Every case is deterministic: two models, each in its own single colour, launched in a levelled
(goal-chasing) order, so the colour sequence is known (AB alternating: a change at every body;
A A B: two changes in three bodies). The plant settles into a periodic regime within the warm-up and
the 3-day window (259,200 s) is a whole number of periods, so counts are exact.
"""

import pytest

from helpers import CONTINUOUS, row, station
from sim.analysis.summary import summarise
from sim.model.replication import simulate
from sim.scenario import ScenarioError, validate_scenario

WINDOW = 3 * 86400.0


def plant(stations, *, shares=(0.5, 0.5), lines=None, colours=True):
    """One shop, models A and B; with ``colours`` A is always red and B always blue."""
    models = [{"name": "A", "share": shares[0]}, {"name": "B", "share": shares[1]}]
    product = {"models": models, "sequence": "levelled"}
    if colours:
        product["colours"] = [{"name": "red", "share": {"A": 1.0, "default": 0.0}},
                              {"name": "blue", "share": {"B": 1.0, "default": 0.0}}]
    shop = {"shifts": CONTINUOUS, "buffer_capacity": 2, "stations": stations}
    if lines:
        shop["lines"] = lines
    return validate_scenario({"name": "colours", "horizon": {"days": 3, "warmup_days": 1},
                              "calendar": {"working_days_per_year": 250}, "product": product,
                              "shops": {"shop": shop}, "target": {"annual_units": 100000}})


def booth(**change):
    return {"name": "booth", "conveyor": {"transit_time": 300, "pitch": 60}, "colour_change": change}


def test_purge_at_a_free_flow_booth_costs_changes_times_purge():
    result = simulate(plant([station("booth", 60, colour_change={"purge": 20})]), seed=1)
    booth_row = row(result, "booth")
    # every body is a new colour: 60 s of work + 20 s of purge per body
    assert result.scalars["completed"] == WINDOW / 80
    assert booth_row.colour_changes == WINDOW / 80
    assert booth_row.share_colour_change * WINDOW == pytest.approx(booth_row.colour_changes * 20, abs=1e-6)
    assert booth_row.share_working == pytest.approx(0.75, abs=1e-9)


def test_purge_on_a_conveyor_booth_holds_the_conveyor():
    result = simulate(plant([booth(purge=30)]), seed=1)
    booth_row = row(result, "booth")
    assert result.scalars["completed"] == WINDOW / 90  # each index: 60 s pitch + 30 s purge
    assert booth_row.share_colour_change * WINDOW == pytest.approx(booth_row.colour_changes * 30, abs=1e-6)


def test_one_empty_carrier_per_change_costs_exactly_one_body_per_change():
    shares = (2 / 3, 1 / 3)  # A A B: two colour changes in every three bodies
    without = simulate(plant([booth(empty_carriers=1)], shares=shares, colours=False), seed=1)
    with_changes = simulate(plant([booth(empty_carriers=1)], shares=shares), seed=1)
    lost = row(with_changes, "booth").carriers_lost
    assert without.scalars["completed"] == WINDOW / 60
    assert with_changes.scalars["completed"] == WINDOW / 300 * 3  # 3 bodies + 2 empty carriers per 300 s
    assert without.scalars["completed"] - with_changes.scalars["completed"] == lost
    assert lost == row(with_changes, "booth").colour_changes
    # the empty carriers are the booth's colour-change time, not starvation
    assert row(with_changes, "booth").share_colour_change == pytest.approx(2 / 5, abs=1e-9)
    assert row(with_changes, "booth").share_starved == pytest.approx(0.0, abs=1e-9)


def test_a_purge_and_an_empty_carrier_together_split_each_position_by_hand():
    # AB alternating, one empty carrier per change: each body enters behind an empty carrier and purges
    # 30 s as it enters, so a period is a 60 s index (the empty carrier enters) and a 90 s index (the body
    # enters, 60 s pitch + 30 s purge). Of the 5 positions, the even ones hold the body in the 90 s index
    # (60 s working, 30 s purge) and the empty carrier in the 60 s one; the odd ones hold the empty carrier
    # in the 90 s index (all of it colour change: the carrier is empty for the change and the conveyor
    # stands for the purge) and the body in the 60 s one. Either way 60 s working and 90 s colour change
    # in 150 s, never starved.
    result = simulate(plant([booth(purge=30, empty_carriers=1)]), seed=1)
    booth_row = row(result, "booth")
    assert result.scalars["completed"] == WINDOW / 150
    assert booth_row.colour_changes == WINDOW / 150
    assert booth_row.carriers_lost == WINDOW / 150
    assert booth_row.share_working == pytest.approx(60 / 150, abs=1e-9)
    assert booth_row.share_colour_change == pytest.approx(90 / 150, abs=1e-9)
    assert booth_row.share_starved == pytest.approx(0.0, abs=1e-9)
    assert booth_row.share_paced == pytest.approx(0.0, abs=1e-9)


def test_a_colour_block_counts_the_bodies_its_changes_are_counted_on():
    # one body every 80,000 s, AB alternating, a free-flow booth purging 30,000 s: body 1 (A) is checked at
    # 80,000 s and done at 80,060 s, before the window [86,400, 345,600) s; bodies 2, 3 and 4 are checked at
    # 160,000, 240,000 and 320,000 s, each a change, and done 30,060 s later: body 4 after the window. So
    # 3 bodies, 3 changes, 3 blocks (mean block 1), though only 2 bodies leave the booth in the window
    # (bodies leaving / changes entering made it 2/3)
    raw = plant([station("booth", 60, colour_change={"purge": "30000 s"})]).model_dump(mode="json")
    raw["launch"] = {"interarrival": "80000 s"}
    scenario = validate_scenario(raw)
    result = simulate(scenario, seed=1)
    figures = summarise(scenario, [result], 1)["colour_changes"]["shop.booth"]
    assert figures["mean_block"] == 1.0 and figures["bodies"] == 3
    booth_row = row(result, "booth")
    assert booth_row.completions == 2
    assert (booth_row.colour_bodies, booth_row.colour_changes, booth_row.colour_blocks) == (3, 3, 3)
    # the purges in the window: two whole and the last one's first 25,600 s
    assert booth_row.share_colour_change * WINDOW == pytest.approx(30000 + 30000 + 25600, abs=1e-6)


def test_the_first_block_of_the_window_counts_though_it_began_before():
    # 2/3 A in a levelled launch: A A B over and over, a free-flow booth of 60 s purging 30 s: 240 s for the
    # three (A, change, at 210 + 240 j s; A at 300 + 240 j; B, change, at 360 + 240 j). The window starts at
    # 86,400 s: its first body is the A checked at 86,460 s, no change, the rest of the block started at
    # 86,370 s; the window holds 1,080 periods: 3,240 bodies, 2,160 changes, 2,161 blocks
    scenario = plant([station("booth", 60, colour_change={"purge": 30})], shares=(2 / 3, 1 / 3))
    result = simulate(scenario, seed=1)
    assert summarise(scenario, [result], 1)["colour_changes"]["shop.booth"]["mean_block"] == round(3240 / 2161, 3)
    booth_row = row(result, "booth")
    assert (booth_row.colour_bodies, booth_row.colour_changes, booth_row.colour_blocks) == (3240, 2160, 2161)


def test_no_colours_no_changes():
    result = simulate(plant([booth(purge=30)], colours=False), seed=1)
    assert row(result, "booth").colour_changes == 0
    assert result.scalars["completed"] == WINDOW / 60


# ---------------------------------------------------------------- over-cycles: stop, drift, floaters

def line_plant(over_cycle=None, a=156, b=80):
    """A paced line at takt 120 s: model A needs ``a`` s at station s2 (over the takt), B ``b`` s."""
    line = {"takt": 120}
    if over_cycle is not None:
        line["over_cycle"] = over_cycle
    stations = [station("s1", 100, line="L"), station("s2", {"A": a, "B": b}, line="L"),
                station("s3", 100, line="L")]
    return plant(stations, lines={"L": line}, colours=False)


def test_a_zone_that_holds_the_deficit_never_stops_the_line():
    # A (156 s) leaves 36 s of deficit, B (80 s) wins it back (36 + 80 < 120; the mean, 118 s, is under
    # the takt): a zone of 1.3 takts (36 s) holds it
    result = simulate(line_plant({"zone": 1.3}), seed=1)
    s2 = row(result, "s2")
    assert result.scalars["completed"] == WINDOW / 120
    assert s2.over_cycle_stop_s == 0
    assert s2.over_cycles == WINDOW / 240
    assert s2.drift_max_s == pytest.approx(36.0)


def test_a_short_zone_stops_the_line_by_exactly_what_it_cannot_hold():
    # zone 1.05 takts = 6 s: A's 36 s excess stops the line 30 s, the last 6 s carry into B's cycle
    result = simulate(line_plant({"zone": 1.05}), seed=1)
    # ... and B (6 + 80 < 120) starts the next A with no deficit: every A index lasts 150 s
    s2 = row(result, "s2")
    assert result.scalars["completed"] == WINDOW / 270 * 2
    assert s2.over_cycle_stop_s == pytest.approx(WINDOW / 270 * 30, abs=1e-6)
    assert s2.drift_max_s == pytest.approx(6.0)


def test_without_over_cycle_rules_the_line_stops_until_the_work_is_done():
    result = simulate(line_plant(), seed=1)
    s2 = row(result, "s2")
    period = 156 + 120  # the A index waits for its 156 s, the B index runs at takt
    assert result.scalars["completed"] == pytest.approx(WINDOW / period * 2, abs=1)
    assert s2.over_cycle_stop_s == pytest.approx(s2.over_cycles * 36, abs=1e-6)


def test_a_floater_takes_every_over_cycle_when_one_is_free():
    result = simulate(line_plant({"floaters": 1}), seed=1)
    s2 = row(result, "s2")
    assert result.scalars["completed"] == WINDOW / 120
    assert s2.floater_helps == WINDOW / 240
    assert s2.over_cycle_stop_s == 0


def test_two_over_cycles_at_once_and_one_floater_stop_the_line_for_the_other():
    # AB alternating: every A stands at s1 and s3 in the same index (two positions apart)
    stations = [station("s1", {"A": 150, "B": 100}, line="L"), station("s2", 100, line="L"),
                station("s3", {"A": 160, "B": 100}, line="L")]
    result = simulate(plant(stations, lines={"L": {"takt": 120, "over_cycle": {"floaters": 1}}}, colours=False),
                      seed=1)
    # the floater goes to s3 (40 s over), the line stops 30 s for s1: A's index lasts 150 s
    assert result.scalars["completed"] == WINDOW / 270 * 2
    assert row(result, "s3").floater_helps == WINDOW / 270
    assert row(result, "s1").over_cycle_stop_s == pytest.approx(WINDOW / 270 * 30, abs=1e-6)
    assert row(result, "s1").floater_helps == 0


@pytest.mark.parametrize("change, message", [
    ({}, "give at least one"),
    ({"empty_carriers": 1}, "free-flow booth has no carriers"),
])
def test_bad_colour_change(change, message):
    with pytest.raises(ScenarioError, match=message):
        plant([station("booth", 60, colour_change=change)])


def test_colour_shares_must_sum_to_one_per_model_and_market():
    raw = plant([station("booth", 60)]).model_dump(mode="json")
    raw["product"]["colours"][0]["export"] = 0.5
    with pytest.raises(ScenarioError, match="export cars"):
        validate_scenario(raw)


def test_over_cycle_needs_a_takt():
    with pytest.raises(ScenarioError, match="over_cycle needs a takt"):
        plant([station("s1", 60, line="L")], lines={"L": {"over_cycle": {"zone": 1.2}}})


def test_floaters_are_in_the_headcount_on_every_shift_of_their_line():
    from sim.analysis.staffing import headcount
    scenario = line_plant({"zone": 1.1, "floaters": 2})
    table = headcount(scenario)
    floaters = table[table["role"] == "floater"]
    assert list(floaters["headcount"]) == [2] * scenario.shops["shop"].shifts.count


def test_a_body_waiting_for_its_empty_carriers_is_counted_in_process():
    # a run that ends while a body waits in front of the booth for its empty carriers keeps every car
    # counted (simulate checks launched = completed + scrapped + in process); with AB alternating and two
    # empty carriers per change a body waits in front of the booth two indexes out of three
    result = simulate(plant([booth(empty_carriers=2)]), seed=1)
    assert result.scalars["completed"] == WINDOW / 180  # a body and two empty carriers every 180 s
