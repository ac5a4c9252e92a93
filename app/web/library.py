"""The library of typical agreements (典型协议库): the list with its filters, one published
agreement, each side's consent on the signed agreement's page, and a new draft from a
published agreement (``app.agreements.library``). Thin views; refusals map to 400 (the page
again, messages beside the fields), 403, 404 and 409 (``app.web.errors``)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from app.agreements import clauses, library
from app.agreements.document import SECTORS
from app.auth.permissions import require
from app.db import utcnow
from app.errors import ValidationError
from app.web.database import db
from app.web.errors import field_messages
from app.web.forms import posted_form

bp = Blueprint("library", __name__, url_prefix="/library")

SECTOR = {"delivery": _l("Food delivery"), "ride_hailing": _l("Ride-hailing"),
          "freight": _l("Freight")}


@bp.before_request
@login_required
def _signed_in():
    require(current_user, "library.view")


@bp.app_context_processor
def _helpers():
    return {"library_publication": lambda agreement: library.publication_of(db(), agreement),
            "library_sector_label": lambda s: SECTOR.get(s, s)}


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def _term_options() -> list[tuple[str, str]]:
    lang = _lang()
    return [(s.key, s.label_zh if lang == "zh" else s.label_en) for s in clauses.STANDARDS]


@bp.get("/")
def index():
    errors: dict = {}
    try:
        filters = library.parse_filters(request.args)
    except ValidationError as exc:
        errors, filters = field_messages(exc), library.Filters()
    rows = [] if errors else library.published(db(), current_user, filters)
    status = 400 if errors else 200
    return render_template(
        "library/index.html", rows=rows, filters=filters, errors=errors, args=request.args,
        sectors=[(k, SECTOR[k]) for k in SECTORS],
        provinces=[(p, p) for p in library.provinces(db())],
        terms=_term_options(), term=clauses.STANDARD_BY_KEY.get(filters.term),
        standard=library.standard, lang=_lang()), status


def _show(publication_id: int, errors=None, form=None, status=200):
    pub = library.get(db(), current_user, publication_id)
    return render_template(
        "library/show.html", pub=pub, c=pub.content, lang=_lang(), errors=errors or {},
        form=form or {},
        targets=[(n.id, n.title) for n in library.draft_targets(db(), current_user)]), status


@bp.get("/<int:publication_id>")
def show(publication_id: int):
    return _show(publication_id)


@bp.post("/<int:publication_id>/draft")
def start_draft(publication_id: int):
    form = posted_form()
    try:
        agreement = library.start_draft(db(), current_user, publication_id, form, now=utcnow())
    except ValidationError as exc:
        return _show(publication_id, field_messages(exc), form, 400)
    flash(_("Draft created from the published agreement; check every article before "
            "approving."))
    return redirect(url_for("agreements.show", negotiation_id=agreement.negotiation_id))


@bp.post("/consent/<int:negotiation_id>")
def consent(negotiation_id: int):
    try:
        pub = library.consent(db(), current_user, negotiation_id, request.form, now=utcnow())
    except StaleDataError:  # the other side consented at the same moment
        db().rollback()
        abort(409, _("Someone else did the same thing at the same moment; reload the page to "
                     "see it."))
    flash(_("Published in the case library.") if pub.published_at is not None
          else _("Your consent is recorded; the agreement is published once the other side "
                 "consents too."))
    return redirect(url_for("agreements.show", negotiation_id=negotiation_id) + "#library")
