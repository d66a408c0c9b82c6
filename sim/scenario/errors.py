"""Scenario errors: every problem with its YAML path, reported at once."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

SHOWN_VALUE = 80
"""At most this many characters of a bad value are shown in a message."""
_MESSAGE = 600
_PATH = 300
_PROBLEMS_SHOWN = 50


def cap(text: str, limit: int) -> str:
    """The text cut to ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


class ItemName(str):
    """A list item given by its name, as ``--set`` takes it: ``yaml_path`` writes it in brackets, like an index."""


def yaml_path(loc) -> str:
    """('shops', 'paint', 'stations', 3, 'cycle_time') -> 'shops.paint.stations[3].cycle_time' (keys cut to 80);
    an ``ItemName`` key -> 'stations[topcoat]'."""
    out = ""
    for key in loc:
        if isinstance(key, int):
            out += f"[{key}]"
        elif isinstance(key, ItemName):
            out += f"[{cap(key, 80)}]"
        else:
            out += ("." if out else "") + cap(str(key), 80)
    return out


def did_you_mean(name, allowed, then: str | None = None) -> str:
    """'; did you mean 'x'?' for the allowed name closest to a misspelt one, or '' when none is close. With
    ``then`` (what the message goes on with, e.g. "shops: "): '; did you mean 'x'? Shops: ' or '; shops: '."""
    close = difflib.get_close_matches(str(name), [str(a) for a in allowed], n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    if then is None:
        return hint
    return f"{hint} {then[:1].upper()}{then[1:]}" if hint else f"; {then}"


def not_a_model(model, shown_models, or_default: bool = False) -> str:
    """The message for a name that is not a model of the mix, with the closest model and the list shown."""
    tail = " or 'default'" if or_default else ""
    return f"{model!r} is not a model of the product mix{did_you_mean(model, shown_models, 'allowed: ')}{shown_models}{tail}"


def shown(value, limit: int = SHOWN_VALUE) -> str:
    """A bad value as a message shows it: its repr, cut to ``limit`` characters (a huge
    integer, whose repr Python may refuse, is described by its number of digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    if isinstance(value, str):
        return repr(cap(value, limit)) if len(value) > limit else repr(value)
    if isinstance(value, (list, tuple, dict, set)) and len(value) > limit:
        return f"a {type(value).__name__} of {len(value):,} items"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a value whose repr fails is still named
        text = f"a {type(value).__name__}"
    return cap(text, limit)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None

    def __post_init__(self):  # a message never carries a huge value
        object.__setattr__(self, "path", cap(str(self.path), _PATH))
        object.__setattr__(self, "message", cap(str(self.message), _MESSAGE))

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path or '<top>'}{where}: {self.message}"


class ScenarioError(Exception):
    """A scenario that cannot be run, with every problem found in it."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        source = cap(str(source), _PATH)
        count = f"{len(problems)} problem" + ("s" if len(problems) != 1 else "")
        lines = [f"{source}: {count}"] + [f"  {p}" for p in problems[:_PROBLEMS_SHOWN]]
        if len(problems) > _PROBLEMS_SHOWN:
            lines.append(f"  ... and {len(problems) - _PROBLEMS_SHOWN} more")
        super().__init__("\n".join(lines))
