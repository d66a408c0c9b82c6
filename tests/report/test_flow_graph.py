"""The plant flow picture of a plant graph: feeders beside the line they feed, parallel sections, own-part loops,
and a shop with 20 feeders whose labels and boxes do not overlap."""

from __future__ import annotations

import base64
import itertools
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import same_color
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text

import sim
from sim.report import flow, plots
from sim.report.figures import svg_data_uri
from sim.report.flow import plant_flow_plot
from sim.scenario import validate_scenario
from sim.scenario.loader import load_scenario
from sim.scenario.topology import all_stations

HORIZON = {"days": 3, "warmup_days": 1}
ALMATY = Path(__file__).parents[2] / "scenarios" / "almaty.yaml"
# where the report puts a figure: at a 1,400 px window, less Chromium's scroll bar (15 px), the page's main column
# less its padding (2 x 20 px) and a section's padding and border (2 x 21 px), from the CSS of sim/report/page.py
CONTENT_PX = 1400 - 15 - 2 * 20 - 2 * 21


def _st(name: str, cycle: float, **more) -> dict:
    return {"name": name, "cycle_time": cycle, **more}


def _line(prefix: str, n: int, line: str, cycle: float = 100) -> list[dict]:
    return [_st(f"{prefix}_{k}", cycle, line=line) for k in range(1, n + 1)]


def graph_raw() -> dict:
    """A shop with a paced line, a parallel section, feeders in sequence and to stock, and an own-part loop."""
    return {
        "name": "graph",
        "horizon": HORIZON,
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]},
        "shops": {"body": {
            "shifts": {"count": 1, "start": "06:00", "length": "8 h"},
            "lines": {"main": {"takt": 120}, "sf": {}},
            "stations": [
                _st("underbody", 100, line="main"),
                _st("framing", 105, line="main"),
                {"parallel": "booths", "rule": "shortest_queue",
                 "branches": [{"name": "a", "stations": [_st("booth_a", 200)]},
                              {"name": "b", "stations": [_st("booth_b", 200)]}]},
                _st("out", 90),
                _st("trim", 95),
                _st("final", 92),
            ],
            "feeders": {
                "side_frames": {"joins": "framing", "called_off_at": "underbody", "buffer": 4,
                                "stations": [_st("sf_1", 95, line="sf"), _st("sf_2", 95, line="sf")]},
                "roof": {"joins": "framing", "built": "to_stock", "stations": [_st("roof_1", 90)]},
                "doors": {"taken_off_at": "out", "joins": "final", "stations": [_st("door_1", 80)]},
            },
        }},
        "target": {"annual_units": 50000},
    }


