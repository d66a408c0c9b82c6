"""Tables that fit a terminal without splitting a word.

A terminal table may wrap a cell at its spaces but must never cut a word ('assem' / 'bly'). ``fit`` turns a
table's rows into one or more tables of text cells that fit a width, by a fixed rule, in this order:

1. a name that repeats the row's shop ('assembly.trim1' beside shop 'assembly') loses the prefix;
2. text columns wrap at spaces, widest first, never below their longest word (figures do not wrap);
3. long words are shortened, the same way everywhere: plant words from a fixed list first
   ('assembly' -> 'assy'), then cut in the middle with '…' (keeping the end, where 'left' and 'right'
   differ), never making two different names of a column the same;
4. a table still too wide is split into tables stacked one under the other, each repeating the key columns
   (the names at the left, shortened alike in every part), with '(1/2)', '(2/2)' in their titles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import Rows, cell, explained

ABBREVIATIONS = {
    "assembly": "assy", "marriage": "marr", "powertrain": "ptrain", "compartment": "compt",
    "installation": "inst", "install": "inst", "transfer": "xfer", "underbody": "ubody", "inspection": "insp",
    "pretreatment": "pretreat", "harness": "hrns", "module": "mod", "sequence": "seq", "station": "stn",
    "removal": "rem", "closures": "clos", "closure": "clos", "framing": "frm", "cockpit": "ckpt",
    "engine": "eng", "geometry": "geo", "booth": "bth", "chassis": "chas", "primer": "prm", "topcoat": "tc",
    "replications": "reps", "replication": "rep", "planned": "plan", "slowest": "slow",
}
"""Plant words and their short forms, applied to the parts of a name (split at '_', '.', ':' and spaces)."""

SHORT_WORD = 14
"""Words are cut to this many characters before a table is split: most names still read whole."""

SHORTEST_WORD = 8
"""Words are not cut below this many characters: shorter, they stop saying what they name."""

WHOLE = 12
"""A cell of at most this many characters is not wrapped."""

KEY_COLUMNS = 2
"""A split table repeats at most this many leading text columns (the row's names)."""


@dataclass
class Fitted:
    """A table ready to print: headings, text cells and the width of each column (without padding)."""
    title: str
    headings: list[str]
    numeric: list[bool]
    cells: list[list[str]]
    marks: list[str]
    caption: str = ""
    widths: list[int] = field(default_factory=list)
    roomy: bool = False
    """A space on each side of every cell (else on one side only)."""


def longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def overhead(columns: int, roomy: bool) -> int:
    """Characters a table's rules and padding take: a roomy table pads each side of every cell, a compact one
    one side only (rich's pad_edge and collapse_padding)."""
    return columns * (3 if roomy else 2) + 1


def fit(rows: Rows, width: int) -> list[Fitted]:
    """The table as one or more tables that fit ``width`` characters with no word cut (see the module). From
    120 columns a table is roomy (a space each side of a cell) when that fits, else compact."""
    if width >= 120:
        roomy = _fitted(rows, width, roomy=True, split=False)
        if roomy:
            return roomy
    return _fitted(rows, width, roomy=False, split=True)


def _fitted(rows: Rows, width: int, roomy: bool, split: bool) -> list[Fitted]:
    headings = [c.short if not roomy and c.short else c.label for c in rows.columns]
    cells = [[cell(v, c.kind) for v, c in zip(values, rows.columns)] for values in rows.rows]
    table = Fitted(rows.title, headings, [c.numeric for c in rows.columns], _without_shop(headings, cells),
                   list(rows.marks), explained(rows.caption, cells), roomy=roomy)
    budget = width - overhead(len(headings), roomy)
    for limit in _limits(table, SHORT_WORD):
        shortened = _shortened(table, limit)
        if _fits(shortened, budget):
            return [_sized(shortened, budget)]
    if not split:
        return []
    return _split_fitting(table, width, roomy)


def _without_shop(headings: list[str], cells: list[list[str]]) -> list[list[str]]:
    """Names without the shop prefix their row's shop column already says."""
    if "shop" not in headings:
        return cells
    at = headings.index("shop")
    return [[c[len(row[at]) + 1:] if k != at and row[at] and c.startswith(row[at] + ".") and
             len(c) > len(row[at]) + 1 else c for k, c in enumerate(row)] for row in cells]


def _limits(table: Fitted, floor: int) -> list[int]:
    """Word-length limits to try, from none (the longest word) down to ``floor``."""
    longest = max([longest_word(c) for row in table.cells for c in row] + [0])
    return list(range(longest, floor - 1, -1)) or [longest]


def _fits(table: Fitted, budget: int) -> bool:
    return sum(_minimums(table)) <= budget


def _minimums(table: Fitted) -> list[int]:
    """Each column's narrowest width: its longest word; a figure's whole text, and a short text's (a number,
    an interval or 'n/a (1 run)' reads badly over lines)."""
    return [max([longest_word(h)] + [len(row[k]) if numeric or len(row[k]) <= WHOLE else longest_word(row[k])
                                     for row in table.cells])
            for k, (h, numeric) in enumerate(zip(table.headings, table.numeric))]


def _naturals(table: Fitted) -> list[int]:
    return [max([len(h)] + [len(row[k]) for row in table.cells]) for k, h in enumerate(table.headings)]


def _sized(table: Fitted, budget: int) -> Fitted:
    """Column widths within the budget: each as wide as its widest cell, the text columns wrapping first
    (widest first), never narrower than their longest word."""
    widths, least = _naturals(table), _minimums(table)
    while sum(widths) > budget:
        slack = [(not numeric, width - low, k) for k, (width, low, numeric)
                 in enumerate(zip(widths, least, table.numeric)) if width > low]
        if not slack:
            break
        widths[max(slack)[2]] -= 1
    table.widths = widths
    return table


def _shortened(table: Fitted, limit: int) -> Fitted:
    """The table with the words of its text cells shortened to ``limit`` characters, column by column, each
    column's different names staying different."""
    columns = [[row[k] for row in table.cells] for k in range(len(table.headings))]
    columns = [values if numeric else _unique_short(values, limit)
               for values, numeric in zip(columns, table.numeric)]
    cells = [list(row) for row in zip(*columns)] if columns and table.cells else table.cells
    return Fitted(table.title, table.headings, table.numeric, cells, table.marks, table.caption, roomy=table.roomy)


def _unique_short(values: list[str], limit: int) -> list[str]:
    """Each value shortened to ``limit``; a value whose short form another value shares keeps more characters
    (up to all of them)."""
    out = [shorten(v, limit) for v in values]
    for step in range(limit + 1, max([longest_word(v) for v in values] + [limit]) + 2):
        seen: dict[str, set[str]] = {}
        for original, short in zip(values, out):
            seen.setdefault(short, set()).add(original)
        clashing = {short for short, originals in seen.items() if len(originals) > 1}
        if not clashing:
            break
        out = [shorten(v, step) if short in clashing else short for v, short in zip(values, out)]
    return out


def shorten(text: str, limit: int) -> str:
    """Every word of the text at most ``limit`` characters: plant words abbreviated, then the word cut in the
    middle with '…' ('side_frames_right' -> 'side_fr…right')."""
    return " ".join(_short_word(word, limit) for word in text.split(" "))


def _short_word(word: str, limit: int) -> str:
    if len(word) <= limit:
        return word
    pieces = re.split(r"([_.:/()\-])", word)
    word = "".join(ABBREVIATIONS.get(p.lower(), p) for p in pieces)
    if len(word) <= limit:
        return word
    tail = min(5, (limit - 1) // 2)
    return word[:limit - 1 - tail] + "…" + word[len(word) - tail:]


def _fitting_limit(table: Fitted, budget: int) -> int:
    """The longest word length that lets the table fit (the shortest allowed when none does)."""
    limits = _limits(table, SHORTEST_WORD)
    return next((limit for limit in limits if _fits(_shortened(table, limit), budget)), limits[-1])


def _split_fitting(table: Fitted, width: int, roomy: bool) -> list[Fitted]:
    """The table split (``_split``), each part's words shortened as little as lets it fit, but the names at the
    left the same in every part (shortened as the part that needs it most does), so a reader can match the rows
    of one part to the next."""
    parts = _split(table, width, roomy)
    budgets = [width - overhead(len(part.headings), roomy) for part in parts]
    limits = [_fitting_limit(part, budget) for part, budget in zip(parts, budgets)]
    keys = len(_key_columns(table))
    names = _shortened(_columns(table, list(range(keys))), min(limits)).cells
    out = []
    for part, budget, limit in zip(parts, budgets, limits):
        shortened = _shortened(part, limit)
        shortened.cells = [name + row[keys:] for name, row in zip(names, shortened.cells)]
        out.append(_sized(shortened, budget))
    return out


def _split(table: Fitted, width: int, roomy: bool) -> list[Fitted]:
    """The table cut into stacked tables, each with the key columns and as many of the rest as fit."""
    keys = _key_columns(table)
    least = _minimums(_shortened(table, SHORT_WORD))
    key_width = sum(least[k] for k in keys)
    groups: list[list[int]] = [[]]
    rest = [k for k in range(len(table.headings)) if k not in keys]
    for k in rest:
        trial = groups[-1] + [k]
        if groups[-1] and key_width + sum(least[j] for j in trial) > width - overhead(len(keys) + len(trial), roomy):
            groups.append([k])
        else:
            groups[-1] = trial
    parts = []
    for n, group in enumerate(groups, start=1):
        part = _columns(table, keys + group)
        if len(groups) > 1:
            part.title = f"{table.title} ({n}/{len(groups)})" if table.title else f"({n}/{len(groups)})"
        part.caption = table.caption if n == len(groups) else ""
        parts.append(part)
    return parts


def _key_columns(table: Fitted) -> list[int]:
    keys = []
    for k, numeric in enumerate(table.numeric[:KEY_COLUMNS]):
        if numeric:
            break
        keys.append(k)
    return keys


def _columns(table: Fitted, which: list[int]) -> Fitted:
    return Fitted(table.title, [table.headings[k] for k in which], [table.numeric[k] for k in which],
                  [[row[k] for k in which] for row in table.cells], table.marks, table.caption, roomy=table.roomy)
