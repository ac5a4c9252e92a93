"""Adjustment consultations due: a newer standard fired a trigger named in an agreement in force.

An agreement's adjustment clause names its triggers (``content["adjustment"]["triggers"]``);
agreements drafted before the triggers were stored carry the clause's standard text, which
names all three (a new local minimum wage, a price-index move, a change of the platform's
rules), so they get ``DEFAULT_TRIGGERS``. The registry can fire the first: a minimum-wage
standard of the agreement's province with an ``effective_from`` after the signing date (the
floor clause cites the standard in force when the agreement was signed).

Due by: the new standard's first day plus the clause's ``reply_days`` (the period in which
the other side must answer a written request). That the reply period runs from the new
standard's first day is this app's reading of the clause, not a rule of the text.

Computed on every call from the registry and the agreements, never stored: it cannot go stale,
and it disappears when the parties sign a newer agreement (signed after the standard).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import standards
from app.negotiations import floor
from app.agreements.models import Agreement, AgreementVersion
from app.negotiations.models import Negotiation
from app.negotiations.records import SHANGHAI
from app.standards import provinces

MINIMUM_WAGE = "minimum_wage"
DEFAULT_TRIGGERS = ("minimum_wage", "price_index", "pricing_rules")
DEFAULT_REPLY_DAYS = 15  # assumption for content without the clause's own figure


@dataclass(frozen=True)
class AdjustmentDue:
    negotiation_id: int
    title: str
    province: str
    city: str
    signed_on: date
    standard_from: date            # first day of the newer standard
    tier: int | None               # the place's tier under it, None if to be confirmed
    wage: standards.MinimumWage | None
    due_by: date

    def overdue(self, today: date) -> bool:
        return today > self.due_by


def _signed_content(session: Session, agreement_id: int, number: int) -> dict:
    content = session.scalar(select(AgreementVersion.content).where(
        AgreementVersion.agreement_id == agreement_id, AgreementVersion.number == number))
    return content or {}


def adjustments_due(session: Session, actor) -> list[AdjustmentDue]:
    """The agreements in force that the actor's organisation is party to (or all, for a site
    administrator) whose minimum-wage trigger a newer standard has fired, soonest due first."""
    # The few columns used (the dashboard asks on every view): not the negotiations' and
    # agreements' whole rows with their JSON.
    query = (select(Negotiation.id, Negotiation.title, Negotiation.province, Negotiation.city,
                    Agreement.id.label("agreement_id"), Agreement.signed_at,
                    Agreement.frozen_number, Agreement.latest_number)
             .join(Agreement, Agreement.negotiation_id == Negotiation.id)
             .where(Negotiation.state == "in_force", Agreement.signed_at.is_not(None)))
    if not actor.is_site_admin:
        query = query.where(Negotiation.has_party(actor.organisation_id))
    due = []
    for negotiation in session.execute(query).all():
        province = provinces.normalise(negotiation.province)
        if province is None:
            continue
        signed_on = negotiation.signed_at.astimezone(SHANGHAI).date()
        newer = standards.standard_dates_after(session, province, signed_on)
        if not newer:  # (asked first: the signed text is the larger read)
            continue
        adjustment = _signed_content(session, negotiation.agreement_id, negotiation.frozen_number
                                     or negotiation.latest_number).get("adjustment") or {}
        if MINIMUM_WAGE not in adjustment.get("triggers", DEFAULT_TRIGGERS):
            continue
        _short, place, wage = floor.place_wage(session, province, negotiation.city, newer[0])
        reply_days = int(adjustment.get("reply_days") or DEFAULT_REPLY_DAYS)
        due.append(AdjustmentDue(negotiation.id, negotiation.title, province, negotiation.city,
                                 signed_on, newer[0], place.tier if place else None, wage,
                                 newer[0] + timedelta(days=reply_days)))
    return sorted(due, key=lambda d: (d.due_by, d.negotiation_id))
