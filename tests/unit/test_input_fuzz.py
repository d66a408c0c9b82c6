"""Fuzzing the scenario loader: mutants of the shipped scenarios each give a Scenario or a clean
ScenarioError whose problems name a path (or the file), never another exception, hang or blow-up.

The mutants are drawn with a fixed seed (random.Random(2026)) from scenarios/*.yaml and tests/small.yaml:
types swapped, keys dropped and repeated, numbers at the edges, dates that do not exist, path-like
and odd names, YAML tags, aliases and bombs, deep nesting, garbage bytes, --set overrides.
"""
from __future__ import annotations

import copy
import functools
import random
import re
import shutil
import time
from pathlib import Path

import pytest
import yaml

import sim
from sim.scenario.days import plant_days
from sim.scenario import Scenario, ScenarioError, load_scenario, with_overrides

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml")) + [ROOT / "tests" / "small.yaml"]
SEED = 2026
SMALL_CASES = 1000  # mutants of tests/small.yaml (fast to load)
LARGE_CASES = 200  # mutants of the shipped plant scenarios and their variants

Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

NAMES = ["..", ".", "/etc", "a/b", "a\\b", "\x00", "a\x00b", "", " ", "é", "車", "🚗", "x" * 500, "CON",
         "../../etc/passwd", "-", ".hidden", "a\nb", "default", "*", "null", "~"]
NUMBERS = [0, -1, -0.0, 1, 0.5, -1e-9, 1e-300, float("nan"), float("inf"), float("-inf"), 1e308, -1e308,
           2**31, 2**63, 2**64, 10**30, 10**80, 999_999_999, 1_000_001, 36_601, 3_661, 0.0099, 1.0000001]
OTHERS = [None, True, False, "text", "", "40 min", "1e999 s", "nan s", "-5 min", [], {}, [1, 2], {"a": 1},
          {"dist": "normal"}, {"dist": "weird", "mean": 1}, ["x"] * 3, "25:00", "2025-02-30", 3.5]
DATES = ["2025-02-30", "2025-13-07", "0000-01-01", "9999-12-31", "1899-12-31", "2201-01-01", "2025-1-1",
         "2025-02-29", "2024-02-29", "20250101", "2025-01-01T10:00:00", "2025-01-01 00:00:00"]
TAGS = ["!!timestamp", "!!float", "!!int", "!!bool", "!!binary", "!!set", "!!omap", "!!pairs", "!!str", "!!map",
        "!!seq", "!!null", "!foo", "!!python/object/apply:os.system", "!!python/name:os.system", "!<tag:x>"]
SET_VALUES = ["2025-02-30", ".inf", "-.inf", ".nan", "1e999", "1e308", "9" * 5000, "0x" + "f" * 600, "&a [*a]",
              "!!timestamp x", "!!int 0b102", "!!bool maybe", "[" * 80 + "]" * 80, "..", "/etc", "", "~", "null",
              "{days: 2}", "[1, 2]", "{a: 1}", "no", "40 min", "0", "-1", "1000001", "'x'", "\"unterminated",
              "{x: &b [1, *b]}", "a: b: c", "\t", "\x00", "yes", "1:00", "3.0"]



def at(data, where: tuple):
    """The node of ``data`` at the key path ``where``."""
    for key in where:
        data = data[key]
    return data

def bomb(levels: int, width: int) -> str:
    lines = [f"lol0: &l0 [{', '.join(['lol'] * width)}]"]
    lines += [f"lol{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- data-level mutations

def leaves(data, loc=()):
    yield loc, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, loc + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, loc + (i,))


def put(data, loc, value):
    node = data
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value


def drop(data, loc):
    node = data
    for key in loc[:-1]:
        node = node[key]
    del node[loc[-1]]


