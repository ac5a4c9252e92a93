"""Finding 4 of issue 17 through the pages: the agreement does not contradict itself.

The working-time article is generated from the agreed standards in both languages (no
"停止派单0分钟"; a changed daily limit is what the article and both PDFs say); a standard cannot be
edited into nonsense; a hand edit of one language marks the other for review, and a text whose
numbers contradict the table or whose languages disagree cannot be frozen; the default title is
this negotiation's own.
"""
from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from app.agreements.models import Agreement, AgreementVersion
from app.negotiations.models import Negotiation, Offer
from tests.negotiations.helpers import NOW, negotiation, user


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", "".join(p.extract_text() for p in PdfReader(
        io.BytesIO(data)).pages))


def _hours_offer(session) -> int:
    """The 'awaiting' negotiation, with today's rules resting 20 minutes after 4 hours, and an
    offer that changes the continuous limit to 4 h and the daily limit to 11 h (not the rest)."""
    n = negotiation(session, "awaiting")
    rules = dict(n.current_rules or {})
    rules["pay"] = {**(rules.get("pay") or {}), "max_continuous_hours": 4.0,
                    "rest_minutes": 20.0}
    n.current_rules = rules
    union = user(session, "union")
    session.add(Offer(negotiation_id=n.id, side="worker", organisation_id=union.organisation_id,
                      terms={"max_continuous_hours": 4.0, "max_daily_hours": 11.0,
                             "hourly_floor": 24.0},
                      status="sent", created_by_id=union.id, created_at=NOW, sent_at=NOW,
                      sent_on=NOW.date()))
    session.commit()
    return n.id


def _build(session, auth) -> int:
    n_id = _hours_offer(session)
    offer = session.scalar(select(Offer).where(Offer.negotiation_id == n_id)
                           .order_by(Offer.id.desc()))
    auth.login("mediator")
    built = auth.post(f"/negotiations/{n_id}/agreement", {
        "offer_id": str(offer.id), "term_years": "2", "effective": "2027-01-01"})
    assert built.status_code == 302, built.get_data(as_text=True)[:2000]
    return n_id


def _latest(session, n_id) -> AgreementVersion:
    session.expire_all()
    return session.scalar(select(AgreementVersion).join(Agreement).where(
        Agreement.negotiation_id == n_id).order_by(AgreementVersion.number.desc()).limit(1))


def _article(content, key):
    return next(a for a in content["articles"] if a["key"] == key)


def test_the_hours_article_states_the_rest_and_follows_an_edited_standard(client, auth,
                                                                          session):
    n_id = _build(session, auth)
    page = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    assert "停止派单20分钟" in page and "停止派单0分钟" not in page
    assert "每日工作时间累计达到11小时" in page
    # The daily limit becomes 10.5 h: the table, the article, both PDFs say 10.5.
    saved = auth.post(f"/negotiations/{n_id}/agreement/standards/max_daily_hours",
                      {"base": "1", "value": "10.5"})
    assert saved.status_code == 302
    hours = _article(_latest(session, n_id).content, "hours")
    assert "每日工作时间累计达到10.5小时" in hours["text_zh"] and "11小时" not in hours["text_zh"]
    assert "at 10.5 hours of working time" in hours["text_en"] and "11 hours" not in \
        hours["text_en"]
    zh = client.get(f"/negotiations/{n_id}/agreement.pdf?lang=zh").data
    en = client.get(f"/negotiations/{n_id}/agreement.pdf?lang=en").data
    zh_text, en_text = pdf_text(zh).replace(" ", ""), pdf_text(en)
    assert "10.5小时" in zh_text and "停止派单20分钟" in zh_text and "11小时" not in zh_text
    assert "10.5 hours" in en_text and "20 minutes" in en_text and "11 hours" not in en_text


def test_nonsense_standards_are_refused_beside_the_field(client, auth, session):
    n_id = _build(session, auth)
    versions = session.scalar(select(func.count()).select_from(AgreementVersion))
    url = f"/negotiations/{n_id}/agreement/standards"
    for key, value, words in (
            ("rest_minutes", "0", "强制休息不足1分钟"),
            ("rest_minutes", "12.5", "整数"),
            ("max_continuous_hours", "12", "不能超过每日工作时间上限"),
            ("max_daily_hours", "25", "不大于 24"),
            ("max_daily_hours", "-1", "大于 0"),
            ("hourly_floor", "abc", "数字")):
        refused = auth.post(f"{url}/{key}", {"base": "1", "value": value})
        body = refused.get_data(as_text=True)
        assert refused.status_code == 400, (key, value)
        error = re.search(r'<p class="field-error" id="err-std-' + key + r'">([^<]+)</p>', body)
        assert error, (key, value)  # the message is beside the field it concerns
        assert words in error.group(1), error.group(1)
    assert session.scalar(select(func.count()).select_from(AgreementVersion)) == versions


def test_a_hand_edit_is_checked_before_freezing(client, auth, session):
    n_id = _build(session, auth)
    hours = _article(_latest(session, n_id).content, "hours")
    # The mediator rewrites the Chinese alone, restating the daily limit as 10 h.
    edited = auth.post(f"/negotiations/{n_id}/agreement/articles/hours", {
        "base": "1", "text_zh": hours["text_zh"].replace("11小时", "10小时"),
        "text_en": hours["text_en"]})
    assert edited.status_code == 302
    content = _latest(session, n_id).content
    assert _article(content, "hours")["review"] == ["en"]
    page = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    assert 'id="unsettled"' in page and "agr-problems" in page
    for side in ("union", "platform"):
        auth.logout()
        auth.login(side)
        assert auth.post(f"/negotiations/{n_id}/agreement/approve",
                         {"number": "2"}).status_code == 302
    auth.logout()
    auth.login("mediator")
    refused = auth.post(f"/negotiations/{n_id}/agreement/freeze")
    assert refused.status_code == 409 and "第五条" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(select(Agreement.status).where(
        Agreement.negotiation_id == n_id)) == "drafting"
    # Regenerating the article from the standards settles both languages.
    assert auth.post(f"/negotiations/{n_id}/agreement/articles/hours",
                     {"base": "2", "regenerate": "1"}).status_code == 302
    content = _latest(session, n_id).content
    assert "review" not in _article(content, "hours")
    assert "11小时" in _article(content, "hours")["text_zh"]
    page = client.get(f"/negotiations/{n_id}/agreement").get_data(as_text=True)
    assert 'id="unsettled"' not in page and "agr-problems" not in page
    for side in ("union", "platform"):
        auth.logout()
        auth.login(side)
        assert auth.post(f"/negotiations/{n_id}/agreement/approve",
                         {"number": "3"}).status_code == 302
    auth.logout()
    auth.login("mediator")
    assert auth.post(f"/negotiations/{n_id}/agreement/freeze").status_code == 302


def test_the_default_title_is_this_negotiations(client, auth, session):
    n_id = _build(session, auth)
    content = _latest(session, n_id).content
    title = session.scalar(select(Negotiation.title).where(Negotiation.id == n_id))
    assert title == "速达外卖平台算法与工作时间规则协商（示例）"
    assert content["title_zh"] == "速达外卖平台算法与工作时间规则协议（示例）"
    assert "行业" not in content["title_zh"]
    assert content["scope"]["workers_covered"] == "速达外卖郑州市全部骑手"
