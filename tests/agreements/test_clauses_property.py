"""One agreement model (issue 17, finding 4): the articles are generated from the agreed standards.

Property: for random edits of the standards, every number an article states equals the standards
table, in Chinese and in English, in the data, in the PDF (pypdf) and in the Word file
(python-docx). Plus the rules around it: nonsense values refused, a hand edit marks the other
language for review, a stale hand-written number and languages that disagree are found before
freezing.
"""
from __future__ import annotations

import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from docx import Document
from pypdf import PdfReader

from app.agreements import clauses, consistency, document as A, limits, wording
from app.agreements.example import EXAMPLE_PACKAGE, example_agreement
from app.errors import IllegalTransition, ValidationError
from app.reports import agreement_docx, pdf

# How each generated article states each standard: a phrase per language, independent of the
# templates' code (if the wording changes, these must be changed on purpose).
PHRASES = {
    "max_continuous_hours": (r"连续接单达到([\d.]+)小时", r"continuously for ([\d.]+) hours"),
    "rest_minutes": (r"停止派单([\d.]+)分钟", r"stops dispatch for ([\d.]+) minutes"),
    "max_daily_hours": (r"每日工作时间累计达到([\d.]+)小时",
                        r"at ([\d.]+) hours of working time in a day"),
    "allowance_ratio": (r"宽放时间按接单时间的([\d.]+)%", r"Allowance time is ([\d.]+)% of"),
    "late_penalty_per_order": (r"超时每单扣款不超过([\d.]+)元", r"deducted at most ([\d.]+) yuan"),
    "penalty_cap_per_day": (r"每日扣款合计不超过([\d.]+)元", r"capped at ([\d.]+) yuan"),
    "settlement_cycle_days": (r"平台每([\d.]+)日结算", r"settled every ([\d.]+) days"),
}

# How an article says a deduction standard of 0: in words, not "at most 0 yuan".
ZERO_PHRASES = {
    "late_penalty_per_order": ("超时不予扣款", "Late deliveries are not deducted"),
    "penalty_cap_per_day": ("平台取消对超时等情形的扣款", "makes no deductions for lateness"),
}

EDITS = st.one_of(
    st.tuples(st.just("max_continuous_hours"), st.integers(25, 2400).map(lambda x: x / 100)),
    st.tuples(st.just("rest_minutes"), st.integers(0, 620)),
    st.tuples(st.just("max_daily_hours"), st.integers(0, 2450).map(lambda x: x / 100)),
    st.tuples(st.just("allowance_ratio"), st.integers(0, 520).map(lambda x: x / 100)),
    st.tuples(st.just("late_penalty_per_order"), st.integers(0, 5000).map(lambda x: x / 100)),
    st.tuples(st.just("penalty_cap_per_day"), st.integers(0, 20000).map(lambda x: x / 100)),
    st.tuples(st.just("settlement_cycle_days"), st.integers(0, 40)),
    st.tuples(st.just("base_per_order"), st.integers(0, 3000).map(lambda x: x / 100)),
)


def shown(content, key) -> float | None:
    """The table's value of ``key`` as the text states it (ratios in per cent)."""
    for s in content["standards"]:
        if s["key"] == key:
            spec = clauses.STANDARD_BY_KEY[key]
            return round(float(s["value"]) * (100 if spec.kind == "ratio" else 1), 6)
    return None


def apply(content, edits):
    for key, value in edits:
        try:
            content = A.set_standard(content, key, value)
        except ValidationError as exc:
            # Refused: the value is out of bounds or contradicts another standard.
            spec = clauses.STANDARD_BY_KEY[key]
            others = {s["key"]: s["value"] for s in content["standards"]}
            assert limits.value_error(spec, float(value)) is not None or \
                limits.cross_errors({**others, key: float(value)}) or \
                clauses.NEUTRAL.get(key) == value, (key, value, exc.errors)
    return content


def assert_text_matches_table(content, texts: dict[str, str]):
    """``texts``: lang → the text to read (the articles, or a PDF's text)."""
    for key, phrases in PHRASES.items():
        expected = shown(content, key)
        for lang, phrase in zip(("zh", "en"), phrases):
            found = [float(n) for n in re.findall(phrase, texts[lang])]
            if expected == 0 and key in ZERO_PHRASES:
                zero = ZERO_PHRASES[key][0 if lang == "zh" else 1]
                assert not found and zero in re.sub(r"\s+", " ", texts[lang]), (key, lang)
            elif expected is None:
                assert not found, (key, lang, found)
            else:
                assert found and all(abs(n - expected) < 1e-6 for n in found), \
                    (key, lang, found, expected)


def article_text(content, lang) -> str:
    return "\n".join(a["text"] for a in wording.article_texts(content, lang))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=1, max_size=8))
def test_every_number_an_article_states_is_the_tables(edits):
    content = apply(example_agreement(), edits)
    assert_text_matches_table(content, {lang: article_text(content, lang) for lang in ("zh", "en")})
    # Every number with a unit in an article that states standards is one of them (or, in the
    # deductions article, the days the platform has to answer an appeal).
    for article in content["articles"]:
        if article["key"] not in wording.STATES:
            continue
        allowed = {(shown(content, k), consistency._unit(clauses.STANDARD_BY_KEY[k]))
                   for k in wording.STATES[article["key"]] if shown(content, k) is not None}
        allowed.add((float(content["dispute"]["answer_days"]), "d"))
        for lang in ("zh", "en"):
            for number, unit in consistency.numbers(article[f"text_{lang}"], lang):
                assert (round(number, 6), unit) in allowed, (article["key"], lang, number, unit)
    assert consistency.problems(content) == []
    consistency.ensure_consistent(content)


