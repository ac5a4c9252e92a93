"""Analyses pages: solve for a term, frontier, sensitivity, calibration, behavioural response.

Thin views: parse the form, call one function of ``app.simulator`` (optimize, sensitivity,
calibrate, behaviour), render the page or — for htmx — the ``#analysis`` fragment. A package
found here becomes a new scenario through the scenarios service (audited there).

The subject is a saved scenario the user may see (``scenario:<id>``) or a preset
(``preset:<sector>``). Analyses run on at most :data:`WEB_WORKERS` simulated workers so a request
stays within seconds.
"""
from __future__ import annotations

import json
import math

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.auth.permissions import require
from app.db import transaction, utcnow
from app.ids import parse_id
from app.negotiations.models import Offer
from app.scenarios import negotiation_link
from app.scenarios import service as scenario_service
from app.errors import Msg, ValidationError
from app.simulator import field_specs, presets
from app.simulator import measures as M
from app.simulator import records as R
from app.simulator.behaviour import behaviour_response
from app.simulator.calibrate import calibrate
from app.simulator.batch_orders import RETHINNING_PAY_TERMS
from app.simulator.optimize import GRID_WORKERS, frontier, solve_for
from app.simulator.sensitivity import SENSITIVITY_WORKERS, sensitivity
from app.web import analyses_forms as F
from app.web import analyses_view as V
from app.web import calibrate_upload as upload_
from app.web.database import db
from app.web.errors import field_messages
from app.web.forms import posted_form
from app.web.htmx import render_page_or_fragment

bp = Blueprint("analyses", __name__, url_prefix="/analyses")

WEB_WORKERS = 2000
DEFAULT_SEED = 20240101
TARGET = "analysis"
FRONTIER_MAX_N = 15
# Work bounds of one analysis request (assumptions, 2026-12, at what the defaults — 2,000 workers
# × 30 days — need): worker-days of the subject and of a sensitivity run; a frontier whose axis
# re-thins the orders (hour, dispatch terms) re-thins ≤ 15 subjects (20× that as a job).
WEB_WORKER_DAYS = WEB_WORKERS * 30
RETHIN_WORKER_DAYS = FRONTIER_MAX_N * WEB_WORKER_DAYS
JOB_RETHIN_WORKER_DAYS = 20 * RETHIN_WORKER_DAYS
SENSITIVITY_WORKER_DAYS = SENSITIVITY_WORKERS * 30


@bp.before_request
@login_required
def _signed_in():
    require(current_user, "analyses.view")


@bp.context_processor
def template_context():
    is_en = str(get_locale()).startswith("en")
    return {"is_en": is_en, "lab": lambda d, key="label": d.get(f"{key}_en" if is_en else
                                                             f"{key}_zh") or "",
            "fmt": V.fmt, "pct": V.pct, "measures": M.MEASURES,
            "group_labels": V.GROUP_LABELS, "fit_titles": V.FIT_TITLES,
            "model_labels": V.MODEL_LABELS,
            "unit": lambda u: V.UNITS_EN.get(u, u) if is_en else u}


# -- the subject of an analysis ----------------------------------------------------------------

def _sources() -> list[tuple[str, str]]:
    out = [(f"preset:{k}", str(V.PRESET_LABELS[k])) for k in presets.PRESETS]
    if scenario_service is not None:
        out = [(f"scenario:{r.id}", r.name)
               for r in scenario_service.scenarios_for(db(), current_user)] + out
    return out


