"""Meeting outcomes on the pages: the rows of the minutes form (one per term on the table), the
outcomes shown in the minutes, and the mediator's "apply the outcomes of meeting N" to the
agreement draft (``app.agreements.service.apply_meeting_outcomes``: one new version).
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app.agreements import clauses, service
from app.agreements.models import AgreementVersion
from app.auth.permissions import can
from app.db import utcnow
from app.errors import ValidationError
from app.negotiations import offers as offer_service
from app.negotiations import outcomes
from app.negotiations import terms as nterms
from app.negotiations.models import Meeting
from app.web import agreements as agreement_pages
from app.web.database import db
from app.web.errors import field_messages

bp = Blueprint("meeting_outcomes", __name__)

OUTCOME_LABEL = {outcomes.AGREED: _l("agreed"), outcomes.OPEN: _l("left open"),
                 outcomes.WITHDRAWN: _l("withdrawn")}


@bp.before_request
@login_required
def _signed_in():
    pass


def _lang() -> str:
    return agreement_pages.document_language()


def _display(key: str, value) -> str:
    """A term's value as the agreement shows it (ratios in per cent), else the plain number."""
    spec = clauses.STANDARD_BY_KEY.get(key)
    if spec is not None:
        return clauses.format_value(spec, value, _lang())
    return f"{float(value):g}"


def table_rows(negotiation) -> list[dict]:
    """The minutes form's rows: each term on the table with each side's latest offered value."""
    latest = {}
    for offer in offer_service.sent_offers(db(), negotiation):
        latest[offer.side] = offer
    rows = []
    for key in outcomes.terms_on_table(db(), negotiation):
        offered = {side: (o.terms or {}).get(key) for side, o in latest.items()}
        rows.append({"key": key, "label": nterms.term_label(key, _lang()),
                     "worker": offered.get("worker"), "employer": offered.get("employer")})
    return rows


def minutes_rows(meeting, recorded: dict | None = None) -> list[dict]:
    """A meeting's recorded outcomes, labelled for the minutes; ``recorded`` are the outcomes
    of the page's meetings by meeting id (``outcomes.of_meetings``), read already."""
    rows = recorded[meeting.id] if recorded is not None and meeting.id in recorded \
        else outcomes.of_meeting(db(), meeting)
    return [{"key": r["key"], "label": nterms.term_label(r["key"], _lang()),
             "outcome": r["outcome"], "outcome_label": OUTCOME_LABEL[r["outcome"]],
             "value": _display(r["key"], r["value"]) if "value" in r else ""}
            for r in rows]


def applicable(negotiation, recorded: dict | None = None) -> list:
    """Meetings with agreed values the editable draft does not hold yet (the mediator's);
    ``recorded`` as for :func:`minutes_rows`."""
    agreement = agreement_pages.agreement_summary(negotiation)
    if agreement is None or agreement.status != "drafting" \
            or not can(current_user, "agreement.edit", negotiation):
        return []
    content = db().scalar(select(AgreementVersion.content).where(
        AgreementVersion.agreement_id == agreement.id,
        AgreementVersion.number == agreement.latest_number)) or {}
    held = {s["key"]: s["value"] for s in content.get("standards", [])}
    meetings = list(db().scalars(select(Meeting).where(
        Meeting.negotiation_id == negotiation.id).order_by(Meeting.number)))
    if recorded is None or any(m.id not in recorded for m in meetings):
        recorded = outcomes.of_meetings(db(), meetings)
    return [m for m in meetings
            if any(k in held and held[k] != v
                   for k, v in outcomes.agreed_in(recorded[m.id]).items())]


@bp.app_context_processor
def _helpers():
    return {"meeting_table_rows": table_rows, "meeting_outcome_rows": minutes_rows,
            "meetings_to_apply": applicable, "meeting_outcome_label": OUTCOME_LABEL}


@bp.post("/negotiations/<int:negotiation_id>/agreement/meetings/<int:meeting_id>/apply")
def apply(negotiation_id: int, meeting_id: int):
    try:
        row = agreement_pages.call_service(service.apply_meeting_outcomes, negotiation_id,
                                           meeting_id, now=utcnow())
    except ValidationError as exc:
        errors = {k if k.startswith("outcome.") else "meeting": m
                  for k, m in field_messages(exc).items()}
        return agreement_pages.render_agreement(agreement_pages.load_view(negotiation_id),
                                                errors={**errors, "meeting_id": meeting_id}, status=400)
    flash(_("The outcomes of the meeting were applied as version %(n)s.", n=row.number),
          "success")
    return redirect(url_for("agreements.show", negotiation_id=negotiation_id,
                            _anchor="meeting-outcomes"))
