"""The stores between shops (``stores``): first-in-first-out buffers (WBS, PBS) and sorting stores with
lanes that build colour blocks, restore the planned order or level the mix."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from ..units import Duration
from .common import MAX_CAPACITY, Model, Name


MAX_LANES = 1_000
"""At most this many lanes in a sorting store."""


class Sort(Model):
    """How a sorting store chooses the next car for the shop behind it (``sim.model.flow.sorting``).

    The store is ``lanes`` lanes of ``lane_depth`` cars; each lane is first in, first out, and the
    store releases one of the lanes' heads each time the next shop takes a car.

    ``by: colour`` (a WBS in front of paint) builds colour blocks: a body joins a lane whose last
    body has its colour, else an empty lane, else the lane whose last body's colour has the fewest
    bodies in the store. The store releases, in this order: the body that has waited ``max_wait``
    (oldest first); the colour of the running block while a lane head has it and the block is
    shorter than ``max_block``; else the colour that makes the longest block now. With
    ``release: keep_blocks`` an overdue body waits for the end of the running block while the store
    is full (the shop it feeds is the constraint, so a colour change costs output), unless it has its
    colour or has waited ``max_wait_hard``; the next block then starts with its colour.
    ``by: sequence`` (a PBS in front of assembly) restores the planned (launch) order: the head with
    the smallest launch number goes next; a car joins the lane whose last car is the latest launched
    before it, else an empty lane, else the lane whose last car is the earliest launched.
    ``by: levelled`` builds a new levelled order: cars join lanes by variant (model and options) as
    bodies do by colour, and the launch's sequencer (goal chasing, keeping ``product.spacing``)
    chooses the lane head that levels the mix best.
    """
    by: Literal["colour", "sequence", "levelled"]
    """colour: colour blocks for the paint shop; sequence: the planned order for assembly; levelled: a new
    levelled order for assembly."""
    lanes: int = Field(ge=1, le=MAX_LANES)
    """Parallel lanes (1 to 1,000)."""
    lane_depth: int = Field(ge=1, le=MAX_CAPACITY)
    """Cars each lane holds; the store holds lanes x lane_depth."""
    max_block: int | None = Field(default=None, ge=1, le=MAX_CAPACITY)
    """by colour: the longest block the store builds (cars of one colour in a row); none: no limit.
    A block runs on past it only when the store holds no other colour."""
    max_wait: Duration | None = None
    """by colour: a body that has waited this long goes next, oldest first; counted in the shift time of
    the shop the store feeds (nights and breaks do not count); none: no limit."""
    release: Literal["overdue_first", "keep_blocks"] = Field(
        default="overdue_first", exclude_if=lambda release: release == "overdue_first")
    """by colour, with max_wait: overdue_first: an overdue body goes at once, breaking the running block;
    keep_blocks: while the store is full (the shop it feeds is the constraint) an overdue body of another
    colour waits for the running block to end and then starts the next block; it goes at once while the
    store has a free place or once it has waited max_wait_hard (needs max_block or max_wait_hard). Left
    out of the resolved scenario when overdue_first, so stores without it keep their summary."""
    max_wait_hard: Duration | None = Field(default=None, exclude_if=lambda hard: hard is None)
    """by colour, release keep_blocks: a body that has waited this long goes next even out of a running
    block (shift time of the shop the store feeds; longer than max_wait); none: no hard limit."""

    @model_validator(mode="after")
    def _fits(self):
        if self.lanes * self.lane_depth > MAX_CAPACITY:
            raise ValueError(f"{self.lanes} lanes x {self.lane_depth} deep = {self.lanes * self.lane_depth:,} cars: "
                             f"a store holds at most {MAX_CAPACITY:,}")
        if self.by != "colour":
            given = [k for k in ("max_block", "max_wait", "max_wait_hard") if getattr(self, k) is not None]
            given += ["release"] if self.release != "overdue_first" else []
            if given:
                raise ValueError(f"{' and '.join(given)} {'apply' if len(given) > 1 else 'applies'} to by: colour "
                                 f"only (a colour-blocking store); by: {self.by} releases "
                                 + ("by launch number" if self.by == "sequence" else "as the sequencer levels"))
        self._release_fits()
        return self

    def _release_fits(self) -> None:
        """keep_blocks weighs overdue bodies: it needs max_wait; max_wait_hard needs keep_blocks and lies beyond max_wait."""
        if self.release == "keep_blocks" and self.max_wait is None:
            raise ValueError("release: keep_blocks decides when a body overdue by max_wait goes; give max_wait "
                             "or leave release out")
        if self.release == "keep_blocks" and self.max_block is None and self.max_wait_hard is None:
            raise ValueError("release: keep_blocks needs max_block or max_wait_hard: with neither, a block of a "
                             "common colour may run on for ever and the overdue body wait with it")
        if self.max_wait_hard is None:
            return
        if self.release != "keep_blocks":
            raise ValueError("max_wait_hard applies to release: keep_blocks only (with overdue_first a body goes "
                             "as soon as it has waited max_wait)")
        if self.max_wait_hard <= self.max_wait:
            raise ValueError(f"max_wait_hard {self.max_wait_hard:g} s must be longer than max_wait "
                             f"{self.max_wait:g} s: it is the limit past which a body breaks a colour block")


class Store(Model):
    """A named store between a shop and the next (WBS, PBS): first in, first out, or sorting (``sort``)."""
    name: Name
    """The store's name (1 to 80 characters): WBS, PBS."""
    after: Name
    """The shop that feeds it; the next shop in flow order takes from it."""
    capacity: int | None = Field(default=None, ge=0, le=MAX_CAPACITY)
    """Cars the store holds; with ``sort`` it is lanes x lane_depth (give it or leave it out)."""
    sort: Sort | None = Field(default=None, exclude_if=lambda sort: sort is None)
    """Lanes that re-sequence the cars (colour blocks, the planned order); none: first in, first out.
    Left out of the resolved scenario when absent, so stores without it keep their summary."""

    @model_validator(mode="after")
    def _capacity(self):
        if self.sort is None:
            if self.capacity is None:
                raise ValueError("give the store a capacity (cars it holds), or a sort with lanes and lane_depth")
            return self
        lanes = self.sort.lanes * self.sort.lane_depth
        if self.capacity is None:
            object.__setattr__(self, "capacity", lanes)  # frozen: filled once, here, before anyone reads it
        elif self.capacity != lanes:
            raise ValueError(f"capacity {self.capacity} does not match the sort: {self.sort.lanes} lanes x "
                             f"{self.sort.lane_depth} deep = {lanes} cars; give capacity {lanes} or leave it out")
        return self
