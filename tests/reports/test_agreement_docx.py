"""The agreement as Word: the PDF's text, read back with python-docx and pypdf, in both
languages; Chinese fonts set for Word and WPS; articles numbered 第一条… as headings."""
from __future__ import annotations

import io

import pytest
from docx import Document
from docx.oxml.ns import qn

from app.agreements import document as A
from app.agreements.example import example_agreement
from app.reports import agreement_annex, agreement_docx, pdf
from tests.reports.word import docx_items, in_order, missing_from_pdf, pdf_text, squash

FLOOR = None


@pytest.fixture(scope="module")
def annexes():
    a = example_agreement()
    package = {s["key"]: s["value"] for s in a["standards"]}
    return {lang: agreement_annex.simulated_effect(None, package, lang=lang)
            for lang in ("zh", "en")}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_word_has_the_pdf_text_in_the_pdf_order(lang, annexes):
    a = example_agreement()
    a = A.edit_article(a, a["articles"][1]["key"], **{f"text_{lang}": "第一段。\n\n第二段 12.5 元。"})
    word = agreement_docx.agreement_docx(a, lang=lang, annex=annexes[lang])
    printed = pdf.render_agreement(a, lang=lang, annex=annexes[lang])
    assert missing_from_pdf(word, printed) == []
    items = docx_items(word)
    text = squash("".join(items))
    # every article's heading, title and paragraph, and every standard's value, in both
    for art in pdf.print_articles(a, lang, None):
        for needle in [art["heading"], art["title"], *art["paragraphs"]]:
            assert squash(needle) in text and squash(needle) in pdf_text(printed), needle
    for s in a["standards"]:
        assert s["display"] in items
    headings = [art["heading"] for art in pdf.print_articles(a, lang, None)]
    assert in_order(headings, text) and in_order(headings, pdf_text(printed))
    assert squash(annexes[lang]["figures"][0]["package"]) in text
    assert len(items) > 100


def test_articles_are_headings_numbered_in_chinese_and_fonts_are_east_asian():
    a = example_agreement()
    doc = Document(io.BytesIO(agreement_docx.agreement_docx(a, lang="zh", draft=False)))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == [f"第{n}条\u3000{art['title_zh']}" for n, art in
                            zip("一二三", a["articles"])]
    assert len(headings) == len(a["articles"])
    assert any(h.startswith("第十条") for h in headings) == (len(a["articles"]) >= 10)
    for style, font in (("Normal", "宋体"), ("Heading 2", "黑体"), ("Title", "宋体")):
        fonts = doc.styles[style].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, style
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=0.5)
    # signed: no draft mark, the chiefs' names on the signature lines
    text = squash("".join(docx_items(agreement_docx.agreement_docx(
        a, lang="zh", draft=False, signed_on=__import__("datetime").date(2026, 12, 1)))))
    assert "草案" not in text and "李红梅" in text and "2026年12月1日" in text


def test_procedural_document_has_the_pdf_text():
    kwargs = {"number": "第1轮", "addressee": "速达外卖平台（示例）",
              "meta": [("发出方", "郑州市新就业形态劳动者工会联合会（示例）"), ("发出日期", "2026-10-01")],
              "sections": [("", "请于收到本要约书之日起20日内书面回应。"), ("协商方案", "如下表。"),
                           ("理由", "第一段\n第二段")],
              "terms": pdf.package_rows({"base_per_order": 7.5, "max_daily_hours": 10}),
              "terms_after": 1, "signatures": [("工会方首席协商代表（签字）", "李红梅")]}
    word = agreement_docx.document_docx("offer", lang="zh", **kwargs)
    printed = pdf.render_document("offer", lang="zh", **kwargs)
    assert missing_from_pdf(word, printed) == []
    text = squash("".join(docx_items(word)))
    for needle in ("集体协商要约书", "7.50", "20日内书面回应", "第二段", "李红梅"):
        assert needle in text
