"""htmx helpers: one partial serves the full page and the fragment."""
from __future__ import annotations

from flask import render_template

from app.web.extensions import htmx


def wants_fragment(target: str) -> bool:
    """True when htmx asked to swap the element ``target`` (an id), not for boosted pages."""
    return bool(htmx) and htmx.target == target


def render_page_or_fragment(page: str, fragment: str, target: str, status: int = 200, **ctx):
    """Render ``fragment`` for an htmx request aimed at ``target``, else the full ``page``."""
    template = fragment if wants_fragment(target) else page
    return render_template(template, **ctx), status
