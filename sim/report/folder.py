"""A run as stored in its results folder: what `compare` and the HTML report read.

Reports render what is on disk, so a comparison of two folders shows exactly
what each run wrote, whenever it ran.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

TABLES = ("stations", "buffers", "throughput", "staffing", "workload", "store_levels", "pools")


@dataclass
class RunData:
    name: str
    path: Path | None
    summary: dict
    stations: pd.DataFrame
    buffers: pd.DataFrame
    throughput: pd.DataFrame
    staffing: pd.DataFrame
    workload: pd.DataFrame
    store_levels: pd.DataFrame
    """replication, time_h (wall hours from the start), store, level: sampled every hour."""
    pools: pd.DataFrame
    """replication, shop, pool, size, mean_present, utilisation, labour_wait_s, cars_served."""
    replication_values: dict
    """Per-replication figures for paired comparisons: {kpi: [value per replication]}."""


class ResultsFolderError(Exception):
    """A results folder that cannot be read."""


def load_run(path: str | Path) -> RunData:
    """Read a results folder written by `sim run`."""
    path = Path(path)
    summary_file = path / "summary.json"
    if not summary_file.exists():
        raise ResultsFolderError(f"{path}: no summary.json (is it a results folder written by 'sim run'?)")
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ResultsFolderError(f"{summary_file}: not valid JSON ({exc})") from None
    tables = {}
    for name in TABLES:
        file = path / f"{name}.csv"
        tables[name] = pd.read_csv(file) if file.exists() and file.stat().st_size > 1 else pd.DataFrame()
    return RunData(summary.get("scenario", path.name), path, summary, replication_values=
                   summary.get("replication_values", {}), **tables)


def from_result(result) -> RunData:
    """The same view of a run still in memory (a RunResult)."""
    return RunData(result.summary["scenario"], None, result.summary, result.stations, result.buffers,
                   result.throughput, result.staffing, result.workload, result.store_levels, result.pools,
                   result.summary.get("replication_values", {}))
