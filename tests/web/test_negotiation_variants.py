"""Choosing the kind of consultation (variant) on the pages: creation, the rule-set panel, the
change until the first offer, and the corrected vote shown with its reasons."""
from __future__ import annotations

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.negotiations.models import Negotiation
from tests.negotiations.helpers import negotiation


def _new(auth, session, **extra):
    union_org = session.scalar(select(Negotiation.worker_org_id))
    platform_org = session.scalar(select(Negotiation.employer_org_id))
    return auth.post("/negotiations/new", {
        "title": "新建的平台规则协商", "worker_org_id": union_org,
        "employer_org_id": platform_org, "sector": "delivery", "province": "河南省",
        "city": "郑州市", "workers_covered": "全部骑手", "workers_count": "50", **extra})


def test_create_with_a_variant_and_see_its_rule_set(client, auth, session):
    auth.login("union")
    form = client.get("/negotiations/new").get_data(as_text=True)
    assert 'name="variant"' in form and "平台劳动规则和算法协商" in form
    response = _new(auth, session, variant="platform_rules", representatives_paid="1")
    assert response.status_code == 302
    session.expire_all()
    created = session.scalar(select(Negotiation).where(Negotiation.title == "新建的平台规则协商"))
    assert (created.variant, created.variant_version, created.representatives_paid) == \
        ("platform_rules", 1, True)
    page = client.get(f"/negotiations/{created.id}").get_data(as_text=True)
    for text in ("平台劳动规则和算法协商（2026年指引）", "订单分配",
                 "《平台劳动规则和算法协商指引（试行）》（2026）", 'id="form-variant"'):
        assert text in page, text


def test_unknown_variant_is_refused_beside_the_field(client, auth, session):
    auth.login("union")
    before = session.scalar(select(func.count()).select_from(Negotiation))
    response = _new(auth, session, variant="nope")
    assert response.status_code == 400 and "请选择协商类型" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Negotiation)) == before


def test_variant_changes_until_the_first_offer(client, auth, session):
    preparing = negotiation(session, "preparing")
    auth.login("union")
    changed = auth.post(f"/negotiations/{preparing.id}/variant", {"variant": "wage"})
    assert changed.status_code == 302
    session.expire_all()
    assert session.get(Negotiation, preparing.id).variant == "wage"
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "negotiation.variant")) == 1
    awaiting = negotiation(session, "awaiting")  # an offer has been sent
    refused = auth.post(f"/negotiations/{awaiting.id}/variant", {"variant": "wage"})
    assert refused.status_code == 409 and "不能再更改" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(Negotiation, awaiting.id).variant == "national"


def test_demo_holds_each_kind_platforms_use(session):
    kinds = set(session.scalars(select(Negotiation.variant)))
    assert {"national", "wage", "industry", "platform_rules"} <= kinds
    wage = session.scalar(select(Negotiation).where(Negotiation.variant == "wage"))
    assert wage.state == "filed"
    rules_ = session.scalar(select(Negotiation).where(Negotiation.variant == "platform_rules"))
    assert rules_.state == "signed" and rules_.representatives_paid is True


def test_vote_exactly_half_is_refused_with_both_texts(client, auth, session):
    from app.negotiations import steps as step_service
    from tests.negotiations.helpers import NOW, user
    n = negotiation(session, "consultation")
    mediator = user(session, "mediator")
    step_service.record_step(session, mediator, n.id, "agree_draft", {
        "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=NOW)
    # The workers vote on the frozen text (app.agreements.ratification): freeze version 2.
    from app.agreements import access as agreement_access, service as agreement_service
    agreement_service.approve(session, user(session, "union"), n.id, {"number": "2"}, now=NOW)
    agreement_service.freeze(session, mediator, n.id, now=NOW)
    frozen = agreement_access.view(session, mediator, n.id).latest
    auth.login("mediator")
    response = auth.post(f"/negotiations/{n.id}/votes", {
        "members": "90", "present": "60", "in_favour": "45", "ballot": "secret",
        "item_by_item": "1", "agreement_sha256": frozen.fingerprint})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Negotiation, n.id).state == "in_consultation"
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    assert "职工审议未通过" in page
