"""The wage-arrears risk points model (查风险), a pure function over indicator values.

豫人社函〔2023〕137号 asks the tripartite offices to judge an enterprise's risk grade from shared
tax, social-insurance, loan and logistics data and from what they learn on site. Xieshang makes
the judgement transparent: every indicator earns points in bands, the points add up, and two
named boundaries turn the total into a grade. Every point is explained in words.

The whole model is the table :data:`INDICATORS` plus :data:`MEDIUM_FROM` / :data:`HIGH_FROM`.

============================  ======================================  =========================
indicator (key)               band (value at least → points)          rectification (days)
============================  ======================================  =========================
tax_arrears_months            1 → 10, 3 → 20                          settle tax arrears (60)
social_insurance_months       1 → 15, 3 → 25                          pay social insurance (30)
overdue_loans                 1 → 10, 3 → 15                          repayment plan (60)
volume_drop_pct               10 → 5, 20 → 10, 40 → 20                pay-guarantee plan (30)
late_pay_cycles               1 → 15, 2 → 30                          pay arrears in full (15)
complaints                    1 → 5, 5 → 10, 20 → 20                  answer complaints (15)
pending_layoffs               1 → 10, 20 → 20                         lay-off procedure (30)
============================  ======================================  =========================

Grade: total < 25 → low; 25 ≤ total < 50 → medium; total ≥ 50 → high. One late or partial pay
cycle plus one month of social-insurance arrears is already medium (30); two late cycles plus
a month of tax arrears and a volume drop of 20 % is high (50). These weights are an assumption
of this app, not a published standard: offices may change the table, and every screening keeps
the points and reasons it was given.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Mapping

LOW = "low"
MEDIUM = "medium"
HIGH = "high"
GRADES = (LOW, MEDIUM, HIGH)

#: Totals at or above this are graded medium.
MEDIUM_FROM = 25
#: Totals at or above this are graded high.
HIGH_FROM = 50
#: In a high-risk enterprise every rectification deadline is at most this many days.
HIGH_DEADLINE_DAYS = 15
#: An upper limit on any single value, to catch typing slips (months, counts, workers).
MAX_COUNT = 100_000


@dataclass(frozen=True)
class Indicator:
    key: str
    label_zh: str
    label_en: str
    unit_zh: str
    unit_en: str
    #: (value at least, points) in increasing order; the highest band reached counts.
    bands: tuple[tuple[float, int], ...]
    item_zh: str
    item_en: str
    deadline_days: int
    is_percent: bool = False

    @property
    def max_points(self) -> int:
        return self.bands[-1][1]

    def points(self, value: float) -> int:
        earned = 0
        for threshold, points in self.bands:
            if value >= threshold:
                earned = points
        return earned


INDICATORS: tuple[Indicator, ...] = (
    Indicator("tax_arrears_months", "欠缴税款", "Tax payment arrears", "个月", "months",
              ((1, 10), (3, 20)),
              "清缴欠缴税款并说明资金安排", "Settle the tax arrears and explain the funding plan", 60),
    Indicator("social_insurance_months", "欠缴社会保险费", "Social-insurance arrears", "个月",
              "months", ((1, 15), (3, 25)),
              "补缴欠缴的社会保险费", "Pay the social-insurance contributions in arrears", 30),
    Indicator("overdue_loans", "逾期贷款", "Overdue loans", "笔", "loans",
              ((1, 10), (3, 15)),
              "与贷款方制定还款计划，确保工资支付资金", "Agree a repayment plan that protects the payroll", 60),
    Indicator("volume_drop_pct", "订单量或物流量下降", "Drop in order or logistics volume", "%", "%",
              ((10, 5), (20, 10), (40, 20)),
              "制定经营困难期工资支付保障方案", "Draw up a pay-guarantee plan for the downturn", 30,
              is_percent=True),
    Indicator("late_pay_cycles", "延期或不足额发放工资", "Late or partial pay cycles", "次", "cycles",
              ((1, 15), (2, 30)),
              "足额补发拖欠的劳动报酬并按期支付", "Pay the wages in arrears in full and on time", 15),
    Indicator("complaints", "劳动者投诉", "Worker complaints", "件", "complaints",
              ((1, 5), (5, 10), (20, 20)),
              "逐件答复劳动者投诉并公示处理结果", "Answer every complaint and publish the outcome", 15),
    Indicator("pending_layoffs", "拟裁减人员", "Workers in pending lay-offs", "人", "workers",
              ((1, 10), (20, 20)),
              "依法履行裁员程序（提前30日说明情况并报告）",
              "Follow the lay-off procedure (30 days' notice and a report)", 30),
)

INDICATOR_BY_KEY = {i.key: i for i in INDICATORS}
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)


@dataclass(frozen=True)
class Reason:
    key: str
    value: float
    points: int
    zh: str
    en: str

    def to_dict(self) -> dict:
        return {"key": self.key, "value": self.value, "points": self.points,
                "zh": self.zh, "en": self.en}


@dataclass(frozen=True)
class SuggestedItem:
    key: str
    title_zh: str
    title_en: str
    deadline_days: int

    def deadline(self, screened_on: date) -> date:
        return screened_on + timedelta(days=self.deadline_days)


@dataclass(frozen=True)
class RiskResult:
    points: int
    grade: str
    reasons: tuple[Reason, ...]
    items: tuple[SuggestedItem, ...] = field(default=())

    def to_dict(self) -> dict:
        return {"points": self.points, "grade": self.grade,
                "reasons": [r.to_dict() for r in self.reasons],
                "items": [{"key": i.key, "title_zh": i.title_zh, "title_en": i.title_en,
                           "deadline_days": i.deadline_days} for i in self.items]}


def grade_for(points: int) -> str:
    """The grade of a points total, by the boundaries :data:`MEDIUM_FROM` and :data:`HIGH_FROM`."""
    if points >= HIGH_FROM:
        return HIGH
    if points >= MEDIUM_FROM:
        return MEDIUM
    return LOW


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def score(indicators: Mapping[str, float]) -> RiskResult:
    """Points, grade, reasons and rectification items for one enterprise's indicator values.

    ``indicators`` maps keys of :data:`INDICATORS` to non-negative numbers; missing keys count
    as 0. Values must already be validated (see :func:`validate`).
    """
    reasons: list[Reason] = []
    total = 0
    for ind in INDICATORS:
        value = float(indicators.get(ind.key) or 0)
        earned = ind.points(value)
        if not earned:
            continue
        total += earned
        shown = _fmt(value)
        unit_en = ind.unit_en[:-1] if value == 1 and ind.unit_en.endswith("s") else ind.unit_en
        reasons.append(Reason(
            ind.key, value, earned,
            f"{ind.label_zh}：{shown}{ind.unit_zh}（+{earned}分）",
            f"{ind.label_en}: {shown}{'' if ind.is_percent else ' '}{unit_en} (+{earned} points)"))
    grade = grade_for(total)
    items: tuple[SuggestedItem, ...] = ()
    if grade != LOW:
        items = tuple(
            SuggestedItem(r.key, INDICATOR_BY_KEY[r.key].item_zh, INDICATOR_BY_KEY[r.key].item_en,
                          min(INDICATOR_BY_KEY[r.key].deadline_days, HIGH_DEADLINE_DAYS)
                          if grade == HIGH else INDICATOR_BY_KEY[r.key].deadline_days)
            for r in reasons)
    return RiskResult(total, grade, tuple(reasons), items)


def validate(raw: Mapping[str, object]) -> tuple[dict[str, float], dict[str, str]]:
    """Parse indicator values from text or numbers: (values, errors by key).

    Messages are English source strings; the web layer translates them.

    Empty means 0. Counts and months must be whole numbers ≥ 0; the volume drop is a percentage
    between 0 and 100.
    """
    values: dict[str, float] = {}
    errors: dict[str, str] = {}
    for ind in INDICATORS:
        text = raw.get(ind.key)
        if text is None or (isinstance(text, str) and not text.strip()):
            values[ind.key] = 0
            continue
        if isinstance(text, bool):
            errors[ind.key] = "Enter a number."
            continue
        try:
            number = float(text) if isinstance(text, (int, float)) \
                else float(str(text).strip().rstrip("%").replace(",", ""))
        except ValueError:
            errors[ind.key] = "Enter a number."
            continue
        if number != number:  # NaN
            errors[ind.key] = "Enter a number."
        elif number < 0:
            errors[ind.key] = "Must not be negative."
        elif ind.is_percent and number > 100:
            errors[ind.key] = "Enter a percentage between 0 and 100."
        elif number > MAX_COUNT:
            errors[ind.key] = "This number is too large; please check it."
        elif not ind.is_percent and not number.is_integer():
            errors[ind.key] = "Enter a whole number."
        else:
            values[ind.key] = int(number) if not ind.is_percent else round(number, 1)
    return values, errors
