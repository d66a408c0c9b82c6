"""How the plant is staffed (``staffing``): crew sizing, absenteeism, team leaders, indirect roles, shared
labour pools, published benchmarks, and what ``sim staff`` may change."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..units import MAX_PER_STATION, Duration
from .common import MAX_POOL, MAX_UNITS, Model, Name


Utilisation = Annotated[float, Field(gt=0, le=1)]
"""An allowed utilisation: the share of a person's net shift time a workload may fill (above 0, at most 1)."""
PerUnit = Annotated[float, Field(gt=0, le=1000)]


class Repairs(Model):
    """The downtime workload of a shop's stations: each station with failures needs, per hour it works, its mean
    repair time / its mean time between failures hours of repair (``analysis.staffing.repair_hours_per_hour``),
    times the technicians a repair takes."""
    technicians: float = Field(default=1.0, gt=0, le=20)
    """Technicians working on one repair (above 0, at most 20)."""


class Preventive(Model):
    """Planned (preventive) maintenance hours a working week per piece of equipment of the shop, worked in the
    maintenance windows; spread over the shifts the role is staffed on."""
    per_robot: float = Field(default=0.0, ge=0, le=100)
    """Hours a week per robot (0 to 100)."""
    per_station: float = Field(default=0.0, ge=0, le=100)
    """Hours a week per station (0 to 100)."""
    per_conveyor: float = Field(default=0.0, ge=0, le=100)
    """Hours a week per conveyor (ED tank, oven, flash-off; 0 to 100)."""
    per_booth: float = Field(default=0.0, ge=0, le=100)
    """Hours a week per paint booth (a station with a colour change; 0 to 100)."""

    @model_validator(mode="after")
    def _some_hours(self):
        if not (self.per_robot or self.per_station or self.per_conveyor or self.per_booth):
            raise ValueError("give the preventive hours a week of at least one kind of equipment")
        return self


class Audit(Model):
    """Product audits of a shop: cars taken from the flow each working day and checked in depth."""
    cars_a_day: float = Field(gt=0, le=1000)
    """Cars audited a working day (above 0, at most 1,000)."""
    time: Duration
    """Inspector time per audited car (e.g. 2 h)."""


class ReworkLoad(Model):
    """Quality work per car failing the shop's quality gate (defect analysis, re-inspection, sign-off): cars a
    working day at the target x (1 - first-pass yield) x this time. The repairers at the repair stations are
    counted as direct operators already."""
    time: Duration
    """Quality staff time per failing car (e.g. 15 min)."""


BASES = ("per_robot", "per_station", "per_conveyor", "per_booth", "per_direct", "per_100_staff", "per_1000_units",
         "fixed", "repairs", "preventive", "audit", "rework")
"""The bases of an indirect role, one each; the last four are workloads (hours of work turned into heads)."""
WORKLOADS = ("repairs", "preventive", "audit", "rework")


class IndirectRole(Model):
    """Indirect staff of a role, sized by one basis: a ratio to a driver (robots, stations, conveyors, booths,
    direct operators, staff, cars) or fixed, or a workload (repairs, preventive maintenance, audits, rework) turned
    into heads at an allowed utilisation. Several entries of one role in one shop add up before rounding."""
    role: Name
    """maintenance, quality, logistics, supervision, engineering, administration, ..."""
    shop: Name | None = None
    """The shop it serves; none: the whole plant (counted under 'plant')."""
    stations: list[Name] | None = Field(default=None, min_length=1)
    """Only these stations of the shop count as its drivers (per_station, per_robot, per_conveyor, per_booth,
    repairs, preventive): e.g. the inspection stations for inspectors; default: every station of the shop."""
    per_robot: PerUnit | None = None
    """Staff per robot of the shop (or plant) on each shift it is staffed (0.125: one per 8 robots); above 0, at
    most 1,000."""
    per_station: PerUnit | None = None
    """Staff per station of the shop (or plant) on each shift it is staffed; above 0, at most 1,000."""
    per_conveyor: PerUnit | None = None
    """Staff per conveyor (ED tank, oven, flash-off) of the shop (or plant) on each shift; above 0, at most 1,000."""
    per_booth: PerUnit | None = None
    """Staff per paint booth (a station with a colour change) on each shift; above 0, at most 1,000."""
    per_direct: PerUnit | None = None
    """Per direct operator of the shop (or plant) and shift."""
    per_100_staff: PerUnit | None = None
    """Plant-wide roles only: per 100 people of the payroll counted before the roles on this basis (the shops',
    reserves included, and the plant-wide roles on other bases): on that shift, or on every shift for a day-shift
    role (HR, finance, planning, management); above 0, at most 1,000."""
    per_1000_units: PerUnit | None = None
    """Per 1,000 cars of the annual target (logistics, kit handling)."""
    fixed: float | None = Field(default=None, gt=0, le=100_000)
    """A fixed number of staff on each shift it is staffed (above 0, at most 100,000)."""
    repairs: Repairs | None = None
    """Workload: the expected repair hours of the shop's stations from their failures, on each shift."""
    preventive: Preventive | None = None
    """Workload: preventive maintenance hours a week per piece of equipment."""
    audit: Audit | None = None
    """Workload: product audits (cars a day x time per car)."""
    rework: ReworkLoad | None = None
    """Workload: quality work per car failing the shop's quality gate (needs a shop with a quality gate)."""
    utilisation: Utilisation | None = None
    """Workload bases only: the share of net shift time the workload may fill (e.g. 0.85); default 1."""
    shifts: Literal["each", "day"] = "each"
    """Staffed on every shift of its shop, or on the day shift only (a workload then falls on the day shift)."""

    @model_validator(mode="after")
    def _one_basis(self):
        given = [k for k in BASES if getattr(self, k) is not None]
        if len(given) != 1:
            got = f" (got {', '.join(given)})" if given else ""
            raise ValueError(f"give exactly one of {', '.join(BASES)}{got}")
        if self.utilisation is not None and given[0] not in WORKLOADS:
            raise ValueError(f"utilisation applies to a workload ({', '.join(WORKLOADS)}), not to {given[0]}")
        if self.shop is None and given[0] in WORKLOADS:
            raise ValueError(f"{given[0]} is the workload of a shop: give its shop")
        if given[0] == "per_100_staff" and self.shop is not None:
            raise ValueError("per_100_staff counts the whole plant's payroll: leave out shop (plant-wide)")
        if self.stations is not None and self.shop is None:
            raise ValueError("stations are a shop's: give its shop")
        if self.stations is not None and given[0] not in STATION_DRIVEN:
            raise ValueError(f"stations names the drivers of {', '.join(STATION_DRIVEN)}, not of {given[0]}")
        return self

    @property
    def basis(self) -> str:
        return next(k for k in BASES if getattr(self, k) is not None)


