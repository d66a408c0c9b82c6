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

from .errors import Problem, ScenarioError, did_you_mean, shown
from .paths import expects_text, split_path
from .reading import MAX_DEPTH, read_yaml_value

REMOVE = "remove"
MAX_EXTENDS = 32
"""At most this many files in an ``extends`` chain."""


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
    return isinstance(value, list) and bool(value) and all(
        isinstance(v, dict) and isinstance(v.get("name"), (str, int, float)) for v in value)


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


def new_named_items(base, override, child_at: tuple = (), named_at: tuple = ()):
    """(its path in the override, its path with list items as ("name", x), its name, the base's names) of
    each named item the override adds to a named list of the base, as ``merge`` appends it, or to a mapping of
    items keyed by name (kits, routes, shops, lines: a mapping whose values are all mappings), as ``merge`` adds
    a key. A misspelt field of a model is such a key too; its problem is the unknown key itself, which the
    loader's hints leave alone (they go to problems inside a new item)."""
    if isinstance(base, dict) and isinstance(override, dict):
        keyed = bool(base) and all(isinstance(v, dict) for v in base.values())
        for key, value in override.items():
            if key in base:
                yield from new_named_items(base[key], value, child_at + (key,), named_at + (key,))
            elif keyed and isinstance(value, dict):
                yield child_at + (key,), named_at + (key,), key, list(base)
    elif _named_list(base) and _named_list(override):
        names = [item["name"] for item in base]
        for j, item in enumerate(override):
            here = (child_at + (j,), named_at + (("name", item["name"]),))
            if item["name"] in names:
                yield from new_named_items(base[names.index(item["name"])], item, *here)
            elif not item.get(REMOVE):
                yield *here, item["name"], names


def resolve_extends(raw: dict, path: Path, read, chain: tuple = ()) -> dict:
    """Follow ``extends`` from the file at ``path``; ``read(path) -> raw`` parses a file."""
    try:
        here = path.resolve()
    except (OSError, ValueError, RuntimeError):
        here = path.absolute()
    if here in chain:
        loop = " -> ".join(p.name for p in chain + (here,))
        raise ScenarioError(str(path), [Problem("extends", f"extends makes a cycle: {loop}")])
    base_name = raw.get("extends")
    if base_name is None:
        return raw
    if not isinstance(base_name, str) or not base_name.strip() or "\x00" in base_name:
        raise ScenarioError(str(path), [Problem("extends", f"extends names a scenario file, got {shown(base_name)}")])
    if len(chain) + 2 > MAX_EXTENDS:
        raise ScenarioError(str(path), [Problem("extends", (
            f"the extends chain is longer than {MAX_EXTENDS} files: a variant extends a base, "
            f"which may extend another, up to {MAX_EXTENDS} files in all"))])
    base_path = path.parent / base_name
    base = resolve_extends(read(base_path), base_path, read, chain + (here,))
    child = {k: v for k, v in raw.items() if k != "extends"}
    return merge({k: v for k, v in base.items() if k != "extends"}, child)


def apply_set(raw: dict, assignment: str) -> dict:
    """Apply ``PATH=VALUE`` to a copy of raw.

    VALUE is read as the scenario files are read (YAML, dates kept as text, the same
    limits), except where the schema expects text at PATH (a name, a description, a
    station's line): there VALUE is kept as written.

    PATH uses dots for keys and ``[i]`` or ``[name]`` for list items, e.g.
    ``shops.paint.quality.first_pass_yield=0.85`` or ``shops.paint.stations[topcoat_booth].cycle_time=115``;
    a dotted name also picks a named list item (``shops.body.stations.framing.servers=2``).
    """
    source = f"--set {assignment if len(assignment) <= 120 else assignment[:119] + '…'}"
    if "=" not in assignment:
        raise ScenarioError(source, [Problem("", "write --set PATH=VALUE, e.g. shops.paint.quality.first_pass_yield=0.85")])
    path_text, value_text = assignment.split("=", 1)
    path_text = path_text.strip()
    keys = [key for key, _ in split_path(path_text)]
    if not keys:
        raise ScenarioError(source, [Problem("", "empty path")])
    if len(keys) > MAX_DEPTH:
        raise ScenarioError(source, [Problem(path_text, f"a path of more than {MAX_DEPTH} parts")])
    if expects_text(path_text):
        value = value_text
    else:
        value = read_yaml_value(value_text, source, path_text)
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
                items = shown(names, 400) if any(names) else f"0..{len(node) - 1}"
                listed = did_you_mean(key if isinstance(key, str) else "", [n for n in names if n is not None],
                                      f"items: {items}")
                raise ScenarioError(source, [Problem(".".join(walked), f"no item {shown(key)} in this list{listed}")])
            if last:
                node[j] = value
            else:
                node[j] = _copy(node[j])
                node = node[j]
        else:
            raise ScenarioError(source, [Problem(".".join(walked), f"{shown(node)} has no part {shown(key)}")])
        walked.append(str(key))
    return out


def _copy(value):
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    return value


_INDEX = re.compile(r"^-?[0-9]{1,9}$")


def _list_index(items: list, key: str) -> int | None:
    for j, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == key:
            return j
    if _INDEX.match(key) and -len(items) <= int(key) < len(items):
        return int(key) % len(items)
    return None
