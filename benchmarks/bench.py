"""Speed of the engine: wall time, cars and events per second, events per car and peak memory.

    python benchmarks/bench.py                    # serial lines of 10, 50, 200 stations, the Almaty year, the ramp-up
    python benchmarks/bench.py --quick            # the serial lines only
    python benchmarks/bench.py --years 1 2 5      # the Almaty scenario over 1, 2 and 5 years (is the cost linear?)
    python benchmarks/bench.py --markdown         # the table as the README shows it
    python benchmarks/bench.py --scenario scenarios/kostanay.yaml --set "horizon={days: 90, warmup_days: 7}"

Every case runs in a fresh process (one core), so its peak memory is its own: the resident set of that process at
its largest (the interpreter and the libraries included, about 150 MB of it). The cases:

1. A serial line of N free-flow stations run by the engine and, in the same invocation, by a plain SimPy model of
   the same line (a process per car, a Resource per station), both with unlimited buffers so they make the same
   cars; the ratio is the engine's cars per second over plain SimPy's.
2. The same N stations as one paced line (one event per takt whatever N).
3. The shipped Almaty scenario (``scenarios/almaty.yaml``: feeders, colours and sorting stores, spacing, drift and
   floaters, kits, the yard), one replication of its warm-up and a year, the engine alone (the model built, then
   run), and the three-year ramp-up (``scenarios/almaty-rampup.yaml``) the same way.

Figures go in the README with their date; this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CYCLE = 60.0  # seconds, the same at every station of the serial lines
SERIAL_DAYS = 5  # around the clock: 7,200 cars through each station
STATIONS = (10, 50, 200)


def serial_line(stations: int, paced: bool) -> dict:
    """A scenario of ``stations`` stations in a row at ``CYCLE`` seconds: free-flow with unlimited buffers, or
    one paced line at that takt."""
    rows = []
    for i in range(stations):
        row = {"name": f"s{i}", "cycle_time": CYCLE}
        row.update({"line": "main"} if paced else {"buffer_before": 10 ** 6})
        rows.append(row)
    return {
        "name": "bench", "horizon": {"days": SERIAL_DAYS},
        "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "A", "share": 1.0}]},
        "shops": {"line": {"shifts": {"count": 1, "start": "00:00", "length": "24 h"},
                           "lines": {"main": {"takt": CYCLE}} if paced else {},
                           "stations": rows}},
        "target": {"annual_units": 1},
    }


def engine(scenario) -> dict:
    """The engine's run of a validated scenario: the plant built, then run to the end of its horizon."""
    from sim.model.builder import build_plant
    from sim.scenario.days import plant_days

    plant = build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), scenario.seed, 0)
    started = time.perf_counter()
    plant.run()
    wall = time.perf_counter() - started
    return {"cars": plant.completed_total, "events": next(plant.env._eid), "wall": wall}  # SimPy numbers each event


def plain_simpy(stations: int) -> dict:
    """The textbook SimPy model of the serial line: a process per car, a Resource per station."""
    import simpy

    env = simpy.Environment()
    resources = [simpy.Resource(env, capacity=1) for _ in range(stations)]
    done = [0]

    def car():
        for station in resources:
            with station.request() as request:
                yield request
                yield env.timeout(CYCLE)
        done[0] += 1

    def launch():
        while True:
            env.process(car())
            yield env.timeout(CYCLE)  # launched at the line rate: the same cars as the engine

    env.process(launch())
    started = time.perf_counter()
    env.run(until=SERIAL_DAYS * 86400)
    return {"cars": done[0], "events": next(env._eid), "wall": time.perf_counter() - started}


def case(name: str) -> dict:
    """Run one case in this process: ``plain:N``, ``free:N``, ``paced:N``, ``rampup`` or ``scenario:{json}``
    (path, overrides, years: null for the scenario's own horizon)."""
    kind, _, arg = name.partition(":")
    if kind == "plain":
        result = plain_simpy(int(arg))
    elif kind in ("free", "paced"):
        from sim import validate_scenario
        result = engine(validate_scenario(serial_line(int(arg), paced=kind == "paced")))
    else:
        from sim import load_scenario
        from sim.scenario.shorten import shortened
        if kind == "scenario":
            given = json.loads(arg)
            scenario, _ = shortened(load_scenario(given["path"], given["set"]), years=given["years"])
        else:
            scenario = load_scenario(ROOT / "scenarios" / "almaty-rampup.yaml")
        result = engine(scenario)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes
    return result


