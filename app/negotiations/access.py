"""Who may see and do what in a negotiation; rows installed into ``app.auth.permissions.RULES``
by ``app.rules``.

Access follows organisations, not roles:

* the worker side (the union), the employer side (the platform and its labour partner, if any)
  and the assigned mediator see a negotiation; nobody else does — not even a site admin, whose
  job is accounts, not the content of other people's consultations (a site admin who belongs
  to a party organisation sees it as a member of that organisation);
* only the two sides send offers and answer them; the sides and the mediator record meetings,
  votes and the other procedural steps;
* an offer draft is seen only by its author's side until it is sent;
* notes are private to the organisation that wrote them.
"""
from __future__ import annotations


from .models import EMPLOYER, WORKER

MEDIATOR = "mediator"


def side_of(user, negotiation) -> str | None:
    """``"worker"``, ``"employer"``, ``"mediator"`` or None for ``user`` in ``negotiation``."""
    if user is None or negotiation is None:
        return None
    org_id = getattr(user, "organisation_id", None)
    if org_id in negotiation.side_org_ids(WORKER):
        return WORKER
    if org_id in negotiation.side_org_ids(EMPLOYER):
        return EMPLOYER
    if negotiation.mediator_org_id is not None and org_id == negotiation.mediator_org_id:
        return MEDIATOR
    return None


def _sees(user, negotiation) -> bool:
    return side_of(user, negotiation) is not None


def _is_side(user, negotiation) -> bool:
    return side_of(user, negotiation) in (WORKER, EMPLOYER)


def _sees_offer(user, offer_and_negotiation) -> bool:
    offer, negotiation = offer_and_negotiation
    side = side_of(user, negotiation)
    if side is None:
        return False
    return offer.status != "draft" or side == offer.side


def _sees_note(user, note) -> bool:
    return note is not None and note.organisation_id == user.organisation_id


# Installed into app.auth.permissions.RULES by app.rules.install.
NEGOTIATION_RULES = {
    "negotiation.list": lambda u, r: True,
    "negotiation.create": lambda u, r: True,
    "negotiation.view": _sees,
    "negotiation.offer": _is_side,
    "negotiation.reply": _is_side,
    "negotiation.record": _sees,
    "negotiation.representatives": _sees,
    "negotiation.note": _sees,
    "offer.view": _sees_offer,
    "note.view": _sees_note,
}
