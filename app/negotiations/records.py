"""A negotiation's records as the procedure sees them: loading with access checks, the history
of steps (corrections applied), and the one way a step is recorded (checked against the
procedure, audited). Shared by every write action of the negotiation package.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session, joinedload

from app import audit
from app.auth.models import Organisation

from . import access, workflow
from app.errors import NotFound
from .models import Negotiation, ProcedureStep
from .workflow import Event as E, State as S


SHANGHAI = ZoneInfo("Asia/Shanghai")


def local_today(now: dt.datetime) -> dt.date:
    """The legal date (Asia/Shanghai) of the instant ``now``."""
    return now.astimezone(SHANGHAI).date()


# --- loading and access --------------------------------------------------------------------------
def get_negotiation(session: Session, actor, negotiation_id: int) -> Negotiation:
    """The negotiation if ``actor`` may see it; ``NotFound`` otherwise (existence not revealed)."""
    negotiation = session.get(Negotiation, negotiation_id, options=_with_parties())
    if negotiation is None or not access.side_of(actor, negotiation) \
            or not getattr(actor, "is_active", False):
        raise NotFound("negotiation")
    return negotiation


@functools.cache
def _with_parties() -> tuple:
    """The loader options of ``get_negotiation`` (its four organisations), built once."""
    return (joinedload(Negotiation.worker_org), joinedload(Negotiation.employer_org),
            joinedload(Negotiation.partner_org), joinedload(Negotiation.mediator_org))


def actor_side(actor, negotiation) -> str | None:
    return access.side_of(actor, negotiation)


def parties(negotiation: Negotiation) -> dict[str, Organisation | None]:
    """The organisations of a negotiation: ``worker``, ``employer``, ``partner``, ``mediator``."""
    return {"worker": negotiation.worker_org, "employer": negotiation.employer_org,
            "partner": negotiation.partner_org, "mediator": negotiation.mediator_org}


def json_ready(data: Mapping[str, Any]) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def workflow_data(data: Mapping[str, Any]) -> dict:
    """Step data as the workflow reads it: ISO dates under ``*_on`` keys back to dates."""
    out = {}
    for key, value in (data or {}).items():
        if key.endswith("_on") and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        out[key] = value
    return out


def step_rows(session: Session, negotiation: Negotiation, *,
              with_recorders: bool = False) -> list[ProcedureStep]:
    """The effective history: each step replaced by its latest correction, in recorded order.

    ``with_recorders`` loads who recorded each step in the same query (for the timeline).
    """
    return effective_rows(session.scalars(_steps_query(with_recorders),
                                          {"negotiation_id": negotiation.id}).all())


# The page's statements are built once (building one costs about as much as running it).
@functools.cache
def _steps_query(with_recorders: bool):
    query = select(ProcedureStep).where(
        ProcedureStep.negotiation_id == bindparam("negotiation_id")).order_by(ProcedureStep.id)
    if with_recorders:
        query = query.options(joinedload(ProcedureStep.recorded_by))
    return query


def effective_rows(rows: Iterable[ProcedureStep]) -> list[ProcedureStep]:
    """The effective history of one negotiation's recorded steps (any order): each step
    replaced by its latest correction, at the original's position (see ``step_rows``)."""
    rows = sorted(rows, key=lambda r: r.id)
    by_id = {r.id: r for r in rows}

    def root(row: ProcedureStep) -> int:
        while row.corrects_id is not None:
            row = by_id[row.corrects_id]
        return row.id

    effective: dict[int, ProcedureStep] = {}
    for row in rows:
        effective[root(row)] = row  # later corrections win
    return [effective[k] for k in sorted(effective)]


def steps_of(rows: Iterable[ProcedureStep]) -> list[workflow.Step]:
    """Effective step rows (see ``step_rows``) as ``workflow.Step`` values."""
    return [workflow.Step(r.event, r.on, workflow_data(r.data)) for r in rows]


def history(session: Session, negotiation: Negotiation) -> list[workflow.Step]:
    """The negotiation's history as ``workflow.Step`` values (see ``workflow``)."""
    return steps_of(step_rows(session, negotiation))


def audit_change(session, actor, negotiation, action, *, before=None, after=None, now) -> None:
    audit.record(session, actor=actor, action=f"negotiation.{action}", target_type="negotiation",
                 target_id=negotiation.id, before=before, after=after, now=now)


def record_event(session: Session, actor, negotiation: Negotiation, event: E, on: dt.date,
                 data: Mapping[str, Any], *, now: dt.datetime) -> ProcedureStep:
    """Check ``event`` against the procedure, append the step and move the state (no commit)."""
    before = negotiation.state
    step = workflow.Step(event, on, workflow_data(json_ready(data)))
    new_state = workflow.advance(history(session, negotiation), step,
                                 vote_required=negotiation.ruleset.vote_required)
    row = ProcedureStep(negotiation_id=negotiation.id, event=event.value, on=on,
                        data=json_ready(data), recorded_by_id=getattr(actor, "id", None),
                        recorded_at=now)
    session.add(row)
    negotiation.state = new_state.value
    negotiation.updated_at = now
    session.flush()
    audit_change(session, actor, negotiation, f"step.{event.value}",
                 before={"state": before}, after={"state": new_state.value, **row.snapshot(),
                                                  "step_id": row.id}, now=now)
    return row


def state_of(session: Session, negotiation: Negotiation) -> S:
    """The state replayed from the stored history (equals ``negotiation.state``)."""
    return workflow.replay(history(session, negotiation),
                           vote_required=negotiation.ruleset.vote_required)
