"""The consultation procedure as a state machine (its deadlines and flags: ``deadlines``).

The procedure (consultation-law.md §3–§8) is data: ``TRANSITIONS`` maps ``(State, Event)`` to the
next ``State``; ``GUARDS`` hold the legal conditions some events must meet. ``apply`` checks one
event; ``replay`` checks a whole history.

History: the input of ``replay`` here and of ``deadlines.deadlines`` and ``deadlines.flags``
---------------------------------------------------------------------------------------------
A history is a sequence of steps in the order they happened, each one of

* ``Step(event, on, data)`` (this module's frozen dataclass),
* a tuple ``(event, on)`` or ``(event, on, data)``,
* a mapping ``{"event": ..., "on": ..., "data": {...}}``,

where ``event`` is an ``Event`` or its string value, ``on`` the ``datetime.date`` (Asia/Shanghai)
on which the step happened, and ``data`` a plain dict of the facts of that step (JSON-friendly
except for dates). Store these rows as they are; a corrected date simply changes the computed
deadlines next time. The ``data`` keys read here:

=============================  ===============================================================
event                          data keys (optional unless marked *required*)
=============================  ===============================================================
SEND_OFFER                     ``received_on`` (date the other side received it; default ``on``),
                               ``in_writing`` (must not be False)
REFUSE                         ``reason`` (a refusal without one is allowed but flagged)
SUSPEND                        ``resume_on`` *required* — the agreed resume date (第三十五条)
RESUME                         ``resume_on`` (taken from the SUSPEND step by ``replay``)
APPLY_COORDINATION             ``accepted_on`` (acceptance by the administration; default ``on``)
EXTEND_COORDINATION            ``extension_days`` *required*, 1–15 in total (第五十二条)
RECORD_COORDINATION_OUTCOME    ``signed_by_coordinators``, ``signed_by_worker_chief``,
                               ``signed_by_employer_chief`` *required*, all true (第五十四条)
AGREE_DRAFT, SIGN              ``signed_by_worker_chief``, ``signed_by_employer_chief`` *required*
VOTE_PASSED / _FAILED /        ``members``, ``present``, ``in_favour`` *required*; the event must
VOTE_INQUORATE                 match ``rules.ratification_passes`` (use ``vote_event``)
FILE                           ``received_on`` (receipt by the administration; default ``on``),
                               ``copies`` (at least 3 when given)
TAKE_EFFECT                    ``term_years`` (1–3) or ``expires_on`` (last day of the term)
OPEN_CHANGE                    ``ground`` *required*, a key of ``GROUNDS``
TERMINATE                      ``ground`` *required*; ``procedure_completed`` true unless the
                               ground is ``agreed_condition``
VACANCY_AROSE / _FILLED        ``seat`` (any key pairing a vacancy with its filling; without
                               it the oldest open vacancy is filled)
=============================  ===============================================================

When ``apply`` is called directly, dates it needs from earlier steps (``received_on`` for
TAKE_EFFECT/OBJECTION, ``resume_on`` for RESUME, ``already_extended_days`` for
EXTEND_COORDINATION, ``expires_on`` for OPEN_RENEWAL/EXPIRE) must be in ``facts``:
``facts_for(history, step)`` builds exactly those facts for a new step, and
``advance(history, step)`` checks the whole history with the new step and returns the new state.

Changes, terminations and renewals follow the same procedure as a first contract (第四十一条). A
contract in force stays in force while that is negotiated, so OPEN_RENEWAL and OPEN_CHANGE leave
it ``IN_FORCE``: the caller opens a new, linked negotiation that starts at ``PREPARING``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from . import rules
from .errors import IllegalTransition, ValidationError


class State(StrEnum):
    PREPARING = "preparing"
    OFFER_SENT = "offer_sent"
    REFUSED = "refused"
    IN_CONSULTATION = "in_consultation"
    SUSPENDED = "suspended"
    COORDINATION = "coordination"
    DRAFT_AGREED = "draft_agreed"
    RATIFIED = "ratified"
    SIGNED = "signed"
    FILED = "filed"
    IN_FORCE = "in_force"
    EXPIRED = "expired"
    TERMINATED = "terminated"
    CLOSED = "closed"


class Event(StrEnum):
    SEND_OFFER = "send_offer"
    ACCEPT = "accept"
    REFUSE = "refuse"
    COUNTER_OFFER = "counter_offer"
    HOLD_MEETING = "hold_meeting"
    SUSPEND = "suspend"
    RESUME = "resume"
    APPLY_COORDINATION = "apply_coordination"
    EXTEND_COORDINATION = "extend_coordination"
    RECORD_COORDINATION_OUTCOME = "record_coordination_outcome"
    AGREE_DRAFT = "agree_draft"
    VOTE_PASSED = "vote_passed"
    VOTE_FAILED = "vote_failed"
    VOTE_INQUORATE = "vote_inquorate"
    SIGN = "sign"
    FILE = "file"
    OBJECTION = "objection"
    TAKE_EFFECT = "take_effect"
    PUBLISH = "publish"
    OPEN_RENEWAL = "open_renewal"
    OPEN_CHANGE = "open_change"
    EXPIRE = "expire"
    TERMINATE = "terminate"
    VACANCY_AROSE = "vacancy_arose"
    VACANCY_FILLED = "vacancy_filled"
    WITHDRAW = "withdraw"


S, E = State, Event

TERMINAL_STATES = frozenset({S.EXPIRED, S.TERMINATED, S.CLOSED})

TRANSITIONS: dict[tuple[State, Event], State] = {
    (S.PREPARING, E.SEND_OFFER): S.OFFER_SENT,
    # A counter-offer answers the offer in writing and opens consultation (第三十二条).
    (S.OFFER_SENT, E.ACCEPT): S.IN_CONSULTATION,
    (S.OFFER_SENT, E.COUNTER_OFFER): S.IN_CONSULTATION,
    (S.OFFER_SENT, E.REFUSE): S.REFUSED,
    (S.REFUSED, E.SEND_OFFER): S.OFFER_SENT,
    (S.IN_CONSULTATION, E.HOLD_MEETING): S.IN_CONSULTATION,
    (S.IN_CONSULTATION, E.COUNTER_OFFER): S.IN_CONSULTATION,
    (S.IN_CONSULTATION, E.SUSPEND): S.SUSPENDED,
    (S.IN_CONSULTATION, E.APPLY_COORDINATION): S.COORDINATION,
    (S.IN_CONSULTATION, E.AGREE_DRAFT): S.DRAFT_AGREED,
    (S.SUSPENDED, E.RESUME): S.IN_CONSULTATION,
    (S.SUSPENDED, E.APPLY_COORDINATION): S.COORDINATION,
    (S.COORDINATION, E.EXTEND_COORDINATION): S.COORDINATION,
    (S.COORDINATION, E.RECORD_COORDINATION_OUTCOME): S.IN_CONSULTATION,
    (S.DRAFT_AGREED, E.VOTE_PASSED): S.RATIFIED,
    # A rejected draft goes back to the representatives for renegotiation (consultation-law.md §5).
    (S.DRAFT_AGREED, E.VOTE_FAILED): S.IN_CONSULTATION,
    # Without a quorum nothing was decided; the vote is held again on the same draft.
    (S.DRAFT_AGREED, E.VOTE_INQUORATE): S.DRAFT_AGREED,
    (S.RATIFIED, E.SIGN): S.SIGNED,
    (S.SIGNED, E.FILE): S.FILED,
    (S.SIGNED, E.PUBLISH): S.SIGNED,
    # On an objection the disputed points are renegotiated, then signed and refiled (第四十六条).
    (S.FILED, E.OBJECTION): S.IN_CONSULTATION,
    (S.FILED, E.TAKE_EFFECT): S.IN_FORCE,
    (S.FILED, E.PUBLISH): S.FILED,
    (S.IN_FORCE, E.PUBLISH): S.IN_FORCE,
    (S.IN_FORCE, E.OPEN_RENEWAL): S.IN_FORCE,
    (S.IN_FORCE, E.OPEN_CHANGE): S.IN_FORCE,
    (S.IN_FORCE, E.EXPIRE): S.EXPIRED,
    (S.IN_FORCE, E.TERMINATE): S.TERMINATED,
}
for _state in (S.PREPARING, S.OFFER_SENT, S.REFUSED, S.IN_CONSULTATION, S.SUSPENDED,
               S.COORDINATION, S.DRAFT_AGREED):
    TRANSITIONS[(_state, E.WITHDRAW)] = S.CLOSED
# Seats fall vacant and are filled (第三十一条) at any stage while the negotiation is alive.
for _state in State:
    if _state not in TERMINAL_STATES:
        TRANSITIONS[(_state, E.VACANCY_AROSE)] = _state
        TRANSITIONS[(_state, E.VACANCY_FILLED)] = _state
del _state

STATE_LABELS_ZH: dict[State, str] = {
    S.PREPARING: "准备协商", S.OFFER_SENT: "已发出要约", S.REFUSED: "对方拒绝协商",
    S.IN_CONSULTATION: "协商中", S.SUSPENDED: "协商中止", S.COORDINATION: "协调处理中",
    S.DRAFT_AGREED: "草案已形成", S.RATIFIED: "职工审议通过", S.SIGNED: "已签订",
    S.FILED: "已报送审查", S.IN_FORCE: "已生效", S.EXPIRED: "期满终止",
    S.TERMINATED: "已解除", S.CLOSED: "协商结束（未签订）",
}
STATE_LABELS_EN: dict[State, str] = {
    S.PREPARING: "Preparing", S.OFFER_SENT: "Offer sent", S.REFUSED: "Refused",
    S.IN_CONSULTATION: "In consultation", S.SUSPENDED: "Suspended",
    S.COORDINATION: "Coordination by the authority", S.DRAFT_AGREED: "Draft agreed",
    S.RATIFIED: "Approved by the workers", S.SIGNED: "Signed", S.FILED: "Filed for review",
    S.IN_FORCE: "In force", S.EXPIRED: "Expired", S.TERMINATED: "Terminated",
    S.CLOSED: "Closed without agreement",
}
EVENT_LABELS_ZH: dict[Event, str] = {
    E.SEND_OFFER: "发出书面要约", E.ACCEPT: "书面同意协商", E.REFUSE: "拒绝协商",
    E.COUNTER_OFFER: "提出反要约", E.HOLD_MEETING: "召开协商会议", E.SUSPEND: "中止协商",
    E.RESUME: "恢复协商", E.APPLY_COORDINATION: "申请协调处理",
    E.EXTEND_COORDINATION: "延长协调处理期限", E.RECORD_COORDINATION_OUTCOME: "形成协调处理协议书",
    E.AGREE_DRAFT: "形成合同草案", E.VOTE_PASSED: "职工审议通过", E.VOTE_FAILED: "职工审议未通过",
    E.VOTE_INQUORATE: "审议未达法定人数", E.SIGN: "首席代表签字", E.FILE: "报送劳动行政部门",
    E.OBJECTION: "收到审查意见书", E.TAKE_EFFECT: "合同生效", E.PUBLISH: "向职工公布",
    E.OPEN_RENEWAL: "提出续订", E.OPEN_CHANGE: "提出变更或解除", E.EXPIRE: "期满终止",
    E.TERMINATE: "解除合同", E.VACANCY_AROSE: "代表空缺", E.VACANCY_FILLED: "补足代表",
    E.WITHDRAW: "结束协商",
}
EVENT_LABELS_EN: dict[Event, str] = {
    E.SEND_OFFER: "Send written offer", E.ACCEPT: "Accept in writing", E.REFUSE: "Refuse",
    E.COUNTER_OFFER: "Counter-offer", E.HOLD_MEETING: "Hold a meeting", E.SUSPEND: "Suspend",
    E.RESUME: "Resume", E.APPLY_COORDINATION: "Apply for coordination",
    E.EXTEND_COORDINATION: "Extend coordination",
    E.RECORD_COORDINATION_OUTCOME: "Record coordination settlement",
    E.AGREE_DRAFT: "Agree draft", E.VOTE_PASSED: "Vote passed", E.VOTE_FAILED: "Vote failed",
    E.VOTE_INQUORATE: "Vote without quorum", E.SIGN: "Chiefs sign",
    E.FILE: "File with the authority",
    E.OBJECTION: "Review objection received", E.TAKE_EFFECT: "Takes effect",
    E.PUBLISH: "Publish to workers", E.OPEN_RENEWAL: "Open renewal",
    E.OPEN_CHANGE: "Open change or termination", E.EXPIRE: "Expire", E.TERMINATE: "Terminate",
    E.VACANCY_AROSE: "Seat fell vacant", E.VACANCY_FILLED: "Seat filled", E.WITHDRAW: "Close",
}
EVENT_BASIS: dict[Event, str] = {
    E.SEND_OFFER: "第三十二条", E.ACCEPT: "第三十二条", E.REFUSE: "第三十二条",
    E.COUNTER_OFFER: "第三十二、三十四条", E.HOLD_MEETING: "第三十三、三十四条",
    E.SUSPEND: "第三十五条", E.RESUME: "第三十五条", E.APPLY_COORDINATION: "第四十九条",
    E.EXTEND_COORDINATION: "第五十二条", E.RECORD_COORDINATION_OUTCOME: "第五十三、五十四条",
    E.AGREE_DRAFT: "第三十四条", E.VOTE_PASSED: "第三十六条", E.VOTE_FAILED: "第三十六条",
    E.VOTE_INQUORATE: "第三十六条", E.SIGN: "第三十七条", E.FILE: "第四十二条",
    E.OBJECTION: "第四十五、四十六条", E.TAKE_EFFECT: "第四十七条", E.PUBLISH: "第四十八条",
    E.OPEN_RENEWAL: "第三十八条", E.OPEN_CHANGE: "第三十九至四十一条", E.EXPIRE: "第三十八条",
    E.TERMINATE: "第三十八至四十一条", E.VACANCY_AROSE: "第三十一条",
    E.VACANCY_FILLED: "第三十一条", E.WITHDRAW: "",
}

# Grounds for changing or ending a contract: key → (zh, en, basis).
GROUNDS: dict[str, tuple[str, str, str]] = {
    "merger_dissolution_bankruptcy": (
        "用人单位被兼并、解散、破产等，致使合同无法履行", "Merger, dissolution or bankruptcy",
        "第四十条第（一）项"),
    "force_majeure": ("因不可抗力致使合同部分或全部无法履行", "Force majeure", "第四十条第（二）项"),
    "agreed_condition": ("合同约定的变更或解除条件出现", "Agreed condition occurred",
                         "第三十八条、第四十条第（三）项"),
    "other_legal_ground": ("法律、法规、规章规定的其他情形", "Other ground set by law",
                           "第四十条第（四）项"),
    "mutual_agreement": ("双方协商一致", "Mutual agreement", "第三十九条"),
}


def state_label(state: State | str, lang: str = "zh") -> str:
    """The label of ``state`` in ``lang`` ("zh" or "en")."""
    return (STATE_LABELS_EN if lang == "en" else STATE_LABELS_ZH)[State(state)]


def event_label(event: Event | str, lang: str = "zh") -> str:
    """The label of ``event`` in ``lang`` ("zh" or "en")."""
    return (EVENT_LABELS_EN if lang == "en" else EVENT_LABELS_ZH)[Event(event)]


# --- Guards: each returns a reason in Chinese when the event may not happen ----------------------
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
    received_on, on = _date(facts, "received_on"), _date(facts, "on")
    if received_on is not None and on is not None and on > rules.review_ends(received_on):
        return (f"审查期已于{rules.review_ends(received_on).isoformat()}届满，"
                "未在15日内提出异议的合同已生效（第四十七条）")
    return None


def _guard_take_effect(facts: Facts) -> str | None:
    received_on, on = _date(facts, "received_on"), _date(facts, "on")
    if received_on is None or on is None:
        return "须记录劳动行政部门收到文本的日期和生效日期（第四十七条）"
    if on < rules.effective_date(received_on):
        return (f"审查期未满，无异议的合同自{rules.effective_date(received_on).isoformat()}起生效"
                "（第四十七条）")
    years = facts.get("term_years")
    if years is not None and (isinstance(years, bool) or not isinstance(years, int)
                              or not rules.TERM_MIN_YEARS <= years <= rules.TERM_MAX_YEARS):
        return "集体合同期限为1至3年（第三十八条）"
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


def allowed_events(state: State | str) -> list[Event]:
    """Events the table allows in ``state``, in ``Event`` order (guards are not checked)."""
    state = State(state)
    return [event for event in Event if (state, event) in TRANSITIONS]


def apply(state: State | str, event: Event | str, *, facts: Facts | None = None) -> State:
    """The state after ``event`` in ``state``; raises ``IllegalTransition`` saying why not.

    ``facts`` are the data of the step (see the module docstring) plus ``on``, its date.
    """
    try:
        state = State(state)
    except ValueError:
        raise IllegalTransition(f"未知的状态：{state}", state=state, event=event) from None
    try:
        event = Event(event)
    except ValueError:
        raise IllegalTransition(f"未知的操作：{event}", state=state, event=event) from None
    target = TRANSITIONS.get((state, event))
    if target is None:
        allowed = "、".join(EVENT_LABELS_ZH[e] for e in allowed_events(state)) or "无（程序已结束）"
        raise IllegalTransition(
            f"当前状态为“{STATE_LABELS_ZH[state]}”，不能“{EVENT_LABELS_ZH[event]}”。"
            f"此时可以：{allowed}", state=state, event=event)
    guard = GUARDS.get(event)
    reason = guard(facts or {}) if guard else None
    if reason:
        raise IllegalTransition(reason, state=state, event=event)
    return target


# --- Histories ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One recorded step of a negotiation: what happened (``event``), when (``on``), with what."""

    event: Event
    on: dt.date
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "event", Event(self.event))
        except ValueError:
            raise ValidationError({"event": f"未知的操作：{self.event}"}) from None
        if not isinstance(self.on, dt.date) or isinstance(self.on, dt.datetime):
            raise ValidationError({"on": "请填写日期"})
        object.__setattr__(self, "data", MappingProxyType(dict(self.data or {})))


