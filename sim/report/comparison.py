"""A comparison's rows, and their rendering: terminal table, markdown, CSV, JSON.

The terminal and the HTML page show the rows of ``comparison_rows`` (formatted
like every other report); markdown, CSV and JSON keep plain numbers that parse
back exactly.
"""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console

from ..scenario.paths import describe
from .cells import COUNT, DECIMAL1, DECIMAL2, EMPTY, HOURS, PERCENT, TEXT, Column, Rows, cell, hours_text
from .console import render


UNITS = {HOURS: ("h:mm", "hours")}
"""The unit a KPI's label gets by its kind: as the terminal and HTML write it (a duration as h:mm), and as
markdown and CSV write it (plain numbers that parse back: a duration in decimal hours)."""


def kpi_label(row: dict, plain: bool = False) -> str:
    """'lead time mean (h:mm)' in a table, 'lead time mean (hours)' in markdown and CSV."""
    unit = UNITS.get(row.get("kind"))
    return row["kpi"] if unit is None else f"{row['kpi']} ({unit[plain]})"


NOT_COMPARED = EMPTY
NOT_COMPARED_NOTE = (f"{EMPTY}: no difference drawn: the KPI is a name (the bottleneck), one of the runs has no figure "
                     "for it, or it is kept without per-replication values, so no paired interval can be drawn.")


def difference_text(d: dict, kind: str) -> str:
    """'+1,234 [+1,000, +1,400] *' — a difference with its interval; * when the interval excludes zero."""
    if d["diff"] is None:
        return NOT_COMPARED
    as_points = kind == PERCENT

    def signed(x: float) -> str:
        text = f"{100 * x:+.1f} pts" if as_points else (
            ("+" if x >= 0 else "-") + hours_text(abs(x)) if kind == HOURS else
            f"{x:+,.{ {COUNT: 0, DECIMAL1: 1, DECIMAL2: 2}.get(kind, 2) }f}")
        return text

    text = signed(d["diff"])
    if d["ci95_low"] is not None and d["method"] != "exact":
        text += f" [{signed(d['ci95_low'])}, {signed(d['ci95_high'])}]"
    if d["significant"]:
        text += " *"
    return text


def comparison_rows(result: dict) -> Rows:
    """A row per KPI: each run's value and its difference to the first run with the 95% interval."""
    names = result["runs"]
    columns = [Column("KPI"), Column(names[0], TEXT)]
    for name in names[1:]:
        columns += [Column(name, TEXT), Column(f"Δ {name}", TEXT)]
    rows = Rows("Comparison (difference to the first run, 95% interval; * significant)", columns)
    for row in result["kpis"]:
        kind = row.get("kind", DECIMAL2)
        values = [kpi_label(row), cell(row["values"][0], kind)]
        for value, d in zip(row["values"][1:], row["differences"]):
            values += [cell(value, kind), difference_text(d, kind)]
        rows.add(values)
    methods = sorted({d["method"] for row in result["kpis"] for d in row["differences"]
                      if d["method"] not in ("not compared", "exact")})
    rows.caption = "Intervals: " + "; ".join(methods) if methods else ""
    if any(NOT_COMPARED in values[3::2] for values in rows.rows):
        rows.caption += (". " if rows.caption else "") + NOT_COMPARED_NOTE
    return rows


def change_lines(result: dict) -> list[tuple[str, list[str]]]:
    """Per compared run: (heading, lines of what changed in its scenario against the first run)."""
    names = result["runs"]
    out = []
    for name, changes in zip(names[1:], result["changes"]):
        heading = f"What changed from {names[0]} to {name}: " + (
            "nothing in the scenario" if not changes else f"{len(changes)} value(s)")
        out.append((heading, [f"{c['path']}: {describe(c['path'], c['from'])} → {describe(c['path'], c['to'])}"
                              for c in changes]))
    return out



def _plain(value) -> str:
    """A number as text that parses back exactly as written (no thousands separators)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else f"{value:.1f}"
    return str(value)


def _plain_difference(d: dict) -> str:
    if d["diff"] is None:
        return ""
    text = f"{'+' if d['diff'] > 0 else ''}{_plain(d['diff'])}"
    if d["ci95_low"] is not None and d["method"] != "exact":
        text += f" [{_plain(d['ci95_low'])}, {_plain(d['ci95_high'])}]"
    return text + (" *" if d["significant"] else "")


def print_comparison(result: dict, console: Console) -> None:
    console.print(render(comparison_rows(result), console))
    for heading, lines in change_lines(result):
        console.print(heading, markup=False)
        for line in lines[:40]:
            console.print(f"  {line}", markup=False, highlight=False)
        if len(lines) > 40:
            console.print(f"  … and {len(lines) - 40} more")


def to_markdown(result: dict) -> str:
    names = result["runs"]
    header = ["KPI", names[0]] + [c for n in names[1:] for c in (n, f"Δ {n}")]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in result["kpis"]:
        cells = [kpi_label(row, plain=True), _plain(row["values"][0])]
        for value, d in zip(row["values"][1:], row["differences"]):
            cells += [_plain(value), _plain_difference(d)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for heading, changes in change_lines(result):
        lines.append(heading)
        lines += [f"- {c}" for c in changes]
    return "\n".join(lines) + "\n"


def to_csv(result: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", "run", "value", "diff", "ci95_low", "ci95_high", "significant", "method"])
    names = result["runs"]
    for row in result["kpis"]:
        writer.writerow([kpi_label(row, plain=True), names[0], _plain(row["values"][0]), "", "", "", "", "base"])
        for name, value, d in zip(names[1:], row["values"][1:], row["differences"]):
            writer.writerow([kpi_label(row, plain=True), name, _plain(value), _plain(d["diff"]), _plain(d["ci95_low"]),
                             _plain(d["ci95_high"]), _plain(d["significant"]), d["method"]])
    return out.getvalue()


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"


FORMATS = {"markdown": to_markdown, "csv": to_csv, "json": to_json}
