"""The standards registry: reference page with downloads (signed-in users), upkeep (site admin).

Anonymous visitors are sent to the login like everywhere else in the app: most figures rest on
secondary sources and are marked unverified, and Xieshang has no public pages besides the login.
"""
from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import (Blueprint, Response, abort, flash, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from app import standards as registry
from app.auth.permissions import require
from app.db import utcnow
from app.ledger.adjustments import adjustments_due
from app.negotiations.records import local_today
from app.standards import access  # noqa: F401  (registers the permission rules)
from app.standards import export, importer, provinces
from app.standards.models import MinimumWageRecord
from app.web import english
from app.web.database import db
from app.web.errors import joined

bp = Blueprint("registry", __name__, url_prefix="/registry")


# The importer's messages (English source strings), listed for the catalogue.
MESSAGES = (
    _l("Enter a number."), _l("Must not be negative."), _l("Must be more than 0."),
    _l("Enter an amount up to %(high)s with at most two decimals."),
    _l("Unknown province “%(name)s”: use one of the 31 provincial regions, e.g. 河南 or 河南省."),
    _l("Enter a tier from 1 to 9."),
    _l("Monthly %(monthly)s and hourly %(hourly)s do not fit together: monthly ÷ hourly is "
       "%(ratio)s, expected %(low)s to %(high)s."),
    _l("Enter a date as YYYY-MM-DD (1994 to 2100)."),
    _l("Give the source: the address of the notice or the page that reproduces it."),
    _l("At most %(n)s characters."), _l("Enter yes or no."), _l("Remove the control characters."),
    _l("Enter the number of the record this one corrects."),
    _l("The file is larger than %(n)s MB."), _l("The CSV file could not be read (UTF-8 expected)."),
    _l("The file is empty."),
    _l("The header row must name the columns %(columns)s (optional: note, corrects)."),
    _l("The file has no rows under its header."), _l("At most %(n)s rows in one file."),
    _l("Row %(other)s already gives %(province)s tier %(tier)s from %(date)s: the dates overlap."),
    _l("Record %(id)s already gives %(province)s tier %(tier)s from %(date)s: the dates overlap. "
       "To correct it, put %(id)s in the corrects column."),
    _l("Record %(id)s is not a record of this province, tier and date."),
)
KINDS = {"injury_fee": _l("Occupational-injury protection fee"),
         "injury_coverage": _l("Occupational-injury protection: coverage"),
         "pension_subsidy": _l("Platform pension subsidy"),
         "heat_allowance": _l("High-temperature allowance")}
FIELDS = importer.COLUMNS + importer.OPTIONAL
RECENT = 30


@bp.app_context_processor
def _labels():
    return {"standard_kind_label": lambda kind: KINDS.get(kind, kind),
            "province_options": lambda rows: [(short, english.province_name(full))
                                               for short, full, _code in rows],
            "adjustments_due": lambda: adjustments_due(db(), current_user),
            "registry_today": lambda: local_today(utcnow())}


def tr(problem: importer.Problem) -> str:
    text = _(problem.message)
    return text % problem.params if problem.params else text


def _filters() -> tuple[dict, dict, date, str | None]:
    """The page's filters: raw values, errors beside the fields, the date and the province."""
    raw = {"province": (request.args.get("province") or "").strip()[:20],
           "on": (request.args.get("on") or "").strip()[:10]}
    errors = {}
    province = None
    if raw["province"]:
        province = provinces.normalise(raw["province"])
        if province is None:
            errors["province"] = _("Unknown province.")
    on = local_today(utcnow())
    if raw["on"]:
        try:
            on = date.fromisoformat(raw["on"])
        except ValueError:
            errors["on"] = _("Enter a date as YYYY-MM-DD.")
    if not raw["on"]:
        raw["on"] = on.isoformat()
    return raw, errors, on, province


@bp.get("/")
def index():
    """Public: the standards in force are public law, and anyone may check a figure's source."""
    raw, errors, on, province = _filters()
    wages, places, others = [], [], []
    if not errors:
        wages = registry.minimum_wages_in_force(db(), on, province)
        if province:
            try:
                places = registry.places(db(), province, on)
            except registry.StandardNotFound:
                places = []
        others = registry.other_standards_in_force(db(), on)
    return render_template("registry/index.html", raw=raw, errors=errors, wages=wages,
                           places=places, others=others, provinces=provinces.PROVINCES,
                           province=province, on=on,
                           can_manage=getattr(current_user, "is_site_admin", False)), \
        400 if errors else 200


@bp.get("/minimum-wages.csv")
def download_csv():
    return _download("csv")


@bp.get("/minimum-wages.xlsx")
def download_xlsx():
    return _download("xlsx")


def _download(fmt: str):
    raw, errors, on, province = _filters()
    if errors:
        abort(400, joined(errors.values()))
    wages = registry.minimum_wages_in_force(db(), on, province)
    name = f"minimum-wages-{province or 'all'}-{on.isoformat()}.{fmt}"
    if fmt == "csv":
        response = Response(export.to_csv(wages), mimetype="text/csv")
    else:
        response = Response(export.to_xlsx(wages, on.isoformat()), mimetype=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response.headers["Content-Disposition"] = (
        f"attachment; filename=minimum-wages.{fmt}; filename*=UTF-8''{quote(name, safe='')}")
    return response


def _recent():
    return db().scalars(select(MinimumWageRecord).order_by(MinimumWageRecord.id.desc())
                        .limit(RECENT)).all()


@bp.route("/admin", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "standards.manage")
    data = {"verified": "no"}
    errors: dict = {}
    if request.method == "POST":
        data = {k: (request.form.get(k) or "").strip()[:1100] for k in FIELDS}
        try:
            record = importer.add_one(db(), current_user, data, now=utcnow())
        except importer.ImportRejected as exc:
            db().rollback()
            errors = {}
            for p in exc.problems:
                errors.setdefault(p.column or "__all__", tr(p))
        else:
            flash(_("Record %(id)s added: %(province)s tier %(tier)s from %(date)s.",
                    id=record.id, province=record.province, tier=record.tier,
                    date=record.effective_from.isoformat()), "success")
            return redirect(url_for("registry.new"))
    return render_template("registry/admin.html", data=data, errors=errors,
                           provinces=provinces.PROVINCES, recent=_recent()), \
        400 if errors else 200


@bp.route("/admin/import", methods=["GET", "POST"])
@login_required
def upload():
    require(current_user, "standards.manage")
    problems, changes, content = [], None, ""
    if request.method == "POST":
        file = request.files.get("file")
        if file is not None and file.filename:
            data = file.read(importer.MAX_BYTES + 1)
        else:
            data = (request.form.get("content") or "").encode("utf-8")
        dry_run = request.form.get("action") != "import"
        try:
            changes, records = importer.import_csv(db(), current_user, data, now=utcnow(),
                                                   dry_run=dry_run)
        except importer.ImportRejected as exc:
            db().rollback()
            problems = [{"row": p.row, "column": p.column, "message": tr(p)}
                        for p in exc.problems]
        else:
            if not dry_run:
                flash(_("%(n)s records added.", n=len(records)), "success")
                return redirect(url_for("registry.new"))
            content = data.decode("utf-8-sig")
    return render_template("registry/import.html", problems=problems, changes=changes,
                           content=content, max_rows=importer.MAX_ROWS), \
        400 if problems else 200
