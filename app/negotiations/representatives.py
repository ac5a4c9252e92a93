"""The representatives of each side (第十九条–第二十四条): who speaks for whom, the chief
representative, delegations, and vacating a seat. Writes follow ``service``'s rules.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.errors import Msg, NotFound, PermissionDenied
from app.auth.permissions import require
from app.db import atomic
from app.ids import parse_id

from . import fields, rules, workflow
from .models import EMPLOYER, SIDES, WORKER, Meeting, Negotiation, Representative
from .workflow import Event as E
from .records import (actor_side, audit_change, get_negotiation, local_today, record_event)


# --- representatives -----------------------------------------------------------------------------
def representatives(session: Session, negotiation: Negotiation) -> list[Representative]:
    return list(session.scalars(_representatives_query(), {"negotiation_id": negotiation.id}))


@functools.cache
def _representatives_query():
    return select(Representative).where(
        Representative.negotiation_id == bindparam("negotiation_id")).order_by(
        Representative.side.desc(), Representative.is_chief.desc(), Representative.id)


def delegation_problems(session: Session, negotiation: Negotiation,
                        reps: list[Representative] | None = None) -> list[str]:
    """``rules.check_delegations`` on the active representatives of both sides (``reps``: the
    negotiation's representatives if already loaded)."""
    if reps is None:
        reps = representatives(session, negotiation)
    active = [r for r in reps if r.active]

    def side(name):
        return [rules.Representative(r.name, r.is_chief, r.is_outside_expert, r.person_id)
                for r in active if r.side == name]
    return rules.check_delegations(side(WORKER), side(EMPLOYER))


@atomic
def add_representative(session: Session, actor, negotiation_id: int, form: Mapping, *,
                       now: dt.datetime, check_only: bool = False) -> Representative:
    """Name a representative; a side names its own, the mediator records either side's.

    Rules checked at once: one chief per side, a chief is no outside expert, nobody on both
    sides, no one listed twice (第十九、二十三、二十四条). The numbers (at least 3, equal) are
    checked before the first meeting. ``replaces_id`` fills a vacated seat (第三十一条).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.representatives", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    side = str(form.get("side") or "").strip()
    if side not in SIDES:
        errors["side"] = Msg("Choose the worker side or the employer side")
    elif actor_side(actor, negotiation) in SIDES and actor_side(actor, negotiation) != side:
        errors["side"] = Msg("Each side appoints only its own representatives (Arts. 20, 21)")
    name = fields.text(form, "name", errors, required=True, max_len=100, label=Msg("the name"))
    is_chief = fields.boolean(form, "is_chief")
    is_expert = fields.boolean(form, "is_outside_expert")
    person_id = fields.text(form, "person_id", errors, max_len=64,
                            label=Msg("the identifier")) or None
    appointed_on = fields.date(form, "appointed_on", errors, default=today)
    fields.not_future(appointed_on, "appointed_on", today, errors)
    if is_chief and is_expert:
        errors["is_chief"] = Msg("An outside expert may not be chief representative (Art. 23)")
    active = [r for r in representatives(session, negotiation) if r.active]
    replaces = None
    raw_replaces = str(form.get("replaces_id") or "").strip()
    if raw_replaces:
        replaces = (session.get(Representative, pid) if (pid := parse_id(raw_replaces))
                    else None)
        if replaces is None or replaces.negotiation_id != negotiation.id or replaces.active \
                or replaces.side != side:
            errors["replaces_id"] = Msg("Choose a vacant seat of your side")
    if "side" not in errors and name:
        me = rules.Representative(name, is_chief, is_expert, person_id)
        for other in active:
            same = rules.Representative(other.name, False, False, other.person_id).identity() \
                == me.identity()
            if same and other.side == side:
                errors["name"] = Msg("%(name)s already represents your side", name=name)
            elif same:
                errors["name"] = Msg("%(name)s already represents the other side; nobody may "
                                     "represent both (Art. 24)", name=name)
        if is_chief and any(r.is_chief and r.side == side for r in active):
            errors["is_chief"] = Msg("Your side already has a chief representative; each side "
                                     "has one (Art. 19)")
    fields.raise_any(errors)
    if check_only:
        return None
    rep = Representative(negotiation_id=negotiation.id, side=side, name=name, is_chief=is_chief,
                         is_outside_expert=is_expert, person_id=person_id,
                         appointed_on=appointed_on, replaces_id=replaces.id if replaces else None)
    session.add(rep)
    session.flush()
    if replaces is not None:
        record_event(session, actor, negotiation, E.VACANCY_FILLED, appointed_on,
                     {"seat": str(replaces.id), "representative_id": rep.id}, now=now)
    audit_change(session, actor, negotiation, "representative.add",
                 after={"id": rep.id, **rep.snapshot()}, now=now)
    return rep


@atomic
def vacate_representative(session: Session, actor, negotiation_id: int, representative_id: int,
                          form: Mapping, *, now: dt.datetime,
                          check_only: bool = False) -> Representative:
    """Record that a seat fell vacant on ``on``; it must be filled within 15 days (第三十一条)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.representatives", negotiation)
    rep = session.get(Representative, representative_id)
    if rep is None or rep.negotiation_id != negotiation.id:
        raise NotFound("representative")
    errors: dict[str, str] = {}
    today = local_today(now)
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    reason = fields.text(form, "reason", errors, required=True,
                         label=Msg("the reason for the vacancy"))
    if not rep.active:
        errors["on"] = Msg("That seat is already vacant")
    side = actor_side(actor, negotiation)
    if side in SIDES and side != rep.side:
        raise PermissionDenied("negotiation.representatives")
    fields.raise_any(errors)
    if check_only:
        return None
    before = rep.snapshot()
    rep.vacated_on, rep.vacancy_reason = on, reason
    if negotiation.state not in {s.value for s in workflow.TERMINAL_STATES}:
        record_event(session, actor, negotiation, E.VACANCY_AROSE, on,
                     {"seat": str(rep.id), "reason": reason}, now=now)
    audit_change(session, actor, negotiation, "representative.vacate", before=before,
                 after=rep.snapshot(), now=now)
    return rep


def chief_representatives(session, negotiation) -> dict[str, Representative]:
    return {r.side: r for r in representatives(session, negotiation) if r.active and r.is_chief}


def chief_names(session: Session, negotiation: Negotiation) -> dict[str, str]:
    """Each side's chief representative's name (the signatories of the documents)."""
    return {side: rep.name for side, rep in chief_representatives(session, negotiation).items()}


def default_chair_side(session: Session, negotiation: Negotiation,
                       meetings: list[Meeting] | None = None) -> str:
    """The chiefs take turns to chair (第三十四条): the worker chief first, then alternately.
    ``meetings``: the negotiation's meetings if already loaded (any order)."""
    if meetings is not None:
        last = max(meetings, key=lambda m: m.number, default=None)
    else:
        last = session.scalar(select(Meeting).where(Meeting.negotiation_id == negotiation.id)
                              .order_by(Meeting.number.desc()).limit(1))
    if last is None:
        return WORKER
    return EMPLOYER if last.chair_side == WORKER else WORKER
