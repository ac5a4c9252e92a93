"""How much of a package's worker gain survives the demand and supply response.

The engine solves the behavioural fixed point inside :func:`~app.simulator.engine.compare` when a
proposal has ``behaviour.enabled`` (hours supplied respond to net pay per online hour with the
labour-supply elasticity; orders respond to the price change with the demand elasticity; orders
per hour = demand ÷ supply). This module runs the package twice against the baseline on the same
draws — once static (behaviour off), once with the response — and reports the fixed point, the
utilisation (engaged ÷ online hours) and the share of the static gain that survives.

The engine reports the multipliers behind its result and how it got there (converged, clipped at
a bound of the map, iterations, residual); this module passes that on and checks it once more by
applying the map to the returned result (:func:`residual`).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from app.simulator import measures as M
from app.simulator.engine import TOLERANCE as ENGINE_TOLERANCE
from app.simulator.engine import behaviour_map, compare
from app.simulator.params import Scenario

#: Largest change of a multiplier by one more step of the map for "converged".
TOLERANCE = ENGINE_TOLERANCE


def _static(s: Scenario) -> Scenario:
    return dataclasses.replace(s, behaviour=dataclasses.replace(s.behaviour, enabled=False))


def no_response(behaviour) -> bool:
    """True when the response is nil whatever the package (identical to the static model)."""
    return (not behaviour.enabled or behaviour.max_hours_change == 0.0
            or (behaviour.labour_supply_elasticity == 0.0
                and behaviour.demand_price_elasticity * behaviour.pass_through == 0.0))


def residual(base, result) -> dict:
    """One more step of the engine's fixed-point map from ``result``: the change it would make.

    Uses the engine's own map (:func:`app.simulator.engine.behaviour_map`).
    """
    b = result.scenario.behaviour
    mult = result.behaviour_multipliers or {"hours": 1.0, "orders_per_hour": 1.0}
    mh, mr, clipped = behaviour_map(base.totals(), result.totals(), b, mult["hours"])
    return {"hours": abs(mh - mult["hours"]), "orders_per_hour": abs(mr - mult["orders_per_hour"]),
            "clipped": clipped}


def _figures(result) -> dict:
    w = result.workers
    online = w.online_hours.sum()
    days = result.scenario.workforce.days
    return {
        "mean_net_monthly": M.MEASURES["mean_net_monthly"](result),
        "median_net_per_online_hour": M.MEASURES["median_net_per_online_hour"](result),
        "p25_net_per_working_hour": M.MEASURES["p25_net_per_working_hour"](result),
        "share_below_hourly_minimum": M.MEASURES["share_below_hourly_minimum"](result),
        "platform_cost_month": M.platform_cost_month(result),
        "orders_month": float(w.orders.sum() * 30.0 / days),
        "online_hours_month": float(online * 30.0 / days),
        "utilisation": float(w.engaged_hours.sum() / online) if online else float("nan"),
    }


def _survival(static_gain, dynamic_gain):
    if not np.isfinite(static_gain) or abs(static_gain) < 1e-9:
        return None
    return float(dynamic_gain / static_gain)


def behaviour_response(baseline: Scenario, package: Scenario, *, seed: int) -> dict:
    """Static vs behavioural effect of ``package`` against ``baseline``.

    ``package.behaviour`` carries the elasticities; when they cannot produce any response
    (:func:`no_response`) the behavioural result *is* the static one. Returns ``baseline``,
    ``static`` and ``behavioural`` figures (see :func:`_figures`), the multipliers of the fixed
    point, ``converged`` with the ``residual``, and ``survival``: behavioural gain ÷ static
    gain of the mean net monthly pay and of the median net pay per online hour.
    """
    static_pkg = _static(package)
    if no_response(package.behaviour):
        cmp = compare(baseline, [static_pkg], seed=seed)
        base, stat = cmp.baseline, cmp.proposals[0]
        dyn = stat
        mult = {"hours": 1.0, "orders_per_hour": 1.0}
        res = {"hours": 0.0, "orders_per_hour": 0.0, "clipped": False}
        solution = {"converged": True, "clipped": False, "iterations": 0, "residual": 0.0}
        identical = True
    else:
        enabled = dataclasses.replace(package, behaviour=dataclasses.replace(
            package.behaviour, enabled=True))
        cmp = compare(baseline, [static_pkg, enabled], seed=seed)
        base, stat, dyn = cmp.baseline, cmp.proposals[0], cmp.proposals[1]
        mult = dict(dyn.behaviour_multipliers or {"hours": 1.0, "orders_per_hour": 1.0})
        res = residual(base, dyn)
        solution = dict(dyn.behaviour_solution or {})
        identical = False
    fb, fs, fd = _figures(base), _figures(stat), _figures(dyn)
    gains = {k: {"static": fs[k] - fb[k], "behavioural": fd[k] - fb[k]} for k in fb}
    converged = bool(solution.get("converged")) and \
        max(res["hours"], res["orders_per_hour"]) < TOLERANCE
    b = package.behaviour
    return {
        "baseline": fb, "static": fs, "behavioural": fd, "gains": gains,
        "multipliers": mult, "residual": {"hours": res["hours"],
                                          "orders_per_hour": res["orders_per_hour"]},
        "converged": bool(converged), "clipped": bool(res["clipped"]),
        "iterations": int(solution.get("iterations", 0)),
        "identical_to_static": identical,
        "survival": {k: _survival(gains[k]["static"], gains[k]["behavioural"])
                     for k in ("mean_net_monthly", "median_net_per_online_hour")},
        "elasticities": {"labour_supply": b.labour_supply_elasticity,
                         "demand_price": b.demand_price_elasticity,
                         "pass_through": b.pass_through, "max_hours_change": b.max_hours_change},
        "seed": seed,
    }
