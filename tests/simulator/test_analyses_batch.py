"""Frontier, sensitivity and solve-for run on the full population through the batched
evaluator: their figures are the engine's for the same package on common random numbers, and
they report their progress."""
from __future__ import annotations

import math

import pytest

from app.simulator import measures as M
from app.simulator import presets, simulate
from app.simulator.optimize import frontier, solve_for
from app.simulator.sensitivity import sensitivity

MEASURE = "p25_net_per_working_hour"


@pytest.fixture(scope="module")
def scenario():
    return presets.preset("delivery").with_values({"workforce.n_workers": 500})


def _monotone_to_one(seen):
    assert seen, "progress was never reported"
    assert all(0.0 <= f <= 1.0 for f in seen)
    assert seen == sorted(seen)
    assert seen[-1] == pytest.approx(1.0)


def test_frontier_grid_is_the_full_population_and_the_engines_figures(scenario):
    seen = []
    r = frontier(scenario, "base_per_order", "max_daily_order_hours", measure=MEASURE, seed=3,
                 n=3, x_range=(6.0, 10.0), y_range=(6.0, 10.0), progress=seen.append)
    assert r["grid_workers"] == r["workers"] == 500
    assert all("checked" not in p for p in r["table"])  # nothing to re-check
    m = M.get(MEASURE)
    for p in (r["points"][0], r["points"][4], r["points"][-1]):
        variant = scenario.with_values({"pay.base_per_order": p["x"],
                                        "pay.max_daily_order_hours": p["y"]})
        expected = simulate(variant, seed=3, reference=scenario)
        assert p["worker"] == pytest.approx(m(expected), rel=1e-9)
        assert p["cost"] == pytest.approx(M.platform_cost_month(expected), rel=1e-9)
    _monotone_to_one(seen)


def test_sensitivity_rows_are_the_engines_figures_on_every_worker(scenario):
    keys = ["pay.base_per_order", "market.orders_per_hour_mean",
            "workforce.groups.casual.hours_median", "market.demand_factor_rain",
            "pay.fatigue_order_hours"]
    seen = []
    r = sensitivity(scenario, measure=MEASURE, seed=5, keys=keys, progress=seen.append)
    assert r["workers"] == 500
    m = M.get(MEASURE)
    assert r["base"] == pytest.approx(m(simulate(scenario, seed=5)), rel=1e-12)
    for row in r["rows"]:
        for side in ("low", "high"):
            variant = scenario.with_values({row["key"]: row[side]})
            expected = m(simulate(variant, seed=5, reference=scenario))
            assert row[f"{side}_measure"] == pytest.approx(expected, rel=1e-9), row["key"]
    _monotone_to_one(seen)


def test_solve_for_reports_progress_and_meets_its_target(scenario):
    seen = []
    r = solve_for(scenario, "base_per_order", MEASURE, 24.0, seed=1, progress=seen.append)
    assert r["status"] == "solved" and r["achieved"] >= 24.0
    below = scenario.with_values({"pay.base_per_order": round(r["value"] - 0.01, 2)})
    assert M.get(MEASURE)(simulate(below, seed=1, reference=scenario)) < 24.0
    _monotone_to_one(seen)
    assert math.isfinite(r["cost"])
