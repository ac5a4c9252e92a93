"""Candidate orders: a fixed superset of every package's orders, set by a reference package.

Orders are the points of a Poisson process of unit intensity on the plane (hours into the
logged-in span × a mark in orders per hour): a package keeps the points that arrive while its
worker is dispatchable and whose mark lies below its own rate (thinning). The points are drawn in
*layers* fixed by the reference package alone (the baseline of a comparison, the base scenario of
an analysis):

- layer 0: the rectangle [0, S0) × [0, R0) of every worker-day the reference works, where S0 is
  the reference's desired span and R0 its rate on that worker-day;
- layer 1: the same rectangle on the worker-days the reference does not work;
- layer 1 + j (j ≥ 1): the L-shaped band between rectangles j − 1 and j, rectangle j being
  [0, min(2^j·S0, 24)) × [0, 2^j·R0).

A package draws on the layers it needs and no more, and every layer has its own random streams,
so a package's orders never depend on which other packages are evaluated with it: a baseline is
the same alone or in any comparison, and a proposal that raises the order rate or lengthens the
day sees the reference's orders plus new ones (common random numbers).

Within a worker-day the candidates are in order of arrival (layer 0 is drawn sorted, by
exponential spacings; combined layers are sorted), which the time budget of a day relies on.
"""
from __future__ import annotations

import math

import numpy as np

from app.simulator import kernels as K
from app.simulator import sampling

MIN_SPAN = 0.25     # hours: lower bound of S0 so that layers can grow from it
MIN_RATE = 0.05     # orders per hour: lower bound of R0
MAX_LEVEL = 40
_LAYER_STREAMS = 32  # stream ids of layer L are stream + 32·L (layer 0 keeps the plain ids)


class _Layer:
    """Points of one layer: worker-day of each, arrival position and mark, and lazily their
    per-order variates."""

    def __init__(self, draws, layer, wd, pos, mark):
        self.draws, self.layer = draws, layer
        self.wd, self.pos, self.mark = wd, pos, mark
        self.total = int(wd.size)

    def variate(self, kind, stream):
        if self.layer == 0:
            fn = self.draws.order_uniform if kind == "u" else self.draws.order_normal
            return fn(stream, self.total)
        fn = self.draws.order_uniform if kind == "u" else self.draws.order_normal
        return fn(stream + _LAYER_STREAMS * self.layer, self.total)


class CandidateSet:
    """The candidates of the layers one package needs, in arrival order within worker-days.

    Offers the ``order_uniform`` / ``order_normal`` interface of
    :class:`~app.simulator.sampling.ChunkDraws` for the per-order variates of these candidates.
    """

    def __init__(self, layers, nwd):
        self.layers = layers
        if len(layers) == 1:
            only = layers[0]
            self.perm = None
            wd, self._pos, self._mark = only.wd, only.pos, only.mark
        else:
            wd = np.concatenate([lay.wd for lay in layers])
            pos = np.concatenate([lay.pos for lay in layers])
            self.perm = np.argsort(wd * 32.0 + pos, kind="stable")
            wd, self._pos = wd[self.perm], pos[self.perm]
            self._mark = np.concatenate([lay.mark for lay in layers])[self.perm]
        self.segments = K.Segments(np.bincount(wd, minlength=nwd))
        self.total = self.segments.total
        self._cache = {}

    def positions(self):
        """Arrival instant of each candidate, hours from the start of the span."""
        return self._pos

    def marks(self):
        """Mark of each candidate, in orders per hour (kept when below the package's rate)."""
        return self._mark

    def _get(self, kind, stream):
        key = (kind, stream)
        if key not in self._cache:
            parts = [lay.variate(kind, stream) for lay in self.layers]
            x = parts[0] if self.perm is None else np.concatenate(parts)[self.perm]
            self._cache[key] = x
        return self._cache[key]

    def order_uniform(self, stream, size):
        return self._get("u", stream)

    def order_normal(self, stream, size):
        return self._get("z", stream)


