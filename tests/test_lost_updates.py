"""No lost updates: two people load the same edit form; the second save is refused with 409.

For each editable record kind the form carries the version it was loaded with. The second save,
made from the stale form, must not overwrite the first: the answer is 409 with a message and
shows the first person's value, and the database still holds the first person's value.
"""
from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.models import Organisation, User
from app.ledger.models import LedgerItem
from app.agreements.models import Agreement, AgreementVersion
from app.scenarios.models import SavedScenario
from tests.conftest import CSRF_RE
from tests.negotiations.helpers import negotiation

VERSION_RE = re.compile(r'name="(version|base)"[^>]*value="(\d+)"')


def _colleague(app, username, like):
    """A second user of ``like``'s organisation, with ``like``'s role and site admin flag."""
    with app.extensions["xieshang.sessions"]() as s:
        model = s.scalar(select(User).where(User.username == like))
        person = User(username=username, display_name=username,
                      organisation_id=model.organisation_id, role=model.role,
                      is_site_admin=model.is_site_admin)
        person.set_password("xieshang-demo")
        s.add(person)
        s.commit()


def _client(app, username):
    client = app.test_client()
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"username": username, "password": "xieshang-demo",
                                       "csrf_token": token}).status_code == 302
    return client


def _load(client, url) -> dict:
    """The form fields that matter here, as a loaded page carries them."""
    page = client.get(url)
    assert page.status_code == 200, url
    html = page.get_data(as_text=True)
    return {"csrf_token": CSRF_RE.search(html).group(1),
            **{m.group(1): m.group(2) for m in VERSION_RE.finditer(html)}}


def _two(app, first, second, url):
    _colleague(app, second, first)
    a, b = _client(app, first), _client(app, second)
    return a, _load(a, url), b, _load(b, url)


def _query(app, stmt):
    with app.extensions["xieshang.sessions"]() as s:
        return s.scalar(stmt)


def test_scenario(sqlite_url, app_factory):
    app = app_factory(sqlite_url)
    sid = _query(app, select(SavedScenario.id).join(User, User.id == SavedScenario.owner_id)
                 .where(User.username == "union").order_by(SavedScenario.id))
    url = f"/scenarios/{sid}"
    a, form_a, b, form_b = _two(app, "union", "union2", url)
    assert form_a["version"] == form_b["version"]
    assert a.post(f"{url}/save", data={**form_a, "name": "甲的方案"}).status_code in (200, 302)
    stale = b.post(f"{url}/save", data={**form_b, "name": "乙的方案"})
    assert stale.status_code == 409
    assert "甲的方案" in stale.get_data(as_text=True)
    assert _query(app, select(SavedScenario.name).where(SavedScenario.id == sid)) == "甲的方案"


def test_ledger_item(sqlite_url, app_factory):
    app = app_factory(sqlite_url)
    item = _query(app, select(LedgerItem).order_by(LedgerItem.id))
    url = f"/ledger/items/{item.id}/edit"
    a, form_a, b, form_b = _two(app, "mediator", "mediator2", url)
    base = {"responsible": item.responsible, "detail": item.detail,
            "deadline": item.deadline.isoformat()}
    assert a.post(url, data={**form_a, **base, "title": "甲改的事项"}).status_code == 302
    stale = b.post(url, data={**form_b, **base, "title": "乙改的事项"})
    assert stale.status_code == 409
    assert "甲改的事项" in stale.get_data(as_text=True)
    assert _query(app, select(LedgerItem.title).where(LedgerItem.id == item.id)) == "甲改的事项"


