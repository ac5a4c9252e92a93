"""A newer minimum wage for an agreement's place makes an adjustment consultation due."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import select

from app.auth.models import User
from app.ledger.adjustments import adjustments_due
from app.negotiations.models import Negotiation
from app.standards import importer
from tests.conftest import DEMO_NOW

NEW_HENAN = ("province,tier,monthly,hourly,effective_from,document,source,verified\n"
             "河南,1,2500,24.5,2027-01-01,,https://example.org/henan-2027,no\n").encode()


def _user(session, name):
    return session.scalar(select(User).where(User.username == name))


def test_due_for_both_parties_and_the_mediator_only_after_a_newer_standard(session):
    in_force = session.scalar(select(Negotiation).where(Negotiation.state == "in_force"))
    employer = SimpleNamespace(is_site_admin=False, organisation_id=in_force.employer_org_id)
    assert adjustments_due(session, _user(session, "mediator")) == []
    importer.import_csv(session, _user(session, "admin"), NEW_HENAN, now=DEMO_NOW)
    for actor in (_user(session, "union"), _user(session, "mediator"), employer):
        (due,) = adjustments_due(session, actor)
        assert due.negotiation_id == in_force.id
        assert due.standard_from == date(2027, 1, 1)
        assert due.due_by == date(2027, 1, 21)   # the clause's reply_days (20) after
        assert due.tier is None                  # 郑州's tier under it is to be confirmed
        assert not due.overdue(date(2027, 1, 21)) and due.overdue(date(2027, 1, 22))
    # The delivery platform is not party to the agreement in force.
    assert adjustments_due(session, _user(session, "platform")) == []


def test_dashboard_and_ledger_show_the_consultation_due(client, auth, session):
    importer.import_csv(session, _user(session, "admin"), NEW_HENAN, now=DEMO_NOW)
    auth.login("mediator")
    for page in ("/dashboard", "/ledger/"):
        text = client.get(page).get_data(as_text=True)
        assert "adjustments-due" in text and "2027-01-21" in text, page
