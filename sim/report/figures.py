"""What every plot of the reports shares: colours, the look, embedding, the axes of time and of levels.

Every plot is a matplotlib ``Figure`` built without pyplot (no global state, no
display needed); ``svg_data_uri`` turns it into an ``<img>`` source that needs
no file, no network and no script. Station states have the same colours and
labels in every plot: the model's table of states (``states``).
"""

from __future__ import annotations

import base64
import contextlib
import gc
import io
import math
import multiprocessing
import os
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

# ---------------------------------------------------------------- colours and look

MODEL_COLOURS = ("#4e79a7", "#f1a340", "#76b7b2", "#b07aa1", "#9c755f", "#59a14f", "#edc948", "#ff9da7")
RUN_COLOURS = ("#1f4e79", "#c55a11", "#2e8b57", "#7030a0", "#b8860b", "#2e75b6", "#8b0000", "#556b2f")
SHIFT_COLOURS = ("#3b6ea5", "#e08a2e", "#6a9f58", "#8e6bb8")
TARGET_COLOUR = "#222222"

RC = {
    "svg.hashsalt": "sim-report",  # reproducible ids: the same run gives the same page
    "svg.fonttype": "path",  # glyphs as paths: the page looks the same without the fonts installed
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    # titles at the panel's top, where matplotlib puts them when nothing stands above the panel (the station
    # states' panels, with labels on top, place theirs): left to find it, it measures every tick label of the
    # panel at each draw and each pass of the layout
    "axes.titley": 1.0,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
}


def run_colour(i: int) -> str:
    return RUN_COLOURS[i % len(RUN_COLOURS)]


# ---------------------------------------------------------------- embedding


def new_figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(RC):
        return Figure(figsize=(width, height), layout="constrained")


