"""Scenario workbench: list, create, edit with live results, compare, share, export.

Thin views: parse the form, call one service function, render the page or the fragment.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from app.auth.permissions import require
from app.db import utcnow
from app.ids import parse_id
from app.negotiations import offers as offer_service
from app.scenarios import forms, negotiation_link, service
from app.simulator.effect import package_effect
from app.errors import Conflict, NotFound, ValidationError
from app.web import jobs_submit, negotiations_view
from app.web import scenarios_form as workbench_form
from app.web.forms import posted_form
from app.web.scenarios_view import (chart_for, compare_context, export_response,
                                    labels_context, place_context)
from app.web.database import db
from app.web.errors import all_messages, field_messages, render_error, required_version
from app.web.htmx import wants_fragment

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")



MAX_COMPARE = 4


@bp.app_context_processor
def _dashboard_helpers():
    def recent_scenarios(limit: int = 5):
        return service.recent_scenarios(db(), current_user, limit)
    return {"recent_scenarios": recent_scenarios}


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.errorhandler(ValidationError)
def _stored_data_invalid(exc):
    # Views catch the errors of what the user typed; one reaching here comes from stored data
    # (e.g. a scenario saved under an older schema), which is not a server fault.
    return render_error(409, _("This scenario's stored data no longer loads: %(errors)s",
                               errors=all_messages(exc)))


@bp.context_processor
def _labels():
    return labels_context()


def _scenario(scenario_id: int, action: str = "scenario.view"):
    """The scenario if the user may ``action`` it (NotFound → 404 by app.web.errors)."""
    return service.get_scenario(db(), current_user, scenario_id, action)


def _snapshot(snapshot_id: int, action: str = "snapshot.view"):
    return service.get_snapshot(db(), current_user, snapshot_id, action)



# -- list and create -------------------------------------------------------------------------

@bp.get("/")
def index():
    scenarios = service.scenarios_for(db(), current_user)
    negotiations = negotiation_link.negotiations_for(db(), current_user.organisation_id)
    snapshots = []
    for negotiation in negotiations:
        snapshots += [(negotiation, s) for s in
                      service.snapshots_for(db(), current_user, negotiation)]
    return render_template("scenarios/index.html", scenarios=scenarios, snapshots=snapshots)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(current_user, "scenario.create")
    sector = getattr(current_user.organisation.sector, "value", None) or "delivery"
    data = {"sector": sector, "name": "", "notes": "", "n_workers": "2000"}
    errors: dict = {}
    if request.method == "POST":
        data = posted_form()
        try:
            record = service.create_from_preset(
                db(), current_user, sector=data.get("sector", ""), name=data.get("name", ""),
                notes=data.get("notes", ""), n_workers=data.get("n_workers") or None,
                now=utcnow())
        except ValidationError as exc:
            errors = {("n_workers" if k == "workforce.n_workers" else k): v
                      for k, v in field_messages(exc).items()}
        else:
            flash(_("Scenario created from the preset."), "success")
            return redirect(url_for("scenarios.workbench", scenario_id=record.id))
    return render_template(
        "scenarios/new.html", data=data, errors=errors, sectors=service.SECTORS,
        negotiations=negotiation_link.negotiations_for(db(), current_user.organisation_id)), \
        400 if errors else 200


# -- workbench -------------------------------------------------------------------------------

def _workbench(record, *, scenario=None, form_values=None, errors=None, results=None,
               status: int = 200, save_message=None, conflict=None):
    scenario = scenario or service.to_scenario(record)
    baseline = service.baseline_of(scenario, record.baseline_pay)
    if results is None and not errors:
        results = package_effect(scenario, baseline, record.seed)
    sections = forms.layout(scenario, record.baseline_pay)
    if form_values:
        for _group, entries in sections["terms"] + sections["assumptions"]:
            for entry in entries:
                if entry["key"] in form_values:
                    entry["shown"] = form_values[entry["key"]]
    negotiations = negotiation_link.negotiations_for(db(), current_user.organisation_id)
    newer = service.newer_standard(db(), record, service.local_today(utcnow()))
    return render_template(
        "scenarios/workbench.html", record=record, sections=sections, results=results,
        chart=chart_for(results) if results else None, errors=errors or {},
        negotiations=negotiations, save_message=save_message, conflict=conflict, newer=newer,
        assumptions_open=any(not k.startswith("pay.") and k not in ("name", "notes")
                             for k in (errors or {})),
        name=(form_values or {}).get("name", record.name),
        notes=(form_values or {}).get("notes", record.notes),
        seed=(form_values or {}).get("seed", record.seed),
        **place_context(db(), record, workbench_form.place(record, form_values or {}))), status


@bp.get("/<int:scenario_id>")
def workbench(scenario_id: int):
    return _workbench(_scenario(scenario_id))


@bp.post("/<int:scenario_id>/run")
def run(scenario_id: int):
    """Re-run the simulation with the form's values (not saved): the results fragment."""
    if request.form.get("action") == "save" and not wants_fragment("results"):
        return save(scenario_id)  # the Save button of the plain form
    record = _scenario(scenario_id)
    form = posted_form()
    try:
        scenario, seed = workbench_form.parse(record, form)
    except ValidationError as exc:
        errors = workbench_form.place_errors(record, field_messages(exc))
        # Refused by the worker-days limit alone: offer to run it as a background job.
        errors = jobs_submit.offer_job(record, form, errors)
        if wants_fragment("results"):
            return workbench_form.field_errors_only(record, errors)
        return _workbench(record, form_values=form, errors=errors, status=400)
    baseline = service.baseline_of(scenario, record.baseline_pay)
    results = package_effect(scenario, baseline, seed)
    if wants_fragment("results"):
        return render_template("scenarios/_results.html", record=record, results=results,
                               chart=chart_for(results), errors={},
                               clear_keys=workbench_form.field_keys(record))
    return _workbench(record, scenario=scenario, form_values=form, results=results)


