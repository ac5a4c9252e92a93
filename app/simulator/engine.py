"""The Monte Carlo engine: ``simulate`` and ``compare`` on common random numbers.

Workers are processed in chunks of :data:`CHUNK_WORKERS` so memory stays bounded whatever the
population; the draws of a chunk depend only on (seed, chunk, stream). The candidate orders are
fixed by a reference package (the baseline of a comparison), so a result depends only on its own
scenario, the reference and the seed, never on the other packages evaluated with it (see
:mod:`app.simulator.candidates`). Orders are dispatched while their time fits into the day
(time is conserved: :func:`app.simulator.orders.time_budget`).
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K
from app.simulator import parallel, sampling
from app.simulator import uncertainty as U
from app.simulator.candidates import CandidatePool
from app.errors import Msg, ValidationError
from app.simulator.market import CONDITIONS
from app.simulator.metrics import ComparisonResult, SimulationResult, WorkerResults
from app.simulator.orders import order_sums
from app.simulator.params import Scenario
from app.simulator.totals import FULL_MONTH_DAYS, worker_totals  # noqa: F401

CHUNK_WORKERS = 2048
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
        self.desired, self.works = span, works
        span = np.where(works, span, 0.0)
        cap = np.broadcast_to(day_cap[None, :], span.shape)
        online = K.online_hours(span, pay.max_continuous_hours, self.rest_hours, cap)
        rate = (m.orders_per_hour_mean * self.rate_mult * self.demand[codes][None, :]
                * K.mean_one_lognormal(draws.worker_z(), m.worker_rate_sigma)[:, None]
                * K.mean_one_lognormal(draws.rate_z(), self.rate_sigma))
        rate = K.dispatch_rate(rate, pay.max_orders_per_hour, pay.min_orders_per_hour,
                               self.dedicated[g][:, None])
        return span, cap, online, rate


def candidates_kept(pkg, pool, online, rate, is_reference=False, level=None):
    """The candidate set a package draws on and which of its candidates it keeps (``None`` =
    all) before the time budget.

    Positions are in online (dispatchable) time, so an order is dispatchable when it arrives
    before the day's online hours are used; candidates lie in [0, S0) × [0, R0) unless the
    package needed more layers (common random numbers + thinning). ``level``: the package's
    ``pool.level(online, rate, pkg.works)`` if the caller has it already."""
    if level is None:
        level = (0, 0, False) if is_reference else pool.level(online, rate, pkg.works)
    cand = pool.candidates(*level)
    cseg = cand.segments
    keep = None
    busy = cseg.counts > 0
    wide = level[:2] != (0, 0) or level[2]
    if wide or np.any(online.ravel()[busy] < pool.S0[busy]):
        keep = cand.positions() < cseg.repeat(online.ravel())
    if wide or np.any(rate.ravel()[busy] < pool.R0[busy]):
        thin = cand.marks() < cseg.repeat(rate.ravel())
        keep = thin if keep is None else keep & thin
    return cand, keep


def _evaluate(pkg, pool, g, codes, plan, exact=False, days_out=None, ws=None,
              is_reference=False):
    """Per-worker totals and per-condition totals of one package on one chunk.

    ``is_reference``: the package is the pool's reference with its own plan, so it needs
    layer 0 only (its span and rate are the pool's S0 and R0 where it works)."""
    pay, m = pkg.pay, pkg.market
    span, cap, online, rate = plan
    nw, days = span.shape
    cand, keep = candidates_kept(pkg, pool, online, rate, is_reference)
    mf_wd = np.broadcast_to(pkg.mfactor[codes][None, :], (nw, days)).ravel()
    load = rate * (m.minutes_per_order_mean * mf_wd.reshape(nw, days)) / 60.0 / m.batching_factor
    sums = order_sums(pkg, cand, keep, mf_wd, load.ravel(), online.ravel(), exact=exact, ws=ws)
    w, parts = worker_totals(pkg, g, codes, span, online, sums)
    n, minutes, worked = parts["n"], parts["minutes"], parts["worked"]
    weather, heat, peak, night = parts["weather"], parts["heat"], parts["peak"], parts["night"]
    penalty, order_hours, working = parts["penalty"], parts["order_hours"], parts["working"]
    driver, order_topup, countable = parts["driver"], parts["order_topup"], parts["countable"]

    def day(a):
        return a.reshape(nw, days)

    if days_out is not None:
        days_out.update({"online_hours": online, "order_hours": minutes / 60.0
                         / m.batching_factor, "orders": n, "km": day(sums["km"]),
                         "gross_pay": driver + order_topup + peak + night + weather + heat
                         - penalty})
    per_day = {
        "worker_days": worked, "orders": n, "online_hours": online, "working_hours": working,
        "gross_pay": driver + order_topup + peak + night + weather + heat - penalty,
        "subsidies": weather + heat, "floor_pay": countable,
    }
    by_cond = {k: np.bincount(codes, weights=v.sum(axis=0), minlength=_N_COND)
               for k, v in per_day.items()}
    gross = per_day["gross_pay"]
    net = gross - pkg.cost_km[g][:, None] * (day(sums["km"]) + m.deadhead_km_per_order * n) \
        - pkg.cost_day[g][:, None] * worked
    platform = gross + pay.injury_insurance_per_day * worked \
        + pay.injury_insurance_per_order * n - day(sums["fares"])
    wc = U.condition_sums({"worked": worked, "orders": n, "online": online, "working": working,
                           "engaged": order_hours, "gross": gross, "floor": countable, "net": net,
                           "platform_cost": platform, "weather_money": weather + heat + night},
                          codes, _N_COND)
    return w, by_cond, wc


def _check_compatible(scenarios):
    base = scenarios[0].workforce
    for s in scenarios[1:]:
        w = s.workforce
        if (w.n_workers, w.days) != (base.n_workers, base.days) or \
                [(g.name, g.share) for g in w.groups] != [(g.name, g.share) for g in base.groups]:
            raise ValidationError({"workforce": Msg(
                "The compared scenarios must have the same number of workers, simulated days "
                "and groups")})


def _chunks(scenarios, seed, mults, reference, same, exact, keep_days, indices):
    """Per chunk in ``indices``, per scenario: (worker totals, condition totals, worker
    condition sums, day arrays or None). A chunk's figures depend only on its own draws."""
    pkgs = [_Package(s, *mm) for s, mm in zip(scenarios, mults)]
    ref = _Package(reference)
    wf = scenarios[0].workforce
    days, n = wf.days, wf.n_workers
    g_all = group_index(wf)
    codes = [weather_codes(p.market, seed, days) for p in pkgs]
    ref_codes = weather_codes(ref.market, seed, days)
    ws = K.Workspace()
    out = []
    for chunk in indices:
        start = chunk * CHUNK_WORKERS
        stop = min(n, start + CHUNK_WORKERS)
        g = g_all[start:stop]
        draws = sampling.ChunkDraws(seed, chunk, stop - start, days)
        rplan = ref.day_plan(draws, g, ref_codes)
        # S0: the reference's online hours where it works, its desired span elsewhere.
        pool = CandidatePool(draws, np.where(ref.works, rplan[2], ref.desired), rplan[3],
                             ref.works)
        per = []
        for i, (pkg, c) in enumerate(zip(pkgs, codes)):
            plan = rplan if same[i] else pkg.day_plan(draws, g, c)
            if same[i]:
                pkg.desired, pkg.works = ref.desired, ref.works
            days_out = {} if keep_days else None
            w, by_cond, wc = _evaluate(pkg, pool, g, c, plan, exact=exact, days_out=days_out,
                                       ws=ws, is_reference=same[i])
            per.append((w, by_cond, wc, days_out))
        out.append(per)
    return out


def _run(scenarios, seed: int, mults=None, reference=None, exact=False, keep_days=False,
         processes: int | None = None):
    """Evaluate ``scenarios`` on one set of draws; returns one SimulationResult each.

    The candidate orders are fixed by ``reference`` (default: the first scenario) and nothing
    else, so each result depends only on its own scenario, the reference and the seed. The
    chunks of workers may be spread over ``processes`` processes
    (:func:`app.simulator.parallel.map_runs`; ``None``: as
    :func:`app.simulator.parallel.spread_over` says): every chunk's draws depend only on
    (seed, chunk) and the parts are put together in chunk order, so the result is identical
    to the single-process run.
    """
    reference = reference if reference is not None else scenarios[0]
    _check_compatible([reference] + list(scenarios))
    mults = mults or [(1.0, 1.0)] * len(scenarios)
    same = [s is reference and mm == (1.0, 1.0) for s, mm in zip(scenarios, mults)]
    wf = scenarios[0].workforce
    days, n = wf.days, wf.n_workers
    g_all = group_index(wf)
    codes = [weather_codes(s.market, seed, days) for s in scenarios]
    n_chunks = -(-n // CHUNK_WORKERS)
    args = (scenarios, seed, mults, reference, same, exact, keep_days)
    chunk_out = parallel.map_runs(_chunks, args, n_chunks, processes)
    results = []
    for i, s in enumerate(scenarios):
        parts = [c[i] for c in chunk_out]
        conds = parts[0][1]
        for p in parts[1:]:
            conds = {k: conds[k] + v for k, v in p[1].items()}
        arrays = {k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]}
        workers = WorkerResults.build(arrays, g_all, s)
        r = SimulationResult(scenario=s, seed=seed, workers=workers, weather=codes[i],
                             by_condition=conds)
        r.worker_conditions = {k: np.concatenate([p[2][k] for p in parts])
                               for k in parts[0][2]}
        if keep_days:
            r.days = {k: np.concatenate([p[3][k] for p in parts]) for k in parts[0][3]}
        results.append(r)
    return results


def simulate(scenario: Scenario, *, seed, exact: bool = False, reference: Scenario | None = None,
             keep_days: bool = False, processes: int | None = None) -> SimulationResult:
    """Simulate one month (``scenario.workforce.days`` days) of every worker.

    Parameters
    ----------
    scenario : Scenario
    seed : int or numpy.random.Generator
        Same seed → identical result.
    exact : bool
        Compute every per-order quantity order by order even where an aggregated sum is exact
        (used by tests to check the fast path).
    reference : Scenario, optional
        The scenario that fixes the candidate orders (default: ``scenario`` itself). Analyses
        pass their base scenario so every variant is evaluated on common random numbers, even
        for inputs that change the order rate or the hours (same workforce shape required).
    keep_days : bool
        Attach ``result.days``: per worker-day arrays (workers × days) of ``online_hours``,
        ``order_hours``, ``orders``, ``km``, ``gross_pay`` (used by tests).
    processes : int, optional
        Split the chunks of workers over this many processes (large populations off the
        request path); the result is identical to the single-process run. Default: one, or
        as an enclosing :func:`app.simulator.parallel.spread_over` says.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError("scenario must be a Scenario")
    return _run([scenario], sampling.root_seed(seed), exact=exact, reference=reference,
                keep_days=keep_days, processes=processes)[0]


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
            results[i] = equilibrium(base, p, root, baseline)
    return ComparisonResult(baseline=base, proposals=results[1:])


#: Largest change of a multiplier by one more step of the map for "converged".
TOLERANCE = 1e-4
MAX_ITERATIONS = 60


def behaviour_map(base_totals, result_totals, behaviour, mh: float):
    """One step of the fixed-point map: (hours, orders per hour) multipliers implied by a result.

    Cost change → price → demand; net pay per online hour → hours supplied; orders per hour =
    demand ÷ hours. Returns ``(mh, mr, clipped)`` where ``clipped`` says a bound was hit.
    """
    b = behaviour
    lo, hi = 1.0 - b.max_hours_change, 1.0 + b.max_hours_change
    bt, t = base_totals, result_totals
    price = b.reference_price_per_order or bt["fare_per_order"] or abs(bt["cost_per_order"]) or 1.0
    dc = t["cost_per_order"] - bt["cost_per_order"]
    if not np.isfinite(dc):
        dc = 0.0
    demand = max(1e-6, 1.0 + b.pass_through * dc / price) ** (-b.demand_price_elasticity)
    ratio = t["net_per_online_hour_mean"] / bt["net_per_online_hour_mean"] \
        if bt["net_per_online_hour_mean"] > 0 and t["net_per_online_hour_mean"] > 0 else 1.0
    raw_h = ratio ** b.labour_supply_elasticity
    mh_new = float(np.clip(raw_h, lo, hi))
    raw_r = demand / mh_new
    mr_new = float(np.clip(raw_r, 1.0 / hi, hi))
    clipped = bool(mh_new != raw_h or mr_new != raw_r)
    return mh_new, mr_new, clipped


def equilibrium(base, proposal, seed, reference):
    """Damped fixed point of (hours multiplier, orders-per-hour multiplier).

    Iterates x ← x + α·(F(x) − x) until one more step would move neither multiplier by more
    than :data:`TOLERANCE`, halving α whenever the step grows (oscillation). The result returned
    is the one simulated at the multipliers reported, with its ``behaviour_solution``:
    converged, clipped (a bound of the map was hit at the solution), iterations, residual.
    """
    b = proposal.behaviour
    bt = base.totals()
    x = np.array([1.0, 1.0])
    alpha, last = 0.5, np.inf
    res = step = None
    clipped = False
    it = 0
    for it in range(1, MAX_ITERATIONS + 1):
        res = _run([proposal], seed, mults=[tuple(x)], reference=reference)[0]
        mh, mr, clipped = behaviour_map(bt, res.totals(), b, x[0])
        step = np.array([mh, mr]) - x
        size = float(np.max(np.abs(step)))
        if size < TOLERANCE:
            break
        if size > last:
            alpha = max(alpha / 2.0, 1.0 / 64.0)
        last = size
        x = x + alpha * step
    residual = float(np.max(np.abs(step)))
    res.behaviour_multipliers = {"hours": float(x[0]), "orders_per_hour": float(x[1])}
    res.behaviour_solution = {"converged": residual < TOLERANCE, "clipped": clipped,
                              "iterations": it, "residual": residual,
                              "multipliers": dict(res.behaviour_multipliers)}
    return res
