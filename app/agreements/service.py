"""Agreement services: build from the accepted offer, edit (new version each time), comment,
approve, freeze for the vote, sign.

Every function takes the session, the acting user and ``now``; none reads the clock or the
request. Who sees what is in ``access``; printing is not here: ``sign`` receives the renderer of
the signed PDF from its caller (``app.reports.agreement.print_signed``). Access follows the
negotiation (``access.side_of``): the two sides and the assigned mediator see the agreement;
only the mediator builds it, edits its wording, freezes and signs it; each side approves.
Refusals: ``NotFound`` (404, existence not revealed), ``PermissionDenied`` (403),
``ValidationError`` (400, by field), ``IllegalTransition`` (409). A refused call writes nothing;
every change is audited.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from typing import Callable

from sqlalchemy.orm import Session

from app import audit
from app.auth.permissions import require
from app.db import atomic
from app.negotiations import fields, floor
from app.negotiations import terms as nterms
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import representatives as rep_service
from app.errors import IllegalTransition, Msg, NotFound, ValidationError
from app.negotiations.models import EMPLOYER, WORKER, Negotiation
from app.negotiations import outcomes as meeting_outcomes
from app.negotiations.models import Meeting

from . import clauses, consistency, document as A, limits, ratification, versions
from .access import (AgreementView, agreement_of, negotiation_for,
                     with_agreement)
from .models import Agreement, AgreementApproval, AgreementComment, AgreementVersion, SignedCopy

# The workers' vote has passed in these states (第三十六条), so the chiefs may sign.
VOTED_STATES = {"ratified", "signed", "filed", "in_force", "expired"}
NOT_YET = {"preparing", "refused"}
MAX_COMMENT = 2000


# The renderer of the signed original: (negotiation, content, *, signed_on, lang, floor) -> bytes.
Printer = Callable[..., bytes]


def _audit(session, actor, agreement, action, *, before=None, after=None, now) -> None:
    audit.record(session, actor=actor, action=f"agreement.{action}", target_type="agreement",
                 target_id=agreement.id, before=before, after=after, now=now)


# --- building ------------------------------------------------------------------------------------
def _parse_build_form(session, negotiation, form: Mapping, errors: dict) -> dict:
    offers = {str(o.id): o for o in offer_service.sent_offers(session, negotiation)}
    raw = str(form.get("offer_id") or "").strip()
    offer = None
    if raw:
        offer = offers.get(raw)
        if offer is None:
            errors["offer_id"] = Msg("Choose an offer sent in this consultation")
    else:
        offer = offer_service.accepted_offer(session, negotiation)
        if offer is None:
            errors["offer_id"] = Msg("No offer has been accepted by both sides yet; choose the "
                                    "offer the agreement is based on")
    years = fields.integer(form, "term_years", errors, minimum=1, maximum=3, default=None)
    effective = fields.date(form, "effective", errors)
    adjustment = {}
    for key, lo, hi in (("review_month", 1, 12), ("price_threshold_pct", 1, 100),
                        ("notice_days", 1, 365)):
        value = fields.integer(form, key, errors, required=False, minimum=lo, maximum=hi)
        if value is not None:
            adjustment[key] = value
    title = fields.text(form, "title_zh", errors, max_len=200, label=Msg("the title"))
    title_en = fields.text(form, "title_en", errors, max_len=300, label=Msg("the English title"))
    return {"offer": offer, "term_years": years, "effective": effective,
            "adjustment": adjustment, "title_zh": title, "title_en": title_en}


def default_titles(negotiation: Negotiation) -> tuple[str | None, str | None]:
    """The agreement's title from this negotiation's own (…集体协商 → …集体合同, …协商 →
    …协议); the English one names the level, sector and place. None: the document's default."""
    title = (negotiation.title or "").strip()
    zh = None
    if "集体协商" in title:
        zh = "集体合同".join(title.rsplit("集体协商", 1))
    elif "协商" in title:
        zh = "协议".join(title.rsplit("协商", 1))
    elif title.endswith(("合同", "协议")) or "合同（" in title or "协议（" in title:
        zh = title
    sector_en = A.SECTORS.get(negotiation.sector, A.SECTORS["delivery"])[1]
    place = negotiation.city or negotiation.province
    en = (f"Industry Collective Agreement for {sector_en} in {place}"
          if negotiation.variant == "industry" else None)
    return zh, en


