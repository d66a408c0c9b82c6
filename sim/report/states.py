"""Station states as the reports show them: order, headings, legend labels and colours, all read from the
model's one table of states (``sim.model.flow.states.SHOWN``).

A state the table does not know (a results folder written by another version) is still shown: last, under
its name, in a spare colour of its own.
"""

from __future__ import annotations

import pandas as pd

from ..model.flow.states import SHOWN

KNOWN = {state.name: state for state in SHOWN}
NOT_STATES = {"line_active"}
"""share_* columns that are not station states (they do not add up with the others)."""
_SPARE_COLOURS = ("#1f77b4", "#aec7e8", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22")


def state_columns(stations: pd.DataFrame) -> list[str]:
    """The state names of a stations table (share_<state> columns), in display order; unknown ones last."""
    names = [c[len("share_"):] for c in stations.columns if c.startswith("share_")]
    names = [n for n in names if n not in NOT_STATES]
    known = [state.name for state in SHOWN if state.name in names]
    return known + sorted(n for n in names if n not in KNOWN)


def state_colour(state: str) -> str:
    if state in KNOWN:
        return KNOWN[state].colour
    return _SPARE_COLOURS[sum(map(ord, state)) % len(_SPARE_COLOURS)]


def state_label(state: str) -> str:
    """What the state means, for a legend."""
    return KNOWN[state].label if state in KNOWN else state.replace("_", " ")


def state_short(state: str) -> str | None:
    """The state as a column heading in a narrow terminal (None: the heading is short enough)."""
    return KNOWN[state].short if state in KNOWN else None
