"""Journey: a union negotiator solves for the base rate, finds the frontier, turns a frontier
package into a scenario, and calibrates to uploaded records — in Chromium, htmx and all."""
from __future__ import annotations

from app.simulator import presets
from app.simulator.calibrate import synthetic_records


def _records(path):
    r = synthetic_records(presets.preset("delivery"), 300, seed=2)
    lines = ["在线时长,出勤天数,单量"] + [
        f"{r['hours_per_day'][i]:.2f},{r['days_per_month'][i]:.0f},{r['orders'][i]:.0f}"
        for i in range(300)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_analyses_journey(page, live_server, login_as, tmp_path):
    login_as("union")
    page.click("nav.mainnav >> text=分析")
    page.wait_for_url(f"{live_server}/analyses/")
    page.click("text=反推条款")
    page.fill("#f-target", "22")
    page.click("#analysis button.primary")
    answer = page.wait_for_selector("#solve-result .an-answer", timeout=30_000)
    assert "每单基础单价最低为" in answer.inner_text()
    assert page.url.endswith("/analyses/solve")  # swapped in place by htmx

    # Bad input: message beside the field, nothing else changes.
    page.fill("#f-target", "很多")
    page.click("#analysis button.primary")
    page.wait_for_selector("#err-target", timeout=30_000)

    page.click("nav.tabs >> text=帕累托前沿")
    page.fill("#f-n", "3")
    page.click("#analysis button.primary")
    page.wait_for_selector("#frontier-result svg.chart", timeout=60_000)
    assert page.locator("#frontier-offers tbody tr").count() >= 1
    page.locator("#frontier-result form.inline button").last.click()
    page.wait_for_url(f"{live_server}/scenarios/*", timeout=30_000)
    assert "前沿方案" in page.content()

    page.goto(f"{live_server}/analyses/calibrate")
    page.set_input_files("#f-file", str(_records(tmp_path / "records.csv")))
    page.click("#analysis button.primary")
    page.wait_for_selector("#calibrate-result svg.chart", timeout=60_000)
    assert page.locator("#calibrate-fits tbody tr").count() >= 3
