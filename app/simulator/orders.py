"""Per-order mechanics of one package, summed per worker-day.

Terms that are linear in an order's km and minutes (base pay, per-minute pay, fares, a flat
commission) are summed in aggregate — exactly equal to summing order by order. Non-linear terms
(km beyond the included km, per-offer floors, per-order commission caps with a varying rate,
bonus and late flags) are computed order by order. ``exact=True`` computes everything order by
order; a test checks the two paths agree.
"""
from __future__ import annotations

import numpy as np

from app.simulator import kernels as K
from app.simulator import sampling


def order_sums(pkg, draws, seg, idx, cseg, keep, mf_wd, load, exact=False) -> dict:
    """Sums per worker-day of the kept orders, laid out in worker-day segments ``seg``.

    ``cseg`` lays out all candidate orders, ``keep`` says which are kept (None = all) and
    ``idx`` indexes them; ``mf_wd`` is the weather minutes factor and ``load`` the expected
    busy share of each worker-day. Flags are evaluated on all candidates and masked, which
    avoids gathering their uniforms.
    """
    total = cseg.total
    pay, m = pkg.pay, pkg.market

    def take(a):
        return a if idx is None else a[idx]

    nwd = seg.counts.size
    zeros = np.zeros(nwd)
    n = seg.counts.astype(float)
    size = seg.total
    z1 = log_km = None
    if pkg.km_s > 0:
        z1 = take(draws.order_normal(sampling.KM, total))
        log_km = z1 * pkg.km_s
        log_km += pkg.km_mu
    if pkg.min_s > 0:
        log_min = take(draws.order_normal(sampling.MINUTES, total))
        rho = m.km_minutes_correlation
        if z1 is not None and rho > 0:
            # log minutes = mu + s·(rho·z1 + sqrt(1 − rho²)·z2), in place
            log_min *= pkg.min_s * np.sqrt(1.0 - rho * rho)
            z1 *= pkg.min_s * rho
            log_min += z1
        else:
            log_min *= pkg.min_s
        log_min += pkg.min_mu
        base_minutes = np.exp(log_min, out=log_min)
    else:
        base_minutes = np.float64(m.minutes_per_order_mean)
    km = np.exp(log_km, out=log_km) if log_km is not None else np.float64(m.km_per_order_mean)

    floor_on = pay.has_per_order_floor
    varying_rate = m.commission_rate_sd > 0 and pay.commission_rate > 0 and m.has_fares
    per_order = exact or floor_on or varying_rate
    minutes = base_minutes * seg.repeat(mf_wd) if per_order else None

    out = {"orders": n}
    if per_order:
        out["km"] = seg.sum(np.broadcast_to(km, size))
        out["minutes"] = seg.sum(np.broadcast_to(minutes, size))
    else:
        out["km"] = seg.sum(km)
        out["minutes"] = seg.sum(base_minutes) * mf_wd

    # Piece rate.
    if per_order:
        piece = K.piece_pay(km, minutes, pay.base_per_order, pay.per_km, pay.included_km,
                            pay.per_engaged_minute)
        piece_sum = seg.sum(np.broadcast_to(piece, size))
    else:
        piece_sum = pay.base_per_order * n + pay.per_engaged_minute * out["minutes"]
        if pay.per_km:
            piece_sum = piece_sum + pay.per_km * seg.sum(np.maximum(km - pay.included_km, 0.0))

    # Fares and commission.
    if m.has_fares:
        if per_order:
            fares = K.fare(km, minutes, m.fare_base, m.fare_per_km, m.fare_per_minute)
            rate = pay.commission_rate
            if varying_rate:
                z = take(draws.order_normal(sampling.COMM, total))
                rate = np.clip(rate + m.commission_rate_sd * z, 0.0, 1.0)
            commission = K.capped_commission(fares, rate, pay.commission_cap_per_order)
            out["fares"] = seg.sum(np.broadcast_to(fares, size))
            out["commission"] = seg.sum(np.broadcast_to(commission, size))
        else:
            out["fares"] = m.fare_base * n + m.fare_per_km * out["km"] \
                + m.fare_per_minute * out["minutes"]
            out["commission"] = min(pay.commission_rate, pay.commission_cap_per_order) \
                * out["fares"]
    else:
        fares = commission = 0.0
        out["fares"] = out["commission"] = zeros
    out["driver_pay"] = piece_sum + out["fares"] - out["commission"]

    # Per-offer floor max(F, a·t + b·d) on the driver's pay for the order.
    if floor_on:
        topup = K.per_offer_floor(piece + fares - commission, minutes, km,
                                  pay.per_order_minimum, pay.floor_per_minute, pay.floor_per_km)
        out["order_topup"] = seg.sum(np.broadcast_to(topup, size))
    else:
        out["order_topup"] = zeros

    def flagged(mask):
        if keep is not None:
            mask &= keep
        return cseg.sum(mask)

    # Peak / night flags (one uniform: low values peak, high values night).
    if exact or pay.peak_bonus_per_order > 0 or pay.night_bonus_per_order > 0:
        u = draws.order_uniform(sampling.FLAG, total)
        out["peak"] = flagged(u < m.peak_share) if m.peak_share > 0 else zeros
        out["night"] = flagged(u >= 1.0 - m.night_share) if m.night_share > 0 else zeros
    else:
        out["peak"] = out["night"] = zeros

    # Late orders, more likely when busy.
    if exact or (pay.late_penalty_per_order > 0 and pay.penalty_cap_per_day > 0):
        u = draws.order_uniform(sampling.LATE, total)
        p = K.late_probability(m.late_probability, m.late_probability_per_load, load)
        out["late"] = flagged(u < cseg.repeat(p))
    else:
        out["late"] = zeros
    return out
