"""Refusals of the domain read in English in the English interface, beside their field
(issue 14): the simulator's per-field and cross-field checks on the workbench, the column
mapping of a calibration upload, and the variant fields and today's rules of a new negotiation.
The Chinese interface shows the same refusals in the Chinese wording they always had."""
from __future__ import annotations

import html as html_lib
import io
import pickle
import re

import pytest
from sqlalchemy import func, select

from app.agreements import clauses
from app.errors import ValidationError
from app.negotiations.models import Negotiation
from app.simulator import PayRules
from app.web.errors import translated
from tests.web.test_english_pages import CJK
from tests.web.test_scenarios_workbench import HX, create

WORKBENCH = [  # form values → (field, the English message, the Chinese one)
    ({"workforce.n_workers": "0"},
     ("workforce-n_workers", "Simulated workers must be between 1 and 1000000",
      "模拟劳动者人数必须在 1 到 1000000 之间")),
    ({"pay.base_per_order": "abc"},
     ("pay-base_per_order", "Base pay per order must be a number", "每单基础单价必须是数字")),
    ({"workforce.days": "2.5"},
     ("workforce-days", "Simulated days must be a whole number", "模拟天数必须是整数")),
    ({"market.p_rain": "0.6", "market.p_heat_35": "0.6"},
     ("market-p_rain", "The probabilities of the kinds of weather may add up to at most 1 "
      "(now 1.29)", "各种天气的概率之和不能超过 1（现在是 1.29）")),
    ({"pay.max_continuous_hours": "4", "pay.rest_minutes": "0"},
     ("pay-rest_minutes", "With a cap on continuous hours the compulsory rest must be longer "
      "than 0", "设置了连续接单时长上限时，强制休息时长必须大于 0")),
]


def beside(page: str, element_id: str) -> str:
    """The text of the field message with ``element_id`` (unescaped), or '' if none."""
    found = re.search(r'<p class="field-error" id="%s"[^>]*>([^<]*)</p>' % re.escape(element_id),
                      page)
    assert found, f"no message {element_id!r} in the page"
    return html_lib.unescape(found.group(1)).strip()


def english(auth) -> None:
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})


@pytest.mark.parametrize("values,expected", WORKBENCH)
def test_workbench_refusals_read_in_english_beside_the_field(client, auth, values, expected):
    field, words_en, words_zh = expected
    auth.login("union")
    sid = create(auth)
    chinese = auth.post(f"/scenarios/{sid}/run", values, headers=HX)
    assert chinese.status_code == 400
    assert beside(chinese.get_data(as_text=True), f"err-{field}") == words_zh
    english(auth)
    response = auth.post(f"/scenarios/{sid}/run", values, headers=HX)
    assert response.status_code == 400
    message = beside(response.get_data(as_text=True), f"err-{field}")
    assert message == words_en and not CJK.search(message)


def _upload(auth, payload: bytes):
    return auth.post("/analyses/calibrate",
                     {"source": "preset:delivery", "file": (io.BytesIO(payload), "records.csv")},
                     content_type="multipart/form-data", headers=HX)


def test_calibration_column_checks_read_in_english(client, auth):
    auth.login("union")
    no_columns = "名字,年龄\n张三,30\n".encode()
    assert beside(_upload(auth, no_columns).get_data(as_text=True), "err-hours_per_day") \
        == "请选择“每个出勤日在线时长”对应的列"
    english(auth)
    response = _upload(auth, no_columns)
    assert response.status_code == 400
    message = beside(response.get_data(as_text=True), "err-hours_per_day")
    assert message == "Choose the column of “Online hours per worked day”"
    assert not CJK.search(message)
    not_a_number = "在线时长,出勤天数\n8,20\n八小时,20\n".encode()
    response = _upload(auth, not_a_number)
    assert response.status_code == 400
    message = beside(response.get_data(as_text=True), "err-hours_per_day")
    # The column's name and the cell are the user's data, quoted as they are.
    assert message == "Column “在线时长” is not a number in row(s) 3 (for example “八小时”)"
    assert not CJK.search(message.replace("在线时长", "").replace("八小时", ""))


def _new(auth, session, **extra):
    return auth.post("/negotiations/new", {
        "title": "英文界面的新协商", "worker_org_id": session.scalar(select(
            Negotiation.worker_org_id)), "employer_org_id": session.scalar(select(
                Negotiation.employer_org_id)), "sector": "delivery", "province": "河南省",
        "city": "郑州市", "workers_covered": "全部骑手", "workers_count": "50", **extra})


@pytest.mark.parametrize("values,field,words", [
    ({"variant": "nope"}, "variant", "Choose the kind of consultation"),
    ({"variant": "platform_rules", "representatives_paid": "maybe"}, "representatives_paid",
     "Choose whether the worker representatives are paid during the consultation"),
    ({"current_rules": '{"pay": {"base_per_order": "abc"}}'}, "current_rules",
     "Today's rules are not a valid scenario (pay.base_per_order: Base pay per order must be "
     "a number)"),
])
def test_negotiation_variant_fields_read_in_english(client, auth, session, values, field, words):
    auth.login("union")
    before = session.scalar(select(func.count()).select_from(Negotiation))
    english(auth)
    response = _new(auth, session, **values)
    assert response.status_code == 400
    message = beside(response.get_data(as_text=True), f"new-negotiation-{field}-err")
    assert message == words and not CJK.search(message)
    assert session.scalar(select(func.count()).select_from(Negotiation)) == before


def test_an_illegal_step_is_refused_in_english(client, auth, session):
    n_id = session.scalar(select(Negotiation.id).where(Negotiation.state == "in_consultation"))
    auth.login("mediator")
    english(auth)
    response = auth.post(f"/negotiations/{n_id}/votes", {
        "members": "10", "present": "9", "in_favour": "8"})
    assert response.status_code == 409
    page = html_lib.unescape(response.get_data(as_text=True))
    found = re.search(r"In the state “In consultation” the step “[^”]+” is not possible\. "
                      r"Possible now: [^<]+", page)
    assert found, page[:3000]
    assert not CJK.search(found.group(0))


def test_a_label_parameter_is_english_in_str_and_chinese_outside_the_app():
    with pytest.raises(ValidationError) as info:
        PayRules(commission_rate="x")
    message = info.value.errors["commission_rate"]
    assert str(message) == "Commission rate must be a number"  # logs, str(exc)
    assert translated(message) == "抽成比例必须是数字"  # no app: the default language
    again = pickle.loads(pickle.dumps(message))  # a job's queue keeps both languages
    assert str(again) == str(message) and translated(again) == translated(message)


def test_version_summaries_read_in_the_interface_language(client, auth, session):
    n_id = session.scalar(select(Negotiation.id).where(Negotiation.state == "in_consultation"))
    label = clauses.STANDARD_BY_KEY["base_per_order"]
    auth.login("mediator")
    saved = auth.post(f"/negotiations/{n_id}/agreement/standards/base_per_order",
                      {"base": "2", "value": "6.8"})
    assert saved.status_code == 302
    chinese = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    assert f'<span class="muted">修改标准：{label.label_zh}</span>' in chinese
    english(auth)
    page = html_lib.unescape(client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True))
    versions = page.split('id="versions"')[1].split("</section>")[0]
    assert f'<span class="muted">Standard changed: {label.label_en}</span>' in versions
    assert "Drafted from the scenario" in versions
    assert not CJK.search(re.sub(r"<[^>]+>", "", versions))
