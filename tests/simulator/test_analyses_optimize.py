"""Solve-for and frontier on fixed draws: closed-form answers, monotone measures, no solution,
and Pareto efficiency of the frontier."""
from __future__ import annotations

import math

import numpy as np
import pytest

from app.errors import ValidationError
from app.simulator import presets, simulate
from app.simulator import measures as M
from app.simulator.optimize import efficient_mask, frontier, solve_for
from app.simulator.params import Costs, VehicleCost

NO_COSTS = Costs(e_bike=VehicleCost(0.0, 0.0, 0.0))


def test_lowest_base_rate_for_an_hourly_target_in_closed_form(flat):
    # No costs, 20 minutes per order: net per working hour = 3 × base, for every worker.
    s = flat(pay=dict(base_per_order=5.0, included_km=10.0), costs=NO_COSTS)
    r = solve_for(s, "base_per_order", "p25_net_per_working_hour", 24.0, seed=1)
    assert r["status"] == "solved"
    assert r["value"] == pytest.approx(8.0)
    assert r["achieved"] == pytest.approx(24.0)
    assert r["direction"] == "increasing"
    n = simulate(s, seed=1).workers.orders.sum()
    assert r["cost"] == pytest.approx(8.0 * n)  # platform pays 8 元 an order, 30-day month
    assert r["baseline"]["cost"] == pytest.approx(5.0 * n)
    assert "8.00" in r["message_zh"] and "lowest" in r["message_en"]


def test_answer_uses_the_realised_draws_and_rounds_up_to_the_fen(flat):
    s = flat(pay=dict(base_per_order=5.0, included_km=10.0))  # costs 0.4 元/order + 320 元
    target = 30.0
    r = solve_for(s, "pay.base_per_order", "median_net_per_online_hour", target, seed=4)
    med_n = float(np.median(simulate(s, seed=4).workers.orders))
    exact = (target + 320 / 240) * 240 / med_n + 0.4
    assert r["value"] == pytest.approx(math.ceil(exact * 100 - 1e-9) / 100)
    assert r["achieved"] >= target


def test_highest_commission_for_a_median_target(flat):
    market = dict(sector="ride_hailing", fare_base=10.0, fare_per_km=2.0, km_per_order_mean=5.0)
    s = flat(pay=dict(base_per_order=0.0, included_km=0.0, commission_rate=0.1), market=market,
             costs=NO_COSTS)
    # fare 20 per order, 3 orders per working hour: 60 × (1 − c) per working hour
    r = solve_for(s, "commission_rate", "median_net_per_working_hour", 45.0, seed=2)
    assert r["status"] == "solved" and r["direction"] == "decreasing"
    assert r["value"] == pytest.approx(0.25)
    assert "最高" in r["message_zh"] and "highest" in r["message_en"]


def test_no_value_in_range_reaches_the_target(flat):
    s = flat(pay=dict(base_per_order=5.0, included_km=10.0), costs=NO_COSTS)
    r = solve_for(s, "base_per_order", "p25_net_per_working_hour", 50.0, seed=1, lo=0, hi=10)
    assert r["status"] == "no_solution" and r["value"] is None
    assert "没有" in r["message_zh"] or "不能" in r["message_zh"]
    assert r["message_en"].startswith("No value")


def test_every_value_meets_the_goal_picks_the_cheapest(flat):
    s = flat(pay=dict(base_per_order=5.0, included_km=10.0), costs=NO_COSTS)
    r = solve_for(s, "base_per_order", "share_below_hourly_minimum", 1.0, seed=1, goal="at_most",
                  lo=1, hi=10)
    assert r["status"] == "everywhere" and r["value"] == 1.0


def test_bad_inputs_are_rejected_with_field_keys(flat):
    s = flat()
    for kwargs, field in ((dict(key="nope"), "key"), (dict(key="pay.floor_period"), "key"),
                          (dict(measure="nope"), "measure"), (dict(target="x"), "target"),
                          (dict(goal="sideways"), "goal"), (dict(lo=5, hi=1), "range"),
                          (dict(lo=-1, hi=1), "range")):
        args = dict(key="base_per_order", measure="p25_net_per_working_hour", target=20.0)
        args.update(kwargs)
        with pytest.raises(ValidationError) as e:
            solve_for(s, args.pop("key"), args.pop("measure"), args.pop("target"), seed=1,
                      **args)
        assert field in e.value.errors


