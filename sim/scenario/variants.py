"""Variants without copying: `extends:` chains and `--set PATH=VALUE` overrides.

A scenario may say ``extends: almaty.yaml`` (relative to its own file) and
override any part of it. Mappings merge key by key; lists of named items
(stations, models, stores, pools, benchmarks) merge by ``name``: an item with a
name the base has overrides that item in place (``remove: true`` drops it), a
new name is appended. Other lists (holidays, breaks) are replaced whole.
Everything is merged as plain data and validated once, by the same schema.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import Problem, ScenarioError

REMOVE = "remove"


def merge(base, override):
    """The override laid over the base (neither is modified)."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for key, value in override.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if _named_list(base) and _named_list(override):
        return _merge_named(base, override)
    return override


def _named_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) and "name" in v for v in value)


def _merge_named(base: list, override: list) -> list:
    out = [dict(item) for item in base]
    index = {item["name"]: i for i, item in enumerate(out)}
    for item in override:
        name = item["name"]
        if name in index:
            out[index[name]] = merge(out[index[name]], item)
        else:
            index[name] = len(out)
            out.append(dict(item))
    return [item for item in out if not item.get(REMOVE)]


def resolve_extends(raw: dict, path: Path, read, chain: tuple = ()) -> dict:
    """Follow ``extends`` from the file at ``path``; ``read(path) -> raw`` parses a file."""
    here = path.resolve()
    if here in chain:
        loop = " -> ".join(p.name for p in chain + (here,))
        raise ScenarioError(str(path), [Problem("extends", f"extends makes a cycle: {loop}")])
    base_name = raw.get("extends")
    if base_name is None:
        return raw
    if not isinstance(base_name, str):
        raise ScenarioError(str(path), [Problem("extends", f"extends names a file, got {base_name!r}")])
    base_path = path.parent / base_name
    base = resolve_extends(read(base_path), base_path, read, chain + (here,))
    child = {k: v for k, v in raw.items() if k != "extends"}
    return merge({k: v for k, v in base.items() if k != "extends"}, child)


_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def apply_set(raw: dict, assignment: str) -> dict:
    """Apply ``PATH=VALUE`` (VALUE read as YAML) to a copy of raw.

    PATH uses dots for keys and ``[i]`` or ``[name]`` for list items, e.g.
    ``shops.paint.quality.first_pass_yield=0.85`` or ``shops.paint.stations[topcoat_booth].cycle_time=115``;
    a dotted name also picks a named list item (``shops.body.stations.framing.servers=2``).
    """
    source = f"--set {assignment}"
    if "=" not in assignment:
        raise ScenarioError(source, [Problem("", "write --set PATH=VALUE, e.g. shops.paint.quality.first_pass_yield=0.85")])
    path_text, value_text = assignment.split("=", 1)
    try:
        value = yaml.safe_load(value_text)
    except yaml.YAMLError as exc:
        raise ScenarioError(source, [Problem(path_text, f"value is not valid YAML: {exc}")]) from None
    keys = [m.group(1) if m.group(1) is not None else m.group(2) for m in _SEGMENT.finditer(path_text.strip())]
    if not keys:
        raise ScenarioError(source, [Problem("", "empty path")])
    out = merge(raw, {})
    node = out
    walked = []
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        if isinstance(node, dict):
            if last:
                node[key] = value
            else:
                node[key] = _copy(node.get(key, {}))
                node = node[key]
        elif isinstance(node, list):
            j = _list_index(node, key)
            if j is None:
                names = [item.get("name") for item in node if isinstance(item, dict)]
                raise ScenarioError(source, [Problem(".".join(walked), (
                    f"no item {key!r} in this list; items: {names if any(names) else f'0..{len(node) - 1}'}"))])
            if last:
                node[j] = value
            else:
                node[j] = _copy(node[j])
                node = node[j]
        else:
            raise ScenarioError(source, [Problem(".".join(walked), f"{node!r} has no part {key!r}")])
        walked.append(str(key))
    return out


def _copy(value):
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


def _list_index(items: list, key: str) -> int | None:
    for j, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == key:
            return j
    if key.lstrip("-").isdigit() and -len(items) <= int(key) < len(items):
        return int(key) % len(items)
    return None
