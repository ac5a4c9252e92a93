"""Per-worker totals of one package from its per-worker-day sums of kept orders.

Shared by the engine (:func:`app.simulator.engine._evaluate`) and the batched evaluator
(:mod:`app.simulator.batch`), so both turn the same sums into the same money: day-level terms
(penalty caps, the hourly floor over its true-up period), the monthly commission cap, fees,
costs and protection.
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K

FULL_MONTH_DAYS = 26.0  # worked days that bear a full month of vehicle costs


def worker_totals(pkg, g, codes, span, online, sums):
    """``(w, parts)``: per-worker totals and the per-worker-day parts they are built from.

    ``sums`` holds flat per-worker-day arrays ``orders``, ``minutes``, ``km``, ``peak``,
    ``night``, ``late``, ``driver_pay``, ``order_topup``, ``fares``, ``commission``;
    ``span`` and ``online`` are the day plan's (workers × days) arrays, ``g`` the group of
    each worker and ``codes`` the weather of each day.
    """
    pay, m = pkg.pay, pkg.market
    nw, days = online.shape

    def day(a):
        return a.reshape(nw, days)

    n = day(sums["orders"])
    minutes = day(sums["minutes"])
    worked = online > 0
    weather = pkg.subsidy[codes][None, :] * n
    heat_day = (codes >= 4)[None, :]
    heat = pay.heat_allowance_per_day * (worked & heat_day)
    peak = pay.peak_bonus_per_order * day(sums["peak"])
    night = pay.night_bonus_per_order * day(sums["night"])
    penalty = np.minimum(pay.late_penalty_per_order * day(sums["late"]), pay.penalty_cap_per_day)
    # Time is conserved by dispatch (orders.time_budget); the minimum only absorbs rounding.
    order_hours = np.minimum(minutes / 60.0 / m.batching_factor, online)
    working = K.working_hours(order_hours, online, pay.allowance_ratio,
                              pay.required_online_hours)
    driver = day(sums["driver_pay"])
    order_topup = day(sums["order_topup"])
    countable = driver + order_topup + peak - penalty
    block = {"day": 1, "cycle": pay.settlement_cycle_days, "month": 30}[pay.floor_period]
    hourly_topup = K.period_top_up(countable, working, pay.hourly_floor, block)

    w = {}
    w["days_worked"] = worked.sum(axis=1).astype(float)
    w["orders"] = n.sum(axis=1).astype(float)
    w["engaged_km"] = day(sums["km"]).sum(axis=1)
    w["km"] = w["engaged_km"] + m.deadhead_km_per_order * w["orders"]
    w["online_hours"] = online.sum(axis=1)
    w["engaged_hours"] = order_hours.sum(axis=1)
    w["working_hours"] = working.sum(axis=1)
    w["base_pay"] = driver.sum(axis=1)
    w["per_order_floor_topup"] = order_topup.sum(axis=1)
    w["peak_bonus"] = peak.sum(axis=1)
    w["night_bonus"] = night.sum(axis=1)
    w["weather_subsidy"] = weather.sum(axis=1)
    w["heat_allowance"] = heat.sum(axis=1)
    w["penalties"] = penalty.sum(axis=1)
    w["floor_topup"] = hourly_topup
    w["fares"] = day(sums["fares"]).sum(axis=1)
    finish(pkg, g, w, day(sums["commission"]).sum(axis=1), countable.sum(axis=1))
    w["hit_hour_limit_days"] = ((online < span) & worked).sum(axis=1).astype(float)
    parts = {"n": n, "minutes": minutes, "worked": worked, "weather": weather, "heat": heat,
             "peak": peak, "night": night, "penalty": penalty, "order_hours": order_hours,
             "working": working, "driver": driver, "order_topup": order_topup,
             "countable": countable}
    return w, parts


def finish(pkg, g, w, commission, countable):
    """The month-level terms of ``w`` (per-worker arrays; ``commission`` before the monthly
    cap, ``countable`` the pay countable towards the floor before the hourly top-up): the
    monthly commission cap, fees, costs, gross and net pay, protection."""
    pay, m = pkg.pay, pkg.market
    n_scale = pkg.s.workforce.days / 30.0
    w["commission_refund"] = K.monthly_commission_refund(
        commission, w["fares"], w["orders"], pay.monthly_average_commission_cap,
        pay.min_orders_for_monthly_cap * n_scale)
    w["commission"] = commission - w["commission_refund"]
    active = w["days_worked"] > 0
    w["membership_fee"] = pay.membership_fee_per_month * n_scale * active
    # Monthly vehicle costs are for a full month of work; part-timers bear them pro rata.
    month_share = np.minimum(w["days_worked"] / (FULL_MONTH_DAYS * n_scale), 1.0)
    w["costs"] = (pkg.cost_km[g] * w["km"] + pkg.cost_day[g] * w["days_worked"]
                  + pkg.cost_month[g] * n_scale * month_share)
    w["gross_pay"] = (w["base_pay"] + w["per_order_floor_topup"] + w["peak_bonus"]
                      + w["night_bonus"] + w["weather_subsidy"] + w["heat_allowance"]
                      - w["penalties"] + w["floor_topup"] + w["commission_refund"])
    w["net_income"] = w["gross_pay"] - w["membership_fee"] - w["costs"]
    w["floor_pay"] = countable + w["floor_topup"]
    w["injury_insurance"] = (pay.injury_insurance_per_day * w["days_worked"]
                             + pay.injury_insurance_per_order * w["orders"])
    eligible = w["days_worked"] >= max(1.0, pay.pension_min_days_per_month * n_scale)
    w["pension_subsidy"] = (pay.pension_subsidy_share * m.pension_contribution_per_month
                            * n_scale * eligible)
    return w
