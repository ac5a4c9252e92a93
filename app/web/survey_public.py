"""Surveys, the riders' side: answer by public link or QR code, no account, no JavaScript.

One response per device (a signed cookie holding a random device id; only a keyed hash of it is
stored) and a limit of answers per address and hour, counted in the database so that it holds
across every web worker. Withdrawal is not limited: a code is one of 32^10, and a try is one
indexed look-up. The withdrawal code is shown once, after the answer is stored.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import (Blueprint, current_app, redirect, render_template, request, session,
                   url_for)
from itsdangerous import BadSignature, URLSafeSerializer

from app.db import utcnow
from app.errors import ValidationError
from app.surveys import questions, service
from app.web.database import db
from app.web.survey_text import domain_errors, lang

bp = Blueprint("survey_public", __name__, url_prefix="/s")

DEVICE_COOKIE = "xs_device"
DEVICE_MAX_AGE = 400 * 24 * 3600  # browsers cap cookies at 400 days


def _keyed(kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-device")


def _device_id() -> str | None:
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw or len(raw) > 200:
        return None
    try:
        value = _signer().loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) and len(value) == 32 else None


def _with_device(response, device: str | None):
    if device is None:
        response.set_cookie(DEVICE_COOKIE, _signer().dumps(secrets.token_hex(16)),
                            max_age=DEVICE_MAX_AGE, path="/s/", httponly=True, samesite="Lax",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def _survey(token: str):
    return service.by_token(db(), token)


def _page(template: str, status: int = 200, **ctx):
    device = _device_id()
    response = current_app.make_response((render_template(template, lang=lang(),
                                                           q=questions.BY_KEY, **ctx), status))
    return _with_device(response, device)


@bp.route("/<token>", methods=["GET", "POST"])
def answer(token: str):
    survey = _survey(token)
    now = utcnow()
    device = _device_id()
    device_hash = _keyed("device", device) if device else None
    ctx = {"survey": survey, "form": {}, "errors": {}}
    if not survey.is_open(now):
        return _page("surveys/public_closed.html", 410 if request.method == "POST" else 200,
                     **ctx)
    if service.has_answered(db(), survey, device_hash):
        return _page("surveys/public_answered.html", 409 if request.method == "POST" else 200,
                     **ctx)
    if request.method == "GET":
        return _page("surveys/answer.html", **ctx)
    form = {k: (request.form.get(k) or "")[:100] for k in (*survey.questions, "consent")}
    ctx["form"] = form
    if device_hash is None:
        ctx["errors"] = {"consent": domain_errors(ValidationError({
            "consent": "Cookies are needed to answer: please allow them and open the link "
                       "again."}))["consent"]}
        return _page("surveys/answer.html", 400, **ctx)
    s = db()
    try:
        _response, code = service.submit(
            s, survey, form, device_hash=device_hash,
            address_hash=_keyed("address", request.remote_addr or "-"), now=now)
    except ValidationError as exc:
        ctx["errors"] = domain_errors(exc)
        return _page("surveys/answer.html", 400, **ctx)
    except service.AlreadyAnswered:
        return _page("surveys/public_answered.html", 409, **ctx)
    except service.RateLimited:
        return _page("surveys/public_limited.html", 429, **ctx)
    except service.SurveyClosed:
        return _page("surveys/public_closed.html", 410, **ctx)
    session.setdefault("survey_codes", {})
    session["survey_codes"] = {**session["survey_codes"], survey.token: code}
    return redirect(url_for("survey_public.thanks", token=survey.token), code=303)


@bp.route("/<token>/thanks")
def thanks(token: str):
    survey = _survey(token)
    codes = dict(session.get("survey_codes") or {})
    code = codes.pop(survey.token, None)
    session["survey_codes"] = codes
    return _page("surveys/thanks.html", survey=survey, code=code)


@bp.route("/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str):
    survey = _survey(token)
    ctx = {"survey": survey, "errors": {}, "code": "", "done": False}
    if request.method == "GET":
        return _page("surveys/withdraw.html", **ctx)
    ctx["code"] = (request.form.get("code") or "")[:40]
    s = db()
    try:
        service.withdraw(s, survey, ctx["code"], now=utcnow())
    except ValidationError as exc:
        ctx["errors"] = domain_errors(exc)
        return _page("surveys/withdraw.html", 400, **ctx)
    ctx["done"] = True
    return _page("surveys/withdraw.html", **ctx)