def _subject(source: str | None):
    """(scenario capped to WEB_WORKERS, baseline, seed, record or None, source string)."""
    source = (source or "preset:delivery").strip()
    kind, _sep, ident = source.partition(":")
    if kind == "preset" and ident in presets.PRESETS:
        s = presets.preset(ident)
        record, baseline, seed = None, s, DEFAULT_SEED
    elif kind == "scenario" and parse_id(ident) and scenario_service is not None:
        record = scenario_service.get_scenario(db(), current_user, parse_id(ident))
        s = scenario_service.to_scenario(record)
        baseline = scenario_service.baseline_of(record)
        seed = record.seed
    else:
        abort(404)
    workers = max(1, min(WEB_WORKERS, WEB_WORKER_DAYS // s.workforce.days))
    if s.workforce.n_workers > workers:
        s = s.with_values({"workforce.n_workers": workers})
        baseline = baseline.with_values({"workforce.n_workers": workers})
    return s, baseline, seed, record, source


def _pay_terms(scenario) -> list[dict]:
    return [e for e in field_specs(scenario) if e["key"].startswith("pay.")
            and e["type"] == "float"]


def _render(name: str, status: int = 200, **ctx):
    ctx.setdefault("sources", _sources())
    ctx.setdefault("errors", {})
    ctx.setdefault("form", {})
    return render_page_or_fragment(f"analyses/{name}.html", f"analyses/_{name}.html", TARGET,
                                   status=status, **ctx)


def _message(r: dict) -> str:
    return r["message_en"] if str(get_locale()).startswith("en") else r["message_zh"]


# -- pages -------------------------------------------------------------------------------------

@bp.route("/")
def index():
    return render_template("analyses/index.html", sources=_sources())


@bp.route("/solve", methods=["GET", "POST"])
def solve():
    form = posted_form() if request.method == "POST" else dict(request.args)
    s, _b, seed, record, source = _subject(form.get("source"))
    ctx = {"form": form, "source": source, "terms": _pay_terms(s), "record": record}
    form.setdefault("term", "pay.base_per_order")
    form.setdefault("measure", "p25_net_per_working_hour")
    form.setdefault("goal", "at_least")
    form.setdefault("target", f"{s.thresholds.hourly_minimum_wage:g}")
    if request.method == "GET":
        return _render("solve", **ctx)
    lo, hi = (form.get("lo") or "").strip(), (form.get("hi") or "").strip()
    try:
        if bool(lo) != bool(hi):
            raise ValidationError({"range": Msg(
                "Fill in both the lower and the upper end of the range, or neither")})
        result = solve_for(s, form.get("term", ""), form.get("measure", ""),
                           (form.get("target") or "").strip() or "x", seed=seed,
                           goal=form.get("goal", ""), lo=lo or None, hi=hi or None)
    except ValidationError as e:
        return _render("solve", 400, errors=V.field_errors(
            e, {"key": "term"}, known={"term", "measure", "goal", "target", "range"}), **ctx)
    return _render("solve", result=result, message=_message(result), **ctx)


def _negotiation_offers(sector: str, limit: int = 4) -> list[dict]:
    """Offers sent in the negotiations of the user's organisation in ``sector``, newest first."""
    negotiations = {n.id: n for n in negotiation_link.negotiations_for(
        db(), current_user.organisation_id) if negotiation_link.sector_of(n) == sector}
    if not negotiations:
        return []
    rows = db().scalars(select(Offer).where(
        Offer.negotiation_id.in_(list(negotiations)), Offer.status.in_(("sent", "superseded")))
        .order_by(Offer.sent_at.desc(), Offer.id.desc()).limit(limit))
    side = {"worker": _("workers' side"), "employer": _("employer side")}
    return [{"key": f"offer:{o.id}",
             "name": f"{negotiations[o.negotiation_id].title} · {side.get(o.side, o.side)}"
                     + (f" · {_('round %(n)s', n=o.round)}" if o.round else ""),
             "terms": {k: v for k, v in (o.terms or {}).items()
                       if isinstance(v, (int, float)) and not isinstance(v, bool)}}
            for o in rows]


def _frontier_offers(s, baseline, record):
    offers = [{"key": "today", "name": _("Today's rules"), "terms": baseline.pay.to_dict()}]
    if record is not None:
        offers.append({"key": f"scenario:{record.id}", "name": record.name,
                       "terms": s.pay.to_dict()})
    offers += _negotiation_offers(s.market.sector)
    if record is not None:
        for other in scenario_service.scenarios_for(db(), current_user):
            if other.id != record.id and other.sector == record.sector and len(offers) < 8:
                offers.append({"key": f"scenario:{other.id}", "name": other.name,
                               "terms": scenario_service.to_scenario(other).pay.to_dict()})
    return offers


def _check_grid(s, n: int, axes: tuple[str, str], budget: int) -> None:
    """Refuse a grid re-thinning over ``budget`` worker-days (``n`` subjects per such axis)."""
    rethinning = sum(key.removeprefix("pay.") in RETHINNING_PAY_TERMS for key in axes)
    per_package = min(GRID_WORKERS, s.workforce.n_workers) * s.workforce.days
    if rethinning and n ** rethinning * per_package > budget:
        largest = max(1, int((budget // per_package) ** (1 / rethinning)))
        raise ValidationError({"n": Msg(
            "Hour and dispatch terms re-run the simulation for every grid value: with this "
            "scenario, per axis at most %(largest)s points here (%(budget)s worker-days); run "
            "it in the background for more.", largest=largest, budget=f"{budget:,}")})


def frontier_context(form: dict):
    """(scenario, seed, page context) of the frontier form (the job route uses it too)."""
    s, baseline, seed, record, source = _subject(form.get("source"))
    terms = _pay_terms(s)
    offers = _frontier_offers(s, baseline, record)
    F.frontier_defaults(form, s, source, terms)
    form.setdefault("measure", "p25_net_per_working_hour")
    form.setdefault("n", "12")
    form.setdefault("chosen", "today")
    ctx = {"form": form, "source": source, "terms": terms, "record": record, "offers": offers,
           "worker_measures": [M.MEASURES[k] for k in M.WORKER_MEASURES]}
    return s, seed, ctx


def frontier_arguments(form: dict, s, seed: int, offers: list,
                       budget: int = RETHIN_WORKER_DAYS) -> dict:
    """``frontier``'s arguments from the form; ``budget``: the worker-days it may re-thin."""
    x_range = V.pair(form, "x_lo", "x_hi", "x_range")
    y_range = V.pair(form, "y_lo", "y_hi", "y_range")
    n = V.integer(form.get("n"), "n", 2, FRONTIER_MAX_N)
    _check_grid(s, n, (form.get("x_key", ""), form.get("y_key", "")), budget)
    chosen = F.offer_index(offers, form.get("chosen", ""))
    return {"x_key": form.get("x_key", ""), "y_key": form.get("y_key", ""),
            "measure": form.get("measure", ""), "seed": seed, "x_range": x_range,
            "y_range": y_range, "n": n, "offers": offers, "chosen": chosen}


def frontier_refused(e: ValidationError, ctx: dict):
    return _render("frontier", 400, errors=V.field_errors(e, known={
        "x_key", "y_key", "measure", "n", "chosen", "x_range", "y_range"}), **ctx)


def frontier_shown(result: dict, ctx: dict, template: str = "frontier"):
    """The frontier page (or ``template``) with ``result``: chart, offers, packages."""
    chart = V.frontier_chart(result, is_en=str(get_locale()).startswith("en"))
    return _render(template, result=result, chart=chart, frontier_rows=result["table"], **ctx)


@bp.route("/frontier", methods=["GET", "POST"])
def frontier_page():
    form = posted_form() if request.method == "POST" else dict(request.args)
    s, seed, ctx = frontier_context(form)
    if request.method == "GET":
        return _render("frontier", **ctx)
    try:
        args = frontier_arguments(form, s, seed, ctx["offers"])
        result = frontier(s, **args)
    except ValidationError as e:
        return frontier_refused(e, ctx)
    return frontier_shown(result, ctx)


def sensitivity_context(form: dict):
    """(scenario, seed, page context) of the sensitivity form (the job route uses it too)."""
    s, _b, seed, record, source = _subject(form.get("source"))
    form.setdefault("measure", "p25_net_per_working_hour")
    form.setdefault("step", "10")
    return s, seed, {"form": form, "source": source, "record": record}


def sensitivity_arguments(form: dict, s, seed: int) -> dict:
    """The keyword arguments of ``sensitivity`` from the form (``ValidationError`` if refused)."""
    step = V.number(form.get("step"), "step") / 100.0
    workers = max(1, min(SENSITIVITY_WORKERS, SENSITIVITY_WORKER_DAYS // s.workforce.days))
    return {"measure": form.get("measure", ""), "seed": seed, "step": step, "workers": workers}


def sensitivity_refused(e: ValidationError, ctx: dict):
    return _render("sensitivity", 400, errors=V.field_errors(e, known={"measure", "step"}),
                   **ctx)


def sensitivity_shown(result: dict, ctx: dict, template: str = "sensitivity"):
    """The sensitivity page (or ``template``) with ``result``: the tornado chart and table."""
    chart = V.tornado_chart(result, is_en=str(get_locale()).startswith("en"))
    return _render(template, result=result, chart=chart, **ctx)


@bp.route("/sensitivity", methods=["GET", "POST"])
def sensitivity_page():
    form = posted_form() if request.method == "POST" else dict(request.args)
    s, seed, ctx = sensitivity_context(form)
    if request.method == "GET":
        return _render("sensitivity", **ctx)
    try:
        result = sensitivity(s, **sensitivity_arguments(form, s, seed))
    except ValidationError as e:
        return sensitivity_refused(e, ctx)
    return sensitivity_shown(result, ctx)


@bp.route("/behaviour", methods=["GET", "POST"])
def behaviour_page():
    form = posted_form() if request.method == "POST" else dict(request.args)
    s, baseline, seed, record, source = _subject(form.get("source"))
    b = s.behaviour
    defaults = {"labour_supply_elasticity": b.labour_supply_elasticity,
                "demand_price_elasticity": b.demand_price_elasticity,
                "pass_through": b.pass_through, "max_hours_change": b.max_hours_change,
                "base_per_order": s.pay.base_per_order}
    for k, v in defaults.items():
        if F.stale_source(form, source):  # drawn for another scenario: not this one's rate
            form.pop(k, None)
        form.setdefault(k, f"{v:.12g}")
    ctx = {"form": form, "source": source, "record": record}
    if request.method == "GET":
        return _render("behaviour", **ctx)
    try:
        values = {f"behaviour.{k}": form.get(k, "") for k in defaults if k != "base_per_order"}
        values["behaviour.enabled"] = True
        values["pay.base_per_order"] = form.get("base_per_order", "")
        package = s.with_values(values)
        result = behaviour_response(baseline, package, seed=seed)
    except ValidationError as e:
        return _render("behaviour", 400, errors=V.field_errors(
            e, prefix_strip=True, known=set(defaults)), **ctx)
    return _render("behaviour", result=result, **ctx)


def calibrate_context(form: dict):
    """(scenario, seed, page context) of the calibration form (the job route uses it too)."""
    s, _b, seed, record, source = _subject(form.get("source"))
    return s, seed, {"form": form, "source": source, "record": record,
                     "fields": R.field_table(), "anchors_before": upload_.anchors_before(s, seed)}


def calibrate_refused(e: ValidationError, ctx: dict, headers=None):
    errors = V.field_errors(e, known={"file", *R.FIELD_NAMES})
    return _render("calibrate", 400, errors=errors, headers=headers, **ctx)


def calibrate_shown(result: dict, ctx: dict, s, template: str = "calibrate"):
    """The calibration page (or ``template``) with ``result`` fitted to subject ``s``."""
    chart = V.calibration_chart(result["comparison"], is_en=str(get_locale()).startswith("en"))
    return _render(template, result=result, chart=chart, headers=result.get("headers"),
                   values_json=json.dumps(result["values"], sort_keys=True),
                   specs={e["key"]: e for e in field_specs(s)}, **ctx)


@bp.route("/calibrate", methods=["GET", "POST"])
def calibrate_page():
    form = posted_form() if request.method == "POST" else dict(request.args)
    s, seed, ctx = calibrate_context(form)
    if request.method == "GET":
        return _render("calibrate", **ctx)
    headers = None
    try:  # a large file is refused here: "Run in the background" fits it (analysis_jobs)
        headers, rows = upload_.interactive_table(request.files.get("file"))
        recs = R.extract(headers, rows, upload_.mapping(headers, form))
        result = calibrate(s, recs, seed=seed)
    except ValidationError as e:
        return calibrate_refused(e, ctx, headers)
    return calibrate_shown({**result, "headers": headers}, ctx, s)


# -- a package found here becomes a new scenario ------------------------------------------------

@bp.route("/adopt", methods=["POST"])
def adopt():
    """Create a scenario from the subject with some values changed (frontier or calibration)."""
    form = posted_form()
    s, _b, _seed, record, source = _subject(form.get("source"))
    try:
        values = json.loads(form.get("values") or "")
    except ValueError:
        abort(400, _("The values of the new scenario could not be read."))
    if not isinstance(values, dict) or not values or len(values) > 60 or not all(
            isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
            and math.isfinite(v) for k, v in values.items()):
        abort(400, _("The values of the new scenario could not be read."))
    name = (form.get("name") or "").strip()[:180] or _("New package")
    session = db()
    now = utcnow()
    try:
        s.with_values(values)  # validate before anything is written
        with transaction(session):
            if record is not None:
                new = scenario_service.copy_scenario(session, current_user, record, name=name,
                                                     now=now)
            else:
                new = scenario_service.create_from_preset(
                    session, current_user, sector=source.split(":", 1)[1], name=name, now=now)
            scenario_service.update_scenario(session, current_user, new, values=values, now=now)
    except ValidationError as e:
        abort(400, "; ".join(f"{k}: {m}" for k, m in sorted(field_messages(e).items())))
    return redirect(url_for("scenarios.workbench", scenario_id=new.id), code=303)
