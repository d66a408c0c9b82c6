"""Self-contained HTML reports: one run, or several runs side by side.

A run's page is its sections (``sections``): the core ones below, in their order, and those of the
registered components; the page and its navigation are both built from that one list.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..results import RunResult
from . import compare_plots, plots
from . import rows as R
from .answer import answer_rows
from .waterfall import loss_rows, waterfall_plot
from .cells import interval_text
from .comparison import change_lines, comparison_rows
from .figures import drawn_together, run_colour
from .flow import plant_flow_plot
from .page import card, esc, figure, num, page, pct, rows_table, safe_plot, table
from .sections import Section, arranged, component_sections, rendered
from .states import state_colour, state_columns, state_label

# ---------------------------------------------------------------- one run: the header and the key figures


def _header(run: RunResult) -> str:
    s = run.summary
    facts = [f"{num(s.get('replications'))} replication{'s' if s.get('replications') != 1 else ''}",
             f"seed {esc(s.get('seed'))}",
             f"{num(s.get('simulated_days'), 0)} days measured after {num(s.get('warmup_days'), 0)} days warm-up",
             f"{num(s.get('working_days_in_window'))} working days in the window, "
             f"{num(s.get('working_days_per_year'))} per year"]
    if run.scenario is not None and run.scenario.calendar.dated:
        facts.append(f"calendar from {esc(run.scenario.calendar.start_date.isoformat())}")
    if run.provenance.get("package_version"):
        facts.append(f"sim {esc(run.provenance['package_version'])}")
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
        card("Annual output", num(annual.get("mean")), f"cars/yr; 95% CI {interval_text(annual)}"),
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
             f"{num(staff.get('direct'))} direct, {num(staff.get('team_leaders'))} team leaders, "
             f"{num(staff.get('reserve'))} reserve, {num(staff.get('indirect'))} indirect"),
        card("Hours per vehicle", num(staff.get("hours_per_vehicle"), 1),
             f"paid hours ({num(staff.get('direct_hours_per_vehicle'), 1)} direct); "
             f"{num(staff.get('vehicles_per_employee_year'), 1)} vehicles per employee and year"),
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def _warning_items(s: dict) -> list[str]:
    items = list(s.get("warnings") or [])
    under = (s.get("staffing") or {}).get("understaffed_stations") or []
    if under:
        items.append("understaffed stations (assigned crew below the work content at takt): " +
                     ", ".join(str(u if not isinstance(u, dict) else u.get("station", u)) for u in under))
    return items


SEQUENCE_KEYS = ("sequence", "colour_changes", "over_cycles")
"""The summary's sections of what the sequence costs, each a table of the sequence section."""


def _sequence(s: dict) -> str:
    """What the sequence costs: spacing-rule breaches, colour changes at the booths, over-cycles on the paced
    lines (when any)."""
    return "".join(rows_table(make) for make, key in zip((lambda: R.spacing_rows(s), lambda: R.colour_rows(s),
                                                          lambda: R.over_cycle_rows(s)), SEQUENCE_KEYS)
                   if s.get(key))


def _state_swatches(stations: pd.DataFrame) -> str:
    """The colour key of the states the plot draws: working, and every state some station spent time in."""
    shown = [s for s in state_columns(stations)
             if s in ("working", "off_shift") or stations[f"share_{s}"].fillna(0).gt(0).any()]
    return " ".join(f'<span class="swatch" style="background:{state_colour(s)}"></span>'
                    f"{esc(state_label(s))}" for s in shown)


# ---------------------------------------------------------------- one run: the core sections


def _output(run: RunResult) -> str:
    s = run.summary
    per_year = s.get("working_days_per_year")
    target = (s.get("target") or {}).get("annual_units")
    return rows_table(lambda: R.output_rows(s)) + \
        figure(safe_plot(plots.output_plot, run, "Output"), "output",
               "Cars completed per period by model against the target",
               (f"Target line: {num(target)} cars a year ÷ {num(per_year)} working days a year, times the working "
                "days of each period." if target and per_year else ""))


def _flow(run: RunResult) -> str:
    return figure(safe_plot(plant_flow_plot, run, "Plant flow"), "flow",
                  "Plant flow: shops, lines, conveyors, feeders, parallel sections, buffers, stores and quality loops",
                  "Drawn from the resolved scenario; feeders beside the station that fits their parts (dashed: "
                  "where a car calls its part off; teal: where its own part comes off); 'active' is the simulated "
                  "share of shift time working or down.")


def _shops(run: RunResult) -> str:
    s = run.summary
    return rows_table(lambda: R.shop_rows(s)) + f'<p class="note">{esc(R.lead_time_line(s))}</p>' + \
        (rows_table(lambda: R.oee_rows(s), heading="OEE per shop and line") if s.get("oee") else "")


def _stations(run: RunResult) -> str:
    s = run.summary
    return figure(safe_plot(plots.station_states_plot, run, "Station states"), "states",
                  "Share of time in each state per station, by shop",
                  "A bar per station in flow order. Green is work; orange and yellow are time lost to the "
                  "neighbours; red is repair.") + \
        f'<p class="note">{_state_swatches(run.stations)}. Highlighted: the bottleneck (its whole paced line).</p>' + \
        rows_table(lambda: R.station_rows(run.stations, s)) + \
        (rows_table(lambda: R.shifting_rows(s), heading="Shifting bottleneck")
         if R.shifting_rows(s) is not None else "") + \
        (rows_table(lambda: R.feeder_rows(s, run.buffers), heading="Feeders") if s.get("feeders") else "")


