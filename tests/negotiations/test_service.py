"""The negotiation service on SQLite and PostgreSQL: records, validation, procedure, access."""
from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from tests.chinese import zh
from app.errors import IllegalTransition, NotFound, PermissionDenied, ValidationError
from app.negotiations import deadlines, service, terms
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import representatives as rep_service
from app.negotiations import steps as step_service
from app.negotiations.models import (Negotiation, Note, Offer, ProcedureStep, Representative,
                                     SentOfferIsImmutable)
from tests.negotiations.helpers import NOW, TITLES, make_outsider, negotiation, user


def counts(session) -> tuple:
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (Negotiation, ProcedureStep, Offer, Representative, AuditEntry))


def d(days: int) -> dt.date:
    return nrecords.local_today(NOW) + dt.timedelta(days=days)


# -- demo data and read side ----------------------------------------------------------------------
def test_demo_negotiations_are_in_their_states_and_replay_to_them(session):
    expected = {"consultation": "in_consultation", "awaiting": "offer_sent",
                "in_force": "in_force", "preparing": "preparing"}
    for key, state in expected.items():
        n = negotiation(session, key)
        assert n.state == state
        assert nrecords.state_of(session, n).value == state
    pay = negotiation(session, "consultation")
    sent = offer_service.sent_offers(session, pay)
    assert [(o.side, o.round) for o in sent] == [
        ("worker", 1), ("employer", 1), ("worker", 2), ("employer", 2), ("worker", 3),
        ("employer", 3)]
    assert [o.status for o in sent] == ["superseded"] * 4 + ["sent", "sent"]
    assert sent[0].snapshot["scenario"]["pay"]["base_per_order"] == 10.0
    reps = rep_service.representatives(session, pay)
    assert sum(r.side == "worker" and r.active for r in reps) == 3


def test_agreed_terms_and_parties_of_the_contract_in_force(session):
    ride = negotiation(session, "in_force")
    offer = offer_service.accepted_offer(session, ride)
    assert offer.side == "employer"
    assert offer_service.agreed_terms(session, ride) == {
        "commission_rate": 0.135, "commission_cap_per_order": 0.27,
        "monthly_average_commission_cap": 0.15}
    parties = nrecords.parties(ride)
    assert parties["worker"].name == "郑州市新就业形态劳动者工会联合会（示例）"
    assert parties["employer"].name == "畅行网约车平台（示例）"
    assert parties["mediator"].kind.value == "mediator"
    assert offer_service.accepted_offer(session, negotiation(session, "consultation")) is None


def test_dashboard_lists_my_organisations_negotiations_with_next_deadline(session):
    rows = service.dashboard(session, user(session, "platform"), now=NOW)
    assert {r["negotiation"].title for r in rows} == {
        TITLES["consultation"], TITLES["awaiting"], TITLES["preparing"],
        "速达外卖众包骑手工资专项集体协商（示例）", "速达外卖派单算法和配送时间规则协商（示例）"}
    first = rows[0]
    # The vacancy of 2026-10-23 is due 2026-11-07: five days on, the most urgent.
    assert first["negotiation"].title == TITLES["consultation"]
    assert first["next_deadline"].key == "vacancy"
    assert first["next_deadline"].status == "due_soon"
    assert len(service.dashboard(session, user(session, "mediator"), now=NOW)) == 7
    outsider = make_outsider(session)
    assert service.dashboard(session, outsider, now=NOW) == []


# -- creating -------------------------------------------------------------------------------------
def new_form(session, **changes) -> dict:
    union, platform = user(session, "union"), user(session, "platform")
    form = {"title": "测试协商", "worker_org_id": str(union.organisation_id),
            "employer_org_id": str(platform.organisation_id), "sector": "delivery",
            "province": "河南省", "city": "郑州市", "workers_covered": "全部骑手",
            "workers_count": "100"}
    form.update(changes)
    return form


