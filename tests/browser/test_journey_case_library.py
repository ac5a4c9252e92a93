"""The case library in Chromium: the union and the ride-hailing platform consent on the signed
contract's page (names hidden), the mediator finds it by sector and term, reads it, and starts
the draft of a negotiation it runs from it. ``XIESHANG_SHOT_DIR`` (optional) keeps screenshots
of the pages at desktop and phone sizes for a person to look at."""
from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.agreements.models import Agreement, AgreementVersion
from app.auth.models import User
from app.negotiations.models import Negotiation
from tests.browser.conftest import login
from tests.negotiations.helpers import TITLES


def _shot(page, name: str) -> None:
    folder = os.environ.get("XIESHANG_SHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", (1366, 900)), ("phone", (390, 844))):
        page.set_viewport_size({"width": size[0], "height": size[1]})
        page.screenshot(path=str(Path(folder) / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _logout(page, base):
    page.context.clear_cookies()
    page.goto(f"{base}/login")


def test_publish_find_and_start_a_draft(page, live_server, sqlite_url):
    with Session(create_engine(sqlite_url)) as s:
        ride = s.scalar(select(Negotiation).where(Negotiation.title == TITLES["in_force"]))
        awaiting = s.scalar(select(Negotiation).where(Negotiation.title == TITLES["awaiting"]))
        ride_user = s.scalar(select(User.username).where(
            User.organisation_id == ride.employer_org_id).order_by(User.id))
        employer = ride.employer_org.name
        ride_id, awaiting_id, sector = ride.id, awaiting.id, ride.sector
        agreement = s.scalar(select(Agreement).where(Agreement.negotiation_id == ride.id))
        term = s.scalar(select(AgreementVersion.content).where(
            AgreementVersion.agreement_id == agreement.id))["standards"][0]["key"]
    base = live_server
    login(page, base, "union")
    page.goto(f"{base}/negotiations/{ride_id}/agreement#library")
    assert page.locator("#library input[name=anonymise]").is_checked()
    _shot(page, "consent")
    page.click("#library button.primary")
    expect(page.locator(".flashes")).to_contain_text("对方也同意后")
    _logout(page, base)
    login(page, base, ride_user)
    page.goto(f"{base}/negotiations/{ride_id}/agreement#library")
    page.click("#library button.primary")
    expect(page.locator(".flashes")).to_contain_text("已在典型协议库公开")

    _logout(page, base)
    login(page, base, "mediator")
    page.click("nav >> text=典型协议库")
    page.select_option("#f-sector", sector)
    page.select_option("#f-term", term)
    page.click("form.filters button.primary")
    assert "sector=" + sector in page.url
    table = page.inner_text("table")
    assert "名称已隐去" in table and employer not in page.content()
    _shot(page, "library")
    page.click("table a")
    page.wait_for_url(re.compile(r".*/library/\d+$"))
    assert employer not in page.content() and "某平台企业" in page.inner_text("body")
    _shot(page, "publication")
    page.select_option("#f-negotiation_id", str(awaiting_id))
    page.click("#start-draft button.primary")
    page.wait_for_url(f"{base}/negotiations/{awaiting_id}/agreement")
    assert "已依据公开协议起草" in page.inner_text("body")
