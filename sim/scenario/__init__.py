"""Scenario schema and loading."""
from .loader import Problem, ScenarioError, load_scenario, validate_scenario, with_overrides
from .schema import Scenario

__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "validate_scenario", "with_overrides"]
