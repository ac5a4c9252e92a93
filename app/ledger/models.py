"""Tables: risk screenings, ledger items with their evidence and history, lay-off plans."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation, User, enum_column
from app.db import Base, RecordIsImmutable, UTCDateTime, append_only
from app.ledger import layoff as layoff_rules
from app.ledger.items import ItemStatus, Source, standing


class RiskScreening(Base):
    """One enterprise's indicators on one date, with the points, grade and reasons they earned.

    Points, grade and reasons are kept as computed at the time, so a later change of the weights
    never rewrites a past judgement.
    """

    __tablename__ = "risk_screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    screened_on: Mapped[date] = mapped_column(Date)
    indicators: Mapped[Any] = mapped_column(JSON)
    points: Mapped[int] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[Any] = mapped_column(JSON)
    # "form" or "import"
    method: Mapped[str] = mapped_column(String(10), default="form")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    enterprise: Mapped[Organisation] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()

    def snapshot(self) -> dict:
        return {"enterprise_id": self.enterprise_id, "screened_on": self.screened_on.isoformat(),
                "indicators": self.indicators, "points": self.points, "grade": self.grade,
                "method": self.method}


class LedgerItem(Base):
    """One thing an enterprise must put right, by a deadline, with a person responsible."""

    __tablename__ = "ledger_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[Source] = mapped_column(enum_column(Source), default=Source.MANUAL)
    screening_id: Mapped[int | None] = mapped_column(
        ForeignKey("risk_screening.id", ondelete="RESTRICT"), nullable=True, index=True)
    # An item that follows up an agreement names its negotiation and the standard's key.
    negotiation_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), nullable=True, index=True)
    standard_key: Mapped[str | None] = mapped_column(String(80), nullable=True)
    responsible: Mapped[str] = mapped_column(String(100))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[ItemStatus] = mapped_column(enum_column(ItemStatus), default=ItemStatus.OPEN)
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    enterprise: Mapped[Organisation] = relationship(lazy="joined")
    screening: Mapped[RiskScreening | None] = relationship()
    evidence: Mapped[list["LedgerEvidence"]] = relationship(
        back_populates="item", order_by="LedgerEvidence.id")
    history: Mapped[list["LedgerHistory"]] = relationship(
        back_populates="item", order_by="LedgerHistory.id")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (Index("ix_ledger_item_status_deadline", "status", "deadline"),)

    def standing(self, today: date) -> str:
        return standing(self.status, self.deadline, today)

    def snapshot(self) -> dict:
        return {"enterprise_id": self.enterprise_id, "title": self.title, "detail": self.detail,
                "source": self.source.value, "screening_id": self.screening_id,
                "negotiation_id": self.negotiation_id, "standard_key": self.standard_key,
                "responsible": self.responsible, "deadline": self.deadline.isoformat(),
                "status": self.status.value,
                "closed_on": self.closed_on.isoformat() if self.closed_on else None}


class LedgerEvidence(Base):
    """A note and/or a file showing what was done; files live in the database (size-limited)."""

    __tablename__ = "ledger_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_item.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    filename: Mapped[str | None] = mapped_column(String(200), nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    added_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)

    item: Mapped[LedgerItem] = relationship(back_populates="evidence")
    added_by: Mapped[User | None] = relationship()

    def snapshot(self) -> dict:
        return {"item_id": self.item_id, "note": self.note, "filename": self.filename,
                "content_type": self.content_type, "size": self.size}


class LedgerHistory(Base):
    """Every change to an item, in order; never updated or deleted."""

    __tablename__ = "ledger_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_item.id", ondelete="RESTRICT"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(100))
    # created, started, closed, reopened, edited, evidence
    action: Mapped[str] = mapped_column(String(20))
    from_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[Any | None] = mapped_column(JSON, nullable=True)

    item: Mapped[LedgerItem] = relationship(back_populates="history")


class HistoryIsAppendOnly(RecordIsImmutable):
    pass


append_only(LedgerHistory, error=HistoryIsAppendOnly,
            message="ledger history rows are never modified or deleted")


class LayoffPlan(Base):
    """A planned lay-off and the dates the union/workers and the labour bureau were told."""

    __tablename__ = "layoff_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    layoff_on: Mapped[date] = mapped_column(Date)
    workers_affected: Mapped[int] = mapped_column(Integer)
    workforce: Mapped[int | None] = mapped_column(Integer, nullable=True)
    union_told_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reported_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    enterprise: Mapped[Organisation] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def check(self) -> layoff_rules.LayoffCheck:
        return layoff_rules.check(self.layoff_on, self.workers_affected, self.workforce,
                                  self.union_told_on, self.reported_on)

    def snapshot(self) -> dict:
        def iso(d):
            return d.isoformat() if d else None
        return {"enterprise_id": self.enterprise_id, "layoff_on": iso(self.layoff_on),
                "workers_affected": self.workers_affected, "workforce": self.workforce,
                "union_told_on": iso(self.union_told_on), "reported_on": iso(self.reported_on),
                "reason": self.reason}
