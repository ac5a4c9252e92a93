"""Access: private scenarios stay in their organisation; snapshots are for negotiation parties."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.negotiations.models import Negotiation
from app.scenarios.models import SavedScenario, ScenarioSnapshot


def union_scenario_id(session):
    union = session.scalar(select(User).where(User.username == "union"))
    return session.scalars(select(SavedScenario).where(
        SavedScenario.organisation_id == union.organisation_id)).first().id


def demo_snapshot(session):
    return session.scalars(select(ScenarioSnapshot)).first()


def test_another_organisation_cannot_open_copy_export_or_delete(client, auth, session):
    sid = union_scenario_id(session)
    auth.login("platform")
    assert client.get(f"/scenarios/{sid}").status_code == 404
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/scenarios/{sid}/export.{fmt}").status_code == 404
    for action in ("copy", "delete", "save", "run", "share"):
        assert auth.post(f"/scenarios/{sid}/{action}").status_code == 404, action
    listing = client.get("/scenarios/").get_data(as_text=True)
    assert f'id="scenario-{sid}"' not in listing
    assert client.get(f"/scenarios/compare?ids={sid}&ids={sid}").status_code in (302, 404)


def test_anonymous_users_are_sent_to_login(client, session):
    sid = union_scenario_id(session)
    response = client.get(f"/scenarios/{sid}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_other_side_opens_and_copies_a_shared_snapshot(client, auth, session):
    snap = demo_snapshot(session)
    auth.login("platform")
    page = client.get(f"/scenarios/snapshots/{snap.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert snap.name in html and 'id="readings-working_time"' in html
    assert f'href="/scenarios/snapshots/{snap.id}"' in client.get("/scenarios/").get_data(
        as_text=True)
    copied = auth.post(f"/scenarios/snapshots/{snap.id}/copy")
    assert copied.status_code == 302
    new_id = int(copied.headers["Location"].split("/")[-1])
    session.expire_all()
    record = session.get(SavedScenario, new_id)
    platform = session.scalar(select(User).where(User.username == "platform"))
    assert record.organisation_id == platform.organisation_id and record.owner_id == platform.id
    assert client.get(f"/scenarios/{new_id}").status_code == 200
    assert client.get(f"/scenarios/snapshots/{snap.id}/export.csv").status_code == 200


def test_a_non_party_cannot_open_a_snapshot(client, auth, session):
    snap = demo_snapshot(session)
    auth.login("ride-platform")
    assert client.get(f"/scenarios/snapshots/{snap.id}").status_code == 403
    assert auth.post(f"/scenarios/snapshots/{snap.id}/copy").status_code == 403
    assert client.get(f"/scenarios/snapshots/{snap.id}/export.csv").status_code == 403


def test_share_into_a_negotiation_the_org_is_party_to(client, auth, session):
    sid = union_scenario_id(session)
    union = session.scalar(select(User).where(User.username == "union"))
    negotiation = session.scalars(select(Negotiation).where(
        Negotiation.worker_org_id == union.organisation_id)).first()
    auth.login("union")
    assert f'value="{negotiation.id}"' in client.get(f"/scenarios/{sid}").get_data(as_text=True)
    shared = auth.post(f"/scenarios/{sid}/share", {"negotiation_id": str(negotiation.id)})
    assert shared.status_code == 302
    snap_id = int(shared.headers["Location"].split("/")[-1])
    assert client.get(f"/scenarios/snapshots/{snap_id}").status_code == 200
    assert auth.post(f"/scenarios/{sid}/share", {"negotiation_id": "999999"}).status_code == 400
    # A negotiation the platform user's organisation is not party to is refused.
    ride = session.scalar(select(User).where(User.username == "ride-platform"))
    other = session.scalars(select(Negotiation).where(
        Negotiation.employer_org_id != ride.organisation_id,
        Negotiation.mediator_org_id != ride.organisation_id)).first()
    auth.logout()
    auth.login("ride-platform")
    created = auth.post("/scenarios/new", {"name": "r", "sector": "ride_hailing",
                                           "n_workers": "100"})
    rid = int(created.headers["Location"].split("/")[-1])
    assert auth.post(f"/scenarios/{rid}/share",
                     {"negotiation_id": str(other.id)}).status_code == 403


def test_make_a_draft_offer_from_a_scenario(client, auth, session):
    from app.negotiations.models import Offer
    union = session.scalar(select(User).where(User.username == "union"))
    negotiation = session.scalars(select(Negotiation).where(
        Negotiation.worker_org_id == union.organisation_id,
        Negotiation.sector == "delivery")).first()
    sid = union_scenario_id(session)
    drafts = session.scalars(select(Offer).where(Offer.status == "draft")).all()
    auth.login("union")
    response = auth.post(f"/scenarios/{sid}/offer-draft",
                         {"negotiation_id": str(negotiation.id)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert f"/negotiations/{negotiation.id}" in response.headers["Location"]
    session.expire_all()
    new = [o for o in session.scalars(select(Offer).where(Offer.status == "draft"))
           if o not in drafts]
    assert len(new) == 1 and new[0].negotiation_id == negotiation.id
    record = session.get(SavedScenario, sid)
    assert new[0].terms["base_per_order"] == record.data["pay"]["base_per_order"]


def test_create_from_a_negotiations_current_rules(client, auth, session):
    union = session.scalar(select(User).where(User.username == "union"))
    negotiation = session.scalars(select(Negotiation).where(
        Negotiation.worker_org_id == union.organisation_id,
        Negotiation.sector == "delivery")).first()
    auth.login("union")
    assert negotiation.title in client.get("/scenarios/new").get_data(as_text=True)
    response = auth.post("/scenarios/from-negotiation", {"negotiation_id": str(negotiation.id)})
    assert response.status_code == 302
    sid = int(response.headers["Location"].split("/")[-1])
    session.expire_all()
    assert session.get(SavedScenario, sid).origin == f"negotiation:{negotiation.id}"
    auth.logout()
    auth.login("ride-platform")  # not party to the delivery negotiation
    other = auth.post("/scenarios/from-negotiation", {"negotiation_id": str(negotiation.id)})
    assert other.status_code == 403