@bp.post("/<int:scenario_id>/move-standard")
def move_standard(scenario_id: int):
    """Date the scenario today (the standard now in force) and say what that changed."""
    record = _scenario(scenario_id, "scenario.edit")
    before = workbench_form.headline(record)
    try:
        service.move_to_current_standard(db(), current_user, record,
                                         expected_version=required_version(request.form),
                                         now=utcnow())
    except (Conflict, StaleDataError):
        flash(_("Someone else saved this scenario since you opened it; nothing was changed."),
              "error")
        return redirect(url_for("scenarios.workbench", scenario_id=scenario_id)), 303
    except ValidationError as exc:
        flash(all_messages(exc), "error")
        return redirect(url_for("scenarios.workbench", scenario_id=scenario_id)), 303
    after = workbench_form.headline(record)
    flash(_("Moved to the minimum wage in force from %(date)s (%(old)s → %(new)s yuan an "
            "hour). Below the minimum under the package's reading: %(before)s → %(after)s.",
            date=after["effective_from"], old="%g" % before["hourly"],
            new="%g" % after["hourly"], before=f"{before['share'] * 100:.1f}%",
            after=f"{after['share'] * 100:.1f}%"), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=scenario_id)), 303


@bp.post("/<int:scenario_id>/save")
def save(scenario_id: int):
    record = _scenario(scenario_id, "scenario.edit")
    form = posted_form()
    stored = service.to_scenario(record)
    try:
        service.update_scenario(
            db(), current_user, record, values=forms.changed_values(stored, form),
            name=form.get("name"), notes=form.get("notes"), seed=form.get("seed"),
            province=form.get("province"), tier=form.get("tier"), as_of=form.get("as_of"),
            expected_version=required_version(form), now=utcnow())
    except ValidationError as exc:
        errors = workbench_form.place_errors(record, field_messages(exc))
        if wants_fragment("save-status"):
            html = render_template("scenarios/_save_status.html", record=record,
                                   ok=False, errors=errors, keys=workbench_form.field_keys(record))
            return html, 400
        return _workbench(record, form_values=form, errors=errors, status=400)
    except (Conflict, StaleDataError):
        message = _("Someone else saved this scenario since you opened it. Your changes were "
                    "not saved; reload the page to see theirs.")
        if wants_fragment("save-status"):
            return render_template("scenarios/_save_status.html", record=record, ok=False,
                                   conflict=message, errors={}), 409
        # The workbench as the other person saved it, with their version to save over.
        db().refresh(record)
        return _workbench(record, status=409, conflict=message)
    if wants_fragment("save-status"):
        return render_template("scenarios/_save_status.html", record=record, ok=True,
                               errors={}, keys=workbench_form.field_keys(record))
    flash(_("Scenario saved."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=record.id))


@bp.post("/<int:scenario_id>/copy")
def copy(scenario_id: int):
    record = _scenario(scenario_id, "scenario.copy")
    new_record = service.copy_scenario(db(), current_user, record, now=utcnow())
    flash(_("Scenario copied."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=new_record.id))


@bp.post("/<int:scenario_id>/delete")
def delete(scenario_id: int):
    record = _scenario(scenario_id)
    service.delete_scenario(db(), current_user, record, now=utcnow())
    flash(_("Scenario deleted."), "success")
    return redirect(url_for("scenarios.index"))


