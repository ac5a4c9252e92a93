"""Write side of negotiations: every change goes through one of these functions.

Each function takes ``(session, actor, ..., now)``; validates (``ValidationError`` with Chinese
messages keyed by form field, nothing written), checks access (``PermissionDenied``; a
negotiation the actor may not see is ``NotFound``), runs the procedure through
``workflow.advance`` (``IllegalTransition``), writes the audit log and commits once.

Form-shaped input (``Mapping[str, str]``) is parsed here (with :mod:`.fields`) so that the web
layer stays thin and the same messages appear beside the same fields in the inline check and on
submit.
"""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, defer, joinedload

from app import audit
from app.auth.models import Organisation, OrgKind, Sector
from app.auth.permissions import PermissionDenied, require
from app.ids import parse_id

from . import variant_fields
from . import access, fields, rules, terms as terms_mod, workflow
from .errors import Conflict, IllegalTransition, NotFound, ValidationError
from .models import (EMPLOYER, SIDES, WORKER, Filing, Meeting, Negotiation, Note, Offer,
                     ProcedureStep, Representative, Vote)
from .deadlines import deadlines, flags, next_deadline
from .workflow import Event as E, State as S

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _atomic(fn):
    """Roll the session back on any error, so a refused change leaves nothing behind."""
    @functools.wraps(fn)
    def wrapper(session, *args, **kwargs):
        try:
            return fn(session, *args, **kwargs)
        except BaseException:
            session.rollback()
            raise
    return wrapper


def local_today(now: dt.datetime) -> dt.date:
    """The legal date (Asia/Shanghai) of the instant ``now``."""
    return now.astimezone(SHANGHAI).date()


# --- loading and access --------------------------------------------------------------------------
def get_negotiation(session: Session, actor, negotiation_id: int) -> Negotiation:
    """The negotiation if ``actor`` may see it; ``NotFound`` otherwise (existence not revealed)."""
    negotiation = session.get(Negotiation, negotiation_id, options=_with_parties())
    if negotiation is None or not access.side_of(actor, negotiation) \
            or not getattr(actor, "is_active", False):
        raise NotFound("negotiation")
    return negotiation


@functools.cache
def _with_parties() -> tuple:
    """The loader options of ``get_negotiation`` (its four organisations), built once."""
    return (joinedload(Negotiation.worker_org), joinedload(Negotiation.employer_org),
            joinedload(Negotiation.partner_org), joinedload(Negotiation.mediator_org))


def _side(actor, negotiation) -> str | None:
    return access.side_of(actor, negotiation)


def parties(negotiation: Negotiation) -> dict[str, Organisation | None]:
    """The organisations of a negotiation: ``worker``, ``employer``, ``partner``, ``mediator``."""
    return {"worker": negotiation.worker_org, "employer": negotiation.employer_org,
            "partner": negotiation.partner_org, "mediator": negotiation.mediator_org}


def _json_ready(data: Mapping[str, Any]) -> dict:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}


def _workflow_data(data: Mapping[str, Any]) -> dict:
    """Step data as the workflow reads it: ISO dates under ``*_on`` keys back to dates."""
    out = {}
    for key, value in (data or {}).items():
        if key.endswith("_on") and isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                pass
        out[key] = value
    return out


def step_rows(session: Session, negotiation: Negotiation, *,
              with_recorders: bool = False) -> list[ProcedureStep]:
    """The effective history: each step replaced by its latest correction, in recorded order.

    ``with_recorders`` loads who recorded each step in the same query (for the timeline).
    """
    return effective_rows(session.scalars(_steps_query(with_recorders),
                                          {"negotiation_id": negotiation.id}).all())


# The page's statements are built once (building one costs about as much as running it).
@functools.cache
def _steps_query(with_recorders: bool):
    query = select(ProcedureStep).where(
        ProcedureStep.negotiation_id == bindparam("negotiation_id")).order_by(ProcedureStep.id)
    if with_recorders:
        query = query.options(joinedload(ProcedureStep.recorded_by))
    return query


def effective_rows(rows: Iterable[ProcedureStep]) -> list[ProcedureStep]:
    """The effective history of one negotiation's recorded steps (any order): each step
    replaced by its latest correction, at the original's position (see ``step_rows``)."""
    rows = sorted(rows, key=lambda r: r.id)
    by_id = {r.id: r for r in rows}

    def root(row: ProcedureStep) -> int:
        while row.corrects_id is not None:
            row = by_id[row.corrects_id]
        return row.id

    effective: dict[int, ProcedureStep] = {}
    for row in rows:
        effective[root(row)] = row  # later corrections win
    return [effective[k] for k in sorted(effective)]


def steps_of(rows: Iterable[ProcedureStep]) -> list[workflow.Step]:
    """Effective step rows (see ``step_rows``) as ``workflow.Step`` values."""
    return [workflow.Step(r.event, r.on, _workflow_data(r.data)) for r in rows]


def history(session: Session, negotiation: Negotiation) -> list[workflow.Step]:
    """The negotiation's history as ``workflow.Step`` values (see ``workflow``)."""
    return steps_of(step_rows(session, negotiation))


def _audit(session, actor, negotiation, action, *, before=None, after=None, now) -> None:
    audit.record(session, actor=actor, action=f"negotiation.{action}", target_type="negotiation",
                 target_id=negotiation.id, before=before, after=after, now=now)


