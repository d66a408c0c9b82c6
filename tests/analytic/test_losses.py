"""The loss waterfall against hand calculations: a deterministic outage of T hours on the reference loses exactly
T x its ideal rate cars; an upstream outage that starves the reference is charged with all of the reference's
starved hours; a yard that blocks the end of line for H hours loses H x rate; and the causes add up to nameplate
minus output exactly, by construction, checked in the code."""

import pytest

import sim
from helpers import CONTINUOUS, ONE_MODEL, row, station
from sim.analysis.losses import GROUPS, LossesDontAddUp, replication_losses
from sim.scenario import validate_scenario

HOUR = 3600.0
T_OUT, GAP = 1800.0, 36000.0  # an outage of 30 min every 10 h of worked time: 4 whole ones in [24 h, 72 h)
PER_YEAR, DAYS = 250, 2  # a window of 2 working days annualised: x 125


def plant(stations, *, lines=None, outages=None, outbound=None, days=DAYS, warmup=1):
    shop = {"shifts": CONTINUOUS, "buffer_capacity": 1, "stations": stations}
    if lines:
        shop["lines"] = lines
    if outages:
        shop["outages"] = outages
    raw = {"name": "losses", "horizon": {"days": days, "warmup_days": warmup},
           "calendar": {"working_days_per_year": PER_YEAR}, "product": {"models": ONE_MODEL},
           "shops": {"shop": shop}, "target": {"annual_units": 100000}}
    if outbound:
        raw["outbound"] = outbound
    return validate_scenario(raw)


def causes(summary: dict) -> dict[tuple[str, str], float]:
    return {(r["cause"], r["where"]): r["cars"]["mean"] for r in summary["losses"]["rows"]}


def assert_adds_up(summary: dict) -> None:
    losses = summary["losses"]
    total = sum(r["cars"]["mean"] for r in losses["rows"])
    # each figure is rounded to 0.1 car in summary.json: the sum is exact to that
    assert losses["nameplate"]["mean"] - losses["output"]["mean"] == pytest.approx(total, abs=0.05 * len(
        losses["rows"]) + 0.1)
    assert set(losses["by_group"]) <= set(GROUPS)


