"""Paths of shared test inputs, importable from any test folder."""
from pathlib import Path

SMALL = Path(__file__).parent / "small.yaml"
