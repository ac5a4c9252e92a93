"""Answering a survey on a phone: no account, the consent gate, bounds, one answer per device,
rate limits that hold across workers, the closing date, withdrawal."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.surveys import service
from app.surveys.models import SurveyAttempt, SurveyResponse
from tests.conftest import CSRF_RE, make_test_app
from tests.surveys.helpers import GOOD, make_survey, token_of


def _count(app, survey_id) -> int:
    with app.extensions["xieshang.sessions"]() as s:
        return s.scalar(select(func.count()).select_from(SurveyResponse).where(
            SurveyResponse.survey_id == survey_id))


def _open(client, token):
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    return page, CSRF_RE.search(page.get_data(as_text=True)).group(1)


def _answer(client, token, data, *, consent=True):
    _page, csrf = _open(client, token)
    form = {**data, "csrf_token": csrf}
    if consent:
        form["consent"] = "yes"
    return client.post(f"/s/{token}", data=form)


def test_answering_without_an_account(app, session):
    sid = make_survey(session)
    token = token_of(session, sid)
    client = app.test_client()
    page, _csrf = _open(client, token)
    html = page.get_data(as_text=True)
    # Chinese by default, the consent statement, no JavaScript, nothing identifying asked
    assert "在开始回答之前" in html or "回答之前" in html
    assert 'id="consent-statement"' in html and "<script" not in html
    assert not re.search(r'name="(name|phone|mobile|platform_id)"', html)
    assert len(page.data) < 20_000   # light on a slow connection (CSS ~3 KB, no script)
    answer = _answer(client, token, GOOD)
    assert answer.status_code == 303
    thanks = client.get(answer.headers["Location"]).get_data(as_text=True)
    code = re.search(r'id="withdrawal-code">([A-Z0-9-]+)<', thanks).group(1)
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{2}", code)
    # shown once: reloading the page no longer shows it
    assert code not in client.get(answer.headers["Location"]).get_data(as_text=True)
    with app.extensions["xieshang.sessions"]() as s:
        stored = s.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == sid)).one()
        assert stored.answers["orders_per_day"] == 28 and stored.answers["city"] == "郑州"
        attempt = s.scalars(select(SurveyAttempt).where(SurveyAttempt.survey_id == sid)).one()
        assert "127.0.0.1" not in attempt.address_hash and len(attempt.address_hash) == 64


def test_the_consent_gate(app, session):
    sid = make_survey(session)
    token = token_of(session, sid)
    client = app.test_client()
    refused = _answer(client, token, GOOD, consent=False)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert 'id="err-consent"' in html and 'value="28"' in html  # answers kept in the form
    assert _count(app, sid) == 0
    assert _answer(client, token, GOOD).status_code == 303
    assert _count(app, sid) == 1


def test_one_answer_per_device(app, session):
    sid = make_survey(session)
    token = token_of(session, sid)
    phone = app.test_client()
    assert _answer(phone, token, GOOD).status_code == 303
    page = phone.get(f"/s/{token}").get_data(as_text=True)
    assert "已经回答" in page and 'name="consent"' not in page
    again = phone.post(f"/s/{token}", data={**GOOD, "consent": "yes",
                                            "csrf_token": CSRF_RE.search(page).group(1)})
    assert again.status_code == 409
    assert _count(app, sid) == 1
    # A device cookie not signed with the app's key counts as no device: refused
    other = app.test_client()
    _page, csrf = _open(other, token)
    other.set_cookie("xs_device", "forged", path="/s/")
    forged = other.post(f"/s/{token}", data={**GOOD, "consent": "yes", "csrf_token": csrf})
    assert forged.status_code == 400 and "Cookie" in forged.get_data(as_text=True)
    assert _count(app, sid) == 1
    assert _answer(app.test_client(), token, GOOD).status_code == 303   # another phone
    assert _count(app, sid) == 2


def test_out_of_range_and_impossible_answers(app, session):
    sid = make_survey(session)
    token = token_of(session, sid)
    client = app.test_client()
    cases = {
        "hours_online_per_day": ({"hours_online_per_day": "25"}, "0 到 24"),
        "days_last_month": ({"days_last_month": "2.5"}, "整数"),
        "hours_with_orders_per_day": ({"hours_with_orders_per_day": "10"}, "在线"),
        "deductions_last_month": ({"deductions_last_month": "7000"}, "扣款"),
        "orders_per_day": ({"orders_per_day": "140"}, "12"),
        "vehicle_type": ({"vehicle_type": "rocket"}, "选择"),
        "city": ({"city": "郑" * 30}, "20"),
        "city ": ({"city": "13812345678"}, "数字"),
    }
    for field, (change, words) in cases.items():
        answer = _answer(client, token, {**GOOD, **change})
        assert answer.status_code == 400, field
        html = answer.get_data(as_text=True)
        field = field.strip()
        error = re.search(rf'<p class="sv-error" id="err-{field}">([^<]+)</p>', html)
        assert error and words in error.group(1), (field, error and error.group(1))
    assert _count(app, sid) == 0


def test_rate_limit_holds_across_workers(db_url, tmp_path, session):
    """Two app instances (two web workers) on one database share the count of answers from one
    address; refused answers write nothing and are not counted."""
    sid = make_survey(session)
    token = token_of(session, sid)
    workers = [make_test_app(db_url, tmp_path / f"w{i}") for i in (1, 2)]
    try:
        for _ in range(3):
            assert _answer(workers[0].test_client(), token, GOOD, consent=False).status_code == 400
        for i in range(service.ANSWERS_PER_HOUR):   # a new phone each time, same address
            assert _answer(workers[i % 2].test_client(), token, GOOD).status_code == 303
        limited = _answer(workers[1].test_client(), token, GOOD)
        assert limited.status_code == 429
        assert "太多" in limited.get_data(as_text=True)
        assert _count(workers[0], sid) == service.ANSWERS_PER_HOUR
    finally:
        for w in workers:
            w.extensions["xieshang.engine"].dispose()


def test_closed_survey_takes_no_answers(app, session, auth, client):
    sid = make_survey(session)
    token = token_of(session, sid)
    auth.login("union")
    assert auth.post(f"/surveys/{sid}/close").status_code == 303
    rider = app.test_client()
    page = rider.get(f"/s/{token}").get_data(as_text=True)
    assert "已结束" in page and 'name="consent"' not in page
    csrf = CSRF_RE.search(page).group(1)
    assert rider.post(f"/s/{token}", data={**GOOD, "consent": "yes",
                                           "csrf_token": csrf}).status_code == 410
    assert _count(app, sid) == 0


def test_withdrawal(app, session):
    sid = make_survey(session)
    token = token_of(session, sid)
    phone = app.test_client()
    answer = _answer(phone, token, GOOD)
    code = re.search(r'id="withdrawal-code">([A-Z0-9-]+)<',
                     phone.get(answer.headers["Location"]).get_data(as_text=True)).group(1)
    assert _count(app, sid) == 1
    page = phone.get(f"/s/{token}/withdraw").get_data(as_text=True)
    csrf = CSRF_RE.search(page).group(1)
    wrong = phone.post(f"/s/{token}/withdraw", data={"code": "AAAA-AAAA-AA", "csrf_token": csrf})
    assert wrong.status_code == 400 and 'id="err-code"' in wrong.get_data(as_text=True)
    assert _count(app, sid) == 1
    # typed in lower case without the dashes: still the code
    done = phone.post(f"/s/{token}/withdraw", data={"code": code.replace("-", "").lower(),
                                                    "csrf_token": csrf})
    assert done.status_code == 200 and "已删除" in done.get_data(as_text=True)
    assert _count(app, sid) == 0
    # the same phone may answer again after withdrawing
    assert _answer(phone, token, GOOD).status_code == 303


def test_unknown_link_is_404(client):
    assert client.get("/s/no-such-survey").status_code == 404
    assert client.get("/s/" + "x" * 300).status_code == 404
