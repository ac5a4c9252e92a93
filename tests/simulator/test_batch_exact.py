"""The batched evaluator gives every package exactly what the per-package engine gives it.

For each family of terms, random packages are evaluated together in one batch (so they share
draws, day plans and structures wherever the batch allows) and each is compared, worker by
worker and on every per-worker array, with ``engine.simulate(package, reference=base)``.
"""
from __future__ import annotations

import zlib

import numpy as np
import pytest

from app.simulator import engine, presets, simulate
from app.simulator.batch import Batch, _Job

WORKERS = 300
SEED = 11


def _base(name):
    return presets.preset(name).with_values({"workforce.n_workers": WORKERS})


def _u(rng, lo, hi, d=2):
    return round(float(rng.uniform(lo, hi)), d)


# family → (preset, function of a generator → dotted values of one random package)
FAMILIES = {
    "piece_rate": ("delivery", lambda r: {
        "pay.base_per_order": _u(r, 3, 12), "pay.per_km": _u(r, 0, 2),
        "pay.included_km": _u(r, 0, 5), "pay.per_engaged_minute": _u(r, 0, 0.3),
        "pay.peak_bonus_per_order": _u(r, 0, 2), "pay.night_bonus_per_order": _u(r, 0, 2)}),
    "weather_and_protection": ("delivery", lambda r: {
        "pay.weather_subsidy_rain_per_order": _u(r, 0, 3),
        "pay.weather_subsidy_heat_per_order": _u(r, 0, 3),
        "pay.heat_allowance_per_day": _u(r, 0, 30),
        "pay.injury_insurance_per_day": _u(r, 0, 3),
        "pay.injury_insurance_per_order": _u(r, 0, 0.5),
        "pay.pension_subsidy_share": _u(r, 0, 1),
        "pay.pension_min_days_per_month": int(r.integers(0, 25)),
        "pay.membership_fee_per_month": _u(r, 0, 100),
        "costs.e_bike.per_km_yuan": _u(r, 0, 0.3), "costs.e_bike.per_day_yuan": _u(r, 0, 8),
        "costs.e_bike.per_month_yuan": _u(r, 0, 400)}),
    "commission": ("ride_hailing", lambda r: {
        "pay.commission_rate": _u(r, 0.05, 0.35, 3),
        "pay.commission_cap_per_order": _u(r, 0.1, 1.0, 3),
        "pay.monthly_average_commission_cap": _u(r, 0.1, 1.0, 3),
        "pay.min_orders_for_monthly_cap": int(r.integers(0, 200)),
        "market.commission_rate_sd": _u(r, 0, 0.1, 3),
        "market.fare_per_km": _u(r, 1, 3)}),
    "commission_flat_rate": ("ride_hailing", lambda r: {
        "market.commission_rate_sd": 0.0, "pay.commission_rate": _u(r, 0.05, 0.35, 3),
        "pay.commission_cap_per_order": _u(r, 0.1, 1.0, 3),
        "pay.monthly_average_commission_cap": _u(r, 0.1, 1.0, 3),
        "market.fare_base": _u(r, 2, 10), "market.fare_per_minute": _u(r, 0, 0.6),
        "pay.hourly_floor": _u(r, 0, 60), "pay.per_km": _u(r, 0, 1),
        "pay.floor_period": str(r.choice(["day", "cycle", "month"]))}),
    "penalties": ("delivery", lambda r: {
        "pay.late_penalty_per_order": _u(r, 0, 5), "pay.penalty_cap_per_day": _u(r, 0, 20),
        "market.late_probability": _u(r, 0, 0.2, 3)}),
    "hourly_floor": ("delivery", lambda r: {
        "pay.hourly_floor": _u(r, 0, 40), "pay.allowance_ratio": _u(r, 0, 1),
        "pay.required_online_hours": _u(r, 0, 6),
        "pay.floor_period": str(r.choice(["day", "cycle", "month"])),
        "pay.settlement_cycle_days": int(r.integers(1, 31)),
        "pay.base_per_order": _u(r, 3, 12), "pay.per_km": _u(r, 0, 2),
        "pay.included_km": _u(r, 0, 5), "pay.peak_bonus_per_order": _u(r, 0, 2),
        "pay.late_penalty_per_order": _u(r, 0, 5), "pay.penalty_cap_per_day": _u(r, 0, 20),
        "pay.per_engaged_minute": _u(r, 0, 0.3)}),
    "per_order_floor": ("delivery", lambda r: {
        "pay.per_order_minimum": _u(r, 0, 12), "pay.floor_per_minute": _u(r, 0, 0.5),
        "pay.floor_per_km": _u(r, 0, 2), "pay.base_per_order": _u(r, 3, 12),
        "pay.hourly_floor": _u(r, 0, 40), "pay.floor_period": str(r.choice(["day", "cycle"])),
        "pay.peak_bonus_per_order": _u(r, 0, 2)}),
    "per_order_floor_with_fares": ("freight", lambda r: {
        "pay.per_order_minimum": _u(r, 0, 80), "pay.floor_per_km": _u(r, 0, 4),
        "pay.commission_rate": _u(r, 0.05, 0.3, 3),
        "pay.commission_cap_per_order": _u(r, 0.1, 1.0, 3)}),
    "hours": ("delivery", lambda r: {
        "pay.max_daily_hours": _u(r, 4, 24), "pay.max_continuous_hours": _u(r, 0.5, 6),
        "pay.rest_minutes": _u(r, 5, 60), "pay.max_daily_order_hours": _u(r, 0, 10),
        "pay.fatigue_order_hours": _u(r, 0.5, 5), "pay.fatigue_stop_minutes": _u(r, 0, 40),
        "pay.legal_heat_limits": bool(r.integers(0, 2))}),
    "dispatch": ("delivery", lambda r: {
        "pay.max_orders_per_hour": _u(r, 5, 10), "pay.min_orders_per_hour": _u(r, 3, 7),
        "market.orders_per_hour_mean": _u(r, 2, 7),
        "workforce.groups.full_time.dedicated": True}),
    "market_and_workforce": ("delivery", lambda r: {
        "market.km_per_order_mean": _u(r, 1.5, 5), "market.km_per_order_cv": _u(r, 0, 1),
        "market.minutes_per_order_mean": _u(r, 15, 40), "market.minutes_per_order_cv":
            _u(r, 0, 0.8), "market.batching_factor": _u(r, 1, 2.5),
        "market.peak_share": _u(r, 0, 0.5), "market.night_share": _u(r, 0, 0.2),
        "market.p_rain": _u(r, 0, 0.5), "market.demand_factor_rain": _u(r, 0.8, 1.6),
        "workforce.groups.casual.hours_median": _u(r, 1, 6),
        "workforce.groups.full_time.days_per_month": _u(r, 15, 30)}),
    # inputs that do not choose orders: packages share kept orders (sibling structures)
    "order_flags": ("delivery", lambda r: {
        "market.km_per_order_mean": _u(r, 1.5, 5), "market.km_per_order_cv": _u(r, 0.05, 1),
        "market.peak_share": _u(r, 0, 0.5), "market.night_share": _u(r, 0, 0.2),
        "market.late_probability": _u(r, 0, 0.2, 3),
        "market.late_probability_per_load": _u(r, 0, 0.2, 3),
        "pay.per_km": _u(r, 0.1, 2), "pay.included_km": _u(r, 0, 3),
        "pay.peak_bonus_per_order": _u(r, 0.1, 2), "pay.night_bonus_per_order": _u(r, 0.1, 2),
        "pay.late_penalty_per_order": _u(r, 0.5, 5), "pay.penalty_cap_per_day": _u(r, 5, 20),
        "pay.per_order_minimum": _u(r, 0, 12), "pay.floor_per_km": _u(r, 0, 2)}),
}


