"""Audited changes to the ledger: items, their steps and evidence.

Every function takes the session, the acting user and ``now`` (an aware UTC datetime); it checks
access, validates, writes the record, its history row and an audit entry, as one unit of work
(``db.atomic``). Bad input raises :class:`ValidationError` before anything is written.
"""
from __future__ import annotations

import functools
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.models import Organisation, OrgKind
from app.auth.permissions import can, require
from app.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationError
from app.ids import parse_id
from app.ledger import access
from app.ledger import layoff as layoff_rules
from app.ledger.evidence import MAX_FILE_BYTES, Upload, validate_upload  # noqa: F401
from app.ledger.items import ItemAction, ItemStatus, Source, next_status
from app.ledger.models import LayoffPlan, LedgerEvidence, LedgerHistory, LedgerItem
from app.negotiations.models import EMPLOYER, Negotiation

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
TITLE_MAX = 300
RESPONSIBLE_MAX = 100
NOTE_MAX = 5000
STANDARD_KEY_MAX = 80
# What the ledger shows of an item (``LedgerItem.standing``).
STANDINGS = ("open", "in_progress", "closed", "overdue")


def local_date(now: datetime) -> date:
    """The calendar date in Asia/Shanghai at ``now``."""
    return now.astimezone(LOCAL_ZONE).date()


def parse_date(text, field: str, errors: dict) -> date | None:
    if isinstance(text, date):
        return text
    text = (text or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field] = "Enter a date as YYYY-MM-DD."
        return None


# -- reading ---------------------------------------------------------------------------------

def enterprises_for(session: Session, actor) -> list[Organisation]:
    """Platforms and labour partner companies the actor may manage (mediator's region)."""
    query = select(Organisation).where(Organisation.kind.in_(access.ENTERPRISE_KINDS),
                                       Organisation.is_active.is_(True))
    return [o for o in session.scalars(query.order_by(Organisation.name))
            if can(actor, "ledger.manage", o)]


@functools.cache
def _enterprises_query():
    """Every platform and labour partner company (built once: building costs more than running)."""
    return select(Organisation).where(Organisation.kind.in_(access.ENTERPRISE_KINDS))


def visible_enterprise_ids(session: Session, actor) -> set[int] | None:
    """Enterprises whose records the actor sees by region or ownership; None means all."""
    if actor.is_site_admin:
        return None
    if access.is_mediator(actor):
        return {o.id for o in session.scalars(_enterprises_query())
                if access.in_region(actor, o)}
    if actor.organisation.kind in access.ENTERPRISE_KINDS:
        return {actor.organisation_id}
    return set()


def visible_items(session: Session, actor, *, today: date, status: str | None = None,
                  enterprise_id: int | None = None) -> list[LedgerItem]:
    """Items the actor may see, overdue first, then by deadline. ``status`` may be ``overdue``."""
    require(actor, "ledger.list")
    query = select(LedgerItem)
    ids = visible_enterprise_ids(session, actor)
    if ids is not None and actor.organisation.kind is not OrgKind.union:
        query = query.where(LedgerItem.enterprise_id.in_(ids or {-1}))
    elif ids is not None:
        query = query.where(LedgerItem.negotiation_id.is_not(None))
    if enterprise_id is not None:
        query = query.where(LedgerItem.enterprise_id == enterprise_id)
    if status == "overdue":
        query = query.where(LedgerItem.status != ItemStatus.CLOSED, LedgerItem.deadline < today)
    elif status in {s.value for s in ItemStatus}:
        query = query.where(LedgerItem.status == ItemStatus(status))
    items = [i for i in session.scalars(query.order_by(LedgerItem.deadline, LedgerItem.id))
             if can(actor, "ledger.view", i)]
    items.sort(key=lambda i: (i.standing(today) != "overdue", i.status is ItemStatus.CLOSED,
                              i.deadline, i.id))
    return items


