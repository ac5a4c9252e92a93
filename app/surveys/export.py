"""Exports: the owner's raw responses (CSV, XLSX) and the aggregate table (CSV).

Text cells that a spreadsheet would read as a formula (starting with = + - @, a tab or a carriage
return) are prefixed with an apostrophe, so an exported answer never runs as a formula.
"""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from app.surveys import questions as Q
from app.surveys.service import LOCAL_ZONE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` safe for a spreadsheet cell: formula-like text gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def response_rows(survey, responses, lang: str = "zh") -> list[list]:
    """One row per response: number, time (Beijing), excluded, flag note, then the answers."""
    keys = list(survey.questions)
    head = (["编号", "提交时间（北京时间）", "已排除", "标记说明"] if lang != "en" else
            ["No.", "Submitted (Beijing time)", "Excluded", "Flag note"])
    head += [f"{Q.BY_KEY[k].label(lang)}" + (f" ({Q.BY_KEY[k].unit(lang)})"
                                             if Q.BY_KEY[k].unit(lang) else "") for k in keys]
    rows = [head]
    for r in responses:
        when = r.submitted_at.astimezone(LOCAL_ZONE).strftime("%Y-%m-%d %H:%M")
        row = [r.id, when, ("是" if lang != "en" else "yes") if r.excluded else "",
               r.flag_note or ""]
        for k in keys:
            value = r.answers.get(k, "")
            q = Q.BY_KEY[k]
            row.append(q.choice_label(value, lang) if q.kind == "choice" and value else value)
        rows.append(row)
    return rows


def to_csv(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    for i, row in enumerate(rows):
        sheet.append([neutralise(v) for v in row])
        if i == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
