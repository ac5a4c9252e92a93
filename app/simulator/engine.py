"""The Monte Carlo engine: ``simulate`` and ``compare`` on common random numbers.

Workers are processed in chunks of :data:`CHUNK_WORKERS` so memory stays bounded whatever the
population; the draws of a chunk depend only on (seed, chunk, stream), so results do not depend
on the package set except through the dominating order rate (see :mod:`app.simulator.sampling`).
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K
from app.simulator import sampling
from app.simulator.errors import ValidationError
from app.simulator.market import CONDITIONS
from app.simulator.metrics import ComparisonResult, SimulationResult, WorkerResults
from app.simulator.orders import order_sums
from app.simulator.params import Scenario

CHUNK_WORKERS = 2048
FULL_MONTH_DAYS = 26.0  # worked days that bear a full month of vehicle costs
_N_COND = len(CONDITIONS)


def group_index(workforce) -> np.ndarray:
    """Group of each worker: contiguous blocks sized by the shares (largest remainder)."""
    n = workforce.n_workers
    shares = np.array([g.share for g in workforce.groups])
    raw = shares * n
    counts = np.floor(raw).astype(int)
    short = n - counts.sum()
    if short > 0:
        counts[np.argsort(-(raw - counts), kind="stable")[:short]] += 1
    return np.repeat(np.arange(len(shares)), counts)


def weather_codes(market, seed: int, days: int) -> np.ndarray:
    """Condition code of each simulated day (inverse CDF of shared uniforms)."""
    cdf = np.cumsum(market.weather_probabilities())
    u = sampling.weather_uniforms(seed, days)
    return np.minimum(np.searchsorted(cdf, u, side="right"), _N_COND - 1)


class _Package:
    """A scenario's parameters as arrays, ready for the kernels."""

    def __init__(self, scenario: Scenario, hours_mult: float = 1.0, rate_mult: float = 1.0):
        self.s = s = scenario
        pay, m, groups = s.pay, s.market, s.workforce.groups
        self.pay, self.market = pay, m
        self.hours_mult, self.rate_mult = hours_mult, rate_mult
        self.p_work = np.array([g.days_per_month / 30.0 for g in groups])
        self.log_median = np.log([g.hours_median for g in groups])
        self.sigma = np.array([g.hours_sigma for g in groups])
        self.dedicated = np.array([g.dedicated for g in groups])
        vc = [getattr(s.costs, g.vehicle) for g in groups]
        self.cost_km = np.array([v.per_km_yuan for v in vc])
        self.cost_day = np.array([v.per_day_yuan for v in vc])
        self.cost_month = np.array([v.per_month_yuan for v in vc])
        self.km_mu, self.km_s = K.lognormal_log_params(m.km_per_order_mean, m.km_per_order_cv)
        self.min_mu, self.min_s = K.lognormal_log_params(m.minutes_per_order_mean,
                                                         m.minutes_per_order_cv)
        self.demand = np.array(m.demand_factors())
        self.mfactor = np.array(m.minutes_factors())
        self.subsidy = np.array([0.0, pay.weather_subsidy_rain_per_order,
                                 pay.weather_subsidy_snow_ice_per_order,
                                 pay.weather_subsidy_cold_per_order]
                                + [pay.weather_subsidy_heat_per_order] * 3)
        self.rate_sigma = float(np.sqrt(np.log1p(m.orders_overdispersion)))
        self.rest_hours = pay.rest_minutes / 60.0 if pay.max_continuous_hours > 0 else 0.0
        b = s.behaviour
        self.bound = 1.0 + b.max_hours_change if b.enabled else 1.0

    def day_plan(self, draws, g, codes):
        """Span, dispatch cap, online hours and order rate of each worker-day."""
        pay, m = self.pay, self.market
        works = draws.work_u() < self.p_work[g][:, None]
        span = np.exp(self.log_median[g][:, None] + self.sigma[g][:, None] * draws.hours_z())
        if self.hours_mult != 1.0:
            span = span * self.hours_mult
        span = np.minimum(span, 24.0)
        if pay.legal_heat_limits:
            works = works & (codes != 6)[None, :]
            day_cap = np.where(codes == 5, min(6.0, pay.max_daily_hours), pay.max_daily_hours)
        else:
            day_cap = np.full(codes.shape, pay.max_daily_hours)
        span = np.where(works, span, 0.0)
        cap = np.broadcast_to(day_cap[None, :], span.shape)
        online = K.online_hours(span, pay.max_continuous_hours, self.rest_hours, cap)
        rate = (m.orders_per_hour_mean * self.rate_mult * self.demand[codes][None, :]
                * K.mean_one_lognormal(draws.worker_z(), m.worker_rate_sigma)[:, None]
                * K.mean_one_lognormal(draws.rate_z(), self.rate_sigma))
        rate = K.dispatch_rate(rate, pay.max_orders_per_hour, pay.min_orders_per_hour,
                               self.dedicated[g][:, None])
        return span, cap, online, rate


