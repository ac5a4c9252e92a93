"""Pay-floor formulas (``domain/pay-standards.md``) as plain functions over scalars or arrays.

Scalar inputs give a float; array inputs give an array.
"""
from __future__ import annotations

import numpy as np


def _out(x):
    x = np.asarray(x, dtype=float)
    return float(x) if x.ndim == 0 else x


def contractor_equivalent_wage(minimum_wage, paid_leave_share=0.0, payroll_tax_share=0.0):
    """Hourly pay net of costs that leaves a contractor as well off as an employee (§3).

    ``H = MW · (1 + paid_leave_share) / (1 − payroll_tax_share)``; fold any other benefits into
    ``paid_leave_share``.
    """
    if np.any(np.asarray(payroll_tax_share) >= 1):
        raise ValueError("payroll_tax_share must be below 1")
    return _out(np.asarray(minimum_wage, dtype=float) * (1.0 + np.asarray(paid_leave_share))
                / (1.0 - np.asarray(payroll_tax_share)))


def utilization_rates(target_hourly, cost_per_distance, utilization):
    """Per-minute and per-distance rates grossed up by utilization (§4, NYC TLC style).

    ``per_minute = H / 60 / U`` and ``per_distance = cost_per_distance / U``. The reverse
    question "which rates deliver a target net hourly wage at this utilization and cost".

    Returns
    -------
    (per_minute, per_distance)
    """
    u = np.asarray(utilization, dtype=float)
    if np.any(u <= 0) or np.any(u > 1):
        raise ValueError("utilization must be in (0, 1]")
    return (_out(np.asarray(target_hourly, dtype=float) / 60.0 / u),
            _out(np.asarray(cost_per_distance, dtype=float) / u))


def per_order_floor(minutes, distance, per_minute, per_distance, per_order_minimum=0.0):
    """Minimum pay of an offer: ``max(F, a·t + b·d)`` (§6, Seattle PayUp style)."""
    return _out(np.maximum(per_order_minimum, np.asarray(per_minute) * np.asarray(minutes)
                           + np.asarray(per_distance) * np.asarray(distance)))


def engaged_time_floor(minimum_wage, multiplier, engaged_hours, per_distance, engaged_distance):
    """Period floor on engaged time: ``m · MW · T_e + r_d · d_e`` (§5, Prop 22 style)."""
    return _out(np.asarray(multiplier) * np.asarray(minimum_wage) * np.asarray(engaged_hours)
                + np.asarray(per_distance) * np.asarray(engaged_distance))


def top_up(paid, floor):
    """Top-up owed: ``S = max(0, floor − paid)``."""
    return _out(np.maximum(np.asarray(floor, dtype=float) - np.asarray(paid, dtype=float), 0.0))


def working_time_shortfall(countable_pay, working_hours, minimum_wage):
    """China §8: ``S = max(0, MW · W − P_c)`` with ``P_c`` excluding weather/heat/night money."""
    return top_up(countable_pay, np.asarray(minimum_wage) * np.asarray(working_hours))
