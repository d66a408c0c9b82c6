"""sim: a discrete-event production-capacity simulator of a CKD car plant.

    import sim
    result = sim.run("scenarios/almaty.yaml", replications=5, seed=7)
    result.summary["throughput"]["annual_units"]
"""
__version__ = "0.1.0"

from .experiment.comparing import compare  # noqa: E402
from .experiment.runner import RunResult, run  # noqa: E402
from .scenario import ScenarioError, load_scenario, validate_scenario  # noqa: E402

__all__ = ["RunResult", "ScenarioError", "compare", "__version__", "load_scenario", "run", "validate_scenario"]
