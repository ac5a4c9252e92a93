"""Demo agreements: the in-force ride-hailing contract signed, the delivery pay draft at v2.

Runs after the negotiation demo loader and goes through the services as users would.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.models import User

from app.agreements import access, service
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations.models import Negotiation, ProcedureStep
from app.reports import agreement as agreement_print


def _step_on(session, negotiation, event) -> dt.date | None:
    return session.scalar(select(ProcedureStep.on).where(
        ProcedureStep.negotiation_id == negotiation.id, ProcedureStep.event == event)
        .order_by(ProcedureStep.id.desc()))


def load(session: Session, orgs: dict, users: dict, now: dt.datetime) -> None:
    mediator, union, platform = users["mediator"], users["union"], users["platform"]
    negotiations = list(session.scalars(select(Negotiation).order_by(Negotiation.id)))
    today = nrecords.local_today(now)

    ride = next((n for n in negotiations if n.state == "in_force"), None)
    if ride is not None:
        ride_user = session.scalar(select(User).where(
            User.organisation_id == ride.employer_org_id).order_by(User.id))
        effective = _step_on(session, ride, "take_effect") or today
        signed_on = _step_on(session, ride, "sign") or today
        service.create(session, mediator, ride.id, {
            "term_years": "2", "effective": effective.isoformat(),
            "title_zh": "郑州市网约车驾驶员抽成比例专项集体合同（示例）"}, now=now)
        service.approve(session, union, ride.id, {"number": "1"}, now=now)
        service.approve(session, ride_user, ride.id, {"number": "1"}, now=now)
        service.freeze(session, mediator, ride.id, now=now)
        service.sign(session, mediator, ride.id, {"signed_on": signed_on.isoformat()},
                     printer=agreement_print.print_signed, now=now)

    pay = next((n for n in negotiations if n.state == "in_consultation"
                and n.sector == "delivery" and offer_service.sent_offers(session, n)), None)
    if pay is not None:
        offer = offer_service.sent_offers(session, pay)[-1]
        service.create(session, mediator, pay.id, {
            "offer_id": str(offer.id), "term_years": "2",
            "effective": (today + dt.timedelta(days=45)).isoformat()}, now=now)
        content = access.view(session, mediator, pay.id).content
        hours = next(a for a in content["articles"] if a["key"] == "disputes")
        service.edit_article(session, mediator, pay.id, "disputes", {
            "base": "1", "text_zh": hours["text_zh"].replace(
                "履行本协议发生争议的", "履行本协议发生争议，劳动者个人或工会提出的"),
            "text_en": hours["text_en"].replace(
                "Disputes over the performance", "Disputes raised by a worker or the union "
                "over the performance")}, now=now)
        service.comment(session, union, pay.id, {
            "body": "建议在第四条中明确小时保底按结算周期补足差额。", "article": "standards"},
            now=now)
        service.approve(session, platform, pay.id, {"number": "2"}, now=now)
