"""The signed-in user's own settings: the secret calendar-feed address (made, remade, revoked)
and, when mail is configured, which e-mail notifications they want."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.db import utcnow
from app.notifications import settings
from app.web.database import db

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _signed_in():
    pass


def _page(*, new_feed_url: str | None = None, errors: dict | None = None,
          data: dict | None = None, status: int = 200):
    row = settings.of(db(), current_user)
    return render_template("account/settings.html", row=row, new_feed_url=new_feed_url,
                           errors=errors or {}, data=data), status


@bp.get("/settings")
def settings_page():
    return _page()


@bp.post("/calendar")
def calendar():
    """``action=new`` makes a new secret address (the old one stops working) and shows it once;
    ``action=revoke`` ends the feed."""
    action = request.form.get("action")
    if action == "new":
        token = settings.new_calendar_token(db(), current_user, now=utcnow())
        return _page(new_feed_url=url_for("calendar.feed", feed_token=token, _external=True))
    if action == "revoke":
        settings.revoke_calendar_token(db(), current_user, now=utcnow())
        flash(_("The calendar address no longer works."), "success")
        return redirect(url_for("account.settings_page"))
    abort(400, _("Choose whether to make a new address or to revoke the current one."))
