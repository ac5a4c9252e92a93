"""Negotiations as records: validate and create one, the actor's list and dashboard, notes.

The write side of the package is split by responsibility: this module, ``representatives``,
``offers`` and ``steps`` (meetings, votes, filing, the simple steps), all on ``records``
(loading with access, the step history, recording a step). They share these rules: each
function takes ``(session, actor, ..., now)``; validates (``ValidationError`` with Chinese
messages keyed by form field, nothing written), checks access (``PermissionDenied``; a
negotiation the actor may not see is ``NotFound``), runs the procedure through
``workflow.advance`` (``IllegalTransition``), writes the audit log and commits once.

Form-shaped input (``Mapping[str, str]``) is parsed in these modules (with :mod:`.fields`) so
that the web layer stays thin and the same messages appear beside the same fields in the inline
check and on submit.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from app import audit
from app.auth.models import Organisation, OrgKind, Sector
from app.auth.permissions import require
from app.db import atomic
from app.errors import Msg
from app.ids import parse_id

from . import variant_fields
from . import fields, floor, terms as terms_mod
from .models import Negotiation, Note, ProcedureStep
from .deadlines import deadlines, flags, next_deadline
from .workflow import State as S
from .records import (actor_side, audit_change, effective_rows, get_negotiation, local_today,
                      steps_of)


# --- negotiations --------------------------------------------------------------------------------
def _org(session, form, key, errors, kinds, *, required=True,
         label=Msg("the organisation")) -> Organisation | None:
    raw = str(form.get(key) or "").strip()
    if not raw:
        if required:
            errors[key] = Msg("Choose %(label)s", label=label)
        return None
    org = session.get(Organisation, pid) if (pid := parse_id(raw)) else None
    if org is None or org.kind not in kinds or not org.is_active:
        errors[key] = Msg("Choose a valid %(label)s", label=label)
        return None
    return org


def validate_negotiation(session: Session, actor, form: Mapping, *,
                         today: dt.date | None = None) -> dict:
    """Parse and check the new-negotiation form; ``ValidationError`` keyed by field. Without
    today's rules in the form, the sector's preset is tested against the minimum wage of the
    negotiation's place on ``today``."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "title": fields.text(form, "title", errors, required=True,
                             label=Msg("the name of the negotiation")),
        "worker_org": _org(session, form, "worker_org_id", errors, {OrgKind.union},
                           label=Msg("the workers' union")),
        "employer_org": _org(session, form, "employer_org_id", errors, {OrgKind.platform},
                             label=Msg("the platform enterprise")),
        "partner_org": _org(session, form, "partner_org_id", errors, {OrgKind.labour_partner},
                            required=False, label=Msg("the labour partner company")),
        "mediator_org": _org(session, form, "mediator_org_id", errors, {OrgKind.mediator},
                             required=False, label=Msg("the mediating body")),
        "province": fields.text(form, "province", errors, required=True, max_len=50,
                                label=Msg("the province")),
        "city": fields.text(form, "city", errors, required=True, max_len=50, label=Msg("the city")),
        "workers_covered": fields.text(form, "workers_covered", errors, required=True, max_len=2000,
                                 label=Msg("the workers covered")),
        "workers_count": fields.integer(form, "workers_count", errors, minimum=1),
    }
    out.update(variant_fields.parse(form, errors))
    sector = str(form.get("sector") or "").strip()
    if sector not in {s.value for s in Sector}:
        errors["sector"] = Msg("Choose the sector")
    out["sector"] = sector
    partner, employer = out["partner_org"], out["employer_org"]
    if partner and employer and partner.partner_of_id != employer.id:
        errors["partner_org_id"] = Msg("That labour partner company does not work with the "
                                       "chosen platform")
    chosen = {o.id for o in (out["worker_org"], employer, partner, out["mediator_org"]) if o}
    if actor is not None and "worker_org_id" not in errors and "employer_org_id" not in errors \
            and actor.organisation_id not in chosen:
        errors["worker_org_id"] = Msg("Your organisation must be a party to the consultation or "
                                      "its mediator")
    rules_json = form.get("current_rules")
    if isinstance(rules_json, str):
        rules_json = rules_json.strip() or None
        if rules_json is not None:
            import json
            try:
                rules_json = json.loads(rules_json)
            except ValueError:
                errors["current_rules"] = Msg("Today's rules must be a scenario in JSON")
                rules_json = None
    if rules_json is not None and "current_rules" not in errors:
        problem = terms_mod.check_scenario(rules_json)
        if problem:
            errors["current_rules"] = problem
    if rules_json is None and sector and "sector" not in errors:
        wage = floor.place_wage(session, out["province"], out["city"], today)[2] \
            if today and out["province"] else None
        rules_json = terms_mod.preset_rules(sector, wage)
    out["current_rules"] = rules_json
    fields.raise_any(errors)
    return out


