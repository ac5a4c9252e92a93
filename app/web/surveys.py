"""Surveys, the owner's side: create, share (link and QR code), results, responses, export,
calibration. Thin views: parse, call one service from ``app.surveys``, render.

The riders' side (answering without an account) is :mod:`app.web.survey_public`.
"""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.auth.models import Sector
from app.auth.permissions import can
from app.db import transaction, utcnow
from app.errors import ValidationError
from app.ids import parse_id
from app.reports import survey_charts
from app.scenarios import service as scenario_service
from app.surveys import aggregate, calibration, export, questions, service
from app.web import analyses_view as V
from app.web.database import db
from app.web.errors import joined
from app.web.survey_text import domain_errors, lang, public_url, qr_svg

bp = Blueprint("surveys", __name__, url_prefix="/surveys")


SECTOR_LABELS = {"delivery": _l("Food delivery"), "ride_hailing": _l("Ride-hailing"),
                 "freight": _l("Freight")}
PAGE_SIZE = 100
# Distributions drawn on the results page (the other answers are in the table of medians).
CHARTED = ("days_last_month", "hours_online_per_day", "orders_per_day", "km_per_day",
           "gross_pay_last_month", "deductions_last_month")


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.context_processor
def _labels():
    return {"sector_label": lambda s: SECTOR_LABELS.get(s, s), "q": questions.BY_KEY,
            "lang": lang(), "fmt": V.fmt}


def _survey(survey_id: int, action: str = "survey.view"):
    return service.get_survey(db(), current_user, survey_id, action)


@bp.route("/")
def index():
    if not can(current_user, "survey.list"):
        abort(403)
    surveys = service.visible_surveys(db(), current_user)
    counts = {s.id: service.response_count(db(), s) for s in surveys}
    return render_template("surveys/index.html", surveys=surveys, counts=counts, now=utcnow())


@bp.route("/new", methods=["GET", "POST"])
def new():
    if not can(current_user, "survey.create"):
        abort(403)
    form = {"title": "", "sector": "delivery", "place": "", "closes_on": "",
            "questions": list(questions.KEYS)}
    errors: dict = {}
    if request.method == "POST":
        form = {k: (request.form.get(k) or "").strip()[:300]
                for k in ("title", "sector", "place", "closes_on")}
        form["questions"] = request.form.getlist("questions")[:len(questions.KEYS) + 1]
        session = db()
        try:
            survey = service.create_survey(session, current_user, form, now=utcnow())
        except ValidationError as exc:
            errors = domain_errors(exc)
        else:
            flash(_("The survey is ready: share its link or QR code."), "success")
            return redirect(url_for("surveys.show", survey_id=survey.id), code=303)
    return render_template("surveys/new.html", form=form, errors=errors,
                           sectors=[(s.value, SECTOR_LABELS[s.value]) for s in Sector],
                           bank=questions.BANK), 400 if errors else 200


@bp.route("/<int:survey_id>")
def show(survey_id: int):
    """The survey's link and QR code, and its results in aggregate (small groups hidden)."""
    survey = _survey(survey_id)
    rows = service.responses(db(), current_user, survey)
    included = [r for r in rows if not r.excluded]
    summary = aggregate.summarise([r.answers for r in included], survey.questions)
    charts = {}
    if not summary["hidden"]:
        for key, figure in summary["figures"].items():
            h = figure["histogram"] if key in CHARTED else None
            if h:
                q = questions.BY_KEY[key]
                charts[key] = survey_charts.distribution_chart(
                    h["edges"], h["counts"], title=q.label(lang()),
                    xlabel=q.unit(lang()), ylabel=_("Respondents"))
        days = [service.local_date(r.submitted_at) for r in included]
        line = aggregate.timeline(days)
        charts["timeline"] = survey_charts.timeline_chart(
            line["days"], line["cumulative"], title=_("Responses received"),
            ylabel=_("Responses"))
    return render_template("surveys/show.html", survey=survey, summary=summary, charts=charts,
                           total=len(rows), excluded=len(rows) - len(included),
                           link=public_url(survey), now=utcnow())


@bp.route("/<int:survey_id>/qr.svg")
def qr(survey_id: int):
    survey = _survey(survey_id)
    return Response(qr_svg(public_url(survey)), mimetype="image/svg+xml",
                    headers={"Content-Disposition": f'inline; filename="survey-{survey.id}.svg"'})


