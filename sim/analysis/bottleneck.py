"""Bottleneck detection by the active-share rule.

A station is *active* while it works or is down (repair), and *inactive* while
it is blocked (no room downstream) or starved (no car upstream). The station
active the largest share of its shift time is the one least held up by the
others and the one that holds the others up: the bottleneck (the utilisation
method refined by blocking and starving, in the spirit of Roser's active-period
method, evaluated on time shares rather than per-period). Off-shift time is
excluded, so shops with different shift patterns compare fairly.
"""

from __future__ import annotations

import pandas as pd

METHOD = "active share: (working + down) / on-shift time, highest wins; blocked and starved count as inactive"


def active_shares(stations: pd.DataFrame) -> pd.Series:
    on_shift = 1.0 - stations["share_off_shift"]
    return (stations["share_working"] + stations["share_down"]) / on_shift.where(on_shift > 0)


def bottleneck(stations: pd.DataFrame) -> dict:
    """The most active station and its shop."""
    active = active_shares(stations)
    top = active.idxmax()
    row = stations.loc[top]
    return {"station": row["station"], "shop": row["shop"], "active_share": float(active[top]), "method": METHOD}


def most_loaded(stations: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    table = stations.assign(active_share=active_shares(stations))
    return table.sort_values("active_share", ascending=False).head(n)
