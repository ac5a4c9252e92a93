"""Journey: the union opens a negotiation of each kind (variant) through the form and finds its
rule set on the page: steps, deadlines, who files and who approves. Screenshots of each page
(desktop) and of one on a phone go to $XIESHANG_SHOTS or the test's tmp_path."""
from __future__ import annotations

import os
import re
from pathlib import Path

from app.negotiations import variants

# What each kind's panel must say (zh UI): its label and who approves.
APPROVES = {"national": "职工代表大会或全体职工", "wage": "职工代表大会或全体职工",
            "industry": "行业职工代表大会", "regional": "区域职工代表大会",
            "platform_rules": "无需职工代表大会表决", "minutes": "无需职工代表大会表决",
            "henan": "职工代表大会或全体职工"}


def create(page, base, key, label):
    page.goto(f"{base}/negotiations/new")
    page.fill("#new-negotiation-title", f"{label}（浏览器测试）")
    page.select_option("#new-negotiation-variant", key)
    page.select_option("#new-negotiation-employer_org_id", label="速达外卖平台（示例）")
    page.select_option("#new-negotiation-sector", "delivery")
    page.fill("#new-negotiation-workers_covered", "郑州市全部骑手")
    page.fill("#new-negotiation-workers_count", "1200")
    page.click("#new-negotiation button.primary")
    page.wait_for_url(re.compile(r".*/negotiations/\d+$"))
    page.wait_for_selector("#variant")
    assert page.locator("h1").inner_text() == f"{label}（浏览器测试）"


def test_create_each_kind_and_see_its_rule_set(page, live_server, login_as, tmp_path):
    shots = Path(os.environ.get("XIESHANG_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server
    login_as("union")
    for key, ruleset in variants.RULESETS.items():
        create(page, base, key, ruleset.label_zh)
        panel = page.locator("#variant")
        assert ruleset.label_zh in panel.locator("summary").inner_text()
        page.click("#variant > summary")
        text = panel.inner_text()
        assert APPROVES[key] in text, (key, text)
        assert "书面答复要约" in text  # every kind has the 20-day reply
        if ruleset.filing:
            assert f"{ruleset.filing.amount}日内" in text
        else:
            assert "无需报送劳动行政部门" in text
        page.screenshot(path=str(shots / f"variant-{key}.png"), full_page=True)
    # The kind can still be changed (no offer yet): switch the last one to a wage agreement.
    page.select_option("#form-variant-variant", "wage")
    page.click("#form-variant button.primary")
    page.wait_for_selector("#variant summary:has-text('工资专项集体协商')")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "variant-phone.png"), full_page=True)


def test_vote_of_exactly_half_says_why(page, live_server, login_as, tmp_path):
    """The demo's wage agreement was voted by secret ballot; its page gives the reasons."""
    shots = Path(os.environ.get("XIESHANG_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    login_as("mediator")
    page.goto(f"{live_server}/negotiations/")
    page.click("text=速达外卖众包骑手工资专项集体协商（示例）")
    page.wait_for_selector("table.votes")
    votes = page.locator("table.votes").inner_text()
    assert "无记名投票" in votes and "逐项表决" in votes
    assert "《企业民主管理规定》第二十条" in votes and "《集体合同规定》第三十六条" in votes
    legal = page.locator("table.legal-dates").inner_text()
    assert "审查期满" in legal
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=str(shots / "variant-wage-demo.png"), full_page=True)
