"""Presets: 2026 rules for delivery, ride-hailing and freight in 郑州 (Zhengzhou).

Recalibrated (2026-12) to the anchors of ``updates-2026.md`` §4 (see
:mod:`app.simulator.anchors`; ``flask anchors check`` prints them): no late deductions (abolished
by end-2025), occupational-injury protection per order (人社部发〔2025〕24号), the GB/T fatigue
stop and daily order-time cap for delivery, Didi's 2024 average commission for ride-hailing.

Every value carries its source in ``Scenario.sources`` (dotted key → address) or falls back to
the field's default source, which is ``"assumption"`` unless the field says otherwise. Numbers
no source confirmed (per-order pay, orders per hour, subsidy amounts, costs, the weather
calendar) are assumptions the user is shown and asked to confirm.
"""
from __future__ import annotations

from app.simulator.market import Market
from app.simulator.params import (Costs, Scenario, Thresholds, VehicleCost, WorkerGroup,
                                  Workforce)
from app.simulator.pay import PayRules

MW_HENAN_2024 = "https://news.dahe.cn/2024/01-05/1357464.html"
MEITUAN_HOURS = "http://m.hbcasj.com/socialgd/10000169/20241231/47811707.html"
HEAT_RULES = "http://uianet.net/dictionary/b3173508.html"
LAW_72 = "https://whalehearted.com/special/22002125"
DIDI_T3_CAPS = "http://hot.dzwww.com/w__TII"
MEITUAN_2023 = "https://stnn.cc/c/2024-09-23/3922508.shtml"
HIGH_FREQ = "https://huaon.com/channel/economy/1038445.html"
TIME_USE = "https://m.163.com/dy/article/JHEAVMJV0534AE7B.html"
ORDERS_2018 = "http://www.victorzhang.cn/page/2021/0308/7661592.shtml"
HEAT_ALLOWANCE_CANDIDATE = ("assumption (candidate: "
                            "http://caodingtushuguan.com/a/202412/5468747.html)")
UTIL_US = "https://www.nber.org/papers/w22083"
GBT_DELIVERY_2025 = "https://www.stheadline.com/realtime-china/3523995/"
INJURY_2025 = "https://rlsbj.cq.gov.cn/zczxwdk/ywfl/gsbx/202507/t20250715_14816829.html"
DIDI_2024 = "https://aicnbc.com/7281.html"
RULES_50 = "http://www.mzb.com.cn/html/report/24021718-1.htm"
CALIBRATED = "assumption (calibrated to the anchors: flask anchors check)"

_COMMON_SOURCES = {
    "thresholds.hourly_minimum_wage": MW_HENAN_2024,
    "thresholds.monthly_minimum_wage": MW_HENAN_2024,
    "thresholds.region": MW_HENAN_2024 + " (tier of 郑州 assumed: annex unverified)",
    "thresholds.valid_from": MW_HENAN_2024,
    "pay.legal_heat_limits": HEAT_RULES,
    "pay.heat_allowance_per_day": HEAT_ALLOWANCE_CANDIDATE,
    "pay.settlement_cycle_days": LAW_72,
    "pay.weather_subsidy_rain_per_order": "assumption (no published schedule; enter the amount)",
    "pay.weather_subsidy_heat_per_order": "assumption (no published schedule; enter the amount)",
    "pay.required_online_hours": "assumption (0: no online time required by the platform is "
    "counted; 人社厅发〔2023〕50号 counts it as working time, its amount is for consultation)",
    "pay.allowance_ratio": "assumption (0: none granted; 人社厅发〔2023〕50号 leaves allowance "
                           "to consultation: " + RULES_50 + ")",
    "pay.hourly_floor": "assumption (0: no hourly floor in today's rules; the working-time "
                        "definition is " + RULES_50 + ")",
    "pay.late_penalty_per_order": "assumption (0: Meituan committed to abolishing late "
                                  "deductions by end-2025, Ele.me is phasing them out)",
    "pay.penalty_cap_per_day": "assumption (0 = late deductions abolished)",
}


def _thresholds():
    return Thresholds(20.6, 2100.0, "河南省一类（郑州）", "2024-01-01")


