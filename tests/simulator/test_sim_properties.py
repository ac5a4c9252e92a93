"""Properties of the engine (hypothesis) and common random numbers."""
from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.simulator import compare, presets, simulate
from app.simulator import kernels as K

SETTINGS = settings(max_examples=12, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def small(name="delivery", **values):
    base = {"workforce.n_workers": 60, "workforce.days": 10}
    base.update(values)
    return presets.preset(name).with_values(base)


def pair(base, **changes):
    res = compare(base, [base.with_values(changes)], seed=11)
    return res.baseline.workers, res.proposals[0].workers


PIECE = ["pay.base_per_order", "pay.per_km", "pay.per_engaged_minute",
         "pay.peak_bonus_per_order", "pay.night_bonus_per_order"]


@SETTINGS
@given(term=st.sampled_from(PIECE), step=st.floats(0.01, 5.0),
       floor=st.sampled_from([0.0, 25.0]), period=st.sampled_from(["day", "cycle", "month"]),
       per_order_minimum=st.sampled_from([0.0, 7.0]))
def test_raising_a_piece_rate_never_lowers_gross_pay(term, step, floor, period,
                                                    per_order_minimum):
    base = small(**{"pay.hourly_floor": floor, "pay.floor_period": period,
                    "pay.per_order_minimum": per_order_minimum})
    value = {s["key"]: s["value"] for s in __import__("app.simulator").simulator.field_specs(base)}
    b, p = pair(base, **{term: value[term] + step})
    assert np.all(p.gross_pay >= b.gross_pay - 1e-9)
    np.testing.assert_array_equal(p.orders, b.orders)


@SETTINGS
@given(rate=st.floats(0.0, 0.9), step=st.floats(0.001, 0.09),
       name=st.sampled_from(["ride_hailing", "freight"]), floor=st.sampled_from([0.0, 30.0]))
def test_raising_the_commission_never_raises_net_income(rate, step, name, floor):
    base = small(name, **{"pay.commission_rate": rate, "pay.hourly_floor": floor})
    b, p = pair(base, **{"pay.commission_rate": rate + step})
    assert np.all(p.net_income <= b.net_income + 1e-9)


@SETTINGS
@given(rain=st.floats(0, 10), heat=st.floats(0, 10), cold=st.floats(0, 10),
       snow=st.floats(0, 10))
def test_weather_subsidy_changes_nothing_on_fair_days(rain, heat, cold, snow):
    base = small()
    res = compare(base, [base.with_values({
        "pay.weather_subsidy_rain_per_order": rain, "pay.weather_subsidy_heat_per_order": heat,
        "pay.weather_subsidy_cold_per_order": cold,
        "pay.weather_subsidy_snow_ice_per_order": snow})], seed=5)
    fair_b = {k: v[0] for k, v in res.baseline.by_condition.items()}
    fair_p = {k: v[0] for k, v in res.proposals[0].by_condition.items()}
    assert fair_b == fair_p
    # an all-fair month: nothing changes at all
    allfair = small(**{"market.p_rain": 0, "market.p_heat_35": 0, "market.p_heat_37": 0,
                       "market.p_heat_40": 0})
    b, p = pair(allfair, **{"pay.weather_subsidy_rain_per_order": rain + 1})
    np.testing.assert_array_equal(b.gross_pay, p.gross_pay)


@SETTINGS
@given(floor=st.floats(0, 60), allowance=st.floats(0, 1), minimum=st.floats(0, 15),
       per_minute=st.floats(0, 1), per_km=st.floats(0, 3),
       period=st.sampled_from(["day", "cycle", "month"]),
       name=st.sampled_from(["delivery", "ride_hailing"]))
def test_a_floor_never_lowers_pay(floor, allowance, minimum, per_minute, per_km, period, name):
    base = small(name, **{"pay.allowance_ratio": allowance, "pay.floor_period": period})
    b, p = pair(base, **{"pay.hourly_floor": floor, "pay.per_order_minimum": minimum,
                         "pay.floor_per_minute": per_minute, "pay.floor_per_km": per_km})
    assert np.all(p.gross_pay >= b.gross_pay - 1e-9)


@SETTINGS
@given(daily=st.floats(0.5, 24), cont=st.one_of(st.just(0.0), st.floats(0.25, 8)),
       rest=st.floats(1, 120),
       heat=st.booleans())
def test_hour_limits_are_never_exceeded(daily, cont, rest, heat):
    s = small(**{"pay.max_daily_hours": daily, "pay.max_continuous_hours": cont,
                 "pay.rest_minutes": rest, "pay.legal_heat_limits": heat,
                 "market.p_heat_37": 0.5, "market.p_heat_40": 0.2, "market.p_rain": 0,
                 "market.p_heat_35": 0})
    r = simulate(s, seed=2)
    w = r.workers
    assert np.all(w.online_hours <= daily * w.days_worked + 1e-9)
    assert np.all(w.working_hours <= w.online_hours + 1e-9)
    if heat:
        hot40 = (r.weather == 6).sum()
        assert w.days_worked.max() <= s.workforce.days - hot40
        hot37 = r.by_condition["online_hours"][5]
        assert hot37 <= 6.0 * r.by_condition["worker_days"][5] + 1e-9


@settings(max_examples=40, deadline=None, derandomize=True)
@given(span=st.floats(0, 24), cont=st.one_of(st.just(0.0), st.floats(0.25, 8)),
       rest=st.floats(1 / 60, 2), cap=st.floats(0, 24))
def test_online_hours_kernel_respects_limits_and_matches_dispatchable_time(span, cont, rest,
                                                                          cap):
    on = float(K.online_hours(np.array(span), cont, rest if cont else 0.0, cap))
    assert on <= min(span, cap) + 1e-12
    if cont > 0:
        cycles = np.ceil(span / (cont + rest)) if span else 0
        assert on <= cycles * cont + 1e-12
    grid = (np.arange(100_000) + 0.5) / 100_000 * 24
    ok = K.dispatchable(grid, np.full(grid.shape, on), cont, rest if cont else 0.0)
    boundaries = 2 * (24 / (cont + rest) + 1) if cont else 2
    assert abs(ok.mean() * 24 - on) <= 24 / 100_000 * boundaries


def test_same_seed_gives_identical_output_and_another_seed_differs():
    s = small("ride_hailing")
    a, b, c = simulate(s, seed=7), simulate(s, seed=7), simulate(s, seed=8)
    assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
    for k, v in a.workers.arrays.items():
        np.testing.assert_array_equal(v, b.workers.arrays[k])
    assert not np.array_equal(a.workers.net_income, c.workers.net_income)
    g = simulate(s, seed=np.random.default_rng(3))
    assert np.isfinite(g.workers.net_income).all()


def test_identical_packages_under_compare_give_identical_results():
    s = small()
    res = compare(s, [s, s.with_values({}, name="copy")], seed=4)
    for p in res.proposals:
        for k, v in res.baseline.workers.arrays.items():
            np.testing.assert_array_equal(v, p.workers.arrays[k])
        d = res.delta(p)
        assert d["share_better_off"] == 0 and d["share_worse_off"] == 0
        assert d["platform"]["net_cost"] == 0
    # and the baseline of a comparison is the scenario simulated alone
    np.testing.assert_array_equal(simulate(s, seed=4).workers.net_income,
                                  res.baseline.workers.net_income)


def test_small_change_small_difference():
    base = small()
    b, p = pair(base, **{"pay.base_per_order": base.pay.base_per_order + 0.01})
    np.testing.assert_allclose(p.gross_pay - b.gross_pay, 0.01 * b.orders, atol=1e-9)
    # a tighter daily limit never adds an order to anyone, and only touches long days
    b, p = pair(base, **{"pay.max_daily_hours": 9.0})
    assert np.all(p.orders <= b.orders)
    assert np.all(p.online_hours <= b.online_hours + 1e-9)
    assert (p.orders < b.orders).mean() < 0.5


def test_behaviour_fixed_point_runs_and_is_neutral_for_an_identical_package():
    s = small()
    on = s.with_values({"behaviour.enabled": True})
    res = compare(s, [on], seed=3)
    np.testing.assert_allclose(res.proposals[0].workers.net_income,
                               res.baseline.workers.net_income)
    richer = on.with_values({"pay.base_per_order": s.pay.base_per_order + 1.0})
    res = compare(s, [richer], seed=3)
    m = res.proposals[0].behaviour_multipliers
    assert m["hours"] > 1.0 and m["orders_per_hour"] < 1.0
    assert "behaviour_multipliers" in res.proposals[0].to_dict()


def test_packages_never_alter_shared_draws():
    # no truncation of hours: every candidate order is kept, so the per-order maths works on
    # the cached draws themselves; a later package must see them unchanged
    s = small(**{"pay.max_continuous_hours": 0, "pay.max_daily_hours": 24,
                 "pay.legal_heat_limits": False})
    res = compare(s, [s, s], seed=9)
    alone = simulate(s, seed=9).workers
    for r in [res.baseline] + res.proposals:
        for k, v in alone.arrays.items():
            np.testing.assert_array_equal(v, r.workers.arrays[k], err_msg=k)


def test_to_dict_is_strict_json_with_breakdowns():
    s = small("ride_hailing")  # no monthly-tested group: that share is undefined
    res = compare(s, [s.with_values({"pay.commission_rate": 0.1})], seed=2)
    text = json.dumps(res.to_dict(), allow_nan=False)
    d = json.loads(text)
    r = d["proposals"][0]["result"]
    assert r["share_below_monthly_minimum"] is None
    assert set(r["by_group"]) == {"casual", "part_time", "full_time"}
    assert "fair" in r["by_weather"]
    assert set(r["se"]["net_monthly"]) == {"p10", "p25", "p50", "p75", "p90"}
    delta = d["proposals"][0]["delta"]
    assert delta["share_better_off"] > 0.5 and delta["share_worse_off"] == 0
    assert "cost_per_worker_month" in delta["platform"]
