"""Read risk indicators from a CSV or XLSX file: one row per enterprise and screening date.

Headers may be English or Chinese (``complaints`` / ``劳动者投诉`` / ``Worker complaints (complaints)``);
units in brackets are ignored. Every problem is collected with its row and column; a file with
any problem is rejected as a whole, so the caller stores nothing.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app import spreadsheet
from app.ledger.scoring import INDICATORS, validate

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 1000
MAX_PROBLEMS = 50

ENTERPRISE = "enterprise"
SCREENED_ON = "screened_on"

_ALIASES: dict[str, tuple[str, ...]] = {
    ENTERPRISE: ("enterprise", "enterprise name", "company", "企业", "企业名称", "单位名称"),
    SCREENED_ON: ("screened on", "screened_on", "date", "screening date", "排查日期", "日期"),
}
for _ind in INDICATORS:
    _ALIASES[_ind.key] = (_ind.key, _ind.label_en, _ind.label_zh)


def _norm(header: str) -> str:
    text = re.sub(r"[（(][^）)]*[）)]", "", str(header))
    return re.sub(r"[\s_\-:：]+", "", text).lower()


HEADER_TO_KEY = {_norm(alias): key for key, aliases in _ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class Problem:
    message: str                      # English source string with %(name)s placeholders
    row: int | None = None            # 1-based row in the file (the header is row 1)
    column: str | None = None
    params: dict = field(default_factory=dict)


class ImportRejected(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems[:MAX_PROBLEMS]
        super().__init__("; ".join(p.message % p.params if p.params else p.message
                                   for p in self.problems))


@dataclass(frozen=True)
class ImportRow:
    row: int
    enterprise: str
    screened_on: date | None
    values: dict


def _table_from_csv(data: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected([Problem("The file is not UTF-8 or GB18030 text.")])
    if "\x00" in text:
        raise ImportRejected([Problem("The file is not a CSV text file.")])
    try:
        rows = []
        for row in csv.reader(io.StringIO(text)):
            if len(row) > spreadsheet.MAX_COLUMNS and any(
                    c.strip() for c in row[spreadsheet.MAX_COLUMNS:]):
                raise ImportRejected([Problem("The file has more than %(limit)s columns.",
                                              params={"limit": spreadsheet.MAX_COLUMNS})])
            rows.append(row[:spreadsheet.MAX_COLUMNS])
        return rows
    except csv.Error:
        raise ImportRejected([Problem("The CSV file could not be read.")])


def _table_from_xlsx(data: bytes) -> list[list]:
    try:
        return spreadsheet.read_rows(data, max_rows=MAX_ROWS + 1)
    except spreadsheet.SpreadsheetRejected as e:
        if e.reason == "too_many_rows":
            raise ImportRejected([Problem("The file has more than %(limit)s rows.",
                                          params={"limit": MAX_ROWS})]) from None
        if e.reason == "too_large":
            raise ImportRejected([Problem(
                "The workbook is too large once unpacked (at most %(limit)s MB).",
                params={"limit": spreadsheet.MAX_UNPACKED_BYTES // (1024 * 1024)})]) from None
        if e.reason == "too_many_columns":
            raise ImportRejected([Problem("The file has more than %(limit)s columns.",
                                          params={"limit": spreadsheet.MAX_COLUMNS})]) from None
        raise ImportRejected([Problem("The file is not a readable XLSX workbook.")]) from None


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse(filename: str, data: bytes) -> list[ImportRow]:
    """The rows of a CSV or XLSX file, or :class:`ImportRejected` listing every problem."""
    name = (filename or "").lower()
    if not data:
        raise ImportRejected([Problem("The file is empty.")])
    if len(data) > MAX_BYTES:
        raise ImportRejected([Problem("The file is larger than %(limit)s MB.",
                                      params={"limit": MAX_BYTES // (1024 * 1024)})])
    if name.endswith(".xlsx"):
        table = _table_from_xlsx(data)
    elif name.endswith(".csv"):
        table = _table_from_csv(data)
    else:
        raise ImportRejected([Problem("Upload a .csv or .xlsx file.")])

    table = [r for r in table if any(str(v).strip() for v in r)]
    if not table:
        raise ImportRejected([Problem("The file is empty.")])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRejected([Problem("The file has more than %(limit)s rows.",
                                      params={"limit": MAX_ROWS})])

    header = [str(h).strip() for h in table[0]]
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        if not title:
            continue
        key = HEADER_TO_KEY.get(_norm(title))
        if key is None:
            problems.append(Problem("Unknown column “%(name)s”.", 1, title, {"name": title}))
        elif key in columns.values():
            problems.append(Problem("Column “%(name)s” appears twice.", 1, title, {"name": title}))
        else:
            columns[index] = key
    if ENTERPRISE not in columns.values():
        problems.append(Problem("The enterprise name column is missing (enterprise / 企业名称).", 1))
    if not set(columns.values()) & {i.key for i in INDICATORS}:
        problems.append(Problem("No indicator columns were found.", 1))
    if problems:
        raise ImportRejected(problems)
    if len(table) == 1:
        raise ImportRejected([Problem("The file has a header but no rows.")])

    rows: list[ImportRow] = []
    for number, cells in enumerate(table[1:], start=2):
        record = {key: (cells[i] if i < len(cells) else "") for i, key in columns.items()}
        enterprise = str(record.pop(ENTERPRISE, "")).strip()
        if not enterprise:
            problems.append(Problem("The enterprise name is empty.", number, ENTERPRISE))
        screened_on = None
        raw_date = record.pop(SCREENED_ON, "")
        try:
            screened_on = _parse_date(raw_date)
        except ValueError:
            problems.append(Problem("“%(value)s” is not a date (use YYYY-MM-DD).", number,
                                    SCREENED_ON, {"value": str(raw_date)[:40]}))
        values, errors = validate(record)
        for key, message in errors.items():
            problems.append(Problem(message, number, key))
        rows.append(ImportRow(number, enterprise, screened_on, values))
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportRejected(problems)
    return rows
