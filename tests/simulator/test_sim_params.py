"""Inputs: validation errors, JSON round trip, field specs and with_values."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from app.errors import ValidationError
from app.simulator import Market, PayRules, Scenario, WorkerGroup, Workforce, field_specs, presets
from app.simulator.params import SCHEMA_VERSION
from tests.chinese import zh


def test_commission_message_is_clear():
    with pytest.raises(ValidationError) as e:
        PayRules(commission_rate=1.0)
    assert {k: zh(m) for k, m in e.value.errors.items()} == \
        {"commission_rate": "抽成比例必须在 0 到 1 之间（不含 1）"}
    assert e.value.errors["commission_rate"] == \
        "Commission rate must be between 0 and 1 (excluding 1)"  # the id, in English
    assert "commission_rate" in str(e.value)


@pytest.mark.parametrize("name", sorted(presets.PRESETS))
def test_presets_are_valid_and_round_trip(name):
    s = presets.preset(name)
    d = s.to_dict()
    assert d["schema_version"] == SCHEMA_VERSION
    back = Scenario.from_dict(json.loads(json.dumps(d, ensure_ascii=False)))
    assert back == s
    assert back.sources == s.sources
    assert s.thresholds.hourly_minimum_wage == 20.6
    assert s.thresholds.monthly_minimum_wage == 2100.0
    assert s.thresholds.valid_from == "2024-01-01"


def test_preset_lookup():
    assert isinstance(presets.PRESETS["delivery"](), Scenario)
    with pytest.raises(KeyError):
        presets.preset("taxi")


@pytest.mark.parametrize("name", sorted(presets.PRESETS))
def test_every_field_has_form_metadata_and_a_source(name):
    specs = field_specs(presets.preset(name))
    keys = [s["key"] for s in specs]
    assert len(keys) == len(set(keys))
    for s in specs:
        assert s["label_zh"] and s["label_en"] and s["group"]
        assert s["source"], s["key"]
        assert s["source"] == "assumption" or s["source"].startswith(("http", "assumption")), s
        if s["type"] in ("float", "int"):
            assert s["min"] is not None and s["max"] is not None
    for key in ("pay.base_per_order", "market.orders_per_hour_mean",
                "workforce.groups.full_time.share", "costs.e_bike.per_km_yuan",
                "thresholds.hourly_minimum_wage", "behaviour.enabled"):
        assert key in keys


def test_with_values_changes_validates_and_marks_the_source():
    s = presets.preset("delivery")
    t = s.with_values({"pay.base_per_order": "6.5", "workforce.groups.casual.hours_median": 2.5,
                       "costs.e_bike.per_km_yuan": 0.1, "pay.legal_heat_limits": "false"})
    assert t.pay.base_per_order == 6.5
    assert t.workforce.groups[0].hours_median == 2.5
    assert t.costs.e_bike.per_km_yuan == 0.1
    assert t.pay.legal_heat_limits is False
    assert t.sources["pay.base_per_order"] == "user"
    assert s.pay.base_per_order == 8.8  # the original is unchanged (frozen)
    spec = {e["key"]: e for e in field_specs(t)}
    assert spec["pay.base_per_order"]["value"] == 6.5
    assert spec["pay.base_per_order"]["source"] == "user"


BAD_VALUES = [
    ("pay.base_per_order", -1, "0 到 10000 之间"),
    ("pay.commission_rate", 1.0, "不含 1"),
    ("pay.commission_rate", -0.1, "之间"),
    ("pay.max_daily_hours", 25, "之间"),
    ("pay.max_daily_hours", 0, "不含 0"),
    ("pay.base_per_order", float("nan"), "NaN"),
    ("pay.base_per_order", float("inf"), "NaN"),
    ("pay.base_per_order", "abc", "必须是数字"),
    ("pay.settlement_cycle_days", 2.5, "整数"),
    ("pay.floor_period", "week", "必须是以下之一"),
    ("pay.legal_heat_limits", "maybe", "是"),
    ("market.sector", "taxi", "必须是以下之一"),
    ("market.p_rain", 1.5, "之间"),
    ("workforce.n_workers", 0, "之间"),
    ("workforce.groups.full_time.hours_median", 30, "之间"),
    ("workforce.groups.full_time.vehicle", "bus", "必须是以下之一"),
    ("costs.van.per_month_yuan", -5, "之间"),
    ("thresholds.hourly_minimum_wage", 0, "不含 0"),
    ("behaviour.pass_through", 2, "之间"),
    ("pay.no_such_term", 1, "未知参数"),
]


@pytest.mark.parametrize("key,value,fragment", BAD_VALUES)
def test_every_kind_of_bad_value_is_reported_by_key(key, value, fragment):
    with pytest.raises(ValidationError) as e:
        presets.preset("delivery").with_values({key: value})
    assert key in e.value.errors
    assert fragment in zh(e.value.errors[key])  # as the Chinese interface shows it


@pytest.mark.parametrize("spec", [s for s in field_specs(presets.preset("delivery"))
                                  if s["type"] in ("float", "int")], ids=lambda s: s["key"])
def test_every_numeric_field_rejects_out_of_range_and_nan(spec):
    s = presets.preset("delivery")
    bad = [float("nan"), spec["min"] - 1, spec["max"] + 1]
    for value in bad:
        with pytest.raises(ValidationError) as e:
            s.with_values({spec["key"]: value})
        assert spec["key"] in e.value.errors


def test_cross_field_errors():
    with pytest.raises(ValidationError) as e:
        PayRules(max_orders_per_hour=2.0, min_orders_per_hour=3.0)
    assert "min_orders_per_hour" in e.value.errors
    with pytest.raises(ValidationError) as e:
        PayRules(max_continuous_hours=4.0, rest_minutes=0.0)
    assert "rest_minutes" in e.value.errors
    with pytest.raises(ValidationError) as e:
        Market(p_rain=0.6, p_heat_35=0.6)
    assert "概率之和" in zh(e.value.errors["p_rain"])
    with pytest.raises(ValidationError) as e:
        Market(peak_share=0.7, night_share=0.4)
    assert "night_share" in e.value.errors


def test_workforce_errors():
    with pytest.raises(ValidationError) as e:
        Workforce(100, 30, (WorkerGroup("casual", 0.5), WorkerGroup("full_time", 0.4)))
    assert "必须等于 1" in zh(e.value.errors["groups"])
    with pytest.raises(ValidationError) as e:
        Workforce(100, 30, (WorkerGroup("casual", 0.5), WorkerGroup("casual", 0.5)))
    assert "重复" in zh(e.value.errors["groups"])
    with pytest.raises(ValidationError) as e:
        Workforce(100, 30, ())
    assert "groups" in e.value.errors
    with pytest.raises(ValidationError) as e:
        presets.preset("delivery").with_values({"workforce.groups.casual.share": 0.9})
    assert "workforce.groups" in e.value.errors


def test_from_dict_errors_are_keyed_by_dotted_key():
    d = presets.preset("delivery").to_dict()
    d["pay"]["commission_rate"] = 2
    d["market"]["bogus"] = 1
    d["workforce"]["groups"][2]["share"] = -1
    with pytest.raises(ValidationError) as e:
        Scenario.from_dict(d)
    assert set(e.value.errors) == {"pay.commission_rate", "market.bogus",
                                   "workforce.groups.full_time.share"}
    with pytest.raises(ValidationError) as e:
        Scenario.from_dict({"schema_version": 99})
    assert "schema_version" in e.value.errors
    with pytest.raises(ValidationError):
        Scenario.from_dict({"unknown": 1})
    with pytest.raises(ValidationError):
        Scenario.from_dict([])


def test_scenario_type_errors():
    with pytest.raises(ValidationError) as e:
        Scenario(pay={"base_per_order": 1})
    assert "pay" in e.value.errors


def test_bool_and_int_coercion():
    p = PayRules(legal_heat_limits=0, settlement_cycle_days=7.0)
    assert p.legal_heat_limits is False and p.settlement_cycle_days == 7
    with pytest.raises(ValidationError):
        PayRules(base_per_order=True)
    assert math.isclose(PayRules(base_per_order=5).base_per_order, 5.0)


def test_simulator_loads_no_flask_or_sqlalchemy():
    code = ("import sys, app.simulator; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'sqlalchemy')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
