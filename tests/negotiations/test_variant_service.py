"""Services under a negotiation's variant: the demo wage agreement takes effect on delivery of a
no-objection opinion, a term outside 1-3 years needs the mediator's acknowledgement, and the
deadlines follow the wage rule set (publication 5 days after taking effect, a yearly round)."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.negotiations import records as nrecords
from app.negotiations import steps as step_service
from app.negotiations.deadlines import deadlines
from app.errors import IllegalTransition, ValidationError
from app.negotiations.models import Filing, Negotiation
from tests.chinese import zh
from tests.negotiations.helpers import NOW, user

WAGE = "速达外卖众包骑手工资专项集体协商（示例）"


def test_wage_agreement_in_force_on_delivery_and_term_acknowledged_by_mediator(session):
    n = session.scalar(select(Negotiation).where(Negotiation.title == WAGE))
    assert (n.variant, n.state) == ("wage", "filed")
    received = session.scalar(select(Filing.received_on).where(Filing.negotiation_id == n.id))
    delivered = received + dt.timedelta(days=3)
    later = NOW + dt.timedelta(days=5)
    form = {"on": delivered.isoformat(), "opinion_delivered_on": delivered.isoformat(),
            "term_years": "5"}
    platform, mediator = user(session, "platform"), user(session, "mediator")
    with pytest.raises(ValidationError) as exc:  # only the mediator acknowledges
        step_service.record_step(session, platform, n.id, "take_effect",
                            {**form, "term_acknowledged": "1"}, now=later)
    assert "调解员" in zh(exc.value.errors["term_acknowledged"])
    with pytest.raises(IllegalTransition) as refused:  # a warning, to be acknowledged
        step_service.record_step(session, mediator, n.id, "take_effect", form, now=later)
    assert "一般" in zh(refused.value.message)
    step_service.record_step(session, mediator, n.id, "take_effect",
                        {**form, "term_acknowledged": "1"}, now=later)
    assert n.state == "in_force"
    entries = {e.key: e for e in deadlines(nrecords.history(session, n), delivered,
                                           ruleset=n.ruleset)}
    assert entries["publication"].due == delivered + dt.timedelta(days=5)
    assert entries["next_round"].due == delivered.replace(year=delivered.year + 1)
    assert entries["expiry"].due.year == delivered.year + 5
