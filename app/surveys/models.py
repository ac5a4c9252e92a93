"""Tables: surveys, their responses, and the submission attempts counted for rate limits."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (JSON, Boolean, ForeignKey, Index, Integer, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation, User
from app.db import Base, UTCDateTime


class Survey(Base):
    """A survey of an organisation's riders for a sector and place, answered by public link.

    ``questions`` lists the keys of :data:`app.surveys.questions.BANK` asked, in the bank's
    order. ``token`` is the unguessable part of the public link (and of its QR code).
    """

    __tablename__ = "survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(20))
    place: Mapped[str] = mapped_column(String(100))
    questions: Mapped[Any] = mapped_column(JSON)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def is_open(self, now: datetime) -> bool:
        return now < self.closes_at

    def snapshot(self) -> dict:
        return {"organisation_id": self.organisation_id, "title": self.title,
                "sector": self.sector, "place": self.place, "questions": self.questions,
                "closes_at": self.closes_at.isoformat()}


class SurveyResponse(Base):
    """One rider's answers. Nothing identifying is kept: the device and the withdrawal code are
    stored only as keyed hashes. Withdrawing deletes the row."""

    __tablename__ = "survey_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    answers: Mapped[Any] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    device_hash: Mapped[str] = mapped_column(String(64))
    withdrawal_hash: Mapped[str] = mapped_column(String(64))
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    survey: Mapped[Survey] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("survey_id", "device_hash", name="uq_survey_response_device"),
        UniqueConstraint("survey_id", "withdrawal_hash", name="uq_survey_response_withdrawal"),
        Index("ix_survey_response_survey_submitted", "survey_id", "submitted_at"),
    )


class SurveyAttempt(Base):
    """One answer stored from an address (a keyed hash, never the address) in the last hour.

    Counted in the database so the limit holds across every web worker and host. Not linked to
    the response, and deleted once older than the window.
    """

    __tablename__ = "survey_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    address_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_survey_attempt_survey_address_at", "survey_id", "address_hash",
                            "at"),)
