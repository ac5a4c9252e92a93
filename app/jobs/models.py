"""Table: a background job (an analysis run by the task consumer), with its progress and result.

Below ``app.models`` in the layers (the one list of tables imports it); the service and the
runner above it live in ``app.jobs``.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from app.db import Base, UTCDateTime

STATUSES = ("queued", "running", "done", "failed", "cancelled")
FINISHED = ("done", "failed", "cancelled")


class Job(Base):
    """One submitted piece of long work. Only the submitting organisation sees it.

    ``parameters`` and ``result`` are JSON text (not a JSON column): results hold NaN where a
    value could not be computed, which PostgreSQL's JSON type refuses.
    """

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"))
    submitted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True)
    parameters: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    output: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    upload: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    __table_args__ = (Index("ix_job_organisation_submitted", "organisation_id", "submitted_at"),)

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
