"""Journey: the mediator screens an enterprise, opens two items, closes one with evidence and
downloads the regional report (CSV and PDF)."""
from __future__ import annotations

import re


def test_mediator_screens_opens_closes_and_reports(page, live_server, login_as, tmp_path):
    login_as("mediator")
    page.click("nav.mainnav >> text=整改台账")
    page.wait_for_url(re.compile(r".*/ledger/$"))
    assert page.locator("h1").inner_text() == "整改台账"
    assert page.locator("tr.row-overdue").count() >= 1  # the demo's overdue item stands out

    # screen the freight platform: the live preview shows points, grade and reasons
    page.click("nav.tabs >> text=风险排查")
    page.click("text=排查企业风险")
    page.select_option("#f-enterprise_id", label="货运通平台（示例）")
    page.fill("#f-late_pay_cycles", "2")
    page.fill("#f-social_insurance_months", "1")
    page.locator("#screening-preview .points").filter(has_text="45").wait_for()
    assert "中风险" in page.locator("#screening-preview").inner_text()
    page.fill("#f-complaints", "abc")
    page.locator("#screening-preview .field-error").first.wait_for()
    page.fill("#f-complaints", "6")
    page.locator("#screening-preview .points").filter(has_text="55").wait_for()
    page.screenshot(path=str(tmp_path / "screening-form.png"), full_page=True)
    page.click("text=保存排查结果")
    page.wait_for_url(re.compile(r".*/ledger/screenings/\d+$"))
    assert "高风险" in page.locator(".score").inner_text()
    assert page.locator("ul.reasons li").count() == 3

    # open two of the three suggested items in one click
    boxes = page.locator("input[name=keys]")
    assert boxes.count() == 3
    boxes.nth(2).uncheck()
    page.fill("#f-responsible", "吴昊（货运通人力资源负责人）")
    page.click("text=建立所选整改事项")
    page.wait_for_url(re.compile(r".*/ledger/\?enterprise=\d+$"))
    rows = page.locator("#ledger-list tbody tr")
    assert rows.count() == 2

    # close the first with evidence (a note and a PDF)
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r".*/ledger/items/\d+$"))
    page.fill("#close-note", "已足额补发 2 个月工资，附银行回单")
    proof = tmp_path / "回单.pdf"
    proof.write_bytes(b"%PDF-1.4\n% bank receipt\n")
    page.set_input_files("#close-file", str(proof))
    with page.expect_navigation():
        page.click("#close button.primary")
    assert page.locator(".heading-row .badge").inner_text() == "已销号"
    assert "事项已销号" in page.locator(".flashes").inner_text()
    assert "回单.pdf" in page.locator("#evidence").inner_text()
    history = page.locator("#history").inner_text()
    assert "建立" in history and "已销号" in history
    page.screenshot(path=str(tmp_path / "item-closed.png"), full_page=True)

    # the regional report counts them and downloads as CSV and PDF
    page.click("nav.mainnav >> text=区域报告")
    # wait for the charts themselves: right after the click the page may be half parsed
    page.locator(".report-charts figure svg").first.wait_for()
    assert page.locator(".report-charts figure svg").count() == 3
    with page.expect_download() as csv_download:
        page.click("text=下载 CSV")
    csv_path = tmp_path / "report.csv"
    csv_download.value.save_as(csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    assert text.startswith("城市,行业,发出要约") and "货运" in text
    # the PDF is prepared as a background job: this server runs no consumer, so the journey
    # with a real consumer (test_journey_long_jobs) follows it to the download
    assert page.locator("#prepare-pdf").inner_text() == "生成 PDF"
