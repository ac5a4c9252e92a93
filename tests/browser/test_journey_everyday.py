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


def test_results_panel_does_not_scroll_inside_itself(browser, live_server, sqlite_url,
                                                     app_factory):
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        scenario_id = _union_scenario(s)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        login(page, live_server, "union")
        page.goto(f"{live_server}/scenarios/{scenario_id}")
        page.wait_for_selector("#readings-working_time")
        inner = page.evaluate("""() => { const r = document.querySelector('.wb-results');
            return [r.scrollHeight, r.clientHeight, getComputedStyle(r).overflowY]; }""")
        assert inner[2] not in ("auto", "scroll") and inner[0] <= inner[1] + 1, inner
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366  # nor sideways
        # The platform's money-flow table is reached by scrolling the page itself.
        table = page.locator(".wb-results h3", has_text="平台资金去向").locator("xpath=..")
        table.scroll_into_view_if_needed()
        assert table.locator("tr.total").is_visible()
    finally:
        context.close()


def test_back_to_todays_rules(page, live_server, sqlite_url, app_factory):
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        scenario_id = _union_scenario(s)
        record = s.get(SavedScenario, scenario_id)
        changed = {k: v for k, v in record.data["pay"].items()
                   if k in record.baseline_pay and record.baseline_pay[k] != v}
    assert len(changed) >= 2, changed  # the demo scenario changes several terms
    login(page, live_server, "union")
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.wait_for_selector("#readings-working_time")
    first, *others = sorted(changed)
    one = page.locator(f"#f-pay-{first}")
    button = page.locator(f'.reset-term[data-reset="f-pay-{first}"]')
    assert button.is_visible() and page.locator("#reset-all").is_visible()
    today = button.get_attribute("data-today")
    assert one.input_value() != today
    with page.expect_response(lambda r: r.url.endswith(f"/scenarios/{scenario_id}/run")):
        button.click()  # the results are recalculated for the term put back
    assert one.input_value() == today
    assert button.is_hidden()
    assert page.locator(f'.reset-term[data-reset="f-pay-{others[0]}"]').is_visible()

    asked: list[str] = []

    def answer(dialog):
        asked.append(dialog.type)
        dialog.dismiss()
    page.on("dialog", answer)
    page.click("nav.mainnav >> text=协商")  # nothing saved yet: the warning notices the reset
    page.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    page.remove_listener("dialog", answer)

    page.click("#reset-all")
    for key in others:
        todays = page.get_attribute(f'.reset-term[data-reset="f-pay-{key}"]', "data-today")
        assert page.locator(f"#f-pay-{key}").input_value() == todays
    assert page.locator("#reset-all").is_hidden()
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        assert s.get(SavedScenario, scenario_id).data["pay"][first] == changed[first]  # unsaved
    page.click("#wb-form button.primary")
    page.wait_for_selector("#save-status .save-ok")
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        pay = s.get(SavedScenario, scenario_id).data["pay"]
        assert all(pay[k] == s.get(SavedScenario, scenario_id).baseline_pay[k] for k in changed)


def test_a_save_right_after_an_edit_is_not_cut_off_by_the_recalculation(
        page, live_server, sqlite_url, app_factory):
    """The edit's recalculation starts 400 ms after typing; a save still on its way then (a
    slow server: the save is held back here for 1.5 s) must complete and say so."""
    import time
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        scenario_id = _union_scenario(s)
    login(page, live_server, "union")
    page.goto(f"{live_server}/scenarios/{scenario_id}")
    page.wait_for_selector("#readings-working_time")

    def slow(route):
        time.sleep(1.5)
        route.continue_()
    page.route("**/save", slow)
    page.fill("#f-notes", "谈判前的最后一版")  # starts the recalculation's 400 ms delay
    page.click("#wb-form button.primary")
    page.wait_for_selector("#save-status .save-ok", timeout=15_000)
    with app_factory(sqlite_url).extensions["xieshang.sessions"]() as s:
        assert s.get(SavedScenario, scenario_id).notes == "谈判前的最后一版"