@functools.cache
def _summary_queries(restricted: bool) -> tuple:
    """The statements of ``dashboard_summary`` (built once: building them costs more than
    running them): items counted by status and by lateness, the urgent open items, and the
    lay-off plans' dates; ``restricted`` to the enterprises in the ``ids`` parameter."""
    def visible(query, column):
        return query.where(column.in_(bindparam("ids", expanding=True))) if restricted else query
    late = func.sum(case((LedgerItem.deadline < bindparam("today"), 1), else_=0))
    counting = visible(select(LedgerItem.status, func.count(), late), LedgerItem.enterprise_id
                       ).group_by(LedgerItem.status)
    # Open items that are overdue have the earliest deadlines, so deadline order is the
    # list's order (overdue first, then by deadline).
    urgent = visible(select(LedgerItem).where(LedgerItem.status != ItemStatus.CLOSED),
                     LedgerItem.enterprise_id).order_by(
        LedgerItem.deadline, LedgerItem.id).limit(bindparam("urgent"))
    plans = visible(select(LayoffPlan.layoff_on, LayoffPlan.workers_affected,
                           LayoffPlan.workforce, LayoffPlan.union_told_on,
                           LayoffPlan.reported_on), LayoffPlan.enterprise_id)
    return counting, urgent, plans


def dashboard_summary(session: Session, actor, *, today: date, urgent: int = 4) -> dict:
    """What the dashboard shows of the ledger, counted in the database rather than by loading
    every visible item: ``counts`` by standing, the ``urgent`` open items (overdue first, then
    by deadline, as ``visible_items`` orders them), and ``flagged_layoffs``, the number of
    visible lay-off plans the 30-day notice rule flags. Same results as filtering
    ``visible_items`` and ``screening.visible_layoffs``."""
    require(actor, "ledger.list")
    require(actor, "layoff.list")
    ids = visible_enterprise_ids(session, actor)
    counting, urgent_items, plans = _summary_queries(ids is not None)
    params = {"today": today, "urgent": urgent, "ids": sorted(ids or {-1})}
    if ids is not None and actor.organisation.kind is OrgKind.union:
        # A union's items are checked one by one against its negotiations.
        items = visible_items(session, actor, today=today)
        counts = {s: sum(1 for i in items if i.standing(today) == s) for s in STANDINGS}
        top = [i for i in items if i.status is not ItemStatus.CLOSED][:urgent]
    else:
        counts = dict.fromkeys(STANDINGS, 0)
        for status, n, n_late in session.execute(counting, params):
            status = ItemStatus(status)
            if status is not ItemStatus.CLOSED:
                counts["overdue"] += n_late or 0
                n -= n_late or 0
            counts[status.value] += n
        top = list(session.scalars(urgent_items, params))
    flagged = sum(1 for row in session.execute(plans, params)
                  if layoff_rules.check(*row).flagged)
    return {"counts": counts, "urgent": top, "flagged_layoffs": flagged}


def get_item(session: Session, actor, item_id: int, action: str = "ledger.view") -> LedgerItem:
    """The item; 404 if missing or not visible, 403 if visible but ``action`` is refused."""
    item = session.get(LedgerItem, item_id)
    if item is None or not can(actor, "ledger.view", item):
        raise NotFound(item_id)
    require(actor, action, item)
    return item


# -- writing ---------------------------------------------------------------------------------

def _history(session, item, actor, action, *, now, from_status=None, to_status=None,
             note="", changes=None) -> None:
    session.add(LedgerHistory(
        item=item, at=now, actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "system", action=action,
        from_status=from_status, to_status=to_status, note=note, changes=changes))


def enterprise_for(session, actor, enterprise_id, errors) -> Organisation | None:
    try:
        ent = session.get(Organisation, parse_id(enterprise_id) or 0)
    except (TypeError, ValueError):
        ent = None
    if ent is None or ent.kind not in access.ENTERPRISE_KINDS:
        errors["enterprise_id"] = "Choose a platform or labour partner company."
        return None
    if not can(actor, "ledger.manage", ent):
        raise PermissionDenied("ledger.manage")
    return ent


def _text(data, name, limit, errors, *, required=True) -> str:
    value = (data.get(name) or "").strip()
    if required and not value:
        errors[name] = "This field is required."
    elif len(value) > limit:
        errors[name] = "This text is too long."
    return value


