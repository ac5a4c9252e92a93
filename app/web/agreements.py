"""Agreement drafting: build from the accepted offer, edit clauses inline, versions and redline,
comments, approvals, freeze, sign, PDF download, and verification of a signed copy.

Thin views: parse the form, call one function of ``app.agreements.service`` (or ``access``, or
``app.reports.agreement`` for printing), render
the page or the fragment (decided by ``htmx.target``) or redirect. Domain refusals map to
400 (form with messages beside the fields), 403, 404 and 409.
"""
from __future__ import annotations

import functools

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.agreements import access, clauses, ratification, service
from app.agreements.models import Agreement, AgreementVersion
from app.auth.permissions import can
from app.db import utcnow
from app.negotiations import floor
from app.negotiations import service as nservice
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.errors import ValidationError
from app.reports import agreement as agreement_print
from app.reports import agreement_docx
from app.reports import procedure_documents as documents
from app.web.agreements_cli import render_command
from app.web.database import db
from app.web.agreements_checks import LANG_LABEL, checks_of, input_value, version_summary
from app.web.errors import field_messages, required_version
from app.web.forms import posted_form
from app.web.htmx import render_page_or_fragment, wants_fragment

bp = Blueprint("agreements", __name__)
bp.cli.add_command(render_command)  # flask agreements render


STATUS = {"drafting": _l("Drafting"), "frozen": _l("Frozen for the workers' vote"),
          "signed": _l("Signed")}
SIDE = {"worker": _l("Union side"), "employer": _l("Platform side"),
        "mediator": _l("Mediator")}


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.app_context_processor
def _labels():
    return {"agreement_status_label": lambda s: STATUS.get(s, s),
            "agreement_side_label": lambda s: SIDE.get(s, s),
            "doc_lang": document_language,
            "agreement_article_heading": lambda n: clauses.article_heading(n, document_language()),
            "agreement_summary": agreement_summary, "agreement_todo": _todo,
            "agreement_frozen": _frozen, "version_summary": version_summary}


def _todo() -> list:
    """Agreements waiting for the user's side: approve the latest version, freeze or sign."""
    rows = []
    for w in access.waiting(db(), current_user):
        if w.reason == "approve":
            rows.append((w, _("Your side has not approved version %(n)s yet.", n=w.number)))
        elif w.reason == "freeze":
            rows.append((w, _("Both sides approved: freeze it for the workers' vote.")))
        else:
            rows.append((w, _("Frozen: record the signing once the workers approve.")))
    return rows


def agreement_summary(negotiation):
    """The agreement row of a negotiation the page already shows (for the link on it)."""
    return db().scalar(select(Agreement).where(Agreement.negotiation_id == negotiation.id))


def _frozen(negotiation):
    """The agreement version frozen for the workers' vote (the vote form names it), or None."""
    agreement = agreement_summary(negotiation)
    if agreement is None or agreement.status != "frozen":
        return None
    return db().scalar(select(AgreementVersion).where(
        AgreementVersion.agreement_id == agreement.id,
        AgreementVersion.number == agreement.frozen_number))


def document_language() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def _conflict(message: str):
    abort(409, description=message)


def call_service(fn, *args, **kwargs):
    """Run a service call; a concurrent save is 409 (NotFound → 404 and IllegalTransition → 409
    by app.web.errors; validation is the caller's)."""
    try:
        return fn(db(), current_user, *args, **kwargs)
    except StaleDataError:
        db().rollback()
        _conflict(_("Someone else changed this agreement first; reload and try again."))


def _stale(v, form) -> bool:
    """The form was loaded from an older version than the latest (someone saved since)."""
    if v.latest is None:
        return False
    return required_version(form, "base") != str(v.latest.number)


def load_view(negotiation_id: int):
    return call_service(access.view, negotiation_id)


