"""Journey in Chromium: the order of the law. The draft is agreed; the vote waits for a frozen
text; the mediator builds the agreement, both sides approve, it is frozen; the workers' vote is
recorded on that version (the form names it); the agreement page then offers signing, not a
second vote; the chiefs sign, the agreement is filed; Word and PDF download."""
from __future__ import annotations

import io
import os

from docx import Document

from tests.browser.conftest import login
from tests.browser.test_journey_agreement import agree_on_the_offer, logout

SHOTS = os.environ.get("XIESHANG_SHOTS")  # optional folder to keep the screenshots in


def shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def open_vote(page):
    page.click("#action-form-vote > summary")
    page.wait_for_selector("#action-form-vote[open] #form-vote")


def test_draft_freeze_vote_on_that_version_sign_file(page, live_server, sqlite_url, tmp_path):
    base = live_server
    n_id = agree_on_the_offer(sqlite_url)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, base, "mediator")

    # 1. The draft is agreed but no text is frozen: the vote form says so and links the text.
    page.goto(f"{base}/negotiations/{n_id}")
    open_vote(page)
    assert page.locator("#form-vote input[name=members]").count() == 0
    assert "冻结" in page.inner_text("#form-vote")
    page.click("#form-vote a.button")
    page.wait_for_url(f"{base}/negotiations/{n_id}/agreement")

    # 2. Draft, approvals, freeze.
    page.fill("#f-effective", "2027-01-01")
    page.click("button.primary")
    page.wait_for_selector("#article-dispatch")
    logout(page)
    for side in ("union", "platform"):
        login(page, base, side)
        page.goto(f"{base}/negotiations/{n_id}/agreement")
        page.click("#approvals button.primary")
        page.wait_for_selector("#approvals .badge.ok")
        logout(page)
    login(page, base, "mediator")
    page.goto(f"{base}/negotiations/{n_id}/agreement")
    page.click("form[action$='/agreement/freeze'] button")
    page.wait_for_selector("#vote")
    vote_box = page.inner_text("#vote")
    assert "第1版" in vote_box and "尚未" in vote_box
    assert page.locator("form[action$='/agreement/sign']").count() == 0
    shot(page, tmp_path, "agreement-frozen-awaiting-vote")

    # 3. The vote, on the negotiation page, names the frozen version.
    page.click("#vote a.button")
    page.wait_for_url(f"{base}/negotiations/{n_id}*")
    open_vote(page)
    assert "第1版" in page.inner_text("#form-vote .vote-version")
    page.fill("#form-vote-members", "120")
    page.fill("#form-vote-present", "100")
    page.fill("#form-vote-in_favour", "90")
    page.click("#form-vote button.primary")
    page.wait_for_selector(".badge.state:has-text('职工审议通过')")

    # 4. The agreement page shows that vote and offers signing, not another vote.
    page.goto(f"{base}/negotiations/{n_id}/agreement")
    vote_box = page.inner_text("#vote")
    assert "已于" in vote_box and "90" in vote_box
    assert page.locator("#vote a.button").count() == 0
    shot(page, tmp_path, "agreement-voted")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, tmp_path, "agreement-voted-phone")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.click("form[action$='/agreement/sign'] button.primary")
    page.wait_for_selector(".badge.agr-signed")

    # 5. The chiefs' signatures and the filing, on the negotiation page.
    page.goto(f"{base}/negotiations/{n_id}")
    page.click("#action-form-sign > summary")
    page.wait_for_selector("#action-form-sign[open] form#form-sign")
    page.check("#form-sign-signed_by_worker_chief")
    page.check("#form-sign-signed_by_employer_chief")
    page.click("#form-sign button.primary")
    page.wait_for_selector(".badge.state:has-text('已签订')")
    page.click("#action-form-file > summary")
    page.wait_for_selector("#action-form-file[open] form#form-file")
    page.fill("#form-file-authority", "郑州市人力资源和社会保障局")
    page.click("#form-file button.primary")
    page.wait_for_selector(".badge.state:has-text('已报送')")

    # The signed text as Word, from the agreement page.
    page.goto(f"{base}/negotiations/{n_id}/agreement")
    with page.expect_download() as info:
        page.click(f"a[href$='/negotiations/{n_id}/agreement.docx?lang=zh']")
    path = tmp_path / "agreement.docx"
    info.value.save_as(path)
    doc = Document(io.BytesIO(path.read_bytes()))
    text = "".join(p.text for p in doc.paragraphs)
    assert "第一条" in text and "草案" not in text
