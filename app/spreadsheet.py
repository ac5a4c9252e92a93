"""Reading the first worksheet of an uploaded XLSX file with bounded memory and work.

An XLSX file is a zip archive of XML parts, so a small upload can unpack to gigabytes (a zip
bomb) or declare a sheet of 16,384 × 1,048,576 cells. Before openpyxl sees the file the archive
is checked — number of parts, total unpacked size, compression ratio of each part — and the
sheet is then read with the declared dimension ignored and rows and columns bounded. XML is
parsed through ``defusedxml`` (openpyxl uses it when installed), so DTDs and entities are
refused. Every failure raises :class:`SpreadsheetRejected`; the callers turn it into their own
message beside the file field.
"""
from __future__ import annotations

import io
import zipfile

#: Limits of the archive (assumptions, measured 2026-12 on the 2-core test machine: openpyxl
#: reads ~2 MB of sheet XML a second, and 20,000 rows × 6 columns unpack to ~4.7 MB at a ratio
#: of ~9; Excel writes about 10 parts). The unpacked limit keeps one upload under ~2 s.
MAX_MEMBERS = 100
MAX_UNPACKED_BYTES = 4 * 1024 * 1024
MAX_RATIO = 100
MAX_COLUMNS = 64
MAX_BLANK_ROWS = 1000


class SpreadsheetRejected(Exception):
    """The file is no readable workbook, or it is too large once unpacked.

    ``reason`` is ``"unreadable"``, ``"too_large"`` or ``"too_many_rows"``/``"too_many_columns"``;
    ``limit`` the limit that was passed, if any.
    """

    def __init__(self, reason: str, limit: int | None = None):
        super().__init__(reason if limit is None else f"{reason} ({limit})")
        self.reason = reason
        self.limit = limit


def check_archive(data: bytes, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse an archive with too many parts, too much unpacked data or a bomb's ratio.

    The sizes checked are those the archive declares; :mod:`zipfile` never unpacks more than
    the declared size of a part, so they bound what openpyxl can read.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise SpreadsheetRejected("unreadable") from None
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetRejected("too_large", MAX_MEMBERS)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max(member.compress_size, 1) * MAX_RATIO and \
                member.file_size > 64 * 1024:
            raise SpreadsheetRejected("too_large", max_unpacked)
    if total > max_unpacked:
        raise SpreadsheetRejected("too_large", max_unpacked)


def read_rows(data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS,
              skip_blank: bool = True) -> list[list]:
    """The rows of the first worksheet (``""`` for an empty cell), at most ``max_rows`` of them.

    Raises :class:`SpreadsheetRejected` (``too_many_rows`` past ``max_rows``,
    ``too_many_columns`` for a value beyond column ``max_columns``).
    """
    check_archive(data)
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetRejected("unreadable") from None
    try:
        if not book.worksheets:
            raise SpreadsheetRejected("unreadable")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared A1:XFD1048576 would pad every row
        rows, blank = [], 0
        for values in sheet.iter_rows(values_only=True, max_col=max_columns + 1):
            values = list(values)
            if len(values) > max_columns and any(_filled(v) for v in values[max_columns:]):
                raise SpreadsheetRejected("too_many_columns", max_columns)
            values = values[:max_columns]
            if not any(_filled(v) for v in values):
                # Rows missing from the file come back blank: a row numbered 1,048,576 must
                # not mean a million rows of work.
                blank += 1
                if blank > MAX_BLANK_ROWS:
                    raise SpreadsheetRejected("too_many_rows", max_rows)
                if skip_blank:
                    continue
            rows.append(["" if v is None else v for v in values])
            if len(rows) > max_rows:
                raise SpreadsheetRejected("too_many_rows", max_rows)
        return rows
    except SpreadsheetRejected:
        raise
    except Exception:  # a bad shared-string index, truncated XML, a DTD … found while reading
        raise SpreadsheetRejected("unreadable") from None
    finally:
        book.close()


def _filled(value) -> bool:
    return value is not None and str(value).strip() != ""


# -- writing: exported text is never a formula ---------------------------------------------------

#: A cell starting with one of these is read as a formula (or DDE) by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """``value`` for a CSV cell: text that a spreadsheet would run as a formula gets a leading
    apostrophe (OWASP's advice); numbers and other values are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_safe(v) for v in values]


def xlsx_append(sheet, values) -> None:
    """Append a row to an openpyxl worksheet writing every text as text, never as a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"