def _record(session: Session, actor, negotiation: Negotiation, event: E, on: dt.date,
            data: Mapping[str, Any], *, now: dt.datetime) -> ProcedureStep:
    """Check ``event`` against the procedure, append the step and move the state (no commit)."""
    before = negotiation.state
    step = workflow.Step(event, on, _workflow_data(_json_ready(data)))
    new_state = workflow.advance(history(session, negotiation), step,
                                 vote_required=negotiation.ruleset.vote_required)
    row = ProcedureStep(negotiation_id=negotiation.id, event=event.value, on=on,
                        data=_json_ready(data), recorded_by_id=getattr(actor, "id", None),
                        recorded_at=now)
    session.add(row)
    negotiation.state = new_state.value
    negotiation.updated_at = now
    session.flush()
    _audit(session, actor, negotiation, f"step.{event.value}",
           before={"state": before}, after={"state": new_state.value, **row.snapshot(),
                                             "step_id": row.id}, now=now)
    return row


# --- negotiations --------------------------------------------------------------------------------
def _org(session, form, key, errors, kinds, *, required=True,
         label="组织") -> Organisation | None:
    raw = str(form.get(key) or "").strip()
    if not raw:
        if required:
            errors[key] = f"请选择{label}"
        return None
    org = session.get(Organisation, pid) if (pid := parse_id(raw)) else None
    if org is None or org.kind not in kinds or not org.is_active:
        errors[key] = f"请选择有效的{label}"
        return None
    return org


def validate_negotiation(session: Session, actor, form: Mapping) -> dict:
    """Parse and check the new-negotiation form; ``ValidationError`` keyed by field."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {
        "title": fields.text(form, "title", errors, required=True, label="协商名称"),
        "worker_org": _org(session, form, "worker_org_id", errors, {OrgKind.union},
                           label="职工方工会"),
        "employer_org": _org(session, form, "employer_org_id", errors, {OrgKind.platform},
                             label="平台企业"),
        "partner_org": _org(session, form, "partner_org_id", errors, {OrgKind.labour_partner},
                            required=False, label="用工合作企业"),
        "mediator_org": _org(session, form, "mediator_org_id", errors, {OrgKind.mediator},
                             required=False, label="调解组织"),
        "province": fields.text(form, "province", errors, required=True, max_len=50, label="省份"),
        "city": fields.text(form, "city", errors, required=True, max_len=50, label="城市"),
        "workers_covered": fields.text(form, "workers_covered", errors, required=True, max_len=2000,
                                 label="覆盖的劳动者"),
        "workers_count": fields.integer(form, "workers_count", errors, minimum=1),
    }
    out.update(variant_fields.parse(form, errors))
    sector = str(form.get("sector") or "").strip()
    if sector not in {s.value for s in Sector}:
        errors["sector"] = "请选择行业"
    out["sector"] = sector
    partner, employer = out["partner_org"], out["employer_org"]
    if partner and employer and partner.partner_of_id != employer.id:
        errors["partner_org_id"] = "该用工合作企业不是所选平台的合作企业"
    chosen = {o.id for o in (out["worker_org"], employer, partner, out["mediator_org"]) if o}
    if actor is not None and "worker_org_id" not in errors and "employer_org_id" not in errors \
            and actor.organisation_id not in chosen:
        errors["worker_org_id"] = "本单位须是协商的一方或调解组织"
    rules_json = form.get("current_rules")
    if isinstance(rules_json, str):
        rules_json = rules_json.strip() or None
        if rules_json is not None:
            import json
            try:
                rules_json = json.loads(rules_json)
            except ValueError:
                errors["current_rules"] = "现行规则应为 JSON 格式的方案"
                rules_json = None
    if rules_json is not None and "current_rules" not in errors:
        problem = terms_mod.check_scenario(rules_json)
        if problem:
            errors["current_rules"] = problem
    if rules_json is None and sector and "sector" not in errors:
        rules_json = terms_mod.preset_rules(sector)
    out["current_rules"] = rules_json
    fields.raise_any(errors)
    return out


@_atomic
def create_negotiation(session: Session, actor, form: Mapping, *, now: dt.datetime,
                       check_only: bool = False) -> Negotiation | None:
    """Open a negotiation in state ``preparing``; the actor's organisation must take part.

    With ``check_only`` the form is only validated (for inline checks) and None is returned.
    """
    require(actor, "negotiation.create")
    data = validate_negotiation(session, actor, form)
    if check_only:
        return None
    negotiation = Negotiation(
        title=data["title"], worker_org=data["worker_org"], employer_org=data["employer_org"],
        partner_org=data["partner_org"], mediator_org=data["mediator_org"],
        sector=data["sector"], province=data["province"], city=data["city"],
        workers_covered=data["workers_covered"], workers_count=data["workers_count"],
        current_rules=data["current_rules"], state=S.PREPARING.value, created_by_id=actor.id,
        created_at=now, updated_at=now, variant=data["variant"],
        variant_version=data["variant_version"],
        representatives_paid=data["representatives_paid"])
    session.add(negotiation)
    session.flush()
    _audit(session, actor, negotiation, "create", after=negotiation.snapshot(), now=now)
    session.commit()
    return negotiation


def negotiations_for(session: Session, actor) -> list[Negotiation]:
    """Every negotiation the actor's organisation takes part in, newest first."""
    return list(session.scalars(_negotiations_for_query(), {"org": actor.organisation_id}))


@functools.cache
def _negotiations_for_query():
    return select(Negotiation).where(Negotiation.has_party(bindparam("org"))) \
        .order_by(Negotiation.updated_at.desc(), Negotiation.id.desc())


@functools.cache
def _steps_of_negotiations_query():
    return select(ProcedureStep).where(
        ProcedureStep.negotiation_id.in_(bindparam("ids", expanding=True)))


