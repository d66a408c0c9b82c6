"""The report's sections: one list builds the page and its navigation; components add theirs by registration."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console

import sim
from sim import registry
from sim.registry import Registration
from sim.report.console import print_report
from sim.report.html import CORE, run_report_html
from sim.report.sections import Section, arranged

SMALL = Path(__file__).parents[1] / "small.yaml"
TOY = {"queue": {"mean": 12.345, "longest": 20}, "cars_held": 1234, "balanced": True, "lines": ["a", "b"],
       "note": "<held>"}


@pytest.fixture(scope="module")
def small_run():
    return sim.run(SMALL, replications=1)


@pytest.fixture
def toy_registered():
    registry.register(Registration("toy", None, None, None))
    try:
        yield
    finally:
        registry.unregister("toy")


def _section(page: str, anchor: str) -> str:
    found = re.search(rf'<section[^>]* id="{anchor}">(.*?)</section>', page, re.DOTALL)
    return found.group(1) if found else ""


def _nav(page: str) -> list[str]:
    return re.findall(r'<a href="#([^"]+)">', re.search(r"<nav>(.*?)</nav>", page, re.DOTALL).group(1))


def test_a_component_without_report_code_gets_a_generic_section(small_run, toy_registered):
    run = replace(small_run, summary={**small_run.summary, "toy": TOY})
    page = run_report_html(run)
    toy = _section(page, "toy")
    assert toy.startswith("<details><summary><h2>Toy</h2></summary>")  # a detail section: closed, opened by a click
    assert '<a href="#toy">Toy</a>' in page
    assert _nav(page)[-1] == "toy"  # placed nowhere: at the end of the page, after the core sections
    for figure, value in (("queue.mean", "12.35"), ("queue.longest", "20"), ("cars_held", "1,234"),
                          ("balanced", "yes"), ("lines", "a, b"), ("note", "&lt;held&gt;")):
        assert f"<td>{figure}</td><td>{value}</td>" in toy
    text = io.StringIO()
    print_report(run, Console(file=text, width=130))
    assert "queue.mean" in text.getvalue() and "1,234" in text.getvalue()


def test_a_registered_component_without_figures_shows_nothing(small_run, toy_registered):
    assert "toy" not in small_run.summary
    page = run_report_html(small_run)
    assert 'id="toy"' not in page and "#toy" not in page


def test_a_part_listing_no_sections_gets_no_generic_one(small_run):
    """Overtime's figures are columns of the month table: its own summary section is not shown again."""
    run = replace(small_run, summary={**small_run.summary, "overtime": {"limits": "2 Saturdays a month"}})
    assert 'id="overtime"' not in run_report_html(run)


def test_the_navigation_links_the_sections_shown(small_run):
    page = run_report_html(small_run)
    sections = re.findall(r'<section[^>]* id="([^"]+)">', page)
    assert _nav(page) == sections
    assert "months" not in sections and "supply" not in sections  # the run has none of their figures


def _shown(anchor: str, after: str | None = None, within: str | None = None) -> Section:
    return Section(anchor, anchor, anchor, lambda run: True, lambda run: anchor, after=after, within=within)


def test_sections_are_arranged_after_or_within_the_one_they_name():
    core = [_shown("a"), _shown("b"), _shown("c")]
    added = [_shown("x", after="a"), _shown("in_b", within="b"), _shown("y", after="a"), _shown("z", after="x"),
             _shown("lost", after="nowhere"), _shown("end")]
    order = [(section.anchor, [s.anchor for s in within]) for section, within in arranged(core, added)]
    assert order == [("a", []), ("x", []), ("z", []), ("y", []), ("b", ["in_b"]), ("c", []), ("lost", []),
                     ("end", [])]


def test_the_core_sections_name_no_component():
    components = {r.name for r in registry.REGISTERED}
    assert not components & {section.anchor for section in CORE}