def completed_package(terms: Mapping, current_rules) -> dict:
    """The offer's terms, with the partner of a working-time rule the offer left as it is today
    (a continuous-hours limit and its forced rest go together): the offer changes today's rules,
    so an unchanged partner keeps today's value."""
    package = dict(terms or {})
    today = nterms.current_pay(current_rules)
    for one, other in (("max_continuous_hours", "rest_minutes"),
                       ("rest_minutes", "max_continuous_hours")):
        if one in package and other not in package and (today.get(other) or 0) > 0:
            package[other] = today[other]
    return package


def build_content(session, negotiation: Negotiation, actor, data: Mapping) -> dict:
    """The first version from the chosen offer and the negotiation's parties and scope."""
    chiefs = rep_service.chief_names(session, negotiation)
    mediator = negotiation.mediator_org
    title_zh, title_en = default_titles(negotiation)
    return A.build_agreement(
        completed_package(data["offer"].terms, negotiation.current_rules),
        worker={"name": negotiation.worker_org.name, "chief": chiefs.get(WORKER, "")},
        employer={"name": negotiation.employer_org.name, "chief": chiefs.get(EMPLOYER, "")},
        mediator={"name": mediator.name, "chief": getattr(actor, "display_name", "") or ""}
        if mediator else None,
        scope={"region": negotiation.city or negotiation.province, "sector": negotiation.sector,
               "workers_covered": negotiation.workers_covered,
               "workers_count": negotiation.workers_count},
        term_years=data["term_years"], effective=data["effective"],
        title_zh=data["title_zh"] or title_zh, title_en=data["title_en"] or title_en,
        adjustment=data["adjustment"])


@atomic
def create(session: Session, actor, negotiation_id: int, form: Mapping, *,
           now: dt.datetime) -> Agreement:
    """Build the agreement (version 1) from the accepted offer, or the sent offer chosen."""
    negotiation = negotiation_for(session, actor, negotiation_id)
    check_may_draft(session, actor, negotiation)
    errors: dict[str, str] = {}
    data = _parse_build_form(session, negotiation, form, errors)
    if errors:
        raise ValidationError(errors)
    try:
        content = build_content(session, negotiation, actor, data)
    except ValidationError as e:
        raise ValidationError({k.replace("package.", "offer_id") if k.startswith("package.")
                               else k: v for k, v in e.errors.items()}) from None
    return open_draft(session, actor, negotiation, content, offer_id=data["offer"].id,
                      summary="依据方案起草", now=now)


def check_may_draft(session: Session, actor, negotiation) -> None:
    """Refuse unless ``actor`` may draft the agreement of ``negotiation`` and there is none yet."""
    require(actor, "agreement.edit", negotiation)
    if agreement_of(session, negotiation) is not None:
        raise IllegalTransition(Msg("This consultation already has a draft agreement"))
    if negotiation.state in NOT_YET:
        raise IllegalTransition(Msg("The consultation has not started; no agreement can be drafted "
                                    "yet"), state=negotiation.state)


def open_draft(session: Session, actor, negotiation, content: dict, *, offer_id: int | None,
               summary: str, now: dt.datetime, **audit_after) -> Agreement:
    """The agreement of ``negotiation`` in drafting, with ``content`` as its version 1 (after
    :func:`check_may_draft`); ``audit_after`` joins the audit entry."""
    agreement = Agreement(negotiation_id=negotiation.id, offer_id=offer_id,
                          status=A.Status.DRAFTING.value, latest_number=1,
                          created_by_id=actor.id, created_at=now, updated_at=now)
    session.add(agreement)
    session.flush()
    row = AgreementVersion(agreement_id=agreement.id, number=1, content=content,
                           fingerprint=versions.fingerprint(content), summary=summary,
                           created_by_id=actor.id, created_at=now)
    session.add(row)
    session.flush()
    _audit(session, actor, agreement, "create",
           after={**agreement.audit(), "fingerprint": row.fingerprint, **audit_after}, now=now)
    return agreement


