"""Issue 13, finding 2: small spreadsheets that unpack or parse into huge work are refused.

Every file is uploaded to both readers (``/analyses/calibrate`` and ``/ledger/import``) and
must be a quick 400 with a message beside the file field, with nothing written.
"""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.ledger.models import RiskScreening

SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["企业名称", "劳动者投诉"])
    sheet.append(["x", "y"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _replace(parts: dict[str, bytes]) -> bytes:
    """A valid workbook with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(_workbook()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, parts.pop(info.filename, source.read(info.filename)))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


def _sheet(body: str, dimension: str = "A1:B2", head: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>{head}<worksheet {NS}>'
            f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>').encode()


def one_wide_row(cells: int = 1_000_000) -> bytes:
    return _replace({SHEET: _sheet('<row r="1">' + '<c t="n"><v>1</v></c>' * cells + "</row>",
                                   dimension="A1:XFD1")})


def declared_whole_sheet() -> bytes:
    body = '<row r="1"><c r="A1" t="n"><v>1</v></c></row>' \
           '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>'
    return _replace({SHEET: _sheet(body, dimension="A1:XFD1048576")})


def many_members() -> bytes:
    return _replace({f"xl/media/x{i}.bin": b"x" for i in range(500)})


def truncated_xml() -> bytes:
    return _replace({SHEET: _sheet('<row r="1"><c r="A1" t="n"><v>1</v></c></row>')[:-40]})


def entity_expansion() -> bytes:
    head = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">'
            '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
    return _replace({SHEET: _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is>'
                                   '</c></row>', head=head)})


def bad_shared_string() -> bytes:
    return _replace({SHEET: _sheet('<row r="1"><c r="A1" t="s"><v>999999</v></c></row>')})


def bad_encoding() -> bytes:
    return _replace({SHEET: _sheet('<row r="1"><c r="A1" t="n"><v>1</v></c></row>')
                     .replace(b'encoding="UTF-8"', b'encoding="x-no-such-codec"')})


def broken_zip() -> bytes:
    return _workbook()[:300]


def wide_csv() -> bytes:
    return ("a," * 200_000 + "b\n1,2\n").encode()


def huge_csv_field() -> bytes:
    return ("企业名称,劳动者投诉\n\"" + "x" * 300_000 + "\",1\n").encode()


ATTACKS = [(one_wide_row, "x.xlsx"), (declared_whole_sheet, "x.xlsx"), (many_members, "x.xlsx"),
           (truncated_xml, "x.xlsx"), (entity_expansion, "x.xlsx"),
           (bad_shared_string, "x.xlsx"), (bad_encoding, "x.xlsx"), (broken_zip, "x.xlsx"),
           (wide_csv, "x.csv"), (huge_csv_field, "x.csv")]


@pytest.mark.parametrize("make, filename", ATTACKS, ids=[a[0].__name__ for a in ATTACKS])
def test_bad_spreadsheet_is_a_quick_400(client, auth, session, make, filename):
    data = make()
    auth.login("mediator")
    before = session.scalar(select(func.count()).select_from(RiskScreening))
    for url, fields in (("/analyses/calibrate", {"source": "preset:delivery"}),
                        ("/ledger/import", {})):
        # The work is bounded: CPU time, not wall time (the test machine may be busy; the
        # answer time under load is bench/abuse.py's figure).
        started = time.process_time()
        response = auth.post(url, {**fields, "file": (io.BytesIO(data), filename)},
                             content_type="multipart/form-data")
        elapsed = time.process_time() - started
        body = response.get_data(as_text=True)
        assert response.status_code == 400, (url, response.status_code, body[:300])
        assert elapsed < 2, (url, elapsed)
        assert 'class="field-error' in body or "problem" in body, (url, body[:500])
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(RiskScreening)) == before


def test_defusedxml_is_installed_and_used():
    from openpyxl.xml import DEFUSEDXML
    assert DEFUSEDXML