@atomic
def create_negotiation(session: Session, actor, form: Mapping, *, now: dt.datetime,
                       check_only: bool = False) -> Negotiation | None:
    """Open a negotiation in state ``preparing``; the actor's organisation must take part.

    With ``check_only`` the form is only validated (for inline checks) and None is returned.
    """
    require(actor, "negotiation.create")
    data = validate_negotiation(session, actor, form, today=local_today(now))
    if check_only:
        return None
    negotiation = Negotiation(
        title=data["title"], worker_org=data["worker_org"], employer_org=data["employer_org"],
        partner_org=data["partner_org"], mediator_org=data["mediator_org"],
        sector=data["sector"], province=data["province"], city=data["city"],
        workers_covered=data["workers_covered"], workers_count=data["workers_count"],
        current_rules=data["current_rules"], state=S.PREPARING.value, created_by_id=actor.id,
        created_at=now, updated_at=now, variant=data["variant"],
        variant_version=data["variant_version"],
        representatives_paid=data["representatives_paid"])
    session.add(negotiation)
    session.flush()
    audit_change(session, actor, negotiation, "create", after=negotiation.snapshot(), now=now)
    return negotiation


def negotiations_for(session: Session, actor) -> list[Negotiation]:
    """Every negotiation the actor's organisation takes part in, newest first."""
    return list(session.scalars(_negotiations_for_query(), {"org": actor.organisation_id}))


@functools.cache
def _negotiations_for_query():
    return select(Negotiation).where(Negotiation.has_party(bindparam("org"))) \
        .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())


@functools.cache
def _steps_of_negotiations_query():
    # The columns the deadlines read, as rows (not entities: the dashboard reads every step of
    # every negotiation of the organisation on each view).
    return select(ProcedureStep.id, ProcedureStep.negotiation_id, ProcedureStep.event,
                  ProcedureStep.on, ProcedureStep.data, ProcedureStep.corrects_id).where(
        ProcedureStep.negotiation_id.in_(bindparam("ids", expanding=True)))


def dashboard(session: Session, actor, *, now: dt.datetime) -> list[dict]:
    """My organisation's negotiations, each with its next deadline and flags, most urgent first.

    Each row: ``negotiation``, ``side``, ``next_deadline`` (``deadlines.Deadline`` or None),
    ``flags`` (``deadlines.Flag`` list).
    """
    today = local_today(now)
    negotiations = negotiations_for(session, actor)
    recorded: dict[int, list] = {n.id: [] for n in negotiations}
    if negotiations:
        for row in session.execute(_steps_of_negotiations_query(), {"ids": list(recorded)}):
            recorded[row.negotiation_id].append(row)
    rows = []
    for negotiation in negotiations:
        steps = steps_of(effective_rows(recorded[negotiation.id]))
        dates = deadlines(steps, today, ruleset=negotiation.ruleset)
        rows.append({"negotiation": negotiation, "side": actor_side(actor, negotiation),
                     "next_deadline": next_deadline(dates),
                     "flags": flags(steps, today, dates=dates)})
    far = dt.date.max
    rows.sort(key=lambda r: (r["next_deadline"].due if r["next_deadline"] else far))
    return rows


# --- notes ---------------------------------------------------------------------------------------
@atomic
def add_note(session: Session, actor, negotiation_id: int, form: Mapping, *,
             now: dt.datetime, check_only: bool = False) -> Note:
    """A private note of the actor's organisation (not shown to anyone else)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.note", negotiation)
    errors: dict[str, str] = {}
    body = fields.text(form, "body", errors, required=True, max_len=5000, label=Msg("the note"))
    fields.raise_any(errors)
    if check_only:
        return None
    note = Note(negotiation_id=negotiation.id, organisation_id=actor.organisation_id,
                author_id=actor.id, body=body, created_at=now)
    session.add(note)
    session.flush()
    # The note's text stays out of the shared audit trail of the negotiation.
    audit.record(session, actor=actor, action="negotiation.note.add", target_type="note",
                 target_id=note.id, after={"negotiation_id": negotiation.id,
                                           "organisation_id": note.organisation_id}, now=now)
    return note


def notes(session: Session, actor, negotiation: Negotiation) -> list[Note]:
    """The notes of the actor's own organisation on ``negotiation``, newest first."""
    return list(session.scalars(_notes_query(), {"negotiation_id": negotiation.id,
                                                 "organisation_id": actor.organisation_id}))


@functools.cache
def _notes_query():
    return (select(Note).where(Note.negotiation_id == bindparam("negotiation_id"),
                               Note.organisation_id == bindparam("organisation_id"))
            .options(joinedload(Note.author)).order_by(Note.id.desc()))
