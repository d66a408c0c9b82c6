"""The compiled engine against the SimPy processes (v1) on a shop like Almaty's assembly: four paced lines of 13, 13, 18 and 22
stations (drift zones of 1.5 takts, two floaters a line), competing failure modes on every tenth station, outages,
maintenance windows, two shifts with a break, then nine end-of-line test stations with their own modes; the
results are checked identical, the times printed. python benchmarks/compiled_shop.py [days]"""
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "analytic"))
from helpers import expo, scenario, station  # noqa: E402

from sim.model.replication import simulate  # noqa: E402
from sim.scenario import validate_scenario  # noqa: E402

MODES = {"modes": [{"name": "short stops", "mtbf": "90 min", "mttr": "30 s"},
                   {"name": "breakdowns", "mtbf": "12 h",
                    "time_to_repair": {"dist": "lognormal", "mean": "10 min", "sd": "12 min"}},
                   {"name": "major", "mtbf": "600 h", "time_to_repair": {"dist": "weibull", "shape": 0.8, "mean": "2 h"}}]}
SHIFTS = {"count": 2, "start": "06:00", "length": "9 h", "breaks": [{"after": "4 h", "length": "45 min"}]}


def shop(days: int):
    stations, lines = [], {}
    for name, size in (("trim1", 13), ("trim2", 13), ("chassis", 18), ("final", 22)):
        lines[name] = {"takt": 128.6, "over_cycle": {"zone": 1.5, "floaters": 2}}
        for p in range(size):
            extra = {"line": name}
            if p == 0 and name != "trim1":
                extra["buffer_before"] = 6
            if p % 10 == 3:
                extra["failures"] = MODES
            stations.append(station(f"{name}_{p}", 110.0 + (p * 7) % 25, **extra))
    for k in range(9):
        stations.append(station(f"eol_{k}", expo(100.0), buffer_before=3, failures=MODES))
    raw = scenario(stations, lines=lines, days=days, warmup=2, shifts=SHIFTS).model_dump(mode="json")
    raw["shops"]["shop"]["outages"] = [{"name": "power", "mtbf": "40 h", "mttr": "30 min"}]
    raw["shops"]["shop"]["maintenance"] = {"between_days": "4 h", "days_off": "8 h", "preventive": False}
    return validate_scenario(raw)


if __name__ == "__main__":
    days = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    sc = shop(days)
    os.environ["SIM_ENGINE"] = "simpy"
    t = time.perf_counter(); v1 = simulate(sc, sc.seed, 0); t1 = time.perf_counter() - t
    os.environ["SIM_ENGINE"] = "compiled"
    simulate(shop(2), sc.seed, 0)  # compile or load the kernel before timing
    t = time.perf_counter(); v2 = simulate(sc, sc.seed, 0); t2 = time.perf_counter() - t
    same = v2.stations.equals(v1.stations) and v2.buffers.equals(v1.buffers) and v2.scalars == v1.scalars
    print(f"{days} days, {v1.scalars['completed_total']:,} cars: v1 {t1:.2f} s, compiled DES {t2:.2f} s "
          f"({t1 / t2:.1f}x), identical: {same}")
