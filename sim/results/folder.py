"""Writing a run's results folder without losing an earlier run, and reading it back.

results/<name>/ holds summary.json, a CSV per table, any rendered files the
caller adds (report.html) and run.json (when and how long: kept out of
summary.json so that the same scenario and seed give byte-identical summaries).
If the folder already holds a run, its files move to
results/<name>/history/<run-id>/ first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import pandas as pd

from ..scenario import ScenarioError, validate_scenario
from .run import TABLES, RunResult

RESULT_FILES = ("summary.json", "stations.csv", "buffers.csv", "throughput.csv", "staffing.csv", "workload.csv",
                "pools.csv", "store_levels.csv", "report.html", "run.json")

_FLOAT_FORMAT = {"stations": "%.6g", "buffers": "%.6g", "pools": "%.6g"}
"""Tables of shares and means are written to 6 significant digits; counts as they are."""


class RunFolderError(Exception):
    """A results folder that cannot be read or written."""


def summary_json(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_run(run: RunResult, out_dir: Path, wall_seconds: float,
              rendered: dict[str, str] | None = None) -> tuple[Path, Path | None]:
    """Write the run (and ``rendered`` files such as report.html); returns (folder, history folder or None)."""
    out_dir = Path(out_dir)
    kept = _keep_earlier(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = summary_json(run.summary)
    (out_dir / "summary.json").write_text(text, encoding="utf-8")
    for name in TABLES:
        getattr(run, name).to_csv(out_dir / f"{name}.csv", index=False, float_format=_FLOAT_FORMAT.get(name))
    for name, content in (rendered or {}).items():
        (out_dir / name).write_text(content, encoding="utf-8")
    meta = {
        "run_id": _run_id(text),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 2),
        "summary_sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
    (out_dir / "run.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out_dir, kept


def read_run(path: str | Path) -> RunResult:
    """Read a results folder written by `sim run`, with its scenario typed again."""
    path = Path(path)
    summary_file = path / "summary.json"
    if not summary_file.exists():
        raise RunFolderError(f"{path}: no summary.json (is it a results folder written by 'sim run'?)")
    try:
        summary = json.loads(summary_file.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise RunFolderError(f"{summary_file}: not valid JSON ({exc})") from None
    tables = {name: _read_table(path / f"{name}.csv") for name in TABLES}
    return RunResult(_stored_scenario(summary, summary_file), summary.get("seed"), summary, path=path, **tables)


def _read_table(file: Path) -> pd.DataFrame:
    return pd.read_csv(file) if file.exists() and file.stat().st_size > 1 else pd.DataFrame()


def _stored_scenario(summary: dict, source: Path):
    """The resolved scenario of summary.json as a Scenario; None when it no longer validates
    (a folder written by an older version): its figures can still be compared."""
    raw = summary.get("resolved_scenario")
    if raw is None:
        return None
    try:
        return validate_scenario(raw, str(source))
    except ScenarioError:
        return None


def _run_id(summary_text: str) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{hashlib.sha256(summary_text.encode()).hexdigest()[:8]}"


def _keep_earlier(out_dir: Path) -> Path | None:
    """Move an earlier run's files into history/<its run id>/; never overwrite."""
    present = [out_dir / f for f in RESULT_FILES if (out_dir / f).exists()]
    if not present:
        return None
    run_id = None
    try:
        run_id = json.loads((out_dir / "run.json").read_text())["run_id"]
    except (OSError, ValueError, KeyError):
        pass
    if not run_id:
        stamp = dt.datetime.fromtimestamp(present[0].stat().st_mtime, dt.timezone.utc)
        run_id = stamp.strftime("%Y%m%dT%H%M%SZ") + "-earlier"
    target = out_dir / "history" / run_id
    n = 1
    while target.exists():
        n += 1
        target = out_dir / "history" / f"{run_id}-{n}"
    target.mkdir(parents=True)
    for path in present:
        shutil.move(str(path), target / path.name)
    return target