@pytest.mark.parametrize("changes, field", [
    ({"title": ""}, "title"),
    ({"worker_org_id": ""}, "worker_org_id"),
    ({"employer_org_id": "99999"}, "employer_org_id"),
    ({"sector": "shipping"}, "sector"),
    ({"workers_count": "0"}, "workers_count"),
    ({"workers_count": "many"}, "workers_count"),
    ({"workers_covered": " "}, "workers_covered"),
    ({"current_rules": "{not json"}, "current_rules"),
    ({"current_rules": '{"pay": {"commission_rate": 3}}'}, "current_rules"),
])
def test_create_validation_writes_nothing(session, changes, field):
    before = counts(session)
    with pytest.raises(ValidationError) as exc:
        service.create_negotiation(session, user(session, "union"), new_form(session, **changes),
                                   now=NOW)
    assert field in exc.value.errors
    assert counts(session) == before


def test_create_requires_own_organisation_and_matching_partner(session):
    outsider = make_outsider(session)
    with pytest.raises(ValidationError) as exc:
        service.create_negotiation(session, outsider, new_form(session), now=NOW)
    assert "本单位" in zh(exc.value.errors["worker_org_id"])
    ride_partner = session.scalar(select(Negotiation.partner_org_id).where(
        Negotiation.title == TITLES["in_force"]))
    with pytest.raises(ValidationError) as exc:
        service.create_negotiation(session, user(session, "union"),
                                   new_form(session, partner_org_id=str(ride_partner)), now=NOW)
    assert "partner_org_id" in exc.value.errors


def test_create_stores_preset_rules_and_audits(session):
    n = service.create_negotiation(session, user(session, "platform"), new_form(session),
                                   now=NOW)
    # the 2026 delivery preset
    assert n.state == "preparing" and n.current_rules["pay"]["base_per_order"] == 8.8
    entry = session.scalar(select(AuditEntry).where(AuditEntry.target_type == "negotiation",
                                                    AuditEntry.target_id == n.id))
    assert entry.action == "negotiation.create" and entry.actor_name == "platform"


def test_preset_rules_carry_the_minimum_wage_of_the_place_on_the_day(session):
    """Zhengzhou is Henan tier 1: Henan's standard of 2025-12-01, from the registry (the
    preset alone carries the 2024 figures)."""
    day = dt.datetime(2025, 12, 1, 4, tzinfo=dt.timezone.utc)
    n = service.create_negotiation(session, user(session, "union"), new_form(session), now=day)
    thresholds = n.current_rules["thresholds"]
    assert (thresholds["hourly_minimum_wage"], thresholds["monthly_minimum_wage"],
            thresholds["valid_from"], thresholds["region"]) == (23.0, 2350.0, "2025-12-01",
                                                                "河南省一类")


# -- representatives ------------------------------------------------------------------------------
@pytest.mark.parametrize("form, field", [
    ({"side": "worker", "name": "新首席", "is_chief": "1"}, "is_chief"),  # second chief
    ({"side": "worker", "name": "专家", "is_chief": "", "is_outside_expert": "1"}, None),
    ({"side": "worker", "name": "何佳"}, "name"),  # already on the employer side
    ({"side": "worker", "name": "刘芳"}, "name"),  # already on this side
    ({"side": "employer", "name": "某人"}, "side"),  # the union names only its own
    ({"side": "worker", "name": ""}, "name"),
    ({"side": "worker", "name": "甲", "is_chief": "1", "is_outside_expert": "1"}, "is_chief"),
    ({"side": "worker", "name": "乙", "appointed_on": "2099-01-01"}, "appointed_on"),
])
def test_representative_rules(session, form, field):
    n = negotiation(session, "preparing")
    union = user(session, "union")
    before = counts(session)
    if field is None:
        rep = rep_service.add_representative(session, union, n.id, form, now=NOW)
        assert rep.is_outside_expert
        problems = rep_service.delegation_problems(session, n)
        assert any("人数不等" in zh(p) for p in problems)
        return
    with pytest.raises(ValidationError) as exc:
        rep_service.add_representative(session, union, n.id, form, now=NOW)
    assert field in exc.value.errors, exc.value.errors
    assert counts(session) == before


