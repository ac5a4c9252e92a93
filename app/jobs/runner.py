"""Running one job in the consumer: the work its kind names, with progress and cancellation.

``RUNNERS`` is the one list of kinds: each takes the job's parameters, ``progress`` and, by
keyword, the consumer's ``session``, the ``job`` and ``now``. The analyses of ``app.simulator``
take ``progress: Callable[[float], None]``. Each call records the fraction and checks whether the
job was cancelled meanwhile; a cancelled job stops at the next call and never gets a result.
A runner that makes a file returns a ``service.File`` (stored in the job's ``output``).
"""
from __future__ import annotations

import datetime as dt
import io
import logging
import time
import zipfile
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.agreements import access as agreement_access
from app.auth.models import User
from app.db import utcnow
from app.errors import Msg, NotFound, PermissionDenied, ValidationError, message_data
from app.jobs import service
from app.ledger import report as region
from app.reports import agreement as agreement_print
from app.reports import procedure_documents as documents
from app.reports import report_pdf
from app.simulator import Scenario, anchors, simulate
from app.simulator.calibrate import calibrate_file
from app.simulator.effect import baseline_cache, package_effect
from app.simulator.optimize import frontier
from app.simulator.params import larger_runs
from app.simulator.sensitivity import sensitivity

log = logging.getLogger(__name__)
# Progress is written at most this often (seconds): each write is one UPDATE, and the page
# polls once a second (assumption, 2026-12).
PROGRESS_EVERY = 0.5
#: Largest workers × days of a scenario run as a job (the interactive limit is
#: ``app.simulator.params.MAX_WORKER_DAYS``, 150,000). Assumption, measured 2026-12-04 on the
#: 2-core test machine (``package_effect`` of the delivery preset): 3,000,000 worker-days
#: (100,000 workers × 30 days) take 4.9 s of CPU and 360 MB at peak, 6,000,000 take 9.9 s and
#: 525 MB; a bound so that one job cannot hold a consumer for minutes or exhaust its memory.
JOB_MAX_WORKER_DAYS = 3_000_000


class Cancelled(Exception):
    """The job was cancelled while it ran."""


def _frontier(p: dict, progress, **_):
    a = dict(p["arguments"])
    for key in ("x_range", "y_range"):
        a[key] = tuple(a[key]) if a.get(key) else None
    return frontier(Scenario.from_dict(p["scenario"]), progress=progress, **a)


def _sensitivity(p: dict, progress, **_):
    return sensitivity(Scenario.from_dict(p["scenario"]), progress=progress, **p["arguments"])


def _scenario_effect(p: dict, progress, **_):
    """A scenario above the interactive limit: the workbench's own figures (``package_effect``
    against the scenario's baseline), the baseline first so that progress passes one half."""
    with larger_runs(JOB_MAX_WORKER_DAYS):
        package, baseline = Scenario.from_dict(p["scenario"]), Scenario.from_dict(p["baseline"])
        try:
            baseline_cache.get(baseline, p["seed"])
            progress(0.5)
            return package_effect(package, baseline, p["seed"])
        finally:
            # A large baseline is not kept in the consumer's memory after its job.
            baseline_cache.clear()


def _calibration(p: dict, progress, *, job, **_):
    """Calibration of a large file: ``calibrate_file`` on the stored upload with the mapping
    the form chose, and the scenario's anchor checks before it (the page shows both)."""
    if job.upload is None:
        raise ValidationError({"file": Msg("The uploaded file is no longer stored.")})
    scenario = Scenario.from_dict(p["scenario"])
    before = anchors.check(simulate(scenario, seed=p["seed"]))
    progress(0.3)
    out = calibrate_file(scenario, job.upload, p["filename"], p["mapping"], seed=p["seed"])
    out.pop("scenario")  # the calibrated scenario is ``values`` applied to the subject
    return {"calibration": out, "anchors_before": before}


def _submitter(session: Session, job) -> User:
    user = session.get(User, job.submitted_by_id) if job.submitted_by_id else None
    if user is None or not user.is_active:
        raise ValidationError({"": Msg("The user who asked for this job no longer has an "
                                       "account.")})
    return user


def _region_pdf(p: dict, progress, *, session: Session, job, now, **_):
    """The regional report as PDF, for the submitter's region (checked again now)."""
    report = region.build(session, _submitter(session, job), p["year"],
                          today=dt.date.fromisoformat(p["today"]))
    progress(0.1)
    data = report_pdf.render_report(report, lang=p["lang"], office=p["office"], generated=now)
    return service.File(f"region-report-{report.year}.pdf", "application/pdf", data)


def _negotiation_zip(p: dict, progress, *, session: Session, job, now, **_):
    """Every document of a negotiation the submitter may print, as one ZIP: the agreement in
    Chinese and English (when there is one) and the procedure documents (offers, replies,
    minutes, coordination records), each by its own renderer with its own access check, as
    the single-document routes do."""
    user, nid = _submitter(session, job), p["negotiation_id"]
    v = agreement_access.view(session, user, nid)
    wanted = [("agreement", lang) for lang in ("zh", "en") if v.agreement is not None]
    wanted += [(kind, rid) for kind, rid, _label in documents.available(session, user,
                                                                        v.negotiation)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (kind, key) in enumerate(wanted):
            if kind == "agreement":
                filename, data = agreement_print.render_pdf(session, user, nid, lang=key,
                                                            now=now)
            else:
                filename, data = documents.render(session, user, nid, kind, key)
            archive.writestr(f"{n + 1:02d}-{filename}", data)
            progress((n + 1) / (len(wanted) + 1))
    return service.File(f"negotiation-{nid}-documents.zip", "application/zip",
                        buffer.getvalue())


RUNNERS = {"frontier": _frontier, "sensitivity": _sensitivity, "scenario": _scenario_effect,
           "region_pdf": _region_pdf, "negotiation_zip": _negotiation_zip,
           "calibration": _calibration}


def submit(session: Session, user, *, kind: str, parameters: dict, now,
           upload: bytes | None = None):
    """Queue a job of one of the ``RUNNERS``' kinds (``NotFound`` for another)."""
    if kind not in RUNNERS:
        raise NotFound(kind)
    return service.submit(session, user, kind=kind, parameters=parameters, now=now,
                          upload=upload)


def error_messages(exc: ValidationError) -> list:
    """The messages of a refused input as ``[id, parameters]`` pairs (stored as JSON; labels
    keep both languages, so the page reads them in either)."""
    return [message_data(m) for _key, m in sorted(exc.errors.items())]


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
        value = RUNNERS[job.kind](service.parameters(job), progress, session=session, job=job,
                                  now=clock())
    except Cancelled:
        return "cancelled"
    except ValidationError as e:
        service.fail(session, job_id, service.dumps(error_messages(e)), now=clock())
        return "failed"
    except (NotFound, PermissionDenied):  # access was checked again when the job ran
        session.rollback()
        service.fail(session, job_id, service.dumps([[
            "What this job was for is gone, or you may no longer see it.", {}]]), now=clock())
        return "failed"
    except Exception as e:  # noqa: BLE001 - any failure is shown on the job's page
        log.exception("job %s failed", job_id)
        session.rollback()
        service.fail(session, job_id, service.dumps([[
            "The job stopped with an unexpected error (%(kind)s).",
            {"kind": type(e).__name__}]]), now=clock())
        return "failed"
    return "done" if service.finish(session, job_id, value, now=clock()) else "cancelled"