def svg_data_uri(fig: Figure) -> str:
    """The figure as an SVG data URI for ``<img src=...>`` (one image per document: no clashing ids)."""
    with matplotlib.rc_context(RC), _collector_held():
        svg = _svg(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


@contextlib.contextmanager
def _collector_held():
    """Python's garbage collector held while a figure is made or drawn, then let sweep the young objects: a figure
    makes tens of thousands of objects, and as they pass the collector's thresholds it now and then goes through
    every object of the process (the run's tables, the modules), 0.1 to 0.2 s a time, twice in the Almaty report's
    nine figures. What a figure leaves (matplotlib's artists refer to each other in cycles) is young: a sweep of
    the young generations frees it. Held already (a figure made and drawn inside): the outer hold sweeps."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(1)


class _Sheet(FigureCanvasSVG):
    """A canvas that hands its figure's layout engine the renderer the figure is then drawn with."""

    renderer = None

    def get_renderer(self):
        return self.renderer


def _svg(fig: Figure) -> str:
    """The figure's SVG, what ``savefig`` writes, laid out once by the renderer that draws it. ``savefig`` draws a
    figure with a layout engine twice, once (showing nothing) to lay it out, each time with a renderer of its own
    that measures every text afresh; text is most of a figure's time (measured, laid out as glyphs, written as
    paths), and a renderer keeps what it measured: here the layout measures the texts, the drawing finds them
    measured, and the layout is not done again."""
    out = io.StringIO()
    dpi, engine, canvas = fig.dpi, fig.get_layout_engine(), fig.canvas
    sheet = _Sheet(fig)
    fig.dpi = 72  # SVG's unit, the point: laid out and drawn in it, as savefig does
    try:
        width, height = fig.get_size_inches()
        sheet.renderer = MixedModeRenderer(fig, width, height, dpi, RendererSVG(
            width * 72, height * 72, out, image_dpi=dpi, metadata={"Date": None, "Creator": None}))
        if engine is not None:
            engine.execute(fig)
        fig.set_layout_engine(None)  # laid out: drawing it lays it out no more
        fig.draw(sheet.renderer)
        sheet.renderer.finalize()
    finally:
        fig.set_layout_engine(engine)
        fig.set_canvas(canvas)
        fig.dpi = dpi
    return out.getvalue()


# ---------------------------------------------------------------- drawing a page's figures together

_MARK = "\ufdd0figure-{}\ufdd0"
"""Where a figure's data URI goes until it is drawn (a noncharacter: never in a page's own text)."""
_ERROR_MARK = "\ufdd0error-{}\ufdd0"
"""Where the note of a plot that could not be drawn goes until it is drawn."""
_pending: list | None = None
"""The plots of the page being assembled inside ``drawn_together`` (None: make and draw each when asked)."""


def image_source(plot, error_caption: Callable[[str | None], str]) -> tuple[str, str]:
    """The ``<img src>`` of a plot (``page.Plot``) and the note saying why it could not be drawn (``error_caption``
    of the error; "" for a plot drawn): now, or inside ``drawn_together`` marks that they replace once every plot
    of the page is made and drawn."""
    if _pending is None:
        source, error = _made_and_drawn(plot)
        return source, error_caption(error)
    _pending.append((plot, error_caption))
    k = len(_pending) - 1
    return _MARK.format(k), _ERROR_MARK.format(k)


def _made_and_drawn(plot) -> tuple[str, str | None]:
    with _collector_held():
        fig, error = plot.made()
        return svg_data_uri(fig), error


def _drawn(k: int) -> tuple[str, str | None]:
    return _made_and_drawn(_pending[k][0])


def drawn_together(assemble: Callable[[], str]) -> str:
    """The page ``assemble()`` makes, its plots made and drawn together at the end: making figures and turning them
    into SVG is most of a report's time, and on a machine with more than one core the plots are made and drawn in
    forked processes that share the run with this one (nothing to pickle but the SVG coming back), the same bytes
    as here. One at a time where there is no fork (Windows, macOS), on one core, or inside a pool's worker."""
    global _pending
    _pending = []
    try:
        page = assemble()
        plots, _pending = _pending, None
        workers = min(len(plots), os.cpu_count() or 1)
        forks = "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")
        # a pool's worker process is daemonic and may not start processes of its own: it draws one at a time
        if workers > 1 and forks and not multiprocessing.current_process().daemon:
            _pending = plots  # what the forked workers read
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                drawn = list(pool.map(_drawn, range(len(plots))))
        else:
            drawn = [_made_and_drawn(plot) for plot, _ in plots]
    finally:
        _pending = None
    for k, ((source, error), (_, error_caption)) in enumerate(zip(drawn, plots)):
        page = page.replace(_MARK.format(k), source, 1).replace(_ERROR_MARK.format(k), error_caption(error), 1)
    return page


def placeholder(title: str, message: str, width: float = 10.0, height: float = 1.6) -> Figure:
    """A figure that says why there is nothing to plot (so the page keeps its layout)."""
    with matplotlib.rc_context(RC):
        fig = new_figure(width, height)
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.set_title(title, loc="left")
        ax.text(0.5, 0.45, message, ha="center", va="center", fontsize=11, color="#666666",
                transform=ax.transAxes)
    return fig


def bars(ax, at: np.ndarray, start: np.ndarray, length: np.ndarray, width: float, colour: str, *,
         horizontal: bool = False, label: str | None = None) -> None:
    """Bars as one collection of rectangles, not a Rectangle artist a bar (``ax.bar``): each artist is made,
    measured and drawn on its own, and a year's station states (1,900 bars) took 1.9 s of a report's 4 that way,
    its weekly output (160) a third of its plot's time. A bar at each of ``at``, from ``start``, ``length`` long
    and ``width`` wide; none where the length is 0 (a year of 135 stations stays a light page)."""
    drawn = length != 0
    foot, head = start[drawn], start[drawn] + length[drawn]
    near, far = at[drawn] - width / 2, at[drawn] + width / 2
    corners = np.stack([np.column_stack(c) for c in ((foot, near), (head, near), (head, far), (foot, far))],
                       axis=1)  # (along the bar, across it): (x, y) of a horizontal bar, (y, x) of an upright one
    ax.add_collection(PolyCollection(corners if horizontal else corners[:, :, ::-1], facecolors=colour,
                                     linewidths=0, label=label))