def as_step(record: Step | tuple | Mapping[str, Any]) -> Step:
    """A ``Step`` from a ``Step``, an ``(event, on[, data])`` tuple or an event/on/data mapping."""
    if isinstance(record, Step):
        return record
    if isinstance(record, Mapping):
        return Step(record["event"], record["on"], record.get("data") or {})
    return Step(*record)


def _steps(history: Iterable[Step | tuple | Mapping[str, Any]]) -> list[Step]:
    return [as_step(record) for record in history]


def _expires_on(step: Step) -> dt.date | None:
    expires_on = step.data.get("expires_on")
    if expires_on is not None:
        return expires_on
    years = step.data.get("term_years")
    return rules.term_end(step.on, years) if years is not None else None


def derived_facts(history: Iterable[Step | tuple | Mapping[str, Any]]) -> dict[str, Any]:
    """Facts from earlier steps that later guards need (see the module docstring)."""
    derived: dict[str, Any] = {}
    for step in _steps(history):
        if step.event == E.FILE:
            derived["received_on"] = step.data.get("received_on", step.on)
        elif step.event == E.SUSPEND:
            derived["resume_on"] = step.data.get("resume_on")
        elif step.event == E.RESUME:
            derived.pop("resume_on", None)
        elif step.event == E.APPLY_COORDINATION:
            derived["already_extended_days"] = 0
        elif step.event == E.EXTEND_COORDINATION:
            derived["already_extended_days"] = (derived.get("already_extended_days", 0)
                                                + step.data.get("extension_days", 0))
        elif step.event == E.TAKE_EFFECT:
            derived["expires_on"] = _expires_on(step)
    return derived


