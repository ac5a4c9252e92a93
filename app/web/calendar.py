"""Deadlines as calendar files (iCalendar, RFC 5545, written with the ``icalendar`` library).

- ``/calendar/<secret>.ics``: a user's feed, opened by the secret alone (calendar programs send
  no cookies); every deadline of the negotiations their organisation is party to and of the
  ledger items they see, recomputed on every fetch, so it follows the procedure.
- one deadline of a negotiation, or one ledger item's due date, as a file to import.

Deadlines are whole days under Chinese law, counted in Asia/Shanghai: all-day events (dates
without a zone), a reminder at 09:00 the day before, and the calendar labelled Asia/Shanghai.
"""
from __future__ import annotations

import datetime as dt
import re

import icalendar
from flask import Blueprint, Response, abort, url_for
from flask_babel import force_locale, gettext as _
from flask_login import current_user, login_required

from app.db import utcnow
from app.notifications import agenda, settings
from app.web.database import db

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

ZONE = "Asia/Shanghai"
REF_RE = re.compile(r"[a-z_]{1,30}-[0-9]{1,4}")
# 09:00 the day before an all-day event that starts at 00:00.
REMINDER = -dt.timedelta(hours=15)


@bp.app_context_processor
def _helpers():
    return {"deadline_refs": agenda.deadline_refs}


def _status_text(status: str) -> str:
    return {"ok": _("Open"), "due_soon": _("Due soon"), "overdue": _("Overdue"),
            "done": _("Done"), "done_late": _("Done late"), "open": _("Window open"),
            "lapsed": _("Lapsed"), "in_progress": _("In progress"),
            "closed": _("Closed")}.get(status, status)


def _page_url(entry: agenda.Entry) -> str:
    if entry.kind == "ledger":
        return url_for("ledger.item", item_id=entry.record_id, _external=True)
    return url_for("negotiations.show", negotiation_id=entry.record_id, _external=True)


def _event(entry: agenda.Entry, lang: str, now: dt.datetime) -> icalendar.Event:
    name = entry.name_en if lang == "en" else entry.name
    if entry.kind == "ledger":
        summary = _("Ledger item due: %(title)s (%(enterprise)s)", title=name,
                    enterprise=entry.record_title)
    else:
        summary = _("%(deadline)s · %(negotiation)s", deadline=name,
                    negotiation=entry.record_title)
    if entry.done:
        summary = _("Done: %(summary)s", summary=summary)
    lines = [_("Due: %(date)s", date=entry.due.isoformat()),
             _("Status: %(status)s", status=_status_text(entry.status))]
    if entry.met_on:
        lines.append(_("Done on %(date)s", date=entry.met_on.isoformat()))
    if entry.basis:
        lines.append(_("Basis: %(basis)s", basis=entry.basis))
    url = _page_url(entry)
    lines.append(url)
    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("dtstart", entry.due)
    event.add("dtend", entry.due + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("description", "\n".join(lines))
    event.add("url", url)
    event.add("categories", [_("Ledger") if entry.kind == "ledger" else _("Legal deadline")])
    if not entry.done:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
    return event


def calendar_file(entries: list[agenda.Entry], *, name: str, lang: str,
                  now: dt.datetime) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Xieshang//Deadlines//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", ZONE)
    cal.add_component(icalendar.Timezone.from_tzid(ZONE))
    for entry in entries:
        cal.add_component(_event(entry, lang, now))
    return cal.to_ical()


def _answer(body: bytes, filename: str | None) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, no-store"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _lang() -> str:
    from flask_babel import get_locale
    return "en" if str(get_locale()).startswith("en") else "zh"


@bp.get("/<feed_token>.ics")
def feed(feed_token: str):
    """The user's feed; 404 for a secret that is malformed, revoked or unknown."""
    session = db()
    user = settings.user_for_token(session, feed_token)
    if user is None:
        abort(404)
    now = utcnow()
    locale = "en" if (user.locale or "").startswith("en") else "zh_CN"
    with force_locale(locale):
        body = calendar_file(agenda.for_user(session, user, now=now),
                             name=_("Xieshang deadlines (%(name)s)", name=user.display_name),
                             lang="en" if locale == "en" else "zh", now=now)
    return _answer(body, None)


@bp.get("/negotiations/<int:negotiation_id>/<ref>.ics")
@login_required
def negotiation_deadline(negotiation_id: int, ref: str):
    if not REF_RE.fullmatch(ref):
        abort(404)
    now = utcnow()
    entry = agenda.negotiation_entry(db(), current_user, negotiation_id, ref, now=now)
    body = calendar_file([entry], name=entry.record_title, lang=_lang(), now=now)
    return _answer(body, f"deadline-{negotiation_id}-{ref}.ics")


@bp.get("/ledger/<int:item_id>.ics")
@login_required
def ledger_item(item_id: int):
    now = utcnow()
    entry = agenda.item_entry(db(), current_user, item_id, now=now)
    body = calendar_file([entry], name=entry.name, lang=_lang(), now=now)
    return _answer(body, f"ledger-item-{item_id}.ics")
