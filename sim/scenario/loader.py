"""Reading a scenario file: safe YAML, schema validation, cross-references.

Every problem is collected and reported at once as a ``ScenarioError`` naming
the file, the YAML path (``shops.paint.stations[3].cycle_time``), the line,
the bad value and what is allowed.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from .errors import Problem, ScenarioError, did_you_mean, shown, yaml_path
from .reading import parse_yaml, read_text
from .references import check_references
from .schema import FLOW_TAGS, Scenario
from .units import ALL_MODELS
from .paths import model_fields_at
from .variants import apply_set, new_named_items, resolve_extends


def load_scenario(path: str | Path, overrides: list[str] | tuple = (), name: str | None = None) -> Scenario:
    """Read, validate and cross-check a scenario file.

    ``extends`` chains are followed; ``overrides`` are ``PATH=VALUE`` strings applied
    in order (as ``--set``); ``name`` renames the scenario (and so its results folder).
    """
    path = Path(path)
    raw, tree = parse_yaml(read_text(path), str(path))
    variant = resolved = None
    if isinstance(raw, dict) and ("extends" in raw or overrides or name is not None):
        variant, variant_tree = raw, tree
        tree = None  # line numbers would point into one file of several
        raw = resolved = resolve_extends(raw, path, _read_raw)
        for assignment in overrides:
            raw = apply_set(raw, assignment)
        if name is not None:
            raw = {**raw, "name": name}
    try:
        return validate_scenario(raw, str(path), tree)
    except ScenarioError as error:
        if variant is None:
            raise
        hints = _set_hints(resolved, raw) if overrides else []
        if "extends" in variant:
            hints += _variant_hints(variant, variant_tree, raw, path)
        raise ScenarioError(error.source, _with_hints(error.problems, hints)) from None


def _variant_hints(variant: dict, variant_tree, merged: dict, path: Path) -> list[tuple[str, int | None, str]]:
    """A variant's named item the base does not have becomes a new item (a misspelt station or kit, say, which
    then lacks its cycle time or route): (its YAML path, the variant's line, what to say with the base's
    closest name)."""
    base_path = path.parent / variant["extends"]
    base = resolve_extends(_read_raw(base_path), base_path, _read_raw)
    child = {k: v for k, v in variant.items() if k != "extends"}
    return _hints(new_named_items(base, child), merged, lambda loc: _line_of(variant_tree, loc),
                  f"of the base scenario ({base_path.name}), so the variant adds it")


def _set_hints(before: dict, after: dict) -> list[tuple[str, int | None, str]]:
    """The same for a --set that reaches into an item by a name the scenario does not have (``supply.kits.
    ckd_kti.lead_time``): it adds a new item."""
    return _hints(new_named_items(before, after), after, lambda loc: None, "of the scenario, so --set adds it")


def _hints(new_items, merged: dict, line_of, what: str) -> list[tuple[str, int | None, str]]:
    out = []
    for child_loc, named_loc, name, names in new_items:
        merged_loc = _indexed(merged, named_loc)
        if merged_loc is not None:
            kind = "list" if isinstance(named_loc[-1], tuple) else "mapping"
            out.append((yaml_path(merged_loc), line_of(child_loc),
                        f"{name!r} is not in this {kind} {what} as a new item{did_you_mean(name, names)}"))
    return out


def _with_hints(problems: list[Problem], hints: list[tuple[str, int | None, str]]) -> list[Problem]:
    """Each problem inside a new item says so (the item's hint), with the hint's line; an unknown key has its
    own did-you-mean (a misspelt field, not a new item)."""
    out = []
    for problem in problems:
        inside = [h for h in hints if problem.path == h[0] or problem.path.startswith((h[0] + ".", h[0] + "["))]
        # a whole new item can break a check of its list's owner (a misspelt colour: the shares no longer sum
        # to 1, said at product): the hint goes there too when the name is close to one there was
        above = [h for h in hints if "did you mean" in h[2] and _owns(problem.path, h[0])]
        hint = None if problem.message.startswith("unknown key") else (inside or above or [None])[0]
        out.append(problem if hint is None else Problem(problem.path, f"{problem.message} ({hint[2]})", hint[1]))
    return out


def _owns(path: str, item: str) -> bool:
    """Whether ``path`` is the list or mapping holding ``item``, or one of its owners (``product`` owns
    ``product.colours[7]``)."""
    return bool(path) and item.startswith((path + ".", path + "[")) and item != path


def _indexed(raw, named_loc: tuple) -> tuple | None:
    """A path whose list items are given by name (``(key, ..., ("name", x), ...)``) with their indices instead."""
    node, out = raw, []
    for key in named_loc:
        if isinstance(key, tuple):
            index = next((i for i, item in enumerate(node) if isinstance(item, dict) and item.get("name") == key[1]),
                         None)
            if index is None:
                return None
            node, key = node[index], index
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
        out.append(key)
    return tuple(out)


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
        message = f"unknown key {key!r}{did_you_mean(key, allowed)} Allowed: {', '.join(allowed)}"
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
