"""Reading scenario text: bounded files, restricted YAML, plain data only.

Every input ends as plain data or a ``ScenarioError`` naming the file, the line
and what is allowed: only regular files up to ``MAX_FILE_BYTES`` are read; the
YAML is composed once into a node tree, which is measured (values after
expanding aliases, nesting, aliases that contain themselves) before any Python
object is built from it; dates stay text (the schema reads them and reports a
bad one with its path); a value that cannot be built names its line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import yaml

from .errors import Problem, ScenarioError, cap, shown, yaml_path

MAX_FILE_BYTES = 2_000_000
"""A scenario file is at most this many bytes."""
MAX_VALUES = 100_000
"""At most this many YAML values (keys, scalars, lists, mappings), aliases expanded."""
MAX_DEPTH = 64
"""At most this many levels of nesting."""
MAX_INT_DIGITS = 100
"""An integer is written with at most this many digits."""

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _TooMany(Exception):
    def __init__(self, what: str, mark):
        super().__init__(what)
        self.what, self.mark = what, mark


class _BadValue(Exception):
    def __init__(self, node, error: BaseException):
        super().__init__(str(error))
        self.node, self.error = node, error


class ScenarioLoader(yaml.SafeLoader):
    """PyYAML's safe loader without the implicit timestamp (a date stays text, read by the schema),
    refusing more than MAX_VALUES values or MAX_DEPTH levels while it composes, and naming the
    node of any value it cannot build."""

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream):
        super().__init__(stream)
        self._composed = 0
        self._depth = 0

    def compose_node(self, parent, index):
        self._composed += 1
        if self._composed > MAX_VALUES:
            raise _TooMany(f"more than {MAX_VALUES:,} values", self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooMany(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node, deep=False):
        try:
            data = super().construct_object(node, deep)
        except (_BadValue, yaml.constructor.ConstructorError):
            raise
        except Exception as exc:  # noqa: BLE001 - ValueError, KeyError, OverflowError, ... of one value
            raise _BadValue(node, exc) from None
        if isinstance(data, int) and not isinstance(data, bool) and data.bit_length() > 3.33 * MAX_INT_DIGITS:
            raise _BadValue(node, ValueError(f"an integer of more than {MAX_INT_DIGITS} digits"))
        return data


def read_text(path: Path) -> str:
    """The text of a scenario file: a regular file of at most MAX_FILE_BYTES bytes of UTF-8."""
    source = str(path)

    def fail(message: str):
        raise ScenarioError(source, [Problem("", message)])

    try:
        info = os.stat(path)
    except FileNotFoundError:
        fail("file not found")
    except (OSError, ValueError) as exc:
        fail(f"cannot read: {shown(str(exc), 200)}")
    if stat.S_ISDIR(info.st_mode):
        fail("is a directory, not a scenario file")
    if not stat.S_ISREG(info.st_mode):
        fail("is not a regular file (a pipe, device or socket): give a scenario file")
    if info.st_size > MAX_FILE_BYTES:
        fail(f"is {info.st_size:,} bytes: a scenario file is at most {MAX_FILE_BYTES:,} bytes")
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except (OSError, ValueError) as exc:
        fail(f"cannot read: {shown(str(exc), 200)}")
    if len(data) > MAX_FILE_BYTES:
        fail(f"is over {MAX_FILE_BYTES:,} bytes: a scenario file is at most {MAX_FILE_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(f"is not UTF-8 text (byte {exc.start}): a scenario is a YAML text file")


def parse_yaml(text: str, source: str):
    """(plain data, node tree) of YAML text, or ScenarioError naming the line of the problem.

    The text is composed once; the tree is measured and checked for repeated keys before
    the data is built from it (so an alias bomb or a self-referencing alias never expands).
    """
    loader = None
    try:
        loader = ScenarioLoader(text)
        tree = loader.get_single_node()
        if tree is None:
            return None, None
        _check_shape(tree, source)
        _check_duplicates(tree, source)
        return loader.construct_document(tree), tree
    except ScenarioError:
        raise
    except _TooMany as exc:
        raise ScenarioError(source, [Problem("", _too_many(exc.what), _line(exc.mark))]) from None
    except RecursionError:
        raise ScenarioError(source, [Problem("", _too_many(f"nested more than {MAX_DEPTH} levels deep"))]) from None
    except _BadValue as exc:
        node = exc.node
        where = _path_of(tree, node)
        tag = node.tag.rsplit(":", 1)[-1] if node.tag else "value"
        value = shown(node.value) if isinstance(node, yaml.ScalarNode) else f"a {node.id}"
        why = f": {shown(str(exc.error), 120)[1:-1]}" if isinstance(exc.error, ArithmeticError | ValueError) else ""
        if "int_max_str_digits" in why:  # Python's own limit on reading long integers
            why = f": an integer of more than {MAX_INT_DIGITS} digits"
        raise ScenarioError(source, [Problem(where, f"cannot read {value} as {tag}{why}", _line(node.start_mark))]) from None
    except yaml.constructor.ConstructorError as exc:
        problem = (getattr(exc, "problem", "") or "").strip()
        line = _line(exc.problem_mark)
        if "could not determine a constructor" in problem:
            message = (f"YAML tag not allowed ({shown(problem, 120)}): a scenario holds plain data only "
                       "(mappings, lists, numbers, strings, dates)")
        else:
            message = f"YAML value cannot be read: {shown(problem, 120)}"
        raise ScenarioError(source, [Problem("", message, line)]) from None
    except yaml.YAMLError as exc:
        line = _line(getattr(exc, "problem_mark", None))
        what = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(source, [Problem("", f"YAML syntax error: {cap(what, 200)}", line)]) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml_value(text: str, source: str, path: str = ""):
    """A value written on the command line (--set PATH=VALUE), read as the files are read."""
    try:
        raw, _ = parse_yaml(text, source)
    except ScenarioError as exc:
        raise ScenarioError(source, [Problem(p.path or path, p.message) for p in exc.problems]) from None
    return raw


def _too_many(what: str) -> str:
    return (f"{what} (aliases expanded): a scenario is far smaller; refused so that it cannot exhaust memory "
            f"(an alias repeating an alias multiplies, a 'billion laughs' bomb). Limits: {MAX_VALUES:,} values, "
            f"{MAX_DEPTH} levels")


def _line(mark) -> int | None:
    return mark.line + 1 if mark is not None else None


def _children(node) -> list:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_shape(tree, source: str) -> None:
    """Refuse an alias that contains itself, and a tree that expands to more than MAX_VALUES values
    or MAX_DEPTH levels; iterative, each shared node measured once."""
    measured: dict[int, tuple[int, int]] = {}  # id -> (values, depth) once expanded
    open_ = set()
    stack = [(tree, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            kids = _children(node)
            size = 1 + sum(measured[id(k)][0] for k in kids)
            depth = 1 + max((measured[id(k)][1] for k in kids), default=0)
            if size > MAX_VALUES:
                raise _TooMany(f"more than {MAX_VALUES:,} values", node.start_mark)
            if depth > MAX_DEPTH:
                raise _TooMany(f"nested more than {MAX_DEPTH} levels deep", node.start_mark)
            measured[key] = (size, depth)
            continue
        if key in measured:
            continue
        open_.add(key)
        stack.append((node, True))
        for kid in _children(node):
            if id(kid) in open_:
                raise ScenarioError(source, [Problem(_path_of(tree, node, limit=10_000), (
                    "an alias refers to a list or mapping that contains it (a structure without end): "
                    "a scenario holds plain data only"), _line(kid.start_mark))])
            if id(kid) not in measured:
                stack.append((kid, False))


def _check_duplicates(tree, source: str) -> None:
    problems = []
    stack = [(tree, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None:
                    if key in seen and key != "<<":
                        problems.append(Problem(yaml_path(loc), f"key {shown(key)} appears twice",
                                                _line(key_node.start_mark)))
                    seen.add(key)
                stack.append((value_node, loc + (key if key is not None else "?",)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, loc + (i,)) for i, item in enumerate(node.value))
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        raise ScenarioError(source, problems)


def _path_of(tree, target, limit: int = MAX_VALUES) -> str:
    """YAML path of ``target`` in the tree (breadth first, the first place it appears), or ''."""
    queue = [(tree, ())]
    seen = set()
    for node, loc in queue:
        if node is target:
            return yaml_path(loc)
        if id(node) in seen or len(queue) > limit:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                if key_node is target:
                    return yaml_path(loc)
                queue.append((value_node, loc + (key,)))
        elif isinstance(node, yaml.SequenceNode):
            queue.extend((item, loc + (i,)) for i, item in enumerate(node.value))
    return ""
