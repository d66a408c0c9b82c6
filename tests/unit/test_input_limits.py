"""Reliability of the scenario loader: each known way to break it gets a clean ScenarioError
naming the file and the YAML path, fast, and never another exception, a hang or a memory blow-up."""
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.reading import MAX_FILE_BYTES

ROOT = Path(__file__).resolve().parents[2]
ALMATY = ROOT / "scenarios" / "almaty.yaml"
SMALL = ROOT / "tests" / "small.yaml"


def refused(path, overrides=(), name=None, within=5.0) -> ScenarioError:
    started = time.perf_counter()
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, overrides, name)
    assert time.perf_counter() - started < within, "the loader took too long to refuse"
    assert "Traceback" not in str(err.value)
    return err.value


def paths_of(error: ScenarioError) -> list[str]:
    return [p.path for p in error.problems]


def small_with(tmp_path, text_after: str, text_before: str = "") -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text_before + SMALL.read_text() + text_after)
    return path


# ------------------------------------------------------------------ dates


def test_set_a_date_that_does_not_exist():
    err = refused(ALMATY, ["calendar.start_date=2025-02-30"])
    assert paths_of(err) == ["calendar.start_date"]
    assert "2025-02-30" in str(err) and "not a date" in str(err)


def test_unquoted_impossible_holiday_names_its_line(tmp_path):
    text = ALMATY.read_text().replace("- 2025-07-07 ", "- 2025-13-07 ")
    path = tmp_path / "a.yaml"
    path.write_text(text)
    err = refused(path)
    (problem,) = err.problems
    assert problem.path.startswith("calendar.holidays[") and "month must be in 1..12" in problem.message
    assert problem.line == text.splitlines().index(next(x for x in text.splitlines() if "2025-13-07" in x)) + 1


def test_valid_dates_still_read_and_round_trip():
    scenario = load_scenario(ALMATY, ["calendar.start_date=2025-01-06"])
    assert str(scenario.calendar.start_date) == "2025-01-06"
    assert all(d.year in (2025, 2026) for d in scenario.calendar.holidays)


@pytest.mark.parametrize("date", ["1899-12-31", "2201-01-01"])
def test_start_date_range(date):
    err = refused(SMALL, [f"calendar.start_date={date}"])
    assert paths_of(err) == ["calendar.start_date"] and "1900-01-01 to 2200-12-31" in str(err)


# ------------------------------------------------------------------ values YAML cannot build


@pytest.mark.parametrize("value", ["!!timestamp x", "!!float x", "!!int 0b102", "!!bool maybe", "9" * 5000,
                                   "0x" + "f" * 5000, "!!timestamp 2025-02-30"])
def test_values_that_cannot_be_built_name_path_and_line(tmp_path, value):
    path = tmp_path / "v.yaml"
    path.write_text(SMALL.read_text().replace("seed: 3", f"seed: {value}"))
    err = refused(path)
    (problem,) = err.problems
    assert problem.path == "seed" and problem.line == 2 and "cannot read" in problem.message
    assert len(str(err)) < 600
    with pytest.raises(ScenarioError) as via_set:
        load_scenario(SMALL, [f"seed={value}"])
    assert paths_of(via_set.value) == ["seed"]


def test_python_tags_still_refused(tmp_path):
    path = small_with(tmp_path, "extra: !!python/object/apply:os.system ['echo hacked']\n")
    err = refused(path)
    assert "YAML tag not allowed" in str(err)


# ------------------------------------------------------------------ aliases and nesting


def test_self_referencing_alias(tmp_path):
    path = tmp_path / "cyc.yaml"
    path.write_text(SMALL.read_text().replace("seed: 3", "seed: &a [*a]"))
    err = refused(path)
    assert paths_of(err) == ["seed"] and "contains it" in str(err)


