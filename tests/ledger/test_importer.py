"""Importing indicators from CSV/XLSX: headers in either language, every problem reported,
nothing stored when anything is wrong."""
from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from app.errors import PermissionDenied
from app.ledger import importer
from app.ledger import screening as screenings
from app.ledger.models import RiskScreening

ZD = "郑州众达人力服务有限公司（示例）"
SD = "速达外卖平台（示例）"


def csv_bytes(text: str, encoding="utf-8-sig") -> bytes:
    return text.encode(encoding)


def xlsx_bytes(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def messages(exc) -> list[str]:
    return [(p.row, p.column, p.message % p.params if p.params else p.message)
            for p in exc.value.problems]


def test_chinese_headers_csv():
    rows = importer.parse("a.csv", csv_bytes(
        "企业名称,排查日期,欠缴社会保险费（个月）,延期或不足额发放工资,订单量或物流量下降(%)\n"
        f"{ZD},2026-10-01,3,2,25%\n{SD},,0,,\n"))
    assert [r.enterprise for r in rows] == [ZD, SD]
    assert rows[0].screened_on == date(2026, 10, 1) and rows[1].screened_on is None
    assert rows[0].values["social_insurance_months"] == 3
    assert rows[0].values["volume_drop_pct"] == 25.0 and rows[1].values["late_pay_cycles"] == 0


def test_english_headers_xlsx_with_dates_and_numbers():
    from datetime import datetime
    data = xlsx_bytes([["Enterprise", "Screened on", "complaints", "Overdue loans"],
                       [ZD, datetime(2026, 9, 30), 6, 1], [None, None, None, None]])
    rows = importer.parse("Indicators.XLSX", data)
    assert len(rows) == 1 and rows[0].screened_on == date(2026, 9, 30)
    assert rows[0].values["complaints"] == 6 and rows[0].values["overdue_loans"] == 1


def test_gb18030_csv_is_read():
    rows = importer.parse("a.csv", csv_bytes(f"企业名称,劳动者投诉\n{ZD},3\n", "gb18030"))
    assert rows[0].values["complaints"] == 3


@pytest.mark.parametrize("name, data, expected", [
    ("a.csv", b"", [(None, None, "The file is empty.")]),
    ("a.csv", b"\n\n ,\n", [(None, None, "The file is empty.")]),
    ("a.txt", b"x", [(None, None, "Upload a .csv or .xlsx file.")]),
    ("a.xlsx", b"PK\x03\x04 broken", [(None, None, "The file is not a readable XLSX workbook.")]),
    ("a.xlsx", b"not a zip at all", [(None, None, "The file is not a readable XLSX workbook.")]),
    ("a.csv", b"\x00\x01\x02abc", [(None, None, "The file is not a CSV text file.")]),
    ("a.csv", b"\xff\xfe\xfd\x81\x30", [(None, None, "The file is not UTF-8 or GB18030 text.")]),
    ("a.csv", "企业名称,劳动者投诉\n".encode(), [(None, None, "The file has a header but no rows.")]),
    ("a.csv", b"x" * (importer.MAX_BYTES + 1), [(None, None, "The file is larger than 2 MB.")]),
])
def test_whole_file_problems(name, data, expected):
    with pytest.raises(importer.ImportRejected) as exc:
        importer.parse(name, data)
    assert messages(exc) == expected


def test_wrong_columns_are_each_named():
    with pytest.raises(importer.ImportRejected) as exc:
        importer.parse("a.csv", csv_bytes("公司名,劳动者投诉,投诉,complaints,工资\nA,1,2,3,4\n"))
    assert messages(exc) == [
        (1, "公司名", "Unknown column “公司名”."),
        (1, "投诉", "Unknown column “投诉”."),
        (1, "complaints", "Column “complaints” appears twice."),
        (1, "工资", "Unknown column “工资”."),
        (1, None, "The enterprise name column is missing (enterprise / 企业名称)."),
    ]


def test_header_without_indicators():
    with pytest.raises(importer.ImportRejected) as exc:
        importer.parse("a.csv", csv_bytes(f"企业名称\n{ZD}\n"))
    assert messages(exc) == [(1, None, "No indicator columns were found.")]


def test_text_in_number_columns_and_bad_dates_by_row():
    with pytest.raises(importer.ImportRejected) as exc:
        importer.parse("a.csv", csv_bytes(
            "enterprise,screened_on,complaints,volume_drop_pct\n"
            f"{ZD},2026-02-30,很多,10\n,2026-01-01,1,150\n{SD},2026/01/05,-2,5\n"))
    assert messages(exc) == [
        (2, "screened_on", "“2026-02-30” is not a date (use YYYY-MM-DD)."),
        (2, "complaints", "Enter a number."),
        (3, "enterprise", "The enterprise name is empty."),
        (3, "volume_drop_pct", "Enter a percentage between 0 and 100."),
        (4, "complaints", "Must not be negative."),
    ]


def test_too_many_rows():
    body = "企业名称,劳动者投诉\n" + "".join(f"{ZD},1\n" for _ in range(importer.MAX_ROWS + 1))
    with pytest.raises(importer.ImportRejected) as exc:
        importer.parse("a.csv", csv_bytes(body))
    assert messages(exc) == [(None, None, "The file has more than 1000 rows.")]


# -- storing: all or nothing -----------------------------------------------------------------

def stored(session) -> int:
    return session.scalar(select(func.count()).select_from(RiskScreening))


def test_import_stores_every_row(session, world, now):
    before = stored(session)
    rows = screenings.import_screenings(session, world["mediator"], "a.csv", csv_bytes(
        f"企业名称,排查日期,延期或不足额发放工资,劳动者投诉\n{ZD},2026-10-20,2,12\n{SD},,0,1\n"),
        now=now)
    session.commit()
    assert stored(session) == before + 2
    assert [(r.grade, r.points, r.method) for r in rows] == [("medium", 40, "import"),
                                                          ("low", 5, "import")]
    assert rows[1].screened_on == date(2026, 11, 2)


@pytest.mark.parametrize("body, expected", [
    (f"企业名称,劳动者投诉\n{ZD},1\n不存在的公司,2\n",
     [(3, "enterprise", "No platform or labour partner company is named “不存在的公司”.")]),
    (f"企业名称,劳动者投诉\n{ZD},1\n洛阳快送科技有限公司（测试）,2\n",
     [(3, "enterprise", "“洛阳快送科技有限公司（测试）” is outside your region.")]),
    (f"企业名称,劳动者投诉\n郑州市新就业形态劳动者工会联合会（示例）,1\n",
     [(2, "enterprise", "No platform or labour partner company is named "
                        "“郑州市新就业形态劳动者工会联合会（示例）”.")]),
    (f"企业名称,排查日期,劳动者投诉\n{ZD},2027-01-01,1\n",
     [(2, "screened_on", "The screening date cannot be in the future.")]),
    (f"企业名称,劳动者投诉\n{ZD},1\n{SD},abc\n", [(3, "complaints", "Enter a number.")]),
])
def test_any_problem_stores_nothing(session, world, now, body, expected):
    before = stored(session)
    with pytest.raises(importer.ImportRejected) as exc:
        screenings.import_screenings(session, world["mediator"], "a.csv", csv_bytes(body),
                                     now=now)
    session.rollback()
    assert messages(exc) == expected
    assert stored(session) == before


def test_only_mediators_import(session, world, now):
    with pytest.raises(PermissionDenied):
        screenings.import_screenings(session, world["platform"], "a.csv",
                                     csv_bytes(f"企业名称,劳动者投诉\n{SD},1\n"), now=now)
