"""The consultation state machine: its table, guards, histories, deadlines and flags."""

import datetime as dt
import itertools

import pytest

from app.negotiations import deadlines, rules, variants, workflow
from app.errors import IllegalTransition, ValidationError
from tests.chinese import raises_zh, zh
from app.negotiations.workflow import Event as E
from app.negotiations.workflow import State as S
from app.negotiations.workflow import Step

D = dt.date
CHIEFS = {"signed_by_worker_chief": True, "signed_by_employer_chief": True}

# Facts that satisfy every guard of each event.
GOOD_FACTS = {
    E.SUSPEND: {"on": D(2024, 4, 1), "resume_on": D(2024, 4, 15)},
    E.RESUME: {"on": D(2024, 4, 15), "resume_on": D(2024, 4, 15)},
    E.EXTEND_COORDINATION: {"extension_days": 15},
    E.RECORD_COORDINATION_OUTCOME: {"signed_by_coordinators": True, **CHIEFS},
    E.AGREE_DRAFT: CHIEFS,
    E.SIGN: CHIEFS,
    E.VOTE_PASSED: {"members": 100, "present": 67, "in_favour": 51},
    E.VOTE_FAILED: {"members": 100, "present": 67, "in_favour": 50},
    E.VOTE_INQUORATE: {"members": 100, "present": 66, "in_favour": 66},
    E.FILE: {"copies": 3, "on": D(2024, 6, 1), "received_on": D(2024, 6, 3)},
    E.OBJECTION: {"received_on": D(2024, 6, 3), "on": D(2024, 6, 18)},
    E.TAKE_EFFECT: {"received_on": D(2024, 6, 3), "on": D(2024, 6, 19), "term_years": 3},
    E.OPEN_RENEWAL: {"expires_on": D(2027, 6, 18), "on": D(2027, 3, 18)},
    E.OPEN_CHANGE: {"ground": "force_majeure"},
    E.EXPIRE: {"expires_on": D(2027, 6, 18), "on": D(2027, 6, 19)},
    E.TERMINATE: {"ground": "agreed_condition"},
}


# --- The table ----------------------------------------------------------------------------------
@pytest.mark.parametrize("pair", sorted(workflow.TRANSITIONS), ids=lambda p: f"{p[0]}-{p[1]}")
def test_every_legal_transition(pair):
    state, event = pair
    assert workflow.apply(state, event, facts=GOOD_FACTS.get(event, {})) == \
        workflow.TRANSITIONS[pair]


ILLEGAL = [p for p in itertools.product(S, E) if p not in workflow.TRANSITIONS]


@pytest.mark.parametrize("pair", ILLEGAL, ids=lambda p: f"{p[0]}-{p[1]}")
def test_every_illegal_pair_raises(pair):
    state, event = pair
    with pytest.raises(IllegalTransition) as info:
        workflow.apply(state, event, facts=GOOD_FACTS.get(event, {}))
    assert workflow.STATE_LABELS_ZH[state] in zh(info.value.message)
    assert workflow.STATE_LABELS_EN[state] in str(info.value.message)
    assert info.value.state == state and info.value.event == event


