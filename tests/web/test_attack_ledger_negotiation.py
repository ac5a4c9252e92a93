"""Issue 13, finding 7: a ledger item names only a negotiation the actor is party to whose
employer side includes the item's enterprise."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.auth.models import Organisation
from app.ledger.models import LedgerItem
from app.negotiations.models import Negotiation
from tests.conftest import DEMO_NOW
from tests.negotiations.helpers import TITLES


def _form(enterprise_id, negotiation_id):
    return {"enterprise_id": str(enterprise_id), "title": "落实标准", "responsible": "某人",
            "deadline": (DEMO_NOW.date() + timedelta(days=400)).isoformat(),
            "source": "agreement", "negotiation_id": str(negotiation_id),
            "standard_key": "hourly_floor"}


def test_item_cannot_name_another_enterprises_or_a_missing_negotiation(client, auth, session):
    delivery = session.scalar(select(Negotiation).where(Negotiation.title ==
                                                        TITLES["consultation"]))
    ride = session.scalar(select(Negotiation).where(Negotiation.title == TITLES["in_force"]))
    enterprise = session.get(Organisation, delivery.employer_org_id)
    assert enterprise.id not in ride.side_org_ids("employer")
    auth.login("mediator")
    count = session.scalar(select(func.count()).select_from(LedgerItem))
    for negotiation_id in (ride.id, 999999):
        response = auth.post("/ledger/new", _form(enterprise.id, negotiation_id))
        assert response.status_code == 400, response.get_data(as_text=True)[:300]
        assert 'id="err-negotiation_id"' in response.get_data(as_text=True) or \
            "negotiation_id" in response.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(LedgerItem)) == count
    ok = auth.post("/ledger/new", _form(enterprise.id, delivery.id))
    assert ok.status_code == 302
