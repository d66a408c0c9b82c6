"""Replications of a scenario, sequential or in a process pool.

Replication r of seed s is a pure function of (scenario, s, r): every random
stream is seeded from (s, r, stream name), so the results are the same bytes
whether replications run one after another or in parallel, in any order.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from ..analysis.staffing import headcount, workload
from ..analysis.summary import buffer_table, station_table, summarise, throughput_table
from ..model.replication import ReplicationResult, simulate
from ..results import RunResult
from ..scenario import Scenario, load_scenario


def _one(args) -> ReplicationResult:
    scenario, seed, replication = args
    return simulate(scenario, seed, replication)


def run(scenario: Scenario | str | Path, replications: int = 1, seed: int | None = None,
        jobs: int = 1, on_replication=None) -> RunResult:
    """Run ``replications`` independent replications and summarise them.

    ``seed`` defaults to the scenario's seed; ``jobs`` > 1 uses a process pool;
    ``on_replication(done, total)`` is called as replications finish (progress bars).
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if replications < 1:
        raise ValueError("replications must be at least 1")
    seed = scenario.seed if seed is None else seed
    work = [(scenario, seed, r) for r in range(replications)]
    results: list[ReplicationResult] = []
    if jobs > 1 and replications > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, replications)) as pool:
            for result in pool.map(_one, work):
                results.append(result)
                if on_replication:
                    on_replication(len(results), replications)
    else:
        for item in work:
            results.append(_one(item))
            if on_replication:
                on_replication(len(results), replications)
    stations = station_table(scenario, results)
    per_year = results[0].scalars["working_days_per_year"]
    return RunResult(scenario, seed, summarise(scenario, results, seed, stations),
                     stations=stations, buffers=buffer_table(results), throughput=throughput_table(results),
                     staffing=headcount(scenario), workload=workload(scenario, per_year),
                     pools=_stacked(results, "pools"), store_levels=_stacked(results, "store_levels"),
                     replications=results)


def _stacked(results: list[ReplicationResult], table: str) -> pd.DataFrame:
    """One table of every replication, with a replication column first."""
    frames = [getattr(r, table).assign(replication=r.replication) for r in results]
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["replication"] + [c for c in stacked.columns if c != "replication"]]
