"""The offer flow through the pages (issue 17, findings 1–3): a draft made from a scenario opens
the filled form; a counter-offer starts from the side's own numbers, the other side's only when
chosen and labelled; sending asks for a confirmation with the terms, their changes, the headline
figures and the reply period, and the message after sending names the offer and its deadline."""
from __future__ import annotations

import datetime as dt
import html
import re

from sqlalchemy import func, select

from app.audit import AuditEntry
from app.negotiations import terms as terms_mod
from app.negotiations.models import Negotiation, Offer, ProcedureStep
from app.scenarios.models import SavedScenario
from tests.negotiations.helpers import negotiation, user

HX = {"HX-Request": "true", "HX-Target": "form-offer"}


def written(session):
    session.expire_all()
    return tuple(session.scalar(select(func.count()).select_from(m))
                 for m in (Negotiation, ProcedureStep, Offer, AuditEntry))


def offer_form(body: str) -> str:
    """The offer form's markup (the first form with id form-offer)."""
    start = body.index('<form id="form-offer"')
    return body[start:body.index("</form>", start)]


def term_values(form: str) -> dict[str, str]:
    """The value of each term input of the form, by term."""
    return {m.group(1): html.unescape(m.group(2)) for m in re.finditer(
        r'name="terms\.(\w+)" type="number" value="([^"]*)"', form)}


def selected_start(form: str) -> str:
    return re.search(r'<option value="([^"]+)" selected>', form).group(1)


def scenario_of(session, username: str) -> SavedScenario:
    org = user(session, username).organisation_id
    return session.scalars(select(SavedScenario).where(
        SavedScenario.organisation_id == org, SavedScenario.sector == "delivery")
        .order_by(SavedScenario.id)).first()


def sent_offer(session, n) -> Offer:
    return session.scalars(select(Offer).where(
        Offer.negotiation_id == n.id, Offer.status == "sent").order_by(Offer.id.desc())).first()


# -- 1. "Make a draft offer from it" opens the filled draft form -------------------------------
def test_a_draft_made_from_a_scenario_opens_the_filled_offer_form(client, auth, session):
    n = negotiation(session, "preparing")
    record = scenario_of(session, "union")
    auth.login("union")
    response = auth.post(f"/scenarios/{record.id}/offer-draft", {"negotiation_id": str(n.id)})
    assert response.status_code == 302
    draft = session.scalars(select(Offer).where(Offer.negotiation_id == n.id,
                                                Offer.status == "draft")).one()
    location = response.headers["Location"]
    assert f"/negotiations/{n.id}/actions/offer" in location
    assert f"start=draft-{draft.id}" in location and location.endswith("#form-offer")
    page = client.get(location).get_data(as_text=True)
    assert '<details class="action" id="action-form-offer" open>' in page
    form = offer_form(page)
    assert f'name="offer_id" value="{draft.id}"' in form  # sending sends this draft
    values = term_values(form)
    assert draft.terms and all(float(values[k]) == v for k, v in draft.terms.items())
    assert record.name in form  # the rationale names the scenario
    assert "方案条款已写入要约草稿" in page


def test_a_draft_from_a_scenario_waits_in_the_offers_card_when_no_offer_may_be_sent(
        client, auth, session):
    n = negotiation(session, "awaiting")  # the union's offer awaits the platform's reply
    auth.login("union")
    response = auth.post(f"/scenarios/{scenario_of(session, 'union').id}/offer-draft",
                         {"negotiation_id": str(n.id)})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/negotiations/{n.id}#offers")


# -- 2. A counter-offer starts from the side's own numbers ---------------------------------------
def test_the_counter_offer_form_does_not_start_from_the_other_sides_numbers(
        client, auth, session):
    n = negotiation(session, "awaiting")
    union_offer = sent_offer(session, n)
    assert union_offer.side == "worker"
    auth.login("platform")
    url = f"/negotiations/{n.id}/actions/offer"
    for headers in (HX, {}):  # the fragment (htmx) and the page without JavaScript
        form = offer_form(client.get(url, headers=headers).get_data(as_text=True))
        assert selected_start(form) == "blank"
        assert all(v == "" for v in term_values(form).values()), term_values(form)
        assert f'value="other-{union_offer.id}"' in form  # offered, not chosen
    # Chosen explicitly: the union's numbers, labelled as theirs.
    form = offer_form(client.get(f"{url}?start=other-{union_offer.id}", headers=HX)
                      .get_data(as_text=True))
    assert selected_start(form) == f"other-{union_offer.id}"
    assert "对方的数字" in form and 'class="note start-other"' in form
    values = term_values(form)
    assert all(float(values[k]) == v for k, v in union_offer.terms.items())
    assert 'name="offer_id"' not in form  # a new offer of the platform's own


