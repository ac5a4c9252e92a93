"""Read side of a negotiation page: timeline, legal dates, next steps, offers compared, chart data.

Plain data for templates and charts; labels come in both languages so the caller picks by locale.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.audit import AuditEntry

from . import access, outcomes, rules, service, terms as terms_mod, workflow
from . import offers as offer_service
from . import records as nrecords
from . import representatives as rep_service
from .models import (EMPLOYER, SIDES, WORKER, Filing, Meeting, Negotiation, ProcedureStep,
                     Vote)
from .deadlines import Deadline, deadlines, flags, next_deadline
from .workflow import Event as E, State as S

# Events recorded through their own forms rather than the generic step form.
OWN_FORMS = {E.SEND_OFFER: "offer", E.COUNTER_OFFER: "offer", E.ACCEPT: "reply",
             E.REFUSE: "reply", E.HOLD_MEETING: "meeting", E.VOTE_PASSED: "vote",
             E.VOTE_FAILED: "vote", E.VOTE_INQUORATE: "vote", E.FILE: "file",
             E.OBJECTION: "objection"}
SIDE_ONLY = {"offer", "reply"}
VOTE_EVENTS = {E.VOTE_PASSED.value, E.VOTE_FAILED.value, E.VOTE_INQUORATE.value}


def next_actions(session: Session, actor, negotiation: Negotiation,
                 rows: list[ProcedureStep] | None = None) -> list[dict]:
    """The forms the actor may use now: ``{"form": name, "event": Event, "key": key}``, one per
    form; ``key`` is the form's name, or the event's for the generic step form (the form's id on
    the page is ``form-<key>``).

    ``rows``: the effective step rows (``nrecords.step_rows``) if already loaded."""
    side = access.side_of(actor, negotiation)
    state = S(negotiation.state)
    pending = offer_service.pending_offer_side(
        nrecords.step_rows(session, negotiation) if rows is None else rows)
    actions, seen = [], set()
    ruleset = negotiation.ruleset
    skipped = {E.VACANCY_AROSE, E.VACANCY_FILLED}
    if not ruleset.vote_required:
        skipped |= {E(v) for v in VOTE_EVENTS}
    if not ruleset.filing_required:
        skipped.add(E.FILE)
    for event in workflow.allowed_events(state, vote_required=ruleset.vote_required):
        if event in skipped:
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
        actions.append({"form": form, "event": event, "key": key})
    return actions


class TimelineStep(NamedTuple):
    """A recorded step as the page shows it (attributes, as ``Cell``)."""
    id: int
    event: E
    label: str
    on: dt.date
    basis: str
    data: dict
    corrected: bool
    recorded_by: str
    recorded_at: dt.datetime


class LegalDate(NamedTuple):
    """A deadline as the page shows it (attributes, as ``Cell``)."""
    name: str
    due: dt.date
    basis: str
    status: str
    start: dt.date
    met_on: dt.date | None
    assumption: str | None
    key: str
    provisional: bool = False


def timeline(session: Session, negotiation: Negotiation, lang: str,
             rows: list[ProcedureStep] | None = None) -> list[TimelineStep]:
    """The recorded steps (effective), each with its label, date, article and who recorded it.

    ``rows``: the effective step rows (``nrecords.step_rows``) if already loaded."""
    if rows is None:
        rows = nrecords.step_rows(session, negotiation, with_recorders=True)
    out = []
    for row in rows:
        event = E(row.event)
        out.append(TimelineStep(
            id=row.id, event=event, label=workflow.event_label(event, lang), on=row.on,
            basis=workflow.EVENT_BASIS.get(event, ""), data=row.data,
            corrected=row.corrects_id is not None,
            recorded_by=row.recorded_by.display_name if row.recorded_by else "",
            recorded_at=row.recorded_at))
    return out


def legal_dates(session: Session, negotiation: Negotiation, today: dt.date, lang: str, *,
                dates: list[Deadline] | None = None) -> list[LegalDate]:
    """Every deadline with its basis; ``assumption`` carries the text of an unconfirmed rule.

    ``dates``: ``deadlines(history, today)`` if already computed."""
    if dates is None:
        dates = deadlines(nrecords.history(session, negotiation), today,
                          ruleset=negotiation.ruleset)
    out = []
    for d in dates:
        assumption = None
        if d.assumption and d.assumption in rules.ASSUMPTIONS:
            zh, en, _source = rules.ASSUMPTIONS[d.assumption]
            assumption = en if lang == "en" else zh
        out.append(LegalDate(name=d.name_en if lang == "en" else d.name, due=d.due,
                             basis=d.basis, status=d.status, start=d.start, met_on=d.met_on,
                             assumption=assumption, key=d.key, provisional=d.provisional))
    return out


class Cell(NamedTuple):
    """One offer's value of a compared row (attributes: templates read them without a failed
    attribute lookup first, as on a dict)."""
    value: float | None
    vs_previous: float | None  # change from the previous column; None if either is blank
    vs_current: float | None   # change from today's rules; None if either is blank


class ComparedRow(NamedTuple):
    key: str
    label: str
    current: float | None
    cells: list


def _cells(values: list, now_value) -> list[Cell]:
    cells, previous = [], None
    for value in values:
        cells.append(Cell(value, None if value is None or previous is None else value - previous,
                          None if value is None or now_value is None else value - now_value))
        if value is not None:
            previous = value
    return cells


def compare_offers(offers: list, current_rules: Any, lang: str,
                   results: dict[int, Any] | None = None) -> dict:
    """Offers side by side: rows per term with each offer's value and its change.

    ``columns``: the offers; ``rows``: ``ComparedRow`` (``key``, ``label``, ``current``,
    ``cells``) where each cell (``Cell``) has ``value``, ``vs_previous`` (change from the
    previous column, None if either is blank) and ``vs_current`` (change from today's rules).
    ``results``: see ``result_rows``.
    """
    current = terms_mod.current_pay(current_rules)
    keys: list[str] = []
    for offer in offers:
        for key in offer.terms:
            if key not in keys:
                keys.append(key)
    rows = []
    for key in keys:
        now_value = current.get(key)
        rows.append(ComparedRow(key, terms_mod.term_label(key, lang), now_value,
                                _cells([offer.terms.get(key) for offer in offers], now_value)))
    return {"columns": offers, "rows": rows,
            "results": result_rows(offers, current_rules, lang, results),
            "adopted": [terms_mod.adopted_reading(current_rules, o.terms) for o in offers],
            "adopted_now": terms_mod.adopted_reading(current_rules, {}),
            "threshold": (_current_results(json.dumps(current_rules, sort_keys=True)) or {}
                          ).get("threshold") if offers and isinstance(current_rules, dict)
            else None}


@functools.lru_cache(maxsize=32)
def _current_results(rules_json: str) -> dict | None:
    rules = json.loads(rules_json)
    return terms_mod.effect_results(rules, rules)


def result_rows(offers: list, current_rules: Any, lang: str,
                results: dict[int, Any] | None = None) -> list[ComparedRow]:
    """Simulated results of each sent offer (from its snapshot) beside today's rules.

    ``results``: each offer's ``snapshot["results"]`` by id
    (``offer_service.offers_with_results``), if read already; else they are taken from the
    snapshots."""
    if results is None:
        results = {o.id: (o.snapshot or {}).get("results") for o in offers}
    results = dict(results)
    for offer in offers:
        # Offers sent before the package effect was stored (their results were the package
        # alone, another measure under the same name): computed now, as every page does.
        if not results.get(offer.id) and (offer.snapshot or {}).get("scenario"):
            results[offer.id] = terms_mod.effect_results(offer.snapshot["scenario"],
                                                         current_rules)
    if not any(results.get(o.id) for o in offers):
        return []
    current = _current_results(json.dumps(current_rules, sort_keys=True)) \
        if isinstance(current_rules, dict) else None
    rows = []
    for key, path, zh, en, unit in terms_mod.RESULT_ROWS:
        scale = 100.0 if unit == "%" else 1.0
        now_value = terms_mod.result_value(current, path)
        now_value = None if now_value is None else now_value * scale
        values = []
        for offer in offers:
            value = terms_mod.result_value(results.get(offer.id), path)
            values.append(None if value is None else value * scale)
        label = en if lang == "en" else zh
        rows.append(ComparedRow(key, f"{label} ({terms_mod.UNITS_EN.get(unit, unit)})"
                                if lang == "en" else f"{label}（{unit}）",
                                now_value, _cells(values, now_value)))
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


@functools.cache
def _records_query(model):
    """The negotiation's meetings (by number), votes or filings (as recorded), built once."""
    return select(model).where(model.negotiation_id == bindparam("negotiation_id")).order_by(
        model.number if model is Meeting else model.id)


@functools.cache
def _trail_query():
    """The page's audit trail: when, who, what and the states (the rest of each entry stays
    unread). Built once: building it cost more than running it."""
    return select(
        AuditEntry.id, AuditEntry.at, AuditEntry.actor_name, AuditEntry.action,
        AuditEntry.before["state"].as_string().label("before_state"),
        AuditEntry.after["state"].as_string().label("after_state")).where(
        AuditEntry.target_type == "negotiation",
        AuditEntry.target_id == bindparam("negotiation_id")).order_by(AuditEntry.id.desc())


def page(session: Session, actor, negotiation: Negotiation, *, now: dt.datetime,
         lang: str = "zh") -> dict:
    """Everything the negotiation page shows to ``actor``."""
    today = nrecords.local_today(now)
    rows = nrecords.step_rows(session, negotiation, with_recorders=True)  # once per page
    steps = nrecords.steps_of(rows)
    dates = deadlines(steps, today, ruleset=negotiation.ruleset)
    visible_offers, results = offer_service.offers_with_results(session, actor, negotiation)
    sent = [o for o in visible_offers if o.status in ("sent", "superseded")]
    reps = rep_service.representatives(session, negotiation)
    # Meetings, votes and filings are recorded only together with their step: no step, no query.
    events = {row.event for row in rows}
    ids = {"negotiation_id": negotiation.id}
    meetings = list(session.scalars(_records_query(Meeting), ids)) \
        if E.HOLD_MEETING.value in events else []
    votes = list(session.scalars(_records_query(Vote), ids)) if events & VOTE_EVENTS else []
    filings = list(session.scalars(_records_query(Filing), ids)) \
        if E.FILE.value in events else []
    trail = session.execute(_trail_query(), {"negotiation_id": negotiation.id}).all()
    return {
        "negotiation": negotiation, "side": access.side_of(actor, negotiation),
        "parties": nrecords.parties(negotiation), "today": today,
        "state_text": workflow.state_label(negotiation.state, lang),
        "timeline": timeline(session, negotiation, lang, rows),
        "legal_dates": legal_dates(session, negotiation, today, lang, dates=dates),
        "next_deadline": next_deadline(dates),
        "flags": [{"message": f.message_en if lang == "en" else f.message, "on": f.on,
                   "code": f.code} for f in flags(steps, today, dates=dates,
                                                            ruleset=negotiation.ruleset)],
        "actions": next_actions(session, actor, negotiation, rows),
        "representatives": reps,
        "workers": [r for r in reps if r.side == WORKER],
        "employers": [r for r in reps if r.side == EMPLOYER],
        "delegation_problems": rep_service.delegation_problems(session, negotiation, reps),
        "offers": visible_offers, "drafts": [o for o in visible_offers if o.status == "draft"],
        "comparison": compare_offers(sent, negotiation.current_rules, lang, results),
        "meetings": meetings, "meeting_outcomes": outcomes.of_meetings(session, meetings),
        "votes": votes, "filings": filings,
        "notes": service.notes(session, actor, negotiation), "audit": trail,
        "accepted_offer": offer_service.accepted_offer(session, negotiation, rows),
        "default_chair_side": rep_service.default_chair_side(session, negotiation, meetings),
        "assumption_day_counting": rules.ASSUMPTIONS["day_counting"][1 if lang == "en" else 0],
        "ruleset": negotiation.ruleset,
    }
