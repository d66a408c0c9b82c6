"""Self-contained HTML reports: one run, or several runs side by side.

The page needs nothing but itself: CSS inline, plots as SVG images in data
URIs, no script, no font or file fetched. It opens in any browser and can be
mailed. Every text taken from a scenario or a results folder is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import pandas as pd

from ..results import RunResult
from . import compare_plots, figures, plots
from . import rows as R
from .comparison import change_lines, comparison_rows
from .flow import plant_flow_plot
from .states import state_colour, state_columns, state_label

# ---------------------------------------------------------------- formatting


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def num(x, digits: int = 0) -> str:
    """A number written as every report writes it (rows.cell)."""
    return esc(R.cell(x, {0: R.COUNT, 1: R.DECIMAL1}.get(digits, R.DECIMAL2)))


def pct(x) -> str:
    return R.cell(x, R.PERCENT)


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
#plot-flow { overflow-x: auto; }
#plot-flow img { max-width: none; width: max(100%, 1400px); }
figcaption { color: var(--muted); font-size: 12.5px; margin-top: 4px; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; font-size: 12.5px; width: 100%; }
.scroll table { border: 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e8ecf0; text-align: left; white-space: nowrap; }
th { background: #eef2f6; position: sticky; top: 0; z-index: 1; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
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
@media print { nav { display: none; } section { break-inside: avoid-page; } .scroll { max-height: none; } }
"""


def table(columns: Sequence[str], rows: Sequence[Sequence], numeric: Sequence[bool] | None = None,
          row_classes: Sequence[str] | None = None, scroll: bool = False, cls: str = "") -> str:
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
    return f'<div class="scroll">{out}</div>' if scroll else out


def figure(fig, plot_id: str, alt: str, caption: str = "") -> str:
    src = figures.svg_data_uri(fig)
    error = getattr(fig, "report_error", None)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    if error:
        cap += f'<figcaption class="bad" data-error="{esc(plot_id)}">This plot could not be drawn: {esc(error)}' \
               "</figcaption>"
    return (f'<figure class="plot" id="plot-{esc(plot_id)}"><img src="{src}" alt="{esc(alt)}" '
            f'data-plot="{esc(plot_id)}">{cap}</figure>')


def _safe_plot(make: Callable, run_or_runs, title: str):
    """A plot, or a placeholder saying it could not be drawn (a report never fails on one plot)."""
    try:
        return make(run_or_runs)
    except Exception as exc:  # noqa: BLE001 - the rest of the report is still worth having
        message = f"{type(exc).__name__}: {exc}"[:200]
        fig = figures.placeholder(title, "could not draw this plot (see the note below)")
        fig.report_error = message
        return fig


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


# ---------------------------------------------------------------- one run: parts


def _header(run: RunResult) -> str:
    s = run.summary
    facts = [f"{num(s.get('replications'))} replication{'s' if s.get('replications') != 1 else ''}",
             f"seed {esc(s.get('seed'))}",
             f"{num(s.get('simulated_days'), 0)} days measured after {num(s.get('warmup_days'), 0)} days warm-up",
             f"{num(s.get('working_days_in_window'))} working days in the window, "
             f"{num(s.get('working_days_per_year'))} per year"]
    if run.scenario is not None and run.scenario.calendar.dated:
        facts.append(f"calendar from {esc(run.scenario.calendar.start_date.isoformat())}")
    if s.get("package_version"):
        facts.append(f"sim {esc(s['package_version'])}")
    if run.path is not None:
        facts.append(f"results folder {esc(run.path)}")
    desc = s.get("description")
    return (f"<h1>Plant capacity report: {esc(run.name)}</h1><div class=\"facts\">{' · '.join(facts)}</div>" +
            (f'<p class="description">{esc(desc)}</p>' if desc else ""))