def test_the_counter_offer_form_starts_from_the_sides_own_draft_or_scenario(
        client, auth, session):
    n = negotiation(session, "awaiting")
    auth.login("platform")
    url = f"/negotiations/{n.id}/actions/offer"
    record = scenario_of(session, "platform")
    if record is not None:
        form = offer_form(client.get(f"{url}?start=scenario-{record.id}", headers=HX)
                          .get_data(as_text=True))
        assert selected_start(form) == f"scenario-{record.id}"
    # Another organisation's scenario, another side's draft, nonsense: not found.
    union_record = scenario_of(session, "union")
    for bad in (f"scenario-{union_record.id}", "draft-0", "other-abc", "own-1", "x"):
        assert client.get(f"{url}?start={bad}", headers=HX).status_code == 404, bad
    assert auth.post(f"/negotiations/{n.id}/offers", {
        "action": "draft", "terms.base_per_order": "6.05", "rationale": "平台方初稿"}
    ).status_code == 302
    draft = session.scalars(select(Offer).where(Offer.negotiation_id == n.id,
                                                Offer.status == "draft")).one()
    form = offer_form(client.get(url, headers=HX).get_data(as_text=True))
    assert selected_start(form) == f"draft-{draft.id}"  # the side's own draft by default
    assert term_values(form)["base_per_order"] == "6.05" and "平台方初稿" in form
    assert f'name="offer_id" value="{draft.id}"' in form


# -- 3. Sending asks for a confirmation; the message names the offer and the deadline ----------
def test_sending_a_written_offer_asks_for_confirmation_first(client, auth, session):
    n = negotiation(session, "preparing")
    auth.login("union")
    received = dt.date.fromisoformat(
        re.search(r'name="on" type="date" value="([^"]+)"', offer_form(client.get(
            f"/negotiations/{n.id}/actions/offer", headers=HX).get_data(as_text=True))).group(1))
    form = {"action": "review", "start": "blank", "terms.base_per_order": "7.4",
            "terms.hourly_floor": "24", "rationale": "单价与小时保底",
            "on": received.isoformat(), "received_on": received.isoformat()}
    before = written(session)
    review = auth.post(f"/negotiations/{n.id}/offers", form, headers=HX)
    body = review.get_data(as_text=True)
    assert review.status_code == 200 and "<html" not in body
    assert written(session) == before  # nothing sent, nothing written
    assert "核对后发出：书面要约（职工方，第1轮）" in body
    # The reply period it starts: 20 days from receipt (第三十二条).
    due = received + dt.timedelta(days=20)
    assert f'<strong class="reply-due">{due.isoformat()}</strong>' in body and "第三十二条" in body
    # The terms against today's rules (no offer was sent before).
    current = n.current_rules["pay"]
    row = re.search(r'<tr data-term="base_per_order">.*?</tr>', body, re.S).group(0)
    assert "<strong>7.4</strong>" in row
    assert f"现行规则 {current['base_per_order']:g} ({7.4 - current['base_per_order']:+g})" \
        in html.unescape(row)
    # The headline figures: the package effect that is stored with the offer when sent.
    terms = {"base_per_order": 7.4, "hourly_floor": 24.0}
    effect = terms_mod.effect_results(terms_mod.apply_terms(n.current_rules, terms),
                                      n.current_rules)
    shown = float(re.search(r'data-result="mean_net_monthly".*?data-value="([^"]+)"', body,
                            re.S).group(1))
    assert shown == effect["package"]["mean_net_monthly"]
    assert 'data-reading="working_time"' in body and "本方案采用的口径" in body
    # Back to edit keeps what was typed.
    edit = auth.post(f"/negotiations/{n.id}/offers", {**form, "action": "edit"}, headers=HX)
    assert term_values(offer_form(edit.get_data(as_text=True)))["base_per_order"] == "7.4"
    # Confirmed: sent, with the figures shown, and a message naming the offer and its deadline.
    sent = auth.post(f"/negotiations/{n.id}/offers", {**form, "action": "send"})
    assert sent.status_code == 302
    offer = sent_offer(session, n)
    assert offer.terms == terms and offer.snapshot["results"] == effect
    page = client.get(f"/negotiations/{n.id}").get_data(as_text=True)
    assert "书面要约（职工方，第1轮）" in page and due.isoformat() in page
    assert "已保存。" not in page


def test_a_counter_offer_confirmation_shows_changes_against_the_last_offer(
        client, auth, session):
    n = negotiation(session, "awaiting")
    union_offer = sent_offer(session, n)
    key, theirs = next(iter(union_offer.terms.items()))
    ours = float(f"{theirs * 0.9:g}")
    auth.login("platform")
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    form = {"action": "review", f"terms.{key}": f"{ours:g}"}
    body = auth.post(f"/negotiations/{n.id}/offers", form).get_data(as_text=True)
    assert "<html" in body  # without JavaScript: the page, the confirmation in place
    assert "Check before sending: counter-offer (Employer side, round 1)" in body
    row = html.unescape(re.search(rf'<tr data-term="{key}">.*?</tr>', body, re.S).group(0))
    assert f"<strong>{ours:g}</strong>" in row
    assert f"last offer {theirs:g} ({round(ours - theirs, 4):+g})" in row
    assert "answer to the offer" in body  # it meets the union's reply period
    sent = auth.post(f"/negotiations/{n.id}/offers", {**form, "action": "send"},
                     follow_redirects=True).get_data(as_text=True)
    assert "Counter-offer (Employer side, round 1) sent on" in sent
    assert "It starts no new legal reply period." in sent


def test_a_bad_offer_is_refused_at_review_beside_the_field(client, auth, session):
    n = negotiation(session, "preparing")
    auth.login("union")
    before = written(session)
    response = auth.post(f"/negotiations/{n.id}/offers",
                         {"action": "review", "terms.commission_rate": "2"}, headers=HX)
    assert response.status_code == 400 and written(session) == before
    assert 'id="form-offer-terms-commission_rate-err"' in response.get_data(as_text=True)
