"""Many packages on one set of draws: the evaluator of the analyses (frontier, sensitivity,
solve-for).

``Batch(base, seed).results(scenarios)`` returns, for every scenario, the per-worker results of
``engine.simulate(scenario, seed=seed, reference=base)`` (the same numbers, to float rounding:
``tests/simulator/test_batch_exact.py``) at a fraction of the cost, by sharing work between
packages in three tiers:

1. **Draws and candidate orders** are drawn once per chunk of workers and shared by every
   package (the engine's :class:`~app.simulator.candidates.CandidatePool`, fixed by ``base``).
2. **Structure**: which candidate orders a package keeps (its day plan — hours, forced rest
   and offline, heat limits, dispatch rate — then thinning and the time budget of each day),
   their km and minutes, and the per-worker-day sufficient statistics of the kept orders (count,
   km, minutes, km beyond the included km, peak / night / late counts). Packages whose day plan
   (compared as arrays, so a weather probability that moves no day shares it), time-budget
   terms and order-level market inputs coincide share one structure: terms that change time or
   dispatch (hour limits, rates, market and workforce inputs) re-thin the cached candidate
   orders once per distinct structure.
3. **Money**, once per package: terms linear in the sufficient statistics (piece rates, fares
   and flat commission, bonuses, weather subsidies) are a dot product of the per-worker-day
   statistics with the package's coefficients; per-order non-linear terms (per-order floors, a
   per-order commission cap with a varying rate) take one vectorised pass over the cached arrays
   of kept orders; day- and month-level non-linear terms (daily penalty caps, hourly floors
   over their true-up period, the monthly commission cap) go through
   :func:`app.simulator.totals.worker_totals`, the engine's own code.

A result carries the per-worker arrays (``workers``) and the weather; not the per-condition
totals of :meth:`SimulationResult.to_dict` (analyses read per-worker measures only).
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict

import numpy as np

from app.simulator import engine, orders, sampling
from app.simulator import kernels as K
from app.simulator.candidates import CandidatePool
from app.simulator.metrics import SimulationResult, WorkerResults
from app.simulator.batch_money import money

#: Market inputs that set which orders are kept or their km, minutes and flags.
ORDER_MARKET = ("km_per_order_mean", "km_per_order_cv", "minutes_per_order_mean",
                "minutes_per_order_cv", "km_minutes_correlation", "batching_factor",
                "peak_share", "night_share", "late_probability", "late_probability_per_load")
#: Structures kept between calls on a one-chunk population (each holds its kept orders).
KEEP_STRUCTURES = 4


def _plan_key(s):
    """Everything :meth:`engine._Package.day_plan` reads, apart from the draws."""
    p, m = s.pay, s.market
    groups = tuple((g.days_per_month, g.hours_median, g.hours_sigma, g.dedicated)
                   for g in s.workforce.groups)
    return (groups, p.max_continuous_hours, p.rest_minutes, p.max_daily_hours,
            p.legal_heat_limits, p.max_orders_per_hour, p.min_orders_per_hour,
            tuple(m.weather_probabilities()), tuple(m.demand_factors()), m.orders_per_hour_mean,
            m.orders_overdispersion, m.worker_rate_sigma)


def _order_key(s):
    """The inputs besides the day plan that set the kept orders and their variates."""
    p, m = s.pay, s.market
    return (p.fatigue_order_hours, p.fatigue_stop_minutes, p.max_daily_order_hours,
            tuple(m.minutes_factors())) + tuple(getattr(m, k) for k in ORDER_MARKET)


class _Structure:
    """The orders one group of packages keeps on one chunk, and their statistics."""

    def __init__(self, pkg, pool, plan, codes):
        span, cap, online, rate, works = plan
        nw, days = online.shape
        m, pay = pkg.market, pkg.pay
        pkg.works = works
        cand, keep = engine.candidates_kept(pkg, pool, online, rate)
        cseg = cand.segments
        total = cseg.total
        mf_wd = np.broadcast_to(pkg.mfactor[codes][None, :], (nw, days)).ravel()
        # km and minutes of every candidate, as orders.order_sums draws them
        z1 = km = None
        if pkg.km_s > 0:
            z1 = cand.order_normal(sampling.KM, total)
            km = np.multiply(z1, pkg.km_s)
            km += pkg.km_mu
        if pkg.min_s > 0:
            z2 = cand.order_normal(sampling.MINUTES, total)
            rho = m.km_minutes_correlation
            if z1 is not None and rho > 0:
                bm = np.multiply(z2, pkg.min_s * np.sqrt(1.0 - rho * rho))
                bm += np.multiply(z1, pkg.min_s * rho)
            else:
                bm = np.multiply(z2, pkg.min_s)
            bm += pkg.min_mu
            np.exp(bm, out=bm)
        else:
            bm = np.float64(m.minutes_per_order_mean)
        km = np.exp(km, out=km) if km is not None else np.float64(m.km_per_order_mean)
        keep = orders.time_budget(pay, m, cseg, keep, bm, mf_wd, online.ravel())
        if keep is None:
            self.idx, self.n = None, cseg.counts.astype(np.float64)
            self.seg = cseg
        else:
            self.idx = np.flatnonzero(keep)
            self.n = cseg.count(keep)
            self.seg = K.Segments(self.n.astype(np.int64))
        self.cand, self.mf_wd, self.span, self.online = cand, mf_wd, span, online
        self.km = self._kept(km)               # per kept order (or a scalar)
        self.base_minutes = self._kept(bm)
        self.km_wd = self._sum(self.km)
        self.minutes_wd = self._sum(self.base_minutes) * mf_wd
        load = rate * (m.minutes_per_order_mean * mf_wd.reshape(nw, days)) / 60.0 \
            / m.batching_factor
        self.load = load.ravel()
        self.market = m  # of the structure's first package: read only its ORDER_MARKET inputs
        self._cache = {}

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
        fn = self.cand.order_uniform if kind == "u" else self.cand.order_normal
        return self._once((kind, stream),
                          lambda: self._kept(fn(stream, self.cand.segments.total)))

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

    # -- money of one package ----------------------------------------------------------
    def sums(self, pkg) -> dict:
        """The per-worker-day sums :func:`orders.order_sums` gives ``pkg`` on these orders."""
        pay, m = pkg.pay, pkg.market
        n, zeros = self.n, np.zeros(self.n.size)
        out = {"orders": n, "km": self.km_wd, "minutes": self.minutes_wd}
        floor_on = pay.has_per_order_floor
        varying = m.commission_rate_sd > 0 and pay.commission_rate > 0 and m.has_fares
        if floor_on or varying:
            out.update(self._per_order(pkg, floor_on, varying))
        else:
            # linear in the sufficient statistics: (n, minutes, km beyond included, km) · terms
            stats = [n, self.minutes_wd]
            coef = [pay.base_per_order, pay.per_engaged_minute]
            if pay.per_km:
                stats.append(self.excess_km(pay.included_km))
                coef.append(pay.per_km)
            piece = np.dot(np.asarray(coef), np.vstack(stats)) if len(stats) > 2 else \
                pay.base_per_order * n + pay.per_engaged_minute * self.minutes_wd
            if m.has_fares:
                fares = m.fare_base * n + m.fare_per_km * self.km_wd \
                    + m.fare_per_minute * self.minutes_wd
                commission = min(pay.commission_rate, pay.commission_cap_per_order) * fares
            else:
                fares = commission = zeros
            out.update(fares=fares, commission=commission,
                       driver_pay=piece + fares - commission, order_topup=zeros)
        if pay.peak_bonus_per_order > 0 or pay.night_bonus_per_order > 0:
            out["peak"], out["night"] = self.flags()
        else:
            out["peak"] = out["night"] = zeros
        out["late"] = self.late() if pay.late_penalty_per_order > 0 \
            and pay.penalty_cap_per_day > 0 else zeros
        return out

    def _per_order(self, pkg, floor_on, varying):
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


class _Chunk:
    """Draws, candidate pool and cached day plans and structures of one chunk of workers."""

    def __init__(self, batch, index, start, stop):
        self.g = batch.g_all[start:stop]
        self.draws = sampling.ChunkDraws(batch.seed, index, stop - start, batch.days)
        ref = engine._Package(batch.base)
        rplan = ref.day_plan(self.draws, self.g, batch.ref_codes)
        self.pool = CandidatePool(self.draws, np.where(ref.works, rplan[2], ref.desired),
                                  rplan[3], ref.works)
        self.plans = {}        # plan key → digest
        self.by_digest = {}    # digest → plan arrays
        self.structures = OrderedDict()

    def plan(self, pkg, key, codes):
        if key not in self.plans:
            span, cap, online, rate = pkg.day_plan(self.draws, self.g, codes)
            h = hashlib.blake2b(digest_size=16)
            for a in (codes, span, online, rate, pkg.works):
                h.update(np.ascontiguousarray(a).tobytes())
            digest = h.hexdigest()
            self.plans[key] = digest
            self.by_digest.setdefault(digest, (span, cap, online, rate, pkg.works))
        digest = self.plans[key]
        return digest, self.by_digest[digest]

    def structure(self, key, pkg, plan, codes):
        if key in self.structures:
            self.structures.move_to_end(key)
        else:
            self.structures[key] = _Structure(pkg, self.pool, plan, codes)
        return self.structures[key]

    def forget(self, keep: int):
        while len(self.structures) > keep:
            self.structures.popitem(last=False)


class Batch:
    """Evaluate packages against ``base`` on the draws of ``seed`` (see the module doc).

    On a population of one chunk (:data:`engine.CHUNK_WORKERS` workers or fewer) the draws and
    the last few structures are kept between calls, so the repeated single evaluations of root
    finding reuse them; larger populations are drawn again on each call, chunk by chunk.
    """

    def __init__(self, base, seed):
        self.base, self.seed = base, sampling.root_seed(seed)
        wf = base.workforce
        self.n, self.days = wf.n_workers, wf.days
        self.g_all = engine.group_index(wf)
        self.ref_codes = engine.weather_codes(base.market, self.seed, self.days)
        self.bounds = [(i, a, min(self.n, a + engine.CHUNK_WORKERS))
                       for i, a in enumerate(range(0, self.n, engine.CHUNK_WORKERS))]
        self._chunk = None
        self._codes = {}

    def _weather(self, market):
        key = tuple(market.weather_probabilities())
        if key not in self._codes:
            self._codes[key] = engine.weather_codes(market, self.seed, self.days)
        return self._codes[key]

    def results(self, scenarios, progress=None) -> list:
        """One :class:`SimulationResult` (per-worker arrays) for each of ``scenarios``."""
        scenarios = list(scenarios)
        engine._check_compatible([self.base] + scenarios)
        pkgs = [engine._Package(s) for s in scenarios]
        codes = [self._weather(s.market) for s in scenarios]
        pkeys = [_plan_key(s) for s in scenarios]
        okeys = [_order_key(s) for s in scenarios]
        parts = [[] for _ in scenarios]
        steps, done = max(1, len(self.bounds) * len(scenarios)), 0
        for index, start, stop in self.bounds:
            one = len(self.bounds) == 1
            chunk = self._chunk if one and self._chunk is not None else \
                _Chunk(self, index, start, stop)
            if one:
                self._chunk = chunk
            # plans first, then packages grouped by structure (one structure alive at a time
            # beyond the few kept)
            skeys = []
            for pkg, pk, ok, c in zip(pkgs, pkeys, okeys, codes):
                digest, plan = chunk.plan(pkg, pk, c)
                skeys.append((digest, ok))
            order = sorted(range(len(scenarios)), key=lambda i: (skeys[i] not in
                                                                 chunk.structures, skeys[i]))
            for i in order:
                pkg, c = pkgs[i], codes[i]
                digest, plan = chunk.plan(pkg, pkeys[i], c)
                st = chunk.structure(skeys[i], pkg, plan, c)
                w = money(pkg, st, chunk.g, c)
                parts[i].append(w)
                chunk.forget(KEEP_STRUCTURES)
                done += 1
                if progress is not None:
                    progress(done / steps)
            if not one:
                chunk.forget(0)
        out = []
        for s, c, p in zip(scenarios, codes, parts):
            arrays = {k: np.concatenate([x[k] for x in p]) for k in p[0]}
            workers = WorkerResults.build(arrays, self.g_all, s)
            out.append(SimulationResult(scenario=s, seed=self.seed, workers=workers,
                                        weather=c, by_condition=None))
        return out

    def result(self, scenario):
        return self.results([scenario])[0]
