"""Tables: an organisation's scenarios and the immutable snapshots shared into negotiations."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation, User
from app.db import Base, RecordIsImmutable, UTCDateTime, append_only
from app.negotiations.models import Negotiation


class SavedScenario(Base):
    """A pay package with the world it is tested in, private to its organisation.

    ``data`` is :meth:`app.simulator.Scenario.to_dict`; ``baseline_pay`` is the ``pay`` part of
    today's rules (the preset's, or a negotiation's current rules), applied to the same world
    when the package is compared with today. ``province``/``tier``/``as_of`` place and date it:
    its minimum wage is the standard in force there on that date (``minimum_wage.py``), written
    into ``data["thresholds"]`` whenever they change. Deleting is real (the audit log keeps the
    record).
    """

    __tablename__ = "scenario"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(20))
    data: Mapped[Any] = mapped_column(JSON)
    baseline_pay: Mapped[Any] = mapped_column(JSON)
    baseline_label: Mapped[str] = mapped_column(String(200), default="")
    seed: Mapped[int] = mapped_column(Integer)
    province: Mapped[str] = mapped_column(String(20))
    tier: Mapped[str] = mapped_column(String(10))
    as_of: Mapped[date] = mapped_column(Date)
    # Where it came from: "preset", "negotiation:<id>", "scenario:<id>", "snapshot:<id>".
    origin: Mapped[str] = mapped_column(String(60), default="preset")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    organisation: Mapped[Organisation] = relationship()
    owner: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        """The record as the audit log keeps it."""
        return {"organisation_id": self.organisation_id, "owner_id": self.owner_id,
                "name": self.name, "notes": self.notes, "sector": self.sector,
                "seed": self.seed, "origin": self.origin, "data": self.data,
                "province": self.province, "tier": self.tier,
                "as_of": self.as_of.isoformat() if self.as_of else None,
                "baseline_pay": self.baseline_pay, "baseline_label": self.baseline_label}


class ScenarioSnapshot(Base):
    """A scenario and its results as shared into a negotiation; never changed afterwards."""

    __tablename__ = "scenario_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"))
    shared_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    # Provenance only: the private scenario may later change or be deleted.
    source_scenario_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    notes: Mapped[str] = mapped_column(Text, default="")
    sector: Mapped[str] = mapped_column(String(20))
    data: Mapped[Any] = mapped_column(JSON)
    baseline_pay: Mapped[Any] = mapped_column(JSON)
    baseline_label: Mapped[str] = mapped_column(String(200), default="")
    seed: Mapped[int] = mapped_column(Integer)
    results: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)

    negotiation: Mapped[Negotiation] = relationship()
    organisation: Mapped[Organisation] = relationship()
    shared_by: Mapped[User] = relationship()

    def snapshot(self) -> dict:
        return {"negotiation_id": self.negotiation_id, "organisation_id": self.organisation_id,
                "shared_by_id": self.shared_by_id, "source_scenario_id": self.source_scenario_id,
                "name": self.name, "seed": self.seed}


class SnapshotIsImmutable(RecordIsImmutable):
    pass


append_only(ScenarioSnapshot, error=SnapshotIsImmutable,
            message="a shared scenario snapshot is never modified or deleted")
