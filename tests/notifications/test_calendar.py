"""The calendar feed and single-deadline downloads, parsed back with the icalendar library."""
from __future__ import annotations

import datetime as dt
import re

import icalendar
from sqlalchemy import select

from app.db import utcnow
from app.ledger.models import LedgerItem
from app.negotiations import service as nservice
from app.negotiations.deadlines import deadlines
from app.notifications.models import UserSettings
from app.negotiations import records as nrecords
from app.negotiations import offers as noffers
from tests.conftest import AuthActions
from tests.negotiations.helpers import TITLES, make_outsider, negotiation, user

FEED_RE = re.compile(r'value="(http://localhost/calendar/([A-Za-z0-9_-]{43})\.ics)"')


def _new_feed(auth) -> str:
    page = auth.post("/account/calendar", {"action": "new"})
    assert page.status_code == 200
    return "/calendar/" + FEED_RE.search(page.get_data(as_text=True)).group(2) + ".ics"


def _events(body: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def _expected(session, username: str) -> dict[str, dt.date]:
    """uid → due date, computed straight from each negotiation's history and each item."""
    actor = user(session, username)
    today = nrecords.local_today(utcnow())
    out = {}
    for n in nservice.negotiations_for(session, actor):
        seen: dict[str, int] = {}
        for d in deadlines(nrecords.history(session, n), today, ruleset=n.ruleset):
            seen[d.key] = seen.get(d.key, 0) + 1
            out[f"negotiation-{n.id}-{d.key}-{seen[d.key]}@xieshang"] = d.due
    return out


def test_feed_lists_every_deadline_with_its_date_in_shanghai(app, client, session):
    auth = AuthActions(client)
    auth.login("union")
    url = _new_feed(auth)
    anonymous = app.test_client()  # a calendar program sends no cookie
    answer = anonymous.get(url)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(answer.data)
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    events = _events(answer.data)
    expected = _expected(session, "union")
    assert len(expected) >= 3
    negotiation_events = {uid: e for uid, e in events.items() if uid.startswith("negotiation-")}
    assert {uid: e.decoded("dtstart") for uid, e in negotiation_events.items()} == expected
    for event in negotiation_events.values():
        start = event.decoded("dtstart")
        assert type(start) is dt.date  # a whole legal day, not an instant
        assert event.decoded("dtend") == start + dt.timedelta(days=1)
    # The union follows the ledger item that comes from its agreement.
    items = [e for uid, e in events.items() if uid.startswith("ledger-")]
    followed = session.scalars(select(LedgerItem).where(LedgerItem.negotiation_id.is_not(None)))
    assert {e.decoded("dtstart") for e in items} == {i.deadline for i in followed}
    assert items and all("台账" in str(e["summary"]) for e in items)


def test_feed_follows_the_procedure(app, client, session):
    auth = AuthActions(client)
    auth.login("union")
    url = _new_feed(auth)
    n = negotiation(session, "awaiting")
    uid = f"negotiation-{n.id}-reply-1@xieshang"
    before = _events(app.test_client().get(url).data)[uid]
    assert not str(before["summary"]).startswith("已完成")
    assert before.walk("VALARM"), "an open deadline carries a reminder"
    today = nrecords.local_today(utcnow()).isoformat()
    noffers.reply_to_offer(session, user(session, "platform"), n.id,
                            {"answer": "accept", "on": today}, now=utcnow())
    after = _events(app.test_client().get(url).data)[uid]
    assert str(after["summary"]).startswith("已完成")
    assert f"完成于 {today}" in str(after["description"]).replace("：", " ")
    assert not after.walk("VALARM")


def test_feed_address_can_be_revoked_and_remade(app, client, session):
    auth = AuthActions(client)
    auth.login("platform")
    first = _new_feed(auth)
    second = _new_feed(auth)
    reader = app.test_client()
    assert reader.get(first).status_code == 404
    assert reader.get(second).status_code == 200
    assert auth.post("/account/calendar", {"action": "revoke"}).status_code == 302
    assert reader.get(second).status_code == 404
    row = session.get(UserSettings, user(session, "platform").id)
    assert row.calendar_token_hash is None
    # Only a hash is stored: the secret itself is nowhere in the database.
    assert second.split("/")[-1][:-4] not in str(row.snapshot())


def test_feed_shows_only_the_users_own_negotiations(app, client, session):
    auth = AuthActions(client)
    auth.login("platform")
    events = _events(app.test_client().get(_new_feed(auth)).data)
    in_force = negotiation(session, "in_force")  # the platform is not party to it
    assert not [uid for uid in events if uid.startswith(f"negotiation-{in_force.id}-")]
    assert set(_expected(session, "platform")) <= set(events)


def test_bad_feed_addresses_are_not_found(app):
    reader = app.test_client()
    for token in ("x", "A" * 43, "A" * 44, "..%2F..%2Fetc", "A" * 42 + "!"):
        assert reader.get(f"/calendar/{token}.ics").status_code == 404


def test_inactive_user_feed_stops(app, client, session):
    auth = AuthActions(client)
    auth.login("union")
    url = _new_feed(auth)
    union = user(session, "union")
    union.is_active = False
    session.commit()
    assert app.test_client().get(url).status_code == 404


def test_single_deadline_download(app, client, session):
    auth = AuthActions(client)
    auth.login("union")
    n = negotiation(session, "awaiting")
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    link = f"/calendar/negotiations/{n.id}/reply-1.ics"
    assert link in page
    answer = client.get(link)
    assert answer.status_code == 200
    assert "attachment" in answer.headers["Content-Disposition"]
    (event,) = _events(answer.data).values()
    due = deadlines(nrecords.history(session, n), nrecords.local_today(utcnow()),
                    ruleset=n.ruleset)[0].due
    assert event.decoded("dtstart") == due
    assert TITLES["awaiting"] in str(event["summary"])
    for bad in ("reply-9", "nothing-1", "reply", "REPLY-1", "reply-1x"):
        assert client.get(f"/calendar/negotiations/{n.id}/{bad}.ics").status_code == 404


def test_single_deadline_needs_a_party(app, client, session):
    make_outsider(session)
    n = negotiation(session, "awaiting")
    AuthActions(client).login("outsider")
    assert client.get(f"/calendar/negotiations/{n.id}/reply-1.ics").status_code == 404
    item = session.scalars(select(LedgerItem)).first()
    assert client.get(f"/calendar/ledger/{item.id}.ics").status_code == 404


def test_ledger_item_download(app, client, session):
    AuthActions(client).login("mediator")
    item = session.scalars(select(LedgerItem).order_by(LedgerItem.id)).first()
    assert f"/calendar/ledger/{item.id}.ics" in client.get(f"/ledger/items/{item.id}").get_data(
        as_text=True)
    (event,) = _events(client.get(f"/calendar/ledger/{item.id}.ics").data).values()
    assert event.decoded("dtstart") == item.deadline
    assert item.title in str(event["summary"])


def test_settings_page_needs_a_choice(client):
    auth = AuthActions(client)
    auth.login("union")
    assert client.get("/account/settings").status_code == 200
    answer = auth.post("/account/calendar", {"action": "bogus"})
    assert answer.status_code == 400
    assert 'role="alert"' in answer.get_data(as_text=True) or "error" in answer.get_data(
        as_text=True)


def test_settings_page_shows_each_section_once_and_a_plain_title(client):
    AuthActions(client).login("union")
    page = client.get("/account/settings").get_data(as_text=True)
    title = page[page.index("<title>"):page.index("</title>")]
    assert "<" not in title[len("<title>"):], title
    assert page.count('id="notifications"') == 1 and page.count('id="calendar"') == 1
