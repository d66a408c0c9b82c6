"""Dated events at run time (``events`` of a scenario): the holds of every route a closure or a held shipment
names (``scenario.events.RouteHolds``), which the kit supply applies to each shipment's arrival, and what they
held. A plant shutdown needs no run-time part (its days are days off of the calendar, ``scenario.days``); a
station, line or shop down is a down interval of the flow (``scenario.events.down_intervals``)."""

from __future__ import annotations

from dataclasses import dataclass

from ...scenario.days import DAY
from ...scenario.events import route_holds
from ...scenario.schema import Scenario
from ..flow.car import InvariantError
from .base import Component


@dataclass(frozen=True)
class EventsFigures:
    """One replication's dated events (the whole run: an event is dated, not sampled)."""

    held: dict
    """Per event index of a route event: shipments it held, and the days it held them (summed)."""


class Events(Component):
    """The dated events of a plant. Built before the kit supply, which takes each route's holds from it."""

    @classmethod
    def wanted(cls, scenario: Scenario) -> bool:
        return bool(scenario.events)

    def __init__(self, build):
        self.holds = route_holds(build.scenario)
        """Route -> its holds (``RouteHolds``), fresh for each replication: they log what they held."""

    def check(self, plant) -> None:
        """A hold only delays: no shipment arrives before its lead time would bring it, and none crosses the
        border of a closed route."""
        for name, route in self.holds.items():
            for departed, planned, arrival in route.held:
                if arrival < planned:
                    raise InvariantError(f"route {name}: a shipment departed at {departed:.0f} s arrived at "
                                         f"{arrival:.0f} s, before its lead time brought it ({planned:.0f} s)")
                for _, closed, reopened, border_to_plant in route.closures:
                    if closed <= arrival - border_to_plant < reopened:
                        raise InvariantError(f"route {name}: a shipment crossed the closed border at "
                                             f"{arrival - border_to_plant:.0f} s")

    def figures(self) -> EventsFigures:
        held = {}
        for route in self.holds.values():
            for index, shipments in route.log.items():
                held[index] = {"shipments_held": len(shipments),
                               "days_held": sum(arrival - planned for _, planned, arrival in shipments) / DAY}
        return EventsFigures(held)
