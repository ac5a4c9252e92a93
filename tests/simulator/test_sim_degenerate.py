"""Degenerate cases computed by hand: identical workers, fixed km and minutes, no variance.

Order counts stay Poisson, so each check computes the expected money from the realised
counts: every other quantity is deterministic.
"""
from __future__ import annotations

import numpy as np
import pytest

from app.simulator import simulate
from app.simulator.params import Costs, VehicleCost


def test_piece_rate_pay_costs_and_hours_by_hand(flat):
    s = flat(pay=dict(base_per_order=5.0, per_km=1.0, included_km=2.0,
                               per_engaged_minute=0.1))
    w = simulate(s, seed=3).workers
    n = w.orders
    assert n.min() > 150  # 1 order/h × 8 h × 30 days
    # per order: 5 + 1·(3 − 2) + 0.1·20 = 8
    np.testing.assert_allclose(w.base_pay, 8.0 * n)
    np.testing.assert_allclose(w.gross_pay, 8.0 * n)
    np.testing.assert_allclose(w.online_hours, 8.0 * 30)
    np.testing.assert_allclose(w.days_worked, 30)
    np.testing.assert_allclose(w.engaged_hours, n * 20 / 60)
    np.testing.assert_allclose(w.working_hours, n * 20 / 60)
    # costs: 0.1 元/km × (3 + 1 empty) km + 2 元/day × 30 + 260 元/month (30 ≥ 26 days: full)
    np.testing.assert_allclose(w.km, 4.0 * n)
    np.testing.assert_allclose(w.costs, 0.4 * n + 60 + 260)
    np.testing.assert_allclose(w.net_income, 8.0 * n - (0.4 * n + 60 + 260))
    np.testing.assert_allclose(w.net_per_online_hour, w.net_income / 240)


def test_monthly_cost_is_pro_rata_below_a_full_month(flat):
    s = flat(group=dict(days_per_month=30.0), days=13,
                      costs=Costs(e_bike=VehicleCost(0.0, 0.0, 260.0)))
    w = simulate(s, seed=1).workers
    # 13 days of a 30-day month, 13 of 26 worked days: 260 × 13/30 × 13/(26·13/30)
    np.testing.assert_allclose(w.costs, 260 * 13 / 30 * min(1.0, 13 / (26 * 13 / 30)))


def test_forced_rest_and_daily_limit_by_hand(flat):
    # span 8 h, 3 h on then 60 min rest: 3 + 3 + (8 − 8 = 0) → 6 h online
    s = flat(pay=dict(max_continuous_hours=3.0, rest_minutes=60.0))
    w = simulate(s, seed=1).workers
    np.testing.assert_allclose(w.online_hours, 6.0 * 30)
    # span 10 h, daily limit 7 h
    s = flat(hours=10.0, pay=dict(max_daily_hours=7.0))
    w = simulate(s, seed=1).workers
    np.testing.assert_allclose(w.online_hours, 7.0 * 30)
    np.testing.assert_allclose(w.hit_hour_limit_days, 30)


def test_heat_limits(flat):
    s = flat(market=dict(p_heat_40=1.0))
    w = simulate(s, seed=1).workers
    assert w.orders.sum() == 0 and w.days_worked.sum() == 0
    s = flat(hours=9.0, market=dict(p_heat_37=1.0), pay=dict(heat_allowance_per_day=15))
    w = simulate(s, seed=1).workers
    np.testing.assert_allclose(w.online_hours, 6.0 * 30)
    np.testing.assert_allclose(w.heat_allowance, 15.0 * 30)
    s = flat(hours=9.0, market=dict(p_heat_37=1.0), pay=dict(legal_heat_limits=False))
    np.testing.assert_allclose(simulate(s, seed=1).workers.online_hours, 9.0 * 30)


def test_commission_per_order_cap_and_monthly_cap_by_hand(flat):
    market = dict(sector="ride_hailing", fare_base=10.0, fare_per_km=2.0, km_per_order_mean=5.0)
    pay = dict(base_per_order=0.0, commission_rate=0.30, commission_cap_per_order=0.25,
               monthly_average_commission_cap=0.20, min_orders_for_monthly_cap=1)
    w = simulate(flat(pay=pay, market=market), seed=2).workers
    n = w.orders
    np.testing.assert_allclose(w.fares, 20.0 * n)
    # per order: 30 % of 20 = 6, capped at 25 % = 5 → driver gets 15
    np.testing.assert_allclose(w.base_pay, 15.0 * n)
    # monthly average 25 % > 20 %: refund 1 元 per order next month
    np.testing.assert_allclose(w.commission_refund, 1.0 * n)
    np.testing.assert_allclose(w.commission, 4.0 * n)
    np.testing.assert_allclose(w.gross_pay, 16.0 * n)
    np.testing.assert_allclose(w.platform_cost, -4.0 * n)


def test_monthly_cap_needs_the_minimum_orders(flat):
    market = dict(sector="ride_hailing", fare_base=10.0, fare_per_km=2.0, km_per_order_mean=5.0)
    pay = dict(base_per_order=0.0, commission_rate=0.30, monthly_average_commission_cap=0.20,
               min_orders_for_monthly_cap=100_000)
    w = simulate(flat(pay=pay, market=market), seed=2).workers
    assert w.commission_refund.sum() == 0
    np.testing.assert_allclose(w.commission, 6.0 * w.orders)