def mutate_data(rng: random.Random, raw) -> tuple[str, object]:
    data = copy.deepcopy(raw)
    spots = [loc for loc, _ in leaves(data) if loc]
    kind = rng.choice(["swap", "drop", "number", "name", "date", "dup_item", "rename_key", "many"])
    for _ in range(rng.randint(2, 6) if kind == "many" else 1):
        spots = [loc for loc, _ in leaves(data) if loc] or [("x",)]
        loc = rng.choice(spots)
        how = kind if kind != "many" else rng.choice(["swap", "drop", "number", "name", "date"])
        try:
            if how == "swap":
                put(data, loc, copy.deepcopy(rng.choice(OTHERS + NUMBERS + NAMES)))
            elif how == "drop":
                drop(data, loc)
            elif how == "number":
                numeric = [s for s, v in leaves(data) if s and isinstance(v, (int, float)) and not isinstance(v, bool)]
                put(data, rng.choice(numeric or [loc]), rng.choice(NUMBERS))
            elif how == "name":
                named = [s for s, _ in leaves(data) if s and s[-1] in ("name", "line", "after", "shop", "reenter",
                                                                       "repair", "inspection", "labour_pool")]
                put(data, rng.choice(named or [loc]), rng.choice(NAMES))
            elif how == "date":
                put(data, ("calendar",), {**(data.get("calendar") or {}), "start_date": rng.choice(DATES),
                                          "holidays": [rng.choice(DATES)]})
            elif how == "dup_item":
                lists = [s for s, v in leaves(data) if isinstance(v, list) and v]
                if lists:
                    node = at(data, rng.choice(lists))
                    node.append(copy.deepcopy(rng.choice(node)))
            elif how == "rename_key":
                maps = [s for s, v in leaves(data) if isinstance(v, dict) and v]
                if maps:
                    node = at(data, rng.choice(maps))
                    old = rng.choice(list(node))
                    node[rng.choice(NAMES + ["cylce_time", "servers", "", "remove"])] = node.pop(old)
        except (KeyError, IndexError, TypeError):
            pass
    return kind, data


# ---------------------------------------------------------------- text-level mutations

_NUMBER = re.compile(r"(?<=[:\[,] )-?[0-9]+(\.[0-9]+)?(?=[,\]\}\s])")
_DATE = re.compile(r"\b20[0-9]{2}-[0-9]{2}-[0-9]{2}\b")


