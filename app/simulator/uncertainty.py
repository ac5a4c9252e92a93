"""Monte Carlo standard errors that include the weather calendar (simulation-model decision 4).

A simulated month has two sources of chance: the workers (their days, hours, orders; independent
between workers given the weather) and the weather calendar (one draw of the month, shared by
everyone). The standard error of a figure is √(V_workers + V_weather):

- V_workers: totals and ratios use the spread of per-worker contributions *within groups*
  (group sizes are fixed by the shares, so between-group differences are not noise); shares are
  binomial within groups; quantiles use the distribution-free order-statistic interval.
- V_weather: the month is re-drawn as other calendars (day counts of each condition from the
  multinomial of the market's weather probabilities) and each worker's month rebuilt from their
  own sums by condition — a day of condition c adds that worker's mean day of condition c (a
  condition the simulated month did not have: a day without work at ≥ 40 ℃ under the legal
  heat limits, else the nearest heat condition seen, else the most common condition). The variance
  of the figure over :data:`CALENDARS` rebuilt months is V_weather. It is computed on at most
  :data:`SUBSAMPLE` workers (spread evenly over the population); the weather part of a total's
  variance is scaled up to the population.
"""
from __future__ import annotations

import numpy as np

from app.simulator import sampling
from app.simulator.market import HEAT_CODES

CALENDARS = 100
SUBSAMPLE = 2000
_Z = 1.959963984540054
#: Per worker-day quantities summed by condition (see :func:`condition_sums`).
DAY_KEYS = ("worked", "orders", "online", "working", "engaged", "gross", "floor", "net",
            "platform_cost", "weather_money")


def condition_sums(per_day: dict, codes: np.ndarray, n_cond: int) -> dict:
    """Each worker's sums by weather condition: ``{key: (workers × conditions)}``.

    All keys are stacked day-major (days × keys × workers) and each day is added to its
    condition's row: contiguous additions, single-threaded and in day order."""
    keys = list(per_day)
    nw, days = np.shape(per_day[keys[0]])
    by_day = np.empty((days, len(keys), nw))
    for i, k in enumerate(keys):
        by_day[:, i, :] = np.asarray(per_day[k]).T
    sums = np.zeros((n_cond, len(keys), nw))
    for d, c in enumerate(codes):
        sums[c] += by_day[d]
    return {k: sums[:, i, :].T for i, k in enumerate(keys)}


def _labels(group: np.ndarray) -> np.ndarray:
    """The distinct group indices present (non-negative ints), sorted."""
    return np.flatnonzero(np.bincount(group))


def total_se(x: np.ndarray, group: np.ndarray) -> float:
    """SE of Σx with the number of workers in each group fixed: √(Σ_g n_g·var_g)."""
    var = 0.0
    for gi in _labels(group):
        xs = x[group == gi]
        if xs.size > 1:
            var += xs.size * xs.var(ddof=1)
    return float(np.sqrt(var)) if x.size > 1 else float("nan")


def ratio_se(num: np.ndarray, den: np.ndarray, group: np.ndarray) -> float:
    """SE of Σnum ÷ Σden (delta method, within groups)."""
    d = den.sum()
    if num.size < 2 or d == 0:
        return float("nan")
    r = num.sum() / d
    return total_se(num - r * den, group) / abs(d)


def share_se(flags: np.ndarray, group: np.ndarray) -> float:
    """SE of the share of ``flags`` (binomial within groups)."""
    n = flags.size
    if n == 0:
        return float("nan")
    var = 0.0
    for gi in _labels(group):
        f = flags[group == gi].astype(float)
        if f.size:
            p = f.mean()
            var += f.size * p * (1 - p)
    return float(np.sqrt(var) / n)


def calendars(probabilities, days: int, seed: int, n: int = CALENDARS) -> np.ndarray:
    """Day counts of each condition in ``n`` other months (rows), reproducible from ``seed``."""
    return sampling.calendar_counts(seed, days, probabilities, n)


