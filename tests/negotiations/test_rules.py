"""Boundaries of the legal periods and checks in app.negotiations.rules."""

import datetime as dt

import pytest

from app.negotiations import rules
from app.errors import ValidationError
from app.negotiations.rules import Representative
from tests.chinese import zh

D = dt.date


# --- Day periods: the last day in time is start + N; start + N + 1 is late ---------------------
@pytest.mark.parametrize(
    "func, days",
    [
        (rules.reply_due, 20),
        (rules.filing_due, 10),
        (rules.publication_due, 10),
        (rules.vacancy_fill_due, 15),
        (rules.court_deadline, 15),
        (rules.review_ends, 15),
        (rules.coordination_due, 30),
    ],
)
def test_day_periods_count_from_the_next_day(func, days):
    assert func(D(2024, 3, 1)) == D(2024, 3, 1) + dt.timedelta(days=days)


def test_reply_on_day_20_is_in_time_and_day_21_is_late():
    received = D(2024, 3, 1)
    due = rules.reply_due(received)
    assert due == D(2024, 3, 21)
    assert rules.deadline_status(due, D(2024, 3, 21)) == "due_soon"
    assert rules.deadline_status(due, D(2024, 3, 22)) == "overdue"


def test_periods_cross_month_and_leap_day():
    assert rules.reply_due(D(2024, 2, 20)) == D(2024, 3, 11)
    assert rules.reply_due(D(2023, 2, 20)) == D(2023, 3, 12)
    assert rules.filing_due(D(2024, 12, 25)) == D(2025, 1, 4)


def test_effective_date_is_day_16_after_receipt():
    received = D(2024, 3, 1)
    assert rules.review_ends(received) == D(2024, 3, 16)  # objection still possible on day 15
    assert rules.effective_date(received) == D(2024, 3, 17)


def test_coordination_extension_limits():
    accepted = D(2024, 1, 1)
    assert rules.coordination_due(accepted) == D(2024, 1, 31)
    assert rules.coordination_due(accepted, extension_days=15) == D(2024, 2, 15)
    assert rules.coordination_due(accepted, 1) == D(2024, 2, 1)
    for bad in (16, -1, 1.5, True, "3"):
        with pytest.raises(ValidationError) as info:
            rules.coordination_due(accepted, extension_days=bad)
        assert "extension_days" in info.value.errors


@pytest.mark.parametrize(
    "expires, opens",
    [
        (D(2024, 5, 31), D(2024, 2, 29)),
        (D(2023, 5, 31), D(2023, 2, 28)),
        (D(2026, 12, 31), D(2026, 9, 30)),
        (D(2025, 1, 15), D(2024, 10, 15)),
        (D(2025, 2, 28), D(2024, 11, 28)),
        (D(2024, 3, 31), D(2023, 12, 31)),
    ],
)
def test_renewal_window_month_ends(expires, opens):
    assert rules.renewal_window_opens(expires) == opens


