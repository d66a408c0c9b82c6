"""Writing a run's results folder without losing an earlier run.

results/<name>/ holds summary.json, stations.csv, buffers.csv, throughput.csv
and run.json (when and how long: kept out of summary.json so that the same
scenario and seed give byte-identical summaries). If the folder already holds a
run, its files move to results/<name>/history/<run-id>/ first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

from .folder import from_result
from .html import run_report_html

RESULT_FILES = ("summary.json", "stations.csv", "buffers.csv", "throughput.csv", "staffing.csv", "workload.csv",
                "pools.csv", "store_levels.csv", "report.html", "run.json")


def summary_json(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def write_results(result, out_dir: Path, wall_seconds: float) -> tuple[Path, Path | None]:
    """Write the run; returns (folder, history folder of the earlier run or None)."""
    out_dir = Path(out_dir)
    kept = _keep_earlier(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    text = summary_json(result.summary)
    (out_dir / "summary.json").write_text(text, encoding="utf-8")
    result.stations.to_csv(out_dir / "stations.csv", index=False, float_format="%.6g")
    result.buffers.to_csv(out_dir / "buffers.csv", index=False, float_format="%.6g")
    result.throughput.to_csv(out_dir / "throughput.csv", index=False)
    result.staffing.to_csv(out_dir / "staffing.csv", index=False)
    result.workload.to_csv(out_dir / "workload.csv", index=False)
    result.pools.to_csv(out_dir / "pools.csv", index=False, float_format="%.6g")
    result.store_levels.to_csv(out_dir / "store_levels.csv", index=False)
    (out_dir / "report.html").write_text(run_report_html(from_result(result)), encoding="utf-8")
    meta = {
        "run_id": _run_id(text),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 2),
        "summary_sha256": hashlib.sha256(text.encode()).hexdigest(),
    }
    (out_dir / "run.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    return out_dir, kept


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
