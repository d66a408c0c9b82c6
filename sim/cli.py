"""Command line: a thin shell over the Python API.

    python -m sim run SCENARIO [--replications N] [--seed S] [--jobs J] [--set PATH=VALUE] [--name NAME] [--detail]
    python -m sim show RUN_FOLDER [SECTION]
    python -m sim validate SCENARIO
    python -m sim staff SCENARIO --target N [--confidence 0.95] [--screen-days N]
    python -m sim compare RESULTS_OR_SCENARIO RESULTS_OR_SCENARIO ... [--format table|markdown|csv|json]
    python -m sim bottleneck SCENARIO [--top N] [--resource NAME] [--replications R] [--jobs J] [--set PATH=VALUE]
                             [--screen-days N] [--confirm N]

run, bottleneck, staff and compare (its scenario files) take [--days N | --years N] [--warmup DAYS]: a
shorter (or longer) run than the scenario's horizon.

Scenario problems print as a short list (file, YAML path, line, what is
allowed) and exit with status 2; tracebacks only with --debug.

Exit status: 0 done; 1 an unexpected error; 2 bad input (scenario, results
folder, a run refused before it starts); 3 no staffing option meets the target;
130 stopped with Ctrl-C and nothing kept (a `sim run` stopped after some
replications writes those, flagged as interrupted, and exits 0).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .version import __version__
from .experiment import preflight
from .experiment.comparing import compare
from .experiment.marginal import CHANGES, CONFIRMED, WIDE_RULE, find_resource, marginal_values, too_wide
from .experiment.screening import SCREEN_DAYS, screening
from .experiment.runner import run
from .experiment.staffing_search import search
from .report import rendered_files
from .report.comparison import FORMATS, print_comparison
from .report.console import (print_answer, print_marginal, print_report, print_search, print_section, print_too_wide,
                             section_names)
from .results import RunFolderError, ensure_writable, read_run, write_run
from .scenario.topology import all_stations
from .scenario import ScenarioError, load_scenario
from .scenario.errors import did_you_mean
from .scenario.shorten import shortened

EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    argv = sys.argv[1:] if argv is None else argv
    if not argv:  # no command: say what there is, as --help does, and succeed as --help does
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    # a pipe or a CI log is no terminal: give the tables room instead of rich's 80 columns
    console = Console() if sys.stdout.isatty() else Console(width=130)
    err = _stderr()
    try:
        return args.command(args, console)
    except (ScenarioError, RunFolderError) as exc:
        err.print(str(exc), markup=False, highlight=False)
        return EXIT_INPUT
    except KeyboardInterrupt:
        err.print("interrupted: stopped by the user before any result was kept", markup=False, highlight=False)
        return EXIT_INTERRUPTED
    except Exception as exc:  # noqa: BLE001 - a short message unless --debug
        if args.debug:
            raise
        err.print(f"error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", markup=False)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sim", description="Production-capacity simulator of a CKD car plant.",
                                     epilog="Run 'sim COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"sim {__version__}")
    _debug(parser, top=True)
    commands = parser.add_subparsers(dest="command_name", metavar="COMMAND")

    def command(name: str, text: str, handler):
        sub = commands.add_parser(name, help=text, description=text, formatter_class=_Help)
        sub.set_defaults(command=handler)
        return sub

    run_cmd = command("run", "run a scenario and write results/<name>/ (tables, summary.json, report.html)", _run)
    run_cmd.add_argument("scenario", type=Path, help="the scenario file (YAML)")
    _replications(run_cmd, 1)
    _seed_and_jobs(run_cmd)
    _results_root(run_cmd)
    _overrides(run_cmd)
    _window(run_cmd)
    run_cmd.add_argument("--name", default=None,
                         help="name of the run and of its results folder (default: the scenario's name)")
    run_cmd.add_argument("--detail", action="store_true",
                         help="print every table after the short answer (as 'sim show RUN all' does later)")
    _force(run_cmd)
    _debug(run_cmd)

    show_cmd = command("show", "print a saved run's short answer, or one section's tables", _show)
    show_cmd.add_argument("folder", type=Path, metavar="RUN_FOLDER", help="a results folder (results/NAME)")
    show_cmd.add_argument("section", nargs="?", default=None, metavar="SECTION",
                          help="a section's tables instead of the answer: " + ", ".join(_show_sections()))
    _debug(show_cmd)

    staff_cmd = command("staff", "smallest headcount that meets a target (searches staffing.options)", _staff)
    staff_cmd.add_argument("scenario", type=Path, help="the scenario file (YAML) with staffing.options")
    staff_cmd.add_argument("--target", type=float, default=None,
                           help="annual units to meet (default: the scenario's target)")
    staff_cmd.add_argument("--confidence", type=float, default=0.95,
                           help="one-sided confidence that output meets the target")
    _replications(staff_cmd, 3)
    _screen_days(staff_cmd, "every option the static bound leaves")
    _window(staff_cmd)
    _seed_and_jobs(staff_cmd)
    _force(staff_cmd)
    _debug(staff_cmd)

    compare_cmd = command("compare", "compare result folders (or scenario files, run first) KPI by KPI", _compare)
    compare_cmd.add_argument("inputs", nargs="+", type=Path, metavar="RUN",
                             help="a results folder (results/NAME) or a scenario file; two or more")
    compare_cmd.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table",
                             help="how to print the comparison")
    compare_cmd.add_argument("--out", type=Path, default=None,
                             help="write the comparison to this file (an existing one is kept as FILE.previous-N)")
    compare_cmd.add_argument("--html", type=Path, default=None,
                             help="also write a self-contained HTML comparison with plots to this file")
    _replications(compare_cmd, 3, "replications of each scenario file run first")
    _window(compare_cmd, " (of each scenario file run first)")
    _seed_and_jobs(compare_cmd)
    _results_root(compare_cmd)
    _force(compare_cmd)
    _debug(compare_cmd)

    bneck_cmd = command("bottleneck", "the shifting bottleneck and what +1 point of availability, -1 s of cycle and "
                        "+1 buffer place at the top resources buy (results/<name>-bottleneck/)", _bottleneck)
    bneck_cmd.add_argument("scenario", type=Path, help="the scenario file (YAML)")
    bneck_cmd.add_argument("--top", type=_positive, default=5, metavar="N",
                           help="try the changes at the N most active resources (active-share rule)")
    bneck_cmd.add_argument("--resource", action="append", default=[], metavar="NAME",
                           help="also try them at this resource: shop.station or shop.line (repeatable)")
    _replications(bneck_cmd, 5, "replications of the base run and of every change (paired: 2 or more for intervals)")
    _screen_days(bneck_cmd, "every change")
    bneck_cmd.add_argument("--confirm", type=_positive, default=CONFIRMED, metavar="N",
                           help="after the screening, run the N best changes again over the whole horizon "
                                f"(default {CONFIRMED})")
    _seed_and_jobs(bneck_cmd)
    _results_root(bneck_cmd)
    _overrides(bneck_cmd)
    _window(bneck_cmd)
    _force(bneck_cmd)
    _debug(bneck_cmd)

    validate_cmd = command("validate", "check a scenario file (and its overrides) without running it", _validate)
    validate_cmd.add_argument("scenario", type=Path, help="the scenario file (YAML)")
    _overrides(validate_cmd)
    _debug(validate_cmd)
    return parser


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Help lines with their defaults; "(default: None)" is left out where there is none to state."""

    def _get_help_string(self, action):
        if action.default is None or action.default is False or action.default == [] or "default" in action.help:
            return action.help
        return super()._get_help_string(action)


