"""The shared XLSX writer: types, number formats, frozen header, widths, text never a formula."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from app import workbook
from app.workbook import Column, Typed


def test_cells_are_typed_and_formatted():
    book = workbook.new_book()
    workbook.add_table(book, "表一", [
        Column("名称"), Column("比例", "percent"), Column("金额", "money"), Column("人数", "int"),
        Column("日期", "date"), Column("混合", "money")], [
        ["=1+1", 0.005005, Decimal("12345.6"), 1200, dt.date(2026, 12, 3), Typed(0.25, "percent")],
        ["乙", None, 3.0, 7, None, 2.5]], preamble=[("截至", dt.date(2026, 12, 3))])
    workbook.add_table(book, "表二", [Column("x")], [["y"]])
    read = load_workbook(io.BytesIO(workbook.to_bytes(book)))
    assert read.sheetnames == ["表一", "表二"]
    sheet = read["表一"]
    header = 3  # one preamble line, a blank line, then the header
    assert [c.value for c in sheet[header]] == ["名称", "比例", "金额", "人数", "日期", "混合"]
    assert all(c.font.bold for c in sheet[header])
    assert sheet.freeze_panes == f"A{header + 1}"
    name, share, money, count, day, mixed = sheet[header + 1]
    assert (name.value, name.data_type) == ("=1+1", "s")  # text, never a formula
    assert isinstance(share.value, float) and share.value == 0.005005
    assert share.number_format == "0.0%"
    assert money.value == 12345.6 and money.number_format == "#,##0.00"
    assert count.value == 1200 and count.number_format == "#,##0"
    assert day.value == dt.datetime(2026, 12, 3) and day.number_format == "yyyy-mm-dd"
    assert mixed.value == 0.25 and mixed.number_format == "0.0%"
    assert sheet[header + 2][5].number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= 6
    assert sheet["B1"].number_format == "yyyy-mm-dd"


def test_sheet_names_are_made_valid_and_unique():
    book = workbook.new_book()
    for _ in range(2):
        workbook.add_table(book, "a/b:c" * 10, [Column("x")], [])
    names = load_workbook(io.BytesIO(workbook.to_bytes(book))).sheetnames
    assert len(names) == 2 and len(set(names)) == 2
    assert all(len(n) <= 31 and "/" not in n and ":" not in n for n in names)
