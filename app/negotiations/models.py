"""Tables of a collective consultation: the negotiation, its procedure steps and its records.

The procedure itself lives in ``workflow``: a negotiation's ``state`` is always the result of
replaying its (effective) steps. Steps are append-only; a corrected date is a new step that
``corrects`` an earlier one, so the history keeps what was first recorded and the deadlines are
recomputed from the corrected dates. A sent offer is never modified (only marked superseded).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (JSON, Boolean, Date, ForeignKey, Integer, String, Text, event, or_,
                        inspect)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import Organisation, User
from app.db import Base, RecordIsImmutable, UTCDateTime, append_only

from . import variants

WORKER, EMPLOYER = "worker", "employer"
SIDES = (WORKER, EMPLOYER)


class Negotiation(Base):
    """One consultation between a union (worker side) and a platform (employer side).

    ``current_rules`` is a simulator scenario as JSON (``Scenario.to_dict``): today's rules the
    offers are compared with. ``state`` mirrors ``workflow.replay`` of the steps.
    """

    __tablename__ = "negotiation"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    worker_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    employer_org_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    # A labour partner company (用工合作企业) may sit on the employer side with the platform.
    partner_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=True)
    mediator_org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=True, index=True)
    sector: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(50))
    city: Mapped[str] = mapped_column(String(50))
    workers_covered: Mapped[str] = mapped_column(Text, default="")
    workers_count: Mapped[int] = mapped_column(Integer)
    current_rules: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    state: Mapped[str] = mapped_column(String(30))
    # The rule set of the procedure (``variants.RULESETS``) and its version; chosen when the
    # negotiation is opened, changeable until the first offer is sent.
    variant: Mapped[str] = mapped_column(String(30), nullable=False, default="national",
                                         server_default="national")
    variant_version: Mapped[int] = mapped_column(Integer, nullable=False, default=1,
                                                 server_default="1")
    # Platform rules and algorithms (2026 guideline): worker representatives are paid for the
    # time they spend consulting. None: not recorded.
    representatives_paid: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    worker_org: Mapped[Organisation] = relationship(foreign_keys=[worker_org_id])
    employer_org: Mapped[Organisation] = relationship(foreign_keys=[employer_org_id])
    partner_org: Mapped[Organisation | None] = relationship(foreign_keys=[partner_org_id])
    mediator_org: Mapped[Organisation | None] = relationship(foreign_keys=[mediator_org_id])

    __mapper_args__ = {"version_id_col": version}

    def side_org_ids(self, side: str) -> set[int]:
        """Organisations on ``side`` ("worker" or "employer")."""
        if side == WORKER:
            return {self.worker_org_id}
        return {i for i in (self.employer_org_id, self.partner_org_id) if i is not None}

    def party_org_ids(self) -> set[int]:
        """Both sides and the mediator: every organisation that sees the negotiation."""
        ids = self.side_org_ids(WORKER) | self.side_org_ids(EMPLOYER)
        if self.mediator_org_id is not None:
            ids.add(self.mediator_org_id)
        return ids

    @classmethod
    def has_party(cls, organisation_id):
        """SQL condition: the organisation (a value or a bind parameter) is one of the parties
        (``party_org_ids``) — the negotiations it sees."""
        return or_(cls.worker_org_id == organisation_id, cls.employer_org_id == organisation_id,
                   cls.partner_org_id == organisation_id, cls.mediator_org_id == organisation_id)

    def snapshot(self) -> dict:
        return {
            "title": self.title, "worker_org_id": self.worker_org_id,
            "employer_org_id": self.employer_org_id, "partner_org_id": self.partner_org_id,
            "mediator_org_id": self.mediator_org_id, "sector": self.sector,
            "province": self.province, "city": self.city,
            "workers_covered": self.workers_covered, "workers_count": self.workers_count,
            "state": self.state, "has_current_rules": self.current_rules is not None,
            "variant": self.variant, "variant_version": self.variant_version,
            "representatives_paid": self.representatives_paid,
        }

    @property
    def ruleset(self):
        """The ``variants.RuleSet`` the procedure follows."""
        return variants.get(self.variant or variants.NATIONAL, self.variant_version or None)


class ProcedureStep(Base):
    """One step of the procedure (``workflow.Step``): append-only.

    ``corrects_id`` points at the step whose date or data this one corrects; the effective
    history uses the latest correction in place of the original, at the original's position.
    """

    __tablename__ = "negotiation_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    on: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[Any] = mapped_column(JSON)
    corrects_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_step.id", ondelete="RESTRICT"), nullable=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    recorded_by: Mapped[User | None] = relationship()

    def snapshot(self) -> dict:
        return {"event": self.event, "on": self.on.isoformat(), "data": self.data,
                "corrects_id": self.corrects_id}


class Representative(Base):
    """A consultation representative (协商代表) of one side; vacated seats are kept."""

    __tablename__ = "negotiation_representative"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100))
    is_chief: Mapped[bool] = mapped_column(Boolean, default=False)
    is_outside_expert: Mapped[bool] = mapped_column(Boolean, default=False)
    person_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    appointed_on: Mapped[dt.date] = mapped_column(Date)
    vacated_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    vacancy_reason: Mapped[str] = mapped_column(String(200), default="")
    replaces_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_representative.id", ondelete="RESTRICT"), nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    @property
    def active(self) -> bool:
        return self.vacated_on is None

    def snapshot(self) -> dict:
        return {"side": self.side, "name": self.name, "is_chief": self.is_chief,
                "is_outside_expert": self.is_outside_expert, "person_id": self.person_id,
                "appointed_on": self.appointed_on.isoformat(),
                "vacated_on": self.vacated_on.isoformat() if self.vacated_on else None,
                "vacancy_reason": self.vacancy_reason, "replaces_id": self.replaces_id}


OFFER_STATUSES = ("draft", "sent", "withdrawn", "superseded")


class Offer(Base):
    """An offer (要约) or counter-offer: a package of terms from one side in one round.

    ``terms`` is a flat dict of numbers keyed by ``PayRules`` field names. ``snapshot`` captures,
    when the offer is sent, the terms, the scenario they were tested in and its results.
    """

    __tablename__ = "negotiation_offer"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    side: Mapped[str] = mapped_column(String(10))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"))
    round: Mapped[int | None] = mapped_column(Integer, nullable=True)
    terms: Mapped[Any] = mapped_column(JSON)
    rationale: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_step.id", ondelete="RESTRICT"), nullable=True)
    snapshot: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    created_by: Mapped[User] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def audit(self) -> dict:
        return {"side": self.side, "round": self.round, "terms": self.terms,
                "rationale": self.rationale, "status": self.status,
                "sent_on": self.sent_on.isoformat() if self.sent_on else None}


class SentOfferIsImmutable(RecordIsImmutable):
    pass


@event.listens_for(Offer, "before_update")
def _sent_offer_frozen(_mapper, _connection, offer: Offer) -> None:
    """Once sent, an offer may only be marked superseded; nothing else about it changes."""
    state = inspect(offer)
    status_hist = state.attrs.status.history
    was = status_hist.deleted[0] if status_hist.deleted else offer.status
    if was not in ("sent", "superseded"):
        return
    changed = {a.key for a in state.attrs if a.history.has_changes()} - {"status", "version"}
    step_hist = state.attrs.step_id.history
    if "step_id" in changed and not [v for v in step_hist.deleted if v is not None]:
        changed.discard("step_id")  # linking the step recorded with the sending, once
    if changed or (status_hist.has_changes() and offer.status != "superseded"):
        raise SentOfferIsImmutable("a sent offer is never modified")


append_only(ProcedureStep, error=SentOfferIsImmutable,
            message="procedure steps and offers are never changed or deleted")
append_only(Offer, events=("before_delete",), error=SentOfferIsImmutable,
            message="procedure steps and offers are never changed or deleted")


class Meeting(Base):
    """A consultation meeting (协商会议) and its minutes (第三十三、三十四条)."""

    __tablename__ = "negotiation_meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[dt.date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200))
    chair_side: Mapped[str] = mapped_column(String(10))
    chair_name: Mapped[str] = mapped_column(String(100))
    minute_taker: Mapped[str] = mapped_column(String(100))
    agenda: Mapped[str] = mapped_column(Text, default="")
    attendance: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_step.id", ondelete="RESTRICT"), nullable=True)
    recorded_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    def audit(self) -> dict:
        return {"number": self.number, "held_on": self.held_on.isoformat(), "place": self.place,
                "chair_side": self.chair_side, "chair_name": self.chair_name,
                "minute_taker": self.minute_taker, "agenda": self.agenda,
                "attendance": self.attendance, "minutes": self.minutes, "outcome": self.outcome}


class Vote(Base):
    """The workers' vote on the draft (第三十六条); ``passed``/``quorum`` from the rules."""

    __tablename__ = "negotiation_vote"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    body: Mapped[str] = mapped_column(String(20))  # "congress" or "all_employees"
    members: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    in_favour: Mapped[int] = mapped_column(Integer)
    quorum: Mapped[bool] = mapped_column(Boolean)
    passed: Mapped[bool] = mapped_column(Boolean)
    # The frozen version of the agreement the workers voted on (its number and SHA-256
    # fingerprint): a vote counts for that text only. None on votes recorded before 0014.
    agreement_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    agreement_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    step_id: Mapped[int | None] = mapped_column(
        ForeignKey("negotiation_step.id", ondelete="RESTRICT"), nullable=True)
    recorded_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    def audit(self) -> dict:
        return {"held_on": self.held_on.isoformat(), "body": self.body, "members": self.members,
                "present": self.present, "in_favour": self.in_favour, "quorum": self.quorum,
                "passed": self.passed, "agreement_version": self.agreement_version,
                "agreement_sha256": self.agreement_sha256}


class Filing(Base):
    """Filing with the labour administration and its review (第四十二至四十七条)."""

    __tablename__ = "negotiation_filing"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    authority: Mapped[str] = mapped_column(String(200))
    filed_on: Mapped[dt.date] = mapped_column(Date)
    received_on: Mapped[dt.date] = mapped_column(Date)
    copies: Mapped[int] = mapped_column(Integer)
    objection_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    objection_text: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    def audit(self) -> dict:
        return {"authority": self.authority, "filed_on": self.filed_on.isoformat(),
                "received_on": self.received_on.isoformat(), "copies": self.copies,
                "objection_on": self.objection_on.isoformat() if self.objection_on else None,
                "objection_text": self.objection_text}


class Note(Base):
    """A private note of one organisation on a negotiation; only that organisation sees it."""

    __tablename__ = "negotiation_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(
        ForeignKey("negotiation.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="RESTRICT"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship()
