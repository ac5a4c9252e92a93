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


def order_sums(pkg, cand, keep, mf_wd, load, budget, exact=False, ws=None) -> dict:
    """Sums per worker-day of the kept candidate orders.

    ``cand`` (a :class:`~app.simulator.candidates.CandidateSet`) lays out the candidate orders in
    worker-day segments, in order of arrival, and draws their per-order variates; ``keep`` says
    which this package keeps before the time budget (None = all). ``budget`` is each
    worker-day's online (dispatchable) hours: orders are dispatched in order of arrival while
    their order time, with any fatigue stops, fits into it (time is conserved), and while the
    order time stays within ``pay.max_daily_order_hours``. Per-order quantities are computed for
    every candidate and summed with the keep mask as weight: cheaper than gathering the kept
    orders when most are kept, and the cached draws are never modified. ``mf_wd`` is the
    weather minutes factor and ``load`` the expected busy share of each worker-day; ``ws`` a
    :class:`~app.simulator.kernels.Workspace` for the per-order temporaries.
    """
    pay, m = pkg.pay, pkg.market
    cseg = cand.segments
    draws = cand
    total = cseg.total
    nwd = cseg.counts.size
    zeros = np.zeros(nwd)
    ws = ws if ws is not None else K.Workspace()

    z1 = km = None
    if pkg.km_s > 0:
        z1 = draws.order_normal(sampling.KM, total)
        km = np.multiply(z1, pkg.km_s, out=ws.get("km", total))  # log km, then km in place
        km += pkg.km_mu
    scratch = ws.get("scratch", total)      # one spare order-sized buffer, reused below
    if pkg.min_s > 0:
        z2 = draws.order_normal(sampling.MINUTES, total)
        rho = m.km_minutes_correlation
        if z1 is not None and rho > 0:
            # log minutes = mu + s·(rho·z1 + sqrt(1 − rho²)·z2)
            base_minutes = np.multiply(z2, pkg.min_s * np.sqrt(1.0 - rho * rho),
                                       out=ws.get("minutes", total))
            base_minutes += np.multiply(z1, pkg.min_s * rho, out=scratch)
        else:
            base_minutes = np.multiply(z2, pkg.min_s, out=ws.get("minutes", total))
        base_minutes += pkg.min_mu
        np.exp(base_minutes, out=base_minutes)
    else:
        base_minutes = np.float64(m.minutes_per_order_mean)
    if km is not None:
        np.exp(km, out=km)
    else:
        km = np.float64(m.km_per_order_mean)

    keep = time_budget(pay, m, cseg, keep, base_minutes, mf_wd, budget, ws)

    floor_on = pay.has_per_order_floor
    varying_rate = m.commission_rate_sd > 0 and pay.commission_rate > 0 and m.has_fares
    per_order = exact or floor_on or varying_rate
    weight = None
    if keep is None:
        n = cseg.counts.astype(np.float64)
    else:
        n = cseg.count(keep)
        if per_order:
            weight = keep.astype(np.float64)
        else:
            # Only sums of km and minutes follow: multiply the buffers by the keep mask in
            # place (the same values as a weighted copy of each).
            for x in (km, base_minutes):
                if np.ndim(x):
                    np.multiply(x, keep, out=x)
                else:
                    weight = keep.astype(np.float64)

    def ssum(x):
        if np.ndim(x) == 0:
            return n * float(x)
        if weight is not None:
            x = x * weight
        return cseg.sum(x)

    minutes = base_minutes * cseg.repeat(mf_wd) if per_order else None

    out = {"orders": n}
    if per_order:
        out["km"] = ssum(np.broadcast_to(km, total))
        out["minutes"] = ssum(np.broadcast_to(minutes, total))
    else:
        out["km"] = ssum(km)
        out["minutes"] = ssum(base_minutes) * mf_wd

    # Piece rate.
    if per_order:
        piece = K.piece_pay(km, minutes, pay.base_per_order, pay.per_km, pay.included_km,
                            pay.per_engaged_minute)
        piece_sum = ssum(np.broadcast_to(piece, total))
    else:
        piece_sum = pay.base_per_order * n + pay.per_engaged_minute * out["minutes"]
        if pay.per_km:
            if np.ndim(km):
                # km beyond the included km, in the spare buffer (0 for orders not kept)
                excess = np.subtract(km, pay.included_km, out=scratch)
                np.maximum(excess, 0.0, out=excess)
            else:
                excess = np.maximum(km - pay.included_km, 0.0)
            piece_sum = piece_sum + pay.per_km * ssum(excess)

    # Fares and commission.
    if m.has_fares:
        if per_order:
            fares = K.fare(km, minutes, m.fare_base, m.fare_per_km, m.fare_per_minute)
            rate = pay.commission_rate
            if varying_rate:
                z = draws.order_normal(sampling.COMM, total)
                rate = np.clip(rate + m.commission_rate_sd * z, 0.0, 1.0)
            commission = K.capped_commission(fares, rate, pay.commission_cap_per_order)
            out["fares"] = ssum(np.broadcast_to(fares, total))
            out["commission"] = ssum(np.broadcast_to(commission, total))
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
        out["order_topup"] = ssum(np.broadcast_to(topup, total))
    else:
        out["order_topup"] = zeros

    def flagged(mask):
        if keep is not None:
            mask &= keep
        return cseg.count(mask)

    flag = ws.get("flag", total, bool)

    # Peak / night flags (one uniform: low values peak, high values night).
    if exact or pay.peak_bonus_per_order > 0 or pay.night_bonus_per_order > 0:
        u = draws.order_uniform(sampling.FLAG, total)
        out["peak"] = flagged(np.less(u, m.peak_share, out=flag)) if m.peak_share > 0 \
            else zeros
        out["night"] = flagged(np.greater_equal(u, 1.0 - m.night_share, out=flag)) \
            if m.night_share > 0 else zeros
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


