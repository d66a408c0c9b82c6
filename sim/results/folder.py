"""Writing a run's results folder without losing an earlier run, and reading it back.

results/<name>/ holds summary.json, a CSV per table, any rendered files the
caller adds (report.html) and run.json (when and how long, and the sha256 of
every file of the run: kept out of summary.json so that the same scenario and
seed give byte-identical summaries).

Crash safety. A run writes its files into a fresh folder results/<name>/.incoming-*/
(each file flushed and fsynced), then publishes under an exclusive lock on
results/<name>/.lock (removed again once the run is published, so a finished folder holds only its files):

1. leftover .incoming-* folders of dead runs and half-assembled history folders are removed;
2. the run in place (if any) is hard-linked into history/.assembling-*/, which is renamed
   to history/<its run id>/ once complete (so the earlier run is complete in place, then in
   history, at every moment);
3. run.json in place is removed (the folder is now incomplete, never mixed), then every new
   file is renamed into place, run.json last.

A folder is complete when run.json exists and every file it lists has that hash;
``read_run`` refuses anything else. A run killed at any moment leaves the earlier
run complete (in place or in history) and no half-written file under a final name;
concurrent runs into one folder publish one after another.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import hashlib
import io
import json
import math
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from .. import registry
from ..analysis.shapes import faults, number, numbers, optional_number, optional_text, text, texts
from ..scenario import ScenarioError, validate_scenario
from .run import TABLES, RunResult

PROVENANCE = "provenance.json"
"""Which sim ran which inputs (``RunResult.provenance``): beside the figures, not among them."""
RESULT_FILES = ("summary.json", PROVENANCE, "report.html", "run.json") + tuple(f"{name}.csv" for name in TABLES)
"""The files every run writes; a component's tables (``RunResult.optional``) are listed in its run.json."""

_FLOAT_FORMAT = {"stations": "%.6g", "buffers": "%.6g", "pools": "%.6g"}
"""Tables of shares and means are written to 6 significant digits; counts as they are."""

LOCK = ".lock"
INCOMING = ".incoming-"
ASSEMBLING = ".assembling-"
MAX_INT_DIGITS = 30
"""An integer in summary.json longer than this is refused (no figure of a plant needs more)."""


class RunFolderError(Exception):
    """A results folder that cannot be read or written."""


def summary_json(summary: dict) -> str:
    return json.dumps(summary, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


# ---------------------------------------------------------------------------------------------- writing

def ensure_writable(out_dir: Path) -> None:
    """Create ``out_dir`` and a probe file in it (removed again); RunFolderError naming the folder if it cannot be."""
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".probe-", dir=out_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise RunFolderError(f"{out_dir}/: cannot write results there ({_reason(exc)})") from None


def write_run(run: RunResult, out_dir: Path, wall_seconds: float, rendered: dict[str, str] | None = None,
              on_wait: Callable[[], None] | None = None) -> tuple[Path, Path | None]:
    """Write the run (and ``rendered`` files such as report.html); returns (folder, history folder or None).

    ``on_wait()`` is called once if another run is publishing into the same folder and this one waits for it.
    """
    out_dir = Path(out_dir)
    ensure_writable(out_dir)
    text = summary_json(run.summary)
    contents: dict[str, bytes] = {"summary.json": text.encode("utf-8")}
    if run.provenance:
        contents[PROVENANCE] = summary_json(run.provenance).encode("utf-8")
    for name in TABLES:
        buffer = io.StringIO()
        getattr(run, name).to_csv(buffer, index=False, float_format=_FLOAT_FORMAT.get(name))
        contents[f"{name}.csv"] = buffer.getvalue().encode("utf-8")
    for name, table in run.optional.items():
        contents[f"{name}.csv"] = table.to_csv(index=False, float_format="%.6g").encode("utf-8")
    for name, content in (rendered or {}).items():
        if name == "run.json" or "/" in name or name.startswith("."):
            raise ValueError(f"cannot write a rendered file named {name!r}")
        contents[name] = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    summary_sha = _sha(contents["summary.json"])
    meta = {
        "run_id": _run_id(summary_sha),
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "wall_seconds": round(wall_seconds, 2),
        "summary_sha256": summary_sha,
        "files": {name: _sha(data) for name, data in contents.items()},
    }
    contents["run.json"] = (json.dumps(meta, indent=2) + "\n").encode("utf-8")

    lock_fd = None
    incoming = incoming_fd = None
    try:
        # create the incoming folder and lock it under a shared lock: a publisher (exclusive) cleaning
        # leftovers never sees a folder whose writer has not locked it yet
        lock_fd, waited = _lock(out_dir, fcntl.LOCK_SH, on_wait, False)
        try:
            incoming = Path(tempfile.mkdtemp(prefix=INCOMING, dir=out_dir))
            incoming_fd = os.open(incoming, os.O_RDONLY)
            fcntl.flock(incoming_fd, fcntl.LOCK_EX)
        finally:
            fcntl.flock(lock_fd, fcntl.LOCK_UN)
        for name, data in contents.items():
            _write_durably(incoming / name, data)
        os.fsync(incoming_fd)
        os.close(lock_fd)  # the lock file may be gone by now (another run published): take it afresh
        lock_fd = None
        lock_fd, _ = _lock(out_dir, fcntl.LOCK_EX, on_wait, waited)
        kept = _publish(out_dir, incoming, list(contents), meta["run_id"])
        os.unlink(out_dir / LOCK)  # ours (checked in _lock) and held exclusively: no run can be inside it
        return out_dir, kept
    except OSError as exc:
        raise RunFolderError(f"{out_dir}/: cannot write results there ({_reason(exc)})") from None
    finally:
        if incoming is not None and incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)  # a run that failed before publishing
        if incoming_fd is not None:
            os.close(incoming_fd)
        if lock_fd is not None:
            os.close(lock_fd)  # releases the lock


