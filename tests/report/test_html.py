"""The HTML reports: self-contained, every plot present, and rendered by a real browser without errors."""

from __future__ import annotations

import base64
import html as html_lib
import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.report import compare_plots, plots
from sim.report.flow import plant_flow_plot
from sim.results import RunResult
from sim.report.html import comparison_report_html, run_report_html
from sim.report.states import state_columns

SMALL = Path(__file__).parents[1] / "small.yaml"
CHROMIUM = Path("/usr/bin/chromium")
RUN_PLOTS = {"waterfall", "output", "flow", "states", "stores", "headcount"}
COMPARISON_PLOTS = {"annual", "output-weekly", "loaded", "stores", "headcount"}


def synthetic_store_levels(run, seed: int = 0) -> pd.DataFrame:
    """Hourly levels of each store of a run: a bounded random walk."""
    summary = run.summary
    rng = np.random.default_rng(seed)
    hours = int((summary["simulated_days"] + summary["warmup_days"]) * 24)
    frames = []
    for store in run.provenance["resolved_scenario"]["stores"]:
        level = np.zeros(hours, dtype=int)
        for h in range(1, hours):
            level[h] = min(store["capacity"], max(0, level[h - 1] + rng.integers(-3, 5)))
        frames.append(pd.DataFrame({"replication": 0, "time_h": np.arange(hours, dtype=float),
                                    "store": store["name"], "level": level}))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def small_run() -> RunResult:
    run = sim.run(SMALL, replications=2)
    if run.store_levels is None or run.store_levels.empty:
        run = replace(run, store_levels=synthetic_store_levels(run))
    return run


@pytest.fixture(scope="module")
def other_run() -> RunResult:
    run = sim.run(SMALL, replications=2, seed=11)
    return replace(run, summary={**run.summary, "scenario": "small-seed-11"})


@pytest.fixture(scope="module")
def run_page(small_run) -> str:
    return run_report_html(small_run)


@pytest.fixture(scope="module")
def comparison_page(small_run, other_run) -> str:
    return comparison_report_html([small_run, other_run])


def _plots(page: str) -> dict[str, str]:
    """data-plot id -> decoded SVG text."""
    found = {}
    for src, plot in re.findall(r'<img src="([^"]+)"[^>]*data-plot="([^"]+)"', page):
        assert src.startswith("data:image/svg+xml;base64,"), plot
        found[plot] = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
    return found


# ---------------------------------------------------------------- the page as text


@pytest.mark.parametrize("which", ["run", "comparison"])
def test_page_is_self_contained(which, run_page, comparison_page):
    page = run_page if which == "run" else comparison_page
    assert page.startswith("<!DOCTYPE html>")
    for attr in re.findall(r'\b(?:src|href)\s*=\s*"([^"]*)"', page, flags=re.I):
        assert attr.startswith(("data:", "#")), attr[:80]
    assert not re.search(r"(?:src|href)\s*=\s*['\"]?\s*(?:https?:)?//", page, flags=re.I)
    assert "url(" not in page.lower()
    assert "<link" not in page.lower() and "<script" not in page.lower() and "@import" not in page.lower()
    for name, svg in _plots(page).items():
        root = ET.fromstring(svg)  # well-formed
        assert root.tag.endswith("svg"), name
        links = [v for el in root.iter() for k, v in el.attrib.items() if k.endswith("href")]
        assert all(v.startswith("#") for v in links), name  # only references inside the same image


def test_run_page_has_every_plot_and_section(run_page, small_run):
    found = _plots(run_page)
    assert set(found) == RUN_PLOTS
    assert "data-error" not in run_page  # no plot fell back to its placeholder
    assert all(len(svg) > 5000 for svg in found.values())
    for anchor in ("answer", "losses", "summary", "output", "flow", "shops", "stations", "stores", "staffing"):
        assert f'id="{anchor}"' in run_page
    s = small_run.summary
    assert f"{s['throughput']['annual_units']['mean']:,.0f}" in run_page  # thousands separators
    for station in small_run.stations["station"]:
        assert f"<td>{station}</td>" in run_page
    assert "WBS" in run_page


