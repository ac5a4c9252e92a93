"""What an agreed standard may be: the bounds of each value and the rules between standards.

The bounds are the simulator's (``PayRules`` field specs, through
``app.negotiations.terms.NUMERIC_FIELDS``: money 0–10 000, ratios 0–1, hours 0–24, rest
0–600 minutes, settlement 1–31 days), tightened where a value written into an agreement would
be nonsense: a rule that is stated must do something (a continuous-hours limit of at least a
quarter of an hour, a forced rest of at least one whole minute, a daily limit below 24 hours),
and two standards must not contradict each other (the daily limit below the continuous limit,
a deduction per late order while deductions are abolished, a guaranteed dispatch above the
dispatch cap, a commission rate above its cap). Messages are English message ids with their
parameters, translated by the web layer. Pure Python.
"""
from __future__ import annotations

from collections.abc import Mapping

from app.errors import Message
from app.negotiations.terms import NUMERIC_FIELDS

from . import clauses

# Tighter lower bounds for a standard that is written into the agreement (value, inclusive).
MINIMUM = {"max_continuous_hours": 0.25, "rest_minutes": 1.0, "settlement_cycle_days": 1}
WHOLE = {"rest_minutes", "settlement_cycle_days", "min_orders_for_monthly_cap"}


def value_error(spec: clauses.StandardSpec, value: float) -> Message | None:
    """Why ``value`` (in stored units: ratios as fractions) cannot be this standard, or None."""
    meta = NUMERIC_FIELDS.get(spec.key, {})
    lo = MINIMUM.get(spec.key, meta.get("min") or 0.0)
    hi = meta.get("max")
    if value != value or value in (float("inf"), float("-inf")):
        return ("Enter a number.", {})
    if spec.key in WHOLE and value != int(value):
        return ("Enter a whole number.", {})
    if value < lo or (meta.get("min_exclusive") and value <= lo):
        if spec.key == "rest_minutes":
            return ("A forced rest of less than one minute stops nothing: enter the minutes "
                    "dispatch stops after the continuous-hours limit.", {})
        return ("Enter more than %(n)s." if meta.get("min_exclusive") and value <= lo
                else "Enter at least %(n)s.", {"n": clauses.format_value(spec, lo)})
    if hi is not None and (value > hi or (meta.get("max_exclusive") and value >= hi)):
        return ("Enter less than %(n)s." if meta.get("max_exclusive") else "Enter at most %(n)s.",
                {"n": clauses.format_value(spec, hi)})
    return None


def cross_errors(values: Mapping[str, float]) -> dict[str, Message]:
    """Contradictions between the standards ``values`` (stored units), keyed by the standard
    to correct."""
    errors: dict[str, Message] = {}
    cont, rest = values.get("max_continuous_hours"), values.get("rest_minutes")
    daily = values.get("max_daily_hours")
    if cont is not None and rest is None:
        errors["rest_minutes"] = ("A continuous-hours limit needs the forced rest that follows "
                                  "it: agree the rest in minutes.", {})
    if rest is not None and cont is None:
        errors["rest_minutes"] = ("A forced rest needs the continuous-hours limit that starts "
                                  "it.", {})
    if cont is not None and daily is not None and cont > daily:
        errors["max_continuous_hours"] = (
            "The continuous-hours limit (%(c)s h) cannot exceed the daily limit (%(d)s h).",
            {"c": _num(cont), "d": _num(daily)})
    late, cap = values.get("late_penalty_per_order"), values.get("penalty_cap_per_day")
    if cap == 0 and late:
        errors["late_penalty_per_order"] = (
            "Deductions are abolished (daily cap 0): a deduction per late order contradicts it.",
            {})
    hi, lo = values.get("max_orders_per_hour"), values.get("min_orders_per_hour")
    if hi and lo and lo > hi:
        errors["min_orders_per_hour"] = ("The guaranteed dispatch cannot exceed the dispatch "
                                         "cap.", {})
    rate = values.get("commission_rate")
    for key in ("commission_cap_per_order", "monthly_average_commission_cap"):
        if rate is not None and values.get(key) is not None and rate > values[key]:
            errors["commission_rate"] = ("The commission rate cannot exceed its cap.", {})
    return errors


def _num(value: float) -> str:
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


def parse_input(spec: clauses.StandardSpec, raw) -> float | None:
    """A value typed in the standards table, in the unit shown there (ratios in per cent), as
    stored (ratios as fractions); None if it is not a number."""
    if isinstance(raw, bool):
        return None
    try:
        value = float(str(raw).strip().rstrip("%％").strip())
    except (TypeError, ValueError):
        return None
    if spec.kind == "ratio":
        value = round(value / 100, 10)
    return value
