"""Reading worker records (CSV or XLSX) for calibration: limits, column mapping, numbers.

Every problem raises :class:`~app.errors.ValidationError` keyed by ``file`` or by the
record field (``hours_per_day`` …) with a message id (``Msg``); nothing is returned half-read.
"""
from __future__ import annotations

import csv
import io
import math
import zipfile

import numpy as np

from app import spreadsheet
from app.errors import Bilingual, Msg, ValidationError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
#: An XLSX file unpacks to at most app.spreadsheet.MAX_UNPACKED_BYTES, ~20,000 rows of records.
MAX_XLSX_ROWS = 30_000
MAX_COLUMNS = spreadsheet.MAX_COLUMNS
MIN_ROWS = 20

# name, Chinese label, English label, unit, required, lowest, highest, header synonyms
FIELDS = (
    ("hours_per_day", "每个出勤日在线时长", "Online hours per worked day", "小时", True,
     0.0, 24.0, ("hours_per_day", "hours", "online hours", "online_hours", "hours online",
                 "daily hours", "在线时长", "日均在线时长", "每日在线时长", "在线小时", "日在线时长",
                 "每天在线时长")),
    ("days_per_month", "每月出勤天数", "Days worked per month", "天", True, 0.0, 31.0,
     ("days_per_month", "days", "days worked", "work days", "workdays", "出勤天数", "每月出勤天数",
      "月出勤天数", "工作天数", "出勤日")),
    ("orders", "每月单量", "Orders per month", "单", False, 0.0, 1e6,
     ("orders", "orders_per_month", "orders per month", "trips", "单量", "月单量", "每月单量",
      "订单数", "接单量", "完成单量")),
    ("km", "每月行驶公里数（含空驶）", "Km driven per month (incl. empty)", "公里", False, 0.0, 1e6,
     ("km", "km_per_month", "distance", "kilometres", "kilometers", "里程", "公里数", "行驶里程",
      "月里程", "每月公里数")),
    ("minutes_per_order", "每单平均用时", "Minutes per order (average)", "分钟", False, 0.0, 1440.0,
     ("minutes_per_order", "minutes", "minutes per order", "每单用时", "单均用时", "平均配送时长",
      "每单分钟")),
    ("earnings", "每月收入（平台结算）", "Earnings per month (paid by the platform)", "元", False,
     0.0, 1e7, ("earnings", "income", "earnings_per_month", "pay", "收入", "月收入", "每月收入",
                "结算收入", "税前收入")),
)
FIELD_NAMES = tuple(f[0] for f in FIELDS)


def field_table() -> list[dict]:
    return [{"name": f[0], "label_zh": f[1], "label_en": f[2], "unit": f[3], "required": f[4]}
            for f in FIELDS]


def _norm(text) -> str:
    return str(text or "").strip().lower().replace("（", "(").replace("）", ")")


def _decode(data: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValidationError({"file": Msg("The file's encoding is not recognised: save it as a "
                                       "UTF-8 CSV or as XLSX")})


def _csv_rows(data: bytes) -> list[list]:
    text = _decode(data)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delim = dialect.delimiter
    except csv.Error:
        delim = ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delim):
            if not any(c.strip() for c in row):
                continue
            if len(row) > MAX_COLUMNS and any(c.strip() for c in row[MAX_COLUMNS:]):
                raise ValidationError({"file": Msg("Too many columns: at most %(n)s",
                                                   n=MAX_COLUMNS)})
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > MAX_ROWS + 1:
                raise ValidationError({"file": Msg("Too many rows: at most %(n)s records",
                                                   n=f"{MAX_ROWS:,}")})
    except csv.Error:  # a field over the csv module's limit, a stray quote at the end …
        raise ValidationError({"file": Msg("The CSV file cannot be read: it is malformed")}) \
            from None
    return rows


