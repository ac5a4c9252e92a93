"""The other written documents of the procedure, printed through the agreement's machinery:
the written offer (集体协商要约书), the written reply (回应书), meeting minutes (会议纪要) for the
chiefs' signatures and the coordination record (协调处理协议书).

Each function checks access like the agreement (the sides and the mediator of the negotiation;
an offer only once sent) and returns ``(filename, kwargs)`` for ``pdf.render_document``;
``render`` does both.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.agreements import clauses
from app.negotiations import access
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import representatives as rep_service
from app.negotiations import outcomes as meeting_outcomes
from app.negotiations import terms as nterms
from app.errors import Msg, NotFound
from app.negotiations.models import EMPLOYER, WORKER, Meeting, Negotiation, Offer, ProcedureStep
from app.reports import pdf

KINDS = ("offer", "reply", "minutes", "coordination")
SIDE_ZH = {WORKER: "工会方", EMPLOYER: "企业方", "mediator": "协调方"}
# The names of the printable documents (message ids; the list shows them in the user's language).
OFFER_LABELS = {WORKER: Msg("Offer %(date)s (union side)"),
                EMPLOYER: Msg("Offer %(date)s (employer side)")}


def _names(negotiation: Negotiation) -> dict[str, str]:
    return {WORKER: negotiation.worker_org.name, EMPLOYER: negotiation.employer_org.name}


def _chief_signatures(session, negotiation) -> list[tuple[str, str]]:
    chiefs = rep_service.chief_names(session, negotiation)
    return [("工会方首席协商代表", chiefs.get(WORKER, "")),
            ("企业方首席协商代表", chiefs.get(EMPLOYER, ""))]


def _terms(terms: Mapping[str, Any]) -> list[dict]:
    rows = []
    for spec in clauses.STANDARDS:
        if spec.key in (terms or {}):
            try:
                value = clauses.format_value(spec, terms[spec.key])
            except (TypeError, ValueError):
                value = str(terms[spec.key])
            rows.append({"label": spec.label_zh, "value": value, "unit": spec.unit_zh})
    return rows


def offer_document(session: Session, actor, negotiation_id: int, offer_id: int):
    negotiation = nrecords.get_negotiation(session, actor, negotiation_id)
    offer = session.get(Offer, offer_id)
    # A draft, withdrawn or not, was never sent: no one prints it as an offer.
    if offer is None or offer.negotiation_id != negotiation.id \
            or offer.status not in offer_service.SENT_STATUSES:
        raise NotFound("offer")
    names = _names(negotiation)
    other = EMPLOYER if offer.side == WORKER else WORKER
    # The reply period and its basis follow the negotiation's variant (rule set).
    reply = negotiation.ruleset.reply
    period = (f"根据{reply.basis}，{names[offer.side]}就下列事项向贵方提出集体协商要求，"
              f"请于收到本要约书之日起{reply.amount}日内书面回应。") if reply else \
        f"{names[offer.side]}就下列事项向贵方提出集体协商要求，请予书面回应。"
    kwargs = {
        "number": f"第{offer.round or 1}轮", "addressee": names[other],
        "meta": [("发出方", names[offer.side]), ("协商事项", negotiation.title),
                 ("发出日期", offer.sent_on.isoformat() if offer.sent_on else "")],
        "sections": [("", period),
                     ("协商方案", "本方提出的方案如下表所列。"),
                     ("理由", offer.rationale or "（未填写）")],
        "terms": _terms(offer.terms), "terms_after": 1, "issued_on": offer.sent_on,
        "signatures": [(f"{SIDE_ZH[offer.side]}首席协商代表（签字）",
                        rep_service.chief_names(session, negotiation).get(offer.side, ""))],
    }
    return f"offer-{offer.id}.pdf", kwargs


def reply_document(session: Session, actor, negotiation_id: int, step_id: int):
    negotiation = nrecords.get_negotiation(session, actor, negotiation_id)
    step = session.get(ProcedureStep, step_id)
    if step is None or step.negotiation_id != negotiation.id or step.event not in ("accept",
                                                                                    "refuse"):
        raise NotFound("reply")
    names = _names(negotiation)
    offer = session.scalar(select(Offer).where(
        Offer.negotiation_id == negotiation.id, Offer.status.in_(("sent", "superseded")),
        Offer.sent_on <= step.on).order_by(Offer.sent_on.desc(), Offer.id.desc()))
    sender = offer.side if offer else WORKER
    replier = EMPLOYER if sender == WORKER else WORKER
    answer = ("同意就要约所列事项进行集体协商，请双方协商代表商定首次协商会议的时间和地点。"
              if step.event == "accept" else "不同意进行集体协商。")
    reason = (step.data or {}).get("reason") or ""
    kwargs = {
        "addressee": names[sender],
        "meta": [("回应方", names[replier]), ("协商事项", negotiation.title),
                 ("要约日期", offer.sent_on.isoformat() if offer and offer.sent_on else ""),
                 ("回应日期", step.on.isoformat())],
        "sections": [("", f"贵方的集体协商要约书收悉。根据《集体合同规定》第三十二条，本方书面回应如下：{answer}"),
                     *([("理由", reason)] if reason else [])],
        "issued_on": step.on,
        "signatures": [(f"{SIDE_ZH[replier]}首席协商代表（签字）", "")],
    }
    return f"reply-{step.id}.pdf", kwargs


def minutes_document(session: Session, actor, negotiation_id: int, meeting_id: int):
    negotiation = nrecords.get_negotiation(session, actor, negotiation_id)
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.negotiation_id != negotiation.id:
        raise NotFound("meeting")
    kwargs = {
        "number": f"第{meeting.number}次协商会议",
        "meta": [("协商事项", negotiation.title), ("时间", meeting.held_on.isoformat()),
                 ("地点", meeting.place),
                 ("主持人", f"{meeting.chair_name}（{SIDE_ZH.get(meeting.chair_side, '')}）"),
                 ("记录人", meeting.minute_taker)],
        "sections": [("出席人员", meeting.attendance or "（未记录）"), ("议程", meeting.agenda or ""),
                     ("会议情况", meeting.minutes or ""), ("形成意见", meeting.outcome or "")],
        "issued_on": meeting.held_on,
        "signatures": _chief_signatures(session, negotiation),
    }
    if lines := _outcome_lines(session, meeting):
        kwargs["sections"].append(("逐项结果", "；".join(lines) + "。"))
    return f"minutes-{meeting.id}.pdf", kwargs


_OUTCOME_ZH = {"agreed": "已议定", "open": "待议", "withdrawn": "撤回"}


def _outcome_lines(session, meeting) -> list[str]:
    """The meeting's outcomes term by term (``app.negotiations.outcomes``), in Chinese."""
    lines = []
    for row in meeting_outcomes.of_meeting(session, meeting):
        spec = clauses.STANDARD_BY_KEY.get(row["key"])
        label = nterms.term_label(row["key"], "zh")
        text = f"{label}：{_OUTCOME_ZH[row['outcome']]}"
        if "value" in row:
            text += " " + (clauses.format_value(spec, row["value"]) if spec
                           else f"{row['value']:g}")
        lines.append(text)
    return lines


