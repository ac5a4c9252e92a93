"""The share below the hourly minimum under each reading of working time (decision 2)."""
from __future__ import annotations

import numpy as np
import pytest

from app.simulator import compare, presets, simulate
from app.simulator.effect import adopted_reading, package_effect
from app.simulator.metrics import READINGS


@pytest.fixture(scope="module")
def package():
    return presets.preset("delivery").with_values(
        {"workforce.n_workers": 400, "pay.allowance_ratio": 0.3, "pay.base_per_order": 6.5})


def test_each_reading_counts_its_own_hours_and_pay(package):
    result = simulate(package, seed=5)
    w, mw = result.workers, package.thresholds.hourly_minimum_wage
    d = result.to_dict()
    by = d["share_below_hourly_minimum_by_reading"]
    assert set(by) == set(READINGS)
    hand = {"order_time": (w.floor_pay, w.engaged_hours),
            "working_time": (w.floor_pay, w.working_hours),
            "online_time": (w.floor_pay, w.online_hours),
            "net_online_time": (w.net_income, w.online_hours)}
    for r, (pay, hours) in hand.items():
        ok = w.active & (hours > 0)
        p = float(np.mean(pay[ok] < mw * hours[ok] * (1 - 1e-9)))
        assert by[r] == pytest.approx(p, abs=1e-12), r
        # Within groups and with the weather calendar: near the plain binomial error, not it.
        binomial = np.sqrt(p * (1 - p) / ok.sum())
        se = d["se"]["share_below_hourly_minimum_by_reading"][r]
        assert se == 0 if p in (0, 1) else 0.5 * binomial < se < 2 * binomial, r
    assert d["se"]["share_below_hourly_minimum_by_reading"]["working_time"] == \
        d["se"]["share_below_hourly_minimum"]  # one reading, one computation
    # The legal test is the working-time reading; counting more time never lowers the share.
    assert by["working_time"] == d["share_below_hourly_minimum"]
    assert by["order_time"] <= by["working_time"] <= by["online_time"]
    assert by["online_time"] != by["order_time"]
    for g in d["by_group"].values():
        assert set(g["share_below_hourly_minimum_by_reading"]) == set(READINGS)


def test_the_comparison_reports_each_reading_change_with_its_error(package):
    base = package.with_values({"pay.base_per_order": 6.0})
    c = compare(base, [package], seed=5)
    delta = c.delta(c.proposals[0])
    b = c.baseline.to_dict()["share_below_hourly_minimum_by_reading"]
    p = c.proposals[0].to_dict()["share_below_hourly_minimum_by_reading"]
    for r in READINGS:
        assert delta["share_below_hourly_minimum_by_reading"][r] == pytest.approx(p[r] - b[r])
        assert delta["se"]["share_below_hourly_minimum_by_reading"][r] >= 0


def test_the_package_marks_the_reading_it_adopts(package):
    assert adopted_reading(package.pay) == "working_time"
    plain = package.with_values({"pay.allowance_ratio": 0})
    assert adopted_reading(plain.pay) == "order_time"
    effect = package_effect(package, plain, seed=5)
    assert effect["adopted_reading"] == "working_time" and effect["readings"] == list(READINGS)
    assert effect["threshold"]["hourly"] == package.thresholds.hourly_minimum_wage
    assert effect["threshold"]["source"].startswith("http")
    # One computation: asking again gives the very same figures.
    assert package_effect(package, plain, seed=5) == effect


def test_online_time_the_platform_requires_counts_as_working_time():
    """人社厅发〔2023〕50号: working time includes the online time the platform requires."""
    base = presets.preset("delivery").with_values({"workforce.n_workers": 300,
                                                   "pay.base_per_order": 4.5})
    required = base.with_values({"pay.required_online_hours": 6.0})
    a, b = simulate(base, seed=3), simulate(required, seed=3)
    wa, wb = a.workers, b.workers
    assert (wb.working_hours >= wa.working_hours - 1e-9).all()
    assert (wb.working_hours <= wb.online_hours + 1e-9).all()
    assert wb.working_hours.sum() > wa.working_hours.sum()
    by_a = a.to_dict()["share_below_hourly_minimum_by_reading"]
    by_b = b.to_dict()["share_below_hourly_minimum_by_reading"]
    assert by_b["order_time"] == by_a["order_time"]
    assert by_b["online_time"] == by_a["online_time"]
    assert by_b["working_time"] > by_a["working_time"]
