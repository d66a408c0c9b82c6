"""Which engine runs a plant, and the compiled one made ready before replications start in other processes.

Two engines give the same figures to the last bit (tests/analytic/test_compiled_engine.py): the SimPy processes of
the flow kernel (v1) and the compiled engine (``flow.des``: the same processes as state machines on a compiled
event heap in SimPy's order, numba). A plant runs on the compiled engine when numba is installed and the engine
covers every part of it (``flow.des.uncovered`` names what it does not), else on the SimPy processes.
``SIM_ENGINE=simpy`` (or ``compiled``) in the environment chooses one.

numba compiles the engine the first time it runs on a machine (a few minutes) and keeps it in its cache
(``__pycache__`` beside ``flow/des_kernel.py``); later processes load it in under a second (``warmup.warm``).
"""

from __future__ import annotations

import os

ENGINES = ("compiled", "simpy")


def compiled_engine() -> bool:
    """Whether plants run on the compiled engine where it covers them (``SIM_ENGINE``: "compiled", the default
    when numba is installed, or "simpy")."""
    engine = os.environ.get("SIM_ENGINE")
    if engine is None:
        from .flow.des_kernel import COMPILED
        return COMPILED
    if engine not in ENGINES:
        raise ValueError(f"SIM_ENGINE={engine!r}: one of {', '.join(ENGINES)}")
    return engine == "compiled"
