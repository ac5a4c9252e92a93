"""The structured agreement: building, editing, redline, fingerprint and the life-cycle guards."""
from __future__ import annotations

import datetime as dt

import pytest

from app.agreements import document as A
from app.agreements import example, versions
from app.agreements import clauses
from app.negotiations import rules
from app.errors import IllegalTransition, ValidationError
from tests.chinese import raises_zh


@pytest.fixture
def agreement():
    return example.example_agreement()


def test_every_package_term_becomes_a_standard_with_unit_date_and_measure(agreement):
    keys = [s["key"] for s in agreement["standards"]]
    assert keys == [k for k in (s.key for s in clauses.STANDARDS) if k in example.EXAMPLE_PACKAGE]
    base = next(s for s in agreement["standards"] if s["key"] == "base_per_order")
    assert base["display"] == "7.00" and base["unit_zh"] == "元/单"
    assert base["effective"] == "2026-12-01" and base["measured_zh"]
    allowance = next(s for s in agreement["standards"] if s["key"] == "allowance_ratio")
    assert allowance["display"] == "15"


def test_neutral_values_are_left_out():
    a = example.example_agreement({**example.EXAMPLE_PACKAGE, "commission_cap_per_order": 1.0,
                             "max_daily_hours": 24.0})
    keys = {s["key"] for s in a["standards"]}
    assert "commission_cap_per_order" not in keys and "max_daily_hours" not in keys


def test_term_and_deadlines_come_from_the_rules(agreement):
    assert agreement["term"] == {"years": 2, "effective": "2026-12-01", "expires": "2028-11-30"}
    steps = {s["key"]: s for s in agreement["dispute_steps"]}
    assert [s["step"] for s in agreement["dispute_steps"]] == [1, 2, 3, 4, 5, 6]
    assert steps["coordination"]["days"] == rules.COORDINATION_DAYS == 30
    assert "最多延长15日" in steps["coordination"]["limit_zh"]
    assert "1年内" in steps["arbitration"]["limit_zh"]
    assert steps["court"]["days"] == rules.COURT_DAYS == 15
    text = {a["key"]: a["text_zh"] for a in agreement["articles"]}
    assert "10日内" in text["publication"] and "15日内" in text["publication"]
    assert "每年至少开展一次" in text["adjustment"] and "提前30日" in text["adjustment"]
    assert "（四）三方协调处理" in text["disputes"]


def test_articles_are_numbered_in_chinese():
    assert [clauses.article_heading(n, "zh") for n in (1, 10, 11, 15, 20, 21)] == [
        "第一条", "第十条", "第十一条", "第十五条", "第二十条", "第二十一条"]
    assert clauses.article_heading(3, "en") == "Article 3"


@pytest.mark.parametrize("years", [0, 4, "2"])
def test_term_outside_one_to_three_years_is_refused(years):
    with pytest.raises(ValidationError) as e:
        A.build_agreement(example.EXAMPLE_PACKAGE, worker={"name": "工会"}, employer={"name": "平台"},
                          scope={"region": "郑州市", "workers_count": 10}, term_years=years,
                          effective=dt.date(2026, 12, 1))
    assert "term_years" in e.value.errors


def test_bad_input_is_reported_by_field():
    with pytest.raises(ValidationError) as e:
        A.build_agreement({"base_per_order": "abc", "commission_rate": 1.5}, worker={},
                          employer={"name": "平台"}, scope={"region": "", "workers_count": -1},
                          term_years=2, effective="not a date")
    assert {"worker.name", "scope.region", "scope.workers_count", "effective",
            "package.base_per_order", "package.commission_rate"} <= set(e.value.errors)


def test_edit_returns_a_new_version_and_redline_shows_it(agreement):
    before = versions.canonical_json(agreement)
    text = agreement["articles"][4]["text_zh"].replace("停止派单", "暂停派单", 1)
    edited = A.edit_article(agreement, "hours", text_zh=text)
    edited = A.set_standard(edited, "base_per_order", "7.5")
    assert versions.canonical_json(agreement) == before  # the old version is untouched
    assert versions.fingerprint(edited) != versions.fingerprint(agreement)
    red = versions.redline(agreement, edited)
    assert red["values"] == [{**red["values"][0], "key": "base_per_order", "old": "7.00",
                              "new": "7.50"}]
    hours = next(a for a in red["articles"] if a["key"] == "hours")
    assert hours["status"] == "changed"
    assert ("insert", "暂") in hours["zh"] and ("delete", "止") in hours["zh"]
    assert all(a["status"] == "same" for a in red["articles"] if a["key"] != "hours")
    assert versions.redline(agreement, agreement)["changed"] == 0


def test_redline_reports_numbers_as_whole_tokens():
    assert versions.diff_text("每日不超过10.00元", "每日不超过12.50元") == [
        ("equal", "每日不超过"), ("delete", "10.00"), ("insert", "12.50"), ("equal", "元")]


def test_blank_or_unknown_edits_are_refused(agreement):
    with pytest.raises(ValidationError) as e:
        A.edit_article(agreement, "hours", text_zh="   ")
    assert "text_zh" in e.value.errors
    with pytest.raises(ValidationError):
        A.edit_article(agreement, "nope", text_zh="x")
    with pytest.raises(ValidationError):
        A.set_standard(agreement, "base_per_order", -1)


def test_fingerprint_is_stable_and_canonical(agreement):
    again = example.example_agreement()
    assert versions.fingerprint(agreement) == versions.fingerprint(again)
    assert len(versions.short_fingerprint(agreement)) == 19
    doc = versions.standards_document(agreement)
    assert doc["agreement_sha256"] == versions.fingerprint(agreement)
    assert len(doc["standards"]) == len(agreement["standards"])


def test_frozen_and_signed_drafts_refuse_changes():
    A.ensure_editable(A.Status.DRAFTING)
    for status in (A.Status.FROZEN, A.Status.SIGNED):
        with pytest.raises(IllegalTransition):
            A.ensure_editable(status)


def test_freeze_needs_both_sides_and_sign_needs_freeze():
    with raises_zh(IllegalTransition, match="企业方"):
        A.check_freeze(A.Status.DRAFTING, {"worker"})
    A.check_freeze(A.Status.DRAFTING, {"worker", "employer"})
    with pytest.raises(IllegalTransition):
        A.check_freeze(A.Status.FROZEN, {"worker", "employer"})
    with pytest.raises(IllegalTransition):
        A.check_sign(A.Status.DRAFTING)
    A.check_sign(A.Status.FROZEN)
    with pytest.raises(IllegalTransition):
        A.check_sign(A.Status.SIGNED)