def _publish(out_dir: Path, incoming: Path, names: list[str], run_id: str) -> Path | None:
    """Under the exclusive lock: keep the run in place in history, then move the new files in, run.json last."""
    _remove_leftovers(out_dir, incoming)
    kept = _keep_earlier(out_dir, names)
    present = _present_files(out_dir, names)
    if "run.json" in present:  # from here the folder is incomplete (no run.json), never a mix that reads as complete
        os.unlink(out_dir / "run.json")
        _fsync_dir(out_dir)
    for name in present:
        if name != "run.json" and name not in names:  # a file of the earlier run the new run does not have
            os.unlink(out_dir / name)
    for name in names:
        if name != "run.json":
            os.replace(incoming / name, out_dir / name)
    _fsync_dir(out_dir)
    os.replace(incoming / "run.json", out_dir / "run.json")
    _fsync_dir(out_dir)
    os.rmdir(incoming)
    return kept


def _remove_leftovers(out_dir: Path, mine: Path) -> None:
    """Incoming folders of runs that died (their lock is free) and history folders never renamed into place."""
    for path in out_dir.glob(INCOMING + "*"):
        if path == mine or not path.is_dir():
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live run still writing it
        else:
            shutil.rmtree(path, ignore_errors=True)
        finally:
            os.close(fd)
    for path in (out_dir / "history").glob(ASSEMBLING + "*"):
        shutil.rmtree(path, ignore_errors=True)  # assembled only under the exclusive lock we hold


def _present_files(out_dir: Path, also: list[str] = ()) -> list[str]:
    """Names of the run files in place: the usual ones, those its run.json lists and ``also`` (the new run's);
    any other file in the folder is left alone."""
    known = set(RESULT_FILES) | set(also)
    try:
        listed = json.loads((out_dir / "run.json").read_bytes()).get("files")
        if isinstance(listed, dict):
            known |= {str(name) for name in listed if "/" not in str(name) and not str(name).startswith(".")}
    except (OSError, ValueError, AttributeError):
        pass
    return sorted(name for name in known if (out_dir / name).is_file() and not (out_dir / name).is_symlink())


def _keep_earlier(out_dir: Path, new_names: list[str]) -> Path | None:
    """Hard-link the run in place into history/<its run id>/ (assembled under a temporary name, then renamed).
    Files of a run that never finished publishing (no complete run.json) go to history/<time>-incomplete/."""
    present = _present_files(out_dir, new_names)
    if not present:
        return None
    run_json = out_dir / "run.json"
    run_id = None
    complete = _problem(out_dir) is None
    if complete:
        try:
            run_id = json.loads(run_json.read_text(encoding="utf-8"))["run_id"]
        except (OSError, ValueError, KeyError, TypeError):
            run_id = None
    if not isinstance(run_id, str) or not run_id or "/" in run_id or run_id.startswith("."):
        stamp = dt.datetime.fromtimestamp((out_dir / present[0]).stat().st_mtime, dt.timezone.utc)
        run_id = stamp.strftime("%Y%m%dT%H%M%SZ") + ("-earlier" if complete else "-incomplete")
    history = out_dir / "history"
    history.mkdir(exist_ok=True)
    target = history / run_id
    n = 1
    while target.exists():
        if run_json.exists() and (target / "run.json").exists() \
                and (target / "run.json").read_bytes() == run_json.read_bytes():
            return target  # kept already by a run that died before replacing it
        n += 1
        target = history / f"{run_id}-{n}"
    assembling = Path(tempfile.mkdtemp(prefix=ASSEMBLING, dir=history))
    for name in present:
        _link_or_copy(out_dir / name, assembling / name)
    _fsync_dir(assembling)
    os.rename(assembling, target)
    _fsync_dir(history)
    return target


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        _write_durably(target, source.read_bytes())


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _lock(out_dir: Path, mode: int, on_wait, waited: bool) -> tuple[int, bool]:
    """Open results/<name>/.lock and take it in ``mode``; returns the descriptor and whether we waited.

    A publisher removes the lock file when it is done, so a run that waited on it may hold a lock on a file
    no longer in the folder while a third run locks a new one: after taking the lock, the file at the path
    must still be the one we hold, else we take the new one."""
    while True:
        fd = _open_lock(out_dir)
        try:
            waited = _flock(fd, mode, on_wait, waited)
            if _same_file(fd, out_dir / LOCK):
                return fd, waited
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        here = os.stat(path)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (held.st_dev, held.st_ino)


