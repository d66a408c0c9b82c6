"""The project carries its own sources: every tag a shipped scenario cites resolves in docs/sources.md,
and no project file names a path outside the repository.

Fast: reads text only, runs no simulation.
"""
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "docs" / "sources.md"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

# Built from pieces so that this file does not match itself.
FORBIDDEN = ("/" + "work/", ".." + "/shared", "domain" + ".md")

# "[S KEY]" is how the scenario headers explain the tag itself, not a citation.
PLACEHOLDERS = {"KEY"}
# Sources cited by name that have no key; each must have its own heading in docs/sources.md.
NAMED_SOURCES = {"announcement": "The announcement"}

KEY_SHAPE = re.compile(r"^[A-Z0-9][A-Z0-9]*$")


def _sources_text() -> str:
    assert SOURCES.is_file(), f"{SOURCES.relative_to(ROOT)} is missing"
    return SOURCES.read_text(encoding="utf-8")


def _defined_keys(text: str) -> set[str]:
    """Keys of the '## Source keys' list: lines '- **KEY** what the source is'."""
    match = re.search(r"^## Source keys\s*$(.*?)(?=^## |\Z)", text, flags=re.M | re.S)
    assert match, "docs/sources.md has no '## Source keys' section"
    keys = set()
    for key in re.findall(r"^- \*\*([^*]+)\*\*\s+\S", match.group(1), flags=re.M):
        keys.update(k.strip() for k in key.split("/"))
    return keys


def _section_numbers(text: str) -> set[int]:
    """Numbers of the section headings '## §N. Title' (the '§' optional)."""
    return {int(n) for n in re.findall(r"^#{2,}\s*§?(\d+)\.", text, flags=re.M)}


def _headings(text: str) -> set[str]:
    return {h.strip() for h in re.findall(r"^#{2,}\s*(.+?)\s*$", text, flags=re.M)}


def _cited_sources(text: str) -> list[tuple[str, str]]:
    """(cited name, the whole tag) for every source named in an '[S ...]' tag.

    A tag may list several keys ('[S AK22, IB22]', also across a folded line) and mix
    kinds ('[§10, S TC]', '[S QI26, UZ26], [D §8]'); after 'S' every comma item up to
    a '§', 'D' or 'E' item is a source, its first word the key ('[S TC art. 93]' -> TC).
    """
    cited = []
    for body in re.findall(r"\[([^\[\]]*)\]", text):
        body = re.sub(r"\s*\n\s*(#\s*)?", " ", body)
        in_sources = False
        for item in (part.strip() for part in body.split(",")):
            s_tag = re.match(r"S\s+(.+)", item)
            if s_tag:
                in_sources, item = True, s_tag.group(1)
            elif item.startswith("§") or re.match(r"[DE](\s|$)", item):
                in_sources = False
                continue
            elif not in_sources:
                continue
            words = item.split()
            if words and words[0] == "weak" and len(words) > 1:  # '[S weak ARE]'
                words = words[1:]
            if words:
                cited.append((words[0], f"[{body}]"))
    return cited


def _scenario_texts():
    assert SCENARIOS, "no scenarios/*.yaml"
    return [(p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8")) for p in SCENARIOS]


def test_parser_reads_the_tag_forms():
    got = [k for k, _ in _cited_sources(
        "# a [S AK22, IB22] b [§10, S TC] c [S TC art. 93] [D §8] [Mon, Tue]\n"
        "  x [S RAM21, MG24,\n  KIA, BAQ25] [§10 E] [S weak ARE] [S QI26, UZ26], [D §8]")]
    assert got == ["AK22", "IB22", "TC", "TC", "RAM21", "MG24", "KIA", "BAQ25", "ARE", "QI26", "UZ26"]


def test_every_cited_source_key_is_defined():
    text = _sources_text()
    defined = _defined_keys(text)
    headings = _headings(text)
    assert {"AK22", "TC", "CAJ"} <= defined, sorted(defined)
    problems, seen = [], set()
    for name, scenario in _scenario_texts():
        for key, tag in _cited_sources(scenario):
            seen.add(key)
            if key in PLACEHOLDERS or key in defined:
                continue
            if key in NAMED_SOURCES and NAMED_SOURCES[key] in headings:
                continue
            why = "not a source key" if not KEY_SHAPE.match(key) else "not defined under '## Source keys'"
            problems.append(f"{name}: {tag}: {key!r} is {why} in docs/sources.md")
    assert seen - PLACEHOLDERS, "no [S KEY] tag found in the scenarios: the tag parser is broken"
    assert not problems, "\n".join(problems)


def test_every_cited_section_exists():
    sections = _section_numbers(_sources_text())
    assert set(range(1, 11)) <= sections, sorted(sections)
    problems = []
    for name, scenario in _scenario_texts():
        for lineno, line in enumerate(scenario.splitlines(), 1):
            for n in re.findall(r"§(\d+)", line):
                if int(n) not in sections:
                    problems.append(f"{name}:{lineno}: §{n} is not a section of docs/sources.md")
    assert not problems, "\n".join(problems)


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario_strings_cite_the_project_sources(path):
    """description:, benchmark source: and every other string value name no outside document."""
    bad = [s for s in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
           if any(f in s for f in FORBIDDEN)]
    assert not bad, bad


def _project_files() -> list[Path]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    done = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          cwd=ROOT, capture_output=True)
    if done.returncode != 0:
        pytest.skip("not a git work tree")
    names = sorted({n for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n})
    return [ROOT / n for n in names]


def test_no_project_file_names_a_path_outside_the_project():
    """Tracked (and new, not ignored) text files name none of FORBIDDEN: no path outside the project."""
    problems = []
    for path in _project_files():
        if not path.is_file():
            continue  # deleted in the work tree
        data = path.read_bytes()
        if b"\0" in data[:8192]:
            continue  # binary
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # binary
        for lineno, line in enumerate(text.splitlines(), 1):
            for needle in FORBIDDEN:
                if needle in line:
                    problems.append(f"{path.relative_to(ROOT).as_posix()}:{lineno}: {needle!r}: {line.strip()[:120]}")
    assert not problems, "\n".join(problems)
