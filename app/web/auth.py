"""Login, logout and the language switch."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.models import User
from app.auth.service import LoginPolicy, LoginThrottled, authenticate
from app.db import transaction, utcnow
from app.web.database import db
from app.web.extensions import login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(user_id: str):
    if not user_id.isdigit():
        return None
    user = db().get(User, int(user_id))
    if user is None or not user.is_active or not user.organisation.is_active:
        return None
    # A session ends when the user's generation moved on (logout elsewhere, new password,
    # deactivation) or when it is older than the absolute lifetime, however active it was.
    if session.get("gen") != user.session_generation:
        return None
    started = session.get("auth_at")
    lifetime = current_app.config["SESSION_ABSOLUTE_LIFETIME"]
    if not isinstance(started, (int, float)) or \
            utcnow().timestamp() - started > lifetime.total_seconds():
        return None
    return user


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("main.dashboard")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    error = None
    status = 200
    username = ""
    if request.method == "POST":
        username = request.form.get("username", "")
        policy = LoginPolicy(current_app.config["LOGIN_MAX_FAILURES"],
                             current_app.config["LOGIN_WINDOW"],
                             current_app.config["LOGIN_MAX_ADDRESS_FAILURES"])
        try:
            user = authenticate(db(), username, request.form.get("password", ""),
                                address=request.remote_addr or "-", now=utcnow(), policy=policy)
        except LoginThrottled as exc:
            error = _("Too many failed attempts. Please wait %(seconds)s seconds and try again.",
                      seconds=exc.retry_after)
            response = current_app.make_response((render_template(
                "auth/login.html", error=error, username=username), 429))
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        else:
            if user is None:
                error, status = _("Wrong username or password."), 400
            else:
                session.clear()
                login_user(user)
                session["gen"] = user.session_generation
                session["auth_at"] = utcnow().timestamp()
                session.permanent = True
                if user.locale:
                    session["lang"] = user.locale
                return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", error=error, username=username), status


@bp.post("/logout")
@login_required
def logout():
    # Every session of the user ends, a cookie copied before this one included.
    with transaction(db()):
        current_user.end_sessions()
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/lang")
def set_language():
    lang = request.form.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
    return redirect(_safe_next(request.form.get("next")))
