"""`sim run`: results on disk, byte-identical reruns, nothing overwritten silently."""
import json

from sim.cli import main


def test_run_writes_results_and_keeps_earlier_run(tmp_path, small_path, capsys):
    args = ["run", str(small_path), "--results", str(tmp_path), "-n", "2", "--seed", "7", "--jobs", "1"]
    assert main(args) == 0
    out = tmp_path / "small"
    for name in ("summary.json", "stations.csv", "buffers.csv", "throughput.csv", "staffing.csv", "workload.csv",
                 "pools.csv", "store_levels.csv", "report.html", "run.json", "provenance.json"):
        assert (out / name).exists(), name
    first = (out / "summary.json").read_bytes()
    summary = json.loads(first)
    for key in ("scenario", "seed", "replications", "simulated_days", "throughput", "target", "jph",
                "bottleneck", "lead_time_hours", "static_capacity", "dynamic_loss"):
        assert key in summary
    provenance = json.loads((out / "provenance.json").read_bytes())
    assert set(provenance) == {"package_version", "scenario_sha256", "resolved_scenario"}
    assert not set(provenance) & set(summary)  # provenance beside the figures, not among them
    assert summary["seed"] == 7 and summary["replications"] == 2
    assert set(summary["throughput"]["by_market"]) == {"export", "domestic"}
    # a rerun, this time in a process pool: same bytes, and the earlier run moved to history/
    assert main(args[:-1] + ["2"]) == 0
    assert (out / "summary.json").read_bytes() == first
    history = list((out / "history").iterdir())
    assert len(history) == 1 and (history[0] / "summary.json").read_bytes() == first
    assert "earlier run was kept" in capsys.readouterr().out


def test_report_shows_target_bottleneck_and_shops(tmp_path, small_path, capsys):
    assert main(["run", str(small_path), "--results", str(tmp_path), "--jobs", "1", "--detail"]) == 0
    out = capsys.readouterr().out
    for text in ("Annual output against target", "Tiggo 4 Pro", "export", "domestic", "bottleneck",
                 "JPH", "static capacity", "WBS"):
        assert text in out, text


def test_run_answers_first_and_show_reads_the_answer_and_sections_back(tmp_path, small_path, capsys):
    """Without --detail, run prints the short answer only (well under 25 lines); show prints it again from the
    folder, or a section's tables; a misspelt section gets the closest name and the list, status 2."""
    assert main(["run", str(small_path), "--results", str(tmp_path), "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) < 25
    for label in ("Run:", "Output:", "Limited by:", "Bottleneck:", "Report:"):
        assert label in out, label
    assert "Annual output against target" not in out and str(tmp_path / "small" / "report.html") in out
    assert main(["show", str(tmp_path / "small")]) == 0
    shown = capsys.readouterr().out
    assert shown.split()[:40] == out.split()[:40]  # the same answer (the run's output starts after its progress bar)
    assert main(["show", str(tmp_path / "small"), "stores"]) == 0
    assert "WBS" in capsys.readouterr().out
    assert main(["show", str(tmp_path / "small"), "stattions"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'stations'?" in err and "staffing" in err


def test_sim_alone_lists_the_commands_and_succeeds(capsys):
    """`python -m sim` with no command prints what --help prints and exits 0, as --help does."""
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "usage: sim" in out and "run" in out and "compare" in out