def _worst(expected, got):
    """Largest relative difference over every numeric per-worker array."""
    worst, where = 0.0, None
    for k, e in expected.workers.arrays.items():
        g = got.workers.arrays[k]
        if e.dtype == bool:
            if not np.array_equal(e, g):
                return float("inf"), k
            continue
        both_nan = np.isnan(e) & np.isnan(g)
        d = np.where(both_nan, 0.0, np.abs(e - g) / (1.0 + np.abs(e)))
        if np.isnan(d).any():
            return float("inf"), k
        if d.max(initial=0.0) > worst:
            worst, where = float(d.max()), k
    return worst, where


def _valid(values):
    if values.get("pay.min_orders_per_hour", 0) > values.get("pay.max_orders_per_hour", 99):
        values["pay.min_orders_per_hour"] = values["pay.max_orders_per_hour"]
    return values


def _packages(family, k=2):
    """``k`` random packages of the family, each followed by its variants that redraw one
    term only (so they share the day plan and structure with it wherever the term allows),
    and a package that changes only the family's first term."""
    preset, draw = FAMILIES[family]
    base = _base(preset)
    rng = np.random.default_rng(zlib.crc32(family.encode()))
    first = next(iter(draw(rng).items()))
    out = [base.with_values(dict([first]))]
    for _ in range(k):
        values = _valid(draw(rng))
        out.append(base.with_values(values))
        for key, value in draw(rng).items():
            out.append(base.with_values(_valid({**values, key: value})))
    return base, out


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_batch_equals_the_engine_for_random_packages(family):
    base, packages = _packages(family)
    got = Batch(base, SEED).results([base] + packages)
    for package, result in zip([base] + packages, got):
        expected = simulate(package, seed=SEED, reference=base)
        worst, key = _worst(expected, result)
        assert worst < 1e-9, (family, key, worst)
        assert np.array_equal(expected.weather, result.weather)


