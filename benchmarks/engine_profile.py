"""Where a plant run's time goes on the compiled engine: the kernel, the calls into Python (the launch with kit
holds, kit gates, the yard, labour pools), SimPy's steps, and the rest (the engine loaded, the arrays built and
written back). One process, the plant built then run; a measurement, not a test.

    python benchmarks/engine_profile.py                          # scenarios/almaty.yaml over 365 days
    python benchmarks/engine_profile.py scenarios/kostanay.yaml 90
"""
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.model.builder import build_plant  # noqa: E402
from sim.model.flow import des  # noqa: E402
from sim.model.warmup import warm  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.days import plant_days  # noqa: E402

SPENT = {"kernel": 0.0, "python": 0.0, "simpy": 0.0, "calls": 0}


def timed(name, function, counted=False):
    def wrapper(*args):
        t = time.perf_counter()
        try:
            return function(*args)
        finally:
            SPENT[name] += time.perf_counter() - t
            SPENT["calls"] += counted
    return wrapper


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "scenarios" / "almaty.yaml")
    days = float(sys.argv[2]) if len(sys.argv) > 2 else 365.0
    scenario = load_scenario(path)
    scenario = scenario.model_copy(update={"horizon": scenario.horizon.model_copy(update={"days": days,
                                                                                          "years": None})})
    warm()
    des.run = timed("kernel", des.run)  # the kernel's time includes the calls into Python it made
    des.CompiledPlant._callout = timed("python", des.CompiledPlant._callout, counted=True)
    des.CompiledPlant._step = timed("simpy", des.CompiledPlant._step)  # a SimPy step and the kernel it resumes
    plant = build_plant(scenario, plant_days(scenario.calendar, scenario.horizon), scenario.seed, 0)
    t = time.perf_counter()
    plant.run()
    total = time.perf_counter() - t
    if plant.compiled is None:
        sys.exit(f"{Path(path).name} runs on the SimPy processes: {'; '.join(des.uncovered(plant))}")
    events = int(plant.compiled.sched[1])
    kernel = SPENT["kernel"] - SPENT["python"]
    print(f"{Path(path).name}, {days:g} days + warm-up: plant run {total:.2f} s, {plant.completed_total:,} cars, "
          f"{events:,} events")
    print(f"  kernel {kernel:.2f} s ({1e6 * kernel / events:.2f} us an event), calls into Python "
          f"{SPENT['python']:.2f} s ({SPENT['calls']:,} calls), SimPy's steps {SPENT['simpy']:.2f} s, the rest "
          f"{total - SPENT['kernel'] - SPENT['simpy']:.2f} s")
