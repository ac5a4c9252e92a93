"""The effect of a package against its baseline: the one computation every page shows.

Workbench, compare page, offers table, agreement annex and exports all call
:func:`package_effect` (decision 5 of ``domain/simulation-model.md``): the package and its
baseline (today's rules in the same world) on common random numbers, with one seed policy
(:data:`EFFECT_SEED` unless a scenario's author fixed another), so the same package against the
same baseline shows the same figures everywhere. The result is a JSON-ready dict of plain
numbers (NaN becomes ``None``): a shared snapshot keeps exactly what its authors saw and the
chart can be drawn again from it. Results are kept by their inputs (:class:`EffectCache`).
"""
import hashlib
import json
import math
import threading
from collections import OrderedDict

import numpy as np

from app.simulator import engine, sampling
from app.simulator.metrics import QUANTILES, READINGS, ComparisonResult
from app.simulator.params import Scenario, field_specs

# The seed policy, written once: every effect uses this seed unless the scenario's author chose
# another on the workbench (an offer, an annex and a new scenario always use this one).
EFFECT_SEED = 20240101

QUANTILE_KEYS = tuple(k for k, _ in QUANTILES)
DISTRIBUTION_MEASURES = ("net_per_working_hour", "net_per_online_hour", "net_monthly")
PLATFORM_KEYS = ("worker_pay", "subsidies", "floor_topups", "insurance", "commission_revenue",
                 "membership_revenue", "customer_fares", "net_cost")
WEATHER_KEYS = ("days", "worker_days", "orders_per_worker_day", "online_hours_per_worker_day",
                "floor_pay_per_working_hour", "subsidies_per_worker_day")
HIST_BINS = 48
BIN_WIDTHS = (0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0)


