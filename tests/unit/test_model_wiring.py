"""The plant's structure: measured windows, the wiring check, the node protocol, buffer kinds."""
import copy
import dataclasses
import math

import pytest
import simpy

from sim import validate_scenario
from sim.model.flow.buffer import ARRIVALS, BUFFER, BUFFER_KINDS, REENTRY_LANE, STORE, Buffer
from sim.scenario.days import plant_days
from sim.model.flow.line import PacedLine
from sim.model.builder import build_plant
from sim.model.wiring import WiringError, check_wiring
from sim.model.flow.protocol import CarInput, CarTarget, Node, Router
from sim.model.replication import simulate
from sim.model.flow.routing import Onward
from sim.model.flow.station import PooledStation, Station
from sim.scenario.window import Window


def build(raw):
    scenario = validate_scenario(raw)
    return build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), 1, 0)


# ---------------------------------------------------------------- Window

def test_window_is_half_open_and_clips():
    w = Window(10.0, 20.0)
    assert w.span == 10.0
    assert w.contains(10.0) and w.contains(19.999) and not w.contains(20.0) and not w.contains(9.0)
    assert w.clip(5.0, 15.0) == 5.0 and w.clip(12.0, 13.5) == 1.5 and w.clip(0.0, 100.0) == 10.0
    assert w.clip(20.0, 30.0) == 0.0 and w.clip(0.0, 10.0) == 0.0 and w.clip(15.0, 12.0) == 0.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.lo = 0.0
    assert not hasattr(w, "__dict__")  # slots


def test_one_wall_window_and_one_worked_window_per_shop(small_raw):
    plant = build(small_raw)
    assert plant.window == Window(plant.days.warmup_end, plant.days.end)
    for shop, clock in plant.clocks.items():
        worked = plant.worked_windows[shop]
        assert worked == Window(clock.worked(plant.window.lo), clock.worked(plant.window.hi))
        for node in plant.nodes[shop]:
            accounts = node.accounts if isinstance(node, Station) else [node.line_account, *node.station_down]
            assert all(a.window is worked for a in accounts)  # shared, not copied
            if isinstance(node, Station):
                assert node.wall_window is plant.window
    assert all(b.monitor.window is plant.window for b in plant.buffers)


# ---------------------------------------------------------------- wiring check

def test_a_built_plant_is_wired(small_raw):
    check_wiring(build(small_raw))  # no error


def test_a_node_without_output_is_named(small_raw):
    plant = build(small_raw)
    respot = plant.nodes["body"][1]
    assert respot.name == "respot"
    respot.output = None
    with pytest.raises(WiringError, match=r"body\.respot: no output") as caught:
        check_wiring(plant)
    assert "input" not in str(caught.value)  # only the missing end is reported


def test_every_unconnected_end_is_listed(small_raw):
    plant = build(small_raw)
    plant.nodes["paint"][1].input = None                 # topcoat (behind its re-entry merge)
    plant.nodes["body"][0].output = Onward(None)         # the paced line "main": a router to nowhere
    with pytest.raises(WiringError) as caught:
        check_wiring(plant)
    message = str(caught.value)
    assert "paint.topcoat: no input" in message and "body.main: output leads nowhere" in message
    assert isinstance(caught.value, RuntimeError)


def test_quality_gate_paths_must_lead_to_buffers_of_the_plant(small_raw):
    plant = build(small_raw)
    gate = plant.gates["paint"]
    stray = Buffer(plant.env, "stray", shop="paint", kind=BUFFER, capacity=1, window=plant.window)
    upto, _, priority, reentry = gate.paths[0]
    gate.paths[0] = (upto, stray, priority, reentry)
    with pytest.raises(WiringError, match=r"paint\.inspection: quality gate rework path 1 leads to no buffer"):
        check_wiring(plant)


# ---------------------------------------------------------------- node protocol

def test_nodes_inputs_and_targets_follow_the_protocol(small_raw):
    raw = copy.deepcopy(small_raw)
    raw["launch"] = {"interarrival": 100}
    plant = build(raw)
    kinds = set()
    for node in plant.all_nodes():
        assert isinstance(node, Node), node
        assert isinstance(node.input, CarInput) and isinstance(node.output, Router), node.name
        kinds.add(type(node))
    assert kinds == {Station, PacedLine}
    assert all(isinstance(b, CarInput) and isinstance(b, CarTarget) for b in plant.buffers)


def test_constructors_take_keywords():
    env = simpy.Environment()
    with pytest.raises(TypeError):
        Station(env, "shop", "a", 1, [], [], None, Window(0, 1), Window(0, 1))
    with pytest.raises(TypeError):
        PooledStation(env, "shop", "a", 1, [], [], None, Window(0, 1), Window(0, 1), pool=None, needed=1,
                      slower=False)
    with pytest.raises(TypeError):
        Buffer(env, "b", "shop", BUFFER, 1, Window(0, 1))


# ---------------------------------------------------------------- buffer kinds

def test_buffers_carry_their_kind(small_raw):
    res = simulate(validate_scenario(small_raw), 3)
    table = res.buffers
    assert list(table.columns[:3]) == ["shop", "buffer", "kind"]
    kinds = dict(zip(table.buffer, table.kind))
    assert kinds["WBS"] == STORE
    assert kinds["paint.topcoat.reentry"] == kinds["paint.inspection.reentry"] == REENTRY_LANE
    assert kinds["body.respot"] == kinds["paint.spot_repair"] == kinds["paint.topcoat"] == BUFFER
    assert set(res.store_levels.store) == {"WBS"}


def test_arrivals_and_a_hand_over_without_store(small_raw):
    raw = copy.deepcopy(small_raw)
    raw["launch"] = {"interarrival": 100}
    del raw["stores"]
    plant = build(raw)
    kinds = {b.name: b.kind for b in plant.buffers}
    assert kinds["arrivals"] == ARRIVALS and kinds["body->paint"] == BUFFER
    # the level log is kept for the buffers between shops, store or not (store_levels.csv)
    assert [b.name for b in plant.buffers if b.monitor.trace is not None] == ["body->paint"]
    assert set(kinds.values()) <= set(BUFFER_KINDS)


def test_unknown_buffer_kind_is_refused():
    with pytest.raises(ValueError, match="unknown kind"):
        Buffer(simpy.Environment(), "b", shop="s", kind="silo", capacity=math.inf, window=Window(0, 1))
