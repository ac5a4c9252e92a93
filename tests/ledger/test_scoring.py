"""The risk points model: every indicator's bands, the grade boundaries, reasons and items."""
import pytest

from app.ledger import scoring
from app.ledger.scoring import HIGH, HIGH_FROM, LOW, MEDIUM, MEDIUM_FROM, grade_for, score, validate


def test_nothing_reached_is_low_with_no_reasons_or_items():
    result = score({})
    assert (result.points, result.grade, result.reasons, result.items) == (0, LOW, (), ())


@pytest.mark.parametrize("key, value, points", [
    ("tax_arrears_months", 0, 0), ("tax_arrears_months", 1, 10), ("tax_arrears_months", 2, 10),
    ("tax_arrears_months", 3, 20), ("tax_arrears_months", 12, 20),
    ("social_insurance_months", 1, 15), ("social_insurance_months", 3, 25),
    ("overdue_loans", 1, 10), ("overdue_loans", 3, 15),
    ("volume_drop_pct", 9.9, 0), ("volume_drop_pct", 10, 5), ("volume_drop_pct", 20, 10),
    ("volume_drop_pct", 39.9, 10), ("volume_drop_pct", 40, 20), ("volume_drop_pct", 100, 20),
    ("late_pay_cycles", 1, 15), ("late_pay_cycles", 2, 30), ("late_pay_cycles", 6, 30),
    ("complaints", 1, 5), ("complaints", 4, 5), ("complaints", 5, 10), ("complaints", 20, 20),
    ("pending_layoffs", 1, 10), ("pending_layoffs", 19, 10), ("pending_layoffs", 20, 20),
])
def test_each_indicator_band(key, value, points):
    assert score({key: value}).points == points


@pytest.mark.parametrize("points, grade", [
    (0, LOW), (MEDIUM_FROM - 1, LOW), (MEDIUM_FROM, MEDIUM), (HIGH_FROM - 1, MEDIUM),
    (HIGH_FROM, HIGH), (200, HIGH),
])
def test_grade_boundaries(points, grade):
    assert grade_for(points) == grade


def test_boundaries_are_named_and_ordered():
    assert 0 < MEDIUM_FROM < HIGH_FROM


def test_one_late_cycle_and_one_month_of_social_insurance_is_medium():
    result = score({"late_pay_cycles": 1, "social_insurance_months": 1})
    assert (result.points, result.grade) == (30, MEDIUM)
    assert [r.key for r in result.reasons] == ["social_insurance_months", "late_pay_cycles"]
    assert result.reasons[0].zh == "欠缴社会保险费：1个月（+15分）"
    assert result.reasons[0].en == "Social-insurance arrears: 1 month (+15 points)"
    assert [i.key for i in result.items] == ["social_insurance_months", "late_pay_cycles"]
    assert [i.deadline_days for i in result.items] == [30, 15]


def test_exactly_medium_from_points_is_medium_and_one_below_is_low():
    assert score({"late_pay_cycles": 1, "overdue_loans": 1}).grade == MEDIUM  # 25
    assert score({"late_pay_cycles": 1, "complaints": 1}).grade == LOW  # 20
    assert score({"late_pay_cycles": 1, "complaints": 1}).items == ()


def test_high_grade_shortens_every_deadline():
    result = score({"late_pay_cycles": 2, "tax_arrears_months": 1, "volume_drop_pct": 20})
    assert (result.points, result.grade) == (50, HIGH)
    assert all(i.deadline_days <= scoring.HIGH_DEADLINE_DAYS for i in result.items)
    assert "Drop in order or logistics volume: 20% (+10 points)" in [r.en for r in result.reasons]
    assert "Tax payment arrears: 1 month (+10 points)" in [r.en for r in result.reasons]


def test_reasons_add_up_to_the_total():
    values = {k: 100 for k in scoring.INDICATOR_KEYS}
    result = score(values)
    assert result.points == sum(r.points for r in result.reasons)
    assert result.points == sum(i.max_points for i in scoring.INDICATORS)


def test_suggested_item_deadline_counts_from_the_screening_date():
    from datetime import date
    item = score({"late_pay_cycles": 2})
    assert item.items[0].deadline(date(2026, 12, 20)) == date(2027, 1, 4)


def test_every_indicator_has_both_languages_and_an_item():
    for ind in scoring.INDICATORS:
        assert ind.label_zh and ind.label_en and ind.item_zh and ind.item_en
        assert list(ind.bands) == sorted(ind.bands)
        assert ind.deadline_days > 0


@pytest.mark.parametrize("raw, message", [
    ("abc", "Enter a number."), ("-1", "Must not be negative."), ("1.5", "Enter a whole number."),
    ("1e9", "This number is too large; please check it."), ("nan", "Enter a number."),
    (True, "Enter a number."),
])
def test_validate_rejects_bad_counts(raw, message):
    values, errors = validate({"complaints": raw})
    assert errors == {"complaints": message}


def test_validate_percent_and_blanks():
    values, errors = validate({"volume_drop_pct": "35.5%", "complaints": " ", "late_pay_cycles": 2})
    assert errors == {}
    assert values["volume_drop_pct"] == 35.5 and values["complaints"] == 0
    assert values["late_pay_cycles"] == 2 and values["tax_arrears_months"] == 0
    assert validate({"volume_drop_pct": "101"})[1] == {
        "volume_drop_pct": "Enter a percentage between 0 and 100."}
