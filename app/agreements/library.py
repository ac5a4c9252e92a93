"""The library of typical agreements (典型协议库): signed agreements that both sides agreed to
publish, for other regions to learn from and to start their own drafts from.

The notice 豫人社函〔2023〕137号 (四) asks the tripartite offices for 可推广可复制的典型经验;
this is the app's form of it. Each side consents on the signed agreement's page
(``consent``), choosing whether the names are hidden; when both have consented the signed
version's text is copied into the publication (``AgreementPublication.content``), names replaced if either side asked for it.
The signed agreement itself is never touched. Every signed-in user reads the library
(``published``, ``get``); a mediator starts a new draft from a published agreement in a
negotiation it runs that has no agreement yet (``start_draft``, through
``service.build_content``, the path of every first version).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app import audit
from app.db import Base, UTCDateTime, atomic
from app.errors import IllegalTransition, Msg, NotFound, PermissionDenied, ValidationError
from app.negotiations import fields
from app.negotiations import records as nrecords
from app.negotiations.models import EMPLOYER, WORKER, Negotiation

from . import clauses, document as A
from .service import NOT_YET, build_content, check_may_draft, default_titles, open_draft
from .access import SIDES, agreement_of, negotiation_for, with_agreement
from .models import Agreement

MAX_LISTED = 200  # the library page lists at most this many (newest first)

# What hidden names become, by party, in Chinese and English text.
PLACEHOLDERS = {"worker": ("某工会", "a trade union"),
                "employer": ("某平台企业", "a platform enterprise"),
                "mediator": ("某协调劳动关系三方办公室", "a tripartite office")}
PERSON = ("某某", "(name withheld)")


class AgreementPublication(Base):
    """A signed agreement's place in the library: the two consents, then the published copy."""

    __tablename__ = "agreement_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id", ondelete="RESTRICT"),
                                              unique=True)
    number: Mapped[int] = mapped_column(Integer)          # the signed version
    sha256: Mapped[str] = mapped_column(String(64))       # of the signed PDF
    province: Mapped[str] = mapped_column(String(50), index=True)
    city: Mapped[str] = mapped_column(String(50))
    sector: Mapped[str] = mapped_column(String(20), index=True)
    anonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    worker_consent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    worker_consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    employer_consent_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="RESTRICT"), nullable=True)
    employer_consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The signed version's text as published (names replaced when anonymised); None before.
    content: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    agreement: Mapped[Agreement] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def consented(self, side: str) -> bool:
        return getattr(self, f"{side}_consent_at") is not None

    def audit(self) -> dict:
        return {"agreement_id": self.agreement_id, "number": self.number,
                "anonymised": self.anonymised, "worker": self.consented(WORKER),
                "employer": self.consented(EMPLOYER),
                "published": self.published_at is not None}


# --- hiding names --------------------------------------------------------------------------------
def _names(content: Mapping) -> list[tuple[str, str, str]]:
    """``(name, Chinese placeholder, English placeholder)``, longest name first."""
    out = []
    for party, person in ((p, v) for p, v in (content.get("parties") or {}).items()):
        org = PLACEHOLDERS.get(party, PLACEHOLDERS["employer"])
        for key, words in (("name", org), ("name_en", org), ("chief", PERSON),
                           ("chief_en", PERSON)):
            name = str(person.get(key) or "").strip()
            if len(name) >= 2:
                out.append((name, *words))
    return sorted(set(out), key=lambda t: -len(t[0]))


def anonymise(content: Any, names=None, english: bool = False) -> Any:
    """``content`` with every party's and chief's name replaced (English placeholders in the
    fields ending ``_en`` and under ``"en"``)."""
    names = _names(content) if names is None else names
    if isinstance(content, dict):
        return {k: anonymise(v, names, english or k.endswith("_en") or k == "en")
                for k, v in content.items()}
    if isinstance(content, list):
        return [anonymise(v, names, english) for v in content]
    if isinstance(content, str):
        for name, zh, en in names:
            content = content.replace(name, en if english else zh)
    return content


# --- consent and publication ---------------------------------------------------------------------
def publication_of(session: Session, agreement: Agreement | None) -> AgreementPublication | None:
    if agreement is None:
        return None
    return session.scalar(select(AgreementPublication).where(
        AgreementPublication.agreement_id == agreement.id))


@atomic
def consent(session: Session, actor, negotiation_id: int, form: Mapping, *,
            now: dt.datetime) -> AgreementPublication:
    """The actor's side consents to publishing the signed agreement (``form["anonymise"]``:
    hide the names). Published when both sides have consented; names are hidden if either side
    asked for it."""
    v = with_agreement(session, actor, negotiation_id)
    if v.side not in SIDES:
        raise PermissionDenied(Msg("Only the union side and the platform side consent to "
                                   "publication"))
    if v.signed is None:
        raise IllegalTransition(Msg("Only a signed agreement can be published"))
    pub = publication_of(session, v.agreement)
    before = pub.audit() if pub is not None else None
    if pub is None:
        n = v.negotiation
        pub = AgreementPublication(agreement_id=v.agreement.id, number=v.signed.number,
                                   sha256=v.signed.sha256, province=n.province, city=n.city,
                                   sector=n.sector, anonymised=False, created_at=now)
        session.add(pub)
    if pub.consented(v.side):
        raise IllegalTransition(Msg("Your side has already consented to publication"))
    setattr(pub, f"{v.side}_consent_by_id", actor.id)
    setattr(pub, f"{v.side}_consent_at", now)
    pub.anonymised = bool(pub.anonymised or str(form.get("anonymise") or "") in ("1", "on"))
    if all(pub.consented(side) for side in SIDES):
        signed = next(r for r in v.versions if r.number == v.signed.number)
        pub.content = anonymise(signed.content) if pub.anonymised else signed.content
        pub.published_at = now
    session.flush()
    audit.record(session, actor=actor, action="agreement.publication", target_type="agreement",
                 target_id=v.agreement.id, before=before,
                 after={**pub.audit(), "side": v.side}, now=now)
    return pub