def _replications(parser, default: int, text: str = "independent replications (95%% intervals need 2 or more)"):
    parser.add_argument("--replications", "-n", type=_positive, default=default, metavar="N", help=text)


def _screen_days(parser, what: str) -> None:
    parser.add_argument("--screen-days", type=_at_least_zero, default=SCREEN_DAYS, metavar="N",
                        help=f"first run {what} over N measured days after the warm-up, and over the whole horizon "
                             f"only what is still in the running (default {SCREEN_DAYS:g}; 0: no screening)")


def _seed_and_jobs(parser) -> None:
    parser.add_argument("--seed", type=int, default=None, metavar="S", help="random seed (default: the scenario's seed)")
    parser.add_argument("--jobs", "-j", type=_positive, default=os.cpu_count() or 1, metavar="J",
                        help="parallel processes for replications (results do not depend on it; default: all "
                             f"{os.cpu_count() or 1} cores)")


def _results_root(parser) -> None:
    parser.add_argument("--results", type=Path, default=Path("results"), metavar="DIR", help="results root folder")


def _overrides(parser) -> None:
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override a scenario value, e.g. shops.paint.quality.first_pass_yield=0.85 (repeatable)")


def _window(parser, which: str = "") -> None:
    length = parser.add_mutually_exclusive_group()
    length.add_argument("--days", type=_above_zero, default=None, metavar="N",
                        help=f"measure N days{which} after the warm-up instead of the scenario's horizon (a "
                             "shorthand for --set horizon=...; a dated ramp-up, plan or event after the last day "
                             "is cut off, with a warning)")
    length.add_argument("--years", type=_above_zero, default=None, metavar="N",
                        help="measure N years instead (fractions allowed: 0.5 is half a year): 365 calendar days "
                             "each on a dated calendar, working_days_per_year working days each otherwise")
    parser.add_argument("--warmup", type=_at_least_zero, default=None, metavar="DAYS",
                        help="days of warm-up before the measured window, excluded from the results (default: the "
                             "scenario's horizon.warmup_days)")


