"""The one lifecycle every component of the plant goes through (desmod's elaborate / run / collect).

A component is an optional feature (kit supply, the yard, the plan, overtime, learning curves). The builder
makes the components the scenario asks for (``wanted``), in registration order (``sim.registry``), before it
builds the flow; each wires itself in its constructor through the builder's named extension points (see
``builder.Builder``: the launch's hooks, a shop's entry, the end of line, the clocks, a shop's learning).
Then, for every replication:

1. ``built(plant)``: the flow is built and wired (a component may pace its lines, read its nodes);
2. ``start()``: the run begins (processes start here, before the stations');
3. ``finish()``: the run has ended (close open intervals and monitors);
4. ``cars_held()``: cars it holds outside every buffer and station (the conservation of cars counts them);
5. ``check(plant)``: raise ``InvariantError`` if it broke one of its own invariants;
6. ``figures()``: its figures of the replication as a typed record (small and picklable: it travels back
   from a worker process), or None. They reach the analysis as ``ReplicationResult.figures[name]``.

The run loop, the invariant check, the summary, the results folder and the reports iterate over components;
none names one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from ...scenario.schema import Scenario


class Component:
    """Base of every component: the lifecycle's hooks, each doing nothing unless the component needs it."""

    name: ClassVar[str] = ""
    """Its registered name (set by the builder from the registration): its key in the run's figures."""

    @classmethod
    def wanted(cls, scenario: Scenario) -> bool:
        """Whether the scenario has this component."""
        raise NotImplementedError

    def built(self, plant) -> None:
        """The flow is built and wired."""

    def start(self) -> None:
        """The run begins."""

    def finish(self) -> None:
        """The run has ended."""

    def cars_held(self) -> int:
        """Cars it holds outside every buffer and station now."""
        return 0

    def extra_days(self) -> set[int]:
        """Simulated days off it made working days (overtime Saturdays): the daily output table has their rows."""
        return set()

    def explains_standstill(self) -> bool:
        """Whether it explains cars standing still at the end with nothing left to happen (a full yard with
        no carrier to come): the run is then not flagged as jammed."""
        return False

    def check(self, plant) -> None:
        """Raise ``InvariantError`` if the run broke one of its invariants."""

    def figures(self):
        """Its figures of the replication (a typed record), or None."""
        return None
