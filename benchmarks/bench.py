"""Speed of the engine: cars and SimPy events per second of wall time.

    python benchmarks/bench.py              # serial-line comparison + almaty.yaml (one year)
    python benchmarks/bench.py --quick      # serial line only
    python benchmarks/bench.py --quick --best-of 5   # the fastest of 5 runs of each serial line

1. A serial line of free-flow stations run by the engine and, beside it, by a
   plain SimPy model of the same line (a process per car, a Resource per
   station), both with unlimited buffers so they make the same cars.
2. The same number of stations as one paced line (one event per takt).
3. One replication of a shipped scenario for a simulated year.
Figures go in the README; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import simpy

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim import load_scenario, validate_scenario  # noqa: E402
from sim.scenario.days import plant_days  # noqa: E402
from sim.model.builder import build_plant  # noqa: E402
from sim.experiment.runner import replicate  # noqa: E402

STATIONS = 20
CYCLE = 60.0  # seconds, the same at every station
DAYS = 30


def serial_line(paced: bool) -> dict:
    stations = []
    for i in range(STATIONS):
        station = {"name": f"s{i}", "cycle_time": CYCLE, "buffer_before": 10 ** 6}
        if paced:
            station = {"name": f"s{i}", "cycle_time": CYCLE, "line": "main"}
        stations.append(station)
    return {
        "name": "bench", "horizon": {"days": DAYS},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"line": {"shifts": {"count": 1, "start": "00:00", "length": "24 h"},
                           "lines": {"main": {"takt": CYCLE}} if paced else {},
                           "stations": stations}},
        "target": {"annual_units": 1},
    }


def time_engine(raw_or_scenario, best_of: int = 1) -> dict:
    """The engine's run of a scenario, the fastest of ``best_of`` runs (the same cars and events each time)."""
    scenario = raw_or_scenario if not isinstance(raw_or_scenario, dict) else validate_scenario(raw_or_scenario)
    days = plant_days(scenario.calendar, scenario.horizon)
    runs = []
    for _ in range(best_of):
        plant = build_plant(scenario, days, 1, 0)
        started = time.perf_counter()
        plant.run()
        wall = time.perf_counter() - started
        events = next(plant.env._eid)  # SimPy numbers every scheduled event
        runs.append({"cars": plant.completed_total, "events": events, "wall": wall})
    return min(runs, key=lambda run: run["wall"])


def time_plain_simpy() -> dict:
    """The textbook SimPy model: a process per car, a Resource per station."""
    env = simpy.Environment()
    resources = [simpy.Resource(env, capacity=1) for _ in range(STATIONS)]
    done = [0]

    def car():
        for resource in resources:
            with resource.request() as request:
                yield request
                yield env.timeout(CYCLE)
        done[0] += 1

    def launch():
        while True:
            env.process(car())
            yield env.timeout(CYCLE)  # launch at the line rate: the same cars as the engine

    env.process(launch())
    started = time.perf_counter()
    env.run(until=DAYS * 86400)
    wall = time.perf_counter() - started
    return {"cars": done[0], "events": next(env._eid), "wall": wall}


def show(label: str, m: dict, reference: dict | None = None) -> None:
    ratio = ""
    if reference:
        ratio = f"  {reference['wall'] / m['wall'] * m['cars'] / reference['cars']:.1f}x plain SimPy (cars/s)"
    print(f"{label:<44} {m['cars']:>9,} cars {m['events']:>11,} events {m['wall']:7.2f} s "
          f"{m['cars'] / m['wall']:>10,.0f} cars/s {m['events'] / m['wall']:>11,.0f} events/s{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--best-of", type=int, default=1, metavar="N",
                        help="time the serial lines N times each and show the fastest (less noise between runs)")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "almaty.yaml"))
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="override a scenario value, as `sim run --set` does (repeatable)")
    args = parser.parse_args()
    print(f"Serial line of {STATIONS} stations at {CYCLE:g} s, {DAYS} days around the clock")
    plain = time_plain_simpy()
    show("plain SimPy (process per car, Resource)", plain)
    show("sim engine, free-flow stations", time_engine(serial_line(paced=False), args.best_of), plain)
    show("sim engine, one paced line", time_engine(serial_line(paced=True), args.best_of), plain)
    if args.quick:
        return
    scenario = load_scenario(args.scenario, args.set)
    started = time.perf_counter()
    result = replicate(scenario, scenario.seed, 0)  # what a run does per replication, measures included
    wall = time.perf_counter() - started
    cars = result.scalars["completed_total"]
    print(f"{scenario.name}: one replication of {scenario.horizon.warmup_days:g} + "
          f"{result.scalars['measured_days']:g} days: {cars:,} cars in {wall:.1f} s "
          f"({cars / wall:,.0f} cars/s, whole replication incl. tables, measures and checks)")
    engine = time_engine(scenario)
    show(f"{scenario.name} (engine only)", engine)


if __name__ == "__main__":
    main()