def twenty_feeders_raw() -> dict:
    """A body shop with 20 feeders: in sequence, to stock, own parts, feeders of feeders, one into a branch."""
    feeders = {
        # the underbody's, called off as the body is started
        "front_floor": {"joins": "ub_1", "buffer": 4, "stations": [_st("ff_1", 95)]},
        "rear_floor": {"joins": "ub_2", "buffer": 4, "stations": [_st("rf_1", 95), _st("rf_2", 90)]},
        "engine_bay": {"joins": "ub_1", "buffer": 3, "stations": _line("eb", 2, "eb", 90)},
        "dash_panel": {"joins": "ub_3", "built": "to_stock", "buffer": 20, "stations": [_st("dp_1", 80)]},
        "wheelhouse_left": {"joins": "ub_4", "built": "to_stock", "stations": [_st("whl_1", 85)]},
        "wheelhouse_right": {"joins": "ub_4", "built": "to_stock", "stations": [_st("whr_1", 85)]},
        "front_rails": {"joins": "eb_1", "built": "to_stock", "stations": [_st("frl_1", 80)]},
        "rear_rails": {"joins": "rf_2", "built": "to_stock", "stations": [_st("rrl_1", 80), _st("rrl_2", 80)]},
        # framing's
        "bodyside_left": {"joins": "fr_1", "called_off_at": "ub_1", "buffer": 6,
                          "stations": _line("bsl", 3, "bsl", 95)},
        "bodyside_right": {"joins": "fr_1", "called_off_at": "ub_1", "buffer": 6,
                           "stations": _line("bsr", 3, "bsr", 95)},
        "roof_panel": {"joins": "fr_2", "called_off_at": "ub_3", "stations": [_st("rp_1", 90)]},
        "roof_bows": {"joins": "fr_2", "built": "to_stock", "stations": [_st("rb_1", 60)]},
        "inner_bodyside_left": {"joins": "bsl_1", "built": "to_stock", "stations": [_st("ibl_1", 85)]},
        "inner_bodyside_right": {"joins": "bsr_1", "built": "to_stock", "stations": [_st("ibr_1", 85)]},
        # into the left branch of the parallel section
        "sealer_kits": {"joins": "seal_a", "built": "to_stock", "stations": [_st("sk_1", 60)]},
        # the closures', behind the section
        "doors_front": {"taken_off_at": "door_off", "joins": "metal_finish", "buffer": 30,
                        "stations": [_st("df_1", 90), _st("df_2", 90)]},
        "doors_rear": {"taken_off_at": "door_off", "joins": "metal_finish", "buffer": 30,
                       "stations": [_st("dr_1", 90)]},
        "hood": {"joins": "cl_3", "called_off_at": "door_off", "stations": [_st("hd_1", 90)]},
        "tailgate": {"joins": "cl_4", "called_off_at": "door_off", "stations": [_st("tg_1", 90)]},
        "fenders": {"joins": "cl_2", "built": "to_stock", "buffer": 12, "stations": [_st("fd_1", 70)]},
    }
    return {
        "name": "twenty-feeders",
        "horizon": HORIZON,
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 0.6}, {"name": "B", "share": 0.4}]},
        "shops": {
            "body": {
                "shifts": {"count": 2, "start": "06:00", "length": "8 h"},
                "buffer_capacity": 2,
                "lines": {"ub": {"takt": 110}, "fr": {"takt": 110}, "cl": {"takt": 110},
                          "eb": {}, "bsl": {}, "bsr": {}},
                "stations": [
                    _st("body_in", 60),
                    *_line("ub", 4, "ub"),
                    *_line("fr", 3, "fr"),
                    _st("respot", 100),
                    {"parallel": "sealing", "rule": "alternate",
                     "branches": [{"name": "left", "stations": [_st("seal_a", 190)]},
                                  {"name": "right", "stations": [_st("seal_b", 190)]}]},
                    _st("door_off", 80),
                    *_line("cl", 4, "cl"),
                    _st("metal_finish", 100),
                    _st("inspection", 95),
                    _st("spot_repair", 900, servers=2, off_line=True),
                ],
                "feeders": feeders,
                "quality": {"inspection": "inspection", "first_pass_yield": 0.9,
                            "rework": [{"share": 1.0, "repair": "spot_repair", "reenter": "inspection"}]},
            },
            "paint": {"shifts": {"count": 2, "start": "06:00", "length": "8 h"},
                      "stations": [_st("topcoat", 100), _st("paint_check", 95)]},
        },
        "stores": [{"name": "WBS", "after": "body", "capacity": 30}],
        "target": {"annual_units": 50000},
    }


@pytest.fixture(scope="module")
def graph_run():
    return sim.run(validate_scenario(graph_raw()), replications=1)


@pytest.fixture(scope="module")
def twenty_run():
    return sim.run(validate_scenario(twenty_feeders_raw()), replications=1)


def _drawn(fig):
    """The figure laid out by a renderer: (renderer, texts, feeder labels by feeder)."""
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    texts = [t for t in ax.findobj(Text) if t.get_text() and t.get_visible()]
    labels = {t.get_gid().split(":", 1)[1]: t for t in texts if (t.get_gid() or "").startswith("feeder-label:")}
    return renderer, texts, labels


