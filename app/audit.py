"""The append-only audit log: who did what, when, with the record before and after.

Everything that changes a record goes through :func:`record`. Rows are never updated or deleted;
the mapper refuses it.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.db import Base, RecordIsImmutable, UTCDateTime, append_only


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    before: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    after: Mapped[Any | None] = mapped_column(JSON, nullable=True)

    __table_args__ = (Index("ix_audit_entry_target", "target_type", "target_id"),)


class AuditLogIsAppendOnly(RecordIsImmutable):
    pass


append_only(AuditEntry, error=AuditLogIsAppendOnly,
            message="audit entries are never modified or deleted")


def record(session: Session, *, actor, action: str, target_type: str,
           target_id: int | None = None, before: dict | None = None,
           after: dict | None = None, now: datetime) -> AuditEntry:
    """Append one entry. ``actor`` is a user or None (the system, or an anonymous login try)."""
    entry = AuditEntry(
        at=now,
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "system",
        action=action, target_type=target_type, target_id=target_id,
        before=before, after=after,
    )
    session.add(entry)
    return entry
