"""Terminal report: rich tables rendered from the rows that ``rows`` builds (the HTML page renders the same)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ..experiment.staffing_search import UNDECIDED_RULE, undecided
from . import rows as R
from .answer import answer_rows
from .cells import COUNT, PERCENT, Column, Rows, cell
from .fit import Fitted, fit
from .waterfall import loss_rows
from .sections import component_parts


def render(table: Rows, console: Console) -> Group:
    """The rows as rich tables that fit the console's width with no word cut (``fit``): one table, or a wide one
    split into tables stacked under each other. Titles and captions take the whole width, not the table's."""
    out = []
    for part in fit(table, console.width):
        out += [Text(part.title, style="table.title")] if part.title else []
        out.append(_table(part))
        out += [Text(part.caption, style="table.caption")] if part.caption else []
    return Group(*out)


def _table(part: Fitted) -> Table:
    out = Table(pad_edge=part.roomy, collapse_padding=not part.roomy)
    for heading, numeric, width in zip(part.headings, part.numeric, part.widths):
        out.add_column(heading, justify="right" if numeric else "left", width=width, overflow="fold")
    for cells, mark in zip(part.cells, part.marks):
        style = {"total": "bold", "hot": "bold red", "reached": "bold green"}.get(mark)
        out.add_row(*(Text(c) for c in cells), style=style)
    return out


def print_answer(summary: dict, console: Console, report: str | Path | None = None) -> None:
    """The short answer (``answer``): output against target, what limited it, people, where the report is."""
    for label, text in answer_rows(summary, report):
        console.print(Text.assemble((f"{label}: ", "bold"), text))


def print_report(result, console: Console | None = None) -> None:
    """Every table of the run (``sim run --detail``)."""
    console = console or Console()
    s = result.summary
    console.print(f"[bold]{s['scenario']}[/bold]: {s['replications']} replication(s), seed {s['seed']}, "
                  f"{s['simulated_days']:g} days measured after {s['warmup_days']:g} days warm-up "
                  f"({s['working_days_in_window']} working days; {s['working_days_per_year']:g} per year)")
    for table in tables(result):
        if table is not None:
            console.print(render(table, console))
    line = R.workload_line(result.workload, s)
    if line:
        console.print(line)
    _print_warnings(s, console)
    console.print(R.lead_time_line(s))


def _print_warnings(s: dict, console: Console) -> None:
    for warning in s["warnings"]:
        console.print(f"[bold red]warning:[/bold red] {warning}", markup=True, highlight=False)


def print_section(result, section: str, console: Console) -> None:
    """One section of a run's tables (a name of ``section_names``) with the lines that belong to it."""
    s = result.summary
    found = [table for where, table in sectioned(result) if where == section and table is not None]
    for table in found:
        console.print(render(table, console))
    line = {"shops": R.lead_time_line(s), "staffing": R.workload_line(result.workload, s)}.get(section)
    if line:
        console.print(line)
    if section == "warnings":
        _print_warnings(s, console)
    if not found and not line and not (section == "warnings" and s["warnings"]):
        console.print(f"This run has nothing to show under {section}.")


CORE_SECTIONS = ("losses", "output", "shops", "stations", "stores", "sequence", "staffing")
"""The console's core sections, in page order; a component's tables stand under its own section's name."""


def section_names() -> list[str]:
    """The names ``sim show RUN SECTION`` takes: the core sections, each component's, and warnings."""
    return [*CORE_SECTIONS, *dict.fromkeys(_component_section(name, part) for name, part in component_parts()
                                           if hasattr(part, "console")), "warnings"]


def _component_section(name: str, part) -> str:
    return part.SECTIONS[0].anchor if getattr(part, "SECTIONS", None) else name


def tables(result) -> list[Rows | None]:
    """The console report's tables in order (None: a table the run has no figures for)."""
    return [table for _, table in sectioned(result)]


def sectioned(result) -> list[tuple[str, Rows | None]]:
    """(section, table) of the console report in order: the core ones, and each registered component's after
    the core tables of the page section its first section follows or stands in (at the end when there is
    none), under its own section's name."""
    s = result.summary
    core = [("losses", loss_rows(s)), ("output", R.output_rows(s)), ("shops", R.shop_rows(s)), ("shops", R.oee_rows(s)),
            ("stations", R.station_rows(result.stations, s, n=8)), ("stations", R.shifting_rows(s)),
            ("stations", R.feeder_rows(s, result.buffers)), ("stores", R.sequencing_rows(s)),
            ("sequence", R.spacing_rows(s)), ("sequence", R.colour_rows(s)),
            ("sequence", R.over_cycle_rows(s, per_station=False)),
            ("stores", R.buffer_rows(result.buffers, min_capacity=5)),
            ("staffing", R.pool_rows(s["labour_pools"]) if s.get("labour_pools") else None),
            ("staffing", R.staffing_rows(result.staffing, s)), ("staffing", R.benchmark_rows(s))]
    last = {where: k for k, (where, _) in enumerate(core)}
    added: dict[int, list[tuple[str, Rows | None]]] = {}
    for name, part in component_parts():
        first = part.SECTIONS[0] if part.SECTIONS else None
        where = (first.within or first.after) if first is not None else None
        found = part.console(s) if hasattr(part, "console") else []
        own = _component_section(name, part)
        added.setdefault(last.get(where, len(core) - 1), []).extend((own, table) for table in found)
    return [pair for k, core_pair in enumerate(core) for pair in [core_pair, *added.get(k, [])]]