def _boxes(fig) -> list[FancyBboxPatch]:
    """Every box drawn (stations, lines, conveyors, repairs, stores); not the shop panels behind them."""
    return [p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch) and p.get_zorder() >= 3]


def _overlap(a, b, tolerance: float = 0.5) -> bool:
    """Two display boxes overlap by more than the tolerance (pixels) both ways."""
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)


def _no_text_overlaps(renderer, texts) -> None:
    every = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    for (a, ea), (b, eb) in itertools.combinations(every, 2):
        assert not _overlap(ea, eb), f"{a!r} and {b!r} overlap"


def _arrows(fig, colour: str) -> list[FancyArrowPatch]:
    return [p for p in fig.axes[0].patches if isinstance(p, FancyArrowPatch) and same_color(p.get_edgecolor(), colour)]


def test_flow_draws_feeders_the_parallel_section_and_the_own_part_loop(graph_run):
    fig = plant_flow_plot(graph_run)
    _, texts, labels = _drawn(fig)
    text = "\n".join(t.get_text() for t in texts)
    assert set(labels) == {"side_frames", "roof", "doors"}
    assert "side_frames → framing" in labels["side_frames"].get_text()
    assert "in sequence ·" in labels["side_frames"].get_text()  # called off at the shop's first station
    assert "buffer 4" in labels["side_frames"].get_text()
    assert "to stock" in labels["roof"].get_text()
    assert "own part off at out" in labels["doors"].get_text()
    # the feeders' boxes (a paced feeder line is one box), the branches, the section's split rule
    for name in ("sf line", "roof_1", "door_1", "booth_a", "booth_b", "main line"):
        assert name in text
    assert "booths: parallel, shortest queue" in text
    assert "3 feeders" in text and "11 stations" in text
    # the call-off from underbody (in the main line's box) into the side frames, the doors' take-off
    assert len(_arrows(fig, flow.CALL_OFF)) == 1
    assert len(_arrows(fig, flow.TAKE_OFF)) == 1
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(t.startswith("call-off") for t in legend) and any(t.startswith("take-off") for t in legend)


def test_feeders_stand_beside_the_box_they_feed(graph_run):
    fig = plant_flow_plot(graph_run)
    renderer, texts, _ = _drawn(fig)
    box = {t.get_text(): t.get_window_extent(renderer) for t in texts}
    main_line, sf_line, door, final = box["main line"], box["sf line"], box["door_1"], box["final"]
    assert sf_line.x0 > main_line.x1 and door.x0 > final.x1  # to the right of the flow
    assert abs(sf_line.y0 - main_line.y0) < 60  # at about the height of what they feed (pixels at 100 dpi)
    assert abs(door.y0 - final.y0) < 60
    assert box["booth_a"].x1 < box["booth_b"].x0  # branches side by side
    assert abs(box["booth_a"].y0 - box["booth_b"].y0) < 1


def test_twenty_feeders_labels_and_boxes_do_not_overlap(twenty_run):
    fig = plant_flow_plot(twenty_run)
    renderer, texts, labels = _drawn(fig)
    feeders = twenty_run.scenario.shops["body"].feeders
    assert len(feeders) == 20
    assert set(labels) == set(feeders)
    for name, label in labels.items():
        assert label.get_text().startswith(f"{name} → {feeders[name].joins}")
    extents = {name: label.get_window_extent(renderer) for name, label in labels.items()}
    for (a, ea), (b, eb) in itertools.combinations(extents.items(), 2):
        assert not _overlap(ea, eb), f"the labels of {a} and {b} overlap"
    _no_text_overlaps(renderer, texts)  # nor any other text
    boxes = [(p, p.get_window_extent(renderer)) for p in _boxes(fig)]
    for name, extent in extents.items():
        for _, box in boxes:
            assert not _overlap(extent, box), f"the label of {name} runs into a box"
    for (_, a), (_, b) in itertools.combinations(boxes, 2):
        assert not _overlap(a, b), "two boxes overlap"
    # every feeder station's box: 20 feeders in 25 boxes (paced feeder lines as one), each named
    text = {t.get_text() for t in texts}
    for name in ("ff_1", "rf_1", "rf_2", "eb line", "bsl line", "bsr line", "ibl_1", "sk_1", "df_1", "dr_1", "tg_1"):
        assert name in text
    assert len(_arrows(fig, flow.TAKE_OFF)) == 2  # both doors feeders, from door_off
    call_offs = [f for f in feeders.values() if f.supply == "in_sequence"]
    assert len(_arrows(fig, flow.CALL_OFF)) == len(call_offs)


