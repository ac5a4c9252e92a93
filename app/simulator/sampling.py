"""The only module that draws random numbers.

Every draw comes from a ``numpy.random.Generator`` keyed by (root seed, chunk, stream), so each
kind of variate has its own independent stream: drawing one kind lazily (only when some package
needs it) never shifts another, and results do not depend on the order of evaluation.

Draws are *package-free*: uniforms and standard normals that the engine transforms with each
package's parameters (common random numbers). Orders are candidate arrivals of a Poisson process
in layers fixed by a reference package (:mod:`app.simulator.candidates`); each package keeps
those that arrive while the worker is dispatchable and whose mark falls under its own rate
(thinning), so identical packages keep identical orders and a small change of a term changes
few orders.
"""
from __future__ import annotations

import numpy as np

# Stream identifiers (part of the reproducibility contract: do not renumber).
WEATHER, WORK, HOURS, WORKER, RATE, COUNT, POSITION, MARK, KM, MINUTES, FLAG, LATE, COMM = \
    range(13)


def root_seed(seed) -> int:
    """An integer root seed from an int or a ``numpy.random.Generator``."""
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise TypeError("seed must be an int or a numpy.random.Generator")
    if seed < 0:
        raise ValueError("seed must be non-negative")
    return int(seed)


def generator(seed: int, chunk: int, stream: int) -> np.random.Generator:
    """The generator of one stream of one chunk."""
    return np.random.Generator(np.random.PCG64(
        np.random.SeedSequence(seed, spawn_key=(chunk, stream))))


def cell_draws(seed: int, chunk: int, stream: int, mean: np.ndarray):
    """Poisson counts of one candidate cell (per worker-day) and two uniforms per point (its
    position and its mark), from the cell's own stream (``chunk`` as in :class:`ChunkDraws`)."""
    gen = generator(seed, chunk, stream)
    counts = gen.poisson(mean)
    total = int(counts.sum())
    return counts, gen.random(total), gen.random(total)


def calendar_counts(seed: int, days: int, probabilities, n: int) -> np.ndarray:
    """Day counts of each weather condition in ``n`` other months (for standard errors)."""
    gen = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(7919,))))
    return gen.multinomial(days, probabilities, size=n).astype(float)


def weather_uniforms(seed: int, days: int) -> np.ndarray:
    """One uniform per simulated day; the weather of the day is shared by all workers."""
    return generator(seed, 0, WEATHER).random(days)


class ChunkDraws:
    """Random variates for one chunk of workers, drawn on demand and cached."""

    def __init__(self, seed: int, chunk: int, n_workers: int, days: int):
        self.seed, self.chunk, self.n, self.days = seed, chunk + 1, n_workers, days
        self._cache: dict = {}

    def _gen(self, stream):
        return generator(self.seed, self.chunk, stream)

    def _get(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # worker-day level -----------------------------------------------------------------------
    def work_u(self):
        """Uniform deciding whether each worker works each day."""
        return self._get("work", lambda: self._gen(WORK).random((self.n, self.days)))

    def hours_z(self):
        """Standard normal of each worker-day's desired hours (log scale)."""
        return self._get("hours", lambda: self._gen(HOURS).standard_normal((self.n, self.days)))

    def worker_z(self):
        """Standard normal of each worker's persistent orders-per-hour multiplier."""
        return self._get("worker", lambda: self._gen(WORKER).standard_normal(self.n))

    def rate_z(self):
        """Standard normal of each worker-day's rate multiplier (overdispersion)."""
        return self._get("rate", lambda: self._gen(RATE).standard_normal((self.n, self.days)))

    def counts(self, mean: np.ndarray) -> np.ndarray:
        """Poisson numbers of candidate orders per worker-day (flat array)."""
        return self._gen(COUNT).poisson(mean)

    # order level -------------------------------------------------------------------------
    def order_uniform(self, stream: int, size: int) -> np.ndarray:
        key = ("u", stream)
        if key not in self._cache:
            self._cache[key] = self._gen(stream).random(size)
        return self._cache[key]

    def order_exponential(self, stream: int, size: int) -> np.ndarray:
        key = ("e", stream)
        if key not in self._cache:
            self._cache[key] = self._gen(stream).standard_exponential(size)
        return self._cache[key]

    def order_normal(self, stream: int, size: int) -> np.ndarray:
        key = ("z", stream)
        if key not in self._cache:
            self._cache[key] = self._gen(stream).standard_normal(size)
        return self._cache[key]
