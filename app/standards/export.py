"""The minimum wages in force on a date as CSV or XLSX (the reference page's downloads).

The CSV has the columns of ``minimum_wages.csv`` so that a download can be edited and uploaded
again as new records.
"""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook

from app.standards.lookup import MinimumWage

HEADER = ("province", "tier", "monthly", "hourly", "effective_from", "document", "source",
          "verified")


def _row(w: MinimumWage) -> list:
    return [w.province, w.tier, w.monthly, w.hourly, w.effective_from.isoformat(), w.document,
            w.source, "yes" if w.verified else "no"]


def _safe(value):
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def to_csv(wages: list[MinimumWage]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows([_safe(v) for v in _row(w)] for w in wages)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(wages: list[MinimumWage], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(HEADER)
    for w in wages:
        sheet.append([_safe(v) for v in _row(w)])
    for column, width in zip("ABCDEFGH", (10, 6, 10, 10, 14, 24, 60, 10)):
        sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