# --- editing -------------------------------------------------------------------------------------
def _editable(session, actor, negotiation_id, form) -> tuple[AgreementView, AgreementVersion]:
    v = with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.edit", v.negotiation)
    A.ensure_editable(v.agreement.status)
    base = str(form.get("base") or "").strip()
    if base and base != str(v.latest.number):
        raise IllegalTransition(Msg("The agreement has a newer version (version %(n)s); reload the "
                                    "page before changing it", n=v.latest.number))
    return v, v.latest


def _save_version(session, actor, v: AgreementView, content: dict, summary: str,
                  now) -> AgreementVersion:
    agreement = v.agreement
    before = agreement.audit()
    number = v.latest.number + 1
    row = AgreementVersion(agreement_id=agreement.id, number=number, content=content,
                           fingerprint=versions.fingerprint(content), summary=summary[:300],
                           created_by_id=actor.id, created_at=now)
    session.add(row)
    agreement.latest_number = number
    agreement.updated_at = now
    session.flush()
    _audit(session, actor, agreement, "version", before=before,
           after={**agreement.audit(), "summary": summary, "fingerprint": row.fingerprint},
           now=now)
    return row


@atomic
def edit_article(session: Session, actor, negotiation_id: int, key: str, form: Mapping, *,
                 now: dt.datetime) -> AgreementVersion:
    """Save new wording for one article as a new version (mediator only)."""
    v, latest = _editable(session, actor, negotiation_id, form)
    regenerate = bool(form.get("regenerate"))
    content = A.edit_article(latest.content, key,
                             text_zh=form.get("text_zh"), text_en=form.get("text_en"),
                             title_zh=form.get("title_zh"), title_en=form.get("title_en"),
                             reviewed=bool(form.get("reviewed")), regenerate=regenerate)
    if content == latest.content:
        raise ValidationError({"text_zh": Msg("The text has not changed")})
    title = next(a["title_zh"] for a in content["articles"] if a["key"] == key)
    summary = f"按约定标准重新生成条款：{title}" if regenerate else f"修改条款：{title}"
    return _save_version(session, actor, v, content, summary, now)


@atomic
def edit_standard(session: Session, actor, negotiation_id: int, key: str, form: Mapping, *,
                  now: dt.datetime) -> AgreementVersion:
    """Change one agreed standard's value as a new version (mediator only)."""
    v, latest = _editable(session, actor, negotiation_id, form)
    value = limits.parse_input(clauses.STANDARD_BY_KEY[key], form.get("value"))
    try:
        content = A.set_standard(latest.content, key, form.get("value") if value is None
                                 else value)
    except ValidationError as e:
        raise ValidationError({"value": next(iter(e.errors.values()))}) from None
    if content == latest.content:
        raise ValidationError({"value": Msg("The value has not changed")})
    label = clauses.STANDARD_BY_KEY[key].label_zh
    return _save_version(session, actor, v, content, f"修改标准：{label}", now)


@atomic
def apply_meeting_outcomes(session: Session, actor, negotiation_id: int, meeting_id: int, *,
                           now: dt.datetime) -> AgreementVersion:
    """Set every standard agreed in a meeting's minutes as ONE new version (mediator only),
    through ``document.set_standard`` (validated; the articles regenerated). A refused value
    is a ``ValidationError`` under ``outcome.<term>``; nothing is written."""
    v, latest = _editable(session, actor, negotiation_id, {})
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.negotiation_id != v.negotiation.id:
        raise NotFound(Msg("No such meeting"))
    held = {s["key"] for s in latest.content.get("standards", [])}
    content, labels = latest.content, []
    for key, value in meeting_outcomes.agreed_values(session, meeting).items():
        if key not in held:
            continue
        try:
            content = A.set_standard(content, key, value)
        except ValidationError as e:
            raise ValidationError({f"outcome.{key}": next(iter(e.errors.values()))}) from None
        labels.append(clauses.STANDARD_BY_KEY[key].label_zh)
    if content == latest.content:
        raise ValidationError({"meeting": Msg(
            "Meeting %(n)s agreed no value that changes a standard of this draft",
            n=meeting.number)})
    summary = f"采纳第{meeting.number}次会议的结果：" + "、".join(labels)
    return _save_version(session, actor, v, content, summary, now)


