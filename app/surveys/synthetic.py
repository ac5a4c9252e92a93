"""Plausible survey answers drawn from a scenario (for the demo and the calibration tests).

Days, hours, orders and km come from :func:`app.simulator.calibrate.synthetic_records` (the
model's own distributions), rounded as riders answer (half hours, whole orders and km); pay,
deductions, costs, vehicle and city are drawn around the delivery preset's rules. Same seed,
same answers.
"""
from __future__ import annotations

import numpy as np

from app.simulator.calibrate import synthetic_records

# The few riders of each rare answer (fewer than five: hidden in every aggregate).
RARE = {"vehicle_type": ("bicycle", 3), "city": ("开封", 4)}


def answers(scenario, n: int, seed: int) -> list[dict]:
    """``n`` answer dicts to every question of the bank, drawn from ``scenario``."""
    recs = synthetic_records(scenario, n, seed)
    rng = np.random.default_rng(seed + 1)
    full = [g.name == "full_time" for g in scenario.workforce.groups]
    out = []
    for i in range(n):
        days = int(min(31, recs["days_per_month"][i]))
        hours = max(0.5, round(float(recs["hours_per_day"][i]) * 2) / 2)
        orders = round(float(recs["orders"][i]) / days)
        orders = min(orders, int(12 * hours))
        km = min(round(float(recs["km"][i]) / days), int(80 * hours))
        full_time = full[int(recs["group"][i])]
        busy = min(hours, round(hours * rng.uniform(0.6, 0.95) * 2) / 2)
        pay = round(orders * days * rng.uniform(6.6, 7.8))
        cut = min(pay, round(orders * days * rng.uniform(0.0, 0.25)))
        vehicle = "motorbike" if rng.random() < 0.06 else "ebike"
        a = {"days_last_week": int(min(7, rng.binomial(7, min(1.0, days / 30)))),
             "days_last_month": days, "hours_online_per_day": hours,
             "hours_with_orders_per_day": busy, "orders_per_day": orders, "km_per_day": km,
             "gross_pay_last_month": pay, "deductions_last_month": cut,
             "vehicle_cost_per_month": round(rng.uniform(250, 500) if full_time
                                             else rng.uniform(0, 200)),
             "battery_swap_per_month": round(rng.uniform(150, 300)) if full_time else 0,
             "phone_cost_per_month": round(rng.uniform(40, 150)),
             "vehicle_type": vehicle,
             "work_pattern": "full_time" if full_time else "part_time",
             "city": "郑州"}
        if a["days_last_week"] and pay:
            a["gross_pay_last_week"] = round(pay / days * a["days_last_week"])
        out.append(a)
    for key, (value, count) in RARE.items():
        for a in out[-count:]:
            a[key] = value
    return out