def test_organisation(sqlite_url, app_factory):
    app = app_factory(sqlite_url)
    org = _query(app, select(Organisation).where(Organisation.name.contains("货运通")))
    url = f"/admin/organisations/{org.id}"
    a, form_a, b, form_b = _two(app, "admin", "admin2", url)
    base = {"kind": org.kind.value, "province": org.province, "city": org.city,
            "sector": org.sector.value if org.sector else "", "is_active": "y"}
    assert a.post(url, data={**form_a, **base, "name": "甲改名的平台（示例）"}).status_code == 302
    stale = b.post(url, data={**form_b, **base, "name": "乙改名的平台（示例）"})
    assert stale.status_code == 409
    assert "甲改名的平台（示例）" in stale.get_data(as_text=True)
    assert _query(app, select(Organisation.name).where(Organisation.id == org.id)) \
        == "甲改名的平台（示例）"


def test_agreement_draft(sqlite_url, app_factory):
    app = app_factory(sqlite_url)
    with app.extensions["xieshang.sessions"]() as s:
        n_id = negotiation(s, "consultation").id
    url = f"/negotiations/{n_id}/agreement/articles/purpose/edit"
    post = f"/negotiations/{n_id}/agreement/articles/purpose"
    a, form_a, b, form_b = _two(app, "mediator", "mediator2", url)
    assert form_a["base"] == form_b["base"]
    saved = a.post(post, data={**form_a, "text_zh": "甲修改的条款文字。"})
    assert saved.status_code in (200, 302)
    stale = b.post(post, data={**form_b, "text_zh": "乙修改的条款文字。"})
    assert stale.status_code == 409
    assert "甲修改的条款文字。" in stale.get_data(as_text=True)
    latest = _query(app, select(AgreementVersion).join(Agreement).where(
        Agreement.negotiation_id == n_id).order_by(AgreementVersion.number.desc()).limit(1))
    texts = [a["text_zh"] for a in latest.content["articles"] if a["key"] == "purpose"]
    assert texts == ["甲修改的条款文字。"]




def test_offer_draft(sqlite_url, app_factory):
    """Two people of the union edit the same draft offer (offer_id + version as loaded)."""
    from app.negotiations.models import Offer
    app = app_factory(sqlite_url)
    with app.extensions["xieshang.sessions"]() as s:
        n_id = negotiation(s, "preparing").id
    url = f"/negotiations/{n_id}"
    _colleague(app, "union2", "union")
    a, b = _client(app, "union"), _client(app, "union2")
    token_a = _load(a, url)["csrf_token"]
    assert a.post(f"{url}/offers", data={"csrf_token": token_a, "action": "draft",
                                         "terms.base_per_order": "7.11"}).status_code == 302
    draft = _query(app, select(Offer).where(Offer.negotiation_id == n_id,
                                            Offer.status == "draft"))
    loaded = {"offer_id": str(draft.id), "version": str(draft.version), "action": "draft"}
    form_a, form_b = _load(a, url), _load(b, url)  # both open the page with the draft
    assert a.post(f"{url}/offers", data={**form_a, **loaded,
                                         "terms.base_per_order": "7.22"}).status_code == 302
    stale = b.post(f"{url}/offers", data={**form_b, **loaded, "terms.base_per_order": "7.33"})
    assert stale.status_code == 409
    assert "7.22" in stale.get_data(as_text=True)
    terms = _query(app, select(Offer.terms).where(Offer.id == draft.id))
    assert terms["base_per_order"] == 7.22


def test_agreement_standard(sqlite_url, app_factory):
    """Two mediators change the same agreed standard from the agreement page."""
    app = app_factory(sqlite_url)
    with app.extensions["xieshang.sessions"]() as s:
        n_id = negotiation(s, "consultation").id
    url = f"/negotiations/{n_id}/agreement"
    a, form_a, b, form_b = _two(app, "mediator", "mediator2", url)
    key = next(iter(_standard_keys(a, url)))
    post = f"{url}/standards/{key}"
    assert a.post(post, data={**form_a, "value": "7.77"}).status_code == 302
    stale = b.post(post, data={**form_b, "value": "8.88"})
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "8.88" in page and "7.77" in page  # theirs in the field and the message, yours named
    latest = _query(app, select(AgreementVersion).join(Agreement).where(
        Agreement.negotiation_id == n_id).order_by(AgreementVersion.number.desc()).limit(1))
    assert [s["value"] for s in latest.content["standards"] if s["key"] == key] == [7.77]