def _evaluate(pkg, draws, g, codes, plan, cand, exact=False):
    """Per-worker totals and per-condition totals of one package on one chunk."""
    pay, m = pkg.pay, pkg.market
    span, cap, online, rate = plan
    nw, days = span.shape
    nwd = nw * days
    span_max, rate_max, total = cand.span_max, cand.rate_max, cand.total
    cseg = cand.segments

    # Which candidate orders this package keeps (common random numbers + thinning).
    keep = None
    if np.any(online < span_max):
        keep = K.dispatchable(cand.positions(), cseg.repeat(online.ravel()),
                              pay.max_continuous_hours, pkg.rest_hours)
    if np.any(rate < rate_max):
        ratio = np.divide(rate, rate_max, out=np.zeros_like(rate), where=rate_max > 0).ravel()
        thin = draws.order_uniform(sampling.MARK, total) < cseg.repeat(ratio)
        keep = thin if keep is None else keep & thin

    mf_wd = np.broadcast_to(pkg.mfactor[codes][None, :], (nw, days)).ravel()
    load = rate * (m.minutes_per_order_mean * mf_wd.reshape(nw, days)) / 60.0 / m.batching_factor
    sums = order_sums(pkg, draws, cseg, keep, mf_wd, load.ravel(), exact=exact)
    n = sums["orders"].reshape(nw, days)

    def day(a):
        return a.reshape(nw, days)

    minutes = day(sums["minutes"])
    worked = online > 0
    weather = pkg.subsidy[codes][None, :] * n
    heat_day = (codes >= 4)[None, :]
    heat = pay.heat_allowance_per_day * (worked & heat_day)
    peak = pay.peak_bonus_per_order * day(sums["peak"])
    night = pay.night_bonus_per_order * day(sums["night"])
    penalty = np.minimum(pay.late_penalty_per_order * day(sums["late"]), pay.penalty_cap_per_day)
    order_hours = np.minimum(minutes / 60.0 / m.batching_factor, online)
    working = K.working_hours(order_hours, online, pay.allowance_ratio)
    driver = day(sums["driver_pay"])
    order_topup = day(sums["order_topup"])
    countable = driver + order_topup + peak - penalty
    block = {"day": 1, "cycle": pay.settlement_cycle_days, "month": 30}[pay.floor_period]
    hourly_topup = K.period_top_up(countable, working, pay.hourly_floor, block)

    w = {}
    w["days_worked"] = worked.sum(axis=1).astype(float)
    w["orders"] = n.sum(axis=1).astype(float)
    w["engaged_km"] = day(sums["km"]).sum(axis=1)
    w["km"] = w["engaged_km"] + m.deadhead_km_per_order * w["orders"]
    w["online_hours"] = online.sum(axis=1)
    w["engaged_hours"] = order_hours.sum(axis=1)
    w["working_hours"] = working.sum(axis=1)
    w["base_pay"] = driver.sum(axis=1)
    w["per_order_floor_topup"] = order_topup.sum(axis=1)
    w["peak_bonus"] = peak.sum(axis=1)
    w["night_bonus"] = night.sum(axis=1)
    w["weather_subsidy"] = weather.sum(axis=1)
    w["heat_allowance"] = heat.sum(axis=1)
    w["penalties"] = penalty.sum(axis=1)
    w["floor_topup"] = hourly_topup
    w["fares"] = day(sums["fares"]).sum(axis=1)
    comm = day(sums["commission"]).sum(axis=1)
    n_scale = pkg.s.workforce.days / 30.0
    w["commission_refund"] = K.monthly_commission_refund(
        comm, w["fares"], w["orders"], pay.monthly_average_commission_cap,
        pay.min_orders_for_monthly_cap * n_scale)
    w["commission"] = comm - w["commission_refund"]
    active = w["days_worked"] > 0
    w["membership_fee"] = pay.membership_fee_per_month * n_scale * active
    gi = g
    # Monthly vehicle costs are for a full month of work; part-timers bear them pro rata.
    month_share = np.minimum(w["days_worked"] / (FULL_MONTH_DAYS * n_scale), 1.0)
    w["costs"] = (pkg.cost_km[gi] * w["km"] + pkg.cost_day[gi] * w["days_worked"]
                  + pkg.cost_month[gi] * n_scale * month_share)
    w["gross_pay"] = (w["base_pay"] + w["per_order_floor_topup"] + w["peak_bonus"]
                      + w["night_bonus"] + w["weather_subsidy"] + w["heat_allowance"]
                      - w["penalties"] + w["floor_topup"] + w["commission_refund"])
    w["net_income"] = w["gross_pay"] - w["membership_fee"] - w["costs"]
    w["floor_pay"] = countable.sum(axis=1) + hourly_topup
    w["injury_insurance"] = pay.injury_insurance_per_day * w["days_worked"]
    eligible = w["days_worked"] >= max(1.0, pay.pension_min_days_per_month * n_scale)
    w["pension_subsidy"] = (pay.pension_subsidy_share * m.pension_contribution_per_month
                            * n_scale * eligible)
    w["hit_hour_limit_days"] = ((online < span) & worked).sum(axis=1).astype(float)

    per_day = {
        "worker_days": worked, "orders": n, "online_hours": online, "working_hours": working,
        "gross_pay": driver + order_topup + peak + night + weather + heat - penalty,
        "subsidies": weather + heat, "floor_pay": countable,
    }
    by_cond = {k: np.bincount(codes, weights=v.sum(axis=0), minlength=_N_COND)
               for k, v in per_day.items()}
    return w, by_cond


