"""The pieces every HTML page of the reports is made of: escaping, numbers, the style sheet, tables, figures,
cards and the page itself.

A page needs nothing but itself: CSS inline, plots as SVG images in data URIs,
no script, no font or file fetched. It opens in any browser and can be mailed.
Every text taken from a scenario or a results folder is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from . import figures
from .cells import COUNT, DECIMAL1, DECIMAL2, PERCENT, Rows, cell, explained


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def num(x, digits: int = 0) -> str:
    """A number written as every report writes it (rows.cell)."""
    return esc(cell(x, {0: COUNT, 1: DECIMAL1}.get(digits, DECIMAL2)))


def pct(x) -> str:
    return cell(x, PERCENT)


CSS = """
:root { --ink:#1d2b3a; --muted:#5b6672; --line:#d7dde3; --bg:#f4f6f8; --ok:#1e7b34; --bad:#b00020; --accent:#1f4e79; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", Arial, sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: var(--ink); color: #fff; padding: 18px 28px 14px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header .facts { color: #cfd8e2; font-size: 13px; }
header .description { color: #e8eef4; max-width: 1100px; font-size: 13px; margin: 8px 0 0; }
nav { position: sticky; top: 0; z-index: 10; background: #fff; border-bottom: 1px solid var(--line);
      padding: 6px 28px; font-size: 13px; }
nav a { color: var(--accent); text-decoration: none; margin-right: 16px; }
main { max-width: 1440px; margin: 0 auto; padding: 8px 20px 40px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 18px 0; padding: 14px 20px; }
h2 { font-size: 19px; margin: 4px 0 10px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
p.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; background: #fbfcfd; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .03em; }
.card .value { font-size: 22px; font-weight: 700; margin: 2px 0; }
.card .sub { color: var(--muted); font-size: 12.5px; }
.card .value.small { font-size: 18px; }
.ok { color: var(--ok); } .bad { color: var(--bad); }
.delta { color: var(--muted); font-size: 11.5px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color: #fff; }
.badge.ok { background: var(--ok); color: #fff; } .badge.bad { background: var(--bad); color: #fff; }
.warnings { border-left: 5px solid var(--bad); background: #fff4f4; }
.warnings li { margin: 4px 0; }
figure { margin: 12px 0; }
figure img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
/* no inner scroll box: a wide table wraps its text (a long name breaks where it must); figures stay whole */
th, td { padding: 4px 8px; border-bottom: 1px solid #e8ecf0; text-align: left; overflow-wrap: anywhere; }
th { background: #eef2f6; font-weight: 600; vertical-align: bottom; }
td.n { white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.answer { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; font-size: 15px; }
.answer dt { font-weight: 700; } .answer dd { margin: 0; }
section.answer { border-left: 5px solid var(--accent); }
section > details > summary { list-style-position: outside; margin-left: 18px; }
section > details > summary h2 { display: inline; }
tr.total td { font-weight: 700; border-top: 2px solid #b8c2cc; }
tr.hot td { background: #fdecec; }
tr.reached td { background: #e8f4ea; }
table.kpi td:first-child, table.kpi th:first-child { position: sticky; left: 0; background: #fff; }
table.kpi th:first-child { background: #eef2f6; }
table.kpi tr.group td { background: #f4f6f8; font-weight: 700; }
.twocol { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 900px) { .twocol { grid-template-columns: 1fr; } }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 4px;
          vertical-align: -1px; }
details summary { cursor: pointer; color: var(--accent); margin: 6px 0; }
footer { color: var(--muted); font-size: 12px; text-align: center; padding: 12px; }
@media print { nav { display: none; } section { break-inside: avoid-page; } details { display: block; } }
"""


def table(columns: Sequence[str], rows: Sequence[Sequence], numeric: Sequence[bool] | None = None,
          row_classes: Sequence[str] | None = None, cls: str = "") -> str:
    """An HTML table; cells are already-escaped HTML strings."""
    numeric = numeric or [False] * len(columns)
    head = "".join(f'<th class="n">{esc(c)}</th>' if n else f"<th>{esc(c)}</th>" for c, n in zip(columns, numeric))
    body = []
    for k, row in enumerate(rows):
        klass = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        cells = "".join(f'<td class="n">{c}</td>' if n else f"<td>{c}</td>" for c, n in zip(row, numeric))
        body.append(f"<tr{klass}>{cells}</tr>")
    out = (f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'
           if cls else f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return out


def figure(plot: "Plot", plot_id: str, alt: str, caption: str = "") -> str:
    src, error = figures.image_source(plot, lambda message: error_caption(plot_id, message))
    cap = (f"<figcaption>{esc(caption)}</figcaption>" if caption else "") + error
    return (f'<figure class="plot" id="plot-{esc(plot_id)}"><img src="{src}" alt="{esc(alt)}" '
            f'data-plot="{esc(plot_id)}">{cap}</figure>')


def error_caption(plot_id: str, error: str | None) -> str:
    """The note under a plot that could not be drawn ("" for one drawn)."""
    if not error:
        return ""
    return f'<figcaption class="bad" data-error="{esc(plot_id)}">This plot could not be drawn: {esc(error)}' \
        "</figcaption>"


class Plot:
    """A plot of the page, made when it is drawn (``figures.drawn_together`` makes and draws a page's plots
    together, in forked processes where it can): ``make(run_or_runs)``, or a placeholder saying it could not be
    drawn (a report never fails on one plot)."""

    def __init__(self, make: Callable, run_or_runs, title: str):
        self.make, self.data, self.title = make, run_or_runs, title

    def made(self):
        """The figure, and the error that kept it from being drawn (None: drawn)."""
        try:
            return self.make(self.data), None
        except Exception as exc:  # noqa: BLE001 - the rest of the report is still worth having
            return figures.placeholder(self.title, "could not draw this plot (see the note below)"), \
                f"{type(exc).__name__}: {exc}"[:200]


safe_plot = Plot
"""``safe_plot(make, run_or_runs, title)``: the name the report's sections make their plots by."""


def card(label: str, value: str, sub: str = "", cls: str = "") -> str:
    klass = f" {cls}" if cls else ""
    return (f'<div class="card"><div class="label">{esc(label)}</div><div class="value{klass}">{value}</div>'
            f'<div class="sub">{sub}</div></div>')


def page(title: str, header: str, nav: Sequence[tuple[str, str]], sections: Sequence[str]) -> str:
    links = "".join(f'<a href="#{esc(anchor)}">{esc(label)}</a>' for anchor, label in nav)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{esc(title)}</title><style>{CSS}</style></head><body>"
            f"<header>{header}</header><nav>{links}</nav><main>{''.join(sections)}</main>"
            "<footer>Generated by sim (plant-capacity simulator). The page is self-contained: plots are embedded, "
            "nothing is fetched.</footer></body></html>\n")


def rows_table(make: Callable[[], Rows], heading: str | None = None) -> str:
    """The HTML table of a report table's rows (the console renders the same rows); a table that
    cannot be built (a folder written by another version) leaves a note, the page still renders."""
    try:
        rows = make()
    except (KeyError, TypeError, ValueError) as exc:
        return f'<p class="note bad">This table could not be built: {esc(type(exc).__name__)}: {esc(exc)}</p>'
    cells = [[esc(cell(v, c.kind)) for v, c in zip(values, rows.columns)] for values in rows.rows]
    title = f"<h3>{esc(heading)}</h3>" if heading else ""
    caption = explained(rows.caption, cells)
    note = f'<p class="note">{esc(caption)}</p>' if caption else ""
    return title + table([c.label for c in rows.columns], cells, [c.numeric for c in rows.columns],
                         rows.marks) + note