@atomic
def comment(session: Session, actor, negotiation_id: int, form: Mapping, *,
            now: dt.datetime) -> AgreementComment:
    """A comment by the actor's side on the latest version."""
    v = with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.comment", v.negotiation)
    errors: dict[str, str] = {}
    body = fields.text(form, "body", errors, required=True, max_len=MAX_COMMENT,
                       label=Msg("the comment"))
    article = str(form.get("article") or "").strip()
    if article and article not in {a["key"] for a in v.content["articles"]}:
        errors["article"] = Msg("There is no such article")
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
    return row


@atomic
def approve(session: Session, actor, negotiation_id: int, form: Mapping, *,
            now: dt.datetime) -> AgreementApproval:
    """The actor's side approves the latest version (``form["number"]`` must be it)."""
    v = with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.approve", v.negotiation)
    A.ensure_editable(v.agreement.status)
    number = str(form.get("number") or "").strip()
    if number != str(v.latest.number):
        raise IllegalTransition(Msg("Only the latest version (version %(n)s) can be approved; reload "
                                    "the page before approving", n=v.latest.number))
    if v.side in v.approved_sides():
        raise IllegalTransition(Msg("Your side has already approved this version"))
    row = AgreementApproval(agreement_id=v.agreement.id, number=v.latest.number, side=v.side,
                            organisation_id=actor.organisation_id, user_id=actor.id,
                            approved_at=now)
    session.add(row)
    session.flush()
    _audit(session, actor, v.agreement, "approve",
           after={"number": row.number, "side": row.side}, now=now)
    return row


@atomic
def freeze(session: Session, actor, negotiation_id: int, *, now: dt.datetime) -> Agreement:
    """Freeze the latest version for the workers' vote (both sides must have approved it)."""
    v = with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.edit", v.negotiation)
    A.check_freeze(v.agreement.status, v.approved_sides())
    consistency.ensure_consistent(v.latest.content)
    before = v.agreement.audit()
    v.agreement.status = A.Status.FROZEN.value
    v.agreement.frozen_number = v.latest.number
    v.agreement.frozen_at = now
    v.agreement.updated_at = now
    session.flush()
    _audit(session, actor, v.agreement, "freeze", before=before, after=v.agreement.audit(),
           now=now)
    return v.agreement


@atomic
def sign(session: Session, actor, negotiation_id: int, form: Mapping, *, printer: Printer,
         now: dt.datetime) -> SignedCopy:
    """Record the chiefs' signatures on the frozen version and archive the signed PDF/A once.

    ``printer(negotiation, content, signed_on=, lang=, floor=)`` returns the signed PDF's bytes
    (the web layer and the demo pass ``app.reports.agreement.print_signed``): the domain does not
    know how a document is printed.
    """
    v = with_agreement(session, actor, negotiation_id)
    require(actor, "agreement.edit", v.negotiation)
    A.check_sign(v.agreement.status)
    # Variants without a congress vote (minutes, platform rules) sign the agreed draft.
    voted = VOTED_STATES if v.negotiation.ruleset.vote_required else VOTED_STATES | {
        "draft_agreed"}
    if v.negotiation.state not in voted:
        raise IllegalTransition(Msg("The workers' congress or all the workers have not yet approved "
                                    "the draft by vote; it cannot be signed (Art. 36, Collective "
                                    "Contract Provisions)"),
                                state=v.negotiation.state, event="sign")
    errors: dict[str, str] = {}
    today = nrecords.local_today(now)
    signed_on = fields.date(form, "signed_on", errors, default=today)
    fields.not_future(signed_on, "signed_on", today, errors)
    lang = str(form.get("lang") or "zh")
    if lang not in A.LANGS:
        errors["lang"] = Msg("Invalid language")
    if errors:
        raise ValidationError(errors)
    frozen = next(r for r in v.versions if r.number == v.agreement.frozen_number)
    ratification.check_signable(session, v, frozen)
    cited = floor.cite(session, v.negotiation, signed_on, signed=True)
    data = printer(v.negotiation, frozen.content, signed_on=signed_on, lang=lang, floor=cited)
    copy = SignedCopy(agreement_id=v.agreement.id, number=frozen.number, signed_on=signed_on,
                      lang=lang, sha256=hashlib.sha256(data).hexdigest(), size=len(data), pdf=data,
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
    return copy
