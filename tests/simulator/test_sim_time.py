"""Time conservation (simulation-model decision 1): a worker's order time never exceeds their
online time on any worker-day, and what is not dispatched is not paid."""
from __future__ import annotations

import numpy as np
import pytest

from app.simulator import presets, simulate

BUSY = {"market.orders_per_hour_mean": 4.5, "workforce.n_workers": 300, "workforce.days": 12}


def _days(name, seed, exact=False, **values):
    s = presets.preset(name).with_values({**BUSY, **values}) if name == "delivery" else \
        presets.preset(name).with_values({"workforce.n_workers": 300, "workforce.days": 12,
                                          **values})
    return s, simulate(s, seed=seed, exact=exact, keep_days=True)


@pytest.mark.parametrize("name", ["delivery", "ride_hailing", "freight"])
@pytest.mark.parametrize("exact", [False, True])
def test_order_time_never_exceeds_online_time_on_any_worker_day(name, exact):
    s, r = _days(name, 3, exact=exact)
    d = r.days
    assert d["order_hours"].shape == (300, 12)
    assert np.all(d["order_hours"] <= d["online_hours"] + 1e-9)
    # the per-worker totals are sums of these days: time, pay and km are counted together
    np.testing.assert_allclose(r.workers.engaged_hours, d["order_hours"].sum(axis=1),
                               rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(r.workers.orders, d["orders"].sum(axis=1))
    np.testing.assert_allclose(r.workers.engaged_km, d["km"].sum(axis=1), rtol=1e-12)


def test_demand_beyond_the_day_is_not_dispatched_and_the_paths_agree():
    s, fast = _days("delivery", 5)
    _, exact = _days("delivery", 5, exact=True)
    for k in fast.days:
        np.testing.assert_allclose(fast.days[k], exact.days[k], rtol=1e-10, atol=1e-8)
    for k, v in fast.workers.arrays.items():
        np.testing.assert_allclose(v, exact.workers.arrays[k], rtol=1e-10, atol=1e-8,
                                   err_msg=k)
    d = fast.days
    full = d["order_hours"] > d["online_hours"] - 0.75   # days the budget bound
    assert full.mean() > 0.2
    # With the day's time 4 times larger, those riders would have had more orders: the budget
    # (not chance) is what stopped them.
    loose, _ = _days("delivery", 5, **{"market.batching_factor": 6.4})
    more = simulate(loose, seed=5, keep_days=True).days
    assert (more["orders"][full] >= d["orders"][full]).all()
    assert more["orders"][full].sum() > 1.2 * d["orders"][full].sum()


def test_order_time_cap_and_fatigue_stop_are_terms():
    s, r = _days("delivery", 7, **{"pay.max_continuous_hours": 0, "pay.max_daily_hours": 14,
                                   "pay.max_daily_order_hours": 5.0,
                                   "pay.fatigue_order_hours": 0.0,
                                   "workforce.groups.full_time.hours_median": 11.0})
    d = r.days
    assert d["order_hours"].max() <= 5.0 + 1e-9
    assert d["order_hours"].max() > 4.5
    s2 = s.with_values({"pay.max_daily_order_hours": 0, "pay.fatigue_order_hours": 4.0,
                        "pay.fatigue_stop_minutes": 20})
    d2 = simulate(s2, seed=7, keep_days=True).days
    # order time plus a 20-minute stop after every 4 h of it fits into the online time
    stops = np.floor(d2["order_hours"] / 4.0 + 1e-12) * (20 / 60)
    assert np.all(d2["order_hours"] + stops <= d2["online_hours"] + 1e-9)
    s3 = s2.with_values({"pay.fatigue_order_hours": 0})
    d3 = simulate(s3, seed=7, keep_days=True).days
    long = d3["order_hours"] > 4.5
    assert long.any()
    assert d2["order_hours"][long].sum() < d3["order_hours"][long].sum()


def test_injury_insurance_is_charged_per_order():
    s, r = _days("delivery", 2, **{"pay.injury_insurance_per_order": 0.1,
                                   "pay.injury_insurance_per_day": 0.0})
    np.testing.assert_allclose(r.workers.injury_insurance, 0.1 * r.workers.orders)