@bp.route("/<int:survey_id>/close", methods=["POST"])
def close(survey_id: int):
    survey = _survey(survey_id, "survey.manage")
    session = db()
    service.close_survey(session, current_user, survey, now=utcnow())
    flash(_("The survey is closed; no more answers are taken."), "success")
    return redirect(url_for("surveys.show", survey_id=survey.id), code=303)


@bp.route("/<int:survey_id>/responses")
def responses(survey_id: int):
    survey = _survey(survey_id, "survey.responses")
    rows = service.responses(db(), current_user, survey)
    page = parse_id(request.args.get("page")) or 1
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    shown = rows[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    return render_template("surveys/responses.html", survey=survey, rows=shown, page=page,
                           pages=pages, total=len(rows), offset=(page - 1) * PAGE_SIZE)


@bp.route("/responses/<int:response_id>/flag", methods=["POST"])
def flag(response_id: int):
    session = db()
    response = service.get_response(session, current_user, response_id)
    try:
        service.set_excluded(session, current_user, response,
                             excluded=request.form.get("excluded") == "1",
                             note=(request.form.get("note") or "")[:2000], now=utcnow())
    except ValidationError as exc:
        abort(400, joined(domain_errors(exc).values()))
    return redirect(url_for("surveys.responses", survey_id=response.survey_id,
                            page=request.form.get("page") or None) + f"#r{response.id}",
                    code=303)


@bp.route("/<int:survey_id>/export.<any(csv, xlsx):fmt>")
def export_responses(survey_id: int, fmt: str):
    """The raw responses: for the owner only, never into a negotiation."""
    survey = _survey(survey_id, "survey.export")
    rows = export.response_rows(survey, service.responses(db(), current_user, survey), lang())
    if fmt == "csv":
        body, mime = export.to_csv(rows), "text/csv; charset=utf-8"
    else:
        body = export.to_xlsx(rows, _("Responses"))
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, mimetype=mime, headers={
        "Content-Disposition": f'attachment; filename="survey-{survey.id}-responses.{fmt}"'})


@bp.route("/<int:survey_id>/summary.csv")
def export_summary(survey_id: int):
    """The aggregate table (small groups hidden): what may be shared."""
    survey = _survey(survey_id, "survey.export")
    included = service.responses(db(), current_user, survey, include_excluded=False)
    summary = aggregate.summarise([r.answers for r in included], survey.questions)
    body = export.to_csv(aggregate.summary_rows(summary, survey.questions, lang()))
    return Response(body, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="survey-{survey.id}-summary.csv"'})


@bp.route("/<int:survey_id>/calibrate", methods=["GET", "POST"])
def calibrate(survey_id: int):
    """GET: what calibration does; POST: fit the sector's preset to the included responses."""
    survey = _survey(survey_id, "survey.calibrate")
    result, chart, errors = None, None, {}
    if request.method == "POST":
        included = service.responses(db(), current_user, survey, include_excluded=False)
        try:
            result = calibration.calibrate_to(survey, [r.answers for r in included])
        except ValidationError as exc:
            errors = domain_errors(exc)
        else:
            # The answered distributions are aggregates too: bins of fewer than 5 stay empty.
            for panel in result["comparison"].values():
                panel["observed"] = aggregate.suppress_shares(panel["observed"], result["used"])
            chart = V.calibration_chart(result["comparison"], is_en=lang() == "en")
    return render_template("surveys/calibrate.html", survey=survey, result=result, chart=chart,
                           errors=errors, fit_titles=V.FIT_TITLES, group_labels=V.GROUP_LABELS,
                           model_labels=V.MODEL_LABELS), 400 if errors else 200


@bp.route("/<int:survey_id>/adopt", methods=["POST"])
def adopt(survey_id: int):
    """A new private scenario with the fitted values (the responses themselves stay here)."""
    survey = _survey(survey_id, "survey.calibrate")
    session = db()
    included = service.responses(session, current_user, survey, include_excluded=False)
    try:
        fitted = calibration.calibrate_to(survey, [r.answers for r in included], compare=False)
    except ValidationError as exc:
        abort(400, joined(domain_errors(exc).values()))
    now = utcnow()
    name = _("Calibrated to survey: %(title)s", title=survey.title)[:200]
    with transaction(session):
        record = scenario_service.create_from_preset(
            session, current_user, sector=survey.sector, name=name,
            notes=_("Fitted to %(n)s responses of survey %(id)s.", n=len(included),
                    id=survey.id), now=now)
        scenario_service.update_scenario(session, current_user, record,
                                         values=fitted["values"], now=now)
    return redirect(url_for("scenarios.workbench", scenario_id=record.id), code=303)
