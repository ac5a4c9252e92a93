"""Access rules of negotiations as a table (no database): organisations, not roles, decide."""
from types import SimpleNamespace as NS

import pytest

from app.auth.permissions import can
from app.negotiations import access
from app.negotiations.models import Negotiation

N = Negotiation(worker_org_id=1, employer_org_id=2, partner_org_id=3, mediator_org_id=4)
N_NO_MEDIATOR = Negotiation(worker_org_id=1, employer_org_id=2)


def person(org_id, *, site=False, active=True):
    return NS(id=org_id * 10, organisation_id=org_id, is_site_admin=site, is_org_admin=True,
              is_active=active)


UNION, PLATFORM, PARTNER, MEDIATOR, OTHER = (person(i) for i in (1, 2, 3, 4, 9))
ROOT = person(9, site=True)
DRAFT = NS(status="draft", side="worker")
SENT = NS(status="sent", side="worker")

CASES = [
    (UNION, "negotiation.view", N, True),
    (PLATFORM, "negotiation.view", N, True),
    (PARTNER, "negotiation.view", N, True),
    (MEDIATOR, "negotiation.view", N, True),
    (OTHER, "negotiation.view", N, False),
    (ROOT, "negotiation.view", N, False),  # site admins see no content unless party
    (MEDIATOR, "negotiation.view", N_NO_MEDIATOR, False),
    (person(1, active=False), "negotiation.view", N, False),
    (UNION, "negotiation.offer", N, True),
    (PARTNER, "negotiation.offer", N, True),
    (MEDIATOR, "negotiation.offer", N, False),
    (MEDIATOR, "negotiation.reply", N, False),
    (MEDIATOR, "negotiation.record", N, True),
    (OTHER, "negotiation.record", N, False),
    (UNION, "offer.view", (DRAFT, N), True),
    (PLATFORM, "offer.view", (DRAFT, N), False),
    (MEDIATOR, "offer.view", (DRAFT, N), False),
    (PLATFORM, "offer.view", (SENT, N), True),
    (OTHER, "offer.view", (SENT, N), False),
    (UNION, "note.view", NS(organisation_id=1), True),
    (PLATFORM, "note.view", NS(organisation_id=1), False),
    (OTHER, "negotiation.list", None, True),
]


@pytest.mark.parametrize("actor, action, resource, expected", CASES)
def test_rule(actor, action, resource, expected):
    assert can(actor, action, resource) is expected


def test_sides():
    assert [access.side_of(p, N) for p in (UNION, PLATFORM, PARTNER, MEDIATOR, OTHER)] == [
        "worker", "employer", "employer", "mediator", None]
    assert N.party_org_ids() == {1, 2, 3, 4}
    assert N_NO_MEDIATOR.side_org_ids("employer") == {2}
