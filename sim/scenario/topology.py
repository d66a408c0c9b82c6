"""A shop's topology: the one place that says how its stations connect.

The model builder, static capacity, staffing, the cross-reference checks and
the flow picture all need the same facts about a shop: which stations form the
main flow and in which order, which consecutive stations make one paced line
(one node of the engine), which stations are off-line repairs, where a paced
line starts and ends, and how often a car visits each station once the quality
loop's rework is counted. They are worked out here, from the schema only.
"""

from __future__ import annotations

from .schema import CarModel, Shop, Station


def flow_groups(shop: Shop) -> list[list[Station]]:
    """The main flow in order, grouped into nodes: a paced line's run of stations is one group."""
    groups: list[list[Station]] = []
    for station in shop.stations:
        if station.off_line:
            continue
        if station.line is not None and groups and groups[-1][0].line == station.line:
            groups[-1].append(station)
        else:
            groups.append([station])
    return groups


def off_line(shop: Shop) -> list[Station]:
    """The off-line repair stations, reached only through the quality loop."""
    return [s for s in shop.stations if s.off_line]


def line_stations(shop: Shop, line: str) -> list[Station]:
    """The stations of a paced line, in flow order."""
    return [s for s in shop.stations if s.line == line]


def line_first(shop: Shop, line: str) -> str:
    return line_stations(shop, line)[0].name


def line_last(shop: Shop, line: str) -> str:
    return line_stations(shop, line)[-1].name


def failing_share(shop: Shop) -> float:
    """Share of the inspected cars that fail and are reworked (neither passing nor scrapped)."""
    quality = shop.quality
    if quality is None:
        return 0.0
    return max(0.0, 1.0 - quality.first_pass_yield - quality.scrap)


def visits(shop: Shop) -> dict[str, float]:
    """Expected visits per finished car of each station, the quality loop's rework included.

    With a failing share f = 1 - y - s (first-pass yield y, scrap s) a car is inspected
    1 / (1 - f) times on average, so every station between a rework path's re-entry and
    the inspection is visited 1 + q f / (1 - f) times (q: the path's share of the rework),
    and the path's repair station q f / (1 - f) times. Without scrap that is the familiar 1 / y.
    An off-line station that no car reaches has 0 visits.
    """
    counts = {s.name: 0.0 if s.off_line else 1.0 for s in shop.stations}
    failing = failing_share(shop)
    if failing <= 0:
        return counts
    reworks = failing / (1.0 - failing)
    order = [s.name for s in shop.stations if not s.off_line]
    inspection = order.index(shop.quality.inspection)
    for path in shop.quality.rework:
        if path.repair is not None:
            counts[path.repair] += reworks * path.share
        start = order.index(path.reenter)
        for name in order[start:inspection + 1]:
            counts[name] += reworks * path.share
    return counts


def model_cycle(station: Station, model: CarModel) -> float:
    """Mean cycle time of one model at a station, in seconds (work-content factor applied)."""
    dist, scale = station.time_for(model)
    return dist.mean * scale


def mix_cycle(station: Station, models: list[CarModel], shares: dict[str, float]) -> float:
    """Mix-weighted mean cycle time of a station, in seconds."""
    return sum(shares[model.name] * model_cycle(station, model) for model in models)
