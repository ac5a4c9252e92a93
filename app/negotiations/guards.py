"""The legal conditions (guards) some events of the procedure must meet.

Each guard takes the ``facts`` of a step (its data plus ``on`` and the facts ``workflow`` derives
from earlier steps) and returns a reason in Chinese when the event may not happen, else None.
Split from ``workflow``, which applies them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from . import rules
from app.errors import ValidationError
from .procedure_events import EVENT_LABELS_ZH, GROUNDS, E, Event

Facts = Mapping[str, Any]


def _date(facts: Facts, key: str) -> dt.date | None:
    value = facts.get(key)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    return None


def _guard_offer(facts: Facts) -> str | None:
    if facts.get("in_writing") is False:
        return "要约必须以书面形式提出（第三十二条）"
    return None


def _guard_suspend(facts: Facts) -> str | None:
    resume_on, on = _date(facts, "resume_on"), _date(facts, "on")
    if resume_on is None:
        return "中止协商须约定恢复协商的日期（第三十五条）"
    if on is not None and resume_on < on:
        return "约定的恢复协商日期不能早于中止日期"
    return None


def _guard_resume(facts: Facts) -> str | None:
    if _date(facts, "resume_on") is None:
        return "没有约定的恢复协商日期，不能恢复协商（第三十五条）"
    return None


def _guard_extend(facts: Facts) -> str | None:
    days, before = facts.get("extension_days"), facts.get("already_extended_days", 0)
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        return "请填写延长的天数（正整数）"
    if days + before > rules.COORDINATION_MAX_EXTENSION_DAYS:
        return (f"协调处理期限最多延长{rules.COORDINATION_MAX_EXTENSION_DAYS}日（第五十二条），"
                f"已延长{before}日，不能再延长{days}日")
    return None


def _chiefs_signed(facts: Facts, what: str, basis: str) -> str | None:
    missing = [side for side, key in (("职工方", "signed_by_worker_chief"),
                                      ("企业方", "signed_by_employer_chief")) if not facts.get(key)]
    if missing:
        return f"{what}须由双方首席代表签字，缺少{'、'.join(missing)}首席代表签字（{basis}）"
    return None


def _guard_coordination_outcome(facts: Facts) -> str | None:
    if not facts.get("signed_by_coordinators"):
        return "协调处理协议书须经协调处理人员签字盖章（第五十四条）"
    return _chiefs_signed(facts, "协调处理协议书", "第五十四条")


def _vote_guard(expected: Event) -> Callable[[Facts], str | None]:
    def guard(facts: Facts) -> str | None:
        try:
            event = vote_event(facts.get("members"), facts.get("present"), facts.get("in_favour"))
        except ValidationError as exc:
            return "表决数据有误：" + "；".join(exc.errors.values())
        if event != expected:
            return f"表决结果应记为“{EVENT_LABELS_ZH[event]}”，而不是“{EVENT_LABELS_ZH[expected]}”"
        return None
    return guard


def _guard_file(facts: Facts) -> str | None:
    copies = facts.get("copies")
    if copies is not None and (not isinstance(copies, int) or copies < rules.FILING_COPIES):
        return f"须报送集体合同文本一式{rules.FILING_COPIES}份（第四十二条）"
    received_on, on = _date(facts, "received_on"), _date(facts, "on")
    if received_on is not None and on is not None and received_on < on:
        return "劳动行政部门收到文本的日期不能早于报送日期"
    return None


def _guard_objection(facts: Facts) -> str | None:
    # 第四十五条: what counts is the day the opinion was DELIVERED (送达), not its own date.
    received_on = _date(facts, "received_on")
    delivered_on = _date(facts, "delivered_on") or _date(facts, "on")
    if received_on is not None and delivered_on is not None:
        if delivered_on < received_on:
            return "审查意见书的送达日期不能早于劳动行政部门收到文本的日期"
        if delivered_on > rules.review_ends(received_on):
            return (f"审查意见书于{delivered_on.isoformat()}送达，晚于审查期届满日"
                    f"{rules.review_ends(received_on).isoformat()}；未在15日内送达异议的，"
                    "合同已生效（第四十五、四十七条）")
    return None


def _guard_take_effect(facts: Facts) -> str | None:
    received_on, on = _date(facts, "received_on"), _date(facts, "on")
    if received_on is None or on is None:
        return "须记录劳动行政部门收到文本的日期和生效日期（第四十七条）"
    # Wage agreements (local wage rules): in force when a no-objection opinion is delivered.
    approved_on = _date(facts, "opinion_delivered_on")
    if approved_on is not None and received_on <= approved_on <= rules.review_ends(received_on):
        if on < approved_on:
            return (f"无异议审查意见书于{approved_on.isoformat()}送达，"
                    "生效日期不能早于送达日期")
    elif on < rules.effective_date(received_on):
        return (f"审查期未满，无异议的合同自{rules.effective_date(received_on).isoformat()}起生效"
                "（第四十七条）")
    years = facts.get("term_years")
    if years is None:
        return None
    if isinstance(years, bool) or not isinstance(years, int) \
            or not 1 <= years <= rules.TERM_LIMIT_YEARS:
        return f"合同期限应为1至{rules.TERM_LIMIT_YEARS}年的整数"
    warning = rules.term_warning(years)
    if warning and not facts.get("term_acknowledged"):
        return warning
    return None


def _guard_renewal(facts: Facts) -> str | None:
    expires_on, on = _date(facts, "expires_on"), _date(facts, "on")
    if expires_on is None or on is None:
        return "须知道合同期满日和申请日期，才能判断是否在续订期内（第三十八条）"
    opens = rules.renewal_window_opens(expires_on)
    if not opens <= on <= expires_on:
        return (f"续订申请须在合同期满前三个月内提出，即{opens.isoformat()}至"
                f"{expires_on.isoformat()}（第三十八条）")
    return None


def _guard_ground(facts: Facts) -> str | None:
    if facts.get("ground") not in GROUNDS:
        return "须写明变更或解除的法定理由（第三十九、四十条）"
    return None


def _guard_terminate(facts: Facts) -> str | None:
    reason = _guard_ground(facts)
    if reason:
        return reason
    if facts["ground"] != "agreed_condition" and not facts.get("procedure_completed"):
        return "解除集体合同须履行集体协商程序（第四十一条）"
    return None


def _guard_expire(facts: Facts) -> str | None:
    expires_on, on = _date(facts, "expires_on"), _date(facts, "on")
    if expires_on is not None and on is not None and on <= expires_on:
        return f"合同期限至{expires_on.isoformat()}，尚未期满（第三十八条）"
    return None


GUARDS: dict[Event, Callable[[Facts], str | None]] = {
    E.SEND_OFFER: _guard_offer,
    E.SUSPEND: _guard_suspend,
    E.RESUME: _guard_resume,
    E.EXTEND_COORDINATION: _guard_extend,
    E.RECORD_COORDINATION_OUTCOME: _guard_coordination_outcome,
    E.AGREE_DRAFT: lambda facts: _chiefs_signed(facts, "合同草案", "第三十四条"),
    E.VOTE_PASSED: _vote_guard(E.VOTE_PASSED),
    E.VOTE_FAILED: _vote_guard(E.VOTE_FAILED),
    E.VOTE_INQUORATE: _vote_guard(E.VOTE_INQUORATE),
    E.SIGN: lambda facts: _chiefs_signed(facts, "集体合同", "第三十七条"),
    E.FILE: _guard_file,
    E.OBJECTION: _guard_objection,
    E.TAKE_EFFECT: _guard_take_effect,
    E.OPEN_RENEWAL: _guard_renewal,
    E.OPEN_CHANGE: _guard_ground,
    E.EXPIRE: _guard_expire,
    E.TERMINATE: _guard_terminate,
}


def vote_event(members: int, present: int, in_favour: int) -> Event:
    """The event that records a vote with these numbers (第三十六条); ValidationError if invalid."""
    result = rules.ratification_passes(members, present, in_favour)
    if not result.quorum:
        return E.VOTE_INQUORATE
    return E.VOTE_PASSED if result.passes else E.VOTE_FAILED
