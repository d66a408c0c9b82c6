"""Rendering a comparison: terminal table, markdown, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from rich.table import Table


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


def _pretty(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _diff_text(d: dict, pretty=_pretty) -> str:
    if d["diff"] is None:
        return ""
    text = f"{'+' if d['diff'] > 0 else ''}{pretty(d['diff'])}"
    if d["ci95_low"] is not None and d["method"] != "exact":
        text += f" [{pretty(d['ci95_low'])}, {pretty(d['ci95_high'])}]"
    if d["significant"]:
        text += " *"
    elif d["significant"] is None and d["method"].startswith("cannot"):
        text += " (n/a)"
    return text


def print_comparison(result: dict, console: Console) -> None:
    names = result["runs"]
    table = Table(title="Comparison (difference to the first run, 95% interval; * significant)", title_justify="left")
    table.add_column("KPI")
    table.add_column(names[0], justify="right")
    for name in names[1:]:
        table.add_column(name, justify="right")
        table.add_column(f"Δ {name}", justify="right")
    for row in result["kpis"]:
        cells = [_pretty(row["values"][0])]
        for value, d in zip(row["values"][1:], row["differences"]):
            cells += [_pretty(value), _diff_text(d)]
        table.add_row(row["kpi"], *cells)
    console.print(table)
    methods = sorted({d["method"] for row in result["kpis"] for d in row["differences"]
                      if d["method"] not in ("not compared", "exact")})
    if methods:
        console.print("Intervals: " + "; ".join(methods))
    for name, changes in zip(names[1:], result["changes"]):
        console.print(f"[bold]What changed[/bold] from {names[0]} to {name}: "
                      + ("nothing in the scenario" if not changes else f"{len(changes)} value(s)"))
        for change in changes[:40]:
            console.print(f"  {change['path']}: {change['from']!r} → {change['to']!r}", markup=False)
        if len(changes) > 40:
            console.print(f"  … and {len(changes) - 40} more")


def to_markdown(result: dict) -> str:
    names = result["runs"]
    header = ["KPI", names[0]] + [c for n in names[1:] for c in (n, f"Δ {n}")]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in result["kpis"]:
        cells = [row["kpi"], _plain(row["values"][0])]
        for value, d in zip(row["values"][1:], row["differences"]):
            cells += [_plain(value), _diff_text(d, _plain)]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for name, changes in zip(names[1:], result["changes"]):
        lines.append(f"What changed from {names[0]} to {name}:")
        lines += [f"- `{c['path']}`: `{c['from']!r}` → `{c['to']!r}`" for c in changes] or ["- nothing"]
    return "\n".join(lines) + "\n"


def to_csv(result: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["kpi", "run", "value", "diff", "ci95_low", "ci95_high", "significant", "method"])
    names = result["runs"]
    for row in result["kpis"]:
        writer.writerow([row["kpi"], names[0], _plain(row["values"][0]), "", "", "", "", "base"])
        for name, value, d in zip(names[1:], row["values"][1:], row["differences"]):
            writer.writerow([row["kpi"], name, _plain(value), _plain(d["diff"]), _plain(d["ci95_low"]),
                             _plain(d["ci95_high"]), _plain(d["significant"]), d["method"]])
    return out.getvalue()


def to_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"


FORMATS = {"markdown": to_markdown, "csv": to_csv, "json": to_json}
