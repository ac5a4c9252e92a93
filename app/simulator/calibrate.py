"""Calibration: maximum-likelihood fits of the workforce and order distributions to records.

The scenario's worker groups (casual, part-time, full-time …) become the components of a finite
mixture: a worker of group *k* works each of 30 days with probability ``days_per_month / 30``
(days ~ Binomial(30, p_k)) and online hours on a worked day are log-normal (median, log-sd) —
exactly the engine's model. The mixture is fitted by EM (the maximum-likelihood estimate of the
shares, days and hours of every group together). Orders per online hour and km per order are
fitted log-normal with :func:`scipy.stats.lognorm.fit`. Goodness of fit is the Kolmogorov–Smirnov
statistic of each fitted distribution against the records; the calibrated scenario is then
simulated and its distributions are set beside the observed ones.

A record's "online hours per worked day" is taken as one worked day's hours (a survey's usual
day). Orders per hour are divided by the mean weather demand factor of the scenario, so the
fitted ``orders_per_hour_mean`` is the fair-weather rate the engine expects.
"""
from __future__ import annotations

import numpy as np
from scipy import stats
from scipy.special import logsumexp

from app.simulator import anchors
from app.simulator import records as R
from app.simulator.engine import simulate
from app.errors import Msg, ValidationError
from app.simulator.params import Scenario

MONTH_DAYS = 30
EM_ITERATIONS = 300
SIM_WORKERS = 2000


def _ks_continuous(x: np.ndarray, cdf) -> float:
    x = np.sort(x)
    n = x.size
    f = cdf(x)
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - f), np.max(f - (i - 1) / n)))


def _ks_discrete(x: np.ndarray, cdf_at) -> float:
    k = np.arange(0, MONTH_DAYS + 1)
    ecdf = np.searchsorted(np.sort(x), k, side="right") / x.size
    return float(np.max(np.abs(ecdf - cdf_at(k))))


def fit_mixture(days: np.ndarray, hours: np.ndarray, init: list[dict],
                iterations: int = EM_ITERATIONS) -> dict:
    """EM for the mixture of (Binomial(30, p) days × log-normal hours), one component per group.

    ``init`` lists ``{"share", "p", "mu", "sigma"}`` per component. Returns the fitted
    components (same order), the log-likelihood and the iterations used.
    """
    d = np.minimum(days, MONTH_DAYS)
    lh = np.log(hours)
    K = len(init)
    pi = np.array([max(c["share"], 1e-3) for c in init])
    pi = pi / pi.sum()
    p = np.clip([c["p"] for c in init], 1e-3, 1 - 1e-3)
    mu = np.array([c["mu"] for c in init], dtype=float)
    sg = np.maximum([c["sigma"] for c in init], 0.05)
    prev = -np.inf
    it = 0
    ll = prev
    for it in range(1, iterations + 1):
        logr = (np.log(pi)[None, :] + stats.binom.logpmf(d[:, None], MONTH_DAYS, p[None, :])
                + stats.norm.logpdf(lh[:, None], mu[None, :], sg[None, :]))
        norm = logsumexp(logr, axis=1)
        ll = float(norm.sum())
        r = np.exp(logr - norm[:, None])
        nk = r.sum(axis=0) + 1e-12
        pi = nk / nk.sum()
        p = np.clip((r * d[:, None]).sum(axis=0) / (MONTH_DAYS * nk), 1e-6, 1 - 1e-6)
        mu = (r * lh[:, None]).sum(axis=0) / nk
        sg = np.sqrt(np.maximum((r * (lh[:, None] - mu[None, :]) ** 2).sum(axis=0) / nk,
                                1e-6))
        if K == 1 or abs(ll - prev) < 1e-9 * max(1.0, abs(ll)):
            break
        prev = ll
    return {"components": [{"share": float(pi[k]), "p": float(p[k]), "mu": float(mu[k]),
                            "sigma": float(sg[k])} for k in range(K)],
            "loglik": ll, "iterations": it}


def _lognormal(x: np.ndarray) -> dict:
    s, _loc, scale = stats.lognorm.fit(x, floc=0)
    return {"sigma": float(s), "median": float(scale), "mean": float(scale * np.exp(s * s / 2)),
            "ks": float(stats.kstest(x, "lognorm", args=(s, 0, scale)).statistic), "n": int(x.size)}


def _demand_mean(market) -> float:
    return float(np.dot(market.weather_probabilities(), market.demand_factors()))


