"""The readings in Chromium: the workbench, the compare page, the offers table and the agreement's
annex show the same four shares for the same package, side by side, on a desktop and a phone.

Screenshots go to ``$XIESHANG_SHOTS`` if set (to look at them), else to the test's tmp_path."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from sqlalchemy import select

from app.auth.models import User
from app.db import make_engine, make_session_factory
from app.scenarios import service as sservice
from app.simulator.metrics import READINGS
from tests.browser.conftest import login
from tests.browser.test_journey_agreement import agree_on_the_offer, logout
from tests.conftest import DEMO_NOW
from tests.negotiations.helpers import negotiation
from tests.web.test_one_computation import TERMS

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def scenarios_of_the_offer(url: str) -> tuple[int, int]:
    """The union's scenario holding the negotiation's rules with the offer's terms, and a copy."""
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        union = session.scalar(select(User).where(User.username == "union"))
        now = DEMO_NOW + dt.timedelta(hours=2)
        record = sservice.create_from_rules(session, union, name="要约方案",
                                            negotiation=negotiation(session, "awaiting"), now=now)
        sservice.update_scenario(session, union, record, values=TERMS, now=now)
        other = sservice.copy_scenario(session, union, record, name="对照方案", now=now)
        session.commit()
        ids = record.id, other.id
    engine.dispose()
    return ids


def readings(page, selector: str) -> dict:
    """Reading → the value shown by the element ``selector`` formats with ``{r}``."""
    return {r: float(page.get_attribute(selector.format(r=r), "data-value")) for r in READINGS}


def shoot(page, folder: Path, name: str, anchor: str) -> None:
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.locator(anchor).first.scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"{name}-{size}.png"))
    page.set_viewport_size(SIZES["desktop"])


def test_the_four_readings_agree_on_every_page(page, live_server, sqlite_url, tmp_path):
    folder = Path(os.environ.get("XIESHANG_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    n_id = agree_on_the_offer(sqlite_url)
    sid, other = scenarios_of_the_offer(sqlite_url)

    login(page, live_server, "mediator")
    page.goto(f"{live_server}/negotiations/{n_id}/agreement")
    page.fill("input[name=effective]", "2027-01-01")
    page.click("#agreement form button.primary")
    page.wait_for_selector("#annex-readings")
    annex = readings(page, "#annex-readings-{r}")
    shoot(page, folder, "annex", "#annex")
    logout(page)

    login(page, live_server, "union")
    page.goto(f"{live_server}/scenarios/{sid}")
    workbench = readings(page, "#readings-{r}")
    assert page.locator("#readings tr.adopted .reading-adopted").count() == 1
    shoot(page, folder, "workbench", "#readings")
    page.goto(f"{live_server}/scenarios/compare?ids={sid}&ids={other}")
    compare = readings(page, "tr[data-reading={r}] td[data-value]")
    shoot(page, folder, "compare", "#compare-table")
    page.goto(f"{live_server}/negotiations/{n_id}")
    offers = {r: float(page.locator(f"#offers tr[data-reading={r}] td[data-value]").last
                       .get_attribute("data-value")) / 100 for r in READINGS}
    shoot(page, folder, "offers", "#offers tr.readings-head")

    assert len(set(workbench.values())) > 1
    assert annex == workbench == compare
    for r in READINGS:
        assert abs(offers[r] - workbench[r]) < 1e-12, r
    assert page.locator("#offers .reading-adopted").count() >= 1
    assert "在线时间（扣除成本）" in page.content()
