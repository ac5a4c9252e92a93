"""The floor clause cites the minimum wage in force for the agreement's place (issue 16).

A draft cites the standard in force on the day it is printed (Asia/Shanghai); a signed agreement
the one of its signing date, frozen into the signed copy, whatever the registry records later.
"""
from __future__ import annotations

import datetime as dt
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from app.agreements.models import Agreement, SignedCopy
from app.negotiations import floor
from app.negotiations import records as nrecords
from app.reports import agreement as agreement_print
from app.standards import importer
from app.standards.models import MinimumWageRecord, PlaceTierRecord
from tests.conftest import DEMO_NOW
from tests.negotiations.helpers import negotiation, user

UTC = dt.timezone.utc
HEADER = "province,tier,monthly,hourly,effective_from,document,source,verified"
NEW_HENAN = (HEADER + "\n"
             "河南,1,2500,24.5,2027-01-01,豫政〔2026〕99号（测试）,https://example.org/t,no\n"
             "河南,2,2300,22.6,2027-01-01,豫政〔2026〕99号（测试）,https://example.org/t,no\n"
             "河南,3,2150,21.1,2027-01-01,豫政〔2026〕99号（测试）,https://example.org/t,no\n"
             ).encode()


def _import_2027(session) -> None:
    """A newer Henan standard through the registry's import, and 郑州's tier under it."""
    importer.import_csv(session, user(session, "admin"), NEW_HENAN, now=DEMO_NOW)
    session.add(PlaceTierRecord(province="河南", city="郑州市", tier=1,
                                standard_effective_from=dt.date(2027, 1, 1),
                                source="https://example.org/t", verified=False, note="test",
                                created_at=DEMO_NOW))
    session.commit()


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


def _pdf(session, negotiation_id, lang, now) -> str:
    _, data = agreement_print.render_pdf(session, user(session, "mediator"), negotiation_id,
                                         lang=lang, annex=False, now=now)
    return _text(data)


def test_a_draft_cites_the_standard_in_force_on_the_day_it_is_printed(session):
    _import_2027(session)
    draft = negotiation(session, "consultation")
    # 23:30 and 00:30 in Shanghai: the day before and the day of the newer standard.
    before = dt.datetime(2026, 12, 31, 15, 30, tzinfo=UTC)
    on_the_day = dt.datetime(2026, 12, 31, 16, 30, tzinfo=UTC)

    zh = _pdf(session, draft.id, "zh", before)
    assert "河南第1档，月最低工资标准2350元，小时最低工资标准23元，自2025年12月1日起执行" in zh
    assert "豫政〔2025〕25号" in zh and "2026年12月31日（本草案出具日期）" in zh
    assert "2500元" not in zh
    en = _pdf(session, draft.id, "en", before)
    assert "tier1,2350yuanamonthand23yuananhour,inforcefrom1December2025" in en
    assert "豫政〔2025〕25号" in en and "31December2026(thedatethiscopyofthedraftwasproduced)" in en

    zh = _pdf(session, draft.id, "zh", on_the_day)
    assert "河南第1档，月最低工资标准2500元，小时最低工资标准24.5元，自2027年1月1日起执行" in zh
    assert "豫政〔2026〕99号（测试）" in zh and "2350元" not in zh
    en = _pdf(session, draft.id, "en", on_the_day)
    assert "tier1,2500yuanamonthand24.5yuananhour,inforcefrom1January2027" in en


def test_a_signed_agreement_keeps_the_citation_of_its_signing_date(session, client, auth):
    signed = negotiation(session, "in_force")
    agreement = session.scalar(select(Agreement).where(Agreement.negotiation_id == signed.id))
    copy = session.scalar(select(SignedCopy).where(SignedCopy.agreement_id == agreement.id))
    assert copy.floor["signed"] and copy.floor["on"] == copy.signed_on.isoformat()
    assert (copy.floor["monthly"], copy.floor["hourly"]) == (2350, 23.0)
    assert "2350元" in _text(copy.pdf)

    # A newer standard, and a correction of the very record the agreement cited.
    _import_2027(session)
    cited = session.scalar(select(MinimumWageRecord).where(
        MinimumWageRecord.province == "河南", MinimumWageRecord.tier == 1,
        MinimumWageRecord.effective_from == dt.date(2025, 12, 1)))
    correction = (HEADER + ",corrects\n河南,1,2360,23.2,2025-12-01,豫政〔2025〕25号,"
                  f"https://example.org/c,no,{cited.id}\n").encode()
    importer.import_csv(session, user(session, "admin"), correction, now=DEMO_NOW)
    later = dt.datetime(2027, 2, 1, 4, tzinfo=UTC)

    zh = _pdf(session, signed.id, "zh", later)   # the archived original, byte for byte
    assert "月最低工资标准2350元，小时最低工资标准23元" in zh and "（签署日期）" in zh
    en = _pdf(session, signed.id, "en", later)   # the signed text in the other language
    assert "2350yuanamonthand23yuananhour" in en and "(thesigningdate)" in en
    assert "2500yuan" not in en and "2360yuan" not in en

    auth.login("mediator")
    page = client.get(f"/negotiations/{signed.id}/agreement").get_data(as_text=True)
    assert "月最低工资标准2350元，小时最低工资标准23元" in page
    assert "2360元" not in page and "2500元" not in page


def test_without_a_standard_the_clause_says_so_and_cites_no_figure(session):
    draft = negotiation(session, "consultation")
    zh = _pdf(session, draft.id, "zh", dt.datetime(2023, 6, 1, 4, tzinfo=UTC))
    assert "未查到2023年6月1日（本草案出具日期）河南郑州市适用的最低工资标准记录，本条不引用具体数额" in zh
    assert "月最低工资标准" not in zh
    en = _pdf(session, draft.id, "en", dt.datetime(2023, 6, 1, 4, tzinfo=UTC))
    assert "Nominimumwagestandardinforcein郑州市,Henanon1June2023" in en
    assert "thisarticlecitesnofigure" in en
    # A place whose tier under the standard is not known: no figure either.
    draft.city = "洛阳市"
    cited = floor.cite(session, draft, dt.date(2026, 12, 1), signed=False)
    assert cited["tier_pending"] and not cited["found"] and "monthly" not in cited
    assert "档次尚待确认，本条暂不引用具体数额" in floor.text(cited, "zh")
    session.rollback()


def test_the_draft_page_shows_the_citation(session, client, auth):
    draft = negotiation(session, "consultation")
    auth.login("union")
    page = client.get(f"/negotiations/{draft.id}/agreement").get_data(as_text=True)
    today = nrecords.local_today(dt.datetime.now(UTC))
    expected = floor.text(floor.cite(session, draft, today, signed=False), "zh")
    assert 'id="floor-citation"' in page and expected in page