def dashboard(session: Session, actor, *, now: dt.datetime) -> list[dict]:
    """My organisation's negotiations, each with its next deadline and flags, most urgent first.

    Each row: ``negotiation``, ``side``, ``next_deadline`` (``deadlines.Deadline`` or None),
    ``flags`` (``deadlines.Flag`` list).
    """
    today = local_today(now)
    negotiations = negotiations_for(session, actor)
    recorded: dict[int, list[ProcedureStep]] = {n.id: [] for n in negotiations}
    if negotiations:
        for row in session.scalars(_steps_of_negotiations_query(), {"ids": list(recorded)}):
            recorded[row.negotiation_id].append(row)
    rows = []
    for negotiation in negotiations:
        steps = steps_of(effective_rows(recorded[negotiation.id]))
        dates = deadlines(steps, today, ruleset=negotiation.ruleset)
        rows.append({"negotiation": negotiation, "side": _side(actor, negotiation),
                     "next_deadline": next_deadline(dates),
                     "flags": flags(steps, today, dates=dates)})
    far = dt.date.max
    rows.sort(key=lambda r: (r["next_deadline"].due if r["next_deadline"] else far))
    return rows


# --- representatives -----------------------------------------------------------------------------
def representatives(session: Session, negotiation: Negotiation) -> list[Representative]:
    return list(session.scalars(_representatives_query(), {"negotiation_id": negotiation.id}))


@functools.cache
def _representatives_query():
    return select(Representative).where(
        Representative.negotiation_id == bindparam("negotiation_id")).order_by(
        Representative.side.desc(), Representative.is_chief.desc(), Representative.id)


def delegation_problems(session: Session, negotiation: Negotiation,
                        reps: list[Representative] | None = None) -> list[str]:
    """``rules.check_delegations`` on the active representatives of both sides (``reps``: the
    negotiation's representatives if already loaded)."""
    if reps is None:
        reps = representatives(session, negotiation)
    active = [r for r in reps if r.active]

    def side(name):
        return [rules.Representative(r.name, r.is_chief, r.is_outside_expert, r.person_id)
                for r in active if r.side == name]
    return rules.check_delegations(side(WORKER), side(EMPLOYER))


@_atomic
def add_representative(session: Session, actor, negotiation_id: int, form: Mapping, *,
                       now: dt.datetime, check_only: bool = False) -> Representative:
    """Name a representative; a side names its own, the mediator records either side's.

    Rules checked at once: one chief per side, a chief is no outside expert, nobody on both
    sides, no one listed twice (第十九、二十三、二十四条). The numbers (at least 3, equal) are
    checked before the first meeting. ``replaces_id`` fills a vacated seat (第三十一条).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.representatives", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    side = str(form.get("side") or "").strip()
    if side not in SIDES:
        errors["side"] = "请选择职工方或企业方"
    elif _side(actor, negotiation) in SIDES and _side(actor, negotiation) != side:
        errors["side"] = "各方只能确定本方的协商代表（第二十、二十一条）"
    name = fields.text(form, "name", errors, required=True, max_len=100, label="姓名")
    is_chief = fields.boolean(form, "is_chief")
    is_expert = fields.boolean(form, "is_outside_expert")
    person_id = fields.text(form, "person_id", errors, max_len=64, label="身份标识") or None
    appointed_on = fields.date(form, "appointed_on", errors, default=today)
    fields.not_future(appointed_on, "appointed_on", today, errors)
    if is_chief and is_expert:
        errors["is_chief"] = "首席代表不得由外聘人员担任（第二十三条）"
    active = [r for r in representatives(session, negotiation) if r.active]
    replaces = None
    raw_replaces = str(form.get("replaces_id") or "").strip()
    if raw_replaces:
        replaces = (session.get(Representative, pid) if (pid := parse_id(raw_replaces))
                    else None)
        if replaces is None or replaces.negotiation_id != negotiation.id or replaces.active \
                or replaces.side != side:
            errors["replaces_id"] = "请选择本方已空缺的代表席位"
    if "side" not in errors and name:
        me = rules.Representative(name, is_chief, is_expert, person_id)
        for other in active:
            same = rules.Representative(other.name, False, False, other.person_id).identity() \
                == me.identity()
            if same and other.side == side:
                errors["name"] = f"{name}已是本方协商代表"
            elif same:
                errors["name"] = f"{name}已是对方协商代表，任何人不得代表双方（第二十四条）"
        if is_chief and any(r.is_chief and r.side == side for r in active):
            errors["is_chief"] = "本方已有首席代表，每方只能有一名首席代表（第十九条）"
    fields.raise_any(errors)
    if check_only:
        return None
    rep = Representative(negotiation_id=negotiation.id, side=side, name=name, is_chief=is_chief,
                         is_outside_expert=is_expert, person_id=person_id,
                         appointed_on=appointed_on, replaces_id=replaces.id if replaces else None)
    session.add(rep)
    session.flush()
    if replaces is not None:
        _record(session, actor, negotiation, E.VACANCY_FILLED, appointed_on,
                {"seat": str(replaces.id), "representative_id": rep.id}, now=now)
    _audit(session, actor, negotiation, "representative.add", after={"id": rep.id,
                                                                     **rep.snapshot()}, now=now)
    session.commit()
    return rep


@_atomic
def vacate_representative(session: Session, actor, negotiation_id: int, representative_id: int,
                          form: Mapping, *, now: dt.datetime,
                          check_only: bool = False) -> Representative:
    """Record that a seat fell vacant on ``on``; it must be filled within 15 days (第三十一条)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.representatives", negotiation)
    rep = session.get(Representative, representative_id)
    if rep is None or rep.negotiation_id != negotiation.id:
        raise NotFound("representative")
    errors: dict[str, str] = {}
    today = local_today(now)
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    reason = fields.text(form, "reason", errors, required=True, label="空缺原因")
    if not rep.active:
        errors["on"] = "该席位已空缺"
    side = _side(actor, negotiation)
    if side in SIDES and side != rep.side:
        raise PermissionDenied("negotiation.representatives")
    fields.raise_any(errors)
    if check_only:
        return None
    before = rep.snapshot()
    rep.vacated_on, rep.vacancy_reason = on, reason
    if negotiation.state not in {s.value for s in workflow.TERMINAL_STATES}:
        _record(session, actor, negotiation, E.VACANCY_AROSE, on,
                {"seat": str(rep.id), "reason": reason}, now=now)
    _audit(session, actor, negotiation, "representative.vacate", before=before,
           after=rep.snapshot(), now=now)
    session.commit()
    return rep


