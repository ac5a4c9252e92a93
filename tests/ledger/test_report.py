"""The regional report: every figure equals a count made independently from the fixtures.

The fixtures live in 开封市, a city the demo does not use, so the 开封 office's report holds only
what this test created; the test counts the expected figures from the same specification lists
with its own plain loops.
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.auth.models import OrgKind, Sector
from app.ledger import report as region
from app.ledger.items import ItemStatus, Source
from app.ledger.models import LedgerItem, RiskScreening
from app.negotiations.models import Negotiation, ProcedureStep

from .conftest import make_org, make_user

T = datetime(2026, 1, 1, tzinfo=timezone.utc)
YEAR = 2026

# negotiation key, sector, workers, steps [(event, date, data, corrects step index)], state at end
NEGOTIATIONS = [
    ("n1", "delivery", 1200, [("send_offer", "2026-03-01", {"received_on": "2026-03-02"}, None),
                              ("accept", "2026-03-20", {}, None),
                              ("hold_meeting", "2026-04-01", {}, None),
                              ("agree_draft", "2026-05-01", {}, None),
                              ("vote_passed", "2026-05-10", {}, None),
                              ("sign", "2026-05-15", {}, None), ("file", "2026-05-20", {}, None),
                              ("take_effect", "2026-06-05", {}, None)], "in_force"),
    ("n2", "delivery", 800, [("send_offer", "2026-09-01", {}, None),
                             ("counter_offer", "2026-09-25", {}, None)], "in_consultation"),
    ("n3", "freight", 300, [("send_offer", "2025-12-20", {}, None),
                            ("accept", "2026-01-05", {}, None)], "in_consultation"),
    ("n4", "freight", 150, [("send_offer", "2026-12-10", {}, None)], "offer_sent"),
    # The offer's date was corrected from 1 to 10 July: the refusal on the 28th is in time.
    ("n5", "delivery", 500, [("send_offer", "2026-07-01", {}, None),
                             ("send_offer", "2026-07-10", {}, 0),
                             ("refuse", "2026-07-28", {"reason": "x"}, None)], "refused"),
]
# enterprise key, screened on, grade, points
SCREENINGS = [("platform", "2026-03-01", "low", 5), ("platform", "2026-10-01", "high", 60),
              ("partner", "2026-05-01", "medium", 30), ("freight", "2025-06-01", "high", 70)]
# enterprise key, opened on, deadline, closed on
ITEMS = [("partner", "2026-03-01", "2026-04-15", "2026-04-01"),
         ("partner", "2026-06-01", "2026-07-01", None),
         ("partner", "2025-11-01", "2025-12-01", "2026-02-01"),
         ("freight", "2026-12-01", "2027-01-31", None),
         ("freight", "2026-05-01", "2026-06-01", "2026-06-10"),
         ("freight", "2026-02-01", "2026-03-01", "2027-01-05")]


def d(text):
    return date.fromisoformat(text)


@pytest.fixture
def kaifeng(session):
    orgs = {
        "union": make_org(session, "开封市工会（测试）", OrgKind.union, city="开封市"),
        "platform": make_org(session, "开封外卖（测试）", OrgKind.platform, city="开封市",
                             sector=Sector.delivery),
        "freight": make_org(session, "开封货运（测试）", OrgKind.platform, city="开封市",
                            sector=Sector.freight),
        "office": make_org(session, "开封市三方办（测试）", OrgKind.mediator, city="开封市"),
    }
    orgs["partner"] = make_org(session, "开封人力（测试）", OrgKind.labour_partner, city="开封市",
                               sector=Sector.delivery, partner_of=orgs["platform"])
    mediator = make_user(session, "kf_mediator", orgs["office"])
    for key, sector, workers, steps, state in NEGOTIATIONS:
        n = Negotiation(title=key, worker_org_id=orgs["union"].id,
                        employer_org_id=orgs["freight" if sector == "freight" else "platform"].id,
                        sector=sector, province="河南省", city="开封市", workers_count=workers,
                        state=state, created_by_id=mediator.id, created_at=T, updated_at=T)
        session.add(n)
        session.flush()
        made = []
        for event, on, data, corrects in steps:
            step = ProcedureStep(negotiation_id=n.id, event=event, on=d(on), data=data,
                                 corrects_id=made[corrects].id if corrects is not None else None,
                                 recorded_at=T)
            session.add(step)
            session.flush()
            made.append(step)
    for key, on, grade, points in SCREENINGS:
        session.add(RiskScreening(enterprise=orgs[key], screened_on=d(on), indicators={},
                                  points=points, grade=grade, reasons=[], created_at=T))
    for key, opened, deadline, closed in ITEMS:
        session.add(LedgerItem(
            enterprise=orgs[key], title="t", responsible="r", deadline=d(deadline),
            opened_on=d(opened), closed_on=d(closed) if closed else None,
            status=ItemStatus.CLOSED if closed else ItemStatus.OPEN, source=Source.MANUAL,
            created_at=T, updated_at=T))
    session.commit()
    return orgs, mediator


def expected_figures(as_of: date, states: dict | None = None) -> dict:
    """The figures counted from the specification lists with plain loops; ``states`` gives each
    negotiation's state at ``as_of`` when that is not its final state."""
    start = date(YEAR, 1, 1)
    out = {}

    def row(sector):
        return out.setdefault(("开封市", sector), dict.fromkeys(region.KEYS, 0))
    for key, sector, workers, steps, state in NEGOTIATIONS:
        state = (states or {}).get(key, state)
        f = row(sector)
        effective = [s for s in steps if s[3] is None]
        for i, s in enumerate(steps):
            if s[3] is not None:
                effective[s[3]] = s
        for i, (event, on, data, _c) in enumerate(effective):
            if not start <= d(on) <= as_of:
                continue
            if event == "send_offer":
                f["offers"] += 1
                received = d(data.get("received_on", on))
                replies = [s for s in effective[i + 1:]
                           if s[0] in ("accept", "counter_offer", "refuse")]
                if replies and (d(replies[0][1]) - received).days <= 20:
                    f["replied_in_time"] += 1
            if event == "sign":
                f["signed"] += 1
        if state in ("in_consultation", "suspended", "coordination", "draft_agreed", "ratified"):
            f["in_consultation"] += 1
        if state == "in_force":
            f["in_force"] += 1
            f["workers_covered"] += workers
    sector_of = {"platform": "delivery", "partner": "delivery", "freight": "freight"}
    latest = {}
    for key, on, grade, _p in sorted(SCREENINGS, key=lambda s: s[1]):
        if start <= d(on) <= as_of:
            latest[key] = grade
    for key, grade in latest.items():
        row(sector_of[key])[f"grade_{grade}"] += 1
    for key, opened, deadline, closed in ITEMS:
        f = row(sector_of[key])
        if start <= d(opened) <= as_of:
            f["items_opened"] += 1
        if closed and start <= d(closed) <= as_of:
            f["items_closed"] += 1
        if d(opened) <= as_of and (not closed or d(closed) > as_of) and d(deadline) < as_of:
            f["items_overdue"] += 1
    return out