def _stores(run: RunResult) -> str:
    s = run.summary
    return figure(safe_plot(plots.store_levels_plot, run, "Store levels"), "stores", "Store levels over time",
                  "Hourly samples of the first replication; the mean and the time at capacity in a title are "
                  "the table's (time-weighted over the measured window, all replications).") + \
        rows_table(lambda: R.buffer_rows(run.buffers)) + \
        (rows_table(lambda: R.sequencing_rows(s),
                    heading="Sequencing: sorting stores and the shops after them") if s.get("sequencing") else "")


def _staffing(run: RunResult) -> str:
    s = run.summary
    pools = rows_table(lambda: R.pool_rows(s["labour_pools"]), heading="Labour pools") if s.get("labour_pools") \
        else ""
    workload = ("<details><summary>Workload per station (operators needed at takt against assigned)</summary>" +
                rows_table(lambda: R.workload_rows(run.workload)) + "</details>") \
        if not run.workload.empty else ""
    return figure(safe_plot(plots.headcount_plot, run, "Headcount"), "headcount", "Headcount by shop and shift") + \
        rows_table(lambda: R.staffing_rows(run.staffing, s)) + \
        rows_table(lambda: R.benchmark_rows(s), heading="Against public figures") + \
        f'<p class="note">{esc(R.workload_line(run.workload, s))}</p>' + pools + workload


def _losses(run: RunResult) -> str:
    """The loss waterfall: the chart by group, then the causes."""
    return figure(safe_plot(lambda r: waterfall_plot(r.summary), run, "Loss waterfall"), "waterfall",
                  "Where the cars went: from the nameplate to the cars made, by group of causes",
                  "Each bar: the cars a year lost to a group of causes, traced from the slowest resource's hours "
                  "(docs/losses.md); they add up to the nameplate less the cars made.") + \
        rows_table(lambda: loss_rows(run.summary))


def _always(run: RunResult) -> bool:
    return True


def _answer(run: RunResult) -> str:
    """The short answer, the console's words (``answer``), as a box."""
    items = "".join(f"<dt>{esc(label)}</dt><dd>{esc(text)}</dd>" for label, text in answer_rows(run.summary))
    return f'<dl class="answer">{items}</dl>'


CORE = [
    # the answer first; a component placed after "answer" (the loss waterfall) follows it, before the figures
    Section("answer", "Answer", "The answer", _always, _answer, css="answer", open=True),
    Section("losses", "Losses", "Where the cars went", lambda run: bool(run.summary.get("losses")), _losses,
            open=True),
    Section("summary", "Key figures", "Key figures", _always, lambda run: _kpi_cards(run.summary), open=True),
    Section("warnings", "Warnings", "Warnings", lambda run: bool(_warning_items(run.summary)),
            lambda run: f'<ul>{"".join(f"<li>{esc(w)}</li>" for w in _warning_items(run.summary))}</ul>',
            css="warnings", open=True),
    Section("marginal", "Marginal values", "Marginal values", lambda run: bool(run.summary.get("marginal_values")),
            lambda run: rows_table(lambda: R.marginal_rows(run.summary["marginal_values"]))),
    Section("output", "Output", "Output against target", _always, _output, open=True),
    Section("flow", "Plant flow", "Plant flow", _always, _flow),
    Section("shops", "Shops", "Shops", _always, _shops),
    Section("stations", "Stations", "Station states", _always, _stations),
    Section("sequence", "Sequence", "Sequence: spacing, colours and over-cycles",
            lambda run: any(run.summary.get(key) for key in SEQUENCE_KEYS), lambda run: _sequence(run.summary)),
    Section("stores", "Stores & buffers", "Stores and buffers", _always, _stores),
    Section("staffing", "Staffing", "Staffing", _always, _staffing),
]
"""The sections every run's page has (those that depend on the run show when it has something for them)."""


def run_report_html(run: RunResult) -> str:
    """The report of one run as a self-contained HTML page."""
    def assemble() -> str:
        nav, sections = rendered(run, arranged(CORE, component_sections()))
        return page(f"sim report: {run.name}", _header(run), nav, sections)
    return drawn_together(assemble)


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
    return drawn_together(lambda: _comparison_page(runs, comparison))


def _comparison_page(runs: Sequence[RunResult], comparison: dict | None) -> str:
    runs = list(runs)
    if len(runs) < 2:
        raise ValueError("a comparison needs at least two runs")
    if comparison is None:
        from ..analysis.compare import compare
        comparison = compare([r.summary for r in runs], [r.name for r in runs],
                             scenarios=[r.provenance.get("resolved_scenario", {}) for r in runs])
    plot = {
        "output": safe_plot(compare_plots.compare_output_plot, runs, "Output per week"),
        "annual": safe_plot(compare_plots.compare_annual_plot, runs, "Annual output"),
        "loaded": safe_plot(compare_plots.compare_loaded_plot, runs, "Most loaded stations"),
        "stores": safe_plot(compare_plots.compare_store_plot, runs, "Store levels"),
        "headcount": safe_plot(compare_plots.compare_headcount_plot, runs, "Headcount"),
    }
    kpi_table = _comparison_table(comparison)
    names = ", ".join(r.name for r in runs)
    listing = "".join(
        f'<li><span class="swatch" style="background:{run_colour(i)}"></span><b>{esc(r.name)}</b>'
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
