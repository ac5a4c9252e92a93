"""Read side of a negotiation page: timeline, legal dates, next steps, offers compared, chart data.

Plain data for templates and charts; labels come in both languages so the caller picks by locale.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.audit import AuditEntry

from . import access, rules, service, terms as terms_mod, workflow
from .models import EMPLOYER, SIDES, WORKER, Filing, Meeting, Negotiation, Vote
from .deadlines import deadlines, flags, next_deadline
from .workflow import Event as E, State as S

# Events recorded through their own forms rather than the generic step form.
OWN_FORMS = {E.SEND_OFFER: "offer", E.COUNTER_OFFER: "offer", E.ACCEPT: "reply",
             E.REFUSE: "reply", E.HOLD_MEETING: "meeting", E.VOTE_PASSED: "vote",
             E.VOTE_FAILED: "vote", E.VOTE_INQUORATE: "vote", E.FILE: "file",
             E.OBJECTION: "objection"}
SIDE_ONLY = {"offer", "reply"}


def next_actions(session: Session, actor, negotiation: Negotiation) -> list[dict]:
    """The forms the actor may use now: ``{"form": name, "event": Event}``, one per form."""
    side = access.side_of(actor, negotiation)
    state = S(negotiation.state)
    pending = service._pending_offer_side(session, negotiation)
    actions, seen = [], set()
    for event in workflow.allowed_events(state):
        if event in (E.VACANCY_AROSE, E.VACANCY_FILLED):
            continue
        form = OWN_FORMS.get(event, "step")
        if form in SIDE_ONLY and side not in SIDES:
            continue
        if state == S.OFFER_SENT and form in ("offer", "reply") and pending == side:
            continue
        key = form if form != "step" else event.value
        if key in seen:
            continue
        seen.add(key)
        actions.append({"form": form, "event": event})
    return actions


def timeline(session: Session, negotiation: Negotiation, lang: str) -> list[dict]:
    """The recorded steps (effective), each with its label, date, article and who recorded it."""
    out = []
    for row in service.step_rows(session, negotiation):
        event = E(row.event)
        out.append({"id": row.id, "event": event, "label": workflow.event_label(event, lang),
                    "on": row.on, "basis": workflow.EVENT_BASIS.get(event, ""),
                    "data": row.data, "corrected": row.corrects_id is not None,
                    "recorded_by": row.recorded_by.display_name if row.recorded_by else "",
                    "recorded_at": row.recorded_at})
    return out


def legal_dates(session: Session, negotiation: Negotiation, today: dt.date, lang: str) -> list:
    """Every deadline with its basis; ``assumption`` carries the text of an unconfirmed rule."""
    out = []
    for d in deadlines(service.history(session, negotiation), today):
        assumption = None
        if d.assumption and d.assumption in rules.ASSUMPTIONS:
            zh, en, _source = rules.ASSUMPTIONS[d.assumption]
            assumption = en if lang == "en" else zh
        out.append({"name": d.name_en if lang == "en" else d.name, "due": d.due,
                    "basis": d.basis, "status": d.status, "start": d.start, "met_on": d.met_on,
                    "assumption": assumption, "key": d.key})
    return out


def compare_offers(offers: list, current_rules: Any, lang: str) -> dict:
    """Offers side by side: rows per term with each offer's value and its change.

    ``columns``: the offers; ``rows``: ``{"key", "label", "current", "cells"}`` where each cell
    has ``value``, ``vs_previous`` (change from the previous column, None if either is blank)
    and ``vs_current`` (change from today's rules).
    """
    current = terms_mod.current_pay(current_rules)
    keys: list[str] = []
    for offer in offers:
        for key in offer.terms:
            if key not in keys:
                keys.append(key)
    rows = []
    for key in keys:
        cells, previous = [], None
        now_value = current.get(key)
        for offer in offers:
            value = offer.terms.get(key)
            cells.append({
                "value": value,
                "vs_previous": None if value is None or previous is None else value - previous,
                "vs_current": None if value is None or now_value is None
                else value - now_value})
            if value is not None:
                previous = value
        rows.append({"key": key, "label": terms_mod.term_label(key, lang), "current": now_value,
                     "cells": cells})
    return {"columns": offers, "rows": rows,
            "results": result_rows(offers, current_rules, lang)}


@functools.lru_cache(maxsize=32)
def _current_results(rules_json: str) -> dict | None:
    return terms_mod.simulate_results(json.loads(rules_json))


def result_rows(offers: list, current_rules: Any, lang: str) -> list[dict]:
    """Simulated results of each sent offer (from its snapshot) beside today's rules."""
    if not any((o.snapshot or {}).get("results") for o in offers):
        return []
    current = _current_results(json.dumps(current_rules, sort_keys=True)) \
        if isinstance(current_rules, dict) else None
    rows = []
    for key, path, zh, en, unit in terms_mod.RESULT_ROWS:
        scale = 100.0 if unit == "%" else 1.0
        now_value = terms_mod.result_value(current, path)
        now_value = None if now_value is None else now_value * scale
        cells, previous = [], None
        for offer in offers:
            value = terms_mod.result_value((offer.snapshot or {}).get("results"), path)
            value = None if value is None else value * scale
            cells.append({
                "value": value,
                "vs_previous": None if value is None or previous is None else value - previous,
                "vs_current": None if value is None or now_value is None
                else value - now_value})
            if value is not None:
                previous = value
        label = en if lang == "en" else zh
        rows.append({"key": key, "label": f"{label} ({unit})" if lang == "en"
                     else f"{label}（{unit}）", "current": now_value, "cells": cells})
    return rows


def chart_series(offers: list, lang: str, limit: int = 4) -> list[dict]:
    """Per key term, each side's positions by round: ``{"key", "label", "worker", "employer"}``
    with lists of ``(round, value)``; at most ``limit`` terms, those that moved first."""
    sent = [o for o in offers if o.status in ("sent", "superseded")]
    keys = [k for k in terms_mod.CHART_TERMS if any(k in o.terms for o in sent)]
    for offer in sent:
        for key in offer.terms:
            if key not in keys:
                keys.append(key)

    def moved(key):
        values = {o.terms[key] for o in sent if key in o.terms}
        return len(values) > 1
    keys.sort(key=lambda k: not moved(k))
    out = []
    for key in keys[:limit]:
        series = {side: [(o.round, o.terms[key]) for o in sent if o.side == side
                         and key in o.terms] for side in SIDES}
        out.append({"key": key, "label": terms_mod.term_label(key, lang), **series})
    return out


def page(session: Session, actor, negotiation: Negotiation, *, now: dt.datetime,
         lang: str = "zh") -> dict:
    """Everything the negotiation page shows to ``actor``."""
    today = service.local_today(now)
    steps = service.history(session, negotiation)
    visible_offers = service.offers(session, actor, negotiation)
    sent = [o for o in visible_offers if o.status in ("sent", "superseded")]
    reps = service.representatives(session, negotiation)
    meetings = list(session.scalars(select(Meeting).where(
        Meeting.negotiation_id == negotiation.id).order_by(Meeting.number)))
    votes = list(session.scalars(select(Vote).where(Vote.negotiation_id == negotiation.id)
                                 .order_by(Vote.id)))
    filings = list(session.scalars(select(Filing).where(Filing.negotiation_id == negotiation.id)
                                   .order_by(Filing.id)))
    trail = list(session.scalars(select(AuditEntry).where(
        AuditEntry.target_type == "negotiation", AuditEntry.target_id == negotiation.id)
        .order_by(AuditEntry.id.desc())))
    legal = legal_dates(session, negotiation, today, lang)
    return {
        "negotiation": negotiation, "side": access.side_of(actor, negotiation),
        "parties": service.parties(negotiation), "today": today,
        "state_text": workflow.state_label(negotiation.state, lang),
        "timeline": timeline(session, negotiation, lang), "legal_dates": legal,
        "next_deadline": next_deadline(deadlines(steps, today)),
        "flags": [{"message": f.message_en if lang == "en" else f.message, "on": f.on,
                   "code": f.code} for f in flags(steps, today)],
        "actions": next_actions(session, actor, negotiation),
        "representatives": reps,
        "workers": [r for r in reps if r.side == WORKER],
        "employers": [r for r in reps if r.side == EMPLOYER],
        "delegation_problems": service.delegation_problems(session, negotiation),
        "offers": visible_offers, "drafts": [o for o in visible_offers if o.status == "draft"],
        "comparison": compare_offers(sent, negotiation.current_rules, lang),
        "chart_series": chart_series(sent, lang),
        "meetings": meetings, "votes": votes, "filings": filings,
        "notes": service.notes(session, actor, negotiation), "audit": trail,
        "accepted_offer": service.accepted_offer(session, negotiation),
        "default_chair_side": service.default_chair_side(session, negotiation),
        "assumption_day_counting": rules.ASSUMPTIONS["day_counting"][1 if lang == "en" else 0],
    }
