"""A car (a body until it is painted and assembled) flowing through the plant, and the parts of feeders."""

from __future__ import annotations


class InvariantError(RuntimeError):
    """The model broke one of its own invariants: a bug, never a user error."""


class Car:
    __slots__ = ("model", "export", "launched", "reentry", "variant", "away", "colour", "seq")

    def __init__(self, model: int, export: bool, launched: float, variant: int | None = None, colour: int = 0,
                 seq: int = 0):
        self.model = model
        """Index of the car model in the product mix."""
        self.export = export
        self.launched = launched
        """Wall time (s) at which the car was launched into the first station."""
        self.reentry = None
        """Where the car re-enters the flow after its current repair."""
        self.variant = model if variant is None else variant
        """Model and options in one index (model + models x option bits): what a paced line's
        station times and visit rules are looked up by."""
        self.away = 0
        """Own parts (doors) taken off the car and not yet refitted."""
        self.colour = colour
        """Index of the car's colour in ``product.colours`` (0 when the scenario names no colours)."""
        self.seq = seq
        """Launch number (1, 2, ...): the car's slot in the planned sequence."""

    @property
    def car(self) -> "Car":
        """The car a unit belongs to: itself (a part answers with its car)."""
        return self


class Part:
    """A feeder's part: built for one car (in sequence, or the car's own doors), or common (to stock)."""

    __slots__ = ("model", "variant", "car", "reentry")

    def __init__(self, car: Car | None):
        self.car = car
        """The car it belongs to; None for a common part built to stock."""
        self.model = 0 if car is None else car.model
        self.variant = 0 if car is None else car.variant
        self.reentry = None