# Which derived facts each event's guard reads; other events never see them, so a date from
# an earlier filing cannot leak into the check of a refiling.
_DERIVED_FOR: dict[Event, tuple[str, ...]] = {
    E.TAKE_EFFECT: ("received_on",),
    E.OBJECTION: ("received_on",),
    E.RESUME: ("resume_on",),
    E.EXTEND_COORDINATION: ("already_extended_days",),
    E.OPEN_RENEWAL: ("expires_on",),
    E.EXPIRE: ("expires_on",),
}


def _facts(derived: Mapping[str, Any], step: Step) -> dict[str, Any]:
    wanted = {k: derived[k] for k in _DERIVED_FOR.get(step.event, ()) if k in derived}
    return {**wanted, **step.data, "on": step.on}


def facts_for(history: Iterable[Step | tuple | Mapping[str, Any]],
              step: Step | tuple | Mapping[str, Any]) -> dict[str, Any]:
    """The ``facts`` to pass to ``apply`` for ``step`` recorded after ``history``."""
    return _facts(derived_facts(history), as_step(step))


def replay(history: Iterable[Step | tuple | Mapping[str, Any]],
           start: State = S.PREPARING) -> State:
    """The state after every step of ``history`` from ``start``; raises at the first bad step.

    Steps must be in date order; a step dated before the previous one raises IllegalTransition.
    """
    state, done = State(start), []
    for step in _steps(history):
        if done and step.on < done[-1].on:
            raise IllegalTransition(
                f"“{EVENT_LABELS_ZH[step.event]}”的日期{step.on.isoformat()}早于上一步骤的日期"
                f"{done[-1].on.isoformat()}", state=state, event=step.event)
        state = apply(state, step.event, facts=_facts(derived_facts(done), step))
        done.append(step)
    return state


def advance(history: Iterable[Step | tuple | Mapping[str, Any]],
            step: Step | tuple | Mapping[str, Any]) -> State:
    """The state after adding ``step`` to a valid ``history``; raises ``IllegalTransition``."""
    steps = _steps(history)
    return replay([*steps, as_step(step)])
