"""The ledger item's steps and overdue standing, and the lay-off 30-day check (pure)."""
from datetime import date

import pytest

from app.ledger import layoff
from app.errors import IllegalTransition
from app.ledger.items import (ItemAction, ItemStatus, allowed_actions, closed_late, days_left,
                              is_overdue, next_status, standing)

D = date(2026, 12, 1)


def test_open_start_close_reopen():
    assert next_status("open", "start") is ItemStatus.IN_PROGRESS
    assert next_status("in_progress", "close", evidence_count=1) is ItemStatus.CLOSED
    assert next_status("open", "close", evidence_count=2) is ItemStatus.CLOSED
    assert next_status("closed", "reopen") is ItemStatus.IN_PROGRESS


@pytest.mark.parametrize("status, action", [
    ("in_progress", "start"), ("closed", "start"), ("closed", "close"), ("open", "reopen"),
    ("in_progress", "reopen")])
def test_illegal_steps(status, action):
    with pytest.raises(IllegalTransition):
        next_status(status, action, evidence_count=5)


def test_closing_needs_evidence():
    with pytest.raises(IllegalTransition, match="evidence"):
        next_status("in_progress", "close", evidence_count=0)


def test_allowed_actions():
    assert allowed_actions("open") == [ItemAction.START, ItemAction.CLOSE]
    assert allowed_actions("closed") == [ItemAction.REOPEN]


def test_overdue_with_injected_today():
    assert not is_overdue("open", D, date(2026, 12, 1))  # the deadline day is still in time
    assert is_overdue("open", D, date(2026, 12, 2))
    assert is_overdue("in_progress", D, date(2027, 1, 1))
    assert not is_overdue("closed", D, date(2027, 1, 1))
    assert standing("in_progress", D, date(2026, 12, 2)) == "overdue"
    assert standing("in_progress", D, date(2026, 11, 30)) == "in_progress"
    assert standing("closed", D, date(2027, 1, 1)) == "closed"
    assert days_left(D, date(2026, 11, 21)) == 10 and days_left(D, date(2026, 12, 3)) == -2
    assert closed_late("closed", D, date(2026, 12, 2)) and not closed_late("closed", D, D)


L = date(2026, 12, 31)


@pytest.mark.parametrize("told_days, reported_days, flagged", [
    (30, 30, False), (45, 31, False), (29, 30, True), (30, 29, True), (None, 40, True),
    (40, None, True), (0, 0, True)])
def test_thirty_day_notice(told_days, reported_days, flagged):
    told = date.fromordinal(L.toordinal() - told_days) if told_days is not None else None
    reported = (date.fromordinal(L.toordinal() - reported_days)
                if reported_days is not None else None)
    result = layoff.check(L, 25, 300, told, reported)
    assert result.applies and result.flagged is flagged
    assert result.notice_days == told_days and result.report_days == reported_days


def test_flag_names_each_problem():
    result = layoff.check(L, 25, None, date(2026, 12, 20), None)
    assert result.problems == (
        "The union or the workers were told fewer than 30 days ahead "
        "(Labour Contract Law art. 41).",
        "The plan has not been reported to the labour bureau "
        "(Labour Contract Law art. 41, after hearing the union or workers).")


def test_report_period_is_henan_guidance_and_the_report_follows_the_hearing():
    result = layoff.check(L, 25, None, date(2026, 11, 1), date(2026, 12, 20))
    assert result.problems == (
        "The plan was reported to the labour bureau fewer than 30 days ahead "
        "(Henan guidance 豫人社函〔2023〕137号, not a rule of law).",)
    early = layoff.check(L, 25, None, date(2026, 11, 10), date(2026, 11, 5))
    assert early.problems == ("The plan was reported before the union or workers were heard "
                              "(Labour Contract Law art. 41).",)


@pytest.mark.parametrize("affected, workforce, applies", [
    (20, None, True), (19, None, False), (19, 190, True), (19, 191, False), (5, 50, True),
    (1, 1000, False)])
def test_article_41_applies_from_20_workers_or_a_tenth(affected, workforce, applies):
    result = layoff.check(L, affected, workforce, None, None)
    assert result.applies is applies
    assert result.flagged is applies
