"""Results: per-worker arrays, aggregates, quantiles and Monte Carlo standard errors.

Standard errors (:mod:`app.simulator.uncertainty`) include the weather calendar (a month's weather
is one draw too) and compute totals within groups. Quantile standard errors are distribution-free
(order statistics around the quantile); totals and ratios use the spread of per-worker
contributions within groups (delta method for ratios).
"""
from __future__ import annotations

import copy

import numpy as np

from app.simulator import uncertainty
from app.simulator.kernels import safe_ratio
from app.simulator.market import CONDITIONS

QUANTILES = (("p10", 0.10), ("p25", 0.25), ("p50", 0.50), ("p75", 0.75), ("p90", 0.90))
_TOL = 1e-9


def quantiles(x: np.ndarray) -> dict:
    """p10 … p90 of the finite values of ``x`` (NaN when there are none)."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return {k: float("nan") for k, _ in QUANTILES}
    q = np.quantile(x, [p for _, p in QUANTILES])
    return {k: float(v) for (k, _), v in zip(QUANTILES, q)}


def _share(flags: np.ndarray) -> tuple[float, float]:
    n = flags.size
    if n == 0:
        return float("nan"), float("nan")
    p = float(flags.mean())
    return p, float(np.sqrt(p * (1 - p) / n))


def _f(x) -> float:
    return float(x)


READINGS = ("order_time", "working_time", "online_time", "net_online_time")


def below_minimum_by_reading(w, hourly_minimum: float) -> dict:
    """Who is below the hourly minimum under each reading of working time (decision 2).

    ``order_time``: countable pay per hour with an order in hand; ``working_time``: per order
    time + allowance + platform-required online time (人社厅发〔2023〕50号, the engine's
    ``working_hours``); ``online_time``: per hour logged in; ``net_online_time``: net income
    (after the worker's own costs and fees, subsidies included) per hour logged in. Countable
    pay excludes weather, heat and night money (《最低工资规定》第十二条).

    Returns ``{reading: (below, tested)}``: boolean arrays over all workers; ``tested`` are the
    active workers with hours under that reading (the share's denominator).
    """
    pairs = {"order_time": (w.floor_pay, w.engaged_hours),
             "working_time": (w.floor_pay, w.working_hours),
             "online_time": (w.floor_pay, w.online_hours),
             "net_online_time": (w.net_income, w.online_hours)}
    out = {}
    for reading, (pay, hours) in pairs.items():
        tested = w.active & (hours > 0)
        out[reading] = (tested & (pay < hourly_minimum * hours * (1 - _TOL)), tested)
    return out


class WorkerResults:
    """Per-worker arrays for one simulated month (one entry per worker).

    Money in yuan, time in hours. Amounts: ``orders``, ``km`` (incl. empty km),
    ``engaged_km``, ``days_worked``, ``online_hours``, ``engaged_hours``, ``working_hours``,
    ``base_pay`` (piece-rate pay or the driver's share of fares), ``per_order_floor_topup``,
    ``peak_bonus``, ``night_bonus``, ``weather_subsidy``, ``heat_allowance``, ``penalties``,
    ``floor_topup`` (hourly floor), ``fares``, ``commission`` (net of refunds),
    ``commission_refund`` (monthly cap), ``membership_fee``, ``costs``, ``gross_pay``,
    ``net_income``, ``floor_pay`` (pay countable towards the minimum wage: weather, heat and
    night money excluded), ``injury_insurance``, ``pension_subsidy``, ``hit_hour_limit_days``.
    Derived: ``net_per_online_hour``, ``net_per_working_hour``, ``gross_per_engaged_hour``,
    ``floor_pay_per_working_hour``, ``net_monthly``, ``active``, ``below_hourly_minimum``,
    ``below_monthly_minimum``, ``monthly_tested``; ``group`` (index into ``group_names``).
    """

    def __init__(self, arrays: dict, group: np.ndarray, group_names: tuple):
        self.arrays = dict(arrays)
        self.group = group
        self.group_names = tuple(group_names)
        for k, v in self.arrays.items():
            setattr(self, k, v)

    @classmethod
    def build(cls, arrays: dict, group: np.ndarray, scenario) -> "WorkerResults":
        a = dict(arrays)
        days = scenario.workforce.days
        th = scenario.thresholds
        a["active"] = a["days_worked"] > 0
        a["net_per_online_hour"] = safe_ratio(a["net_income"], a["online_hours"])
        a["net_per_working_hour"] = safe_ratio(a["net_income"], a["working_hours"])
        a["gross_per_engaged_hour"] = safe_ratio(a["gross_pay"], a["engaged_hours"])
        a["floor_pay_per_working_hour"] = safe_ratio(a["floor_pay"], a["working_hours"])
        a["net_monthly"] = np.where(a["active"], a["net_income"] * 30.0 / days, np.nan)
        mw = th.hourly_minimum_wage
        tested = a["working_hours"] > 0
        a["below_hourly_minimum"] = tested & (a["floor_pay"] < mw * a["working_hours"] * (1 - _TOL))
        monthly = np.array([g.monthly_test for g in scenario.workforce.groups])[group]
        a["monthly_tested"] = monthly & a["active"]
        a["below_monthly_minimum"] = a["monthly_tested"] & (
            a["floor_pay"] * 30.0 / days < th.monthly_minimum_wage * (1 - _TOL))
        a["platform_cost"] = (a["gross_pay"] + a["injury_insurance"] + a["pension_subsidy"]
                              - a["fares"] - a["membership_fee"])
        return cls(a, group, tuple(g.name for g in scenario.workforce.groups))

    def __len__(self):
        return self.group.size


class SimulationResult:
    """Result of :func:`~app.simulator.engine.simulate` for one scenario."""

    def __init__(self, scenario, seed, workers: WorkerResults, weather, by_condition):
        self.scenario, self.seed, self.workers = scenario, seed, workers
        self.weather = weather
        self.by_condition = by_condition
        self.behaviour_multipliers = None
        self.behaviour_solution = None
        self.days = None
        self.worker_conditions = None
        self._totals = None
        self._se = None
        self._dict = None

    # -- headline figures ----------------------------------------------------------------
    def totals(self) -> dict:
        """Platform totals and a few means (used by ``to_dict`` and the behaviour solver)."""
        if self._totals is None:
            w = self.workers
            days = self.scenario.workforce.days
            orders = w.orders.sum()
            cost = w.platform_cost.sum()
            online = w.online_hours.sum()
            self._totals = {
                "orders": _f(orders),
                "worker_pay": _f(w.gross_pay.sum()),
                "subsidies": _f((w.weather_subsidy + w.heat_allowance).sum()),
                "insurance": _f((w.injury_insurance + w.pension_subsidy).sum()),
                "commission_revenue": _f(w.commission.sum()),
                "membership_revenue": _f(w.membership_fee.sum()),
                "customer_fares": _f(w.fares.sum()),
                "floor_topups": _f((w.floor_topup + w.per_order_floor_topup).sum()),
                "net_cost": _f(cost),
                "cost_per_order": _f(cost / orders) if orders else float("nan"),
                "cost_per_worker_month": _f(cost / len(w) * 30.0 / days),
                "fare_per_order": _f(w.fares.sum() / orders) if orders else 0.0,
                "net_per_online_hour_mean": _f(w.net_income.sum() / online) if online else 0.0,
            }
        return self._totals

    def platform(self) -> dict:
        t = self.totals()
        keys = ("worker_pay", "subsidies", "insurance", "commission_revenue",
                "membership_revenue", "customer_fares", "floor_topups", "net_cost",
                "cost_per_order", "cost_per_worker_month")
        return {k: t[k] for k in keys}

    def _summary(self, w: WorkerResults, mask: np.ndarray) -> dict:
        days = self.scenario.workforce.days
        act = mask & w.active
        hours = act & (w.working_hours > 0)
        below, below_se = _share(w.below_hourly_minimum[hours])
        mw = self.scenario.thresholds.hourly_minimum_wage
        incl = (w.floor_pay + w.weather_subsidy + w.heat_allowance + w.night_bonus)[hours]
        incl_below, _ = _share(incl < mw * w.working_hours[hours] * (1 - _TOL))
        net_below, _ = _share(w.net_income[hours] < mw * w.working_hours[hours])
        monthly, monthly_se = _share(w.below_monthly_minimum[mask & w.monthly_tested])
        n_act = int(act.sum())
        readings = {r: _share(b[mask & t]) for r, (b, t)
                    in below_minimum_by_reading(w, mw).items()}
        return {
            "workers": int(mask.sum()),
            "active_workers": n_act,
            "worker_days": int(w.days_worked[mask].sum()),
            "orders": int(round(w.orders[mask].sum())),
            "net_per_working_hour": quantiles(w.net_per_working_hour[hours]),
            "net_per_online_hour": quantiles(w.net_per_online_hour[act & (w.online_hours > 0)]),
            "net_monthly": quantiles(w.net_monthly[act]),
            "gross_per_engaged_hour": quantiles(w.gross_per_engaged_hour[act]),
            "floor_pay_per_working_hour": quantiles(w.floor_pay_per_working_hour[hours]),
            "share_below_hourly_minimum": below,
            "share_below_hourly_minimum_incl_subsidies": incl_below,
            "share_net_below_hourly_minimum": net_below,
            "share_below_monthly_minimum": monthly,
            "share_below_hourly_minimum_by_reading": {r: p for r, (p, _) in readings.items()},
            "mean_net_monthly": _f(w.net_income[act].mean() * 30.0 / days) if n_act else
            float("nan"),
            "mean_online_hours_per_day": _f(w.online_hours[act].sum()
                                            / max(w.days_worked[act].sum(), 1)),
            "_se": {"share_below_hourly_minimum": below_se,
                    "share_below_monthly_minimum": monthly_se,
                    "share_below_hourly_minimum_by_reading":
                        {r: se for r, (_, se) in readings.items()}},
        }

    def to_dict(self) -> dict:
        """JSON-ready summary (see the module docstring for the standard errors), worked out
        once; each call returns its own copy."""
        if self._dict is None:
            self._dict = self._summary_dict()
        return copy.deepcopy(self._dict)

    def _summary_dict(self) -> dict:
        w = self.workers
        everyone = np.ones(len(w), dtype=bool)
        out = self._summary(w, everyone)
        out.pop("_se")
        days = self.scenario.workforce.days
        se = self.standard_errors()
        out = {"scenario": self.scenario.name, "seed": self.seed, "days": days, **out}
        out["platform"] = self.platform()
        out["se"] = se
        out["by_group"] = {}
        for i, name in enumerate(w.group_names):
            s = self._summary(w, w.group == i)
            s.pop("_se")
            out["by_group"][name] = s
        out["by_weather"] = self._by_weather()
        if self.behaviour_multipliers:
            out["behaviour_multipliers"] = dict(self.behaviour_multipliers)
        if self.behaviour_solution:
            out["behaviour_solution"] = dict(self.behaviour_solution)
        return _json_safe(out)

    def standard_errors(self) -> dict:
        """Monte Carlo standard errors of the headline figures, the weather calendar included
        and totals within groups (see :mod:`app.simulator.uncertainty`)."""
        if self._se is None:
            if self.worker_conditions is None:
                raise ValueError("standard errors need the per-condition sums of the engine")
            self._se = uncertainty.standard_errors(
                self, QUANTILES, _TOL, below_minimum_by_reading(
                    self.workers, self.scenario.thresholds.hourly_minimum_wage))
        return self._se

    def _by_weather(self) -> dict:
        c = self.by_condition
        day_counts = np.bincount(self.weather, minlength=len(CONDITIONS))
        out = {}
        for i, name in enumerate(CONDITIONS):
            if day_counts[i] == 0:
                continue
            wd = c["worker_days"][i]
            out[name] = {
                "days": int(day_counts[i]),
                "worker_days": int(wd),
                "orders_per_worker_day": _f(c["orders"][i] / wd) if wd else 0.0,
                "online_hours_per_worker_day": _f(c["online_hours"][i] / wd) if wd else 0.0,
                "gross_per_working_hour": _f(safe_ratio(c["gross_pay"][i], c["working_hours"][i])),
                "floor_pay_per_working_hour": _f(safe_ratio(c["floor_pay"][i],
                                                            c["working_hours"][i])),
                "subsidies_per_worker_day": _f(c["subsidies"][i] / wd) if wd else 0.0,
            }
        return out


def _json_safe(x):
    """NaN and infinities → None, so ``to_dict`` output is strict JSON."""
    if isinstance(x, dict):
        return {k: _json_safe(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_json_safe(v) for v in x]
    if isinstance(x, float) and not np.isfinite(x):
        return None
    return x


def _delta(a, b):
    """a − b, recursively over dicts of numbers (None where either is missing)."""
    if isinstance(a, dict):
        return {k: _delta(a[k], b[k]) for k in a
                if isinstance(b, dict) and k in b and not isinstance(a[k], str)}
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
            and not isinstance(a, bool) and not isinstance(b, bool):
        return a - b
    return None


class ComparisonResult:
    """Baseline and proposals evaluated on the same draws."""

    def __init__(self, baseline: SimulationResult, proposals: list):
        self.baseline, self.proposals = baseline, list(proposals)

    def delta(self, proposal: SimulationResult) -> dict:
        """Proposal − baseline for the headline figures, plus who gains and who loses.

        Quantile changes are differences of quantiles (not quantiles of differences);
        ``share_better_off``/``share_worse_off`` count workers active in either scenario whose
        net income moved by more than half a fen.
        """
        b, p = self.baseline, proposal
        bd, pd = b.to_dict(), p.to_dict()
        keys = ("worker_days", "orders", "net_per_working_hour", "net_per_online_hour",
                "net_monthly", "gross_per_engaged_hour", "floor_pay_per_working_hour",
                "share_below_hourly_minimum", "share_below_hourly_minimum_incl_subsidies",
                "share_net_below_hourly_minimum", "share_below_monthly_minimum",
                "mean_net_monthly", "platform", "share_below_hourly_minimum_by_reading")
        out = {k: _delta(pd[k], bd[k]) for k in keys}
        wb, wp = b.workers, p.workers
        either = wb.active | wp.active
        diff = (wp.net_income - wb.net_income)[either]
        tol = 0.005
        out["share_better_off"] = _f((diff > tol).mean()) if diff.size else 0.0
        out["share_worse_off"] = _f((diff < -tol).mean()) if diff.size else 0.0
        days = b.scenario.workforce.days
        out["mean_net_monthly_change"] = _f(diff.mean() * 30.0 / days) if diff.size else 0.0
        cost = wp.platform_cost - wb.platform_cost
        hours = (wb.working_hours > 0) & (wp.working_hours > 0)
        flips = (wp.below_hourly_minimum.astype(float) - wb.below_hourly_minimum)[hours]
        by_reading = {}
        prop_readings = below_minimum_by_reading(wp, p.scenario.thresholds.hourly_minimum_wage)
        for r, (bb, bt) in below_minimum_by_reading(
                wb, b.scenario.thresholds.hourly_minimum_wage).items():
            pb, pt = prop_readings[r]
            f = (pb.astype(float) - bb)[bt & pt]
            by_reading[r] = _f(f.std(ddof=1) / np.sqrt(f.size)) if f.size > 1 else float("nan")
        out["se"] = {
            "share_below_hourly_minimum_by_reading": by_reading,
            "mean_net_monthly_change": _f(diff.std(ddof=1) / np.sqrt(diff.size) * 30.0 / days)
            if diff.size > 1 else float("nan"),
            "share_below_hourly_minimum": _f(flips.std(ddof=1) / np.sqrt(flips.size))
            if flips.size > 1 else float("nan"),
            "platform": {"net_cost": uncertainty.total_se(cost, wb.group),
                         "cost_per_worker_month": uncertainty.total_se(cost, wb.group)
                         / len(wb) * 30.0 / days},
        }
        out["by_group"] = {name: _delta(pd["by_group"][name], bd["by_group"][name])
                           for name in pd["by_group"] if name in bd["by_group"]}
        return out

    def to_dict(self) -> dict:
        """JSON-ready: the baseline, and per proposal its result and its ``delta``."""
        return _json_safe({
            "seed": self.baseline.seed,
            "baseline": self.baseline.to_dict(),
            "proposals": [{"scenario": p.scenario.name, "result": p.to_dict(),
                           "delta": self.delta(p)} for p in self.proposals],
        })