def clean(value):
    """JSON-safe copy: NaN/inf → None, numpy scalars → Python numbers."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        value = float(value)
        return value if math.isfinite(value) else None
    return value


def _histogram(base: np.ndarray, package: np.ndarray, minimum_wage: float) -> dict:
    """Shared bins over the central 99 % of both samples, with the minimum wage inside.

    Bins sit on a grid of round widths and the range snaps to five bins, so small changes of a
    term keep the same axes (the chart's frame is then drawn from cache)."""
    both = np.concatenate([base[np.isfinite(base)], package[np.isfinite(package)]])
    if both.size == 0:
        return {"edges": [], "baseline": [], "package": []}
    lo, hi = np.quantile(both, [0.005, 0.995])
    lo, hi = min(lo, minimum_wage * 0.9), max(hi, minimum_wage * 1.1)
    width = next((w for w in BIN_WIDTHS if (hi - lo) / w <= HIST_BINS), BIN_WIDTHS[-1])
    block = 5 * width
    lo, hi = np.floor(lo / block) * block, np.ceil(hi / block) * block
    if hi <= lo:
        hi = lo + block
    edges = np.linspace(lo, hi, int(round((hi - lo) / width)) + 1)

    def counts(x):
        x = np.clip(x[np.isfinite(x)], lo, hi)
        c, _ = np.histogram(x, bins=edges)
        return (c / max(x.size, 1)).tolist()
    return {"edges": edges.tolist(), "baseline": counts(base), "package": counts(package)}


def _side(d: dict) -> dict:
    """The parts of one ``SimulationResult.to_dict()`` the pages use."""
    return {
        "workers": d["workers"], "active_workers": d["active_workers"], "orders": d["orders"],
        "share_below_hourly_minimum": d["share_below_hourly_minimum"],
        "share_below_hourly_minimum_incl_subsidies":
            d["share_below_hourly_minimum_incl_subsidies"],
        "share_net_below_hourly_minimum": d["share_net_below_hourly_minimum"],
        "share_below_monthly_minimum": d["share_below_monthly_minimum"],
        "share_below_hourly_minimum_by_reading": d["share_below_hourly_minimum_by_reading"],
        "mean_net_monthly": d["mean_net_monthly"],
        "quantiles": {m: d[m] for m in DISTRIBUTION_MEASURES},
        "platform": {k: d["platform"][k] for k in PLATFORM_KEYS}
        | {"cost_per_order": d["platform"]["cost_per_order"],
           "cost_per_worker_month": d["platform"]["cost_per_worker_month"]},
        "by_group": {name: {"workers": g["workers"], "active_workers": g["active_workers"],
                            "share_below_hourly_minimum": g["share_below_hourly_minimum"],
                            "share_below_hourly_minimum_by_reading":
                                g["share_below_hourly_minimum_by_reading"],
                            "median_net_per_working_hour": g["net_per_working_hour"]["p50"],
                            "mean_net_monthly": g["mean_net_monthly"],
                            "mean_online_hours_per_day": g["mean_online_hours_per_day"]}
                     for name, g in d["by_group"].items()},
        "by_weather": {name: {k: w[k] for k in WEATHER_KEYS}
                       for name, w in d["by_weather"].items()},
        "se": {"share_below_hourly_minimum": d["se"]["share_below_hourly_minimum"],
               "share_below_hourly_minimum_by_reading":
                   d["se"]["share_below_hourly_minimum_by_reading"],
               "median_net_per_working_hour": d["se"]["net_per_working_hour"]["p50"],
               "net_per_working_hour": d["se"]["net_per_working_hour"],
               "cost_per_order": d["se"]["platform"]["cost_per_order"],
               "cost_per_worker_month": d["se"]["platform"]["cost_per_worker_month"]},
    }


def adopted_reading(pay) -> str:
    """The reading of working time the package itself uses for its hourly floor and the legal
    test: its working time is order time × (1 + allowance), so with no allowance it is the
    order-time reading."""
    return "working_time" if pay.allowance_ratio > 0 else "order_time"


def threshold_of(scenario: Scenario) -> dict:
    """The minimum wage a scenario is tested against, with its place, date and source."""
    th = scenario.thresholds
    source = scenario.sources.get("thresholds.hourly_minimum_wage")
    if not source or source in ("user", "assumption"):
        source = next(e["source"] for e in field_specs(Scenario())
                      if e["key"] == "thresholds.hourly_minimum_wage")
    return {"hourly": th.hourly_minimum_wage, "monthly": th.monthly_minimum_wage,
            "region": th.region, "effective_from": th.valid_from, "source": source}


def _delta(comparison, prop) -> dict:
    delta = comparison.delta(prop)
    return {
        "share_better_off": delta["share_better_off"],
        "share_worse_off": delta["share_worse_off"],
        "mean_net_monthly_change": delta["mean_net_monthly_change"],
        "share_below_hourly_minimum": delta["share_below_hourly_minimum"],
        "share_below_hourly_minimum_by_reading":
            delta["share_below_hourly_minimum_by_reading"],
        "cost_per_order": delta["platform"]["cost_per_order"],
        "cost_per_worker_month": delta["platform"]["cost_per_worker_month"],
        "net_cost": delta["platform"]["net_cost"],
        "se": {"share_below_hourly_minimum": delta["se"]["share_below_hourly_minimum"],
               "share_below_hourly_minimum_by_reading":
                   delta["se"]["share_below_hourly_minimum_by_reading"],
               "mean_net_monthly_change": delta["se"]["mean_net_monthly_change"],
               "cost_per_worker_month": delta["se"]["platform"]["cost_per_worker_month"]},
    }


def _compute(package: Scenario, baseline: Scenario, seed: int) -> dict:
    # The same figures as ``engine.compare(baseline, [package])``: a result depends only on its
    # scenario, the reference (the baseline) and the seed, so the baseline is simulated once
    # for every package set against it (the workbench re-runs only the package on each edit).
    base = baseline_cache.get(baseline, seed)
    root = sampling.root_seed(seed)
    if package.behaviour.enabled:
        prop = engine.equilibrium(base, package, root, baseline)
    else:
        prop = engine.simulate(package, seed=root, reference=baseline)
    comparison = ComparisonResult(baseline=base, proposals=[prop])
    mw = package.thresholds.hourly_minimum_wage
    out = {
        "seed": seed,
        "n_workers": package.workforce.n_workers,
        "days": package.workforce.days,
        "minimum_wage": mw,
        "monthly_minimum_wage": package.thresholds.monthly_minimum_wage,
        "threshold": threshold_of(package),
        "readings": list(READINGS),
        "adopted_reading": adopted_reading(package.pay),
        "group_names": list(base.workers.group_names),
        "baseline": _side(base.to_dict()),
        "package": _side(prop.to_dict()),
        "delta": _delta(comparison, prop),
        "histogram": _histogram(_hourly(base), _hourly(prop), mw),
    }
    return clean(out)


def _hourly(result) -> np.ndarray:
    w = result.workers
    return w.net_per_working_hour[w.active & (w.working_hours > 0)]


def effects_many(packages: list[Scenario], baseline: Scenario, seed: int = EFFECT_SEED
                 ) -> list[dict]:
    """Several packages against one baseline: each one's :func:`package_effect` (so a column of
    the comparison page shows what the package's own workbench shows), plus its ``name``."""
    return [{**package_effect(p, baseline, seed), "name": p.name} for p in packages]


class EffectCache:
    """The last few values of ``compute(*scenarios, seed)`` by their inputs: re-opening a page
    or exporting what is on screen does not simulate again. Safe across threads."""

    def __init__(self, compute, size: int = 64):
        self.compute, self.size = compute, size
        self._items, self._lock = OrderedDict(), threading.Lock()

    @staticmethod
    def key(*args) -> str:
        data = [a.to_dict() if isinstance(a, Scenario) else a for a in args]
        for d in data:
            if isinstance(d, dict):
                d.pop("name", None)  # the name changes no figure
        text = json.dumps(data, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def get(self, *args):
        key = self.key(*args)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = self.compute(*args)
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def _baseline(baseline: Scenario, seed: int):
    result = engine.simulate(baseline, seed=sampling.root_seed(seed))
    result.to_dict()  # its figures and standard errors, worked out once while cached
    return result


#: Effects by (package, baseline, seed); baselines' results by (baseline, seed). A cached
#: result is shared: never modified after it is made.
effect_cache = EffectCache(_compute)
baseline_cache = EffectCache(_baseline, size=8)


def package_effect(package: Scenario, baseline: Scenario, seed: int = EFFECT_SEED) -> dict:
    """The effect of ``package`` against ``baseline`` (today's rules in the same world).

    Returns ``{"seed", "n_workers", "days", "minimum_wage", "monthly_minimum_wage",
    "threshold" (hourly, monthly, region, effective_from, source), "readings",
    "adopted_reading", "group_names", "baseline": side, "package": side, "delta": {...},
    "histogram": {...}}`` where a side holds the headline shares (the share below the hourly
    minimum under each reading of working time, :data:`~app.simulator.metrics.READINGS`),
    quantiles (p10…p90) of net pay per working hour, per online hour and per month, platform
    money, and breakdowns by worker group and weather, with Monte Carlo standard errors under
    ``se``. The returned dict is shared: do not modify it.
    """
    return effect_cache.get(package, baseline, seed)
