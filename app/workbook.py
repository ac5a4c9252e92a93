"""Writing XLSX workbooks an office can use as they are: one sheet per table, a bold frozen
header row, column widths that fit, filters, and typed cells with number formats — a share is a
number formatted as a percentage (0.005 shows as 0.5%), money has two decimals and thousands
separators, dates are dates. Text is always written as text, never as a formula.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

#: Number formats by kind of value.
FORMATS = {
    "text": "@",
    "int": "#,##0",
    "number": "#,##0.00",
    "money": "#,##0.00",
    "percent": "0.0%",
    "percent2": "0.00%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
    "general": "General",
}
MAX_WIDTH = 60
SHEET_TITLE_MAX = 31  # Excel's limit
_BAD_TITLE = str.maketrans({c: "_" for c in "[]:*?/\\"})


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"
    width: float | None = None  # characters; estimated from the content when None


@dataclass(frozen=True)
class Typed:
    """A cell whose kind differs from its column's (a table of mixed measures)."""
    value: Any
    kind: str


def new_book() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    return book


def _text_width(value) -> float:
    text = value if isinstance(value, str) else f"{value:,.2f}" if isinstance(value, float) \
        else str(value)
    # East Asian characters take about two columns.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text.split("\n")[0])


def _cell_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no zones: the caller passes local time
    return value


def add_table(book: Workbook, title: str, columns: list[Column], rows: Iterable[Iterable], *,
              preamble: Iterable[tuple[str, Any]] = ()) -> Any:
    """A new sheet ``title`` holding ``preamble`` (label, value pairs, above the table) and the
    table; returns the sheet."""
    name = title.translate(_BAD_TITLE)[:SHEET_TITLE_MAX] or "Sheet"
    while name in book.sheetnames:
        name = name[:SHEET_TITLE_MAX - 2] + "_2"
    sheet = book.create_sheet(name)
    widths = [_text_width(c.title) + 2 for c in columns]
    row_no = 1
    for label, value in preamble:
        sheet.cell(row=row_no, column=1, value=label).font = Font(bold=True)
        _write(sheet, row_no, 2, value, "general")
        row_no += 1
    if row_no > 1:
        row_no += 1
    header = row_no
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header, column=i, value=column.title)
        cell.font = Font(bold=True)
        cell.data_type = "s"
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    for values in rows:
        row_no += 1
        for i, (column, value) in enumerate(zip(columns, values), start=1):
            kind = column.kind
            if isinstance(value, Typed):
                value, kind = value.value, value.kind
            _write(sheet, row_no, i, value, kind)
            if value is not None and column.width is None:
                widths[i - 1] = max(widths[i - 1], _text_width(
                    value * 100 if kind.startswith("percent") and isinstance(value, float)
                    else value) + 2)
    sheet.freeze_panes = sheet.cell(row=header + 1, column=1)
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A{header}:{last}{max(row_no, header)}"
    for i, column in enumerate(columns, start=1):
        width = column.width or min(widths[i - 1], MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(i)].width = width
    return sheet


def _write(sheet, row: int, column: int, value, kind: str) -> None:
    value = _cell_value(value)
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        return
    if value is None:
        return
    if isinstance(value, bool):
        return
    if isinstance(value, dt.datetime):
        cell.number_format = FORMATS["datetime"]
    elif isinstance(value, dt.date):
        cell.number_format = FORMATS["date"]
    elif kind in FORMATS and kind != "text":
        cell.number_format = FORMATS[kind]


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
