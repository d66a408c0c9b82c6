"""The scenario key reference (``docs/scenario-keys.md``), generated from the schema.

``reference_markdown()`` walks ``Scenario`` and the models under it, field by field in their order, and writes
one section per YAML key path (``shops.<name>.stations[]``) with a table of its keys: type, default and
description. A description is the field's ``description`` or, as the schema writes them, the string just
below the field (its attribute docstring, read from the source with ``ast``; the models do not set
``use_attribute_docstrings``, so validation and dumps do not depend on this module).

Regenerate the page with ``python -m sim.scenario.schema.docs > docs/scenario-keys.md``; a unit test fails
while the page and the schema disagree.
"""

from __future__ import annotations

import ast
import functools
import inspect
import re
import sys
import types
import typing

from pydantic import BaseModel, BeforeValidator
from pydantic.fields import FieldInfo

from ..units import ALL_MODELS, DAY, PerModelCount, PerModelTime, TimeSpec, format_duration, parse_duration
from .common import ClockTime, Date, Name, _clock_text
from .ramp import PlanEntry, _each_month_once
from .scenario import Scenario

COMMAND = "python -m sim.scenario.schema.docs > docs/scenario-keys.md"


def _before(alias) -> typing.Callable:
    """The function of the BeforeValidator an Annotated alias carries (how the docs recognise it in a field)."""
    return next(meta.func for meta in typing.get_args(alias)[1:] if isinstance(meta, BeforeValidator))


_DURATION, _CLOCK, _DATE, _TIME = parse_duration, _before(ClockTime), _before(Date), _before(TimeSpec)
_PER_MODEL = {_before(PerModelTime), _before(PerModelCount)}
_VOLUME = _before(PlanEntry)
DISTRIBUTIONS: tuple[type[BaseModel], ...] = typing.get_args(typing.get_args(TimeSpec)[0])
"""The distribution models a time may be given as (``dist: ...``)."""

# The distribution models live in ``sim.scenario.units``, whose fields carry no docstrings yet.
_UNIT_FIELDS = {
    ("Fixed", "dist"): "'fixed': always the same time (a bare duration is read as this).",
    ("Fixed", "value"): "The time every draw gives.",
    ("Uniform", "dist"): "'uniform': any time between low and high equally likely.",
    ("Uniform", "low"): "Shortest time.",
    ("Uniform", "high"): "Longest time; above low.",
    ("Triangular", "dist"): "'triangular': a time between low and high, most often near mode.",
    ("Triangular", "low"): "Shortest time.",
    ("Triangular", "mode"): "Most likely time; from low to high.",
    ("Triangular", "high"): "Longest time; above low.",
    ("Normal", "dist"): "'normal': a normal time with mean and sd, truncated to [low, high].",
    ("Normal", "mean"): "Mean time before truncation; inside [low, high].",
    ("Normal", "sd"): "Standard deviation (0: always the mean).",
    ("Normal", "low"): "Draws below it are drawn again (truncation); default 0, so no time is negative.",
    ("Normal", "high"): "Draws above it are drawn again (truncation); none: no upper limit.",
    ("Lognormal", "dist"): "'lognormal': a skewed time with a long tail of slow cycles or long repairs.",
    ("Lognormal", "mean"): "Mean of the time itself (not of its logarithm).",
    ("Lognormal", "sd"): "Standard deviation of the time itself (not of its logarithm).",
    ("Exponential", "dist"): "'exponential': memoryless, as times between failures and arrivals are.",
    ("Exponential", "mean"): "Mean time.",
    ("Weibull", "dist"): "'weibull': a repair or a time between failures with a shape; shape below 1: a long tail "
                          "of rare very long repairs (1: exponential).",
    ("Weibull", "shape"): "Shape, 0.2 to 20 (below 1: long tail; 1: exponential; above 1: wear-out).",
    ("Weibull", "scale"): "Scale (the 63rd percentile); give it or the mean.",
    ("Weibull", "mean_time"): "Mean time (written mean), instead of the scale.",
    ("Empirical", "dist"): "'empirical': one of the observed values (time studies, repair logs).",
    ("Empirical", "values"): "The observed times; each draw is one of them.",
    ("Empirical", "weights"): "Weight of each value (above 0, one per value); none: every value equally likely.",
}


# ------------------------------------------------------------------ descriptions

@functools.cache
def _attribute_docs(module: str) -> dict[str, dict[str, str]]:
    """{class name: {field: the string just below it}} of every class of a module's source."""
    docs: dict[str, dict[str, str]] = {}
    for node in ast.walk(ast.parse(inspect.getsource(sys.modules[module]))):
        if isinstance(node, ast.ClassDef):
            body = node.body
            docs[node.name] = {
                stmt.target.id: inspect.cleandoc(after.value.value)
                for stmt, after in zip(body, body[1:])
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)}
    return docs


