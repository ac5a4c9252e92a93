"""The fixed question bank: what a survey may ask, in Chinese and English, with units and ranges.

Every question maps to a quantity of the model (``app.simulator``): days, online hours, orders,
km, pay, deductions and own costs, and the groups the results are broken down by (vehicle, work
pattern, city). Nothing that identifies a person is asked: no name, phone number or platform id.

The ranges are plausibility bounds (assumptions, issue 20, 2026-12): wide enough for a full-time
courier in a busy month, narrow enough to catch a typing slip (an extra zero). They are checked
on the server; a value outside them is refused with a message beside the field.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

# A city typed by the rider: short, so that it cannot carry a name or a phone number.
CITY_MAX = 20


@dataclass(frozen=True)
class Question:
    key: str
    zh: str
    en: str
    kind: str                  # "int", "number", "choice" or "text"
    unit_zh: str = ""
    unit_en: str = ""
    low: float = 0.0
    high: float = 0.0
    step: str = "1"
    required: bool = False
    choices: tuple = ()        # (value, zh, en)
    group: bool = False        # results are broken down by this answer

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def unit(self, lang: str) -> str:
        return self.unit_en if lang == "en" else self.unit_zh

    def choice_label(self, value, lang: str) -> str:
        for v, zh, en in self.choices:
            if v == value:
                return en if lang == "en" else zh
        return str(value)


VEHICLES = (("ebike", "电动自行车", "E-bike"), ("motorbike", "摩托车", "Motorbike"),
            ("car", "小汽车", "Car"), ("van", "货车", "Van or truck"),
            ("bicycle", "自行车或步行", "Bicycle or on foot"))
PATTERNS = (("full_time", "全职（主要收入来源）", "Full-time (main income)"),
            ("part_time", "兼职", "Part-time"))

BANK: tuple[Question, ...] = (
    Question("days_last_week", "最近一周工作了几天？", "Days worked last week", "int",
             "天", "days", 0, 7),
    Question("days_last_month", "上个月工作了几天？", "Days worked last month", "int",
             "天", "days", 0, 31, required=True),
    Question("hours_online_per_day", "工作的日子里，平均每天在线几小时？",
             "Hours online on a working day (average)", "number", "小时", "hours", 0, 24, "0.5",
             required=True),
    Question("hours_with_orders_per_day", "其中有单在身（接单到送达）的时间大约几小时？",
             "Of these, hours with an order in hand", "number", "小时", "hours", 0, 24, "0.5"),
    Question("orders_per_day", "平均每天完成多少单？", "Orders completed per working day",
             "number", "单", "orders", 0, 150, "1", required=True),
    Question("km_per_day", "平均每天大约跑多少公里？", "Distance per working day (typical)",
             "number", "公里", "km", 0, 600, "1"),
    Question("gross_pay_last_month", "上个月平台结算的收入（扣款前）是多少？",
             "Pay from the platform last month, before deductions", "number", "元", "yuan",
             0, 50000, "1"),
    Question("gross_pay_last_week", "最近一周平台结算的收入（扣款前）是多少？",
             "Pay from the platform last week, before deductions", "number", "元", "yuan",
             0, 12000, "1"),
    Question("deductions_last_month", "上个月被平台扣款和罚款共多少？",
             "Platform deductions and penalties last month", "number", "元", "yuan",
             0, 20000, "1"),
    Question("vehicle_cost_per_month", "车辆每月花费（租车、分期、油费或充电、维修）",
             "Vehicle costs per month (rent, instalments, fuel or charging, repairs)", "number",
             "元/月", "yuan/month", 0, 10000, "1"),
    Question("battery_swap_per_month", "每月换电费用", "Battery swap costs per month",
             "number", "元/月", "yuan/month", 0, 2000, "1"),
    Question("phone_cost_per_month", "每月手机和流量费用", "Phone and data costs per month",
             "number", "元/月", "yuan/month", 0, 1000, "1"),
    Question("vehicle_type", "主要用什么交通工具？", "Main vehicle", "choice",
             choices=VEHICLES, group=True),
    Question("work_pattern", "这是您的全职还是兼职工作？", "Full-time or part-time?", "choice",
             choices=PATTERNS, group=True, required=True),
    Question("city", "主要在哪个城市跑单？", "City you mostly work in", "text", group=True),
)
BY_KEY = {q.key: q for q in BANK}
KEYS = tuple(BY_KEY)
GROUP_KEYS = tuple(q.key for q in BANK if q.group)
NUMERIC_KEYS = tuple(q.key for q in BANK if q.kind in ("int", "number"))

# Plausibility across answers (assumptions, issue 20, 2026-12): more orders an hour online than
# this, or more km an hour online than this, is a typing slip rather than a working day.
MAX_ORDERS_PER_ONLINE_HOUR = 12.0
MAX_KM_PER_ONLINE_HOUR = 80.0


def ordered(keys) -> list[str]:
    """``keys`` in the bank's order, unknown ones dropped."""
    wanted = set(keys)
    return [k for k in KEYS if k in wanted]


