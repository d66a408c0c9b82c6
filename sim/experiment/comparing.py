"""`sim compare`: result folders (or scenario files, run first) compared KPI by KPI."""

from __future__ import annotations

import time
from pathlib import Path

from ..analysis.compare import compare as compare_summaries
from ..report.files import write_results
from ..report.folder import RunData, load_run
from ..scenario import load_scenario
from .runner import run


def compare(inputs: list[str | Path], replications: int = 3, seed: int | None = None, jobs: int = 1,
            results: str | Path = "results", confidence: float = 0.95, on_run=None) -> tuple[dict, list[RunData]]:
    """Compare two or more runs; a scenario file is run first (same seed for all: paired comparison)."""
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
            folder, _ = write_results(result, Path(results) / scenario.name, time.perf_counter() - started)
            path = folder
        runs.append(load_run(path))
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
