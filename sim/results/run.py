"""The run: summary figures and tidy tables, the same in memory and read back from its folder."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..scenario.schema import Scenario
from ..version import __version__

TABLES = ("stations", "buffers", "throughput", "staffing", "workload", "pools", "store_levels")
"""The tables of a run, each written as <name>.csv."""


@dataclass
class RunResult:
    """Everything a run produced: the scenario it ran, its summary figures and tidy tables.

    A run just simulated also holds its replications; a run read back from its
    results folder has none but knows its folder (``path``).
    """
    scenario: Scenario | None
    """The fully resolved scenario (None only for a folder whose stored scenario no longer validates)."""
    seed: int
    summary: dict
    """The content of summary.json."""
    stations: pd.DataFrame
    """A row per station: shop, station, kind, line, servers, completions, share of each state, static capacity."""
    buffers: pd.DataFrame
    """A row per buffer and store: shop, buffer, kind, capacity, mean and max level, share full and empty."""
    throughput: pd.DataFrame
    """Long table: replication, day, date, model, market, units."""
    staffing: pd.DataFrame
    """Headcount: shop, shift, role, group (direct/indirect), headcount."""
    workload: pd.DataFrame
    """Per station: assigned crew against the operators its work content needs at its takt."""
    pools: pd.DataFrame
    """Per labour pool and replication: present operators, utilisation, station waits."""
    store_levels: pd.DataFrame
    """Per replication: hourly level of each store between shops (time_h, store, level)."""
    optional: dict[str, pd.DataFrame] = field(default_factory=dict)
    """The components' tables this run has, by name (written as <name>.csv): outbound (cars shipped per
    destination), yard_levels (the finished-car yard's hourly level), inventory (kits on hand per day, kit and
    model), ...; empty for a scenario without such components."""
    replications: list = field(default_factory=list)
    """The replications' own results (in memory only; empty for a run read from its folder)."""
    path: Path | None = None
    """The results folder the run was read from (None for a run in memory)."""
    interrupted: bool = False
    """The user stopped the run (Ctrl-C): it is summarised over the replications finished by then."""
    provenance: dict = field(default_factory=dict)
    """Which sim ran which inputs (``provenance``): package_version, scenario_sha256, resolved_scenario; written
    to the folder's provenance.json."""

    @property
    def name(self) -> str:
        return self.summary["scenario"]

    @property
    def replication_values(self) -> dict:
        """Per-replication KPI values for paired comparisons: {kpi: [value per replication]}."""
        return self.summary.get("replication_values", {})


def provenance(scenario: Scenario) -> dict:
    """Which sim ran which inputs: the package version, the SHA-256 of the fully resolved scenario (the same hash
    means exactly the same inputs) and that scenario as a scenario file would write it."""
    resolved = scenario.model_dump(mode="json")
    text = json.dumps(resolved, sort_keys=True, separators=(",", ":"))
    return {"package_version": __version__, "scenario_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "resolved_scenario": resolved}
