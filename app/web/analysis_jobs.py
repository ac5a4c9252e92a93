"""Work run as background jobs: submit (frontier, sensitivity, calibration; the others from their
own pages, ``app.web.jobs_submit``), follow the progress bar (htmx polls the status fragment),
cancel, and open the stored result or download the stored file.

The forms are the analyses pages' own (``app.web.analyses`` parses them); the job stores the
scenario, the arguments and the form, the consumer runs the analysis (``app.jobs.runner``), and
the result page renders the same template as the synchronous answer. Only the submitting
organisation sees a job; only its submitter may cancel it.
"""
from __future__ import annotations

import json

from flask import (Blueprint, Response, current_app, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.permissions import require
from app.db import utcnow
from app.errors import Msg, NotFound, PermissionDenied, ValidationError, message_from_data
from app.jobs import queue, runner
from app.jobs import service as jobs
from app.scenarios import service as scenarios
from app.simulator import measures as M
from app.simulator.optimize import check_range, resolve_key
from app.simulator import Scenario
from app.simulator import records as R
from app.web import analyses, scenarios_view
from app.web import calibrate_upload as upload_
from app.web.database import db
from app.web.errors import joined, translated
from app.web.extensions import htmx
from app.web.forms import posted_form
from app.web.htmx import render_page_or_fragment

bp = Blueprint("analysis_jobs", __name__, url_prefix="/analyses/jobs")
bp.context_processor(analyses.template_context)

KIND_LABELS = {"frontier": _l("Frontier"), "sensitivity": _l("Sensitivity"),
               "scenario": _l("Large population"), "region_pdf": _l("Regional report PDF"),
               "negotiation_zip": _l("Negotiation documents (ZIP)"),
               "calibration": _l("Calibration")}
# The jobs service's and runner's message ids (app/jobs is not extracted for the catalogue;
# app.web.errors.translated looks them up there).
JOB_MESSAGES = (_l("The work is too large to run as a job."),
                _l("Your organisation already has %(n)s background jobs waiting or running; "
                   "wait for one to finish or cancel one."),
                _l("This job has already finished."),
                _l("The job stopped with an unexpected error (%(kind)s)."),
                # the same, as stored by failed jobs before 2026-12-04
                _l("The analysis stopped with an unexpected error (%(kind)s)."),
                _l("The user who asked for this job no longer has an account."),
                _l("What this job was for is gone, or you may no longer see it."))
STATUS_LABELS = {"queued": _l("Waiting"), "running": _l("Running"), "done": _l("Done"),
                 "failed": _l("Failed"), "cancelled": _l("Cancelled")}


@bp.before_request
@login_required
def _signed_in():
    require(current_user, "analyses.view")


@bp.context_processor
def _labels():
    return {"kind_labels": KIND_LABELS, "status_labels": STATUS_LABELS,
            "can_cancel": lambda job: jobs.can_cancel(current_user, job),
            "job_error": _error_text, "job_file": jobs.file_of}


def status_fragment(job):
    """The job's status fragment (it polls itself), for a page of another blueprint."""
    return render_template("analyses/_job_status.html", job=job, **_labels())


def _error_text(job) -> str:
    """The stored ``[text, parameters]`` messages of a failed job, translated."""
    try:
        pairs = json.loads(job.error) if job.error else []
        return joined(translated(message_from_data(pair)) for pair in pairs)
    except (ValueError, TypeError):
        return job.error or ""


def _check_frontier(s, args: dict) -> None:
    """What ``frontier`` refuses before it simulates, checked now: a refused form is a 400
    beside its field, not a failed job."""
    xs = resolve_key(s, args["x_key"], "x_key")
    ys = resolve_key(s, args["y_key"], "y_key")
    if xs["key"] == ys["key"]:
        raise ValidationError({"y_key": Msg("The two parameters cannot be the same")})
    if M.get(args["measure"]).side != "worker":
        raise ValidationError({"measure": Msg("Choose a measure of the workers' side")})
    for key, spec in (("x_range", xs), ("y_range", ys)):
        if args[key]:
            check_range(spec, *args[key], key)


def _check_sensitivity(args: dict) -> None:
    M.get(args["measure"])
    if not 0.001 <= args["step"] <= 0.9:
        raise ValidationError({"step": Msg(
            "The step must be between 0.001 and 0.9 (e.g. 0.1 means ±10%)")})


def submit(kind: str, parameters: dict, *, fragment: bool = False, upload: bytes | None = None):
    """Queue a job for the current user and hand it to the consumers; its page (for htmx, by
    ``HX-Redirect``), or with ``fragment`` its status fragment to swap into the page."""
    session = db()
    job = runner.submit(session, current_user, kind=kind, parameters=parameters, now=utcnow(),
                        upload=upload)
    current_app.config.get("XIESHANG_ENQUEUE", queue.enqueue)(job.id)
    target = url_for("analysis_jobs.show", job_id=job.id)
    if fragment and htmx:
        return status_fragment(job)
    if htmx:  # the form was sent by htmx: open the job's page
        answer = make_response("", 204)
        answer.headers["HX-Redirect"] = target
        return answer
    return redirect(target, code=303)


@bp.route("/frontier", methods=["POST"])
def submit_frontier():
    form = posted_form()
    s, seed, ctx = analyses.frontier_context(form)
    try:
        args = analyses.frontier_arguments(form, s, seed, ctx["offers"],
                                           budget=analyses.JOB_RETHIN_WORKER_DAYS)
        _check_frontier(s, args)
    except ValidationError as e:
        return analyses.frontier_refused(e, ctx)
    return submit("frontier", {"scenario": s.to_dict(), "arguments": args, "form": form,
                                "source": ctx["source"], "terms": ctx["terms"]})


@bp.route("/sensitivity", methods=["POST"])
def submit_sensitivity():
    form = posted_form()
    s, seed, ctx = analyses.sensitivity_context(form)
    try:
        args = analyses.sensitivity_arguments(form, s, seed)
        _check_sensitivity(args)
    except ValidationError as e:
        return analyses.sensitivity_refused(e, ctx)
    return submit("sensitivity", {"scenario": s.to_dict(), "arguments": args, "form": form,
                                   "source": ctx["source"]})


@bp.route("/calibrate", methods=["POST"])
def submit_calibrate():
    """A records file of any size up to the page's limits, checked now (a refused file or column
    is a 400 beside its field) and fitted by the consumer."""
    form = posted_form()
    s, seed, ctx = analyses.calibrate_context(form)
    headers = None
    try:
        filename, data, headers, rows = upload_.table(request.files.get("file"))
        mapping = upload_.mapping(headers, form)
        R.extract(headers, rows, mapping)
    except ValidationError as e:
        return analyses.calibrate_refused(e, ctx, headers)
    return submit("calibration", {"scenario": s.to_dict(), "seed": seed, "filename": filename,
                                  "mapping": mapping, "form": form, "source": ctx["source"],
                                  "rows": len(rows)}, upload=data)


@bp.route("/")
def index():
    return render_template("analyses/jobs.html", jobs_list=jobs.recent(db(), current_user),
                           source=None)


@bp.route("/<int:job_id>")
def show(job_id: int):
    """The job's page; for htmx's poll, its status fragment alone."""
    job = jobs.get(db(), current_user, job_id)
    answer = make_response(render_page_or_fragment(
        "analyses/job.html", "analyses/_job_status.html", "job-status", job=job,
        parameters=jobs.parameters(job), source=None))
    answer.headers["Vary"] = "HX-Request"
    answer.headers["Cache-Control"] = "no-store"
    return answer


@bp.route("/<int:job_id>/cancel", methods=["POST"])
def cancel(job_id: int):
    session = db()
    job = jobs.get(session, current_user, job_id)
    jobs.cancel(session, current_user, job, now=utcnow())
    return redirect(url_for("analysis_jobs.show", job_id=job.id), code=303)


@bp.route("/<int:job_id>/result")
def result(job_id: int):
    """The stored result, on the same page as the analysis run in the request."""
    job = jobs.get(db(), current_user, job_id)
    if job.status != "done":
        return redirect(url_for("analysis_jobs.show", job_id=job.id))
    p = jobs.parameters(job)
    if jobs.file_of(job):
        return redirect(url_for("analysis_jobs.download", job_id=job.id))
    if job.kind == "scenario":  # the workbench's own results fragment, on the stored figures
        results = jobs.result(job)
        return render_template("analyses/job_scenario.html", job=job, parameters=p,
                               results=results, chart=scenarios_view.chart_for(results),
                               record=_scenario_or_none(p["scenario_id"]), errors={},
                               source=None, **scenarios_view.labels_context())
    ctx = {"form": p["form"], "source": p["source"], "record": None, "job": job}
    if job.kind == "calibration":
        stored = jobs.result(job)
        ctx.update(fields=R.field_table(), anchors_before=stored["anchors_before"])
        return analyses.calibrate_shown(stored["calibration"], ctx,
                                        Scenario.from_dict(p["scenario"]),
                                        template="job_calibrate")
    if job.kind == "frontier":
        ctx.update(terms=p["terms"], offers=p["arguments"]["offers"],
                   worker_measures=[M.MEASURES[k] for k in M.WORKER_MEASURES])
        return analyses.frontier_shown(jobs.result(job), ctx, template="job_frontier")
    return analyses.sensitivity_shown(jobs.result(job), ctx, template="job_sensitivity")


def _scenario_or_none(scenario_id: int):
    """The job's scenario, for the cost of the workers its negotiation covers; None when it
    was deleted since or the user may no longer see it."""
    try:
        return scenarios.get_scenario(db(), current_user, scenario_id)
    except (NotFound, PermissionDenied):
        return None


@bp.route("/<int:job_id>/download")
def download(job_id: int):
    """The file a job made (the organisation's own jobs only)."""
    made = jobs.download(db(), current_user, job_id)
    answer = Response(made.data, mimetype=made.mimetype)
    answer.headers["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    answer.headers["Cache-Control"] = "private, no-store"
    return answer
