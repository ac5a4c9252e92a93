"""Rough edges found in use (issue 21): each test failed before its fix."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.ledger import report as region
from app.negotiations import service as nservice
from app.negotiations.errors import ValidationError
from app.reports import report_pdf
from tests.negotiations.helpers import NOW, negotiation, user


def test_a_received_date_in_the_future_is_refused(session):
    n = negotiation(session, "preparing")
    tomorrow = (nservice.local_today(NOW) + dt.timedelta(days=1)).isoformat()
    with pytest.raises(ValidationError) as refused:
        nservice.send_offer(session, user(session, "union"), n.id,
                            {"terms.base_per_order": "7", "received_on": tomorrow}, now=NOW)
    assert set(refused.value.errors) == {"received_on"}
    assert nservice.sent_offers(session, n) == []


def test_future_received_date_is_a_400_beside_the_field(client, auth, session):
    auth.login("union")
    n = negotiation(session, "preparing")
    tomorrow = (nservice.local_today(dt.datetime.now(dt.timezone.utc))
                + dt.timedelta(days=1)).isoformat()
    answer = auth.post(f"/negotiations/{n.id}/offers",
                       {"terms.base_per_order": "7", "received_on": tomorrow})
    assert answer.status_code == 400
    assert 'id="form-offer-received_on-err"' in answer.get_data(as_text=True)


def test_region_pdf_prints_its_time_in_shanghai(session):
    mediator = user(session, "mediator")
    report = region.build(session, mediator, 2026, today=dt.date(2026, 12, 3))
    generated = dt.datetime(2026, 12, 3, 23, 30, tzinfo=dt.timezone.utc)  # 07:30 next day
    pdf = report_pdf.render_report(report, lang="zh", office="三方办", generated=generated)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "2026-12-04 07:30" in text
    assert "UTC" not in text.split("2026-12-04 07:30")[1][:12]