def _kpi_cards(s: dict) -> str:
    t = s.get("throughput") or {}
    annual = t.get("annual_units") or {}
    target = s.get("target") or {}
    b = s.get("bottleneck") or {}
    staff = s.get("staffing") or {}
    lead = s.get("lead_time_hours") or {}
    met = target.get("met")
    badge = ("" if met is None else
             f'<span class="badge {"ok" if met else "bad"}">{"target met" if met else "target NOT met"}</span>')
    conf = ""
    if target.get("met_with_95_confidence") is not None and annual.get("ci95_low") is not None:
        conf = " (with 95% confidence)" if target["met_with_95_confidence"] else " (not with 95% confidence)"
    cards = [
        card("Annual output", num(annual.get("mean")), f"cars/yr; 95% CI {R.interval_text(annual)}"),
        card("Target", num(target.get("annual_units")),
             f"{pct(target.get('attainment'))} attained {badge}{esc(conf)}",
             "ok" if met else ("bad" if met is not None else "")),
        card("Bottleneck", (f"{esc(b.get('shop'))}: {esc(b['line'])} line" if b.get("line") else
                            f"{esc(b.get('shop'))}: {esc(b.get('station'))}") if b else "–",
             (f"paced line, slowest station {esc(b.get('station'))}; " if b.get("line") else "") +
             f"active {pct(b.get('active_share'))} of shift time; top in {pct(b.get('share_of_replications'))} "
             "of replications", "small"),
        card("JPH (cars per shift hour)", " / ".join(num(v, 1) for v in (s.get("jph") or {}).values()) or "–",
             esc(" / ".join((s.get("jph") or {}).keys()))),
        card("Lead time", f"{num(lead.get('mean'), 1)} h",
             f"launch to end of line, p95 {num(lead.get('p95'), 1)} h; mean WIP {num(s.get('wip_mean'))} cars"),
        card("Loss against static capacity", pct(s.get("dynamic_loss")),
             "what blocking, starving and variability cost against the slowest shop's hand calculation"),
        card("Headcount", num(staff.get("headcount_total")),
             f"{num(staff.get('direct'))} direct, {num(staff.get('indirect'))} indirect"),
        card("Hours per vehicle", num(staff.get("hours_per_vehicle"), 1),
             f"paid hours; {num(staff.get('vehicles_per_employee_year'), 1)} vehicles per employee and year"),
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _warnings(s: dict) -> str:
    items = list(s.get("warnings") or [])
    under = (s.get("staffing") or {}).get("understaffed_stations") or []
    if under:
        items.append("understaffed stations (assigned crew below the work content at takt): " +
                     ", ".join(str(u if not isinstance(u, dict) else u.get("station", u)) for u in under))
    if not items:
        return ""
    lis = "".join(f"<li>{esc(w)}</li>" for w in items)
    return f'<section class="warnings" id="warnings"><h2>Warnings</h2><ul>{lis}</ul></section>'


def _sequence_section(s: dict) -> str:
    """What the sequence costs: spacing-rule breaches, colour changes at the booths, over-cycles on the paced
    lines (when any)."""
    parts = [rows_table(make) for make, key in ((lambda: R.spacing_rows(s), "sequence"),
                                                 (lambda: R.colour_rows(s), "colour_changes"),
                                                 (lambda: R.over_cycle_rows(s), "over_cycles")) if s.get(key)]
    if not parts:
        return ""
    return '<section id="sequence"><h2>Sequence: spacing, colours and over-cycles</h2>' + "".join(parts) + "</section>"


def rows_table(make: Callable[[], R.Rows], scroll: bool = False, heading: str | None = None) -> str:
    """The HTML table of a report table's rows (the console renders the same rows); a table that
    cannot be built (a folder written by another version) leaves a note, the page still renders."""
    try:
        rows = make()
    except (KeyError, TypeError, ValueError) as exc:
        return f'<p class="note bad">This table could not be built: {esc(type(exc).__name__)}: {esc(exc)}</p>'
    cells = [[esc(R.cell(v, c.kind)) for v, c in zip(values, rows.columns)] for values in rows.rows]
    title = f"<h3>{esc(heading)}</h3>" if heading else ""
    note = f'<p class="note">{esc(rows.caption)}</p>' if rows.caption else ""
    return title + table([c.label for c in rows.columns], cells, [c.numeric for c in rows.columns],
                         rows.marks, scroll=scroll) + note


def _state_swatches(stations: pd.DataFrame) -> str:
    """The colour key of the states the plot draws: working, and every state some station spent time in."""
    shown = [s for s in state_columns(stations)
             if s in ("working", "off_shift") or stations[f"share_{s}"].fillna(0).gt(0).any()]
    return " ".join(f'<span class="swatch" style="background:{state_colour(s)}"></span>'
                    f"{esc(state_label(s))}" for s in shown)


# ---------------------------------------------------------------- one run


def run_report_html(run: RunResult) -> str:
    """The report of one run as a self-contained HTML page."""
    s = run.summary
    plot = {
        "output": _safe_plot(plots.output_plot, run, "Output"),
        "flow": _safe_plot(plant_flow_plot, run, "Plant flow"),
        "states": _safe_plot(plots.station_states_plot, run, "Station states"),
        "stores": _safe_plot(plots.store_levels_plot, run, "Store levels"),
        "headcount": _safe_plot(plots.headcount_plot, run, "Headcount"),
    }
    if s.get("outbound"):
        plot["yard"] = _safe_plot(plots.yard_plot, run, "Finished-car yard")
    if s.get("supply"):
        plot["inventory"] = _safe_plot(plots.inventory_plot, run, "Kit stock")
    months = len((s.get("months") or {}).get("by_month") or {}) >= 2  # the month table and plot need two
    per_year = s.get("working_days_per_year")
    target = (s.get("target") or {}).get("annual_units")
    pools = rows_table(lambda: R.pool_rows(s["labour_pools"]), heading="Labour pools") if s.get("labour_pools") else ""
    workload = ("<details><summary>Workload per station (operators needed at takt against assigned)</summary>" +
                rows_table(lambda: R.workload_rows(run.workload), scroll=True) + "</details>") if not run.workload.empty else ""
    sections = [
        f'<section id="summary"><h2>Summary</h2>{_kpi_cards(s)}</section>',
        _warnings(s),
        ('<section id="marginal"><h2>Marginal values</h2>' +
         rows_table(lambda: R.marginal_rows(s["marginal_values"]), scroll=True) + "</section>")
        if s.get("marginal_values") else "",
        '<section id="output"><h2>Output against target</h2>' + rows_table(lambda: R.output_rows(s)) +
        figure(plot["output"], "output", "Cars completed per period by model against the target",
               (f"Target line: {num(target)} cars a year ÷ {num(per_year)} working days a year, times the working "
                "days of each period." if target and per_year else "")) + "</section>",
        ('<section id="months"><h2>Month by month</h2>' +
         figure(_safe_plot(plots.months_plot, run, "Month by month"), "months",
                "Cars made per month against the plan and the target rate, and cumulative",
                "Bars: cars finished in the month (mean of replications, 95% interval); dashed: the target rate "
                "times the month's working days; orange marks: the monthly plan. Green from the first month at "
                "the target rate.") + rows_table(lambda: R.month_rows(s), scroll=True) + "</section>") if months else "",
        '<section id="flow"><h2>Plant flow</h2>' +
        figure(plot["flow"], "flow", "Plant flow: shops, lines, conveyors, feeders, parallel sections, buffers, "
               "stores and quality loops",
               "Drawn from the resolved scenario; feeders beside the station that fits their parts (dashed: "
               "where a car calls its part off; teal: where its own part comes off); 'active' is the simulated "
               "share of shift time working or down. Scroll sideways on a narrow screen.") +
        "</section>",
        '<section id="shops"><h2>Shops</h2>' + rows_table(lambda: R.shop_rows(s)) +
        f'<p class="note">{esc(R.lead_time_line(s))}</p>' +
        (rows_table(lambda: R.oee_rows(s), heading="OEE per shop and line") if s.get("oee") else "") +
        (rows_table(lambda: R.learning_rows(s), heading="Learning curves") if s.get("learning") else "") + "</section>",
        '<section id="stations"><h2>Station states</h2>' +
        figure(plot["states"], "states", "Share of time in each state per station, by shop",
               "A bar per station in flow order. Green is work; orange and yellow are time lost to the neighbours; "
               "red is repair.") + f'<p class="note">{_state_swatches(run.stations)}. Highlighted: the bottleneck '
        "(its whole paced line).</p>" + rows_table(lambda: R.station_rows(run.stations, s), scroll=True) +
        (rows_table(lambda: R.shifting_rows(s), heading="Shifting bottleneck")
         if R.shifting_rows(s) is not None else "") +
        (rows_table(lambda: R.feeder_rows(s, run.buffers), heading="Feeders") if s.get("feeders") else "") +
        "</section>",
        _sequence_section(s),
        '<section id="stores"><h2>Stores and buffers</h2>' +
        figure(plot["stores"], "stores", "Store levels over time",
               "Hourly samples of the first replication.") + rows_table(lambda: R.buffer_rows(run.buffers), scroll=True) +
        (rows_table(lambda: R.sequencing_rows(s), scroll=True, heading="Sequencing: sorting stores and the shops "
                    "after them") if s.get("sequencing") else "") +
        "</section>",
        ('<section id="outbound"><h2>Outbound: yard, trucks and trains</h2>' +
         figure(plot["yard"], "yard", "Cars in the finished-car yard over time against its capacity",
                "Hourly level of the first replication (a daily low–high band and mean over long horizons); a car "
                "finished while the yard is full waits on the last station (blocked).") +
         rows_table(lambda: R.outbound_rows(s)) + rows_table(lambda: R.outbound_model_rows(s)) + "</section>")
        if s.get("outbound") else "",
        ('<section id="supply"><h2>Kit supply</h2>' +
         figure(plot["inventory"], "inventory", "Kits on hand in days of cover per model over time against the "
                "safety stock", "Stock at the start of each day of the first replication, over the plan rate "
                + ("(the day's month's planned cars a working day of the model)" if s["supply"].get("plan_rates")
                   else "(target cars a working day of the model)") + "; inventory.csv has every replication.") +
         rows_table(lambda: R.supply_rows(s)) +
         (rows_table(lambda: R.kit_rate_rows(s), scroll=True, heading="Kit plan rate by month (kits a working day)")
          if s["supply"].get("plan_rates") else "") +
         "</section>") if s.get("supply") else "",
        '<section id="staffing"><h2>Staffing</h2>' +
        figure(plot["headcount"], "headcount", "Headcount by shop and shift") +
        rows_table(lambda: R.staffing_rows(run.staffing, s), scroll=True) +
        rows_table(lambda: R.benchmark_rows(s), heading="Against public figures") +
        f'<p class="note">{esc(R.workload_line(run.workload, s))}</p>' + pools + workload + "</section>",
    ]
    nav = [("summary", "Summary")] + ([("warnings", "Warnings")] if _warnings(s) else []) + (
        [("marginal", "Marginal values")] if s.get("marginal_values") else []) + [
        ("output", "Output")] + ([("months", "Months")] if months else []) + [("flow", "Plant flow"), ("shops", "Shops"), ("stations", "Stations")] + \
        ([("sequence", "Sequence")] if _sequence_section(s) else []) + [
        ("stores", "Stores & buffers")] + ([("outbound", "Outbound")] if s.get("outbound") else []) + (
        [("supply", "Kit supply")] if s.get("supply") else []) + [
        ("staffing", "Staffing")]
    return page(f"sim report: {run.name}", _header(run), nav, [x for x in sections if x])


# ---------------------------------------------------------------- several runs


def _comparison_table(comparison: dict) -> str:
    """The KPI rows of the console comparison; each later run's cell carries its difference to the first
    run with the 95% interval and the significance mark, below the value (four runs fit 1,400 px)."""
    rows = comparison_rows(comparison)
    runs = comparison["runs"]
    body = []
    for values in rows.rows:
        cells = [esc(values[0]), esc(values[1])]
        for k in range(1, len(runs)):
            value, diff = values[2 * k], values[2 * k + 1]
            cells.append(esc(value) + (f'<br><span class="delta">Δ {esc(diff)}</span>' if diff else ""))
        body.append(cells)
    out = table(["KPI"] + runs, body, [False] + [True] * len(runs), cls="kpi")
    note = f'<p class="note">{esc(rows.caption)}. * the interval excludes zero.</p>' if rows.caption else ""
    changes = "".join(f"<h3>{esc(heading)}</h3>" + ("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines[:60]) +
                                                   ("<li>…</li>" if len(lines) > 60 else "") + "</ul>"
                                                   if lines else "")
                      for heading, lines in change_lines(comparison))
    return out + note + changes


def comparison_report_html(runs: Sequence[RunResult], comparison: dict | None = None) -> str:
    """Two or more runs side by side as a self-contained HTML page (``comparison``: from
    ``analysis.compare.compare``; computed here when not given)."""
    runs = list(runs)
    if len(runs) < 2:
        raise ValueError("a comparison needs at least two runs")
    if comparison is None:
        from ..analysis.compare import compare
        comparison = compare([r.summary for r in runs], [r.name for r in runs])
    plot = {
        "output": _safe_plot(compare_plots.compare_output_plot, runs, "Output per week"),
        "annual": _safe_plot(compare_plots.compare_annual_plot, runs, "Annual output"),
        "loaded": _safe_plot(compare_plots.compare_loaded_plot, runs, "Most loaded stations"),
        "stores": _safe_plot(compare_plots.compare_store_plot, runs, "Store levels"),
        "headcount": _safe_plot(compare_plots.compare_headcount_plot, runs, "Headcount"),
    }
    kpi_table = _comparison_table(comparison)
    names = ", ".join(r.name for r in runs)
    listing = "".join(
        f'<li><span class="swatch" style="background:{figures.run_colour(i)}"></span><b>{esc(r.name)}</b>'
        f"{' – ' + esc(r.summary.get('description')) if r.summary.get('description') else ''}"
        f"{' (' + esc(r.path) + ')' if r.path is not None else ''}</li>" for i, r in enumerate(runs))
    header = (f"<h1>Plant capacity comparison: {esc(names)}</h1>"
              f'<div class="facts">{len(runs)} runs; Δ under a value: its difference to the first run (95% interval), '
              f"{esc(runs[0].name)}</div>")
    warnings = [f"{r.name}: {w}" for r in runs for w in r.summary.get("warnings") or []]
    sections = [
        f'<section id="runs"><h2>Runs</h2><ul>{listing}</ul></section>',
        (f'<section class="warnings" id="warnings"><h2>Warnings</h2><ul>'
         f'{"".join(f"<li>{esc(w)}</li>" for w in warnings)}</ul></section>' if warnings else ""),
        f'<section id="kpis"><h2>Key figures</h2>{kpi_table}</section>',
        '<section id="output"><h2>Output</h2>' +
        figure(plot["annual"], "annual", "Annual output per run with confidence interval and target") +
        figure(plot["output"], "output-weekly", "Output per week per run with target") + "</section>",
        '<section id="loaded"><h2>Most loaded stations</h2>' +
        figure(plot["loaded"], "loaded", "State shares of the ten most loaded stations per run") + "</section>",
        '<section id="stores"><h2>Stores</h2>' +
        figure(plot["stores"], "stores", "Store levels per run overlaid") + "</section>",
        '<section id="staffing"><h2>Headcount</h2>' +
        figure(plot["headcount"], "headcount", "Headcount per run by shop") + "</section>",
    ]
    nav = [("runs", "Runs"), ("kpis", "Key figures"), ("output", "Output"), ("loaded", "Most loaded"),
           ("stores", "Stores"), ("staffing", "Headcount")]
    return page(f"sim comparison: {names}", header, nav, [x for x in sections if x])
