"""Agreement journey in Chromium: the mediator builds the agreement from the accepted offer and
edits a clause inline; both sides approve; the PDF downloads."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.auth.models import User
from app.db import make_engine, make_session_factory
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import steps as step_service
from tests.browser.conftest import login
from tests.conftest import DEMO_NOW
from tests.negotiations.helpers import negotiation


def agree_on_the_offer(url: str) -> int:
    """The awaiting demo negotiation: the platform accepts the offer, the draft is agreed."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        n = negotiation(session, "awaiting")
        users = {u.username: u for u in session.scalars(select(User))}
        now = DEMO_NOW + dt.timedelta(hours=1)
        day = nrecords.local_today(now).isoformat()
        offer_service.reply_to_offer(session, users["platform"], n.id,
                                {"answer": "accept", "on": day}, now=now)
        offer = offer_service.sent_offers(session, n)[-1]
        step_service.record_step(session, users["mediator"], n.id, "agree_draft", {
            "on": day, "offer_id": str(offer.id), "signed_by_worker_chief": "1",
            "signed_by_employer_chief": "1"}, now=now)
        negotiation_id = n.id
    engine.dispose()
    return negotiation_id


def logout(page):
    page.click("form[action$='/logout'] button")
    page.wait_for_url("**/login*")


def test_mediator_drafts_sides_approve_pdf_downloads(page, live_server, sqlite_url, tmp_path):
    n_id = agree_on_the_offer(sqlite_url)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "mediator")
    page.goto(f"{live_server}/negotiations/{n_id}/agreement")
    page.fill("#f-effective", "2027-01-01")
    page.select_option("#f-term_years", "2")
    page.click("button.primary")
    page.wait_for_selector("#article-dispatch")
    assert "每日工作时间上限" in page.content()

    page.evaluate("window.__noReload = true")
    page.click("#article-dispatch .agr-edit a")
    page.wait_for_selector("#article-dispatch textarea[name=text_zh]")
    page.fill("#article-dispatch textarea[name=text_zh]",
              "派单和预估送达时间采用“算法取中”原则。平台调整派单算法前，应提前30日听取工会意见。")
    page.click("#article-dispatch button.primary")
    page.wait_for_selector("#article-dispatch .agr-edit a")
    assert "提前30日听取工会意见" in page.inner_text("#article-dispatch")
    assert page.evaluate("window.__noReload") is True  # swapped in place by htmx
    page.reload()
    assert "第2版" in page.content() or "Version 2" in page.content()
    logout(page)

    for side in ("union", "platform"):
        login(page, live_server, side)
        page.goto(f"{live_server}/negotiations/{n_id}/agreement")
        page.click("#approvals button.primary")
        page.wait_for_selector("#approvals .badge.ok")
        logout(page)

    login(page, live_server, "mediator")
    page.goto(f"{live_server}/negotiations/{n_id}/agreement")
    assert page.locator("#approvals .badge.ok").count() == 2
    with page.expect_download() as info:
        page.click(f"a[href$='/negotiations/{n_id}/agreement.pdf?lang=zh']")
    path = tmp_path / "agreement.pdf"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 50_000