def fit(scenario: Scenario, recs: dict) -> dict:
    """Fit the scenario's distributions to record arrays (see :func:`records.extract`).

    Returns ``values`` (dotted key → fitted value, ready for :meth:`Scenario.with_values`),
    ``groups`` (fitted share, days, hours per group), ``fits`` (one entry per fitted
    distribution with its KS statistic) and the counts of records used and excluded.
    """
    hours, days = recs["hours_per_day"], recs["days_per_month"]
    active = (days >= 1) & (hours > 0)
    n_used = int(active.sum())
    if n_used < R.MIN_ROWS:
        raise ValidationError({"file": Msg(
            "Too few valid records: at least %(n)s workers with both days worked and online "
            "hours above 0 are needed (now %(used)s)", n=R.MIN_ROWS, used=n_used)})
    h, d = hours[active], np.minimum(days[active], MONTH_DAYS)
    groups = sorted(scenario.workforce.groups, key=lambda g: g.days_per_month)
    init = [{"share": g.share, "p": g.days_per_month / MONTH_DAYS,
             "mu": float(np.log(g.hours_median)), "sigma": g.hours_sigma} for g in groups]
    mix = fit_mixture(d, h, init)
    # Components may swap during EM: give the group with fewest days the component with fewest.
    ordered = sorted(mix["components"], key=lambda c: c["p"])
    values, fitted_groups = {}, []
    shares = []
    for g, c in zip(groups, ordered):
        prefix = f"workforce.groups.{g.name}."
        values[prefix + "days_per_month"] = round(c["p"] * MONTH_DAYS, 3)
        values[prefix + "hours_median"] = round(float(np.exp(c["mu"])), 3)
        values[prefix + "hours_sigma"] = round(c["sigma"], 4)
        shares.append((g.name, c["share"]))
        fitted_groups.append({"name": g.name, "share": c["share"],
                              "days_per_month": c["p"] * MONTH_DAYS,
                              "hours_median": float(np.exp(c["mu"])), "hours_sigma": c["sigma"],
                              "before": {"share": g.share, "days_per_month": g.days_per_month,
                                         "hours_median": g.hours_median,
                                         "hours_sigma": g.hours_sigma}})
    # Shares rounded so they still add up to exactly one.
    rounded = [round(s, 4) for _, s in shares]
    rounded[-1] = round(1.0 - sum(rounded[:-1]), 4)
    for (name, _), s in zip(shares, rounded):
        values[f"workforce.groups.{name}.share"] = max(0.0, s)
    comp = ordered
    fits = {
        "hours_per_day": {"ks": _ks_continuous(h, lambda x: sum(
            c["share"] * stats.norm.cdf((np.log(x) - c["mu"]) / c["sigma"]) for c in comp)),
            "n": int(h.size), "model": "mixture of log-normals"},
        "days_per_month": {"ks": _ks_discrete(d, lambda k: sum(
            c["share"] * stats.binom.cdf(k, MONTH_DAYS, c["p"]) for c in comp)),
            "n": int(d.size), "model": "mixture of binomials (30 days)"},
    }
    m = scenario.market
    if "orders" in recs:
        o = recs["orders"][active]
        ok = np.isfinite(o) & (o > 0)
        if ok.sum() >= R.MIN_ROWS:
            rate = o[ok] / (h[ok] * d[ok])
            lf = _lognormal(rate)
            values["market.orders_per_hour_mean"] = round(lf["mean"] / _demand_mean(m), 4)
            values["market.worker_rate_sigma"] = round(min(lf["sigma"], 2.0), 4)
            fits["orders_per_hour"] = {**lf, "model": "log-normal"}
            if "km" in recs:
                km = recs["km"][active][ok]
                good = np.isfinite(km) & (km > 0)
                if good.sum() >= R.MIN_ROWS:
                    kpo = km[good] / o[ok][good]
                    kf = _lognormal(kpo)
                    values["market.km_per_order_mean"] = round(
                        max(0.1, kf["mean"] - m.deadhead_km_per_order), 3)
                    fits["km_per_order"] = {**kf, "model": "log-normal"}
    if "minutes_per_order" in recs:
        mins = recs["minutes_per_order"][active]
        good = np.isfinite(mins) & (mins > 0)
        if good.sum() >= R.MIN_ROWS:
            mf = _lognormal(mins[good])
            values["market.minutes_per_order_mean"] = round(mf["mean"], 2)
            fits["minutes_per_order"] = {**mf, "model": "log-normal"}
    return {"values": values, "groups": fitted_groups, "fits": fits,
            "records": int(hours.size), "used": n_used, "excluded": int(hours.size - n_used),
            "em_iterations": mix["iterations"], "loglik": mix["loglik"]}


def _hist(obs: np.ndarray, sim: np.ndarray, bins: int = 20) -> dict:
    both = np.concatenate([obs, sim])
    hi = float(np.quantile(both, 0.99)) if both.size else 1.0
    lo = float(min(0.0, both.min())) if both.size else 0.0
    edges = np.linspace(lo, hi if hi > lo else lo + 1.0, bins + 1)
    co, _ = np.histogram(np.clip(obs, lo, edges[-1]), edges)
    cs, _ = np.histogram(np.clip(sim, lo, edges[-1]), edges)
    return {"edges": edges.tolist(), "observed": (co / max(obs.size, 1)).tolist(),
            "simulated": (cs / max(sim.size, 1)).tolist(),
            "ks": float(stats.ks_2samp(obs, sim).statistic) if obs.size and sim.size else None,
            "observed_median": float(np.median(obs)) if obs.size else None,
            "simulated_median": float(np.median(sim)) if sim.size else None}


