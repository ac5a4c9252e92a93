"""Audited risk screenings (entered or imported), items opened from them, and lay-off plans."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.models import Organisation
from app.errors import NotFound, PermissionDenied, ValidationError
from app.auth.permissions import can, require
from app.ids import parse_id
from app.ledger import access, importer, scoring
from app.ledger.items import Source
from app.ledger.models import LayoffPlan, LedgerItem, RiskScreening
from app.ledger.service import (enterprise_for, create_item, local_date, parse_date,
                                visible_enterprise_ids)

REASON_MAX = 2000
MAX_WORKERS = 10_000_000


def _store(session, actor, enterprise, screened_on, values, method, now) -> RiskScreening:
    result = scoring.score(values)
    screening = RiskScreening(
        enterprise=enterprise, screened_on=screened_on, indicators=values,
        points=result.points, grade=result.grade, reasons=[r.to_dict() for r in result.reasons],
        method=method, created_by_id=actor.id, created_at=now)
    session.add(screening)
    session.flush()
    audit.record(session, actor=actor, action="screening.create", target_type="risk_screening",
                 target_id=screening.id, after=screening.snapshot(), now=now)
    return screening


@atomic
def record_screening(session: Session, actor, data: dict, *, now: datetime) -> RiskScreening:
    """Score and store one screening: ``enterprise_id``, ``screened_on`` and indicator values."""
    errors: dict[str, str] = {}
    enterprise = enterprise_for(session, actor, data.get("enterprise_id"), errors)
    screened_on = parse_date(data.get("screened_on"), "screened_on", errors) or (
        None if "screened_on" in errors else local_date(now))
    if screened_on is not None and screened_on > local_date(now):
        errors["screened_on"] = "The screening date cannot be in the future."
    values, value_errors = scoring.validate(data)
    errors.update(value_errors)
    if errors:
        raise ValidationError(errors)
    screening = _store(session, actor, enterprise, screened_on, values, "form", now)
    session.flush()
    return screening


def get_screening(session: Session, actor, screening_id: int) -> RiskScreening:
    screening = session.get(RiskScreening, screening_id)
    if screening is None or not can(actor, "screening.view", screening):
        raise NotFound(screening_id)
    return screening


def visible_screenings(session: Session, actor, *, enterprise_id: int | None = None,
                       limit: int = 200) -> list[RiskScreening]:
    ids = visible_enterprise_ids(session, actor)
    query = select(RiskScreening)
    if ids is not None:
        query = query.where(RiskScreening.enterprise_id.in_(ids or {-1}))
    if enterprise_id is not None:
        query = query.where(RiskScreening.enterprise_id == enterprise_id)
    return list(session.scalars(query.order_by(RiskScreening.screened_on.desc(),
                                               RiskScreening.id.desc()).limit(limit)))


def latest_grades(session: Session, actor) -> dict[int, RiskScreening]:
    """The latest screening of every enterprise the actor may see."""
    latest: dict[int, RiskScreening] = {}
    for s in reversed(visible_screenings(session, actor, limit=5000)):
        latest[s.enterprise_id] = s
    return latest


def suggested_items(screening: RiskScreening) -> list[scoring.SuggestedItem]:
    """Rectification items the screening's grade calls for (none for low)."""
    return list(scoring.score(screening.indicators).items) if screening.grade != scoring.LOW \
        else []


def opened_keys(session: Session, screening: RiskScreening) -> set[str]:
    return set(session.scalars(select(LedgerItem.standard_key).where(
        LedgerItem.screening_id == screening.id)))


@atomic
def open_suggested(session: Session, actor, screening_id: int, keys: list[str],
                   responsible: str, *, now: datetime, locale: str = "zh") -> list[LedgerItem]:
    """Open the chosen suggested items of a screening in one step (each key at most once)."""
    screening = get_screening(session, actor, screening_id)
    if not can(actor, "ledger.manage", screening.enterprise):
        raise PermissionDenied("ledger.manage")
    suggestions = {s.key: s for s in suggested_items(screening)}
    already = opened_keys(session, screening)
    errors: dict[str, str] = {}
    chosen = [k for k in dict.fromkeys(keys) if k in suggestions and k not in already]
    if not chosen:
        errors["keys"] = "Choose at least one item that is not open yet."
    if not (responsible or "").strip():
        errors["responsible"] = "This field is required."
    if errors:
        raise ValidationError(errors)
    items = []
    for key in chosen:
        suggestion = suggestions[key]
        items.append(create_item(session, actor, {
            "enterprise_id": screening.enterprise_id,
            "title": suggestion.title_en if locale == "en" else suggestion.title_zh,
            "responsible": responsible, "standard_key": key,
            "deadline": suggestion.deadline(local_date(now)).isoformat(),
            "detail": "; ".join(r["en" if locale == "en" else "zh"] for r in screening.reasons
                                if r["key"] == key),
            "source": Source.SCREENING.value,
        }, now=now, screening=screening))
    return items


