"""Error pages for 400/403/404/409/429/500, as a page or as an htmx fragment.

One handler per class of ``app.errors``, registered here once for every blueprint:
``ValidationError`` → 400 with its messages, ``PermissionDenied`` → 403, ``NotFound`` → 404,
``Conflict`` (``IllegalTransition`` too) → 409 with its message. A view that shows the form
again with each message beside its field catches ``ValidationError`` itself.
"""
from __future__ import annotations

import functools

from babel.support import Translations
from flask import abort, g, has_app_context, render_template
from flask_babel import get_locale, gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.config import PROJECT_ROOT
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError, translate
from app.web.extensions import htmx

TITLES = {
    400: lambda: _("The request could not be understood"),
    403: lambda: _("You do not have access to this"),
    404: lambda: _("Not found"),
    405: lambda: _("Method not allowed"),
    409: lambda: _("Someone else changed this first"),
    413: lambda: _("The upload is too large"),
    429: lambda: _("Too many attempts; please wait a few minutes"),
    500: lambda: _("Something went wrong on our side"),
}


def required_version(form, field: str = "version") -> str:
    """The version an edit form was loaded at. A form without one is refused (400) rather than
    saved over whatever is stored now (a tampered or outdated form)."""
    value = str(form.get(field) or "").strip()
    if not value:
        abort(400, _("This form carries no version number, so saving it could overwrite "
                     "someone else's change. Reload the page and try again."))
    return value


def translated(message) -> str:
    """A domain message in the interface's language: finished words pass through the catalogue
    (the ledger's and the surveys' English message ids are in it), ``(id, parameters)`` pairs are
    filled in after translating, and so is a ``Msg``. Outside the application (a command group
    run on its own) the interface's default language, Chinese."""
    if not has_app_context():
        return translate(message, _default_catalogue().gettext, "zh")
    return translate(message, _, "en" if str(get_locale()).startswith("en") else "zh")


@functools.cache
def _default_catalogue() -> Translations:
    return Translations.load(str(PROJECT_ROOT / "translations"), ["zh_Hans_CN"])


def field_messages(exc: ValidationError) -> dict[str, str]:
    """The messages of a ``ValidationError``, translated, by field."""
    return {field: translated(message) for field, message in exc.errors.items()}


def joined(messages) -> str:
    """Translated messages in one line, with the interface's separator (；or ;)."""
    return _("; ").join(messages)


def all_messages(exc: ValidationError) -> str:
    """Every message of a ``ValidationError``, translated, in one line (no field to put them
    beside)."""
    return joined(field_messages(exc).values())


def _rollback() -> None:
    """Undo what the refused request wrote (the request's session, if it opened one)."""
    session = g.get("db_session")
    if session is not None:
        session.rollback()


def render_error(code: int, message: str | None = None):
    title = TITLES.get(code, TITLES[500])()
    template = "errors/_error.html" if htmx else "errors/error.html"
    return render_template(template, code=code, title=title, message=message), code


def init_app(app) -> None:
    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        if exc.code is None or exc.code < 400:
            return exc
        return render_error(exc.code, exc.description if exc.code in (400, 409) else None)

    @app.errorhandler(ValidationError)
    def _invalid(exc: ValidationError):
        _rollback()
        return render_error(400, all_messages(exc))

    @app.errorhandler(PermissionDenied)
    def _denied(_exc):
        _rollback()
        return render_error(403)

    @app.errorhandler(NotFound)
    def _not_found(_exc):
        _rollback()
        return render_error(404)

    @app.errorhandler(Conflict)
    def _conflict(exc: Conflict):
        _rollback()
        message = exc.message if isinstance(exc.message, (str, tuple)) else ""
        return render_error(409, translated(message) if message else None)

    @app.errorhandler(IntegrityError)
    def _integrity(_exc):
        # A unique constraint refused a row that a simultaneous request wrote first (two
        # approvals of one side, two identical uploads …): nothing of this request was written.
        from app.web.database import db
        db().rollback()
        return render_error(409, _("Someone else did the same thing at the same moment; "
                                   "reload the page to see it."))

    @app.errorhandler(InternalServerError)
    def _internal(_exc):
        return render_error(500)