# --- offers --------------------------------------------------------------------------------------
def offers(session: Session, actor, negotiation: Negotiation, *,
           with_snapshots: bool = True) -> list[Offer]:
    """Offers the actor may see (drafts only of the actor's own side), in the order made.

    Without ``with_snapshots`` the large ``snapshot`` is loaded only if read (see
    ``offers_with_results`` for the part the negotiation page shows).
    """
    query = select(Offer).where(Offer.negotiation_id == negotiation.id) \
        .order_by(Offer.sent_at.is_(None), Offer.sent_at, Offer.id)
    if not with_snapshots:
        query = query.options(defer(Offer.snapshot))
    rows = session.scalars(query).all()
    side = _side(actor, negotiation)
    return [o for o in rows if _may_see(o, side)]


#: The statuses of an offer that was sent: the only offers another organisation ever sees.
SENT_STATUSES = ("sent", "superseded")


def _may_see(offer: Offer, side: str | None) -> bool:
    """Sent offers; drafts and withdrawn drafts (never sent) only by the actor's own side."""
    return offer.status in SENT_STATUSES or offer.side == side


def offers_with_results(session: Session, actor, negotiation: Negotiation
                        ) -> tuple[list[Offer], dict[int, Any]]:
    """``offers`` (without their snapshots) and by id the part of each one's
    ``snapshot["results"]`` that the negotiation page shows (the values at the paths of
    ``terms.RESULT_ROWS``, those that are set; None if none is), each read in the database in the
    same query: neither the scenario the offer was tested in nor the rest of its results (some
    kilobytes of JSON per offer) is decoded for the page."""
    paths = _RESULT_PATHS
    rows = session.execute(_offers_results_query(), {"negotiation_id": negotiation.id}).all()
    side = _side(actor, negotiation)
    visible = [row for row in rows if _may_see(row[0], side)]
    return ([row[0] for row in visible],
            {row[0].id: _nested(paths, row[1:], skip=1) for row in visible})


_RESULT_PATHS = [("results", *row[1]) for row in terms_mod.RESULT_ROWS]


@functools.cache
def _offers_results_query():
    return (select(Offer, *(Offer.snapshot[path] for path in _RESULT_PATHS))
            .where(Offer.negotiation_id == bindparam("negotiation_id"))
            .options(defer(Offer.snapshot))
            .order_by(Offer.sent_at.is_(None), Offer.sent_at, Offer.id))


def _nested(paths: list[tuple[str, ...]], values, *, skip: int = 0) -> dict | None:
    """The dict holding each value that is not None at its path (less its first ``skip``
    keys), or None if every value is None."""
    out: dict = {}
    for path, value in zip(paths, values):
        if value is None:
            continue
        node = out
        for key in path[skip:-1]:
            node = node.setdefault(key, {})
        node[path[-1]] = value
    return out or None


def sent_offers(session: Session, negotiation: Negotiation) -> list[Offer]:
    """Every offer sent in the negotiation (any side), in the order sent."""
    return list(session.scalars(select(Offer).where(
        Offer.negotiation_id == negotiation.id, Offer.status.in_(("sent", "superseded")))
        .order_by(Offer.sent_at, Offer.id)))


def accepted_offer(session: Session, negotiation: Negotiation,
                   rows: list[ProcedureStep] | None = None) -> Offer | None:
    """The offer whose terms the agreed draft carries (the ``offer_id`` of the last
    AGREE_DRAFT step), or None before a draft is agreed. Its ``terms`` are the agreed terms.
    ``rows``: the effective step rows (``step_rows``) if already loaded."""
    if rows is None:
        rows = step_rows(session, negotiation)
    for row in reversed(rows):
        if row.event == E.AGREE_DRAFT.value and row.data.get("offer_id"):
            return session.get(Offer, row.data["offer_id"])
    return None


def agreed_terms(session: Session, negotiation: Negotiation) -> dict | None:
    """The package of terms of the agreed draft, or None (see ``accepted_offer``)."""
    offer = accepted_offer(session, negotiation)
    return dict(offer.terms) if offer else None


def _pending_offer_side(session: Session, negotiation: Negotiation) -> str | None:
    return pending_offer_side(step_rows(session, negotiation))


def pending_offer_side(rows: Iterable[ProcedureStep]) -> str | None:
    """The side of the last written offer (SEND_OFFER) in the effective step rows, or None."""
    for row in reversed(list(rows)):
        if row.event == E.SEND_OFFER.value:
            return row.data.get("side")
    return None


