"""What a YAML path of a scenario holds, read off the schema: the allowed keys of an error message, whether
``--set`` keeps a value as text, and values written in their own units."""

from __future__ import annotations

import re
import types
import typing

from pydantic import BaseModel

from .schema import Scenario
from .units import format_duration, parse_duration

_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def _options(tp) -> list:
    """The concrete types an annotation allows, with the validators of each Annotated layer kept."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _options(typing.get_args(tp)[0]) + [tp]
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(tp) for t in _options(arg)]
    return [tp]


def _step(options: list, key: str, item: bool) -> list:
    out = []
    for t in options:
        origin = typing.get_origin(t)
        if isinstance(t, type) and issubclass(t, BaseModel) and key in t.model_fields:
            info = t.model_fields[key]  # pydantic keeps a plain field's Annotated validators in its metadata
            out += _options(info.annotation) + ([typing.Annotated[(info.annotation, *info.metadata)]]
                                                if info.metadata else [])
        elif origin is list and item:
            out += _options(typing.get_args(t)[0])
        elif origin is dict and not item:
            out += _options(typing.get_args(t)[1])
    return out


def split_path(path: str) -> list[tuple[str, bool]]:
    """'shops.paint.stations[topcoat].servers' -> [('shops', False), ..., ('topcoat', True), ('servers', False)]:
    each key with whether it was written as a list item ``[...]``."""
    return [(m.group(1), False) if m.group(1) is not None else (m.group(2), True) for m in _SEGMENT.finditer(path)]


def types_at(keys) -> list:
    """The types the schema allows at a path of (key, item) pairs, Annotated layers kept with their validators.

    A key given as a mapping key may also name a list item and the other way round (``--set`` accepts
    ``stations.framing`` for ``stations[framing]``); ``default`` is the per-model key '*'.
    """
    options = _options(Scenario)
    for key, item in keys:
        if key == "default":
            key = "*"
        options = _step(options, key, item) or _step(options, key, not item)
        if not options:
            return []
    return options


def model_fields_at(keys) -> list[str]:
    """Field names of the schema models that sit at a path of (key, item) pairs."""
    fields: list[str] = []
    for t in types_at(keys):
        for name in getattr(_base(t), "model_fields", {}):
            if name not in fields:
                fields.append(name)
    return fields


def is_duration(path: str) -> bool:
    """Whether the value at ``path`` (as 'shops.body.shifts.length' or 'stations[framing].cycle_time') is a duration."""
    return any(getattr(meta, "func", None) is parse_duration
               for t in types_at(split_path(path)) if typing.get_origin(t) is typing.Annotated
               for meta in typing.get_args(t)[1:])


def _base(tp):
    """The type an option stands for, Annotated layers removed."""
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def expects_text(path: str) -> bool:
    """Whether the schema holds text (and only text) at ``path``: a name, a description, a station's line.

    ``--set`` keeps such a value as written instead of reading it as YAML ('no' stays 'no', '1.10' stays '1.10').
    """
    options = types_at(split_path(path))
    return bool(options) and {_base(t) for t in options} - {type(None)} == {str}


def describe(path: str, value) -> str:
    """A value of the resolved scenario as a scenario file would write it ('8.5 h', not 30600.0)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_duration(path):
        return format_duration(float(value))
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {describe(f'{path}.{k}', v)}" for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(describe(f"{path}[{i}]", v) for i, v in enumerate(value)) + "]"
    return "–" if value is None else str(value)