def test_year_report_matches_independent_counts(session, kaifeng):
    _orgs, mediator = kaifeng
    report = region.build(session, mediator, YEAR, today=date(2027, 1, 10))
    assert report.as_of == date(2026, 12, 31)
    assert report.by_key() == expected_figures(date(2026, 12, 31))
    # the figures spelled out once, so a wrong counting loop cannot hide a wrong report
    delivery = report.by_key()[("开封市", "delivery")]
    assert (delivery["offers"], delivery["replied_in_time"], delivery["signed"],
            delivery["in_force"], delivery["workers_covered"], delivery["in_consultation"]) == (
        3, 2, 1, 1, 1200, 1)
    freight = report.by_key()[("开封市", "freight")]
    assert (freight["offers"], freight["in_consultation"], freight["items_closed"],
            freight["items_overdue"], freight["grade_high"]) == (1, 1, 1, 1, 0)
    assert report.totals["items_opened"] == 5 and report.totals["grade_high"] == 1


def test_running_year_counts_up_to_today(session, kaifeng):
    _orgs, mediator = kaifeng
    report = region.build(session, mediator, YEAR, today=date(2026, 8, 1))
    assert report.as_of == date(2026, 8, 1)
    # on 1 August n2 and n4 had not started yet
    assert report.by_key() == expected_figures(date(2026, 8, 1),
                                               {"n2": "preparing", "n4": "preparing"})


def test_region_is_the_offices_city(session, kaifeng, world):
    report = region.build(session, world["mediator"], YEAR, today=date(2026, 12, 31))
    assert {r.city for r in report.rows} == {"郑州市"}
    everywhere = region.build(session, world["admin"], YEAR, today=date(2026, 12, 31))
    assert {r.city for r in everywhere.rows} >= {"郑州市", "开封市"}
    province = region.build(session, world["province_mediator"], YEAR, today=date(2026, 12, 31))
    assert {r.city for r in province.rows} >= {"郑州市", "开封市"}
    assert "洛阳市" not in {r.city for r in report.rows}


def test_report_refused_to_enterprises_and_unions(session, world):
    from app.errors import PermissionDenied
    for name in ("platform", "union"):
        with pytest.raises(PermissionDenied):
            region.build(session, world[name], YEAR, today=date(2026, 12, 31))


def test_csv_has_a_row_per_city_and_sector_and_totals(session, kaifeng):
    _orgs, mediator = kaifeng
    report = region.build(session, mediator, YEAR, today=date(2027, 1, 10))
    lines = region.to_csv(report).splitlines()
    assert lines[0].startswith("城市,行业,发出要约,20日内书面回应")
    assert lines[1].startswith("开封市,delivery,3,2,")
    assert lines[-1].startswith("合计,,4,")
    english = region.to_csv(report, lang="en").splitlines()[0]
    assert english.startswith("City,Sector,Offers made,Replies within 20 days")


def test_each_negotiation_counts_under_its_own_variant(session, kaifeng):
    """A platform-rules outcome is never filed: signed without a vote, it counts as in force."""
    orgs, mediator = kaifeng
    before = region.build(session, mediator, YEAR, today=date(2027, 1, 10)).by_key()
    n = Negotiation(title="rules", worker_org_id=orgs["union"].id,
                    employer_org_id=orgs["platform"].id, sector="delivery", province="河南省",
                    city="开封市", workers_count=700, state="signed", variant="platform_rules",
                    created_by_id=mediator.id, created_at=T, updated_at=T)
    session.add(n)
    session.flush()
    for event, on in (("send_offer", "2026-08-01"), ("accept", "2026-08-21"),
                      ("agree_draft", "2026-09-01"), ("sign", "2026-09-02")):
        session.add(ProcedureStep(negotiation_id=n.id, event=event, on=d(on), data={},
                                  recorded_at=T))
    session.commit()
    after = region.build(session, mediator, YEAR, today=date(2027, 1, 10)).by_key()
    was, now = before[("开封市", "delivery")], after[("开封市", "delivery")]
    assert now["in_force"] == was["in_force"] + 1
    assert now["workers_covered"] == was["workers_covered"] + 700
    assert now["in_consultation"] == was["in_consultation"]  # not stuck at the agreed draft
    assert (now["offers"], now["replied_in_time"], now["signed"]) == (
        was["offers"] + 1, was["replied_in_time"] + 1, was["signed"] + 1)
