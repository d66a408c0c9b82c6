"""`sim compare`: result folders (or scenario files, run first) compared KPI by KPI."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from ..analysis.compare import compare as compare_summaries
from ..results import RunResult, read_run, write_run
from ..scenario import load_scenario
from .runner import run


def compare(inputs: list[str | Path], replications: int = 3, seed: int | None = None, jobs: int = 1,
            results: str | Path = "results", confidence: float = 0.95, on_run=None,
            render: Callable[[RunResult], dict[str, str]] | None = None) -> tuple[dict, list[RunResult]]:
    """Compare two or more runs; a scenario file is run first (same seed for all: paired comparison)
    and written to its results folder, with the files ``render(run)`` makes (the report)."""
    if len(inputs) < 2:
        raise ValueError("compare needs at least two result folders or scenario files")
    runs = []
    for item in inputs:
        path = Path(item)
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            scenario = load_scenario(path)
            if on_run:
                on_run(scenario.name)
            started = time.perf_counter()
            result = run(scenario, replications=replications, seed=seed, jobs=jobs)
            path, _ = write_run(result, Path(results) / scenario.name, time.perf_counter() - started,
                                render(result) if render else None)
        runs.append(read_run(path))
    names = _unique_names([r.name for r in runs])
    return compare_summaries([r.summary for r in runs], names, confidence), runs


def _unique_names(names: list[str]) -> list[str]:
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in out:
            n += 1
            candidate = f"{name} ({n})"
        out.append(candidate)
    return out
