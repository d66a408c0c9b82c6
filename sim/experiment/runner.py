"""Replications of a scenario, sequential or in a process pool.

Replication r of seed s is a pure function of (scenario, s, r): every random
stream is seeded from (s, r, stream name), so the results are the same bytes
whether replications run one after another or in parallel, in any order.

Ctrl-C (KeyboardInterrupt) stops the run early: the replications finished by
then are summarised (the run is flagged ``interrupted``); with none finished
the KeyboardInterrupt goes on to the caller.
"""

from __future__ import annotations

import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path

import pandas as pd

from ..analysis import components
from ..analysis.sequencing import replication_sequencing
from ..analysis.shifting import shifting_table
from ..analysis.staffing import headcount, workload
from ..analysis.summary import buffer_table, station_table, summarise, throughput_table
from ..model.warmup import warm
from ..model.replication import ReplicationResult, simulate
from ..results import RunResult
from ..results.run import provenance
from ..scenario import Scenario, load_scenario
from .preflight import check_window


MEASURES = {"shifting": shifting_table, "sequencing": replication_sequencing}
"""What each replication measures from its plant after the run (``model.replication.simulate``)."""


def replicate(scenario: Scenario, seed: int, replication: int = 0) -> ReplicationResult:
    """One replication with every figure a run reports (the model's tables and the measures above)."""
    return simulate(scenario, seed, replication, measures=MEASURES)


def _one(args) -> ReplicationResult:
    scenario, seed, replication = args
    return replicate(scenario, seed, replication)


def _ignore_interrupt() -> None:
    """Pool workers leave Ctrl-C to the parent, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run(scenario: Scenario | str | Path, replications: int = 1, seed: int | None = None,
        jobs: int = 1, on_replication=None) -> RunResult:
    """Run ``replications`` independent replications and summarise them.

    ``seed`` defaults to the scenario's seed; ``jobs`` > 1 uses a process pool;
    ``on_replication(done, total)`` is called as replications finish (progress bars).
    On KeyboardInterrupt the replications finished so far are summarised and the result has
    ``interrupted`` set (and says so in its summary); with none finished the interrupt propagates.
    """
    scenario, seed = _prepared(scenario, replications, seed)
    results: list[ReplicationResult] = []
    interrupted = False
    try:
        _replicate([(scenario, seed, r) for r in range(replications)], jobs,
                   lambda _, result: _collected(results, result, replications, on_replication))
    except KeyboardInterrupt:
        if not results:
            raise
        interrupted = True
    return _summarised(scenario, seed, results, replications, interrupted)


def run_all(scenarios: list[Scenario], replications: int = 1, seed: int | None = None, jobs: int = 1,
            on_replication=None) -> list[RunResult]:
    """``run`` of each scenario, every replication of every scenario dealt to one process pool: a search's
    candidates keep the cores busy where a run of each in turn would leave a core idle at its last replications
    (five replications on two cores: three rounds, the last half empty). The results are those of ``run`` of
    each, byte for byte. ``on_replication(done, total)`` counts every replication of every scenario; Ctrl-C
    stops the lot (a search cut short has no answer)."""
    prepared = [_prepared(scenario, replications, seed) for scenario in scenarios]
    work = [(scenario, used, r) for scenario, used in prepared for r in range(replications)]
    results: list[list[ReplicationResult]] = [[] for _ in scenarios]
    done = [0]

    def collected(item: int, result: ReplicationResult) -> None:
        results[item // replications].append(result)
        done[0] += 1
        if on_replication:
            on_replication(done[0], len(work))

    _replicate(work, jobs, collected)
    return [_summarised(scenario, used, mine, replications, False)
            for (scenario, used), mine in zip(prepared, results)]


def _prepared(scenario: Scenario | str | Path, replications: int, seed: int | None) -> tuple[Scenario, int]:
    """The scenario loaded and checked, and the seed to use (the scenario's unless given)."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if replications < 1:
        raise ValueError("replications must be at least 1")
    check_window(scenario)  # the API's run, like the CLI's, needs a working day to annualise
    return scenario, scenario.seed if seed is None else seed


def _collected(results: list, result: ReplicationResult, total: int, on_replication) -> None:
    results.append(result)
    if on_replication:
        on_replication(len(results), total)


def _replicate(work: list, jobs: int, on_result) -> None:
    """Each (scenario, seed, replication) of ``work`` replicated, sequentially or in a pool of ``jobs``;
    ``on_result(index in work, result)`` as each finishes."""
    warm()  # the compiled engine loaded (or compiled once, said) here: a pool's processes then load its cache
    if jobs > 1 and len(work) > 1:
        _in_pool(work, min(jobs, len(work)), on_result)
        return
    for k, item in enumerate(work):
        on_result(k, _one(item))


def _summarised(scenario: Scenario, seed: int, results: list[ReplicationResult], replications: int,
                interrupted: bool) -> RunResult:
    """A run's result from its replications (in any order): its tables and summary."""
    results.sort(key=lambda r: r.replication)
    stations = station_table(scenario, results)
    per_year = results[0].scalars["working_days_per_year"]
    throughput = throughput_table(results)
    summary = summarise(scenario, results, seed, stations, throughput)
    if interrupted:
        summary["interrupted"] = True
        summary["warnings"] = list(summary.get("warnings") or []) + [
            f"stopped by the user after {len(results)} of {replications} replications"]
    return RunResult(scenario, seed, summary,
                     stations=stations, buffers=buffer_table(results), throughput=throughput,
                     staffing=headcount(scenario), workload=workload(scenario, per_year),
                     pools=_stacked(results, "pools"), store_levels=_stacked(results, "store_levels"),
                     optional=components.tables(components.Replications(scenario, results, stations, throughput)),
                     replications=results, interrupted=interrupted, provenance=provenance(scenario))


def _in_pool(work: list, workers: int, on_result) -> None:
    """``work`` in a process pool, ``on_result(index, result)`` as each finishes (those finishing together in
    the order of ``work``); on KeyboardInterrupt the pending ones are cancelled and the running ones stopped
    before the interrupt goes on."""
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_ignore_interrupt)
    pending: set = set()
    try:
        index = {pool.submit(_one, item): k for k, item in enumerate(work)}
        pending = set(index)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=index.get):
                on_result(index[future], future.result())
    except BaseException:
        for future in pending:
            future.cancel()
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()  # a replication under way would otherwise run to its end
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def _stacked(results: list[ReplicationResult], table: str) -> pd.DataFrame:
    """One table of every replication, with a replication column first."""
    frames = [getattr(r, table).assign(replication=r.replication) for r in results]
    stacked = pd.concat(frames, ignore_index=True)
    return stacked[["replication"] + [c for c in stacked.columns if c != "replication"]]
