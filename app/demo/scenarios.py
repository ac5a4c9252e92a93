"""Demo scenarios: two for the riders' union (one shared into the delivery negotiation) and a
counter-scenario for the delivery platform, so the workbench has content."""
from __future__ import annotations

from sqlalchemy import select

from app.negotiations.models import Negotiation
from app.scenarios import service
from app.simulator.effect import package_effect as run


def load(session, orgs: dict, users: dict, now) -> None:
    union, platform = users.get("union"), users.get("platform")
    if union is None or platform is None:
        return
    lift = service.create_from_preset(
        session, union, sector="delivery", name="基础单价提至 10 元、设立小时保底（示例）",
        notes="工会方案草稿：提高基础单价，按日保底到小时最低工资，宽放时间计入工作时间。", now=now)
    # The floor is the hourly minimum of the scenario's place on its date.
    minimum = lift.data["thresholds"]["hourly_minimum_wage"]
    service.update_scenario(session, union, lift, values={
        "pay.base_per_order": 10.0, "pay.hourly_floor": minimum, "pay.allowance_ratio": 0.15},
        now=now)
    heat = service.create_from_preset(
        session, union, sector="delivery", name="高温与雨天补贴（示例）",
        notes="每单雨天补贴 1 元、高温补贴 1.5 元。", now=now)
    service.update_scenario(session, union, heat, values={
        "pay.weather_subsidy_rain_per_order": 1.0, "pay.weather_subsidy_heat_per_order": 1.5},
        now=now)
    counter = service.create_from_preset(
        session, platform, sector="delivery", name="平台方案：单价 9.2 元、雨天每单补贴 0.5 元（示例）",
        notes="平台测算：小幅提高单价，增设雨天补贴。", now=now)
    service.update_scenario(session, platform, counter, values={
        "pay.base_per_order": 9.2, "pay.weather_subsidy_rain_per_order": 0.5}, now=now)
    _share_into_delivery_negotiation(session, union, lift, now)


def _share_into_delivery_negotiation(session, union, record, now) -> None:
    negotiation = session.scalars(
        select(Negotiation).where(Negotiation.worker_org_id == union.organisation_id,
                                  Negotiation.sector == "delivery")
        .order_by(Negotiation.id)).first()
    if negotiation is None or union.organisation_id not in negotiation.party_org_ids():
        return
    scenario = service.to_scenario(record)
    results = run(scenario, service.baseline_of(record), record.seed)
    service.share_scenario(session, union, record, negotiation=negotiation, results=results,
                           now=now)

