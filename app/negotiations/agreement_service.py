"""Agreement services: build from the accepted offer, edit (new version each time), comment,
approve, freeze for the vote, sign, print and verify.

Every function takes the session, the acting user and ``now``; none reads the clock or the
request. Access follows the negotiation (``access.side_of``): the two sides and the assigned
mediator see the agreement; only the mediator builds it, edits its wording, freezes and signs it;
each side approves. Refusals: ``NotFound`` (404, existence not revealed), ``PermissionDenied``
(403), ``ValidationError`` (400, by field), ``IllegalTransition`` (409). A refused call writes
nothing; every change is audited.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, aliased

from app import audit
from app.auth.permissions import PermissionDenied, RULES, require

from . import access, agreements as A, clauses, fields, floor
from . import service as nservice
from .agreement_models import (Agreement, AgreementApproval, AgreementComment, AgreementVersion,
                               SignedCopy)
from .errors import IllegalTransition, NotFound, ValidationError
from .models import EMPLOYER, WORKER, Negotiation, Offer

MEDIATOR = access.MEDIATOR
SIDES = (WORKER, EMPLOYER)
# The workers' vote has passed in these states (第三十六条), so the chiefs may sign.
VOTED_STATES = {"ratified", "signed", "filed", "in_force", "expired"}
NOT_YET = {"preparing", "refused"}
MAX_COMMENT = 2000
MAX_PDF_UPLOAD = 20 * 1024 * 1024


def _is_mediator(user, negotiation) -> bool:
    return access.side_of(user, negotiation) == MEDIATOR


RULES.update({
    "agreement.list": lambda u, r: True,  # the list shows only negotiations the user takes part in
    "agreement.view": lambda u, n: access.side_of(u, n) is not None,
    "agreement.comment": lambda u, n: access.side_of(u, n) is not None,
    "agreement.edit": _is_mediator,
    "agreement.approve": lambda u, n: access.side_of(u, n) in SIDES,
})


def _atomic(fn):
    @functools.wraps(fn)
    def wrapper(session, *args, **kwargs):
        try:
            return fn(session, *args, **kwargs)
        except BaseException:
            session.rollback()
            raise
    return wrapper


def _audit(session, actor, agreement, action, *, before=None, after=None, now) -> None:
    audit.record(session, actor=actor, action=f"agreement.{action}", target_type="agreement",
                 target_id=agreement.id, before=before, after=after, now=now)


# --- reading -------------------------------------------------------------------------------------
@dataclass
class AgreementView:
    """Everything the agreement page shows, for one actor."""

    negotiation: Negotiation
    side: str
    agreement: Agreement | None = None
    versions: list[AgreementVersion] = field(default_factory=list)
    approvals: list[AgreementApproval] = field(default_factory=list)
    comments: list[AgreementComment] = field(default_factory=list)
    signed: SignedCopy | None = None

    @property
    def latest(self) -> AgreementVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def content(self) -> dict | None:
        return self.latest.content if self.latest else None

    def approved_sides(self, number: int | None = None) -> set[str]:
        number = number or (self.latest.number if self.latest else None)
        return {a.side for a in self.approvals if a.number == number}

    @property
    def can_edit(self) -> bool:
        return (self.side == MEDIATOR and self.agreement is not None
                and self.agreement.status == A.Status.DRAFTING)

    @property
    def can_approve(self) -> bool:
        return (self.side in SIDES and self.agreement is not None
                and self.agreement.status == A.Status.DRAFTING
                and self.side not in self.approved_sides())


def negotiation_for(session: Session, actor, negotiation_id: int) -> Negotiation:
    return nservice.get_negotiation(session, actor, negotiation_id)


def _agreement_of(session, negotiation) -> Agreement | None:
    return session.scalar(select(Agreement).where(Agreement.negotiation_id == negotiation.id))


def view(session: Session, actor, negotiation_id: int) -> AgreementView:
    """The agreement of a negotiation as ``actor`` sees it (``agreement`` None if not built)."""
    negotiation = negotiation_for(session, actor, negotiation_id)
    require(actor, "agreement.view", negotiation)
    out = AgreementView(negotiation=negotiation, side=access.side_of(actor, negotiation))
    agreement = _agreement_of(session, negotiation)
    if agreement is None:
        return out
    out.agreement = agreement
    out.versions = list(session.scalars(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id).order_by(AgreementVersion.number)))
    out.approvals = list(session.scalars(select(AgreementApproval).where(
        AgreementApproval.agreement_id == agreement.id).order_by(AgreementApproval.id)))
    out.comments = list(session.scalars(select(AgreementComment).where(
        AgreementComment.agreement_id == agreement.id).order_by(AgreementComment.id)))
    out.signed = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    return out


@dataclass(frozen=True)
class Waiting:
    """An agreement waiting for the actor's side (the dashboard's to-do), without its text.

    ``reason``: ``"approve"`` (the side has not approved the latest version), ``"freeze"``
    (mediator: both sides approved it) or ``"sign"`` (mediator: frozen for the workers' vote).
    """

    negotiation: Negotiation
    side: str
    status: str
    number: int
    title_zh: str
    title_en: str
    reason: str


@functools.cache
def _waiting_query():
    """The statement of ``waiting`` (built once: building it costs more than running it)."""
    approvals = [aliased(AgreementApproval) for _side in SIDES]  # of the latest version
    query = (
        select(Negotiation, Agreement.status, Agreement.latest_number,
               AgreementVersion.content["title_zh"].as_string(),
               AgreementVersion.content["title_en"].as_string(),
               *(a.id for a in approvals))
        .join(Agreement, Agreement.negotiation_id == Negotiation.id)
        .join(AgreementVersion, (AgreementVersion.agreement_id == Agreement.id)
              & (AgreementVersion.number == Agreement.latest_number))
        .where(Negotiation.has_party(bindparam("org")))
        .where(Agreement.status.in_((A.Status.DRAFTING.value, A.Status.FROZEN.value)))
        .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc()))
    for side, a in zip(SIDES, approvals):
        query = query.outerjoin(a, (a.agreement_id == Agreement.id)
                                & (a.number == Agreement.latest_number) & (a.side == side))
    return query


def waiting(session: Session, actor) -> list[Waiting]:
    """Agreements of the actor's negotiations that wait for the actor's side, in the order of
    ``negotiations_for``: the to-do ``view`` would give per negotiation, in one query that
    reads the titles of the latest versions but not their whole text."""
    if not getattr(actor, "is_active", False):
        return []
    result = session.execute(_waiting_query(), {"org": actor.organisation_id})
    rows = []
    for negotiation, status, number, title_zh, title_en, *approved_ids in result:
        side = access.side_of(actor, negotiation)
        approved = {s for s, a in zip(SIDES, approved_ids) if a is not None}
        if side in SIDES and status == A.Status.DRAFTING and side not in approved:
            reason = "approve"
        elif side == MEDIATOR and status == A.Status.DRAFTING and len(approved) == 2:
            reason = "freeze"
        elif side == MEDIATOR and status == A.Status.FROZEN:
            reason = "sign"
        else:
            continue
        rows.append(Waiting(negotiation, side, status, number, title_zh or "", title_en or "",
                            reason))
    return rows


def version(session: Session, actor, negotiation_id: int, number: Any) -> AgreementVersion:
    v = view(session, actor, negotiation_id)
    for row in v.versions:
        if str(row.number) == str(number).strip():
            return row
    raise NotFound("agreement version")


def redline(session: Session, actor, negotiation_id: int, old: Any, new: Any) -> dict:
    """Redline between versions ``old`` and ``new`` (numbers)."""
    a = version(session, actor, negotiation_id, old)
    b = version(session, actor, negotiation_id, new)
    return {"old": a, "new": b, **A.redline(a.content, b.content)}


def candidate_offers(session: Session, actor, negotiation: Negotiation) -> list[Offer]:
    """Sent offers the agreement may be built from (the accepted one first, if any)."""
    offers = list(reversed(nservice.sent_offers(session, negotiation)))
    accepted = nservice.accepted_offer(session, negotiation)
    if accepted is not None:
        offers = [accepted] + [o for o in offers if o.id != accepted.id]
    return offers


# --- building ------------------------------------------------------------------------------------
def _parse_build_form(session, negotiation, form: Mapping, errors: dict) -> dict:
    offers = {str(o.id): o for o in nservice.sent_offers(session, negotiation)}
    raw = str(form.get("offer_id") or "").strip()
    offer = None
    if raw:
        offer = offers.get(raw)
        if offer is None:
            errors["offer_id"] = "请选择本协商中已发出的方案"
    else:
        offer = nservice.accepted_offer(session, negotiation)
        if offer is None:
            errors["offer_id"] = "尚无双方认可的方案，请选择作为协议基础的方案"
    years = fields.integer(form, "term_years", errors, minimum=1, maximum=3, default=None)
    effective = fields.date(form, "effective", errors)
    adjustment = {}
    for key, lo, hi in (("review_month", 1, 12), ("price_threshold_pct", 1, 100),
                        ("notice_days", 1, 365)):
        value = fields.integer(form, key, errors, required=False, minimum=lo, maximum=hi)
        if value is not None:
            adjustment[key] = value
    title = fields.text(form, "title_zh", errors, max_len=200, label="标题")
    title_en = fields.text(form, "title_en", errors, max_len=300, label="英文标题")
    return {"offer": offer, "term_years": years, "effective": effective,
            "adjustment": adjustment, "title_zh": title, "title_en": title_en}


def build_content(session, negotiation: Negotiation, actor, data: Mapping) -> dict:
    """The first version from the chosen offer and the negotiation's parties and scope."""
    chiefs = nservice.chief_names(session, negotiation)
    mediator = negotiation.mediator_org
    return A.build_agreement(
        dict(data["offer"].terms or {}),
        worker={"name": negotiation.worker_org.name, "chief": chiefs.get(WORKER, "")},
        employer={"name": negotiation.employer_org.name, "chief": chiefs.get(EMPLOYER, "")},
        mediator={"name": mediator.name, "chief": getattr(actor, "display_name", "") or ""}
        if mediator else None,
        scope={"region": negotiation.city or negotiation.province, "sector": negotiation.sector,
               "workers_covered": negotiation.workers_covered,
               "workers_count": negotiation.workers_count},
        term_years=data["term_years"], effective=data["effective"],
        title_zh=data["title_zh"] or None, title_en=data["title_en"] or None,
        adjustment=data["adjustment"])


@_atomic
def create(session: Session, actor, negotiation_id: int, form: Mapping, *,
           now: dt.datetime) -> Agreement:
    """Build the agreement (version 1) from the accepted offer, or the sent offer chosen."""
    negotiation = negotiation_for(session, actor, negotiation_id)
    require(actor, "agreement.edit", negotiation)
    if _agreement_of(session, negotiation) is not None:
        raise IllegalTransition("本协商已有协议草案")
    if negotiation.state in NOT_YET:
        raise IllegalTransition("协商尚未开始，不能起草协议", state=negotiation.state)
    errors: dict[str, str] = {}
    data = _parse_build_form(session, negotiation, form, errors)
    if errors:
        raise ValidationError(errors)
    try:
        content = build_content(session, negotiation, actor, data)
    except ValidationError as e:
        raise ValidationError({k.replace("package.", "offer_id") if k.startswith("package.")
                               else k: v for k, v in e.errors.items()}) from None
    agreement = Agreement(negotiation_id=negotiation.id, offer_id=data["offer"].id,
                          status=A.Status.DRAFTING.value, latest_number=1,
                          created_by_id=actor.id, created_at=now, updated_at=now)
    session.add(agreement)
    session.flush()
    row = AgreementVersion(agreement_id=agreement.id, number=1, content=content,
                           fingerprint=A.fingerprint(content), summary="依据方案起草",
                           created_by_id=actor.id, created_at=now)
    session.add(row)
    session.flush()
    _audit(session, actor, agreement, "create",
           after={**agreement.audit(), "fingerprint": row.fingerprint}, now=now)
    session.commit()
    return agreement


# --- editing -------------------------------------------------------------------------------------
def _with_agreement(session, actor, negotiation_id) -> AgreementView:
    """The view of a negotiation that has an agreement (NotFound otherwise)."""
    v = view(session, actor, negotiation_id)
    if v.agreement is None:
        raise NotFound("agreement")
    return v


def _editable(session, actor, negotiation_id, form) -> tuple[AgreementView, AgreementVersion]:
    v = _with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.edit", v.negotiation)
    A.ensure_editable(v.agreement.status)
    base = str(form.get("base") or "").strip()
    if base and base != str(v.latest.number):
        raise IllegalTransition(f"协议已有更新的版本（第{v.latest.number}版），请刷新后再修改")
    return v, v.latest


def _save_version(session, actor, v: AgreementView, content: dict, summary: str,
                  now) -> AgreementVersion:
    agreement = v.agreement
    before = agreement.audit()
    number = v.latest.number + 1
    row = AgreementVersion(agreement_id=agreement.id, number=number, content=content,
                           fingerprint=A.fingerprint(content), summary=summary[:300],
                           created_by_id=actor.id, created_at=now)
    session.add(row)
    agreement.latest_number = number
    agreement.updated_at = now
    session.flush()
    _audit(session, actor, agreement, "version", before=before,
           after={**agreement.audit(), "summary": summary, "fingerprint": row.fingerprint},
           now=now)
    session.commit()
    return row


@_atomic
def edit_article(session: Session, actor, negotiation_id: int, key: str, form: Mapping, *,
                 now: dt.datetime) -> AgreementVersion:
    """Save new wording for one article as a new version (mediator only)."""
    v, latest = _editable(session, actor, negotiation_id, form)
    content = A.edit_article(latest.content, key,
                             text_zh=form.get("text_zh"), text_en=form.get("text_en"),
                             title_zh=form.get("title_zh"), title_en=form.get("title_en"))
    if content == latest.content:
        raise ValidationError({"text_zh": "内容没有变化"})
    title = next(a["title_zh"] for a in content["articles"] if a["key"] == key)
    return _save_version(session, actor, v, content, f"修改条款：{title}", now)


@_atomic
def edit_standard(session: Session, actor, negotiation_id: int, key: str, form: Mapping, *,
                  now: dt.datetime) -> AgreementVersion:
    """Change one agreed standard's value as a new version (mediator only)."""
    v, latest = _editable(session, actor, negotiation_id, form)
    try:
        content = A.set_standard(latest.content, key, form.get("value"))
    except ValidationError as e:
        raise ValidationError({"value": next(iter(e.errors.values()))}) from None
    if content == latest.content:
        raise ValidationError({"value": "数值没有变化"})
    label = clauses.STANDARD_BY_KEY[key].label_zh
    return _save_version(session, actor, v, content, f"修改标准：{label}", now)


@_atomic
def comment(session: Session, actor, negotiation_id: int, form: Mapping, *,
            now: dt.datetime) -> AgreementComment:
    """A comment by the actor's side on the latest version."""
    v = _with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.comment", v.negotiation)
    errors: dict[str, str] = {}
    body = fields.text(form, "body", errors, required=True, max_len=MAX_COMMENT, label="意见")
    article = str(form.get("article") or "").strip()
    if article and article not in {a["key"] for a in v.content["articles"]}:
        errors["article"] = "没有这一条"
    if errors:
        raise ValidationError(errors)
    row = AgreementComment(agreement_id=v.agreement.id, number=v.latest.number, side=v.side,
                           organisation_id=actor.organisation_id, author_id=actor.id,
                           article=article, body=body, created_at=now)
    session.add(row)
    session.flush()
    _audit(session, actor, v.agreement, "comment",
           after={"number": row.number, "side": row.side, "article": article, "body": body},
           now=now)
    session.commit()
    return row


@_atomic
def approve(session: Session, actor, negotiation_id: int, form: Mapping, *,
            now: dt.datetime) -> AgreementApproval:
    """The actor's side approves the latest version (``form["number"]`` must be it)."""
    v = _with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.approve", v.negotiation)
    A.ensure_editable(v.agreement.status)
    number = str(form.get("number") or "").strip()
    if number != str(v.latest.number):
        raise IllegalTransition(f"只能认可最新版本（第{v.latest.number}版），请刷新后再认可")
    if v.side in v.approved_sides():
        raise IllegalTransition("本方已认可该版本")
    row = AgreementApproval(agreement_id=v.agreement.id, number=v.latest.number, side=v.side,
                            organisation_id=actor.organisation_id, user_id=actor.id,
                            approved_at=now)
    session.add(row)
    session.flush()
    _audit(session, actor, v.agreement, "approve",
           after={"number": row.number, "side": row.side}, now=now)
    session.commit()
    return row


@_atomic
def freeze(session: Session, actor, negotiation_id: int, *, now: dt.datetime) -> Agreement:
    """Freeze the latest version for the workers' vote (both sides must have approved it)."""
    v = _with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.edit", v.negotiation)
    A.check_freeze(v.agreement.status, v.approved_sides())
    before = v.agreement.audit()
    v.agreement.status = A.Status.FROZEN.value
    v.agreement.frozen_number = v.latest.number
    v.agreement.frozen_at = now
    v.agreement.updated_at = now
    session.flush()
    _audit(session, actor, v.agreement, "freeze", before=before, after=v.agreement.audit(),
           now=now)
    session.commit()
    return v.agreement


def annex_for(negotiation: Negotiation, content: Mapping, lang: str = "zh") -> dict | None:
    """The simulated effect of the agreed standards vs the negotiation's current rules (the
    package effect every page shows: ``app.simulator.effect.package_effect``).

    Same inputs give the same figures (fixed seed), so results are cached by their inputs: a
    second download of the same version does not simulate again.
    """
    current = negotiation.current_rules if isinstance(negotiation.current_rules, Mapping) \
        else None
    package = {s["key"]: s["value"] for s in content["standards"]}
    sector = negotiation.sector if negotiation.sector in A.SECTORS else "delivery"
    key = json.dumps([current, package, sector, lang], sort_keys=True, default=str)
    return _annex(key)


@functools.lru_cache(maxsize=32)
def _annex(key: str) -> dict | None:
    from app.reports import agreement_annex
    current, package, sector, lang = json.loads(key)
    return agreement_annex.simulated_effect(current, package, sector=sector, lang=lang)


@_atomic
def sign(session: Session, actor, negotiation_id: int, form: Mapping, *,
         now: dt.datetime) -> SignedCopy:
    """Record the chiefs' signatures on the frozen version and archive the signed PDF/A once."""
    from app.reports import pdf
    v = _with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.edit", v.negotiation)
    A.check_sign(v.agreement.status)
    # Variants without a congress vote (minutes, platform rules) sign the agreed draft.
    voted = VOTED_STATES if v.negotiation.ruleset.vote_required else VOTED_STATES | {
        "draft_agreed"}
    if v.negotiation.state not in voted:
        raise IllegalTransition("职工代表大会或全体职工尚未表决通过草案，不能签署（第三十六条）",
                                state=v.negotiation.state, event="sign")
    errors: dict[str, str] = {}
    today = nservice.local_today(now)
    signed_on = fields.date(form, "signed_on", errors, default=today)
    fields.not_future(signed_on, "signed_on", today, errors)
    lang = str(form.get("lang") or "zh")
    if lang not in pdf.LANGS:
        errors["lang"] = "语言无效"
    if errors:
        raise ValidationError(errors)
    frozen = next(r for r in v.versions if r.number == v.agreement.frozen_number)
    cited = floor.cite(session, v.negotiation, signed_on, signed=True)
    data = pdf.render_signed(frozen.content, signed_on=signed_on, lang=lang,
                             annex=annex_for(v.negotiation, frozen.content, lang), floor=cited)
    copy = SignedCopy(agreement_id=v.agreement.id, number=frozen.number, signed_on=signed_on,
                      lang=lang, sha256=pdf.sha256(data), size=len(data), pdf=data,
                      floor=cited, created_by_id=actor.id, created_at=now)
    session.add(copy)
    before = v.agreement.audit()
    v.agreement.status = A.Status.SIGNED.value
    v.agreement.signed_at = now
    v.agreement.updated_at = now
    session.flush()
    _audit(session, actor, v.agreement, "sign", before=before,
           after={**v.agreement.audit(), "sha256": copy.sha256, "size": copy.size,
                  "signed_on": signed_on.isoformat()}, now=now)
    session.commit()
    return copy


# --- printing and verification -------------------------------------------------------------------
def render_pdf(session: Session, actor, negotiation_id: int, *, lang: str = "zh",
               number: Any = None, annex: bool = True,
               now: dt.datetime) -> tuple[str, bytes]:
    """``(filename, bytes)``: the signed original when signed (same language, no version asked),
    otherwise the draft of the asked or latest version with its watermark (its floor clause
    citing the minimum wage in force on ``now``'s day)."""
    from app.reports import pdf
    if lang not in pdf.LANGS:
        raise ValidationError({"lang": "语言无效"})
    v = _with_agreement(session, actor, negotiation_id)
    if v.signed is not None and number in (None, "") and lang == v.signed.lang:
        return f"agreement-{v.negotiation.id}-signed.pdf", v.signed.pdf
    if number not in (None, ""):
        row = version(session, actor, negotiation_id, number)
    elif v.signed is not None:  # the signed text in the other language: a rendition, no watermark
        row = next(r for r in v.versions if r.number == v.signed.number)
    else:
        row = v.latest
    is_signed = v.signed is not None and row.number == v.signed.number
    signed_on = v.signed.signed_on if is_signed else None
    annex_data = annex_for(v.negotiation, row.content, lang) if annex else None
    cited = floor.for_version(session, v.negotiation, v.signed, row.number,
                              nservice.local_today(now))
    # A version never changes, so the same version, language, annex and citation print the same
    # bytes.
    key = (row.id, lang, is_signed, signed_on,
           json.dumps([annex_data, cited], sort_keys=True, default=str))
    data = _PRINTED.get(key)
    if data is None:
        data = pdf.render_agreement(row.content, lang=lang, draft=not is_signed,
                                    signed_on=signed_on, annex=annex_data, floor=cited)
        _PRINTED.put(key, data)
    return f"agreement-{v.negotiation.id}-v{row.number}-{lang}.pdf", data


class _LastPrinted:
    """The most recently printed PDFs of this process (rendering one takes about a second)."""

    def __init__(self, size: int = 16):
        self.size, self.items = size, {}

    def get(self, key):
        data = self.items.pop(key, None)
        if data is not None:
            self.items[key] = data  # most recent last
        return data

    def put(self, key, data: bytes) -> None:
        self.items[key] = data
        while len(self.items) > self.size:
            self.items.pop(next(iter(self.items)))


_PRINTED = _LastPrinted()


def render_pdf_system(session: Session, negotiation_id: int, *, lang: str = "zh",
                      now: dt.datetime) -> tuple[str, bytes]:
    """For the command line (full rights): the signed original, or the latest draft."""
    from app.reports import pdf
    negotiation = session.get(Negotiation, negotiation_id)
    agreement = _agreement_of(session, negotiation) if negotiation else None
    if agreement is None:
        raise NotFound("agreement")
    signed = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    if signed is not None and signed.lang == lang:
        return f"agreement-{negotiation_id}-signed.pdf", signed.pdf
    latest = session.scalar(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id, AgreementVersion.number ==
        (agreement.frozen_number if signed is not None else agreement.latest_number)))
    data = pdf.render_agreement(latest.content, lang=lang, draft=signed is None,
                                annex=annex_for(negotiation, latest.content, lang),
                                signed_on=signed.signed_on if signed else None,
                                floor=floor.for_version(session, negotiation, signed,
                                                        latest.number, nservice.local_today(now)))
    return f"agreement-{negotiation_id}-v{latest.number}-{lang}.pdf", data


@dataclass
class Verification:
    matches: bool
    sha256: str
    negotiation: Negotiation | None = None
    copy: SignedCopy | None = None


def verify_upload(session: Session, actor, data: bytes) -> Verification:
    """Whether ``data`` is byte for byte a signed original the actor may see (by SHA-256)."""
    from app.reports import pdf
    if not data:
        raise ValidationError({"file": "请选择要核验的 PDF 文件"})
    if len(data) > MAX_PDF_UPLOAD:
        raise ValidationError({"file": "文件过大"})
    digest = pdf.sha256(data)
    for copy in session.scalars(select(SignedCopy).where(SignedCopy.sha256 == digest)):
        agreement = session.get(Agreement, copy.agreement_id)
        negotiation = agreement.negotiation
        if access.side_of(actor, negotiation) is not None and pdf.verify(data, copy.sha256):
            return Verification(True, digest, negotiation, copy)
    return Verification(False, digest)


__all__ = ["AgreementView", "NotFound", "PermissionDenied", "approve", "comment", "create",
           "edit_article", "edit_standard", "freeze", "redline", "render_pdf", "sign",
           "verify_upload", "view"]
