"""Measures the analyses aim at: name → function of a :class:`SimulationResult`.

Each measure reads the per-worker arrays directly (cheaper than ``to_dict``) with the same
populations as :meth:`SimulationResult.to_dict`: hourly figures over active workers with working
(or online) hours, monthly figures over active workers. ``better`` says which way is good for
workers (+1 higher is better, −1 lower is better); platform measures are costs (lower is better
for the platform).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from app.errors import Msg, ValidationError
from app.simulator.metrics import below_minimum_by_reading

_TOL = 1e-9


@dataclass(frozen=True)
class Measure:
    name: str
    label_zh: str
    label_en: str
    unit: str
    fn: Callable
    better: int = 1
    side: str = "worker"  # "worker" or "platform"

    def __call__(self, result) -> float:
        value = float(self.fn(result))
        return value if np.isfinite(value) else float("nan")

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang.startswith("zh") else self.label_en

    def describe(self) -> dict:
        return {"name": self.name, "label_zh": self.label_zh, "label_en": self.label_en,
                "unit": self.unit, "better": self.better, "side": self.side}


def _hours_mask(w):
    return w.active & (w.working_hours > 0)


def _q(values, p):
    values = values[np.isfinite(values)]
    return float(np.quantile(values, p)) if values.size else float("nan")


def _net_per_working_hour(p):
    return lambda r: _q(r.workers.net_per_working_hour[_hours_mask(r.workers)], p)


def _net_per_online_hour(p):
    def fn(r):
        w = r.workers
        return _q(w.net_per_online_hour[w.active & (w.online_hours > 0)], p)
    return fn


def _share_below_hourly(r):
    w = r.workers
    m = _hours_mask(w)
    return float(w.below_hourly_minimum[m].mean()) if m.any() else float("nan")


def _share_below_by_reading(reading: str):
    """The share below the hourly minimum under one reading of working time (decision 2)."""
    def fn(r):
        below, tested = below_minimum_by_reading(
            r.workers, r.scenario.thresholds.hourly_minimum_wage)[reading]
        return float(below[tested].mean()) if tested.any() else float("nan")
    return fn


def _share_net_below_hourly(r):
    w = r.workers
    m = _hours_mask(w)
    mw = r.scenario.thresholds.hourly_minimum_wage
    return float((w.net_income[m] < mw * w.working_hours[m]).mean()) if m.any() else float("nan")


def _mean_net_monthly(r):
    w = r.workers
    act = w.active
    return float(w.net_income[act].mean() * 30.0 / r.scenario.workforce.days) if act.any() \
        else float("nan")


def platform_cost_month(r) -> float:
    """The platform's net cost for the simulated workforce, per 30 days (元/月)."""
    return float(r.workers.platform_cost.sum() * 30.0 / r.scenario.workforce.days)


def _cost_per_order(r):
    w = r.workers
    orders = w.orders.sum()
    return float(w.platform_cost.sum() / orders) if orders else float("nan")


MEASURES: dict[str, Measure] = {m.name: m for m in (
    Measure("p10_net_per_working_hour", "每工作小时净收入（第10百分位）",
            "Net pay per working hour, 10th percentile", "元/小时", _net_per_working_hour(0.10)),
    Measure("p25_net_per_working_hour", "每工作小时净收入（第25百分位）",
            "Net pay per working hour, 25th percentile", "元/小时", _net_per_working_hour(0.25)),
    Measure("median_net_per_working_hour", "每工作小时净收入（中位数）",
            "Net pay per working hour, median", "元/小时", _net_per_working_hour(0.50)),
    Measure("p25_net_per_online_hour", "每在线小时净收入（第25百分位）",
            "Net pay per online hour, 25th percentile", "元/小时", _net_per_online_hour(0.25)),
    Measure("median_net_per_online_hour", "每在线小时净收入（中位数）",
            "Net pay per online hour, median", "元/小时", _net_per_online_hour(0.50)),
    Measure("share_below_hourly_minimum", "低于小时最低工资的比例（工作时间口径）",
            "Share below the hourly minimum (working-time reading)", "比例",
            _share_below_hourly, better=-1),
    Measure("share_below_hourly_minimum_order_time", "低于小时最低工资的比例（接单时间口径）",
            "Share below the hourly minimum (order-time reading)", "比例",
            _share_below_by_reading("order_time"), better=-1),
    Measure("share_below_hourly_minimum_online_time", "低于小时最低工资的比例（全部在线时间口径）",
            "Share below the hourly minimum (all online time)", "比例",
            _share_below_by_reading("online_time"), better=-1),
    Measure("share_below_hourly_minimum_net_online_time",
            "低于小时最低工资的比例（在线时间、扣除成本）",
            "Share below the hourly minimum (online time, net of costs)", "比例",
            _share_below_by_reading("net_online_time"), better=-1),
    Measure("share_net_below_hourly_minimum", "扣除成本后低于小时最低工资的比例",
            "Share netting less than the hourly minimum wage", "比例",
            _share_net_below_hourly, better=-1),
    Measure("mean_net_monthly", "平均月净收入", "Mean net pay per month", "元/月",
            _mean_net_monthly),
    Measure("platform_cost_month", "平台每月净成本", "Platform net cost per month", "元/月",
            platform_cost_month, better=-1, side="platform"),
    Measure("platform_cost_per_order", "平台每单净成本", "Platform net cost per order", "元/单",
            _cost_per_order, better=-1, side="platform"),
)}

WORKER_MEASURES = tuple(k for k, m in MEASURES.items() if m.side == "worker")


def get(name: str, field: str = "measure") -> Measure:
    """The measure called ``name``; :class:`ValidationError` keyed by ``field`` otherwise."""
    try:
        return MEASURES[name]
    except (KeyError, TypeError):
        raise ValidationError({field: Msg("Unknown measure: choose one from the list")}) from None


def catalogue() -> list[dict]:
    """Every measure's name, labels, unit and direction (for forms and the CLI)."""
    return [m.describe() for m in MEASURES.values()]
