"""Kit supply from China and localisation (``supply``): the kits each car needs and where it takes them,
the routes that bring them (departures, lead times, border delays, disruptions), the order policies and
the CKD handling work."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..units import ALL_MODELS, DAY, Duration, DurationOrZero, TimeSpec, per_model
from .common import Model, Name, Share


LAUNCH = "launch"
"""The consumption point of the kits taken when a car is launched (``Kit.taken_at``)."""
MAX_KITS = 1_000_000
"""At most this many kits in a lot or a container, or containers on one departure."""
MONTH_DAYS = 365.25 / 12
"""Days of an average calendar month: route disruptions are given per month."""


class Departures(Model):
    """When a route dispatches: every ``every`` from ``first``, in calendar time from the start of the run (nights,
    weekends and holidays included: trains and trucks run on their own timetable)."""
    every: Duration
    """Time between departures, e.g. 7 d for a weekly train."""
    first: DurationOrZero = 0.0
    """The first departure, after the start of the run (default: at the start)."""


class BorderDelay(Model):
    """Rare long delays of a shipment on its way (a border crossing's backlog): each shipment is held, with
    ``chance``, for ``time`` more than its lead time."""
    chance: Share
    """Chance that a shipment is delayed (0 to 1)."""
    time: TimeSpec
    """How long a delayed shipment is held (a time or a distribution)."""


class Disruptions(Model):
    """Stops of a route (a shortage at the supplier, a closed crossing): no departure while the route is stopped;
    what was ordered waits for the first departure after. Stops start at random (a Poisson process with
    ``per_month`` stops a calendar month on average) and last ``length``."""
    per_month: float = Field(gt=0, le=30)
    """Stops a calendar month on average (0.03: a 3% chance in a month)."""
    length: TimeSpec
    """How long a stop lasts (a time or a distribution)."""


class Route(Model):
    """How kits come to the plant: a shipment leaves at each departure with what was ordered and has not left
    yet (up to ``containers``), and arrives at the plant's warehouse a lead time later (one draw per departure:
    the kits of one train arrive together)."""
    lead_time: TimeSpec
    """Departure to the plant's warehouse: a time or a distribution (a normal is truncated at its low, default 0)."""
    departures: Departures
    """When the route dispatches: every so often, from a first departure."""
    containers: int | None = Field(default=None, ge=1, le=MAX_KITS)
    """Containers one departure carries at most (a train's capacity); each container holds kits of one kit and
    model; the rest waits for the next departure. None: no limit."""
    border_delay: BorderDelay | None = None
    """Rare long delays of single shipments on top of the lead time."""
    disruptions: Disruptions | None = None
    """Stops of the route: no departures while stopped."""
    local: bool = False
    """Parts sourced in the country (localisation): their value counts as local in the localisation share."""

    @property
    def mean_lead_days(self) -> float:
        """Mean days from departure to arrival: the lead time's mean (a truncated normal: its mean before
        truncation) plus the expected border delay (chance x mean delay)."""
        delay = self.border_delay.chance * self.border_delay.time.mean if self.border_delay else 0.0
        return (self.lead_time.mean + delay) / DAY

    @property
    def mean_wait_days(self) -> float:
        """Mean days an order waits for the next departure: half the interval between departures."""
        return self.departures.every / 2 / DAY


class OrderPolicy(Model):
    """How a kit is ordered, for each model apart. The inventory position is what is on hand plus what was
    ordered and has not arrived (waiting for a departure or on its way).

    ``periodic``: every ``every`` (from the start of the run) an order brings the position up to the order-up-to
    level S, rounded up to whole lots. ``reorder_point``: when a car takes a kit and the position falls to the
    reorder point s or below, whole orders of ``lot_count`` lots are placed to bring it above s. Levels are in
    days of cover at the plan rate (``Kit``); by default S = rate x (every + L + W) + safety stock and
    s = rate x (L + W) + safety stock, with L the route's mean lead time (border delays included) and W the mean
    wait for a departure (half its interval), both in calendar days turned into working days (x working days a
    year / 365). Under a monthly plan the rate is that of the month in which an order placed now would arrive
    (now + L + W): a review orders up to that month's S; the reorder point becomes the next month's s when an
    order placed then would arrive in it, and orders at once if the position is at or below it."""
    policy: Literal["periodic", "reorder_point"]
    """periodic: every review interval, order up to a level; reorder_point: order whole lots when the position falls
    to the reorder point."""
    every: Duration | None = None
    """periodic: the review interval, e.g. 7 d."""
    up_to: DurationOrZero | None = None
    """periodic: the order-up-to level S in days of cover (e.g. 30 d) instead of the default."""
    reorder_at: DurationOrZero | None = None
    """reorder_point: the reorder point s in days of cover instead of the default."""
    lot_count: int | None = Field(default=None, ge=1, le=10_000)
    """reorder_point: lots in one order (the order quantity Q = lot_count x lot; default 1)."""

    @model_validator(mode="after")
    def _fits_policy(self):
        if self.policy == "periodic":
            if self.every is None:
                raise ValueError("a periodic policy orders every review interval: give every (e.g. 7 d)")
            wrong = [k for k in ("reorder_at", "lot_count") if getattr(self, k) is not None]
            other = "reorder_point"
        else:
            wrong = [k for k in ("every", "up_to") if getattr(self, k) is not None]
            other = "periodic"
        if wrong:
            raise ValueError(f"{' and '.join(wrong)} {'belong' if len(wrong) > 1 else 'belongs'} to policy {other}, "
                             f"not {self.policy}")
        return self