def thousands(ax, axis: str = "y") -> None:
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def percent(ax, axis: str = "x") -> None:
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{100 * v:.0f}%")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)


def thin_ticks(ax, labels: list[str], most: int = 26, rotate: bool = True) -> None:
    step = max(1, math.ceil(len(labels) / most))
    ticks = list(range(0, len(labels), step))
    ax.set_xticks(ticks, [labels[i] for i in ticks], rotation=90 if rotate and len(ticks) > 10 else 0)


# ---------------------------------------------------------------- time and levels


def store_capacities(run) -> dict[str, float]:
    return {s.name: s.capacity for s in run.scenario.stores} if run.scenario is not None else {}


def start_date(run):
    if run.scenario is not None and run.scenario.calendar.dated:
        return pd.Timestamp(run.scenario.calendar.start_date)
    return None


def _daily_envelope(data: pd.DataFrame) -> pd.DataFrame:
    """Per simulated day: lowest, mean and highest sampled level (a year of hourly samples stays readable)."""
    day = (data["time_h"] // 24).astype(int)
    out = data.groupby(day)["level"].agg(["min", "mean", "max"])
    out.index = out.index.astype(float) + 0.5
    return out


def time_x(hours, start):
    hours = np.asarray(hours, dtype=float)
    return (start + pd.to_timedelta(hours, unit="h")) if start is not None else hours / 24


def draw_levels(ax, data: pd.DataFrame, start, colour: str, label: str, envelope: bool, fill: bool = True):
    if envelope:
        env = _daily_envelope(data)
        x = time_x(env.index.to_numpy() * 24, start)
        ax.fill_between(x, env["min"], env["max"], color=colour, alpha=0.22 if fill else 0.12, linewidth=0,
                        label=f"{label}: daily low–high" if fill else None)
        ax.plot(x, env["mean"], color=colour, linewidth=1.3, label=f"{label}: daily mean")
    else:
        x = time_x(data["time_h"], start)
        if fill:
            ax.fill_between(x, data["level"].to_numpy(dtype=float), step="post", color=colour, alpha=0.2,
                            linewidth=0)
        ax.step(x, data["level"].to_numpy(dtype=float), where="post", color=colour, linewidth=1.0,
                label=f"{label} (hourly)")


def time_axis(ax, start, window_days: float) -> None:
    """Dates along the panel's x axis (days from the start where the calendar has no dates). Called once the
    panel's lines are drawn: the dates are placed for the span they cover then."""
    if start is None:
        ax.set_xlabel("day from the simulation start")
        return
    if window_days <= 10:
        ax.xaxis.set_major_locator(matplotlib.dates.DayLocator())
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%a\n%d %b"))
        ax.tick_params(axis="x", labelsize=7.5)
    else:
        ax.xaxis.set_major_locator(matplotlib.dates.AutoDateLocator(maxticks=10))
        ax.xaxis.set_major_formatter(matplotlib.dates.DateFormatter("%d %b"))
    ax.set_xlabel("date")
    _dates_fixed(ax.xaxis)


def _dates_fixed(axis) -> None:
    """The axis's dates put where its locator puts them in the axis's span, once: left to the locator, it works
    them out again (a calendar rule each time) at every draw and each pass of the layout, a fifth of a level plot's
    drawing. A date locator goes by the span alone, not by the panel's size, which the layout still changes."""
    low, high = axis.get_view_interval()
    close = 1e-10 * (high - low)  # as matplotlib keeps a tick at the span's edge
    axis.set_ticks([t for t in axis.get_major_locator()() if low - close <= t <= high + close])