def _stand_ins(seen, legal_heat_limits) -> dict:
    """For each condition the simulated month did not have: the condition whose mean day stands
    in for it, or None for a day without work (≥ 40 ℃ under the legal heat limits)."""
    heat = [c for c in HEAT_CODES if seen[c] > 0]
    out = {}
    for c in range(seen.size):
        if seen[c] > 0:
            continue
        if c == HEAT_CODES[-1] and legal_heat_limits:
            out[c] = None
        elif c in HEAT_CODES and heat:
            out[c] = min(heat, key=lambda h: abs(h - c))
        else:
            out[c] = int(np.argmax(seen))
    return out


class _Rebuilt(dict):
    """key → workers × calendars, each built on first use from its per-group shift."""

    def __init__(self, build):
        super().__init__()
        self._build = build

    def __missing__(self, key):
        value = self[key] = self._build(key)
        return value


class WeatherReplicates:
    """Each sampled worker's month rebuilt under other weather calendars.

    A worker's month under calendar k is their simulated month plus, for each condition c, the
    change in days of c times their mean day of c; that mean day is the worker's mean day times
    their group's profile (ratio of a day of c to an average day), so the change is the
    worker's mean day × (group profile · day changes): one small product per group. Keys are
    rebuilt on first use, and totals over workers need no per-worker arrays at all.
    """

    def __init__(self, result, probabilities):
        wc = result.worker_conditions
        w = result.workers
        n = len(w)
        step = max(1, int(np.ceil(n / SUBSAMPLE)))
        self.idx = np.arange(0, n, step)
        self.scale = n / self.idx.size
        seen = np.bincount(result.weather, minlength=len(probabilities)).astype(float)
        k = calendars(probabilities, result.scenario.workforce.days, result.seed)
        self._dk = k - seen[None, :]                             # calendars × conditions
        self._month = {"worked": w.days_worked, "orders": w.orders, "online": w.online_hours,
                       "working": w.working_hours, "engaged": w.engaged_hours,
                       "gross": w.gross_pay, "floor": w.floor_pay,
                       "net": w.net_income, "platform_cost": w.platform_cost,
                       "weather_money": w.weather_subsidy + w.heat_allowance + w.night_bonus}
        self._wc, self._seen = wc, seen
        self._stand_in = _stand_ins(seen, result.scenario.pay.legal_heat_limits)
        self._days = float(seen.sum())
        self._all_group = w.group
        self._groups = _labels(w.group)
        self._members = [w.group == gi for gi in self._groups]
        self.group = w.group[self.idx]
        self._parts = {}
        self.rebuilt = _Rebuilt(self._rebuild)

    def _part(self, key):
        """(shift: groups × calendars, each sampled worker's mean day) of ``key``."""
        if key not in self._parts:
            sums, seen, days = self._wc[key], self._seen, self._days
            # A worker's mean day of condition c: their mean day times their group's ratio of a
            # day of c to an average day (a worker has too few days of a rare condition).
            profile = np.zeros((int(self._all_group.max()) + 1, seen.size))
            for gi, m in zip(self._groups, self._members):
                gs = sums[m].sum(axis=0)
                avg = gs.sum() / days
                profile[gi] = np.where(avg != 0, gs / np.maximum(seen, 1.0) / avg
                                       if avg else 0.0, 1.0)
            for c, src in self._stand_in.items():
                profile[:, c] = 0.0 if src is None else profile[:, src]
            shift = np.einsum("gc,kc->gk", profile, self._dk)
            self._parts[key] = (shift, sums[self.idx].sum(axis=1) / days)
        return self._parts[key]

    def _rebuild(self, key):
        shift, mean = self._part(key)
        rebuilt = shift[self.group]
        rebuilt *= mean[:, None]
        rebuilt += self._month[key][self.idx][:, None]
        if key == "worked":
            np.maximum(rebuilt, 0.0, out=rebuilt)
        return rebuilt

    def total(self, key) -> np.ndarray:
        """Σ over the sampled workers of ``key`` under each calendar (not for ``worked``)."""
        shift, mean = self._part(key)
        by_group = np.bincount(self.group, weights=mean, minlength=shift.shape[0])
        return self._month[key][self.idx].sum() + by_group @ shift

    def variance(self, fn) -> float:
        """Variance over calendars of ``fn(rebuilt)`` (``rebuilt``: key → workers × calendars)."""
        values = np.asarray(fn(self.rebuilt), dtype=float)
        values = values[np.isfinite(values)]
        return float(values.var(ddof=1)) if values.size > 1 else 0.0

    def total_variance(self, fn) -> float:
        """Variance over calendars of ``fn(total)`` (``total``: key → totals by calendar)."""
        return self.variance(lambda _: fn(self.total))


