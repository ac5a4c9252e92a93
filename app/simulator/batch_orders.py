"""The kept orders of a structure of the batched evaluator, on all or some worker-days.

:class:`KeptOrders` applies the time budget of each day to the candidates a package keeps before
it (:func:`app.simulator.engine.candidates_kept`), as :func:`app.simulator.orders.order_sums`
does, and sums the kept orders per worker-day: count, km, minutes, km beyond the included km,
peak / night / late counts, and the per-order money of per-order floors and capped varying
commissions. On a subset of worker-days (``rows``) it works on the candidates of those days only:
a package whose day plan differs from a cached one on a few worker-days (one group's hours, the
rain days' demand) re-thins only those.
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K
from app.simulator import orders, sampling

#: Pay terms that change which orders are kept (time limits, dispatch): packages that differ in
#: one of them re-thin the candidate orders (``batch._plan_key``, ``batch._order_key``); every
#: other pay term is money on the kept orders, nearly free per package.
RETHINNING_PAY_TERMS = frozenset((
    "max_continuous_hours", "rest_minutes", "max_daily_hours", "legal_heat_limits",
    "max_orders_per_hour", "min_orders_per_hour", "fatigue_order_hours", "fatigue_stop_minutes",
    "max_daily_order_hours"))


def candidate_km(cand, pkg):
    """Km of every candidate of ``cand`` as ``order_sums`` draws it (an array, or a scalar
    when the distribution has no spread)."""
    if pkg.km_s > 0:
        km = np.multiply(cand.order_normal(sampling.KM, cand.segments.total), pkg.km_s)
        km += pkg.km_mu
        return np.exp(km, out=km)
    return np.float64(pkg.market.km_per_order_mean)


def candidate_minutes(cand, pkg):
    """Base minutes of every candidate of ``cand`` as ``order_sums`` draws them (an array, or
    a scalar when the distribution has no spread)."""
    m, total = pkg.market, cand.segments.total
    if pkg.min_s > 0:
        z2 = cand.order_normal(sampling.MINUTES, total)
        rho = m.km_minutes_correlation
        if pkg.km_s > 0 and rho > 0:
            bm = np.multiply(z2, pkg.min_s * np.sqrt(1.0 - rho * rho))
            bm += np.multiply(cand.order_normal(sampling.KM, total), pkg.min_s * rho)
        else:
            bm = np.multiply(z2, pkg.min_s)
        bm += pkg.min_mu
        return np.exp(bm, out=bm)
    return np.float64(m.minutes_per_order_mean)


def candidate_variates(cand, pkg):
    """(km, base minutes) of every candidate of ``cand`` (:func:`candidate_km`,
    :func:`candidate_minutes`)."""
    return candidate_km(cand, pkg), candidate_minutes(cand, pkg)


class KeptOrders:
    """Kept orders of the worker-days ``rows`` (a boolean mask, or None for all)."""

    def __init__(self, pkg, cand, keep0, variates, mf_wd, budget, load, rows=None, rate=None):
        """``keep0``: the candidates kept before the time budget, over all worker-days (a mask,
        or its (indices, :class:`~app.simulator.kernels.Segments`)); with ``rows`` it is
        worked out here on those rows alone (thinning by ``rate``)."""
        cseg = cand.segments
        km, bm = variates
        self.cand, self.market = cand, pkg.market
        if rows is None:
            self.cidx, seg = None, cseg
        else:
            self.cidx = np.flatnonzero(cseg.repeat(rows))
            seg = K.Segments(cseg.counts[rows])
            km, bm = self._sub(km), self._sub(bm)
            mf_wd, budget, load = mf_wd[rows], budget[rows], load[rows]
            # both tests on every candidate of the rows: where candidates_kept skips one, it
            # holds for every candidate (positions < S0 ≤ online, marks < R0 ≤ rate)
            keep0 = self._sub(cand.positions()) < seg.repeat(budget)
            keep0 &= self._sub(cand.marks()) < seg.repeat(rate.ravel()[rows])
        if keep0 is None:
            keep = orders.time_budget(pkg.pay, pkg.market, seg, None, bm, mf_wd, budget)
            if keep is None:
                self.idx, self.n, self.seg = None, seg.counts.astype(np.float64), seg
            else:
                self.idx = np.flatnonzero(keep)
                self.n = seg.count(keep)
                self.seg = K.Segments(self.n.astype(np.int64))
        else:
            # the time budget on the candidates kept before it only: its running sums are
            # those over all candidates with the others as zeros (adding 0.0 is exact)
            idx0, seg0 = keep0 if isinstance(keep0, tuple) else (
                np.flatnonzero(keep0), K.Segments(seg.count(keep0).astype(np.int64)))
            fits = orders.time_budget(pkg.pay, pkg.market, seg0, None,
                                      bm if np.ndim(bm) == 0 else bm[idx0], mf_wd, budget)
            self.idx = idx0 if fits is None else idx0[fits]
            self.n = seg0.counts.astype(np.float64) if fits is None else seg0.count(fits)
            self.seg = seg0 if fits is None else K.Segments(self.n.astype(np.int64))
        self.mf_wd, self.load = mf_wd, load
        self.km = self._kept(km)               # per kept order (or a scalar)
        self.base_minutes = self._kept(bm)
        self.km_wd = self._sum(self.km)
        self.minutes_wd = self._sum(self.base_minutes) * mf_wd
        self._cache = {}

    def sibling(self, market, km):
        """The same kept orders under another ``market`` whose inputs differ only in those
        that do not choose orders (km, peak / night shares, late probabilities), with the
        candidates' ``km`` (None: the same km): shares the kept orders, minutes and
        variates."""
        out = object.__new__(KeptOrders)
        out.__dict__.update(self.__dict__)
        out.market = market
        out._cache = {k: v for k, v in self._cache.items()
                      if k == "minutes" or (isinstance(k, tuple) and k[0] in ("u", "z"))}
        if km is not None:
            out.km = out._kept(km if self.cidx is None else out._sub(km))
            out.km_wd = out._sum(out.km)
        return out

    def _sub(self, x):
        return x if np.ndim(x) == 0 else x[self.cidx]

    def _kept(self, x):
        return x if np.ndim(x) == 0 or self.idx is None else x[self.idx]

    def _sum(self, x):
        return self.n * float(x) if np.ndim(x) == 0 else self.seg.sum(x)

    def _once(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def minutes(self):
        """Minutes of each kept order (weather factor applied)."""
        return self._once("minutes", lambda: self.base_minutes * self.seg.repeat(self.mf_wd))

    def variate(self, kind, stream):
        def make():
            cand = self.cand
            fn = cand.order_uniform if kind == "u" else cand.order_normal
            x = fn(stream, cand.segments.total)
            return self._kept(x if self.cidx is None else x[self.cidx])
        return self._once((kind, stream), make)

    def excess_km(self, included):
        """Km beyond ``included`` summed per worker-day."""
        def make():
            if np.ndim(self.km) == 0:
                return self.n * max(float(self.km) - included, 0.0)
            return self.seg.sum(np.maximum(self.km - included, 0.0))
        return self._once(("excess", included), make)

    def flags(self):
        """Peak and night orders per worker-day (one uniform: low peak, high night)."""
        def make():
            m, zeros = self.market, np.zeros(self.n.size)
            u = self.variate("u", sampling.FLAG)
            peak = self.seg.count(u < m.peak_share) if m.peak_share > 0 else zeros
            night = self.seg.count(u >= 1.0 - m.night_share) if m.night_share > 0 else zeros
            return peak, night
        return self._once("flags", make)

    def late(self):
        def make():
            m = self.market
            u = self.variate("u", sampling.LATE)
            p = K.late_probability(m.late_probability, m.late_probability_per_load, self.load)
            return self.seg.count(u < self.seg.repeat(p))
        return self._once("late", make)

    def per_order(self, pkg, floor_on, varying) -> dict:
        """Per-worker-day sums of the per-order money of ``pkg`` (``order_sums``' exact path)."""
        pay, m = pkg.pay, pkg.market
        km, minutes, seg = self.km, self.minutes(), self.seg
        size = seg.total
        piece = K.piece_pay(km, minutes, pay.base_per_order, pay.per_km, pay.included_km,
                            pay.per_engaged_minute)
        out = {"driver_pay": seg.sum(np.broadcast_to(piece, size))}
        zeros = np.zeros(self.n.size)
        fares = commission = 0.0
        if m.has_fares:
            fares = K.fare(km, minutes, m.fare_base, m.fare_per_km, m.fare_per_minute)
            rate = pay.commission_rate
            if varying:
                z = self.variate("z", sampling.COMM)
                rate = np.clip(rate + m.commission_rate_sd * z, 0.0, 1.0)
            commission = K.capped_commission(fares, rate, pay.commission_cap_per_order)
            out["fares"] = seg.sum(np.broadcast_to(fares, size))
            out["commission"] = seg.sum(np.broadcast_to(commission, size))
        else:
            out["fares"] = out["commission"] = zeros
        out["driver_pay"] = out["driver_pay"] + out["fares"] - out["commission"]
        if floor_on:
            topup = K.per_offer_floor(piece + fares - commission, minutes, km,
                                      pay.per_order_minimum, pay.floor_per_minute,
                                      pay.floor_per_km)
            out["order_topup"] = seg.sum(np.broadcast_to(topup, size))
        else:
            out["order_topup"] = zeros
        return out
