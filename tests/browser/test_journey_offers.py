"""Journey (issue 17, findings 1–3): the union makes a draft offer from a scenario and lands in the
filled offer form, checks the confirmation (terms, changes, headline figures, the reply period)
and sends; the platform's counter-offer form starts blank, takes the union's numbers only when
chosen (labelled), and is sent after its own confirmation. Desktop and phone screenshots."""
from __future__ import annotations

import os
import re
from pathlib import Path

from tests.browser.test_journey_negotiation import open_action, open_negotiation, switch_user

TITLE = "速达外卖骑手恶劣天气保障专项协商（示例）"
DESKTOP, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def shots(tmp_path) -> Path:
    """Where screenshots go: ``XIESHANG_SHOTS`` (to look at them) or the test's folder."""
    folder = Path(os.environ.get("XIESHANG_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def both_sizes(page, folder: Path, name: str, selector: str) -> None:
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.locator(selector).evaluate("e => e.scrollIntoView({block: 'start'})")
        # caret="initial": hiding the caret leaves style attributes that htmx's settling then
        # copies onto the swapped form, which the Content-Security-Policy reports.
        page.screenshot(path=str(folder / f"{name}-{label}.png"), caret="initial")
    page.set_viewport_size(DESKTOP)


def term_inputs(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#form-offer input[name^='terms.']",
        "els => Object.fromEntries(els.map(e => [e.name.slice(6), e.value]))")


def test_draft_from_scenario_confirm_and_counter_offer(page, live_server, login_as, tmp_path):
    base, folder = live_server, shots(tmp_path)
    page.set_viewport_size(DESKTOP)
    login_as("union")
    # 1. A scenario's terms become a draft offer: the form opens, filled.
    page.goto(f"{base}/scenarios/")
    page.locator("#scenario-list a").first.click()
    page.select_option("#share-negotiation", label=TITLE)
    page.click("text=据此起草要约")
    page.wait_for_selector("#action-form-offer[open] form#form-offer")
    assert "/actions/offer" in page.url
    filled = {k: v for k, v in term_inputs(page).items() if v}
    assert filled, "the draft's terms are in the form"
    assert page.locator("#form-offer input[name=offer_id]").count() == 1
    assert "本方草稿" in page.locator("#form-offer-start option:checked").inner_text()
    both_sizes(page, folder, "1-draft-form", "#form-offer")

    # 3. Sending asks first: the terms, their changes, the headline figures, the reply period.
    page.click("#form-offer button[value=review]")
    page.wait_for_selector("#form-offer.offer-confirm")
    confirm = page.locator("#form-offer").inner_text()
    assert "核对后发出：书面要约（职工方，第1轮）" in confirm
    assert "现行规则" in confirm and "平均月净收入" in confirm
    due = page.locator("#form-offer .reply-due").inner_text()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", due)
    both_sizes(page, folder, "3-confirm-offer", "#form-offer")
    # Back to edit keeps the figures; then review again and send.
    page.click("#form-offer button[value=edit]")
    page.wait_for_selector("#form-offer button[value=review]")
    assert {k: v for k, v in term_inputs(page).items() if v} == filled
    page.click("#form-offer button[value=review]")
    page.click("#form-offer.offer-confirm button[value=send]")
    page.wait_for_selector(".badge.state:has-text('已发出要约')")
    flash = page.locator(".flashes").inner_text()
    assert "书面要约（职工方，第1轮）" in flash and due in flash
    page.screenshot(path=str(folder / "3-sent-message-desktop.png"), caret="initial")

    # 2. The platform's counter-offer starts from its own numbers (none yet: blank), the
    # union's numbers only when chosen, and labelled as theirs.
    switch_user(page, base, login_as, "platform")
    open_negotiation(page, base)
    open_action(page, "form-offer")
    assert not any(term_inputs(page).values())
    assert page.locator("#form-offer-start").input_value() == "blank"
    other = page.locator("#form-offer-start option[value^='other-']")
    page.select_option("#form-offer-start", value=other.get_attribute("value"))
    page.wait_for_selector("#form-offer .start-other")
    assert {k: v for k, v in term_inputs(page).items() if v} == filled
    both_sizes(page, folder, "2-counter-from-their-offer", "#form-offer")
    page.select_option("#form-offer-start", value="blank")
    page.wait_for_selector("#form-offer:not(:has(.start-other))")
    key = next(iter(filled))
    ours = f"{float(filled[key]) * 0.9:g}"
    page.fill(f"#form-offer-terms-{key}", ours)
    page.click("#form-offer button[value=review]")
    page.wait_for_selector("#form-offer.offer-confirm")
    confirm = page.locator("#form-offer").inner_text()
    assert "核对后发出：反要约（企业方，第1轮）" in confirm and "上次要约" in confirm
    both_sizes(page, folder, "3-confirm-counter", "#form-offer")
    page.click("#form-offer.offer-confirm button[value=send]")
    page.wait_for_selector(".badge.state:has-text('协商中')")
    assert "反要约（企业方，第1轮）" in page.locator(".flashes").inner_text()
    assert ours in page.locator("#offers").inner_text()