def test_table_shape():
    assert len(ILLEGAL) + len(workflow.TRANSITIONS) == len(S) * len(E)
    for state in workflow.TERMINAL_STATES:
        assert workflow.allowed_events(state) == []
    # Every state is reachable from PREPARING, and every live state can reach an end.
    graph = {}
    for (state, _), target in workflow.TRANSITIONS.items():
        graph.setdefault(state, set()).add(target)

    def reach(start):
        seen, todo = {start}, [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    assert reach(S.PREPARING) == set(S)
    for state in S:
        assert reach(state) & workflow.TERMINAL_STATES


def test_labels_cover_every_state_and_event():
    for table in (workflow.STATE_LABELS_ZH, workflow.STATE_LABELS_EN):
        assert set(table) == set(S) and all(table.values())
    for table in (workflow.EVENT_LABELS_ZH, workflow.EVENT_LABELS_EN, workflow.EVENT_BASIS):
        assert set(table) == set(E)
    assert workflow.state_label("in_force") == "已生效"
    assert workflow.state_label(S.IN_FORCE, "en") == "In force"
    assert workflow.event_label(E.SEND_OFFER, "en") == "Send written offer"


def test_allowed_events():
    assert workflow.allowed_events(S.OFFER_SENT) == [
        E.ACCEPT, E.REFUSE, E.COUNTER_OFFER, E.VACANCY_AROSE, E.VACANCY_FILLED, E.WITHDRAW]
    assert E.OPEN_RENEWAL in workflow.allowed_events("in_force")


def test_unknown_state_or_event():
    with pytest.raises(IllegalTransition):
        workflow.apply("nonsense", E.SEND_OFFER)
    with pytest.raises(IllegalTransition):
        workflow.apply(S.PREPARING, "nonsense")


def test_strings_are_accepted():
    assert workflow.apply("preparing", "send_offer") is S.OFFER_SENT


# --- Guards -------------------------------------------------------------------------------------
def raises(state, event, facts=None):
    with pytest.raises(IllegalTransition) as info:
        workflow.apply(state, event, facts=facts or {})
    return zh(info.value.message)


def test_offer_must_be_in_writing():
    assert "书面" in raises(S.PREPARING, E.SEND_OFFER, {"in_writing": False})


def test_refusal_without_reason_is_allowed():
    assert workflow.apply(S.OFFER_SENT, E.REFUSE, facts={}) is S.REFUSED


def test_suspension_needs_agreed_resume_date():
    assert "恢复" in raises(S.IN_CONSULTATION, E.SUSPEND)
    assert "早于" in raises(S.IN_CONSULTATION, E.SUSPEND,
                          {"on": D(2024, 4, 2), "resume_on": D(2024, 4, 1)})
    assert "恢复" in raises(S.SUSPENDED, E.RESUME)


def test_coordination_extension_at_most_15_days_in_total():
    assert "最多延长15日" in raises(S.COORDINATION, E.EXTEND_COORDINATION, {"extension_days": 16})
    facts = {"extension_days": 6, "already_extended_days": 10}
    assert "已延长10日" in raises(S.COORDINATION, E.EXTEND_COORDINATION, facts)
    assert workflow.apply(S.COORDINATION, E.EXTEND_COORDINATION,
                          facts={"extension_days": 5, "already_extended_days": 10}) \
        is S.COORDINATION
    for bad in (0, -1, None, 2.5):
        raises(S.COORDINATION, E.EXTEND_COORDINATION, {"extension_days": bad})


def test_coordination_record_needs_all_signatures():
    assert "协调处理人员" in raises(S.COORDINATION, E.RECORD_COORDINATION_OUTCOME, CHIEFS)
    assert "企业方" in raises(S.COORDINATION, E.RECORD_COORDINATION_OUTCOME,
                           {"signed_by_coordinators": True, "signed_by_worker_chief": True})


@pytest.mark.parametrize("state, event", [(S.IN_CONSULTATION, E.AGREE_DRAFT),
                                          (S.RATIFIED, E.SIGN)])
def test_signing_needs_both_chiefs(state, event):
    assert "职工方、企业方" in raises(state, event)
    assert "企业方" in raises(state, event, {"signed_by_worker_chief": True})
    assert "职工方" in raises(state, event, {"signed_by_employer_chief": True})


@pytest.mark.parametrize(
    "counts, event",
    [((100, 67, 51), E.VOTE_PASSED), ((100, 67, 50), E.VOTE_FAILED),
     ((100, 66, 66), E.VOTE_INQUORATE), ((99, 66, 50), E.VOTE_PASSED),
     ((90, 60, 45), E.VOTE_FAILED), ((90, 60, 46), E.VOTE_PASSED)],
)
def test_vote_event_follows_ratification(counts, event):
    assert workflow.vote_event(*counts) is event
    facts = dict(zip(("members", "present", "in_favour"), counts))
    for other in (E.VOTE_PASSED, E.VOTE_FAILED, E.VOTE_INQUORATE):
        if other is event:
            workflow.apply(S.DRAFT_AGREED, other, facts=facts)
        else:
            assert "表决结果应记为" in raises(S.DRAFT_AGREED, other, facts)


def test_vote_must_carry_counts():
    assert "表决数据有误" in raises(S.DRAFT_AGREED, E.VOTE_PASSED)
    assert "表决数据有误" in raises(S.DRAFT_AGREED, E.VOTE_PASSED,
                              {"members": 100, "present": 120, "in_favour": 60})
    with pytest.raises(ValidationError):
        workflow.vote_event(100, 50, 60)


def test_vote_outcomes_lead_where_the_law_says():
    assert workflow.apply(S.DRAFT_AGREED, E.VOTE_PASSED,
                          facts=GOOD_FACTS[E.VOTE_PASSED]) is S.RATIFIED
    assert workflow.apply(S.DRAFT_AGREED, E.VOTE_FAILED,
                          facts=GOOD_FACTS[E.VOTE_FAILED]) is S.IN_CONSULTATION
    assert workflow.apply(S.DRAFT_AGREED, E.VOTE_INQUORATE,
                          facts=GOOD_FACTS[E.VOTE_INQUORATE]) is S.DRAFT_AGREED


def test_filing_requires_signed_contract_and_three_copies():
    assert "首席代表签字" not in raises(S.DRAFT_AGREED, E.FILE)  # state check, not a guard
    assert "已签订" not in raises(S.RATIFIED, E.FILE)
    assert "一式3份" in raises(S.SIGNED, E.FILE, {"copies": 2})
    assert "早于" in raises(S.SIGNED, E.FILE, {"on": D(2024, 6, 3), "received_on": D(2024, 6, 1)})
    assert workflow.apply(S.SIGNED, E.FILE, facts={}) is S.FILED


def test_objection_only_within_the_review_period():
    received = D(2024, 6, 3)
    assert workflow.apply(S.FILED, E.OBJECTION,
                          facts={"received_on": received, "on": D(2024, 6, 18)}) \
        is S.IN_CONSULTATION
    assert "届满" in raises(S.FILED, E.OBJECTION, {"received_on": received, "on": D(2024, 6, 19)})


def test_objection_counts_from_its_delivery_not_its_date():
    # 第四十五条: dated on day 15 but delivered (送达) on day 16 is too late.
    received = D(2024, 6, 3)
    late = {"received_on": received, "on": D(2024, 6, 18), "delivered_on": D(2024, 6, 19)}
    assert "送达" in raises(S.FILED, E.OBJECTION, late)
    in_time = {**late, "delivered_on": D(2024, 6, 18)}
    assert workflow.apply(S.FILED, E.OBJECTION, facts=in_time) is S.IN_CONSULTATION


def test_takes_effect_only_after_the_review_period():
    received = D(2024, 6, 3)
    facts = {"received_on": received, "on": D(2024, 6, 18)}
    assert "审查期未满" in raises(S.FILED, E.TAKE_EFFECT, facts)
    assert workflow.apply(S.FILED, E.TAKE_EFFECT,
                          facts={"received_on": received, "on": D(2024, 6, 19)}) is S.IN_FORCE
    assert "须记录" in raises(S.FILED, E.TAKE_EFFECT, {"on": D(2024, 6, 19)})
    five = {"received_on": received, "on": D(2024, 6, 19), "term_years": 5}
    assert "一般为1至3年" in raises(S.FILED, E.TAKE_EFFECT, five)
    # A warning, not a refusal: once acknowledged the five-year term is recorded.
    assert workflow.apply(S.FILED, E.TAKE_EFFECT,
                          facts={**five, "term_acknowledged": True}) is S.IN_FORCE
    assert "1至10年" in raises(S.FILED, E.TAKE_EFFECT,
                             {**five, "term_years": 11, "term_acknowledged": True})


def test_no_objection_opinion_delivered_makes_a_wage_agreement_effective_on_delivery():
    received = D(2024, 6, 3)
    facts = {"received_on": received, "opinion_delivered_on": D(2024, 6, 10)}
    assert "不能早于送达日期" in raises(S.FILED, E.TAKE_EFFECT, {**facts, "on": D(2024, 6, 9)})
    assert workflow.apply(S.FILED, E.TAKE_EFFECT, facts={**facts, "on": D(2024, 6, 10)}) \
        is S.IN_FORCE
    # Delivered after the review period: the ordinary rule (in force from day 16) applies.
    late = {"received_on": received, "opinion_delivered_on": D(2024, 6, 19), "on": D(2024, 6, 10)}
    assert "审查期未满" in raises(S.FILED, E.TAKE_EFFECT, late)


def test_variants_without_a_vote_sign_the_agreed_draft():
    assert "不能" in raises(S.DRAFT_AGREED, E.SIGN, CHIEFS)
    assert workflow.apply(S.DRAFT_AGREED, E.SIGN,
                          facts={**CHIEFS, "vote_required": False}) is S.SIGNED
    history = [(E.SEND_OFFER, D(2024, 1, 2)), (E.ACCEPT, D(2024, 1, 5)),
               (E.AGREE_DRAFT, D(2024, 2, 1), CHIEFS), (E.SIGN, D(2024, 2, 2), CHIEFS)]
    assert workflow.replay(history, vote_required=False) is S.SIGNED
    with pytest.raises(IllegalTransition):
        workflow.replay(history)


def test_renewal_only_in_the_three_month_window():
    expires = D(2026, 12, 31)
    ok = {"expires_on": expires}
    assert workflow.apply(S.IN_FORCE, E.OPEN_RENEWAL, facts={**ok, "on": D(2026, 9, 30)}) \
        is S.IN_FORCE
    assert workflow.apply(S.IN_FORCE, E.OPEN_RENEWAL, facts={**ok, "on": expires}) is S.IN_FORCE
    assert "三个月内" in raises(S.IN_FORCE, E.OPEN_RENEWAL, {**ok, "on": D(2026, 9, 29)})
    assert "三个月内" in raises(S.IN_FORCE, E.OPEN_RENEWAL, {**ok, "on": D(2027, 1, 1)})
    assert "期满日" in raises(S.IN_FORCE, E.OPEN_RENEWAL, {"on": D(2026, 10, 1)})


def test_expiry_only_after_the_term():
    expires = D(2026, 12, 31)
    assert "尚未期满" in raises(S.IN_FORCE, E.EXPIRE, {"expires_on": expires, "on": expires})


@pytest.mark.parametrize("ground", sorted(workflow.GROUNDS))
def test_termination_grounds(ground):
    facts = {"ground": ground, "procedure_completed": True}
    assert workflow.apply(S.IN_FORCE, E.TERMINATE, facts=facts) is S.TERMINATED
    assert workflow.apply(S.IN_FORCE, E.OPEN_CHANGE, facts={"ground": ground}) is S.IN_FORCE
    if ground != "agreed_condition":
        assert "第四十一条" in raises(S.IN_FORCE, E.TERMINATE, {"ground": ground})


def test_termination_needs_a_legal_ground():
    assert "法定理由" in raises(S.IN_FORCE, E.TERMINATE, {"procedure_completed": True})
    assert "法定理由" in raises(S.IN_FORCE, E.OPEN_CHANGE, {"ground": "boredom"})


# --- Histories ----------------------------------------------------------------------------------
def full_history():
    """A first contract from the offer to its entry into force, with one failed vote."""
    return [
        (E.SEND_OFFER, D(2024, 3, 1), {"received_on": D(2024, 3, 2)}),
        (E.COUNTER_OFFER, D(2024, 3, 15)),
        (E.HOLD_MEETING, D(2024, 3, 25)),
        (E.SUSPEND, D(2024, 3, 25), {"resume_on": D(2024, 4, 8)}),
        (E.RESUME, D(2024, 4, 8)),
        (E.APPLY_COORDINATION, D(2024, 4, 10), {"accepted_on": D(2024, 4, 11)}),
        (E.EXTEND_COORDINATION, D(2024, 5, 10), {"extension_days": 10}),
        (E.EXTEND_COORDINATION, D(2024, 5, 15), {"extension_days": 5}),
        (E.RECORD_COORDINATION_OUTCOME, D(2024, 5, 20),
         {"signed_by_coordinators": True, **CHIEFS}),
        (E.AGREE_DRAFT, D(2024, 5, 25), CHIEFS),
        (E.VOTE_FAILED, D(2024, 5, 30), {"members": 90, "present": 80, "in_favour": 44}),
        (E.HOLD_MEETING, D(2024, 6, 3)),
        (E.AGREE_DRAFT, D(2024, 6, 4), CHIEFS),
        (E.VOTE_PASSED, D(2024, 6, 8), {"members": 90, "present": 60, "in_favour": 46}),
        (E.SIGN, D(2024, 6, 10), CHIEFS),
        (E.PUBLISH, D(2024, 6, 12)),
        (E.FILE, D(2024, 6, 14), {"received_on": D(2024, 6, 17), "copies": 3}),
        (E.TAKE_EFFECT, D(2024, 7, 3), {"term_years": 2}),
    ]


def test_full_history_replays_to_in_force():
    assert workflow.replay(full_history()) is S.IN_FORCE
    derived = workflow.derived_facts(full_history())
    assert derived["expires_on"] == D(2026, 7, 2)
    assert derived["received_on"] == D(2024, 6, 17)


def test_replay_uses_dates_from_earlier_steps():
    history = full_history()
    early = history[:-1] + [(E.TAKE_EFFECT, D(2024, 7, 2), {"term_years": 2})]
    with raises_zh(IllegalTransition, match="审查期未满"):
        workflow.replay(early)
    too_long = history[:8] + [(E.EXTEND_COORDINATION, D(2024, 5, 16), {"extension_days": 1})]
    with raises_zh(IllegalTransition, match="已延长15日"):
        workflow.replay(too_long)
    renew = history + [(E.OPEN_RENEWAL, D(2026, 4, 2))]
    assert workflow.replay(renew) is S.IN_FORCE
    with raises_zh(IllegalTransition, match="三个月内"):
        workflow.replay(history + [(E.OPEN_RENEWAL, D(2026, 4, 1))])
    assert workflow.replay(history + [(E.EXPIRE, D(2026, 7, 3))]) is S.EXPIRED


def test_resume_without_agreed_date_fails_in_replay():
    history = [(E.SEND_OFFER, D(2024, 3, 1)), (E.ACCEPT, D(2024, 3, 5)),
               (E.SUSPEND, D(2024, 3, 6), {"resume_on": D(2024, 3, 20)}),
               (E.RESUME, D(2024, 3, 20)),
               (E.SUSPEND, D(2024, 3, 21))]
    with raises_zh(IllegalTransition, match="恢复"):
        workflow.replay(history)


def test_objection_goes_back_to_consultation_and_refiling():
    history = full_history()[:-1] + [
        (E.OBJECTION, D(2024, 7, 2)),
        (E.HOLD_MEETING, D(2024, 7, 10)),
        (E.AGREE_DRAFT, D(2024, 7, 12), CHIEFS),
        (E.VOTE_PASSED, D(2024, 7, 15), {"members": 90, "present": 90, "in_favour": 90}),
        (E.SIGN, D(2024, 7, 16), CHIEFS),
        (E.FILE, D(2024, 7, 18)),
    ]
    assert workflow.replay(history) is S.FILED
    # The 15-day review runs again from the refiled text (第四十六条).
    with raises_zh(IllegalTransition, match="审查期未满"):
        workflow.advance(history, (E.TAKE_EFFECT, D(2024, 8, 2)))
    assert workflow.advance(history, (E.TAKE_EFFECT, D(2024, 8, 3))) is S.IN_FORCE


def test_objection_after_review_period_is_rejected_in_replay():
    history = full_history()[:-1] + [(E.OBJECTION, D(2024, 7, 3))]
    with raises_zh(IllegalTransition, match="届满"):
        workflow.replay(history)


def test_facts_for_a_new_step_carry_only_what_its_guard_needs():
    history = full_history()[:-1]
    facts = workflow.facts_for(history, (E.TAKE_EFFECT, D(2024, 7, 3), {"term_years": 2}))
    assert facts == {"received_on": D(2024, 6, 17), "on": D(2024, 7, 3), "term_years": 2}
    assert workflow.apply(S.FILED, E.TAKE_EFFECT, facts=facts) is S.IN_FORCE
    # A refiling does not inherit the receipt date of the first filing.
    assert workflow.facts_for(history, (E.FILE, D(2024, 7, 18))) == {"on": D(2024, 7, 18)}


def test_replay_rejects_dates_out_of_order():
    with raises_zh(IllegalTransition, match="早于上一步骤") as info:
        workflow.replay([(E.SEND_OFFER, D(2024, 3, 5)), (E.ACCEPT, D(2024, 3, 4))])
    assert zh(info.value.message) == \
        f"“{workflow.EVENT_LABELS_ZH[E.ACCEPT]}”的日期2024-03-04早于上一步骤的日期2024-03-05"
    assert str(info.value.message) == (f"The date of “{workflow.EVENT_LABELS_EN[E.ACCEPT]}”, "
                                       "2024-03-04, is before the date of the previous step, "
                                       "2024-03-05")


def test_replay_reports_illegal_step():
    with pytest.raises(IllegalTransition) as info:
        workflow.replay([(E.SEND_OFFER, D(2024, 3, 1)), (E.SIGN, D(2024, 3, 2), CHIEFS)])
    assert info.value.state is S.OFFER_SENT and info.value.event is E.SIGN


def test_step_forms():
    on = D(2024, 3, 1)
    step = Step(E.SEND_OFFER, on)
    assert workflow.as_step(("send_offer", on)) == step
    assert workflow.as_step({"event": "send_offer", "on": on}) == step
    assert workflow.as_step(step) is step
    assert workflow.as_step((E.REFUSE, on, {"reason": "x"})).data["reason"] == "x"
    with pytest.raises(TypeError):
        step.data["x"] = 1
    with pytest.raises(ValidationError):
        Step("nonsense", on)
    with pytest.raises(ValidationError):
        Step(E.SEND_OFFER, "2024-03-01")


# --- Deadlines ----------------------------------------------------------------------------------
def by_key(entries):
    result = {}
    for entry in entries:
        result.setdefault(entry.key, []).append(entry)
    return result


def test_reply_deadline_day_20_and_21():
    history = [(E.SEND_OFFER, D(2024, 3, 1))]
    (entry,) = deadlines.deadlines(history, D(2024, 3, 10))
    name, due, basis, status = entry[:4]
    assert (due, status) == (D(2024, 3, 21), "ok")
    assert "第三十二条" in basis and name
    assert deadlines.deadlines(history, D(2024, 3, 21))[0].status == "due_soon"
    assert deadlines.deadlines(history, D(2024, 3, 22))[0].status == "overdue"
    on_time = history + [(E.ACCEPT, D(2024, 3, 21))]
    assert deadlines.deadlines(on_time, D(2024, 4, 1))[0].status == "done"
    late = history + [(E.ACCEPT, D(2024, 3, 22))]
    assert deadlines.deadlines(late, D(2024, 4, 1))[0].status == "done_late"


def test_deadlines_recomputed_when_dates_change():
    today = D(2024, 3, 5)
    first = deadlines.deadlines([(E.SEND_OFFER, D(2024, 3, 1))], today)
    moved = deadlines.deadlines([(E.SEND_OFFER, D(2024, 3, 1), {"received_on": D(2024, 3, 4)})],
                               today)
    assert first[0].due == D(2024, 3, 21) and moved[0].due == D(2024, 3, 24)

    history = full_history()
    entries = by_key(deadlines.deadlines(history, D(2024, 7, 5)))
    assert entries["review"][0].due == D(2024, 7, 3)
    assert entries["filing"][0].due == D(2024, 6, 20)
    changed = [list(s) for s in history]
    changed[14][1] = D(2024, 6, 12)  # signing date corrected
    changed[16][2] = {"received_on": D(2024, 6, 18)}  # receipt date corrected
    entries = by_key(deadlines.deadlines(changed, D(2024, 7, 5)))
    assert entries["filing"][0].due == D(2024, 6, 22)
    assert entries["review"][0].due == D(2024, 7, 4)


def test_full_history_deadlines():
    entries = by_key(deadlines.deadlines(full_history(), D(2026, 5, 1)))
    assert set(entries) == {"reply", "resume", "coordination", "filing", "publication", "review",
                            "expiry", "renewal_window"}
    assert all(e.status == "done" for k in ("reply", "resume", "coordination", "filing",
                                            "publication", "review") for e in entries[k])
    coordination = entries["coordination"][0]
    assert coordination.start == D(2024, 4, 11)
    assert coordination.due == rules.coordination_due(D(2024, 4, 11), 15) == D(2024, 5, 26)
    # national: published after taking effect (第四十八条; 10 days is a local rule, an assumption)
    assert entries["publication"][0].assumption == "publication_after_effect"
    assert entries["expiry"][0].due == D(2026, 7, 2)
    assert entries["expiry"][0].status == "ok"
    window = entries["renewal_window"][0]
    assert window.due == D(2026, 4, 2) and window.status == "open"


@pytest.mark.parametrize(
    "today, status",
    [(D(2026, 3, 27), "ok"), (D(2026, 3, 28), "due_soon"), (D(2026, 4, 2), "open"),
     (D(2026, 7, 2), "open"), (D(2026, 7, 3), "lapsed")],
)
def test_renewal_window_status(today, status):
    entries = by_key(deadlines.deadlines(full_history(), today))
    assert entries["renewal_window"][0].status == status


def test_renewal_window_done_when_renewal_opened():
    history = full_history() + [(E.OPEN_RENEWAL, D(2026, 5, 1))]
    assert by_key(deadlines.deadlines(history, D(2026, 8, 1)))["renewal_window"][0].status == "done"


def test_coordination_due_moves_with_extension():
    history = [(E.SEND_OFFER, D(2024, 3, 1)), (E.ACCEPT, D(2024, 3, 2)),
               (E.APPLY_COORDINATION, D(2024, 3, 10))]
    assert deadlines.deadlines(history, D(2024, 3, 10))[-1].due == D(2024, 4, 9)
    history.append((E.EXTEND_COORDINATION, D(2024, 4, 5), {"extension_days": 7}))
    assert deadlines.deadlines(history, D(2024, 3, 10))[-1].due == D(2024, 4, 16)


def test_vacancies_paired_by_seat():
    history = [(E.VACANCY_AROSE, D(2024, 3, 1), {"seat": "w2"}),
               (E.VACANCY_AROSE, D(2024, 3, 5), {"seat": "e1"}),
               (E.VACANCY_FILLED, D(2024, 3, 10), {"seat": "e1"})]
    entries = deadlines.deadlines(history, D(2024, 3, 17))
    assert [(e.due, e.status) for e in entries] == [(D(2024, 3, 16), "overdue"),
                                                    (D(2024, 3, 20), "done")]
    history.append((E.VACANCY_FILLED, D(2024, 3, 18)))
    assert deadlines.deadlines(history, D(2024, 3, 20))[0].status == "done_late"


def test_next_deadline_for_the_dashboard():
    history = [(E.SEND_OFFER, D(2024, 3, 1)), (E.VACANCY_AROSE, D(2024, 3, 2))]
    nxt = deadlines.next_deadline(deadlines.deadlines(history, D(2024, 3, 5)))
    assert nxt.key == "vacancy" and nxt.due == D(2024, 3, 17)
    dates = deadlines.deadlines(full_history(), D(2026, 5, 1))
    assert deadlines.next_deadline(dates).key == "expiry"
    assert deadlines.next_deadline([]) is None


def test_deadlines_validate_today():
    with pytest.raises(ValidationError):
        deadlines.deadlines([], "2024-03-01")


# --- Flags --------------------------------------------------------------------------------------
def codes(history, today, ruleset=None):
    return [f.code for f in deadlines.flags(history, today, ruleset=ruleset)]


def test_refusal_without_reason_is_flagged():
    offer = (E.SEND_OFFER, D(2024, 3, 1))
    assert codes([offer, (E.REFUSE, D(2024, 3, 5))], D(2024, 3, 6)) == ["refusal_without_reason"]
    assert codes([offer, (E.REFUSE, D(2024, 3, 5), {"reason": "  "})], D(2024, 3, 6)) == \
        ["refusal_without_reason"]
    assert codes([offer, (E.REFUSE, D(2024, 3, 5), {"reason": "经营困难，另约时间"})],
                 D(2024, 3, 6)) == []


def test_missed_reply_is_flagged():
    offer = [(E.SEND_OFFER, D(2024, 3, 1))]
    assert codes(offer, D(2024, 3, 21)) == []
    assert codes(offer, D(2024, 3, 22)) == ["reply_overdue"]
    assert codes(offer + [(E.COUNTER_OFFER, D(2024, 3, 21))], D(2024, 4, 1)) == []
    assert codes(offer + [(E.ACCEPT, D(2024, 3, 22))], D(2024, 4, 1)) == ["reply_late"]
    late_refusal = offer + [(E.REFUSE, D(2024, 3, 25), {"reason": "无"})]
    flag = deadlines.flags(late_refusal, D(2024, 4, 1))[0]
    assert flag.code == "reply_late" and flag.on == D(2024, 3, 25)
    assert "2024-03-21" in flag.message and "2024-03-21" in flag.message_en


def test_missed_filing_vacancy_coordination_publication_are_flagged():
    base = full_history()[:15]  # up to signing on 10 June
    assert codes(base, D(2024, 6, 20)) == []
    # national: the publication clock starts when the contract takes effect, not at signing.
    assert codes(base, D(2024, 6, 21)) == ["filing_overdue"]
    minutes = variants.get("minutes")  # published within 10 days of signing; never filed
    assert codes(base, D(2024, 6, 20), minutes) == []
    assert codes(base, D(2024, 6, 21), minutes) == ["publication_overdue"]
    late_file = base + [(E.PUBLISH, D(2024, 6, 20)), (E.FILE, D(2024, 6, 21))]
    assert codes(late_file, D(2024, 6, 25)) == ["filing_late"]

    vacancy = [(E.VACANCY_AROSE, D(2024, 3, 1))]
    assert codes(vacancy, D(2024, 3, 16)) == []
    assert codes(vacancy, D(2024, 3, 17)) == ["vacancy_overdue"]

    coordination = [(E.SEND_OFFER, D(2024, 3, 1)), (E.ACCEPT, D(2024, 3, 2)),
                    (E.APPLY_COORDINATION, D(2024, 3, 10))]
    assert codes(coordination, D(2024, 4, 9)) == []
    assert codes(coordination, D(2024, 4, 10)) == ["coordination_overdue"]
    extended = coordination + [(E.EXTEND_COORDINATION, D(2024, 4, 1), {"extension_days": 15})]
    assert codes(extended, D(2024, 4, 24)) == []
    assert codes(extended, D(2024, 4, 25)) == ["coordination_overdue"]


def test_clean_history_has_no_flags():
    assert deadlines.flags(full_history(), D(2026, 5, 1)) == []
