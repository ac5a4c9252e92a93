"""Journey: the union sends an offer, the platform answers with a counter-offer, the mediator
records a meeting and the agreed draft; the vote waits for a frozen text — through the
real pages and htmx."""
from __future__ import annotations

TITLE = "速达外卖骑手恶劣天气保障专项协商（示例）"


def open_negotiation(page, base):
    page.goto(f"{base}/negotiations/")
    page.click(f"text={TITLE}")
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == TITLE


def open_action(page, form_id):
    """Open a "Next steps" details; its form is fetched (htmx) when first opened."""
    page.click(f"#action-{form_id} > summary")
    page.wait_for_selector(f"#action-{form_id}[open] form#{form_id}")


def switch_user(page, base, login_as, username):
    page.click("text=退出")
    page.wait_for_url(f"{base}/login")
    login_as(username)


def test_offer_counter_offer_meeting_and_vote(page, live_server, login_as, tmp_path):
    base = live_server
    login_as("union")
    open_negotiation(page, base)
    assert "准备协商" in page.locator(".badge.state").inner_text()
    open_action(page, "form-offer")
    page.fill("#form-offer-terms-base_per_order", "7.5")
    page.fill("#form-offer-rationale", "单价提高到7.5元")
    page.click("#form-offer button[value=review]")  # the confirmation, then send
    page.click("#form-offer.offer-confirm button[value=send]")
    page.wait_for_selector(".badge.state:has-text('已发出要约')")
    assert "单价提高到7.5元" in page.locator("#offers").inner_text()
    # A step's date-correction form is fetched (htmx) when its details are first opened.
    page.locator("#timeline details.correct > summary").first.click()
    page.wait_for_selector("#timeline details.correct[open] form.correct input[name=reason]")
    assert page.locator("#timeline form.correct").count() == 1
    page.click("#timeline form.correct button.primary")  # no reason given: refused in place
    page.wait_for_selector("#timeline form.correct .field-error")
    # So are the representatives card's forms.
    page.click("#representatives details.action > summary")
    page.wait_for_selector("#representatives details.action[open] form#form-rep")

    switch_user(page, base, login_as, "platform")
    open_negotiation(page, base)
    open_action(page, "form-offer")
    # Inline validation: a commission rate of 2 is refused beside the field, nothing sent.
    page.fill("#form-offer-terms-commission_rate", "2")
    page.press("#form-offer-terms-commission_rate", "Tab")
    page.wait_for_selector("#form-offer .field-error")
    page.fill("#form-offer-terms-commission_rate", "")
    page.fill("#form-offer-terms-base_per_order", "6.6")
    page.click("#form-offer button[value=review]")
    page.click("#form-offer.offer-confirm button[value=send]")
    page.wait_for_selector(".badge.state:has-text('协商中')")
    offers = page.locator("#offers").inner_text()
    assert "7.5" in offers and "6.6" in offers

    switch_user(page, base, login_as, "mediator")
    open_negotiation(page, base)
    open_action(page, "form-meeting")
    page.fill("#form-meeting-place", "三方办第一会议室")
    page.fill("#form-meeting-minute_taker", "陈静")
    page.fill("#form-meeting-agenda", "双方陈述要约与反要约")
    page.click("#form-meeting button.primary")
    page.wait_for_selector("#meetings :text('三方办第一会议室')")

    open_action(page, "form-agree_draft")
    page.check("#form-agree_draft-signed_by_worker_chief")
    page.check("#form-agree_draft-signed_by_employer_chief")
    page.click("#form-agree_draft button.primary")
    page.wait_for_selector(".badge.state:has-text('草案已形成')")

    # The workers vote on a frozen agreement text, so before one exists the vote form says so
    # (the vote itself: test_journey_law_order).
    page.click("#action-form-vote > summary")
    page.wait_for_selector("#action-form-vote[open] #form-vote")
    assert page.locator("#form-vote input[name=members]").count() == 0
    assert "冻结" in page.inner_text("#form-vote")
    page.screenshot(path=str(tmp_path / "negotiation-after-vote.png"), full_page=True)
