"""Reliability of the results folder: a run killed while writing, runs that meet, bad folders, bad summaries."""
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.report import rendered_files
from sim.results import RunFolderError, read_run, write_run
from sim.scenario import load_scenario
from tests_paths import SMALL

SHORT = "horizon={days: 2, warmup_days: 0}"
FAST = ["--set", SHORT, "--jobs", "1"]


def cli(*args, env=None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sim", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files_of(folder: Path) -> dict[str, str]:
    return {p.name: sha(p) for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory) -> dict[int, Path]:
    """Complete folders of two runs of the small plant (seeds 1 and 2)."""
    root = tmp_path_factory.mktemp("src")
    scenario = load_scenario(SMALL, [SHORT])
    out = {}
    for seed in (1, 2):
        result = sim.run(scenario, replications=1, seed=seed)
        out[seed], _ = write_run(result, root / str(seed) / "small", 1.0, rendered_files(result))
    return out


WRITER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import sim.results.folder as folder
    from sim.results import read_run, write_run

    step = float(os.environ["SIM_TEST_STEP"])

    def slow(fn):
        def inner(*args, **kwargs):
            time.sleep(step)
            return fn(*args, **kwargs)
        return inner

    for name in ("_write_durably", "_link_or_copy", "_fsync_dir"):
        setattr(folder, name, slow(getattr(folder, name)))
    for name in ("replace", "rename", "unlink"):
        setattr(os, name, slow(getattr(os, name)))
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    run = read_run(source)
    html = (source / "report.html").read_text(encoding="utf-8")
    print("ready", flush=True)
    write_run(run, target, 1.0, {"report.html": html})
    print("done", flush=True)
""")


@pytest.mark.slow
def test_a_finished_run_leaves_no_lock_file(two_runs, tmp_path):
    result = read_run(two_runs[1])
    for _ in range(2):  # the first run into the folder, and a rerun that keeps it in history
        folder, _ = write_run(result, tmp_path / "small", 1.0)
        assert not [p.name for p in folder.iterdir() if p.name.startswith(".")]


def test_a_run_that_waited_on_a_removed_lock_file_takes_the_new_one(tmp_path):
    """The publisher removes .lock when done: a run blocked on it then holds a file no longer in the folder, and
    must take the one at the path instead (else two runs could publish at once)."""
    import fcntl
    import threading
    from sim.results.folder import LOCK, _lock, _same_file
    first, _ = _lock(tmp_path, fcntl.LOCK_EX, None, False)
    got = {}
    waiter = threading.Thread(target=lambda: got.update(zip(("fd", "waited"),
                                                             _lock(tmp_path, fcntl.LOCK_EX, None, False))))
    waiter.start()
    time.sleep(0.2)  # the waiter is blocked on the file we hold (it ends correctly whether or not it is yet)
    os.unlink(tmp_path / LOCK)
    os.close(first)
    waiter.join(timeout=10)
    assert not waiter.is_alive() and _same_file(got["fd"], tmp_path / LOCK)
    os.close(got["fd"])


def test_kill_while_writing_never_loses_the_earlier_run(two_runs, tmp_path):
    old, new = two_runs[1], two_runs[2]
    old_files, new_files = files_of(old), files_of(new)
    old_meta = (old / "run.json").read_bytes()
    outcomes = []
    targets = []
    for k, delay in enumerate([i * 0.08 for i in range(12)]):
        target = tmp_path / str(k) / "small"
        shutil.copytree(old, target)
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(new), str(target)], stdout=subprocess.PIPE,
                                  text=True, env={**os.environ, "SIM_TEST_STEP": "0.02"})
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        # no file under a final name is half-written: each is the earlier run's or the new run's
        for name, digest in files_of(target).items():
            if name == "run.json" and digest != old_files[name]:  # the new run's: a new id and time
                meta = json.loads((target / name).read_text())
                assert meta["files"] == {n: d for n, d in new_files.items() if n != "run.json"}, delay
            else:
                assert digest in (old_files.get(name), new_files.get(name)), (delay, name)
        try:
            found = read_run(target)
        except RunFolderError as exc:
            assert str(target) in str(exc)
            outcomes.append("incomplete")
        else:
            expected = new_files if found.summary["seed"] == 2 else old_files
            assert {n: d for n, d in files_of(target).items() if n != "run.json"} == \
                {n: d for n, d in expected.items() if n != "run.json"}, delay
            outcomes.append("new" if found.summary["seed"] == 2 else "old")
        # the earlier run is complete, in place or in history
        homes = [target] + [p for p in (target / "history").glob("*") if not p.name.startswith(".")]
        kept = []
        for home in homes:
            if (home / "run.json").exists() and (home / "run.json").read_bytes() == old_meta:
                read_run(home)  # complete
                assert files_of(home) == old_files
                kept.append(home)
        assert kept, (delay, outcomes[-1])
        targets.append(target)
    assert outcomes[0] == "old" and "old" in outcomes and set(outcomes) != {"old"}, outcomes
    # the next run cleans what the killed ones left and keeps the earlier run once
    result = read_run(new)
    for target in targets:
        write_run(result, target, 1.0, {"report.html": (new / "report.html").read_text(encoding="utf-8")})
        assert read_run(target).summary["seed"] == 2
        assert not list(target.glob(".incoming-*")) and not list((target / "history").glob(".*"))
        entries = [read_run(p) for p in (target / "history").iterdir()
                   if (p / "run.json").exists() and (p / "run.json").read_bytes() == old_meta]
        assert len(entries) == 1


@pytest.mark.slow
def test_concurrent_runs_each_end_complete_in_place_or_in_history(tmp_path):
    seeds = (11, 12, 13)
    procs = [cli("run", SMALL, *FAST, "--seed", s, "--results", tmp_path) for s in seeds]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    folder = tmp_path / "small"
    final = read_run(folder).summary["seed"]
    assert final in seeds
    history = [read_run(p) for p in (folder / "history").iterdir()]
    assert sorted(r.summary["seed"] for r in history) == sorted(set(seeds) - {final})
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no .lock either


def test_results_folder_that_cannot_be_written_fails_before_simulating(tmp_path):
    (tmp_path / "small").write_text("a file where the folder should be")
    started = time.perf_counter()
    p = cli("run", SMALL, *FAST, "--results", tmp_path)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 2 and "Traceback" not in err
    assert str(tmp_path / "small") in err and "cannot write" in err
    assert "Results in" not in out and time.perf_counter() - started < 30


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_read_only_results_root(tmp_path, capsys):
    root = tmp_path / "ro"
    root.mkdir()
    root.chmod(0o500)
    try:
        assert main(["run", str(SMALL), *FAST, "--results", str(root)]) == 2
        assert str(root / "small") in capsys.readouterr().err
    finally:
        root.chmod(0o700)


def _with_summary(source: Path, target: Path, text: str, rehash: bool = True) -> Path:
    shutil.copytree(source, target)
    (target / "summary.json").write_text(text, encoding="utf-8")
    if rehash:  # a folder complete by its hashes: what is wrong is the summary itself
        meta = json.loads((target / "run.json").read_text())
        meta["files"]["summary.json"] = meta["summary_sha256"] = sha(target / "summary.json")
        (target / "run.json").write_text(json.dumps(meta))
    return target


def _bad_summaries(good: str) -> dict[str, str]:
    summary = json.loads(good)
    no_jph = {k: v for k, v in summary.items() if k != "jph"}
    return {
        "null": "null",
        "empty": "{}",
        "list": "[1, 2]",
        "missing": json.dumps(no_jph),
        "nan": good.replace('"wip_mean": ', '"wip_mean": NaN, "x": ', 1),
        "infinity": good.replace('"seed": ', '"seed": Infinity, "y": ', 1),
        "huge": good.replace('"seed": ', f'"seed": {10 ** 400}, "y": ', 1),
        "huge_float": good.replace('"wip_mean": ', '"wip_mean": 1e400, "x": ', 1),
        "mean_text": good.replace('"mean": ', '"mean": "many", "z": ', 1),
        "truncated": good[: len(good) // 2],
    }


def test_compare_refuses_bad_summaries_naming_the_folder(two_runs, tmp_path, capsys):
    good = two_runs[1]
    text = (good / "summary.json").read_text(encoding="utf-8")
    for label, bad in _bad_summaries(text).items():
        folder = _with_summary(good, tmp_path / label, bad)
        capsys.readouterr()
        assert main(["compare", str(good), str(folder)]) == 2, label
        err = capsys.readouterr().err
        assert str(folder) in err and "summary.json" in err and "Traceback" not in err, (label, err)


def test_compare_refuses_an_unfinished_folder_and_accepts_an_older_one(two_runs, tmp_path, capsys):
    good = two_runs[1]
    edited = _with_summary(good, tmp_path / "edited", (good / "summary.json").read_text() + " ", rehash=False)
    no_meta = tmp_path / "no-meta"
    shutil.copytree(good, no_meta)
    (no_meta / "run.json").unlink()
    short = tmp_path / "short"
    shutil.copytree(good, short)
    (short / "stations.csv").write_bytes((short / "stations.csv").read_bytes()[:10])
    for folder in (edited, no_meta, short):
        assert main(["compare", str(good), str(folder)]) == 2
        err = capsys.readouterr().err
        assert str(folder) in err and "did not finish writing" in err, err
    older = tmp_path / "older"  # written before run.json recorded file hashes
    shutil.copytree(good, older)
    (older / "run.json").write_text(json.dumps({"run_id": "20250101T000000Z-abcdef12", "wall_seconds": 1.0}))
    assert main(["compare", str(good), str(older), "--format", "json"]) == 0


@pytest.mark.slow
def test_summary_does_not_depend_on_the_hash_seed(tmp_path):
    procs = [cli("run", SMALL, *FAST, "--seed", 4, "--results", tmp_path / str(h),
                 env={**os.environ, "PYTHONHASHSEED": str(h)}) for h in (1, 2)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
    assert (tmp_path / "1" / "small" / "summary.json").read_bytes() == \
        (tmp_path / "2" / "small" / "summary.json").read_bytes()