@bp.post("/<int:scenario_id>/share")
def share(scenario_id: int):
    record = _scenario(scenario_id)
    negotiation_id = request.form.get("negotiation_id", "")
    negotiation = (negotiation_link.get_negotiation(db(), pid)
                   if (pid := parse_id(negotiation_id)) else None)
    if negotiation is None:
        abort(400, _("Choose a negotiation to share the scenario into."))
    scenario = service.to_scenario(record)
    results = package_effect(scenario, service.baseline_of(record), record.seed)
    snap = service.share_scenario(db(), current_user, record, negotiation=negotiation,
                                  results=results, now=utcnow())
    flash(_("Scenario shared into the negotiation as a snapshot."), "success")
    return redirect(url_for("scenarios.snapshot", snapshot_id=snap.id))



@bp.post("/<int:scenario_id>/offer-draft")
def offer_draft(scenario_id: int):
    """Make an offer from this scenario: its terms become a draft offer in the negotiation."""
    record = _scenario(scenario_id)
    negotiation_id = request.form.get("negotiation_id", "")
    negotiation = (negotiation_link.get_negotiation(db(), pid)
                   if (pid := parse_id(negotiation_id)) else None)
    if negotiation is None:
        abort(400, _("Choose a negotiation to share the scenario into."))
    form = {f"terms.{k}": v for k, v in
            negotiation_link.offer_terms(service.to_scenario(record), negotiation).items()}
    form["rationale"] = _("Terms of the scenario “%(name)s”.", name=record.name)
    try:
        draft = offer_service.save_offer_draft(db(), current_user, negotiation.id, form,
                                               now=utcnow())
    except ValidationError as exc:
        abort(400, all_messages(exc))
    except NotFound:
        # A negotiation the user may not see: refused like sharing into it (403), not 404,
        # which would say the scenario is not theirs. PermissionDenied → 403 by app.web.errors.
        db().rollback()
        abort(403)
    flash(_("The scenario's terms are in a draft offer; check and send it here."), "success")
    if negotiations_view.action_context(negotiation, "offer") is None:
        # The procedure offers no offer form now (the side awaits a reply): the draft waits in
        # the offers card.
        return redirect(url_for("negotiations.show", negotiation_id=negotiation.id,
                                _anchor="offers"))
    # The offer form, open and filled with this draft (issue 17).
    return redirect(url_for("negotiations.action_form", negotiation_id=negotiation.id,
                            event="offer", start=f"draft-{draft.id}", _anchor="form-offer"))


@bp.post("/from-negotiation")
def from_negotiation():
    """A new scenario holding a negotiation's current rules (today's rules of that table)."""
    negotiation_id = request.form.get("negotiation_id", "")
    negotiation = (negotiation_link.get_negotiation(db(), pid)
                   if (pid := parse_id(negotiation_id)) else None)
    if negotiation is None:
        abort(404)
    try:
        record = service.create_from_rules(
            db(), current_user, negotiation=negotiation,
            name=request.form.get("name") or _("Current rules: %(title)s",
                                               title=negotiation.title)[:200],
            now=utcnow())
    except ValidationError as exc:
        abort(400, all_messages(exc))
    flash(_("Scenario created from the negotiation's current rules."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=record.id))

# -- snapshots -------------------------------------------------------------------------------

@bp.get("/snapshots/<int:snapshot_id>")
def snapshot(snapshot_id: int):
    snap = _snapshot(snapshot_id)
    scenario = service.to_scenario(snap)
    sections = forms.layout(scenario, snap.baseline_pay)
    return render_template("scenarios/snapshot.html", snap=snap, sections=sections,
                           results=snap.results, chart=chart_for(snap.results))


@bp.post("/snapshots/<int:snapshot_id>/copy")
def copy_snapshot(snapshot_id: int):
    snap = _snapshot(snapshot_id, "snapshot.copy")
    record = service.copy_snapshot(db(), current_user, snap, now=utcnow())
    flash(_("Snapshot copied into your organisation's scenarios."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=record.id))


# -- export ----------------------------------------------------------------------------------

@bp.get("/<int:scenario_id>/export.<fmt>")
def export_scenario(scenario_id: int, fmt: str):
    record = _scenario(scenario_id, "scenario.export")
    scenario = service.to_scenario(record)
    results = package_effect(scenario, service.baseline_of(record), record.seed)
    return export_response(record, results, fmt)


@bp.get("/snapshots/<int:snapshot_id>/export.<fmt>")
def export_snapshot(snapshot_id: int, fmt: str):
    snap = _snapshot(snapshot_id, "snapshot.export")
    return export_response(snap, snap.results, fmt)


# -- compare ---------------------------------------------------------------------------------

@bp.get("/compare")
def compare():
    ids = [i for i in map(parse_id, request.args.getlist("ids")) if i]
    ids = list(dict.fromkeys(ids))
    if not 2 <= len(ids) <= MAX_COMPARE:
        flash(_("Choose two to four scenarios to compare."), "error")
        return redirect(url_for("scenarios.index"))
    records = [_scenario(i) for i in ids]
    return render_template("scenarios/compare.html", **compare_context(records))
