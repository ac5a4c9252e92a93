"""Who may use the registry: everyone signed in reads it; site administrators add to it."""
from __future__ import annotations

from app.auth.permissions import RULES

STANDARDS_RULES = {
    "standards.reference": lambda u, _r: True,
    "standards.manage": lambda u, _r: bool(u.is_site_admin),
}


def register() -> None:
    RULES.update(STANDARDS_RULES)


register()