class _Candidates:
    """Candidate orders of a chunk: Poisson counts at the dominating rate over the longest span."""

    def __init__(self, pkgs, plans, draws):
        span_max, rate_max = plans[0][0], plans[0][3]
        for plan in plans[1:]:
            span_max = np.maximum(span_max, plan[0])
            rate_max = np.maximum(rate_max, plan[3])
        bound = max(p.bound for p in pkgs)
        if bound != 1.0:
            span_max = np.minimum(span_max * bound, 24.0)
            rate_max = rate_max * bound
        self.segments = K.Segments(draws.counts((span_max * rate_max).ravel()))
        self.total = self.segments.total
        self.span_max, self.rate_max, self.draws = span_max, rate_max, draws
        self._s = None

    def positions(self):
        """Arrival instant of each candidate, in hours from the start of the span."""
        if self._s is None:
            u = self.draws.order_uniform(sampling.POSITION, self.total)
            self._s = u * self.segments.repeat(self.span_max.ravel())
        return self._s


def _check_compatible(scenarios):
    base = scenarios[0].workforce
    for s in scenarios[1:]:
        w = s.workforce
        if (w.n_workers, w.days) != (base.n_workers, base.days) or \
                [(g.name, g.share) for g in w.groups] != [(g.name, g.share) for g in base.groups]:
            raise ValidationError({"workforce": "对比的方案必须使用相同的劳动者人数、模拟天数和人群构成"})