def test_the_picture_needs_no_simulation(twenty_run):
    """Drawn from the scenario alone (tables empty): the buffers and cycles come from the scenario."""
    bare = replace(twenty_run, summary={"scenario": "twenty-feeders"}, stations=pd.DataFrame(),
                   buffers=pd.DataFrame())
    _, texts, labels = _drawn(plant_flow_plot(bare))
    assert "buffer 20" in labels["dash_panel"].get_text()  # its own buffer
    assert "buffer 2" in labels["roof_bows"].get_text()  # the shop's buffer_capacity
    assert any(t.get_text().startswith("cycle 95 s") for t in texts)
    assert not any("active" in t.get_text() for t in texts)


def test_station_states_order_the_whole_graph(graph_run):
    order = plots._station_order(graph_run)
    assert order["body"] == [st.name for st in all_stations(graph_run.scenario.shops["body"])]
    assert order["body"][:4] == ["underbody", "framing", "booth_a", "booth_b"]
    assert order["body"][-4:] == ["sf_1", "sf_2", "roof_1", "door_1"]
    fig = plots.station_states_plot(graph_run)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == order["body"]


def almaty_short_run():
    """Almaty over three days (a working day among them): the whole plant's graph, its station and buffer tables,
    in about 2 s."""
    return sim.run(load_scenario(ALMATY, ["horizon={days: 3, warmup_days: 0}"]), replications=1)


@pytest.fixture(scope="module")
def almaty_run():
    return almaty_short_run()


def _natural_px(fig) -> float:
    """The width at which a browser shows the figure's SVG at scale 1: the SVG gives it in pt, 72 to the inch, and
    a CSS px is 3/4 pt (96 to the inch)."""
    svg = base64.b64decode(svg_data_uri(fig).split(",", 1)[1]).decode("utf-8")
    width = ET.fromstring(svg).get("width")
    assert width.endswith("pt"), width
    return float(width[:-2]) * 96 / 72


def test_almaty_flow_is_shown_whole_on_a_1400_px_page_with_no_type_under_8_pt(almaty_run):
    """The shops stand one under the other: the picture is as wide as the widest shop (assembly), not the three
    side by side (28.4 in, 2,726 px: shown at 0.48, its 8-pt type at 4 px)."""
    fig = plant_flow_plot(almaty_run)
    assert _natural_px(fig) <= CONTENT_PX
    renderer, texts, _ = _drawn(fig)
    small = {t.get_text(): t.get_fontsize() for t in fig.findobj(Text) if t.get_text() and t.get_fontsize() < 8}
    assert small == {}
    page = fig.bbox
    for t in texts:  # nothing cut at the picture's edge
        box = t.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 <= box.y0 and box.y1 <= page.y1, t
    at = {t.get_text(): t.get_window_extent(renderer) for t in texts}
    shops = [at[name] for name in ("BODY", "PAINT", "ASSEMBLY")]
    assert shops[0].y0 > shops[1].y0 > shops[2].y0 and shops[0].x0 == shops[1].x0 == shops[2].x0
    firsts = [at[name] for name in ("floor line", "pretreatment_ed", "trim1 line")]  # each shop's first box
    assert max(b.x0 + b.x1 for b in firsts) - min(b.x0 + b.x1 for b in firsts) < 1  # one column down the page
    _no_text_overlaps(renderer, texts)  # the type larger, the room as it was
