"""`sim bottleneck`: writes its results folder, prints the ranked list, refuses a bad resource name."""

from __future__ import annotations

import json

from sim.cli import main


def test_bottleneck_writes_its_folder_and_prints_the_ranked_table(tmp_path, small_path, capsys):
    args = ["bottleneck", str(small_path), "--results", str(tmp_path), "--jobs", "1", "-n", "2", "--top", "1",
            "--set", "horizon.days=3", "--resource", "paint.topcoat"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Shifting bottleneck" in out and "What one step buys" in out
    # before the runs: the base and 3 changes at each of 2 resources, 2 replications of 1 + 3 days each
    assert out.startswith("Estimate: at most 7 run(s) x 2 replication(s) of 4 days")
    assert "body.main line" in out and "paint.topcoat" in out
    folder = tmp_path / "small-bottleneck"
    for name in ("summary.json", "stations.csv", "report.html", "marginal.csv", "run.json"):
        assert (folder / name).exists(), name
    summary = json.loads((folder / "summary.json").read_text())
    changes = summary["marginal_values"]["changes"]
    run = [c for c in changes if not c["skipped"]]
    assert [c["gain"]["mean"] for c in run] == sorted((c["gain"]["mean"] for c in run), reverse=True)
    assert {c["resource"] for c in changes} == {"body.main line", "paint.topcoat"}
    assert summary["shifting_bottleneck"]["resources"][0]["resource"] == "main line"
    html = (folder / "report.html").read_text()
    assert "Marginal values" in html and "Shifting bottleneck" in html


def test_bad_resource_name_is_a_clear_input_error(tmp_path, small_path, capsys):
    args = ["bottleneck", str(small_path), "--results", str(tmp_path), "--resource", "paint.topcot", "-n", "1"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "topcot" in err and "paint.topcoat" in err and "Traceback" not in err
    assert not (tmp_path / "small-bottleneck").exists()