def delivery() -> Scenario:
    """Food delivery riders (外卖骑手) in 郑州, July, 2026 rules."""
    pay = PayRules(base_per_order=8.8, per_km=1.0, included_km=3.0, peak_bonus_per_order=1.0,
                   night_bonus_per_order=1.0, max_continuous_hours=0.0, rest_minutes=0.0,
                   max_daily_hours=24.0, max_daily_order_hours=8.0, fatigue_order_hours=4.0,
                   fatigue_stop_minutes=20.0, heat_allowance_per_day=15.0,
                   legal_heat_limits=True, late_penalty_per_order=0.0, penalty_cap_per_day=0.0,
                   floor_period="day", settlement_cycle_days=15, injury_insurance_per_order=0.16)
    market = Market(sector="delivery", km_per_order_mean=3.0, km_per_order_cv=0.5,
                    minutes_per_order_mean=28.0, minutes_per_order_cv=0.4,
                    km_minutes_correlation=0.6, deadhead_km_per_order=1.0, batching_factor=2.0,
                    orders_per_hour_mean=4.6, orders_overdispersion=0.05, worker_rate_sigma=0.1,
                    peak_share=0.35, night_share=0.08, late_probability=0.03,
                    late_probability_per_load=0.02, p_rain=0.25, p_heat_35=0.2, p_heat_37=0.08,
                    p_heat_40=0.01)
    groups = (
        WorkerGroup("casual", 0.50, 6.0, 3.0, 0.45, "e_bike", False, False),
        WorkerGroup("part_time", 0.32, 15.0, 5.0, 0.35, "e_bike", False, False),
        WorkerGroup("full_time", 0.18, 26.0, 8.0, 0.2, "e_bike", True, True),
    )
    sources = dict(_COMMON_SOURCES)
    sources.update({
        "pay.base_per_order": CALIBRATED,
        "pay.max_daily_order_hours": GBT_DELIVERY_2025 + " (8 h of order time in principle)",
        "pay.fatigue_order_hours": GBT_DELIVERY_2025,
        "pay.fatigue_stop_minutes": GBT_DELIVERY_2025,
        "pay.max_continuous_hours": GBT_DELIVERY_2025 + " (0: the GB/T fatigue stop on order "
                                                        "time replaces a rest on online time)",
        "pay.max_daily_hours": "assumption (no rule caps online time; Meituan's 12 h rule counts "
                               "order time: " + MEITUAN_HOURS + ")",
        "pay.injury_insurance_per_order": "assumption within the published range (instant "
                                          "delivery 0.07–0.25 元/单: " + INJURY_2025 + ")",
        "market.km_per_order_mean": ORDERS_2018 + " (old, secondary)",
        "market.orders_per_hour_mean": CALIBRATED,
        "market.batching_factor": "assumption (calibrated to delivering ÷ online 0.82–0.89: "
                                  + TIME_USE + ")",
        "market.orders_overdispersion": CALIBRATED,
        "market.worker_rate_sigma": CALIBRATED,
        "workforce.groups.full_time.days_per_month": HIGH_FREQ,
        "workforce.groups.full_time.hours_median": CALIBRATED + " (online 5–7.79 h a day: "
                                                   + TIME_USE + ")",
        "workforce.groups.full_time.share": "assumption (≥ 80 % not high-frequency: "
                                            + MEITUAN_2023 + ")",
        "workforce.groups.casual.share": "assumption (> 80 % not full-time: " + MEITUAN_2023 + ")",
    })
    return Scenario(name="delivery", pay=pay, market=market,
                    workforce=Workforce(2000, 30, groups), costs=Costs(),
                    thresholds=_thresholds(), sources=sources)