def print_marginal(summary: dict, console: Console | None = None) -> None:
    """The shifting-bottleneck view and the shopping list (summary.json's ``marginal_values``), ranked by gain."""
    console = console or Console()
    shifting = R.shifting_rows(summary)
    if shifting is not None:
        console.print(render(shifting, console))
    console.print(render(R.marginal_rows(summary["marginal_values"]), console))


def print_search(result, console: Console | None = None) -> None:
    """The staffing search: the chosen option and the others, cheapest first."""
    console = console or Console()
    best = result.best
    confidence = cell(result.confidence, PERCENT)
    if best is None:
        console.print(f"[bold red]No option meets {result.target:,.0f} cars a year[/bold red] with "
                      f"{confidence} confidence.")
    else:
        console.print(f"[bold]Smallest headcount meeting {result.target:,.0f} a year ({confidence} confidence): "
                      f"{best.headcount:,}[/bold] with {option_text(best.settings)}; output "
                      f"{best.annual_mean:,.0f} (lower bound {best.lower_bound:,.0f}).")
        if best.assignments:
            console.print("To run it: " + " ".join(f"--set {a}" for a in best.assignments), markup=False)
    skipped = result.skipped
    table = Rows(f"Options, cheapest first ({result.pruned} of {len(result.candidates)} pruned by the static "
                 f"capacity bound" + (f", {len(skipped)} skipped: their scenario does not validate, see below"
                                      if skipped else "") + f"; {result.replications} replications each)", [
        Column("option"), Column("headcount", COUNT, "people"), Column("static capacity", COUNT, "static"),
        Column("simulated output", COUNT, "output"), Column("lower bound", COUNT, "lower"),
        Column("status")])
    shown = sorted(result.candidates, key=lambda c: (c.annual_mean is None, c.scenario is None,
                                                     c.headcount or 0, -(c.static_capacity or 0)))
    for c in shown[:15]:
        status = c.status + (f" (screened on {c.screened:g} days)" if c.screened else "")
        table.add([option_text(c.settings), c.headcount, c.static_capacity, c.annual_mean, c.lower_bound, status],
                  "total" if c is best else "")
    console.print(render(table, console))
    if result.screen_days:
        console.print(f"Screened: every option first ran over {result.screen_days:g} days after the warm-up; one whose "
                      "upper bound of output there was under the target is below target without a run over the "
                      "whole horizon; the figures of an option marked 'screened' come from those days.",
                      markup=False, highlight=False)
    print_too_wide("Too wide to decide", undecided_notes(result), UNDECIDED_RULE, console)
    for note in skipped_notes(skipped):
        console.print(note, markup=False, highlight=False)


def undecided_notes(result) -> list[str]:
    """A line for each option whose interval is too wide to say whether it meets the target (``undecided``),
    with the replications that would decide it."""
    lines = []
    for c, n in undecided(result):
        lines.append(f"{option_text(c.settings)}: output {c.annual_mean:,.0f}, lower bound {c.lower_bound:,.0f} "
                     f"below the target {result.target:,.0f}: "
                     + (f"about {n:,} replications would decide it (--replications {n})" if n else
                        "the output is the target itself, so no number of replications decides it"))
    return lines


def print_too_wide(heading: str, lines: list[str], rule: str | None, console: Console) -> None:
    """Intervals too wide to decide something, under the table they belong to, and the rule behind the
    replications suggested (None: no number was suggested)."""
    if not lines:
        return
    console.print(f"{heading}:", markup=False)
    for line in lines:
        console.print(f"  {line}", markup=False, highlight=False)
    if rule:
        console.print(f"  ({rule})", markup=False, highlight=False)


def skipped_notes(skipped: list, listed: int = 5) -> list[str]:
    """Why options were skipped, one line per problem: the options it stops (by what they all share when
    there are more than ``listed``) and the problem, YAML path first."""
    by_problem: dict[str, list] = {}
    for c in skipped:
        for problem in c.problems:
            by_problem.setdefault(problem, []).append(c)
    notes = []
    for problem, options in by_problem.items():
        first = options[0].settings
        common = {path: value for path, value in first.items() if all(o.settings.get(path) == value for o in options)}
        if len(options) > listed and common:
            which = f"{len(options)} options, all with {option_text(common)}"
        else:
            which = "; ".join(option_text(o.settings) for o in options[:listed])
            which += f"; and {len(options) - listed} more" if len(options) > listed else ""
        notes.append(f"Skipped ({which}): {problem}")
    return notes


def option_text(settings: dict) -> str:
    """Scenario paths of an option in plant words: 'shops.body.shifts.count': 2 -> 'body 2 shifts'."""
    parts = []
    for path, value in settings.items():
        keys = path.replace("[", ".").replace("]", "").split(".")
        if keys[0] == "shops" and keys[2:] == ["shifts", "count"]:
            parts.append(f"{keys[1]} {value} shift{'s' if value != 1 else ''}")
        elif keys[0] == "shops" and keys[2] == "lines" and keys[-1] == "takt":
            parts.append(f"{keys[1]}.{keys[3]} takt {value:g} s")
        elif keys[:2] == ["staffing", "pools"]:
            parts.append(f"pool {keys[2]} {value}")
        else:
            parts.append(f"{path}={value}")
    return ", ".join(parts) or "as given"
