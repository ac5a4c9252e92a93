"""Access matrix of the ledger, screenings, lay-off plans and the regional report.

Each demo role, plus users of an enterprise and an office in another city (洛阳) and a second
union, against each page and action, on their own and on another organisation's records.
"""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from app.auth.models import Organisation, OrgKind, Role, Sector, User
from app.ledger.items import ItemStatus, Source
from app.ledger.models import LayoffPlan, LedgerEvidence, LedgerItem, RiskScreening
from app.negotiations.models import Negotiation

T = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
PDF = b"%PDF-1.4\n% evidence\n"


def _org(session, part):
    return session.scalars(select(Organisation).where(Organisation.name.contains(part))).one()


def _add_org(session, name, kind, city, sector=None):
    org = Organisation(name=name, kind=kind, province="河南省", city=city, sector=sector)
    session.add(org)
    session.flush()
    return org


def _add_user(session, username, org, role=Role.org_admin):
    user = User(username=username, display_name=username, organisation=org, role=role)
    user.set_password("xieshang-demo")
    session.add(user)
    session.flush()
    return user


def _item(session, enterprise, creator, **kw):
    item = LedgerItem(enterprise=enterprise, title=kw.pop("title", "测试事项"), responsible="r",
                      deadline=kw.pop("deadline", datetime(2026, 12, 31).date()),
                      opened_on=T.date(), status=kw.pop("status", ItemStatus.OPEN),
                      source=kw.pop("source", Source.MANUAL), created_by_id=creator.id,
                      created_at=T, updated_at=T, **kw)
    session.add(item)
    session.flush()
    return item


@pytest.fixture
def ids(session):
    """Records on both sides of every boundary; returns their ids by name."""
    mediator = session.scalars(select(User).where(User.username == "mediator")).one()
    union_org = _org(session, "新就业形态劳动者工会联合会")
    delivery, partner = _org(session, "速达外卖"), _org(session, "众达人力")
    other_ent = _add_org(session, "洛阳快送（测试）", OrgKind.platform, "洛阳市", Sector.delivery)
    other_office = _add_org(session, "洛阳三方办（测试）", OrgKind.mediator, "洛阳市")
    other_union = _add_org(session, "洛阳工会（测试）", OrgKind.union, "洛阳市")
    _add_user(session, "ly_mediator", other_office)
    _add_user(session, "ly_platform", other_ent)
    _add_user(session, "ly_union", other_union)
    _add_user(session, "zd_partner", partner, Role.member)
    negotiation = Negotiation(title="测试协商", worker_org_id=union_org.id,
                              employer_org_id=delivery.id, sector="delivery", province="河南省",
                              city="郑州市", workers_count=100, state="in_force",
                              created_by_id=mediator.id, created_at=T, updated_at=T)
    session.add(negotiation)
    session.flush()
    out = {
        "partner_item": _item(session, partner, mediator).id,
        "delivery_item": _item(session, delivery, mediator).id,
        "agreement_item": _item(session, delivery, mediator, source=Source.AGREEMENT,
                                negotiation_id=negotiation.id, standard_key="hourly_floor").id,
        "other_item": _item(session, other_ent, mediator).id,
        "partner_screening": session.scalars(select(RiskScreening.id).where(
            RiskScreening.enterprise_id == partner.id)).first(),
        "delivery_screening": session.scalars(select(RiskScreening.id).where(
            RiskScreening.enterprise_id == delivery.id)).first(),
    }
    evidence = LedgerEvidence(item_id=out["partner_item"], note="n", filename="proof.pdf",
                              content_type="application/pdf", size=len(PDF), data=PDF,
                              added_at=T)
    session.add(evidence)
    session.flush()
    out["partner_evidence"] = evidence.id
    out["partner_layoff"] = session.scalars(select(LayoffPlan.id).where(
        LayoffPlan.enterprise_id == partner.id)).first()
    session.commit()
    return out


