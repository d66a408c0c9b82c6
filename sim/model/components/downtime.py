"""Downtime as plants see it (``failures.modes``, ``outages`` and ``run_in`` of a shop, and the dated ``down``
events): the outage schedules each shop's stations share, made before the flow (``Builder.shop_outages``), and the
tally of stops and down hours by failure mode and by outage for the downtime table."""

from __future__ import annotations

from dataclasses import dataclass

from ..flow.line import PacedLine
from ...scenario.events import down_intervals
from ...scenario.schema import Down
from ..flow.outages import FixedOutages, RandomOutages, RunInLoss
from .base import Component


@dataclass
class DowntimeFigures:
    """Per row: shop, station (the covered names for an outage), kind (mode, outage or run_in), name, servers,
    stops (starting in the measured window) and down_s (worked seconds in it; server-seconds summed over a
    station's servers)."""
    rows: list[dict]
    line_outages: dict
    """Per paced line covered by outages or a run-in ("shop|line"): its seconds down for them in the measured
    window, the same at each of its stations (a line's breakdown time counts them once)."""


def uses_downtime(scenario) -> bool:
    """Whether a scenario has failure modes, outages, a run-in or a dated ``down`` event."""
    from ...scenario.topology import all_stations
    return any(isinstance(event, Down) for event in scenario.events) or any(
        shop.outages or shop.run_in is not None
        or any(st.failures is not None and st.failures.modes is not None for st in all_stations(shop))
        for shop in scenario.shops.values())


def dated_downs(scenario, shop_name: str, clock):
    """(covered names or None for the whole shop, its fixed schedule) of each ``down`` event of the shop: the
    event's days in the shop's shift time, named after the event (``events[i]``)."""
    for i, event in enumerate(scenario.events):
        if isinstance(event, Down) and event.shop == shop_name:
            part = event.station or event.line
            yield (None if part is None else [part],
                   FixedOutages(down_intervals(scenario, event, clock), f"events[{i}] {event.target} down"))


class Downtime(Component):
    """Failure modes, outages and the run-in: the shops' shared down schedules and their tally."""

    @classmethod
    def wanted(cls, scenario) -> bool:
        return uses_downtime(scenario)

    def __init__(self, build):
        self.build = build
        self.schedules: list[tuple[str, str, str, object]] = []
        """(shop, kind, covered names, schedule) of every outage and run-in."""
        for shop_name, shop in build.scenario.shops.items():
            covering = []
            for outage in shop.outages:
                stream = f"{shop_name}.outage.{outage.name}"
                schedule = RandomOutages(build.streams.sampler(outage.between, f"{stream}.failure"),
                                         build.streams.sampler(outage.repair, f"{stream}.repair"), outage.name)
                covering.append((outage.covers, schedule))
                self.schedules.append((shop_name, "outage", outage.covers, schedule))
            if shop.run_in is not None:
                run_in, shifts = shop.run_in, shop.shifts
                counts = build.shift_counts(shop_name)
                schedule = RunInLoss(build.clocks[shop_name], shifts.start, shifts.length,
                                     (lambda day: shifts.count) if counts is None else
                                     (lambda day, counts=counts: counts[day] if day < len(counts) else 0),
                                     run_in.lost)
                covering.append((run_in.covers, schedule))
                self.schedules.append((shop_name, "run_in", run_in.covers, schedule))
            for covers, schedule in dated_downs(build.scenario, shop_name, build.clocks[shop_name]):
                covering.append((covers, schedule))
                self.schedules.append((shop_name, "event", covers, schedule))
            if covering:
                build.shop_outages[shop_name] = covering

    def built(self, plant) -> None:
        self.lines = [(shop, node) for shop, nodes in plant.nodes.items() for node in nodes
                      if isinstance(node, PacedLine) and not node.gaps and node.outages is not None]

    def figures(self) -> DowntimeFigures:
        build = self.build
        rows: dict[tuple, dict] = {}
        for shop, station, modes in build.failure_modes:
            for name, stops, down in zip(modes.names, modes.stops, modes.down):
                row = rows.setdefault((shop, station, "mode", name), {
                    "shop": shop, "station": station, "kind": "mode", "name": name, "servers": 0, "stops": 0,
                    "down_s": 0.0})
                row["servers"] += 1
                row["stops"] += stops
                row["down_s"] += down
        out = list(rows.values())
        for shop, kind, covers, schedule in self.schedules:
            stops, down = schedule.tally(build.worked_windows[shop])
            out.append({"shop": shop, "station": "all" if covers is None else " ".join(covers), "kind": kind,
                        "name": schedule.name, "servers": 1, "stops": stops, "down_s": down})
        lines = {f"{shop}|{node.name}": node.outages.tally(node.worked_window)[1] for shop, node in self.lines}
        return DowntimeFigures(out, lines)