def mutate_text(rng: random.Random, text: str) -> tuple[str, str | bytes]:
    lines = text.splitlines()
    kind = rng.choice(["dup_key", "tag", "huge_number", "bad_date", "bomb", "self_alias", "alias", "deep",
                       "garbage", "truncate", "bytes", "indent", "flow_dup"])
    keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[A-Za-z_]+:", line)] or [0]
    valued = [i for i, line in enumerate(lines) if re.match(r"^\s*-?\s*[A-Za-z_]+:\s+[^\s#]", line)] or [0]
    i = rng.choice(keyed)
    v = rng.choice(valued)
    if kind == "dup_key":
        lines.insert(i + 1, lines[i])
    elif kind == "flow_dup":
        flows = [j for j, line in enumerate(lines) if "{name: " in line] or [i]
        j = rng.choice(flows)
        lines[j] = lines[j].replace("{name: ", "{name: twice, name: ", 1)
    elif kind == "tag":
        lines[i] = re.sub(r":\s", f": {rng.choice(TAGS)} ", lines[i], count=1)
    elif kind == "huge_number":
        candidates = [j for j, line in enumerate(lines) if _NUMBER.search(line)] or [i]
        j = rng.choice(candidates)
        lines[j] = _NUMBER.sub(rng.choice(["9" * 5000, "0x" + "f" * 3000, "1e999", "-1e999", ".nan", ".inf",
                                           "1_000_000_000_000", "0b102", "1:2:3:4:5:6:7:8", "0o99", "+.5e+5",
                                           str(10**400)]), lines[j], count=1)
    elif kind == "bad_date":
        candidates = [j for j, line in enumerate(lines) if _DATE.search(line)]
        if candidates:
            j = rng.choice(candidates)
            lines[j] = _DATE.sub(rng.choice(DATES), lines[j], count=1)
        else:
            lines.append(f"calendar: {{start_date: {rng.choice(DATES)}}}")
    elif kind == "bomb":
        width, levels = rng.choice([(9, 9), (10, 6), (2, 40), (100, 3), (3, 12)])
        body = bomb(levels, width)
        if rng.random() < 0.5:
            lines += body.splitlines()
        else:  # as the value of an existing key
            lines[v] = re.sub(r":\s.*$", ": {" + ", ".join(body.strip().splitlines()) + "}", lines[v], count=1)
    elif kind == "self_alias":
        lines[v] = re.sub(r":\s.*$", rng.choice([": &a [*a]", ": &a {k: *a}", ": &a [1, [2, *a]]"]), lines[v], count=1)
    elif kind == "alias":
        lines.insert(0, "anchors: &shared {mtbf: 6 h, mttr: 10 min}")
        lines[v] = re.sub(r":\s.*$", rng.choice([": *shared", ": {<<: *shared}", ": *nowhere", ": {<<: [1]}"]),
                          lines[v], count=1)
    elif kind == "deep":
        depth = rng.choice([10, 63, 64, 65, 300, 2000, 100_000])
        open_, close = rng.choice([("[", "]"), ("{a: ", "}")])
        lines[v] = re.sub(r":\s.*$", ": " + open_ * depth + close * depth, lines[v], count=1)
    elif kind == "garbage":
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(len(text) + 1)
            text = text[:k] + "".join(chr(rng.choice([0, 7, 9, 10, 27, 34, 39, 58, 91, 93, 123, 125, 0xFEFF,
                                                      0xD800 - 1, 0x1F697, rng.randrange(32, 0x2FFF)]))
                                      for _ in range(rng.randint(1, 5))) + text[k:]
        return kind, text
    elif kind == "truncate":
        return kind, text[:rng.randrange(len(text) + 1)]
    elif kind == "bytes":
        data = bytearray(text.encode())
        for _ in range(rng.randint(1, 6)):
            data.insert(rng.randrange(len(data) + 1), rng.randrange(256))
        return kind, bytes(data)
    elif kind == "indent":
        lines[i] = " " * rng.randint(1, 7) + lines[i]
    return kind, "\n".join(lines) + "\n"


# ---------------------------------------------------------------- --set mutations

def set_path(loc, data) -> str:
    out, node = "", data
    for key in loc:
        if isinstance(key, int):
            name = node[key].get("name") if isinstance(node[key], dict) else None
            out += f"[{name}]" if isinstance(name, str) and name and "]" not in name and "." not in name else f"[{key}]"
        else:
            out += ("." if out else "") + str(key)
        node = node[key]
    return out


def overrides(rng: random.Random, raw) -> tuple[list[str], str | None]:
    spots = [loc for loc, _ in leaves(raw) if loc] or [("seed",)]
    assignments = []
    for _ in range(rng.randint(1, 3)):
        loc = rng.choice(spots)
        value = rng.choice(SET_VALUES + [str(v) for v in NUMBERS] + DATES)
        path = set_path(loc, raw) if rng.random() < 0.9 else rng.choice(["", "a..b", "x[", "[0]", "shops.nope.x",
                                                                          "seed.x", "stores[99].name", "a." * 80])
        assignments.append(f"{path}={value}" if rng.random() < 0.97 else path)
    name = rng.choice(NAMES + ["variant", "v1.2"]) if rng.random() < 0.3 else None
    return assignments, name


# ---------------------------------------------------------------- the cases and their outcomes

def cases():
    """(label, file name, text or bytes, overrides, name) for every mutant, drawn with the fixed seed."""
    rng = random.Random(SEED)
    texts = {path.name: path.read_text() for path in SHIPPED}
    raws = {name: yaml.safe_load(text) for name, text in texts.items()}
    small = "small.yaml"
    large = [name for name in texts if name != small]
    for n in range(SMALL_CASES + LARGE_CASES):
        base = small if n < SMALL_CASES else rng.choice(large)
        choice = rng.random()
        sets, name = [], None
        if choice < 0.4:
            kind, data = mutate_data(rng, raws[base])
            body = yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=rng.random() < 0.5, width=1000)
        elif choice < 0.85:
            kind, body = mutate_text(rng, texts[base])
        else:
            kind, body = "set", texts[base]
            sets, name = overrides(rng, raws[base])
        yield f"{n}:{base}:{kind}", base, body, sets, name


