"""How the report's figures are drawn (``sim.report.figures``): the SVG is what ``savefig`` writes, drawn faster."""

from __future__ import annotations

import base64
import gc
import io

import matplotlib
import numpy as np
import pandas as pd
import pytest

from sim.report import figures
from sim.report.figures import RC, bars, new_figure, svg_data_uri, time_axis

START = pd.Timestamp("2025-01-01")


def _svg(fig) -> bytes:
    return base64.b64decode(svg_data_uri(fig).split(",", 1)[1])


def _saved(fig) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(RC):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _shops(layout: str = "constrained"):
    """Two panels of a station's level over a month, titled, labelled, with a legend above them."""
    hours = np.arange(0, 30 * 24, 1.0)
    with matplotlib.rc_context(RC):
        fig = new_figure(8, 5)
        fig.set_layout_engine(layout)
        for k, shop in enumerate(("body", "paint")):
            ax = fig.add_subplot(2, 1, k + 1)
            ax.step(figures.time_x(hours, START), (hours * (k + 3)) % 17, where="post", label=f"{shop} store")
            ax.set_ylabel("cars in store")
            time_axis(ax, START, 30)
            ax.set_title(f"{shop} shop: cars waiting", loc="left")
        fig.legend(loc="outside upper left", ncol=2)
    return fig


@pytest.mark.parametrize("layout", ["constrained", "none"])
def test_the_svg_is_what_savefig_writes(layout):
    """Laid out once by the renderer that draws it, the figure's SVG is byte for byte the one savefig writes
    (it lays the figure out in a draw of its own, measuring every text again)."""
    assert _svg(_shops(layout)) == _saved(_shops(layout))


def test_drawing_leaves_the_figure_and_the_collector_as_they_were():
    fig = _shops()
    canvas, engine, dpi = fig.canvas, fig.get_layout_engine(), fig.dpi
    _svg(fig)
    assert fig.canvas is canvas and fig.get_layout_engine() is engine and fig.dpi == dpi
    assert gc.isenabled()


def test_the_collector_is_held_while_a_figure_is_drawn_and_left_held_if_it_was(monkeypatch):
    seen = []
    monkeypatch.setattr(figures, "_svg", lambda fig: seen.append(gc.isenabled()) or "<svg/>")
    svg_data_uri(None)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        svg_data_uri(None)
        assert not gc.isenabled()  # not switched on by a draw inside a hold (a plot made and drawn)
    finally:
        gc.enable()


def test_dates_are_where_the_locator_puts_them():
    """The date ticks, worked out once, are the ones the date locator gives at every draw: the same SVG."""
    fixed = _shops()
    left = _shops()
    for ax in left.axes:  # the locator back in place, as before: worked out at each draw
        ax.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator(maxticks=10))
    assert _svg(fixed) == _svg(left)
    ticks = fixed.axes[0].get_xticks()
    low, high = fixed.axes[0].get_xlim()
    assert len(ticks) >= 3 and low <= ticks.min() and ticks.max() <= high


def test_bars_stand_where_their_lengths_say_and_empty_ones_are_not_drawn():
    with matplotlib.rc_context(RC):
        fig = new_figure(4, 3)
        ax = fig.add_subplot()
    at, start, length = np.arange(3.0), np.array([0.0, 1.0, 2.0]), np.array([2.0, 0.0, 3.0])
    bars(ax, at, start, length, 0.8, "#4e79a7", label="Tiggo 7")
    bars(ax, at, start, length, 0.5, "#f1a340", horizontal=True)
    columns, rows = ax.collections
    assert columns.get_label() == "Tiggo 7"
    assert [p.vertices[:4].tolist() for p in columns.get_paths()] == [  # upright: x across, y along
        [[-0.4, 0.0], [-0.4, 2.0], [0.4, 2.0], [0.4, 0.0]], [[1.6, 2.0], [1.6, 5.0], [2.4, 5.0], [2.4, 2.0]]]
    assert [p.vertices[:4].tolist() for p in rows.get_paths()] == [  # lying: x along, y across
        [[0.0, -0.25], [2.0, -0.25], [2.0, 0.25], [0.0, 0.25]], [[2.0, 1.75], [5.0, 1.75], [5.0, 2.25], [2.0, 2.25]]]
