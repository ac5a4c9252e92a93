"""Does the text say what the standards table says, and do the two languages say the same?

Checked before an agreement is frozen for the workers' vote (``ensure_consistent``) and shown
beside each article on the agreement page (``problems``):

- a number with a unit (小时, 分钟, 元, %, 日/天, 单, 公里; hours, minutes, yuan, per cent, days,
  orders, km) in a clause that names a standard (its cue words, e.g. 每日工作时间 / "in a day"
  for the daily limit) must be that standard's value in the table, or the value of another
  standard the clause names; a clause that states a standard the table does not hold is
  flagged too;
- an article whose text was changed in one language only waits for the other to be reviewed
  (``article["review"]``);
- the Chinese and the English text of an article must state the same numbers with units.

A heuristic on purpose: a number written out in words (十二小时) is not read. Pure Python;
messages are English message ids with parameters.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from app.errors import IllegalTransition, Message

from . import clauses

_NUM = r"(\d+(?:\.\d+)?)"
UNITS_ZH = {"小时": "h", "分钟": "min", "元": "yuan", "%": "%", "％": "%", "日": "d", "天": "d",
            "单": "order", "公里": "km"}
UNITS_EN = {"hours": "h", "hour": "h", "minutes": "min", "minute": "min", "yuan": "yuan",
            "%": "%", "per cent": "%", "percent": "%", "days": "d", "day": "d",
            "orders": "order", "order": "order", "km": "km"}
_ZH = re.compile(_NUM + r"\s*(" + "|".join(map(re.escape, UNITS_ZH)) + ")")
_EN = re.compile(r"(?<![\w.])" + _NUM + r"\s*(" + "|".join(
    sorted(map(re.escape, UNITS_EN), key=len, reverse=True)) + r")(?![a-z])", re.I)
_DATE_ZH = re.compile(r"\d+年\d+月\d+日|\d+月\d+日")
_CLAUSES = {"zh": re.compile(r"[。；\n]"), "en": re.compile(r"(?<=[.;])\s+|\n")}

# Cue words that name a standard in a clause: (Chinese, English lower case).
CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "max_continuous_hours": (("连续接单", "连续工作", "连续配送", "连续驾驶"),
                             ("continuously", "continuous")),
    "rest_minutes": (("休息", "停止派单", "暂停派单"), ("rest", "stops dispatch for")),
    "max_daily_hours": (("每日工作时间", "每日在线", "每天工作", "日工作时间"),
                        ("working time in a day", "daily working", "hours a day")),
    "allowance_ratio": (("宽放",), ("allowance time",)),
    "late_penalty_per_order": (("超时每单", "每单扣款"), ("late delivery", "per late order")),
    "penalty_cap_per_day": (("每日扣款", "扣款合计", "扣款上限"),
                            ("deductions in a day", "daily deduction")),
    "settlement_cycle_days": (("结算",), ("settled every", "settlement cycle")),
    "commission_rate": (("抽成比例",), ("commission rate",)),
    "commission_cap_per_order": (("单笔抽成", "每单抽成"), ("per-order commission",)),
    "monthly_average_commission_cap": (("月平均抽成",), ("monthly average commission",)),
    "base_per_order": (("基础单价",), ("base pay",)),
    "hourly_floor": (("保底报酬", "小时保底"), ("pay floor", "hourly floor")),
    "heat_allowance_per_day": (("高温津贴",), ("heat allowance",)),
    "weather_subsidy_rain_per_order": (("雨天",), ("rain subsidy",)),
    "max_orders_per_hour": (("派单上限",), ("dispatch cap",)),
    "min_orders_per_hour": (("保底派单",), ("guaranteed dispatch",)),
    "night_bonus_per_order": (("夜间",), ("night bonus",)),
    "per_order_minimum": (("每单最低",), ("minimum pay per order",)),
    "membership_fee_per_month": (("会员费",), ("membership fee",)),
}


def _unit(spec: clauses.StandardSpec) -> str:
    head = spec.unit_zh.split("/")[0]
    return UNITS_ZH.get(head, head)


def _shown(spec: clauses.StandardSpec, value) -> float:
    """The value as the text states it (ratios in per cent)."""
    return round(float(value) * (100 if spec.kind == "ratio" else 1), 6)


def numbers(text: str, lang: str) -> list[tuple[float, str]]:
    """Every ``(number, unit)`` the text states (dates left out)."""
    if lang == "zh":
        text = _DATE_ZH.sub(" ", text)
        return [(float(n), UNITS_ZH[u]) for n, u in _ZH.findall(text)]
    return [(float(n), UNITS_EN[u.lower()]) for n, u in _EN.findall(text)]


@dataclass(frozen=True)
class Problem:
    article: str  # the article's key
    lang: str     # "zh", "en" or "" (both)
    message: Message


def number_problems(content: Mapping, article: Mapping, lang: str) -> list[Problem]:
    """Numbers in ``article``'s text (``lang``) that differ from the standards table."""
    table = {s["key"]: s["value"] for s in content["standards"]}
    out = []
    for clause in _CLAUSES[lang].split(article[f"text_{lang}"]):
        low = clause.lower()
        named = [k for k, (zh, en) in CUES.items()
                 if any(c in (clause if lang == "zh" else low) for c in (zh if lang == "zh"
                                                                        else en))]
        for number, unit in numbers(clause, lang):
            specs = [clauses.STANDARD_BY_KEY[k] for k in named
                     if _unit(clauses.STANDARD_BY_KEY[k]) == unit]
            if not specs:
                continue
            held = [s for s in specs if s.key in table]
            if any(abs(_shown(s, table[s.key]) - number) < 1e-6 for s in held):
                continue
            shown = f"{number:g}"
            if held:
                expected = "; ".join(
                    f"{getattr(s, 'label_' + lang)} {clauses.format_value(s, table[s.key])}"
                    f" {getattr(s, 'unit_' + lang)}" for s in held)
                out.append(Problem(article["key"], lang, (
                    "The text states %(n)s where the standards table says: %(table)s.",
                    {"n": shown, "table": expected})))
            else:
                out.append(Problem(article["key"], lang, (
                    "The text states %(n)s for “%(label)s”, which the standards table does "
                    "not hold.", {"n": shown, "label": getattr(specs[0], "label_" + lang)})))
    return out


