"""Shared fixtures: a small plant scenario for fast tests."""
from pathlib import Path

import pytest
import yaml

HERE = Path(__file__).parent
SMALL = HERE / "small.yaml"


@pytest.fixture
def small_path() -> Path:
    return SMALL


@pytest.fixture
def small_raw() -> dict:
    return yaml.safe_load(SMALL.read_text())


def pytest_collection_modifyitems(config, items):
    """Each core starts on its share of the long tests (marked slow: the shipped scenarios' years first) and the
    short ones fill in after them. pytest-xdist's "worksteal" hands each of n workers a contiguous block of the
    collection (the first len // n, then the rest split alike) and lets an idle one steal from the end of a busy
    one's block; so the long tests are dealt round-robin to the heads of the blocks. (Left in collection order,
    they all fell into one block and one core ran them alone.)"""
    workers = getattr(config, "workerinput", {}).get("workercount", 1)

    def rank(item):  # the shipped scenarios' runs (a minute or more each) first, then the other slow tests
        slow = item.get_closest_marker("slow") is not None
        return (not slow, "tests/scenarios/" not in item.nodeid.replace("\\", "/"))

    ordered = sorted(items, key=rank)
    slow = [item for item in ordered if item.get_closest_marker("slow") is not None]
    fast = ordered[len(slow):]
    sizes, left = [], len(items)
    for k in range(workers):  # the block sizes the scheduler sends: len(pending) // nodes remaining
        sizes.append(left // (workers - k))
        left -= sizes[-1]
    blocks = [slow[k::workers] for k in range(workers)]
    for k, size in enumerate(sizes):
        take = max(0, size - len(blocks[k]))
        blocks[k] += fast[:take]
        fast = fast[take:]
    blocks[-1] += fast  # a block overfull with long tests leaves the rest to the last one
    items[:] = [item for block in blocks for item in block]


def pytest_configure(config):
    """The compiled engine made ready once, before pytest-xdist's workers start: they load numba's cache of it
    instead of each compiling it (a few minutes the first time on a machine)."""
    if not hasattr(config, "workerinput"):
        from sim.model.warmup import warm
        warm()
