"""`sim compare`: result folders (or scenario files, run first) compared KPI by KPI."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..analysis.compare import compare as compare_summaries
from ..results import RunResult, ensure_writable, read_run, write_run
from ..scenario import Scenario, load_scenario
from . import preflight
from .runner import run


def compare(inputs: list[str | Path], replications: int = 3, seed: int | None = None, jobs: int = 1,
            results: str | Path = "results", confidence: float = 0.95, on_run=None,
            render: Callable[[RunResult], dict[str, str]] | None = None, force: bool = False,
            on_wait: Callable[[Path], None] | None = None,
            prepare: Callable[[Scenario, Path], Scenario] | None = None) -> tuple[dict, list[RunResult]]:
    """Compare two or more runs; a scenario file is run first (same seed for all: paired comparison)
    and written to its results folder, with the files ``render(run)`` makes (the report).

    Before anything is simulated every scenario file is loaded and checked (``preflight.check``, which
    ``force`` relaxes) and its results folder made and probed, so a bad input fails at once.
    ``on_wait(folder)`` is called when writing waits for another run writing the same folder.
    ``prepare(scenario, path)`` changes each scenario file's scenario before it is checked and run (the
    command line's --days: ``scenario.shorten.shortened``).
    """
    if len(inputs) < 2:
        raise ValueError("compare needs at least two result folders or scenario files")
    items = []
    for item in inputs:
        path = Path(item)
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            scenario = load_scenario(path)
            if prepare is not None:
                scenario = prepare(scenario, path)
            preflight.check(scenario, force=force)
            ensure_writable(Path(results) / scenario.name)
            items.append(scenario)
        else:
            items.append(path)
    runs = []
    for item in items:
        if not isinstance(item, Path):
            if on_run:
                on_run(item.name)
            started = time.perf_counter()
            result = run(item, replications=replications, seed=seed, jobs=jobs)
            folder = Path(results) / item.name
            item, _ = write_run(result, folder, time.perf_counter() - started, render(result) if render else None,
                                on_wait=(lambda folder=folder: on_wait(folder)) if on_wait else None)
            if result.interrupted:  # Ctrl-C: what finished is written, the comparison is not made
                raise KeyboardInterrupt
        runs.append(read_run(item))
    names = _unique_names([r.name for r in runs])
    return compare_summaries([r.summary for r in runs], names, confidence,
                             [r.provenance.get("resolved_scenario", {}) for r in runs]), runs


def _unique_names(names: list[str]) -> list[str]:
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in out:
            n += 1
            candidate = f"{name} ({n})"
        out.append(candidate)
    return out
