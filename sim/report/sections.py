"""The sections of a run's HTML report: the page and its navigation are both built from one ordered list.

The core sections (``html.CORE``) stand in their order; each registered component (``sim.registry``) adds
the sections its report part lists (``SECTIONS``), each after the section it names, or at the end of one (a
table added to a core section). A component whose part lists no sections, or that has no report part, but
that has a section in summary.json (under its name) gets a generic one: its figures, key by key. So a new
component appears in report.html by registration alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..results import RunResult
from .page import esc, rows_table
from .parts import report_parts
from .cells import Rows
from .rows import figure_rows


@dataclass(frozen=True)
class Section:
    """One section of the page."""

    anchor: str
    """Its id on the page, which its link in the navigation points to."""
    label: str | None
    """Its link in the navigation; None for a section ``within`` another (no link of its own)."""
    title: str
    """Its heading."""
    present: Callable[[RunResult], bool]
    """Whether the run has anything to show here; a section that has not is left out, with its link."""
    render: Callable[[RunResult], str]
    """Its content (HTML), under its heading."""
    after: str | None = None
    """A component's section: the anchor of the section it follows (after those placed there before it, in
    registration order); None: at the end of the page."""
    within: str | None = None
    """A component's section that is a part of another: the anchor of the section at whose end it stands, under
    a heading of the next level, with no link of its own."""
    css: str = ""
    """A class of the section element."""
    open: bool = False
    """Shown open; the others are closed under their heading (a planner opens what they need: the page reads
    top to bottom, the answer first)."""


def component_parts() -> list[tuple[str, object]]:
    """(name, report part) of every registered component, in registration order: its own part when that lists
    ``SECTIONS``, else a ``GenericPart``."""
    return [(name, part if hasattr(part, "SECTIONS") else GenericPart(name)) for name, part in report_parts()]


def component_sections() -> list[Section]:
    """The sections the registered components add, in registration order."""
    return [section for _, part in component_parts() for section in part.SECTIONS]


class GenericPart:
    """The report part of a component with no report code: its section of summary.json as a table of figures,
    in a section at the end of the page and at the end of the console's tables (when the run has it)."""

    def __init__(self, name: str):
        self.name = name
        words = name.replace("_", " ")
        self.title = words[:1].upper() + words[1:]  # 'kit_supply' -> 'Kit supply'
        self.SECTIONS = [Section(name, self.title, self.title, lambda run: bool(run.summary.get(name)),
                                 lambda run: rows_table(lambda: self.rows(run.summary)))]

    def rows(self, s: dict) -> Rows:
        return figure_rows(self.title, s[self.name])

    def console(self, s: dict) -> list[Rows]:
        return [self.rows(s)] if s.get(self.name) else []


def arranged(core: Sequence[Section], added: Sequence[Section]) -> list[tuple[Section, list[Section]]]:
    """The page's sections in order, each with the sections within it.

    A section placed after another follows it, and those placed after it follow in turn; a section placed
    after (or within) one that is not on the page, or nowhere, comes at the end."""
    anchors = {section.anchor for section in [*core, *added]}
    following: dict[str | None, list[Section]] = {}
    inside: dict[str, list[Section]] = {}
    for section in added:
        if section.within in anchors:
            inside.setdefault(section.within, []).append(section)
        else:
            following.setdefault(section.after if section.after in anchors else None, []).append(section)
    out: list[tuple[Section, list[Section]]] = []

    def place(section: Section) -> None:
        out.append((section, inside.get(section.anchor, [])))
        for later in following.get(section.anchor, []):
            place(later)

    for section in [*core, *following.get(None, [])]:
        place(section)
    return out


def rendered(run: RunResult, sections: Sequence[tuple[Section, list[Section]]]) -> tuple[list[tuple[str, str]],
                                                                                           list[str]]:
    """The navigation's links (anchor, label) and the sections' HTML of the run, in page order."""
    nav, parts = [], []
    for section, within in sections:
        if not section.present(run):
            continue
        body = section.render(run) + "".join(f"<h3>{esc(part.title)}</h3>{part.render(run)}" for part in within
                                             if part.present(run))
        klass = f' class="{esc(section.css)}"' if section.css else ""
        heading = f"<h2>{esc(section.title)}</h2>"
        content = f"{heading}{body}" if section.open else \
            f'<details><summary>{heading}</summary>{body}</details>'
        parts.append(f'<section{klass} id="{esc(section.anchor)}">{content}</section>')
        if section.label:
            nav.append((section.anchor, section.label))
    return nav, parts
