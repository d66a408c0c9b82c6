"""A car (a body until it is painted and assembled) flowing through the plant."""

from __future__ import annotations


class Car:
    __slots__ = ("model", "export", "launched", "reentry")

    def __init__(self, model: int, export: bool, launched: float):
        self.model = model
        """Index of the car model in the product mix."""
        self.export = export
        self.launched = launched
        """Wall time (s) at which the car was launched into the first station."""
        self.reentry = None
        """Where the car re-enters the flow after its current repair."""
