"""Implementation ledger (整改台账): items, evidence, risk screenings, imports, lay-off plans.

Thin views: parse the form, call one service from ``app.ledger``, render the page or fragment.
"""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from app.auth.permissions import can, require
from app.db import utcnow
from app.ids import parse_id
from app.ledger import importer, items as item_rules, scoring
from app.ledger import screening as screenings
from app.ledger import service
from app.errors import Conflict, IllegalTransition, ValidationError
from app.web import labels, nav
from app.web.database import db
from app.web.errors import required_version
from app.web.forms import posted_form
from app.web.htmx import render_page_or_fragment, wants_fragment

bp = Blueprint("ledger", __name__, url_prefix="/ledger")

# Offices and enterprises see their ledger's standing on the dashboard.


def _errors(exc: ValidationError) -> dict:
    return {k: labels.tr(v) for k, v in exc.errors.items()}


def _lang() -> str:
    from flask_babel import get_locale
    return "en" if str(get_locale()).startswith("en") else "zh"


def _today():
    return service.local_date(utcnow())


def _upload(name: str = "file") -> service.Upload | None:
    file = request.files.get(name)
    if file is None or not file.filename:
        return None
    return service.Upload(file.filename, file.read(service.MAX_FILE_BYTES + 1))


@bp.before_request
@login_required
def _signed_in():
    pass


@bp.app_context_processor
def _labels():
    return {"standing_label": lambda s: labels.LEDGER_STANDINGS.get(s, s),
            "grade_label": lambda g: labels.RISK_GRADES.get(g, g),
            "source_label": lambda s: labels.ITEM_SOURCES.get(getattr(s, "value", s), s),
            "history_label": lambda a: labels.ITEM_HISTORY.get(a, a),
            "tr": labels.tr, "ledger_lang": _lang,
            "ledger_can": lambda action, resource=None: can(current_user, action, resource),
            "ledger_summary": _summary}


def _summary() -> dict:
    """Counts by standing, the most urgent open items, and flagged lay-off plans."""
    today = _today()
    return {**service.dashboard_summary(db(), current_user, today=today), "today": today}


def _item_or_404(item_id: int, action: str = "ledger.view"):
    """The item if the user may ``action`` it (NotFound → 404 by app.web.errors)."""
    return service.get_item(db(), current_user, item_id, action)


# -- ledger list -----------------------------------------------------------------------------

@bp.get("/")
def index():
    require(current_user, "ledger.list")
    status = request.args.get("status") or None
    if status not in (None, *labels.LEDGER_STANDINGS):
        status = None
    enterprise = request.args.get("enterprise", "")
    enterprise_id = parse_id(enterprise)
    today = _today()
    rows = service.visible_items(db(), current_user, today=today, status=status,
                                 enterprise_id=enterprise_id)
    everything = service.visible_items(db(), current_user, today=today)
    enterprises = sorted({i.enterprise.id: i.enterprise for i in everything}.values(),
                         key=lambda o: o.name)
    counts = {s: sum(1 for i in everything if i.standing(today) == s)
              for s in labels.LEDGER_STANDINGS}
    return render_page_or_fragment(
        "ledger/index.html", "ledger/_list.html", "ledger-list", items=rows, today=today,
        chosen_status=status, enterprise_id=enterprise_id, enterprises=enterprises, counts=counts,
        can_create=bool(service.enterprises_for(db(), current_user)))


@bp.route("/new", methods=["GET", "POST"])
def new_item():
    enterprises = service.enterprises_for(db(), current_user)
    if not enterprises:
        abort(403)
    errors: dict = {}
    data = {"enterprise_id": request.args.get("enterprise", ""), "source": "manual"}
    if request.method == "POST":
        data = posted_form()
        try:
            item = service.create_item(db(), current_user, data, now=utcnow())
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            flash(_("Ledger item opened."), "success")
            return redirect(url_for("ledger.item", item_id=item.id))
    return render_template("ledger/item_form.html", data=data, errors=errors, item=None,
                           enterprises=enterprises, sources=labels.ITEM_SOURCES), \
        400 if errors else 200


@bp.get("/items/<int:item_id>")
def item(item_id: int):
    return _item_page(_item_or_404(item_id))


