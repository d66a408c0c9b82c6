"""A new component is one package plus one registration: a toy counter of cars per hour at the end of the line,
added here without touching the builder, the run loop, the summary or the report, shows in summary.json and
report.html (its figures summarised and rendered by the generic fallbacks)."""

from dataclasses import dataclass

import sim
from sim.model.components.base import Component
from sim.registry import Registration, register, unregister
from sim.report import rendered_files
from tests_paths import SMALL


@dataclass(frozen=True)
class HourlyFigures:
    busiest_hour: int
    """The most cars that left the end of the line in one clock hour of the measured window."""


class CarsPerHour(Component):
    @classmethod
    def wanted(cls, scenario) -> bool:
        return True

    def __init__(self, build):
        self.plant = build.plant

    def figures(self) -> HourlyFigures:
        hours: dict[int, int] = {}
        for t, *_ in self.plant.completed:
            hours[int(t // 3600)] = hours.get(int(t // 3600), 0) + 1
        return HourlyFigures(max(hours.values(), default=0))


def test_a_toy_component_reaches_the_summary_and_the_report():
    register(Registration("cars_per_hour", f"{__name__}:CarsPerHour"))
    try:
        run = sim.run(SMALL, replications=2)
        plain = [r.figures["cars_per_hour"].busiest_hour for r in run.replications]
        section = run.summary["cars_per_hour"]["busiest_hour"]
        assert section["mean"] == sum(plain) / 2 and section["n"] == 2
        page = rendered_files(run)["report.html"]
        assert "cars_per_hour" in page.replace("cars per hour", "cars_per_hour") and "busiest_hour" in page
    finally:
        unregister("cars_per_hour")
    assert "cars_per_hour" not in sim.run(SMALL).summary
