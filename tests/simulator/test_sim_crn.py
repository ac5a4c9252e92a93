"""Baselines independent of the package set, and common random numbers in analyses
(simulation-model decision 5)."""
from __future__ import annotations

import numpy as np

from app.simulator import compare, presets, simulate
from app.simulator import measures as M
from app.simulator.sensitivity import sensitivity


def small(name="delivery", **values):
    base = {"workforce.n_workers": 300, "workforce.days": 12}
    base.update(values)
    return presets.preset(name).with_values(base)


def _same(a, b):
    for k, v in a.workers.arrays.items():
        np.testing.assert_array_equal(v, b.workers.arrays[k], err_msg=k)


def test_a_baseline_does_not_depend_on_the_other_packages():
    base = small()
    a = base.with_values({"pay.base_per_order": base.pay.base_per_order + 1}, name="A")
    busier = base.with_values({"market.orders_per_hour_mean": 9.0,
                               "workforce.groups.full_time.hours_median": 11.0}, name="B")
    behaving = base.with_values({"pay.base_per_order": base.pay.base_per_order + 2,
                                 "behaviour.enabled": True}, name="C")
    alone = simulate(base, seed=4)
    one = compare(base, [a], seed=4)
    for others in ([a, busier], [a, behaving], [busier, a, behaving]):
        more = compare(base, others, seed=4)
        _same(one.baseline, more.baseline)
        _same(one.proposals[0], more.proposals[[p.scenario.name for p in
                                                more.proposals].index("A")])
    _same(alone, one.baseline)
    # the busier package really does see more orders (as many as the day's time allows)
    more = compare(base, [busier], seed=4)
    assert more.proposals[0].workers.orders.sum() > 1.05 * more.baseline.workers.orders.sum()


def test_a_higher_order_rate_keeps_the_common_orders():
    base = small("ride_hailing")
    up = base.with_values({"market.orders_per_hour_mean": base.market.orders_per_hour_mean * 1.1})
    r = compare(base, [up], seed=6)
    b, p = r.baseline.workers, r.proposals[0].workers
    # with common random numbers most workers gain a few orders; few lose any
    assert (p.orders >= b.orders).mean() > 0.9
    corr = np.corrcoef(b.net_income, p.net_income)[0, 1]
    assert corr > 0.98


def _bar(scenario, seed, crn):
    key = "market.worker_rate_sigma"
    m = M.get("p25_net_per_working_hour")
    if crn:
        r = sensitivity(scenario, measure=m.name, seed=seed, keys=[key], workers=None)
        return r["rows"][0]["delta_high"]
    up = scenario.with_values({key: scenario.market.worker_rate_sigma * 1.1})
    return m(simulate(up, seed=seed)) - m(simulate(scenario, seed=seed))


def test_common_draws_shrink_the_spread_of_a_tornado_bar_for_an_order_rate_input():
    s = small(**{"workforce.n_workers": 400, "workforce.days": 30})
    seeds = range(1, 9)
    with_crn = np.array([_bar(s, k, True) for k in seeds])
    without = np.array([_bar(s, k, False) for k in seeds])
    assert with_crn.std(ddof=1) < 0.5 * without.std(ddof=1), (with_crn, without)
