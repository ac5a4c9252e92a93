"""What scenarios need from negotiations: who takes part, their sector and current rules.

Kept in one module so the rest of the package depends on the negotiation models in one place.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.negotiations.models import Negotiation
from app.errors import ValidationError
from app.simulator import Scenario


def party_org_ids(negotiation) -> set[int]:
    """Organisations taking part in ``negotiation`` (both sides and the mediator)."""
    return set(negotiation.party_org_ids())


def negotiations_for(session: Session, organisation_id: int) -> list[Negotiation]:
    """Negotiations the organisation is party to, newest first."""
    return list(session.scalars(
        select(Negotiation).where(Negotiation.has_party(organisation_id))
        .order_by(Negotiation.created_at.desc(), Negotiation.id.desc())))


def get_negotiation(session: Session, negotiation_id: int) -> Negotiation | None:
    return session.get(Negotiation, negotiation_id)


def sector_of(negotiation) -> str:
    sector = getattr(negotiation.sector, "value", negotiation.sector)
    return sector if sector in ("delivery", "ride_hailing", "freight") else "delivery"


def current_rules_scenario(negotiation, preset: Scenario) -> Scenario:
    """The negotiation's current rules (a stored scenario), or the sector preset if it has none
    or they no longer load."""
    if negotiation.current_rules:
        try:
            return Scenario.from_dict(negotiation.current_rules)
        except ValidationError:
            pass
    return preset


def offer_terms(scenario: Scenario, negotiation) -> dict:
    """The scenario's numeric pay terms that differ from the negotiation's current rules
    (all numeric terms when it has none), as an offer's terms."""
    current = {}
    if isinstance(negotiation.current_rules, dict):
        current = dict(negotiation.current_rules.get("pay") or {})
    out = {}
    for name, value in scenario.pay.to_dict().items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if name not in current or current[name] != value:
            out[name] = value
    return out
