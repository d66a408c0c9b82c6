"""How every report writes a value, and a table as the renderers get it.

A table is a title, columns that say what kind of value they hold, and rows of
raw values. ``cell`` turns a value into text the same way for every renderer,
so the console and the page say the same thing in the same words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from ..analysis.kinds import COUNT, DECIMAL1, DECIMAL2, HOURS, INTERVAL, PERCENT, TEXT

__all__ = ["COUNT", "DECIMAL1", "DECIMAL2", "HOURS", "INTERVAL", "PERCENT", "TEXT", "Column", "Rows", "cell",
           "EMPTY", "EMPTY_NOTE", "ci_text", "explained", "hours_text", "interval_text", "missing",
           "share_interval_text"]


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = TEXT
    """How the values are written: text, count, decimal1, decimal2, percent, interval, hours (h:mm)."""
    short: str | None = None
    """A shorter heading for a narrow terminal."""

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass
class Rows:
    """A table's content: columns, rows of raw values, and a mark per row (total, hot, reached, group or '')."""
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    caption: str = ""

    def add(self, values: list, mark: str = "") -> None:
        self.rows.append(values)
        self.marks.append(mark)


EMPTY = "–"
"""What a cell shows for a missing value."""

EMPTY_NOTE = (f"{EMPTY}: no figure in this cell: it does not apply to the row (a model has no target of its own, a "
              "heading row sums the rows under it) or the run did not measure it.")


def explained(caption: str, cells: list[list[str]]) -> str:
    """The table's caption, with what an empty cell means when a cell is empty (``EMPTY_NOTE``), so that every
    renderer says why; a caption that already says what its empty cells mean ('–: ...') keeps its own words."""
    if not any(EMPTY in row for row in cells) or f"{EMPTY}:" in caption:
        return caption
    return f"{caption} {EMPTY_NOTE}".strip()


def missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or x is pd.NA


def cell(value, kind: str) -> str:
    """A value as text, the same in every renderer."""
    if kind == INTERVAL:
        return value if isinstance(value, str) else interval_text(value)  # a word: 'exact', a figure drawn by hand
    if missing(value):
        return EMPTY
    if kind == TEXT or isinstance(value, str):
        return str(value)
    if kind == PERCENT:
        return f"{100 * float(value):.1f}%"
    if kind == HOURS:
        return hours_text(float(value))
    digits = {COUNT: 0, DECIMAL1: 1, DECIMAL2: 2}[kind]
    return f"{float(value):,.{digits}f}"


def hours_text(hours: float) -> str:
    """Hours as h:mm (36.8 -> '36:48'); a duration reads as time, not as a decimal."""
    sign = "-" if hours < 0 else ""
    minutes = round(abs(hours) * 60)
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


def interval_text(ci, digits: int = 0) -> str:
    """'95,173 – 96,087' from a {ci95_low, ci95_high} mapping, or why there is none."""
    if not ci or ci.get("ci95_low") is None:
        return "n/a (1 run)"
    return f"{ci['ci95_low']:,.{digits}f} – {ci['ci95_high']:,.{digits}f}"


def share_interval_text(ci: dict) -> str:
    """'52.1 – 54.0%' from a {ci95_low, ci95_high} mapping of shares, or why there is none."""
    if not ci or ci.get("ci95_low") is None:
        return "n/a (1 run)"
    return f"{100 * ci['ci95_low']:.1f} – {100 * ci['ci95_high']:.1f}%"


def ci_text(ci: dict, kind: str) -> str:
    if ci.get("ci95_low") is None:
        return "n/a (1 run)"
    return f"{cell(max(0.0, ci['ci95_low']), kind)} – {cell(ci['ci95_high'], kind)}"
