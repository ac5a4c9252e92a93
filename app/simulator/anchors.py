"""Published anchors a calibrated scenario should land in (updates-2026 §4, reference values).

Each anchor is a range from a dated source, a definition, and a function of a
:class:`SimulationResult`. :func:`check` evaluates one result; :func:`check_seeds` runs a
scenario on several independent seeds and reports each anchor's mean with its standard error
(the spread between seeds, which includes the weather calendar), so ``flask anchors check``
can say whether a preset lands inside every range. Ranges that a source states as a rounded
point are widened by the rounding (14 % → 13.5–14.5 %) and say so.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

HIGH_FREQ_DAYS = 22.0     # Meituan's "high-frequency rider": ≥ 22 days a month and
HIGH_FREQ_HOURS = 6.0     # ≥ 6 h of ORDER time (接单时长) a worked day, not online time


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
    definition: str = ""


def _high_freq(r):
    w = r.workers
    scale = 30.0 / r.scenario.workforce.days
    hours = np.where(w.days_worked > 0, w.engaged_hours / np.maximum(w.days_worked, 1), 0.0)
    return (w.days_worked * scale >= HIGH_FREQ_DAYS) & (hours >= HIGH_FREQ_HOURS)


def _hf_gross_month(r):
    m = _high_freq(r)
    scale = 30.0 / r.scenario.workforce.days
    return float(np.median(r.workers.gross_pay[m] * scale)) if m.any() else float("nan")


def _online_per_day(r):
    w = r.workers
    d = w.days_worked.sum()
    return float(w.online_hours.sum() / d) if d else float("nan")


def _utilisation(r):
    w = r.workers
    online = w.online_hours.sum()
    return float(w.engaged_hours.sum() / online) if online else float("nan")


def _commission_share(r):
    w = r.workers
    fares = w.fares.sum()
    return float(w.commission.sum() / fares) if fares else float("nan")


def _share_not_high_freq(r):
    act = r.workers.active
    return float(1.0 - _high_freq(r)[act].mean()) if act.any() else float("nan")


_HF_2024 = "http://m.fjds168.com/a/2216.html"
_TIME_USE = "https://m.163.com/dy/article/JHEAVMJV0534AE7B.html"
_HF_DEF = ("high-frequency = ≥ 22 worked days in a 30-day month and ≥ 6 h of order time "
           "(time with an order in hand) per worked day (Meituan's definition: "
           "https://finance.stockstar.com/IG2024113000008676.shtml)")
ANCHORS = (
    Anchor("hf_gross_month", "高频骑手月收入（中位数）", "High-frequency riders' monthly pay (median)",
           "元/月", 6650.0, 9344.0, _HF_2024,
           "美团高频骑手2024年全年月收入，低线城市至一线城市；平台结算收入，未扣成本",
           "Meituan high-frequency riders, 2024 full year, lower-tier to first-tier cities; "
           "pay before costs", _hf_gross_month,
           definition="median over high-frequency riders of gross pay (before costs) in a "
                      "30-day month; " + _HF_DEF),
    Anchor("online_per_day", "每个出勤日在线时长（平均）", "Online hours per worked day (mean)",
           "小时", 5.0, 7.79,
           _TIME_USE + " ; http://m.hbcasj.com/socialgd/10000169/20241231/47811707.html",
           "普通骑手每天5–6小时（2024）；淡季6.2、旺季7.79小时（约2023）",
           "normal riders 5–6 h (2024); 6.2 h off-season, 7.79 h peak season (c. 2023)",
           _online_per_day,
           definition="online hours ÷ worked days, over all riders"),
    Anchor("utilisation", "配送时长占在线时长的比例", "Delivering ÷ online time", "比例", 0.82, 0.89,
           _TIME_USE, "淡季0.82、旺季0.89（约2023）", "0.82 off-season, 0.89 peak season (c. 2023)",
           _utilisation,
           definition="order time (with at least one order in hand) ÷ online time, all riders"),
    Anchor("share_not_high_freq", "非高频骑手比例", "Share of riders who are not high-frequency",
           "比例", 0.80, 1.0, "https://stnn.cc/c/2024-09-23/3922508.shtml",
           "美团2023：超过80%的骑手不是全职", "Meituan 2023: more than 80 % are not full-time",
           _share_not_high_freq,
           definition="share of riders active in the month who are not high-frequency; "
                      + _HF_DEF),
    Anchor("utilisation_us", "载客时长占在线时长的比例（美国）", "Share of app-on time with a passenger (US)",
           "比例", 0.44, 0.55, "https://www.nber.org/papers/w22083",
           "美国五城市（无中国数据，仅作参考）", "five US cities (no Chinese figure; for reference only)",
           _utilisation, sectors=("ride_hailing",),
           definition="order time ÷ online time, all drivers"),
    Anchor("commission_share", "平均抽成比例（按流水加权）", "Average commission (turnover-weighted)",
           "比例", 0.135, 0.1535, "https://aicnbc.com/7281.html ; "
           "http://www.wwwcj777.com/appb5364358.html",
           "滴滴2024年全部订单平均抽成14%（四舍五入：13.5–14.5%）；清华司机样本月平均15.3%",
           "Didi's average over all 2024 orders 14 % (rounded: 13.5–14.5 %); Tsinghua driver "
           "sample, monthly average 15.3 %", _commission_share, sectors=("ride_hailing",),
           definition="commission after refunds ÷ customer fares, over all orders of the month"),
)


def _row(a, value) -> dict:
    return {"name": a.name, "label_zh": a.label_zh, "label_en": a.label_en,
            "definition": a.definition, "unit": a.unit, "low": a.low, "high": a.high,
            "value": value, "inside": bool(np.isfinite(value) and a.low <= value <= a.high),
            "source": a.source, "note_zh": a.note_zh, "note_en": a.note_en}


def for_sector(sector: str) -> list:
    """The anchors that apply to a sector (freight has none with a verified source)."""
    return [a for a in ANCHORS if sector in a.sectors]


def check(result) -> list[dict]:
    """Every anchor of the scenario's sector with the simulated value and whether it is inside."""
    return [_row(a, a.fn(result)) for a in for_sector(result.scenario.market.sector)]


def check_seeds(scenario, seeds, simulate) -> list[dict]:
    """Each anchor over independent seeds: ``value`` (mean), ``se`` (its standard error, the
    spread between seeds ÷ √n), ``sd`` (the spread of one run), ``values`` (per seed) and
    ``inside`` (the mean and every seed inside the range)."""
    seeds = list(seeds)
    runs = [check(simulate(scenario, seed=s)) for s in seeds]
    out = []
    for i, a in enumerate(for_sector(scenario.market.sector)):
        vals = np.array([r[i]["value"] for r in runs], dtype=float)
        row = _row(a, float(np.mean(vals)))
        sd = float(np.std(vals, ddof=1)) if vals.size > 1 else float("nan")
        row.update({"se": sd / math.sqrt(vals.size) if vals.size > 1 else float("nan"),
                    "sd": sd, "values": [float(v) for v in vals], "seeds": seeds,
                    "inside": bool(row["inside"] and all(r[i]["inside"] for r in runs))})
        out.append(row)
    return out
