"""The offer form's parts besides the service's answers: where a new offer starts from (the side's
own draft, last offer or scenario, a blank form, or, only when chosen, the other side's offer),
and the words of the message after sending. Used by ``app.web.negotiations``.

A start is named by a key: ``draft-<id>`` (edit that draft of the side), ``own-<id>`` (the side's
offer sent before), ``scenario-<id>`` (a saved scenario of the user's organisation),
``other-<id>`` (the other side's sent offer) or ``blank``.
"""
from __future__ import annotations

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import can
from app.errors import NotFound, ValidationError
from app.ids import parse_id
from app.negotiations import access
from app.negotiations import offers as offer_service
from app.scenarios import negotiation_link
from app.scenarios import service as scenario_service
from app.web import negotiations_view as view
from app.web.database import db

#: How many of the organisation's scenarios (of the negotiation's sector) the choice lists.
SCENARIO_CHOICES = 20


def _sent_on(offer) -> str:
    return offer.sent_on.isoformat() if offer.sent_on else ""


def _scenarios(negotiation) -> list:
    if not can(current_user, "scenario.list"):
        return []
    sector = negotiation_link.sector_of(negotiation)
    return [r for r in scenario_service.scenarios_for(db(), current_user)
            if r.sector == sector][:SCENARIO_CHOICES]


def start_choices(negotiation, offers: list) -> list[dict]:
    """Every start the user may choose, own ones first: ``{"key", "label", "kind"}``."""
    side = access.side_of(current_user, negotiation)
    mine = [o for o in offers if o.side == side]
    choices = [{"key": f"draft-{o.id}", "kind": "draft",
                "label": _("Your side's draft of %(on)s", on=o.created_at.date().isoformat())}
               for o in reversed(mine) if o.status == "draft"]
    choices += [{"key": f"own-{o.id}", "kind": "own",
                 "label": _("Your side's offer, round %(n)s (%(on)s)", n=o.round,
                            on=_sent_on(o))}
                for o in reversed(mine) if o.status in offer_service.SENT_STATUSES][:1]
    choices += [{"key": f"scenario-{r.id}", "kind": "scenario",
                 "label": _("Your scenario “%(name)s”", name=r.name)}
                for r in _scenarios(negotiation)]
    choices.append({"key": "blank", "kind": "blank",
                    "label": _("A blank form (a term left blank is not part of the offer)")})
    choices += [{"key": f"other-{o.id}", "kind": "other",
                 "label": _("The other side's offer, round %(n)s (%(on)s): their numbers",
                            n=o.round, on=_sent_on(o))}
                for o in reversed(offers)
                if o.side != side and o.status in offer_service.SENT_STATUSES][:1]
    return choices


def offer_start(negotiation, offers: list, key: str | None) -> dict:
    """The form's start: ``{"key", "kind", "label", "terms", "rationale", "draft",
    "choices"}``; ``key`` None: the side's newest draft, else its last offer, else blank. A key
    the user may not use (another side's draft, another organisation's scenario) is 404."""
    choices = start_choices(negotiation, offers)
    if not key:
        key = next((c["key"] for c in choices if c["kind"] in ("draft", "own")), "blank")
    chosen = next((c for c in choices if c["key"] == key), None)
    if chosen is None:
        abort(404)
    start = {**chosen, "terms": {}, "rationale": None, "draft": None, "choices": choices}
    kind, _dash, raw = key.partition("-")
    if kind in ("draft", "own", "other"):
        offer = next(o for o in offers if o.id == parse_id(raw))
        start["terms"] = dict(offer.terms)
        if kind == "draft":
            start.update(draft=offer, rationale=offer.rationale)
        elif kind == "other":
            start["other"] = offer
    elif kind == "scenario":
        try:
            record = scenario_service.get_scenario(db(), current_user, parse_id(raw))
            start["terms"] = negotiation_link.offer_terms(
                scenario_service.to_scenario(record), negotiation)
        except (NotFound, ValidationError):
            abort(404)
    return start


def form_context(negotiation, key: str | None, offers: list | None = None) -> dict:
    """What the offer form needs to show its start: ``start`` and ``draft``."""
    if offers is None:
        offers = offer_service.offers(db(), current_user, negotiation, with_snapshots=False)
    start = offer_start(negotiation, offers, key)
    return {"start": start, "draft": start["draft"]}


def sent_message(offer, first: bool, reply_due) -> str:
    """The message after sending: which offer went, and the legal reply it asks for."""
    name = (_("Written offer (%(side)s, round %(n)s)", side=view.side_text(offer.side),
              n=offer.round) if first else
            _("Counter-offer (%(side)s, round %(n)s)", side=view.side_text(offer.side),
              n=offer.round))
    if reply_due is not None:
        return _("%(offer)s sent on %(on)s. The other side must reply in writing by %(due)s "
                 "(%(basis)s).", offer=name, on=_sent_on(offer), due=reply_due.due.isoformat(),
                 basis=reply_due.basis)
    return _("%(offer)s sent on %(on)s. It starts no new legal reply period.", offer=name,
             on=_sent_on(offer))
