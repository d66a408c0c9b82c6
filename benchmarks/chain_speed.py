"""engine v2 against v1 on a chain of 5 paced lines of 10 stations and 5 stations (30 days): wall time and events a car."""
import os, sys, time
from pathlib import Path
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT)); sys.path.insert(0, str(ROOT / "tests" / "analytic"))
from helpers import scenario, station, expo
from sim.model.builder import build_plant
from sim.scenario.days import plant_days
stations, lines = [], {}
for l in range(5):
    lines[f"L{l}"] = {"takt": 60.0}
    for p in range(10):
        extra = {"line": f"L{l}"}
        if p == 0 and l > 0: extra["buffer_before"] = 2
        if p == 3: extra["failures"] = {"mtbf": "2 h", "mttr": "6 min"}
        stations.append(station(f"L{l}_{p}", 50.0 + p, **extra))
    stations.append(station(f"S{l}", expo(45.0), buffer_before=3))
sc = scenario(stations, lines=lines, days=30, warmup=0)
for label, env in (("v1       ", {}), ("v2 chains", {"SIM_CHAINS": "1"}), ("v2 kernel", {"SIM_CHAINS": "1", "SIM_KERNEL": "1"}),
                   ("v2 compiled DES", {"SIM_DES": "1"})):
    for key in ("SIM_CHAINS", "SIM_KERNEL", "SIM_DES"):
        os.environ.pop(key, None)
    os.environ.update(env)
    plant = build_plant(sc, plant_days(sc.calendar, sc.horizon), sc.seed, 0)
    t = time.perf_counter(); plant.run(); wall = time.perf_counter() - t
    print(label, f"{wall:.2f} s, events {next(plant.env._eid):,}, cars {plant.completed_total:,}, events/car {next(plant.env._eid)/plant.completed_total:.1f}")
