"""The posted form as the services take it: every field but the CSRF token (Flask-WTF checks
that one before the view runs)."""
from __future__ import annotations

from flask import request


def posted_form() -> dict:
    return {k: v for k, v in request.form.items() if k != "csrf_token"}
