"""Agreement page in Chromium (issue 17, finding 4): a changed standard rewrites its article, a
nonsense value is refused beside its field, a one-language hand edit is flagged before freezing.
Screenshots (desktop and phone) go to the test's own folder to be looked at."""
from __future__ import annotations

from app.db import make_engine, make_session_factory
from tests.browser.conftest import login
from tests.web.test_agreement_clauses import _hours_offer


def _prepare(url: str) -> tuple[int, int]:
    from sqlalchemy import select

    from app.negotiations.models import Offer
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        n_id = _hours_offer(session)
        offer_id = session.scalar(select(Offer.id).where(Offer.negotiation_id == n_id)
                                  .order_by(Offer.id.desc()))
    engine.dispose()
    return n_id, offer_id


def test_standards_drive_the_articles_on_the_page(page, live_server, sqlite_url, tmp_path):
    n_id, offer_id = _prepare(sqlite_url)
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "mediator")
    page.goto(f"{live_server}/negotiations/{n_id}/agreement")
    page.select_option("#f-offer_id", str(offer_id))
    page.fill("#f-effective", "2027-01-01")
    page.click("button.primary")
    page.wait_for_selector("#article-hours")
    assert "停止派单20分钟" in page.inner_text("#article-hours")

    page.fill("#std-max_daily_hours", "10.5")
    page.click("form[action$='/standards/max_daily_hours'] button")
    page.wait_for_selector("#article-hours")
    text = page.inner_text("#article-hours")
    assert "10.5小时" in text and "11小时" not in text

    page.fill("#std-rest_minutes", "0")
    page.click("form[action$='/standards/rest_minutes'] button")
    page.wait_for_selector("#err-std-rest_minutes")
    assert "不足1分钟" in page.inner_text("#err-std-rest_minutes")
    page.locator("#standards").screenshot(path=str(tmp_path / "standards-refused.png"))

    page.goto(f"{live_server}/negotiations/{n_id}/agreement")
    page.click("#article-hours .agr-edit a")
    page.wait_for_selector("#article-hours textarea[name=text_zh]")
    zh = page.input_value("#article-hours textarea[name=text_zh]")
    page.fill("#article-hours textarea[name=text_zh]", zh.replace("10.5小时", "10小时"))
    page.click("#article-hours button.primary")
    page.wait_for_selector("#article-hours .agr-problems")
    problems = page.inner_text("#article-hours .agr-problems")
    assert "10" in problems and "10.5" in problems
    page.reload()
    page.wait_for_selector("#unsettled")
    page.screenshot(path=str(tmp_path / "agreement-desktop.png"), full_page=True)
    page.locator("#article-hours").screenshot(path=str(tmp_path / "article-hours.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server}/negotiations/{n_id}/agreement#article-hours")
    page.locator("#article-hours").screenshot(path=str(tmp_path / "article-hours-phone.png"))
    page.click("#article-hours .agr-edit a")
    page.wait_for_selector("#article-hours textarea[name=text_zh]")
    page.locator("#article-hours").screenshot(path=str(tmp_path / "article-form-phone.png"))
