"""The states and events of the consultation procedure, their labels and legal bases.

Split from ``workflow`` (which re-exports every name here); ``workflow`` holds the transitions.
"""

from __future__ import annotations

from enum import StrEnum

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