def quantile_se(x: np.ndarray, quantiles, group: np.ndarray | None = None) -> dict:
    """Distribution-free SE of each quantile: the order statistics that bracket a 95 %
    confidence interval, divided by 2·1.96. With ``group``, the count below the quantile has
    the binomial variance within groups (group sizes are fixed), Σ n_g·p_g·(1 − p_g)."""
    x = np.asarray(x, dtype=float)
    ok = np.isfinite(x)
    order = np.argsort(x[ok], kind="stable")
    xs = x[ok][order]
    gs = None if group is None else np.asarray(group)[ok][order]
    n = xs.size
    out = {}
    for k, p in quantiles:
        if n < 2:
            out[k] = float("nan")
            continue
        var = n * p * (1 - p)
        if gs is not None:
            below = np.arange(n) < int(np.ceil(n * p))
            var = 0.0
            for gi in _labels(gs):
                m = gs == gi
                pg = below[m].mean()
                var += m.sum() * pg * (1 - pg)
        h = _Z * np.sqrt(var)
        lo = int(np.clip(np.floor(n * p - h), 0, n - 1))
        hi = int(np.clip(np.ceil(n * p + h), 0, n - 1))
        out[k] = float((xs[hi] - xs[lo]) / (2 * _Z))
    return out


def masked_quantiles(values: np.ndarray, mask: np.ndarray, quantiles) -> np.ndarray:
    """Quantiles of each column of ``values`` over the rows where ``mask`` (calendars × q),
    interpolated linearly as :func:`numpy.quantile` does; NaN for an empty column.

    When every column has the same number n of values, the order statistics are selected
    without sorting whole columns: with L and U each row's least and greatest value over the
    columns, the r-th smallest value of every column lies between the r-th smallest L and the
    r-th smallest U, so only rows whose range meets that interval are sorted; rows wholly
    below it only shift the rank. The values selected are exactly those of a full sort.
    """
    v = np.where(mask & np.isfinite(values), values, np.inf)      # rows × columns
    count = (v < np.inf).sum(axis=0)
    out = np.full((v.shape[1], len(quantiles)), np.nan)
    if v.shape[1] == 0:
        return out
    if count.min() == count.max() and count[0] > 0:
        n = int(count[0])
        low, high = v.min(axis=1), v.max(axis=1)
        low_sorted, high_sorted = np.sort(low), np.sort(high)
        plan = []
        for _, p in quantiles:
            pos = p * (n - 1)
            lo = int(np.floor(pos))
            hi = min(lo + 1, n - 1)
            a, b = low_sorted[lo], high_sorted[hi]
            plan.append((lo, hi, pos - lo, int(np.count_nonzero(high < a)),
                         (high >= a) & (low <= b)))
        # worth it only when the candidate rows are few (weather moves values little)
        if sum(int(c.sum()) for *_, c in plan) < v.shape[0]:
            for j, (lo, hi, frac, below, cand) in enumerate(plan):
                sub = v[cand].T.copy()                   # columns × candidate rows
                sub.sort(axis=1)
                x_lo, x_hi = sub[:, lo - below], sub[:, hi - below]
                out[:, j] = x_lo if frac == 0 else x_lo * (1 - frac) + x_hi * frac
            return out
    v = v.T.copy()              # one row per column, sorted along the contiguous axis
    v.sort(axis=1)
    rows = np.arange(v.shape[0])
    ok = count > 0
    for j, (_, p) in enumerate(quantiles):
        pos = p * np.maximum(count - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(count - 1, 0))
        frac = pos - lo
        with np.errstate(invalid="ignore"):
            q = v[rows, lo] * (1 - frac) + v[rows, hi] * frac
            q = np.where(frac == 0, v[rows, lo], q)
        out[ok, j] = q[ok]
    return out


def combine(se_workers: float, var_weather: float) -> float:
    if not np.isfinite(se_workers):
        return se_workers
    return float(np.sqrt(se_workers ** 2 + max(var_weather, 0.0)))