# (user, url template, expected status)
GETS = [
    *[(u, "/ledger/", 200) for u in ("mediator", "admin", "platform", "union", "zd_partner",
                                     "ly_mediator", "ly_platform", "ly_union")],
    ("mediator", "/ledger/items/{partner_item}", 200),
    ("admin", "/ledger/items/{other_item}", 200),
    ("zd_partner", "/ledger/items/{partner_item}", 200),
    ("platform", "/ledger/items/{partner_item}", 404),
    ("platform", "/ledger/items/{delivery_item}", 200),
    ("union", "/ledger/items/{delivery_item}", 404),
    ("union", "/ledger/items/{agreement_item}", 200),
    ("ly_union", "/ledger/items/{agreement_item}", 404),
    ("ly_mediator", "/ledger/items/{partner_item}", 404),
    ("ly_mediator", "/ledger/items/{other_item}", 200),
    ("ly_platform", "/ledger/items/{delivery_item}", 404),
    ("mediator", "/ledger/items/{other_item}", 404),
    ("mediator", "/ledger/evidence/{partner_evidence}", 200),
    ("zd_partner", "/ledger/evidence/{partner_evidence}", 200),
    ("platform", "/ledger/evidence/{partner_evidence}", 404),
    ("ly_mediator", "/ledger/evidence/{partner_evidence}", 404),
    ("mediator", "/ledger/new", 200), ("admin", "/ledger/new", 200),
    ("ly_mediator", "/ledger/new", 200), ("platform", "/ledger/new", 403),
    ("union", "/ledger/new", 403), ("zd_partner", "/ledger/new", 403),
    ("mediator", "/ledger/items/{partner_item}/edit", 200),
    ("zd_partner", "/ledger/items/{partner_item}/edit", 403),
    ("ly_mediator", "/ledger/items/{partner_item}/edit", 404),
    *[(u, "/ledger/screenings", 200) for u in ("mediator", "platform", "union", "ly_platform")],
    ("mediator", "/ledger/screenings/new", 200), ("platform", "/ledger/screenings/new", 403),
    ("union", "/ledger/screenings/new", 403),
    ("mediator", "/ledger/screenings/{partner_screening}", 200),
    ("zd_partner", "/ledger/screenings/{partner_screening}", 200),
    ("platform", "/ledger/screenings/{partner_screening}", 404),
    ("platform", "/ledger/screenings/{delivery_screening}", 200),
    ("union", "/ledger/screenings/{delivery_screening}", 404),
    ("ly_mediator", "/ledger/screenings/{partner_screening}", 404),
    ("mediator", "/ledger/import", 200), ("admin", "/ledger/import", 200),
    ("platform", "/ledger/import", 403), ("union", "/ledger/import", 403),
    ("mediator", "/ledger/layoffs", 200), ("platform", "/ledger/layoffs", 200),
    ("zd_partner", "/ledger/layoffs/new", 200), ("union", "/ledger/layoffs", 403),
    ("union", "/ledger/layoffs/new", 403),
    *[(u, p, 200) for u in ("mediator", "admin", "ly_mediator")
      for p in ("/reports/region", "/reports/region.csv")],
    *[(u, p, 403) for u in ("platform", "union", "zd_partner", "ly_platform")
      for p in ("/reports/region", "/reports/region.csv")],
]


@pytest.mark.parametrize("username, url, status", GETS)
def test_get_matrix(client, auth, ids, username, url, status):
    auth.login(username)
    assert client.get(url.format(**ids)).status_code == status


def test_anonymous_is_sent_to_login(client, ids):
    for url in ("/ledger/", "/ledger/items/{partner_item}", "/reports/region",
                "/ledger/evidence/{partner_evidence}"):
        response = client.get(url.format(**ids))
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# (user, action on an item, expected status)
POSTS = [
    ("zd_partner", "partner_item", "start", 302), ("mediator", "partner_item", "start", 302),
    ("platform", "partner_item", "start", 404), ("union", "agreement_item", "start", 403),
    ("ly_mediator", "partner_item", "start", 404), ("zd_partner", "partner_item", "close", 403),
    ("mediator", "partner_item", "close", 302), ("ly_mediator", "other_item", "close", 302),
    ("platform", "delivery_item", "close", 403), ("union", "agreement_item", "close", 403),
    ("zd_partner", "partner_item", "evidence", 302), ("platform", "partner_item", "evidence", 404),
    ("union", "agreement_item", "evidence", 403),
]


@pytest.mark.parametrize("username, item, action, status", POSTS)
def test_post_matrix(client, auth, ids, username, item, action, status):
    auth.login(username)
    url = f"/ledger/items/{ids[item]}/{action}"
    assert auth.post(url, {"note": "已整改，附回单"}).status_code == status


def test_creating_for_another_region_is_forbidden(client, auth, ids, session):
    other = _org(session, "洛阳快送")
    auth.login("mediator")
    response = auth.post("/ledger/new", {"enterprise_id": other.id, "title": "x",
                                         "responsible": "y", "deadline": "2026-12-31"})
    assert response.status_code == 403
    auth.logout()
    auth.login("ly_mediator")
    partner = _org(session, "众达人力")
    assert auth.post("/ledger/screenings/new", {"enterprise_id": partner.id}).status_code == 403


def test_lists_show_only_what_the_user_may_see(client, auth, ids):
    auth.login("platform")
    body = client.get("/ledger/").get_data(as_text=True)
    assert f"/ledger/items/{ids['delivery_item']}" in body
    assert f"/ledger/items/{ids['partner_item']}" not in body
    assert f"/ledger/items/{ids['other_item']}" not in body
    auth.logout()
    auth.login("union")
    body = client.get("/ledger/").get_data(as_text=True)
    assert f"/ledger/items/{ids['agreement_item']}" in body
    assert f"/ledger/items/{ids['delivery_item']}" not in body
    auth.logout()
    auth.login("ly_mediator")
    body = client.get("/ledger/").get_data(as_text=True)
    assert f"/ledger/items/{ids['other_item']}" in body
    assert f"/ledger/items/{ids['partner_item']}" not in body
    assert "众达人力" not in client.get("/ledger/screenings").get_data(as_text=True)


def test_nav_entries_by_role(client, auth):
    auth.login("mediator")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/ledger/"' in body and 'href="/reports/region"' in body
    auth.logout()
    auth.login("platform")
    body = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/ledger/"' in body and 'href="/reports/region"' not in body
