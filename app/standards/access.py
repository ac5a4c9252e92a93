"""Who may use the registry: everyone signed in reads it; site administrators add to it."""
from __future__ import annotations


# Installed into app.auth.permissions.RULES by app.rules.install.
STANDARDS_RULES = {
    "standards.reference": lambda u, _r: True,
    "standards.manage": lambda u, _r: bool(u.is_site_admin),
}
