"""Bottleneck detection by the active-share rule.

A resource is *active* while it works or is down (repair), and *inactive* while
it is blocked (no room downstream) or starved (no car upstream). The resource
active the largest share of its shift time is the one least held up by the
others and the one that holds the others up: the bottleneck (the utilisation
method refined by blocking and starving, in the spirit of Roser's active-period
method, evaluated on time shares rather than per period). Off-shift time is
excluded, so shops with different shift patterns compare fairly.

A paced line is one resource: its stations move together, so a station
waiting for the takt or for a slower station of its own line is not held up
by the rest of the plant. The line is active while it indexes or stands for
one of its own breakdowns; it is reported under its slowest station.
"""

from __future__ import annotations

import pandas as pd

METHOD = ("active share: (working + down) / on-shift time, highest wins; blocked and starved count as "
          "inactive; a paced line counts as one resource, active while it indexes or is down")


def active_shares(stations: pd.DataFrame) -> pd.Series:
    on_shift = 1.0 - stations["share_off_shift"]
    # a booth changing colour is held up by nothing but itself: active, like a repair
    own = stations["share_working"] + stations["share_down"] + stations.get("share_colour_change", 0.0)
    line = stations["share_line_active"] if "share_line_active" in stations else own
    active = own.where(stations["kind"] != "line", line)
    return active / on_shift.where(on_shift > 0)


def resources(stations: pd.DataFrame) -> pd.DataFrame:
    """One row per resource: free stations and conveyors as they are, a paced line by its slowest station."""
    table = stations.assign(active_share=active_shares(stations))
    is_line = table["kind"] == "line"
    slowest = (table[is_line].sort_values("share_working", ascending=False, kind="stable")
               .drop_duplicates(["shop", "line"]))
    return pd.concat([table[~is_line], slowest]).sort_values("active_share", ascending=False, kind="stable")


def bottleneck(stations: pd.DataFrame) -> dict:
    """The most active resource: its station (a line's slowest station), shop and line."""
    top = resources(stations).iloc[0]
    return {"station": top["station"], "shop": top["shop"],
            "line": top["line"] if top["kind"] == "line" else None,
            "active_share": float(top["active_share"]), "method": METHOD}


def most_loaded(stations: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    return resources(stations).head(n)
