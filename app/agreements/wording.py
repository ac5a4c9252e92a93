"""The articles' wording, generated in Chinese and in English from the agreement's own data.

The agreed standards are the data: an article that states a standard is a clause template with
parameters (``clauses.ARTICLES``; the articles on working time and on deductions are built
sentence by sentence from the standards present, so no sentence states a rule the table does not
hold). ``regenerate`` rewrites, after a standard changed, every article text that was still the
generated one; a text the mediator rewrote by hand is kept, and ``consistency`` checks its
numbers against the table. ``article_texts`` is the one function that gives the articles as
printed, per language (for the PDF and Word checks). Pure Python.
"""
from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping

from . import clauses

SECTORS = {"delivery": ("外卖配送", "food delivery"), "ride_hailing": ("网约车", "ride-hailing"),
           "freight": ("网络货运", "freight")}
LANGS = ("zh", "en")

# The standards each generated article states (for the checks and the property test).
STATES = {
    "hours": ("max_continuous_hours", "rest_minutes", "max_daily_hours", "allowance_ratio"),
    "penalties": ("late_penalty_per_order", "penalty_cap_per_day"),
    "settlement": ("settlement_cycle_days",),
}


def date_zh(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_en(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def dispute_text(steps: list[dict], lang: str) -> str:
    marks = "（一）（二）（三）（四）（五）（六）（七）".split("）")
    if lang == "zh":
        lines = ["履行本协议发生争议的，按下列顺序处理，前一步骤未能解决的，可进入下一步骤："]
        for i, s in enumerate(steps):
            lines.append(f"{marks[i]}）{s['name_zh']}：{s['who_zh']}，{s['limit_zh']}。")
        return "\n\n".join([lines[0], "\n".join(lines[1:])])
    lines = ["Disputes over the performance of this agreement go through the following steps in "
             "order; a step that fails opens the next:"]
    for s in steps:
        lines.append(f"({s['step']}) {s['name_en']}: {s['who_en']}, {s['limit_en']}.")
    return "\n\n".join([lines[0], "\n".join(lines[1:])])


def values_of(content: Mapping) -> dict:
    """The templates' parameters, from the agreement's data alone."""
    parties, scope, term = content["parties"], content["scope"], content["term"]
    sector_zh, sector_en = SECTORS.get(scope.get("sector"), SECTORS["delivery"])
    eff = dt.date.fromisoformat(term["effective"])
    expires = dt.date.fromisoformat(term["expires"])
    values = {s["key"]: s["display"] for s in content["standards"]}
    values.update({
        "worker_name": parties["worker"]["name"], "employer_name": parties["employer"]["name"],
        "worker_name_en": parties["worker"]["name_en"],
        "employer_name_en": parties["employer"]["name_en"],
        "region": scope["region"], "region_en": scope["region_en"], "sector_zh": sector_zh,
        "sector_en": sector_en, "workers_covered": scope["workers_covered"],
        "workers_covered_en": scope["workers_covered_en"],
        "workers_count": scope["workers_count"], "term_years": term["years"],
        "effective_zh": date_zh(eff), "expires_zh": date_zh(expires),
        "effective_en": date_en(eff), "expires_en": date_en(expires),
        "dispatch_rules_zh": "\n\n".join(content["dispatch_rules"]["zh"]),
        "dispatch_rules_en": "\n\n".join(content["dispatch_rules"]["en"]),
        "dispute_steps_zh": dispute_text(content["dispute_steps"], "zh"),
        "dispute_steps_en": dispute_text(content["dispute_steps"], "en"),
        **content["deadlines"], **content["adjustment"], **content["dispute"],
    })
    return values


def _hours(v: Mapping, lang: str) -> str | None:
    """第…条 工作时间和休息: one sentence per working-time standard present."""
    c, r, d = v.get("max_continuous_hours"), v.get("rest_minutes"), v.get("max_daily_hours")
    a = v.get("allowance_ratio")
    if c is None and d is None and a is None:
        return None
    zh, en = [], []
    if c is not None:
        zh.append(f"劳动者连续接单达到{c}小时的，平台应推送休息提示并停止派单"
                  + (f"{r}分钟" if r is not None else ""))
        en.append(f"when a worker has taken orders continuously for {c} hours the platform "
                  "prompts a rest and stops dispatch"
                  + (f" for {r} minutes" if r is not None else ""))
    if d is not None:
        zh.append(f"每日工作时间累计达到{d}小时的，当日停止派单")
        en.append(f"at {d} hours of working time in a day dispatch stops for that day")
    if lang == "zh":
        tail = "工作时间包括接单时间和宽放时间，平台要求的在线时间计入工作时间。"
        if a is not None:
            tail += f"宽放时间按接单时间的{a}%计算。"
        return "\n\n".join(p for p in ("；".join(zh) + "。" if zh else "", tail) if p)
    tail = ("Working time comprises order time and allowance time; online time the platform "
            "requires counts as working time.")
    if a is not None:
        tail += f" Allowance time is {a}% of order time."
    first = "; ".join(en)
    first = first[:1].upper() + first[1:] + "." if first else ""
    return "\n\n".join(p for p in (first, tail) if p)


def _penalties(v: Mapping, lang: str) -> str | None:
    """第…条 考核和扣款: the deduction per late order and the daily cap, as agreed."""
    late, cap = v.get("late_penalty_per_order"), v.get("penalty_cap_per_day")
    if late is None and cap is None:
        return None
    days = v.get("answer_days", 7)
    zh, en = [], []
    if late is not None:
        if float(late) > 0:
            zh.append(f"超时每单扣款不超过{late}元。")
            en.append(f"A late delivery is deducted at most {late} yuan.")
        else:
            zh.append("超时不予扣款。")
            en.append("Late deliveries are not deducted.")
    if cap is not None:
        if float(cap) > 0:
            zh.append(f"平台对超时等情形的扣款不得超过约定标准，每日扣款合计不超过{cap}元。")
            en.append("Deductions for lateness and similar events may not exceed the agreed "
                      f"standards, and all deductions in a day are capped at {cap} yuan.")
        else:
            zh.append("平台取消对超时等情形的扣款。")
            en.append("The platform makes no deductions for lateness or similar events.")
    zh.append(f"劳动者对扣款有异议的，可通过平台申诉渠道提出，平台应在{days}日内答复；"
              "非劳动者原因造成的超时不予扣款。")
    en.append(f"A worker may appeal a deduction through the platform's appeal channel, which "
              f"answers within {days} days; lateness not caused by the worker is never deducted.")
    return "".join(zh) if lang == "zh" else " ".join(en)


BUILDERS = {"hours": _hours, "penalties": _penalties}


def _template(key: str):
    for entry in clauses.ARTICLES:
        if entry[0] == key:
            return entry
    return None


def generated(key: str, values: Mapping, lang: str) -> str | None:
    """The generated text of article ``key`` in ``lang``; None when the article has no place
    (none of the standards it states was agreed)."""
    if key in BUILDERS:
        return BUILDERS[key](values, lang)
    entry = _template(key)
    if entry is None:
        return None
    _key, _tzh, _ten, body_zh, body_en, requires = entry
    if requires and requires not in values:
        return None
    return (body_zh if lang == "zh" else body_en).format_map(values)


def build_articles(content: Mapping) -> list[dict]:
    """Every article of a new agreement, in order, generated in both languages."""
    values = values_of(content)
    articles = []
    for key, title_zh, title_en, *_rest in clauses.ARTICLES:
        zh, en = generated(key, values, "zh"), generated(key, values, "en")
        if zh is None:
            continue
        articles.append({"key": key, "title_zh": title_zh, "title_en": title_en,
                         "text_zh": zh, "text_en": en})
    return articles


def regenerate(old: Mapping, new: Mapping) -> dict:
    """``new`` with each article text rewritten from its data where, in ``old``, the text was
    still the generated one (a hand-written text is kept as it is)."""
    out = copy.deepcopy(dict(new))
    before, after = values_of(old), values_of(out)
    for article in out["articles"]:
        for lang in LANGS:
            field = f"text_{lang}"
            fresh = generated(article["key"], after, lang)
            if fresh is not None and article[field] == generated(article["key"], before, lang):
                article[field] = fresh
    return out


def hand_written(content: Mapping, article: Mapping) -> list[str]:
    """The languages in which ``article``'s text is not the one its data generates."""
    values = values_of(content)
    return [lang for lang in LANGS
            if article[f"text_{lang}"] != generated(article["key"], values, lang)]


def article_texts(content: Mapping, lang: str) -> list[dict]:
    """The articles as printed in ``lang``: ``{"key", "heading", "title", "text"}`` in order
    (第一条 … / Article 1 …). The one source for checking a printed PDF or Word file."""
    return [{"key": a["key"], "heading": clauses.article_heading(n, lang),
             "title": a[f"title_{lang}"], "text": a[f"text_{lang}"]}
            for n, a in enumerate(content["articles"], start=1)]