def description(model: type[BaseModel], field: str) -> str:
    """What a field of a model means: its ``description``, else its attribute docstring; '' when it has none."""
    given = model.model_fields[field].description
    if given:
        return inspect.cleandoc(given)
    declared = next((cls for cls in model.__mro__ if field in vars(cls).get("__annotations__", {})), None)
    doc = _attribute_docs(declared.__module__).get(declared.__name__, {}).get(field) if declared else None
    if doc:
        return doc
    return _UNIT_FIELDS.get((model.__name__, field), "")


def model_doc(model: type[BaseModel]) -> str:
    """A model's own docstring, cleaned; '' when it has none."""
    return inspect.cleandoc(vars(model).get("__doc__") or "")


# ------------------------------------------------------------------ types

def _unwrap(tp, metas=()) -> tuple[object, list]:
    """A type without its Annotated layers, and the metadata of those layers (a Field's constraints opened)."""
    metas = list(metas)
    while typing.get_origin(tp) is typing.Annotated:
        args = typing.get_args(tp)
        tp, metas = args[0], list(args[1:]) + metas
    opened = []
    for meta in metas:
        opened.extend(meta.metadata if isinstance(meta, FieldInfo) else [meta])
    return tp, opened


def _validators(metas) -> set:
    return {meta.func for meta in metas if isinstance(meta, BeforeValidator)}


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return f"{int(value):,}"


def _bounds(metas, whole: bool = False) -> str:
    """'1 to 4', 'above 0, at most 100', 'at least 0' from the constraints of a number (``whole``: an int, whose
    bounds are written inclusive)."""
    lo = hi = None
    for meta in metas:
        for attr, inclusive, low in (("ge", True, True), ("gt", False, True), ("le", True, False),
                                     ("lt", False, False)):
            value = getattr(meta, attr, None)
            if value is not None:
                if whole and not inclusive:
                    value, inclusive = (value + 1 if low else value - 1), True
                if low:
                    lo = (value, inclusive)
                else:
                    hi = (value, inclusive)
    if lo and hi:
        if lo[1] and hi[1]:
            return f"{_number(lo[0])} to {_number(hi[0])}"
        low = f"{'at least' if lo[1] else 'above'} {_number(lo[0])}"
        return f"{low}, {'at most' if hi[1] else 'below'} {_number(hi[0])}"
    if lo:
        return f"{'at least' if lo[1] else 'above'} {_number(lo[0])}"
    if hi:
        return f"{'at most' if hi[1] else 'below'} {_number(hi[0])}"
    return ""


def _lengths(metas, noun: str) -> str:
    """'at least 1 item', 'exactly 12 items', '1 to 7 items' from a length's constraints (``noun`` singular)."""
    lo = next((m.min_length for m in metas if getattr(m, "min_length", None) is not None), None)
    hi = next((m.max_length for m in metas if getattr(m, "max_length", None) is not None), None)
    nouns = f"{noun[:-1]}ies" if noun.endswith("y") else f"{noun}s"
    last = hi if hi is not None else lo
    noun = noun if last == 1 else nouns
    if lo is not None and lo == hi:
        return f"exactly {_number(lo)} {noun}"
    if lo is not None and hi is not None:
        return f"{_number(lo)} to {_number(hi)} {noun}"
    if lo is not None:
        return f"at least {_number(lo)} {noun}"
    return f"at most {_number(hi)} {noun}" if hi is not None else ""


def _paren(text: str) -> str:
    return f" ({text})" if text else ""


def _is_union(tp) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _members(tp) -> list:
    return [arg for arg in typing.get_args(tp) if arg is not type(None)]