def test_in_renewal_window_is_inclusive():
    expires = D(2026, 12, 31)
    assert not rules.in_renewal_window(expires, D(2026, 9, 29))
    assert rules.in_renewal_window(expires, D(2026, 9, 30))
    assert rules.in_renewal_window(expires, expires)
    assert not rules.in_renewal_window(expires, D(2027, 1, 1))


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 1, 31), -2, D(2023, 11, 30)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 1, 15), -1, D(2023, 12, 15)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
    ],
)
def test_add_months(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_arbitration_deadline_one_year():
    assert rules.arbitration_deadline(D(2024, 6, 10)) == D(2025, 6, 10)
    assert rules.arbitration_deadline(D(2024, 2, 29)) == D(2025, 2, 28)


@pytest.mark.parametrize(
    "effective, years, end",
    [
        (D(2024, 1, 1), 3, D(2026, 12, 31)),
        (D(2024, 1, 1), 1, D(2024, 12, 31)),
        (D(2023, 3, 1), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 2, D(2026, 2, 28)),
        (D(2024, 7, 15), 2, D(2026, 7, 14)),
    ],
)
def test_term_end(effective, years, end):
    assert rules.term_end(effective, years) == end


@pytest.mark.parametrize("years", [0, 11, -1, 2.0, True, None])
def test_term_end_rejects_what_is_not_a_term(years):
    with pytest.raises(ValidationError) as info:
        rules.term_end(D(2024, 1, 1), years, acknowledged=True)
    assert "years" in info.value.errors


@pytest.mark.parametrize("years", [4, 5, 10])
def test_term_outside_one_to_three_years_is_a_warning_to_acknowledge(years):
    # 第三十八条: 一般 (normally) 1-3 years; outside that the mediator acknowledges a warning.
    with pytest.raises(ValidationError) as info:
        rules.term_end(D(2024, 1, 1), years)
    assert "一般" in zh(info.value.errors["years"])
    assert rules.term_end(D(2024, 1, 1), years, acknowledged=True) == D(2024 + years, 12, 31) \
        .replace(year=2023 + years)
    assert rules.term_warning(years) is not None
    assert rules.term_warning(3) is None and rules.term_warning(1) is None


@pytest.mark.parametrize(
    "func",
    [rules.reply_due, rules.filing_due, rules.effective_date, rules.coordination_due,
     rules.publication_due, rules.renewal_window_opens, rules.vacancy_fill_due,
     rules.arbitration_deadline, rules.court_deadline],
)
@pytest.mark.parametrize("bad", ["2024-03-01", None, dt.datetime(2024, 3, 1, 12)])
def test_periods_reject_non_dates(func, bad):
    with pytest.raises(ValidationError):
        func(bad)


def test_deadline_status_boundaries():
    due = D(2024, 3, 21)
    assert rules.deadline_status(due, D(2024, 3, 15)) == "ok"
    assert rules.deadline_status(due, D(2024, 3, 16)) == "due_soon"
    assert rules.deadline_status(due, due) == "due_soon"
    assert rules.deadline_status(due, D(2024, 3, 22)) == "overdue"
    assert rules.deadline_status(due, D(2024, 3, 20), soon_days=0) == "ok"
    assert rules.deadline_status(due, due, soon_days=0) == "due_soon"
    with pytest.raises(ValidationError):
        rules.deadline_status(due, due, soon_days=-1)


# --- Ratification (第三十六条) --------------------------------------------------------------------
@pytest.mark.parametrize(
    "members, present, quorum",
    [(100, 66, False), (100, 67, True), (99, 66, True), (99, 65, False), (3, 2, True),
     (3, 1, False), (300, 200, True), (300, 199, False), (1, 1, True), (5, 4, True),
     (5, 3, False)],
)
def test_quorum_is_two_thirds_inclusive(members, present, quorum):
    result = rules.ratification_passes(members, present, 0)
    assert result.quorum is quorum


@pytest.mark.parametrize(
    "members, in_favour, passes",
    [(100, 49, False), (100, 50, False), (100, 51, True), (99, 49, False), (99, 50, True),
     (3, 2, True), (3, 1, False), (2, 1, False), (2, 2, True), (4, 2, False), (4, 3, True)],
)
def test_passing_needs_more_than_half_of_all_members(members, in_favour, passes):
    # 企业民主管理规定 第二十条: 过半数 — exactly half is not passed.
    result = rules.ratification_passes(members, members, in_favour)
    assert result.quorum
    assert result.passes is passes


def test_majority_without_quorum_does_not_pass():
    result = rules.ratification_passes(100, 66, 60)
    assert result.quorum is False
    assert result.passes is False
    assert any("三分之二" in reason for reason in result.reasons)
    assert result.reasons[-1] == "草案未获通过"


def test_base_is_all_members_not_those_present():
    # 40 of 70 present is a clear majority of those present but not half of 100 members.
    assert rules.ratification_passes(100, 70, 40).passes is False


def test_reasons_in_words():
    result = rules.ratification_passes(100, 67, 51)
    quorum, passes, reasons = result
    assert (quorum, passes) == (True, True)
    assert "实到67人" in reasons[0] and "赞成51人" in reasons[1] and reasons[-1] == "草案获得通过"


def test_exactly_half_says_why_citing_both_texts():
    quorum, passes, reasons = rules.ratification_passes(100, 67, 50)
    assert (quorum, passes) == (True, False)
    assert "恰为全体人员的一半" in reasons[1]
    assert "《企业民主管理规定》第二十条" in reasons[1]
    assert "《集体合同规定》第三十六条" in reasons[0]
    assert reasons[-1] == "草案未获通过"


@pytest.mark.parametrize("members, present, in_favour, quorum, passes", [
    (90, 59, 59, False, False),  # one fewer than two thirds present
    (90, 60, 45, True, False),  # exactly two thirds present, exactly half in favour
    (90, 60, 46, True, True),  # exactly two thirds present, one more than half
    (90, 61, 46, True, True),  # one more present
])
def test_vote_boundaries(members, present, in_favour, quorum, passes):
    result = rules.ratification_passes(members, present, in_favour)
    assert (result.quorum, result.passes) == (quorum, passes)


@pytest.mark.parametrize(
    "members, present, in_favour, field",
    [
        (100, 101, 50, "present"),
        (100, 60, 61, "in_favour"),
        (-1, 0, 0, "members"),
        (100, -1, 0, "present"),
        (100, 80, -5, "in_favour"),
        (0, 0, 0, "members"),
        (100.0, 80, 50, "members"),
        (100, "80", 50, "present"),
        (100, 80, True, "in_favour"),
        (100, 80, None, "in_favour"),
    ],
)
def test_ratification_rejects_invalid_counts(members, present, in_favour, field):
    with pytest.raises(ValidationError) as info:
        rules.ratification_passes(members, present, in_favour)
    assert field in info.value.errors


# --- Delegations (第十九、二十三、二十四条) ---------------------------------------------------------
def side(prefix, n, chiefs=1, experts=0, expert_chief=False):
    people = []
    for i in range(n):
        is_chief = i < chiefs
        is_expert = (i >= n - experts) or (expert_chief and is_chief)
        people.append(Representative(f"{prefix}{i}", is_chief, is_expert, f"{prefix}-{i}"))
    return people


def test_valid_delegations_have_no_problems():
    assert rules.check_delegations(side("w", 3), side("e", 3)) == []
    assert rules.check_delegations(side("w", 6, experts=2), side("e", 6, experts=2)) == []


def test_representative_is_frozen():
    rep = Representative("张三", True, False, None)
    with pytest.raises(AttributeError):
        rep.name = "李四"


def test_too_few_and_unequal():
    problems = [zh(p) for p in rules.check_delegations(side("w", 2), side("e", 3))]
    assert any("职工方协商代表只有2人" in p for p in problems)
    assert any("人数不等" in p for p in problems)
    assert len(problems) == 2


def test_chief_count():
    problems = [zh(p) for p in
                rules.check_delegations(side("w", 3, chiefs=0), side("e", 3, chiefs=2))]
    assert any("职工方未指定首席代表" in p for p in problems)
    assert any("企业方有2名首席代表" in p for p in problems)


def test_outside_experts_at_most_a_third():
    assert rules.check_delegations(side("w", 3, experts=1), side("e", 3)) == []
    problems = [zh(p) for p in rules.check_delegations(side("w", 3, experts=2), side("e", 3))]
    assert problems == [p for p in problems if "三分之一" in p] and len(problems) == 1
    assert rules.check_delegations(side("w", 9, experts=3), side("e", 9)) == []
    assert len(rules.check_delegations(side("w", 9, experts=4), side("e", 9))) == 1


def test_outside_expert_may_not_be_chief():
    problems = [zh(p) for p in
                rules.check_delegations(side("w", 3, expert_chief=True), side("e", 3))]
    assert len(problems) == 1 and "不得由外聘人员担任" in problems[0]


def test_nobody_on_both_sides_by_id_or_name():
    workers = side("w", 3)
    employers = side("e", 2) + [Representative("某人", False, False, "w-1")]
    problems = [zh(p) for p in rules.check_delegations(workers, employers)]
    assert len(problems) == 1 and "同时担任双方" in problems[0]
    workers = side("w", 2) + [Representative(" 王五 ", False, False, None)]
    employers = side("e", 2) + [Representative("王五", False, False, None)]
    assert any("同时担任双方" in zh(p) for p in rules.check_delegations(workers, employers))


def test_same_person_twice_on_one_side():
    workers = side("w", 3) + [Representative("w0", False, False, "w-0")]
    problems = rules.check_delegations(workers, side("e", 4))
    assert any("重复" in zh(p) for p in problems)


def test_every_problem_is_reported():
    workers = [Representative("甲", False, True, None), Representative("乙", False, True, None)]
    employers = [Representative("甲", True, True, None)]
    problems = rules.check_delegations(workers, employers)
    # too few ×2, no chief, experts > 1/3 ×2, expert chief, unequal, on both sides
    assert len(problems) == 8
    assert all(isinstance(p, str) and p for p in problems)


def test_constants_carry_their_articles():
    assert rules.REPLY_DAYS == 20 and rules.FILING_DAYS == 10 and rules.REVIEW_DAYS == 15
    assert rules.COORDINATION_DAYS == 30 and rules.COORDINATION_MAX_EXTENSION_DAYS == 15
    assert "publication_start" in rules.ASSUMPTIONS
    for zh, en, source in rules.ASSUMPTIONS.values():
        assert zh and en and source