def coordination_document(session: Session, actor, negotiation_id: int, step_id: int):
    negotiation = nrecords.get_negotiation(session, actor, negotiation_id)
    step = session.get(ProcedureStep, step_id)
    if step is None or step.negotiation_id != negotiation.id \
            or step.event != "record_coordination_outcome":
        raise NotFound("coordination")
    applied = session.scalar(select(ProcedureStep).where(
        ProcedureStep.negotiation_id == negotiation.id,
        ProcedureStep.event == "apply_coordination", ProcedureStep.id < step.id)
        .order_by(ProcedureStep.id.desc()))
    data = applied.data if applied else {}
    names = _names(negotiation)
    mediator = negotiation.mediator_org.name if negotiation.mediator_org else "劳动行政部门"
    kwargs = {
        "meta": [("申请事项", negotiation.title), ("工会方", names[WORKER]),
                 ("企业方", names[EMPLOYER]), ("协调处理机构", mediator),
                 ("受理日期", str(data.get("accepted_on") or (applied.on if applied else "")))],
        "sections": [("申请事项和理由", data.get("reason") or "（未记录）"),
                     ("协调处理结果", (step.data or {}).get("summary") or "（未记录）"),
                     ("", "本协议书经协调处理人员和双方首席代表签字盖章后生效，对双方具有约束力"
                          "（《集体合同规定》第五十四条）。")],
        "issued_on": step.on,
        "signatures": [("协调处理人员（签字）", ""), *_chief_signatures(session, negotiation)],
    }
    return f"coordination-{step.id}.pdf", kwargs


BUILDERS = {"offer": offer_document, "reply": reply_document, "minutes": minutes_document,
            "coordination": coordination_document}


def available(session: Session, actor, negotiation: Negotiation) -> list[tuple[str, int, str]]:
    """The documents the actor may print: ``(kind, record id, label)``."""
    if access.side_of(actor, negotiation) is None:
        return []
    out = []
    for offer in offer_service.sent_offers(session, negotiation):
        out.append(("offer", offer.id, Msg(OFFER_LABELS.get(offer.side, OFFER_LABELS[WORKER]),
                                           date=offer.sent_on.isoformat() if offer.sent_on else "")))
    for step in session.scalars(select(ProcedureStep).where(
            ProcedureStep.negotiation_id == negotiation.id,
            ProcedureStep.event.in_(("accept", "refuse", "record_coordination_outcome")))
            .order_by(ProcedureStep.id)):
        if step.event == "record_coordination_outcome":
            out.append(("coordination", step.id, Msg("Coordination settlement %(date)s",
                                                     date=step.on.isoformat())))
        else:
            out.append(("reply", step.id, Msg("Reply %(date)s", date=step.on.isoformat())))
    for meeting in session.scalars(select(Meeting).where(
            Meeting.negotiation_id == negotiation.id).order_by(Meeting.number)):
        out.append(("minutes", meeting.id, Msg("Minutes of meeting %(number)s, %(date)s",
                                               number=meeting.number,
                                               date=meeting.held_on.isoformat())))
    return out


def render(session: Session, actor, negotiation_id: int, kind: str, record_id: int,
           lang: str = "zh") -> tuple[str, bytes]:
    """``(filename, PDF bytes)`` of one procedural document (printed in Chinese)."""
    if kind not in BUILDERS:
        raise NotFound("document")
    filename, kwargs = BUILDERS[kind](session, actor, negotiation_id, record_id)
    return filename, pdf.render_document(kind, lang="zh", **kwargs)
