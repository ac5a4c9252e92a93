"""Negotiation pages: content, htmx fragments vs full pages, 400/409 with nothing written."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.negotiations.models import Negotiation, Offer, ProcedureStep
from tests.negotiations.helpers import TITLES, make_outsider, negotiation

HX = {"HX-Request": "true"}


def _untokened(response) -> str:
    """The body with its CSRF tokens blanked (their timestamp changes from second to second)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""',
                  response.get_data(as_text=True))


def written(session):
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Negotiation, ProcedureStep, Offer, AuditEntry))


def test_negotiation_page_shows_timeline_dates_offers_chart_and_minutes(client, auth, session):
    n_id = negotiation(session, "consultation").id
    auth.login("union")
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    for text in (TITLES["consultation"], "发出书面要约", "第三十二条", "补足空缺代表",
                 "《集体合同规定》第三十一条", "每单基础单价", "offer-chart.svg", "召开协商会议",
                 "陈静（三方办工作人员）", "双方代表人数不等", "negotiation.step.counter_offer",
                 "提出反要约", "平均月净收入", "模拟测算结果"):
        assert text in page, text
    assert "假定" in page or "未经核实" in page or "assumption" in page.lower()
    svg = client.get(f"/negotiations/{n_id}/offer-chart.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    assert "'unsafe-inline'" in svg.headers["Content-Security-Policy"]


def test_in_force_page_shows_vote_filing_and_assumption(client, auth, session):
    n_id = negotiation(session, "in_force").id
    auth.login("mediator")
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    for text in ("已生效", "职工审议通过", "郑州市人力资源和社会保障局", "合同期满", "第四十八条措辞未经核实"):
        assert text in page, text


def test_list_and_dashboard_show_next_deadlines(client, auth):
    auth.login("platform")
    listing = client.get("/negotiations/").get_data(as_text=True)
    assert TITLES["awaiting"] in listing and "书面答复要约" in listing
    assert TITLES["in_force"] not in listing
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert TITLES["consultation"] in dashboard and "补足空缺代表" in dashboard


def test_english_page(client, auth, session):
    n_id = negotiation(session, "consultation").id
    auth.login("union")
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
    assert "In consultation" in page and "Fill the vacant seat" in page
    assert "Next steps" in page


def test_htmx_fragment_versus_full_page_on_validation(client, auth, session):
    n_id = negotiation(session, "awaiting").id
    auth.login("platform")
    before = written(session)
    url = f"/negotiations/{n_id}/reply"
    fragment = auth.post(url, {"answer": ""}, headers={**HX, "HX-Target": "form-reply"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 400
    assert "<html" not in body and 'id="form-reply"' in body and "请选择同意协商或拒绝协商" in body
    full = auth.post(url, {"answer": ""})
    assert full.status_code == 400
    assert "<html" in full.get_data(as_text=True)
    assert "请选择同意协商或拒绝协商" in full.get_data(as_text=True)
    # A boosted request aimed elsewhere gets the whole page.
    boosted = auth.post(url, {"answer": ""}, headers={**HX, "HX-Target": "body"})
    assert "<html" in boosted.get_data(as_text=True)
    assert written(session) == before


def test_inline_check_writes_nothing(client, auth, session):
    n_id = negotiation(session, "awaiting").id
    auth.login("platform")
    before = written(session)
    ok = auth.post(f"/negotiations/{n_id}/reply?check=1", {"answer": "accept"},
                   headers={**HX, "HX-Target": "form-reply"})
    assert ok.status_code == 200 and "field-error" not in ok.get_data(as_text=True)
    bad = auth.post(f"/negotiations/{n_id}/offers?check=1", {"terms.commission_rate": "2"},
                    headers={**HX, "HX-Target": "form-offer"})
    assert bad.status_code == 200 and "抽成比例" in bad.get_data(as_text=True)
    assert written(session) == before


def test_successful_htmx_post_redirects_the_page(client, auth, session):
    n_id = negotiation(session, "awaiting").id
    auth.login("platform")
    response = auth.post(f"/negotiations/{n_id}/reply", {"answer": "refuse", "reason": "无"},
                         headers={**HX, "HX-Target": "form-reply"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/negotiations/{n_id}"
    session.expire_all()
    assert negotiation(session, "awaiting").state == "refused"


def test_illegal_transition_is_409_with_the_reason(client, auth, session):
    n_id = negotiation(session, "consultation").id
    auth.login("mediator")
    before = written(session)
    response = auth.post(f"/negotiations/{n_id}/votes", {
        "members": "10", "present": "9", "in_favour": "8"})
    assert response.status_code == 409
    assert "不能“职工审议通过”" in response.get_data(as_text=True)
    response = auth.post(f"/negotiations/{n_id}/steps/sign", {
        "signed_by_worker_chief": "1", "signed_by_employer_chief": "1"},
        headers={**HX, "HX-Target": "form-sign"})
    assert response.status_code == 409
    assert auth.post(f"/negotiations/{n_id}/steps/nonsense", {}).status_code == 404
    assert written(session) == before


def test_new_negotiation_form(client, auth, session):
    auth.login("union")
    page = client.get("/negotiations/new").get_data(as_text=True)
    assert 'id="new-negotiation"' in page
    before = written(session)
    bad = auth.post("/negotiations/new", {"title": ""})
    assert bad.status_code == 400 and "请填写协商名称" in bad.get_data(as_text=True)
    check = auth.post("/negotiations/new?check=1", {"title": ""},
                      headers={**HX, "HX-Target": "new-negotiation"})
    assert check.status_code == 200 and "<html" not in check.get_data(as_text=True)
    assert written(session) == before
    union_org = session.scalar(select(Negotiation.worker_org_id))
    platform_org = session.scalar(select(Negotiation.employer_org_id))
    response = auth.post("/negotiations/new", {
        "title": "网页新建的协商", "worker_org_id": union_org, "employer_org_id": platform_org,
        "sector": "delivery", "province": "河南省", "city": "郑州市",
        "workers_covered": "全部骑手", "workers_count": "50"})
    assert response.status_code == 302
    session.expire_all()
    created = session.scalar(select(Negotiation).where(Negotiation.title == "网页新建的协商"))
    assert created is not None and created.state == "preparing"
    assert response.headers["Location"].endswith(f"/negotiations/{created.id}")


def test_correcting_a_date_moves_the_deadline_on_the_page(client, auth, session):
    from app.negotiations import records as nrecords
    n = negotiation(session, "awaiting")
    step = nrecords.step_rows(session, n)[0]
    auth.login("union")
    before = written(session)
    url = f"/negotiations/{n.id}/steps/{step.id}/correct"
    bad = auth.post(url, {"received_on": "2026-10-30"},
                    headers={**HX, "HX-Target": f"form-correct-{step.id}"})
    assert bad.status_code == 400 and "请填写更正理由" in bad.get_data(as_text=True)
    assert written(session) == before
    assert auth.post(url, {"on": step.on.isoformat(), "received_on": "2026-10-30",
                           "reason": "签收日期有误"}).status_code == 302
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    assert "2026-11-19" in page and "日期已更正" in page  # 30 Oct + 20 days
    assert auth.post(f"/negotiations/{n.id}/steps/999999/correct", {}).status_code == 404


def test_correction_forms_are_fetched_when_opened(client, auth, session):
    """The page carries each step's "correct a date" summary only; opening it fetches the form
    (htmx), and without JavaScript its link opens the whole page with that form open."""
    from app.negotiations import records as nrecords
    n = negotiation(session, "awaiting")
    step = nrecords.step_rows(session, n)[0]
    other = nrecords.step_rows(session, negotiation(session, "consultation"))[0]
    url = f"/negotiations/{n.id}/steps/{step.id}/correct"
    auth.login("platform")
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    assert f'hx-get="{url}"' in page and 'hx-trigger="toggle once"' in page
    assert 'class="form correct"' not in page
    fragment = client.get(url, headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert f'<form id="form-correct-{step.id}"' in body and f'action="{url}"' in body
    assert f'value="{step.on.isoformat()}"' in body and 'name="received_on"' in body
    full = client.get(url)
    assert full.status_code == 200
    assert _untokened(fragment).strip() in _untokened(full)  # the same form, open in the page
    assert '<details class="correct" open>' in full.get_data(as_text=True)
    assert client.get(f"/negotiations/{n.id}/steps/999999/correct", headers=HX).status_code == 404
    assert client.get(f"/negotiations/{n.id}/steps/{other.id}/correct",
                      headers=HX).status_code == 404  # a step of another negotiation
    make_outsider(session)
    auth.logout()
    auth.login("outsider")
    assert client.get(url, headers=HX).status_code == 404
    assert client.get(url).status_code == 404


def test_action_forms_are_fetched_when_opened(client, auth, session):
    """"Next steps" carries each form's summary only; opening it fetches the form (htmx), and
    without JavaScript its link opens the whole page with that form open."""
    n = negotiation(session, "preparing")
    url = f"/negotiations/{n.id}/actions/offer"
    auth.login("union")
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    assert f'hx-get="{url}"' in page and f'href="{url}#form-offer"' in page
    assert f'hx-get="/negotiations/{n.id}/actions/rep"' in page  # the representatives card
    assert 'id="form-offer"' not in page and 'id="form-rep"' not in page
    fragment = client.get(url, headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert '<form id="form-offer"' in body and 'name="terms.base_per_order"' in body
    full = client.get(url)
    assert full.status_code == 200
    assert _untokened(fragment).strip() in _untokened(full)  # the same form, open in the page
    assert '<details class="action" id="action-form-offer" open>' in full.get_data(as_text=True)
    reps = client.get(f"/negotiations/{n.id}/actions/rep", headers=HX).get_data(as_text=True)
    assert '<form id="form-rep"' in reps and "<html" not in reps
    # Not offered now: a vote before any draft, a step of another state, an unknown form.
    for key in ("vote", "suspend", "nonsense", "correct"):
        assert client.get(f"/negotiations/{n.id}/actions/{key}", headers=HX).status_code == 404
        assert client.get(f"/negotiations/{n.id}/actions/{key}").status_code == 404
    auth.logout()
    auth.login("mediator")  # offers and replies come from the sides
    assert client.get(url, headers=HX).status_code == 404
    make_outsider(session)
    auth.logout()
    auth.login("outsider")
    for key in ("offer", "rep"):
        assert client.get(f"/negotiations/{n.id}/actions/{key}", headers=HX).status_code == 404
        assert client.get(f"/negotiations/{n.id}/actions/{key}").status_code == 404


def test_fetched_forms_are_the_forms_the_page_would_show(client, auth, session):
    """Every form the page offers (each demo negotiation, each side and the mediator), fetched
    alone, is exactly the form that the page shows open without JavaScript."""
    seen = set()
    for username in ("union", "platform", "mediator"):
        auth.login(username)
        for n_id in session.scalars(select(Negotiation.id)).all():
            page = client.get(f"/negotiations/{n_id}").get_data(as_text=True)
            for url in re.findall(r'hx-get="(/negotiations/\d+/actions/[a-z_]+)"', page):
                fragment = client.get(url, headers=HX)
                assert fragment.status_code == 200, url
                full = client.get(url)
                assert _untokened(fragment).strip() in _untokened(full), (username, url)
                seen.add(url.rsplit("/", 1)[1])
        auth.logout()
    # The demo covers the own forms and the step forms that read more than the date.
    assert {"offer", "reply", "meeting", "rep", "agree_draft", "suspend"} <= seen, seen


def test_a_form_posted_with_errors_stays_in_the_page_open(client, auth, session):
    n_id = negotiation(session, "awaiting").id
    auth.login("platform")
    full = auth.post(f"/negotiations/{n_id}/reply", {"answer": ""}).get_data(as_text=True)
    assert '<details class="action" id="action-form-reply" open>' in full
    assert '<form id="form-reply"' in full and "请选择同意协商或拒绝协商" in full
    assert 'id="form-offer"' not in full  # the others are still fetched when opened


def test_a_draft_offer_is_edited_from_the_page(client, auth, session):
    n = negotiation(session, "preparing")
    auth.login("union")
    assert auth.post(f"/negotiations/{n.id}/offers", {
        "action": "draft", "terms.base_per_order": "7.11", "rationale": "初稿"}).status_code == 302
    draft = session.scalar(select(Offer).where(Offer.negotiation_id == n.id,
                                               Offer.status == "draft"))
    edit = f"/negotiations/{n.id}/actions/offer?draft={draft.id}"
    assert f'href="{edit}#form-offer"' in client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    form = client.get(edit, headers=HX).get_data(as_text=True)
    assert f'name="offer_id" value="{draft.id}"' in form
    assert f'name="version" value="{draft.version}"' in form
    assert 'value="7.11"' in form and "初稿" in form
    page = client.get(edit).get_data(as_text=True)  # without JavaScript: the page, form open
    assert '<details class="action" id="action-form-offer" open>' in page and 'value="7.11"' in page
    saved = auth.post(f"/negotiations/{n.id}/offers", {
        "action": "draft", "offer_id": str(draft.id), "version": str(draft.version),
        "terms.base_per_order": "7.22", "rationale": "二稿"})
    assert saved.status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Offer).where(
        Offer.negotiation_id == n.id)) == 1  # the same draft, changed
    draft = session.get(Offer, draft.id)
    assert draft.terms["base_per_order"] == 7.22 and draft.rationale == "二稿"
    # Someone else's side, another negotiation's offer or a bad id: not found.
    for bad in ("0", "abc", str(draft.id + 999)):
        assert client.get(f"/negotiations/{n.id}/actions/offer?draft={bad}",
                          headers=HX).status_code == 404
    auth.logout()
    auth.login("platform")
    assert client.get(edit, headers=HX).status_code == 404
