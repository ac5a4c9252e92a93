"""The variants' rule sets: every deadline of every variant at its boundaries (the day before,
the day, the day after; month ends; leap years), working days on the official calendar, and the
``flask procedure`` command-line contract."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from click.testing import CliRunner

from app.negotiations import deadlines, rules, variants, workdays
from app.negotiations.workflow import Event as E
from app.web.procedure_cli import procedure

D = dt.date
ALL = sorted(variants.RULESETS)
CONTRACTS = ("national", "industry", "regional")  # 2004 provisions: 10-day filing, objection
WAGE_LIKE = ("wage", "henan")  # 7-day filing, in force on a no-objection opinion, yearly
OUTCOMES = ("platform_rules", "minutes")  # no vote, not filed, published 10 days after signing


def tl(variant, **events):
    return {k: v.date for k, v in variants.timeline(variants.get(variant), events).items()}


def in_time(due: D, acted: D) -> bool:
    """Whether acting on ``acted`` meets ``due`` (the app's own status function decides)."""
    return rules.deadline_status(due, acted, 0) != "overdue"


def check_boundaries(due: D) -> None:
    assert in_time(due, due - dt.timedelta(days=1))
    assert in_time(due, due)
    assert not in_time(due, due + dt.timedelta(days=1))


# --- reply_due: 20 days from receipt of the offer, every variant -------------------------------
@pytest.mark.parametrize("variant", ALL)
@pytest.mark.parametrize("received, due", [
    (D(2024, 2, 9), D(2024, 2, 29)),  # leap day
    (D(2023, 2, 9), D(2023, 3, 1)),  # common year
    (D(2024, 1, 31), D(2024, 2, 20)),  # from a month end
    (D(2024, 12, 20), D(2025, 1, 9)),  # across the year end
])
def test_reply_due(variant, received, due):
    assert tl(variant, offer_received=received)["reply_due"] == due
    check_boundaries(due)


# --- filing_due: 10 days (contracts) or 7 days (wage agreements); none for outcomes ------------
@pytest.mark.parametrize("variant, signed, due", [
    *[(v, D(2024, 2, 20), D(2024, 3, 1)) for v in CONTRACTS],
    *[(v, D(2023, 2, 20), D(2023, 3, 2)) for v in CONTRACTS],
    *[(v, D(2024, 2, 22), D(2024, 2, 29)) for v in WAGE_LIKE],
    *[(v, D(2023, 2, 22), D(2023, 3, 1)) for v in WAGE_LIKE],
    *[(v, D(2024, 12, 28), D(2025, 1, 4)) for v in WAGE_LIKE],
])
def test_filing_due(variant, signed, due):
    assert tl(variant, signed=signed)["filing_due"] == due
    check_boundaries(due)


@pytest.mark.parametrize("variant", OUTCOMES)
def test_outcomes_are_not_filed_or_reviewed(variant):
    got = tl(variant, signed=D(2024, 3, 1), filed=D(2024, 3, 2))
    assert "filing_due" not in got and "review_ends" not in got and "effective_from" not in got


# --- review_ends and effective_from: the opinion must be DELIVERED within 15 days --------------
@pytest.mark.parametrize("variant", CONTRACTS + WAGE_LIKE)
@pytest.mark.parametrize("received, ends", [
    (D(2024, 2, 14), D(2024, 2, 29)), (D(2023, 2, 14), D(2023, 3, 1)),
    (D(2024, 1, 31), D(2024, 2, 15)), (D(2024, 12, 31), D(2025, 1, 15)),
])
def test_review_ends_and_takes_effect_the_day_after_without_opinion(variant, received, ends):
    got = tl(variant, filed=received)
    assert got["review_ends"] == ends
    assert got["effective_from"] == ends + dt.timedelta(days=1)
    check_boundaries(ends)
    # review_received, when given, is what counts (not the day of sending)
    assert tl(variant, filed=received - dt.timedelta(days=3),
              review_received=received)["review_ends"] == ends


@pytest.mark.parametrize("variant", CONTRACTS)
@pytest.mark.parametrize("delivered, objection_counts", [
    (D(2024, 3, 15), True), (D(2024, 3, 16), True), (D(2024, 3, 17), False)])
def test_objection_counts_only_if_delivered_in_time(variant, delivered, objection_counts):
    got = tl(variant, review_received=D(2024, 3, 1), opinion_delivered=delivered)
    assert got["review_ends"] == D(2024, 3, 16)
    if objection_counts:  # back to consultation: no date of entry into force
        assert "effective_from" not in got
    else:  # too late: in force from day 16 as if none had come
        assert got["effective_from"] == D(2024, 3, 17)


@pytest.mark.parametrize("variant", WAGE_LIKE)
@pytest.mark.parametrize("delivered, effective", [
    (D(2024, 3, 15), D(2024, 3, 15)), (D(2024, 3, 16), D(2024, 3, 16)),
    (D(2024, 3, 17), D(2024, 3, 17))])
def test_wage_agreement_in_force_on_delivery_of_no_objection_opinion(variant, delivered,
                                                                      effective):
    got = tl(variant, review_received=D(2024, 3, 1), opinion_delivered=delivered)
    assert got["effective_from"] == effective


# --- publication_due: by kind of agreement --------------------------------------------------------
@pytest.mark.parametrize("variant, events, due", [
    # contracts: after taking effect (第四十八条; 10 days is a local rule, an assumption)
    *[(v, {"effective": D(2024, 2, 19)}, D(2024, 2, 29)) for v in CONTRACTS],
    *[(v, {"effective": D(2024, 12, 25)}, D(2025, 1, 4)) for v in CONTRACTS],
    # taking effect derived from the review when not given
    *[(v, {"filed": D(2024, 1, 31)}, D(2024, 2, 26)) for v in CONTRACTS],
    # wage agreements: within 5 days of taking effect
    *[(v, {"effective": D(2024, 2, 24)}, D(2024, 2, 29)) for v in WAGE_LIKE],
    *[(v, {"effective": D(2023, 2, 24)}, D(2023, 3, 1)) for v in WAGE_LIKE],
    *[(v, {"review_received": D(2024, 3, 1), "opinion_delivered": D(2024, 3, 5)},
       D(2024, 3, 10)) for v in WAGE_LIKE],
    # outcomes: within 10 days of signing
    *[(v, {"signed": D(2024, 2, 19)}, D(2024, 2, 29)) for v in OUTCOMES],
    *[(v, {"signed": D(2023, 2, 19)}, D(2023, 3, 1)) for v in OUTCOMES],
])
def test_publication_due(variant, events, due):
    assert tl(variant, **events)["publication_due"] == due
    check_boundaries(due)


@pytest.mark.parametrize("variant", CONTRACTS + WAGE_LIKE)
def test_contracts_have_no_publication_clock_at_signing(variant):
    assert "publication_due" not in tl(variant, signed=D(2024, 3, 1))


# --- next_round_due: at least yearly (wage agreements, platform rules) ---------------------------
@pytest.mark.parametrize("variant, events, due", [
    *[(v, {"effective": D(2024, 2, 29)}, D(2025, 2, 28)) for v in WAGE_LIKE],  # leap day
    *[(v, {"effective": D(2023, 3, 1)}, D(2024, 3, 1)) for v in WAGE_LIKE],
    *[(v, {"effective": D(2024, 1, 31)}, D(2025, 1, 31)) for v in WAGE_LIKE],
    ("platform_rules", {"signed": D(2024, 2, 29)}, D(2025, 2, 28)),
    ("platform_rules", {"signed": D(2023, 12, 31)}, D(2024, 12, 31)),
])
def test_next_round_due(variant, events, due):
    assert tl(variant, **events)["next_round_due"] == due
    check_boundaries(due)


@pytest.mark.parametrize("variant", CONTRACTS + ("minutes",))
def test_no_yearly_round_where_the_texts_set_none(variant):
    assert "next_round_due" not in tl(variant, signed=D(2024, 1, 1), effective=D(2024, 2, 1))


def test_unknown_event_is_refused():
    with pytest.raises(ValueError):
        variants.timeline(variants.get("national"), {"sent": D(2024, 1, 1)})


# --- the recorded history follows the same rule set ----------------------------------------------
CHIEFS = {"signed_by_worker_chief": True, "signed_by_employer_chief": True}


@pytest.mark.parametrize("variant", ALL)
def test_history_deadlines_match_the_timeline(variant):
    rs = variants.get(variant)
    history = [(E.SEND_OFFER, D(2024, 1, 30), {"received_on": D(2024, 1, 31)}),
               (E.ACCEPT, D(2024, 2, 5)), (E.SIGN, D(2024, 2, 22), CHIEFS)]
    events = {"offer_received": D(2024, 1, 31), "signed": D(2024, 2, 22)}
    if rs.filing_required:
        history += [(E.FILE, D(2024, 2, 26), {"received_on": D(2024, 2, 27)}),
                    (E.TAKE_EFFECT, D(2024, 3, 14), {"term_years": 2})]
        events.update(review_received=D(2024, 2, 27), effective=D(2024, 3, 14))
    got = {e.key: e.due for e in deadlines.deadlines(history, D(2024, 3, 20), ruleset=rs)}
    want = tl(variant, **events)
    names = {"reply": "reply_due", "filing": "filing_due", "publication": "publication_due",
             "next_round": "next_round_due"}
    for key, name in names.items():
        assert got.get(key) == want.get(name), key
    if rs.filing_required:
        assert got["review"] == want["review_ends"] + dt.timedelta(days=1)


def test_publication_done_before_taking_effect_counts():
    history = [(E.SIGN, D(2024, 2, 1), CHIEFS), (E.PUBLISH, D(2024, 2, 3)),
               (E.FILE, D(2024, 2, 5)), (E.TAKE_EFFECT, D(2024, 2, 21))]
    entry = next(e for e in deadlines.deadlines(history, D(2024, 4, 1)) if e.key == "publication")
    assert entry.status == "done"


# --- working days: China's official calendar, provisional beyond the known years ----------------
def test_working_days_follow_the_official_calendar():
    # Spring Festival 2024: 10-17 February off; Sunday 4 and Sunday 18 February were working
    # days (调休).
    assert workdays.add_workdays(D(2024, 2, 2), 1) == (D(2024, 2, 4), False)
    assert workdays.add_workdays(D(2024, 2, 9), 1) == (D(2024, 2, 18), False)
    assert workdays.add_workdays(D(2024, 2, 5), 5) == (D(2024, 2, 18), False)
    # An ordinary week: Friday + 1 working day is Monday.
    assert workdays.add_workdays(D(2024, 3, 8), 1) == (D(2024, 3, 11), False)


def test_dates_beyond_the_calendar_are_provisional():
    last = workdays.known_years()[-1]
    start = D(last, 12, 31)
    moved = workdays.add_workdays(start, 3)
    assert moved.provisional and moved.date.year == last + 1
    assert moved.date.weekday() < 5


def test_a_working_day_period_in_a_rule_set_is_marked_provisional_beyond_the_calendar():
    period = variants.Period(10, "test", unit="workdays")
    rs = dataclasses.replace(variants.get("national"),
                             extra=(("meeting_due", "signed", period),))
    known = variants.timeline(rs, {"signed": D(2024, 9, 27)})["meeting_due"]
    # National Day 2024: 1-7 October off, Sunday 29 September and Saturday 12 October worked.
    # 29 Sep, 30 Sep, 8-12 Oct (5), 14, 15, 16 Oct: the tenth working day is 16 October.
    assert known == ("meeting_due", D(2024, 10, 16), "test", False, None)
    last = workdays.known_years()[-1]
    beyond = variants.timeline(rs, {"signed": D(last, 12, 28)})["meeting_due"]
    assert beyond.provisional


# --- rule sets ----------------------------------------------------------------------------------
def test_every_rule_set_is_versioned_and_cited():
    for rs in variants.RULESETS.values():
        assert rs.version >= 1 and rs.citations and rs.steps
        for period in (rs.reply, rs.filing, rs.review, rs.publication, rs.next_round):
            assert period is None or period.basis
        assert rs.vote_required == (rs.approver is not None)
    assert variants.get("industry").filer == "either"
    assert variants.get("regional").approver == "regional_congress"
    assert variants.get("platform_rules").paid_representatives
    assert not variants.get("minutes").vote_required
    with pytest.raises(KeyError):
        variants.get("national", version=2)


# --- flask procedure ---------------------------------------------------------------------------
def run(*args):
    result = CliRunner().invoke(procedure, list(args))
    return result


def test_cli_timeline_prints_one_json_object():
    result = run("timeline", "--variant", "wage", "--event", "offer_received=2024-02-09",
                 "--event", "signed=2024-02-22", "--event", "filed=2024-02-27",
                 "--event", "opinion_delivered=2024-03-05", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "reply_due": "2024-02-29", "filing_due": "2024-02-29", "review_ends": "2024-03-13",
        "effective_from": "2024-03-05", "publication_due": "2024-03-10",
        "next_round_due": "2025-03-05"}
    assert result.output.count("\n") == 1


def test_cli_timeline_rejects_bad_events():
    assert run("timeline", "--variant", "national", "--event", "signed=2024-02-30",
               "--json").exit_code == 2
    assert run("timeline", "--variant", "national", "--event", "sent=2024-02-01",
               "--json").exit_code == 2
    assert run("timeline", "--variant", "nope", "--json").exit_code == 2


@pytest.mark.parametrize("members, present, in_favour, quorum, passes", [
    (90, 60, 46, True, True),  # exactly two thirds present, one more than half
    (90, 60, 45, True, False),  # exactly half in favour
    (90, 59, 59, False, False),  # one fewer than two thirds
])
def test_cli_vote(members, present, in_favour, quorum, passes):
    result = run("vote", "--members", str(members), "--present", str(present),
                 "--in-favour", str(in_favour), "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert (out["quorum"], out["passes"]) == (quorum, passes)
    assert out["reasons"] and all(isinstance(r, str) for r in out["reasons"])


def test_cli_vote_rejects_impossible_counts():
    assert run("vote", "--members", "10", "--present", "11", "--in-favour", "5",
               "--json").exit_code == 2
