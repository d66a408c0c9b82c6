"""Named random streams and samplers.

Every random quantity draws from its own stream, named by what it is for
("paint.topcoat.cycle.Tiggo 7", "body.framing.repair"). A stream's seed is
derived from the run seed, the replication and the name only, so changing one
station does not reshuffle the draws of any other: two scenarios run with the
same seed share their random numbers stream by stream (common random numbers).
Draws are made in blocks for speed; a block is a deterministic slice of the
stream, so results do not depend on the block size being hit or not.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

from ..scenario import units

_BLOCK = 512


def stream_seed(seed: int, replication: int, name: str) -> np.random.SeedSequence:
    """A SeedSequence that depends only on the run seed, the replication and the name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    words = [int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4)]
    return np.random.SeedSequence(entropy=[seed, replication, *words])


def drawn(shares: list[float], uniform):
    """Indices drawn at random by ``shares`` from the stream ``uniform``, one per draw, for ever (a random
    launch sequence)."""
    cumulative = np.cumsum(shares)
    while True:
        yield min(int(np.searchsorted(cumulative, uniform(), side="right")), len(shares) - 1)


class Streams:
    """Factory of named generators for one replication."""

    def __init__(self, seed: int, replication: int):
        self.seed = seed
        self.replication = replication
        self._names: set[str] = set()

    def generator(self, name: str) -> np.random.Generator:
        if name in self._names:
            raise ValueError(f"random stream {name!r} requested twice")
        self._names.add(name)
        return np.random.Generator(np.random.PCG64(stream_seed(self.seed, self.replication, name)))

    def sampler(self, dist, name: str, scale: float = 1.0):
        """A callable returning one draw (seconds) of ``dist`` times ``scale``."""
        if isinstance(dist, units.Fixed):
            return _Constant(dist.value * scale)
        return _BlockSampler(dist, scale, self.generator(name))

    def uniform(self, name: str):
        """A callable returning U(0, 1) draws."""
        return _BlockSampler(None, 1.0, self.generator(name))


class _Constant:
    __slots__ = ("value",)

    def __init__(self, value: float):
        self.value = value

    def __call__(self) -> float:
        return self.value

    def take(self, n: int) -> np.ndarray:
        """The next n draws at once."""
        return np.full(n, self.value)


class _BlockSampler:
    __slots__ = ("dist", "scale", "rng", "buffer", "index")

    def __init__(self, dist, scale: float, rng: np.random.Generator):
        self.dist = dist
        self.scale = scale
        self.rng = rng
        self.buffer: list[float] = []
        self.index = 0

    def __call__(self) -> float:
        if self.index == len(self.buffer):
            self.buffer = (draw_block(self.dist, self.rng, _BLOCK) * self.scale).tolist()
            self.index = 0
        value = self.buffer[self.index]
        self.index += 1
        return value

    def take(self, n: int) -> np.ndarray:
        """The next n draws at once: the values n calls give, the sampler left as they leave it."""
        parts = [np.array(self.buffer[self.index:self.index + n], dtype=float)]
        self.index += len(parts[0])
        got = len(parts[0])
        while got < n:
            block = draw_block(self.dist, self.rng, _BLOCK) * self.scale
            used = min(n - got, _BLOCK)
            parts.append(block[:used])
            self.buffer, self.index = block.tolist(), used
            got += used
        return np.concatenate(parts)


def draw_block(dist, rng: np.random.Generator, n: int) -> np.ndarray:
    """n draws of a distribution (None: standard uniform)."""
    if dist is None:
        return rng.random(n)
    kind = dist.dist
    if kind == "fixed":
        return np.full(n, dist.value)
    if kind == "uniform":
        return rng.uniform(dist.low, dist.high, n)
    if kind == "triangular":
        return rng.triangular(dist.low, dist.mode, dist.high, n)
    if kind == "exponential":
        return rng.exponential(dist.mean, n)
    if kind == "lognormal":
        sigma2 = math.log(1 + (dist.sd / dist.mean) ** 2)
        return rng.lognormal(math.log(dist.mean) - sigma2 / 2, math.sqrt(sigma2), n)
    if kind == "weibull":
        return dist.scale * rng.weibull(dist.shape, n)
    if kind == "normal":
        return _truncated_normal(dist, rng, n)
    if kind == "empirical":
        values = np.asarray(dist.values, dtype=float)
        if dist.weights is None:
            return values[rng.integers(0, len(values), n)]
        weights = np.asarray(dist.weights, dtype=float)
        return values[rng.choice(len(values), size=n, p=weights / weights.sum())]
    raise ValueError(f"unknown distribution {kind!r}")


def _truncated_normal(dist, rng: np.random.Generator, n: int) -> np.ndarray:
    """Normal draws rejected outside [low, high], so no time is ever negative."""
    high = math.inf if dist.high is None else dist.high
    out = np.empty(0)
    while out.size < n:
        draws = rng.normal(dist.mean, dist.sd, 2 * n)
        out = np.concatenate([out, draws[(draws >= dist.low) & (draws <= high) & (draws > 0)]])
    return out[:n]