def _xlsx_rows(data: bytes) -> list[list]:
    try:
        return spreadsheet.read_rows(data, max_rows=MAX_XLSX_ROWS + 1, max_columns=MAX_COLUMNS)
    except spreadsheet.SpreadsheetRejected as e:
        if e.reason == "too_many_rows":
            raise ValidationError({"file": Msg(
                "Too many rows: an XLSX file holds at most %(n)s records (a CSV file at most "
                "%(csv)s)", n=f"{MAX_XLSX_ROWS:,}", csv=f"{MAX_ROWS:,}")}) from None
        if e.reason == "too_many_columns":
            raise ValidationError({"file": Msg("Too many columns: at most %(n)s",
                                               n=MAX_COLUMNS)}) from None
        if e.reason == "too_large":
            raise ValidationError({"file": Msg(
                "The XLSX file is too large once unpacked (at most %(mb)s MB): delete the "
                "columns and worksheets not needed, or save it as CSV",
                mb=spreadsheet.MAX_UNPACKED_BYTES // (1024 * 1024))}) from None
        raise ValidationError({"file": Msg("The XLSX file cannot be read: it is damaged or not an "
                                           "Excel workbook")}) from None


def read_table(data: bytes, filename: str = "") -> tuple[list[str], list[list]]:
    """Header row and data rows of a CSV or XLSX file (first worksheet)."""
    if not data:
        raise ValidationError({"file": Msg("The file is empty")})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": Msg("The file is too large: at most %(mb)s MB",
                                           mb=MAX_BYTES // (1024 * 1024))})
    name = (filename or "").lower()
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ValidationError({"file": Msg("Old Excel files (.xls) are not supported: save it as "
                                           ".xlsx or CSV")})
    rows = _xlsx_rows(data) if data[:4] == b"PK\x03\x04" else _csv_rows(data)
    if not rows:
        raise ValidationError({"file": Msg("The file is empty")})
    headers = [str(h).strip() for h in rows[0]]
    body = rows[1:]
    if not body:
        raise ValidationError({"file": Msg("The file has only a header row, no records")})
    return headers, body


def guess_mapping(headers: list[str]) -> dict:
    """Record field → column index, from Chinese or English header names (None if unknown)."""
    norm = [_norm(h) for h in headers]
    out = {}
    for name, *_rest, synonyms in FIELDS:
        out[name] = None
        for s in synonyms:
            if _norm(s) in norm:
                out[name] = norm.index(_norm(s))
                break
    return out


def _parse_number(cell):
    if isinstance(cell, bool):
        return None
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell).strip().replace(",", "").replace("，", "")
    if text == "":
        return math.nan
    try:
        return float(text)
    except ValueError:
        return None


def check_mapping(headers: list[str], mapping: dict) -> dict:
    """Validate a mapping of field → column (index or header name); returns field → index."""
    errors, out = {}, {}
    labels = {f[0]: Bilingual(f[2], f[1]) for f in FIELDS}
    for name, _zh, _en, _unit, required, *_ in FIELDS:
        raw = mapping.get(name)
        if raw in (None, ""):
            if required:
                errors[name] = Msg("Choose the column of “%(field)s”", field=labels[name])
            continue
        if isinstance(raw, str) and not raw.strip().lstrip("-").isdigit():
            if raw.strip() not in headers:
                errors[name] = Msg("The file has no column named “%(name)s”", name=raw)
                continue
            idx = headers.index(raw.strip())
        else:
            idx = int(raw)
        if not 0 <= idx < len(headers):
            errors[name] = Msg("The chosen column does not exist")
            continue
        out[name] = idx
    seen = {}
    for name, idx in out.items():
        if idx in seen:
            errors[name] = Msg("The same column is chosen for “%(other)s”",
                               other=labels[seen[idx]])
        seen.setdefault(idx, name)
    if errors:
        raise ValidationError(errors)
    return out


def extract(headers: list[str], rows: list[list], mapping: dict) -> dict:
    """Numeric arrays per mapped field (NaN where an optional cell is empty), validated."""
    cols = check_mapping(headers, mapping)
    spec = {f[0]: f for f in FIELDS}
    out, errors = {}, {}
    for name, idx in cols.items():
        _n, zh, en, _unit, required, lo, hi, _syn = spec[name]
        values = np.empty(len(rows))
        bad, empty, out_of_range = [], [], []
        for i, row in enumerate(rows):
            cell = row[idx] if idx < len(row) else ""
            v = _parse_number(cell)
            if v is None:
                bad.append((i + 2, cell))
                v = math.nan
            elif math.isnan(v):
                empty.append(i + 2)
            elif not math.isfinite(v) or v < lo or v > hi:
                out_of_range.append(i + 2)
            values[i] = v
        header = headers[idx]
        if bad:
            lines, example = Bilingual.joined(r for r, _ in bad[:5]), str(bad[0][1])[:20]
            if len(bad) <= 5:
                errors[name] = Msg("Column “%(column)s” is not a number in row(s) %(rows)s "
                                   "(for example “%(example)s”)", column=header, rows=lines,
                                   example=example)
            else:
                errors[name] = Msg("Column “%(column)s” is not a number in row(s) %(rows)s "
                                   "(for example “%(example)s”), %(count)s rows in all",
                                   column=header, rows=lines, example=example, count=len(bad))
        elif empty and required:
            errors[name] = Msg("Column “%(column)s” is empty in row(s) %(rows)s",
                               column=header, rows=Bilingual.joined(empty[:5]))
        elif out_of_range:
            errors[name] = Msg("Column “%(column)s” is out of range in row(s) %(rows)s "
                               "(%(field)s should be between %(lo)s and %(hi)s)", column=header,
                               rows=Bilingual.joined(out_of_range[:5]),
                               field=Bilingual(en, zh), lo=f"{lo:g}", hi=f"{hi:g}")
        out[name] = values
    if errors:
        raise ValidationError(errors)
    return out