# --- list --------------------------------------------------------------------------------------
@bp.get("/agreements/")
def index():
    rows = []
    for negotiation in nservice.negotiations_for(db(), current_user):
        rows.append(access.view(db(), current_user, negotiation.id))
    return render_template("agreements/index.html", rows=rows)


# --- the agreement page --------------------------------------------------------------------------
def _offer_options(v) -> list[tuple[int, str]]:
    if v.agreement is not None or v.side != "mediator":
        return []
    accepted = offer_service.accepted_offer(db(), v.negotiation)
    options = []
    for offer in access.candidate_offers(db(), current_user, v.negotiation):
        en = str(get_locale()) == "en"
        terms = (", " if en else "，").join(
            f"{getattr(clauses.STANDARD_BY_KEY[k], 'label_en' if en else 'label_zh')} {val}"
            for k, val in (offer.terms or {}).items() if k in clauses.STANDARD_BY_KEY)
        label = f"{offer.sent_on.isoformat() if offer.sent_on else ''} · {SIDE[offer.side]}"
        if accepted is not None and offer.id == accepted.id:
            label += " · " + _("accepted")
        options.append((offer.id, f"{label} · {terms}"[:160]))
    return options


def _form_action(action, negotiation_id: int, done: str, anchor: str | None = None):
    """Run a form's service call: the page with messages (400) or back to it with ``done``."""
    form = posted_form()
    try:
        call_service(action, negotiation_id, form, now=utcnow())
    except ValidationError as exc:
        return render_agreement(load_view(negotiation_id), errors=field_messages(exc), form=form,
                                status=400)
    flash(done, "success")
    return redirect(url_for("agreements.show", negotiation_id=negotiation_id, _anchor=anchor))


def _floor_line(v) -> str:
    """The minimum wage the floor clause cites, as printed under the standards article."""
    if v.agreement is None:
        return ""
    cited = floor.for_version(db(), v.negotiation, v.signed, None, nrecords.local_today(utcnow()))
    return floor.text(cited, document_language())


def render_agreement(v, *, errors=None, form=None, status=200):
    offers = _offer_options(v)
    has_accepted = (v.agreement is None
                    and offer_service.accepted_offer(db(), v.negotiation) is not None)
    lang = document_language()
    frozen = ratification.frozen_version(v)
    article_titles = {a["key"]: a["title_zh" if lang == "zh" else "title_en"]
                      for a in (v.content or {}).get("articles", [])}
    return render_page_or_fragment(
        "agreements/show.html", "agreements/_agreement.html", "agreement", status=status,
        v=v, errors=errors or {}, form=form or {}, offers=offers, has_accepted=has_accepted,
        article_titles=article_titles, floor_line=_floor_line(v), checks=checks_of(v),
        input_value=input_value,
        documents=documents.available(db(), current_user, v.negotiation),
        today=nrecords.local_today(utcnow()), standards=clauses.STANDARD_BY_KEY, frozen=frozen,
        frozen_votes=ratification.votes_on(db(), v.negotiation, frozen),
        counting_vote=frozen and ratification.counting_vote(db(), v.negotiation, frozen),
        vote_required=v.negotiation.ruleset.vote_required,
        annex=agreement_print.annex_for(v.negotiation, v.content, lang) if v.content else None)


@bp.get("/negotiations/<int:negotiation_id>/agreement")
def show(negotiation_id: int):
    return render_agreement(load_view(negotiation_id))


@bp.post("/negotiations/<int:negotiation_id>/agreement")
def create(negotiation_id: int):
    return _form_action(service.create, negotiation_id,
                        _("The draft agreement was built from the offer."))


# --- articles (inline editing) -------------------------------------------------------------------
def _article(v, key):
    if v.agreement is None:
        abort(404)
    for n, article in enumerate(v.content["articles"], start=1):
        if article["key"] == key:
            return n, article
    abort(404)


