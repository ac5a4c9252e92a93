"""What the negotiation pages show besides the service's answers: labels in the request's
language (worked out once per request), the organisation choices of the "new" form, the offer
chart's SVG, and the context of each procedure form. Used by ``app.web.negotiations``.
"""
from __future__ import annotations

import datetime
import functools

from flask import abort, g
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.auth.models import Organisation, OrgKind, Sector
from app.db import utcnow
from app.ids import parse_id
from app.negotiations import access, overview, service, terms as terms_mod, workflow
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import representatives as rep_service
from app.reports import charts
from app.web import variants_view
from app.web.database import db


def per_request(name: str, make):
    """``make()``, worked out once per request (the page's labels ask for these many times)."""
    if name not in g:
        setattr(g, name, make())
    return g.get(name)


def lang() -> str:
    """"en" or "zh": the request's language."""
    from flask_babel import get_locale
    return per_request("negotiation_lang",
                       lambda: "en" if str(get_locale()).startswith("en") else "zh")


def helpers():
    return {
        "state_label": lambda s: workflow.state_label(s, lang()),
        "event_label": lambda e: workflow.event_label(e, lang()),
        "term_label": lambda k: terms_mod.term_label(k, lang()),
        "side_label": side_text,
        "neg_dashboard": lambda: service.dashboard(db(), current_user, now=utcnow()),
        "deadline_name": lambda d: (d.name_en if lang() == "en" else d.name) if d else "",
        "offer_choice_labels": lambda offers: {
            o.id: _("%(side)s, round %(n)s (%(on)s)", side=side_text(o.side), n=o.round,
                    on=o.sent_on.isoformat() if o.sent_on else "") for o in offers},
        "rep_names": lambda reps: {r.id: r.name for r in reps},
        "minute_text": minute_text,
        "ui_lang": lang,
        **variants_view.helpers(),
    }


def minute_text(value) -> str:
    """``value|dt("yyyy-MM-dd HH:mm")`` (the user's time zone) without Babel's pattern
    formatting, which cost more than the rest of an audit row."""
    if not value:
        return ""
    if value.tzinfo is None:  # as Flask-Babel: a naive value is UTC
        value = value.replace(tzinfo=datetime.timezone.utc)
    zone = per_request("negotiation_zone", get_timezone)
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M")


def side_text(side: str) -> str:
    texts = per_request("negotiation_sides", lambda: {
        "worker": _("Worker side"), "employer": _("Employer side"), "mediator": _("Mediator")})
    return texts.get(side, "")


def choices():
    orgs = db().scalars(select(Organisation).where(Organisation.is_active.is_(True))
                        .order_by(Organisation.name)).all()
    by_kind = {kind: [(o.id, o.name) for o in orgs if o.kind is kind] for kind in OrgKind}
    return {"unions": by_kind[OrgKind.union], "platforms": by_kind[OrgKind.platform],
            "partners": by_kind[OrgKind.labour_partner],
            "mediators": by_kind[OrgKind.mediator],
            "sectors": [s.value for s in Sector],
            "variants": variants_view.choices()}


def grounds() -> list[tuple[str, str]]:
    return [(k, v[1] if lang() == "en" else v[0]) for k, v in workflow.GROUNDS.items()]


def offer_term_keys(ctx) -> list[str]:
    keys = list(terms_mod.KEY_TERMS.get(ctx["negotiation"].sector, ()))
    for offer in ctx["offers"]:
        for key in offer.terms:
            if key not in keys:
                keys.append(key)
    return keys


@functools.lru_cache(maxsize=64)
def offer_chart_svg(series: tuple, labels: tuple) -> str:
    # Rendering takes about a second; the SVG depends only on the offers and the labels.
    return charts.offer_history_chart(
        [{"label": label, "worker": list(w), "employer": list(e)} for label, w, e in series],
        labels=dict(labels))


def own_draft(negotiation, key: str, draft_id: str):
    """One of the user's side's offer drafts (to edit in the offer form), else 404."""
    wanted = parse_id(draft_id)
    visible = offer_service.offers(db(), current_user, negotiation, with_snapshots=False) \
        if key == "offer" else []
    draft = next((o for o in visible if o.status == "draft" and o.id == wanted), None)
    if draft is None:
        abort(404)
    return draft


def action_context(negotiation, key: str) -> dict | None:
    """What the form ``key`` needs (the page's context, the parts that form reads), or None if
    the form is not offered to this user now (``overview.next_actions``; "rep": to the sides
    and the mediator, as the representatives card)."""
    session = db()
    side = access.side_of(current_user, negotiation)
    if key == "rep":
        if not side:
            return None
        form = "rep"
    else:
        form = next((a["form"] for a in overview.next_actions(session, current_user, negotiation)
                     if a["key"] == key), None)
        if form is None:
            return None
    ctx = {"negotiation": negotiation, "side": side, "today": nrecords.local_today(utcnow()),
           "key": key, "form": form, "form_id": f"form-{key}", "errors": {}, "values": {},
           "ruleset": negotiation.ruleset}
    if form == "offer" or key == "agree_draft":
        ctx["offers"] = offer_service.offers(session, current_user, negotiation,
                                             with_snapshots=False)
        ctx["key_terms"] = offer_term_keys(ctx)
    if key in ("open_change", "terminate"):
        ctx["grounds"] = grounds()
    if form == "meeting":
        ctx["default_chair_side"] = rep_service.default_chair_side(session, negotiation)
    if form == "rep":
        ctx["representatives"] = rep_service.representatives(session, negotiation)
    return ctx