def ride_hailing() -> Scenario:
    """Ride-hailing drivers (网约车司机) in 郑州, July, 2026 rules."""
    pay = PayRules(base_per_order=0.0, included_km=0.0, commission_rate=0.14,
                   commission_cap_per_order=0.27, monthly_average_commission_cap=0.25,
                   min_orders_for_monthly_cap=50, max_continuous_hours=4.0, rest_minutes=20.0,
                   max_daily_hours=12.0, legal_heat_limits=False, floor_period="day",
                   settlement_cycle_days=7, injury_insurance_per_order=0.01)
    market = Market(sector="ride_hailing", fare_base=5.0, fare_per_km=1.6, fare_per_minute=0.35,
                    commission_rate_sd=0.06, km_per_order_mean=8.0, km_per_order_cv=0.8,
                    minutes_per_order_mean=20.0, minutes_per_order_cv=0.6,
                    km_minutes_correlation=0.8, deadhead_km_per_order=2.5, batching_factor=1.0,
                    orders_per_hour_mean=1.3, orders_overdispersion=0.1, worker_rate_sigma=0.1,
                    peak_share=0.3, night_share=0.1, late_probability=0.0,
                    late_probability_per_load=0.0, p_rain=0.25, p_heat_35=0.2, p_heat_37=0.08,
                    p_heat_40=0.01, demand_factor_rain=1.3, minutes_factor_rain=1.2,
                    demand_factor_heat=1.1, minutes_factor_heat=1.0)
    groups = (
        WorkerGroup("casual", 0.40, 5.0, 3.0, 0.5, "owned_car", False, False),
        WorkerGroup("part_time", 0.35, 14.0, 5.0, 0.35, "owned_car", False, False),
        WorkerGroup("full_time", 0.25, 26.0, 10.0, 0.2, "rented_car", False, False),
    )
    costs = Costs(e_bike=VehicleCost(0.08, 3.0, 200.0), owned_car=VehicleCost(0.25, 5.0, 1200.0),
                  rented_car=VehicleCost(0.15, 5.0, 3000.0), van=VehicleCost(0.4, 5.0, 2500.0))
    sources = dict(_COMMON_SOURCES)
    sources.update({
        "pay.commission_cap_per_order": DIDI_T3_CAPS,
        "pay.monthly_average_commission_cap": DIDI_T3_CAPS,
        "pay.min_orders_for_monthly_cap": DIDI_T3_CAPS,
        "pay.commission_rate": DIDI_2024 + " (Didi's average over all 2024 orders: 14 %)",
        "pay.injury_insurance_per_order": INJURY_2025 + " (ride-hailing 0.01 元/单)",
        "pay.max_continuous_hours": "assumption (4 h then a 20-minute rest, as for delivery)",
        "pay.rest_minutes": "assumption (4 h then a 20-minute rest, as for delivery)",
        "pay.max_daily_hours": "assumption",
        "market.orders_per_hour_mean": "assumption (US share of app time with a passenger "
                                       "≈ 50 %: " + UTIL_US + ")",
    })
    return Scenario(name="ride_hailing", pay=pay, market=market,
                    workforce=Workforce(2000, 30, groups), costs=costs,
                    thresholds=_thresholds(), sources=sources)


def freight() -> Scenario:
    """Same-city freight drivers (货运司机) in 郑州, July, 2026 rules."""
    pay = PayRules(base_per_order=0.0, included_km=0.0, commission_rate=0.15,
                   membership_fee_per_month=300.0, max_daily_hours=14.0,
                   legal_heat_limits=False, floor_period="day", settlement_cycle_days=7,
                   injury_insurance_per_order=0.18)
    market = Market(sector="freight", fare_base=30.0, fare_per_km=3.0, fare_per_minute=0.0,
                    commission_rate_sd=0.03, km_per_order_mean=15.0, km_per_order_cv=0.9,
                    minutes_per_order_mean=70.0, minutes_per_order_cv=0.6,
                    km_minutes_correlation=0.7, deadhead_km_per_order=6.0, batching_factor=1.0,
                    orders_per_hour_mean=0.45, orders_overdispersion=0.2, worker_rate_sigma=0.2,
                    peak_share=0.0, night_share=0.05, late_probability=0.0,
                    late_probability_per_load=0.0, p_rain=0.25, p_heat_35=0.2, p_heat_37=0.08,
                    p_heat_40=0.01, demand_factor_rain=1.0, minutes_factor_rain=1.15,
                    demand_factor_heat=1.0, minutes_factor_heat=1.0)
    groups = (
        WorkerGroup("part_time", 0.5, 15.0, 6.0, 0.35, "van", False, False),
        WorkerGroup("full_time", 0.5, 26.0, 10.0, 0.2, "van", False, False),
    )
    costs = Costs(e_bike=VehicleCost(0.08, 3.0, 200.0), owned_car=VehicleCost(0.45, 5.0, 1200.0),
                  rented_car=VehicleCost(0.35, 5.0, 3500.0), van=VehicleCost(0.6, 5.0, 2000.0))
    sources = dict(_COMMON_SOURCES)
    sources.update({
        "pay.commission_rate": "assumption (Huolala's published cap unconfirmed)",
        "pay.membership_fee_per_month": "assumption (Huolala membership cap unconfirmed)",
        "pay.injury_insurance_per_order": INJURY_2025 + " (same-city freight 0.18 元/单)",
        "pay.max_daily_hours": "assumption",
    })
    return Scenario(name="freight", pay=pay, market=market,
                    workforce=Workforce(2000, 30, groups), costs=costs,
                    thresholds=_thresholds(), sources=sources)


PRESETS = {"delivery": delivery, "ride_hailing": ride_hailing, "freight": freight}


def preset(name: str) -> Scenario:
    """The preset scenario called ``name`` (``delivery``, ``ride_hailing``, ``freight``)."""
    try:
        return PRESETS[name]()
    except KeyError:
        raise KeyError(f"unknown preset {name!r}; choose one of {', '.join(PRESETS)}") from None
