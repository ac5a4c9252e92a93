"""The one place where the permission rules of every feature join ``app.auth.permissions.RULES``.

Each feature keeps its rules beside its access checks (``app.<feature>.access``) as a plain
table; importing a module registers nothing. ``install()`` is called by the web application
factory, by the demo loader and by the test suite, before any rule is asked; an action whose
rule is not installed is refused (``permissions.can`` answers False).
"""
from __future__ import annotations

from app.agreements.access import AGREEMENT_RULES
from app.agreements.library import LIBRARY_RULES
from app.auth import permissions
from app.ledger.access import LEDGER_RULES
from app.negotiations.access import NEGOTIATION_RULES
from app.scenarios.access import SCENARIO_RULES
from app.standards.access import STANDARDS_RULES
from app.surveys.access import SURVEY_RULES

# The analyses pages work on presets and the user's own scenarios: any signed-in user.
ANALYSES_RULES = {"analyses.view": lambda u, _r: True}

FEATURE_RULES = (NEGOTIATION_RULES, AGREEMENT_RULES, STANDARDS_RULES, SCENARIO_RULES,
                 LEDGER_RULES, SURVEY_RULES, ANALYSES_RULES, LIBRARY_RULES)


def install() -> None:
    """Add every feature's rules to ``permissions.RULES`` (idempotent)."""
    for table in FEATURE_RULES:
        clash = {action for action in table if action in permissions.CORE_ACTIONS}
        if clash:
            raise ValueError(f"feature rules may not replace the core rules: {sorted(clash)}")
        permissions.RULES.update(table)
