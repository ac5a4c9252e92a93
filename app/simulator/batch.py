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
   orders once per distinct structure. Packages that differ only in market inputs that do not
   choose orders (km, peak / night shares, late probabilities) share the kept orders of a
   cached structure (a *sibling*: only km, flags and late orders are worked out again); the
   candidates a day plan keeps before the time budget are found once per plan, and the time
   budget runs on those only. A package that needs more candidate layers than a cached
   structure (longer days, a higher rate, more working days) re-thins only the worker-days
   where its plan differs from that structure's, on the candidates of those worker-days only:
   elsewhere the extra layers' candidates lie beyond its online hours or above its rate, so it
   keeps the same orders.
3. **Money**, once per package: terms linear in the sufficient statistics (piece rates, fares
   and flat commission, bonuses, weather subsidies) are a dot product of the per-worker-day
   statistics with the package's coefficients; per-order non-linear terms (per-order floors, a
   per-order commission cap with a varying rate) take one vectorised pass over the cached arrays
   of kept orders; day- and month-level non-linear terms (daily penalty caps, hourly floors
   over their true-up period, the monthly commission cap) go through
   :func:`app.simulator.totals.worker_totals`, the engine's own code.

``results(..., processes=2)`` splits the packages of a one-chunk population over this process
and a forked one (:mod:`app.simulator.batch_parallel`).

A result carries the per-worker arrays (``workers``) and the weather; not the per-condition
totals of :meth:`SimulationResult.to_dict` (analyses read per-worker measures only).
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np

from app.simulator import batch_parallel, engine, sampling
from app.simulator import kernels as K
from app.simulator.batch_orders import candidate_km, candidate_minutes
from app.simulator.candidates import CandidatePool, covers
from app.simulator.metrics import SimulationResult, WorkerResults
from app.simulator.batch_money import money
from app.simulator.batch_structure import Structure as _Structure

#: Market inputs that set which orders are kept or their km, minutes and flags.
ORDER_MARKET = ("km_per_order_mean", "km_per_order_cv", "minutes_per_order_mean",
                "minutes_per_order_cv", "km_minutes_correlation", "batching_factor",
                "peak_share", "night_share", "late_probability", "late_probability_per_load")
#: Structures kept between calls on a one-chunk population (each holds its kept orders).
KEEP_STRUCTURES = 4
KEEP_VARIATES = 3
#: Positions in :func:`_order_key` of the market inputs that do not choose which orders are
#: kept (km, peak / night shares, late probabilities): packages differing only in them share
#: the kept orders (:meth:`_Structure.sibling`).
_NOT_KEPT = frozenset(3 + ORDER_MARKET.index(k) for k in (
    "km_per_order_mean", "km_per_order_cv", "peak_share", "night_share", "late_probability",
    "late_probability_per_load"))


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
    return (p.fatigue_order_hours, p.fatigue_stop_minutes, p.max_daily_order_hours) \
        + tuple(getattr(m, k) for k in ORDER_MARKET)


def _kept_key(skey):
    """A structure key without the inputs that do not choose the kept orders."""
    digest, okey, mf = skey
    return digest, tuple(v for i, v in enumerate(okey) if i not in _NOT_KEPT), mf


def _parent(parents, key, level, plan, mf_wd):
    """The cached structure with the same order inputs, on these candidates or on fewer layers,
    whose day plan (or weather minutes factors) differs on the fewest worker-days, at most half
    of them, and those worker-days (a mask); or (None, None). The package keeps the parent's
    orders elsewhere: the candidates of layers the parent lacks lie beyond its online hours or
    above its rate there."""
    _span, _cap, online, rate, works = plan
    parent = rows = None
    for k, p in parents:
        if k[1] == key[1] and p.parent is None and covers(level, p.level):
            differ = ((online != p.online) | (rate != p.rate) | (works != p.works)).ravel() \
                | (mf_wd != p.mf_wd)
            if differ.mean() <= 0.5 and (parent is None or differ.mean() < rows.mean()):
                parent, rows = p, differ
    return parent, rows


