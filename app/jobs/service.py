"""Jobs: submit, look up, list and cancel (the acting user), and the consumer's side of a run
(start, progress, finish, fail).

Only the submitting organisation sees a job (others get ``NotFound``: its existence is not
revealed); only the user who submitted it may cancel it. The consumer's updates are conditional
on the status the job is in, so a job cancelled while it runs never gets a result written, and a
cancel that arrives after the result is refused.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.db import atomic
from app.errors import Conflict, Msg, NotFound, PermissionDenied, message_data
from app.jobs.models import Job

# Jobs of one organisation waiting or running at once (assumption, 2026-12: a negotiating team
# runs a few analyses side by side; more would only queue behind each other on one consumer).
MAX_OPEN_PER_ORGANISATION = 5
MAX_PARAMETER_CHARS = 200_000
RECENT = 20
# A job still running this long after it started was left by a consumer that stopped (the
# longest job measured, 3,000,000 worker-days, takes about 5 s); one still queued this long lost
# its queue message (assumptions, 2026-12). :func:`fail_stale` marks both failed, so their page
# stops polling, they no longer count as open and a stored upload is freed.
STALE_RUNNING = timedelta(hours=1)
STALE_QUEUED = timedelta(days=1)


def _plain(value):
    """numpy scalars and arrays as Python numbers and lists, for JSON."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON: {type(value).__name__}")


def dumps(value) -> str:
    """JSON text that keeps NaN and infinities (Python's JSON reads them back)."""
    return json.dumps(value, default=_plain, ensure_ascii=False, sort_keys=True)


@atomic
def submit(session: Session, user, *, kind: str, parameters: dict, now: datetime,
           upload: bytes | None = None) -> Job:
    """Queue a job of ``kind`` for ``user``'s organisation (committed: the caller then enqueues
    its id, which the consumer must be able to read). The kinds are those of
    ``app.jobs.runner.RUNNERS``, whose ``submit`` checks the kind and calls this. ``upload``:
    a file the job reads, kept until the job ends."""
    text = dumps(parameters)
    if len(text) > MAX_PARAMETER_CHARS:
        raise Conflict("The work is too large to run as a job.")
    open_jobs = session.scalar(select(Job.id).where(
        Job.organisation_id == user.organisation_id, Job.status.in_(("queued", "running")))
        .offset(MAX_OPEN_PER_ORGANISATION - 1).limit(1))
    if open_jobs is not None:
        raise Conflict(("Your organisation already has %(n)s background jobs waiting or running; "
                        "wait for one to finish or cancel one.",
                        {"n": MAX_OPEN_PER_ORGANISATION}))
    job = Job(kind=kind, organisation_id=user.organisation_id, submitted_by_id=user.id,
              parameters=text, status="queued", progress=0.0, submitted_at=now, upload=upload)
    session.add(job)
    session.flush()
    return job


def get(session: Session, user, job_id: int) -> Job:
    """The job, if ``user``'s organisation submitted it."""
    job = session.get(Job, job_id)
    if job is None or job.organisation_id != user.organisation_id:
        raise NotFound(job_id)
    return job


def recent(session: Session, user, limit: int = RECENT) -> list[Job]:
    """The organisation's latest jobs, newest first."""
    return list(session.scalars(select(Job).where(Job.organisation_id == user.organisation_id)
                                .order_by(Job.submitted_at.desc(), Job.id.desc()).limit(limit)))


def can_cancel(user, job: Job) -> bool:
    return job.submitted_by_id == user.id and not job.finished


@atomic
def cancel(session: Session, user, job: Job, *, now: datetime) -> None:
    """Cancel a waiting or running job of ``user``'s own; its result will never be written."""
    if job.submitted_by_id != user.id:
        raise PermissionDenied("only the user who submitted a job may cancel it")
    changed = session.execute(
        update(Job).where(Job.id == job.id, Job.status.in_(("queued", "running")))
        .values(status="cancelled", finished_at=now, upload=None)).rowcount
    if not changed:
        raise Conflict("This job has already finished.")
    session.refresh(job)


# -- the consumer's side -----------------------------------------------------------------------

def parameters(job: Job) -> dict:
    return json.loads(job.parameters)


def result(job: Job):
    return json.loads(job.result) if job.result is not None else None


@dataclass(frozen=True)
class File:
    """A job's result that is a file: stored in ``Job.output``, its name and type in ``result``."""

    filename: str
    mimetype: str
    data: bytes

    def describe(self) -> dict:
        return {"file": {"filename": self.filename, "mimetype": self.mimetype,
                         "bytes": len(self.data)}}


def file_of(job: Job) -> dict | None:
    """``{"filename", "mimetype", "bytes"}`` of a finished job whose result is a file."""
    value = result(job) if job.status == "done" else None
    return value.get("file") if isinstance(value, dict) else None


def download(session: Session, user, job_id: int) -> File:
    """The file a job of ``user``'s organisation made (``NotFound`` otherwise, or if none)."""
    job = get(session, user, job_id)
    described = file_of(job)
    if described is None or job.output is None:
        raise NotFound(job_id)
    return File(described["filename"], described["mimetype"], job.output)


@atomic
def start(session: Session, job_id: int, *, now: datetime) -> Job | None:
    """Mark a queued job as running; None when it was cancelled (or is gone) meanwhile."""
    changed = session.execute(update(Job).where(Job.id == job_id, Job.status == "queued")
                              .values(status="running", started_at=now)).rowcount
    return session.get(Job, job_id) if changed else None


@atomic
def report_progress(session: Session, job_id: int, fraction: float) -> bool:
    """Record progress (0..1) of a running job; False when the job was cancelled."""
    fraction = min(1.0, max(0.0, float(fraction))) if math.isfinite(fraction) else 0.0
    changed = session.execute(update(Job).where(Job.id == job_id, Job.status == "running")
                              .values(progress=fraction)).rowcount
    return bool(changed)


def is_running(session: Session, job_id: int) -> bool:
    return session.scalar(select(Job.status).where(Job.id == job_id)) == "running"


@atomic
def finish(session: Session, job_id: int, value, *, now: datetime) -> bool:
    """Store the result of a running job (a :class:`File`: its bytes in ``output``); False
    (nothing written) when it was cancelled."""
    output = value.data if isinstance(value, File) else None
    if isinstance(value, File):
        value = value.describe()
    changed = session.execute(update(Job).where(Job.id == job_id, Job.status == "running")
                              .values(status="done", progress=1.0, result=dumps(value),
                                      output=output, upload=None, finished_at=now)).rowcount
    return bool(changed)


@atomic
def fail(session: Session, job_id: int, message: str, *, now: datetime) -> bool:
    """Record why a running job failed."""
    changed = session.execute(
        update(Job).where(Job.id == job_id, Job.status.in_(("queued", "running")))
        .values(status="failed", error=message[:2000], finished_at=now, upload=None)).rowcount
    return bool(changed)



@atomic
def fail_stale(session: Session, *, now: datetime) -> int:
    """Mark failed the jobs left running or queued too long (see :data:`STALE_RUNNING`); how
    many."""
    stale = (
        (Job.started_at < now - STALE_RUNNING, "running",
         Msg("The job stopped without finishing (its consumer was restarted); submit it again")),
        (Job.submitted_at < now - STALE_QUEUED, "queued",
         Msg("The job was never started; submit it again")))
    count = 0
    for too_old, status, message in stale:
        count += session.execute(
            update(Job).where(Job.status == status, too_old)
            .values(status="failed", error=dumps([message_data(message)]), finished_at=now,
                    upload=None)).rowcount
    return count
