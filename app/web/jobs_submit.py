"""Long work started from its own page as a background job (``app.jobs.runner`` runs it; its
page, progress, cancel and result are ``app.web.analysis_jobs``'):

- a saved scenario above the interactive worker-days limit (the workbench offers it where it
  refuses the population): the workbench's own figures, up to ``runner.JOB_MAX_WORKER_DAYS``;
- a negotiation's documents as one ZIP (the agreement page's documents section), for a party.

The request only checks and queues: it never simulates above
``app.simulator.params.MAX_WORKER_DAYS`` (issue 13).
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from markupsafe import Markup

from app.agreements import access as agreement_access
from app.errors import ValidationError
from app.jobs import runner
from app.scenarios import service as scenarios
from app.simulator.params import larger_runs
from app.web import analysis_jobs, scenarios_view
from app.web import scenarios_form as workbench_form
from app.web.database import db
from app.web.errors import field_messages, joined, render_error
from app.web.forms import posted_form
from app.web.htmx import wants_fragment

bp = Blueprint("job_submit", __name__)
bp.context_processor(scenarios_view.labels_context)  # the workbench's field messages

# The fields whose refusal may be the worker-days limit; the first one carries the offer.
WORK_FIELDS = ("workforce.n_workers", "workforce.days")


@bp.before_request
@login_required
def _signed_in():
    pass


def _parse_as_job(record, form: dict):
    """The scenario and seed the form describes, within the jobs' larger limit."""
    with larger_runs(runner.JOB_MAX_WORKER_DAYS):
        scenario, seed = workbench_form.parse(record, form)
        return scenario, seed, scenarios.baseline_of(scenario, record.baseline_pay)


def offer_job(record, form: dict, errors: dict) -> dict:
    """``errors`` with the offer to run the scenario as a job beside the population fields,
    when the worker-days limit is what refused it (the form passes under the jobs' limit)."""
    if not any(k in errors for k in WORK_FIELDS):
        return errors
    try:
        _parse_as_job(record, form)
    except ValidationError:
        return errors
    out = dict(errors)
    for n, key in enumerate(k for k in WORK_FIELDS if k in errors):
        out[key] = Markup(render_template("scenarios/_job_offer.html", message=errors[key],
                                          record=record, button=n == 0,
                                          limit=runner.JOB_MAX_WORKER_DAYS))
    return out


@bp.post("/scenarios/<int:scenario_id>/run-as-job")
def scenario(scenario_id: int):
    """Queue the workbench's form (a population above the interactive limit) as a job."""
    record = scenarios.get_scenario(db(), current_user, scenario_id)
    form = posted_form()
    try:
        package, seed, baseline = _parse_as_job(record, form)
    except ValidationError as exc:
        errors = workbench_form.place_errors(record, field_messages(exc))
        if wants_fragment("results"):
            return workbench_form.field_errors_only(record, errors)
        return render_error(400, joined(errors.values()))
    return analysis_jobs.submit("scenario", {
        "scenario": package.to_dict(), "baseline": baseline.to_dict(), "seed": seed,
        "scenario_id": record.id, "name": record.name})


@bp.post("/negotiations/<int:negotiation_id>/documents.zip")
def negotiation_zip(negotiation_id: int):
    """Queue every document of the negotiation the user may print, as one ZIP: for htmx the
    job's status fragment (progress, then the download link), otherwise the job's page."""
    v = agreement_access.view(db(), current_user, negotiation_id)  # a party's, else 404
    return analysis_jobs.submit("negotiation_zip", {
        "negotiation_id": v.negotiation.id, "title": v.negotiation.title}, fragment=True)
