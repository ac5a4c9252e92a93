"""The glossary page: each word of the consultation with its meaning and legal source."""
from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import get_locale
from flask_login import login_required

from app import glossary

bp = Blueprint("glossary", __name__)


def _is_en() -> bool:
    return str(get_locale()).startswith("en")


@bp.app_context_processor
def _helpers():
    def term_link(field_key: str) -> str | None:
        key = glossary.FIELD_TERMS.get(field_key)
        return url_for("glossary.index", _anchor=f"term-{key}") if key else None
    return {"glossary_link": term_link}


@bp.get("/glossary")
@login_required
def index():
    return render_template("glossary/index.html", terms=glossary.TERMS, is_en=_is_en())