def test_comparison_page_has_every_plot_and_a_kpi_row_per_figure(comparison_page, small_run, other_run):
    assert set(_plots(comparison_page)) == COMPARISON_PLOTS
    assert "data-error" not in comparison_page
    kpi = comparison_page.split('class="kpi"', 1)[1].split("</table>", 1)[0]
    for name in (small_run.name, other_run.name):
        assert f">{name}</th>" in kpi
    for label in ("annual output", "attainment", "JPH paint", "bottleneck", "headcount",
                  "lead time mean (h:mm)"):
        assert f"<td>{label}</td>" in kpi
    assert 'class="delta"' in kpi  # the second run against the first
    # the same difference, interval and method as the console comparison (paired or Welch)
    assert "Welch t" in comparison_page or "paired t" in comparison_page
    assert re.search(r"Δ [+-][\d,]+ \[[+-][\d,]+, [+-][\d,]+\]", kpi)


def test_text_from_the_scenario_is_escaped(small_run):
    evil = '<script>alert("x")</script> & <b>'
    summary = {**small_run.summary, "description": evil, "scenario": "a<b"}
    page = run_report_html(replace(small_run, summary=summary))
    assert "<script>" not in page and "<b>" not in page.split("<body>", 1)[1].split("<main>", 1)[0]
    assert html_lib.escape(evil) in page
    assert "a&lt;b" in page


def test_a_plot_that_fails_leaves_a_note_not_a_broken_page(small_run):
    broken = replace(small_run, stations=small_run.stations.drop(columns=["shop"]))
    page = run_report_html(broken)
    assert set(_plots(page)) == RUN_PLOTS
    assert 'data-error="states"' in page


def test_comparison_needs_two_runs(small_run):
    with pytest.raises(ValueError):
        comparison_report_html([small_run])


# ---------------------------------------------------------------- plots


def _texts(fig) -> str:
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts + [ax.title]) + " " + \
        " ".join(t.get_text() for t in fig.texts)


def test_store_plot_says_no_samples_without_levels(small_run):
    run = replace(small_run, store_levels=pd.DataFrame())
    fig = plots.store_levels_plot(run)
    assert "no samples" in _texts(fig)
    assert "no samples" in _texts(compare_plots.compare_store_plot([run, run]))
    page = run_report_html(run)  # the page keeps its plot
    assert set(_plots(page)) == RUN_PLOTS


def test_store_plot_draws_synthetic_levels_with_capacity(small_run):
    levels = synthetic_store_levels(small_run, seed=5)
    fig = plots.store_levels_plot(replace(small_run, store_levels=levels))
    ax = fig.axes[0]
    assert "WBS" in ax.get_title(loc="left")
    capacity = [line for line in ax.get_lines() if list(line.get_ydata()) == [40, 40]]
    assert capacity, "capacity line of WBS (40)"
    long = levels.assign(time_h=levels["time_h"] * 40)  # a long horizon: whole view plus a one-week zoom
    fig = plots.store_levels_plot(replace(small_run, store_levels=long))
    assert len(fig.axes) == 2 and "one week" in fig.axes[1].get_title(loc="left")


def test_store_plot_title_gives_the_buffers_table_figures(small_run):
    """The plot's title and the table beside it show one mean (time-weighted, all replications), not the mean of
    the plotted samples."""
    levels = synthetic_store_levels(small_run, seed=5)
    title = plots.store_levels_plot(replace(small_run, store_levels=levels)).axes[0].get_title(loc="left")
    row = small_run.buffers.set_index("buffer").loc["WBS"]
    assert f"(mean {row['mean_level']:,.1f} cars, at capacity {100 * row['share_full']:.1f}% of the time)" in title
    assert f"{levels[levels['store'] == 'WBS']['level'].mean():,.1f}" not in title


def test_unknown_share_columns_are_states(small_run):
    stations = small_run.stations.assign(share_training=0.01)
    assert state_columns(stations)[-1] == "training"
    assert "share_line_active" not in [f"share_{s}" for s in state_columns(stations)]
    run = replace(small_run, stations=stations)
    legend = [t.get_text() for t in plots.station_states_plot(run).legends[0].get_texts()]
    assert "training" in legend and "working" in legend
    assert ">training</th>" in run_report_html(run)


