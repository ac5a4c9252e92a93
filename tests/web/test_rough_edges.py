"""Rough edges found in use (issue 21): each test failed before its fix."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.ledger import report as region
from app.errors import ValidationError
from app.reports import report_pdf
from app.negotiations import records as nrecords
from app.negotiations import offers as noffers
from tests.negotiations.helpers import NOW, negotiation, user


def test_a_received_date_in_the_future_is_refused(session):
    n = negotiation(session, "preparing")
    tomorrow = (nrecords.local_today(NOW) + dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as refused:
        noffers.send_offer(session, user(session, "union"), n.id,
                            {"terms.base_per_order": "7", "received_on": tomorrow}, now=NOW)
    assert set(refused.value.errors) == {"received_on"}
    assert noffers.sent_offers(session, n) == []


def test_future_received_date_is_a_400_beside_the_field(client, auth, session):
    auth.login("union")
    n = negotiation(session, "preparing")
    tomorrow = (nrecords.local_today(dt.datetime.now(dt.timezone.utc))
                + dt.timedelta(days=1)).isoformat()
    answer = auth.post(f"/negotiations/{n.id}/offers",
                       {"terms.base_per_order": "7", "received_on": tomorrow})
    assert answer.status_code == 400
    assert 'id="form-offer-received_on-err"' in answer.get_data(as_text=True)


def test_region_pdf_prints_its_time_in_shanghai(session):
    mediator = user(session, "mediator")
    report = region.build(session, mediator, 2026, today=dt.date(2026, 12, 3))
    generated = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.timezone.utc)  # 07:30 next day
    pdf = report_pdf.render_report(report, lang="zh", office="三方办", generated=generated)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2026-12-04 07:30" in text
    assert "UTC" not in text.split("2026-12-04 07:30")[1][:12]


def test_heading_follows_a_rename(client, auth):
    from tests.web.test_scenarios_workbench import create
    auth.login("union")
    sid = create(auth, workers=200)
    answer = auth.post(f"/scenarios/{sid}/save", {"name": "新名字", "version": "1"},
                       headers={"HX-Request": "true", "HX-Target": "save-status"})
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert '<h1 id="wb-title" hx-swap-oob="true">新名字</h1>' in body


def test_glossary_lists_each_term_with_its_source_and_labels_link_to_it(client, auth, session):
    from app import glossary
    from tests.web.test_scenarios_workbench import create
    auth.login("union")
    page = client.get("/glossary").get_data(as_text=True)
    for term in ("要约", "计件单价", "宽放时间", "最低工资", "抽成比例"):
        assert term in page
    for t in glossary.TERMS:
        assert f'id="term-{t.key}"' in page and t.source in page
    sid = create(auth, workers=200)
    workbench = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    assert 'href="/glossary#term-piece_rate"' in workbench
    assert 'href="/glossary#term-allowance_time"' in workbench
    n = negotiation(session, "consultation")
    assert 'href="/glossary#term-offer"' in client.get(f"/negotiations/{n.id}").get_data(
        as_text=True)


def test_platform_cost_is_also_scaled_to_the_workers_covered(client, auth, session):
    from openpyxl import load_workbook
    n = negotiation(session, "consultation")
    auth.login("union")
    created = auth.post("/scenarios/from-negotiation", {"negotiation_id": str(n.id)})
    assert created.status_code == 302
    sid = int(created.headers["Location"].rstrip("/").split("/")[-1])
    page = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    assert 'id="covered-cost"' in page and f"{n.workers_count:,}" in page
    book = load_workbook(io.BytesIO(client.get(f"/scenarios/{sid}/export.xlsx").get_data()))
    per_month = next(r[3] for r in book["结果"].iter_rows(values_only=True)
                     if r[0] == "主要指标" and r[1] == "平台每人每月净成本")
    assert f'id="covered-package">{per_month * n.workers_count:,.0f}<' in page
    # A scenario of no negotiation shows no such table.
    from tests.web.test_scenarios_workbench import create
    other = create(auth, workers=200)
    assert 'id="covered-cost"' not in client.get(f"/scenarios/{other}").get_data(as_text=True)


@pytest.mark.parametrize("username, step", [
    ("union", "发出书面要约"), ("platform", "20 日内书面答复"), ("mediator", "整改台账")])
def test_first_visit_guide_per_role_until_dismissed(client, auth, session, username, step):
    from sqlalchemy import func
    from app.audit import AuditEntry
    auth.login(username)
    page = client.get("/dashboard").get_data(as_text=True)
    assert 'id="guide"' in page and step in page
    others = {"union": "发出书面要约", "platform": "20 日内书面答复", "mediator": "整改台账"}
    assert all(text not in page.split('id="guide"')[1].split("</section>")[0]
               for who, text in others.items() if who != username and text != step)
    audit = session.scalar(select(func.count()).select_from(AuditEntry))
    assert auth.post("/account/guide/dismiss").status_code == 302
    assert 'id="guide"' not in client.get("/dashboard").get_data(as_text=True)
    assert auth.post("/account/guide/dismiss").status_code == 302  # twice: nothing more
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit + 1


def _label_links(html: str, field_id: str) -> str | None:
    import re
    label = re.search(rf'<label for="{re.escape(field_id)}">(.*?)</label>', html, re.S)
    assert label, field_id
    link = re.search(r'class="glossary-link" href="/glossary#term-([a-z_]+)"', label.group(1))
    return link.group(1) if link else None


def test_every_term_label_with_a_glossary_entry_links_to_it(client, auth, session):
    """Each workbench field and offer-form term whose label names a glossary term (or that the
    glossary maps) links to that entry; no other label does."""
    from app import glossary
    from app.simulator import field_specs, presets
    from app.scenarios.forms import FIXED_KEYS, dom_id
    from tests.web.test_scenarios_workbench import create
    names = {t.zh: t.key for t in glossary.TERMS}
    auth.login("union")
    workbench = client.get(f"/scenarios/{create(auth, workers=200)}").get_data(as_text=True)
    checked = 0
    for e in field_specs(presets.preset("delivery")):  # the scenario create() makes
        if e["key"] in FIXED_KEYS:
            continue
        named = [key for zh, key in names.items() if zh in e["label_zh"]]
        expected = glossary.FIELD_TERMS.get(e["key"])
        assert expected or not named, f"{e['key']} ({e['label_zh']}) names {named}, no link"
        assert _label_links(workbench, f"f-{dom_id(e['key'])}") == expected, e["key"]
        checked += bool(expected)
    assert checked >= 12
    for key in glossary.FIELD_TERMS.values():
        assert key in glossary.BY_KEY
    n = negotiation(session, "consultation")
    page = client.get(f"/negotiations/{n.id}/actions/offer").get_data(as_text=True)
    assert _label_links(page, "form-offer-terms-base_per_order") == "piece_rate"
    assert _label_links(page, "form-offer-terms-max_daily_hours") == "working_time"
    assert _label_links(page, "form-offer-terms-late_penalty_per_order") is None
    table = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    offers = table[table.index('id="offers"'):]
    assert 'href="/glossary#term-piece_rate"' in offers[:offers.index("</table>")]
