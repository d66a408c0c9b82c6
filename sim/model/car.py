"""A car (a body until it is painted and assembled) flowing through the plant."""

from __future__ import annotations


class Car:
    __slots__ = ("number", "model", "export", "launched", "repairs", "reentry")

    def __init__(self, number: int, model: int, export: bool, launched: float):
        self.number = number
        self.model = model
        """Index of the car model in the product mix."""
        self.export = export
        self.launched = launched
        """Wall time (s) at which the car was launched into the first station."""
        self.repairs = 0
        self.reentry = None
        """Where the car re-enters the flow after its current repair."""
