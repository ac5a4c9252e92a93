"""Workbench pages: create, live results (fragment = page), inline errors, save, copy, delete."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.scenarios.models import SavedScenario

HX = {"HX-Request": "true", "HX-Target": "results"}
SAVE_HX = {"HX-Request": "true", "HX-Target": "save-status"}


def create(auth, name="工会测试方案", workers=150):
    response = auth.post("/scenarios/new", {"name": name, "sector": "delivery",
                                            "n_workers": str(workers)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def share_below(html: str) -> float:
    return float(re.search(r'id="readings-working_time" data-value="([^"]+)"', html).group(1))


def results_part(fragment: str) -> str:
    """The results as swapped in, without the out-of-band field messages that follow."""
    return fragment.split('<p class="field-error"')[0].strip()


def test_list_new_and_workbench(client, auth):
    auth.login("union")
    assert client.get("/scenarios/").status_code == 200
    assert client.get("/scenarios/new").status_code == 200
    sid = create(auth)
    page = client.get(f"/scenarios/{sid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="results"' in html and "<svg" in html and 'hx-post="/scenarios/%d/run"' % sid in html
    assert "Vary" in page.headers and "HX-Request" in page.headers["Vary"]
    assert "<details" in html and "assumption" in html.lower() or "假设" in html
    assert f'id="scenario-{sid}"' in client.get("/scenarios/").get_data(as_text=True)


def test_new_with_bad_input_is_400_and_saves_nothing(client, auth, session):
    auth.login("union")
    before = session.scalar(select(func.count()).select_from(SavedScenario))
    response = auth.post("/scenarios/new", {"name": "", "sector": "delivery", "n_workers": "0"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="err-name"' in html and 'id="err-n_workers"' in html
    assert session.scalar(select(func.count()).select_from(SavedScenario)) == before


def test_fragment_and_full_page_render_the_same_results(client, auth):
    auth.login("union")
    sid = create(auth)
    page = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    fragment = auth.post(f"/scenarios/{sid}/run", {}, headers=HX)
    assert fragment.status_code == 200
    body = fragment.get_data(as_text=True)
    assert "<html" not in body
    assert results_part(body) in page
    # The plain form (no htmx) answers with the whole page and the same results.
    plain = auth.post(f"/scenarios/{sid}/run", {}).get_data(as_text=True)
    assert "<html" in plain and results_part(body) in plain


def test_raising_the_base_rate_lowers_the_share_below_the_minimum_wage(client, auth):
    auth.login("union")
    sid = create(auth, workers=300)
    before = share_below(client.get(f"/scenarios/{sid}").get_data(as_text=True))
    after = auth.post(f"/scenarios/{sid}/run", {"pay.base_per_order": "3"}, headers=HX)
    lower = auth.post(f"/scenarios/{sid}/run", {"pay.base_per_order": "9"}, headers=HX)
    low, high = share_below(after.get_data(as_text=True)), share_below(lower.get_data(as_text=True))
    assert low > before >= high
    assert low > high


def test_bad_value_is_a_400_fragment_with_inline_messages_and_nothing_saved(client, auth,
                                                                            session):
    auth.login("union")
    sid = create(auth)
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    response = auth.post(f"/scenarios/{sid}/run",
                         {"pay.base_per_order": "abc", "pay.commission_rate": "2"}, headers=HX)
    assert response.status_code == 400
    assert response.headers["HX-Reswap"] == "none"  # the last good results stay
    html = response.get_data(as_text=True)
    assert re.search(r'id="err-pay-base_per_order"[^>]*hx-swap-oob="true">[^<]*数字', html)
    assert re.search(r'id="err-pay-commission_rate"[^>]*>[^<]*抽成比例', html)
    assert 'id="err-pay-per_km" role="alert" hx-swap-oob="true"></p>' in html
    # Saving the same bad values is refused too, with the messages.
    saved = auth.post(f"/scenarios/{sid}/save", {"pay.base_per_order": "abc", "version": "1",
                                                 "name": "x"}, headers=SAVE_HX)
    assert saved.status_code == 400 and "数字" in saved.get_data(as_text=True)
    session.expire_all()
    assert session.get(SavedScenario, sid).version == 1
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits
    # Without htmx: the whole page, 400, the message next to the field.
    plain = auth.post(f"/scenarios/{sid}/run", {"pay.base_per_order": "abc"})
    assert plain.status_code == 400 and "<html" in plain.get_data(as_text=True)
    assert 'value="abc"' in plain.get_data(as_text=True)


def test_save_and_version_conflict(client, auth, session):
    auth.login("union")
    sid = create(auth)
    ok = auth.post(f"/scenarios/{sid}/save", {"pay.base_per_order": "8", "name": "改过的方案",
                                              "notes": "n", "seed": "7", "version": "1"},
                   headers=SAVE_HX)
    assert ok.status_code == 200
    assert 'name="version" id="f-version" value="2" hx-swap-oob="true"' in ok.get_data(as_text=True)
    session.expire_all()
    record = session.get(SavedScenario, sid)
    assert record.data["pay"]["base_per_order"] == 8 and record.seed == 7
    assert record.name == "改过的方案"
    stale = auth.post(f"/scenarios/{sid}/save", {"pay.base_per_order": "9", "version": "1"},
                      headers=SAVE_HX)
    assert stale.status_code == 409
    plain_stale = auth.post(f"/scenarios/{sid}/save", {"version": "1"})
    assert plain_stale.status_code == 409
    plain = auth.post(f"/scenarios/{sid}/save", {"version": "2", "name": "再改"})
    assert plain.status_code == 302


def test_copy_and_delete_own(client, auth, session):
    auth.login("union")
    sid = create(auth)
    copied = auth.post(f"/scenarios/{sid}/copy")
    assert copied.status_code == 302
    new_id = int(copied.headers["Location"].split("/")[-1])
    assert new_id != sid and client.get(f"/scenarios/{new_id}").status_code == 200
    assert auth.post(f"/scenarios/{new_id}/delete").status_code == 302
    assert client.get(f"/scenarios/{new_id}").status_code == 404
    session.expire_all()
    assert session.get(SavedScenario, new_id) is None


def test_compare_two_scenarios(client, auth):
    auth.login("union")
    a = create(auth, "方案甲")
    b = create(auth, "方案乙")
    auth.post(f"/scenarios/{b}/save", {"pay.base_per_order": "9", "version": "1"})
    page = client.get(f"/scenarios/compare?ids={a}&ids={b}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "方案甲" in html and "方案乙" in html and 'id="row-share-below"' in html
    assert 'class="num best"' in html and "diff" in html
    assert client.get(f"/scenarios/compare?ids={a}").status_code == 302


def test_english_labels_come_from_the_field_metadata(client, auth):
    auth.login("union")
    sid = create(auth)
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    assert "Base pay per order" in html and "yuan/order" in html


def test_standards_calculator(client, auth):
    auth.login("platform")
    page = client.get("/standards/?target_hourly=30&utilization=0.5&cost_per_km=0.1"
                      "&minutes_per_order=30&km_per_order=3&per_order_minimum=0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="std-per-minute">¥1.000' in html and 'id="std-per-km">¥0.200' in html
    assert 'id="std-per-order">¥30.60' in html
    bad = client.get("/standards/?utilization=2",
                     headers={"HX-Request": "true", "HX-Target": "standards-result"})
    assert bad.status_code == 400
    assert re.search(r'id="err-utilization"[^>]*hx-swap-oob="true">[^<]+<',
                     bad.get_data(as_text=True))


def test_plain_form_save_button_saves(client, auth, session):
    auth.login("union")
    sid = create(auth)
    response = auth.post(f"/scenarios/{sid}/run", {"action": "save", "version": "1",
                                                   "pay.base_per_order": "6.6"})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(SavedScenario, sid).data["pay"]["base_per_order"] == 6.6


def test_group_shares_that_do_not_add_up_are_marked_at_each_share(client, auth):
    auth.login("union")
    sid = create(auth)
    response = auth.post(f"/scenarios/{sid}/run", {"workforce.groups.casual.share": "0.6"},
                         headers=HX)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'id="err-workforce-groups-part_time-share"[^>]*>[^<]*之和', html)


def test_dashboard_lists_recent_scenarios(client, auth):
    auth.login("union")
    html = client.get("/dashboard").get_data(as_text=True)
    assert "scenarios-dashboard" in html and "高温与雨天补贴（示例）" in html


def test_stored_data_that_no_longer_loads_is_a_409_not_a_500(client, auth, session):
    auth.login("union")
    sid = create(auth)
    record = session.get(SavedScenario, sid)
    record.data = {**record.data, "schema_version": 99}
    session.commit()
    response = client.get(f"/scenarios/{sid}")
    assert response.status_code == 409 and "99" in response.get_data(as_text=True)