def _item_page(item, errors: dict | None = None, form: str = "", status: int = 200):
    today = _today()
    return render_template(
        "ledger/item.html", item=item, today=today, errors=errors or {}, form=form,
        days_left=item_rules.days_left(item.deadline, today),
        actions=[a.value for a in item_rules.allowed_actions(item.status)
                 if can(current_user, f"ledger.{a.value}", item)],
        can_evidence=can(current_user, "ledger.evidence", item),
        can_edit=can(current_user, "ledger.edit", item) and item.status.value != "closed",
        data=posted_form() if request.method == "POST" else {}), status


@bp.post("/items/<int:item_id>/evidence")
def add_evidence(item_id: int):
    item = _item_or_404(item_id, "ledger.evidence")
    try:
        service.add_evidence(db(), current_user, item.id, note=request.form.get("note", ""),
                             upload=_upload(), now=utcnow())
    except ValidationError as exc:
        return _item_page(_item_or_404(item_id), _errors(exc), "evidence", 400)
    flash(_("Evidence added."), "success")
    return redirect(url_for("ledger.item", item_id=item.id, _anchor="evidence"))


@bp.post("/items/<int:item_id>/<any(start, close, reopen):action>")
def step(item_id: int, action: str):
    item = _item_or_404(item_id, f"ledger.{action}")
    try:
        service.step(db(), current_user, item.id, action, note=request.form.get("note", ""),
                     upload=_upload() if action == "close" else None,
                     version=request.form.get("version"), now=utcnow())
    except ValidationError as exc:
        return _item_page(_item_or_404(item_id), _errors(exc), action, 400)
    except IllegalTransition as exc:
        abort(409, labels.tr(exc.message))
    except (Conflict, StaleDataError):
        abort(409, _("This item was changed by someone else. Reload and try again."))
    flash({"start": _("Work on the item has started."), "close": _("Item closed."),
           "reopen": _("Item reopened.")}[action], "success")
    return redirect(url_for("ledger.item", item_id=item.id))


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def edit_item(item_id: int):
    item = _item_or_404(item_id, "ledger.edit")
    errors: dict = {}
    data = {"title": item.title, "responsible": item.responsible, "detail": item.detail,
            "deadline": item.deadline.isoformat(), "version": item.version}
    if request.method == "POST":
        data = posted_form()
        try:
            service.edit_item(db(), current_user, item.id, data,
                              version=required_version(request.form),
                              now=utcnow())
        except ValidationError as exc:
            errors = _errors(exc)
        except IllegalTransition as exc:
            abort(409, labels.tr(exc.message))
        except (Conflict, StaleDataError):
            # Show what the other person saved (and its version), never overwrite it.
            db().rollback()
            item = _item_or_404(item_id, "ledger.edit")
            db().refresh(item)
            data = {"title": item.title, "responsible": item.responsible, "detail": item.detail,
                    "deadline": item.deadline.isoformat(), "version": item.version}
            errors = {"__all__": _("This item was changed by someone else. Your changes were "
                                   "not saved; the form shows theirs.")}
            return render_template("ledger/item_form.html", data=data, errors=errors, item=item,
                                   enterprises=[item.enterprise], sources=labels.ITEM_SOURCES), 409
        else:
            flash(_("Ledger item saved."), "success")
            return redirect(url_for("ledger.item", item_id=item.id))
    return render_template("ledger/item_form.html", data=data, errors=errors, item=item,
                           enterprises=[item.enterprise], sources=labels.ITEM_SOURCES), \
        400 if errors else 200


@bp.get("/evidence/<int:evidence_id>")
def evidence_file(evidence_id: int):
    evidence = service.get_evidence(db(), current_user, evidence_id)
    if not evidence.filename or evidence.data is None:
        abort(404)
    from urllib.parse import quote
    response = Response(evidence.data, mimetype=evidence.content_type)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"evidence-{evidence.id}\"; "
        f"filename*=UTF-8''{quote(evidence.filename)}")
    return response


# -- risk screening --------------------------------------------------------------------------

@bp.get("/screenings")
def screenings_index():
    require(current_user, "ledger.list")
    rows = screenings.visible_screenings(db(), current_user)
    return render_template("ledger/screenings.html", screenings=rows,
                           can_screen=bool(service.enterprises_for(db(), current_user)),
                           can_import=can(current_user, "screening.import"))


def _preview(data: dict):
    values, errors = scoring.validate(data)
    result = scoring.score(values) if not errors else None
    return result, {k: labels.tr(v) for k, v in errors.items()}


