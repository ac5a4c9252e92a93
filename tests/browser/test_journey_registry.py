"""Journey: an administrator adds next year's Henan standard by file (dry run first), a typo in
the form is shown beside its field, and a member finds the new standard and downloads it."""
from __future__ import annotations

HEADER = "province,tier,monthly,hourly,effective_from,document,source,verified"
NEXT = (HEADER + "\n河南,1,2500,24.5,2027-01-01,,https://example.org/henan-2027,no\n"
        "河南,2,2300,22.5,2027-01-01,,https://example.org/henan-2027,no\n")


def test_admin_adds_a_standard_and_a_member_reads_it(page, live_server, login_as, browser,
                                                     tmp_path):
    login_as("admin")
    page.goto(f"{live_server}/registry/admin")
    page.select_option("#f-province", "河南")
    page.fill("#f-tier", "3")
    page.fill("#f-monthly", "2150")
    page.fill("#f-hourly", "215")
    page.fill("#f-effective_from", "2027-01-01")
    page.fill("#f-source", "https://example.org/henan-2027")
    page.click("form.card button.primary")
    assert page.locator("#err-hourly").is_visible()
    assert page.locator("#f-hourly").get_attribute("aria-invalid") == "true"

    page.goto(f"{live_server}/registry/admin/import")
    page.set_input_files("#f-file", files=[{"name": "henan-2027.csv", "mimeType": "text/csv",
                                             "buffer": NEXT.encode()}])
    page.click("button[value=check]")
    dry_run = page.locator("section.card table")
    assert dry_run.locator("tbody tr").count() == 2
    assert "2350" in dry_run.inner_text()        # what tier 1 was until then
    page.click("form.registry-confirm button")
    page.wait_for_url(f"{live_server}/registry/admin")
    assert "2027-01-01" in page.locator("table").inner_text()

    member = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    member.goto(f"{live_server}/login")
    member.fill("#username", "union")
    member.fill("#password", "xieshang-demo")
    member.click("button.primary")
    member.goto(f"{live_server}/registry/?province=河南&on=2027-01-01")
    table = member.locator("table.registry").inner_text()
    assert "2500" in table and "2300" in table and "2150" not in table
    with member.expect_download() as download:
        member.click("text=下载 CSV")
    path = tmp_path / "wages.csv"
    download.value.save_as(path)
    assert "河南,1,2500,24.5,2027-01-01" in path.read_text(encoding="utf-8-sig")
    member.context.close()