def _article_response(v, key, *, editing, errors=None, form=None, status=200):
    n, article = _article(v, key)
    target = f"article-{key}"
    ctx = dict(v=v, n=n, article=article, errors=errors or {}, form=form or {},
               heading=clauses.article_heading(n, document_language()), floor_line=_floor_line(v),
               check=checks_of(v).get(key, {}), lang_label=LANG_LABEL)
    if wants_fragment(target):
        template = "agreements/_article_form.html" if editing else "agreements/_article.html"
        return render_template(template, **ctx), status
    if editing:
        return render_template("agreements/article_edit.html", **ctx), status
    return redirect(url_for("agreements.show", negotiation_id=v.negotiation.id,
                            _anchor=target))


@bp.get("/negotiations/<int:negotiation_id>/agreement/articles/<key>")
def article(negotiation_id: int, key: str):
    return _article_response(load_view(negotiation_id), key, editing=False)


@bp.get("/negotiations/<int:negotiation_id>/agreement/articles/<key>/edit")
def edit_article(negotiation_id: int, key: str):
    v = load_view(negotiation_id)
    if not can(current_user, "agreement.edit", v.negotiation):
        abort(403)
    if not v.can_edit:
        _conflict(_("This agreement can no longer be changed."))
    return _article_response(v, key, editing=True)


@bp.post("/negotiations/<int:negotiation_id>/agreement/articles/<key>")
def save_article(negotiation_id: int, key: str):
    form = posted_form()
    v = load_view(negotiation_id)
    if v.can_edit and can(current_user, "agreement.edit", v.negotiation) and _stale(v, form):
        # Loaded before someone else saved: show their wording (the latest) to edit again.
        return _article_response(v, key, editing=True, status=409, errors={"text_zh": _(
            "Someone else saved a newer version (%(n)s) since you opened this article. Your "
            "wording was not saved; the form shows theirs.", n=v.latest.number)})
    try:
        call_service(service.edit_article, negotiation_id, key, form, now=utcnow())
    except ValidationError as exc:
        return _article_response(load_view(negotiation_id), key, editing=True,
                                 errors=field_messages(exc), form=form, status=400)
    v = load_view(negotiation_id)
    if not wants_fragment(f"article-{key}"):
        flash(_("Saved as version %(n)s.", n=v.latest.number), "success")
    return _article_response(v, key, editing=False)


@bp.post("/negotiations/<int:negotiation_id>/agreement/standards/<key>")
def save_standard(negotiation_id: int, key: str):
    if key not in clauses.STANDARD_BY_KEY:
        abort(404)
    form = posted_form()
    v = load_view(negotiation_id)
    theirs = next((s for s in (v.content or {}).get("standards", []) if s["key"] == key), None)
    if theirs and v.can_edit and can(current_user, "agreement.edit", v.negotiation) \
            and _stale(v, form):
        # Loaded before someone else saved: show their value in the field, and say what happened.
        return render_agreement(v, status=409, form={"value": theirs["value"]}, errors={
            f"std-{key}": _("Someone else saved a newer version (%(n)s) since you opened this "
                            "page; the value is now %(theirs)s. Your value %(yours)s was not "
                            "saved.", n=v.latest.number, theirs=theirs["display"],
                            yours=str(form.get("value") or "")[:40])})
    try:
        call_service(service.edit_standard, negotiation_id, key, form, now=utcnow())
    except ValidationError as exc:
        return render_agreement(load_view(negotiation_id),
                     errors={f"std-{key}": field_messages(exc).get("value", "")},
                     form=form, status=400)
    flash(_("Saved as a new version."), "success")
    return redirect(url_for("agreements.show", negotiation_id=negotiation_id,
                            _anchor="standards"))