@atomic
def import_screenings(session: Session, actor, filename: str, data: bytes, *,
                      now: datetime) -> list[RiskScreening]:
    """Store one screening per row of a CSV/XLSX file, all or nothing.

    Raises :class:`importer.ImportRejected` with every problem (rows, columns, unknown
    enterprises, enterprises outside the actor's region); nothing is written then.
    """
    require(actor, "screening.import")
    rows = importer.parse(filename, data)
    by_name = {o.name: o for o in session.scalars(
        select(Organisation).where(Organisation.kind.in_(access.ENTERPRISE_KINDS)))}
    problems: list[importer.Problem] = []
    today = local_date(now)
    for row in rows:
        enterprise = by_name.get(row.enterprise)
        if enterprise is None:
            problems.append(importer.Problem("No platform or labour partner company is named "
                                             "“%(name)s”.", row.row, importer.ENTERPRISE,
                                             {"name": row.enterprise[:100]}))
        elif not can(actor, "ledger.manage", enterprise):
            problems.append(importer.Problem("“%(name)s” is outside your region.", row.row,
                                             importer.ENTERPRISE, {"name": row.enterprise[:100]}))
        if row.screened_on is not None and row.screened_on > today:
            problems.append(importer.Problem("The screening date cannot be in the future.",
                                             row.row, importer.SCREENED_ON))
    if problems:
        raise importer.ImportRejected(problems)
    stored = [_store(session, actor, by_name[row.enterprise], row.screened_on or today,
                     row.values, "import", now) for row in rows]
    session.flush()
    return stored


# -- lay-off plans ---------------------------------------------------------------------------

def _int(data, name, errors, *, required, minimum) -> int | None:
    text = str(data.get(name) or "").strip()
    if not text:
        if required:
            errors[name] = "This field is required."
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_WORKERS:
        errors[name] = "Enter a whole number."
        return None
    if int(text) < minimum:
        errors[name] = "Must be at least 1."
        return None
    return int(text)


@atomic
def create_layoff(session: Session, actor, data: dict, *, now: datetime) -> LayoffPlan:
    """Record a lay-off plan: ``enterprise_id``, ``layoff_on``, ``workers_affected``, optional
    ``workforce``, ``union_told_on``, ``reported_on``, ``reason``."""
    errors: dict[str, str] = {}
    try:
        enterprise = session.get(Organisation, parse_id(data.get("enterprise_id")) or 0)
    except (TypeError, ValueError):
        enterprise = None
    if enterprise is None or enterprise.kind not in access.ENTERPRISE_KINDS:
        errors["enterprise_id"] = "Choose a platform or labour partner company."
    elif not can(actor, "layoff.create", enterprise):
        raise PermissionDenied("layoff.create")
    layoff_on = parse_date(data.get("layoff_on"), "layoff_on", errors)
    if layoff_on is None and "layoff_on" not in errors:
        errors["layoff_on"] = "This field is required."
    told = parse_date(data.get("union_told_on"), "union_told_on", errors)
    reported = parse_date(data.get("reported_on"), "reported_on", errors)
    for name, value in (("union_told_on", told), ("reported_on", reported)):
        if value and layoff_on and value > layoff_on:
            errors[name] = "This date is after the lay-off date."
    affected = _int(data, "workers_affected", errors, required=True, minimum=1)
    workforce = _int(data, "workforce", errors, required=False, minimum=1)
    if affected and workforce and affected > workforce:
        errors["workforce"] = "The workforce is smaller than the number laid off."
    reason = (data.get("reason") or "").strip()
    if len(reason) > REASON_MAX:
        errors["reason"] = "This text is too long."
    if errors:
        raise ValidationError(errors)
    plan = LayoffPlan(enterprise=enterprise, layoff_on=layoff_on, workers_affected=affected,
                      workforce=workforce, union_told_on=told, reported_on=reported,
                      reason=reason, created_by_id=actor.id, created_at=now)
    session.add(plan)
    session.flush()
    audit.record(session, actor=actor, action="layoff.create", target_type="layoff_plan",
                 target_id=plan.id, after={**plan.snapshot(), "flagged": plan.check().flagged},
                 now=now)
    session.flush()
    return plan


def visible_layoffs(session: Session, actor) -> list[LayoffPlan]:
    require(actor, "layoff.list")
    ids = visible_enterprise_ids(session, actor)
    query = select(LayoffPlan)
    if ids is not None:
        query = query.where(LayoffPlan.enterprise_id.in_(ids or {-1}))
    return list(session.scalars(query.order_by(LayoffPlan.layoff_on.desc(), LayoffPlan.id)))


def layoff_enterprises(session: Session, actor) -> list[Organisation]:
    """Enterprises the actor may record a lay-off plan for."""
    query = select(Organisation).where(Organisation.kind.in_(access.ENTERPRISE_KINDS),
                                       Organisation.is_active.is_(True))
    return [o for o in session.scalars(query.order_by(Organisation.name))
            if can(actor, "layoff.create", o)]
