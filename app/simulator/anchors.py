"""Published anchors a calibrated scenario should land near (reference-values §7, §8, §11, §12).

Each anchor is a range from a dated source and a function of a :class:`SimulationResult`. They
are checks, not fitted targets: several are old, secondary or from another country, and the
report says so. Delivery has Chinese anchors; ride-hailing and freight only the utilisation
anchor from US studies (no verified Chinese figures exist, see §7).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

HIGH_FREQ_DAYS = 22.0     # "high-frequency rider": ≥ 22 days a month and ≥ 6 h a day
HIGH_FREQ_HOURS = 6.0


@dataclass(frozen=True)
class Anchor:
    name: str
    label_zh: str
    label_en: str
    unit: str
    low: float
    high: float
    source: str
    note_zh: str
    note_en: str
    fn: Callable
    sectors: tuple = ("delivery",)


def _high_freq(r):
    w = r.workers
    scale = 30.0 / r.scenario.workforce.days
    hours = np.where(w.days_worked > 0, w.online_hours / np.maximum(w.days_worked, 1), 0.0)
    return (w.days_worked * scale >= HIGH_FREQ_DAYS) & (hours >= HIGH_FREQ_HOURS)


def _hf_gross_month(r):
    m = _high_freq(r)
    scale = 30.0 / r.scenario.workforce.days
    return float(np.median(r.workers.gross_pay[m] * scale)) if m.any() else float("nan")


def _hf_orders_day(r):
    m = _high_freq(r)
    w = r.workers
    return float(w.orders[m].sum() / w.days_worked[m].sum()) if m.any() else float("nan")


def _online_per_day(r):
    w = r.workers
    d = w.days_worked.sum()
    return float(w.online_hours.sum() / d) if d else float("nan")


def _utilisation(r):
    w = r.workers
    online = w.online_hours.sum()
    return float(w.engaged_hours.sum() / online) if online else float("nan")


def _share_not_high_freq(r):
    act = r.workers.active
    return float(1.0 - _high_freq(r)[act].mean()) if act.any() else float("nan")


_MEITUAN = "https://huaon.com/channel/economy/1038445.html"
_TIME_USE = "https://m.163.com/dy/article/JHEAVMJV0534AE7B.html"
ANCHORS = (
    Anchor("hf_gross_month", "高频骑手月收入（中位数）", "High-frequency riders' monthly pay (median)",
           "元/月", 5720.0, 7803.0, "https://chattools.cn/article/13007 ; " + _MEITUAN,
           "美团高频骑手（每月≥22天、每天≥6小时），低线城市，2024年第三季度；平台结算收入，未扣成本",
           "Meituan high-frequency riders (≥ 22 days, ≥ 6 h a day), lower-tier cities, Q3 2024; "
           "pay before costs", _hf_gross_month),
    Anchor("hf_orders_day", "高频骑手每日单量", "Orders per worked day, high-frequency riders",
           "单/天", 21.0, 30.0, "http://www.victorzhang.cn/page/2021/0308/7661592.shtml",
           "2018年美团骑手报告（较旧，二手资料）", "Meituan rider report 2018 (old, secondary)",
           _hf_orders_day),
    Anchor("online_per_day", "每个出勤日在线时长（平均）", "Online hours per worked day (mean)",
           "小时", 5.0, 7.79, _TIME_USE + " ; http://m.hbcasj.com/socialgd/10000169/20241231/47811707.html",
           "普通骑手每天5–6小时（2024）；淡季6.2、旺季7.79小时（约2023）",
           "normal riders 5–6 h (2024); 6.2 h off-season, 7.79 h peak season (c. 2023)",
           _online_per_day),
    Anchor("utilisation", "配送时长占在线时长的比例", "Delivering ÷ online time", "比例", 0.82, 0.89,
           _TIME_USE, "淡季0.82、旺季0.89（约2023）", "0.82 off-season, 0.89 peak season (c. 2023)",
           _utilisation),
    Anchor("share_not_high_freq", "非高频（非全职）骑手比例", "Share of riders who are not full-time",
           "比例", 0.80, 1.0, "https://stnn.cc/c/2024-09-23/3922508.shtml",
           "美团2023：超过80%的骑手不是全职", "Meituan 2023: more than 80 % are not full-time",
           _share_not_high_freq),
    Anchor("utilisation_us", "载客时长占在线时长的比例（美国）", "Share of app-on time with a passenger (US)",
           "比例", 0.44, 0.55, "https://www.nber.org/papers/w22083",
           "美国五城市（无中国数据，仅作参考）", "five US cities (no Chinese figure; for reference only)",
           _utilisation, sectors=("ride_hailing",)),
)


def check(result) -> list[dict]:
    """Every anchor of the scenario's sector with the simulated value and whether it is inside."""
    sector = result.scenario.market.sector
    out = []
    for a in ANCHORS:
        if sector not in a.sectors:
            continue
        value = a.fn(result)
        out.append({"name": a.name, "label_zh": a.label_zh, "label_en": a.label_en,
                    "unit": a.unit, "low": a.low, "high": a.high, "value": value,
                    "inside": bool(np.isfinite(value) and a.low <= value <= a.high),
                    "source": a.source, "note_zh": a.note_zh, "note_en": a.note_en})
    return out