def measured(name: str) -> dict:
    """``case(name)`` in a fresh process."""
    out = subprocess.run([sys.executable, __file__, "--case", name], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def row(label: str, m: dict, visits_per_car: int | None = None, reference: dict | None = None) -> dict:
    ratio = reference["wall"] / m["wall"] * m["cars"] / reference["cars"] if reference else None
    return {"case": label, "wall_s": m["wall"], "cars": m["cars"], "cars_per_s": m["cars"] / m["wall"],
            "events_per_car": m["events"] / m["cars"],
            "visits_per_s": m["cars"] * visits_per_car / m["wall"] if visits_per_car else None,
            "peak_mb": m["peak_mb"], "vs_plain": ratio}


COLUMNS = (("case", "{}"), ("wall_s", "{:.1f}"), ("cars", "{:,}"), ("cars_per_s", "{:,.0f}"),
           ("events_per_car", "{:.1f}"), ("visits_per_s", "{:,.0f}"), ("peak_mb", "{:,.0f}"), ("vs_plain", "{:.1f}x"))
HEADINGS = ("case", "wall s", "cars", "cars/s", "events/car", "station visits/s", "peak MB", "vs plain SimPy")


def cells(r: dict) -> list[str]:
    return ["–" if r[key] is None else fmt.format(r[key]) for key, fmt in COLUMNS]


def show(rows: list[dict], markdown: bool) -> None:
    table = [list(HEADINGS)] + [cells(r) for r in rows]
    if markdown:
        print("| " + " | ".join(table[0]) + " |")
        print("|" + "|".join("---" if k == 0 else "--:" for k in range(len(HEADINGS))) + "|")
        for line in table[1:]:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(len(line[k]) for line in table) for k in range(len(HEADINGS))]
    for line in table:
        print("  ".join(c.ljust(w) if k == 0 else c.rjust(w) for k, (c, w) in enumerate(zip(line, widths))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="the serial lines only")
    parser.add_argument("--scenario", default=str(ROOT / "scenarios" / "almaty.yaml"),
                        help="the scenario timed (default: scenarios/almaty.yaml)")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        help="override a value of that scenario, as `sim run --set` does (repeatable)")
    parser.add_argument("--years", type=float, nargs="+", default=None, metavar="Y",
                        help="the scenario over each of these lengths in years (default: its own horizon)")
    parser.add_argument("--no-rampup", action="store_true", help="leave out the three-year ramp-up")
    parser.add_argument("--markdown", action="store_true", help="print the table in Markdown")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(case(args.case)))
        return
    print(f"{time.strftime('%Y-%m-%d')}, one core per case; serial lines: {SERIAL_DAYS} days around the clock at "
          f"{CYCLE:g} s", file=sys.stderr)
    rows = []
    for n in STATIONS:
        plain = measured(f"plain:{n}")
        rows.append(row(f"plain SimPy, {n} stations", plain, n))
        rows.append(row(f"free-flow, {n} stations", measured(f"free:{n}"), n, plain))
        rows.append(row(f"paced line, {n} stations", measured(f"paced:{n}"), n, plain))
        print(f"  {n} stations done", file=sys.stderr)
    if not args.quick:
        name = Path(args.scenario).name + "".join(f" --set {a}" for a in args.set)
        for years in args.years or [None]:
            length = "its horizon" if years is None else f"{years:g} year{'s' if years != 1 else ''} + warm-up"
            spec = json.dumps({"path": args.scenario, "set": args.set, "years": years})
            rows.append(row(f"{name}, {length}", measured(f"scenario:{spec}")))
            print(f"  {name} over {length} done", file=sys.stderr)
        if not args.no_rampup:
            rows.append(row("almaty-rampup.yaml, 3 years", measured("rampup")))
    show(rows, args.markdown)


if __name__ == "__main__":
    main()