def test_membership_insurance_and_pension_by_hand(flat):
    pay = dict(membership_fee_per_month=300.0, injury_insurance_per_day=0.6,
               pension_subsidy_share=0.5, pension_min_days_per_month=20)
    w = simulate(flat(pay=pay), seed=1).workers
    np.testing.assert_allclose(w.membership_fee, 300.0)
    np.testing.assert_allclose(w.injury_insurance, 18.0)
    np.testing.assert_allclose(w.pension_subsidy, 0.5 * 700.0)
    np.testing.assert_allclose(w.net_income, w.gross_pay - 300.0 - w.costs)


@pytest.mark.parametrize("period", ["day", "cycle", "month"])
def test_hourly_floor_top_up_by_hand(flat, period):
    pay = dict(base_per_order=5.0, hourly_floor=30.0, allowance_ratio=0.5, floor_period=period,
               settlement_cycle_days=7)
    # 0.5 orders/h: a day never has the 16 orders that would fill 8 h of working time
    w = simulate(flat(pay=pay, market=dict(orders_per_hour_mean=0.5)), seed=4).workers
    n = w.orders
    # working time = 20 min × 1.5 = 0.5 h per order; floor 30 × 0.5 = 15 per order; paid 5
    np.testing.assert_allclose(w.working_hours, 0.5 * n)
    np.testing.assert_allclose(w.floor_topup, 10.0 * n)
    np.testing.assert_allclose(w.gross_pay, 15.0 * n)
    np.testing.assert_allclose(w.floor_pay_per_working_hour, 30.0)
    assert not w.below_hourly_minimum.any()


def test_day_floor_pays_more_than_month_floor_when_days_differ(flat):
    # a 40 元 bonus-free day with no orders is not topped up (no working time); days with
    # orders above the floor offset short days only when the period is long
    pay = dict(base_per_order=12.0, hourly_floor=30.0, allowance_ratio=0.5)
    day = simulate(flat(pay=pay, market=dict(orders_per_hour_mean=0.3)), seed=5).workers
    pay["floor_period"] = "month"
    month = simulate(flat(pay=pay, market=dict(orders_per_hour_mean=0.3)),
                     seed=5).workers
    # 12 元 per 0.5 h = 24 元/h < 30: every working day is short, so both periods agree
    np.testing.assert_allclose(day.floor_topup, month.floor_topup)
    np.testing.assert_allclose(day.floor_topup, 3.0 * day.orders)


def test_per_offer_floor_by_hand(flat):
    pay = dict(base_per_order=5.0, per_order_minimum=7.0)
    w = simulate(flat(pay=pay), seed=1).workers
    np.testing.assert_allclose(w.per_order_floor_topup, 2.0 * w.orders)
    pay = dict(base_per_order=5.0, per_order_minimum=7.0, floor_per_minute=0.5, floor_per_km=0.0)
    w = simulate(flat(pay=pay), seed=1).workers
    # max(7, 0.5 × 20) = 10 → top-up 5
    np.testing.assert_allclose(w.per_order_floor_topup, 5.0 * w.orders)
    np.testing.assert_allclose(w.gross_pay, 10.0 * w.orders)


def test_penalty_cap_per_day_by_hand(flat):
    market = dict(orders_per_hour_mean=5.0, late_probability=1.0)
    w = simulate(flat(pay=dict(late_penalty_per_order=3.0, penalty_cap_per_day=10.0),
                               market=market), seed=1).workers
    np.testing.assert_allclose(w.penalties, 10.0 * 30)  # ≥ 4 orders a day: always capped
    w = simulate(flat(pay=dict(late_penalty_per_order=3.0, penalty_cap_per_day=0.0),
                               market=market), seed=1).workers
    assert w.penalties.sum() == 0


def test_weather_subsidy_excluded_from_minimum_wage_test(flat):
    pay = dict(base_per_order=5.0, weather_subsidy_rain_per_order=2.0, night_bonus_per_order=1.0)
    market = dict(p_rain=1.0, demand_factor_rain=1.0, minutes_factor_rain=1.0, night_share=1.0,
                  peak_share=0.0)
    w = simulate(flat(pay=pay, market=market), seed=1).workers
    n = w.orders
    np.testing.assert_allclose(w.weather_subsidy, 2.0 * n)
    np.testing.assert_allclose(w.night_bonus, 1.0 * n)
    np.testing.assert_allclose(w.floor_pay, 5.0 * n)
    np.testing.assert_allclose(w.gross_pay, 8.0 * n)


def test_batched_orders_count_once_and_working_time_never_exceeds_online(flat):
    market = dict(orders_per_hour_mean=6.0, minutes_per_order_mean=30.0, batching_factor=2.0)
    w = simulate(flat(pay=dict(allowance_ratio=0.5), market=market), seed=1).workers
    assert np.all(w.engaged_hours <= w.online_hours + 1e-9)
    assert np.all(w.working_hours <= w.online_hours + 1e-9)
    np.testing.assert_allclose(w.working_hours, w.online_hours)  # 1.5 h of orders per hour


def test_platform_totals_add_up(flat):
    s = flat(pay=dict(base_per_order=5.0, injury_insurance_per_day=1.0,
                               heat_allowance_per_day=10.0),
                      market=dict(p_heat_35=0.5))
    r = simulate(s, seed=1)
    w, p = r.workers, r.to_dict()["platform"]
    assert p["worker_pay"] == pytest.approx(w.gross_pay.sum())
    assert p["insurance"] == pytest.approx(30.0 * 40)
    assert p["net_cost"] == pytest.approx(w.gross_pay.sum() + 1200.0)
    assert p["cost_per_order"] == pytest.approx(p["net_cost"] / w.orders.sum())
    assert p["subsidies"] == pytest.approx(w.heat_allowance.sum())
