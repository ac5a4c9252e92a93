"""Money of one package on a cached structure (:mod:`app.simulator.batch_structure`).

Per-worker totals as :func:`app.simulator.totals.worker_totals` gives them, computed from
per-worker sufficient statistics of the kept orders — counts, km, minutes, km beyond the included
km, peak and night orders, orders by weather condition (a matrix product with the condition of
each day), worked and heat days — cached once per structure, so the linear terms of a package
cost a dot product per worker. Terms non-linear in a day or a period use per-worker-day (or
per-period) statistics, cached by the terms they depend on: the daily penalty cap by
(penalty, cap), working time by (allowance, required online time), the hourly floor by its
true-up period (period sums of the statistics, then one maximum per worker and period).
Per-order non-linear terms (per-order floors, a varying commission rate under a cap) take the
structure's vectorised pass over its kept orders. The month-level terms are
:func:`app.simulator.totals.finish`, the engine's own code.
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K
from app.simulator.market import CONDITIONS
from app.simulator.totals import finish


def _day(st, a):
    return a.reshape(st.online.shape)


def _worker(st, name, make):
    """Per-worker sum of a per-worker-day statistic, cached on the structure."""
    return st._once(("w", name), lambda: _day(st, make()).sum(axis=1))


def _blocks(st, name, make, block):
    """Per-worker, per-period sums of a per-worker-day statistic, cached on the structure."""
    return st._once(("b", name, block), lambda: K.block_sums(_day(st, make()), block))


def _penalty(st, pay):
    """Per-worker-day late penalties after the daily cap (cached by penalty and cap)."""
    key = ("penalty", pay.late_penalty_per_order, pay.penalty_cap_per_day)
    if pay.late_penalty_per_order <= 0 or pay.penalty_cap_per_day <= 0:
        return key, None
    return key, lambda: np.minimum(pay.late_penalty_per_order * st.late(),
                                   pay.penalty_cap_per_day)


def _order_hours(st):
    m = st.market
    return st._once("order_hours", lambda: np.minimum(
        _day(st, st.minutes_wd) / 60.0 / m.batching_factor, st.online))


def _working(st, pay):
    key = ("working", pay.allowance_ratio, pay.required_online_hours)
    return key, lambda: K.working_hours(_order_hours(st), st.online, pay.allowance_ratio,
                                        pay.required_online_hours).ravel()


def money(pkg, st, g, codes) -> dict:
    """Per-worker totals of ``pkg`` on the structure ``st`` (chunk workers ``g``, weather
    ``codes``)."""
    pay, m = pkg.pay, pkg.market
    nw = st.online.shape[0]
    worked = st._once("worked", lambda: st.online > 0)
    w = {}
    w["days_worked"] = st._once("days", lambda: worked.sum(axis=1).astype(float))
    N = _worker(st, "n", lambda: st.n)
    KM = _worker(st, "km", lambda: st.km_wd)
    MIN = _worker(st, "minutes", lambda: st.minutes_wd)
    w["orders"] = N
    w["engaged_km"] = KM
    w["km"] = KM + m.deadhead_km_per_order * N
    w["online_hours"] = st._once("online", lambda: st.online.sum(axis=1))
    w["engaged_hours"] = st._once("engaged", lambda: _order_hours(st).sum(axis=1))
    wkey, wmake = _working(st, pay)
    w["working_hours"] = _worker(st, wkey, wmake)

    per_order = pay.has_per_order_floor or (
        m.commission_rate_sd > 0 and pay.commission_rate > 0 and m.has_fares)
    zeros = np.zeros(nw)
    # linear terms: (orders, minutes, km, km beyond the included km) · the package's rates
    excess_key = ("excess", pay.included_km)
    if per_order:
        sums = st._per_order(pkg, pay.has_per_order_floor, m.commission_rate_sd > 0
                             and pay.commission_rate > 0 and m.has_fares)
        driver_wd, topup_wd = sums["driver_pay"], sums["order_topup"]
        driver, topup = _day(st, driver_wd).sum(axis=1), _day(st, topup_wd).sum(axis=1)
        fares = _day(st, sums["fares"]).sum(axis=1)
        commission = _day(st, sums["commission"]).sum(axis=1)
    else:
        coef = [pay.base_per_order, pay.per_engaged_minute, 0.0, 0.0]
        if m.has_fares:
            c = min(pay.commission_rate, pay.commission_cap_per_order)
            fare = np.array([m.fare_base, m.fare_per_minute, m.fare_per_km, 0.0])
            coef = [a + (1.0 - c) * f for a, f in zip(coef, fare)]
        stats = [N, MIN, KM]
        if pay.per_km:
            coef[3] = pay.per_km
            stats.append(_worker(st, excess_key, lambda: st.excess_km(pay.included_km)))
        driver = np.dot(np.asarray(coef[:len(stats)]), np.vstack(stats))
        topup = zeros
        if m.has_fares:
            fares = m.fare_base * N + m.fare_per_km * KM + m.fare_per_minute * MIN
            commission = min(pay.commission_rate, pay.commission_cap_per_order) * fares
        else:
            fares = commission = zeros
    w["base_pay"] = driver
    w["per_order_floor_topup"] = topup
    peak = night = zeros
    if pay.peak_bonus_per_order > 0 or pay.night_bonus_per_order > 0:
        peak = pay.peak_bonus_per_order * _worker(st, "peak", lambda: st.flags()[0])
        night = pay.night_bonus_per_order * _worker(st, "night", lambda: st.flags()[1])
    w["peak_bonus"], w["night_bonus"] = peak, night
    # weather money: orders by condition (a matrix product with each day's condition)
    by_cond = st._once("by_condition", lambda: _day(st, st.n) @ np.eye(len(CONDITIONS))[codes])
    w["weather_subsidy"] = by_cond @ pkg.subsidy
    heat_days = st._once("heat_days", lambda: (worked & (codes >= 4)[None, :]).sum(axis=1))
    w["heat_allowance"] = pay.heat_allowance_per_day * heat_days
    pkey, pmake = _penalty(st, pay)
    w["penalties"] = zeros if pmake is None else _worker(st, pkey, pmake)
    w["floor_topup"] = _hourly_topup(st, pkg, per_order and (driver_wd + topup_wd),
                                     excess_key, pkey, pmake, wkey, wmake)
    w["fares"] = fares
    countable = driver + topup + peak - w["penalties"]
    finish(pkg, g, w, commission, countable)
    w["hit_hour_limit_days"] = st._once("hit", lambda: ((st.online < st.span) & worked)
                                        .sum(axis=1).astype(float))
    return w


def _hourly_topup(st, pkg, per_order_pay, excess_key, pkey, pmake, wkey, wmake):
    """Σ over true-up periods of max(0, floor × working hours − countable pay), per worker."""
    pay, m = pkg.pay, pkg.market   # (the structure's market is its first package's)
    if pay.hourly_floor <= 0:
        return np.zeros(st.online.shape[0])
    block = {"day": 1, "cycle": pay.settlement_cycle_days, "month": 30}[pay.floor_period]
    if per_order_pay is not False:
        paid = K.block_sums(_day(st, per_order_pay), block)
    else:
        paid = pay.base_per_order * _blocks(st, "n", lambda: st.n, block) \
            + pay.per_engaged_minute * _blocks(st, "minutes", lambda: st.minutes_wd, block)
        if pay.per_km:
            paid = paid + pay.per_km * _blocks(st, excess_key,
                                               lambda: st.excess_km(pay.included_km), block)
        if m.has_fares:
            c = 1.0 - min(pay.commission_rate, pay.commission_cap_per_order)
            paid = paid + c * (m.fare_base * _blocks(st, "n", lambda: st.n, block)
                               + m.fare_per_km * _blocks(st, "km", lambda: st.km_wd, block)
                               + m.fare_per_minute * _blocks(st, "minutes",
                                                             lambda: st.minutes_wd, block))
    if pay.peak_bonus_per_order > 0:
        paid = paid + pay.peak_bonus_per_order * _blocks(st, "peak", lambda: st.flags()[0],
                                                         block)
    if pmake is not None:
        paid = paid - _blocks(st, pkey, pmake, block)
    short = pay.hourly_floor * _blocks(st, wkey, wmake, block) - paid
    return np.maximum(short, 0.0).sum(axis=1)
