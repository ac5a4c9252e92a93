"""The signed-in user's own settings: the secret calendar-feed address (made, remade, revoked)
and, when mail is configured, which e-mail notifications they want."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.db import utcnow
from app.errors import ValidationError
from app.notifications import mail, settings
from app.web.database import db
from app.web.errors import field_messages
from app.web.forms import posted_form

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.before_request
@login_required
def _signed_in():
    pass


def _page(*, new_feed_url: str | None = None, errors: dict | None = None,
          data: dict | None = None, status: int = 200):
    row = settings.of(db(), current_user)
    return render_template("account/settings.html", row=row, new_feed_url=new_feed_url,
                           errors=errors or {}, data=data,
                           mail_on=mail.MailSettings.from_env() is not None), status


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


# Messages raised by the domain (English source strings), listed so they are translated.
_DOMAIN_MESSAGES = (_l("Enter an e-mail address such as name@example.org."),
                    _l("This text is too long."))


@bp.post("/notifications")
def notifications():
    """The address and the kinds of e-mail wanted; 400 with the message beside the field."""
    form = posted_form()
    try:
        settings.save_notifications(db(), current_user, form, now=utcnow())
    except ValidationError as exc:
        return _page(errors=field_messages(exc), data=form, status=400)
    flash(_("Your notification settings are saved."), "success")
    return redirect(url_for("account.settings_page"))


@bp.post("/guide/dismiss")
def dismiss_guide():
    """Close the first-visit guide for good."""
    settings.dismiss_guide(db(), current_user, now=utcnow())
    return redirect(url_for("main.dashboard"))


@bp.app_context_processor
def _guide():
    def guide_role() -> str | None:
        """Which guide the signed-in user sees on the dashboard, or None once closed."""
        if not current_user.is_authenticated:
            return None
        if settings.of(db(), current_user).guide_dismissed_at is not None:
            return None
        kind = current_user.organisation.kind.value
        return {"union": "union", "platform": "platform", "labour_partner": "platform",
                "mediator": "mediator"}.get(kind)
    return {"guide_role": guide_role}