class _Chunk:
    """Draws, candidate pool and cached day plans and structures of one chunk of workers."""

    def __init__(self, batch, index, start, stop):
        self.g = batch.g_all[start:stop]
        self.draws = sampling.ChunkDraws(batch.seed, index, stop - start, batch.days)
        ref = engine._Package(batch.base)
        rplan = ref.day_plan(self.draws, self.g, batch.ref_codes)
        self.pool = CandidatePool(self.draws, np.where(ref.works, rplan[2], ref.desired),
                                  rplan[3], ref.works)
        self.plans = {}        # plan key → digest (a number per distinct day plan)
        self.by_digest = {}    # digest → plan arrays
        self.arrays = {}       # digest → the arrays that tell plans apart
        self.by_fp = {}        # sums of those arrays → digests
        self.structures = OrderedDict()
        self.levels = {}       # plan digest → candidate level (pool.level)
        self.thinned = OrderedDict()  # plan digest → candidates kept before the time budget
        self.km_variates = OrderedDict()   # candidates' km, the last few kept
        self.min_variates = OrderedDict()  # candidates' base minutes, the last few kept
        self.first = None      # (key, structure) of the first structure: a parent for others
        self.row_sets = []     # (level, worker-days, candidates on those days only), the last few

    def plan(self, pkg, key, codes):
        if key not in self.plans:
            span, cap, online, rate = pkg.day_plan(self.draws, self.g, codes)
            arrays = (codes, span, online, rate, pkg.works)
            # plans are told apart by cheap sums, then compared whole
            fp = tuple((a.shape, float(np.sum(a))) for a in arrays)
            same = [d for d in self.by_fp.get(fp, ()) if all(
                np.array_equal(a, b) for a, b in zip(arrays, self.arrays[d]))]
            if same:
                digest = same[0]
            else:
                digest = len(self.arrays)
                self.arrays[digest] = arrays
                self.by_fp.setdefault(fp, []).append(digest)
                self.by_digest[digest] = (span, cap, online, rate, pkg.works)
            self.plans[key] = digest
        digest = self.plans[key]
        return digest, self.by_digest[digest]

    def pool_level(self, digest, plan):
        """The candidate level (``pool.level``) of the day plan ``digest`` (``plan``: its
        arrays, or None to look them up)."""
        if digest not in self.levels:
            _span, _cap, online, rate, works = plan or self.by_digest[digest]
            self.levels[digest] = self.pool.level(online, rate, works)
        return self.levels[digest]

    def _thinned(self, digest, pkg, online, rate, level):
        """The candidates a day plan keeps before the time budget (``engine.candidates_kept``)
        as (indices, segments), or None for all; the last few kept by plan."""
        if digest not in self.thinned:
            while len(self.thinned) >= KEEP_VARIATES:
                self.thinned.popitem(last=False)
            _c, keep0 = engine.candidates_kept(pkg, self.pool, online, rate, level=level)
            self.thinned[digest] = None if keep0 is None else (
                np.flatnonzero(keep0),
                K.Segments(_c.segments.count(keep0).astype(np.int64)))
        self.thinned.move_to_end(digest)
        return self.thinned[digest]

    def _row_candidates(self, level, rows):
        """The candidates of ``level`` on the worker-days ``rows`` at least: the whole set if
        it is made already, a set on a superset of them made for another package, or a new one
        on those worker-days and, where that adds little, every day the reference works of the
        workers they touch (so that the packages moving one group up and down share it); the
        last few kept."""
        if self.pool.has(*level):
            return self.pool.candidates(*level)
        for n, (lv, mask, cand) in enumerate(self.row_sets):
            if lv == level and not np.any(rows & ~mask):
                self.row_sets.append(self.row_sets.pop(n))
                return cand
        touched = rows.reshape(self.pool.nw, -1).any(axis=1)
        mask = rows | (self.pool.works0 & np.repeat(touched, self.pool.days))
        if mask.sum() > 1.25 * rows.sum():
            mask = rows
        cand = self.pool.candidates(*level, rows=mask)
        self.row_sets = self.row_sets[-(KEEP_VARIATES - 1):] + [(level, mask, cand)]
        return cand

    def _variates(self, cache, vkey, make):
        if vkey not in cache:
            while len(cache) >= KEEP_VARIATES:
                cache.popitem(last=False)
            cache[vkey] = make()
        cache.move_to_end(vkey)
        return cache[vkey]

    def structure(self, key, pkg, plan, codes):
        if key in self.structures:
            self.structures.move_to_end(key)
            return self.structures[key]
        span, cap, online, rate, works = plan
        pkg.works = works
        level = self.pool_level(key[0], plan)
        parents = ([self.first] if self.first else []) + list(self.structures.items())
        kept = _kept_key(key)
        twin = any(p.parent is None and p.level == level and _kept_key(k) == kept
                   for k, p in parents)
        mf_wd = np.broadcast_to(pkg.mfactor[codes][None, :], online.shape).ravel()
        parent, rows = (None, None) if twin else _parent(parents, key, level, plan, mf_wd)
        # the worker-days to re-thin need layers the parent lacks: their candidates only
        wider = parent is not None and parent.level != level
        cand = self._row_candidates(level, rows) if wider else self.pool.candidates(*level)
        m = pkg.market
        # (keyed by the set itself, which the key keeps alive: an id could be reused)
        km = self._variates(self.km_variates, (cand, pkg.km_mu, pkg.km_s, m.km_per_order_mean),
                            lambda: candidate_km(cand, pkg))
        bm = self._variates(self.min_variates, (cand, pkg.km_s > 0, pkg.min_mu, pkg.min_s,
                                                m.km_minutes_correlation,
                                                m.minutes_per_order_mean),
                            lambda: candidate_minutes(cand, pkg))
        variates = km, bm
        if not wider:
            # a cached structure that keeps the same orders (same day plan, candidates, minutes
            # and inputs that choose orders): only km, flags and late orders are worked out again
            for k, p in parents:
                if p.parent is None and p.cand is cand and p.bm_all is bm \
                        and _kept_key(k) == kept:
                    st = p.sibling(pkg, km)
                    self.structures[key] = st
                    return st
            if twin:
                parent, rows = _parent(parents, key, level, plan, mf_wd)
        keep0 = None
        if parent is None:
            keep0 = self._thinned(key[0], pkg, online, rate, level)
        st = _Structure(pkg, plan, codes, cand, keep0, variates, parent, rows)
        st.level = level
        if self.first is None:
            self.first = (key, st)
        self.structures[key] = st
        return st

    def forget(self, keep: int):
        while len(self.structures) > keep:
            self.structures.popitem(last=False)