class Handling(Model):
    """The CKD logistics work a kit makes at the plant, activity by activity, each a time per unit: per container
    (unloading, empty packaging return), per kit (unpacking), per part (sorting and storing, kitting and
    sequencing), per line-side delivery (a tugger or trolley run). Sized from the plan rate into heads per shift of
    the consuming shop (``analysis.supply.logistics_heads``)."""
    unload: DurationOrZero = 0.0
    """Per container: unloading from the wagon or truck, seal and count check, moving it to the devanning bay."""
    unpack: DurationOrZero = 0.0
    """Per kit: devanning, opening the kit's cases and racks."""
    sort: DurationOrZero = 0.0
    """Per part: sorting and putting away in the store."""
    sequence: DurationOrZero = 0.0
    """Per part: picking into kits and sequencing to the line (averaged over all the kit's parts)."""
    feed: DurationOrZero = 0.0
    """Per line-side delivery: one tugger or trolley run to the line; deliveries = parts / parts_per_delivery."""
    empties: DurationOrZero = 0.0
    """Per container: empty packaging and racks collected, folded and returned."""
    per_container: DurationOrZero = 0.0
    """Other work per container received (the whole container work when the activities are not given apart)."""
    per_kit: DurationOrZero = 0.0
    """Other work per kit (the whole kit work when the activities are not given apart)."""
    parts: int | None = Field(default=None, ge=1, le=100_000)
    """Parts in one kit (1 to 100,000): the driver of sort, sequence and feed."""
    parts_per_delivery: int | None = Field(default=None, ge=1, le=100_000)
    """Parts one line-side delivery brings (1 to 100,000); needed with feed."""

    @model_validator(mode="after")
    def _drivers(self):
        if (self.sort or self.sequence or self.feed) and self.parts is None:
            raise ValueError("sort, sequence and feed are times per part or delivery: give the kit's parts")
        if self.feed and self.parts_per_delivery is None:
            raise ValueError("feed is a time per line-side delivery: give parts_per_delivery")
        return self

    def units(self, kits: float, containers: float) -> dict[str, tuple[float, float]]:
        """{activity: (units, seconds per unit)} of the handling of ``kits`` kits in ``containers`` containers;
        activities without a time are left out."""
        parts = kits * (self.parts or 0)
        deliveries = parts / self.parts_per_delivery if self.parts_per_delivery else 0.0
        every = {"unload": (containers, self.unload), "unpack": (kits, self.unpack), "sort": (parts, self.sort),
                 "sequence": (parts, self.sequence), "feed": (deliveries, self.feed),
                 "empties": (containers, self.empties), "per_container": (containers, self.per_container),
                 "per_kit": (kits, self.per_kit)}
        return {name: unit for name, unit in every.items() if unit[1] > 0}


# ---------------------------------------------------------------- short-shipped parts and the retrofit area


class ShortShipped(Model):
    """A part family of a kit that arrives short or damaged in a share of the kits (``model.components.retrofit``).
    Which cars get a kit without it is drawn from the family's own stream; such a car flows through the shops as
    any other, and at the end of line goes into the retrofit area instead of leaving the plant. Its replacement
    part is ordered when the car is launched (the lot's kits are unpacked and checked before its cars start)
    and reaches the plant one replacement lead time later."""
    family: Name
    """The part family (wiring harness, windscreen, seat set): its figures are reported under this name."""
    share: Share
    """Share of the kits (0 to 1) in which this family is missing or damaged, e.g. 0.004."""
    replacement: TimeSpec
    """From the order (the car's launch) to the replacement part at the plant: air freight (e.g. 7 d), or the
    next shipment of the kit's route as a distribution (e.g. {dist: uniform, low: 18 d, high: 25 d} for the
    route's lead time plus the wait for a weekly departure)."""
    retrofit_time: TimeSpec
    """Work to fit the part to the finished car in the retrofit area, in shift time of the last shop."""


