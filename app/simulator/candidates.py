"""Candidate orders: a fixed superset of every package's orders, set by a reference package.

Orders are the points of a Poisson process of unit intensity on the plane (hours of online,
i.e. dispatchable, time × a mark in orders per hour): a package keeps the points that arrive
before its worker's online hours of the day are used and whose mark lies below its own rate
(thinning). Forced rests are outside online time, so they need no positions of their own. The
points are drawn in *layers* fixed by the reference package alone (the baseline of a comparison,
the base scenario of an analysis):

- layer 0: the cell [0, S0) × [0, R0) of every worker-day the reference works, where S0 is
  the reference's online hours (its desired span on days it does not work) and R0 its rate;
- layer 1: the same cell on the worker-days the reference does not work;
- one layer per cell (i, j) ≠ (0, 0) of the doubling grid: hours [2^(i−1)·S0, 2^i·S0) (cut at
  24 h) × rates [2^(j−1)·R0, 2^j·R0), cell 0 of an axis being [0, S0) or [0, R0).

A package draws on the layers it needs and no more, and every layer has its own random streams,
so a package's orders never depend on which other packages are evaluated with it: a baseline is
the same alone or in any comparison, and a proposal that raises the order rate or lengthens the
day sees the reference's orders plus new ones (common random numbers).

Within a worker-day the candidates are in order of arrival (layer 0 is drawn sorted, by
exponential spacings; combined layers are sorted), which the time budget of a day relies on.
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K
from app.simulator import sampling

MIN_SPAN = 0.25     # hours: lower bound of S0 so that layers can grow from it
MIN_RATE = 0.05     # orders per hour: lower bound of R0
MAX_LEVEL = 40
_LAYER_STREAMS = 32  # stream ids of layer L are stream + 32·L (layer 0 keeps the plain ids)


class _Layer:
    """Points of one layer: worker-day of each, arrival position and mark (possibly computed on
    first use), and lazily their per-order variates."""

    def __init__(self, draws, layer, wd, pos, mark, counts=None):
        self.draws, self.layer = draws, layer
        self._wd, self._pos, self._mark = wd, pos, mark
        self.counts = counts
        self.total = int(wd.size) if wd is not None else int(counts.sum())
        self.make_pos = self.make_mark = None
        self.make_part = {}  # attr → function of a worker-day mask: that attr on those days

    def part(self, attr, rows, sel):
        """``attr`` (``wd``, ``pos`` or ``mark``) of the points on the worker-days ``rows``
        (``sel``: those points), computed for them alone where the layer can."""
        if getattr(self, "_" + attr) is None and attr in self.make_part:
            return self.make_part[attr](rows)
        return getattr(self, attr)[sel]

    @property
    def wd(self):
        """Flat worker-day of each point (built from ``counts`` on first use)."""
        if self._wd is None:
            self._wd = np.repeat(np.arange(self.counts.size), self.counts)
        return self._wd

    @property
    def pos(self):
        if self._pos is None:
            self._pos = self.make_pos()
        return self._pos

    @property
    def mark(self):
        if self._mark is None:
            self._mark = self.make_mark()
        return self._mark

    def variate(self, kind, stream):
        fn = self.draws.order_uniform if kind == "u" else self.draws.order_normal
        return fn(stream if self.layer == 0 else stream + _LAYER_STREAMS * self.layer,
                  self.total)


class CandidateSet:
    """The candidates of the layers one package needs, in arrival order within worker-days.

    Offers the ``order_uniform`` / ``order_normal`` interface of
    :class:`~app.simulator.sampling.ChunkDraws` for the per-order variates of these candidates.
    """

    def __init__(self, layers, nwd, rows=None):
        """``rows``: a mask of worker-days to keep the candidates of (None: all); the others
        have none, and the kept ones are in the order the whole set has them."""
        self.layers = layers
        self.sel = None if rows is None else [
            np.repeat(rows, lay.counts) if lay.counts is not None else rows[lay.wd]
            for lay in layers]
        if len(layers) == 1 and rows is None:
            self.perm = None
            if layers[0].counts is not None:
                self.segments = K.Segments(layers[0].counts)
                self.total = self.segments.total
                self._cache = {}
                return
            wd = layers[0].wd
        else:
            self.rows = rows
            wd, pos = self._concat("wd"), self._concat("pos")
            self.perm = np.argsort(wd * 32.0 + pos, kind="stable")
            wd = wd[self.perm]
        self.segments = K.Segments(np.bincount(wd, minlength=nwd))
        self.total = self.segments.total
        self._cache = {}

    def _concat(self, attr, parts=None):
        """The layers' ``attr`` (or ``parts``, one array per layer) one after the other, on
        the set's worker-days."""
        if self.sel is None:
            return np.concatenate(parts or [getattr(lay, attr) for lay in self.layers])
        if parts is None:
            return np.concatenate([lay.part(attr, self.rows, m)
                                   for lay, m in zip(self.layers, self.sel)])
        return np.concatenate([p[m] for p, m in zip(parts, self.sel)])

    def _combined(self, attr):
        key = ("attr", attr)
        if key not in self._cache:
            self._cache[key] = getattr(self.layers[0], attr) if self.perm is None else \
                self._concat(attr)[self.perm]
        return self._cache[key]

    def positions(self):
        """Arrival instant of each candidate, hours from the start of the span."""
        return self._combined("pos")

    def marks(self):
        """Mark of each candidate, in orders per hour (kept when below the package's rate)."""
        return self._combined("mark")

    def _get(self, kind, stream):
        key = (kind, stream)
        if key not in self._cache:
            parts = [lay.variate(kind, stream) for lay in self.layers]
            x = parts[0] if self.perm is None else self._concat(None, parts)[self.perm]
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
        # The closures below capture arrays, not ``self``: no reference cycle keeps a chunk's
        # candidates alive after the chunk.
        d, nwd, s0, r0 = self.draws, self.nwd, self.S0, self.R0
        counts = d.counts(np.where(self.works0, s0 * r0, 0.0))
        total = int(counts.sum())
        layer = _Layer(d, 0, None, None, None, counts)

        def positions():
            # Sorted uniforms on [0, S0) by exponential spacings: the j-th of n points is
            # S0·(E_1 + … + E_j) ÷ (E_1 + … + E_{n+1}), the last spacing drawn per segment.
            e = d.order_exponential(sampling.POSITION, total)
            last = d.order_exponential(sampling.POSITION + _LAYER_STREAMS // 2, nwd)
            c = np.cumsum(e)
            ends = np.cumsum(counts)
            before = np.concatenate(([0.0], c))[ends - counts]
            den = np.concatenate(([0.0], c))[ends] - before + last
            c -= np.repeat(before, counts)
            c *= np.repeat(s0 / den, counts)
            return c

        layer.make_pos = positions
        layer.make_mark = lambda: d.order_uniform(sampling.MARK, total) * np.repeat(r0, counts)
        return layer

    def _cell(self, layer, mask, s_lo, s_hi, r_lo, r_hi):
        """Points of the cell [s_lo, s_hi) × [r_lo, r_hi) of each worker-day where ``mask``."""
        d = self.draws
        width = np.maximum(s_hi - s_lo, 0.0)
        counts, u_pos, u_mark = sampling.cell_draws(
            d.seed, d.chunk, sampling.COUNT + _LAYER_STREAMS * layer,
            np.where(mask, width * (r_hi - r_lo), 0.0))
        out = _Layer(d, layer, None, None, None, counts)
        r_width = r_hi - r_lo

        def spread(lo, w, u, rows=None):
            # lo + u·w per point; on the worker-days ``rows`` alone (the same numbers)
            if rows is None:
                return np.repeat(lo, counts) + u * np.repeat(w, counts)
            c = counts[rows]
            return np.repeat(lo[rows], c) + u[np.repeat(rows, counts)] * np.repeat(w[rows], c)

        out.make_pos = lambda: spread(s_lo, width, u_pos)
        out.make_mark = lambda: spread(r_lo, r_width, u_mark)
        out.make_part = {"wd": lambda rows: np.repeat(np.flatnonzero(rows), counts[rows]),
                         "pos": lambda rows: spread(s_lo, width, u_pos, rows),
                         "mark": lambda rows: spread(r_lo, r_width, u_mark, rows)}
        return out

    def _edges(self, base, i, cap=np.inf):
        lo = np.zeros_like(base) if i == 0 else np.minimum(base * 2.0 ** (i - 1), cap)
        return lo, np.minimum(base * 2.0 ** i, cap)

    def layer(self, key):
        """Layer 0, layer 1 (off days) or the cell ``(i, j)`` of the doubling grid."""
        if key not in self._layers:
            if key == 0:
                self._layers[key] = self._layer0()
            elif key == 1:
                zero = np.zeros(self.nwd)
                self._layers[key] = self._cell(1, ~self.works0, zero, self.S0, zero, self.R0)
            else:
                i, j = key
                s_lo, s_hi = self._edges(self.S0, i, 24.0)
                r_lo, r_hi = self._edges(self.R0, j)
                layer = 2 + i * (MAX_LEVEL + 1) + j
                self._layers[key] = self._cell(layer, np.ones(self.nwd, dtype=bool),
                                               s_lo, s_hi, r_lo, r_hi)
        return self._layers[key]

    # -- sets ---------------------------------------------------------------------------
    def level(self, span, rate, works):
        """(span level, rate level, off days) a package needs: the doubling-grid cells that
        cover its span and rate on every worker-day it works, and whether it works where the
        reference does not."""
        w = works.ravel()
        if not w.any():
            return 0, 0, False
        return (_doublings(float(np.max(span.ravel()[w] / self.S0[w]))),
                _doublings(float(np.max(rate.ravel()[w] / self.R0[w]))),
                bool(np.any(w & ~self.works0)))

    def has(self, span_level, rate_level, off_days) -> bool:
        """The whole candidate set of this level is made already."""
        return (span_level, rate_level, off_days) in self._sets

    def candidates(self, span_level, rate_level, off_days, rows=None) -> CandidateSet:
        """The candidate set of a level; with ``rows`` (a mask of worker-days) its candidates
        on those worker-days only (not cached)."""
        key = (span_level, rate_level, off_days)
        if key not in self._sets or rows is not None:
            ids = [0] + ([1] if off_days else [])
            ids += [(i, j) for i in range(span_level + 1) for j in range(rate_level + 1)
                    if (i, j) != (0, 0)]
            cand = CandidateSet([self.layer(k) for k in ids], self.nwd, rows)
            if rows is not None:
                return cand
            self._sets[key] = cand
        return self._sets[key]


def covers(level, other) -> bool:
    """The candidate set of ``level`` holds every layer of the set of ``other`` (levels as
    :meth:`CandidatePool.level` gives them)."""
    return level[0] >= other[0] and level[1] >= other[1] and level[2] >= other[2]


def _doublings(ratio: float) -> int:
    """The least k ≥ 0 with ratio ≤ 2^k (at most MAX_LEVEL)."""
    k = 0
    while k < MAX_LEVEL and ratio > 2.0 ** k:
        k += 1
    return k
