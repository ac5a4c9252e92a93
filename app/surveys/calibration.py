"""Calibrate a scenario to a survey's responses, with the simulator's own fits.

Answers become the per-worker records :func:`app.simulator.calibrate.calibrate` takes: online
hours on a working day, days worked in a month (last week's days × 30/7 when only those were
asked), orders and km in the month (per day × days) and pay in the month (last week's × 30/7).
Only the fitted values leave this module; the answers themselves never do.
"""
from __future__ import annotations

import math

import numpy as np

from app.errors import ValidationError
from app.simulator.calibrate import calibrate
from app.simulator.presets import preset
from app.simulator.records import MIN_ROWS

WEEK_TO_MONTH = 30 / 7
# The calibration's own simulation is seeded, so the same responses give the same scenario.
SEED = 20261203


def _num(a: dict, key: str) -> float:
    value = a.get(key)
    return float(value) if isinstance(value, (int, float)) else math.nan


def records(answers: list[dict]) -> dict:
    """Record arrays (see :func:`app.simulator.records.extract`) from survey answers."""
    hours = np.array([_num(a, "hours_online_per_day") for a in answers])
    month = np.array([_num(a, "days_last_month") for a in answers])
    week = np.array([_num(a, "days_last_week") for a in answers])
    days = np.where(np.isfinite(month), month, np.round(week * WEEK_TO_MONTH))
    pay_m = np.array([_num(a, "gross_pay_last_month") for a in answers])
    pay_w = np.array([_num(a, "gross_pay_last_week") for a in answers])
    out = {"hours_per_day": np.nan_to_num(hours, nan=0.0),
           "days_per_month": np.nan_to_num(days, nan=0.0),
           "orders": np.array([_num(a, "orders_per_day") for a in answers]) * days,
           "earnings": np.where(np.isfinite(pay_m), pay_m, pay_w * WEEK_TO_MONTH)}
    km = np.array([_num(a, "km_per_day") for a in answers]) * days
    if np.isfinite(km).any():
        out["km"] = km
    if not np.isfinite(out["earnings"]).any():
        del out["earnings"]
    return out


def calibrate_to(survey, answers: list[dict], *, compare: bool = True) -> dict:
    """The survey sector's preset fitted to ``answers`` (see ``calibrate``'s return value)."""
    asked = set(survey.questions)
    if "hours_online_per_day" not in asked or not asked & {"days_last_month", "days_last_week"}:
        raise ValidationError({"__all__": "Calibration needs the questions on days worked and "
                                          "hours online."})
    if len(answers) < MIN_ROWS:
        raise ValidationError({"__all__": ("Calibration needs at least %(n)s responses.",
                                           {"n": MIN_ROWS})})
    try:
        return calibrate(preset(survey.sector), records(answers), seed=SEED, compare=compare)
    except ValidationError:
        raise ValidationError({"__all__": ("Calibration needs at least %(n)s responses with "
                                           "days worked and hours online.", {"n": MIN_ROWS})})