def simulate_calibrated(calibrated: Scenario, seed: int, workers: int = SIM_WORKERS):
    """The calibrated scenario simulated on at most ``workers`` workers."""
    n = min(workers, calibrated.workforce.n_workers)
    sc = calibrated.with_values({"workforce.n_workers": n}) \
        if n != calibrated.workforce.n_workers else calibrated
    return simulate(sc, seed=seed)


def observed_vs_simulated(calibrated: Scenario, recs: dict, seed: int,
                          workers: int = SIM_WORKERS, result=None) -> dict:
    """Histograms (shares per bin) of observed and simulated per-worker figures, with the
    two-sample KS statistic; the simulated month is scaled to 30 days."""
    res = result if result is not None else simulate_calibrated(calibrated, seed, workers)
    sc = res.scenario
    w = res.workers
    act = w.days_worked > 0
    scale = MONTH_DAYS / sc.workforce.days
    hours, days = recs["hours_per_day"], recs["days_per_month"]
    ok = (days >= 1) & (hours > 0)
    out = {
        "hours_per_day": _hist(hours[ok], (w.online_hours / np.maximum(w.days_worked, 1))[act]),
        "days_per_month": _hist(np.minimum(days[ok], MONTH_DAYS), w.days_worked[act] * scale),
    }
    if "orders" in recs:
        o = recs["orders"][ok]
        out["orders"] = _hist(o[np.isfinite(o)], w.orders[act] * scale)
    if "earnings" in recs:
        e = recs["earnings"][ok]
        out["earnings"] = _hist(e[np.isfinite(e)], w.gross_pay[act] * scale)
    return out


def calibrate(scenario: Scenario, recs: dict, *, seed: int, compare: bool = True) -> dict:
    """Fit, build the calibrated scenario (validated), and compare it with the records.

    Returns :func:`fit`'s dict plus ``scenario`` (the calibrated :class:`Scenario`),
    ``comparison`` (see :func:`observed_vs_simulated`) and ``anchors`` (the calibrated
    scenario against published figures, see :mod:`app.simulator.anchors`).
    """
    out = fit(scenario, recs)
    calibrated = scenario.with_values(out["values"], name=f"{scenario.name} (calibrated)")
    out["scenario"] = calibrated
    if compare:
        res = simulate_calibrated(calibrated, seed)
        out["comparison"] = observed_vs_simulated(calibrated, recs, seed, result=res)
        out["anchors"] = anchors.check(res)
    return out


def calibrate_file(scenario: Scenario, data: bytes, filename: str, mapping: dict | None, *,
                   seed: int) -> dict:
    """Read, map, validate and calibrate in one step (``mapping`` None = guessed from headers)."""
    headers, rows = R.read_table(data, filename)
    if mapping is None:
        mapping = R.guess_mapping(headers)
    recs = R.extract(headers, rows, mapping)
    out = calibrate(scenario, recs, seed=seed)
    out["headers"] = headers
    return out


def synthetic_records(scenario: Scenario, n: int, seed: int) -> dict:
    """Records drawn from the scenario's own distributions (for tests and the benchmark).

    Each worker belongs to a group by its share, works Binomial(30, days/30) days (at least 1),
    has log-normal hours on a typical day, log-normal orders per hour around the fair-weather
    rate × mean demand factor, and km = orders × (km per order + empty km).
    """
    rng = np.random.default_rng(seed)
    groups = scenario.workforce.groups
    shares = np.array([g.share for g in groups])
    gi = rng.choice(len(groups), size=n, p=shares / shares.sum())
    p = np.array([g.days_per_month / MONTH_DAYS for g in groups])[gi]
    days = rng.binomial(MONTH_DAYS, p)
    while np.any(days == 0):
        z = days == 0
        days[z] = rng.binomial(MONTH_DAYS, p[z])
    med = np.array([g.hours_median for g in groups])[gi]
    sig = np.array([g.hours_sigma for g in groups])[gi]
    hours = np.minimum(med * np.exp(sig * rng.standard_normal(n)), 24.0)
    m = scenario.market
    s = m.worker_rate_sigma
    rate = m.orders_per_hour_mean * _demand_mean(m) * np.exp(s * rng.standard_normal(n) - s * s / 2)
    orders = np.round(rate * hours * days)
    km = orders * (m.km_per_order_mean + m.deadhead_km_per_order)
    return {"hours_per_day": hours, "days_per_month": days.astype(float), "orders": orders,
            "km": km, "earnings": orders * 7.0, "group": gi}
