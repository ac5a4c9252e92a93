"""The dashboard's ledger summary, counted in the database, gives what filtering every visible
item and lay-off plan gives, for every kind of user that sees it and on several days."""
from __future__ import annotations

from datetime import date, timedelta

from app.auth.permissions import can
from app.ledger import screening as screenings
from app.ledger import service
from app.ledger.items import ItemStatus

from .conftest import user

STANDINGS = ("open", "in_progress", "closed", "overdue")


def _by_filtering(session, actor, today):
    """The summary as the dashboard computed it before: every visible item, then filtered."""
    items = service.visible_items(session, actor, today=today)
    counts = {s: sum(1 for i in items if i.standing(today) == s) for s in STANDINGS}
    flagged = sum(1 for p in screenings.visible_layoffs(session, actor) if p.check().flagged)
    urgent = [i.id for i in items if i.status.value != "closed"][:4]
    return {"counts": counts, "urgent": urgent, "flagged_layoffs": flagged}


def _summary(session, actor, today):
    out = service.dashboard_summary(session, actor, today=today)
    return {**out, "urgent": [i.id for i in out["urgent"]]}


def test_summary_matches_filtering_every_visible_item(session, world, now, later):
    # More items: another region, in progress, closed, due today and later.
    for enterprise, deadline, step in (
            ("delivery_partner", "2026-11-02", None), ("delivery_partner", "2026-12-01", "start"),
            ("freight", "2026-11-20", None), ("other_ent", "2026-11-03", None),
            ("other_ent", "2027-01-10", "close"), ("delivery", "2026-11-05", "start")):
        office = world["other_mediator"] if enterprise == "other_ent" else world["mediator"]
        item = service.create_item(session, office, {
            "enterprise_id": world[enterprise].id, "title": "测试事项", "responsible": "负责人",
            "deadline": deadline}, now=now)
        if step:
            service.step(session, office, item.id, step, note="测试", now=later(1))
        session.commit()
    actors = [world[k] for k in ("mediator", "admin", "platform", "other_mediator",
                                 "other_platform", "partner_user", "province_mediator")]
    today = now.date()
    seen = 0
    for actor in actors:
        if not can(actor, "layoff.list"):
            continue
        for day in (today - timedelta(days=400), today, today + timedelta(days=30),
                    date(2028, 1, 1)):
            session.expire_all()
            assert _summary(session, actor, day) == _by_filtering(session, actor, day), (
                actor.username, day)
            seen += 1
    assert seen >= 20
    assert not can(user(session, "union"), "layoff.list")


def test_urgent_items_come_with_their_enterprise(session, world, now):
    summary = service.dashboard_summary(session, world["mediator"], today=now.date())
    assert summary["urgent"] and all(i.status is not ItemStatus.CLOSED
                                     for i in summary["urgent"])
    assert all(i.enterprise.name for i in summary["urgent"])
