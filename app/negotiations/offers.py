"""Offers (要约) and replies: drafts, sending, withdrawing a draft, the reply within the legal
period, and which offers each side may see. Writes follow ``service``'s rules.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, defer

from app.errors import Conflict, IllegalTransition, Msg, NotFound, PermissionDenied
from app.auth.permissions import can, require
from app.db import atomic

from . import fields, terms as terms_mod
from .models import Negotiation, Offer, ProcedureStep
from .workflow import Event as E, State as S
from .records import (actor_side, audit_change, get_negotiation, local_today, record_event,
                      step_rows)


# --- offers --------------------------------------------------------------------------------------
def offers(session: Session, actor, negotiation: Negotiation, *,
           with_snapshots: bool = True) -> list[Offer]:
    """Offers the actor may see (drafts only of the actor's own side), in the order made.

    Without ``with_snapshots`` the large ``snapshot`` is loaded only if read (see
    ``offers_with_results`` for the part the negotiation page shows).
    """
    query = select(Offer).where(Offer.negotiation_id == negotiation.id) \
        .order_by(Offer.sent_at.is_(None), Offer.sent_at, Offer.id)
    if not with_snapshots:
        query = query.options(defer(Offer.snapshot))
    rows = session.scalars(query).all()
    side = actor_side(actor, negotiation)
    return [o for o in rows if _may_see(o, side)]


#: The statuses of an offer that was sent: the only offers another organisation ever sees.
SENT_STATUSES = ("sent", "superseded")


def _may_see(offer: Offer, side: str | None) -> bool:
    """Sent offers; drafts and withdrawn drafts (never sent) only by the actor's own side."""
    return offer.status in SENT_STATUSES or offer.side == side


def offers_with_results(session: Session, actor, negotiation: Negotiation
                        ) -> tuple[list[Offer], dict[int, Any]]:
    """``offers`` (without their snapshots) and by id the part of each one's
    ``snapshot["results"]`` that the negotiation page shows (the values at the paths of
    ``terms.RESULT_ROWS``, those that are set; None if none is), each read in the database in the
    same query: neither the scenario the offer was tested in nor the rest of its results (some
    kilobytes of JSON per offer) is decoded for the page."""
    paths = _RESULT_PATHS
    rows = session.execute(_offers_results_query(), {"negotiation_id": negotiation.id}).all()
    side = actor_side(actor, negotiation)
    visible = [row for row in rows if _may_see(row[0], side)]
    return ([row[0] for row in visible],
            {row[0].id: _nested(paths, row[1:], skip=1) for row in visible})


_RESULT_PATHS = [("results", *row[1]) for row in terms_mod.RESULT_ROWS]


@functools.cache
def _offers_results_query():
    return (select(Offer, *(Offer.snapshot[path] for path in _RESULT_PATHS))
            .where(Offer.negotiation_id == bindparam("negotiation_id"))
            .options(defer(Offer.snapshot))
            .order_by(Offer.sent_at.is_(None), Offer.sent_at, Offer.id))


def _nested(paths: list[tuple[str, ...]], values, *, skip: int = 0) -> dict | None:
    """The dict holding each value that is not None at its path (less its first ``skip``
    keys), or None if every value is None."""
    out: dict = {}
    for path, value in zip(paths, values):
        if value is None:
            continue
        node = out
        for key in path[skip:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out or None


def sent_offers(session: Session, negotiation: Negotiation) -> list[Offer]:
    """Every offer sent in the negotiation (any side), in the order sent."""
    return list(session.scalars(select(Offer).where(
        Offer.negotiation_id == negotiation.id, Offer.status.in_(("sent", "superseded")))
        .order_by(Offer.sent_at, Offer.id)))


def accepted_offer(session: Session, negotiation: Negotiation,
                   rows: list[ProcedureStep] | None = None) -> Offer | None:
    """The offer whose terms the agreed draft carries (the ``offer_id`` of the last
    AGREE_DRAFT step), or None before a draft is agreed. Its ``terms`` are the agreed terms.
    ``rows``: the effective step rows (``step_rows``) if already loaded."""
    if rows is None:
        rows = step_rows(session, negotiation)
    for row in reversed(rows):
        if row.event == E.AGREE_DRAFT.value and row.data.get("offer_id"):
            return session.get(Offer, row.data["offer_id"])
    return None


def agreed_terms(session: Session, negotiation: Negotiation) -> dict | None:
    """The package of terms of the agreed draft, or None (see ``accepted_offer``)."""
    offer = accepted_offer(session, negotiation)
    return dict(offer.terms) if offer else None


def _pending_offer_side(session: Session, negotiation: Negotiation) -> str | None:
    return pending_offer_side(step_rows(session, negotiation))


def pending_offer_side(rows: Iterable[ProcedureStep]) -> str | None:
    """The side of the last written offer (SEND_OFFER) in the effective step rows, or None."""
    for row in reversed(list(rows)):
        if row.event == E.SEND_OFFER.value:
            return row.data.get("side")
    return None


@atomic
def save_offer_draft(session: Session, actor, negotiation_id: int, form: Mapping, *,
                     now: dt.datetime,
                     check_only: bool = False, offer_id: int | None = None) -> Offer:
    """Create or change a draft offer of the actor's side; only that side sees it."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.offer", negotiation)
    side = actor_side(actor, negotiation)
    errors: dict[str, str] = {}
    terms = terms_mod.parse_terms(form, negotiation.current_rules, errors)
    rationale = fields.text(form, "rationale", errors, max_len=5000, label=Msg("the reason"))
    fields.raise_any(errors)
    if check_only:
        return None
    offer = _own_draft(session, actor, negotiation, offer_id) if offer_id else None
    _check_version(offer, form)
    before = offer.audit() if offer else None
    if offer is None:
        offer = Offer(negotiation_id=negotiation.id, side=side,
                      organisation_id=actor.organisation_id, terms=terms, rationale=rationale,
                      status="draft", created_by_id=actor.id, created_at=now)
        session.add(offer)
    else:
        offer.terms, offer.rationale = terms, rationale
    session.flush()
    audit_change(session, actor, negotiation, "offer.draft", before=before,
                 after={"offer_id": offer.id, **offer.audit()}, now=now)
    return offer


def _check_version(offer: Offer | None, form: Mapping) -> None:
    """A draft saved from a form loaded before someone else's save is refused, not merged."""
    sent = str(form.get("version") or "").strip()
    if offer is not None and sent and sent != str(offer.version):
        raise Conflict(Msg("Someone else changed this draft after you opened it; your changes "
                           "were not saved"))


def _own_draft(session, actor, negotiation, offer_id) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or offer.negotiation_id != negotiation.id \
            or not can(actor, "offer.view", (offer, negotiation)):
        raise NotFound("offer")
    if offer.status != "draft":
        raise IllegalTransition(Msg("An offer that was sent cannot be changed; make a new "
                                    "counter-offer instead"))
    if offer.side != actor_side(actor, negotiation):
        raise PermissionDenied("negotiation.offer")
    return offer


@atomic
def send_offer(session: Session, actor, negotiation_id: int, form: Mapping, *,
               now: dt.datetime,
               check_only: bool = False, offer_id: int | None = None, scenario: dict | None = None,
               results: dict | None = None) -> Offer:
    """Send the actor's side's offer (要约) or counter-offer (反要约) in writing.

    The first offer (state preparing or refused) is SEND_OFFER; the other side's answer while
    it awaits a reply, or any offer in consultation, is COUNTER_OFFER. The side's previous sent
    offer becomes ``superseded``. ``snapshot`` keeps the terms, today's rules, the scenario the
    package was tested in (given, or today's rules with the terms applied) and ``results``
    (given, or the package's effect against today's rules, ``terms.effect_results``).
    Form keys: ``terms.<PayRules field>``, ``rationale``, ``on`` (default today),
    ``received_on`` (default ``on``).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.offer", negotiation)
    side = actor_side(actor, negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    terms = terms_mod.parse_terms(form, negotiation.current_rules, errors)
    rationale = fields.text(form, "rationale", errors, max_len=5000, label=Msg("the reason"))
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    received_on = fields.date(form, "received_on", errors, required=False, default=on)
    fields.not_future(received_on, "received_on", today, errors)
    if on and received_on and received_on < on:
        errors["received_on"] = Msg("The other side cannot have received it before it was sent")
    fields.raise_any(errors)
    if check_only:
        return None
    state = S(negotiation.state)
    if state in (S.PREPARING, S.REFUSED):
        event = E.SEND_OFFER
    else:
        event = E.COUNTER_OFFER
        if state == S.OFFER_SENT and _pending_offer_side(session, negotiation) == side:
            raise IllegalTransition(Msg("Your side has sent an offer and waits for the other "
                                        "side's written reply (Art. 32)"),
                                    state=state, event=event)
    previous = [o for o in sent_offers(session, negotiation) if o.side == side]
    offer = _own_draft(session, actor, negotiation, offer_id) if offer_id else None
    _check_version(offer, form)
    if offer is None:
        offer = Offer(negotiation_id=negotiation.id, side=side,
                      organisation_id=actor.organisation_id, created_by_id=actor.id,
                      created_at=now, status="draft", terms=terms)
        session.add(offer)
    offer.terms, offer.rationale = terms, rationale
    offer.round = len(previous) + 1
    offer.status, offer.sent_at, offer.sent_on = "sent", now, on
    if scenario is None:
        scenario = terms_mod.apply_terms(negotiation.current_rules, terms)
    if results is None:
        results = terms_mod.effect_results(scenario, negotiation.current_rules)
    offer.snapshot = {
        "terms": terms, "current_rules": negotiation.current_rules, "scenario": scenario,
        "results": results, "seed": terms_mod.SNAPSHOT_SEED if results else None,
        "captured_at": now.isoformat(),
    }
    session.flush()
    data = {"side": side, "offer_id": offer.id, "round": offer.round, "in_writing": True}
    if event == E.SEND_OFFER:
        data["received_on"] = received_on
    step = record_event(session, actor, negotiation, event, on, data, now=now)
    offer.step_id = step.id
    for old in previous:
        if old.status == "sent":
            old.status = "superseded"
    audit_change(session, actor, negotiation, "offer.send", after={"offer_id": offer.id,
                                                                   **offer.audit()}, now=now)
    return offer


@atomic
def withdraw_offer_draft(session: Session, actor, negotiation_id: int, offer_id: int, *,
                         now: dt.datetime) -> Offer:
    """Withdraw (discard) a draft of the actor's side; it stays in the record as withdrawn."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    offer = _own_draft(session, actor, negotiation, offer_id)
    offer.status = "withdrawn"
    audit_change(session, actor, negotiation, "offer.withdraw", after={"offer_id": offer.id},
                 now=now)
    return offer


@atomic
def reply_to_offer(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime, check_only: bool = False) -> ProcedureStep:
    """The written reply of the side that received the offer: ``answer`` accept or refuse.

    A refusal should state a reason; without one it is recorded but flagged (第三十二条).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.reply", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    answer = str(form.get("answer") or "").strip()
    if answer not in ("accept", "refuse"):
        errors["answer"] = Msg("Choose to accept or to refuse the consultation")
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    reason = fields.text(form, "reason", errors, max_len=2000, label=Msg("the reason"))
    fields.raise_any(errors)
    if check_only:
        return None
    if negotiation.state == S.OFFER_SENT.value \
            and _pending_offer_side(session, negotiation) == actor_side(actor, negotiation):
        raise PermissionDenied(Msg("The offer is answered by the side that received it"))
    event = E.ACCEPT if answer == "accept" else E.REFUSE
    step = record_event(session, actor, negotiation, event, on, {"reason": reason}, now=now)
    return step
