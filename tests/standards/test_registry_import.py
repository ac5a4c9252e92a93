"""Adding records: every problem reported by row and column, and nothing written on any."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from app import standards
from app.audit import AuditEntry
from app.auth.models import User
from app.errors import PermissionDenied
from app.standards import importer
from app.standards.models import MinimumWageRecord
from tests.conftest import DEMO_NOW

HEADER = "province,tier,monthly,hourly,effective_from,document,source,verified"


def _csv(*rows: str) -> bytes:
    return ("\n".join((HEADER,) + rows) + "\n").encode("utf-8")


def _admin(session):
    return session.scalar(select(User).where(User.username == "admin"))


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(MinimumWageRecord))


def _problems(session, data: bytes) -> dict:
    before = _count(session)
    with pytest.raises(importer.ImportRejected) as caught:
        importer.import_csv(session, _admin(session), data, now=DEMO_NOW)
    session.rollback()
    assert _count(session) == before, "nothing may be written"
    return {(p.row, p.column): p.text() for p in caught.value.problems}


def test_bad_rows_each_get_their_error_and_nothing_is_written(session):
    problems = _problems(session, _csv(
        "河南,1,2500,24.5,2027-01-01,,https://example.org/a,no",   # fine on its own
        "火星,1,2500,24.5,2027-01-01,,https://example.org/b,no",   # unknown province
        "河北,1,-2400,24,2027-01-01,,https://example.org/c,no",    # negative
        "河北,2,2300,2.3,2027-01-01,,https://example.org/d,no",    # ratio 1000
        "河南,1,2600,25,2027-01-01,,https://example.org/e,no",     # overlaps row 2
        "河南,2,2150,21.1,2025-12-01,,https://example.org/f,no",   # overlaps record in force
    ))
    assert set(problems) == {(3, "province"), (4, "monthly"), (5, "hourly"),
                             (6, "effective_from"), (7, "effective_from")}
    assert "火星" in problems[(3, "province")]
    assert "negative" in problems[(4, "monthly")]
    assert "1000" in problems[(5, "hourly")]
    assert "Row 2" in problems[(6, "effective_from")]
    assert "corrects" in problems[(7, "effective_from")]


def test_header_must_be_the_registry_format(session):
    problems = _problems(session, "province;tier\n河南;1\n".encode())
    assert (1, None) in problems


def test_dry_run_shows_the_change_and_writes_nothing(session):
    before = _count(session)
    changes, records = importer.import_csv(
        session, _admin(session), _csv("河南,1,2500,24.5,2027-01-01,,https://example.org/a,no"),
        now=DEMO_NOW, dry_run=True)
    assert records == [] and _count(session) == before
    (change,) = changes
    assert change.kind == "new" and change.previous.monthly == 2350


def test_import_stores_and_audits_and_the_old_standard_keeps_its_dates(session):
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    importer.import_csv(session, _admin(session), _csv(
        "河南,1,2500,24.5,2027-01-01,豫政〔2026〕1号,https://example.org/a,yes"), now=DEMO_NOW)
    assert standards.minimum_wage(session, "河南", 1, date(2027, 1, 1)).monthly == 2500
    assert standards.minimum_wage(session, "河南", 1, date(2026, 12, 31)).monthly == 2350
    # The new standard has only tier 1 so far: tier 2 is not in force under it.
    with pytest.raises(standards.StandardNotFound):
        standards.minimum_wage(session, "河南", 2, date(2027, 1, 1))
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits + 1


def test_a_correction_is_a_new_record_that_wins(session):
    old = session.scalar(select(MinimumWageRecord).where(
        MinimumWageRecord.province == "河南", MinimumWageRecord.tier == 2,
        MinimumWageRecord.effective_from == date(2025, 12, 1)))
    data = (HEADER + ",corrects\n"
            f"河南,2,2160,21.2,2025-12-01,,https://example.org/fix,no,{old.id}\n").encode()
    changes, _ = importer.import_csv(session, _admin(session), data, now=DEMO_NOW)
    assert changes[0].kind == "correction" and changes[0].previous.monthly == 2150
    assert standards.minimum_wage(session, "河南", 2, date(2026, 1, 1)).monthly == 2160
    assert session.get(MinimumWageRecord, old.id).monthly == 2150  # kept as it was


def test_a_correction_must_name_a_record_of_the_same_date(session):
    data = (HEADER + ",corrects\n河南,2,2160,21.2,2025-12-01,,https://example.org,no,1\n").encode()
    problems = _problems(session, data)
    assert (2, "corrects") in problems


def test_only_site_admins_add_records(session):
    union = session.scalar(select(User).where(User.username == "union"))
    with pytest.raises(PermissionDenied):
        importer.import_csv(session, union, _csv(
            "河南,1,2500,24.5,2027-01-01,,https://example.org/a,no"), now=DEMO_NOW)


def test_control_characters_are_refused_before_the_database_sees_them(session):
    problems = _problems(session, _csv("河南,1,2500,24.5,2027-01-01,,https://example.org/\x00,no"))
    assert (2, "source") in problems