def type_text(tp, metas=()) -> str:
    """A type as a plant planner reads it: 'float (0 to 1)', 'list of Station', "'random' | 'levelled'"."""
    tp, metas = _unwrap(tp, metas)
    funcs = _validators(metas)
    if _DURATION in funcs:
        return "duration" + _paren(_bounds(metas))
    if _CLOCK in funcs:
        return 'clock time "HH:MM"'
    if _DATE in funcs:
        return "date YYYY-MM-DD"
    if _TIME in funcs:
        return "time or distribution"
    if funcs & _PER_MODEL:
        return f"{type_text(typing.get_args(tp)[1])}, or per model"
    if _each_month_once in funcs:
        return f"mapping of month YYYY-MM to {type_text(typing.get_args(tp)[1])}"
    if _VOLUME in funcs:
        return f"int or {type_text(tp)}"
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if _is_union(tp):
        members = _members(tp)
        if all(typing.get_origin(m) is typing.Literal for m in members):
            return type_text(typing.Literal[tuple(v for m in members for v in typing.get_args(m))])
        return " or ".join(type_text(m, metas) for m in members)
    if origin is typing.Literal:
        return " | ".join(repr(value) for value in args)
    if origin is list:
        return f"list of {type_text(args[0])}" + _paren(_lengths(metas, "item"))
    if origin is dict:
        return f"mapping of {_key_text(args[0])} to {type_text(args[1])}" + _paren(_lengths(metas, "entry"))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp.__name__
    if tp is str:
        lengths = _lengths(metas, "character")
        return "name" if lengths and lengths == _lengths(_unwrap(Name)[1], "character") else "text" + _paren(lengths)
    return getattr(tp, "__name__", str(tp)) + _paren(_bounds(metas, whole=tp is int))


def _key_text(tp) -> str:
    """A mapping's key: a name, or a year (the one mapping keyed by numbers, ``plan.years``)."""
    base, metas = _unwrap(tp)
    if base is int:
        years = [getattr(m, attr) for m in metas for attr in ("ge", "le") if getattr(m, attr, None) is not None]
        return "year YYYY" + _paren(" to ".join(str(year) for year in years))
    return type_text(tp)


def _key_placeholder(tp) -> str:
    """How a path names a key of a mapping: <name>, <YYYY>."""
    tp, _ = _unwrap(tp)
    return "<YYYY>" if tp is int else "<name>"


def nested(tp, suffix: str = "") -> list[tuple[str, type[BaseModel]]]:
    """The models inside a field's type, each with the path below the field that holds it ('[]', '.<name>').
    A time's distributions are documented once, apart, and not listed here."""
    tp, metas = _unwrap(tp)
    funcs = _validators(metas)
    if _TIME in funcs or funcs & _PER_MODEL:
        return []
    if _each_month_once in funcs:
        return nested(typing.get_args(tp)[1], suffix + ".<YYYY-MM>")
    if _is_union(tp):
        return [found for member in _members(tp) for found in nested(member, suffix)]
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is list:
        return nested(args[0], suffix + "[]")
    if origin is dict:
        return nested(args[1], f"{suffix}.{_key_placeholder(args[0])}")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return [(suffix, tp)]
    return []


def field_type(model: type[BaseModel], field: str):
    """A field's type with its constraints and validators (pydantic keeps a plain field's in ``metadata``)."""
    info = model.model_fields[field]
    return typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation


# ------------------------------------------------------------------ defaults

def _kind(tp) -> object:
    """The validator that says how a scalar is written (a duration, a clock time), looked for through Optional."""
    tp, metas = _unwrap(tp)
    funcs = _validators(metas) & {_DURATION, _CLOCK}
    if funcs:
        return funcs.pop()
    return next((k for k in map(_kind, _members(tp)) if k is not None), None) if _is_union(tp) else None


def _value_text(value, kind=None) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if kind is _DURATION:
            hours = f" ({value / 3600:g} h)" if value >= DAY and value % 3600 == 0 else ""
            return format_duration(float(value)) + hours
        if kind is _CLOCK:
            return _clock_text(value)
        return _number(value) if isinstance(value, int) or value.is_integer() else f"{value:g}"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, BaseModel):
        return "its defaults"
    if isinstance(value, dict):
        if set(value) == {ALL_MODELS}:
            return _value_text(value[ALL_MODELS], kind)
        return "{" + ", ".join(f"{k}: {_value_text(v, kind)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(str(v) if isinstance(v, str) else _value_text(v, kind) for v in value) + "]"
    return str(value)


def default_text(model: type[BaseModel], field: str) -> str:
    """A field's default as a scenario would write it ('8 h', '06:00', 'none'), or 'required'."""
    info = model.model_fields[field]
    if info.is_required():
        return "required"
    value = info.default_factory() if info.default_factory is not None else info.default
    return _value_text(value, _kind(field_type(model, field)))


# ------------------------------------------------------------------ the page

def sections() -> list[tuple[str, type[BaseModel], str | None]]:
    """(YAML key path, model, the path of its first section or None) of every place a model sits, in the
    order of the fields from the top; a model met again is documented once, at its first path."""
    found: list[tuple[str, type[BaseModel], str | None]] = []
    first: dict[type[BaseModel], str] = {}

    def visit(path: str, model: type[BaseModel]) -> None:
        if model in first:
            found.append((path, model, first[model]))
            return
        first[model] = path
        found.append((path, model, None))
        for name in model.model_fields:
            for suffix, child in nested(field_type(model, name)):
                visit(f"{path}.{name}{suffix}" if path else f"{name}{suffix}", child)

    visit("", Scenario)
    return found