@_atomic
def save_offer_draft(session: Session, actor, negotiation_id: int, form: Mapping, *,
                     now: dt.datetime,
                     check_only: bool = False, offer_id: int | None = None) -> Offer:
    """Create or change a draft offer of the actor's side; only that side sees it."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.offer", negotiation)
    side = _side(actor, negotiation)
    errors: dict[str, str] = {}
    terms = terms_mod.parse_terms(form, negotiation.current_rules, errors)
    rationale = fields.text(form, "rationale", errors, max_len=5000, label="理由")
    fields.raise_any(errors)
    if check_only:
        return None
    offer = _own_draft(session, actor, negotiation, offer_id) if offer_id else None
    _check_version(offer, form)
    before = offer.audit() if offer else None
    if offer is None:
        offer = Offer(negotiation_id=negotiation.id, side=side,
                      organisation_id=actor.organisation_id, terms=terms, rationale=rationale,
                      status="draft", created_by_id=actor.id, created_at=now)
        session.add(offer)
    else:
        offer.terms, offer.rationale = terms, rationale
    session.flush()
    _audit(session, actor, negotiation, "offer.draft", before=before,
           after={"offer_id": offer.id, **offer.audit()}, now=now)
    session.commit()
    return offer


def _check_version(offer: Offer | None, form: Mapping) -> None:
    """A draft saved from a form loaded before someone else's save is refused, not merged."""
    sent = str(form.get("version") or "").strip()
    if offer is not None and sent and sent != str(offer.version):
        raise Conflict("该草稿在你打开后已被他人修改，你的修改未保存")


def _own_draft(session, actor, negotiation, offer_id) -> Offer:
    offer = session.get(Offer, offer_id)
    if offer is None or offer.negotiation_id != negotiation.id \
            or not access.permissions.can(actor, "offer.view", (offer, negotiation)):
        raise NotFound("offer")
    if offer.status != "draft":
        raise IllegalTransition("已发出的要约不能修改，可以提出新的反要约")
    if offer.side != _side(actor, negotiation):
        raise PermissionDenied("negotiation.offer")
    return offer


@_atomic
def send_offer(session: Session, actor, negotiation_id: int, form: Mapping, *,
               now: dt.datetime,
               check_only: bool = False, offer_id: int | None = None, scenario: dict | None = None,
               results: dict | None = None) -> Offer:
    """Send the actor's side's offer (要约) or counter-offer (反要约) in writing.

    The first offer (state preparing or refused) is SEND_OFFER; the other side's answer while
    it awaits a reply, or any offer in consultation, is COUNTER_OFFER. The side's previous sent
    offer becomes ``superseded``. ``snapshot`` keeps the terms, today's rules, the scenario the
    package was tested in (given, or today's rules with the terms applied) and ``results``
    (given, or the package's effect against today's rules, ``terms.effect_results``).
    Form keys: ``terms.<PayRules field>``, ``rationale``, ``on`` (default today),
    ``received_on`` (default ``on``).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.offer", negotiation)
    side = _side(actor, negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    terms = terms_mod.parse_terms(form, negotiation.current_rules, errors)
    rationale = fields.text(form, "rationale", errors, max_len=5000, label="理由")
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    received_on = fields.date(form, "received_on", errors, required=False, default=on)
    fields.not_future(received_on, "received_on", today, errors)
    if on and received_on and received_on < on:
        errors["received_on"] = "对方收到日期不能早于发出日期"
    fields.raise_any(errors)
    if check_only:
        return None
    state = S(negotiation.state)
    if state in (S.PREPARING, S.REFUSED):
        event = E.SEND_OFFER
    else:
        event = E.COUNTER_OFFER
        if state == S.OFFER_SENT and _pending_offer_side(session, negotiation) == side:
            raise IllegalTransition("本方已发出要约，须等待对方书面答复（第三十二条）",
                                    state=state, event=event)
    previous = [o for o in sent_offers(session, negotiation) if o.side == side]
    offer = _own_draft(session, actor, negotiation, offer_id) if offer_id else None
    _check_version(offer, form)
    if offer is None:
        offer = Offer(negotiation_id=negotiation.id, side=side,
                      organisation_id=actor.organisation_id, created_by_id=actor.id,
                      created_at=now, status="draft", terms=terms)
        session.add(offer)
    offer.terms, offer.rationale = terms, rationale
    offer.round = len(previous) + 1
    offer.status, offer.sent_at, offer.sent_on = "sent", now, on
    if scenario is None:
        scenario = terms_mod.apply_terms(negotiation.current_rules, terms)
    if results is None:
        results = terms_mod.effect_results(scenario, negotiation.current_rules)
    offer.snapshot = {
        "terms": terms, "current_rules": negotiation.current_rules, "scenario": scenario,
        "results": results, "seed": terms_mod.SNAPSHOT_SEED if results else None,
        "captured_at": now.isoformat(),
    }
    session.flush()
    data = {"side": side, "offer_id": offer.id, "round": offer.round, "in_writing": True}
    if event == E.SEND_OFFER:
        data["received_on"] = received_on
    step = _record(session, actor, negotiation, event, on, data, now=now)
    offer.step_id = step.id
    for old in previous:
        if old.status == "sent":
            old.status = "superseded"
    _audit(session, actor, negotiation, "offer.send", after={"offer_id": offer.id,
                                                             **offer.audit()}, now=now)
    session.commit()
    return offer


@_atomic
def withdraw_offer_draft(session: Session, actor, negotiation_id: int, offer_id: int, *,
                         now: dt.datetime) -> Offer:
    """Withdraw (discard) a draft of the actor's side; it stays in the record as withdrawn."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    offer = _own_draft(session, actor, negotiation, offer_id)
    offer.status = "withdrawn"
    _audit(session, actor, negotiation, "offer.withdraw", after={"offer_id": offer.id}, now=now)
    session.commit()
    return offer


