"""PayRules: the negotiable package (the terms of an offer)."""
from __future__ import annotations

from dataclasses import dataclass

from app.errors import Msg
from app.simulator.fieldspec import Validated, spec

FLOOR_PERIODS = ("day", "cycle", "month")
_RULES_50 = "http://www.mzb.com.cn/html/report/24021718-1.htm"
_HEAT_RULES = "http://uianet.net/dictionary/b3173508.html"
GBT_DELIVERY_2025 = "https://www.stheadline.com/realtime-china/3523995/"
INJURY_2025 = "https://rlsbj.cq.gov.cn/zczxwdk/ywfl/gsbx/202507/t20250715_14816829.html"


def _money(default, zh, en, unit, group, hi=10_000.0, **kw):
    return spec(default, zh=zh, en=en, unit=unit, group=group, min=0.0, max=hi, **kw)


@dataclass(frozen=True)
class PayRules(Validated):
    """The terms of a pay package. Any term may be zero (absent).

    Zero means "none" for ``max_continuous_hours`` (no forced rest) and ``max_orders_per_hour``
    (no dispatch cap). A commission cap of 1 means no cap. ``penalty_cap_per_day`` = 0 abolishes
    late penalties.
    """

    # piece rate
    base_per_order: float = _money(6.0, "每单基础单价", "Base pay per order", "元/单", "piece_rate")
    per_km: float = _money(0.0, "超出距离每公里加价", "Pay per km beyond included km", "元/公里",
                           "piece_rate")
    included_km: float = _money(3.0, "单价包含的公里数", "Km included in base pay", "公里",
                                "piece_rate")
    per_engaged_minute: float = _money(0.0, "每接单分钟计件", "Pay per engaged minute", "元/分钟",
                                       "piece_rate")
    peak_bonus_per_order: float = _money(0.0, "高峰时段每单奖励", "Peak bonus per order",
                                         "元/单", "piece_rate")
    night_bonus_per_order: float = _money(0.0, "夜间每单补贴（不计入最低工资）",
                                          "Night bonus per order (excluded from minimum wage)",
                                          "元/单", "piece_rate")
    # commission
    commission_rate: float = spec(0.0, zh="抽成比例", en="Commission rate", unit="比例",
                                  group="commission", min=0.0, max=1.0, max_exclusive=True)
    commission_cap_per_order: float = spec(1.0, zh="单笔抽成上限（1 = 不设上限）",
                                           en="Per-order commission cap (1 = none)", unit="比例",
                                           group="commission", min=0.0, max=1.0)
    monthly_average_commission_cap: float = spec(
        1.0, zh="月平均抽成上限（按流水加权，1 = 不设上限）",
        en="Monthly average commission cap (turnover-weighted, 1 = none)", unit="比例",
        group="commission", min=0.0, max=1.0)
    min_orders_for_monthly_cap: int = spec(0, zh="适用月平均上限的最低月单量",
                                           en="Orders a month for the monthly cap", unit="单/月",
                                           group="commission", min=0, max=100_000, kind="int")
    membership_fee_per_month: float = _money(0.0, "会员费", "Membership fee", "元/月",
                                             "commission", hi=100_000.0)
    # hours
    max_continuous_hours: float = spec(0.0, zh="连续接单时长上限（0 = 不限）",
                                       en="Max continuous hours (0 = none)", unit="小时",
                                       group="hours", min=0.0, max=24.0)
    rest_minutes: float = spec(0.0, zh="强制休息时长", en="Forced rest", unit="分钟",
                               group="hours", min=0.0, max=600.0)
    max_daily_hours: float = spec(24.0, zh="每日在线时长上限（强制下线）",
                                  en="Max daily online hours (forced offline)", unit="小时",
                                  group="hours", min=0.0, max=24.0, min_exclusive=True)
    max_daily_order_hours: float = spec(0.0, zh="每日接单时长上限（0 = 不限）",
                                        en="Max daily order time (0 = none)", unit="小时",
                                        group="hours", min=0.0, max=24.0)
    fatigue_order_hours: float = spec(0.0, zh="连续接单时长达到后暂停派单（0 = 不限）",
                                      en="Order time before a fatigue stop (0 = none)",
                                      unit="小时", group="hours", min=0.0, max=24.0)
    fatigue_stop_minutes: float = spec(0.0, zh="疲劳暂停派单时长", en="Fatigue stop of dispatch",
                                       unit="分钟", group="hours", min=0.0, max=600.0)
    # dispatch
    max_orders_per_hour: float = spec(0.0, zh="每小时派单上限（0 = 不限）",
                                      en="Dispatch cap (0 = none)", unit="单/小时",
                                      group="dispatch", min=0.0, max=100.0)
    min_orders_per_hour: float = spec(0.0, zh="专送骑手保底派单量", en="Guaranteed dispatch",
                                      unit="单/小时", group="dispatch", min=0.0, max=100.0)
    # weather
    weather_subsidy_rain_per_order: float = _money(0.0, "雨天每单补贴", "Rain subsidy per order",
                                                   "元/单", "weather")
    weather_subsidy_snow_ice_per_order: float = _money(0.0, "冰雪天每单补贴",
                                                       "Snow/ice subsidy per order", "元/单",
                                                       "weather")
    weather_subsidy_cold_per_order: float = _money(0.0, "严寒每单补贴", "Cold subsidy per order",
                                                   "元/单", "weather")
    weather_subsidy_heat_per_order: float = _money(0.0, "高温每单补贴", "Heat subsidy per order",
                                                   "元/单", "weather")
    heat_allowance_per_day: float = _money(0.0, "高温津贴（≥35℃ 出勤日）",
                                           "Heat allowance per working day at ≥ 35 ℃", "元/天",
                                           "weather")
    legal_heat_limits: bool = spec(True, zh="执行高温作业时长限制（≥40℃停工，37–40℃≤6小时）",
                                   en="Legal heat limits (none ≥ 40 ℃, ≤ 6 h at 37–40 ℃)",
                                   group="weather", kind="bool", source=_HEAT_RULES)
    # penalties
    late_penalty_per_order: float = _money(0.0, "超时每单罚款", "Late penalty per order", "元/单",
                                           "penalties")
    penalty_cap_per_day: float = _money(0.0, "每日罚款上限（0 = 取消罚款）",
                                        "Penalty cap per day (0 = abolished)", "元/天",
                                        "penalties", hi=100_000.0)
    # floors
    hourly_floor: float = _money(0.0, "每工作小时保底报酬", "Hourly floor per working hour",
                                 "元/小时", "floors", hi=1000.0, source=_RULES_50)
    allowance_ratio: float = spec(0.0, zh="宽放时间（占接单时间比例）",
                                  en="Allowance time (share of order time)", unit="比例",
                                  group="floors", min=0.0, max=5.0, source=_RULES_50)
    required_online_hours: float = spec(
        0.0, zh="平台要求的在线时长（小时/日）", en="Online time the platform requires (h/day)",
        unit="小时", group="floors", min=0.0, max=24.0, source=_RULES_50)
    floor_period: str = spec("day", zh="保底补差周期", en="Floor true-up period",
                             group="floors", kind="choice", choices=FLOOR_PERIODS)
    per_order_minimum: float = _money(0.0, "每单最低报酬", "Per-order minimum", "元/单", "floors")
    floor_per_minute: float = _money(0.0, "每单保底：每分钟", "Per-offer floor per minute",
                                     "元/分钟", "floors")
    floor_per_km: float = _money(0.0, "每单保底：每公里", "Per-offer floor per km", "元/公里",
                                 "floors")
    settlement_cycle_days: int = spec(15, zh="结算周期", en="Settlement cycle", unit="天",
                                      group="floors", min=1, max=31, kind="int",
                                      source="https://whalehearted.com/special/22002125")
    # platform-paid protection
    injury_insurance_per_day: float = _money(0.0, "职业伤害保障（平台每出勤日缴）",
                                             "Injury insurance per worked day", "元/天",
                                             "protection")
    injury_insurance_per_order: float = _money(0.0, "职业伤害保障（平台每单缴）",
                                               "Injury insurance per order", "元/单",
                                               "protection", source=INJURY_2025)
    pension_subsidy_share: float = spec(0.0, zh="养老保险补贴比例", en="Pension subsidy share",
                                        unit="比例", group="protection", min=0.0, max=1.0)
    pension_min_days_per_month: int = spec(0, zh="享受养老补贴的最低月出勤天数",
                                           en="Days a month to qualify for the pension subsidy",
                                           unit="天/月", group="protection", min=0, max=31,
                                           kind="int")

    def _extra_errors(self):
        errors = {}
        if 0 < self.max_orders_per_hour < self.min_orders_per_hour:
            errors["min_orders_per_hour"] = Msg(
                "The guaranteed dispatch may not exceed the hourly dispatch cap")
        if 0 < self.max_continuous_hours < 0.25:
            errors["max_continuous_hours"] = Msg(
                "The cap on continuous hours is at least 0.25 hours (0 means no cap)")
        if self.max_continuous_hours > 0 and self.rest_minutes == 0:
            errors["rest_minutes"] = Msg(
                "With a cap on continuous hours the compulsory rest must be longer than 0")
        if 0 < self.fatigue_order_hours < 0.25:
            errors["fatigue_order_hours"] = Msg(
                "The hours of orders before a fatigue pause are at least 0.25 (0 means no pause)")
        return errors

    @property
    def has_per_order_floor(self) -> bool:
        return self.per_order_minimum > 0 or self.floor_per_minute > 0 or self.floor_per_km > 0
