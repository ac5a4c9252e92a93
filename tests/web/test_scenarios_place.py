"""Place and date of a scenario on the workbench: the minimum wage follows them (decision 3)."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.db import utcnow
from app.scenarios import service
from app.scenarios.models import SavedScenario
from tests.web.test_scenarios_workbench import HX, create


def threshold(html: str) -> float:
    return float(re.search(r'class="hint threshold" data-hourly="([^"]+)"', html).group(1))


def test_a_new_scenario_is_dated_today_and_tested_against_that_standard(client, auth, session):
    auth.login("union")
    sid = create(auth)
    record = session.get(SavedScenario, sid)
    assert record.as_of == service.local_today(utcnow())
    assert (record.province, record.tier) == ("河南", "1")
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    hourly = record.data["thresholds"]["hourly_minimum_wage"]
    assert threshold(html) == hourly and 'id="standard"' in html
    assert 'name="as_of"' in html and 'name="tier"' in html


def test_moving_the_date_or_the_tier_changes_the_threshold_and_the_figures(client, auth):
    auth.login("union")
    sid = create(auth)
    low = {"pay.base_per_order": "4.5"}  # a package some workers fall below, on either date
    old = auth.post(f"/scenarios/{sid}/run", {**low, "as_of": "2025-11-30"}, headers=HX)
    new = auth.post(f"/scenarios/{sid}/run", {**low, "as_of": "2025-12-01"}, headers=HX)
    tier3 = auth.post(f"/scenarios/{sid}/run", {**low, "as_of": "2025-12-01", "tier": "3"},
                      headers=HX)
    old, new, tier3 = (r.get_data(as_text=True) for r in (old, new, tier3))
    assert (threshold(old), threshold(new), threshold(tier3)) == (20.6, 23.0, 19.6)
    assert "2025-12-01" in new and "2024-01-01" in old

    def online(html):
        return float(re.search(r'id="readings-online_time" data-value="([^"]+)"', html)[1])
    assert online(old) < online(new)  # a higher floor: more workers below it


def test_a_bad_date_is_refused_beside_the_field_and_nothing_is_saved(client, auth, session):
    auth.login("union")
    sid = create(auth)
    before = session.get(SavedScenario, sid).version
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    for value, message in (("2023-06-01", "2024-01-01"), ("31/12/2025", "格式")):
        response = auth.post(f"/scenarios/{sid}/save", {"as_of": value, "version": "1"})
        assert response.status_code == 400
        error = re.search(r'id="err-as_of" role="alert">([^<]*)<',
                          response.get_data(as_text=True))[1]
        assert message in error
    bad_tier = auth.post(f"/scenarios/{sid}/save", {"tier": "9", "version": "1"})
    assert bad_tier.status_code == 400
    session.expire_all()
    assert session.get(SavedScenario, sid).version == before
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_saving_a_place_and_date_stores_them_and_their_figures(client, auth, session):
    auth.login("union")
    sid = create(auth)
    response = auth.post(f"/scenarios/{sid}/save", {"as_of": "2025-03-01", "tier": "2",
                                                          "version": "1"})
    assert response.status_code == 302
    session.expire_all()
    record = session.get(SavedScenario, sid)
    assert (record.tier, record.as_of.isoformat()) == ("2", "2025-03-01")
    th = record.data["thresholds"]
    assert (th["hourly_minimum_wage"], th["monthly_minimum_wage"], th["valid_from"]) == \
        (19.6, 2000.0, "2024-01-01")
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "scenario.update", AuditEntry.target_id == sid)).all()[-1]
    assert entry.before["as_of"] != entry.after["as_of"] == "2025-03-01"
