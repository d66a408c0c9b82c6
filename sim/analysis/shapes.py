"""What a value of summary.json must look like when a run is read back: the checks of the tables that say
which keys ``compare`` and the reports read (``sim.results.folder``; a component's analysis module lists the
keys of its own section in ``CHECKS``), written once.

A table is a tuple of (key, check): the key is dotted, ``*`` stands for every value of a table (a dict) and a
part ending in ``?`` may be absent (a section a run need not have); the check takes the value and says
whether it is well formed.
"""

from __future__ import annotations


def number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def optional_number(value) -> bool:
    """A number or null (a figure undefined in the run, such as a mean over no replication)."""
    return value is None or number(value)


def text(value) -> bool:
    return isinstance(value, str)


def optional_text(value) -> bool:
    return value is None or isinstance(value, str)


def numbers(value) -> bool:
    """A list of numbers or nulls (per-replication values)."""
    return isinstance(value, list) and all(optional_number(x) for x in value)


def texts(value) -> bool:
    return isinstance(value, list) and all(isinstance(x, str) for x in value)


def faults(value, key: str, check) -> list[str]:
    """The keys (concrete: ``*`` replaced by each name) at which ``value`` is missing or fails ``check``;
    [] when it holds. A key stops at the first part that is not a table."""
    return _faults(value, key.split("."), check, "")


def _faults(value, parts: list[str], check, where: str) -> list[str]:
    if not parts:
        return [] if check(value) else [where]
    if not isinstance(value, dict):
        return [where]
    part, rest = parts[0], parts[1:]
    if part == "*":
        return [fault for name, item in value.items() for fault in _faults(item, rest, check, _join(where, name))]
    name = part.removesuffix("?")
    if name not in value:
        return [] if part.endswith("?") else [_join(where, name)]
    return _faults(value[name], rest, check, _join(where, name))


def _join(where: str, name) -> str:
    return f"{where}.{name}" if where else str(name)
