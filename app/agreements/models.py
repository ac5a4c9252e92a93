"""Tables of the agreement that closes a negotiation: versions, comments, approvals, signed copy.

An ``Agreement`` belongs to one negotiation and moves drafting → frozen → signed. Its text lives
in ``AgreementVersion`` rows (the structured agreement of ``agreements.build_agreement`` as
JSON); every save is a new version, and versions, comments, approvals and the signed copy are
append-only: the mapper refuses to update or delete them. Once signed, the agreement row itself
refuses every change.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, Date, ForeignKey, Integer, LargeBinary, String, Text,
                        UniqueConstraint, event, inspect)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation, User
from app.db import Base, RecordIsImmutable, UTCDateTime, append_only

from app.negotiations.models import Negotiation, Offer


class Agreement(Base):
    """The agreement of a negotiation (专项集体合同 / 协议); ``status`` in ``agreements.Status``."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), unique=True)
    offer_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_offer.id", ondelete="RESTRICT"), nullable=True)
    status: Mapped[str] = mapped_column(String(12))
    latest_number: Mapped[int] = mapped_column(Integer)
    frozen_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    frozen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    negotiation: Mapped[Negotiation] = relationship()
    offer: Mapped[Offer | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def audit(self) -> dict:
        return {"negotiation_id": self.negotiation_id, "offer_id": self.offer_id,
                "status": self.status, "latest_number": self.latest_number,
                "frozen_number": self.frozen_number}


class AgreementVersion(Base):
    """One saved draft: the whole structured agreement, with its SHA-256 fingerprint."""

    __tablename__ = "agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number",
                                       name="uq_agreement_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"),
                                              index=True)
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[Any] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    summary: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    created_by: Mapped[User] = relationship()


class AgreementComment(Base):
    """A party's comment on a version."""

    __tablename__ = "agreement_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"),
                                              index=True)
    number: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    article: Mapped[str] = mapped_column(String(40), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()


class AgreementApproval(Base):
    """One side's approval of one version (a new version needs new approvals)."""

    __tablename__ = "agreement_approval"
    __table_args__ = (UniqueConstraint("agreement_id", "number", "side",
                                       name="uq_agreement_approval_side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"),
                                              index=True)
    number: Mapped[int] = mapped_column(Integer)
    side: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    approved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class SignedCopy(Base):
    """The signed original as PDF/A-3b bytes, stored once; identified by its SHA-256."""

    __tablename__ = "agreement_signed_copy"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"),
                                              unique=True)
    number: Mapped[int] = mapped_column(Integer)
    signed_on: Mapped[dt.date] = mapped_column(Date)
    lang: Mapped[str] = mapped_column(String(5))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    # The minimum wage the floor clause cited on the signing date (app.negotiations.floor);
    # None for copies signed before it was recorded.
    floor: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class AgreementRecordIsImmutable(RecordIsImmutable):
    """Versions, comments, approvals and signed copies are never changed or deleted."""


append_only(AgreementVersion, AgreementComment, AgreementApproval, SignedCopy,
            error=AgreementRecordIsImmutable,
            message="agreement records are never changed or deleted")
append_only(Agreement, events=("before_delete",), error=AgreementRecordIsImmutable,
            message="agreement records are never changed or deleted")


@event.listens_for(Agreement, "before_update")
def _signed_is_final(_mapper, _connection, agreement: Agreement) -> None:
    history = inspect(agreement).attrs.status.history
    was = history.deleted[0] if history.deleted else agreement.status
    if was == "signed":
        raise AgreementRecordIsImmutable("a signed agreement is never changed")
