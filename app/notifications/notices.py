"""What is due to be mailed now: one ``Notice`` per user and event, keyed so that it is sent once.

Events: an offer or counter-offer sent to the user's negotiation by the other side (the
mediating office hears of both sides' offers); a deadline of the user's agenda in 1–3 days
(one message, ``soon``) and on the day (``today``); a comment on the agreement draft written by
another organisation. Only events after the user first gave an address (``notify_since``) are
mailed. There is no background-job table in the application, so there is no "job finished"
notice.
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import Organisation, User
from app.negotiations import access, service as negotiation_service
from app.negotiations import records as negotiation_records
from app.agreements.models import Agreement, AgreementComment
from app.negotiations.models import Negotiation, Offer, ProcedureStep
from app.negotiations.workflow import Event

from . import agenda
from .models import NotificationSent, UserSettings

SOON_DAYS = 3  # the "a deadline in 3 days" (issue 21), dated 2026-12


class Notice(NamedTuple):
    user: User
    email: str
    key: str           # unique per user: "offer:12", "deadline-soon:<uid>:<due>", "comment:7"
    kind: str          # "offer", "deadline_soon", "deadline_today", "comment"
    data: dict         # what the message says (ids, names, dates)


def recipients(session: Session) -> list[tuple[User, UserSettings]]:
    """Active users of active organisations who gave an address."""
    rows = session.execute(
        select(User, UserSettings).join(UserSettings, UserSettings.user_id == User.id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(UserSettings.email != "", User.is_active.is_(True),
               Organisation.is_active.is_(True)).order_by(User.id))
    return [(u, s) for u, s in rows]


def _since(row: UserSettings) -> dt.datetime:
    return row.notify_since or dt.datetime.min.replace(tzinfo=dt.timezone.utc)


def _offers(session, user, row, negotiations) -> list[Notice]:
    out = []
    by_id = {n.id: n for n in negotiations}
    if not by_id:
        return out
    offers = session.scalars(select(Offer).where(
        Offer.negotiation_id.in_(by_id), Offer.status != "draft", Offer.sent_at.is_not(None),
        Offer.sent_at >= _since(row)).order_by(Offer.id))
    for offer in offers:
        negotiation = by_id[offer.negotiation_id]
        if access.side_of(user, negotiation) == offer.side:
            continue  # the user's own side sent it
        out.append(Notice(user, row.email, f"offer:{offer.id}", "offer", {
            "negotiation_id": negotiation.id, "title": negotiation.title, "side": offer.side,
            "round": offer.round, "counter": _is_counter(session, offer),
            "sent_on": offer.sent_on.isoformat() if offer.sent_on else ""}))
    return out


def _is_counter(session, offer: Offer) -> bool:
    step = session.get(ProcedureStep, offer.step_id) if offer.step_id else None
    return step is not None and step.event == Event.COUNTER_OFFER.value


def _comments(session, user, row, negotiations) -> list[Notice]:
    by_id = {n.id: n for n in negotiations}
    if not by_id:
        return []
    comments = session.execute(
        select(AgreementComment, Agreement.negotiation_id)
        .join(Agreement, Agreement.id == AgreementComment.agreement_id)
        .where(Agreement.negotiation_id.in_(by_id),
               AgreementComment.organisation_id != user.organisation_id,
               AgreementComment.created_at >= _since(row)).order_by(AgreementComment.id))
    return [Notice(user, row.email, f"comment:{c.id}", "comment", {
        "negotiation_id": nid, "title": by_id[nid].title, "number": c.number,
        "organisation": c.organisation.name, "body": c.body[:500]})
        for c, nid in comments]


def _deadlines(session, user, row, now) -> list[Notice]:
    today = negotiation_records.local_today(now)
    out = []
    for entry in agenda.for_user(session, user, now=now):
        if entry.done or entry.status in ("lapsed",):
            continue
        days = (entry.due - today).days
        if days == 0:
            kind = "deadline_today"
        elif 1 <= days <= SOON_DAYS:
            kind = "deadline_soon"
        else:
            continue
        key = f"{kind.replace('_', '-')}:{entry.uid}:{entry.due.isoformat()}"
        out.append(Notice(user, row.email, key, kind, {
            "entry": entry, "days": days, "due": entry.due.isoformat()}))
    return out


def due(session: Session, *, now: dt.datetime) -> list[Notice]:
    """Every notice that should have been sent by ``now`` and was not, in a stable order."""
    notices: list[Notice] = []
    for user, row in recipients(session):
        sent = set(session.scalars(select(NotificationSent.event_key)
                                   .where(NotificationSent.user_id == user.id)))
        negotiations: list[Negotiation] = negotiation_service.negotiations_for(session, user)
        found: list[Notice] = []
        if row.notify_offers:
            found += _offers(session, user, row, negotiations)
        if row.notify_comments:
            found += _comments(session, user, row, negotiations)
        if row.notify_deadlines:
            found += _deadlines(session, user, row, now)
        notices += [n for n in found if n.key not in sent]
    return notices
