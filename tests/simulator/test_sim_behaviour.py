"""The behaviour fixed point reports itself (simulation-model decision 6)."""
from __future__ import annotations

import numpy as np

from app.simulator import compare, presets
from app.simulator.behaviour import behaviour_response
from app.simulator.engine import TOLERANCE, _run, behaviour_map


def small(**values):
    base = {"workforce.n_workers": 200, "workforce.days": 10}
    base.update(values)
    return presets.preset("delivery").with_values(base)


def test_the_result_belongs_to_the_multipliers_shown_and_the_solution_is_reported():
    s = small()
    p = s.with_values({"pay.base_per_order": 9.0, "behaviour.enabled": True,
                       "behaviour.labour_supply_elasticity": 1.5,
                       "behaviour.demand_price_elasticity": 2.0, "behaviour.pass_through": 1.0})
    res = compare(s, [p], seed=3)
    r = res.proposals[0]
    sol = r.behaviour_solution
    assert set(sol) == {"converged", "clipped", "iterations", "residual", "multipliers"}
    assert sol["converged"] and sol["residual"] < TOLERANCE and sol["iterations"] > 1
    m = r.behaviour_multipliers
    assert sol["multipliers"] == m
    again = _run([p], 3, mults=[(m["hours"], m["orders_per_hour"])], reference=s)[0]
    np.testing.assert_array_equal(again.workers.net_income, r.workers.net_income)
    # one more step of the map from the result moves neither multiplier by the tolerance
    mh, mr, _ = behaviour_map(res.baseline.totals(), r.totals(), p.behaviour, m["hours"])
    assert abs(mh - m["hours"]) < TOLERANCE and abs(mr - m["orders_per_hour"]) < TOLERANCE
    d = res.to_dict()["proposals"][0]["result"]
    assert d["behaviour_solution"]["converged"] is True
    assert d["behaviour_multipliers"] == m


def test_a_solution_at_a_bound_is_reported_as_clipped():
    s = small()
    p = s.with_values({"pay.base_per_order": 14.0, "behaviour.enabled": True,
                       "behaviour.labour_supply_elasticity": 3.0,
                       "behaviour.max_hours_change": 0.1})
    r = compare(s, [p], seed=3).proposals[0]
    assert r.behaviour_solution["clipped"] is True
    assert abs(r.behaviour_multipliers["hours"] - 1.1) < 1e-3
    out = behaviour_response(s, p, seed=3)
    assert out["clipped"] is True and out["iterations"] == r.behaviour_solution["iterations"]