def test_vacancy_opens_a_15_day_deadline_closed_by_the_replacement(session):
    pay = negotiation(session, "consultation")
    union = user(session, "union")
    vacant = next(r for r in rep_service.representatives(session, pay) if not r.active)
    dates = deadlines.deadlines(nrecords.history(session, pay), nrecords.local_today(NOW))
    vacancy = next(x for x in dates if x.key == "vacancy")
    assert vacancy.due == vacant.vacated_on + dt.timedelta(days=15)
    rep = rep_service.add_representative(session, union, pay.id, {
        "side": "worker", "name": "钱进", "replaces_id": str(vacant.id)}, now=NOW)
    assert rep.replaces_id == vacant.id
    dates = deadlines.deadlines(nrecords.history(session, pay), nrecords.local_today(NOW))
    assert next(x for x in dates if x.key == "vacancy").status == "done"
    assert rep_service.delegation_problems(session, pay) == []


# -- offers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("form, field", [
    ({"terms.base_per_order": "abc"}, "terms.base_per_order"),
    ({"terms.no_such_term": "1"}, "terms.no_such_term"),
    ({"terms.commission_rate": "1.5"}, "terms.commission_rate"),
    ({"terms.base_per_order": ""}, "terms"),
    ({"terms.base_per_order": "nan"}, "terms.base_per_order"),
    ({"terms.base_per_order": "6", "on": "2099-01-01"}, "on"),
    ({"terms.base_per_order": "6", "on": d(-1).isoformat(),
      "received_on": d(-2).isoformat()}, "received_on"),
])
def test_offer_validation_writes_nothing(session, form, field):
    n = negotiation(session, "preparing")
    before = counts(session)
    with pytest.raises(ValidationError) as exc:
        offer_service.send_offer(session, user(session, "union"), n.id, form, now=NOW)
    assert field in exc.value.errors, exc.value.errors
    assert counts(session) == before


def test_offer_counter_offer_and_who_may_answer(session):
    n = negotiation(session, "preparing")
    union, platform, mediator = (user(session, u) for u in ("union", "platform", "mediator"))
    with pytest.raises(PermissionDenied):
        offer_service.send_offer(session, mediator, n.id, {"terms.base_per_order": "7"}, now=NOW)
    offer = offer_service.send_offer(session, union, n.id, {"terms.base_per_order": "7",
                                                            "rationale": "理由"}, now=NOW)
    assert (offer.status, offer.round, n.state) == ("sent", 1, "offer_sent")
    assert offer.snapshot["terms"] == {"base_per_order": 7.0}
    assert offer.snapshot["scenario"]["pay"]["base_per_order"] == 7.0
    # The package effect against today's rules, computed when sent and kept as sent.
    assert offer.snapshot["results"]["package"]["workers"] > 0
    assert offer.snapshot["seed"] == terms.SNAPSHOT_SEED
    before = counts(session)
    with pytest.raises(IllegalTransition):  # the union must wait for the reply
        offer_service.send_offer(session, union, n.id, {"terms.base_per_order": "8"}, now=NOW)
    with pytest.raises(PermissionDenied):  # nor may it answer its own offer
        offer_service.reply_to_offer(session, union, n.id, {"answer": "accept"}, now=NOW)
    assert counts(session) == before
    counter = offer_service.send_offer(session, platform, n.id, {"terms.base_per_order": "6.3"},
                                       now=NOW)
    assert counter.round == 1 and n.state == "in_consultation"
    steps = nrecords.step_rows(session, n)
    assert [s.event for s in steps] == ["send_offer", "counter_offer"]
    again = offer_service.send_offer(session, union, n.id, {"terms.base_per_order": "6.8"}, now=NOW)
    assert again.round == 2
    session.refresh(offer)
    assert offer.status == "superseded"


