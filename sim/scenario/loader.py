"""Reading a scenario file: safe YAML, schema validation, cross-references.

Every problem is collected and reported at once as a ``ScenarioError`` naming
the file, the YAML path (``shops.paint.stations[3].cycle_time``), the line,
the bad value and what is allowed.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import Problem, ScenarioError, shown, yaml_path
from .reading import parse_yaml, read_text
from .references import check_references
from .schema import FLOW_TAGS, Scenario
from .units import ALL_MODELS
from .paths import model_fields_at
from .variants import apply_set, resolve_extends


def load_scenario(path: str | Path, overrides: list[str] | tuple = (), name: str | None = None) -> Scenario:
    """Read, validate and cross-check a scenario file.

    ``extends`` chains are followed; ``overrides`` are ``PATH=VALUE`` strings applied
    in order (as ``--set``); ``name`` renames the scenario (and so its results folder).
    """
    path = Path(path)
    raw, tree = parse_yaml(read_text(path), str(path))
    if isinstance(raw, dict) and ("extends" in raw or overrides or name is not None):
        tree = None  # line numbers would point into one file of several
        raw = resolve_extends(raw, path, _read_raw)
        for assignment in overrides:
            raw = apply_set(raw, assignment)
        if name is not None:
            raw = {**raw, "name": name}
    return validate_scenario(raw, str(path), tree)


def with_overrides(scenario: Scenario, assignments: list[str] | tuple, source: str | None = None) -> Scenario:
    """The scenario with ``PATH=VALUE`` overrides applied, exactly as ``--set`` applies them, validated again."""
    raw = scenario.model_dump(mode="json")
    for assignment in assignments:
        raw = apply_set(raw, assignment)
    return validate_scenario(raw, source or f"{scenario.name} with {' '.join(assignments) or 'no change'}")


def _read_raw(path: Path):
    raw, _ = parse_yaml(read_text(path), str(path))
    if not isinstance(raw, dict):
        raise ScenarioError(str(path), [Problem("", f"a scenario is a mapping of keys, got {type(raw).__name__}")])
    return raw


def validate_scenario(raw, source: str = "<scenario>", tree=None) -> Scenario:
    """Validate plain data (as from YAML) into a Scenario, or raise ScenarioError."""
    if not isinstance(raw, dict):
        raise ScenarioError(source, [Problem("", f"a scenario is a mapping of keys, got {type(raw).__name__}")])
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem_from_pydantic(err, raw, tree) for err in exc.errors()]
        raise ScenarioError(source, _unique(problems)) from None
    problems = [Problem(yaml_path(loc), msg, _line_of(tree, loc)) for loc, msg in check_references(scenario)]
    if problems:
        raise ScenarioError(source, problems)
    return scenario


def _problem_from_pydantic(err: dict, raw, tree) -> Problem:
    loc = _clean_loc(err["loc"], raw)
    kind = err["type"]
    if kind == "extra_forbidden":
        key = loc[-1]
        allowed = _allowed_keys(loc[:-1], raw)
        close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        message = f"unknown key {key!r}{hint} Allowed: {', '.join(allowed)}"
    elif kind == "missing":
        message = "required key is missing"
    else:
        message = err["msg"].removeprefix("Value error, ")
        if "input" in err and not isinstance(err["input"], (dict, list)) and kind != "value_error":
            message += f" (got {shown(err['input'])})"
    return Problem(yaml_path(loc), message, _line_of(tree, loc))


def _clean_loc(loc, raw) -> tuple:
    """Drop pydantic's union tags from a location, keeping only real YAML keys."""
    clean = []
    node = raw
    for i, key in enumerate(loc):
        last = i == len(loc) - 1
        if key in FLOW_TAGS:
            continue  # which kind of flow item pydantic tried: not a key of the YAML
        if isinstance(node, dict) and key not in node and node.get("kind") == key:
            continue  # the kind of a dated event (a union told apart by its kind): not a key either
        if isinstance(node, dict):
            if key == ALL_MODELS and key not in node:
                key = "default" if "default" in node else None
            if key is None or (key not in node and not last):
                continue
            clean.append(key)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            clean.append(key)
            node = node[key]
        elif node is not None and not isinstance(node, (dict, list)):
            break  # a union's tag or a model's field under a scalar: the scalar itself is the problem
        else:
            if isinstance(key, str) and ("[" in key or key in ("fixed",)):
                continue
            clean.append(key)
            node = None
    return tuple(clean)


def _allowed_keys(loc: tuple, raw) -> list[str]:
    """Field names of the schema model that sits at ``loc``."""
    return model_fields_at([(key, isinstance(key, int)) for key in loc])


def _line_of(tree, loc) -> int | None:
    """1-based line of the YAML node at ``loc``, or of its nearest existing parent."""
    node, line = tree, None
    for key in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key or k.value == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _unique(problems: list[Problem]) -> list[Problem]:
    seen, out = set(), []
    for p in problems:
        if (p.path, p.message) not in seen:
            seen.add((p.path, p.message))
            out.append(p)
    return out
