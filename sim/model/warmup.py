"""The compiled engine made ready in this process before replications start in others (``engine``): numba's
cache loaded, or the engine compiled into it once (a few minutes the first time on a machine), so that the
processes replicating next load the cache instead of each compiling it."""

from __future__ import annotations

import sys
from pathlib import Path

from ..scenario import validate_scenario
from ..scenario.days import plant_days
from .builder import build_plant
from .engine import compiled_engine


def _cached() -> bool:
    """Whether numba's cache holds the compiled engine (its entry point's index file is there)."""
    return any((Path(__file__).parent / "flow" / "__pycache__").glob("des_kernel.run-*.nbi"))


def warm(say=None) -> None:
    """The compiled engine ready in this process; ``say(text)``: told first when it must compile (default: a
    line on stderr). Nothing to do on the SimPy engine or once it is ready."""
    if not compiled_engine():
        return
    from .flow.des_kernel import COMPILED, run
    if not COMPILED or run.signatures:  # plain Python (nothing to compile), or ready
        return
    if not _cached():
        (say or (lambda text: print(text, file=sys.stderr, flush=True)))(
            "Compiling the simulation engine (once on this machine, a few minutes; numba keeps it for later runs)")
    _compile()


def _compile() -> None:
    """A day of a two-station plant run on the compiled engine, and the take Python makes from a kernel store (a
    kit gate's) called once: the types every plant gives them, so numba compiles (or loads) them here."""
    from .flow.des import CompiledPlant, _KernelStore
    scenario = validate_scenario({
        "name": "engine", "horizon": {"days": 1, "warmup_days": 0}, "calendar": {"working_days_per_year": 250},
        "product": {"models": [{"name": "M", "share": 1.0}]}, "target": {"annual_units": 1000},
        "shops": {"shop": {"shifts": {"count": 1, "start": "06:00", "length": "8 h"},
                           "stations": [{"name": "s", "cycle_time": 60}, {"name": "t", "cycle_time": 50}]}}})
    days = plant_days(scenario.calendar, scenario.horizon)
    build_plant(scenario, days, scenario.seed, 0).run()
    compiled = CompiledPlant(build_plant(scenario, days, scenario.seed, 0))
    _KernelStore(compiled, 0, compiled.buffers[0]).try_get()
