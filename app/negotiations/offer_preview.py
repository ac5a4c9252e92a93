"""What sending an offer would do, shown before it is sent (要约书 starts the legal reply period).

``preview_offer`` checks a filled offer form as ``offers.send_offer`` does and returns, with
nothing written: the kind of offer (the first written offer or a counter-offer), its round, the
terms beside the last offer sent and today's rules, the headline figures of the package (the one
computation of ``app.simulator.effect``, as the offers table: ``overview.compare_offers``) and the
legal dates it starts or meets (``deadlines``, as the page).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import SimpleNamespace
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.auth.permissions import require
from app.errors import IllegalTransition, Msg

from . import fields, offers as offer_service, overview, terms as terms_mod, workflow
from .deadlines import Deadline, deadlines
from .models import Negotiation, Offer
from .records import actor_side, get_negotiation, local_today, steps_of, step_rows
from .workflow import Event as E, State as S

#: The id the proposed offer carries in the comparison (no stored offer has id 0).
PROPOSED_ID = 0


class OfferPreview(NamedTuple):
    """An offer as it would be sent (see the module docstring)."""
    event: E                    # SEND_OFFER (the written offer) or COUNTER_OFFER
    side: str
    round: int
    terms: dict
    rationale: str
    on: dt.date
    received_on: dt.date
    last_offer: Offer | None    # the last offer sent in the negotiation, by either side
    comparison: dict            # ``overview.compare_offers`` of [last offer, this offer]
    reply_due: Deadline | None  # the written reply this offer asks for, if it starts one
    answers: Deadline | None    # the open reply period this offer answers (meets), if any


def preview_offer(session: Session, actor, negotiation_id: int, form: Mapping, *,
                  now: dt.datetime, lang: str = "zh") -> OfferPreview:
    """The offer ``form`` would send (keys as ``offers.send_offer``), checked as sending checks
    it: ``ValidationError`` for a bad field, ``IllegalTransition`` when the procedure does not
    allow the actor's side to send now. Nothing is written."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.offer", negotiation)
    offer_service.send_offer(session, actor, negotiation_id, form, now=now, check_only=True)
    today = local_today(now)
    side = actor_side(actor, negotiation)
    # The form is valid (checked above): these parse without messages.
    terms = terms_mod.parse_terms(form, negotiation.current_rules, {})
    rationale = fields.text(form, "rationale", {}, max_len=5000, label=Msg("the reason"))
    on = fields.date(form, "on", {}, default=today)
    received_on = fields.date(form, "received_on", {}, required=False, default=on)
    rows = step_rows(session, negotiation)
    state = S(negotiation.state)
    event = E.SEND_OFFER if state in (S.PREPARING, S.REFUSED) else E.COUNTER_OFFER
    if state == S.OFFER_SENT and offer_service.pending_offer_side(rows) == side:
        raise IllegalTransition(Msg("Your side has sent an offer and must wait for the other "
                                    "side's written reply (Art. 32, Collective Contract "
                                    "Provisions)"),
                                state=state, event=event)
    step = workflow.Step(event, on, {"side": side, "received_on": received_on}
                         if event == E.SEND_OFFER else {"side": side})
    history = steps_of(rows)
    workflow.advance(history, step, vote_required=negotiation.ruleset.vote_required)
    sent = offer_service.sent_offers(session, negotiation)
    last = sent[-1] if sent else None
    scenario = terms_mod.apply_terms(negotiation.current_rules, terms)
    proposed = SimpleNamespace(
        id=PROPOSED_ID, side=side, round=sum(1 for o in sent if o.side == side) + 1,
        terms=terms, rationale=rationale, status="proposed", sent_on=on,
        snapshot={"scenario": scenario,
                  "results": terms_mod.effect_results(scenario, negotiation.current_rules)})
    columns = [last, proposed] if last else [proposed]
    comparison = overview.compare_offers(columns, negotiation.current_rules, lang)
    before = _open_replies(history, today, negotiation)
    after = deadlines([*history, step], today, ruleset=negotiation.ruleset)
    started = [d for d in after if d.key == "reply" and d.met_on is None
               and d not in before and d.start == received_on]
    met = [d for d in before if any(a.key == d.key and a.start == d.start and a.met_on
                                    for a in after)]
    return OfferPreview(event=event, side=side, round=proposed.round, terms=terms,
                        rationale=rationale, on=on, received_on=received_on, last_offer=last,
                        comparison=comparison, reply_due=started[-1] if started else None,
                        answers=met[-1] if met else None)


def _open_replies(history, today: dt.date, negotiation: Negotiation) -> list[Deadline]:
    return [d for d in deadlines(history, today, ruleset=negotiation.ruleset)
            if d.key == "reply" and d.met_on is None]


def open_reply_due(session: Session, negotiation: Negotiation, today: dt.date
                   ) -> Deadline | None:
    """The written reply to an offer the negotiation awaits now (its latest open period)."""
    due = _open_replies(steps_of(step_rows(session, negotiation)), today, negotiation)
    return due[-1] if due else None