def bomb(levels=9, width=9) -> str:
    lines = [f"b0: &b0 [{', '.join(['lol'] * width)}]"]
    for i in range(1, levels + 1):
        lines.append(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("where", ["top", "description", "override"])
def test_alias_bomb_is_refused_fast(tmp_path, where):
    if where == "top":
        path = small_with(tmp_path, bomb())
        err = refused(path, within=3)
    elif where == "description":
        nested = "\n".join("  " + line for line in bomb().splitlines())
        path = small_with(tmp_path, f"staffing:\n  benchmarks:\n  - label: x\n    source:\n{nested}\n")
        err = refused(path, within=3)
    else:
        flow = "{" + ", ".join(bomb().strip().splitlines()) + "}"
        err = refused(SMALL, [f"description={flow}", f"seed={flow}"], within=3)
    assert "100,000 values" in str(err) and "aliases expanded" in str(err)


@pytest.mark.parametrize("depth", [65, 500, 50_000])
def test_deep_nesting(tmp_path, depth):
    path = tmp_path / "deep.yaml"
    path.write_text("name: " + "[" * depth + "]" * depth + "\n")
    err = refused(path)
    assert "nested more than 64 levels" in str(err)


def test_merge_keys_and_small_aliases_still_work(tmp_path):
    text = SMALL.read_text().replace("target: {annual_units: 90000, export_share: 0.6}",
                                     "target: &t {annual_units: 90000, export_share: 0.6}\n")
    text = text.replace("shops:\n  body:\n    shifts: {count: 2,",
                        "shops:\n  body:\n    shifts: &s {count: 2,")
    text = text.replace("  paint:\n    shifts: {count: 3, start: \"06:00\", length: 8 h}",
                        "  paint:\n    shifts: {<<: *s, count: 2}")
    path = tmp_path / "alias.yaml"
    path.write_text(text)
    scenario = load_scenario(path)
    assert scenario.shops["paint"].shifts == scenario.shops["body"].shifts


# ------------------------------------------------------------------ files


def test_named_pipe_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    err = refused(fifo, within=2)
    assert "not a regular file" in str(err)
    child = tmp_path / "child.yaml"
    child.write_text("extends: pipe.yaml\nname: child\n")
    err = refused(child, within=2)
    assert err.source == str(fifo) and "not a regular file" in str(err)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_is_refused(tmp_path):
    err = refused("/dev/zero", within=2)
    assert "not a regular file" in str(err)
    child = tmp_path / "child.yaml"
    child.write_text("extends: /dev/zero\nname: child\n")
    assert "not a regular file" in str(refused(child, within=2))


def test_directory_as_scenario_or_base(tmp_path):
    assert "is a directory" in str(refused(tmp_path))
    child = tmp_path / "child.yaml"
    child.write_text("extends: .\nname: child\n")
    assert "is a directory" in str(refused(child))


def test_file_too_large(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(SMALL.read_text() + "#" * (MAX_FILE_BYTES + 1) + "\n")
    err = refused(path)
    assert f"{MAX_FILE_BYTES:,} bytes" in str(err)


def test_not_utf8(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"name: \xff\xfe\x00garbage\n")
    assert "not UTF-8" in str(refused(path))


def test_long_extends_chain(tmp_path):
    (tmp_path / "f0.yaml").write_text(SMALL.read_text())
    for i in range(1, 1200):
        (tmp_path / f"f{i}.yaml").write_text(f"extends: f{i - 1}.yaml\nname: f{i}\n")
    err = refused(tmp_path / "f1199.yaml")
    assert paths_of(err) == ["extends"] and "longer than 32 files" in str(err)
    assert load_scenario(tmp_path / "f20.yaml").name == "f20"


def test_extends_with_a_null_byte(tmp_path):
    child = tmp_path / "child.yaml"
    child.write_text('extends: "a\\0b.yaml"\nname: child\n')
    assert paths_of(refused(child)) == ["extends"]


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("assignment, path, says", [
    ("horizon.days=.inf", "horizon.days", "finite"),
    ("horizon.days=.nan", "horizon.days", "finite"),
    ("horizon.days=1e999", "horizon.days", "finite"),
    ("horizon.days=36601", "horizon.days", "36600"),
    ("horizon={years: 101}", "horizon.years", "100"),
    ("horizon.warmup_days=3661", "horizon.warmup_days", "3660"),
    ("shops.body.stations[respot].cycle_time=1e999 s", "shops.body.stations[2].cycle_time", "finite"),
    ("shops.body.stations[respot].cycle_time=.nan", "shops.body.stations[2].cycle_time", "finite"),
    ("shops.body.stations[respot].cycle_time=11000 d", "shops.body.stations[2].cycle_time", "10 years"),
    ("shops.body.stations[respot].failures.mtbf=1e308", "shops.body.stations[2].failures.mtbf", "10 years"),
    ("shops.body.stations[respot].servers=1001", "shops.body.stations[2].servers", "1000"),
    ("shops.body.stations[respot].operators=1001", "shops.body.stations[2].operators", "1000"),
    ("shops.body.stations[respot].robots=1001", "shops.body.stations[2].robots", "1000"),
    ("shops.body.buffer_capacity=1000001", "shops.body.buffer_capacity", "1000000"),
    ("shops.body.stations[respot].buffer_before=1000001", "shops.body.stations[2].buffer_before", "1000000"),
    ("stores[WBS].capacity=1000001", "stores[0].capacity", "1000000"),
    ("staffing.pools=[{name: p, shop: body, size: 10001}]", "staffing.pools[0].size", "10000"),
    ("target.annual_units=10000001", "target.annual_units", "10000000"),
    ("seed=9223372036854775808", "seed", "9223372036854775808"),
    ("product.models[0].work_content=1e308", "product.models[0].work_content", "100"),
    ("shops.paint.stations[ed_oven].conveyor.pitch=0.1", "shops.paint.stations[0].conveyor", "pitch"),
    ("shops.paint.quality.first_pass_yield=0.005", "shops.paint.quality.first_pass_yield", "never ends"),
    ("shops.paint.quality.first_pass_yield=0", "shops.paint.quality.first_pass_yield", "never ends"),
    ("staffing.absenteeism=0.6", "staffing.absenteeism", "0.5"),
])
def test_numbers_have_stated_limits(assignment, path, says):
    err = refused(SMALL, [assignment])
    assert set(paths_of(err)) == {path}, str(err)
    assert says in str(err)


def test_annual_volume_limit():
    models = "[{name: A, annual_volume: 10000001}]"
    err = refused(SMALL, [f"product.models={models}"])
    assert "product.models[0].annual_volume" in paths_of(err)


def test_limits_leave_the_shipped_scenarios_valid():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")) + [SMALL]:
        assert load_scenario(path).name


# ------------------------------------------------------------------ names


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "a/b", "/etc", "a\\b", "a\x00b", "a b", "", "x" * 81, "é"])
def test_names_cannot_leave_the_results_folder(tmp_path, name):
    err = refused(SMALL, name=name)
    assert paths_of(err) == ["name"] and "results/<name>/" in str(err)
    path = tmp_path / "n.yaml"
    path.write_text(SMALL.read_text().replace("name: small", f"name: {name!r}".replace("\\\\", "\\")
                                              if "\x00" not in name else 'name: "a\\0b"'))
    assert paths_of(refused(path)) == ["name"]


