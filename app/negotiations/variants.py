"""The consultation variants platforms actually hold, as named, versioned rule sets.

Spec: ``shared/domain/updates-2026.md`` §6 and ``consultation-law.md``. Each ``RuleSet`` says
which steps the procedure has, its deadlines (how many days from which event), who files, who
approves, and the texts it rests on. A rule set is identified by ``key`` and ``version``: a
future national law is added as a new version or a new key beside these, and a negotiation keeps
the version it was opened under.

``timeline(ruleset, events)`` turns the dates of events into every deadline they determine; the
``flask procedure timeline`` command prints it, and ``deadlines.deadlines`` uses the same rule
set for a negotiation's recorded history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from . import rules, workdays

NATIONAL, WAGE, INDUSTRY, REGIONAL = "national", "wage", "industry", "regional"
PLATFORM_RULES, MINUTES, HENAN = "platform_rules", "minutes", "henan"

EVENTS = ("offer_received", "signed", "filed", "review_received", "opinion_delivered",
          "effective")
DEADLINES = ("reply_due", "filing_due", "review_ends", "effective_from", "publication_due",
             "next_round_due")

_CONTRACT_RULES = "《集体合同规定》"
_WAGE_MEASURES = "《工资集体协商试行办法》（2000）"
_DEMOCRATIC = "《企业民主管理规定》"
_GUIDE_2024 = "《新就业形态劳动者权益协商指引》（2024）"
_GUIDE_2026 = "《平台劳动规则和算法协商指引（试行）》（2026）"
_HENAN_WAGE = "《河南省企业工资集体协商条例》（2013）"


@dataclass(frozen=True)
class Period:
    """A deadline ``amount`` units after an event; ``unit`` is days, workdays or months."""

    amount: int
    basis: str
    unit: str = "days"
    assumption: str | None = None  # a key of rules.ASSUMPTIONS when the rule is not confirmed


@dataclass(frozen=True)
class RuleSet:
    """One variant of the procedure. Periods that do not apply are None."""

    key: str
    version: int
    valid_from: dt.date  # the date of the newest text the rule set rests on
    label_zh: str
    label_en: str
    outcome_zh: str
    outcome_en: str
    steps: tuple[str, ...]  # workflow.Event values, in order
    filer: str | None  # "employer", "either" or None (not filed)
    approver: str | None  # key of APPROVERS, None: no congress vote
    approver_basis: str
    reply: Period | None
    filing: Period | None
    review: Period | None
    # What a review opinion delivered within the review period means: "objection" (the
    # contract goes back to consultation) or "no_objection" (in force on delivery).
    opinion_means: str
    publication: Period | None
    publication_from: str  # "signed" or "effective"
    next_round: Period | None  # months from taking effect (or signing when never filed)
    citations: tuple[str, ...]
    paid_representatives: bool = False
    agenda: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # plain Chinese: what was verified, what was not
    extra: tuple[tuple[str, str, Period], ...] = field(default=())  # (name, from event, period)

    @property
    def vote_required(self) -> bool:
        return self.approver is not None

    @property
    def filing_required(self) -> bool:
        return self.filing is not None


APPROVERS = {
    "workers_congress": ("职工代表大会或全体职工", "Workers' congress or all employees"),
    "industry_congress": ("行业职工代表大会", "Industry workers' congress"),
    "regional_congress": ("区域职工代表大会", "Regional workers' congress"),
}
FILERS = {"employer": ("企业方报送", "The employer files"),
          "either": ("任何一方均可报送", "Either side may file")}

_REPLY = Period(rules.REPLY_DAYS, f"{_CONTRACT_RULES}第三十二条")
_FILING = Period(rules.FILING_DAYS, f"{_CONTRACT_RULES}第四十二条")
_REVIEW = Period(rules.REVIEW_DAYS, f"{_CONTRACT_RULES}第四十五、四十七条（意见书须在15日内送达）")
# 第四十八条 says "promptly" (wording UNCONFIRMED); 10 days after taking effect is a local rule.
_PUBLISH_AFTER_EFFECT = Period(10, f"{_CONTRACT_RULES}第四十八条；地方规定10日",
                               assumption="publication_after_effect")
_CONTRACT_STEPS = ("send_offer", "accept", "hold_meeting", "agree_draft", "vote_passed", "sign",
                   "file", "take_effect", "publish")
_WAGE_COMMON = dict(
    outcome_zh="工资专项集体合同（工资协议）", outcome_en="Wage agreement",
    steps=_CONTRACT_STEPS, filer="employer", approver="workers_congress",
    approver_basis=f"{_CONTRACT_RULES}第三十六条；{_DEMOCRATIC}第二十条",
    reply=Period(rules.REPLY_DAYS, _WAGE_MEASURES),
    filing=Period(7, f"{_WAGE_MEASURES}：签字后7日内报送"),
    review=Period(rules.REVIEW_DAYS, f"{_WAGE_MEASURES}；地方工资协商规定（送达无异议审查意见书即生效）"),
    opinion_means="no_objection",
    publication=Period(5, "地方工资协商规定：生效后5日内公布", assumption="wage_local_rules"),
    publication_from="effective",
    next_round=Period(12, f"{_WAGE_MEASURES}：工资集体协商一般每年进行一次", unit="months"),
)

# Every version of every rule set; a new law becomes a new version (or key) beside the old.
ALL_VERSIONS: dict[tuple[str, int], RuleSet] = {(r.key, r.version): r for r in (
    RuleSet(
        key=NATIONAL, version=1, valid_from=dt.date(2004, 5, 1),
        label_zh="企业集体合同（2004年《集体合同规定》）",
        label_en="Enterprise collective contract (2004 provisions)",
        outcome_zh="集体合同", outcome_en="Collective contract", steps=_CONTRACT_STEPS,
        filer="employer", approver="workers_congress",
        approver_basis=f"{_CONTRACT_RULES}第三十六条；{_DEMOCRATIC}第二十条",
        reply=_REPLY, filing=_FILING, review=_REVIEW, opinion_means="objection",
        publication=_PUBLISH_AFTER_EFFECT, publication_from="effective", next_round=None,
        citations=(f"{_CONTRACT_RULES}（劳动和社会保障部令第22号）", _DEMOCRATIC,
                   "《劳动合同法》第五十一至五十四条")),
    RuleSet(
        key=WAGE, version=1, valid_from=dt.date(2000, 11, 8),
        label_zh="工资专项集体协商（2000年《工资集体协商试行办法》）",
        label_en="Wage agreement (2000 trial measures)",
        citations=(_WAGE_MEASURES, _CONTRACT_RULES, _DEMOCRATIC), **_WAGE_COMMON),
    RuleSet(
        key=INDUSTRY, version=1, valid_from=dt.date(2012, 2, 13),
        label_zh="行业性集体合同", label_en="Industry-wide agreement",
        outcome_zh="行业性集体合同", outcome_en="Industry agreement", steps=_CONTRACT_STEPS,
        filer="either", approver="industry_congress",
        approver_basis=f"{_DEMOCRATIC}第十六条；{_CONTRACT_RULES}第三十六条",
        reply=_REPLY, filing=_FILING, review=_REVIEW, opinion_means="objection",
        publication=_PUBLISH_AFTER_EFFECT, publication_from="effective", next_round=None,
        citations=("《劳动合同法》第五十三、五十四条", _DEMOCRATIC, _CONTRACT_RULES),
        notes=("企业方可以是多家企业或平台的服务外包商、用工合作企业",)),
    RuleSet(
        key=REGIONAL, version=1, valid_from=dt.date(2012, 2, 13),
        label_zh="区域性集体合同", label_en="Regional agreement",
        outcome_zh="区域性集体合同", outcome_en="Regional agreement", steps=_CONTRACT_STEPS,
        filer="either", approver="regional_congress",
        approver_basis=f"{_DEMOCRATIC}第十六条；{_CONTRACT_RULES}第三十六条",
        reply=_REPLY, filing=_FILING, review=_REVIEW, opinion_means="objection",
        publication=_PUBLISH_AFTER_EFFECT, publication_from="effective", next_round=None,
        citations=("《劳动合同法》第五十三、五十四条", _DEMOCRATIC, _CONTRACT_RULES),
        notes=("企业方可以是区域内多家企业或平台的服务外包商、用工合作企业",)),
    RuleSet(
        key=PLATFORM_RULES, version=1, valid_from=dt.date(2026, 3, 20),
        label_zh="平台劳动规则和算法协商（2026年指引）",
        label_en="Platform labour rules and algorithms (2026 guideline)",
        outcome_zh="协商协议或会议纪要", outcome_en="Agreement or minutes",
        steps=("send_offer", "accept", "hold_meeting", "agree_draft", "sign", "publish"),
        filer=None, approver=None, approver_basis=_GUIDE_2026,
        reply=Period(rules.REPLY_DAYS, f"{_GUIDE_2026}；答复期限沿用{_CONTRACT_RULES}第三十二条",
                     assumption="platform_reply_period"),
        filing=None, review=None, opinion_means="objection",
        publication=Period(10, _GUIDE_2024, assumption="publication_start"),
        publication_from="signed",
        next_round=Period(12, f"{_GUIDE_2026}：原则上每年至少开展一次", unit="months"),
        citations=(_GUIDE_2026, _GUIDE_2024, "人社部发〔2021〕56号", "人社厅发〔2023〕50号"),
        paid_representatives=True,
        agenda=("订单分配", "收入与抽成", "工作时间与休息", "配送时间预估与路线规划", "考核",
                "奖惩")),
    RuleSet(
        key=MINUTES, version=1, valid_from=dt.date(2024, 11, 6),
        label_zh="协商会议纪要或备忘录（2024年全总指引）",
        label_en="Minutes or memorandum (ACFTU 2024 guidance)",
        outcome_zh="会议纪要或备忘录", outcome_en="Minutes or memorandum",
        steps=("send_offer", "accept", "hold_meeting", "agree_draft", "sign", "publish"),
        filer=None, approver=None, approver_basis=f"{_GUIDE_2024}：纪要不经职代会表决",
        reply=Period(rules.REPLY_DAYS, f"{_CONTRACT_RULES}第三十二条"),
        filing=None, review=None, opinion_means="objection",
        publication=Period(10, _GUIDE_2024, assumption="publication_start"),
        publication_from="signed", next_round=None, citations=(_GUIDE_2024,)),
    RuleSet(
        key=HENAN, version=1, valid_from=dt.date(2013, 11, 29),
        label_zh="河南省企业工资集体协商（2013年条例）",
        label_en="Henan enterprise wage consultation (2013 regulation)",
        citations=(_HENAN_WAGE, _WAGE_MEASURES, _CONTRACT_RULES),
        notes=("已核对条例原文：第三条（成果为工资专项集体合同）、第五条（职工方在工会指导下协商；"
               "未建工会的由上一级工会指导职工民主推选的代表协商）。",
               "未能核对条例原文的条款（未编入本规则）：要约答复期限、答复后进行协商的工作日期限、"
               "提供资料的期限、报送审查和公布的期限。以上期限按全国《工资集体协商试行办法》计算。"),
        **_WAGE_COMMON),
)}


# The newest version of each rule set: what a new negotiation chooses from.
RULESETS: dict[str, RuleSet] = {}
for _ruleset in sorted(ALL_VERSIONS.values(), key=lambda r: r.version):
    RULESETS[_ruleset.key] = _ruleset
del _ruleset


def get(key: str, version: int | None = None) -> RuleSet:
    """Version ``version`` of the rule set ``key`` (default: the newest); KeyError if unknown.

    A negotiation keeps the version it was opened under, so a later version changes only the
    negotiations opened after it.
    """
    if version is None:
        return RULESETS[key]
    return ALL_VERSIONS[(key, version)]


class Due(NamedTuple):
    """One computed deadline: the last day (or first day, for ``effective_from``)."""

    name: str
    date: dt.date
    basis: str
    provisional: bool = False
    assumption: str | None = None


def after(start: dt.date, period: Period) -> Due:
    """``start`` moved by ``period``: calendar days, working days (official calendar) or months."""
    if period.unit == "workdays":
        moved = workdays.add_workdays(start, period.amount)
        return Due("", moved.date, period.basis, moved.provisional, period.assumption)
    if period.unit == "months":
        return Due("", rules.add_months(start, period.amount), period.basis,
                   assumption=period.assumption)
    return Due("", start + dt.timedelta(days=period.amount), period.basis,
               assumption=period.assumption)


def timeline(ruleset: RuleSet, events: Mapping[str, dt.date]) -> dict[str, Due]:
    """Every deadline the dates in ``events`` determine under ``ruleset``.

    Events (keys of ``EVENTS``): ``offer_received``; ``signed``; ``filed`` (also the receipt by
    the authority unless ``review_received`` is given); ``opinion_delivered`` (the day the
    review opinion was delivered, 送达); ``effective``. Deadlines (``DEADLINES``): the last day
    to act, except ``effective_from``, the first day in force. A review opinion delivered after
    ``review_ends`` is too late and does not count.
    """
    unknown = set(events) - set(EVENTS)
    if unknown:
        raise ValueError(f"unknown events: {', '.join(sorted(unknown))}")
    out: dict[str, Due] = {}

    def put(name: str, due: Due) -> None:
        out[name] = due._replace(name=name)

    if ruleset.reply and "offer_received" in events:
        put("reply_due", after(events["offer_received"], ruleset.reply))
    if ruleset.filing and "signed" in events:
        put("filing_due", after(events["signed"], ruleset.filing))
    received = events.get("review_received", events.get("filed"))
    effective = events.get("effective")
    if ruleset.review and received is not None:
        ends = after(received, ruleset.review)
        put("review_ends", ends)
        delivered = events.get("opinion_delivered")
        in_time = delivered is not None and received <= delivered <= ends.date
        if in_time and ruleset.opinion_means == "no_objection":
            put("effective_from", Due("", delivered, ruleset.review.basis))
        elif not in_time:
            put("effective_from", ends._replace(date=ends.date + dt.timedelta(days=1)))
        if effective is None and "effective_from" in out:
            effective = out["effective_from"].date
    if ruleset.publication:
        start = events.get("signed") if ruleset.publication_from == "signed" else effective
        if start is not None:
            put("publication_due", after(start, ruleset.publication))
    if ruleset.next_round:
        start = effective
        if start is None and not ruleset.filing_required:
            start = events.get("signed")
        if start is not None:
            put("next_round_due", after(start, ruleset.next_round))
    for name, event, period in ruleset.extra:
        if event in events:
            put(name, after(events[event], period))
    return out
