"""The procedure's other documents (offer, reply, minutes) print through the agreement machinery."""
from __future__ import annotations

import io
import re

from pypdf import PdfReader

from app.reports import procedure_documents as documents
from tests.negotiations.helpers import make_outsider, negotiation, user


def text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_offer_reply_and_minutes_print_with_their_content(client, auth, session):
    n = negotiation(session, "in_force")
    docs = documents.available(session, user(session, "mediator"), n)
    kinds = {kind for kind, _, _ in docs}
    assert {"offer", "reply", "minutes"} <= kinds
    auth.login("mediator")
    page = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    for kind, record_id, _ in docs:
        url = f"/negotiations/{n.id}/documents/{kind}/{record_id}.pdf"
        assert url in page
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        body = text(response.data)
        expected = {"offer": "集体协商要约书", "reply": "集体协商回应书", "minutes": "集体协商会议纪要"}
        if kind in expected:
            assert expected[kind] in body
        if kind == "offer":
            assert "抽成比例" in body and "20日内书面回应" in body
        if kind == "minutes":
            assert "工会方首席协商代表" in body and "企业方首席协商代表" in body


def test_documents_are_private_to_the_parties(client, auth, session):
    n = negotiation(session, "in_force")
    kind, record_id, _ = documents.available(session, user(session, "mediator"), n)[0]
    make_outsider(session)
    auth.login("outsider")
    assert client.get(f"/negotiations/{n.id}/documents/{kind}/{record_id}.pdf").status_code == 404
    auth.logout()
    auth.login("mediator")
    assert client.get(f"/negotiations/{n.id}/documents/memo/1.pdf").status_code == 404
    assert client.get(f"/negotiations/{n.id}/documents/minutes/999999.pdf").status_code == 404