@_atomic
def reply_to_offer(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime, check_only: bool = False) -> ProcedureStep:
    """The written reply of the side that received the offer: ``answer`` accept or refuse.

    A refusal should state a reason; without one it is recorded but flagged (第三十二条).
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.reply", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    answer = str(form.get("answer") or "").strip()
    if answer not in ("accept", "refuse"):
        errors["answer"] = "请选择同意协商或拒绝协商"
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    reason = fields.text(form, "reason", errors, max_len=2000, label="理由")
    fields.raise_any(errors)
    if check_only:
        return None
    if negotiation.state == S.OFFER_SENT.value \
            and _pending_offer_side(session, negotiation) == _side(actor, negotiation):
        raise PermissionDenied("要约须由收到要约的一方答复")
    event = E.ACCEPT if answer == "accept" else E.REFUSE
    step = _record(session, actor, negotiation, event, on, {"reason": reason}, now=now)
    session.commit()
    return step


# --- meetings, votes, filing ---------------------------------------------------------------------
def _chiefs(session, negotiation) -> dict[str, Representative]:
    return {r.side: r for r in representatives(session, negotiation) if r.active and r.is_chief}


def chief_names(session: Session, negotiation: Negotiation) -> dict[str, str]:
    """Each side's chief representative's name (the signatories of the documents)."""
    return {side: rep.name for side, rep in _chiefs(session, negotiation).items()}


def default_chair_side(session: Session, negotiation: Negotiation,
                       meetings: list[Meeting] | None = None) -> str:
    """The chiefs take turns to chair (第三十四条): the worker chief first, then alternately.
    ``meetings``: the negotiation's meetings if already loaded (any order)."""
    if meetings is not None:
        last = max(meetings, key=lambda m: m.number, default=None)
    else:
        last = session.scalar(select(Meeting).where(Meeting.negotiation_id == negotiation.id)
                              .order_by(Meeting.number.desc()).limit(1))
    if last is None:
        return WORKER
    return EMPLOYER if last.chair_side == WORKER else WORKER


@_atomic
def record_meeting(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime, check_only: bool = False) -> Meeting:
    """Record a consultation meeting and its minutes (第三十三、三十四条).

    The chair defaults to the chief whose turn it is; the minute-taker must be named and may not
    be a representative. Both delegations must be complete before a meeting.
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    held_on = fields.date(form, "held_on", errors, default=today)
    fields.not_future(held_on, "held_on", today, errors)
    place = fields.text(form, "place", errors, required=True, label="地点")
    chair_side = str(form.get("chair_side") or "").strip() or default_chair_side(
        session, negotiation)
    if chair_side not in SIDES:
        errors["chair_side"] = "请选择主持会议的一方"
    chiefs = _chiefs(session, negotiation)
    chair_name = fields.text(form, "chair_name", errors, max_len=100, label="主持人")
    if not chair_name and chair_side in chiefs:
        chair_name = chiefs[chair_side].name
    if chair_side in SIDES and "chair_side" not in errors:
        if chair_side not in chiefs:
            errors["chair_side"] = "该方尚未指定首席代表"
        elif chair_name != chiefs[chair_side].name:
            errors["chair_name"] = "会议由双方首席代表轮流主持（第三十四条）"
    minute_taker = fields.text(form, "minute_taker", errors, required=True, max_len=100,
                         label="记录员")
    names = {r.name.strip() for r in representatives(session, negotiation) if r.active}
    if minute_taker and minute_taker in names:
        errors["minute_taker"] = "记录员须由非协商代表担任（第三十三条）"
    agenda = fields.text(form, "agenda", errors, required=True, max_len=5000, label="议程")
    attendance = fields.text(form, "attendance", errors, max_len=5000, label="出席情况")
    minutes = fields.text(form, "minutes", errors, max_len=20000, label="会议记录")
    outcome = fields.text(form, "outcome", errors, max_len=5000, label="会议结果")
    fields.raise_any(errors)
    if check_only:
        return None
    problems = delegation_problems(session, negotiation)
    if problems:
        raise IllegalTransition("协商代表不符合规定，不能召开协商会议：" + "；".join(problems))
    number = (session.scalar(select(func.max(Meeting.number)).where(
        Meeting.negotiation_id == negotiation.id)) or 0) + 1
    step = _record(session, actor, negotiation, E.HOLD_MEETING, held_on,
                   {"meeting_number": number, "place": place}, now=now)
    meeting = Meeting(negotiation_id=negotiation.id, number=number, held_on=held_on, place=place,
                      chair_side=chair_side, chair_name=chair_name, minute_taker=minute_taker,
                      agenda=agenda, attendance=attendance, minutes=minutes, outcome=outcome,
                      step_id=step.id, recorded_by_id=actor.id, recorded_at=now)
    session.add(meeting)
    session.flush()
    _audit(session, actor, negotiation, "meeting.record",
           after={"meeting_id": meeting.id, **meeting.audit()}, now=now)
    session.commit()
    return meeting


@_atomic
def record_vote(session: Session, actor, negotiation_id: int, form: Mapping, *,
                now: dt.datetime, check_only: bool = False) -> Vote:
    """Record the workers' vote on the draft (第三十六条); the result follows from the numbers."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    held_on = fields.date(form, "held_on", errors, default=today)
    fields.not_future(held_on, "held_on", today, errors)
    body = str(form.get("body") or "congress").strip()
    if body not in ("congress", "all_employees"):
        errors["body"] = "请选择职工代表大会或全体职工"
    members = fields.integer(form, "members", errors, minimum=1)
    present = fields.integer(form, "present", errors)
    in_favour = fields.integer(form, "in_favour", errors)
    ballot = variant_fields.ballot(form, errors)
    if not errors:
        try:
            result = rules.ratification_passes(members, present, in_favour)
        except ValidationError as exc:
            errors.update(exc.errors)
    fields.raise_any(errors)
    if check_only:
        return None
    event = workflow.vote_event(members, present, in_favour)
    step = _record(session, actor, negotiation, event, held_on,
                   {"members": members, "present": present, "in_favour": in_favour,
                    "body": body, **ballot}, now=now)
    vote = Vote(negotiation_id=negotiation.id, held_on=held_on, body=body, members=members,
                present=present, in_favour=in_favour, quorum=result.quorum, passed=result.passes,
                step_id=step.id, recorded_by_id=actor.id, recorded_at=now)
    session.add(vote)
    session.flush()
    _audit(session, actor, negotiation, "vote.record", after={"vote_id": vote.id,
                                                              **vote.audit()}, now=now)
    session.commit()
    return vote