@bp.route("/screenings/new", methods=["GET", "POST"])
def new_screening():
    enterprises = service.enterprises_for(db(), current_user)
    if not enterprises:
        abort(403)
    errors: dict = {}
    data = {"enterprise_id": request.args.get("enterprise", ""),
            "screened_on": _today().isoformat()}
    if request.method == "POST":
        data = posted_form()
        try:
            record = screenings.record_screening(db(), current_user, data, now=utcnow())
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            flash(_("Screening saved."), "success")
            return redirect(url_for("ledger.screening", screening_id=record.id))
    result, _ignored = _preview(data)
    return render_template("ledger/screening_form.html", data=data, errors=errors,
                           enterprises=enterprises, indicators=scoring.INDICATORS,
                           result=result, scoring=scoring), 400 if errors else 200


@bp.post("/screenings/preview")
def screening_preview():
    """The live points, grade and reasons while indicators are typed (htmx)."""
    result, errors = _preview(posted_form())
    if not wants_fragment("screening-preview"):
        return redirect(url_for("ledger.new_screening"))
    return render_template("ledger/_preview.html", result=result, preview_errors=errors,
                           scoring=scoring)


@bp.get("/screenings/<int:screening_id>")
def screening(screening_id: int, errors: dict | None = None, status: int = 200):
    record = screenings.get_screening(db(), current_user, screening_id)
    return render_template(
        "ledger/screening.html", s=record, suggestions=screenings.suggested_items(record),
        opened=screenings.opened_keys(db(), record), errors=errors or {},
        can_open=can(current_user, "ledger.manage", record.enterprise), scoring=scoring,
        today=_today(), data=posted_form() if request.method == "POST" else {}), status


@bp.post("/screenings/<int:screening_id>/open")
def open_items(screening_id: int):
    try:
        opened = screenings.open_suggested(
            db(), current_user, screening_id, request.form.getlist("keys"),
            request.form.get("responsible", ""), now=utcnow(), locale=_lang())
    except ValidationError as exc:  # NotFound → 404 by app.web.errors
        return screening(screening_id, _errors(exc), 400)
    flash(_("%(n)s ledger items opened.", n=len(opened)), "success")
    return redirect(url_for("ledger.index", enterprise=opened[0].enterprise_id))


@bp.route("/import", methods=["GET", "POST"])
def import_screenings():
    require(current_user, "screening.import")
    problems: list = []
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            problems = [importer.Problem("The file is empty.")]
        else:
            data = file.read(importer.MAX_BYTES + 1)
            try:
                stored = screenings.import_screenings(db(), current_user, file.filename, data,
                                                      now=utcnow())
            except importer.ImportRejected as exc:
                problems = exc.problems
            else:
                flash(_("%(n)s screenings imported.", n=len(stored)), "success")
                return redirect(url_for("ledger.screenings_index"))
    shown = [{"row": p.row, "column": p.column, "message": labels.tr(p.message, **p.params)}
             for p in problems]
    return render_template("ledger/import.html", problems=shown, indicators=scoring.INDICATORS,
                           max_rows=importer.MAX_ROWS), 400 if problems else 200


# -- lay-off plans ---------------------------------------------------------------------------

@bp.get("/layoffs")
def layoffs():
    require(current_user, "layoff.list")
    plans = screenings.visible_layoffs(db(), current_user)
    return render_template("ledger/layoffs.html", plans=plans,
                           can_create=bool(screenings.layoff_enterprises(db(), current_user)))


@bp.route("/layoffs/new", methods=["GET", "POST"])
def new_layoff():
    require(current_user, "layoff.list")
    enterprises = screenings.layoff_enterprises(db(), current_user)
    if not enterprises:
        abort(403)
    errors: dict = {}
    data: dict = {"enterprise_id": str(enterprises[0].id) if len(enterprises) == 1 else ""}
    if request.method == "POST":
        data = posted_form()
        try:
            plan = screenings.create_layoff(db(), current_user, data, now=utcnow())
        except ValidationError as exc:
            errors = _errors(exc)
        else:
            if plan.check().flagged:
                flash(_("Lay-off plan saved. It does not meet the 30-day notice rule."), "error")
            else:
                flash(_("Lay-off plan saved."), "success")
            return redirect(url_for("ledger.layoffs", _anchor=f"plan-{plan.id}"))
    return render_template("ledger/layoff_form.html", data=data, errors=errors,
                           enterprises=enterprises), 400 if errors else 200