def pdf_texts(content) -> dict[str, str]:
    out = {}
    for lang in ("zh", "en"):
        data = pdf.render_agreement(content, lang=lang)
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        out[lang] = re.sub(r"\s+", "", text) if lang == "zh" else re.sub(r"\s+", " ", text)
    return out


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=2, max_size=6))
def test_the_printed_pdfs_state_the_tables_numbers(edits):
    content = apply(example_agreement(), edits)
    texts = pdf_texts(content)
    assert_text_matches_table(content, texts)
    for key in PHRASES:  # the standards table printed in the same PDF
        spec = clauses.STANDARD_BY_KEY[key]
        value = clauses.format_value(spec, next(s["value"] for s in content["standards"]
                                                if s["key"] == key))
        assert f"{spec.label_zh}{value}{spec.unit_zh}" in texts["zh"], key
        assert f"{spec.label_en} {value} {spec.unit_en}" in texts["en"], key


def docx_texts(content) -> dict[str, str]:
    """The Word file's text: every paragraph, then every table row (cells joined as the PDF
    prints them), read back with python-docx."""
    out = {}
    for lang in ("zh", "en"):
        doc = Document(io.BytesIO(agreement_docx.agreement_docx(content, lang=lang)))
        lines = [p.text for p in doc.paragraphs]
        lines += [(" " if lang == "en" else "").join(c.text for c in row.cells)
                  for table in doc.tables for row in table.rows]
        text = "\n".join(lines)
        out[lang] = re.sub(r"\s+", "", text) if lang == "zh" else re.sub(r"\s+", " ", text)
    return out


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(EDITS, min_size=2, max_size=6))
def test_the_word_files_state_the_tables_numbers(edits):
    content = apply(example_agreement(), edits)
    texts = docx_texts(content)
    assert_text_matches_table(content, texts)
    for key in PHRASES:  # the standards table of the same file
        spec = clauses.STANDARD_BY_KEY[key]
        value = clauses.format_value(spec, next(s["value"] for s in content["standards"]
                                                if s["key"] == key))
        assert f"{spec.label_zh}{value}{spec.unit_zh}" in texts["zh"], key
        assert f"{spec.label_en} {value} {spec.unit_en}" in texts["en"], key


def test_the_reported_contradictions_cannot_be_built():
    """第五条 once read "停止派单0分钟", and a 10.5 h daily limit left the article at 11 h."""
    content = example_agreement()
    edited = A.set_standard(content, "max_daily_hours", 10.5)
    hours = next(a for a in edited["articles"] if a["key"] == "hours")
    assert "10.5小时" in hours["text_zh"] and "10.5 hours" in hours["text_en"]
    assert "12小时" not in hours["text_zh"] and "12 hours" not in hours["text_en"]
    with pytest.raises(ValidationError) as refused:
        A.set_standard(content, "rest_minutes", 0)
    assert "rest_minutes" in refused.value.errors
    package = {k: v for k, v in EXAMPLE_PACKAGE.items() if k != "rest_minutes"}
    with pytest.raises(ValidationError) as missing:
        example_agreement(package)
    assert "package.rest_minutes" in missing.value.errors


def test_a_hand_edit_marks_the_other_language_and_a_stale_number_is_found():
    content = example_agreement()
    hours = next(a for a in content["articles"] if a["key"] == "hours")
    edited = A.edit_article(content, "hours", text_zh=hours["text_zh"].replace("劳动者", "骑手"))
    assert next(a for a in edited["articles"] if a["key"] == "hours")["review"] == ["en"]
    assert [p.lang for p in consistency.problems(edited)] == ["en"]
    with pytest.raises(IllegalTransition):
        consistency.ensure_consistent(edited)
    # Editing the language under review answers it; the tick answers it without a change.
    answered = A.edit_article(edited, "hours", text_en=hours["text_en"].replace("worker", "rider"))
    assert "review" not in next(a for a in answered["articles"] if a["key"] == "hours")
    ticked = A.edit_article(edited, "hours", reviewed=True)
    assert consistency.problems(ticked) == []
    # A standard changed later rewrites the generated English but not the hand-written Chinese,
    # whose old number is then reported.
    changed = A.set_standard(ticked, "max_daily_hours", 10.5)
    article = next(a for a in changed["articles"] if a["key"] == "hours")
    assert "10.5 hours" in article["text_en"] and "12小时" in article["text_zh"]
    found = consistency.problems(changed)
    assert {p.lang for p in found} == {"zh", ""} and "10.5" in str(found[0].message)
    regenerated = A.edit_article(changed, "hours", regenerate=True)
    assert consistency.problems(regenerated) == []


def test_languages_that_state_different_numbers_disagree():
    content = example_agreement()
    weather = next(a for a in content["articles"] if a["key"] == "weather")
    edited = A.edit_article(content, "weather", text_zh=weather["text_zh"].replace("6小时", "5小时"),
                            text_en=weather["text_en"], reviewed=True)
    assert [p.lang for p in consistency.problems(edited)] == [""]


def test_ratios_are_typed_in_per_cent_and_whole_units_stay_whole():
    spec = clauses.STANDARD_BY_KEY["allowance_ratio"]
    assert limits.parse_input(spec, "15") == 0.15 and limits.parse_input(spec, "15%") == 0.15
    assert limits.parse_input(clauses.STANDARD_BY_KEY["rest_minutes"], "abc") is None
    edited = A.set_standard(example_agreement(), "allowance_ratio", 0.2)
    assert "按接单时间的20%" in next(a for a in edited["articles"] if a["key"] == "hours")["text_zh"]
    with pytest.raises(ValidationError):
        A.set_standard(example_agreement(), "settlement_cycle_days", 7.5)
