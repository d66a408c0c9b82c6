"""The downtime table (``downtime.csv``) and the summary's ``downtime`` section: stops and down hours by shop,
station and failure mode, and by outage and run-in, for runs with failure modes, outages or a run-in.

Counts cover the measured window: a stop counts when it starts in it, its down time as far as it lies in it
(worked time); a station with several servers sums its servers' hours. Yearly figures are annualised as the
output is (``components.annualised``)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .components import annualised

COLUMNS = ["replication", "shop", "station", "kind", "name", "servers", "stops", "down_h", "stops_per_year",
           "down_h_per_year"]
"""kind: mode (a station's failure mode), outage, run_in or event (a dated ``down``); station: the covered names of
an outage, run-in or event ('all': the whole shop)."""


def _table(run) -> pd.DataFrame | None:
    figures = run.figures("downtime")
    if figures is None:
        return None
    rows = []
    for f, rep in zip(figures, run.reps):
        for row in f.rows:
            down_h = row["down_s"] / 3600.0
            rows.append({"replication": rep.replication, **{k: row[k] for k in COLUMNS[1:7]}, "down_h": down_h,
                         "stops_per_year": annualised(rep, row["stops"]),
                         "down_h_per_year": annualised(rep, down_h)})
    return pd.DataFrame(rows, columns=COLUMNS)


def tables(run) -> dict[str, pd.DataFrame]:
    """downtime.csv: a row per replication and failure mode, outage or run-in (``COLUMNS``)."""
    table = _table(run)
    return {} if table is None else {"downtime": table}


def summary(run) -> dict | None:
    """{rows: [{shop, station, kind, name, servers, stops_per_year, down_h_per_year, mean_stop_min}] (means over
    replications), by_shop: {shop: {mode, outage, run_in, event: down hours a year}}}; None without downtime."""
    table = _table(run)
    if table is None:
        return None
    keys = ["shop", "station", "kind", "name", "servers"]
    rows = []
    for key, group in table.groupby(keys, sort=False):
        stops, down = float(group["stops_per_year"].mean()), float(group["down_h_per_year"].mean())
        rows.append({**dict(zip(keys, key)), "servers": int(key[4]), "stops_per_year": round(stops, 1),
                     "down_h_per_year": round(down, 2),
                     "mean_stop_min": round(down * 60 / stops, 2) if stops > 0 else None})
    by_shop: dict = {}
    for (shop, kind), group in table.groupby(["shop", "kind"], sort=False):
        per_rep = group.groupby("replication")["down_h_per_year"].sum()
        by_shop.setdefault(shop, {})[kind] = round(float(np.mean(per_rep)), 1)
    return {"rows": rows, "by_shop": by_shop}


def line_outage_shares(figures: list, reps: list) -> dict[tuple[str, str], float]:
    """Per paced line covered by outages or a run-in, (shop, line): the mean share of the measured window it stood
    for them (every station of the line counts that time as down; a line's breakdown time counts it once)."""
    if figures is None:
        return {}
    shares: dict = {}
    for f, rep in zip(figures, reps):
        window = rep.scalars["window_hours"] * 3600.0
        for key, seconds in f.line_outages.items():
            shares.setdefault(tuple(key.split("|", 1)), []).append(seconds / window)
    return {key: float(np.mean(values)) for key, values in shares.items()}