def test_output_plot_has_target_per_day(small_run):
    fig = plots.output_plot(small_run)
    ax = fig.axes[0]
    per_day = small_run.summary["target"]["annual_units"] / small_run.summary["working_days_per_year"]
    target = [c for c in ax.collections if "target" in (c.get_label() or "")]
    assert target
    ys = {round(seg[0][1], 6) for seg in target[0].get_segments()}
    assert ys == {round(per_day, 6)}  # every simulated day of small.yaml is a working day
    # a bar a day and model that made cars, the model's bars one collection of rectangles
    units, _, _ = plots.output_periods(small_run.throughput)
    drawn = {c.get_label(): len(c.get_paths()) for c in ax.collections if c.get_label() in units.columns}
    assert drawn == {model: int((units[model] > 0).sum()) for model in units.columns}
    assert sum(drawn.values()) == len(small_run.throughput["day"].unique()) * small_run.throughput["model"].nunique()


def test_flow_groups_paced_lines_and_draws_the_quality_loop(small_run):
    fig = plant_flow_plot(small_run)
    text = _texts(fig)
    assert "main line" in text and "2 stations" in text  # body's paced line is one box
    assert "respot" in text and "ed_oven" in text and "conveyor" in text
    assert "WBS" in text and "spot_repair" in text
    assert "straight back" in text  # the repaint path without a repair station
    loops = [p for p in fig.axes[0].patches if type(p).__name__ == "FancyArrowPatch" and p.get_linestyle() != "-"]
    assert len(loops) == 3  # inspection -> spot_repair -> inspection, inspection -> topcoat


def test_headcount_plot_without_staffing_says_so(small_run):
    run = replace(small_run, staffing=pd.DataFrame(columns=["shop", "shift", "role", "group", "headcount"]))
    assert "no headcount" in _texts(plots.headcount_plot(run))
    staffing = pd.DataFrame({"shop": ["body", "body", "paint"], "shift": [1, 2, 1], "role": ["operator"] * 3,
                             "group": ["direct"] * 3, "headcount": [10, 8, 5]})
    fig = plots.headcount_plot(replace(small_run, staffing=staffing))
    assert "23 people" in fig.axes[0].get_title(loc="left")


# ---------------------------------------------------------------- in a real browser

PROBE = """<script>
window.__errors = [];
window.addEventListener('error', function (e) {
  window.__errors.push(e.message || ('failed to load ' + (e.target && (e.target.tagName || ''))));
}, true);
window.addEventListener('load', function () {
  var plots = Array.prototype.map.call(document.querySelectorAll('img, svg'), function (el) {
    var r = el.getBoundingClientRect();
    return {plot: el.getAttribute('data-plot'), w: r.width, h: r.height,
            nw: el.naturalWidth || 0, nh: el.naturalHeight || 0, complete: el.complete !== false};
  });
  // what a planner sees at 1,400 px: boxes scrolling sideways inside the page, the page wider than the window
  var inner = Array.prototype.filter.call(document.querySelectorAll('main *'), function (el) {
    var style = getComputedStyle(el);
    return (style.overflowX === 'auto' || style.overflowX === 'scroll') && el.scrollWidth > el.clientWidth + 1;
  }).map(function (el) { return el.tagName + '#' + (el.id || el.className); });
  var wide = Array.prototype.filter.call(document.querySelectorAll('main table'), function (el) {
    return el.getBoundingClientRect().right > document.documentElement.clientWidth + 1;
  }).length;
  var scales = Array.prototype.map.call(document.querySelectorAll('img[data-plot]'), function (el) {
    return {plot: el.getAttribute('data-plot'), scale: el.getBoundingClientRect().width / (el.naturalWidth || 1)};
  });
  document.title = 'PROBE' + JSON.stringify({plots: plots, errors: window.__errors, inner: inner, wide: wide,
    page_width: document.documentElement.scrollWidth, window_width: window.innerWidth, scales: scales,
    height: document.documentElement.scrollHeight});
});
</script>"""


def _chromium_or_skip() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium); CI must render the report")
    pytest.skip(f"{CHROMIUM} not installed")


def _render(page: str, tmp_path: Path, screenshot: Path | None = None) -> tuple[dict, str]:
    chromium = _chromium_or_skip()
    probed = page.replace("<head>", "<head>" + PROBE, 1)
    file = tmp_path / "report.html"
    file.write_text(probed, encoding="utf-8")
    profile = tmp_path / "profile"
    cmd = [str(chromium), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-extensions", "--enable-logging=stderr", "--v=0", f"--user-data-dir={profile}",
           "--window-size=1400,2000", "--virtual-time-budget=5000", "--dump-dom", file.as_uri()]
    if screenshot is not None:  # a picture of the first screens, kept with the test's files to look at
        subprocess.run([*cmd[:-2], f"--screenshot={screenshot}", file.as_uri()], capture_output=True, timeout=60)
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    match = re.search(r"<title>PROBE(.*?)</title>", done.stdout, flags=re.S)
    assert match, f"no probe result; chromium said: {done.stderr[-2000:]}"
    return json.loads(html_lib.unescape(match.group(1))), done.stderr