def _force(parser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="run even when the run is estimated to take hours or more memory than a machine has")


def _debug(parser, top: bool = False) -> None:
    # a command's --debug must not reset the one given before the command (sim --debug run ...)
    parser.add_argument("--debug", action="store_true", default=False if top else argparse.SUPPRESS,
                        help="show tracebacks")


def _load(args):
    return _shorten(args, load_scenario(args.scenario, getattr(args, "overrides", ()), getattr(args, "name", None)),
                    args.scenario)


def _shorten(args, scenario, path: Path):
    """The scenario over the --days/--years/--warmup asked for (as it is without them), each cut printed as a
    warning: a ramp-up, plan or event after the new last day is left out, not refused."""
    asked = {flag: getattr(args, key, None) for flag, key in
             (("--days", "days"), ("--years", "years"), ("--warmup", "warmup"))}
    given = " ".join(f"{flag} {value:g}" for flag, value in asked.items() if value is not None)
    scenario, cuts = shortened(scenario, asked["--days"], asked["--years"], asked["--warmup"],
                               source=f"{path} with {given}")
    for cut in cuts:
        _stderr().print(f"warning: {given}: {cut}", markup=False, highlight=False)
    return scenario


def _above_zero(text: str) -> float:
    value = _number(text)
    if not value > 0:  # not "<= 0": a nan is refused too
        raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
    return value


