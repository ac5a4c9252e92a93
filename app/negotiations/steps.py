"""Procedure steps: meetings, the workers' vote, filing, objections and the simple steps of
``STEP_FIELDS`` (with corrections). Writes follow ``service``'s rules.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.auth.permissions import require
from app.db import atomic

from . import variant_fields
from . import fields, rules, workflow
from . import outcomes as meeting_outcomes
from app.errors import IllegalTransition, Msg, NotFound, ValidationError
from .models import SIDES, Filing, Meeting, ProcedureStep, Vote
from .workflow import Event as E
from .offers import sent_offers
from .records import (audit_change, get_negotiation, json_ready, local_today, record_event,
                      step_rows, workflow_data)
from .representatives import (chief_representatives, default_chair_side, delegation_problems,
                              representatives)


# --- meetings, votes, filing ---------------------------------------------------------------------
@atomic
def record_meeting(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime, check_only: bool = False) -> Meeting:
    """Record a consultation meeting and its minutes (第三十三、三十四条).

    The chair defaults to the chief whose turn it is; the minute-taker must be named and may not
    be a representative. Both delegations must be complete before a meeting.
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    held_on = fields.date(form, "held_on", errors, default=today)
    fields.not_future(held_on, "held_on", today, errors)
    place = fields.text(form, "place", errors, required=True, label=Msg("the place"))
    chair_side = str(form.get("chair_side") or "").strip() or default_chair_side(
        session, negotiation)
    if chair_side not in SIDES:
        errors["chair_side"] = Msg("Choose the side that chairs the meeting")
    chiefs = chief_representatives(session, negotiation)
    chair_name = fields.text(form, "chair_name", errors, max_len=100, label=Msg("the chair"))
    if not chair_name and chair_side in chiefs:
        chair_name = chiefs[chair_side].name
    if chair_side in SIDES and "chair_side" not in errors:
        if chair_side not in chiefs:
            errors["chair_side"] = Msg("That side has no chief representative yet")
        elif chair_name != chiefs[chair_side].name:
            errors["chair_name"] = Msg("The chiefs of the two sides take turns to chair (Art. 34)")
    minute_taker = fields.text(form, "minute_taker", errors, required=True, max_len=100,
                               label=Msg("the minute-taker"))
    names = {r.name.strip() for r in representatives(session, negotiation) if r.active}
    if minute_taker and minute_taker in names:
        errors["minute_taker"] = Msg("The minute-taker must not be a representative (Art. 33)")
    agenda = fields.text(form, "agenda", errors, required=True, max_len=5000,
                         label=Msg("the agenda"))
    attendance = fields.text(form, "attendance", errors, max_len=5000, label=Msg("the attendance"))
    minutes = fields.text(form, "minutes", errors, max_len=20000, label=Msg("the minutes"))
    outcome = fields.text(form, "outcome", errors, max_len=5000, label=Msg("the outcome"))
    outcomes = meeting_outcomes.parse(session, negotiation, form, errors)
    fields.raise_any(errors)
    if check_only:
        return None
    problems = delegation_problems(session, negotiation)
    if problems:
        raise IllegalTransition(Msg("The representatives do not meet the rules, so no meeting "
                                    "can be held: %(problems)s", problems=tuple(problems)))
    number = (session.scalar(select(func.max(Meeting.number)).where(
        Meeting.negotiation_id == negotiation.id)) or 0) + 1
    step = record_event(session, actor, negotiation, E.HOLD_MEETING, held_on,
                        {"meeting_number": number, "place": place,
                         **({"outcomes": outcomes} if outcomes else {})}, now=now)
    meeting = Meeting(negotiation_id=negotiation.id, number=number, held_on=held_on, place=place,
                      chair_side=chair_side, chair_name=chair_name, minute_taker=minute_taker,
                      agenda=agenda, attendance=attendance, minutes=minutes, outcome=outcome,
                      step_id=step.id, recorded_by_id=actor.id, recorded_at=now)
    session.add(meeting)
    session.flush()
    audit_change(session, actor, negotiation, "meeting.record",
                 after={"meeting_id": meeting.id, **meeting.audit()}, now=now)
    return meeting