class _Job:
    """The packages of one :meth:`Batch.results` call and their keys."""

    def __init__(self, batch, scenarios):
        self.batch = batch
        self.pkgs = [engine._Package(s) for s in scenarios]
        self.codes = [batch._weather(s.market) for s in scenarios]
        self.pkeys = [_plan_key(s) for s in scenarios]
        self.okeys = [_order_key(s) for s in scenarios]
        base = engine._Package(batch.base)
        self.bpkg, self.bkey = base, _plan_key(batch.base)
        self.bmf = tuple(base.mfactor[batch.ref_codes])

    def skeys(self, chunk):
        out = []
        for pkg, pk, ok, c in zip(self.pkgs, self.pkeys, self.okeys, self.codes):
            digest, _plan = chunk.plan(pkg, pk, c)
            out.append((digest, ok, tuple(pkg.mfactor[c])))
        return out

    def base_key(self, chunk):
        bd, _ = chunk.plan(self.bpkg, self.bkey, self.batch.ref_codes)
        return (bd, _order_key(self.batch.base), self.bmf)

    def order(self, chunk):
        """Package indices, those with a cached structure first, then the base's (the parent
        the others re-thin a few days of), then by candidate set and grouped by structure
        (one structure alive at a time beyond the few kept)."""
        skeys, bkey = self.skeys(chunk), self.base_key(chunk)
        return sorted(range(len(skeys)), key=lambda i: (
            skeys[i] not in chunk.structures, skeys[i] != bkey,
            chunk.pool_level(skeys[i][0], None), skeys[i]))

    def run(self, chunk, order, step) -> dict:
        """Per-worker totals of the packages ``order`` on ``chunk``, by index; ``step(i)``
        after each."""
        out = {}
        for i in order:
            pkg, c = self.pkgs[i], self.codes[i]
            digest, plan = chunk.plan(pkg, self.pkeys[i], c)
            key = (digest, self.okeys[i], tuple(pkg.mfactor[c]))
            out[i] = money(pkg, chunk.structure(key, pkg, plan, c), chunk.g, c)
            chunk.forget(KEEP_STRUCTURES)
            step(i)
        return out


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

    def results(self, scenarios, progress=None, processes: int = 1) -> list:
        """One :class:`SimulationResult` (per-worker arrays) for each of ``scenarios``.

        ``processes`` = 2 on a population of one chunk: the packages are split over this
        process and a forked one (:mod:`app.simulator.batch_parallel`), after the draws and the
        base's structure are made here; every package's figures are the ones one process gives
        (where fork is not available, one process does all)."""
        scenarios = list(scenarios)
        engine._check_compatible([self.base] + scenarios)
        job = _Job(self, scenarios)
        parts = [[] for _ in scenarios]
        steps, done = max(1, len(self.bounds) * len(scenarios)), 0
        for index, start, stop in self.bounds:
            one = len(self.bounds) == 1
            chunk = self._chunk if one and self._chunk is not None else \
                _Chunk(self, index, start, stop)
            if one:
                self._chunk = chunk
            order = job.order(chunk)

            counter, first = [0], done

            def step(_i):
                counter[0] += 1
                if progress is not None:
                    progress((first + counter[0]) / steps)
            if one and processes > 1 and len(order) > 1 and batch_parallel.can_fork():
                got = batch_parallel.split(job, chunk, order, step)
            else:
                got = job.run(chunk, order, step)
            for i in range(len(scenarios)):
                parts[i].append(got[i])
            done += len(scenarios)
            if not one:
                chunk.forget(0)
        out = []
        for s, c, p in zip(scenarios, job.codes, parts):
            arrays = {k: np.concatenate([x[k] for x in p]) for k in p[0]}
            workers = WorkerResults.build(arrays, self.g_all, s)
            out.append(SimulationResult(scenario=s, seed=self.seed, workers=workers,
                                        weather=c, by_condition=None))
        return out

    def result(self, scenario):
        return self.results([scenario])[0]