def test_sent_offer_and_steps_are_never_modified(session):
    offer = offer_service.sent_offers(session, negotiation(session, "consultation"))[-1]
    offer.terms = {"base_per_order": 99.0}
    with pytest.raises(SentOfferIsImmutable):
        session.commit()
    session.rollback()
    step = session.scalars(select(ProcedureStep)).first()
    step.on = dt.date(2020, 1, 1)
    with pytest.raises(SentOfferIsImmutable):
        session.commit()
    session.rollback()


def test_drafts_are_seen_only_by_their_side_and_can_be_sent_later(session):
    n = negotiation(session, "preparing")
    union, platform = user(session, "union"), user(session, "platform")
    draft = offer_service.save_offer_draft(session, union, n.id, {"terms.base_per_order": "7.2"},
                                           now=NOW)
    assert draft in offer_service.offers(session, union, n)
    assert draft not in offer_service.offers(session, platform, n)
    assert n.state == "preparing"
    sent = offer_service.send_offer(session, union, n.id, {"terms.base_per_order": "7.1"}, now=NOW,
                                    offer_id=draft.id)
    assert sent.id == draft.id and sent.terms == {"base_per_order": 7.1}
    assert sent in offer_service.offers(session, platform, n)


def test_refusal_without_reason_is_recorded_and_flagged(session):
    n = negotiation(session, "awaiting")
    offer_service.reply_to_offer(session, user(session, "platform"), n.id, {"answer": "refuse"},
                                 now=NOW)
    assert n.state == "refused"
    codes = [f.code for f in deadlines.flags(nrecords.history(session, n),
                                             nrecords.local_today(NOW))]
    assert "refusal_without_reason" in codes


def test_missed_reply_deadline_is_flagged(session):
    n = negotiation(session, "awaiting")
    later = NOW + dt.timedelta(days=30)
    codes = [f.code for f in deadlines.flags(nrecords.history(session, n),
                                             nrecords.local_today(later))]
    assert codes == ["reply_overdue"]


# -- dates corrected ------------------------------------------------------------------------------
def test_deadlines_are_recomputed_when_a_date_is_corrected(session):
    n = negotiation(session, "awaiting")
    today = nrecords.local_today(NOW)
    reply = next(x for x in deadlines.deadlines(nrecords.history(session, n), today)
                 if x.key == "reply")
    assert reply.due == d(-5) + dt.timedelta(days=20)
    step = nrecords.step_rows(session, n)[0]
    with pytest.raises(ValidationError):
        step_service.correct_step(session, user(session, "union"), n.id, step.id,
                                  {"received_on": d(-4).isoformat()}, now=NOW)  # no reason
    step_service.correct_step(session, user(session, "union"), n.id, step.id,
                              {"received_on": d(-2).isoformat(), "reason": "对方签收日期有误"},
                              now=NOW)
    reply = next(x for x in deadlines.deadlines(nrecords.history(session, n), today)
                 if x.key == "reply")
    assert reply.due == d(-2) + dt.timedelta(days=20)
    # The original stays in the record.
    assert session.get(ProcedureStep, step.id).data["received_on"] == d(-5).isoformat()
    pay = negotiation(session, "consultation")
    first = nrecords.step_rows(session, pay)[0]
    before = counts(session)
    with pytest.raises(IllegalTransition):  # a correction may not break the order of steps
        step_service.correct_step(session, user(session, "union"), pay.id, first.id,
                                  {"on": d(-1).isoformat(), "reason": "x"}, now=NOW)
    assert counts(session) == before


