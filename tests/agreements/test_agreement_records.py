"""Agreement records in the database: append-only rows, audited services, signed row final."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.agreements import service
from app.agreements.models import (Agreement, AgreementRecordIsImmutable,
                                               AgreementVersion, SignedCopy)
from app.errors import IllegalTransition, PermissionDenied, ValidationError
from tests.negotiations.helpers import NOW, negotiation, user


def test_versions_and_signed_copies_are_never_updated(session):
    version = session.scalars(select(AgreementVersion)).first()
    version.summary = "changed"
    with pytest.raises(AgreementRecordIsImmutable):
        session.flush()
    session.rollback()
    copy = session.scalars(select(SignedCopy)).first()
    copy.pdf = b"%PDF-forged"
    with pytest.raises(AgreementRecordIsImmutable):
        session.flush()
    session.rollback()
    signed = session.scalar(select(Agreement).where(Agreement.status == "signed"))
    signed.status = "drafting"
    with pytest.raises(AgreementRecordIsImmutable):
        session.flush()
    session.rollback()


def test_services_audit_and_check_roles(session):
    n = negotiation(session, "consultation")
    mediator, union = user(session, "mediator"), user(session, "union")
    with pytest.raises(PermissionDenied):
        service.edit_article(session, union, n.id, "dispatch", {"text_zh": "工会改"}, now=NOW)
    row = service.edit_article(session, mediator, n.id, "dispatch",
                               {"base": "2", "text_zh": "新的派单规则条款。"}, now=NOW)
    assert row.number == 3
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "agreement.version")
                            .order_by(AuditEntry.id.desc())).first()
    assert entry.actor_id == mediator.id and entry.after["latest_number"] == 3
    with pytest.raises(ValidationError):
        service.edit_article(session, mediator, n.id, "dispatch",
                             {"base": "3", "text_zh": "新的派单规则条款。"}, now=NOW)
    with pytest.raises(IllegalTransition):  # neither side approved version 3
        service.freeze(session, mediator, n.id, now=NOW)
    with pytest.raises(PermissionDenied):
        service.approve(session, mediator, n.id, {"number": "3"}, now=NOW)
