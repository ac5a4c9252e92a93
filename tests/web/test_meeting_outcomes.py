"""Meeting outcomes through the pages: the minutes record, term by term, what was agreed (with
the value), left open or withdrawn; the mediator applies the agreed values to the agreement
draft as ONE new version whose standards and articles state them (issue 17, finding 5)."""
from __future__ import annotations

import io
import re

from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from app.agreements import clauses
from app.agreements.models import Agreement, AgreementVersion
from app.negotiations import outcomes
import datetime as dt

from app.negotiations.models import Meeting, Representative
from tests.negotiations import helpers

MEETING = {"place": "工会会议室", "minute_taker": "记录员甲",
           "agenda": "单价与抽成"}


def negotiation(session, key):
    """The demo negotiation, with equal delegations (the demo's employer side has one more
    non-chief representative than the union side; a meeting needs them equal)."""
    n = helpers.negotiation(session, key)
    reps = list(session.scalars(select(Representative).where(
        Representative.negotiation_id == n.id, Representative.vacated_on.is_(None))))
    count = {side: sum(r.side == side for r in reps) for side in ("worker", "employer")}
    big = max(count, key=count.get)
    extra = [r for r in reps if r.side == big and not r.is_chief]
    for r in extra[:count[big] - min(count.values())]:
        r.vacated_on, r.vacancy_reason = dt.date(2025, 1, 2), "测试"
    session.commit()
    return n


def agreement(session, n_id):
    session.expire_all()
    return session.scalar(select(Agreement).where(Agreement.negotiation_id == n_id))


def latest(session, n_id):
    a = agreement(session, n_id)
    return session.scalar(select(AgreementVersion).where(
        AgreementVersion.agreement_id == a.id, AgreementVersion.number == a.latest_number))


def meetings(session, n_id):
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Meeting).where(
        Meeting.negotiation_id == n_id))


def money_terms(session, n):
    """Terms on the table that the draft holds as money standards, with the draft's values."""
    held = {s["key"]: s["value"] for s in latest(session, n.id).content["standards"]}
    return [(k, held[k]) for k in outcomes.terms_on_table(session, n)
            if k in held and clauses.STANDARD_BY_KEY[k].kind == "money"]


def _expected(content, values):
    """The draft as the standards editor makes it: each value set through set_standard."""
    from app.agreements import document
    for key, value in values.items():
        content = document.set_standard(content, key, value)
    return content


