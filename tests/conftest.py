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
