"""The owner's survey pages: small groups hidden in pages and exports, raw exports neutralised,
flags, calibration and the scenario made from it, the CLI export."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.db import utcnow
from app.scenarios.models import SavedScenario
from app.surveys import service
from app.demo.surveys import TOKEN
from app.surveys.models import Survey, SurveyResponse
from tests.surveys.helpers import GOOD, make_survey


def _demo(session) -> Survey:
    return session.scalar(select(Survey).where(Survey.token == TOKEN))


def _submit(session, sid, n, **change):
    survey = session.get(Survey, sid)
    for i in range(n):
        service.submit(session, survey, {**GOOD, "consent": "yes", **change},
                       device_hash=f"device-{change}-{i}", address_hash=f"a{i}",
                       now=utcnow())
    session.commit()


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_small_groups_are_hidden_in_the_page_and_the_summary(client, auth, session):
    """The demo survey has 4 riders from 开封 and 3 on bicycles: hidden everywhere aggregate."""
    survey = _demo(session)
    auth.login("union")
    html = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert 'id="groups-city"' in html and "郑州" in html
    assert "开封" not in html and "自行车或步行" not in html
    assert "摩托车" in html                              # a group of 5 or more is shown
    summary = _rows(client.get(f"/surveys/{survey.id}/summary.csv").data)
    text = "\n".join(",".join(r) for r in summary)
    assert "开封" not in text and "自行车或步行" not in text and "<5" in text
    # the owner's raw export keeps every response, the small groups too
    raw = _rows(client.get(f"/surveys/{survey.id}/export.csv").data)
    assert len(raw) == 1 + 320 and sum("开封" in r for r in raw) == 4


def test_fewer_than_five_respondents_show_nothing(client, auth, session):
    sid = make_survey(session)
    _submit(session, sid, 4)
    auth.login("union")
    html = client.get(f"/surveys/{sid}").get_data(as_text=True)
    assert 'id="results-hidden"' in html and "6200" not in html
    summary = _rows(client.get(f"/surveys/{sid}/summary.csv").data)
    assert summary[1][:3] == ["*", "*", "<5"] and len(summary) == 2
    _submit(session, sid, 1, city="洛阳")
    html = client.get(f"/surveys/{sid}").get_data(as_text=True)
    assert 'id="results-hidden"' not in html and 'id="figures"' in html
    # five respondents in all, but 郑州 (4) and 洛阳 (1) are each a small group
    assert "洛阳" not in html and "郑州" not in client.get(
        f"/surveys/{sid}/summary.csv").data.decode("utf-8-sig")


def test_excluded_responses_leave_the_results(client, auth, session):
    sid = make_survey(session)
    _submit(session, sid, 5)
    auth.login("union")
    assert 'id="results-hidden"' not in client.get(f"/surveys/{sid}").get_data(as_text=True)
    first = session.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == sid)
                            .order_by(SurveyResponse.id)).first()
    answer = auth.post(f"/surveys/responses/{first.id}/flag",
                       {"excluded": "1", "note": "同一人重复填写"})
    assert answer.status_code == 303
    assert 'id="results-hidden"' in client.get(f"/surveys/{sid}").get_data(as_text=True)
    raw = _rows(client.get(f"/surveys/{sid}/export.csv").data)
    assert raw[1][2] == "是" and raw[1][3] == "同一人重复填写"


def test_exports_neutralise_formulas(client, auth, session):
    sid = make_survey(session)
    _submit(session, sid, 1, city='=HYPERLINK("x")')  # no digits: a city answer has none
    _submit(session, sid, 1, city="@SUM(A)")
    auth.login("union")
    raw = _rows(client.get(f"/surveys/{sid}/export.csv").data)
    cities = [r[-1] for r in raw[1:]]
    assert cities == ["'=HYPERLINK(\"x\")", "'@SUM(A)"]
    book = load_workbook(io.BytesIO(client.get(f"/surveys/{sid}/export.xlsx").data))
    values = [row[-1] for row in book.active.iter_rows(min_row=2, values_only=True)]
    assert values == ["'=HYPERLINK(\"x\")", "'@SUM(A)"]


def test_calibrate_and_make_a_scenario(client, auth, session):
    survey = _demo(session)
    auth.login("union")
    page = auth.post(f"/surveys/{survey.id}/calibrate")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="calibrate-fits"' in html and "KS" in html
    made = auth.post(f"/surveys/{survey.id}/adopt")
    assert made.status_code == 303 and "/scenarios/" in made.headers["Location"]
    record = session.scalars(select(SavedScenario).order_by(SavedScenario.id.desc())).first()
    assert record.organisation_id == survey.organisation_id
    market = record.data["market"]
    assert abs(market["orders_per_hour_mean"] - 2.6) < 0.15   # the demo's truth
    assert "开封" not in str(record.data)                    # no answers in the scenario


def test_calibration_needs_enough_responses(client, auth, session):
    sid = make_survey(session)
    _submit(session, sid, 5)
    auth.login("union")
    page = auth.post(f"/surveys/{sid}/calibrate")
    assert page.status_code == 400 and 'id="calibrate-error"' in page.get_data(as_text=True)
    assert auth.post(f"/surveys/{sid}/adopt").status_code == 400


def test_platform_may_not_create_and_outsiders_see_nothing(client, auth, session):
    survey = _demo(session)
    auth.login("platform")
    assert client.get("/surveys/new").status_code == 403
    assert auth.post("/surveys/new", {"title": "x"}).status_code == 403
    assert client.get(f"/surveys/{survey.id}/export.csv").status_code == 404
    assert session.scalar(select(Survey).where(Survey.title == "x")) is None


def test_create_a_survey(client, auth, session):
    auth.login("mediator")   # a tripartite study
    bad = auth.post("/surveys/new", {"title": "", "sector": "boats", "place": "",
                                     "closes_on": "2020-01-01"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400
    for field in ("title", "sector", "place", "closes_on", "questions"):
        assert f'id="err-{field}"' in html, field
    made = auth.post("/surveys/new", {"title": "三方调查", "sector": "ride_hailing",
                                      "place": "郑州市", "closes_on": "2099-01-01"})
    assert made.status_code == 400   # more than a year ahead
    from datetime import date, timedelta
    made = client.post("/surveys/new", data={
        "title": "三方调查", "sector": "ride_hailing", "place": "郑州市",
        "closes_on": (date.today() + timedelta(days=30)).isoformat(),
        "questions": ["days_last_month", "hours_online_per_day", "city"],
        "csrf_token": auth.token("/surveys/new")})
    assert made.status_code == 303
    survey = session.scalar(select(Survey).where(Survey.title == "三方调查"))
    assert survey.questions == ["days_last_month", "hours_online_per_day", "city"]
    page = client.get(f"/surveys/{survey.id}").get_data(as_text=True)
    assert f"/s/{survey.token}" in page
    qr = client.get(f"/surveys/{survey.id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data and b"<image" not in qr.data


def test_cli_export(app, runner, session, tmp_path):
    survey = _demo(session)
    target = tmp_path / "out.csv"
    result = runner.invoke(args=["surveys", "export", "--survey", str(survey.id),
                                 "--output", str(target)])
    assert result.exit_code == 0, result.output
    rows = _rows(target.read_bytes())
    assert len(rows) == 321 and rows[0][0] == "编号"
    assert runner.invoke(args=["surveys", "export", "--survey", "999999",
                               "--output", str(target)]).exit_code != 0
