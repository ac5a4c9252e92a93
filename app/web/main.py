"""The signed-in home page."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from app.auth.permissions import require

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.login"))


@bp.get("/dashboard")
@login_required
def dashboard():
    require(current_user, "dashboard.view")
    return render_template("main/dashboard.html")


@bp.get("/healthz")
def healthz():
    return {"status": "ok"}