@pytest.mark.parametrize("name", ["a..b", "v1.2", "small-fpy85", "_x"])
def test_ordinary_names_pass(name):
    assert load_scenario(SMALL, name=name).name == name


# ------------------------------------------------------------------ --set reads values by the schema's types


def test_set_keeps_text_fields_as_written():
    scenario = load_scenario(SMALL, ["name=no", "description=1.10", "shops.body.stations[0].line=main",
                                     "stores[WBS].name=2025-01-01"])
    assert scenario.name == "no" and scenario.description == "1.10"
    assert scenario.stores[0].name == "2025-01-01"


def test_set_value_uses_the_restricted_loader():
    err = refused(SMALL, ["seed=&a [*a]"])
    assert paths_of(err) == ["seed"]
    err = refused(SMALL, ["horizon=" + "[" * 100 + "]" * 100])
    assert "nested" in str(err)


def test_set_with_a_huge_index_or_unicode_digit():
    assert "no item" in str(refused(SMALL, ["shops.body.stations[" + "9" * 5000 + "].servers=2"]))
    assert "no item" in str(refused(SMALL, ["shops.body.stations[²].servers=2"]))


# ------------------------------------------------------------------ messages stay short


def test_a_huge_bad_value_is_shown_cut(tmp_path):
    err = refused(SMALL, ["shops.body.stations[respot].cycle_time=" + "x" * 100_000])
    assert len(str(err)) < 1000 and "…" in str(err)
    err = refused(SMALL, ["seed=" + "'" + "y" * 100_000 + "'"])
    assert len(str(err)) < 1000


# ------------------------------------------------------------------ the command line


def test_validate_exits_2_never_1(tmp_path, capsys):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    cyc = tmp_path / "cyc.yaml"
    cyc.write_text("seed: &a [*a]\n")
    for args in (["validate", str(fifo)], ["validate", "/dev/zero"], ["validate", str(cyc)],
                 ["validate", str(ALMATY), "--set", "calendar.start_date=2025-02-30"]):
        assert main(args) == 2, args
        assert "Traceback" not in capsys.readouterr().err


def test_validate_process_on_a_bomb(tmp_path):
    path = small_with(tmp_path, bomb())
    done = subprocess.run([sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "100,000 values" in done.stderr