# --- reading the library -------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    sector: str = ""
    province: str = ""
    term: str = ""


def parse_filters(args: Mapping) -> Filters:
    """The library's filters from the query string; unknown values are refused by field."""
    errors: dict[str, Msg] = {}
    sector = str(args.get("sector") or "").strip()
    if sector and sector not in A.SECTORS:
        errors["sector"] = Msg("Choose a sector from the list")
    province = str(args.get("province") or "").strip()
    if len(province) > 50:
        errors["province"] = Msg("At most %(n)s characters", n=50)
    term = str(args.get("term") or "").strip()
    if term and term not in clauses.STANDARD_BY_KEY:
        errors["term"] = Msg("Choose a term from the list")
    if errors:
        raise ValidationError(errors)
    return Filters(sector, province, term)


def standard(content: Mapping | None, key: str) -> dict | None:
    """The published standard ``key`` (value, display, unit …), or None."""
    return next((s for s in (content or {}).get("standards") or [] if s.get("key") == key), None)


def published(session: Session, actor, filters: Filters) -> list[AgreementPublication]:
    """Published agreements, newest first, that match ``filters`` (any signed-in user)."""
    query = (select(AgreementPublication).where(AgreementPublication.published_at.is_not(None))
             .order_by(AgreementPublication.published_at.desc(), AgreementPublication.id.desc()))
    if filters.sector:
        query = query.where(AgreementPublication.sector == filters.sector)
    if filters.province:
        query = query.where(AgreementPublication.province == filters.province)
    rows = list(session.scalars(query.limit(MAX_LISTED)))
    if filters.term:
        rows = [r for r in rows if standard(r.content, filters.term) is not None]
    return rows


def provinces(session: Session) -> list[str]:
    return list(session.scalars(select(AgreementPublication.province).where(
        AgreementPublication.published_at.is_not(None)).distinct().order_by(
        AgreementPublication.province)))


def get(session: Session, actor, publication_id: int) -> AgreementPublication:
    pub = session.get(AgreementPublication, publication_id)
    if pub is None or pub.published_at is None:
        raise NotFound("publication")
    return pub


# --- a new draft from a published agreement ------------------------------------------------------
def draft_targets(session: Session, actor) -> list[Negotiation]:
    """Negotiations the actor mediates that have no agreement yet and may have one drafted."""
    org = getattr(actor, "organisation_id", None)
    if org is None:
        return []
    rows = session.scalars(select(Negotiation).where(Negotiation.mediator_org_id == org)
                           .order_by(Negotiation.id.desc()).limit(MAX_LISTED))
    return [n for n in rows if n.state not in NOT_YET and agreement_of(session, n) is None]


class _Published:
    """The published standards in the place ``service.build_content`` reads an offer's terms."""

    def __init__(self, content: Mapping):
        self.terms = {s["key"]: s["value"] for s in content.get("standards") or []}


@atomic
def start_draft(session: Session, actor, publication_id: int, form: Mapping, *,
                now: dt.datetime) -> Agreement:
    """Version 1 of the agreement of ``form["negotiation_id"]`` (which the actor mediates and
    which has none yet), with the published agreement's standards, term and adjustment
    procedure; parties, scope and title are the negotiation's own."""
    pub = get(session, actor, publication_id)
    errors: dict[str, Msg] = {}
    negotiation_id = fields.integer(form, "negotiation_id", errors, minimum=1,
                                    maximum=2**31 - 1)
    if errors:
        raise ValidationError(errors)
    negotiation = negotiation_for(session, actor, negotiation_id)
    check_may_draft(session, actor, negotiation)
    source = pub.content
    adjustment = {k: v for k, v in (source.get("adjustment") or {}).items()
                  if k in ("review_month", "price_threshold_pct", "notice_days")}
    title_zh, title_en = default_titles(negotiation)
    data = {"offer": _Published(source), "term_years": int(source["term"]["years"]),
            "effective": nrecords.local_today(now), "adjustment": adjustment,
            "title_zh": title_zh, "title_en": title_en}
    content = build_content(session, negotiation, actor, data)
    return open_draft(session, actor, negotiation, content, offer_id=None,
                      summary=f"依据典型协议库第{pub.id}号起草", now=now, publication_id=pub.id)


# Installed into app.auth.permissions.RULES by app.rules.install: the library is public within
# the app (names hidden where the sides chose so).
LIBRARY_RULES = {"library.view": lambda u, _r: bool(getattr(u, "is_active", False))}
