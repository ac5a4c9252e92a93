"""Analyses pages: solve-for, frontier, sensitivity, calibration, behaviour; access and errors."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.scenarios.models import SavedScenario
from app.simulator import presets
from app.simulator.calibrate import synthetic_records

HX = {"HX-Request": "true", "HX-Target": "analysis"}


def create(auth, name="分析用方案", workers=150):
    response = auth.post("/scenarios/new", {"name": name, "sector": "delivery",
                                            "n_workers": str(workers)})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_index_and_forms_render_with_nav(client, auth):
    auth.login("union")
    body = client.get("/analyses/").get_data(as_text=True)
    assert "分析" in body and 'href="/analyses/solve' in body
    for page in ("solve", "frontier", "sensitivity", "calibrate", "behaviour"):
        r = client.get(f"/analyses/{page}")
        assert r.status_code == 200, page
        html = r.get_data(as_text=True)
        assert 'id="analysis"' in html and 'hx-target="#analysis"' in html
        assert "htmx-indicator" in html
    dash = client.get("/dashboard").get_data(as_text=True)
    assert 'href="/analyses/"' in dash and "analyses-dashboard" in dash


def test_login_required(client):
    assert client.get("/analyses/solve").status_code in (302, 401)


def test_solve_for_on_a_saved_scenario_as_fragment_and_page(client, auth):
    auth.login("union")
    sid = create(auth)
    data = {"source": f"scenario:{sid}", "term": "pay.base_per_order",
            "measure": "p25_net_per_working_hour", "goal": "at_least", "target": "24"}
    frag = auth.post("/analyses/solve", data, headers=HX)
    html = frag.get_data(as_text=True)
    assert frag.status_code == 200 and "<html" not in html
    assert 'id="solve-result"' in html and "最低为" in html
    page = auth.post("/analyses/solve", data)
    assert "<html" in page.get_data(as_text=True) and 'id="solve-result"' in page.get_data(
        as_text=True)
    none = auth.post("/analyses/solve", dict(data, target="99999", lo="0", hi="10"), headers=HX)
    assert none.status_code == 200 and "an-no_solution" in none.get_data(as_text=True)


@pytest.mark.parametrize("change,field", [
    ({"target": "abc"}, "target"), ({"term": "pay.nope"}, "term"),
    ({"measure": "nope"}, "measure"), ({"lo": "5"}, "range"), ({"lo": "9", "hi": "1"}, "range"),
])
def test_solve_for_bad_input_is_400_beside_the_field(client, auth, change, field):
    auth.login("union")
    data = {"source": "preset:delivery", "term": "pay.base_per_order",
            "measure": "p25_net_per_working_hour", "goal": "at_least", "target": "24"}
    data.update(change)
    r = auth.post("/analyses/solve", data, headers=HX)
    assert r.status_code == 400
    assert f'id="err-{field}"' in r.get_data(as_text=True)


def test_another_organisations_scenario_is_404(client, auth):
    auth.login("union")
    sid = create(auth)
    auth.logout()
    auth.login("platform")
    assert client.get(f"/analyses/solve?source=scenario:{sid}").status_code == 404
    r = auth.post("/analyses/sensitivity", {"source": f"scenario:{sid}",
                                            "measure": "mean_net_monthly", "step": "10"})
    assert r.status_code == 404
    assert client.get("/analyses/solve?source=preset:nope").status_code == 404


def test_frontier_chart_table_and_one_click_scenario(client, auth, session):
    auth.login("union")
    sid = create(auth, workers=120)
    r = auth.post("/analyses/frontier", {
        "source": f"scenario:{sid}", "x_key": "pay.base_per_order", "y_key": "pay.per_km",
        "measure": "p25_net_per_working_hour", "n": "4", "chosen": "today"}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<svg" in html and 'id="frontier-offers"' in html
    assert "Make a scenario" in html or "生成方案" in html
    forms = html.split('action="/analyses/adopt"')
    assert len(forms) > 1
    values = json.loads(forms[1].split('name="values" value=\'')[1].split("'")[0]
                        .replace("&#34;", '"'))
    before = session.scalar(select(func.count()).select_from(SavedScenario))
    made = auth.post("/analyses/adopt", {"source": f"scenario:{sid}", "name": "前沿方案",
                                         "values": json.dumps(values)})
    assert made.status_code == 303
    new_id = int(made.headers["Location"].rstrip("/").split("/")[-1])
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SavedScenario)) == before + 1
    rec = session.get(SavedScenario, new_id)
    assert rec.name == "前沿方案"
    assert rec.data["pay"]["base_per_order"] == pytest.approx(values["pay.base_per_order"])
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.target_type == "scenario", AuditEntry.target_id == new_id)) >= 1


def test_adopt_rejects_bad_values_and_writes_nothing(client, auth, session):
    auth.login("union")
    before = session.scalar(select(func.count()).select_from(SavedScenario))
    for values in ("not json", "[]", '{"pay.base_per_order": "x"}', '{"pay.nope": 1}',
                   '{"pay.base_per_order": -5}'):
        r = auth.post("/analyses/adopt", {"source": "preset:delivery", "values": values})
        assert r.status_code == 400, values
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(SavedScenario)) == before


def test_frontier_bad_input(client, auth):
    auth.login("union")
    base = {"source": "preset:delivery", "x_key": "pay.base_per_order", "y_key": "pay.per_km",
            "measure": "p25_net_per_working_hour", "n": "4", "chosen": "today"}
    for change, field in (({"n": "99"}, "n"), ({"y_key": "pay.base_per_order"}, "y_key"),
                          ({"x_lo": "1"}, "x_range"), ({"chosen": "9"}, "chosen")):
        r = auth.post("/analyses/frontier", dict(base, **change), headers=HX)
        assert r.status_code == 400 and f'id="err-{field}"' in r.get_data(as_text=True), change


def test_sensitivity_tornado(client, auth):
    auth.login("platform")
    sid = create(auth, workers=100)
    r = auth.post("/analyses/sensitivity", {"source": f"scenario:{sid}",
                                            "measure": "mean_net_monthly", "step": "10"},
                  headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<svg" in html and 'id="sensitivity-result"' in html
    bad = auth.post("/analyses/sensitivity", {"source": f"scenario:{sid}",
                                              "measure": "mean_net_monthly", "step": "0"},
                    headers=HX)
    assert bad.status_code == 400 and 'id="err-step"' in bad.get_data(as_text=True)


def _csv(n=200):
    recs = synthetic_records(presets.preset("delivery"), n, seed=3)
    lines = ["在线时长,出勤天数,单量,收入"] + [
        f"{recs['hours_per_day'][i]:.2f},{recs['days_per_month'][i]:.0f},"
        f"{recs['orders'][i]:.0f},{recs['earnings'][i]:.0f}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def test_calibration_upload_fit_chart_and_scenario(client, auth, session):
    auth.login("union")
    sid = create(auth, workers=100)
    r = auth.post("/analyses/calibrate", {"source": f"scenario:{sid}",
                                          "file": (io.BytesIO(_csv()), "records.csv")},
                  content_type="multipart/form-data", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200, html[:2000]
    assert 'id="calibrate-result"' in html and "<svg" in html
    assert 'id="calibrate-anchors"' in html and ("After calibration" in html or "校准后" in html)
    values = html.split('name="values" value="')[1].split('"')[0].replace("&#34;", '"')
    made = auth.post("/analyses/adopt", {"source": f"scenario:{sid}", "name": "按记录校准",
                                         "values": values.replace("&quot;", '"')})
    assert made.status_code == 303


@pytest.mark.parametrize("payload,field,words", [
    (None, "file", "请选择"),
    (b"", "file", "空"),
    ("名字,年龄\n张三,30\n".encode(), "hours_per_day", "请选择"),
    ("在线时长,出勤天数\n8,20\n八小时,20\n".encode(), "hours_per_day", "不是数字"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xx", "file", ".xls"),
])
def test_calibration_bad_files_are_400_with_messages(client, auth, payload, field, words):
    auth.login("union")
    data = {"source": "preset:delivery"}
    if payload is not None:
        data["file"] = (io.BytesIO(payload), "records.csv")
    r = auth.post("/analyses/calibrate", data, content_type="multipart/form-data", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert f'id="err-{field}"' in html and words in html


def test_behaviour_page(client, auth):
    auth.login("union")
    base = {"source": "preset:delivery", "base_per_order": "7", "labour_supply_elasticity": "0",
            "demand_price_elasticity": "0", "pass_through": "0.5", "max_hours_change": "0.5"}
    r = auth.post("/analyses/behaviour", base, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="behaviour-result"' in html
    bad = auth.post("/analyses/behaviour", dict(base, labour_supply_elasticity="9"), headers=HX)
    assert bad.status_code == 400 and 'id="err-labour_supply_elasticity"' in bad.get_data(
        as_text=True)


def test_english_pages(client, auth):
    auth.login("union")
    auth.post("/lang", {"lang": "en", "next": "/analyses/"})
    body = client.get("/analyses/").get_data(as_text=True)
    assert "Analyses" in body and "Solve for a term" in body


def test_calibration_to_impossible_values_is_a_form_message(client, auth):
    auth.login("union")
    rows = "\n".join(f"0.{i % 9 + 1},{i % 5 + 1},90000" for i in range(40))
    data = {"source": "preset:delivery",
            "file": (io.BytesIO(("在线时长,出勤天数,单量\n" + rows).encode()), "r.csv")}
    r = auth.post("/analyses/calibrate", data, content_type="multipart/form-data", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 400 and 'id="err-_form"' in html
    assert "market.orders_per_hour_mean" in html
