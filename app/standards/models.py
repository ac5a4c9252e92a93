"""Tables of the standards registry. Every table is append-only: a correction is a new record.

A province's *standard* is the set of its minimum-wage records with one ``effective_from``; it
stays in force until the province's next standard. A record that corrects another has the same
province, tier and date and names the record it corrects (``corrects_id``); the newest wins.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, RecordIsImmutable, UTCDateTime, append_only


class RegistryIsAppendOnly(RecordIsImmutable):
    pass


class MinimumWageRecord(Base):
    """One tier of one province's minimum-wage standard, from a date, with its source."""

    __tablename__ = "minimum_wage_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    province: Mapped[str] = mapped_column(String(10))
    tier: Mapped[int] = mapped_column(Integer)
    monthly: Mapped[Decimal] = mapped_column(Numeric(10, 2))   # 元/月
    hourly: Mapped[Decimal] = mapped_column(Numeric(8, 2))     # 元/时
    effective_from: Mapped[date] = mapped_column(Date)
    document: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("minimum_wage_record.id", ondelete="RESTRICT"), nullable=True)
    method: Mapped[str] = mapped_column(String(10), default="seed")   # seed, form, import
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_minimum_wage_record_lookup", "province", "effective_from"),)

    def snapshot(self) -> dict:
        return {"province": self.province, "tier": self.tier, "monthly": str(self.monthly),
                "hourly": str(self.hourly), "effective_from": self.effective_from.isoformat(),
                "document": self.document, "source": self.source, "verified": self.verified,
                "note": self.note, "corrects_id": self.corrects_id, "method": self.method}


class PlaceTierRecord(Base):
    """Which tier a prefecture-level place belongs to under one province standard.

    ``tier`` is None where the annex was not found: the tier is to be confirmed by the user.
    """

    __tablename__ = "place_tier_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    province: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(40))
    tier: Mapped[int | None] = mapped_column(Integer, nullable=True)
    standard_effective_from: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_place_tier_record_lookup", "province", "city"),)


class DatedStandard(Base):
    """Another dated standard: injury-protection fee per order, pension subsidy, heat allowance.

    ``province`` is a province's short name, or 全国 for a national rule.
    """

    __tablename__ = "dated_standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    province: Mapped[str] = mapped_column(String(10), default="")
    sector: Mapped[str] = mapped_column(String(30), default="")
    # Distinguishes rules of one kind that hold side by side (one platform's scheme and another's)
    scheme: Mapped[str] = mapped_column(String(60), default="")
    value: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    value_high: Mapped[Decimal | None] = mapped_column(Numeric(12, 4), nullable=True)
    unit: Mapped[str] = mapped_column(String(40))
    effective_from: Mapped[date] = mapped_column(Date)
    condition: Mapped[str] = mapped_column(Text, default="")
    document: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


append_only(MinimumWageRecord, PlaceTierRecord, DatedStandard, error=RegistryIsAppendOnly,
            message="registry records are never changed; record a correction instead")
