"""Issue 13, finding 5: text starting like a formula is exported as text, never as a formula."""
from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from tests.web.test_scenarios_workbench import create

NAME = '=HYPERLINK("http://evil.example/","点此")'


def test_scenario_named_like_a_formula_is_text_in_csv_and_xlsx(client, auth):
    auth.login("union")
    sid = create(auth, name=NAME, workers=100)
    text = client.get(f"/scenarios/{sid}/export.csv").get_data().decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert "'" + NAME in cells
    assert not any(c.startswith(("=", "+", "@", "\t", "\r")) for c in cells)
    book = load_workbook(io.BytesIO(client.get(f"/scenarios/{sid}/export.xlsx").get_data()))
    found = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row
             if c.value == NAME]
    assert found and all(c.data_type == "s" for c in found)
    assert not any(c.data_type == "f" for sheet in book.worksheets
                   for row in sheet.iter_rows() for c in row)


def test_region_csv_neutralises_formula_text():
    from app import spreadsheet
    assert spreadsheet.csv_row(["=1+1", "-2", "@x", "\tA", 3, -4.5, "ok"]) == \
        ["'=1+1", "'-2", "'@x", "'\tA", 3, -4.5, "ok"]