@_atomic
def file_agreement(session: Session, actor, negotiation_id: int, form: Mapping, *,
                   now: dt.datetime, check_only: bool = False) -> Filing:
    """File the signed contract with the labour administration (第四十二条, 3 copies, 10 days)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    filed_on = fields.date(form, "filed_on", errors, default=today)
    fields.not_future(filed_on, "filed_on", today, errors)
    received_on = fields.date(form, "received_on", errors, required=False, default=filed_on)
    fields.not_future(received_on, "received_on", today, errors)
    if filed_on and received_on and received_on < filed_on:
        errors["received_on"] = "劳动行政部门收到文本的日期不能早于报送日期"
    copies = fields.integer(form, "copies", errors, minimum=1, maximum=100,
                            default=rules.FILING_COPIES)
    if copies is not None and copies < rules.FILING_COPIES and "copies" not in errors:
        errors["copies"] = f"须报送集体合同文本一式{rules.FILING_COPIES}份（第四十二条）"
    authority = fields.text(form, "authority", errors, required=True, label="受理的劳动行政部门")
    fields.raise_any(errors)
    if check_only:
        return None
    _record(session, actor, negotiation, E.FILE, filed_on,
            {"received_on": received_on, "copies": copies, "authority": authority}, now=now)
    filing = Filing(negotiation_id=negotiation.id, authority=authority, filed_on=filed_on,
                    received_on=received_on, copies=copies, recorded_by_id=actor.id,
                    recorded_at=now)
    session.add(filing)
    session.flush()
    _audit(session, actor, negotiation, "filing.record", after={"filing_id": filing.id,
                                                                **filing.audit()}, now=now)
    session.commit()
    return filing


@_atomic
def record_objection(session: Session, actor, negotiation_id: int, form: Mapping, *,
                     now: dt.datetime, check_only: bool = False) -> Filing:
    """The administration's review opinion (审查意见书) within 15 days: back to consultation."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    text = fields.text(form, "objection_text", errors, required=True, max_len=5000,
                 label="审查意见")
    delivered_on = fields.date(form, "delivered_on", errors, required=False, default=on)
    fields.not_future(delivered_on, "delivered_on", today, errors)
    if on and delivered_on and delivered_on < on:
        errors["delivered_on"] = "送达日期不能早于审查意见书的日期"
    fields.raise_any(errors)
    if check_only:
        return None
    filing = session.scalar(select(Filing).where(Filing.negotiation_id == negotiation.id)
                            .order_by(Filing.id.desc()).limit(1))
    _record(session, actor, negotiation, E.OBJECTION, on,
            {"objection": text, "delivered_on": delivered_on}, now=now)
    if filing is not None:
        before = filing.audit()
        filing.objection_on, filing.objection_text = on, text
        _audit(session, actor, negotiation, "filing.objection", before=before,
               after=filing.audit(), now=now)
    session.commit()
    return filing


# --- other steps ---------------------------------------------------------------------------------
# Fields of the simple steps: name → kind ("date", "date?", "int", "bool", "text", "ground").
STEP_FIELDS: dict[E, dict[str, str]] = {
    E.SUSPEND: {"resume_on": "date", "reason": "text"},
    E.RESUME: {},
    E.APPLY_COORDINATION: {"accepted_on": "date?", "reason": "text"},
    E.EXTEND_COORDINATION: {"extension_days": "int"},
    E.RECORD_COORDINATION_OUTCOME: {"signed_by_coordinators": "bool",
                                    "signed_by_worker_chief": "bool",
                                    "signed_by_employer_chief": "bool", "summary": "text"},
    E.AGREE_DRAFT: {"offer_id": "offer", "signed_by_worker_chief": "bool",
                    "signed_by_employer_chief": "bool"},
    E.SIGN: {"signed_by_worker_chief": "bool", "signed_by_employer_chief": "bool"},
    E.PUBLISH: {"channel": "text"},
    E.TAKE_EFFECT: {"term_years": "int", "term_acknowledged": "bool",
                    "opinion_delivered_on": "date?"},
    E.OPEN_RENEWAL: {},
    E.OPEN_CHANGE: {"ground": "ground"},
    E.EXPIRE: {},
    E.TERMINATE: {"ground": "ground", "procedure_completed": "bool"},
    E.WITHDRAW: {"reason": "text"},
}


