"""Running one job in the consumer: the analysis it names, with progress and cancellation.

The analyses of ``app.simulator`` take ``progress: Callable[[float], None]``. Each call records the fraction and checks whether the job was cancelled meanwhile; a
cancelled job stops at the next call and never gets a result.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.db import utcnow
from app.errors import Msg, ValidationError
from app.jobs import service
from app.simulator import Scenario
from app.simulator.optimize import frontier
from app.simulator.sensitivity import sensitivity

log = logging.getLogger(__name__)
# Progress is written at most this often (seconds): each write is one UPDATE, and the page
# polls once a second (assumption, 2026-12).
PROGRESS_EVERY = 0.5


class Cancelled(Exception):
    """The job was cancelled while it ran."""


def _frontier(p: dict, progress):
    a = dict(p["arguments"])
    for key in ("x_range", "y_range"):
        a[key] = tuple(a[key]) if a.get(key) else None
    return frontier(Scenario.from_dict(p["scenario"]), progress=progress, **a)


def _sensitivity(p: dict, progress):
    return sensitivity(Scenario.from_dict(p["scenario"]), progress=progress, **p["arguments"])


RUNNERS = {"frontier": _frontier, "sensitivity": _sensitivity}


def error_messages(exc: ValidationError) -> list:
    """The messages of a refused input as ``[text, parameters]`` pairs (stored as JSON)."""
    return [[m.id, dict(m.params)] if isinstance(m, Msg)
            else [m[0], dict(m[1])] if isinstance(m, tuple) else [str(m), {}]
            for _key, m in sorted(exc.errors.items())]


def run(session: Session, job_id: int, *, clock: Callable = utcnow) -> str:
    """Run job ``job_id``; its final status (``done``, ``failed`` or ``cancelled``)."""
    job = service.start(session, job_id, now=clock())
    if job is None:
        return "cancelled"
    last = [time.monotonic()]

    def progress(fraction: float) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        if not service.report_progress(session, job_id, fraction):
            raise Cancelled

    try:
        value = RUNNERS[job.kind](service.parameters(job), progress)
    except Cancelled:
        return "cancelled"
    except ValidationError as e:
        service.fail(session, job_id, service.dumps(error_messages(e)), now=clock())
        return "failed"
    except Exception as e:  # noqa: BLE001 - any failure is shown on the job's page
        log.exception("job %s failed", job_id)
        session.rollback()
        service.fail(session, job_id, service.dumps([[
            "The analysis stopped with an unexpected error (%(kind)s).",
            {"kind": type(e).__name__}]]), now=clock())
        return "failed"
    return "done" if service.finish(session, job_id, value, now=clock()) else "cancelled"