def _may_follow_up(session: Session, actor, negotiation_id: int, enterprise) -> bool:
    """The negotiation exists, the actor's organisation is party to it (or the actor is a site
    administrator), and ``enterprise`` is on its employer side: only then may an item of the
    enterprise name it (the negotiation's union then sees the item)."""
    negotiation = session.get(Negotiation, negotiation_id)
    if negotiation is None or enterprise.id not in negotiation.side_org_ids(EMPLOYER):
        return False
    return actor.is_site_admin or actor.organisation_id in negotiation.party_org_ids()


@atomic
def create_item(session: Session, actor, data: dict, *, now: datetime,
                screening=None) -> LedgerItem:
    """Open an item: ``enterprise_id``, ``title``, ``responsible``, ``deadline`` (YYYY-MM-DD),
    optional ``detail``, ``source`` (manual/agreement), ``negotiation_id``, ``standard_key``."""
    errors: dict[str, str] = {}
    enterprise = enterprise_for(session, actor, data.get("enterprise_id"), errors)
    title = _text(data, "title", TITLE_MAX, errors)
    responsible = _text(data, "responsible", RESPONSIBLE_MAX, errors)
    detail = _text(data, "detail", NOTE_MAX, errors, required=False)
    deadline = parse_date(data.get("deadline"), "deadline", errors)
    today = local_date(now)
    if deadline is None and "deadline" not in errors:
        errors["deadline"] = "This field is required."
    elif deadline is not None and deadline < today:
        errors["deadline"] = "The deadline cannot be in the past."
    source = Source.SCREENING if screening is not None else data.get("source") or Source.MANUAL
    if source not in {s.value for s in Source}:
        errors["source"] = "Choose where the item comes from."
    negotiation_id = None
    standard_key = _text(data, "standard_key", STANDARD_KEY_MAX, errors, required=False) or None
    raw_negotiation = str(data.get("negotiation_id") or "").strip()
    if raw_negotiation:
        if parse_id(raw_negotiation):
            negotiation_id = parse_id(raw_negotiation)
        else:
            errors["negotiation_id"] = "Enter the negotiation's number."
    if negotiation_id is not None and enterprise is not None \
            and not _may_follow_up(session, actor, negotiation_id, enterprise):
        errors["negotiation_id"] = ("Name a negotiation your organisation is party to, with "
                                    "this enterprise on the employer side.")
    if source == Source.AGREEMENT.value:
        if negotiation_id is None and "negotiation_id" not in errors:
            errors["negotiation_id"] = "An item from an agreement names its negotiation."
        if not standard_key:
            errors["standard_key"] = "An item from an agreement names the standard."
    if errors:
        raise ValidationError(errors)
    item = LedgerItem(enterprise=enterprise, title=title, detail=detail, source=Source(source),
                      screening=screening, negotiation_id=negotiation_id,
                      standard_key=standard_key, responsible=responsible, deadline=deadline,
                      status=ItemStatus.OPEN, opened_on=today, created_by_id=actor.id,
                      created_at=now, updated_at=now)
    session.add(item)
    session.flush()
    _history(session, item, actor, "created", now=now, to_status=ItemStatus.OPEN.value)
    audit.record(session, actor=actor, action="ledger.create", target_type="ledger_item",
                 target_id=item.id, after=item.snapshot(), now=now)
    session.flush()
    return item


def _check_version(item, version) -> None:
    if version is not None and str(version).strip() and str(item.version) != str(version).strip():
        raise Conflict()


def _evidence(session, actor, item, note: str, upload: Upload | None, now, errors):
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = "This text is too long."
    meta = validate_upload(upload, errors)
    if not note and meta is None and "file" not in errors:
        errors["note"] = "Write a note or attach a file."
    if errors:
        return None
    evidence = LedgerEvidence(item=item, note=note, added_by_id=actor.id, added_at=now)
    if meta is not None:
        evidence.filename, evidence.content_type = meta
        evidence.data, evidence.size = upload.data, len(upload.data)
    session.add(evidence)
    return evidence