@atomic
def record_vote(session: Session, actor, negotiation_id: int, form: Mapping, *,
                now: dt.datetime, check_only: bool = False,
                version: tuple[int, str] | None = None) -> Vote:
    """Record the workers' vote on the draft (第三十六条); the result follows from the numbers.

    ``version``: the frozen agreement version voted on, ``(number, sha256)``, stored with the
    vote (``app.agreements.ratification.record_vote`` passes it; this layer does not know
    agreements; what it does after the vote joins this unit of work).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    held_on = fields.date(form, "held_on", errors, default=today)
    fields.not_future(held_on, "held_on", today, errors)
    body = str(form.get("body") or "congress").strip()
    if body not in ("congress", "all_employees"):
        errors["body"] = Msg("Choose the workers' congress or all employees")
    members = fields.integer(form, "members", errors, minimum=1)
    present = fields.integer(form, "present", errors)
    in_favour = fields.integer(form, "in_favour", errors)
    ballot = variant_fields.ballot(form, errors)
    if not errors:
        try:
            result = rules.ratification_passes(members, present, in_favour)
        except ValidationError as exc:
            errors.update(exc.errors)
    fields.raise_any(errors)
    if check_only:
        return None
    event = workflow.vote_event(members, present, in_favour)
    named = {"agreement_version": version[0], "agreement_sha256": version[1]} if version else {}
    step = record_event(session, actor, negotiation, event, held_on,
                        {"members": members, "present": present, "in_favour": in_favour,
                         "body": body, **ballot, **named}, now=now)
    vote = Vote(negotiation_id=negotiation.id, held_on=held_on, body=body, members=members,
                present=present, in_favour=in_favour, quorum=result.quorum, passed=result.passes,
                step_id=step.id, recorded_by_id=actor.id, recorded_at=now, **named)
    session.add(vote)
    session.flush()
    audit_change(session, actor, negotiation, "vote.record", after={"vote_id": vote.id,
                                                                    **vote.audit()}, now=now)
    return vote


@atomic
def file_agreement(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime, check_only: bool = False) -> Filing:
    """File the signed contract with the labour administration (第四十二条, 3 copies, 10 days)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    filed_on = fields.date(form, "filed_on", errors, default=today)
    fields.not_future(filed_on, "filed_on", today, errors)
    received_on = fields.date(form, "received_on", errors, required=False, default=filed_on)
    fields.not_future(received_on, "received_on", today, errors)
    if filed_on and received_on and received_on < filed_on:
        errors["received_on"] = Msg("The authority cannot have received the text before it was "
                                    "filed")
    copies = fields.integer(form, "copies", errors, minimum=1, maximum=100,
                            default=rules.FILING_COPIES)
    if copies is not None and copies < rules.FILING_COPIES and "copies" not in errors:
        errors["copies"] = Msg("File %(copies)s copies of the contract (Art. 42)",
                               copies=rules.FILING_COPIES)
    authority = fields.text(form, "authority", errors, required=True,
                            label=Msg("the labour authority that received it"))
    fields.raise_any(errors)
    if check_only:
        return None
    record_event(session, actor, negotiation, E.FILE, filed_on,
                 {"received_on": received_on, "copies": copies, "authority": authority}, now=now)
    filing = Filing(negotiation_id=negotiation.id, authority=authority, filed_on=filed_on,
                    received_on=received_on, copies=copies, recorded_by_id=actor.id,
                    recorded_at=now)
    session.add(filing)
    session.flush()
    audit_change(session, actor, negotiation, "filing.record", after={"filing_id": filing.id,
                                                                      **filing.audit()}, now=now)
    return filing


