"""The case library through the pages: both sides consent before a signed agreement is
published; hidden names stay hidden on every page of the library; filters; a mediator starts a
new draft from a published agreement; outsiders and the office cannot consent."""
from __future__ import annotations

from sqlalchemy import func, select

from app.agreements.library import AgreementPublication
from app.agreements.models import Agreement, AgreementVersion
from app.auth.models import User
from tests.negotiations.helpers import make_outsider, negotiation


def switch(auth, username):
    auth.logout()
    auth.login(username)


def ride_user(session, n):
    return session.scalar(select(User).where(User.organisation_id == n.employer_org_id)
                          .order_by(User.id)).username


def publications(session):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(AgreementPublication).where(
        AgreementPublication.published_at.is_not(None)))


def signed_names(session, n):
    a = session.scalar(select(Agreement).where(Agreement.negotiation_id == n.id))
    content = session.scalar(select(AgreementVersion.content).where(
        AgreementVersion.agreement_id == a.id, AgreementVersion.number == a.latest_number))
    parties = content["parties"]
    return content, [parties[p][k] for p in parties for k in ("name", "name_en", "chief")
                     if parties[p].get(k)]


def publish(client, auth, session, *, anonymise):
    n = negotiation(session, "in_force")
    form = {"anonymise": "1"} if anonymise else {}
    switch(auth, "union")
    assert auth.post(f"/library/consent/{n.id}", form).status_code == 302
    switch(auth, ride_user(session, n))
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 302
    return n


def test_one_consent_publishes_nothing_both_list_it(client, auth, session):
    n = negotiation(session, "in_force")
    content, _names = signed_names(session, n)
    auth.login("union")
    page = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    assert f"/library/consent/{n.id}" in page
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 302
    assert publications(session) == 0
    assert content["title_zh"] not in client.get("/library/").get_data(as_text=True)
    # The same side cannot consent twice.
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 409
    switch(auth, ride_user(session, n))
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 302
    assert publications(session) == 1
    listed = client.get("/library/").get_data(as_text=True)
    assert content["title_zh"] in listed
    pub = session.scalar(select(AgreementPublication))
    shown = client.get(f"/library/{pub.id}").get_data(as_text=True)
    assert content["standards"][0]["display"] in shown
    assert content["articles"][0]["title_zh"] in shown
    # The signed agreement is untouched: the same latest version, still signed.
    session.expire_all()
    a = session.scalar(select(Agreement).where(Agreement.negotiation_id == n.id))
    assert a.status == "signed" and pub.number == a.latest_number


def test_hidden_names_stay_hidden(client, auth, session):
    n = negotiation(session, "in_force")
    _content, names = signed_names(session, n)
    publish(client, auth, session, anonymise=True)
    pub = session.scalar(select(AgreementPublication))
    assert pub.anonymised
    make_outsider(session)  # a reader whose own header names none of the parties
    switch(auth, "outsider")
    for lang in ("zh_CN", "en"):
        auth.post("/lang", {"lang": lang})
        pages = client.get("/library/").get_data(as_text=True) + client.get(
            f"/library/{pub.id}").get_data(as_text=True)
        assert names and not [name for name in names if name in pages], lang
        assert ("某平台企业" if lang == "zh_CN" else "a platform enterprise") in pages


def test_named_when_neither_side_asks(client, auth, session):
    n = negotiation(session, "in_force")
    content, _names = signed_names(session, n)
    publish(client, auth, session, anonymise=False)
    pub = session.scalar(select(AgreementPublication))
    assert content["parties"]["employer"]["name"] in client.get(
        f"/library/{pub.id}").get_data(as_text=True)


def test_filters(client, auth, session):
    n = publish(client, auth, session, anonymise=True)
    pub = session.scalar(select(AgreementPublication))
    link = f'/library/{pub.id}"'
    key = pub.content["standards"][0]["key"]
    assert link in client.get("/library/", query_string={"sector": n.sector}).get_data(
        as_text=True)
    other = "freight" if n.sector != "freight" else "delivery"
    assert link not in client.get("/library/", query_string={"sector": other}).get_data(
        as_text=True)
    assert link in client.get("/library/", query_string={"province": n.province}).get_data(
        as_text=True)
    assert link not in client.get("/library/", query_string={"province": "海南省"}).get_data(
        as_text=True)
    by_term = client.get("/library/", query_string={"term": key}).get_data(as_text=True)
    assert link in by_term and pub.content["standards"][0]["display"] in by_term
    absent = {"max_daily_hours", "rest_minutes", "hourly_floor", "base_per_order"} - {
        s["key"] for s in pub.content["standards"]}
    if absent:
        assert link not in client.get("/library/", query_string={
            "term": sorted(absent)[0]}).get_data(as_text=True)
    bad = client.get("/library/", query_string={"sector": "mining", "term": "nope"})
    assert bad.status_code == 400 and 'id="err-sector"' in bad.get_data(as_text=True)


def test_mediator_starts_a_draft(client, auth, session):
    publish(client, auth, session, anonymise=True)
    pub = session.scalar(select(AgreementPublication))
    target = negotiation(session, "awaiting")
    switch(auth, "mediator")
    page = client.get(f"/library/{pub.id}").get_data(as_text=True)
    assert f'value="{target.id}"' in page
    answer = auth.post(f"/library/{pub.id}/draft", {"negotiation_id": str(target.id)})
    assert answer.status_code == 302, answer.get_data(as_text=True)
    session.expire_all()
    a = session.scalar(select(Agreement).where(Agreement.negotiation_id == target.id))
    assert a is not None and a.status == "drafting" and a.latest_number == 1
    draft = session.scalar(select(AgreementVersion.content).where(
        AgreementVersion.agreement_id == a.id))
    published = {s["key"]: s["value"] for s in pub.content["standards"]}
    assert {k: v for k, v in ((s["key"], s["value"]) for s in draft["standards"])
            if k in published} == published
    assert draft["parties"]["worker"]["name"] == target.worker_org.name
    # A second draft into the same negotiation is refused; nothing is written.
    assert auth.post(f"/library/{pub.id}/draft",
                     {"negotiation_id": str(target.id)}).status_code == 409
    assert auth.post(f"/library/{pub.id}/draft", {"negotiation_id": "x"}).status_code == 400
    # A side may read the library but not start a draft.
    switch(auth, "union")
    other = negotiation(session, "consultation")
    assert auth.post(f"/library/{pub.id}/draft",
                     {"negotiation_id": str(other.id)}).status_code in (403, 409)


def test_outsiders_and_the_office_cannot_consent(client, auth, session):
    n = negotiation(session, "in_force")
    make_outsider(session)
    auth.login("outsider")
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 404
    assert client.get("/library/").status_code == 200
    switch(auth, "mediator")
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 403
    switch(auth, "platform")  # the delivery platform is no party of the ride-hailing contract
    assert auth.post(f"/library/consent/{n.id}", {}).status_code == 404
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AgreementPublication)) == 0