@atomic
def add_evidence(session: Session, actor, item_id: int, *, note: str = "",
                 upload: Upload | None = None, now: datetime) -> LedgerEvidence:
    item = get_item(session, actor, item_id, "ledger.evidence")
    errors: dict[str, str] = {}
    evidence = _evidence(session, actor, item, note, upload, now, errors)
    if errors:
        raise ValidationError(errors)
    session.flush()
    _history(session, item, actor, "evidence", now=now, note=evidence.note,
             changes={"evidence_id": evidence.id, "filename": evidence.filename})
    audit.record(session, actor=actor, action="ledger.evidence", target_type="ledger_item",
                 target_id=item.id, after=evidence.snapshot(), now=now)
    session.flush()
    return evidence


@atomic
def step(session: Session, actor, item_id: int, action: str, *, now: datetime,
         note: str = "", upload: Upload | None = None, version=None) -> LedgerItem:
    """Start, close or reopen an item. Closing takes a note and/or file as evidence, unless the
    item has evidence already; reopening needs a note saying why."""
    try:
        action = ItemAction(action)
    except ValueError:
        raise NotFound(action)
    item = get_item(session, actor, item_id, f"ledger.{action.value}")
    _check_version(item, version)
    errors: dict[str, str] = {}
    evidence = None
    if action is ItemAction.CLOSE and (note.strip() or (upload and upload.filename)
                                       or not item.evidence):
        evidence = _evidence(session, actor, item, note, upload, now, errors)
    elif action is ItemAction.REOPEN and not note.strip():
        errors["note"] = "Say why the item is reopened."
    elif len(note) > NOTE_MAX:
        errors["note"] = "This text is too long."
    if errors:
        if evidence is not None:
            session.expunge(evidence)
        raise ValidationError(errors)
    before = item.snapshot()
    target = next_status(item.status, action,
                         evidence_count=len(item.evidence) + (evidence is not None))
    old = item.status
    item.status = target
    item.closed_on = local_date(now) if target is ItemStatus.CLOSED else None
    item.updated_at = now
    session.flush()
    _history(session, item, actor, {"start": "started", "close": "closed",
                                    "reopen": "reopened"}[action.value],
             now=now, from_status=old.value, to_status=target.value, note=note.strip(),
             changes={"evidence_id": evidence.id} if evidence is not None else None)
    audit.record(session, actor=actor, action=f"ledger.{action.value}", target_type="ledger_item",
                 target_id=item.id, before=before, after=item.snapshot(), now=now)
    session.flush()
    return item


@atomic
def edit_item(session: Session, actor, item_id: int, data: dict, *, now: datetime,
              version=None) -> LedgerItem:
    """Change the title, person responsible, deadline or detail of an item not yet closed."""
    item = get_item(session, actor, item_id, "ledger.edit")
    _check_version(item, version)
    if item.status is ItemStatus.CLOSED:
        raise IllegalTransition("A closed item cannot be changed; reopen it first.")
    errors: dict[str, str] = {}
    title = _text(data, "title", TITLE_MAX, errors)
    responsible = _text(data, "responsible", RESPONSIBLE_MAX, errors)
    detail = _text(data, "detail", NOTE_MAX, errors, required=False)
    deadline = parse_date(data.get("deadline"), "deadline", errors)
    if deadline is None and "deadline" not in errors:
        errors["deadline"] = "This field is required."
    if errors:
        raise ValidationError(errors)
    before = item.snapshot()
    item.title, item.responsible, item.detail, item.deadline = title, responsible, detail, deadline
    changes = {k: [before[k], v] for k, v in item.snapshot().items() if before[k] != v}
    if not changes:
        return item
    item.updated_at = now
    session.flush()
    _history(session, item, actor, "edited", now=now, changes=changes)
    audit.record(session, actor=actor, action="ledger.edit", target_type="ledger_item",
                 target_id=item.id, before=before, after=item.snapshot(), now=now)
    session.flush()
    return item


def get_evidence(session: Session, actor, evidence_id: int) -> LedgerEvidence:
    evidence = session.get(LedgerEvidence, evidence_id)
    if evidence is None or not can(actor, "ledger.view", evidence.item):
        raise NotFound(evidence_id)
    return evidence


def overdue_count(session: Session, actor, today: date) -> int:
    return sum(1 for i in visible_items(session, actor, today=today, status="overdue"))


__all__ = ["Upload", "local_date", "visible_items", "get_item", "create_item", "add_evidence",
           "step", "edit_item", "enterprises_for", "get_evidence"]
