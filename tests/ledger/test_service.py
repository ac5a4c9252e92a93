"""Ledger services on a real database: steps, evidence, history, audit, validation, conflicts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.ledger import screening as screenings
from app.ledger import service
from app.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationError
from app.ledger.items import ItemStatus
from app.ledger.models import LayoffPlan, LedgerEvidence, LedgerHistory, LedgerItem, RiskScreening

PDF = b"%PDF-1.4\n% test\n"


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def new_item(session, world, now, **overrides):
    data = {"enterprise_id": world["delivery_partner"].id, "title": "补发拖欠工资",
            "responsible": "陈静（财务总监）", "deadline": "2026-12-01"}
    data.update(overrides)
    item = service.create_item(session, world["mediator"], data, now=now)
    session.commit()
    return item


def test_create_records_history_and_audit(session, world, now):
    item = new_item(session, world, now)
    assert item.status is ItemStatus.OPEN and item.opened_on == date(2026, 11, 2)
    assert [h.action for h in item.history] == ["created"]
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.target_type == "ledger_item", AuditEntry.target_id == item.id)).one()
    assert entry.action == "ledger.create" and entry.after["title"] == "补发拖欠工资"
    assert entry.actor_name == "mediator"


def test_full_life_start_evidence_close_reopen(session, world, now, later):
    item = new_item(session, world, now)
    service.step(session, world["partner_user"], item.id, "start", now=later(1))
    service.add_evidence(session, world["partner_user"], item.id, note="已制定补发计划",
                         upload=service.Upload("计划.pdf", PDF), now=later(2))
    session.commit()
    with pytest.raises(PermissionDenied):  # the enterprise cannot close its own item
        service.step(session, world["partner_user"], item.id, "close", note="done", now=later(3))
    session.rollback()
    service.step(session, world["mediator"], item.id, "close", note="", now=later(5))
    session.commit()
    assert item.status is ItemStatus.CLOSED and item.closed_on == date(2026, 11, 7)
    service.step(session, world["mediator"], item.id, "reopen", note="又有投诉", now=later(6))
    session.commit()
    assert item.status is ItemStatus.IN_PROGRESS and item.closed_on is None
    assert [(h.action, h.from_status, h.to_status) for h in item.history] == [
        ("created", None, "open"), ("started", "open", "in_progress"), ("evidence", None, None),
        ("closed", "in_progress", "closed"), ("reopened", "closed", "in_progress")]
    actions = session.scalars(select(AuditEntry.action).where(
        AuditEntry.target_type == "ledger_item", AuditEntry.target_id == item.id)
        .order_by(AuditEntry.id)).all()
    assert actions == ["ledger.create", "ledger.start", "ledger.evidence", "ledger.close",
                       "ledger.reopen"]
    evidence = item.evidence[0]
    assert (evidence.filename, evidence.content_type, evidence.size) == (
        "计划.pdf", "application/pdf", len(PDF))


def test_close_without_any_evidence_is_refused_and_writes_nothing(session, world, now):
    item = new_item(session, world, now)
    before = (count(session, LedgerEvidence), count(session, LedgerHistory),
              count(session, AuditEntry))
    with pytest.raises(ValidationError) as exc:
        service.step(session, world["mediator"], item.id, "close", note="  ", now=now)
    assert "note" in exc.value.errors
    session.rollback()
    assert (count(session, LedgerEvidence), count(session, LedgerHistory),
            count(session, AuditEntry)) == before
    assert session.get(LedgerItem, item.id).status is ItemStatus.OPEN


def test_close_with_note_as_evidence(session, world, now):
    item = new_item(session, world, now)
    service.step(session, world["mediator"], item.id, "close", note="已足额补发，附银行回单",
                 now=now)
    session.commit()
    assert item.status is ItemStatus.CLOSED and item.evidence[0].note == "已足额补发，附银行回单"
    assert item.history[-1].changes == {"evidence_id": item.evidence[0].id}


@pytest.mark.parametrize("name, data, message", [
    ("a.exe", b"MZ....", "Upload a PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT file."),
    ("a.pdf", b"not a pdf", "The file's content does not match its type."),
    ("a.png", b"%PDF-1.4", "The file's content does not match its type."),
    ("a.txt", b"\xff\xfe\x00bad", "The file's content does not match its type."),
    ("a.pdf", b"", "The file is empty."),
    ("a.pdf", b"%PDF" + b"0" * (5 * 1024 * 1024), "The file is larger than 5 MB."),
])
def test_evidence_file_limits(session, world, now, name, data, message):
    item = new_item(session, world, now)
    with pytest.raises(ValidationError) as exc:
        service.add_evidence(session, world["mediator"], item.id, note="x",
                             upload=service.Upload(name, data), now=now)
    assert exc.value.errors == {"file": message}
    session.rollback()
    assert count(session, LedgerEvidence) == 1  # the demo's closed item only


def test_illegal_step_and_stale_version(session, world, now):
    item = new_item(session, world, now)
    with pytest.raises(IllegalTransition):
        service.step(session, world["mediator"], item.id, "reopen", note="x", now=now)
    session.rollback()
    with pytest.raises(Conflict):
        service.step(session, world["mediator"], item.id, "start", version=item.version + 1,
                     now=now)
    session.rollback()
    with pytest.raises(NotFound):
        service.step(session, world["mediator"], item.id, "explode", now=now)


@pytest.mark.parametrize("overrides, field", [
    ({"title": ""}, "title"), ({"title": "x" * 301}, "title"),
    ({"responsible": " "}, "responsible"),
    ({"deadline": "2026-13-01"}, "deadline"), ({"deadline": ""}, "deadline"),
    ({"deadline": "2026-11-01"}, "deadline"), ({"enterprise_id": "abc"}, "enterprise_id"),
    ({"source": "agreement"}, "negotiation_id"), ({"negotiation_id": "12x"}, "negotiation_id"),
    ({"source": "weird"}, "source"),
])
def test_create_validation_writes_nothing(session, world, now, overrides, field):
    before = count(session, LedgerItem)
    with pytest.raises(ValidationError) as exc:
        new_item(session, world, now, **overrides)
    assert field in exc.value.errors
    session.rollback()
    assert count(session, LedgerItem) == before


def test_enterprise_of_a_union_or_other_region_is_refused(session, world, now):
    union_org = world["union"].organisation
    with pytest.raises(ValidationError):
        new_item(session, world, now, enterprise_id=union_org.id)
    session.rollback()
    with pytest.raises(PermissionDenied):
        new_item(session, world, now, enterprise_id=world["other_ent"].id)


def test_edit_records_changes(session, world, now):
    item = new_item(session, world, now)
    service.edit_item(session, world["mediator"], item.id, {
        "title": item.title, "responsible": "新负责人", "deadline": "2026-12-15", "detail": ""},
        now=now)
    session.commit()
    assert item.history[-1].action == "edited"
    assert item.history[-1].changes == {"responsible": ["陈静（财务总监）", "新负责人"],
                                        "deadline": ["2026-12-01", "2026-12-15"]}


def test_overdue_listing_with_injected_today(session, world, now):
    item = new_item(session, world, now, deadline="2026-11-10")
    mediator = world["mediator"]
    ids = lambda **kw: [i.id for i in service.visible_items(session, mediator, **kw)]  # noqa: E731
    assert item.id not in ids(today=date(2026, 11, 10), status="overdue")
    assert item.id in ids(today=date(2026, 11, 11), status="overdue")
    first = service.visible_items(session, mediator, today=date(2026, 11, 11))[0]
    assert first.standing(date(2026, 11, 11)) == "overdue"


def test_screening_and_one_click_items(session, world, now):
    s = screenings.record_screening(session, world["mediator"], {
        "enterprise_id": world["freight"].id, "screened_on": "2026-11-01",
        "late_pay_cycles": "2", "complaints": "5"}, now=now)
    session.commit()
    assert (s.points, s.grade) == (40, "medium")
    assert [r["key"] for r in s.reasons] == ["late_pay_cycles", "complaints"]
    items = screenings.open_suggested(session, world["mediator"], s.id,
                                      ["late_pay_cycles", "complaints", "bogus"], "王经理",
                                      now=now)
    session.commit()
    assert [i.standard_key for i in items] == ["late_pay_cycles", "complaints"]
    assert items[0].deadline == date(2026, 11, 17) and items[0].screening_id == s.id
    with pytest.raises(ValidationError):  # both already open
        screenings.open_suggested(session, world["mediator"], s.id, ["complaints"], "王经理",
                                  now=now)


def test_screening_validation(session, world, now):
    before = count(session, RiskScreening)
    with pytest.raises(ValidationError) as exc:
        screenings.record_screening(session, world["mediator"], {
            "enterprise_id": world["freight"].id, "screened_on": "2030-01-01",
            "complaints": "many"}, now=now)
    assert set(exc.value.errors) == {"screened_on", "complaints"}
    session.rollback()
    assert count(session, RiskScreening) == before


def test_layoff_plan_flagged_and_validated(session, world, now):
    plan = screenings.create_layoff(session, world["partner_user"], {
        "enterprise_id": world["delivery_partner"].id, "layoff_on": "2026-12-20",
        "workers_affected": "30", "workforce": "200", "union_told_on": "2026-12-01",
        "reported_on": ""}, now=now)
    session.commit()
    assert plan.check().flagged and plan.check().notice_days == 19
    with pytest.raises(ValidationError) as exc:
        screenings.create_layoff(session, world["partner_user"], {
            "enterprise_id": world["delivery_partner"].id, "layoff_on": "2026-12-20",
            "workers_affected": "300", "workforce": "200", "union_told_on": "2026-12-21"},
            now=now)
    assert set(exc.value.errors) == {"workforce", "union_told_on"}
    session.rollback()
    with pytest.raises(PermissionDenied):  # a partner cannot file for the platform
        screenings.create_layoff(session, world["partner_user"], {
            "enterprise_id": world["delivery"].id, "layoff_on": "2026-12-20",
            "workers_affected": "30"}, now=now)
    session.rollback()
    assert count(session, LayoffPlan) == 3  # two demo plans and this one


def test_history_rows_are_append_only(session, world, now):
    from app.ledger.models import HistoryIsAppendOnly
    item = new_item(session, world, now)
    item.history[0].note = "rewritten"
    with pytest.raises(HistoryIsAppendOnly):
        session.commit()
    session.rollback()


def test_demo_has_every_standing_and_grade(session, world, now):
    today = service.local_date(now)
    items = service.visible_items(session, world["mediator"], today=today)
    assert {i.standing(today) for i in items} >= {"open", "in_progress", "closed", "overdue"}
    grades = {s.grade for s in screenings.visible_screenings(session, world["mediator"])}
    assert grades == {"low", "medium", "high"}
    assert any(p.check().flagged for p in screenings.visible_layoffs(session, world["mediator"]))
