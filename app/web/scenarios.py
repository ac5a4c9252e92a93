"""Scenario workbench: list, create, edit with live results, compare, share, export.

Thin views: parse the form, call one service function, render the page or the fragment.
"""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from app.auth.permissions import require
from app.db import utcnow
from app.ids import parse_id
from app.reports import charts
from app.scenarios import export, forms, negotiation_link, service
from app.scenarios import minimum_wage as mwage
from app.simulator.effect import effects_many, package_effect
from app.simulator import ValidationError, field_specs
from app.web import nav
from app.web.database import db
from app.web.htmx import wants_fragment

bp = Blueprint("scenarios", __name__, url_prefix="/scenarios")

nav.register(nav.NavItem("scenarios.index", _l("Scenarios"), "scenario.list", 20))

nav.DASHBOARD_SECTIONS.append(("scenarios/_dashboard.html", "scenario.list"))

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
    from app.web.errors import render_error
    return render_error(409, _("This scenario's stored data no longer loads: %(errors)s",
                               errors="；".join(exc.errors.values())))


@bp.context_processor
def _labels():
    return labels_context()


def _scenario(scenario_id: int, action: str = "scenario.view"):
    try:
        return service.get_scenario(db(), current_user, scenario_id, action)
    except service.ScenarioNotFound:
        abort(404)


def _snapshot(snapshot_id: int, action: str = "snapshot.view"):
    try:
        return service.get_snapshot(db(), current_user, snapshot_id, action)
    except service.ScenarioNotFound:
        abort(404)


def _form_fields() -> dict:
    return {k: v for k, v in request.form.items() if k != "csrf_token"}



# -- labels, chart, comparison ----------------------------------------------------------------

SECTION_LABELS = {
    "piece_rate": _l("Piece rate"), "commission": _l("Commission"),
    "hours": _l("Working hours and rest"), "dispatch": _l("Dispatch"),
    "weather": _l("Weather and heat"), "penalties": _l("Penalties"),
    "floors": _l("Pay floors"), "protection": _l("Protection paid by the platform"),
    "market": _l("Market"), "weather_calendar": _l("Weather calendar"),
    "workforce": _l("Workforce"), "costs": _l("Workers' own costs"),
    "behaviour": _l("Behavioural response"), "thresholds": _l("Minimum wage standard"),
}
SECTOR_LABELS = {"delivery": _l("Delivery"), "ride_hailing": _l("Ride-hailing"),
                 "freight": _l("Freight")}
GROUP_LABELS = {"casual": _l("Casual"), "part_time": _l("Part-time"),
                "full_time": _l("Full-time"), "crowd_sourced": _l("Crowd-sourced"),
                "dedicated": _l("Dedicated")}
VEHICLE_LABELS = {"e_bike": _l("E-bike"), "owned_car": _l("Own car"),
                  "rented_car": _l("Rented car"), "van": _l("Van")}
WEATHER_LABELS = {"fair": _l("Fair"), "rain": _l("Rain"), "snow_ice": _l("Snow or ice"),
                  "cold": _l("Severe cold"), "heat_35": _l("Heat 35–37 ℃"),
                  "heat_37": _l("Heat 37–40 ℃"), "heat_40": _l("Heat ≥ 40 ℃")}
PLATFORM_LABELS = {"worker_pay": _l("Pay to workers (gross)"),
                   "subsidies": _l("of which weather and heat subsidies"),
                   "floor_topups": _l("of which floor top-ups"),
                   "insurance": _l("Injury insurance and pension subsidy"),
                   "commission_revenue": _l("Commission kept"),
                   "membership_revenue": _l("Membership fees"),
                   "customer_fares": _l("Customer fares"),
                   "net_cost": _l("Net cost to the platform")}
CHOICE_LABELS = {"day": _l("each day"), "cycle": _l("each settlement cycle"),
                 "month": _l("each month"), **VEHICLE_LABELS}
MEASURE_LABELS = {"net_per_working_hour": _l("Net pay per working hour (yuan)"),
                  "net_per_online_hour": _l("Net pay per online hour (yuan)"),
                  "net_monthly": _l("Net income per month (yuan)")}