def order_time_limit(pay, budget):
    """Most order time (hours) a worker-day with ``budget`` online hours can dispatch.

    With a fatigue stop of ``s`` hours after every ``F`` hours of order time, order time ``T``
    fits when T + s·⌊T/F⌋ ≤ budget: with k = ⌊budget / (F + s)⌋ stops, the largest such T is
    min(budget − k·s, (k + 1)·F) (just below the next stop). Then the daily order-time cap.
    """
    limit = np.asarray(budget, dtype=float)
    if pay.fatigue_order_hours > 0 and pay.fatigue_stop_minutes > 0:
        f, stop = pay.fatigue_order_hours, pay.fatigue_stop_minutes / 60.0
        k = np.floor(limit / (f + stop))
        limit = np.minimum(limit - k * stop, (k + 1.0) * f * (1.0 - 1e-12))
    if pay.max_daily_order_hours > 0:
        limit = np.minimum(limit, pay.max_daily_order_hours)
    return limit


def time_budget(pay, m, cseg, keep, base_minutes, mf_wd, budget, ws=None):
    """``keep`` narrowed to the orders that fit into each worker-day's time, in arrival order.

    An order's order time is its minutes ÷ 60 ÷ the batching factor (time with an order in hand,
    overlaps counted once). Order ``i`` of a day is dispatched when the order time of the kept
    orders up to and including it, plus a fatigue stop (``fatigue_stop_minutes``, no dispatch)
    for every ``fatigue_order_hours`` of that order time, is within the day's online hours,
    and the order time within ``max_daily_order_hours`` (see :func:`order_time_limit`). The
    order time grows with ``i``, so the orders kept are those that arrive before the day's time
    is used up. ``ws``: a :class:`~app.simulator.kernels.Workspace` (its ``scratch`` buffer
    is overwritten).
    """
    hours = mf_wd / (60.0 * m.batching_factor)          # hours of order time per base minute
    limit = order_time_limit(pay, budget) / hours         # in base minutes
    if np.ndim(base_minutes) == 0:
        base_minutes = np.full(cseg.total, float(base_minutes))
    x = base_minutes if keep is None else np.where(keep, base_minutes, 0.0)
    limit *= 1 + 1e-12
    if not np.any(cseg.sum(x) > limit):
        return keep
    ws = ws if ws is not None else K.Workspace()
    c = np.cumsum(x, out=ws.get("scratch", cseg.total))
    # Running total before each segment (0 before the first order).
    first = np.cumsum(cseg.counts) - cseg.counts - 1
    before = c[np.maximum(first, 0)]
    before[first < 0] = 0.0
    before += limit
    fits = np.less_equal(c, cseg.repeat(before), out=ws.get("fits", cseg.total, bool))
    return fits if keep is None else keep & fits