def _q(values, mask, quantiles):
    return masked_quantiles(values, mask, quantiles)


# The weather replicates' (pay, hours) of each reading of working time, as in
# :func:`app.simulator.metrics.below_minimum_by_reading`.
READING_KEYS = {"order_time": ("floor", "engaged"), "working_time": ("floor", "working"),
                "online_time": ("floor", "online"), "net_online_time": ("net", "online")}


def standard_errors(result, quantiles, tol: float, readings: dict) -> dict:
    """The ``se`` block of :meth:`SimulationResult.to_dict`, weather calendar included.

    ``readings``: :func:`app.simulator.metrics.below_minimum_by_reading` of the result."""
    w = result.workers
    s = result.scenario
    days = s.workforce.days
    g = w.group
    mw = s.thresholds.hourly_minimum_wage
    act = w.active
    hours = act & (w.working_hours > 0)
    online = act & (w.online_hours > 0)
    monthly = w.monthly_tested
    wr = WeatherReplicates(result, s.market.weather_probabilities())
    r = wr.rebuilt

    def div(a, b):
        with np.errstate(all="ignore"):
            return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)

    def share(flag_fn, mask_fn):
        def fn(x):
            m = mask_fn(x)
            with np.errstate(all="ignore"):
                return (flag_fn(x) & m).sum(axis=0) / m.sum(axis=0)
        return fn

    def month_test(x):
        return monthly[wr.idx][:, None] & (x["worked"] > 0)

    out = {
        "share_below_hourly_minimum": combine(
            share_se(w.below_hourly_minimum[hours], g[hours]),
            wr.variance(share(lambda x: x["floor"] < mw * x["working"] * (1 - tol),
                              lambda x: (x["worked"] > 0) & (x["working"] > 0)))),
        "share_below_monthly_minimum": combine(
            share_se(w.below_monthly_minimum[monthly], g[monthly]),
            wr.variance(share(lambda x: x["floor"] * 30.0 / days
                              < s.thresholds.monthly_minimum_wage * (1 - tol), month_test))),
    }
    out["share_below_hourly_minimum_by_reading"] = {
        reading: combine(share_se(below[tested], g[tested]),
                         wr.variance(share(lambda x, p=pay, h=hrs: x[p] < mw * x[h] * (1 - tol),
                                           lambda x, h=hrs: (x["worked"] > 0) & (x[h] > 0))))
        for reading, (below, tested) in readings.items()
        for pay, hrs in [READING_KEYS[reading]]}
    per = {
        "net_per_working_hour": (w.net_per_working_hour[hours], g[hours],
                                 lambda x: (div(x["net"], x["working"]),
                                            (x["worked"] > 0) & (x["working"] > 0))),
        "net_per_online_hour": (w.net_per_online_hour[online], g[online],
                                lambda x: (div(x["net"], x["online"]),
                                           (x["worked"] > 0) & (x["online"] > 0))),
        "net_monthly": (w.net_monthly[act], g[act],
                        lambda x: (x["net"] * 30.0 / days, x["worked"] > 0)),
    }
    for key, (values, groups, fn) in per.items():
        base = quantile_se(values, quantiles, groups)
        v, m = fn(r)
        qs = _q(v, m, quantiles)                     # calendars × quantiles
        var = np.nanvar(qs, axis=0, ddof=1) if qs.shape[0] > 1 else np.zeros(len(quantiles))
        out[key] = {k: combine(base[k], float(var[j])) for j, (k, _) in enumerate(quantiles)}
    scale2 = wr.scale ** 2
    cost_total = wr.total_variance(lambda t: t("platform_cost")) * scale2
    pay_total = wr.total_variance(lambda t: t("gross")) * scale2
    per_order = wr.total_variance(lambda t: t("platform_cost") / t("orders"))
    net_cost = combine(total_se(w.platform_cost, g), cost_total)
    out["platform"] = {
        "net_cost": net_cost,
        "worker_pay": combine(total_se(w.gross_pay, g), pay_total),
        "cost_per_order": combine(ratio_se(w.platform_cost, w.orders, g), per_order),
        "cost_per_worker_month": net_cost / len(w) * 30.0 / days,
    }
    return out
