"""Issue 13, finding 3: a withdrawn draft was never sent, so no other organisation sees it."""
from __future__ import annotations

from sqlalchemy import select

from app.negotiations.models import Offer
from tests.negotiations.helpers import negotiation

SECRET = "撤回的草稿理由-只有本方可见"


def test_withdrawn_draft_is_neither_shown_nor_printable_for_others(client, auth, session):
    n = negotiation(session, "preparing")
    auth.login("union")
    response = auth.post(f"/negotiations/{n.id}/offers", {
        "action": "draft", "terms.base_per_order": "7.37", "rationale": SECRET})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    session.expire_all()
    draft = session.scalar(select(Offer).where(Offer.negotiation_id == n.id,
                                               Offer.status == "draft"))
    assert draft is not None and draft.rationale == SECRET
    assert auth.post(f"/negotiations/{n.id}/offers/{draft.id}/withdraw").status_code in (302,
                                                                                          303)
    session.expire_all()
    assert session.get(Offer, draft.id).status == "withdrawn"
    pdf = f"/negotiations/{n.id}/documents/offer/{draft.id}.pdf"
    for username in ("platform", "mediator"):
        auth.logout()
        auth.login(username)
        page = client.get(f"/negotiations/{n.id}")
        assert page.status_code == 200
        assert SECRET not in page.get_data(as_text=True)
        assert "7.37" not in page.get_data(as_text=True)
        assert client.get(pdf).status_code == 404


def test_withdrawn_draft_is_not_in_the_other_sides_offer_list(session):
    from app.negotiations import offers as offer_service
    from tests.negotiations.helpers import NOW, user
    n = negotiation(session, "preparing")
    draft = offer_service.save_offer_draft(session, user(session, "union"), n.id,
                                     {"terms.base_per_order": "7.2"}, now=NOW)
    offer_service.withdraw_offer_draft(session, user(session, "union"), n.id, draft.id, now=NOW)
    assert draft in offer_service.offers(session, user(session, "union"), n)
    for other in ("platform", "mediator"):
        assert draft not in offer_service.offers(session, user(session, other), n)
        assert draft.id not in [o.id for o in offer_service.offers_with_results(
            session, user(session, other), n)[0]]