@pytest.mark.parametrize("which", ["run", "comparison"])
def test_page_renders_in_chromium_without_errors(which, run_page, comparison_page, tmp_path):
    page = run_page if which == "run" else comparison_page
    probe, log = _render(page, tmp_path)
    console = [line for line in log.splitlines() if "CONSOLE" in line]
    assert not console, console
    assert probe["errors"] == []
    shown = {p["plot"]: p for p in probe["plots"] if p["plot"]}
    assert set(shown) == (RUN_PLOTS if which == "run" else COMPARISON_PLOTS)
    for name, p in shown.items():
        assert p["complete"] and p["nw"] > 0 and p["nh"] > 0, (name, p)
        assert p["w"] > 300 and p["h"] > 50, (name, p)  # laid out at a readable size
    # at 1,400 px: no box scrolls sideways, no table runs off the page, the page is no wider than the window
    assert probe["inner"] == [] and probe["wide"] == 0, probe
    assert probe["page_width"] <= probe["window_width"], probe


def test_report_reads_at_1400_px_with_readable_plots_and_a_short_page(run_page, tmp_path):
    """The run's report at 1,400 px, its sections closed but the answer, key figures, warnings and output: no
    inner scroll box, no table past the page's edge, plots readable and the page short. A plot's smallest text
    is 8 pt, written as 8 units of its SVG: drawn at a scale s of its natural width it shows at 8 s CSS px, so
    s >= 0.9 keeps it at 7.2 px or more (and 9-pt labels at 8.1 px), as readable as the plot was made. The
    page was over 16,000 px (19,455 for the ramp-up) with every section open."""
    probe, _ = _render(run_page, tmp_path, screenshot=tmp_path / "report-1400.png")
    assert (tmp_path / "report-1400.png").stat().st_size > 10_000
    assert probe["inner"] == [] and probe["wide"] == 0 and probe["page_width"] <= 1400, probe
    shown = {p["plot"]: p["scale"] for p in probe["scales"]}
    assert set(shown) == RUN_PLOTS
    assert all(scale >= 0.9 for scale in shown.values()), shown
    assert probe["height"] < 4_000, probe["height"]


def test_almaty_flow_opened_at_1400_px_is_shown_whole(tmp_path):
    """The flow of a plant of Almaty's size (three shops, about 150 stations, feeders and loops), its section
    opened as a planner would: shown at >= 0.9 of its natural width, so its 8-pt type stays readable. Side by
    side, the shops made it 2,726 px wide and it showed at 0.48."""
    from test_flow_graph import almaty_short_run  # the same short run of the shipped scenario

    page = run_report_html(almaty_short_run())
    opened = page.replace('<section id="flow"><details>', '<section id="flow"><details open>', 1)
    assert opened != page
    probe, _ = _render(opened, tmp_path)
    shown = {p["plot"]: p["scale"] for p in probe["scales"]}
    assert shown["flow"] >= 0.9, shown
    assert probe["inner"] == [] and probe["page_width"] <= 1400, probe


def _page_in_a_worker(run) -> str:
    return run_report_html(run)


def test_figures_drawn_together_give_the_page_drawn_one_at_a_time(small_run, run_page, monkeypatch):
    """The page's figures are drawn in forked processes on a machine with more cores (figures.drawn_together):
    the same bytes as drawn one at a time in this process, or inside a pool's worker (which may not fork)."""
    from concurrent.futures import ProcessPoolExecutor

    from sim.report import figures
    with ProcessPoolExecutor(1) as pool:
        in_worker = pool.submit(_page_in_a_worker, small_run).result()
    monkeypatch.setattr(figures.os, "cpu_count", lambda: 1)
    one_at_a_time = run_report_html(small_run)
    assert run_page == one_at_a_time == in_worker
    assert "\ufdd0" not in run_page and figures._pending is None  # every mark replaced, nothing left pending
