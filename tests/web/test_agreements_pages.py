"""Agreement pages: drafting, inline edits, versions and redline, approvals, freeze, sign, PDF,
verification; refusals answer 400/403/404/409 and write nothing."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.agreements.models import (Agreement, AgreementApproval, AgreementComment,
                                               AgreementVersion, SignedCopy)
from tests.negotiations.helpers import make_outsider, negotiation

HX = {"HX-Request": "true"}


def written(session):
    session.expire_all()
    counts = tuple(session.scalar(select(func.count()).select_from(m))
                   for m in (Agreement, AgreementVersion, AgreementComment, AgreementApproval,
                             SignedCopy))
    audited = session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action.like("agreement.%")))
    return counts + (audited,)


def agreement_of(session, key):
    session.expire_all()
    n = negotiation(session, key)
    return n.id, session.scalar(select(Agreement).where(Agreement.negotiation_id == n.id))


def upload(auth, data: bytes):
    """POST a PDF to the verification page as raw multipart bytes (the test client would spool
    a large upload to a temporary file it never closes)."""
    boundary = "xieshangboundary7"
    token = auth.token("/agreements/verify")
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode() + data \
        + f"\r\n--{boundary}--\r\n".encode()
    return auth.client.post("/agreements/verify", data=body,
                            content_type=f"multipart/form-data; boundary={boundary}")


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def test_draft_page_shows_articles_standards_versions_and_comments(client, auth, session):
    n_id, _ = agreement_of(session, "consultation")
    auth.login("union")
    page = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    for text in ("第一条", "目的和依据", "争议处理", "每单基础单价", "9.40", "标准调整机制",
                 "建议在第四条中明确", "approved" if "approved" in page else "已认可"):
        assert text in page, text
    assert 'name="number" value="2"' in page  # the union may approve version 2
    assert "Edit wording" not in page and "修改措辞" not in page  # only the mediator edits


def test_mediator_edits_an_article_inline_and_as_a_plain_form(client, auth, session):
    n_id, agreement = agreement_of(session, "consultation")
    auth.login("mediator")
    form = client.get(f"/negotiations/{n_id}/agreement/articles/dispatch/edit",
                      headers={**HX, "HX-Target": "article-dispatch"})
    assert form.status_code == 200 and "<textarea" in form.get_data(as_text=True)
    assert "<html" not in form.get_data(as_text=True)
    text = "劳动者连续接单达到4小时的，平台应推送休息提示并暂停派单20分钟。"
    saved = auth.post(f"/negotiations/{n_id}/agreement/articles/dispatch",
                      {"base": "2", "text_zh": text},
                      headers={**HX, "HX-Target": "article-dispatch"})
    assert saved.status_code == 200
    body = saved.get_data(as_text=True)
    assert "暂停派单20分钟" in body and "<html" not in body
    # the same form without htmx: a new version and a redirect to the page
    plain = auth.post(f"/negotiations/{n_id}/agreement/articles/dispatch",
                      {"base": "3", "text_zh": text + "每日工作时间累计达到12小时的，当日停止派单。"})
    assert plain.status_code == 302
    session.expire_all()
    numbers = session.scalars(select(AgreementVersion.number).where(
        AgreementVersion.agreement_id == agreement.id).order_by(AgreementVersion.number)).all()
    assert numbers == [1, 2, 3, 4]
    red = client.get(f"/negotiations/{n_id}/agreement/redline?old=2&new=4").get_data(as_text=True)
    assert "<ins>" in red and "<del>" in red and "暂" in red


def test_bad_edits_are_refused_and_write_nothing(client, auth, session):
    n_id, _ = agreement_of(session, "consultation")
    before = written(session)
    auth.login("mediator")
    blank = auth.post(f"/negotiations/{n_id}/agreement/articles/dispatch",
                      {"base": "2", "text_zh": "   "})
    assert blank.status_code == 400 and "内容不能为空" in blank.get_data(as_text=True)
    stale = auth.post(f"/negotiations/{n_id}/agreement/articles/dispatch",
                      {"base": "1", "text_zh": "新的措辞"})
    assert stale.status_code == 409
    missing = auth.post(f"/negotiations/{n_id}/agreement/articles/nope", {"text_zh": "x"})
    assert missing.status_code in (400, 404)
    bad_value = auth.post(f"/negotiations/{n_id}/agreement/standards/base_per_order",
                          {"base": "2", "value": "abc"})
    assert bad_value.status_code == 400 and "请填写数字" in bad_value.get_data(as_text=True)
    auth.logout()
    auth.login("union")
    forbidden = auth.post(f"/negotiations/{n_id}/agreement/articles/dispatch",
                          {"base": "2", "text_zh": "工会改的"})
    assert forbidden.status_code == 403
    assert written(session) == before


def test_outsiders_get_404_and_learn_nothing(client, auth, session):
    n_id, _ = agreement_of(session, "consultation")
    make_outsider(session)
    auth.login("outsider")
    assert client.get(f"/negotiations/{n_id}/agreement").status_code == 404
    assert client.get(f"/negotiations/{n_id}/agreement.pdf").status_code == 404
    assert auth.post(f"/negotiations/{n_id}/agreement/comments",
                     {"body": "x"}).status_code == 404


def test_approvals_freeze_and_frozen_refuses_changes(client, auth, session):
    n_id, agreement = agreement_of(session, "consultation")
    auth.login("mediator")
    early = auth.post(f"/negotiations/{n_id}/agreement/freeze")
    assert early.status_code == 409  # the union has not approved version 2 yet
    auth.logout()
    auth.login("union")
    assert auth.post(f"/negotiations/{n_id}/agreement/approve", {"number": "1"}).status_code == 409
    assert auth.post(f"/negotiations/{n_id}/agreement/approve", {"number": "2"}).status_code == 302
    assert auth.post(f"/negotiations/{n_id}/agreement/approve", {"number": "2"}).status_code == 409
    auth.logout()
    auth.login("mediator")
    assert auth.post(f"/negotiations/{n_id}/agreement/freeze").status_code == 302
    _, agreement = agreement_of(session, "consultation")
    assert agreement.status == "frozen" and agreement.frozen_number == 2
    before = written(session)
    assert auth.post(f"/negotiations/{n_id}/agreement/articles/dispatch",
                     {"base": "2", "text_zh": "冻结后修改"}).status_code == 409
    assert auth.post(f"/negotiations/{n_id}/agreement/standards/base_per_order",
                     {"base": "2", "value": "9"}).status_code == 409
    # the workers have not voted in this negotiation: no signing
    assert auth.post(f"/negotiations/{n_id}/agreement/sign", {}).status_code == 409
    assert written(session) == before


def test_signed_agreement_is_immutable_and_downloads_the_original(client, auth, session):
    n_id, agreement = agreement_of(session, "in_force")
    copy = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    assert agreement.status == "signed" and copy is not None
    auth.login("mediator")
    before = written(session)
    for url, data in ((f"/negotiations/{n_id}/agreement/articles/dispatch", {"text_zh": "x"}),
                      (f"/negotiations/{n_id}/agreement/articles/term",
                       {"base": "1", "text_zh": "x"}),
                      (f"/negotiations/{n_id}/agreement/freeze", {}),
                      (f"/negotiations/{n_id}/agreement/sign", {}),
                      (f"/negotiations/{n_id}/agreement", {"term_years": "2"})):
        assert auth.post(url, data).status_code == 409, url
    assert written(session) == before
    pdf = client.get(f"/negotiations/{n_id}/agreement.pdf?lang=zh")
    assert pdf.mimetype == "application/pdf" and "attachment" in pdf.headers["Content-Disposition"]
    assert pdf.data == copy.pdf
    assert "草案" not in pdf_text(pdf.data)


def test_draft_pdf_has_the_watermark_and_english_on_request(client, auth, session):
    n_id, _ = agreement_of(session, "consultation")
    auth.login("platform")
    zh = client.get(f"/negotiations/{n_id}/agreement.pdf?lang=zh")
    assert zh.status_code == 200 and "草案 DRAFT" in pdf_text(zh.data)
    en = client.get(f"/negotiations/{n_id}/agreement.pdf?lang=en&version=1")
    text = pdf_text(en.data)
    assert "Article 1" in text and "Page 1 of" in text
    assert client.get(f"/negotiations/{n_id}/agreement.pdf?lang=fr").status_code == 400
    assert client.get(f"/negotiations/{n_id}/agreement.pdf?version=99").status_code == 404


def test_verification_accepts_the_original_and_rejects_a_modified_copy(client, auth, session):
    _, agreement = agreement_of(session, "in_force")
    original = session.scalar(select(SignedCopy.pdf).where(SignedCopy.agreement_id == agreement.id))
    auth.login("union")
    ok = upload(auth, original)
    assert ok.status_code == 200 and "agr-verified" in ok.get_data(as_text=True)
    changed = original[:-10] + b"0" + original[-9:]
    bad = upload(auth, changed)
    assert bad.status_code == 200 and "agr-not-verified" in bad.get_data(as_text=True)
    empty = auth.post("/agreements/verify", {})
    assert empty.status_code == 400
    auth.logout()
    auth.login("platform")  # the delivery platform takes no part in the ride-hailing agreement
    hidden = upload(auth, original)
    assert "agr-not-verified" in hidden.get_data(as_text=True)


def test_building_needs_an_offer_and_happens_once(client, auth, session):
    n_id, agreement = agreement_of(session, "awaiting")
    assert agreement is None
    auth.login("union")
    assert auth.post(f"/negotiations/{n_id}/agreement",
                     {"term_years": "2", "effective": "2027-01-01"}).status_code == 403
    auth.logout()
    auth.login("mediator")
    page = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    assert 'name="offer_id"' in page
    before = written(session)
    missing = auth.post(f"/negotiations/{n_id}/agreement",
                        {"term_years": "5", "effective": "no"})
    body = missing.get_data(as_text=True)
    assert missing.status_code == 400 and "尚无双方认可的方案" in body and "日期格式" in body
    assert written(session) == before
    from app.negotiations import offers as offer_service
    offer = offer_service.sent_offers(session, negotiation(session, "awaiting"))[-1]
    made = auth.post(f"/negotiations/{n_id}/agreement",
                     {"offer_id": str(offer.id), "term_years": "1", "effective": "2027-01-01"})
    assert made.status_code == 302, made.get_data(as_text=True)
    again = auth.post(f"/negotiations/{n_id}/agreement",
                      {"offer_id": str(offer.id), "term_years": "1", "effective": "2027-01-01"})
    assert again.status_code == 409
    page = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    assert "每日工作时间上限" in page and "2027-12-31" in page


def test_cli_renders_the_signed_original(runner, session, tmp_path):
    n_id, agreement = agreement_of(session, "in_force")
    out = tmp_path / "a.pdf"
    result = runner.invoke(args=["agreements", "render", "--negotiation", str(n_id),
                                 "--output", str(out)])
    assert result.exit_code == 0, result.output
    copy = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    assert out.read_bytes() == copy.pdf
    en = tmp_path / "en.pdf"
    assert runner.invoke(args=["agreements", "render", "--negotiation", str(n_id), "--output",
                               str(en), "--lang", "en"]).exit_code == 0
    assert "Article 1" in pdf_text(en.read_bytes())
    missing = runner.invoke(args=["agreements", "render", "--negotiation", "999", "--output",
                                  str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0


def test_negotiation_page_links_to_its_agreement(client, auth, session):
    n_id, _ = agreement_of(session, "in_force")
    auth.login("union")
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    assert f"/negotiations/{n_id}/agreement" in page and "agr-signed" in page
    other, _ = agreement_of(session, "awaiting")
    page = client.get(f"/negotiations/{other}").get_data(as_text=True)
    assert f"/negotiations/{other}/agreement" in page


def test_a_changed_standard_shows_in_the_redline(client, auth, session):
    n_id, _ = agreement_of(session, "consultation")
    auth.login("mediator")
    saved = auth.post(f"/negotiations/{n_id}/agreement/standards/base_per_order",
                      {"base": "2", "value": "6.8"})
    assert saved.status_code == 302
    red = client.get(f"/negotiations/{n_id}/agreement/redline?old=2&new=3").get_data(as_text=True)
    assert "<del>9.40</del>" in red and "<ins>6.80</ins>" in red and "每单基础单价" in red
    same = client.get(f"/negotiations/{n_id}/agreement/redline?old=3&new=3").get_data(as_text=True)
    assert "agr-diff" not in same
    assert client.get(f"/negotiations/{n_id}/agreement/redline?old=1&new=9").status_code == 404


def test_dashboard_lists_agreements_waiting_for_the_side(client, auth, session):
    auth.login("union")
    page = client.get("/dashboard").get_data(as_text=True)
    # The title is this negotiation's own (速达外卖骑手劳动报酬专项集体协商 → …集体合同).
    assert "agr-dashboard" in page and "速达外卖骑手劳动报酬专项集体合同" in page
    auth.logout()
    auth.login("platform")  # the platform already approved version 2
    page = client.get("/dashboard").get_data(as_text=True)
    assert "agr-dashboard" in page and "速达外卖骑手劳动报酬专项集体合同" not in page


def test_full_path_to_a_signed_original_through_the_pages(client, auth, session):
    from app.negotiations import offers as offer_service
    from app.negotiations import records as nrecords
    from app.negotiations import steps as step_service
    from tests.negotiations.helpers import NOW, user
    n = negotiation(session, "awaiting")
    day = nrecords.local_today(NOW).isoformat()
    offer_service.reply_to_offer(session, user(session, "platform"), n.id,
                            {"answer": "accept", "on": day}, now=NOW)
    offer = offer_service.sent_offers(session, n)[-1]
    step_service.record_step(session, user(session, "mediator"), n.id, "agree_draft", {
        "on": day, "offer_id": str(offer.id), "signed_by_worker_chief": "1",
        "signed_by_employer_chief": "1"}, now=NOW)
    auth.login("mediator")
    assert auth.post(f"/negotiations/{n.id}/agreement",
                     {"term_years": "3", "effective": "2027-01-01"}).status_code == 302
    for username in ("union", "platform"):
        auth.logout()
        auth.login(username)
        assert auth.post(f"/negotiations/{n.id}/agreement/approve",
                         {"number": "1"}).status_code == 302
    auth.logout()
    auth.login("mediator")
    assert auth.post(f"/negotiations/{n.id}/agreement/freeze").status_code == 302
    assert auth.post(f"/negotiations/{n.id}/agreement/sign").status_code == 409  # no vote yet
    step_service.record_vote(session, user(session, "mediator"), n.id, {
        "held_on": day, "body": "congress", "members": "100", "present": "80",
        "in_favour": "70"}, now=NOW)
    bad = auth.post(f"/negotiations/{n.id}/agreement/sign", {"signed_on": "2099-01-01"})
    assert bad.status_code == 400 and "日期不能晚于今天" in bad.get_data(as_text=True)
    assert auth.post(f"/negotiations/{n.id}/agreement/sign",
                     {"signed_on": day, "lang": "zh"}).status_code == 302
    _, agreement = agreement_of(session, "awaiting")
    copy = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    assert agreement.status == "signed" and copy.number == 1
    download = client.get(f"/negotiations/{n.id}/agreement.pdf?lang=zh")
    assert download.data == copy.pdf
    text = re.sub(r"\s+", "", pdf_text(copy.pdf))
    assert "草案" not in text and "2029年12月31日" in text
