"""Who sees an agreement, and what they see: the agreement page's view, its versions and
redline, and the to-do list of agreements waiting for a side.

Access follows the negotiation (``access.side_of``): the two sides and the assigned mediator see
the agreement; only the mediator builds it, edits its wording, freezes and signs it; each side
approves. ``NotFound`` (404) does not reveal whether an agreement exists.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from app.auth.permissions import require
from app.negotiations import access
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.errors import NotFound
from app.negotiations.models import EMPLOYER, WORKER, Negotiation, Offer

from . import document as A, versions
from .models import Agreement, AgreementApproval, AgreementComment, AgreementVersion, SignedCopy

MEDIATOR = access.MEDIATOR
SIDES = (WORKER, EMPLOYER)


def _is_mediator(user, negotiation) -> bool:
    return access.side_of(user, negotiation) == MEDIATOR


# Installed into app.auth.permissions.RULES by app.rules.install.
AGREEMENT_RULES = {
    "agreement.list": lambda u, r: True,  # the list shows only negotiations the user takes part in
    "agreement.view": lambda u, n: access.side_of(u, n) is not None,
    "agreement.comment": lambda u, n: access.side_of(u, n) is not None,
    "agreement.edit": _is_mediator,
    "agreement.approve": lambda u, n: access.side_of(u, n) in SIDES,
}


# --- reading -------------------------------------------------------------------------------------
@dataclass
class AgreementView:
    """Everything the agreement page shows, for one actor."""

    negotiation: Negotiation
    side: str
    agreement: Agreement | None = None
    versions: list[AgreementVersion] = field(default_factory=list)
    approvals: list[AgreementApproval] = field(default_factory=list)
    comments: list[AgreementComment] = field(default_factory=list)
    signed: SignedCopy | None = None

    @property
    def latest(self) -> AgreementVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def content(self) -> dict | None:
        return self.latest.content if self.latest else None

    def approved_sides(self, number: int | None = None) -> set[str]:
        number = number or (self.latest.number if self.latest else None)
        return {a.side for a in self.approvals if a.number == number}

    @property
    def can_edit(self) -> bool:
        return (self.side == MEDIATOR and self.agreement is not None
                and self.agreement.status == A.Status.DRAFTING)

    @property
    def can_approve(self) -> bool:
        return (self.side in SIDES and self.agreement is not None
                and self.agreement.status == A.Status.DRAFTING
                and self.side not in self.approved_sides())


def negotiation_for(session: Session, actor, negotiation_id: int) -> Negotiation:
    return nrecords.get_negotiation(session, actor, negotiation_id)


def agreement_of(session, negotiation) -> Agreement | None:
    return session.scalar(select(Agreement).where(Agreement.negotiation_id == negotiation.id))


def for_system(session: Session, negotiation_id: int
               ) -> tuple[Negotiation, SignedCopy | None, AgreementVersion]:
    """For the command line (full rights): the negotiation, its signed copy if any, and the text
    to print, which is the signed version or else the latest draft."""
    negotiation = session.get(Negotiation, negotiation_id)
    agreement = agreement_of(session, negotiation) if negotiation else None
    if agreement is None:
        raise NotFound("agreement")
    signed = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    number = signed.number if signed is not None else agreement.latest_number
    row = session.scalar(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id, AgreementVersion.number == number))
    return negotiation, signed, row


def view(session: Session, actor, negotiation_id: int) -> AgreementView:
    """The agreement of a negotiation as ``actor`` sees it (``agreement`` None if not built)."""
    negotiation = negotiation_for(session, actor, negotiation_id)
    require(actor, "agreement.view", negotiation)
    out = AgreementView(negotiation=negotiation, side=access.side_of(actor, negotiation))
    agreement = agreement_of(session, negotiation)
    if agreement is None:
        return out
    out.agreement = agreement
    out.versions = list(session.scalars(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id).order_by(AgreementVersion.number)))
    out.approvals = list(session.scalars(select(AgreementApproval).where(
        AgreementApproval.agreement_id == agreement.id).order_by(AgreementApproval.id)))
    out.comments = list(session.scalars(select(AgreementComment).where(
        AgreementComment.agreement_id == agreement.id).order_by(AgreementComment.id)))
    out.signed = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    return out


@dataclass(frozen=True)
class Waiting:
    """An agreement waiting for the actor's side (the dashboard's to-do), without its text.

    ``reason``: ``"approve"`` (the side has not approved the latest version), ``"freeze"``
    (mediator: both sides approved it) or ``"sign"`` (mediator: frozen for the workers' vote).
    """

    negotiation: Negotiation
    side: str
    status: str
    number: int
    title_zh: str
    title_en: str
    reason: str


@functools.cache
def _waiting_query():
    """The statement of ``waiting`` (built once: building it costs more than running it)."""
    approvals = [aliased(AgreementApproval) for _side in SIDES]  # of the latest version
    query = (
        select(Negotiation, Agreement.status, Agreement.latest_number,
               AgreementVersion.content["title_zh"].as_string(),
               AgreementVersion.content["title_en"].as_string(),
               *(a.id for a in approvals))
        .join(Agreement, Agreement.negotiation_id == Negotiation.id)
        .join(AgreementVersion, (AgreementVersion.agreement_id == Agreement.id)
              & (AgreementVersion.number == Agreement.latest_number))
        .where(Negotiation.has_party(bindparam("org")))
        .where(Agreement.status.in_((A.Status.DRAFTING.value, A.Status.FROZEN.value)))
        .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc()))
    for side, a in zip(SIDES, approvals):
        query = query.outerjoin(a, (a.agreement_id == Agreement.id)
                                & (a.number == Agreement.latest_number) & (a.side == side))
    return query


def waiting(session: Session, actor) -> list[Waiting]:
    """Agreements of the actor's negotiations that wait for the actor's side, in the order of
    ``negotiations_for``: the to-do ``view`` would give per negotiation, in one query that
    reads the titles of the latest versions but not their whole text."""
    if not getattr(actor, "is_active", False):
        return []
    result = session.execute(_waiting_query(), {"org": actor.organisation_id})
    rows = []
    for negotiation, status, number, title_zh, title_en, *approved_ids in result:
        side = access.side_of(actor, negotiation)
        approved = {s for s, a in zip(SIDES, approved_ids) if a is not None}
        if side in SIDES and status == A.Status.DRAFTING and side not in approved:
            reason = "approve"
        elif side == MEDIATOR and status == A.Status.DRAFTING and len(approved) == 2:
            reason = "freeze"
        elif side == MEDIATOR and status == A.Status.FROZEN:
            reason = "sign"
        else:
            continue
        rows.append(Waiting(negotiation, side, status, number, title_zh or "", title_en or "",
                            reason))
    return rows


def version(session: Session, actor, negotiation_id: int, number: Any) -> AgreementVersion:
    v = view(session, actor, negotiation_id)
    for row in v.versions:
        if str(row.number) == str(number).strip():
            return row
    raise NotFound("agreement version")


def redline(session: Session, actor, negotiation_id: int, old: Any, new: Any) -> dict:
    """Redline between versions ``old`` and ``new`` (numbers)."""
    a = version(session, actor, negotiation_id, old)
    b = version(session, actor, negotiation_id, new)
    return {"old": a, "new": b, **versions.redline(a.content, b.content)}


def candidate_offers(session: Session, actor, negotiation: Negotiation) -> list[Offer]:
    """Sent offers the agreement may be built from (the accepted one first, if any)."""
    offers = list(reversed(offer_service.sent_offers(session, negotiation)))
    accepted = offer_service.accepted_offer(session, negotiation)
    if accepted is not None:
        offers = [accepted] + [o for o in offers if o.id != accepted.id]
    return offers


def with_agreement(session, actor, negotiation_id) -> AgreementView:
    """The view of a negotiation that has an agreement (NotFound otherwise)."""
    v = view(session, actor, negotiation_id)
    if v.agreement is None:
        raise NotFound("agreement")
    return v
