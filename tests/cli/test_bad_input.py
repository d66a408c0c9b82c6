"""Bad input: a short error naming file, YAML path and what is allowed; exit 2; no traceback."""
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sim.cli import main


def run_cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=120)


def write(tmp_path: Path, raw_or_text, name="bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(raw_or_text if isinstance(raw_or_text, str) else yaml.safe_dump(raw_or_text, sort_keys=False))
    return path


def errors_of(capsys, path: Path) -> str:
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return captured.err


def test_yaml_syntax_error_names_file_and_line(tmp_path, capsys):
    path = write(tmp_path, "name: x\nshops: [unclosed\n")
    err = errors_of(capsys, path)
    assert str(path) in err and "YAML syntax error" in err and "line" in err


def test_python_object_tag_is_refused(tmp_path, capsys):
    path = write(tmp_path, "name: !!python/object/apply:os.system ['echo hacked']\n")
    err = errors_of(capsys, path)
    assert "YAML tag not allowed" in err and "hacked" not in capsys.readouterr().out


def test_typo_key_suggests_the_right_one(tmp_path, capsys, small_raw):
    station = small_raw["shops"]["paint"]["stations"][1]
    station["cylce_time"] = station.pop("cycle_time")
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "shops.paint.stations[1].cylce_time" in err
    assert "did you mean 'cycle_time'" in err


def test_wrong_type(tmp_path, capsys, small_raw):
    small_raw["shops"]["paint"]["stations"][2]["servers"] = "two"
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "shops.paint.stations[2].servers" in err and "'two'" in err


@pytest.mark.parametrize("value", [0, -5, "-2 min", "0 s"])
def test_zero_or_negative_time(tmp_path, capsys, small_raw, value):
    small_raw["shops"]["paint"]["stations"][1]["cycle_time"] = value
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "shops.paint.stations[1].cycle_time" in err and "greater than 0" in err


def test_mix_shares_must_sum_to_one(tmp_path, capsys, small_raw):
    small_raw["product"]["models"][0]["share"] = 0.5
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "product" in err and "sum to 1" in err


def test_reentry_at_missing_station(tmp_path, capsys, small_raw):
    small_raw["shops"]["paint"]["quality"]["rework"][1]["reenter"] = "topcot"
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "shops.paint.quality.rework[1].reenter" in err and "'topcot'" in err and "topcoat" in err


def test_all_problems_reported_at_once(tmp_path, capsys, small_raw):
    small_raw["shops"]["paint"]["stations"][1]["cycle_time"] = -1
    small_raw["shops"]["body"]["stations"][2]["servers"] = 0
    small_raw["target"]["annual_unit"] = 5
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "3 problems" in err or "4 problems" in err
    assert "stations[1].cycle_time" in err and "stations[2].servers" in err and "annual_unit" in err


def test_unknown_model_in_per_model_time(tmp_path, capsys, small_raw):
    small_raw["shops"]["body"]["stations"][1]["cycle_time"] = {"Tiggo 8": 125, "default": 105}
    err = errors_of(capsys, write(tmp_path, small_raw))
    assert "shops.body.stations[1].cycle_time.Tiggo 8" in err and "Tiggo 7" in err


def test_missing_file(tmp_path, capsys):
    err = errors_of(capsys, tmp_path / "nope.yaml")
    assert "nope.yaml" in err and "file not found" in err


def test_cli_process_exit_status_and_no_traceback(tmp_path, small_raw):
    small_raw["shops"]["paint"]["stations"][1]["cycle_time"] = -1
    path = write(tmp_path, small_raw)
    for command in ("validate", "run"):
        done = run_cli(command, str(path))
        assert done.returncode == 2, done.stderr
        assert "Traceback" not in done.stderr and "shops.paint.stations[1].cycle_time" in done.stderr


def test_validate_accepts_good_file(capsys, small_path):
    assert main(["validate", str(small_path)]) == 0
    assert "valid scenario 'small'" in capsys.readouterr().out
