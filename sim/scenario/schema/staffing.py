"""How the plant is staffed (``staffing``): crew sizing, absenteeism, team leaders, indirect roles, shared
labour pools, published benchmarks, and what ``sim staff`` may change."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from ..units import MAX_PER_STATION, Duration
from .common import MAX_POOL, MAX_UNITS, Model, Name


class IndirectRole(Model):
    """Indirect staff of a role, sized by one basis (a ratio or a fixed number)."""
    role: Name
    """maintenance, quality, logistics, supervision, engineering, administration, ..."""
    shop: Name | None = None
    """The shop it serves; none: the whole plant (counted under 'plant', on the day shift)."""
    per_robot: float | None = Field(default=None, gt=0, le=1000)
    """Staff per robot of the shop (or plant) on each shift it is staffed (0.125: one per 8 robots); above 0, at
    most 1,000."""
    per_station: float | None = Field(default=None, gt=0, le=1000)
    """Staff per station of the shop (or plant) on each shift it is staffed; above 0, at most 1,000."""
    per_direct: float | None = Field(default=None, gt=0, le=1000)
    """Per direct operator of the shop (or plant) and shift."""
    per_1000_units: float | None = Field(default=None, gt=0, le=1000)
    """Per 1,000 cars of the annual target (logistics, kit handling)."""
    fixed: float | None = Field(default=None, gt=0, le=100_000)
    """A fixed number of staff on each shift it is staffed (above 0, at most 100,000)."""
    shifts: Literal["each", "day"] = "each"
    """Staffed on every shift of its shop, or on the day shift only."""

    @model_validator(mode="after")
    def _one_basis(self):
        given = [k for k in ("per_robot", "per_station", "per_direct", "per_1000_units", "fixed")
                 if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of per_robot, per_station, per_direct, per_1000_units, fixed"
                             + (f" (got {', '.join(given)})" if given else ""))
        return self


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
    indirect: list[IndirectRole] = []
    """Indirect staff by role (maintenance, quality, logistics), each sized by one basis; none by default."""
    pools: list[LabourPool] = []
    """Labour pools: operators shared by free-flow stations of a shop (repair team, spot-repair crew)."""
    benchmarks: list[Benchmark] = []
    """Public figures shown beside the model's headcount in the reports; they change no result."""
    options: StaffingOptions = StaffingOptions()
    """What sim staff may change in its search: shift counts, takts, pool sizes."""
