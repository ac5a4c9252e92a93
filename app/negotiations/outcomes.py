"""Meeting outcomes: the minutes record, term by term, what was agreed (with the agreed value),
left open or withdrawn, for the terms on the table (the terms of each side's latest offer).

The outcomes are stored in the data of the meeting's procedure step (``ProcedureStep.data``,
key ``outcomes``): a list of ``{"key", "outcome", "value"}``, ``value`` only when agreed, in the
units of the offers (``terms``: ratios as fractions). ``app.agreements.service`` carries the
agreed values into the agreement draft as one version.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from app.errors import Msg

from . import terms as nterms
from .models import Meeting, Negotiation, ProcedureStep
from .offers import sent_offers

AGREED, OPEN, WITHDRAWN = "agreed", "open", "withdrawn"
OUTCOMES = (AGREED, OPEN, WITHDRAWN)


def terms_on_table(session: Session, negotiation: Negotiation) -> list[str]:
    """The terms of each side's latest sent offer, in the order they first appear."""
    latest: dict[str, object] = {}
    for offer in sent_offers(session, negotiation):
        latest[offer.side] = offer
    keys: list[str] = []
    for offer in latest.values():
        keys += [k for k in (offer.terms or {}) if k not in keys]
    return keys


def parse(session: Session, negotiation: Negotiation, form: Mapping, errors: dict) -> list[dict]:
    """The outcomes from form keys ``outcome.<term>`` (blank: not discussed) and
    ``agreed.<term>`` (the agreed value, required when agreed); errors under those keys.

    An agreed value must pass the same checks as a term of an offer (a number within the
    simulator's ranges, laid over today's rules)."""
    out: list[dict] = []
    for key in terms_on_table(session, negotiation):
        outcome = str(form.get(f"outcome.{key}") or "").strip()
        if not outcome:
            continue
        if outcome not in OUTCOMES:
            errors[f"outcome.{key}"] = Msg("Choose agreed, left open or withdrawn")
            continue
        row = {"key": key, "outcome": outcome}
        if outcome == AGREED:
            raw = str(form.get(f"agreed.{key}") or "").strip()
            if not raw:
                errors[f"agreed.{key}"] = Msg("Enter the agreed value")
                continue
            term_errors: dict = {}
            parsed = nterms.parse_terms({f"terms.{key}": raw[:40]}, negotiation.current_rules,
                                        term_errors)
            if term_errors or key not in parsed:
                errors[f"agreed.{key}"] = next(iter(term_errors.values()),
                                               Msg("Enter the agreed value"))
                continue
            row["value"] = parsed[key]
        out.append(row)
    return out


def of_meeting(session: Session, meeting: Meeting) -> list[dict]:
    """The outcomes recorded in a meeting's minutes ([] when none)."""
    step = session.get(ProcedureStep, meeting.step_id) if meeting.step_id else None
    return _recorded(step)


def of_meetings(session: Session, meetings: Iterable[Meeting]) -> dict[int, list[dict]]:
    """:func:`of_meeting` of each meeting, by meeting id: the steps the session holds already
    (the negotiation page has read them), the others in one statement (a page lists every
    meeting of a negotiation: not one statement per meeting)."""
    meetings = list(meetings)
    steps, missing = {}, []
    for step_id in {m.step_id for m in meetings if m.step_id}:
        step = session.identity_map.get(identity_key(ProcedureStep, step_id))
        if step is None:
            missing.append(step_id)
        else:
            steps[step_id] = step
    if missing:
        steps.update((s.id, s) for s in session.scalars(
            select(ProcedureStep).where(ProcedureStep.id.in_(missing))))
    return {m.id: _recorded(steps.get(m.step_id)) for m in meetings}


def _recorded(step: ProcedureStep | None) -> list[dict]:
    data = step.data if step is not None and isinstance(step.data, Mapping) else {}
    rows = data.get("outcomes") or []
    return [dict(r) for r in rows if isinstance(r, Mapping) and r.get("outcome") in OUTCOMES]


def agreed_values(session: Session, meeting: Meeting) -> dict[str, float]:
    """The agreed values of a meeting's minutes, by term."""
    return agreed_in(of_meeting(session, meeting))


def agreed_in(rows: Iterable[Mapping]) -> dict[str, float]:
    """The agreed values, by term, of outcome rows (:func:`of_meeting`'s)."""
    return {r["key"]: r["value"] for r in rows if r["outcome"] == AGREED and "value" in r}
