"""Administration: organisations (site admin), users (site admin, organisation admins), audit."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from app.audit import AuditEntry
from app.auth.models import Organisation, OrgKind, Role, Sector, User
from app.auth.permissions import require
from app.errors import Conflict, ValidationError
from app.auth.service import save_organisation, save_user
from app.db import utcnow
from app.ids import parse_id
from app.web.database import db
from app.web.errors import field_messages, required_version
from app.web.forms import posted_form

bp = Blueprint("admin", __name__, url_prefix="/admin")

AUDIT_PAGE_SIZE = 50


@bp.before_request
@login_required
def _signed_in():
    require(current_user, "admin.view")


def _get_or_404(model, ident: int):
    obj = db().get(model, ident)
    if obj is None:
        abort(404)
    return obj


def _form_data(*, checkboxes: tuple[str, ...] = ()) -> dict:
    data = posted_form()
    for name in checkboxes:
        data[name] = name in request.form
    return data


KIND_ORDER = {kind: i for i, kind in enumerate(OrgKind)}


def _organisations():
    """Unions, platforms, their labour partners, mediators; by name within each kind."""
    orgs = db().scalars(select(Organisation).order_by(Organisation.name)).all()
    return sorted(orgs, key=lambda o: KIND_ORDER[o.kind])


@bp.get("/")
def index():
    if current_user.is_site_admin:
        return redirect(url_for("admin.organisations"))
    return redirect(url_for("admin.users"))


@bp.get("/organisations")
def organisations():
    require(current_user, "organisation.list")
    return render_template("admin/organisations.html", organisations=_organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
def organisation_form(org_id: int | None = None):
    org = _get_or_404(Organisation, org_id) if org_id else None
    require(current_user, "organisation.edit" if org else "organisation.create", org)
    errors: dict = {}
    conflict = False
    data = org.snapshot() if org else {"province": "河南省"}
    if request.method == "POST":
        if org:
            required_version(request.form)
        data = _form_data(checkboxes=("is_active",) if org else ())
        try:
            saved = save_organisation(db(), current_user, data, now=utcnow(), organisation=org)
        except ValidationError as exc:
            errors = field_messages(exc)
        except (Conflict, StaleDataError):
            # Show what the other person saved, with the current version to save over it.
            db().rollback()
            db().refresh(org)
            data, conflict = org.snapshot(), True
            errors = {"__all__": _("This organisation was changed by someone else. Your changes "
                                   "were not saved; the form shows theirs.")}
        else:
            flash(_("Organisation saved."), "success")
            return redirect(url_for("admin.organisations", _anchor=f"org-{saved.id}"))
    platforms = [o for o in _organisations() if o.kind is OrgKind.platform]
    return render_template("admin/organisation_form.html", org=org, data=data, errors=errors,
                           kinds=list(OrgKind), sectors=list(Sector), platforms=platforms), \
        409 if conflict else 400 if errors else 200


def _manageable_organisations():
    if current_user.is_site_admin:
        return _organisations()
    return [current_user.organisation]


@bp.get("/users")
def users():
    require(current_user, "user.list", current_user.organisation)
    query = select(User).order_by(User.organisation_id, User.username)
    if not current_user.is_site_admin:
        query = query.where(User.organisation_id == current_user.organisation_id)
    return render_template("admin/users.html", users=db().scalars(query).all())


@bp.route("/users/new", methods=["GET", "POST"])
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_form(user_id: int | None = None):
    user = _get_or_404(User, user_id) if user_id else None
    if user is not None:
        require(current_user, "user.edit", user)
    else:
        require(current_user, "user.create", current_user.organisation)
    errors: dict = {}
    data = user.snapshot() if user else {"organisation_id": current_user.organisation_id,
                                         "role": Role.member.value}
    if request.method == "POST":
        data = _form_data(checkboxes=("is_site_admin", "is_active") if user
                          else ("is_site_admin",))
        try:
            save_user(db(), current_user, data, now=utcnow(), user=user)
        except ValidationError as exc:
            errors = field_messages(exc)
        except StaleDataError:
            abort(409, _("This account was changed by someone else. Reload and try again."))
        else:
            flash(_("Account saved."), "success")
            return redirect(url_for("admin.users"))
    data.pop("password", None)
    return render_template("admin/user_form.html", user=user, data=data, errors=errors,
                           roles=list(Role), organisations=_manageable_organisations()), \
        400 if errors else 200


@bp.get("/audit")
def audit_log():
    require(current_user, "audit.view")
    page = request.args.get("page", "1")
    page = min(parse_id(page) or 1, 10**6)
    entries = db().scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc())
        .offset((page - 1) * AUDIT_PAGE_SIZE).limit(AUDIT_PAGE_SIZE + 1)).all()
    return render_template("admin/audit.html", entries=entries[:AUDIT_PAGE_SIZE], page=page,
                           has_next=len(entries) > AUDIT_PAGE_SIZE)
