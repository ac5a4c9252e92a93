"""A newer minimum wage than a scenario's date: a banner offers to move it; nothing moves alone."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.scenarios import service
from app.scenarios.models import SavedScenario
from app.standards import importer
from tests.web.test_scenarios_workbench import create

HEADER = "province,tier,monthly,hourly,effective_from,document,source,verified"


def _date(auth, sid, version, as_of):
    response = auth.post(f"/scenarios/{sid}/save", {"as_of": as_of, "version": str(version)})
    assert response.status_code in (200, 302, 303), response.get_data(as_text=True)[:300]


def test_a_scenario_dated_before_a_change_keeps_its_figures_and_is_offered_the_new_one(
        client, auth, session):
    auth.login("union")
    sid = create(auth)
    _date(auth, sid, session.get(SavedScenario, sid).version, "2025-06-01")
    session.expire_all()
    record = session.get(SavedScenario, sid)
    assert record.data["thresholds"]["hourly_minimum_wage"] == 20.6  # its own date's standard
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    banner = re.search(r'id="newer-standard".*?</form>', html, re.S).group(0)
    assert "2025-12-01" in banner and "23" in banner and "2025-06-01" in banner
    session.expire_all()
    assert session.get(SavedScenario, sid).data["thresholds"]["hourly_minimum_wage"] == 20.6

    moved = auth.post(f"/scenarios/{sid}/move-standard", {"version": str(record.version)})
    assert moved.status_code == 303
    session.expire_all()
    record = session.get(SavedScenario, sid)
    assert record.as_of == service.local_today(utcnow())
    assert record.data["thresholds"]["hourly_minimum_wage"] == 23.0
    page = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    assert 'id="newer-standard"' not in page
    assert re.search(r"20\.6 → 23", page), "the message shows the difference"
    assert re.search(r"\d+\.\d% → \d+\.\d%", page)


def test_a_stale_move_changes_nothing(auth, session):
    auth.login("union")
    sid = create(auth)
    version = session.get(SavedScenario, sid).version
    _date(auth, sid, version, "2025-06-01")
    answer = auth.post(f"/scenarios/{sid}/move-standard", {"version": str(version)})
    assert answer.status_code == 303
    session.expire_all()
    assert session.get(SavedScenario, sid).as_of.isoformat() == "2025-06-01"


def test_a_standard_recorded_by_an_administrator_raises_the_banner(client, auth, session):
    auth.login("union")
    sid = create(auth)  # dated today: no newer standard
    assert 'id="newer-standard"' not in client.get(f"/scenarios/{sid}").get_data(as_text=True)
    yesterday = service.local_today(utcnow()) - timedelta(days=1)
    admin = session.scalar(select(User).where(User.username == "admin"))
    importer.import_csv(session, admin, (
        f"{HEADER}\n河南,1,2500,24.5,{yesterday.isoformat()},豫政〔2026〕1号,"
        "https://example.org/henan-next,no\n").encode(), now=utcnow())
    # The scenario was dated before the new standard took effect … unless it was made today.
    record = session.get(SavedScenario, sid)
    if record.as_of < yesterday:
        html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
        assert 'id="newer-standard"' in html and "24.5" in html
    _date(auth, sid, record.version, (yesterday - timedelta(days=1)).isoformat())
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    assert 'id="newer-standard"' in html and "24.5" in html and "豫政〔2026〕1号" in html
