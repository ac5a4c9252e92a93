"""Negotiations: my negotiations, a new one, and the negotiation page with its procedure forms.

Thin views: parse the form, call one service function, render the page or the fragment. Each
procedure form posts to its own URL; htmx swaps the form itself (``hx-target`` = its id) with
the messages beside the fields (400), and on success sends the browser to the page again. An
inline check (``?check=1``) validates without writing. Without JavaScript the same URLs answer
with the whole page (400 with the messages) or a redirect.
"""
from __future__ import annotations

from flask import (Blueprint, Response, abort, flash, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from app.agreements import ratification
from app.auth.models import OrgKind
from app.errors import Conflict, IllegalTransition, ValidationError
from app.auth.permissions import require
from app.db import utcnow
from app.ids import parse_id
from app.negotiations import overview, service
from app.negotiations import offers as offer_service
from app.negotiations import records as nrecords
from app.negotiations import representatives as rep_service
from app.negotiations import steps as step_service
from app.negotiations import variant_service
from app.negotiations import offer_preview
from app.web import negotiations_offer as offer_view
from app.web import negotiations_view as view
from app.web.database import db
from app.web.errors import required_version
from app.web.errors import field_messages, render_error, translated
from app.web.extensions import htmx
from app.web.forms import posted_form
from app.web.htmx import render_page_or_fragment

bp = Blueprint("negotiations", __name__, url_prefix="/negotiations")



@bp.before_request
@login_required
def _signed_in():
    return None


bp.app_context_processor(view.helpers)


def _load(negotiation_id: int):
    """The negotiation if the user may see it (NotFound → 404 by app.web.errors)."""
    return nrecords.get_negotiation(db(), current_user, negotiation_id)


# -- list and new -----------------------------------------------------------------------------
@bp.get("/")
def index():
    require(current_user, "negotiation.list")
    rows = service.dashboard(db(), current_user, now=utcnow())
    return render_template("negotiations/index.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
def new():
    require(current_user, "negotiation.create")
    org = current_user.organisation
    data = {"province": org.province, "city": org.city,
            "sector": org.sector.value if org.sector else ""}
    if org.kind is OrgKind.union:
        data["worker_org_id"] = org.id
    elif org.kind is OrgKind.platform:
        data["employer_org_id"] = org.id
    elif org.kind is OrgKind.mediator:
        data["mediator_org_id"] = org.id
    errors, status = {}, 200
    if request.method == "POST":
        data = posted_form()
        check = request.args.get("check") == "1"
        try:
            created = service.create_negotiation(db(), current_user, data, now=utcnow(),
                                                 check_only=check)
        except ValidationError as exc:
            errors, status = field_messages(exc), (200 if check else 400)
        else:
            if not check:
                flash(_("Negotiation opened."), "success")
                return _go(url_for("negotiations.show", negotiation_id=created.id))
    return render_page_or_fragment("negotiations/new.html", "negotiations/_new_form.html",
                                   "new-negotiation", status, data=data, errors=errors,
                                   **view.choices())


def _go(url: str):
    """After a successful post: htmx reloads the page there, a plain form is redirected."""
    if htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url)


# -- the negotiation page -------------------------------------------------------------------------
def _page_context(negotiation, **extra):
    ctx = overview.page(db(), current_user, negotiation, now=utcnow(), lang=view.lang())
    ctx["key_terms"] = view.offer_term_keys(ctx)
    ctx["grounds"] = view.grounds()
    ctx.update(errors={}, form_id=None, values={})
    ctx.update(extra)
    if ctx["form_id"] == "form-offer" and "start" not in ctx:
        # The offer form open on the page: where it starts (the start it was posted with).
        values = ctx["values"]
        key = values.get("start") or (f"draft-{values['offer_id']}"
                                      if parse_id(values.get("offer_id")) else None)
        ctx.update(offer_view.form_context(negotiation, key, ctx["offers"]))
    return ctx


@bp.get("/<int:negotiation_id>")
def show(negotiation_id: int):
    negotiation = _load(negotiation_id)
    require(current_user, "negotiation.view", negotiation)
    return render_template("negotiations/show.html", **_page_context(negotiation))


@bp.get("/<int:negotiation_id>/offer-chart.svg")
def offer_chart(negotiation_id: int):
    negotiation = _load(negotiation_id)
    require(current_user, "negotiation.view", negotiation)
    visible = offer_service.offers(db(), current_user, negotiation, with_snapshots=False)
    series = overview.chart_series([o for o in visible if o.status != "draft"], view.lang())
    labels = {"worker": _("Worker side"), "employer": _("Employer side"), "x": _("Round"),
              "title": _("Offers by round"), "empty": _("No offers sent yet")}
    svg = view.offer_chart_svg(
        tuple((t["label"], tuple(t["worker"]), tuple(t["employer"])) for t in series),
        tuple(sorted(labels.items())))
    response = Response(svg, mimetype="image/svg+xml")
    # matplotlib writes style attributes; this SVG is an image, never a page with scripts.
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["Content-Language"] = view.lang()
    return response


# Each procedure form: its id on the page, the service call, the template of the form.
def _act(negotiation_id: int, form_id: str, call, template: str, done=None):
    """Run ``call`` on the posted form; on success ``done(negotiation, data, result)`` answers
    if given, else the page again with "Saved."."""
    negotiation = _load(negotiation_id)
    data = posted_form()
    check = request.args.get("check") == "1"
    try:
        result = call(negotiation, data, check)
    except ValidationError as exc:
        db().rollback()
        ctx = _page_context(negotiation, errors=field_messages(exc), form_id=form_id, values=data)
        status = 200 if check else 400
        return render_page_or_fragment("negotiations/show.html", template, form_id, status,
                                       **ctx)
    except IllegalTransition as exc:  # before Conflict, of which it is a kind
        db().rollback()
        return render_error(409, translated(exc.message))
    except Conflict as exc:
        # The whole page, with what the other person saved (their draft) beside the message.
        db().rollback()
        return render_template("negotiations/show.html", conflict=translated(exc.message),
                               **_page_context(negotiation)), 409
    except StaleDataError:
        db().rollback()
        return render_error(409, _("Someone else changed this negotiation. Reload and try "
                                   "again."))
    if check:
        ctx = _page_context(negotiation, form_id=form_id, values=data)
        return render_page_or_fragment("negotiations/show.html", template, form_id, 200, **ctx)
    if done is not None:
        return done(negotiation, data, result)
    flash(_("Saved."), "success")
    return _go(url_for("negotiations.show", negotiation_id=negotiation_id))


def _svc(fn, *ids):
    def call(negotiation, data, check):
        return fn(db(), current_user, negotiation.id, *ids, data, now=utcnow(),
                  check_only=check)
    return call


@bp.post("/<int:negotiation_id>/offers")
def offer(negotiation_id: int):
    """The offer form: ``action`` "draft" saves a draft, "review" shows what sending would do
    (the confirmation: terms, changes, headline figures, the reply period it starts), "edit"
    goes back to the form from there, "send" sends it in writing. Any other (or none, as an
    inline check) is "review": only the confirmation's own button sends."""
    draft_id = parse_id(request.form.get("offer_id"))
    if draft_id is not None:
        required_version(request.form)
    action = request.form.get("action")
    if action not in ("draft", "edit", "send"):
        action = "review"

    def call(negotiation, data, check):
        if action == "draft":
            return offer_service.save_offer_draft(db(), current_user, negotiation.id, data,
                                                  now=utcnow(), offer_id=draft_id, check_only=check)
        if action == "edit":
            return None
        if action == "review" and not check:
            return offer_preview.preview_offer(db(), current_user, negotiation.id, data,
                                               now=utcnow(), lang=view.lang())
        first = negotiation.state in ("preparing", "refused")
        sent = offer_service.send_offer(db(), current_user, negotiation.id, data, now=utcnow(),
                                        offer_id=draft_id, check_only=check)
        return sent and (sent, first)

    def done(negotiation, data, result):
        if action in ("review", "edit"):
            values = {k: v for k, v in data.items() if k != "action"}
            ctx = _page_context(negotiation, form_id="form-offer", values=values,
                                offer_preview=result)
            return render_page_or_fragment("negotiations/show.html",
                                           "negotiations/_form_offer.html", "form-offer", 200,
                                           **ctx)
        if action == "draft":
            flash(_("Draft saved: only your side sees it."), "success")
        else:
            sent, first = result
            due = offer_preview.open_reply_due(db(), negotiation, nrecords.local_today(utcnow()))
            flash(offer_view.sent_message(sent, first, due if first else None), "success")
        return _go(url_for("negotiations.show", negotiation_id=negotiation.id))
    return _act(negotiation_id, "form-offer", call, "negotiations/_form_offer.html", done)


@bp.post("/<int:negotiation_id>/offers/<int:offer_id>/withdraw")
def withdraw_draft(negotiation_id: int, offer_id: int):
    negotiation = _load(negotiation_id)
    # NotFound → 404, IllegalTransition → 409 with its message, by app.web.errors.
    offer_service.withdraw_offer_draft(db(), current_user, negotiation.id, offer_id,
                                       now=utcnow())
    return _go(url_for("negotiations.show", negotiation_id=negotiation_id))


@bp.post("/<int:negotiation_id>/reply")
def reply(negotiation_id: int):
    return _act(negotiation_id, "form-reply", _svc(offer_service.reply_to_offer),
                "negotiations/_form_reply.html")


@bp.post("/<int:negotiation_id>/meetings")
def meeting(negotiation_id: int):
    return _act(negotiation_id, "form-meeting", _svc(step_service.record_meeting),
                "negotiations/_form_meeting.html")


@bp.post("/<int:negotiation_id>/votes")
def vote(negotiation_id: int):
    # On the frozen agreement version the form names (app.agreements.ratification).
    return _act(negotiation_id, "form-vote", _svc(ratification.record_vote),
                "negotiations/_form_vote.html")


@bp.post("/<int:negotiation_id>/filings")
def filing(negotiation_id: int):
    return _act(negotiation_id, "form-file", _svc(step_service.file_agreement),
                "negotiations/_form_file.html")


@bp.post("/<int:negotiation_id>/variant")
def variant(negotiation_id: int):
    """Change the kind of consultation (rule set) until the first offer is sent."""
    def call(negotiation, data, check):
        if not check:
            variant_service.change_variant(db(), current_user, negotiation.id, data,
                                           now=utcnow())
    return _act(negotiation_id, "form-variant", call, "negotiations/_form_variant.html")


@bp.post("/<int:negotiation_id>/objection")
def objection(negotiation_id: int):
    return _act(negotiation_id, "form-objection", _svc(step_service.record_objection),
                "negotiations/_form_objection.html")


@bp.post("/<int:negotiation_id>/steps/<event>")
def step(negotiation_id: int, event: str):
    if event not in {e.value for e in step_service.STEP_FIELDS}:
        abort(404)

    def call(negotiation, data, check):
        return step_service.record_step(db(), current_user, negotiation.id, event, data,
                                        now=utcnow(), check_only=check)
    return _act(negotiation_id, f"form-{event}", call, "negotiations/_form_step.html")


@bp.post("/<int:negotiation_id>/representatives")
def representative(negotiation_id: int):
    return _act(negotiation_id, "form-rep", _svc(rep_service.add_representative),
                "negotiations/_form_rep.html")


@bp.post("/<int:negotiation_id>/representatives/<int:rep_id>/vacate")
def vacate(negotiation_id: int, rep_id: int):
    def call(negotiation, data, check):
        return rep_service.vacate_representative(db(), current_user, negotiation.id, rep_id,
                                                 data, now=utcnow(), check_only=check)
    return _act(negotiation_id, "form-vacate", call, "negotiations/_form_vacate.html")


@bp.post("/<int:negotiation_id>/notes")
def note(negotiation_id: int):
    return _act(negotiation_id, "form-note", _svc(service.add_note),
                "negotiations/_form_note.html")


@bp.get("/<int:negotiation_id>/actions/<event>")
def action_form(negotiation_id: int, event: str):
    """One form of "Next steps" (``event``: its key, e.g. ``offer``, ``meeting`` or a step's
    event such as ``suspend``), or ``rep``, the representatives card's forms: the fragment for
    htmx (the page fetches it when its details are opened), else the whole page with that form
    open. 404 unless the form is offered to this user now, as on the page."""
    negotiation = _load(negotiation_id)
    require(current_user, "negotiation.view", negotiation)
    ctx = view.action_context(negotiation, event)
    if ctx is None:
        abort(404)
    if ctx["form"] == "offer":  # where it starts: ?start=<key> (?draft=<id>: edit that draft)
        draft = request.args.get("draft")
        key = request.args.get("start") or (f"draft-{draft}" if draft is not None else None)
        ctx.update(offer_view.form_context(negotiation, key, ctx["offers"]))
    if not htmx:
        return render_template("negotiations/show.html", **_page_context(
            negotiation, form_id=ctx["form_id"],
            **{k: ctx[k] for k in ("start", "draft") if k in ctx}))
    return render_template("negotiations/_action_form.html", **ctx)


@bp.get("/<int:negotiation_id>/steps/<int:step_id>/correct")
def correct_form(negotiation_id: int, step_id: int):
    """The "correct a date" form of one step: the fragment for htmx (the page fetches it when
    the step's details are opened), else the whole page with that form open."""
    negotiation = _load(negotiation_id)
    require(current_user, "negotiation.view", negotiation)
    step = next((s for s in nrecords.step_rows(db(), negotiation) if s.id == step_id), None)
    if step is None:
        abort(404)
    form_id = f"form-correct-{step_id}"
    if not htmx:
        return render_template("negotiations/show.html",
                               **_page_context(negotiation, form_id=form_id))
    return render_template("negotiations/_form_correct.html", negotiation=negotiation,
                           step=step, form_id=form_id, errors={}, values={})


@bp.post("/<int:negotiation_id>/steps/<int:step_id>/correct")
def correct(negotiation_id: int, step_id: int):
    negotiation = _load(negotiation_id)
    if step_id not in {s.id for s in nrecords.step_rows(db(), negotiation)}:
        abort(404)

    def call(negotiation, data, check):
        if check:  # the correction is checked as a whole, by replaying the history, on submit
            return None
        return step_service.correct_step(db(), current_user, negotiation.id, step_id, data,
                                         now=utcnow())
    return _act(negotiation_id, f"form-correct-{step_id}", call,
                "negotiations/_form_correct.html")