# -- meetings, vote, signing, filing, in force ----------------------------------------------------
def test_meeting_rules(session):
    n = negotiation(session, "consultation")
    mediator = user(session, "mediator")
    form = {"place": "会议室", "agenda": "议程", "minute_taker": "刘芳"}
    with pytest.raises(ValidationError) as exc:
        step_service.record_meeting(session, mediator, n.id, form, now=NOW)
    assert "minute_taker" in exc.value.errors
    before = counts(session)
    with pytest.raises(IllegalTransition) as exc:  # unequal delegations after the vacancy
        step_service.record_meeting(session, mediator, n.id, {**form, "minute_taker": "陈静"},
                                    now=NOW)
    assert "人数不等" in zh(exc.value.message)
    assert counts(session) == before
    with pytest.raises(ValidationError) as exc:
        step_service.record_meeting(session, mediator, n.id, {
            **form, "minute_taker": "陈静", "chair_side": "worker", "chair_name": "何佳"},
            now=NOW)
    assert "chair_name" in exc.value.errors


def test_full_procedure_to_in_force(session):
    n = negotiation(session, "preparing")
    union, platform, mediator = (user(session, u) for u in ("union", "platform", "mediator"))
    start = NOW - dt.timedelta(days=60)

    def at(days):
        return start + dt.timedelta(days=days)
    offer_service.send_offer(session, union, n.id, {"terms.base_per_order": "7"}, now=at(0))
    offer_service.reply_to_offer(session, platform, n.id, {"answer": "accept"}, now=at(3))
    meeting = step_service.record_meeting(session, mediator, n.id, {
        "place": "三方办", "agenda": "议程", "minute_taker": "陈静"}, now=at(5))
    assert (meeting.chair_side, meeting.chair_name) == ("worker", "刘芳")
    second = step_service.record_meeting(session, mediator, n.id, {
        "place": "三方办", "agenda": "议程", "minute_taker": "陈静"}, now=at(6))
    assert (second.chair_side, second.chair_name) == ("employer", "何佳")
    with pytest.raises(IllegalTransition):  # chiefs have not both signed
        step_service.record_step(session, mediator, n.id, "agree_draft",
                                 {"signed_by_worker_chief": "1"}, now=at(7))
    step_service.record_step(session, mediator, n.id, "agree_draft", {
        "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=at(7))
    assert offer_service.agreed_terms(session, n) == {"base_per_order": 7.0}
    with pytest.raises(ValidationError) as exc:
        step_service.record_vote(session, mediator, n.id, {"members": "100", "present": "120",
                                                           "in_favour": "50"}, now=at(8))
    assert "present" in exc.value.errors
    vote = step_service.record_vote(session, mediator, n.id, {"members": "100", "present": "66",
                                                              "in_favour": "60"}, now=at(8))
    assert (vote.quorum, vote.passed, n.state) == (False, False, "draft_agreed")
    vote = step_service.record_vote(session, mediator, n.id, {"members": "100", "present": "67",
                                                              "in_favour": "50"}, now=at(9))
    assert (vote.quorum, vote.passed, n.state) == (True, False, "in_consultation")  # exactly half
    step_service.record_step(session, mediator, n.id, "agree_draft", {
        "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=at(9))
    vote = step_service.record_vote(session, mediator, n.id, {
        "members": "100", "present": "67", "in_favour": "51", "ballot": "secret",
        "item_by_item": "1"}, now=at(9))
    assert vote.passed and n.state == "ratified"
    assert nrecords.history(session, n)[-1].data["ballot"] == "secret"
    step_service.record_step(session, mediator, n.id, "sign", {
        "signed_by_worker_chief": "on", "signed_by_employer_chief": "on"}, now=at(10))
    with pytest.raises(ValidationError) as exc:
        step_service.file_agreement(session, platform, n.id, {"authority": "人社局", "copies": "2"},
                                    now=at(12))
    assert "copies" in exc.value.errors
    step_service.file_agreement(session, platform, n.id, {"authority": "人社局"}, now=at(12))
    with pytest.raises(IllegalTransition):  # the review period has not run out
        step_service.record_step(session, mediator, n.id, "take_effect", {"term_years": "2"},
                                 now=at(20))
    step_service.record_step(session, mediator, n.id, "take_effect", {"term_years": "2"},
                             now=at(28))
    assert n.state == "in_force"
    assert nrecords.state_of(session, n).value == "in_force"


def test_objection_sends_the_contract_back_to_consultation(session):
    n = negotiation(session, "preparing")
    union, platform, mediator = (user(session, u) for u in ("union", "platform", "mediator"))
    start = NOW - dt.timedelta(days=30)
    offer_service.send_offer(session, union, n.id, {"terms.base_per_order": "7"}, now=start)
    offer_service.send_offer(session, platform, n.id, {"terms.base_per_order": "6.5"}, now=start)
    for event in ("agree_draft", "sign"):
        if event == "sign":
            step_service.record_vote(session, mediator, n.id, {"members": "9", "present": "9",
                                                               "in_favour": "9"}, now=start)
        step_service.record_step(session, mediator, n.id, event, {
            "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=start)
    step_service.file_agreement(session, platform, n.id, {"authority": "人社局"}, now=start)
    with pytest.raises(ValidationError):
        step_service.record_objection(session, mediator, n.id, {"objection_text": ""}, now=NOW)
    filing = step_service.record_objection(session, mediator, n.id, {"objection_text": "第三条违法"},
                                           now=start + dt.timedelta(days=5))
    assert filing.objection_text == "第三条违法" and n.state == "in_consultation"


def test_unknown_step_and_wrong_state(session):
    n = negotiation(session, "consultation")
    mediator = user(session, "mediator")
    with pytest.raises(NotFound):
        step_service.record_step(session, mediator, n.id, "send_offer", {}, now=NOW)
    with pytest.raises(ValidationError) as exc:
        step_service.record_step(session, mediator, n.id, "suspend", {}, now=NOW)
    assert "resume_on" in exc.value.errors
    with pytest.raises(IllegalTransition):
        step_service.record_step(session, mediator, n.id, "sign", {
            "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"}, now=NOW)
    step_service.record_step(session, mediator, n.id, "suspend", {"resume_on": d(10).isoformat()},
                             now=NOW)
    assert n.state == "suspended"
    assert any(x.key == "resume" for x in deadlines.deadlines(
        nrecords.history(session, n), nrecords.local_today(NOW)))


# -- access ---------------------------------------------------------------------------------------
def test_outsiders_and_site_admins_of_other_organisations_do_not_see(session):
    outsider = make_outsider(session)
    admin = make_outsider(session, username="root", site_admin=True)
    n = negotiation(session, "consultation")
    for person in (outsider, admin):
        with pytest.raises(NotFound):
            nrecords.get_negotiation(session, person, n.id)
        with pytest.raises(NotFound):
            offer_service.send_offer(session, person, n.id, {"terms.base_per_order": "7"}, now=NOW)
    with pytest.raises(NotFound):
        nrecords.get_negotiation(session, user(session, "platform"),
                                 negotiation(session, "in_force").id)
    # The demo site admin belongs to the mediating office and sees it as such.
    assert nrecords.get_negotiation(session, user(session, "admin"), n.id) is n


def test_notes_are_private_to_their_organisation(session):
    n = negotiation(session, "consultation")
    union, platform = user(session, "union"), user(session, "platform")
    with pytest.raises(ValidationError):
        service.add_note(session, union, n.id, {"body": " "}, now=NOW)
    service.add_note(session, union, n.id, {"body": "底线：单价不低于6.5元"}, now=NOW)
    assert [x.body for x in service.notes(session, union, n)] == ["底线：单价不低于6.5元"]
    assert service.notes(session, platform, n) == []
    assert session.scalar(select(func.count()).select_from(Note)) == 1
    trail = session.scalars(select(AuditEntry).where(AuditEntry.target_type == "negotiation",
                                                     AuditEntry.target_id == n.id)).all()
    assert all("底线" not in str(e.after) for e in trail)
