"""Workbench journey in Chromium: the union builds a package live and shares it; the platform
opens the snapshot and answers it with a counter-scenario."""
from __future__ import annotations

from tests.browser.conftest import login


def share_below(page) -> float:
    return float(page.get_attribute("#readings-working_time", "data-value"))


def set_base_rate(page, value: str, before: float) -> float:
    """Type a new base rate and wait for htmx to swap in different results."""
    assert share_below(page) == before
    page.fill("#f-pay-base_per_order", value)
    page.wait_for_function(
        "v => Number(document.querySelector('#readings-working_time').dataset.value) !== v",
        arg=before)
    page.wait_for_selector("#wb-form:not(.htmx-request)")
    return share_below(page)


def test_union_builds_and_shares_platform_answers(page, live_server, tmp_path):
    page.on("dialog", lambda dialog: dialog.accept())
    login(page, live_server, "union")
    page.click("nav.mainnav >> text=方案")
    page.click("text=新建方案")
    page.fill("#f-name", "浏览器测试方案")
    page.select_option("#f-sector", "delivery")
    page.fill("#f-n_workers", "300")
    page.click("button.primary")
    page.wait_for_selector("#readings-working_time")
    assert page.locator("h1").inner_text() == "浏览器测试方案"
    page.evaluate("window.__noReload = true")

    start = share_below(page)
    low_rate = set_base_rate(page, "3", start)
    assert low_rate > start
    raised = set_base_rate(page, "9", low_rate)
    assert raised < low_rate
    assert page.evaluate("window.__noReload") is True  # results came without a page load

    # A bad value: message next to the field, last good results kept.
    page.fill("#f-pay-base_per_order", "abc")
    page.wait_for_selector("#err-pay-base_per_order:has-text('数字')")
    assert share_below(page) == raised
    page.fill("#f-pay-base_per_order", "9")
    page.wait_for_selector("#err-pay-base_per_order:empty", state="attached")

    page.click("#wb-form button.primary")
    page.wait_for_selector("#save-status .save-ok")
    page.screenshot(path=str(tmp_path / "workbench-union.png"), full_page=True)

    page.select_option("#share-negotiation", label="速达外卖骑手劳动报酬专项集体协商（示例）")
    page.click(".share-bar button[data-confirm]")
    page.wait_for_selector("text=共享快照")
    snapshot_url = page.url
    assert "/scenarios/snapshots/" in snapshot_url
    assert abs(share_below(page) - raised) < 1e-12

    page.click("form[action='/logout'] button")
    login(page, live_server, "platform")
    page.goto(snapshot_url)
    assert "浏览器测试方案" in page.locator("h1").inner_text()
    page.click("#copy-snapshot")
    page.wait_for_selector("#wb-form")
    assert "/scenarios/snapshots/" not in page.url
    page.evaluate("window.__noReload = true")
    counter = set_base_rate(page, "4", share_below(page))  # below the 2026 preset
    assert counter >= raised
    page.fill("#f-name", "平台反方案")
    page.click("#wb-form button.primary")
    page.wait_for_selector("#save-status .save-ok")
    assert page.evaluate("window.__noReload") is True
    page.goto(f"{live_server}/scenarios/")
    assert "平台反方案" in page.locator("#scenario-list").inner_text()