STATION_DRIVEN = ("per_robot", "per_station", "per_conveyor", "per_booth", "repairs", "preventive")
"""The bases whose driver is the shop's equipment (a ``stations`` list narrows it)."""


class LabourPool(Model):
    """Operators shared by several stations of a shop (repair team, floaters, spot-repair crew)."""
    name: Name
    """The pool's name (1 to 80 characters), as stations name it in labour_pool."""
    shop: Name
    """The shop whose free-flow stations draw on the pool."""
    size: Annotated[int, Field(ge=0, le=MAX_POOL)] | list[Annotated[int, Field(ge=0, le=MAX_POOL)]]
    """Operators on each shift: one number, or a list with one number per shift of the shop."""

    def size_on(self, shift: int) -> int:
        return self.size if isinstance(self.size, int) else self.size[shift]


class Benchmark(Model):
    """A public figure to show beside the model's headcount (with its source)."""
    label: str
    """What the figure is and whose (e.g. 'Astana Motors announcement, whole plant')."""
    headcount: int | None = Field(default=None, gt=0, le=MAX_UNITS)
    """Published headcount (1 to 10,000,000)."""
    hours_per_vehicle: float | None = Field(default=None, gt=0, le=100_000)
    """Published paid hours per vehicle (above 0, at most 100,000)."""
    vehicles_per_employee_year: float | None = Field(default=None, gt=0, le=100_000)
    """Published vehicles per employee and year (above 0, at most 100,000)."""
    source: str = ""
    """Where the figure comes from (a document, a link), shown beside it."""


class StaffingOptions(Model):
    """What `sim staff` may change in its search for the smallest headcount that meets the target."""
    shifts: dict[Name, list[Annotated[int, Field(ge=1, le=4)]]] = {}
    """Shift counts allowed per shop."""
    takt: dict[Name, list[Duration]] = {}
    """Takts allowed per paced line, keyed 'shop.line'."""
    pools: dict[Name, list[Annotated[int, Field(ge=0, le=MAX_POOL)]]] = {}
    """Sizes allowed per labour pool (the same on every shift)."""


class Staffing(Model):
    """How the plant is staffed: crews come from the stations, the rest from these ratios."""
    crew_sizing: Literal["most_demanding", "mix_average"] = "most_demanding"
    """Crew of a station: sized for the most demanding model in the mix, or the mix average (rounded up)."""
    absenteeism: float = Field(default=0.0, ge=0, le=0.5)
    """Share of paid staff absent on a working day (leave, sickness): covered by an absence reserve."""
    team_leader_span: int | None = Field(default=None, ge=1, le=MAX_PER_STATION)
    """One team leader per this many direct operators of a shop and shift (rounded up)."""
    paid_hours_per_shift: Duration = 8 * 3600.0
    """Paid hours of a worker's shift (e.g. 8 h): turns the headcount into paid hours per vehicle; a worked Saturday
    costs one such shift."""
    logistics_utilisation: Utilisation = 1.0
    """Share of net shift time the CKD logistics crew's handling work (``supply.kits.*.handling``) may fill (above 0,
    at most 1; e.g. 0.85)."""
    indirect: list[IndirectRole] = []
    """Indirect staff by role (maintenance, quality, logistics), each sized by one basis; none by default."""
    pools: list[LabourPool] = []
    """Labour pools: operators shared by free-flow stations of a shop (repair team, spot-repair crew)."""
    benchmarks: list[Benchmark] = []
    """Public figures shown beside the model's headcount in the reports; they change no result."""
    options: StaffingOptions = StaffingOptions()
    """What sim staff may change in its search: shift counts, takts, pool sizes."""
