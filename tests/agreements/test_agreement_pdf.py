"""The printed agreement, read back: articles, values, deadlines, pages, watermark, fonts, PDF/A."""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from app.agreements import example, versions
from app.agreements import clauses
from app.reports import agreement_annex, pdf


def _text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", "", text), len(reader.pages)


@pytest.fixture(scope="module")
def agreement():
    return example.example_agreement()


@pytest.fixture(scope="module")
def annex():
    return agreement_annex.simulated_effect(None, example.EXAMPLE_PACKAGE)


@pytest.fixture(scope="module")
def draft_pdf(agreement, annex):
    return pdf.render_agreement(agreement, annex=annex)


@pytest.fixture(scope="module")
def signed_pdf(agreement):
    return pdf.render_signed(agreement, signed_on=dt.date(2026, 11, 20))


def test_draft_has_every_article_standard_and_deadline(agreement, draft_pdf):
    text, pages = _text(draft_pdf)
    assert pages >= 6
    assert agreement["title_zh"] in text
    for n, article in enumerate(agreement["articles"], start=1):
        assert f"{clauses.article_heading(n, 'zh')}{article['title_zh']}" in text
    for standard in agreement["standards"]:
        assert standard["label_zh"] in text
        assert standard["display"] in text
    for phrase in ("受理之日起30日内结束，最多延长15日", "1年内申请", "收到仲裁裁决书之日起15日内起诉",
                   "10日内报送劳动行政部门", "15日内未提出异议", "10日内", "每年至少开展一次",
                   "至少提前30日"):
        assert phrase in text, phrase
    assert "附件" in text and "方案效果测算" in text and "现行规则" in text


def test_page_footer_counts_pages_and_carries_the_fingerprint(agreement, draft_pdf):
    text, pages = _text(draft_pdf)
    for n in range(1, pages + 1):
        assert f"第{n}页共{pages}页" in text
    assert versions.short_fingerprint(agreement).replace(" ", "") in text


def test_watermark_only_on_drafts(draft_pdf, signed_pdf):
    reader = PdfReader(io.BytesIO(draft_pdf))
    assert all("草案 DRAFT" in page.extract_text() for page in reader.pages)
    signed_text, _ = _text(signed_pdf)
    assert "草案" not in signed_text and "DRAFT" not in signed_text
    assert "李红梅" in signed_text and "2026年11月20日" in signed_text


def test_english_rendering(agreement):
    text, _ = _text(pdf.render_agreement(agreement, lang="en"))
    assert "Article1Purposeandbasis" in text and "Article15Finalprovisions" in text
    assert "within30daysofacceptance,extendablebyatmost15days" in text
    assert "Page1of" in text


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils missing")
def test_fonts_are_embedded_and_subset(tmp_path, draft_pdf):
    path = tmp_path / "a.pdf"
    path.write_bytes(draft_pdf)
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert lines and any("Noto-Sans-CJK-SC" in line for line in lines)
    for line in lines:
        name, emb, sub = line.split()[0], line.split()[-5], line.split()[-4]
        assert re.match(r"^[A-Z]{6}\+", name), line
        assert (emb, sub) == ("yes", "yes"), line


def test_signed_copy_is_pdfa_with_the_standards_attached(agreement, signed_pdf):
    reader = PdfReader(io.BytesIO(signed_pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp
    files = reader.attachments
    assert pdf.STANDARDS_ATTACHMENT in files
    data = files[pdf.STANDARDS_ATTACHMENT][0]
    assert data == versions.standards_json_bytes(agreement)
    doc = json.loads(data)
    assert doc["agreement_sha256"] == versions.fingerprint(agreement)
    assert {s["key"]: s["value"] for s in doc["standards"]}["base_per_order"] == 7.0


def test_verification_accepts_the_original_and_rejects_a_modified_copy(signed_pdf):
    digest = pdf.sha256(signed_pdf)
    assert pdf.verify(signed_pdf, digest)
    assert pdf.verify(signed_pdf, digest.upper())
    middle = len(signed_pdf) // 2
    tampered = signed_pdf[:middle] + bytes([signed_pdf[middle] ^ 1]) + signed_pdf[middle + 1:]
    assert tampered != signed_pdf and not pdf.verify(tampered, digest)
    assert not pdf.verify(b"", digest)


@pytest.mark.parametrize("kind,expected", [
    ("offer", "集体协商要约书"), ("reply", "集体协商回应书"), ("minutes", "集体协商会议纪要"),
    ("coordination", "集体协商争议协调处理协议书")])
def test_procedural_documents_print(kind, expected):
    data = pdf.render_document(
        kind, number="郑工协〔2026〕1号", addressee="速达外卖平台（示例）",
        meta=[("发出方", "郑州市新就业形态劳动者工会联合会（示例）")],
        sections=[("协商事项", "劳动报酬和工作时间。\n\n第二段。")],
        terms=pdf.package_rows(example.EXAMPLE_PACKAGE),
        signatures=[("工会方首席协商代表", "李红梅"), ("企业方首席协商代表", "王建国")],
        issued_on=dt.date(2026, 9, 1))
    text, pages = _text(data)
    assert expected in text and "每单基础单价" in text and "7.00" in text
    assert "李红梅" in text and "2026年9月1日" in text and pages >= 1


def test_unknown_language_or_kind_is_refused(agreement):
    with pytest.raises(ValueError):
        pdf.agreement_html(agreement, lang="fr")
    with pytest.raises(ValueError):
        pdf.document_html("memo")