def _at_least_zero(text: str) -> float:
    value = _number(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {text}")
    return value


def _number(text: str) -> float:
    """A number as written: 60 stays 60 (so a message quotes it as given), 0.5 is 0.5."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a number is needed, got {text!r}") from None
    return int(value) if value.is_integer() else value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _run(args, console: Console) -> int:
    scenario = _load(args)
    out = args.results / scenario.name
    preflight.check(scenario, force=args.force)
    ensure_writable(out)  # a folder that cannot take the results fails now, not after the simulation
    err = _stderr()
    started = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(f"simulating {scenario.name}", total=args.replications)
        result = run(scenario, replications=args.replications, seed=args.seed, jobs=args.jobs,
                     on_replication=lambda done, total: progress.update(task, completed=done))
    wall = time.perf_counter() - started
    if result.interrupted:
        err.print(f"interrupted: stopped by the user after {len(result.replications)} of {args.replications} "
                  "replications; the finished ones are reported and written", markup=False, highlight=False)
    out_dir, kept = write_run(result, out, wall, rendered_files(result), on_wait=lambda: _waiting(err, out))
    if args.detail:
        print_report(result, console)
    print_answer(result.summary, console, out_dir / "report.html")
    console.print(f"Results in {out_dir}/ ({wall:.1f} s)" + (f"; the earlier run was kept in {kept}/" if kept else "")
                  + (" — interrupted: " + f"{len(result.replications)} of {args.replications} replications"
                     if result.interrupted else ""))
    return 0


def _show_sections() -> list[str]:
    return [*section_names(), "all"]


def _show(args, console: Console) -> int:
    run_folder = read_run(args.folder)
    if args.section is None:
        print_answer(run_folder.summary, console, args.folder / "report.html")
    elif args.section == "all":
        print_report(run_folder, console)
    elif args.section in _show_sections():
        print_section(run_folder, args.section, console)
    else:
        names = _show_sections()
        raise RunFolderError(f"no section {args.section!r}{did_you_mean(args.section, names, 'sections: ')}"
                             + ", ".join(names))
    return 0


def _bottleneck(args, console: Console) -> int:
    scenario = _load(args)
    out = args.results / f"{scenario.name}-bottleneck"
    found = preflight.check(scenario, force=args.force)
    for name in args.resource:
        find_resource(scenario, name)  # a bad name fails now, before the runs
    # the base run and three changes at each resource, some of which may not apply; after a screening, the
    # base and the best changes again over the whole horizon
    runs = 1 + len(CHANGES) * (args.top + len(args.resource))
    screen = screening(scenario, args.screen_days)
    stages = [(screen, runs), (scenario, 1 + min(args.confirm, runs - 1))] if screen else [(scenario, runs)]
    console.print("Estimate: at most " + preflight.workload(stages, found, args.replications, args.jobs),
                  markup=False, highlight=False)
    ensure_writable(out)
    started = time.perf_counter()
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(f"{scenario.name}: base run", total=None)
        result = marginal_values(scenario, resources=args.resource, top=args.top, replications=args.replications,
                                 jobs=args.jobs, seed=args.seed, screen_days=args.screen_days, confirm=args.confirm,
                                 on_progress=lambda done, total, label: progress.update(
                                     task, completed=done, total=total, description=f"{scenario.name}: {label}"))
    wall = time.perf_counter() - started
    run_result = result.run()
    print_marginal(run_result.summary, console)
    # one replication has no interval, so no rule to suggest a number of replications by
    print_too_wide("Too wide to rank", too_wide(result.changes), WIDE_RULE if result.replications > 1 else None,
                   console)
    rendered = {**rendered_files(run_result), "marginal.csv": result.table().to_csv(index=False)}
    out_dir, kept = write_run(run_result, out, wall, rendered, on_wait=lambda: _waiting(_stderr(), out))
    console.print(f"Results in {out_dir}/ ({wall:.1f} s)" + (f"; the earlier run was kept in {kept}/" if kept else ""))
    return 0


def _stderr() -> Console:
    return Console(stderr=True, width=None if sys.stderr.isatty() else 130)


def _waiting(err: Console, folder: Path) -> None:
    err.print(f"waiting for another run writing {folder}/", markup=False, highlight=False)


def _staff(args, console: Console) -> int:
    scenario = _shorten(args, load_scenario(args.scenario), args.scenario)
    if not 0.5 <= args.confidence < 1:
        raise SystemExit("error: --confidence must be in [0.5, 1)")
    found = preflight.check(scenario, force=args.force)
    replications = max(2, args.replications)
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as progress:
        task = progress.add_task(f"searching staffing options of {scenario.name}", total=None)
        result = search(scenario, target=args.target, confidence=args.confidence,
                        replications=replications, seed=args.seed, jobs=args.jobs, screen_days=args.screen_days,
                        on_progress=lambda done, total, label: progress.update(
                            task, completed=done, total=total, description=f"{scenario.name}: {label}"),
                        on_start=lambda stages: console.print(
                            "Estimate: at most " + preflight.workload(stages, found, replications, args.jobs)
                            + " (options the static bound does not prune)", markup=False, highlight=False),
                        on_screened=lambda stages: console.print(
                            "After the screening: at most " + preflight.workload(stages, found, replications,
                                                                                 args.jobs),
                            markup=False, highlight=False))
    print_search(result, console)
    return 0 if result.best is not None else 3


def _compare(args, console: Console) -> int:
    if len(args.inputs) < 2:
        raise SystemExit("error: compare needs at least two result folders or scenario files")
    # progress goes to stderr so that --format csv|json|markdown on stdout stays clean
    with Progress(TextColumn("[bold]{task.description}"), console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("reading runs")
        result, runs = compare(args.inputs, replications=args.replications, seed=args.seed, jobs=args.jobs,
                               results=args.results, render=rendered_files, force=args.force,
                               prepare=lambda scenario, path: _shorten(args, scenario, path),
                               on_wait=lambda folder: _waiting(_stderr(), folder),
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
        _write_new(args.html, comparison_report_html(runs, result))
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
    shops = ", ".join(f"{name} ({len(all_stations(shop))} stations"
                      + (f", {len(shop.feeders)} feeders" if shop.feeders else "") + ")"
                      for name, shop in scenario.shops.items())
    console.print(f"{args.scenario}: valid scenario {scenario.name!r}: {shops}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
