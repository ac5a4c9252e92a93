"""Journey: a rider opens the survey's QR link on a phone (390×844), consents, answers and gets
the withdrawal code; the union sees the results and calibrates a scenario on a desktop."""
from __future__ import annotations

import os
import re
from pathlib import Path

import segno


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("XIESHANG_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_rider_answers_on_a_phone_and_the_union_calibrates(page, browser, live_server,
                                                          login_as, tmp_path):
    shots = _shots(tmp_path)
    login_as("union")
    page.click("nav.mainnav >> text=调查")
    page.click("#survey-list a")
    link = page.locator("#public-link").inner_text()
    assert link.startswith(live_server + "/s/")
    # the QR code shown is the code of exactly this link
    qr = page.request.get(live_server + page.locator("#survey-qr").get_attribute("src")).text()
    assert qr == segno_svg(link)
    assert page.locator("#survey-qr").evaluate("img => img.naturalWidth") > 0
    before = int(page.locator("#response-count").inner_text())

    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                device_scale_factor=2, is_mobile=True, has_touch=True)
    rider = phone.new_page()
    try:
        rider.goto(link)
        assert "回答之前请阅读" in rider.locator("#consent-statement").inner_text()
        assert rider.evaluate("document.scripts.length") == 0
        rider.screenshot(path=str(shots / "phone-survey-open.png"))
        rider.fill("#f-days_last_month", "24")
        rider.fill("#f-hours_online_per_day", "10")
        rider.fill("#f-hours_with_orders_per_day", "12")   # more than online: refused
        rider.fill("#f-orders_per_day", "30")
        rider.check("input[name=work_pattern][value=full_time]")
        rider.check("input[name=vehicle_type][value=ebike]")
        rider.fill("#f-city", "郑州")
        rider.click("button.sv-submit")
        assert "同意" in rider.locator("#err-consent").inner_text()      # the consent gate
        assert "在线时长" in rider.locator("#err-hours_with_orders_per_day").inner_text()
        assert rider.input_value("#f-orders_per_day") == "30"               # answers kept
        rider.locator("#err-hours_with_orders_per_day").scroll_into_view_if_needed()
        rider.screenshot(path=str(shots / "phone-survey-errors.png"))
        rider.check("input[name=consent]")
        rider.fill("#f-hours_with_orders_per_day", "8")
        rider.click("button.sv-submit")
        rider.wait_for_url(re.compile(r".*/s/[^/]+/thanks$"))
        code = rider.locator("#withdrawal-code").inner_text()
        assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}", code)
        rider.screenshot(path=str(shots / "phone-survey-code.png"))
        width = rider.evaluate("document.documentElement.scrollWidth")
        assert width <= 390   # nothing wider than the phone
    finally:
        phone.close()

    page.reload()
    assert int(page.locator("#response-count").inner_text()) == before + 1
    assert page.locator("#groups-city").count() == 1
    assert "开封" not in page.content()   # a group of 4: hidden
    page.screenshot(path=str(shots / "desktop-survey-results.png"), full_page=True)
    page.click("text=校准方案")
    page.click("text=按答卷拟合")
    page.locator("#calibrate-fits").wait_for()
    assert page.locator("#calibrate-fits tbody tr").count() >= 3
    page.screenshot(path=str(shots / "desktop-survey-calibration.png"), full_page=True)
    page.click("text=用这些假设生成新方案")
    page.wait_for_url(re.compile(r".*/scenarios/\d+$"))


def segno_svg(url: str) -> str:
    import io
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False,
                                    svgns=True, dark="#1f2933", light="#ffffff")
    return buffer.getvalue().decode()
