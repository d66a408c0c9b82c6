"""sim: a discrete-event production-capacity simulator of a CKD car plant.

    import sim
    result = sim.run("scenarios/almaty.yaml", replications=5, seed=7)
    result.summary["throughput"]["annual_units"]
    sim.write(result)                        # results/almaty/ with report.html
    table, runs = sim.compare(["results/almaty", "results/almaty-3shift"])
"""
from .experiment.runner import run
from .results import RunFolderError, RunResult, read_run
from .scenario import ScenarioError, load_scenario, validate_scenario
from .version import __version__


def write(result: RunResult, results: str = "results", wall_seconds: float = 0.0):
    """Write a run to results/<name>/ with its HTML report; returns (folder, history folder of an earlier run)."""
    from pathlib import Path

    from .report import rendered_files
    from .results import write_run

    return write_run(result, Path(results) / result.scenario.name, wall_seconds, rendered_files(result))


def compare(inputs, **options):
    """Compare result folders (or scenario files, run and written first): (KPI table, runs). See sim compare."""
    from .experiment.comparing import compare as _compare
    from .report import rendered_files

    options.setdefault("render", rendered_files)
    return _compare(inputs, **options)


__all__ = ["RunFolderError", "RunResult", "ScenarioError", "compare", "__version__", "load_scenario", "read_run", "run",
           "validate_scenario", "write"]
