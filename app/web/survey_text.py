"""Shared helpers of the survey pages: messages, language, the public link and its QR code."""
from __future__ import annotations

import io

import segno
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# Messages raised by app.surveys (English source strings), listed so they are translated.
_DOMAIN_MESSAGES = (
    _l("A survey runs for at most %(days)s days."),
    _l("Calibration needs at least %(n)s responses with days worked and hours online."),
    _l("Calibration needs at least %(n)s responses."),
    _l("Calibration needs the questions on days worked and hours online."),
    _l("Choose a sector."),
    _l("Cookies are needed to answer: please allow them and open the link again."),
    _l("Choose at least one question."),
    _l("Choose one of the answers."),
    _l("Deductions cannot be more than the pay before deductions (%(pay)s yuan)."),
    _l("Enter a date as YYYY-MM-DD."),
    _l("Enter a number between %(low)s and %(high)s."),
    _l("Enter a number."),
    _l("Enter a whole number."),
    _l("Enter the name of a city only, without numbers."),
    _l("Hours with an order cannot be more than hours online (%(online)s)."),
    _l("More than %(limit)s km an hour online is not possible; please check."),
    _l("More than %(limit)s orders an hour online is not possible; please check."),
    _l("No answer has this code. Check the code and try again."),
    _l("Orders need hours online; check the hours online."),
    _l("Please answer this question."),
    _l("Please read the statement and agree before answering."),
    _l("The closing date cannot be in the past."),
    _l("This answer is too long (at most %(limit)s characters)."),
    _l("This field is required."),
    _l("This text is too long."),
    _l("You worked some days: enter the hours online on them."),
)


def lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def tr(message: str, params: dict | None = None) -> str:
    text = _(message)
    return text % params if params else text


def domain_errors(exc) -> dict:
    """A service ValidationError's messages (English message ids, or ``(id, parameters)``),
    translated, keyed by field."""
    return {field: tr(*(message if isinstance(message, tuple) else (message, {})))
            for field, message in exc.errors.items()}


def public_url(survey) -> str:
    return url_for("survey_public.answer", token=survey.token, _external=True)


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as SVG (segno: pure Python, no image library needed)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False,
                                    svgns=True, dark="#1f2933", light="#ffffff")
    return buffer.getvalue().decode()