def _run(scenarios, seed: int, mults=None, bound_scenarios=None, exact=False):
    """Evaluate ``scenarios`` on one set of draws; returns one SimulationResult each."""
    _check_compatible(list(scenarios) + list(bound_scenarios or []))
    mults = mults or [(1.0, 1.0)] * len(scenarios)
    pkgs = [_Package(s, *mm) for s, mm in zip(scenarios, mults)]
    extra = [_Package(s) for s in (bound_scenarios or [])]
    wf = scenarios[0].workforce
    days, n = wf.days, wf.n_workers
    g_all = group_index(wf)
    codes = [weather_codes(p.market, seed, days) for p in pkgs]
    codes_extra = [weather_codes(p.market, seed, days) for p in extra]
    parts = [[] for _ in pkgs]
    conds = [None for _ in pkgs]
    for chunk, start in enumerate(range(0, n, CHUNK_WORKERS)):
        stop = min(n, start + CHUNK_WORKERS)
        g = g_all[start:stop]
        draws = sampling.ChunkDraws(seed, chunk, stop - start, days)
        plans = [p.day_plan(draws, g, c) for p, c in zip(pkgs, codes)]
        if extra:
            # Candidates from the unadjusted packages, so every fixed-point iteration sees the
            # same orders as the first evaluation.
            bplans = [p.day_plan(draws, g, c) for p, c in zip(extra, codes_extra)]
            cand = _Candidates(extra, bplans, draws)
        else:
            cand = _Candidates(pkgs, plans, draws)
        for i, (pkg, plan) in enumerate(zip(pkgs, plans)):
            w, by_cond = _evaluate(pkg, draws, g, codes[i], plan, cand, exact=exact)
            parts[i].append(w)
            conds[i] = by_cond if conds[i] is None else \
                {k: conds[i][k] + v for k, v in by_cond.items()}
    results = []
    for i, s in enumerate(scenarios):
        arrays = {k: np.concatenate([p[k] for p in parts[i]]) for k in parts[i][0]}
        workers = WorkerResults.build(arrays, g_all, s)
        results.append(SimulationResult(scenario=s, seed=seed, workers=workers,
                                         weather=codes[i], by_condition=conds[i]))
    return results


def simulate(scenario: Scenario, *, seed, exact: bool = False) -> SimulationResult:
    """Simulate one month (``scenario.workforce.days`` days) of every worker.

    Parameters
    ----------
    scenario : Scenario
    seed : int or numpy.random.Generator
        Same seed → identical result.
    exact : bool
        Compute every per-order quantity order by order even where an aggregated sum is exact
        (used by tests to check the fast path).
    """
    if not isinstance(scenario, Scenario):
        raise TypeError("scenario must be a Scenario")
    return _run([scenario], sampling.root_seed(seed), exact=exact)[0]


def compare(baseline: Scenario, proposals, *, seed) -> ComparisonResult:
    """Evaluate a baseline and proposals on common random numbers.

    All scenarios must share the workforce size, days and group shares (the same simulated
    people). With ``behaviour.enabled`` on a proposal, its hours and orders per hour are solved
    as a fixed point against the baseline (see :class:`~app.simulator.params.Behaviour`).
    """
    if isinstance(proposals, Scenario):
        proposals = [proposals]
    proposals = list(proposals)
    root = sampling.root_seed(seed)
    allsc = [baseline] + proposals
    _check_compatible(allsc)
    results = _run(allsc, root)
    base = results[0]
    for i, p in enumerate(proposals, start=1):
        if p.behaviour.enabled:
            results[i] = _equilibrium(base, p, root, allsc)
    return ComparisonResult(baseline=base, proposals=results[1:])


def _equilibrium(base, proposal, seed, allsc, iterations: int = 12):
    """Damped fixed point of (hours multiplier, orders-per-hour multiplier)."""
    b = proposal.behaviour
    lo, hi = 1.0 - b.max_hours_change, 1.0 + b.max_hours_change
    bt = base.totals()
    price = b.reference_price_per_order or bt["fare_per_order"] or abs(bt["cost_per_order"]) or 1.0
    mh = mr = 1.0
    res = None
    for _ in range(iterations):
        res = _run([proposal], seed, mults=[(mh, mr)], bound_scenarios=allsc)[0]
        t = res.totals()
        dc = t["cost_per_order"] - bt["cost_per_order"]
        demand = max(1e-6, 1.0 + b.pass_through * dc / price) ** (-b.demand_price_elasticity)
        ratio = t["net_per_online_hour_mean"] / bt["net_per_online_hour_mean"] \
            if bt["net_per_online_hour_mean"] > 0 and t["net_per_online_hour_mean"] > 0 else 1.0
        mh_new = float(np.clip(ratio ** b.labour_supply_elasticity, lo, hi))
        mr_new = float(np.clip(demand / mh_new, 1.0 / hi, hi))
        if abs(mh_new - mh) < 1e-4 and abs(mr_new - mr) < 1e-4:
            break
        mh, mr = 0.5 * (mh + mh_new), 0.5 * (mr + mr_new)
    res.behaviour_multipliers = {"hours": mh, "orders_per_hour": mr}
    return res
