"""Decision 5: one package shows the same figures on the workbench, the compare page, the offers
table, the agreement's annex (page and PDF) and the XLSX export; the share below the minimum is
shown under all four readings of working time everywhere."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import steps as step_service
from app.scenarios import service as sservice
from app.simulator.metrics import READINGS
from tests.negotiations.helpers import NOW, negotiation, user

TERMS = {"pay.max_daily_hours": 10, "pay.hourly_floor": 22,
         "pay.weather_subsidy_rain_per_order": 1.5}  # the demo offer awaiting its reply


def values(html: str, prefix: str) -> dict:
    """Reading → value of the elements ``id="<prefix>-<reading>" data-value="…"``."""
    found = dict(re.findall(rf'id="{prefix}-([a-z_]+)" data-value="([^"]+)"', html))
    return {r: float(found[r]) for r in READINGS}


def row_cells(html: str, reading: str) -> list[float]:
    """The ``data-value`` of each cell of the table row of ``reading``."""
    row = re.search(rf'<tr[^>]*data-reading="{reading}"[^>]*>(.*?)</tr>', html, re.S).group(1)
    return [float(v) for v in re.findall(r'<td[^>]*data-value="([^"]+)"', row)]


def test_the_same_package_shows_the_same_figures_everywhere(client, auth, session):
    n = negotiation(session, "awaiting")
    union, platform, mediator = (user(session, u) for u in ("union", "platform", "mediator"))
    day = nrecords.local_today(NOW).isoformat()
    offer_service.reply_to_offer(session, platform, n.id, {"answer": "accept", "on": day}, now=NOW)
    offer = offer_service.sent_offers(session, n)[-1]
    step_service.record_step(session, mediator, n.id, "agree_draft", {
        "on": day, "offer_id": str(offer.id), "signed_by_worker_chief": "1",
        "signed_by_employer_chief": "1"}, now=NOW)
    record = sservice.create_from_rules(session, union, negotiation=n, name="现行规则", now=NOW)
    sservice.update_scenario(session, union, record, values=TERMS, now=NOW)
    other = sservice.copy_scenario(session, union, record, name="对照", now=NOW)
    session.commit()
    ids = (record.id, other.id)

    auth.login("mediator")
    assert auth.post(f"/negotiations/{n.id}/agreement",
                     {"term_years": "1", "effective": "2027-01-01"}).status_code == 302
    annex_page = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    annex = values(annex_page, "annex-readings")
    pdf = client.get(f"/negotiations/{n.id}/agreement.pdf?lang=zh")
    assert pdf.status_code == 200
    pdf_text = re.sub(r"\s+", "", "".join(p.extract_text()
                                          for p in PdfReader(io.BytesIO(pdf.data)).pages))
    auth.logout()

    auth.login("union")
    workbench = values(client.get(f"/scenarios/{record.id}").get_data(as_text=True), "readings")
    compare = client.get(f"/scenarios/compare?ids={ids[0]}&ids={ids[1]}").get_data(as_text=True)
    offers = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    book = load_workbook(io.BytesIO(client.get(f"/scenarios/{record.id}/export.xlsx").data))
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True)
            if r and r[0] == "低于小时最低工资的比例（按工作时间口径）"]

    # The four readings differ (they are different measures), and the legal floor is one of them.
    assert len(set(workbench.values())) > 1
    assert annex == workbench
    for r in READINGS:
        assert row_cells(compare, r)[0] == workbench[r], r
        offer_cell = row_cells(offers, r)[-1]  # percent, the accepted offer is the last column
        assert abs(offer_cell - 100 * workbench[r]) < 1e-9, r
        assert f"{100 * workbench[r]:.1f}%" in pdf_text, r
    assert [row[3] for row in rows] == [workbench[r] for r in READINGS]
    # The package's own reading is marked, and every reading carries its explanation.
    assert "本方案采用的口径" in pdf_text and "全部在线时间" in pdf_text
    for html in (annex_page, compare, offers):
        assert "reading-adopted" in html and "在线时间（扣除成本）" in html


def test_offers_sent_before_the_effect_was_stored_are_shown_with_it(client, auth, session):
    """An offer whose snapshot holds the old package-alone results (another measure under the
    same name) shows the package effect, computed as every page computes it."""
    import json

    from sqlalchemy import text

    from app.negotiations import terms
    n = negotiation(session, "awaiting")
    offer = offer_service.sent_offers(session, n)[-1]
    snapshot = dict(offer.snapshot)
    expected = terms.effect_results(snapshot["scenario"], n.current_rules)
    snapshot["results"] = {"workers": 2000, "share_net_below_hourly_minimum": 0.115,
                           "mean_net_monthly": 1.0, "platform": {"cost_per_order": 1.0}}
    session.execute(text("UPDATE negotiation_offer SET snapshot = :s WHERE id = :i"),
                    {"s": json.dumps(snapshot), "i": offer.id})
    session.commit()
    auth.login("union")
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    for r in READINGS:
        shown = row_cells(page, r)[-1]
        assert abs(shown - 100 * expected["package"]["share_below_hourly_minimum_by_reading"][r]) \
            < 1e-9, r