def test_an_outage_on_the_reference_line_loses_exactly_its_hours_at_the_ideal_rate():
    """A line of takt 60 s (60 cars an hour, the slowest: 'after' makes 90) covered by an outage of 30 min
    every 10 h: 4 outages in the 48 h window, 2 h, 120 cars; annualised over 2 of 250 working days, 15,000 cars a
    year. The nameplate is 60 x 24 h x 250 = 360,000."""
    outage = {"name": "chain", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s", "covers": ["main"]}
    stations = [station(f"s{k}", 50, line="main") for k in range(3)] + [station("after", 40)]
    summary = sim.run(plant(stations, lines={"main": {"takt": 60}}, outages=[outage])).summary
    losses = summary["losses"]
    assert losses["reference"]["where"] == "shop.main"
    assert losses["nameplate"]["mean"] == pytest.approx(360_000)
    assert causes(summary)[("outage: chain", "shop.main")] == pytest.approx(4 * T_OUT / HOUR * 60 * 125, abs=0.05)
    assert losses["largest"]["cause"] == "outage: chain"
    assert_adds_up(summary)


def test_an_upstream_outage_is_charged_with_all_the_reference_starved():
    """A (30 s) feeds B (60 s, the reference) through one place; an outage covers A only. B starves only for
    want of A's cars; A has no other loss of its own (it is faster than B, and blocked otherwise), so all of B's
    starved hours x 60 cars an hour are charged to A's outage, and nothing else upstream."""
    outage = {"name": "power", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s", "covers": ["A"]}
    result = sim.run(plant([station("A", 30), station("B", 60)], outages=[outage]))
    summary = result.summary
    b = row(result, "B")
    window = DAYS * 24 * HOUR  # the shop works around the clock
    starved_cars_a_year = b.share_starved * window / HOUR * 60 * PER_YEAR / DAYS
    assert summary["losses"]["reference"]["where"] == "shop.B"
    assert starved_cars_a_year > 0
    found = causes(summary)
    assert found[("outage: power", "shop.A")] == pytest.approx(starved_cars_a_year, abs=0.05)
    upstream = {key: cars for key, cars in found.items() if key[1] == "shop.A"}
    assert list(upstream) == [("outage: power", "shop.A")]
    assert_adds_up(summary)


def test_a_full_yard_loses_its_blocked_hours_at_the_ideal_rate():
    """A (50 s) then B (100 s: the reference, 36 cars an hour) into a yard of 10 emptied by one truck of 5 cars at
    noon: B is the end of line, and the yard's blocked hours are B's blocked time; they cost 36 cars an hour."""
    scenario = plant([station("A", 50), station("B", 100)], outbound={
        "yard": {"capacity": 10}, "trucks": {"per_day": 1, "cars_per_truck": 5, "at": ["12:00"]}})
    summary = sim.run(scenario).summary
    blocked = summary["outbound"]["blocked_hours"]["mean"]
    assert blocked > 40  # most of the window: the yard is the limit
    yard = causes(summary)[("finished-car yard full", "yard")]
    assert yard == pytest.approx(blocked * 36 * PER_YEAR / DAYS, rel=1e-4)
    assert summary["losses"]["largest"]["group"] == "yard"
    assert_adds_up(summary)


def test_causes_that_do_not_add_up_are_refused(monkeypatch):
    """The check in the code: a tracing that drops a car is an error, not a quiet figure."""
    from sim.analysis import losses as module
    from sim.analysis.capacity import station_capacity
    from sim.model.replication import simulate
    scenario = plant([station("A", 30), station("B", 60)], outages=[
        {"name": "power", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s", "covers": ["A"]}])
    rep = simulate(scenario, 1)
    capacity = station_capacity(scenario)
    chain = module.flow_chain(scenario)
    ref, rate, hours = module.reference(scenario, rep.stations, chain, capacity, PER_YEAR)
    replication_losses(scenario, rep, chain, ref, rate, hours, capacity)  # adds up
    add = module.Tracer.add
    monkeypatch.setattr(module.Tracer, "add", lambda self, group, cause, where, cars: None if group == "breakdowns"
                        else add(self, group, cause, where, cars))  # a tracing that forgets the outage
    with pytest.raises(LossesDontAddUp, match="miss nameplate - output"):
        replication_losses(scenario, rep, chain, ref, rate, hours, capacity)


def test_compare_gives_each_groups_paired_difference():
    """The reference line without and with its outage, two replications each on the same seed: compare's row of
    breakdowns and outages is 0 (no loss of that group in the base: every replication 0) against 15,000, a paired
    difference of exactly 15,000 (a deterministic plant: every replication the same); a group neither run lost
    a car to is left out."""
    from sim.analysis.compare import compare
    outage = {"name": "chain", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s", "covers": ["main"]}
    stations = [station(f"s{k}", 50, line="main") for k in range(3)] + [station("after", 40)]
    runs = [sim.run(plant(stations, lines={"main": {"takt": 60}}, outages=extra), replications=2).summary
            for extra in (None, [outage])]
    table = {row["kpi"]: row for row in compare(runs, ["base", "outage"])["kpis"]}
    row = table["loss: " + GROUPS["breakdowns"]]
    assert row["values"] == [0.0, pytest.approx(15_000, abs=0.05)]
    diff = row["differences"][0]
    assert diff["method"].startswith("paired") and diff["significant"]
    assert diff["ci95_low"] == pytest.approx(15_000, abs=0.05) and diff["ci95_high"] == pytest.approx(15_000, abs=0.05)
    assert "loss: " + GROUPS["kits"] not in table
    assert table["nameplate (ideal rate x calendar)"]["values"] == [360_000, 360_000]


def test_a_feeders_outage_is_charged_for_the_parts_the_join_waited_for():
    """a (30 s) -> join (60 s, the reference) fitting a part of feeder f (station fs, 30 s, built to stock, one
    part buffered) that an outage of 30 min every 10 h stops. The join waits for parts through most of each
    outage: those hours x 60 cars an hour go to the feeder, and from the feeder to its outage (a stop of 30 min
    outlasts the one part's cover almost whole: e^(-2 min / 30 min) = 93.5% of its hours weigh, about what the
    join waited); whatever no stop of the feeder explains stays with its parts. Nothing else is charged."""
    feeder = {"joins": "join", "built": "to_stock", "buffer": 1, "stations": [station("fs", 30)]}
    outage = {"name": "power", "time_between": f"{GAP} s", "time_to_repair": f"{T_OUT} s", "covers": ["fs"]}
    shop = {"shifts": CONTINUOUS, "buffer_capacity": 1, "stations": [station("a", 30), station("join", 60)],
            "feeders": {"f": feeder}, "outages": [outage]}
    raw = {"name": "losses", "horizon": {"days": DAYS, "warmup_days": 1},
           "calendar": {"working_days_per_year": PER_YEAR}, "product": {"models": ONE_MODEL},
           "shops": {"shop": shop}, "target": {"annual_units": 100000}}
    result = sim.run(validate_scenario(raw))
    summary = result.summary
    join = row(result, "join")
    waited = join.share_feeder * DAYS * 24 * 60 * PER_YEAR / DAYS  # hours a year x 60 cars an hour
    assert summary["losses"]["reference"]["where"] == "shop.join" and waited > 0
    found = causes(summary)
    feeder_causes = {key: cars for key, cars in found.items() if key[1] == "shop.fs" or "feeder f" in key[0]}
    assert sum(feeder_causes.values()) == pytest.approx(waited, abs=0.2)
    assert found[("outage: power", "shop.fs")] >= 0.9 * waited
    assert_adds_up(summary)
