"""The product: the car models of the mix and their shares or volumes, the options drawn per car, the paint
colours, and the launch sequence with its spacing rules (``product`` in a scenario)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..errors import did_you_mean, shown
from .common import MAX_UNITS, Model, Name, Share


class CarModel(Model):
    """A car model of the mix."""
    name: Name
    """The model's name (1 to 80 characters, unique in the mix), as stations, kits, plans and spacing rules name it."""
    share: Share | None = None
    """Share of the launched cars (all models give a share, or all an annual_volume)."""
    annual_volume: int | None = Field(default=None, ge=0, le=MAX_UNITS)
    """Cars of this model a year (0 to 10,000,000); the mix shares follow from the volumes (all models give a share,
    or all an annual_volume)."""
    export_share: Share = 0.0
    """Share of this model's cars built for export."""
    work_content: float = Field(default=1.0, gt=0, le=100)
    """Factor on every station's base cycle time, unless the station gives this model its own time."""


MAX_OPTIONS = 8
"""At most this many options (each car carries a combination of them)."""


class Option(Model):
    """An option some cars carry (sunroof, all-wheel drive, export pack), drawn for each car at launch."""
    name: Name
    """The option's name (1 to 80 characters, unique), as stations (option) and spacing rules name it."""
    take_rate: dict[Name, Share]
    """Share of each model's cars that carry the option; a model not named (and no 'default') has none."""


MAX_COLOURS = 40
"""At most this many paint colours."""

ColourShare = Share | dict[Name, Share]
"""One share for every model, or a share per model (key 'default' for the models not named)."""


class Colour(Model):
    """A paint colour with the share of the cars painted in it, per model and market."""
    name: Name
    """The colour's name (1 to 80 characters, unique)."""
    share: ColourShare
    """Share of the (domestic) cars in this colour: one number, or per model with 'default'."""
    export: ColourShare | None = None
    """Share of the export cars in this colour, where export colours differ (default: as ``share``)."""

    def share_for(self, model: str, export: bool) -> float:
        given = self.share if not export or self.export is None else self.export
        if isinstance(given, dict):
            return given.get(model, given.get("default", 0.0))
        return given


MAX_SPACING_WINDOW = 100
"""The longest window a spacing rule may count over (cars in a row)."""


class SpacingRule(Model):
    """A spacing rule of the launch sequence: at most ``at_most`` cars of a model (or carrying an option)
    in any ``in_any`` consecutive cars ("at most 1 Tiggo 7 in any 3", "no two sunroof cars in a row":
    at_most 1, in_any 2). A levelled launch keeps it; every shop's entry order is measured against it."""
    model: Name | None = None
    """The model the rule spaces (product.models); give this or ``option``."""
    option: Name | None = None
    """The option the rule spaces (product.options); give this or ``model``."""
    at_most: int = Field(ge=0, le=MAX_SPACING_WINDOW - 1)
    """At most this many such cars in the window; below ``in_any``."""
    in_any: int = Field(ge=1, le=MAX_SPACING_WINDOW)
    """Length of the window: this many consecutive cars (1 to 100)."""

    @model_validator(mode="after")
    def _one_feature(self):
        if (self.model is None) == (self.option is None):
            raise ValueError("give exactly one of 'model' or 'option' (the cars the rule spaces)"
                             + (f"; got model {self.model!r} and option {self.option!r}" if self.model else ""))
        if self.at_most >= self.in_any:
            raise ValueError(f"at_most {self.at_most} in_any {self.in_any} limits nothing: at_most must be "
                             f"below in_any (0 to {self.in_any - 1})")
        return self

    @property
    def feature(self) -> str:
        """The model or option name the rule counts."""
        return self.model if self.model is not None else self.option

    @property
    def text(self) -> str:
        """The rule in words, as the reports name it: 'Tiggo 7: at most 1 in any 3'."""
        return f"{self.feature}: at most {self.at_most} in any {self.in_any}"


class Product(Model):
    """The product: the car models of the mix with their shares or annual volumes, the options and paint colours drawn
    for each car at launch, and the launch sequence with its spacing rules."""
    models: list[CarModel] = Field(min_length=1)
    """The car models of the mix (at least one), each with a share or an annual volume."""
    sequence: Literal["levelled", "random"] = "levelled"
    """Launch order: a levelled mixed-model sequence (goal chasing) or random draws by share."""
    options: list[Option] = Field(default=[], max_length=MAX_OPTIONS)
    """Options drawn per car at launch; a station may be visited only by the cars that carry one."""
    spacing: list[SpacingRule] = Field(default=[], exclude_if=lambda rules: not rules)
    """Spacing rules of the sequence. With ``sequence: levelled`` the launch levels models and options
    together and keeps the rules (see ``sim.model.launch.sequencer``); with ``random`` the rules are only counted.
    Left out of the resolved scenario when empty, so scenarios without rules keep their summary."""
    colours: list[Colour] = Field(default=[], max_length=MAX_COLOURS)
    """Paint colours, drawn per car at launch by their shares; none: every car has one colour."""

    @model_validator(mode="after")
    def _shares(self):
        shares = [m.share for m in self.models]
        volumes = [m.annual_volume for m in self.models]
        if all(s is not None for s in shares):
            if abs(sum(shares) - 1.0) > 1e-6:
                raise ValueError(f"model shares sum to {sum(shares):.6g}; they must sum to 1")
        elif all(v is not None for v in volumes):
            if sum(volumes) <= 0:
                raise ValueError("annual volumes sum to 0")
        else:
            raise ValueError("give every model a 'share' (summing to 1) or every model an 'annual_volume'")
        names = [m.name for m in self.models]
        if len(set(names)) != len(names):
            raise ValueError(f"model names repeat: {shown(names, 300)}")
        options = [o.name for o in self.options]
        if len(set(options)) != len(options):
            raise ValueError(f"option names repeat: {shown(options, 300)}")
        self._check_colours(names)
        return self

    def _check_colours(self, names: list[str]) -> None:
        """Colour names unique, models named in shares exist, and each model's colours sum to 1 in each market."""
        if not self.colours:
            return
        colours = [c.name for c in self.colours]
        if len(set(colours)) != len(colours):
            raise ValueError(f"colour names repeat: {shown(colours, 300)}")
        for colour in self.colours:
            for given in (colour.share, colour.export):
                unknown = sorted(set(given) - set(names) - {"default"}) if isinstance(given, dict) else []
                if unknown:
                    raise ValueError(f"colour {colour.name!r} names {shown(unknown[0])}, which is not a model"
                                     f"{did_you_mean(unknown[0], names)} (models: {shown(names, 200)}; 'default' "
                                     "for the rest)")
        for name in names:
            for export in (False, True):
                total = sum(c.share_for(name, export) for c in self.colours)
                if abs(total - 1.0) > 1e-6:
                    market = "export" if export else "domestic"
                    raise ValueError(f"the colour shares of {name} ({market} cars) sum to {total:.6g}; "
                                     "they must sum to 1")

    def colour_shares(self, model: str, export: bool) -> list[float]:
        """Share of each colour among a model's cars of one market."""
        return [c.share_for(model, export) for c in self.colours]

    def take_rate(self, option: "Option", model: str) -> float:
        """Share of a model's cars that carry an option."""
        return option.take_rate.get(model, option.take_rate.get("default", 0.0))

    @property
    def shares(self) -> dict[str, float]:
        """Mix shares by model name, from shares or volumes."""
        if all(m.share is not None for m in self.models):
            return {m.name: m.share for m in self.models}
        total = sum(m.annual_volume for m in self.models)
        return {m.name: m.annual_volume / total for m in self.models}
