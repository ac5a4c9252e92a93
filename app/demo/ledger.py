"""Demo records: screenings across the grades, ledger items in every standing, lay-off plans.

Run by ``app.demo.load`` after the negotiations. Dates are relative to the ``now`` the demo is
loaded with, so the overdue item is overdue on the day of loading.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app import audit
from app.ledger import scoring
from app.ledger.items import ItemStatus, Source
from app.ledger.models import LayoffPlan, LedgerEvidence, LedgerHistory, LedgerItem, RiskScreening
from app.ledger.service import local_date
from app.negotiations.models import Negotiation

# enterprise key → indicator values (grades: medium, high, low, medium, low, high)
SCREENINGS = {
    "delivery": {"late_pay_cycles": 1, "complaints": 6},
    "delivery_partner": {"social_insurance_months": 3, "late_pay_cycles": 2, "complaints": 12},
    "ride_hailing": {"complaints": 2},
    "ride_partner": {"tax_arrears_months": 1, "volume_drop_pct": 25, "overdue_loans": 1},
    "freight": {},
    "freight_partner": {"pending_layoffs": 35, "volume_drop_pct": 45, "overdue_loans": 3},
}

# enterprise, indicator key, responsible, status, days from now to deadline, opened days ago,
# evidence note (closed items)
ITEMS = [
    ("delivery_partner", "social_insurance_months", "刘强（人事部经理）", "open", 20, 12, None),
    ("delivery_partner", "late_pay_cycles", "陈静（财务总监）", "in_progress", 5, 12, None),
    ("delivery_partner", "complaints", "赵磊（站点运营负责人）", "open", -10, 40, None),
    ("delivery", "complaints", "孙悦（骑手服务中心）", "closed", -5, 30,
     "已逐件答复 6 件投诉，处理结果已在骑手端公示（示例）。"),
    ("ride_partner", "overdue_loans", "周凯（总经理）", "in_progress", 43, 12, None),
    ("freight_partner", "pending_layoffs", "吴昊（人力资源负责人）", "open", 18, 3, None),
]

# enterprise, lay-off in days, workers, workforce, told days before lay-off, reported days
# before (None: not yet), reason
LAYOFFS = [
    ("freight_partner", 23, 35, 300, 20, None, "业务量下降，拟撤并两个城配站点（示例）"),
    ("delivery_partner", 59, 25, 400, 45, 40, "站点合并（示例）"),
]


def load(session, orgs: dict, users: dict, now: datetime) -> None:

    mediator = users["mediator"]
    today = local_date(now)
    screenings = {}
    for key, values in SCREENINGS.items():
        result = scoring.score(values)
        full = {k: values.get(k, 0) for k in scoring.INDICATOR_KEYS}
        screenings[key] = RiskScreening(
            enterprise=orgs[key], screened_on=today - timedelta(days=14), indicators=full,
            points=result.points, grade=result.grade,
            reasons=[r.to_dict() for r in result.reasons], method="form",
            created_by_id=mediator.id, created_at=now - timedelta(days=14))
        session.add(screenings[key])
    session.flush()

    for ent, key, responsible, status, due_in, opened_ago, evidence in ITEMS:
        indicator = scoring.INDICATOR_BY_KEY[key]
        opened = now - timedelta(days=opened_ago)
        screening = screenings[ent]
        item = LedgerItem(
            enterprise=orgs[ent], title=indicator.item_zh + "（示例）",
            detail="；".join(r["zh"] for r in screening.reasons if r["key"] == key),
            source=Source.SCREENING, screening=screening, standard_key=key,
            responsible=responsible, deadline=today + timedelta(days=due_in),
            status=ItemStatus(status), opened_on=local_date(opened), created_by_id=mediator.id,
            created_at=opened, updated_at=now)
        session.add(item)
        session.flush()
        session.add(LedgerHistory(item=item, at=opened, actor_id=mediator.id,
                                  actor_name=mediator.username, action="created",
                                  to_status="open"))
        if status in ("in_progress", "closed"):
            session.add(LedgerHistory(item=item, at=opened + timedelta(days=2),
                                      actor_id=mediator.id, actor_name=mediator.username,
                                      action="started", from_status="open",
                                      to_status="in_progress"))
        if status == "closed":
            closed_at = now - timedelta(days=7)
            item.closed_on = local_date(closed_at)
            proof = LedgerEvidence(item=item, note=evidence, added_by_id=mediator.id,
                                   added_at=closed_at)
            session.add(proof)
            session.flush()
            session.add(LedgerHistory(item=item, at=closed_at, actor_id=mediator.id,
                                      actor_name=mediator.username, action="closed",
                                      from_status="in_progress", to_status="closed",
                                      note=evidence, changes={"evidence_id": proof.id}))

    _agreement_item(session, orgs, mediator, now, today)

    for ent, days, workers, workforce, told, reported, reason in LAYOFFS:
        layoff_on = today + timedelta(days=days)
        session.add(LayoffPlan(
            enterprise=orgs[ent], layoff_on=layoff_on, workers_affected=workers,
            workforce=workforce, union_told_on=layoff_on - timedelta(days=told),
            reported_on=layoff_on - timedelta(days=reported) if reported is not None else None,
            reason=reason, created_by_id=mediator.id, created_at=now))
    session.flush()
    audit.record(session, actor=None, action="demo.load.ledger", target_type="database",
                 after={"screenings": len(SCREENINGS), "items": len(ITEMS),
                        "layoff_plans": len(LAYOFFS)}, now=now)


def _agreement_item(session, orgs, mediator, now, today) -> None:
    """If the demo has a negotiation with the delivery platform, follow up one of its standards."""

    negotiation = session.scalars(select(Negotiation).where(
        Negotiation.employer_org_id == orgs["delivery"].id).order_by(Negotiation.id)).first()
    if negotiation is None:
        return
    item = LedgerItem(
        enterprise=orgs["delivery"], title="在结算系统中落实小时最低报酬标准（示例）",
        detail="按协议约定的小时最低报酬标准调整结算规则，并向骑手公示。",
        source=Source.AGREEMENT, negotiation_id=negotiation.id, standard_key="hourly_floor",
        responsible="李晓明（平台企业代表）", deadline=today + timedelta(days=60),
        status=ItemStatus.OPEN, opened_on=today, created_by_id=mediator.id,
        created_at=now, updated_at=now)
    session.add(item)
    session.flush()
    session.add(LedgerHistory(item=item, at=now, actor_id=mediator.id,
                              actor_name=mediator.username, action="created", to_status="open"))