@_atomic
def record_step(session: Session, actor, negotiation_id: int, event: str, form: Mapping, *,
                now: dt.datetime, check_only: bool = False) -> ProcedureStep:
    """Record one of the simple steps of ``STEP_FIELDS`` with its date ``on`` (default today)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    try:
        ev = E(event)
    except ValueError:
        raise NotFound("event") from None
    if ev not in STEP_FIELDS:
        raise NotFound("event")
    require(actor, "negotiation.record", negotiation)
    today = local_today(now)
    errors: dict[str, str] = {}
    on = fields.date(form, "on", errors, default=today)
    fields.not_future(on, "on", today, errors)
    data: dict[str, Any] = {}
    for key, kind in STEP_FIELDS[ev].items():
        if kind == "date":
            data[key] = fields.date(form, key, errors)
        elif kind == "date?":
            value = fields.date(form, key, errors, required=False)
            if value is not None:
                data[key] = value
        elif kind == "int":
            data[key] = fields.integer(form, key, errors, minimum=1, maximum=100)
        elif kind == "bool":
            data[key] = fields.boolean(form, key)
        elif kind == "ground":
            value = str(form.get(key) or "").strip()
            if value not in workflow.GROUNDS:
                errors[key] = "请选择法定理由（第三十九、四十条）"
            data[key] = value
        elif kind == "offer":
            sent = sent_offers(session, negotiation)
            raw = str(form.get(key) or "").strip()
            chosen = next((o for o in sent if str(o.id) == raw), None)
            if raw and chosen is None:
                errors[key] = "请选择已发出的要约"
            chosen = chosen or (sent[-1] if sent else None)
            if chosen is not None:
                data[key] = chosen.id
        else:
            data[key] = fields.text(form, key, errors, max_len=2000)
    variant_fields.check_acknowledgement(actor, negotiation, data, errors)
    fields.raise_any(errors)
    if check_only:
        return None
    step = _record(session, actor, negotiation, ev, on, data, now=now)
    session.commit()
    return step


@_atomic
def correct_step(session: Session, actor, negotiation_id: int, step_id: int, form: Mapping, *,
                 now: dt.datetime) -> ProcedureStep:
    """Correct the date (``on``) and the dates in the data (``*_on``) of a recorded step.

    The original stays in the record; the correction replaces it in the history, the whole
    history is checked again and every deadline is recomputed from the corrected dates.
    """
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.record", negotiation)
    rows = step_rows(session, negotiation)
    original = session.get(ProcedureStep, step_id)
    if original is None or original.negotiation_id != negotiation.id:
        raise NotFound("step")
    current = next((r for r in rows if r.id == step_id or _corrects(session, r, step_id)), None)
    if current is None:
        raise NotFound("step")
    today = local_today(now)
    errors: dict[str, str] = {}
    on = fields.date(form, "on", errors, default=current.on)
    fields.not_future(on, "on", today, errors)
    data = dict(current.data)
    for key in list(data):
        if key.endswith("_on") and form.get(key):
            data[key] = fields.date(form, key, errors)
    reason = fields.text(form, "reason", errors, required=True, max_len=500, label="更正理由")
    fields.raise_any(errors)
    data = _json_ready(data)
    steps = [workflow.Step(r.event, on if r is current else r.on,
                           _workflow_data(data if r is current else r.data)) for r in rows]
    new_state = workflow.replay(steps, vote_required=negotiation.ruleset.vote_required)
    row = ProcedureStep(negotiation_id=negotiation.id, event=current.event, on=on, data=data,
                        corrects_id=current.id, recorded_by_id=actor.id, recorded_at=now)
    session.add(row)
    before_state = negotiation.state
    negotiation.state, negotiation.updated_at = new_state.value, now
    session.flush()
    _audit(session, actor, negotiation, "step.correct",
           before={**current.snapshot(), "state": before_state},
           after={**row.snapshot(), "reason": reason, "state": new_state.value}, now=now)
    session.commit()
    return row


def _corrects(session, row: ProcedureStep, step_id: int) -> bool:
    while row.corrects_id is not None:
        if row.corrects_id == step_id:
            return True
        row = session.get(ProcedureStep, row.corrects_id)
    return False


# --- notes ---------------------------------------------------------------------------------------
@_atomic
def add_note(session: Session, actor, negotiation_id: int, form: Mapping, *,
             now: dt.datetime, check_only: bool = False) -> Note:
    """A private note of the actor's organisation (not shown to anyone else)."""
    negotiation = get_negotiation(session, actor, negotiation_id)
    require(actor, "negotiation.note", negotiation)
    errors: dict[str, str] = {}
    body = fields.text(form, "body", errors, required=True, max_len=5000, label="备注")
    fields.raise_any(errors)
    if check_only:
        return None
    note = Note(negotiation_id=negotiation.id, organisation_id=actor.organisation_id,
                author_id=actor.id, body=body, created_at=now)
    session.add(note)
    session.flush()
    # The note's text stays out of the shared audit trail of the negotiation.
    audit.record(session, actor=actor, action="negotiation.note.add", target_type="note",
                 target_id=note.id, after={"negotiation_id": negotiation.id,
                                           "organisation_id": note.organisation_id}, now=now)
    session.commit()
    return note


def notes(session: Session, actor, negotiation: Negotiation) -> list[Note]:
    """The notes of the actor's own organisation on ``negotiation``, newest first."""
    return list(session.scalars(_notes_query(), {"negotiation_id": negotiation.id,
                                                 "organisation_id": actor.organisation_id}))


@functools.cache
def _notes_query():
    return (select(Note).where(Note.negotiation_id == bindparam("negotiation_id"),
                               Note.organisation_id == bindparam("organisation_id"))
            .options(joinedload(Note.author)).order_by(Note.id.desc()))


def state_of(session: Session, negotiation: Negotiation) -> S:
    """The state replayed from the stored history (equals ``negotiation.state``)."""
    return workflow.replay(history(session, negotiation),
                           vote_required=negotiation.ruleset.vote_required)

