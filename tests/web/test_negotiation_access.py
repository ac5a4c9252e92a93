"""The access matrix: each demo role × each negotiation page and action × own vs other org.

Parties (union, platform) and the mediator's office see their negotiations; others get 404
(the negotiation's existence is not revealed); a party refused an action gets 403.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.auth.models import OrgKind
from app.negotiations.models import Offer, ProcedureStep
from tests.negotiations.helpers import make_outsider, negotiation

KEYS = ("consultation", "awaiting", "in_force", "preparing")
# Which demo negotiations each user's organisation takes part in.
SEES = {
    "union": set(KEYS),
    "platform": {"consultation", "awaiting", "preparing"},
    "mediator": set(KEYS),
    "admin": set(KEYS),  # the demo site admin works at the mediating office
    "ride-platform": {"in_force"},
    "outsider": set(),
    "outside-platform": set(),
    "outside-root": set(),  # a site admin of another organisation sees no content
}


def _login(session, auth, username):
    if username == "outsider":
        make_outsider(session)
    elif username == "outside-platform":
        make_outsider(session, kind=OrgKind.platform, username=username)
    elif username == "outside-root":
        make_outsider(session, username=username, site_admin=True)
    response = auth.login(username)
    assert response.status_code == 302, username


@pytest.mark.parametrize("username", sorted(SEES))
def test_pages_by_role(client, auth, session, username):
    ids = {k: negotiation(session, k).id for k in KEYS}
    _login(session, auth, username)
    assert client.get("/negotiations/").status_code == 200
    assert client.get("/negotiations/new").status_code == 200
    listing = client.get("/negotiations/").get_data(as_text=True)
    for key, n_id in ids.items():
        expected = 200 if key in SEES[username] else 404
        assert client.get(f"/negotiations/{n_id}").status_code == expected, (username, key)
        assert client.get(f"/negotiations/{n_id}/offer-chart.svg").status_code == expected
        assert (f"/negotiations/{n_id}\"" in listing) == (key in SEES[username])


# Actions: (url suffix, form, negotiation key) → expected status per user. 302 = done.
ACTIONS = {
    "reply": ("reply", {"answer": "accept"}, "awaiting"),
    "counter": ("offers", {"terms.base_per_order": "6.1", "action": "send"}, "awaiting"),
    "offer": ("offers", {"terms.base_per_order": "7", "action": "send"}, "preparing"),
    "meeting": ("meetings", {"place": "会议室", "agenda": "议程", "minute_taker": "陈静",
                             "held_on": "2026-11-02"}, "in_force"),
    "note": ("notes", {"body": "内部备注"}, "consultation"),
    "rep": ("representatives", {"side": "worker", "name": "新代表"}, "preparing"),
}
EXPECTED = {
    "union": {"reply": 403, "counter": 409, "offer": 302, "meeting": 409, "note": 302,
              "rep": 302},
    "platform": {"reply": 302, "counter": 302, "offer": 302, "meeting": 404, "note": 302,
                 "rep": 400},
    "mediator": {"reply": 403, "counter": 403, "offer": 403, "meeting": 409, "note": 302,
                 "rep": 302},
    "outsider": {k: 404 for k in ACTIONS},
    "outside-root": {k: 404 for k in ACTIONS},
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_actions_by_role(client, auth, session, username, action):
    suffix, form, key = ACTIONS[action]
    n_id = negotiation(session, key).id
    _login(session, auth, username)

    def written():
        session.expire_all()
        return (session.scalar(select(func.count()).select_from(ProcedureStep)),
                session.scalar(select(func.count()).select_from(Offer)))
    before = written()
    response = auth.post(f"/negotiations/{n_id}/{suffix}", form)
    expected = EXPECTED[username][action]
    assert response.status_code == expected, (username, action, response.status_code)
    if expected != 302:
        assert written() == before


def test_anonymous_is_sent_to_login(client, session):
    n_id = negotiation(session, "consultation").id
    for url in ("/negotiations/", f"/negotiations/{n_id}"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_drafts_and_notes_stay_with_their_side(client, auth, session):
    n_id = negotiation(session, "preparing").id
    auth.login("union")
    assert auth.post(f"/negotiations/{n_id}/offers", {
        "terms.base_per_order": "7.77", "action": "draft"}).status_code == 302
    assert auth.post(f"/negotiations/{n_id}/notes", {"body": "工会内部底线"}).status_code == 302
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    assert "7.77" in page and "工会内部底线" in page
    auth.logout()
    auth.login("platform")
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    assert "7.77" not in page and "工会内部底线" not in page
    auth.logout()
    auth.login("mediator")
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    assert "7.77" not in page and "工会内部底线" not in page
