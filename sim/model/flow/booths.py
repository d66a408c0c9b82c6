"""Paint booths on a paced line or conveyor: colour changes, the purge that holds the line, the empty carriers
left in front of a new colour (``PacedLine`` takes these methods from ``PaintBooths``)."""

from __future__ import annotations

import numpy as np


class ColourTally:
    """A paint booth's colour changes in the measured window and the bodies they are counted on: each body the
    booth checks in the window is counted, a change or not, so its changes, bodies and blocks (runs of one
    colour: a change, or a server's first body of the window) are the same cars and a block is at least one body."""

    __slots__ = ("changes", "bodies", "blocks", "_seen")

    def __init__(self, servers: int = 1):
        self.changes = self.bodies = self.blocks = 0
        self._seen = [False] * servers
        """Per server: it has checked a body in the window (its next body starts a block only if it changes)."""

    def count(self, server: int, change: bool) -> None:
        """A body checked in the window by ``server``; ``change``: its colour differs from the body before."""
        self.bodies += 1
        if change or not self._seen[server]:
            self.blocks += 1
            self._seen[server] = True
        if change:
            self.changes += 1

    def columns(self) -> dict:
        """Its counts as the station table's columns (``replication.SEQUENCE_COLUMNS``)."""
        return {"colour_changes": self.changes, "colour_bodies": self.bodies, "colour_blocks": self.blocks}


class PaintBooths:
    """A paced line's paint booths: each compares the colour of the body in front of it with the last one."""

    __slots__ = ()

    def _colour_setup(self, colour_changes) -> None:
        """Paint booths on the line: where each checks the colour of the body in front of it."""
        self.booths = [(int(np.flatnonzero(self.position_station == s)[0]), s, purge)
                       for s, purge, _ in colour_changes]
        """(position, station, purge s): a conveyor booth checks at its entry, a line station at its position."""
        self.empty_carriers = max((e for _, _, e in colour_changes), default=0)
        self.booth_colour: list[int | None] = [None] * len(self.booths)
        self.entry_colour: int | None = None
        self.pending = None
        """(body, empty carriers still to go in) while a body of a new colour waits in front of the line."""
        self.gap_ticks: list[int] = []
        """Indexes whose entry position was an empty carrier left for a colour change."""
        self.colour_tallies = {s: ColourTally() for s, _, _ in colour_changes}
        """Per booth station: its colour changes in the window and the bodies they are counted on."""

    def _purge(self, work: float, w0: float) -> float:
        """Each booth compares the body in front of it with the last one: a new colour is a colour change,
        and a purge holds the line until the purge and the body's work are done."""
        positions, purged = self.positions, None
        for k, (p, s, purge) in enumerate(self.booths):
            car = positions[p]
            if car is None:
                continue
            last, self.booth_colour[k] = self.booth_colour[k], car.colour
            change = last is not None and last != car.colour
            if self._in_window(w0):
                self.colour_tallies[s].count(0, change)
            if not change:
                continue
            if purge:
                need = self.cycle[p, car.variant] * self._factor + self.transfer + purge
                if need > work:
                    work = need
                purged = (purged or []) + [(s, purge)]
        if purged:
            self.tick_purges[len(self.tick_start)] = purged
        return work

    def _colour_entry(self, car):
        """A body of a new colour waits in front of the line while its empty carriers go in: the first
        of them goes in now (None), the body after the last."""
        last, self.entry_colour = self.entry_colour, car.colour
        if last is None or last == car.colour:
            return car
        self.pending = (car, self.empty_carriers)
        return self._next_carrier()

    def _next_carrier(self):
        """While a body waits for its colour change: the next empty carrier (None), or at last the body."""
        car, left = self.pending
        if not left:
            self.pending = None
            return car
        self.pending = (car, left - 1)
        self.gap_ticks.append(len(self.tick_start))
        return None

    def _purge_times(self, share: np.ndarray) -> dict[int, np.ndarray]:
        """Per booth station: seconds of each index (in the window) spent purging its guns."""
        purged = {s: np.zeros_like(share) for _, s, _ in self.booths}
        for k, booths in self.tick_purges.items():
            for s, purge in booths:
                purged[s][k] += share[k] * purge
        return purged
