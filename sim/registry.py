"""The components a plant may have: one registration each, read by every layer for its own part.

A component is an optional feature of the plant (kit supply, the finished-car yard, the ramp-up and plan,
overtime, learning curves, output by month). Its parts live in the layer each belongs to, and each layer
finds its part here by name, so no layer imports a higher one and nothing central names a component:

* ``model``: a ``sim.model.components.base.Component`` subclass (``"module:Class"``): it wires itself into
  the build, runs, checks its invariants and returns its figures (a typed record) for one replication;
* ``analysis``: a module with any of ``summary(run)`` (its section of summary.json, under the component's
  name), ``values(run)`` (per-replication values for ``compare``), ``warnings(run)``, ``tables(run)``
  (optional tables of the results folder), ``kpis(summary)`` (compare's rows), ``CHECKS`` (the keys of its
  section compare reads back, checked when a results folder is read); ``run`` is an
  ``analysis.components.Replications`` (the scenario, the replications, the run's tables);
* ``report``: a module with ``SECTIONS`` (``sim.report.sections.Section`` s of the HTML report) and any of
  ``console(summary)`` (blocks of the console report).

The order of ``REGISTERED`` is the order of the components' sections in summary.json and the reports, and
the order in which they are built (a later one may use an earlier one: overtime reads the plan's launch, the
kit supply the events' route holds).
``register`` adds one (a plug-in, a test).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Registration:
    """One component: its name (its key in summary.json and the run's figures) and where each layer's part is."""

    name: str
    model: str | None = None
    """'module:Class' of the model part, or None (a component the analysis computes from the run's tables)."""
    analysis: str | None = None
    """Module of the analysis part, or None."""
    report: str | None = None
    """Module of the report part, or None."""


REGISTERED: list[Registration] = [
    Registration("learning", "sim.model.components.learning:Learning", "sim.analysis.learning",
                 "sim.report.parts.learning"),
    Registration("months", None, "sim.analysis.months", "sim.report.parts.months"),
    Registration("plan", "sim.model.components.plan:PlanComponent", "sim.analysis.plan", "sim.report.parts.plan"),
    Registration("overtime", "sim.model.components.overtime:OvertimeComponent", "sim.analysis.overtime",
                 "sim.report.parts.overtime"),
    Registration("outbound", "sim.model.components.outbound:Outbound", "sim.analysis.outbound",
                 "sim.report.parts.outbound"),
    Registration("events", "sim.model.components.events:Events", "sim.analysis.events", "sim.report.parts.events"),
    Registration("supply", "sim.model.components.supply.supply:Supply", "sim.analysis.supply",
                 "sim.report.parts.supply"),
    Registration("downtime", "sim.model.components.downtime:Downtime", "sim.analysis.downtime",
                 "sim.report.parts.downtime"),
    Registration("retrofit", "sim.model.components.retrofit:Retrofit", "sim.analysis.retrofit",
                 "sim.report.parts.retrofit"),
]


def register(registration: Registration) -> None:
    """Add a component after the built-in ones (a name may be registered once)."""
    if any(r.name == registration.name for r in REGISTERED):
        raise ValueError(f"a component named {registration.name!r} is registered already")
    REGISTERED.append(registration)


def unregister(name: str) -> None:
    """Remove a component added with ``register`` (a test that registered one)."""
    REGISTERED[:] = [r for r in REGISTERED if r.name != name]


def parts(layer: str) -> list[tuple[str, object]]:
    """(name, part) of every registered component with a part in ``layer`` ('model', 'analysis' or 'report'),
    in registration order; a model part is its class, the others their module."""
    out = []
    for registration in REGISTERED:
        where = getattr(registration, layer)
        if where is None:
            continue
        module, _, attribute = where.partition(":")
        loaded = importlib.import_module(module)
        out.append((registration.name, getattr(loaded, attribute) if attribute else loaded))
    return out