def _standard_keys(client, url) -> list[str]:
    page = client.get(url).get_data(as_text=True)
    return re.findall(r'/standards/([\w.]+)" class="agr-std-form"', page)


def test_an_edit_form_without_its_version_is_refused(sqlite_url, app_factory):
    """A form that lost its version field (tampered or outdated) is a 400, never a save over
    whatever is stored now: scenario, its move to a newer standard, ledger item, organisation,
    offer draft and agreement article. (A ledger step is no overwrite: a stale one is refused
    by the item's state.)"""
    from app.negotiations.models import Offer
    app = app_factory(sqlite_url)
    with app.extensions["xieshang.sessions"]() as s:
        preparing = negotiation(s, "preparing").id
        drafting = negotiation(s, "consultation").id
    sid = _query(app, select(SavedScenario.id).join(User, User.id == SavedScenario.owner_id)
                 .where(User.username == "union").order_by(SavedScenario.id))
    item = _query(app, select(LedgerItem).order_by(LedgerItem.id))
    org = _query(app, select(Organisation).where(Organisation.name.contains("货运通")))
    union, mediator, admin = (_client(app, u) for u in ("union", "mediator", "admin"))
    token = _load(union, f"/negotiations/{preparing}")["csrf_token"]
    assert union.post(f"/negotiations/{preparing}/offers", data={
        "csrf_token": token, "action": "draft", "terms.base_per_order": "7.11"}).status_code == 302
    draft = _query(app, select(Offer).where(Offer.negotiation_id == preparing,
                                            Offer.status == "draft"))
    cases = [
        (union, f"/scenarios/{sid}", f"/scenarios/{sid}/save", {"name": "无版本的方案"}),
        (union, f"/scenarios/{sid}", f"/scenarios/{sid}/move-standard", {}),
        (mediator, f"/ledger/items/{item.id}/edit", f"/ledger/items/{item.id}/edit",
         {"title": "无版本的事项", "responsible": item.responsible, "detail": item.detail,
          "deadline": item.deadline.isoformat()}),
        (admin, f"/admin/organisations/{org.id}", f"/admin/organisations/{org.id}",
         {"kind": org.kind.value, "province": org.province, "city": org.city,
          "sector": org.sector.value if org.sector else "", "name": "无版本的平台"}),
        (union, f"/negotiations/{preparing}", f"/negotiations/{preparing}/offers",
         {"offer_id": str(draft.id), "action": "draft", "terms.base_per_order": "9.99"}),
        (mediator, f"/negotiations/{drafting}/agreement/articles/purpose/edit",
         f"/negotiations/{drafting}/agreement/articles/purpose", {"text_zh": "无版本的条款。"}),
    ]
    for client, page, post, data in cases:
        loaded = _load(client, page)
        answer = client.post(post, data={"csrf_token": loaded["csrf_token"], **data})
        assert answer.status_code == 400, (post, answer.status_code)
        assert "版本" in answer.get_data(as_text=True), post
    assert _query(app, select(SavedScenario.name).where(SavedScenario.id == sid)) != "无版本的方案"
    assert _query(app, select(LedgerItem.title).where(LedgerItem.id == item.id)) != "无版本的事项"
    assert _query(app, select(Organisation.name).where(Organisation.id == org.id)) != "无版本的平台"
    assert _query(app, select(Offer.terms).where(Offer.id == draft.id))["base_per_order"] == 7.11
    latest = _query(app, select(AgreementVersion).join(Agreement).where(
        Agreement.negotiation_id == drafting).order_by(AgreementVersion.number.desc()).limit(1))
    assert "无版本的条款。" not in [a["text_zh"] for a in latest.content["articles"]]
