"""XLSX downloads read back with openpyxl: typed cells with office number formats, a frozen
header row, a sheet per table — the scenario, compare, offers, ledger and regional report."""
from __future__ import annotations

import io
import re

from openpyxl import load_workbook
from sqlalchemy import select

from app.db import utcnow
from app.ledger import service as ledger_service
from app.ledger.models import LedgerItem
from tests.negotiations.helpers import negotiation, user
from tests.web.test_scenarios_workbench import create

PERCENT, MONEY, INT = "0.0%", "#,##0.00", "#,##0"


def _book(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype.endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.get_data()))


def _rows(sheet):
    """{first cell: row of cells} under the frozen header."""
    header = int(re.sub(r"\D", "", sheet.freeze_panes)) - 1
    return {r[0].value: r for r in sheet.iter_rows(min_row=header + 1) if r[0].value is not None}


def test_scenario_workbook_is_typed(client, auth):
    auth.login("union")
    sid = create(auth, workers=200)
    auth.post(f"/scenarios/{sid}/save", {"pay.base_per_order": "4.5", "version": "1"})
    html = client.get(f"/scenarios/{sid}").get_data(as_text=True)
    share = float(re.search(r'id="readings-working_time" data-value="([^"]+)"', html).group(1))
    book = _book(client, f"/scenarios/{sid}/export.xlsx")
    assert book.sheetnames == ["结果", "参数"]
    results = book["结果"]
    assert results.freeze_panes is not None
    rows = {r[1].value: r for r in results.iter_rows() if r[0].value == "主要指标"}
    below = rows["低于小时最低工资的比例"]
    assert isinstance(below[3].value, float) and below[3].value == share
    assert below[3].number_format == PERCENT  # 0.5 % in a spreadsheet, not 0.005005
    cost = rows["平台每人每月净成本"]
    assert isinstance(cost[3].value, float) and cost[3].number_format == MONEY
    inputs = {r[1].value: r for r in book["参数"].iter_rows()}
    assert inputs["pay.base_per_order"][3].value == 4.5  # a number, not the text "4.5"
    assert inputs["pay.base_per_order"][3].data_type == "n"


def test_compare_workbook(client, auth, session):
    auth.login("union")
    a, b = create(auth, workers=200), create(auth, workers=200)
    auth.post(f"/scenarios/{b}/save", {"pay.base_per_order": "5.5", "version": "1"})
    page = client.get(f"/scenarios/compare?ids={a}&ids={b}").get_data(as_text=True)
    assert f"/scenarios/compare.xlsx?ids={a}&amp;ids={b}" in page
    book = _book(client, f"/scenarios/compare.xlsx?ids={a}&ids={b}")
    assert book.sheetnames == ["结果", "条款"]
    rows = _rows(book["结果"])
    share = next(r for k, r in rows.items() if k.startswith("低于小时最低工资的比例"))
    assert all(isinstance(c.value, (int, float)) and c.number_format == PERCENT
               for c in share[1:]), [(c.value, c.number_format) for c in share]
    cost = rows["每单净成本"]
    assert all(c.number_format == MONEY for c in cost[1:])
    terms = _rows(book["条款"])
    rate = next(r for r in terms.values() if r[4].value == 5.5)
    assert rate[2].data_type == "n" and rate[2].value != 5.5
    assert client.get("/scenarios/compare.xlsx?ids=1").status_code == 400


def test_offers_workbook(client, auth, session):
    auth.login("union")
    n = negotiation(session, "consultation")
    assert f"/negotiations/{n.id}/offers.xlsx" in client.get(
        f"/negotiations/{n.id}").get_data(as_text=True)
    book = _book(client, f"/negotiations/{n.id}/offers.xlsx")
    assert book.sheetnames == ["要约", "模拟效果"]
    terms = _rows(book["要约"])
    numbers = [c for r in terms.values() for c in r[1:] if c.value is not None]
    assert numbers and all(c.data_type == "n" for c in numbers
                           if not isinstance(c.value, str))
    effect = list(_rows(book["模拟效果"]).values())
    shares = [c for r in effect for c in r[1:] if c.number_format == PERCENT and c.value]
    assert shares and all(0 <= c.value <= 1 for c in shares)  # fractions, shown as %


def test_ledger_workbook_has_what_the_user_sees(client, auth, session):
    auth.login("mediator")
    book = _book(client, "/ledger/items.xlsx")
    rows = _rows(book["整改台账"])
    today = ledger_service.local_date(utcnow())
    seen = ledger_service.visible_items(session, user(session, "mediator"), today=today)
    assert set(rows) == {i.id for i in seen}
    item = session.get(LedgerItem, seen[0].id)
    row = rows[item.id]
    assert row[5].value.date() == item.deadline and row[5].number_format == "yyyy-mm-dd"
    assert row[0].number_format == INT
    auth.logout()
    auth.login("union")  # the union sees only the items following its agreements
    union_rows = _rows(_book(client, "/ledger/items.xlsx")["整改台账"])
    followed = session.scalars(select(LedgerItem.id).where(LedgerItem.negotiation_id.is_not(None)))
    assert set(union_rows) == set(followed)


def test_region_workbook(client, auth):
    auth.login("mediator")
    assert "/reports/region.xlsx" in client.get("/reports/region").get_data(as_text=True)
    book = _book(client, "/reports/region.xlsx")
    (sheet,) = book.worksheets
    rows = _rows(sheet)
    total = rows["合计"]
    assert all(isinstance(c.value, int) and c.number_format == INT for c in total[2:])
    assert client.get("/reports/region.xlsx?year=1999").status_code == 400
