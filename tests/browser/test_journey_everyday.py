"""Everyday use in Chromium: the phone layout (menu, results above the folded inputs, tables that
scroll inside their card) and the warning before leaving unsaved workbench edits."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User
from app.scenarios.models import SavedScenario
from tests.browser.conftest import login

PHONE = {"width": 390, "height": 844}


def _union_scenario(app_session) -> int:
    union = app_session.scalar(select(User).where(User.username == "union"))
    return app_session.scalar(select(SavedScenario.id).where(
        SavedScenario.organisation_id == union.organisation_id).order_by(SavedScenario.id))


def test_phone_layout(browser, live_server, sqlite_url, app_factory, tmp_path):
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        scenario_id = _union_scenario(s)
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    try:
        login(page, live_server, "union")
        header = page.locator("header.topbar").bounding_box()
        assert header["height"] < 120, header
        assert page.locator("#mainnav").is_hidden()
        page.click(".menu-toggle")
        assert page.locator("#mainnav").is_visible()
        assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
        page.screenshot(path=str(tmp_path / "phone-menu.png"))

        page.goto(f"{live_server}/scenarios/{scenario_id}")
        page.wait_for_selector("#readings-working_time")
        results_top = page.locator("#results").bounding_box()["y"]
        form_top = page.locator("#wb-form").bounding_box()["y"]
        assert results_top < form_top
        assert results_top < 844  # the headline results are on the first screen
        group = page.locator(".wb-group.foldable").first
        field = group.locator(".wb-field").first
        assert field.is_hidden()
        group.locator("legend").click()
        assert field.is_visible()
        # The page itself never scrolls sideways: wide tables scroll inside their card.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.screenshot(path=str(tmp_path / "phone-workbench.png"), full_page=True)
    finally:
        context.close()


def test_unsaved_edits_warn_before_leaving(page, live_server, sqlite_url, app_factory):
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        scenario_id = _union_scenario(s)
    login(page, live_server, "union")
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.wait_for_selector("#readings-working_time")
    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page
    page.on("dialog", answer)
    page.fill("#f-name", "改了名字但没有保存")
    page.click("nav.mainnav >> text=协商")
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    assert f"/scenarios/{scenario_id}" in page.url

    page.remove_listener("dialog", answer)
    page.click("#wb-form button.primary")  # save
    page.wait_for_selector("#save-status .save-ok")
    # The heading follows the new name without a page load (htmx out-of-band swap).
    assert page.locator("h1#wb-title").inner_text() == "改了名字但没有保存"
    page.on("dialog", answer)
    page.click("nav.mainnav >> text=协商")
    page.wait_for_url(f"{live_server}/negotiations/")
    assert asked == ["beforeunload"]  # no second warning after saving