def language_problems(article: Mapping) -> list[Problem]:
    """The article's two languages disagree: one waits for review, or their numbers differ."""
    out = [Problem(article["key"], lang, ("Changed in the other language: check this text "
                                          "and save it (or tick that both were checked).", {}))
           for lang in article.get("review") or ()]
    zh = Counter(numbers(article["text_zh"], "zh"))
    en = Counter(numbers(article["text_en"], "en"))
    if zh != en:
        only = sorted({f"{n:g} {u}" for n, u in (zh - en) + (en - zh)})
        out.append(Problem(article["key"], "", (
            "The Chinese and the English text state different numbers: %(numbers)s.",
            {"numbers": ", ".join(only)})))
    return out


def problems(content: Mapping) -> list[Problem]:
    """Everything that must be settled before the text is frozen, article by article."""
    out = []
    for article in content["articles"]:
        for lang in ("zh", "en"):
            out.extend(number_problems(content, article, lang))
        out.extend(language_problems(article))
    return out


def ensure_consistent(content: Mapping) -> None:
    """Refuse to freeze a text that contradicts its standards or whose languages disagree."""
    found = problems(content)
    if found:
        headings = {a["key"]: clauses.article_heading(n, "zh")
                    for n, a in enumerate(content["articles"], start=1)}
        where = "、".join(dict.fromkeys(headings.get(p.article, p.article) for p in found))
        raise IllegalTransition((
            "The text cannot be frozen yet: %(articles)s contradict the standards table or "
            "their other language. Correct them (the agreement page shows what) and have both "
            "sides approve again.", {"articles": where}), state="drafting", event="freeze")
