"""Where a plant run's time goes on the compiled engine: the kernel, the calls into Python (the launch with kit
holds, kit gates, the yard, labour pools), SimPy's steps, and the rest (the engine loaded, the arrays built and
written back). One process, the plant built then run; a measurement, not a test.

    python benchmarks/engine_profile.py                          # scenarios/almaty.yaml over 365 days
    python benchmarks/engine_profile.py scenarios/kostanay.yaml 90
"""
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.model.builder import build_plant  # noqa: E402
from sim.model.flow import des  # noqa: E402
from sim.model.warmup import warm  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.days import plant_days  # noqa: E402

SPENT = {"kernel": 0.0, "python": 0.0, "simpy": 0.0, "calls": 0}
WHAT = ("take from {}", "put into {}", "a kit gate's request asked", "a kit gate's request offered a car",
        "operators from a labour pool", "operators back to a labour pool")
"""What a call into Python asks (``des_kernel.CO_TAKE`` ... ``CO_POOL_RELEASE``), the store it asks named."""
CALLS = Counter()
"""Calls into Python by what they ask of which Python store (or a labour pool)."""


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
    callout = des.CompiledPlant._callout

    def counted(compiled, code, a, *rest):
        store = type(compiled.py_stores[int(a)]).__name__ if int(code) in (des.CO_TAKE, des.CO_PUT) else ""
        CALLS[WHAT[int(code)].format(store)] += 1
        return callout(compiled, code, a, *rest)
    des.CompiledPlant._callout = counted
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
    print("  calls into Python: " + ", ".join(f"{what} {n:,}" for what, n in CALLS.most_common()))
