"""Bottleneck rule: blocked and starved are inactive; a paced line is one resource."""
import pytest
from sim import validate_scenario
from sim.analysis.bottleneck import bottleneck
from sim.model.replication import simulate


def plant(line_takt: float, test_cycle: float) -> dict:
    """A paced line (cycles 100 s at takt line_takt) feeding a free test station."""
    return {
        "name": "paced", "horizon": {"days": 3, "warmup_days": 0.5},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"assembly": {
            "shifts": {"count": 1, "start": "00:00", "length": "24 h"},
            "buffer_capacity": 2,
            "lines": {"main": {"takt": line_takt}},
            "stations": [{"name": f"s{i}", "cycle_time": 100, "line": "main"} for i in range(5)]
                        + [{"name": "test", "cycle_time": test_cycle}]}},
        "target": {"annual_units": 1},
    }


def test_a_line_running_at_takt_is_the_bottleneck_not_the_faster_station_after_it():
    # the line indexes every 120 s; the test station needs 110 s: the line sets the output
    result = simulate(validate_scenario(plant(120, 110)), 1)
    found = bottleneck(result.stations)
    assert found["line"] == "main" and found["shop"] == "assembly"
    assert found["active_share"> 0.99] if False else found["active_share"] > 0.99


def test_a_slower_station_after_the_line_is_the_bottleneck():
    result = simulate(validate_scenario(plant(120, 130)), 1)
    assert bottleneck(result.stations)["station"] == "test"


def test_one_repair_station_serves_two_rework_paths():
    raw = plant(120, 110)
    shop = raw["shops"]["assembly"]
    shop["stations"].insert(5, {"name": "check", "cycle_time": 60})
    shop["stations"].append({"name": "repair", "cycle_time": {"dist": "exponential", "mean": 300},
                             "servers": 2, "off_line": True})
    shop["quality"] = {"inspection": "test", "first_pass_yield": 0.9, "rework": [
        {"share": 0.5, "repair": "repair", "reenter": "check"},
        {"share": 0.5, "repair": "repair", "reenter": "test"}]}
    result = simulate(validate_scenario(raw), 1)
    assert list(result.stations["station"]).count("repair") == 1
    assert list(result.buffers["buffer"]).count("assembly.repair") == 1


def test_paced_state_is_the_balance_loss_of_a_line_station():
    # line indexes every 120 s, stations work 100 s: 100/120 working, 20/120 waiting for the takt;
    # the line feeds a faster station, so it is never blocked (edges: the first index after warm-up)
    result = simulate(validate_scenario(plant(120, 60)), 1)
    row = result.stations.set_index("station").loc["s2"]
    assert row.share_working == pytest.approx(100 / 120, abs=1e-3)
    assert row.share_paced == pytest.approx(20 / 120, abs=1e-3)
    assert row.share_blocked == 0 and row.share_down == 0