def _number(q: Question, raw: str):
    text = raw.strip().replace("，", ".").replace(",", ".")
    if len(text) > 12:
        return None, ("Enter a number between %(low)s and %(high)s.",
                      {"low": _g(q.low), "high": _g(q.high)})
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        return None, ("Enter a number.", {})
    if q.kind == "int" and value != int(value):
        return None, ("Enter a whole number.", {})
    if value < q.low or value > q.high:
        return None, ("Enter a number between %(low)s and %(high)s.",
                      {"low": _g(q.low), "high": _g(q.high)})
    return (int(value) if q.kind == "int" else round(value, 2)), None


def _g(x: float) -> str:
    return f"{x:g}"


def clean_city(raw: str) -> str:
    text = " ".join(raw.split())
    return text[:-1] if text.endswith("市") and len(text) > 1 else text


def parse_answers(keys: list[str], form: dict) -> tuple[dict, dict]:
    """Check the answers to the questions ``keys`` in ``form`` (text values).

    Returns ``(answers, errors)``: answers maps a key to a number or a choice's value (empty
    answers to optional questions are left out); errors maps a key to ``(message, params)``.
    """
    answers, errors = {}, {}
    for key in keys:
        q = BY_KEY[key]
        raw = str(form.get(key) or "").strip()
        if not raw:
            if q.required:
                errors[key] = ("Please answer this question.", {})
            continue
        if q.kind in ("int", "number"):
            value, error = _number(q, raw)
        elif q.kind == "choice":
            ok = raw in {c[0] for c in q.choices}
            value, error = (raw, None) if ok else (None, ("Choose one of the answers.", {}))
        else:
            value = clean_city(raw)
            error = (("This answer is too long (at most %(limit)s characters).",
                      {"limit": CITY_MAX}) if len(value) > CITY_MAX else None)
            # A city has no digits; digits here would be a phone number or an account id.
            if error is None and any(c.isdigit() for c in value):
                error = ("Enter the name of a city only, without numbers.", {})
        if error:
            errors[key] = error
        else:
            answers[key] = value
    errors.update(combination_errors(answers, errors))
    return answers, errors


def combination_errors(a: dict, known: dict) -> dict:
    """Impossible combinations, each reported beside the answer that cannot be right."""
    errors: dict = {}

    def add(key, message, **params):
        if key not in known and key not in errors:
            errors[key] = (message, params)

    online = a.get("hours_online_per_day")
    busy = a.get("hours_with_orders_per_day")
    if online is not None and busy is not None and busy > online:
        add("hours_with_orders_per_day",
            "Hours with an order cannot be more than hours online (%(online)s).",
            online=_g(online))
    orders = a.get("orders_per_day")
    if online is not None and orders is not None:
        if online == 0 and orders > 0:
            add("orders_per_day", "Orders need hours online; check the hours online.")
        elif orders > MAX_ORDERS_PER_ONLINE_HOUR * online:
            add("orders_per_day",
                "More than %(limit)s orders an hour online is not possible; please check.",
                limit=_g(MAX_ORDERS_PER_ONLINE_HOUR))
    km = a.get("km_per_day")
    if online is not None and km is not None and km > MAX_KM_PER_ONLINE_HOUR * online:
        add("km_per_day",
            "More than %(limit)s km an hour online is not possible; please check.",
            limit=_g(MAX_KM_PER_ONLINE_HOUR))
    days = a.get("days_last_month")
    if days is not None and days > 0 and online == 0:
        add("hours_online_per_day", "You worked some days: enter the hours online on them.")
    pay, cut = a.get("gross_pay_last_month"), a.get("deductions_last_month")
    if pay is not None and cut is not None and cut > pay:
        add("deductions_last_month",
            "Deductions cannot be more than the pay before deductions (%(pay)s yuan).",
            pay=_g(pay))
    return errors


def validate_selection(keys) -> list[str]:
    """The chosen questions in the bank's order; raises ValueError if none is known."""
    chosen = ordered(keys)
    if not chosen:
        raise ValueError("Choose at least one question.")
    return chosen