UNITS_EN = {"元/单": "yuan/order", "元/公里": "yuan/km", "公里": "km", "元/分钟": "yuan/min",
            "比例": "share", "单/月": "orders/month", "元/月": "yuan/month", "小时": "h",
            "分钟": "min", "单/小时": "orders/h", "元/天": "yuan/day", "天": "days",
            "元/小时": "yuan/h", "概率": "probability", "倍": "×", "人": "workers",
            "天/月": "days/month"}


def _pct(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _num(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _signed(value, digits: int = 1, scale: float = 1.0, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{value * scale:+,.{digits}f}{suffix}"


def labels_context() -> dict:
    from flask_babel import get_locale
    is_en = str(get_locale()).startswith("en")
    return {"is_en": is_en, "section_labels": SECTION_LABELS, "sector_labels": SECTOR_LABELS,
            "group_labels": GROUP_LABELS, "vehicle_labels": VEHICLE_LABELS,
            "weather_labels": WEATHER_LABELS, "platform_labels": PLATFORM_LABELS,
            "choice_labels": CHOICE_LABELS, "measure_labels": MEASURE_LABELS,
            "field_label": lambda e: e["label_en"] if is_en else e["label_zh"],
            "unit_label": lambda u: UNITS_EN.get(u, u) if is_en else u,
            "pct": _pct, "num": _num, "signed": _signed, "dom_id": forms.dom_id}


def chart_for(results: dict) -> str:
    h = results["histogram"]
    return charts.pay_distribution_chart(
        h["edges"], h["baseline"], h["package"], results["minimum_wage"],
        labels={"baseline": _("Today's rules"), "package": _("This package"),
                "minimum_wage": _("Hourly minimum wage"),
                "x": _("Net pay per working hour (yuan)"), "y": _("Share of workers (%)"),
                "title": _("Net pay per working hour: today's rules and this package")})


def compare_context(records) -> dict:
    """Run 2–4 scenarios on the first one's draws against the first one's rules of today."""
    first = records[0]
    scenarios = [service.to_scenario(r) for r in records]
    scenarios = [s.__class__.from_dict({**s.to_dict(), "name": r.name})
                 for s, r in zip(scenarios, records)]
    baseline = service.baseline_of(scenarios[0], first.baseline_pay)
    try:
        columns = effects_many(scenarios, baseline, first.seed)
    except ValidationError as exc:
        return {"records": records, "columns": None, "error": "；".join(exc.errors.values())}
    return {"records": records, "columns": columns, "error": None, "seed": first.seed,
            "term_rows": _term_rows(scenarios, first.baseline_pay), "cmp_get": _getter,
            "cmp_fmt": _formatter}


def _term_rows(scenarios, baseline_pay: dict) -> list[dict]:
    """The package terms on which the scenarios differ, as shown values per scenario."""
    is_en = labels_context()["is_en"]
    specs = [{e["key"]: e for e in field_specs(s) if e["key"].startswith("pay.")}
             for s in scenarios]
    rows = []
    for key, entry in specs[0].items():
        values = [forms.show(sp[key]["value"]) for sp in specs]
        if len(set(values)) > 1:
            rows.append({"label": entry["label_en"] if is_en else entry["label_zh"],
                         "values": values,
                         "today": forms.show(baseline_pay.get(entry["name"], ""))})
    return rows


def _getter(path: str):
    def get(column):
        value = column
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value
    return get


def _formatter(kind: str):
    def fmt(value, diff: bool = False):
        if value is None:
            return "—"
        if kind == "pct":
            return f"{value * 100:+.1f} pt" if diff else f"{value * 100:.1f}%"
        digits = 2 if kind == "yuan2" else 0
        return f"{value:+,.{digits}f}" if diff else f"¥{value:,.{digits}f}"
    return fmt

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
        data = _form_fields()
        try:
            record = service.create_from_preset(
                db(), current_user, sector=data.get("sector", ""), name=data.get("name", ""),
                notes=data.get("notes", ""), n_workers=data.get("n_workers") or None,
                now=utcnow())
            db().commit()
        except ValidationError as exc:
            db().rollback()
            errors = {("n_workers" if k == "workforce.n_workers" else k): v
                      for k, v in exc.errors.items()}
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
    return render_template(
        "scenarios/workbench.html", record=record, sections=sections, results=results,
        chart=chart_for(results) if results else None, errors=errors or {},
        negotiations=negotiations, save_message=save_message, conflict=conflict,
        assumptions_open=any(not k.startswith("pay.") and k not in ("name", "notes")
                             for k in (errors or {})),
        name=(form_values or {}).get("name", record.name),
        notes=(form_values or {}).get("notes", record.notes),
        seed=(form_values or {}).get("seed", record.seed), **_place_context(record, form_values)), \
        status


def _place_context(record, form_values) -> dict:
    """The place-and-date fields and the standard they select (None if they select none)."""
    province, tier, as_of = _place(record, form_values or {})
    try:
        standard = mwage.minimum_wage(str(province), str(tier), mwage.parse_date(as_of))
    except ValidationError:
        standard = None
    is_en = labels_context()["is_en"]
    return {"place": {"province": province, "tier": tier, "as_of": str(as_of)},
            "standard": standard,
            "provinces": [(k, v[1] if is_en else v[0]) for k, v in mwage.PROVINCES.items()],
            "tiers": [(k, v[1] if is_en else v[0]) for k, v in mwage.TIERS.items()]}


@bp.get("/<int:scenario_id>")
def workbench(scenario_id: int):
    return _workbench(_scenario(scenario_id))


def _parse(record, form: dict):
    """The scenario the form describes, or ValidationError (nothing is saved)."""
    stored = service.to_scenario(record)
    errors, scenario, seed = {}, stored, record.seed
    try:
        scenario = service.apply_values(record, forms.changed_values(stored, form))
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        seed = service._clean_seed(form.get("seed", record.seed))
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        scenario = service.apply_place(scenario, *_place(record, form))
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return scenario, seed


def _place(record, form: dict) -> tuple:
    """(province, tier, as_of) from the form, the stored ones where absent."""
    return (form.get("province", record.province), form.get("tier", record.tier),
            form.get("as_of", record.as_of))


def _place_errors(record, errors: dict) -> dict:
    """Messages about the worker groups as a whole also go next to each group's share."""
    errors = dict(errors)
    if "workforce.groups" in errors:
        for key in _field_keys(record):
            if key.startswith("workforce.groups.") and key.endswith(".share"):
                errors.setdefault(key, errors["workforce.groups"])
    return errors


def _field_keys(record) -> list[str]:
    """Every error slot on the workbench form."""
    return forms.field_keys(service.to_scenario(record)) + ["name", "notes", "seed",
                                                             *forms.PLACE_KEYS]


def _field_errors_only(record, errors: dict, status: int = 400):
    """Field messages swapped out of band; the last good results stay on screen."""
    html = render_template("scenarios/_field_errors.html", errors=errors,
                           keys=_field_keys(record), stale=True)
    response = Response(html, status=status)
    response.headers["HX-Reswap"] = "none"
    return response


@bp.post("/<int:scenario_id>/run")
def run(scenario_id: int):
    """Re-run the simulation with the form's values (not saved): the results fragment."""
    if request.form.get("action") == "save" and not wants_fragment("results"):
        return save(scenario_id)  # the Save button of the plain form
    record = _scenario(scenario_id)
    form = _form_fields()
    try:
        scenario, seed = _parse(record, form)
    except ValidationError as exc:
        errors = _place_errors(record, exc.errors)
        if wants_fragment("results"):
            return _field_errors_only(record, errors)
        return _workbench(record, form_values=form, errors=errors, status=400)
    baseline = service.baseline_of(scenario, record.baseline_pay)
    results = package_effect(scenario, baseline, seed)
    if wants_fragment("results"):
        return render_template("scenarios/_results.html", record=record, results=results,
                               chart=chart_for(results), errors={},
                               clear_keys=_field_keys(record))
    return _workbench(record, scenario=scenario, form_values=form, results=results)


@bp.post("/<int:scenario_id>/save")
def save(scenario_id: int):
    record = _scenario(scenario_id, "scenario.edit")
    form = _form_fields()
    stored = service.to_scenario(record)
    try:
        service.update_scenario(
            db(), current_user, record, values=forms.changed_values(stored, form),
            name=form.get("name"), notes=form.get("notes"), seed=form.get("seed"),
            province=form.get("province"), tier=form.get("tier"), as_of=form.get("as_of"),
            expected_version=form.get("version") or None, now=utcnow())
        db().commit()
    except ValidationError as exc:
        db().rollback()
        errors = _place_errors(record, exc.errors)
        if wants_fragment("save-status"):
            html = render_template("scenarios/_save_status.html", record=record,
                                   ok=False, errors=errors, keys=_field_keys(record))
            return html, 400
        return _workbench(record, form_values=form, errors=errors, status=400)
    except (service.ScenarioConflict, StaleDataError):
        db().rollback()
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
                               errors={}, keys=_field_keys(record))
    flash(_("Scenario saved."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=record.id))


@bp.post("/<int:scenario_id>/copy")
def copy(scenario_id: int):
    record = _scenario(scenario_id, "scenario.copy")
    new_record = service.copy_scenario(db(), current_user, record, now=utcnow())
    db().commit()
    flash(_("Scenario copied."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=new_record.id))


@bp.post("/<int:scenario_id>/delete")
def delete(scenario_id: int):
    record = _scenario(scenario_id)
    service.delete_scenario(db(), current_user, record, now=utcnow())
    db().commit()
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
    db().commit()
    flash(_("Scenario shared into the negotiation as a snapshot."), "success")
    return redirect(url_for("scenarios.snapshot", snapshot_id=snap.id))



@bp.post("/<int:scenario_id>/offer-draft")
def offer_draft(scenario_id: int):
    """Make an offer from this scenario: its terms become a draft offer in the negotiation."""
    from app.negotiations import errors as negotiation_errors
    from app.negotiations import service as negotiation_service
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
        negotiation_service.save_offer_draft(db(), current_user, negotiation.id, form,
                                             now=utcnow())
    except negotiation_errors.ValidationError as exc:
        db().rollback()
        abort(400, "；".join(str(m) for m in exc.errors.values()))
    except (negotiation_errors.PermissionDenied, negotiation_errors.NotFound):
        db().rollback()
        abort(403)
    except negotiation_errors.IllegalTransition as exc:
        db().rollback()
        abort(409, getattr(exc, "message", str(exc)))
    flash(_("The scenario's terms are in a draft offer; check and send it here."), "success")
    return redirect(url_for("negotiations.show", negotiation_id=negotiation.id,
                            _anchor="form-offer"))


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
        db().commit()
    except ValidationError as exc:
        db().rollback()
        abort(400, "；".join(exc.errors.values()))
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
    db().commit()
    flash(_("Snapshot copied into your organisation's scenarios."), "success")
    return redirect(url_for("scenarios.workbench", scenario_id=record.id))


# -- export ----------------------------------------------------------------------------------

def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=scenario.{filename.rsplit('.', 1)[-1]}; "
        f"filename*=UTF-8''{_quote(filename)}")
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


def _export(record, results, fmt: str):
    scenario = service.to_scenario(record)
    locale = "en" if labels_context()["is_en"] else "zh"
    if fmt == "csv":
        return _download(export.to_csv(record.name, scenario, record.baseline_pay, results,
                                       locale=locale),
                         "text/csv; charset=utf-8", f"{record.name}.csv")
    if fmt == "xlsx":
        return _download(export.to_xlsx(record.name, scenario, record.baseline_pay, results,
                                        locale=locale),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         f"{record.name}.xlsx")
    abort(404)


@bp.get("/<int:scenario_id>/export.<fmt>")
def export_scenario(scenario_id: int, fmt: str):
    record = _scenario(scenario_id, "scenario.export")
    scenario = service.to_scenario(record)
    results = package_effect(scenario, service.baseline_of(record), record.seed)
    return _export(record, results, fmt)


@bp.get("/snapshots/<int:snapshot_id>/export.<fmt>")
def export_snapshot(snapshot_id: int, fmt: str):
    snap = _snapshot(snapshot_id, "snapshot.export")
    return _export(snap, snap.results, fmt)


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