class CandidatePool:
    """All layers of one chunk, fixed by the reference package's plan (see the module doc)."""

    def __init__(self, draws, span0, rate0, works0):
        self.draws = draws
        self.nw, self.days = span0.shape
        self.nwd = span0.size
        self.S0 = np.maximum(span0, MIN_SPAN).ravel()
        self.R0 = np.maximum(rate0, MIN_RATE).ravel()
        self.works0 = works0.ravel()
        self._layers = {}
        self._sets = {}

    # -- layers -------------------------------------------------------------------------
    def _layer0(self):
        d = self.draws
        mean = np.where(self.works0, self.S0 * self.R0, 0.0)
        counts = d.counts(mean)
        seg = K.Segments(counts)
        wd = np.repeat(np.arange(self.nwd), counts)
        pos = None
        if seg.total:
            # Sorted uniforms on [0, S0) by exponential spacings: one extra spacing per segment.
            e = d.order_exponential(sampling.POSITION, seg.total + self.nwd)
            c = np.cumsum(e)
            ends = np.cumsum(counts + 1) - 1          # index of each segment's extra spacing
            prev = np.concatenate(([0.0], c[ends[:-1]]))
            inner = np.ones(e.size, dtype=bool)
            inner[ends] = False
            local = c[inner] - np.repeat(prev, counts)
            den = c[ends] - prev
            pos = local * np.repeat(self.S0 / np.where(den > 0, den, 1.0), counts)
            u = d.order_uniform(sampling.MARK, seg.total)
            mark = u * np.repeat(self.R0, counts)
        else:
            pos = mark = np.zeros(0)
        return _Layer(d, 0, wd, pos, mark)

    def _band(self, layer, mask, s_lo, r_lo, s_hi, r_hi):
        """Points of rectangle [0, s_hi) × [0, r_hi) outside [0, s_lo) × [0, r_lo) on ``mask``."""
        d = self.draws
        gen = sampling.generator(d.seed, d.chunk, sampling.COUNT + _LAYER_STREAMS * layer)
        counts = gen.poisson(np.where(mask, s_hi * r_hi, 0.0))
        total = int(counts.sum())
        wd = np.repeat(np.arange(self.nwd), counts)
        pos = gen.random(total) * np.repeat(s_hi, counts)
        mark = gen.random(total) * np.repeat(r_hi, counts)
        out = ~((pos < np.repeat(s_lo, counts)) & (mark < np.repeat(r_lo, counts)))
        return _Layer(d, layer, wd[out], pos[out], mark[out])

    def _rect(self, j):
        return np.minimum(self.S0 * 2.0 ** j, 24.0), self.R0 * 2.0 ** j

    def layer(self, i):
        if i not in self._layers:
            if i == 0:
                self._layers[i] = self._layer0()
            elif i == 1:
                zero = np.zeros(self.nwd)
                self._layers[i] = self._band(1, ~self.works0, zero, zero, self.S0, self.R0)
            else:
                j = i - 1
                (s_lo, r_lo), (s_hi, r_hi) = self._rect(j - 1), self._rect(j)
                self._layers[i] = self._band(i, np.ones(self.nwd, dtype=bool), s_lo, r_lo,
                                             s_hi, r_hi)
        return self._layers[i]

    # -- sets ---------------------------------------------------------------------------
    def level(self, span, rate, works):
        """(level, off-days) a package needs: the rectangle index that covers its span and rate
        on every worker-day it works, and whether it works where the reference does not."""
        w = works.ravel()
        if not w.any():
            return 0, False
        ratio = max(float(np.max(span.ravel()[w] / self.S0[w])),
                    float(np.max(rate.ravel()[w] / self.R0[w])))
        level = 0 if ratio <= 1.0 else min(MAX_LEVEL, math.ceil(math.log2(ratio) - 1e-12))
        while level < MAX_LEVEL and ratio > 2.0 ** level:
            level += 1
        return level, bool(np.any(w & ~self.works0))

    def candidates(self, level, off_days) -> CandidateSet:
        key = (level, off_days)
        if key not in self._sets:
            ids = [0] + ([1] if off_days else []) + [1 + j for j in range(1, level + 1)]
            self._sets[key] = CandidateSet([self.layer(i) for i in ids], self.nwd)
        return self._sets[key]
