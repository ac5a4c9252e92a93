"""Journey (issue 19): the frontier and behaviour forms follow a change of scenario or term.

A negotiator picks an offer, then another scenario; changes the second term; picks a scenario
on the behaviour page. Each time the analysis run is the one the form shows: the offer picked,
the new term's own range, the scenario's own rate (the workbench's figure for the package)."""
from __future__ import annotations

import re

from playwright.sync_api import TimeoutError as PlaywrightTimeout

DEMO_SCENARIO = "基础单价提至 10 元、设立小时保底（示例）"


def _number(text: str) -> float:
    return float(re.search(r"[+\-−]?[\d,]+(?:\.\d+)?", text).group(0)
                 .replace(",", "").replace("−", "-"))


def _settle(page, drawn: str) -> None:
    """Give the form time to be drawn again (``drawn``: a selector of the redrawn form); go on
    as a user would if it is not, so a form that does not follow shows its wrong answer."""
    try:
        page.wait_for_selector(drawn, state="attached", timeout=5_000)
    except PlaywrightTimeout:
        pass


def _redrawn(page, source: str) -> None:
    _settle(page, f'#analysis input[name="for_source"][value="{source}"]')


def test_frontier_keeps_the_offer_picked_when_the_scenario_changes(page, live_server, login_as):
    login_as("union")
    page.goto(f"{live_server}/analyses/frontier")
    page.select_option("#f-source", label=DEMO_SCENARIO)
    source = page.locator("#f-source").input_value()
    _redrawn(page, source)
    offers = page.locator("#f-chosen option")
    keys = [offers.nth(i).get_attribute("value") for i in range(offers.count())]
    labels = [offers.nth(i).inner_text() for i in range(offers.count())]
    picked = [i for i, k in enumerate(keys) if k.startswith("offer:")][1]
    page.select_option("#f-chosen", keys[picked])

    page.select_option("#f-source", "preset:delivery")  # the scenario's own row goes away
    _redrawn(page, "preset:delivery")
    page.fill("#f-n", "2")
    page.click("#analysis button.primary")
    page.wait_for_selector("#frontier-result svg.chart", timeout=60_000)
    headings = page.locator("#frontier-result h2").all_inner_texts()
    assert any(f"“{labels[picked]}”" in h for h in headings), (labels[picked], headings)
    assert page.locator("#f-chosen").input_value() == keys[picked]


def test_frontier_second_term_gets_its_own_range(page, live_server, login_as):
    login_as("union")
    page.goto(f"{live_server}/analyses/frontier")
    assert page.locator("#f-y_key").input_value() == "pay.hourly_floor"
    assert page.locator('input[name="y_hi"]').input_value() == "31"
    page.select_option("#f-y_key", "pay.weather_subsidy_rain_per_order")
    _settle(page, '#analysis input[name="y_for"][value="pay.weather_subsidy_rain_per_order"]')
    page.fill("#f-n", "2")
    page.click("#analysis button.primary")
    page.wait_for_selector("#frontier-result svg.chart", timeout=60_000)
    ys = [_number(t) for t in page.locator(
        "#frontier-result table.an-frontier tbody tr td:nth-child(2)").all_inner_texts()]
    assert ys and max(ys) <= 10, ys  # the rain subsidy's own range, 0–10 yuan an order
    assert page.locator("#f-y_lo").input_value() == "0"
    assert page.locator('input[name="y_hi"]').input_value() == "10"


def test_behaviour_uses_the_scenarios_rate_as_the_workbench_does(page, live_server, login_as):
    login_as("union")
    page.goto(f"{live_server}/scenarios/")
    page.click(f"text={DEMO_SCENARIO}")
    page.wait_for_selector("#metric-better-worse")
    workbench = _number(page.locator("#metric-better-worse + p.was").inner_text())

    page.goto(f"{live_server}/analyses/behaviour")
    assert page.locator("#f-base_per_order").input_value() == "8.8"  # the preset's rate
    page.select_option("#f-source", label=DEMO_SCENARIO)
    _redrawn(page, page.locator("#f-source").input_value())
    page.click("#analysis button.primary")
    page.wait_for_selector("#behaviour-result", timeout=120_000)
    row = page.locator("#behaviour-result tbody tr").first.locator("td").all_inner_texts()
    static_gain = _number(row[1]) - _number(row[0])
    assert abs(static_gain - workbench) <= 1.0, (static_gain, workbench)
    assert page.locator("#f-base_per_order").input_value() == "10"  # the scenario's rate
