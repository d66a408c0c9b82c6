"""Sequencing figures: the order in which cars enter each shop after a store, and how the sorting stores held them.

Computed per replication from the shops' entry logs (``model.entries.EntryLog``: the cars in the order
the shop took them from its store), counting the entries of the measured window only
(window.lo <= time < window.hi):

* **colour blocks** into the shop: a block is a run of cars of one colour in a row; mean block length =
  cars / blocks (only when the product names its colours: without them every car has one colour).
* **sequence adherence**: a car's planned slot is the rank of its launch number among the cars that
  entered the shop in the window, its actual slot its entry index (both from 0). In slot: the share of
  cars whose slots agree; displacement |actual - planned|, its mean and 95th percentile (linear
  interpolation, as numpy's percentile).
* per **sorting store** (``model.sorting.SortingStore``): the cars the shop took from it in the window,
  how long they waited in it (shift hours of the shop it feeds, straight-through cars waiting 0), and
  how many releases ``max_wait`` forced.

The run's ``sequencing`` section gives each figure's mean with a 95% t interval over replications
(``stats.mean_ci``). It is there only when a store sorts, so scenarios without sorting stores keep
their summary.
"""

from __future__ import annotations

import numpy as np

from ..model.flow.sorting import SortingStore
from .stats import defined_mean_ci

SHOP_FIGURES = ("cars", "mean_block", "in_slot", "displacement_mean", "displacement_p95")
"""Per shop entered after a store: cars entered in the window, mean colour block length, share in their
planned slot, mean and 95th-percentile displacement (slots)."""
STORE_FIGURES = ("released", "wait_mean_h", "wait_max_h", "forced", "forced_share")
"""Per sorting store: cars the shop took, their mean and longest wait (shift hours of the shop it feeds),
releases max_wait forced and their share of the releases."""


def colour_blocks(colours) -> int:
    """Blocks (runs of equal colour) in an order of cars: 0 for no car."""
    c = np.asarray(colours)
    if c.size == 0:
        return 0
    return int(np.count_nonzero(c[1:] != c[:-1])) + 1


def displacements(seq) -> np.ndarray:
    """Per car, in entry order: |entry index - rank of its launch number among these cars|."""
    s = np.asarray(seq)
    planned = np.empty(s.size, dtype=np.int64)
    planned[np.argsort(s, kind="stable")] = np.arange(s.size)
    return np.abs(np.arange(s.size) - planned)


def shop_figures(seq, colours, has_colours: bool) -> dict:
    """The figures of one shop's entries in the window (``SHOP_FIGURES``); None where there is no car
    (or, for blocks, no colour)."""
    n = len(seq)
    if n == 0:
        return {"cars": 0, "mean_block": None, "in_slot": None, "displacement_mean": None, "displacement_p95": None}
    moved = displacements(seq)
    return {"cars": n,
            "mean_block": n / colour_blocks(colours) if has_colours else None,
            "in_slot": float(np.count_nonzero(moved == 0)) / n,
            "displacement_mean": float(moved.mean()),
            "displacement_p95": float(np.percentile(moved, 95))}


def store_figures(store: SortingStore) -> dict:
    """The figures of one sorting store (``STORE_FIGURES``), from the tallies it kept in the window."""
    released = store.released
    return {"by": store.by, "released": released,
            "wait_mean_h": store.wait_sum / released / 3600.0 if released else None,
            "wait_max_h": store.wait_max / 3600.0 if released else None,
            "forced": store.forced,
            "forced_share": store.forced / released if released else None}


def replication_sequencing(plant) -> dict | None:
    """One replication's figures: {"shops": {shop: figures + its store}, "stores": {store: figures}};
    None when no store of the plant sorts."""
    sorting = [b for b in plant.buffers if isinstance(b, SortingStore)]
    if not sorting:
        return None
    scenario = plant.scenario
    names = list(scenario.shops)
    window = plant.window
    has_colours = bool(scenario.product.colours)
    shops = {}
    for store in scenario.stores:
        shop = names[names.index(store.after) + 1]
        entries = plant.entries[shop].arrays()
        inside = (entries["time"] >= window.lo) & (entries["time"] < window.hi)
        shops[shop] = {"store": store.name, "sort": store.sort.by if store.sort else None,
                       **shop_figures(entries["seq"][inside], entries["colour"][inside], has_colours)}
    return {"shops": shops, "stores": {store.name: store_figures(store) for store in sorting}}


def sequencing_summary(reps) -> dict | None:
    """The run's ``sequencing`` section: per shop after a store and per sorting store, each figure's mean
    and 95% interval over replications (replications where it is undefined left out); None when no store
    sorts."""
    figures = [r.sequencing for r in reps]
    if not figures or any(f is None for f in figures):
        return None
    first = figures[0]
    shops = {shop: {"store": info["store"], "sort": info["sort"],
                    **{k: _ci([f["shops"][shop][k] for f in figures]) for k in SHOP_FIGURES}}
             for shop, info in first["shops"].items()}
    stores = {name: {"by": info["by"], **{k: _ci([f["stores"][name][k] for f in figures]) for k in STORE_FIGURES}}
              for name, info in first["stores"].items()}
    return {"shops": shops, "stores": stores}


def sequencing_values(reps) -> dict:
    """Per-replication values of the figures, in replication order (``sequencing.<shop or store>.<figure>``),
    for the summary's replication_values; empty when no store sorts."""
    figures = [r.sequencing for r in reps]
    if not figures or any(f is None for f in figures):
        return {}
    values = {}
    for part, keys in (("shops", SHOP_FIGURES), ("stores", STORE_FIGURES)):
        for name in figures[0][part]:
            for k in keys:
                values[f"sequencing.{name}.{k}"] = [_round(f[part][name][k]) for f in figures]
    return values


def _ci(values: list) -> dict:
    """Mean and 95% interval of the defined values, rounded as the summary rounds."""
    return defined_mean_ci(values, 4)


def _round(value):
    return round(value, 4) if isinstance(value, float) else value
