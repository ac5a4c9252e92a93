"""Sensitivity (tornado data) and the behavioural response."""
from __future__ import annotations

import numpy as np
import pytest

from app.errors import ValidationError
from app.simulator import compare, presets
from app.simulator.behaviour import behaviour_response, no_response
from app.simulator.params import Costs, VehicleCost
from app.simulator.sensitivity import sensitivity

NO_COSTS = Costs(e_bike=VehicleCost(0.0, 0.0, 0.0))


def test_sensitivity_by_hand_on_identical_workers(flat):
    s = flat(pay=dict(base_per_order=6.0, included_km=10.0), costs=NO_COSTS)
    r = sensitivity(s, measure="p25_net_per_working_hour", seed=1)
    assert r["base"] == pytest.approx(18.0)  # 3 orders per working hour × 6 元
    rows = {row["key"]: row for row in r["rows"]}
    base = rows["pay.base_per_order"]
    assert base["low"] == pytest.approx(5.4) and base["high"] == pytest.approx(6.6)
    assert base["delta_low"] == pytest.approx(-1.8) and base["delta_high"] == pytest.approx(1.8)
    # sorted by the larger absolute change
    sizes = [max(abs(x["delta_low"]), abs(x["delta_high"])) for x in r["rows"]]
    assert sizes == sorted(sizes, reverse=True)
    skipped = {x["key"]: x["reason"] for x in r["skipped"]}
    assert skipped["pay.per_km"] == "zero"
    assert skipped["workforce.n_workers"] == "structural"
    assert skipped["costs.van.per_km_yuan"] == "unused_vehicle"
    assert skipped["behaviour.labour_supply_elasticity"] == "behaviour_off"


def test_sensitivity_step_and_keys():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 100})
    r = sensitivity(s, measure="mean_net_monthly", seed=2, step=0.2,
                    keys=["pay.base_per_order", "market.orders_per_hour_mean"])
    assert [row["key"] for row in r["rows"]] == sorted(
        ["pay.base_per_order", "market.orders_per_hour_mean"],
        key=lambda k: -max(abs(x) for x in (next(
            row for row in r["rows"] if row["key"] == k)["delta_low"], next(
            row for row in r["rows"] if row["key"] == k)["delta_high"])))
    assert all(row["delta_high"] > 0 for row in r["rows"])
    for bad in (dict(step=0), dict(step="x"), dict(keys=["nope"]), dict(measure="nope")):
        kw = dict(measure="mean_net_monthly", seed=1)
        kw.update(bad)
        with pytest.raises(ValidationError):
            sensitivity(s, **kw)


def test_probabilities_pushed_past_one_are_reported_not_raised(flat):
    s = flat(market=dict(p_rain=0.6, p_heat_35=0.4))
    r = sensitivity(s, measure="mean_net_monthly", seed=1, keys=["market.p_rain"])
    row = r["rows"][0]
    assert np.isnan(row["high_measure"]) and np.isfinite(row["low_measure"])


def _package(s, **behaviour):
    values = {"pay.base_per_order": s.pay.base_per_order + 1.0, "behaviour.enabled": True}
    values.update({f"behaviour.{k}": v for k, v in behaviour.items()})
    return s.with_values(values)


def test_zero_elasticities_are_identical_to_the_static_model():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 150})
    p = _package(s, labour_supply_elasticity=0.0, demand_price_elasticity=0.0)
    assert no_response(p.behaviour)
    r = behaviour_response(s, p, seed=3)
    assert r["identical_to_static"] and r["converged"]
    assert r["behavioural"] == r["static"]
    assert r["multipliers"] == {"hours": 1.0, "orders_per_hour": 1.0}
    assert r["survival"]["mean_net_monthly"] == pytest.approx(1.0)
    static = compare(s, [p.with_values({"behaviour.enabled": False})], seed=3).proposals[0]
    assert r["static"]["mean_net_monthly"] == pytest.approx(
        static.workers.net_income[static.workers.active].mean())
    # The engine's own fixed point with zero elasticities stays at (1, 1) too.
    eng = compare(s, [p], seed=3).proposals[0]
    assert eng.behaviour_multipliers == {"hours": 1.0, "orders_per_hour": 1.0}


def test_fixed_point_converges_and_part_of_the_gain_survives():
    s = presets.preset("delivery").with_values({"workforce.n_workers": 200})
    p = _package(s, labour_supply_elasticity=0.5, demand_price_elasticity=0.8)
    r = behaviour_response(s, p, seed=3)
    assert r["converged"] and not r["identical_to_static"]
    assert max(r["residual"].values()) < 1e-3
    assert r["multipliers"]["hours"] > 1.0  # better pay → more hours
    assert r["multipliers"]["orders_per_hour"] < 1.0  # dearer orders, more riders → fewer each
    surv = r["survival"]["mean_net_monthly"]
    assert surv is not None and 0.0 < surv < 1.5
    assert r["gains"]["mean_net_monthly"]["static"] > 0
