"""`sim compare` on a folder complete by its hashes whose summary sections or component tables are malformed:
exit status 2 and a message naming the folder, the file and the key, never a traceback."""
import hashlib
import json
import shutil
from pathlib import Path

import pytest

import sim
from sim.cli import main
from sim.results import write_run
from sim.scenario import validate_scenario

SHIFT = {"count": 2, "start": "06:00", "length": "8 h"}


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A run of two replications of a one-shop plant with kit supply and a finished-car yard."""
    raw = {
        "name": "kits-and-yard", "horizon": {"days": 3, "warmup_days": 1},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0, "export_share": 0.0}]},
        "shops": {"body": {"shifts": SHIFT, "stations": [{"name": "weld", "cycle_time": 120}]}},
        "target": {"annual_units": 100_000},
        "outbound": {"yard": {"capacity": 1000}, "trucks": {"per_day": 1, "cars_per_truck": 30, "at": ["12:30"]}},
        "supply": {"routes": {"rail": {"lead_time": "2 d", "departures": {"every": "1 d", "first": "20 h"}}},
                   "kits": {"body": {"route": "rail", "per_container": 12,
                                     "order": {"policy": "periodic", "every": "3 d"}}}},
    }
    result = sim.run(validate_scenario(raw), replications=2, seed=1)
    folder, _ = write_run(result, tmp_path_factory.mktemp("good") / "run", 1.0)
    return folder


def corrupted(good: Path, target: Path, name: str, data: bytes) -> Path:
    """A copy of ``good`` with file ``name`` replaced and run.json's hash of it rewritten: complete, but wrong."""
    shutil.copytree(good, target)
    (target / name).write_bytes(data)
    meta = json.loads((target / "run.json").read_text())
    meta["files"][name] = hashlib.sha256(data).hexdigest()
    if name == "summary.json":
        meta["summary_sha256"] = meta["files"][name]
    (target / "run.json").write_text(json.dumps(meta))
    return target


def _set(key: str, value):
    """An edit of the summary putting ``value`` at ``key`` (dotted; the last part may itself hold dots)."""
    def edit(summary: dict) -> None:
        section, _, rest = key.partition(".")
        if not rest:
            summary[section] = value
            return
        table = summary[section]
        while rest not in table and "." in rest:
            head, _, rest = rest.partition(".")
            table = table[head]
        table[rest] = value
    return edit


SUMMARY_CASES = {
    # (edit, the key the message names)
    "oee is a list": (_set("oee", [1, 2]), "oee"),
    "oee.shops is text": (_set("oee.shops", "x"), "oee.shops"),
    "a shop's oee is text": (_set("oee.shops.body.oee", "high"), "oee.shops.body.oee"),
    "outbound is a list": (_set("outbound", [1]), "outbound"),
    "outbound shipped is a number": (_set("outbound.shipped_annual", 3), "outbound.shipped_annual"),
    "outbound markets is a number": (_set("outbound.markets", 3), "outbound.markets"),
    "a market is text": (_set("outbound.markets.domestic", "a"), "outbound.markets.domestic"),
    "the yard is null": (_set("outbound.yard", None), "outbound.yard"),
    "blocked hours mean is text": (_set("outbound.blocked_hours.mean", "x"), "outbound.blocked_hours.mean"),
    "supply is a list": (_set("supply", [1]), "supply"),
    "stockout hours is a number": (_set("supply.stockout_hours", 1), "supply.stockout_hours"),
    "launches moved mean is text": (_set("supply.launches_moved.mean", "x"), "supply.launches_moved.mean"),
    "replication values is a list": (_set("replication_values", [1]), "replication_values"),
    "annual units is a number": (_set("replication_values.annual_units", 5), "replication_values.annual_units"),
    "annual units holds text": (_set("replication_values.annual_units", ["a", "b"]),
                                "replication_values.annual_units"),
    "a component's values hold text": (_set("replication_values.outbound.shipped_annual", [1, "x"]),
                                       "replication_values.outbound.shipped_annual"),
    "staffing is a list": (_set("staffing", [1]), "staffing"),
    "static capacity is a list": (_set("static_capacity", [1]), "static_capacity"),
    "warnings is a number": (_set("warnings", 5), "warnings"),
}


def compare_err(capsys, good: Path, bad: Path, *extra) -> str:
    capsys.readouterr()
    assert main(["compare", str(good), str(bad), "--format", "json", *extra]) == 2
    err = " ".join(capsys.readouterr().err.split())  # the console wraps long lines
    assert "Traceback" not in err and not err.startswith("error:"), err  # not the unexpected-error line
    return err


@pytest.mark.parametrize("label", SUMMARY_CASES)
def test_a_malformed_section_is_refused_naming_folder_file_and_key(good, tmp_path, capsys, label):
    edit, key = SUMMARY_CASES[label]
    summary = json.loads((good / "summary.json").read_text())
    edit(summary)
    bad = corrupted(good, tmp_path / "bad", "summary.json", json.dumps(summary).encode())
    err = compare_err(capsys, good, bad, "--html", str(tmp_path / "cmp.html"))
    assert str(bad) in err and "summary.json" in err and f"malformed {key} " in err, err


@pytest.mark.parametrize("name, data", [
    ("yard_levels.csv", b'replication,time_h,level\n1,2,3,4\n"open\n'),
    ("outbound.csv", b"\x00\xff\xfe"),
    ("inventory.csv", b"\n\n\n"),
    ("stations.csv", b'shop,station\n"body\n'),
])
def test_a_malformed_table_is_refused_naming_folder_and_file(good, tmp_path, capsys, name, data):
    bad = corrupted(good, tmp_path / "bad", name, data)
    err = compare_err(capsys, good, bad)
    assert str(bad) in err and name in err, err


def test_the_good_run_and_one_without_the_optional_sections_compare(good, tmp_path, capsys):
    summary = json.loads((good / "summary.json").read_text())
    for section in ("oee", "outbound", "supply", "replication_values", "staffing", "warnings"):
        del summary[section]
    bare = corrupted(good, tmp_path / "bare", "summary.json", json.dumps(summary).encode())
    assert main(["compare", str(good), str(good), "--format", "json"]) == 0
    assert main(["compare", str(good), str(bare), "--format", "json"]) == 0


def test_faults_walks_every_entry_and_skips_an_absent_optional_part():
    from sim.analysis.shapes import faults, optional_number
    summary = {"oee": {"shops": {"a": {"oee": 0.5}, "b": {"oee": "x"}, "c": 3}}}
    assert faults(summary, "oee?.shops?.*.oee", optional_number) == ["oee.shops.b.oee", "oee.shops.c"]
    assert faults({}, "oee?.shops?.*.oee", optional_number) == []
    assert faults({"oee": {}}, "oee.shops.*", optional_number) == ["oee.shops"]
