"""The package of terms of an offer: a flat dict of numbers keyed by ``PayRules`` field names.

The simulator (``app.simulator``) is used when it can be imported: for the names, labels and
ranges of terms, to check a scenario, and to apply terms to today's rules. Without it, terms are
any finite numbers under a plain name and scenarios are stored as given.
"""
from __future__ import annotations

import dataclasses
import functools
import json
import math
import re
from collections.abc import Mapping
from typing import Any

from app.simulator import PayRules, Scenario, presets
from app.simulator.effect import EFFECT_SEED, package_effect
from app.simulator.effect import adopted_reading as reading
from app.simulator.fieldspec import UNITS_EN
from app.errors import Msg, ValidationError
from app.standards.lookup import MinimumWage
from app.standards.thresholds import with_minimum_wage

# Terms shown in the offer form, per sector (more can be carried over from a previous offer).
KEY_TERMS: dict[str, tuple[str, ...]] = {
    "delivery": ("base_per_order", "per_km", "commission_rate", "hourly_floor",
                 "max_daily_hours", "weather_subsidy_rain_per_order", "heat_allowance_per_day",
                 "late_penalty_per_order"),
    "ride_hailing": ("commission_rate", "commission_cap_per_order",
                     "monthly_average_commission_cap", "per_km", "per_engaged_minute",
                     "hourly_floor", "max_daily_hours"),
    "freight": ("per_km", "base_per_order", "commission_rate", "membership_fee_per_month",
                "hourly_floor", "max_daily_hours"),
}
# Terms drawn in the offer-history chart when offers carry them (at most four).
CHART_TERMS = ("base_per_order", "commission_rate", "hourly_floor", "per_km",
               "commission_cap_per_order", "weather_subsidy_rain_per_order",
               "max_daily_hours", "heat_allowance_per_day")

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,59}$")


def _numeric_fields() -> dict[str, dict]:
    return {f.name: dict(f.metadata) for f in dataclasses.fields(PayRules)
            if f.metadata.get("type") in ("float", "int")}


NUMERIC_FIELDS = _numeric_fields()


def term_label(key: str, lang: str = "zh") -> str:
    """The label of a term with its unit, in ``lang``; the key itself when unknown."""
    meta = NUMERIC_FIELDS.get(key)
    if not meta:
        return key
    label = meta.get("label_en" if lang == "en" else "label_zh") or key
    return f"{label}（{meta['unit']}）" if meta.get("unit") and lang != "en" else (
        f"{label} ({UNITS_EN.get(meta['unit'], meta['unit'])})" if meta.get("unit") else label)


def current_pay(current_rules: Any) -> dict:
    """The ``pay`` part of today's rules (a scenario dict), or ``{}``."""
    if isinstance(current_rules, Mapping) and isinstance(current_rules.get("pay"), Mapping):
        return dict(current_rules["pay"])
    return {}


def parse_terms(form: Mapping, current_rules: Any, errors: dict) -> dict[str, float]:
    """Terms from form keys ``terms.<name>`` (blank = not part of the package).

    Each value must be a finite number; with the simulator, the name must be a numeric pay
    term and the package, laid over today's rules, must pass the simulator's range checks.
    Errors are added to ``errors`` under the form key.
    """
    terms: dict[str, float] = {}
    for key, raw in form.items():
        if not str(key).startswith("terms."):
            continue
        name = str(key)[len("terms."):]
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            value = float(raw)
        else:
            text = str(raw or "").strip()
            if not text:
                continue
            try:
                value = float(text)
            except ValueError:
                errors[key] = Msg("Fill in a number")
                continue
        if not math.isfinite(value):
            errors[key] = Msg("Fill in a number")
        elif not _NAME.match(name) or (NUMERIC_FIELDS and name not in NUMERIC_FIELDS):
            errors[key] = Msg("Unknown term")
        else:
            if NUMERIC_FIELDS.get(name, {}).get("type") == "int":
                if value != int(value):
                    errors[key] = Msg("Fill in a whole number")
                    continue
            terms[name] = value
    if not terms and not errors:
        errors["terms"] = Msg("An offer must contain at least one term")
    if PayRules is not None and terms and not any(k.startswith("terms.") for k in errors):
        base = current_pay(current_rules)
        merged = {**base, **{k: (int(v) if NUMERIC_FIELDS[k]["type"] == "int" else v)
                             for k, v in terms.items()}}
        try:
            PayRules.from_dict(merged)
        except ValidationError as exc:
            for name, message in getattr(exc, "errors", {}).items():
                errors["terms." + name if name in terms else "terms"] = message
    return terms


