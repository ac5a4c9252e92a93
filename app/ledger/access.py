"""Who may see and change ledger items, screenings, lay-off plans and the regional report.

- Mediator offices (三方办) see and manage the enterprises of their region: the same province and
  city (an office with no city covers its whole province).
- Enterprises (platforms, labour partner companies) see their own items, grades and lay-off
  plans; they may start work on an item, add evidence and record their lay-off plans.
- Unions see the items that follow up agreements (negotiations) they are party to.
- Site administrators see everything.

Its rows are installed into the shared ``RULES`` table by ``app.rules``.
"""
from __future__ import annotations

from sqlalchemy.orm import object_session

from app.auth.models import OrgKind
from app.negotiations.models import Negotiation

ENTERPRISE_KINDS = (OrgKind.platform, OrgKind.labour_partner)


def is_mediator(user) -> bool:
    org = getattr(user, "organisation", None)
    return org is not None and org.kind is OrgKind.mediator


def in_region(user, enterprise) -> bool:
    """The user is in a mediator office whose region contains ``enterprise``."""
    if enterprise is None or not is_mediator(user):
        return False
    office = user.organisation
    if office.province != enterprise.province:
        return False
    return not office.city or office.city == enterprise.city


def negotiation_parties(session, negotiation_id: int | None) -> set[int]:
    """Organisation ids party to a negotiation (both sides and its mediator)."""
    if negotiation_id is None or session is None:
        return set()
    negotiation = session.get(Negotiation, negotiation_id)
    return negotiation.party_org_ids() if negotiation is not None else set()


def _manage(user, enterprise) -> bool:
    if enterprise is None or getattr(enterprise, "kind", None) not in ENTERPRISE_KINDS:
        return False
    return user.is_site_admin or in_region(user, enterprise)


def _own(user, enterprise) -> bool:
    return enterprise is not None and enterprise.id == user.organisation_id


def _view_item(user, item) -> bool:
    if item is None:
        return False
    if user.is_site_admin or in_region(user, item.enterprise) or _own(user, item.enterprise):
        return True
    if user.organisation.kind is OrgKind.union and item.negotiation_id is not None:
        return user.organisation_id in negotiation_parties(object_session(item),
                                                           item.negotiation_id)
    return False


def _enterprise_record(user, record) -> bool:
    return record is not None and (user.is_site_admin or in_region(user, record.enterprise)
                                   or _own(user, record.enterprise))


# Installed into app.auth.permissions.RULES by app.rules.install.
LEDGER_RULES = {
    "ledger.list": lambda u, _r: True,
    "ledger.view": _view_item,
    # creating items, screenings and imports for an enterprise (resource: the Organisation)
    "ledger.manage": _manage,
    "ledger.create": _manage,
    "screening.create": _manage,
    "screening.import": lambda u, _r: u.is_site_admin or is_mediator(u),
    "screening.view": _enterprise_record,
    # steps on an item (resource: the LedgerItem)
    "ledger.edit": lambda u, item: item is not None and _manage(u, item.enterprise),
    "ledger.close": lambda u, item: item is not None and _manage(u, item.enterprise),
    "ledger.reopen": lambda u, item: item is not None and _manage(u, item.enterprise),
    "ledger.start": lambda u, item: item is not None and (
        _manage(u, item.enterprise) or _own(u, item.enterprise)),
    "ledger.evidence": lambda u, item: item is not None and (
        _manage(u, item.enterprise) or _own(u, item.enterprise)),
    # lay-off plans (create: resource is the enterprise; view: the plan)
    "layoff.list": lambda u, _r: u.is_site_admin or is_mediator(u)
    or u.organisation.kind in ENTERPRISE_KINDS,
    "layoff.create": lambda u, ent: _manage(u, ent) or (
        _own(u, ent) and ent.kind in ENTERPRISE_KINDS),
    "layoff.view": _enterprise_record,
    "report.region": lambda u, _r: u.is_site_admin or is_mediator(u),
}