def load_case(directory: Path, base: str, body, sets, name):
    path = directory / f"mutant-{base}"
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body, encoding="utf-8", errors="surrogatepass")
    return load_scenario(path, sets, name)


@functools.lru_cache(maxsize=1)
def outcomes(directory: Path) -> tuple:
    """(label, result) for every case: a Scenario, a ScenarioError, or the unexpected exception."""
    for path in SHIPPED:  # the bases the variants extend
        shutil.copy(path, directory / path.name)
    out = []
    for label, base, body, sets, name in cases():
        started = time.perf_counter()
        try:
            result = load_case(directory, base, body, sets, name)
        except ScenarioError as exc:
            result = exc
        except BaseException as exc:  # noqa: BLE001 - every other exception is a failure of the test
            if isinstance(exc, KeyboardInterrupt):
                raise
            result = exc
        out.append((label, result, time.perf_counter() - started))
    return tuple(out)


@pytest.mark.slow
def test_the_fuzz(tmp_path_factory):
    """One test, so that the 1,200 loads (about 50 s) are made once: pytest-xdist gives each worker its own
    module fixture, and three tests on two workers loaded every mutant twice."""
    fuzzed = outcomes(tmp_path_factory.mktemp("fuzz"))
    every_mutant_loads_or_gives_a_clean_error(fuzzed)
    the_fuzz_reaches_both_outcomes(fuzzed)
    valid_mutants_run_a_few_days(fuzzed)


def every_mutant_loads_or_gives_a_clean_error(fuzzed):
    assert len(fuzzed) >= 1000
    bad = []
    for label, result, seconds in fuzzed:
        if isinstance(result, Scenario):
            continue
        if not isinstance(result, ScenarioError):
            bad.append(f"{label}: {type(result).__name__}: {str(result)[:300]}")
            continue
        if not result.problems or not result.source:
            bad.append(f"{label}: a ScenarioError without problems or source")
        for problem in result.problems:
            if not isinstance(problem.path, str) or len(problem.message) > 600 or not problem.message:
                bad.append(f"{label}: problem without a path or with a huge message: {problem}"[:400])
        if len(str(result)) > 60_000:
            bad.append(f"{label}: error text of {len(str(result))} characters")
        if seconds > 10:
            bad.append(f"{label}: took {seconds:.1f} s")
    assert not bad, f"{len(bad)} mutants failed:\n" + "\n".join(bad[:40])


def the_fuzz_reaches_both_outcomes(fuzzed):
    kinds = {label.split(":")[2] for label, _, _ in fuzzed}
    valid = sum(isinstance(r, Scenario) for _, r, _ in fuzzed)
    assert {"bomb", "deep", "tag", "set", "swap", "garbage"} <= kinds
    assert 20 <= valid < len(fuzzed) - 500, valid


def valid_mutants_run_a_few_days(fuzzed):
    rng = random.Random(SEED)
    valid = [(label, r) for label, r, _ in fuzzed if isinstance(r, Scenario)]
    rng.shuffle(valid)
    ran = 0
    for label, scenario in valid:
        # a plan's or ramp-up's months must lie inside the horizon: two days hold none of them; new shift crews
        # need the ramp-up's months, so their learning goes with it
        monthly = (["plan=null", "ramp_up=null", "learning=null"]
                   if scenario.plan is not None or scenario.ramp_up is not None else [])
        short = with_overrides(scenario, ["horizon={days: 2, warmup_days: 0}"] + monthly)
        if plant_days(short.calendar, short.horizon).working_days_in_window() == 0:
            continue  # a dated calendar whose first two days are not worked: nothing to measure
        result = sim.run(short, replications=1)
        assert result is not None, label
        ran += 1
        if ran == 10:
            break
    assert ran == 10
