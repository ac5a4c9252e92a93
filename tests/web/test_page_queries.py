"""The pages of the load benchmark's page mix read a fixed number of SQL statements, however many
meetings and offers a negotiation has (no query per row: bench/load.py, bench/pages_cpu.py)."""
from __future__ import annotations

import contextlib
import datetime as dt

from sqlalchemy import event, select

from app.negotiations import outcomes
from app.negotiations.models import Meeting, Offer
from tests.web.test_meeting_outcomes import MEETING, money_terms
from tests.web.test_meeting_outcomes import negotiation as equal_delegations


@contextlib.contextmanager
def counted(app):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)
    engine = app.extensions["xieshang.engine"]
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def page_statements(app, client, url: str) -> int:
    client.get(url)  # first use: anything loaded once per process
    with counted(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def record_meeting(auth, session, n, value: float) -> None:
    """A meeting whose minutes record one agreed term and one open one (the mediator's form)."""
    (k1, _v1), (k2, _v2) = money_terms(session, n)[:2]
    r = auth.post(f"/negotiations/{n.id}/meetings", {
        **MEETING, f"outcome.{k1}": "agreed", f"agreed.{k1}": f"{value:.2f}",
        f"outcome.{k2}": "open"})
    assert r.status_code in (200, 302), r.get_data(as_text=True)[-2000:]


def more_offers(session, n, count: int) -> None:
    """``count`` further superseded rounds, copies of the negotiation's last sent offer."""
    last = session.scalars(select(Offer).where(
        Offer.negotiation_id == n.id, Offer.status.in_(("sent", "superseded")))
        .order_by(Offer.id.desc())).first()
    assert last is not None
    for i in range(count):
        session.add(Offer(
            negotiation_id=n.id, side=last.side, organisation_id=last.organisation_id,
            round=(last.round or 0) + 10 + i, terms=dict(last.terms), rationale=f"第{i}轮",
            status="superseded", created_by_id=last.created_by_id, created_at=last.created_at,
            sent_at=last.sent_at + dt.timedelta(minutes=i + 1), sent_on=last.sent_on,
            snapshot=last.snapshot))
    session.commit()


def test_negotiation_page_statements_do_not_grow_with_meetings_and_offers(
        app, client, auth, session):
    n = equal_delegations(session, "consultation")
    url = f"/negotiations/{n.id}"
    auth.login("mediator")
    record_meeting(auth, session, n, 1.0)
    auth.logout()
    counts = {}
    for user in ("union", "mediator"):
        auth.login(user)
        counts[user] = page_statements(app, client, url)
        auth.logout()

    auth.login("mediator")
    for value in (2.0, 3.0, 4.0):
        record_meeting(auth, session, n, value)
    more_offers(session, n, 5)
    session.expire_all()
    meetings = session.scalars(select(Meeting).where(Meeting.negotiation_id == n.id)).all()
    assert sum(bool(outcomes.of_meeting(session, m)) for m in meetings) >= 4
    session.expunge_all()  # of_meetings without the steps in the session: read in one statement
    with counted(app) as statements:
        batch = outcomes.of_meetings(session, meetings)
    assert len(statements) == 1
    assert batch == {m.id: outcomes.of_meeting(session, m) for m in meetings}
    for user in ("mediator", "union"):
        if user == "union":
            auth.logout()
            auth.login(user)
        page = client.get(url).get_data(as_text=True)
        assert all(f"meeting-{m.number}-outcomes" in page for m in meetings
                   if outcomes.of_meeting(session, m))
        assert page_statements(app, client, url) == counts[user], user


def test_dashboard_statements_are_fixed(app, client, auth, session):
    auth.login("union")
    before = page_statements(app, client, "/dashboard")
    n = equal_delegations(session, "consultation")
    more_offers(session, n, 3)
    assert page_statements(app, client, "/dashboard") == before