def models() -> list[type[BaseModel]]:
    """Every model of the scenario tree: those under ``Scenario`` and the time distributions."""
    return list(dict.fromkeys([model for _, model, _ in sections()] + list(DISTRIBUTIONS)))


_CODE = re.compile(r"(``?[^`]+``?)")


def _markdown(text: str, cell: bool = False) -> str:
    """Docstring text as Markdown: ``code`` as `code`, < > and * escaped outside code; in a table cell on one
    line, with | escaped."""
    parts = _CODE.split(text)
    out = []
    for i, part in enumerate(parts):
        if i % 2:
            out.append("`" + part.strip("`") + "`")
        else:
            out.append(part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("*", r"\*"))
    text = "".join(out)
    if cell:
        text = " ".join(line.strip() for line in text.splitlines() if line.strip()).replace("|", r"\|")
    return text


def _table(model: type[BaseModel]) -> list[str]:
    rows = ["| key | type | default | description |", "| --- | --- | --- | --- |"]
    for name in model.model_fields:
        cells = (f"`{name}`", type_text(field_type(model, name)), default_text(model, name),
                 description(model, name))
        rows.append("| " + " | ".join(_markdown(cell, cell=True) if i else cell for i, cell in enumerate(cells))
                    + " |")
    return rows


def _heading(path: str, model: type[BaseModel]) -> str:
    return f"`{path}`: {model.__name__}" if path else f"Top level: {model.__name__}"


_INTRO = """\
Every key a scenario file may give, section by section as the keys nest. In a path, `<name>` is a key you
choose (a shop's, a line's, a route's name), `<YYYY-MM>` a month and `<YYYY>` a year, and `[]` stands for
each item of a list. Unknown keys are refused.

Types: a *name* is text of 1 to 80 characters; a *duration* is seconds or a number with its unit (`95 s`,
`40 min`, `8.5 h`, `2 d`), at most 10 years; a *time or distribution* is a duration (a fixed time) or a
distribution mapping (see [Time distributions](#time-distributions)); a value *per model* is one value for
every model or a mapping from model name to value, with `default` for the models not named. A share is a
fraction from 0 to 1. Defaults are written as a scenario would write them; *none* means the key is left out."""


def _kind_tag(model: type[BaseModel]) -> str | None:
    """The ``kind`` a model of a union told apart by its kind is written with (``kind: shutdown``), or None."""
    info = model.model_fields.get("kind")
    if info is None or typing.get_origin(info.annotation) is not typing.Literal:
        return None
    return typing.get_args(info.annotation)[0]


def reference_markdown() -> str:
    """The scenario key reference as a Markdown page (deterministic: the same schema gives the same text)."""
    lines = [f"_Generated by `{COMMAND}` from the schema in `sim/scenario/schema/`: do not edit by hand._", "",
             "# Scenario keys", "", _INTRO, ""]
    at_path: dict[str, list[type[BaseModel]]] = {}
    for path, model, seen in sections():
        lines += [f"## {_heading(path, model)}", ""]
        others = at_path.setdefault(path, [])
        if _kind_tag(model) is not None:  # a union told apart by its kind (a dated event)
            lines += [f"An item with `kind: {_kind_tag(model)}` is a {model.__name__}.", ""]
        elif others:  # a union of models at one path (a station or a parallel section): told apart by a key
            key = next(name for name in model.model_fields if all(name not in m.model_fields for m in others))
            lines += [f"An item with a `{key}` key is a {model.__name__}; the others are "
                      f"{' or '.join(m.__name__ for m in others)}.", ""]
        others.append(model)
        if seen is not None:
            where = f"`{seen}`" if seen else "the top level"
            lines += [f"The same keys as {where} ({model.__name__}).", ""]
            continue
        doc = model_doc(model)
        if doc:
            lines += [_markdown(doc), ""]
        lines += _table(model) + [""]
    lines += ["## Time distributions", "",
              "A *time or distribution* is a duration, read as a fixed time, or a mapping whose `dist` key names "
              "one of these distributions; every time in it is a duration.", ""]
    for model in DISTRIBUTIONS:
        dist = typing.get_args(model.model_fields["dist"].annotation)[0]
        lines += [f"### `dist: {dist}`: {model.__name__}", "", _markdown(model_doc(model)), ""]
        lines += _table(model) + [""]
    return "\n".join(lines).rstrip("\n") + "\n"


if __name__ == "__main__":
    sys.stdout.write(reference_markdown())