class Retrofit(Model):
    """The retrofit area at the end of the line: cars built without a short-shipped part park here until the part
    comes and is fitted, then leave the plant (to the finished-car yard with ``outbound``). A car holds its place
    from the end of line until it leaves; with every place taken, the next incomplete car waits on the last
    station (the end of line is blocked)."""
    places: int = Field(ge=1, le=MAX_KITS)
    """Parking places of the retrofit area, e.g. 20."""


KitsPerContainer = per_model(Annotated[int, Field(ge=1, le=MAX_KITS)])


class Kit(Model):
    """A kit of parts each car of its models needs at one point of the plant: the body kit at launch, the trim
    and powertrain kits as the body enters assembly, the local parts there too. A car waits where its kits
    are taken until every kit it needs there is on hand.

    Stock is kept per model. The plan rate of a model is target.annual_units x the model's share / working
    days a year (kits per working day); days of cover are the stock over that rate. With a monthly ``plan`` the
    rate of a planned month is its volume x the model's share in its mix (else the product's) / the month's
    working days (a month the plan does not list: the target's), and stock is ordered for the plan
    (``OrderPolicy``); cover is judged at the rate of the day's month."""
    route: Name
    """The route (``supply.routes``) the kit comes by."""
    taken_at: Name = LAUNCH
    """Where a car takes the kit: launch (the car waits to be launched), or the name of a later shop (the car
    waits at the shop's entry, after the store in front of it)."""
    models: list[Name] | None = Field(default=None, min_length=1)
    """The models that need the kit (default: every model)."""
    per_container: KitsPerContainer
    """Kits in one container: a number, or per model ({Tiggo 7: 8, default: 12})."""
    lot: int = Field(default=1, ge=1, le=MAX_KITS)
    """Kits are ordered in whole lots (CKD lots of 12, 24, 96 cars)."""
    order: OrderPolicy
    """How the kit is ordered: periodic review, or reorder point."""
    safety_stock: DurationOrZero = 0.0
    """Days of cover held on top of the pipeline, written as a duration (10 d: ten working days at the plan rate;
    under a monthly plan, at the rate of the month an order arrives in)."""
    initial: DurationOrZero | None = None
    """Days of cover on hand at the start of the run (under a monthly plan, at the first month's rate); default:
    the order-up-to level (periodic) or the reorder point plus one order (reorder_point), as an order placed at
    the start would have them."""
    value: float | None = Field(default=None, ge=0, le=1e9)
    """Money per kit (the inventory value; the localisation share by value when every kit gives one)."""
    handling: Handling | None = None
    """The CKD logistics work this kit makes, counted in the staffing report."""
    short_shipped: list[ShortShipped] | None = Field(default=None, min_length=1)
    """Part families of this kit that arrive short or damaged in a share of the kits: the car is built without
    the part and retrofitted in the retrofit area (``supply.retrofit``) when its replacement comes."""

    def covers(self, model: str) -> bool:
        return self.models is None or model in self.models

    def per_container_for(self, model: str) -> int:
        return self.per_container.get(model, self.per_container.get(ALL_MODELS))


class Supply(Model):
    """Kit supply (``sim.model.components.supply.supply``): the kits each car needs, where it takes them, and the routes,
    orders and stocks that bring them."""
    look_ahead: int = Field(default=0, ge=0, le=100)
    """The launch may pass over up to this many planned cars whose launch kits are missing and launch the next
    one whose kits are there (the sequence changes; counted as moved launches); 0: the launch waits."""
    routes: dict[Name, Route] = Field(min_length=1)
    """The routes kits come by (rail from China, trucks from local suppliers), keyed by name; at least one."""
    kits: dict[Name, Kit] = Field(min_length=1)
    """The kits the cars need, keyed by name; at least one."""
    retrofit: Retrofit | None = None
    """The retrofit area of the cars built without a short-shipped part (required with ``short_shipped`` in a
    kit, and only then)."""

    @model_validator(mode="after")
    def _retrofit_with_short_parts(self):
        short = any(kit.short_shipped for kit in self.kits.values())
        if short and self.retrofit is None:
            raise ValueError("a kit has short_shipped parts: give the retrofit area where their cars wait "
                             "(retrofit: {places: 20})")
        if self.retrofit is not None and not short:
            raise ValueError("retrofit is given but no kit has short_shipped parts")
        names = [part.family for kit in self.kits.values() for part in kit.short_shipped or []]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"short_shipped names the part family {', '.join(twice)} more than once: "
                             "each family is reported under its own name")
        return self
