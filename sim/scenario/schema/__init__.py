"""The scenario schema: pydantic models, frozen, unknown keys rejected.

Every time is in seconds inside (see ``units``); the YAML may write units out.
Cross-references between parts (a loop re-entering at a station that exists,
a store after a shop that exists) are checked in ``references.py`` so that
every problem is reported with its YAML path.

The models are split by area; every name is imported from here as before:

- ``common``: the base model, shared limits, clock times, dates, yields
- ``product``: car models, options, colours, the launch sequence and its spacing rules
- ``shop``: shifts, stations, conveyors, paced lines, parallel sections, feeders, quality, maintenance
- ``stores``: stores between shops, sorting stores
- ``staffing``: crews, indirect roles, labour pools, benchmarks, ``sim staff`` options
- ``outbound``: the finished-car yard, trucks and trains
- ``supply``: kits, routes, order policies, CKD handling
- ``ramp``: learning curves, the ramp-up, the production plan and overtime
- ``events``: dated events (a route closed, a shipment held, a shutdown, a station, line or shop down)
- ``scenario``: the top-level ``Scenario`` with its calendar, horizon, launch and target
- ``docs``: the generated key reference (``python -m sim.scenario.schema.docs``)
"""

from __future__ import annotations

from ..errors import shown
from ..units import (ALL_MODELS, MAX_PER_STATION, Duration, DurationOrZero, PerModelCount, PerModelTime, TimeSpec,
                     format_duration, parse_duration, per_model)
from .common import (FIRST_DATE, LAST_DATE, MAX_CAPACITY, MAX_CONVEYOR_BODIES, MAX_POOL, MAX_UNITS, MIN_YIELD, WEEKDAYS,
                     ClockTime, Date, Model, Name, Share)
from .events import Days, Down, Event, RouteClosed, ShipmentHeld, Shutdown, shutdown_dates
from .outbound import DOMESTIC, MAX_CARRIER_CARS, Outbound, Train, Trucks, Weekday, Yard
from .product import (MAX_COLOURS, MAX_OPTIONS, MAX_SPACING_WINDOW, CarModel, Colour, ColourShare, Option, Product,
                      SpacingRule)
from .ramp import (MAX_FIRST_FACTOR, MAX_LINE_SPEED, MAX_SHIFTS, MIN_LINE_SPEED, LearningCurve, LearningRate, NewCrew,
                   Overtime, Plan, PlanEntry, PlannedVolume, RampMonth, RampUp, ShiftCount, ShopLearning, Weight,
                   YieldLearning)
from .scenario import Calendar, Horizon, Launch, Scenario, Target
from .shop import (FLOW_TAGS, MAX_EMPTY_CARRIERS, Branch, Break, ColourChange, Conveyor, Failures, Feeder, FlowItem,
                   Line, Maintenance, OverCycle, Parallel, Quality, Rework, Shifts, Shop, Station)
from .staffing import Benchmark, IndirectRole, LabourPool, Staffing, StaffingOptions
from .stores import MAX_LANES, Sort, Store
from .supply import (LAUNCH, MAX_KITS, MONTH_DAYS, BorderDelay, Departures, Disruptions, Handling, Kit,
                     KitsPerContainer, OrderPolicy, Retrofit, Route, ShortShipped, Supply)

__all__ = [
    "Branch", "Break", "Calendar", "CarModel", "Colour", "ColourChange", "Conveyor", "Failures", "Feeder", "Horizon",
    "Launch", "Line", "OverCycle",
    "Maintenance", "Option", "Overtime", "Parallel",
    "Benchmark", "IndirectRole", "LabourPool", "Product", "Quality", "Rework", "Scenario", "Shifts", "Shop",
    "Staffing", "StaffingOptions", "Station", "Store", "Target",
    "Outbound", "Train", "Trucks", "Yard",
    "LearningCurve", "NewCrew", "ShopLearning", "YieldLearning",
    "BorderDelay", "Departures", "Disruptions", "Handling", "Kit", "OrderPolicy", "Retrofit", "Route", "ShortShipped",
    "Supply",
    "Plan", "PlannedVolume", "RampMonth", "RampUp",
    "Days", "Down", "Event", "RouteClosed", "ShipmentHeld", "Shutdown",
    "parse_duration",
]