def test_batch_equals_the_engine_across_chunks_and_repeated_calls(monkeypatch):
    # three chunks of workers; one call with several packages, then single calls reusing nothing
    monkeypatch.setattr(engine, "CHUNK_WORKERS", 128)
    base, packages = _packages("hours", 1)
    _b, money = _packages("hourly_floor", 1)
    batch = Batch(base, SEED)
    got = batch.results(packages + money)
    again = [batch.result(p) for p in packages[:2]]
    for package, result in zip(packages + money + packages[:2], got + again):
        worst, key = _worst(simulate(package, seed=SEED, reference=base), result)
        assert worst < 1e-9, (key, worst)


def test_single_calls_reuse_the_chunk_and_agree_with_one_call():
    base, packages = _packages("piece_rate", 1)
    batch = Batch(base, SEED)
    together = batch.results(packages)
    for package, r in zip(packages, together):
        alone = batch.result(package)
        assert np.array_equal(alone.workers.net_income, r.workers.net_income)
    assert batch._chunk is not None  # one chunk: draws kept between calls


def test_packages_that_share_a_day_plan_share_a_structure():
    base = _base("delivery")
    money = [base.with_values({"pay.base_per_order": 5 + i}) for i in range(5)]
    rain = base.with_values({"market.p_snow_ice": 0.0001})  # moves no day of the calendar
    hours = base.with_values({"pay.max_daily_hours": 6.0})
    batch = Batch(base, SEED)
    batch.results(money + [rain])
    assert len(batch._chunk.structures) == 1
    batch.results([hours])
    assert len(batch._chunk.structures) == 2


def test_inputs_that_do_not_choose_orders_share_the_kept_orders():
    base = _base("delivery")
    others = [base.with_values({"market.km_per_order_mean": 3.1}),
              base.with_values({"market.peak_share": 0.31, "market.late_probability": 0.07}),
              base.with_values({"market.minutes_per_order_mean": 33.0})]
    batch = Batch(base, SEED)
    got = batch.results([base] + others)
    assert len(batch._chunk.structures) == 4
    by = {(st.market.km_per_order_mean, st.market.peak_share, st.market.minutes_per_order_mean):
          st for st in batch._chunk.structures.values()}
    sts = [by[(p.market.km_per_order_mean, p.market.peak_share,
               p.market.minutes_per_order_mean)] for p in [base] + others]
    assert sts[1].orders.idx is sts[0].orders.idx and sts[1].orders.n is sts[0].orders.n
    assert sts[2].orders.idx is sts[0].orders.idx and sts[2].orders.km is sts[0].orders.km
    assert sts[1].orders.km is not sts[0].orders.km
    assert sts[3].orders.n is not sts[0].orders.n  # minutes choose orders: kept anew
    for package, result in zip([base] + others, got):
        worst, key = _worst(simulate(package, seed=SEED, reference=base), result)
        assert worst < 1e-9, (key, worst)


