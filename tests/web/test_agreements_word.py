"""Word downloads beside the PDFs: the agreement (both languages), the offer and the minutes,
with the PDF's access rules and the PDF's text; ``flask agreements render --format docx``."""
from __future__ import annotations

import io

from docx import Document
from sqlalchemy import select

from app.agreements.models import Agreement, AgreementVersion
from app.reports import agreement_docx
from app.reports import procedure_documents as documents
from tests.negotiations.helpers import make_outsider, negotiation, user
from tests.reports.word import docx_items, missing_from_pdf, squash

DOCX = agreement_docx.MIMETYPE


def test_agreement_word_is_the_pdf_text_in_both_languages(client, auth, session):
    n = negotiation(session, "consultation")
    auth.login("union")
    page = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    for lang in ("zh", "en"):
        url = f"/negotiations/{n.id}/agreement.docx?lang={lang}"
        assert url.replace("?", "?").replace("&", "&amp;") in page or url in page
        word = client.get(url)
        assert word.status_code == 200 and word.mimetype == DOCX
        assert ".docx" in word.headers["Content-Disposition"]
        printed = client.get(f"/negotiations/{n.id}/agreement.pdf?lang={lang}")
        assert missing_from_pdf(word.data, printed.data) == []
        text = squash("".join(docx_items(word.data)))
        assert ("第一条" if lang == "zh" else "Article1") in text
    # an older version, as the versions list offers it
    old = client.get(f"/negotiations/{n.id}/agreement.docx?lang=zh&version=1")
    v1 = session.scalar(select(AgreementVersion).join(Agreement).where(
        Agreement.negotiation_id == n.id, AgreementVersion.number == 1))
    assert old.status_code == 200
    assert v1.fingerprint[:32] in squash("".join(docx_items(old.data)))
    assert client.get(f"/negotiations/{n.id}/agreement.docx?lang=fr").status_code == 400
    assert client.get(f"/negotiations/{n.id}/agreement.docx?version=99").status_code == 404


def test_offer_and_minutes_as_word_have_the_pdf_text(client, auth, session):
    n = negotiation(session, "in_force")
    docs = documents.available(session, user(session, "mediator"), n)
    assert {"offer", "minutes"} <= {kind for kind, _, _ in docs}
    auth.login("mediator")
    page = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    for kind, record_id, _ in docs:
        url = f"/negotiations/{n.id}/documents/{kind}/{record_id}.docx"
        assert url in page
        word = client.get(url)
        assert word.status_code == 200 and word.mimetype == DOCX
        printed = client.get(f"/negotiations/{n.id}/documents/{kind}/{record_id}.pdf")
        assert missing_from_pdf(word.data, printed.data) == [], kind
        title = Document(io.BytesIO(word.data)).paragraphs[0].text
        assert squash(title) in {"集体协商要约书", "集体协商回应书", "集体协商会议纪要",
                                 "集体协商争议协调处理协议书"}


def test_word_is_private_to_the_parties(client, auth, session):
    n = negotiation(session, "in_force")
    kind, record_id, _ = documents.available(session, user(session, "mediator"), n)[0]
    make_outsider(session)
    auth.login("outsider")
    assert client.get(f"/negotiations/{n.id}/agreement.docx").status_code == 404
    assert client.get(f"/negotiations/{n.id}/documents/{kind}/{record_id}.docx").status_code \
        == 404
    auth.logout()
    auth.login("mediator")
    assert client.get(f"/negotiations/{n.id}/documents/memo/1.docx").status_code == 404
    assert client.get(f"/negotiations/{n.id}/documents/minutes/999999.docx").status_code == 404


def test_cli_renders_word_and_keeps_pdf_the_default(runner, session, tmp_path):
    n = negotiation(session, "in_force")
    out = tmp_path / "a.docx"
    result = runner.invoke(args=["agreements", "render", "--negotiation", str(n.id),
                                 "--format", "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = squash("".join(docx_items(out.read_bytes())))
    assert "第一条" in text and "草案" not in text  # the signed text, without the draft mark
    en = tmp_path / "en.docx"
    assert runner.invoke(args=["agreements", "render", "--negotiation", str(n.id), "--format",
                               "docx", "--lang", "en", "--output", str(en)]).exit_code == 0
    assert "Article1" in squash("".join(docx_items(en.read_bytes())))
    default = tmp_path / "a.pdf"
    assert runner.invoke(args=["agreements", "render", "--negotiation", str(n.id), "--output",
                               str(default)]).exit_code == 0
    assert default.read_bytes().startswith(b"%PDF")
    bad = runner.invoke(args=["agreements", "render", "--negotiation", str(n.id), "--format",
                              "odt", "--output", str(tmp_path / "x")])
    assert bad.exit_code != 0 and not (tmp_path / "x").exists()
    missing = runner.invoke(args=["agreements", "render", "--negotiation", "999", "--format",
                                  "docx", "--output", str(tmp_path / "y.docx")])
    assert missing.exit_code != 0
