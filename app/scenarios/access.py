"""Who may see and change scenarios and snapshots;
rows installed into the shared ``RULES`` by ``app.rules``.

Scenarios are private to their organisation: every member may open, run, edit, copy and export
them; only the owner deletes. Snapshots are seen by the organisations party to the negotiation
(and its mediator), who may copy them into their own private scenarios.
"""
from __future__ import annotations

from app.scenarios import negotiation_link


def _member(user, scenario) -> bool:
    return scenario is not None and scenario.organisation_id == user.organisation_id


def _owner(user, scenario) -> bool:
    return _member(user, scenario) and scenario.owner_id == user.id


def negotiation_org_ids(negotiation) -> set[int]:
    """Organisations taking part in ``negotiation`` (both sides and the mediator, if any)."""
    return negotiation_link.party_org_ids(negotiation)


def _party(user, negotiation) -> bool:
    return negotiation is not None and user.organisation_id in negotiation_org_ids(negotiation)


def can_see_negotiation(user, negotiation) -> bool:
    return bool(getattr(user, "is_active", False)) and _party(user, negotiation)


def _snapshot_party(user, snapshot) -> bool:
    return snapshot is not None and _party(user, snapshot.negotiation)


# Installed into app.auth.permissions.RULES by app.rules.install.
SCENARIO_RULES = {
    "scenario.list": lambda u, _r: True,
    "scenario.create": lambda u, _r: True,
    "scenario.view": _member,
    "scenario.edit": _member,
    "scenario.copy": _member,
    "scenario.export": _member,
    "scenario.delete": _owner,
    "scenario.share": lambda u, pair: _member(u, pair[0]) and _party(u, pair[1]),
    "scenario.from_negotiation": _party,
    "snapshot.view": _snapshot_party,
    "snapshot.copy": _snapshot_party,
    "snapshot.export": _snapshot_party,
    "standards.view": lambda u, _r: True,
}