# --- versions ------------------------------------------------------------------------------------
@bp.get("/negotiations/<int:negotiation_id>/agreement/redline")
def redline(negotiation_id: int):
    v = load_view(negotiation_id)
    if v.agreement is None:
        abort(404)
    latest = v.latest.number
    old = request.args.get("old", str(max(1, latest - 1)))
    new = request.args.get("new", str(latest))
    result = call_service(access.redline, negotiation_id, old, new)
    return render_page_or_fragment("agreements/redline.html", "agreements/_redline.html",
                                   "redline", v=v, r=result)


# --- comments, approvals, freeze, sign -----------------------------------------------------------
@bp.post("/negotiations/<int:negotiation_id>/agreement/comments")
def add_comment(negotiation_id: int):
    return _form_action(service.comment, negotiation_id, _("Comment added."),
                        anchor="comments")


@bp.post("/negotiations/<int:negotiation_id>/agreement/approve")
def approve(negotiation_id: int):
    call_service(service.approve, negotiation_id, posted_form(), now=utcnow())
    flash(_("Your side approved this version."), "success")
    return redirect(url_for("agreements.show", negotiation_id=negotiation_id))


@bp.post("/negotiations/<int:negotiation_id>/agreement/freeze")
def freeze(negotiation_id: int):
    call_service(service.freeze, negotiation_id, now=utcnow())
    flash(_("The draft is frozen for the workers' vote."), "success")
    return redirect(url_for("agreements.show", negotiation_id=negotiation_id))


@bp.post("/negotiations/<int:negotiation_id>/agreement/sign")
def sign(negotiation_id: int):
    return _form_action(functools.partial(service.sign, printer=agreement_print.print_signed),
                        negotiation_id,
                        _("The agreement is signed; the signed original is archived."))


# --- PDF -----------------------------------------------------------------------------------------
@bp.get("/negotiations/<int:negotiation_id>/agreement.pdf")
def pdf(negotiation_id: int):
    lang = request.args.get("lang") or document_language()
    number = request.args.get("version") or None
    try:
        filename, data = call_service(agreement_print.render_pdf, negotiation_id, lang=lang,
                                      number=number, now=utcnow())
    except ValidationError:
        abort(400, description=_("Unknown document language."))
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/negotiations/<int:negotiation_id>/documents/<kind>/<int:record_id>.pdf")
def document(negotiation_id: int, kind: str, record_id: int):
    """The offer, reply, meeting minutes or coordination record as PDF."""
    filename, data = call_service(documents.render, negotiation_id, kind, record_id)
    return Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


# --- Word (the same text, for the parties who edit before the signing meeting) ----------------
def _word(filename: str, data: bytes) -> Response:
    return Response(data, mimetype=agreement_docx.MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/negotiations/<int:negotiation_id>/agreement.docx")
def docx(negotiation_id: int):
    lang = request.args.get("lang") or document_language()
    number = request.args.get("version") or None
    try:
        return _word(*call_service(agreement_docx.render_docx, negotiation_id, lang=lang,
                            number=number, now=utcnow()))
    except ValidationError:
        abort(400, description=_("Unknown document language."))


@bp.get("/negotiations/<int:negotiation_id>/documents/<kind>/<int:record_id>.docx")
def document_docx(negotiation_id: int, kind: str, record_id: int):
    """The offer, reply, meeting minutes or coordination record as Word."""
    return _word(*call_service(agreement_docx.render_document, negotiation_id, kind, record_id))


@bp.route("/agreements/verify", methods=["GET", "POST"])
def verify():
    result, errors = None, {}
    if request.method == "POST":
        data = b""
        for upload in request.files.values():  # close every spooled upload, read only "file"
            if upload.name == "file" and upload.filename:
                data = upload.read(agreement_print.MAX_PDF_UPLOAD + 1)
            upload.close()
        try:
            result = agreement_print.verify_upload(db(), current_user, data)
        except ValidationError as exc:
            errors = field_messages(exc)
    return render_page_or_fragment("agreements/verify.html", "agreements/_verify.html",
                                   "verify", status=400 if errors else 200, result=result,
                                   errors=errors)
