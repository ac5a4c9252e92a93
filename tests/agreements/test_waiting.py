"""The dashboard's agreement to-do (``waiting``) gives what the full ``view`` of each negotiation
gives, through approvals, a new version, freezing, and for every kind of user."""
from __future__ import annotations

from app.agreements import access, service
from app.negotiations import service as nservice
from tests.negotiations.helpers import NOW, make_outsider, negotiation, user

USERS = ("union", "platform", "mediator", "admin")


def _from_views(session, actor) -> list[tuple]:
    """The to-do as the dashboard computed it before ``waiting``: one full view per negotiation."""
    rows = []
    for n in nservice.negotiations_for(session, actor):
        v = access.view(session, actor, n.id)
        if v.agreement is None:
            continue
        approved = v.approved_sides()
        if v.can_approve:
            reason = "approve"
        elif v.side == "mediator" and v.agreement.status == "drafting" and len(approved) == 2:
            reason = "freeze"
        elif v.side == "mediator" and v.agreement.status == "frozen":
            reason = "sign"
        else:
            continue
        rows.append((n.id, v.side, v.agreement.status, v.latest.number, v.content["title_zh"],
                     v.content["title_en"], reason))
    return rows


def _from_waiting(session, actor) -> list[tuple]:
    return [(w.negotiation.id, w.side, w.status, w.number, w.title_zh, w.title_en, w.reason)
            for w in access.waiting(session, actor)]


def _check(session, expected_reasons: dict[str, set[str]]):
    actors = [user(session, name) for name in USERS] + [session.info["outsider"]]
    for actor in actors:
        session.expire_all()
        old = _from_views(session, actor)
        assert _from_waiting(session, actor) == old, actor.username
        reasons = {row[-1] for row in old}
        # The demo's admin belongs to the mediating organisation.
        name = "mediator" if actor.username == "admin" else actor.username
        assert reasons == expected_reasons.get(name, set()), actor.username


def test_waiting_matches_the_full_view_through_the_agreement_lifecycle(session):
    session.info["outsider"] = make_outsider(session)
    n = negotiation(session, "consultation")
    union, platform, mediator = (user(session, name) for name in ("union", "platform",
                                                                   "mediator"))
    latest = access.view(session, union, n.id).latest.number
    _check(session, {"union": {"approve"}})

    service.approve(session, union, n.id, {"number": str(latest)}, now=NOW)  # the demo's platform
    _check(session, {"mediator": {"freeze"}})  # side approved already

    # A new version needs new approvals from both sides.
    service.edit_article(session, mediator, n.id, "dispatch",
                         {"base": str(latest), "text_zh": "新的派单规则条款。",
                          "reviewed": "1"}, now=NOW)
    _check(session, {"union": {"approve"}, "platform": {"approve"}})
    service.approve(session, union, n.id, {"number": str(latest + 1)}, now=NOW)
    _check(session, {"platform": {"approve"}})
    service.approve(session, platform, n.id, {"number": str(latest + 1)}, now=NOW)
    _check(session, {"mediator": {"freeze"}})

    service.freeze(session, mediator, n.id, now=NOW)
    _check(session, {"mediator": {"sign"}})


def test_an_inactive_user_waits_for_nothing(session):
    union = user(session, "union")
    assert access.waiting(session, union)
    union.is_active = False
    assert access.waiting(session, union) == []
