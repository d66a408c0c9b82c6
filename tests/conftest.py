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
    """The long tests (marked slow: shipped scenarios' years) first, so that the cores start them at once and the
    short ones fill in around them, instead of a long one starting last and running alone."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
