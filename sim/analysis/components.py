"""The components' part of a run's analysis: their sections of summary.json, per-replication values, warnings,
optional tables and compare rows, each from the component's registered analysis module (``sim.registry``).

An analysis module offers any of (``run`` is a ``Replications``):

* ``summary(run) -> dict | None``: its section of summary.json, under the component's name (None: the run
  has no such component);
* ``values(run) -> dict``: per-replication values for paired comparisons;
* ``warnings(run) -> list[str]``;
* ``tables(run) -> dict[str, DataFrame]``: optional tables of the results folder (``<name>.csv``);
* ``kpis(summary) -> list``: ``compare``'s rows of its KPIs.
* ``CHECKS``: the keys of its section ``kpis`` reads, with the check of each (``shapes``): a run read back
  with a malformed one is refused, naming the key.

A component with figures but no analysis module (or no ``summary``) still gets a section: the mean and 95%
interval over replications of every number in its figures record (``generic_summary``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd

from .. import registry
from ..model.replication import ReplicationResult
from ..scenario.schema import Scenario
from .stats import mean_ci, rounded


@dataclass(frozen=True)
class Replications:
    """What the components' analysis reads: the scenario, the replications and the run's tables."""

    scenario: Scenario
    reps: list[ReplicationResult]
    stations: pd.DataFrame
    throughput: pd.DataFrame | None

    @property
    def per_year(self) -> float:
        return self.reps[0].scalars["working_days_per_year"]

    def figures(self, name: str) -> list | None:
        """Each replication's figures of the component ``name``; None unless every replication has them."""
        found = [r.figures.get(name) for r in self.reps]
        return None if not found or any(f is None for f in found) else found


def annualised(rep: ReplicationResult, count: float) -> float:
    """A count of the measured window as a yearly figure: count / working days in the window
    x working days per year. The one place output is annualised."""
    return count * (rep.scalars["working_days_per_year"] / rep.scalars["working_days"])


def _analysis_parts() -> list[tuple[str, object | None]]:
    """(name, analysis module or None) of every registered component, in registration order."""
    modules = dict(registry.parts("analysis"))
    return [(r.name, modules.get(r.name)) for r in registry.REGISTERED]


def summaries(run: Replications) -> dict:
    """The components' sections of summary.json, in registration order."""
    out = {}
    for name, module in _analysis_parts():
        summary = getattr(module, "summary", None)
        section = summary(run) if summary is not None else generic_summary(run.figures(name))
        if section is not None:
            out[name] = section
    return out


def values(run: Replications) -> dict:
    return {k: v for _, module in _analysis_parts() if hasattr(module, "values") for k, v in module.values(run).items()}


def warnings(run: Replications) -> list[str]:
    return [w for _, module in _analysis_parts() if hasattr(module, "warnings") for w in module.warnings(run)]


def tables(run: Replications) -> dict[str, pd.DataFrame]:
    return {k: v for _, module in _analysis_parts() if hasattr(module, "tables") for k, v in module.tables(run).items()}


def kpis(summary: dict) -> list:
    return [row for _, module in _analysis_parts() if hasattr(module, "kpis") for row in module.kpis(summary)]


def generic_summary(figures: list | None) -> dict | None:
    """Mean and 95% interval over replications of every number in a component's figures (a dataclass or a dict,
    nested dicts flattened with dotted keys); None without figures."""
    if figures is None:
        return None
    flat = [_numbers(f if isinstance(f, dict) else dataclasses.asdict(f)) for f in figures]
    return {key: rounded(mean_ci([f[key] for f in flat]), 6) for key in flat[0] if all(key in f for f in flat)}


def _numbers(record: dict, prefix: str = "") -> dict[str, float]:
    out = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(_numbers(value, f"{prefix}{key}."))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            out[f"{prefix}{key}"] = float(value)
    return out
