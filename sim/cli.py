"""Command line: a thin shell over the Python API.

    python -m sim run SCENARIO [--replications N] [--seed S] [--jobs J] [--set PATH=VALUE] [--name NAME]
    python -m sim validate SCENARIO
    python -m sim staff SCENARIO --target N [--confidence 0.95]
    python -m sim compare RESULTS_OR_SCENARIO RESULTS_OR_SCENARIO ... [--format table|markdown|csv|json]

Scenario problems print as a short list (file, YAML path, line, what is
allowed) and exit with status 2; tracebacks only with --debug.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .experiment.comparing import compare
from .experiment.runner import run
from .experiment.staffing_search import search
from .report.comparison import FORMATS, print_comparison
from .report.console import print_report, print_search
from .report.folder import ResultsFolderError
from .report.files import write_results
from .scenario import ScenarioError, load_scenario

EXIT_INPUT = 2


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    # a pipe or a CI log is no terminal: give the tables room instead of rich's 80 columns
    console = Console() if sys.stdout.isatty() else Console(width=130)
    err = Console(stderr=True, width=None if sys.stderr.isatty() else 130)
    try:
        return args.command(args, console)
    except (ScenarioError, ResultsFolderError) as exc:
        err.print(str(exc), markup=False, highlight=False)
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 - a short message unless --debug
        if args.debug:
            raise
        err.print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", markup=False)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description="Production-capacity simulator of a CKD car plant.")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="name", required=True)

    run_cmd = commands.add_parser("run", help="run a scenario and write results/<name>/")
    run_cmd.add_argument("scenario", type=Path)
    run_cmd.add_argument("--replications", "-n", type=_positive, default=1)
    run_cmd.add_argument("--seed", type=int, default=None, help="default: the scenario's seed")
    run_cmd.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1,
                         help="parallel processes for replications (results do not depend on it)")
    run_cmd.add_argument("--results", type=Path, default=Path("results"), help="results root folder")
    _variant_arguments(run_cmd)
    run_cmd.add_argument("--debug", action="store_true", help="show tracebacks")
    run_cmd.set_defaults(command=_run)

    staff_cmd = commands.add_parser("staff", help="smallest headcount that meets a target (searches staffing.options)")
    staff_cmd.add_argument("scenario", type=Path)
    staff_cmd.add_argument("--target", type=float, default=None, help="annual units; default: the scenario's target")
    staff_cmd.add_argument("--confidence", type=float, default=0.95,
                           help="one-sided confidence that output meets the target (default 0.95)")
    staff_cmd.add_argument("--replications", "-n", type=_positive, default=3)
    staff_cmd.add_argument("--seed", type=int, default=None)
    staff_cmd.add_argument("--days", type=float, default=None,
                           help="measure this many days instead of the scenario's horizon (a quicker search)")
    staff_cmd.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1)
    staff_cmd.add_argument("--debug", action="store_true", help="show tracebacks")
    staff_cmd.set_defaults(command=_staff)

    compare_cmd = commands.add_parser("compare", help="compare result folders (or scenario files, run first)")
    compare_cmd.add_argument("inputs", nargs="+", type=Path)
    compare_cmd.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    compare_cmd.add_argument("--out", type=Path, default=None, help="write the comparison to this file")
    compare_cmd.add_argument("--html", type=Path, default=None, help="also write an HTML report with plots")
    compare_cmd.add_argument("--replications", "-n", type=_positive, default=3,
                             help="replications for scenario files run first (default 3)")
    compare_cmd.add_argument("--seed", type=int, default=None)
    compare_cmd.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1)
    compare_cmd.add_argument("--results", type=Path, default=Path("results"))
    compare_cmd.add_argument("--debug", action="store_true", help="show tracebacks")
    compare_cmd.set_defaults(command=_compare)

    validate_cmd = commands.add_parser("validate", help="check a scenario file and exit")
    validate_cmd.add_argument("scenario", type=Path)
    _variant_arguments(validate_cmd)
    validate_cmd.add_argument("--debug", action="store_true", help="show tracebacks")
    validate_cmd.set_defaults(command=_validate)
    return parser


def _variant_arguments(parser) -> None:
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override a scenario value, e.g. shops.paint.quality.first_pass_yield=0.85 (repeatable)")
    parser.add_argument("--name", default=None, help="name of the run (and its results folder)")


def _load(args):
    return load_scenario(args.scenario, getattr(args, "overrides", ()), getattr(args, "name", None))


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _run(args, console: Console) -> int:
    scenario = _load(args)
    started = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(f"simulating {scenario.name}", total=args.replications)
        result = run(scenario, replications=args.replications, seed=args.seed, jobs=args.jobs,
                     on_replication=lambda done, total: progress.update(task, completed=done))
    wall = time.perf_counter() - started
    print_report(result, console)
    out_dir, kept = write_results(result, args.results / scenario.name, wall)
    console.print(f"Results in {out_dir}/ ({wall:.1f} s)" + (f"; the earlier run was kept in {kept}/" if kept else ""))
    return 0


def _staff(args, console: Console) -> int:
    scenario = load_scenario(args.scenario)
    if not 0.5 <= args.confidence < 1:
        raise SystemExit("error: --confidence must be in [0.5, 1)")
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(f"searching staffing options of {scenario.name}", total=None)
        result = search(scenario, target=args.target, confidence=args.confidence,
                        replications=max(2, args.replications), seed=args.seed, jobs=args.jobs, days=args.days,
                        on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    print_search(result, console)
    return 0 if result.best is not None else 3


def _compare(args, console: Console) -> int:
    if len(args.inputs) < 2:
        raise SystemExit("error: compare needs at least two result folders or scenario files")
    # progress goes to stderr so that --format csv|json|markdown on stdout stays clean
    with Progress(TextColumn("[bold]{task.description}"), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("reading runs")
        result, runs = compare(args.inputs, replications=args.replications, seed=args.seed, jobs=args.jobs,
                               results=args.results,
                               on_run=lambda name: progress.update(task, description=f"running {name}"))
    if args.format == "table" and args.out is None:
        print_comparison(result, console)
    else:
        text = FORMATS["markdown" if args.format == "table" else args.format](result)
        if args.out is None:
            sys.stdout.write(text)
        else:
            _write_new(args.out, text)
            console.print(f"Comparison written to {args.out}")
    if args.html is not None:
        from .report.html import comparison_report_html
        _write_new(args.html, comparison_report_html(runs))
        console.print(f"HTML report written to {args.html}")
    return 0


def _write_new(path: Path, text: str) -> None:
    """Write a file; an existing one is kept beside it as NAME.previous-N, never overwritten silently."""
    if path.exists():
        n = 1
        while path.with_name(f"{path.name}.previous-{n}").exists():
            n += 1
        path.rename(path.with_name(f"{path.name}.previous-{n}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _validate(args, console: Console) -> int:
    scenario = _load(args)
    shops = ", ".join(f"{name} ({len(shop.stations)} stations)" for name, shop in scenario.shops.items())
    console.print(f"{args.scenario}: valid scenario {scenario.name!r}: {shops}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
