"""Statistical checks against analytic means, and the aggregated path against the exact one."""
from __future__ import annotations

import numpy as np
import pytest

from app.simulator import presets, simulate
from app.simulator.engine import weather_codes


def within(observed, expected, se, k=4.0):
    assert abs(observed - expected) <= k * se, (observed, expected, se)


def test_orders_are_poisson_rate_times_online_hours(flat):
    s = flat(n_workers=400, market=dict(orders_per_hour_mean=2.0))
    w = simulate(s, seed=21).workers
    mean = 2.0 * 8 * 30
    within(w.orders.mean(), mean, np.sqrt(mean / 400))
    within(w.orders.var(ddof=1), mean, mean * np.sqrt(2 / 399))


def test_overdispersion_gives_negative_binomial_variance(flat):
    od = 0.5
    # orders carried five at a time: busy days still fit into the day (time is conserved)
    s = flat(n_workers=400, market=dict(orders_per_hour_mean=2.0, orders_overdispersion=od,
                                       batching_factor=5.0))
    w = simulate(s, seed=22).workers
    mu = 16.0
    var = 30 * (mu + od * mu * mu)
    within(w.orders.mean(), 30 * mu, np.sqrt(var / 400))
    within(w.orders.var(ddof=1), var, var * np.sqrt(2 / 399) * 1.5)


def test_km_and_minutes_per_order_have_the_stated_means(flat):
    # 1 order/h × 20 min: a day's order time (capped at online time) never reaches 8 h
    s = flat(n_workers=500, market=dict(orders_per_hour_mean=1.0, km_per_order_cv=0.5,
                                       minutes_per_order_cv=0.4, km_minutes_correlation=0.6))
    w = simulate(s, seed=23).workers
    n = w.orders.sum()
    within(w.engaged_km.sum() / n, 3.0, 3.0 * 0.5 / np.sqrt(n))
    within(w.engaged_hours.sum() * 60 / n, 20.0, 20.0 * 0.4 / np.sqrt(n))


def test_days_worked_peak_share_and_late_probability(flat):
    pay = dict(peak_bonus_per_order=1.0, late_penalty_per_order=1.0, penalty_cap_per_day=1000)
    s = flat(n_workers=400, pay=pay, group=dict(days_per_month=15.0),
             market=dict(orders_per_hour_mean=2.0, peak_share=0.35, late_probability=0.03,
                         late_probability_per_load=0.02))
    w = simulate(s, seed=24).workers
    within(w.days_worked.mean(), 15.0, np.sqrt(30 * 0.25 / 400))
    n = w.orders.sum()
    within(w.peak_bonus.sum() / n, 0.35, np.sqrt(0.35 * 0.65 / n))
    p_late = 0.03 + 0.02 * (2.0 * 20 / 60)
    within(w.penalties.sum() / n, p_late, np.sqrt(p_late * (1 - p_late) / n))


def test_dispatch_cap_and_guarantee(flat):
    s = flat(n_workers=300, market=dict(orders_per_hour_mean=3.0), pay=dict(max_orders_per_hour=1))
    w = simulate(s, seed=25).workers
    within(w.orders.mean(), 240.0, np.sqrt(240 / 300))
    s = flat(n_workers=300, market=dict(orders_per_hour_mean=1.0),
             pay=dict(min_orders_per_hour=2.0), group=dict(dedicated=True))
    w = simulate(s, seed=25).workers
    within(w.orders.mean(), 480.0, np.sqrt(480 / 300))


def test_weather_calendar_and_demand_factor(flat):
    m = presets.preset("delivery").market
    codes = weather_codes(m, 99, 20_000)
    p = m.weather_probabilities()
    for i, pi in enumerate(p):
        within((codes == i).mean(), pi, np.sqrt(pi * (1 - pi) / 20_000) + 1e-12)
    s = flat(n_workers=300, market=dict(orders_per_hour_mean=2.0, p_rain=0.5,
                                       demand_factor_rain=1.5, batching_factor=5.0))
    r = simulate(s, seed=26)
    c = r.by_condition
    rain = c["orders"][1] / c["worker_days"][1]
    fair = c["orders"][0] / c["worker_days"][0]
    within(rain, 24.0, np.sqrt(24 / c["worker_days"][1]))
    within(fair, 16.0, np.sqrt(16 / c["worker_days"][0]))


FEATURES = {"pay.per_km": 1.0, "pay.included_km": 2.5, "pay.per_engaged_minute": 0.05,
            "pay.per_order_minimum": 6.5, "pay.floor_per_minute": 0.3, "pay.floor_per_km": 0.8,
            "pay.hourly_floor": 24.0, "pay.allowance_ratio": 0.2,
            "pay.weather_subsidy_rain_per_order": 1.0, "pay.late_penalty_per_order": 2.0,
            "pay.penalty_cap_per_day": 6.0}


@pytest.mark.parametrize("name,extra", [("delivery", {}), ("ride_hailing", {}), ("freight", {}),
                                        ("delivery", FEATURES),
                                        ("ride_hailing", {"pay.per_order_minimum": 12.0,
                                                          "pay.commission_cap_per_order": 0.22})])
def test_aggregated_path_matches_exact_per_order_path(name, extra):
    s = presets.preset(name).with_values({"workforce.n_workers": 300, "workforce.days": 12,
                                          **extra})
    fast, exact = simulate(s, seed=31), simulate(s, seed=31, exact=True)
    for k, v in fast.workers.arrays.items():
        np.testing.assert_allclose(v, exact.workers.arrays[k], rtol=1e-10, atol=1e-8,
                                   err_msg=k)


def test_standard_errors_are_reported_and_shrink_with_more_workers():
    # The workers' part shrinks with more workers; the weather calendar's part (one month, shared
    # by everyone) does not, so the total SE never falls below it.
    from app.simulator import uncertainty as U
    from app.simulator.metrics import QUANTILES
    s = presets.preset("delivery")
    runs = {n: simulate(s.with_values({"workforce.n_workers": n}), seed=1) for n in (500, 4000)}
    se = {n: r.to_dict()["se"] for n, r in runs.items()}
    part = {}
    for n, r in runs.items():
        w = r.workers
        h = w.active & (w.working_hours > 0)
        part[n] = U.quantile_se(w.net_per_working_hour[h], QUANTILES, w.group[h])["p50"]
        assert se[n]["net_per_working_hour"]["p50"] >= part[n]
    assert part[4000] < 0.5 * part[500]
    assert se[4000]["net_per_working_hour"]["p50"] <= se[500]["net_per_working_hour"]["p50"] \
        * 1.01
    assert se[4000]["platform"]["cost_per_order"] < se[500]["platform"]["cost_per_order"]
    assert all(v >= 0 for v in se[4000]["net_monthly"].values())