def test_measures_are_monotone_in_the_base_rate():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 200})
    for name in ("p25_net_per_working_hour", "median_net_per_online_hour", "mean_net_monthly",
                 "platform_cost_month"):
        values = [M.MEASURES[name](simulate(s.with_values({"pay.base_per_order": b}), seed=3))
                  for b in (4.0, 5.0, 6.0, 7.0, 8.0)]
        assert values == sorted(values), name
    shares = [M.MEASURES["share_below_hourly_minimum"](
        simulate(s.with_values({"pay.base_per_order": b}), seed=3)) for b in (3.0, 5.0, 8.0)]
    assert shares == sorted(shares, reverse=True)


def test_efficient_mask_by_hand():
    cost = np.array([1.0, 2.0, 2.0, 3.0, 1.5])
    worker = np.array([1.0, 3.0, 2.0, 3.0, 0.5])
    assert efficient_mask(cost, worker).tolist() == [True, True, False, False, False]
    # lower is better: the share below the minimum wage
    assert efficient_mask(cost, -worker, better=-1).tolist() == [True, True, False, False, False]


@pytest.fixture(scope="module")
def small_front():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 150})
    offers = [{"name": "union", "terms": {"base_per_order": 7.0, "per_km": 1.2}},
              {"name": "platform", "terms": {"pay.base_per_order": 6.2}},
              {"name": "bad", "terms": {"base_per_order": -3}}]
    return frontier(s, "base_per_order", "peak_bonus_per_order",
                    measure="p25_net_per_working_hour", seed=5, n=6, offers=offers, chosen=1,
                    grid_workers=None)


def _dominates(a, b):
    return (a["cost"] <= b["cost"] and a["worker"] >= b["worker"]
            and (a["cost"] < b["cost"] or a["worker"] > b["worker"]))


def test_frontier_points_are_mutually_non_dominated(small_front):
    front = small_front["frontier"]
    assert 1 <= len(front) <= 36 and len(small_front["points"]) == 36
    for a in front:
        assert not any(_dominates(b, a) for b in front)


def test_every_sampled_package_is_dominated_by_or_on_the_frontier(small_front):
    front = small_front["frontier"]
    for p in small_front["points"]:
        assert p["efficient"] or any(_dominates(f, p) for f in front)


def test_offers_are_placed_and_better_packages_listed(small_front):
    union, platform, bad = small_front["offers"]
    assert union["position"] in ("on_frontier", "dominated", "beyond")
    assert "error" in bad and "pay.base_per_order" in bad["error"]
    better = platform["better_for_both"]
    assert all(p["cost"] <= platform["cost"] and p["worker"] >= platform["worker"]
               for p in better)
    assert "better_for_both" not in union


def test_frontier_on_a_reduced_grid_is_checked_on_the_full_population():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 300})
    r = frontier(s, "base_per_order", "per_km", measure="median_net_per_online_hour", seed=1,
                 n=3, grid_workers=100)
    assert r["grid_workers"] == 100 and r["workers"] == 300
    checked = [p for p in r["frontier"] if "checked" in p]
    assert checked
    for p in checked:  # grid costs are scaled to the full population
        assert p["cost"] == pytest.approx(p["checked"]["cost"], rel=0.25)


def test_frontier_validates_its_inputs():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 50})
    with pytest.raises(ValidationError) as e:
        frontier(s, "base_per_order", "base_per_order", measure="mean_net_monthly", seed=1)
    assert "y_key" in e.value.errors
    with pytest.raises(ValidationError) as e:
        frontier(s, "base_per_order", "per_km", measure="platform_cost_month", seed=1)
    assert "measure" in e.value.errors
    with pytest.raises(ValidationError) as e:
        frontier(s, "base_per_order", "per_km", measure="mean_net_monthly", seed=1, n=99)
    assert "n" in e.value.errors
    with pytest.raises(ValidationError) as e:
        frontier(s, "base_per_order", "per_km", measure="mean_net_monthly", seed=1,
                 x_range=(3, 2))
    assert "x_range" in e.value.errors