def _open_lock(out_dir: Path) -> int:
    try:
        return os.open(out_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise RunFolderError(f"{out_dir}/: cannot write results there ({_reason(exc)})") from None


def _flock(fd: int, mode: int, on_wait, waited: bool) -> bool:
    """Take the lock, telling ``on_wait`` (once) when another run holds it; returns whether we waited."""
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
        return waited
    except BlockingIOError:
        if on_wait and not waited:
            on_wait()
        fcntl.flock(fd, mode)
        return True


def _reason(exc: OSError) -> str:
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return "a file is in the way of the folder"
    return exc.strerror or str(exc)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run_id(summary_sha: str) -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{summary_sha[:8]}"


# ---------------------------------------------------------------------------------------------- reading

def read_run(path: str | Path) -> RunResult:
    """Read a complete results folder written by `sim run`, with its scenario typed again.

    RunFolderError (naming the folder and the fault) for a folder that is incomplete (no run.json, or a
    file that does not have the hash run.json records: the run did not finish writing) or whose
    summary.json is not the summary compare needs.
    """
    path = Path(path)
    if not (path / "summary.json").exists():
        raise RunFolderError(f"{path}: no summary.json (is it a results folder written by 'sim run'?)")
    checked: dict[str, bytes] = {}  # the files hashed for the check are read once
    problem = _problem(path, checked)
    if problem:
        raise RunFolderError(f"{path}: {problem}")
    summary_file = path / "summary.json"
    summary = parse_summary(checked.get("summary.json") or summary_file.read_bytes(), path)
    tables = {name: _read_table(path / f"{name}.csv", checked.get(f"{name}.csv")) for name in TABLES}
    core = {f"{name}.csv" for name in TABLES}
    optional = {name[:-4]: _read_table(path / name, data) for name, data in checked.items()
                if name.endswith(".csv") and name not in core}  # the components' tables, as run.json lists them
    stored = _provenance(summary, checked.get(PROVENANCE), path)
    return RunResult(_stored_scenario(stored, path / PROVENANCE), summary.get("seed"), summary, path=path,
                     interrupted=summary.get("interrupted") is True, optional=optional, provenance=stored, **tables)


def _provenance(summary: dict, data: bytes | None, folder: Path) -> dict:
    """The folder's provenance.json; a folder written before it existed kept the same keys in summary.json."""
    if data is None:
        return {key: summary[key] for key in ("package_version", "scenario_sha256", "resolved_scenario")
                if key in summary}
    try:
        stored = json.loads(data)
    except ValueError as exc:
        raise RunFolderError(f"{folder}: {PROVENANCE} is not JSON ({exc})") from None
    if not isinstance(stored, dict):
        raise RunFolderError(f"{folder}: {PROVENANCE} is not a JSON object")
    return stored


def _problem(path: Path, checked: dict[str, bytes] | None = None) -> str | None:
    """Why the folder is not a complete run (None when it is); ``checked`` receives the bytes of the files hashed."""
    unfinished = "the run did not finish writing it"
    run_json = path / "run.json"
    if not run_json.exists():
        return f"no run.json: {unfinished} (or it is no results folder written by 'sim run')"
    try:
        meta = json.loads(run_json.read_bytes())
    except (OSError, ValueError) as exc:
        return f"run.json is not valid JSON ({exc}): {unfinished}"
    if not isinstance(meta, dict) or not isinstance(meta.get("run_id"), str) or not meta["run_id"]:
        return f"run.json has no run_id: {unfinished}"
    files = meta.get("files")
    if files is None:  # written before run.json recorded every file: the summary's hash, if any
        files = {"summary.json": meta["summary_sha256"]} if isinstance(meta.get("summary_sha256"), str) else {}
    if not isinstance(files, dict):
        return "run.json: 'files' is not a table of file hashes"
    for name, digest in files.items():
        file = path / str(name)
        if "/" in str(name) or not file.is_file():
            return f"{name} is missing: {unfinished}"
        try:
            data = file.read_bytes()
        except OSError as exc:
            return f"{name} cannot be read ({_reason(exc)})"
        actual = _sha(data)
        if checked is not None:
            checked[str(name)] = data
        if actual != digest:
            return f"{name} does not have the sha256 run.json records: {unfinished} (or it was edited since)"
    return None


def parse_summary(data: bytes, folder: Path) -> dict:
    """summary.json as a dict with the figures compare needs; RunFolderError naming the folder otherwise."""
    def refuse(what: str):
        raise RunFolderError(f"{folder}: summary.json {what}")

    def constant(name: str):
        refuse(f"holds {name}, which is no number")

    def integer(text: str) -> int:
        if len(text.lstrip("-")) > MAX_INT_DIGITS:
            refuse(f"holds an integer of {len(text.lstrip('-'))} digits")
        return int(text)

    def real(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            refuse(f"holds {text}, which is out of range")
        return value

    try:
        summary = json.loads(data.decode("utf-8"), parse_constant=constant, parse_int=integer, parse_float=real)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        refuse(f"is not valid JSON ({exc})")
    if not isinstance(summary, dict):
        refuse(f"is not a JSON object but {type(summary).__name__ if summary is not None else 'null'}")
    missing = list(dict.fromkeys(fault for key, check in _all_checks() for fault in faults(summary, key, check)))
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        refuse(f"lacks or has malformed {shown} (needed to compare runs)")
    return summary


def loss_rows(value) -> bool:
    """The waterfall's rows: each a cause, where and its cars a year."""
    return isinstance(value, list) and all(
        isinstance(r, dict) and text(r.get("cause")) and text(r.get("where")) and text(r.get("group")) and
        isinstance(r.get("cars"), dict) and number(r["cars"].get("mean")) for r in value)


_CHECKS = (
    ("scenario", lambda v: isinstance(v, str) and v != ""),
    ("seed", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    ("replications", lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 1),
    ("throughput.annual_units.mean", number),
    ("throughput.by_model.*", optional_number),
    ("throughput.by_market.*", optional_number),
    ("target.annual_units", number),
    ("target.attainment", optional_number),
    ("jph.*", optional_number),
    ("bottleneck.shop", text),
    ("bottleneck.station", optional_text),
    ("lead_time_hours.mean", optional_number),
    ("lead_time_hours.p95", optional_number),
    # the sections a run may lack (``?``), as compare and the comparison report read them when they are there
    ("oee?.shops?.*.oee", optional_number),
    ("replication_values?.*", numbers),
    ("staffing?.headcount_total", number),
    ("staffing?.paid_hours_per_year", optional_number),
    ("staffing?.hours_per_vehicle", optional_number),
    ("staffing?.vehicles_per_employee_year", optional_number),
    ("static_capacity?.*", optional_number),
    ("wip_mean?", optional_number),
    ("dynamic_loss?", optional_number),
    ("headline?.output.mean", number),
    ("headline?.judged_against", text),
    ("headline?.attainment", optional_number),
    ("losses?.nameplate.mean", number),
    ("losses?.output.mean", number),
    ("losses?.by_group.*.mean", number),
    ("losses?.rows", loss_rows),
    ("description?", optional_text),
    ("warnings?", texts),
)
"""The keys of summary.json ``compare`` and the comparison report read (``shapes.faults``: ``*`` every entry,
``?`` may be absent); a component's analysis module adds those of its section (``CHECKS``)."""


def _all_checks() -> tuple:
    """``_CHECKS`` and the registered components' checks, each under the component's (optional) section."""
    return _CHECKS + tuple((f"{name}?.{key}", check) for name, module in registry.parts("analysis")
                           for key, check in getattr(module, "CHECKS", ()))


def _read_table(file: Path, data: bytes | None = None) -> pd.DataFrame:
    """A table of the folder, from the bytes already read for its hash check when there are some."""
    if data is None:
        data = file.read_bytes() if file.exists() else b""
    if len(data) <= 1:
        return pd.DataFrame()
    try:
        return pd.read_csv(io.BytesIO(data))
    except ValueError as exc:  # pandas' ParserError, EmptyDataError and a UnicodeDecodeError are ValueErrors
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RunFolderError(f"{file.parent}: {file.name} is not a CSV table compare can read ({first})") from None


def _stored_scenario(provenance: dict, source: Path):
    """The resolved scenario of the run's provenance as a Scenario; None when it no longer validates
    (a folder written by an older version): its figures can still be compared."""
    raw = provenance.get("resolved_scenario")
    if raw is None:
        return None
    try:
        return validate_scenario(raw, str(source))
    except ScenarioError:
        return None