def check_scenario(data: Any) -> Msg | None:
    """A message if ``data`` is no valid simulator scenario; None if valid or unchecked."""
    if not isinstance(data, Mapping):
        return Msg("Today's rules must be a scenario object (JSON)")
    try:
        Scenario.from_dict(dict(data))
    except ValidationError as exc:
        details = [Msg("%(key)s: %(message)s", key=k, message=v)
                   for k, v in getattr(exc, "errors", {}).items()]
        if details:
            return Msg("Today's rules are not a valid scenario (%(details)s)", details=details)
        return Msg("Today's rules are not a valid scenario")
    return None


def preset_rules(sector: str, wage: MinimumWage | None = None) -> dict | None:
    """The simulator's preset for ``sector`` as today's rules, tested against ``wage`` (the
    registry's minimum wage of the negotiation's place and day) when it is known; None for a
    sector without a preset."""
    if presets is None or sector not in getattr(presets, "PRESETS", {}):
        return None
    scenario = presets.preset(sector)
    return (with_minimum_wage(scenario, wage) if wage else scenario).to_dict()


def apply_terms(current_rules: Any, terms: Mapping[str, float]) -> dict | None:
    """Today's rules with the package's terms in ``pay`` (the scenario the offer describes)."""
    if not isinstance(current_rules, Mapping):
        return None
    scenario = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in current_rules.items()}
    pay = dict(scenario.get("pay") or {})
    for key, value in terms.items():
        pay[key] = int(value) if NUMERIC_FIELDS.get(key, {}).get("type") == "int" else value
    scenario["pay"] = pay
    return scenario


# Offers are simulated with the one seed of every package effect (``app.simulator.effect``), so
# every offer and today's rules are compared on the same draws (common random numbers).
SNAPSHOT_SEED = 20240101  # = app.simulator.effect.EFFECT_SEED (the simulator is optional here)
READINGS = ("order_time", "working_time", "online_time", "net_online_time")

# Results shown beside the terms: key → (path in the package effect, zh, en, unit). The share
# below the hourly minimum is shown under each reading of working time (labels in the template).
RESULT_ROWS = tuple(
    (f"below_{r}", ("package", "share_below_hourly_minimum_by_reading", r),
     "低于小时最低工资的劳动者比例", "Workers below the hourly minimum wage", "%")
    for r in READINGS) + (
    ("mean_net_monthly", ("package", "mean_net_monthly"), "平均月净收入",
     "Average net monthly income", "元"),
    ("cost_per_order", ("package", "platform", "cost_per_order"), "平台每单成本",
     "Platform cost per order", "元"),
)


def effect_results(scenario: Any, current_rules: Any) -> dict | None:
    """The effect of the package ``scenario`` against today's rules ``current_rules`` (both
    scenario dicts; without current rules, against itself) with the one seed policy of
    ``app.simulator.effect``, or None if it cannot be simulated (a scenario it refuses)."""
    if not isinstance(scenario, Mapping):
        return None
    try:
        package = Scenario.from_dict(dict(scenario))
        baseline = Scenario.from_dict(dict(current_rules)) \
            if isinstance(current_rules, Mapping) else package
        return package_effect(package, baseline, EFFECT_SEED)
    except Exception:  # a stored scenario the simulator no longer accepts: keep the offer
        return None


def adopted_reading(current_rules: Any, terms: Mapping[str, float]) -> str | None:
    """The reading of working time the package (today's rules with ``terms``) adopts."""
    return _adopted_reading(json.dumps({**current_pay(current_rules), **dict(terms)},
                                       sort_keys=True, default=str))


@functools.lru_cache(maxsize=256)
def _adopted_reading(pay_json: str) -> str | None:
    # Cached: a negotiation page asks once per offer, and checking the rules costs ~0.3 ms.
    try:
        return reading(PayRules.from_dict(json.loads(pay_json)))
    except ValidationError:
        return None


def result_value(results: Any, path: tuple[str, ...]) -> float | None:
    value = results
    for key in path:
        if not isinstance(value, Mapping) or key not in value:
            return None
        value = value[key]
    return float(value) if isinstance(value, (int, float)) else None
