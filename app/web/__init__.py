"""The web layer: application factory. Only ``app.web`` imports Flask."""
from __future__ import annotations

import functools
import importlib

from flask import Flask, g, has_request_context, request, session
from flask_babel import format_datetime, get_locale, get_translations
from babel import Locale
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from threadpoolctl import threadpool_limits
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app import models  # noqa: F401 - every table is mapped before the first request
from app import rules
from app.config import PROJECT_ROOT, Config
from app.ids import MAX_ID
from app.web import database, errors, extensions, labels, nav
from app.web.extensions import babel, csrf, login_manager


class BoundedInt(IntegerConverter):
    """``<int:…>`` up to the largest id the database holds."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


# One module per blueprint under app/web/, each exposing ``bp``.
BLUEPRINTS = ("auth", "main", "admin", "scenarios", "standards", "ledger", "reports",
              "negotiations", "agreements", "meeting_outcomes", "library", "analyses",
              "analysis_jobs", "registry", "surveys", "survey_public", "calendar", "account",
              "exports", "glossary", "coverage", "jobs_submit")


# Parsed once: Flask-Babel parses what the selector returns on every request (a search of
# Babel's whole locale list), unless it is a ``Locale`` already.
LOCALES = {name: Locale.parse(name) for name in ("zh_CN", "en")}


def select_locale() -> Locale:
    chosen = session.get("lang") if has_request_context() else None  # the CLI: Chinese
    return LOCALES[chosen] if chosen in ("zh_CN", "en") else LOCALES["zh_CN"]


def _request_translations():
    """The catalogue of this request's locale, looked up once per request.

    Flask-Babel looks the catalogue up again for every string; a page with a few hundred
    strings spent most of its rendering time there.
    """
    translations = g.get("_translations")
    if translations is None:
        translations = g._translations = get_translations()
    return translations


def install_template_gettext(app: Flask) -> None:
    """Templates translate through the per-request catalogue (same results as Flask-Babel)."""
    app.jinja_env.install_gettext_callables(
        lambda string: _request_translations().ugettext(string),
        lambda singular, plural, n: _request_translations().ungettext(singular, plural, n),
        newstyle=True)
    # ``_`` and ``gettext`` without variables: the same value as Jinja's newstyle gettext,
    # looked up once per catalogue and string (a page calls them 100-150 times).
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = _template_gettext


@pass_context
def _template_gettext(context, string, **variables):
    """Jinja's newstyle ``gettext`` (``jinja2.ext._make_new_gettext``): the translation,
    ``Markup`` when autoescaping, always %-formatted with ``variables``."""
    translations = _request_translations()
    autoescape = context.eval_ctx.autoescape
    if variables:
        text = translations.ugettext(string)
        return (Markup(text) if autoescape else text) % variables
    return _translated(translations, string, autoescape)


@functools.lru_cache(maxsize=4096)
def _translated(translations, string: str, autoescape: bool):
    """A string without variables in one catalogue (the catalogues are loaded once per process
    and never change while it runs; keyed by the catalogue object, so one per language)."""
    text = translations.ugettext(string)
    return (Markup(text) if autoescape else text) % {}


def _one_blas_thread() -> None:
    """Each web worker is a process of its own (about one per core). OpenBLAS would start a
    thread per core in every worker and keep them spinning after each call, taking the cores the
    other workers serve pages on: with two simulations a second beside the page mix, the pages'
    p95 went from 99-160 ms to 76-78 ms with one thread (bench/load.py)."""
    threadpool_limits(limits=1, user_api="blas")


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app; ``overrides`` replace settings (tests use it for the database URL)."""
    rules.install()
    app = Flask(
        __name__,
        instance_path=Config().INSTANCE_PATH if not overrides or "INSTANCE_PATH" not in overrides
        else overrides["INSTANCE_PATH"],
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    app.config.update(Config().as_dict())
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PROJECT_ROOT / "translations")
    if overrides:
        app.config.update(overrides)

    if app.config.get("TRUSTED_PROXIES"):
        # The client's address and scheme as the trusted proxies saw them (login throttling
        # counts per address); never more hops than configured, so a client cannot forge them.
        n = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    database.init_app(app)
    csrf.init_app(app)
    # Not the bare name: importing the submodule app.web.htmx rebinds it on this package.
    extensions.htmx.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    errors.init_app(app)
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale())
    app.jinja_env.filters["dt"] = lambda value, fmt="yyyy-MM-dd HH:mm": (
        format_datetime(value, fmt) if value else "")
    nav.init_app(app)
    labels.init_app(app)

    # Ids in URLs stay within the database's integer range: a longer one is a 404, not a
    # driver error.
    app.url_map.converters["int"] = BoundedInt
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"app.web.{name}").bp)

    from app.web import cli
    cli.init_app(app)

    @app.after_request
    def _headers(response):
        response.headers.add("Vary", "HX-Request")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), "
            "usb=(), interest-cohort=()")
        if app.config.get("XIESHANG_HTTPS"):
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        if request.endpoint and request.endpoint != "static" and current_user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    _one_blas_thread()  # after the blueprints: the simulator has loaded numpy's OpenBLAS
    return app