@atomic
def record_objection(session: Session, actor, negotiation_id: int, form: Mapping, *,
                     now: dt.datetime, check_only: bool = False) -> Filing:
    """The administration's review opinion (审查意见书) within 15 days: back to consultation."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    text = fields.text(form, "objection_text", errors, required=True, max_len=5000,
                       label=Msg("the review opinion"))
    delivered_on = fields.date(form, "delivered_on", errors, required=False, default=on)
    fields.not_future(delivered_on, "delivered_on", today, errors)
    if on and delivered_on and delivered_on < on:
        errors["delivered_on"] = Msg("The opinion cannot be delivered before its own date")
    fields.raise_any(errors)
    if check_only:
        return None
    filing = session.scalar(select(Filing).where(Filing.negotiation_id == negotiation.id)
                            .order_by(Filing.id.desc()).limit(1))
    record_event(session, actor, negotiation, E.OBJECTION, on,
                 {"objection": text, "delivered_on": delivered_on}, now=now)
    if filing is not None:
        before = filing.audit()
        filing.objection_on, filing.objection_text = on, text
        audit_change(session, actor, negotiation, "filing.objection", before=before,
                     after=filing.audit(), now=now)
    return filing


# --- other steps ---------------------------------------------------------------------------------
# Fields of the simple steps: name → kind ("date", "date?", "int", "bool", "text", "ground").
STEP_FIELDS: dict[E, dict[str, str]] = {
    E.SUSPEND: {"resume_on": "date", "reason": "text"},
    E.RESUME: {},
    E.APPLY_COORDINATION: {"accepted_on": "date?", "reason": "text"},
    E.EXTEND_COORDINATION: {"extension_days": "int"},
    E.RECORD_COORDINATION_OUTCOME: {"signed_by_coordinators": "bool",
                                    "signed_by_worker_chief": "bool",
                                    "signed_by_employer_chief": "bool", "summary": "text"},
    E.AGREE_DRAFT: {"offer_id": "offer", "signed_by_worker_chief": "bool",
                    "signed_by_employer_chief": "bool"},
    E.SIGN: {"signed_by_worker_chief": "bool", "signed_by_employer_chief": "bool"},
    E.PUBLISH: {"channel": "text"},
    E.TAKE_EFFECT: {"term_years": "int", "term_acknowledged": "bool",
                    "opinion_delivered_on": "date?"},
    E.OPEN_RENEWAL: {},
    E.OPEN_CHANGE: {"ground": "ground"},
    E.EXPIRE: {},
    E.TERMINATE: {"ground": "ground", "procedure_completed": "bool"},
    E.WITHDRAW: {"reason": "text"},
}


@atomic
def record_step(session: Session, actor, negotiation_id: int, event: str, form: Mapping, *,
                now: dt.datetime, check_only: bool = False) -> ProcedureStep:
    """Record one of the simple steps of ``STEP_FIELDS`` with its date ``on`` (default today)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    try:
        ev = E(event)
    except ValueError:
        raise NotFound("event") from None
    if ev not in STEP_FIELDS:
        raise NotFound("event")
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    data: dict[str, Any] = {}
    for key, kind in STEP_FIELDS[ev].items():
        if kind == "date":
            data[key] = fields.date(form, key, errors)
        elif kind == "date?":
            value = fields.date(form, key, errors, required=False)
            if value is not None:
                data[key] = value
        elif kind == "int":
            data[key] = fields.integer(form, key, errors, minimum=1, maximum=100)
        elif kind == "bool":
            data[key] = fields.boolean(form, key)
        elif kind == "ground":
            value = str(form.get(key) or "").strip()
            if value not in workflow.GROUNDS:
                errors[key] = Msg("Choose the legal ground (Arts. 39, 40)")
            data[key] = value
        elif kind == "offer":
            sent = sent_offers(session, negotiation)
            raw = str(form.get(key) or "").strip()
            chosen = next((o for o in sent if str(o.id) == raw), None)
            if raw and chosen is None:
                errors[key] = Msg("Choose an offer that was sent")
            chosen = chosen or (sent[-1] if sent else None)
            if chosen is not None:
                data[key] = chosen.id
        else:
            data[key] = fields.text(form, key, errors, max_len=2000)
    variant_fields.check_acknowledgement(actor, negotiation, data, errors)
    fields.raise_any(errors)
    if check_only:
        return None
    step = record_event(session, actor, negotiation, ev, on, data, now=now)
    return step


@atomic
def correct_step(session: Session, actor, negotiation_id: int, step_id: int, form: Mapping, *,
                 now: dt.datetime) -> ProcedureStep:
    """Correct the date (``on``) and the dates in the data (``*_on``) of a recorded step.

    The original stays in the record; the correction replaces it in the history, the whole
    history is checked again and every deadline is recomputed from the corrected dates.
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    rows = step_rows(session, negotiation)
    original = session.get(ProcedureStep, step_id)
    if original is None or original.negotiation_id != negotiation.id:
        raise NotFound("step")
    current = next((r for r in rows if r.id == step_id or _corrects(session, r, step_id)), None)
    if current is None:
        raise NotFound("step")
    today = local_today(now)
    errors: dict[str, str] = {}
    on = fields.date(form, "on", errors, default=current.on)
    fields.not_future(on, "on", today, errors)
    data = dict(current.data)
    for key in list(data):
        if key.endswith("_on") and form.get(key):
            data[key] = fields.date(form, key, errors)
    reason = fields.text(form, "reason", errors, required=True, max_len=500,
                         label=Msg("the reason for the correction"))
    fields.raise_any(errors)
    data = json_ready(data)
    steps = [workflow.Step(r.event, on if r is current else r.on,
                           workflow_data(data if r is current else r.data)) for r in rows]
    new_state = workflow.replay(steps, vote_required=negotiation.ruleset.vote_required)
    row = ProcedureStep(negotiation_id=negotiation.id, event=current.event, on=on, data=data,
                        corrects_id=current.id, recorded_by_id=actor.id, recorded_at=now)
    session.add(row)
    before_state = negotiation.state
    negotiation.state, negotiation.updated_at = new_state.value, now
    session.flush()
    audit_change(session, actor, negotiation, "step.correct",
                 before={**current.snapshot(), "state": before_state},
                 after={**row.snapshot(), "reason": reason, "state": new_state.value}, now=now)
    return row


def _corrects(session, row: ProcedureStep, step_id: int) -> bool:
    while row.corrects_id is not None:
        if row.corrects_id == step_id:
            return True
        row = session.get(ProcedureStep, row.corrects_id)
    return False