def test_outcomes_recorded_and_applied_as_one_version(client, auth, session):
    n = negotiation(session, "consultation")
    terms = money_terms(session, n)
    assert len(terms) >= 2, terms
    (k1, v1), (k2, v2) = terms[:2]
    new1, new2 = round(v1 + 0.5, 2), round(v2 + 0.3, 2)
    auth.login("mediator")
    form = client.get(f"/negotiations/{n.id}/actions/meeting", headers={
        "HX-Request": "true", "HX-Target": "action-form-meeting"}).get_data(as_text=True)
    assert f'name="outcome.{k1}"' in form and f'name="agreed.{k2}"' in form
    others = [k for k in outcomes.terms_on_table(session, n) if k not in (k1, k2)]
    data = {**MEETING, f"outcome.{k1}": "agreed", f"agreed.{k1}": str(new1),
            f"outcome.{k2}": "agreed", f"agreed.{k2}": str(new2)}
    if others:
        data[f"outcome.{others[0]}"] = "open"
    r = auth.post(f"/negotiations/{n.id}/meetings", data)
    assert r.status_code in (200, 302), r.get_data(as_text=True)[-3000:]
    meeting = session.scalars(select(Meeting).where(Meeting.negotiation_id == n.id)
                              .order_by(Meeting.number.desc())).first()
    assert outcomes.agreed_values(session, meeting) == {k1: new1, k2: new2}
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    assert f"meeting-{meeting.number}-outcomes" in page
    assert f"/agreement/meetings/{meeting.id}/apply" in page
    # The minutes PDF states the outcomes term by term (read back).
    pdf = client.get(f"/negotiations/{n.id}/documents/minutes/{meeting.id}.pdf")
    assert pdf.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = re.sub(r"\s+", "", text)
    assert "逐项结果" in text and "已议定" in text and "待议" in text
    assert clauses.format_value(clauses.STANDARD_BY_KEY[k1], new1) in text
    word = client.get(f"/negotiations/{n.id}/documents/minutes/{meeting.id}.docx")
    assert word.status_code == 200
    doc = Document(io.BytesIO(word.data))
    words = "".join(p.text for p in doc.paragraphs)
    assert "逐项结果" in words
    assert clauses.format_value(clauses.STANDARD_BY_KEY[k1], new1) in words

    before = agreement(session, n.id).latest_number
    latest_before = latest(session, n.id).content
    r = auth.post(f"/negotiations/{n.id}/agreement/meetings/{meeting.id}/apply")
    assert r.status_code == 302, r.get_data(as_text=True)[-3000:]
    assert agreement(session, n.id).latest_number == before + 1  # one version, not one per term
    row = latest(session, n.id)
    values = {s["key"]: s["value"] for s in row.content["standards"]}
    assert values[k1] == new1 and values[k2] == new2
    assert f"第{meeting.number}次会议" in row.summary
    # The page's standards table (the standards article) states the agreed values.
    shown = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
    table = shown[shown.index('id="standards"'):]
    for key, value in ((k1, new1), (k2, new2)):
        assert clauses.format_value(clauses.STANDARD_BY_KEY[key], value) in table
    assert row.content == _expected(latest_before, {k1: new1, k2: new2})
    # Applying again changes nothing: refused beside the panel, no further version.
    again = auth.post(f"/negotiations/{n.id}/agreement/meetings/{meeting.id}/apply")
    assert again.status_code == 400
    assert agreement(session, n.id).latest_number == before + 1


def test_value_outside_the_limits_is_refused_beside_the_field(client, auth, session):
    n = negotiation(session, "consultation")
    key = money_terms(session, n)[0][0]
    auth.login("mediator")
    before = meetings(session, n.id)
    r = auth.post(f"/negotiations/{n.id}/meetings",
                  {**MEETING, f"outcome.{key}": "agreed", f"agreed.{key}": "-5"})
    assert r.status_code == 400
    body = r.get_data(as_text=True)
    assert f'id="form-meeting-agreed-{key}-err"' in body
    missing = auth.post(f"/negotiations/{n.id}/meetings", {**MEETING, f"outcome.{key}": "agreed"})
    assert missing.status_code == 400
    assert meetings(session, n.id) == before


def test_only_the_mediator_applies(client, auth, session):
    n = negotiation(session, "consultation")
    key, value = money_terms(session, n)[0]
    auth.login("mediator")
    auth.post(f"/negotiations/{n.id}/meetings", {**MEETING, f"outcome.{key}": "agreed",
                                                 f"agreed.{key}": str(round(value + 1, 2))})
    meeting = session.scalars(select(Meeting).where(Meeting.negotiation_id == n.id)
                              .order_by(Meeting.number.desc())).first()
    before = agreement(session, n.id).latest_number
    for user in ("union", "platform"):
        auth.logout()
        auth.login(user)
        page = client.get(f"/negotiations/{n.id}/agreement").get_data(as_text=True)
        assert f"/agreement/meetings/{meeting.id}/apply" not in page
        r = auth.post(f"/negotiations/{n.id}/agreement/meetings/{meeting.id}/apply")
        assert r.status_code == 403
    auth.logout()
    auth.login("mediator")
    assert auth.post(f"/negotiations/{n.id}/agreement/meetings/999999/apply").status_code == 404
    assert agreement(session, n.id).latest_number == before
