"""`sim compare`: identical runs, the direction of a real change, parseable outputs."""
import csv
import io
import json

import pytest
import yaml

from sim.cli import main
from sim.report.comparison import kpi_label


@pytest.fixture(scope="module")
def folders(tmp_path_factory, request):
    from tests_paths import SMALL
    root = tmp_path_factory.mktemp("cmp")
    raw = yaml.safe_load(SMALL.read_text())
    raw["horizon"] = {"days": 8, "warmup_days": 1}
    raw["name"] = "plant"
    base = root / "plant.yaml"
    base.write_text(yaml.safe_dump(raw, sort_keys=False))
    # the body shop limits this plant: a third body shift must raise output
    three = root / "plant-3shift.yaml"
    three.write_text(yaml.safe_dump({"extends": "plant.yaml", "name": "plant-3shift",
                                     "shops": {"body": {"shifts": {"count": 3, "length": "8 h"}}}}))
    results = root / "results"
    for args in ([str(base)], [str(base), "--name", "plant-again"], [str(three)]):
        assert main(["run", *args, "-n", "4", "--seed", "5", "--jobs", "1", "--results", str(results)]) == 0
    return results


def compare_json(capsys, *args) -> dict:
    capsys.readouterr()
    assert main(["compare", *map(str, args), "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def row(result, kpi):
    return next(r for r in result["kpis"] if r["kpi"] == kpi)


def test_identical_runs_show_no_significant_difference(folders, capsys):
    result = compare_json(capsys, folders / "plant", folders / "plant-again")
    for r in result["kpis"]:
        for d in r["differences"]:
            assert not d["significant"], r["kpi"]
    d = row(result, "annual output")["differences"][0]
    assert d["diff"] == 0 and d["method"].startswith("paired")
    assert [c["path"] for c in result["changes"][0]] == ["name"]


def test_three_shifts_raise_output_significantly(folders, capsys):
    result = compare_json(capsys, folders / "plant", folders / "plant-3shift")
    d = row(result, "annual output")["differences"][0]
    assert d["diff"] > 0 and d["significant"] and d["ci95_low"] > 0
    paths = {c["path"]: (c["from"], c["to"]) for c in result["changes"][0]}
    assert paths["shops.body.shifts.count"] == (2, 3)


def test_markdown_and_csv_parse_back_to_the_same_numbers(folders, capsys):
    result = compare_json(capsys, folders / "plant", folders / "plant-3shift")
    assert main(["compare", str(folders / "plant"), str(folders / "plant-3shift"), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert main(["compare", str(folders / "plant"), str(folders / "plant-3shift"), "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    table = [line.strip("|").split("|") for line in markdown.splitlines() if line.startswith("| ")][1:]
    by_kpi = {cells[0].strip(): cells for cells in table}
    for r in result["kpis"]:
        base, other = r["values"]
        if not isinstance(base, (int, float)) or base is None:
            continue
        label = kpi_label(r, plain=True)
        from_csv = [x for x in rows if x["kpi"] == label]
        assert float(from_csv[0]["value"]) == pytest.approx(base, rel=1e-5)
        assert float(from_csv[1]["value"]) == pytest.approx(other, rel=1e-5)
        assert float(by_kpi[label][1]) == pytest.approx(base, rel=1e-5)
        assert float(by_kpi[label][2]) == pytest.approx(other, rel=1e-5)
        if r["differences"][0]["diff"] is not None:
            assert float(from_csv[1]["diff"]) == pytest.approx(r["differences"][0]["diff"], rel=1e-5, abs=1e-9)
    # plain numbers under a label that says what they are: a duration in decimal hours, not h:mm
    assert "lead time mean (hours)" in by_kpi and "h:mm" not in markdown
    lead = row(result, "lead time mean")["values"][0]
    assert float(by_kpi["lead time mean (hours)"][1]) == pytest.approx(lead, rel=1e-5)


def test_one_replication_cannot_judge(folders, tmp_path, capsys):
    from tests_paths import SMALL
    assert main(["run", str(SMALL), "-n", "1", "--jobs", "1", "--results", str(tmp_path), "--name", "one"]) == 0
    result = compare_json(capsys, folders / "plant", tmp_path / "one")
    assert row(result, "annual output")["differences"][0]["method"] == "cannot judge: a run has 1 replication"


def test_out_file_is_never_overwritten_silently(folders, tmp_path, capsys):
    out = tmp_path / "cmp.md"
    for _ in range(2):
        assert main(["compare", str(folders / "plant"), str(folders / "plant-again"), "--format", "markdown",
                     "--out", str(out)]) == 0
    assert out.exists() and (tmp_path / "cmp.md.previous-1").exists()


def test_not_a_results_folder(tmp_path, capsys):
    assert main(["compare", str(tmp_path), str(tmp_path)]) == 2
    assert "no summary.json" in capsys.readouterr().err
