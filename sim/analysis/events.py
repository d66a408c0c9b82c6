"""The dated events of a run (``events``): what each one was and what it cost where the run measures it.

* a route closed or a shipment held: the shipments it held and the days it held them, summed (means over
  replications with a 95% t interval: which shipment meets a closure depends on the drawn lead times). What the
  holds cost in kits is the supply section's stockout hours; in cars, the output against the same scenario
  without the event (``sim compare``);
* a plant shutdown: the working days it takes off (days the calendar would work) and, per shop, the shift
  hours of those days at the shop's shift count; the cars lost are those days at the plant's rate (the
  calendar counts them off the working days a year, so the annual output is what the year builds);
* a station, line or shop down: the shift hours of its shop in those days (``scenario.events.down_intervals``
  on the shop's shift clock at its shift count).
"""

from __future__ import annotations

import datetime as dt

from ..model.flow.clock import ShiftClock, day_pieces, shift_windows
from ..scenario.days import scenario_days
from ..scenario.events import down_intervals
from ..scenario.schema import Down, RouteClosed, Scenario, ShipmentHeld, Shutdown
from .stats import defined_mean_ci


def summary(run) -> list | None:
    """The run's ``events`` section: one row per event in the order written; None without events."""
    figures, scenario = run.figures("events"), run.scenario
    if figures is None:
        return None
    return [{"kind": event.kind, **_describe(event), **_cost(scenario, i, event, figures)}
            for i, event in enumerate(scenario.events)]


def _describe(event) -> dict:
    if isinstance(event, ShipmentHeld):
        which = {"shipment": event.shipment} if event.shipment is not None else {"departing": str(event.departing)}
        until = {"held_days": event.held / 86400.0} if event.held is not None else {"released": str(event.released)}
        return {"target": event.route, **which, **until}
    target = event.route if isinstance(event, RouteClosed) else event.target if isinstance(event, Down) else "plant"
    return {"target": target, "first_day": str(event.first_day), "last_day": str(event.last_day)}


def _cost(scenario: Scenario, index: int, event, figures: list) -> dict:
    if isinstance(event, (RouteClosed, ShipmentHeld)):
        held = [f.held.get(index, {"shipments_held": 0, "days_held": 0.0}) for f in figures]
        return {"shipments_held": defined_mean_ci([h["shipments_held"] for h in held], 2),
                "days_held": defined_mean_ci([h["days_held"] for h in held], 2)}
    if isinstance(event, Shutdown):
        lost = shutdown_days_lost(scenario, event)
        return {"working_days_lost": lost,
                "shift_hours_lost": {name: round(lost * _day_hours(shop.shifts), 2)
                                     for name, shop in scenario.shops.items()}}
    return {"shift_hours_down": round(down_hours(scenario, event), 2)}


def shutdown_days_lost(scenario: Scenario, event: Shutdown) -> int:
    """The days of a shutdown the calendar would otherwise work (weekdays that are no public holiday)."""
    dates = [event.first_day + dt.timedelta(days=i) for i in range((event.last_day - event.first_day).days + 1)]
    return sum(scenario.calendar.working_days(dates))


def _day_hours(shifts) -> float:
    return sum(end - start for start, end in day_pieces(shifts, None)(0)) / 3600.0


def down_hours(scenario: Scenario, event: Down) -> float:
    """Shift hours of the event's shop (at its shift count) in the days it is down."""
    clock = ShiftClock(shift_windows(scenario.shops[event.shop].shifts, scenario_days(scenario)))
    return sum(end - start for start, end in down_intervals(scenario, event, clock)) / 3600.0