def test_packages_on_wider_candidates_re_thin_only_the_days_that_differ():
    # longer days of one group, more working days of one group, a rainier rain day: each needs
    # layers beyond the base's, yet keeps the base's orders on every other worker-day
    base = _base("delivery")
    wide = [base.with_values({"workforce.groups.casual.hours_median": 4.0}),
            base.with_values({"workforce.groups.part_time.days_per_month": 18.0}),
            base.with_values({"market.demand_factor_rain": 1.5})]
    batch = Batch(base, SEED)
    got = batch.results([base] + wide)
    chunk = batch._chunk
    first = chunk.first[1]
    for key in _Job(batch, wide).skeys(chunk):
        st = chunk.structures[key]
        assert st.cand is not first.cand and st.parent is first
        assert 0 < st.rows.mean() < 0.5
        # the extra layers are drawn on, but only the candidates of those worker-days are kept
        assert st.cand.total < chunk.pool.candidates(*st.level).total / 2
    for package, result in zip([base] + wide, got):
        worst, key = _worst(simulate(package, seed=SEED, reference=base), result)
        assert worst < 1e-9, (key, worst)


def test_progress_reports_fractions_up_to_one():
    base, packages = _packages("piece_rate", 1)
    seen = []
    Batch(base, SEED).results(packages, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0) and 0 < seen[0] < 1


@pytest.mark.parametrize("family", ["market_and_workforce", "hours", "order_flags"])
def test_two_processes_give_what_one_gives(family, monkeypatch):
    from app.simulator import batch_parallel

    forks = []

    class Pool(batch_parallel.ProcessPoolExecutor):
        def submit(self, fn, *args):
            forks.append(len(args[0]))
            return super().submit(fn, *args)
    monkeypatch.setattr(batch_parallel, "ProcessPoolExecutor", Pool)
    base, packages = _packages(family)
    # packages on wider candidate sets (longer days, a higher order rate): a second process
    packages += [base.with_values({"workforce.groups.full_time.hours_median": 11.0}),
                 base.with_values({"market.orders_per_hour_mean":
                                   base.market.orders_per_hour_mean * 1.6})]
    one = Batch(base, SEED).results([base] + packages)
    seen = []
    two = Batch(base, SEED).results([base] + packages, processes=2, progress=seen.append)
    assert forks and forks[0] > 0
    for a, b in zip(one, two):
        for k, e in a.workers.arrays.items():
            assert np.array_equal(e, b.workers.arrays[k], equal_nan=e.dtype != bool), k
    assert seen == sorted(seen) and seen[-1] == pytest.approx(1.0)


def test_the_rethinning_pay_terms_are_exactly_those_that_choose_the_kept_orders():
    """The web bounds a frontier by how many packages re-thin (``RETHINNING_PAY_TERMS``): every
    other pay term must leave the day plan and the order inputs alone, and each listed one
    must change them."""
    import dataclasses

    from app.simulator import batch, presets
    from app.simulator.batch_orders import RETHINNING_PAY_TERMS

    s = presets.preset("delivery")
    # A continuous-hours limit is valid only with its rest (both re-thin).
    COMPANIONS = {"max_continuous_hours": {"rest_minutes": 20}}
    keys = (batch._plan_key(s), batch._order_key(s))
    for f in dataclasses.fields(s.pay):
        value = getattr(s.pay, f.name)
        if isinstance(value, bool):
            candidates = [not value]
        elif isinstance(value, (int, float)):
            candidates = [value + 1, value + 0.1, value * 0.5, 0.5, 1]
        else:
            continue
        for changed in candidates:
            if changed == value:
                continue
            try:
                change = {f.name: changed, **COMPANIONS.get(f.name, {})}
                other = dataclasses.replace(s, pay=dataclasses.replace(s.pay, **change))
                break
            except ValueError:
                continue
        else:
            raise AssertionError(f"no valid change of {f.name}")
        moved = (batch._plan_key(other), batch._order_key(other)) != keys
        assert moved == (f.name in RETHINNING_PAY_TERMS), f.name
