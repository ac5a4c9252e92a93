"""Audited changes to scenarios and snapshots.

Every function takes the session, the acting user and ``now``; it checks access, validates,
records an audit entry; each change is one unit of work (``db.atomic``). Bad input raises
:class:`app.simulator.ValidationError` (dotted key → Chinese message) before anything is written.
"""
from __future__ import annotations

import dataclasses
import functools
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.models import User
from app.errors import Conflict, Msg, NotFound, PermissionDenied, ValidationError
from app.auth.permissions import require
from app.negotiations.records import local_today as today_in_china
from app.scenarios import access, negotiation_link
from app.scenarios import minimum_wage as mwage
from app.scenarios.models import SavedScenario, ScenarioSnapshot
from app.simulator import Scenario, presets
from app.simulator.effect import EFFECT_SEED
from app.simulator.params import PayRules
from app.standards import newer_minimum_wage, thresholds

SECTORS = ("delivery", "ride_hailing", "freight")
DEFAULT_SEED = EFFECT_SEED
NAME_MAX = 200
NOTES_MAX = 10_000


# -- reading ---------------------------------------------------------------------------------

def scenarios_for(session: Session, actor) -> list[SavedScenario]:
    """The actor's organisation's scenarios, most recently changed first."""
    require(actor, "scenario.list")
    return list(session.scalars(
        select(SavedScenario).where(SavedScenario.organisation_id == actor.organisation_id)
        .order_by(SavedScenario.updated_at.desc(), SavedScenario.id.desc())))


@functools.cache
def _recent_query():
    """The statement of ``recent_scenarios`` (built once: building it costs more than running
    it)."""
    return (select(SavedScenario.id, SavedScenario.name, SavedScenario.updated_at,
                   User.display_name.label("owner_name"))
            .join(User, User.id == SavedScenario.owner_id)
            .where(SavedScenario.organisation_id == bindparam("org"))
            .order_by(SavedScenario.updated_at.desc(), SavedScenario.id.desc())
            .limit(bindparam("limit")))


def recent_scenarios(session: Session, actor, limit: int = 5) -> list:
    """The first ``limit`` of ``scenarios_for``, as rows of ``id``, ``name``, ``updated_at``
    and ``owner_name`` (the dashboard's list; no scenario data loaded)."""
    require(actor, "scenario.list")
    return list(session.execute(_recent_query(),
                                {"org": actor.organisation_id, "limit": limit}))


def get_scenario(session: Session, actor, scenario_id: int, action: str = "scenario.view"):
    """The scenario if the actor may ``action`` it; another organisation's is "not found"."""
    record = session.get(SavedScenario, scenario_id)
    if record is None or record.organisation_id != actor.organisation_id:
        raise NotFound(scenario_id)
    require(actor, action, record)
    return record


def get_snapshot(session: Session, actor, snapshot_id: int, action: str = "snapshot.view"):
    snap = session.get(ScenarioSnapshot, snapshot_id)
    if snap is None:
        raise NotFound(snapshot_id)
    require(actor, action, snap)
    return snap


def to_scenario(record) -> Scenario:
    """The simulator's :class:`Scenario` stored in a scenario or snapshot."""
    return Scenario.from_dict(record.data)


def baseline_of(record_or_scenario, baseline_pay: dict | None = None) -> Scenario:
    """Today's rules in the same world: the package's scenario with the baseline ``pay``."""
    if isinstance(record_or_scenario, Scenario):
        scenario = record_or_scenario
    else:
        scenario = to_scenario(record_or_scenario)
        baseline_pay = record_or_scenario.baseline_pay
    return dataclasses.replace(scenario, pay=PayRules.from_dict(dict(baseline_pay)),
                               name="baseline")


# -- validation ------------------------------------------------------------------------------

def _clean_text(name, notes) -> tuple[str, str]:
    errors = {}
    name = (name or "").strip()
    notes = (notes or "").strip()
    if not name:
        errors["name"] = Msg("Fill in the scenario's name")
    elif len(name) > NAME_MAX:
        errors["name"] = Msg("The scenario's name cannot be longer than %(n)s characters",
                             n=NAME_MAX)
    if len(notes) > NOTES_MAX:
        errors["notes"] = Msg("The notes cannot be longer than %(n)s characters", n=NOTES_MAX)
    if errors:
        raise ValidationError(errors)
    return name, notes


def clean_seed(seed) -> int:
    try:
        value = int(str(seed).strip())
    except (TypeError, ValueError):
        raise ValidationError({"seed": Msg("The random seed must be a whole number")}) from None
    if not 0 <= value < 2**31:
        raise ValidationError({"seed": Msg("The random seed must be between 0 and 2147483647")})
    return value


def local_today(now: datetime):
    """The date in Asia/Shanghai of the instant ``now`` (a new scenario's default date)."""
    return today_in_china(now)


def apply_place(session: Session, scenario: Scenario, province, tier, as_of) -> Scenario:
    """``scenario`` tested against the minimum wage of ``province``/``tier`` on ``as_of``
    (raw form values accepted). Raises ValidationError keyed ``province``/``tier``/``as_of``."""
    errors = {}
    try:
        mwage.check_place(province, tier)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        on = mwage.parse_date(as_of)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return thresholds.with_minimum_wage(scenario, mwage.minimum_wage(session, province, tier, on))


def newer_standard(session: Session, record, today) -> "mwage.MinimumWage | None":
    """The minimum wage of the scenario's place in force on ``today`` if it is newer than the
    one of the scenario's own date (for the banner that offers to move the scenario to it)."""
    if getattr(record, "as_of", None) is None or record.as_of >= today:
        return None
    try:
        short, tier = mwage.check_place(record.province, record.tier)
    except ValidationError:
        return None
    return newer_minimum_wage(session, short, int(tier), since=record.as_of, on=today)


@atomic
def move_to_current_standard(session: Session, actor, record: SavedScenario, *,
                             expected_version, now: datetime) -> SavedScenario:
    """Date the scenario today, so it is tested against the standard now in force."""
    return update_scenario(session, actor, record, as_of=local_today(now),
                           expected_version=expected_version, now=now)


def place_of_record(session: Session, record) -> tuple[str, str, object]:
    """(province, tier, as_of) of a scenario, or of a snapshot from its stored standard."""
    if getattr(record, "as_of", None) is not None:
        return record.province, record.tier, record.as_of
    th = Scenario.from_dict(record.data).thresholds
    return mwage.place_of(session, th.hourly_minimum_wage, th.valid_from)


def _new(session, actor, *, name, notes, sector, scenario: Scenario, baseline_pay: dict,
         baseline_label: str, seed: int, origin: str, now: datetime,
         action: str, place: tuple) -> SavedScenario:
    name, notes = _clean_text(name, notes)
    scenario = apply_place(session, scenario, *place)
    province, tier = mwage.check_place(place[0], place[1])
    as_of = mwage.parse_date(place[2])
    record = SavedScenario(
        organisation_id=actor.organisation_id, owner_id=actor.id, name=name, notes=notes,
        sector=sector, data=scenario.to_dict(), baseline_pay=dict(baseline_pay),
        baseline_label=baseline_label, seed=seed, province=province, tier=tier, as_of=as_of,
        origin=origin, created_at=now, updated_at=now)
    session.add(record)
    session.flush()
    audit.record(session, actor=actor, action=action, target_type="scenario",
                 target_id=record.id, after=record.snapshot(), now=now)
    return record


# -- creating --------------------------------------------------------------------------------

@atomic
def create_from_preset(session: Session, actor, *, sector: str, name: str, notes: str = "",
                       seed: int | str = DEFAULT_SEED, n_workers: int | None = None,
                       province: str = mwage.DEFAULT_PROVINCE, tier: str = mwage.DEFAULT_TIER,
                       as_of=None, now: datetime) -> SavedScenario:
    """A new scenario from the sector's preset; today's rules are the preset's own terms.

    Its minimum wage is that of ``province``/``tier`` on ``as_of`` (default: today)."""
    require(actor, "scenario.create")
    errors = {}
    if sector not in SECTORS:
        errors["sector"] = Msg("Choose a sector: food delivery, ride-hailing or freight")
        sector = "delivery"
    scenario = presets.preset(sector)
    for check in (lambda: _clean_text(name, notes), lambda: clean_seed(seed)):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.errors)
    if n_workers is not None:
        try:
            scenario = scenario.with_values({"workforce.n_workers": n_workers})
        except ValidationError as exc:
            errors.update(exc.errors)
    place = (province, tier, local_today(now) if as_of in (None, "") else as_of)
    try:
        apply_place(session, scenario, *place)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    seed = clean_seed(seed)
    return _new(session, actor, name=name, notes=notes, sector=sector, scenario=scenario,
                baseline_pay=scenario.pay.to_dict(), baseline_label="preset", seed=seed,
                origin="preset", now=now, action="scenario.create", place=place)


@atomic
def create_from_rules(session: Session, actor, *, negotiation, name: str, notes: str = "",
                      now: datetime) -> SavedScenario:
    """A new scenario whose package and baseline are the negotiation's current rules, dated
    by the standard those rules hold (so it shows the figures of the offers table)."""
    require(actor, "scenario.from_negotiation", negotiation)
    sector = negotiation_link.sector_of(negotiation)
    scenario = negotiation_link.current_rules_scenario(negotiation, presets.preset(sector))
    th = scenario.thresholds
    return _new(session, actor, name=name, notes=notes, sector=sector, scenario=scenario,
                baseline_pay=scenario.pay.to_dict(),
                baseline_label=f"negotiation:{negotiation.id}", seed=DEFAULT_SEED,
                origin=f"negotiation:{negotiation.id}", now=now, action="scenario.create",
                place=mwage.place_of(session, th.hourly_minimum_wage, th.valid_from))


@atomic
def copy_scenario(session: Session, actor, record: SavedScenario, *, name: str | None = None,
                  now: datetime) -> SavedScenario:
    """A copy in the actor's organisation, owned by the actor."""
    require(actor, "scenario.copy", record)
    return _new(session, actor, name=name or _copy_name(record.name), notes=record.notes,
                sector=record.sector, scenario=to_scenario(record),
                baseline_pay=record.baseline_pay, baseline_label=record.baseline_label,
                seed=record.seed, origin=f"scenario:{record.id}", now=now, action="scenario.copy",
                place=place_of_record(session, record))


@atomic
def copy_snapshot(session: Session, actor, snap: ScenarioSnapshot, *, name: str | None = None,
                  now: datetime) -> SavedScenario:
    """A shared snapshot copied into the actor's private scenarios (to answer it)."""
    require(actor, "snapshot.copy", snap)
    return _new(session, actor, name=name or _copy_name(snap.name), notes=snap.notes,
                sector=snap.sector, scenario=Scenario.from_dict(snap.data),
                baseline_pay=snap.baseline_pay, baseline_label=snap.baseline_label,
                seed=snap.seed, origin=f"snapshot:{snap.id}", now=now,
                action="scenario.copy_snapshot", place=place_of_record(session, snap))


def _copy_name(name: str) -> str:
    return (name + "（副本）")[:NAME_MAX]


# -- changing --------------------------------------------------------------------------------

def apply_values(record, values: dict) -> Scenario:
    """The stored scenario with ``values`` (dotted key → raw value) applied; validates only."""
    scenario = to_scenario(record)
    return scenario.with_values(values) if values else scenario


@atomic
def update_scenario(session: Session, actor, record: SavedScenario, *, values: dict | None = None,
                    name: str | None = None, notes: str | None = None,
                    seed: int | str | None = None, expected_version: int | None = None,
                    province: str | None = None, tier: str | None = None, as_of=None,
                    now: datetime) -> SavedScenario:
    """Change terms/assumptions (dotted keys), name, notes, seed or place and date (the
    minimum wage is looked up again for them; ``thresholds.*`` values follow the place).

    Raises :class:`ValidationError` for bad values (nothing changes) and
    :class:`~app.errors.Conflict` when ``expected_version`` is not the stored version.
    """
    require(actor, "scenario.edit", record)
    # Compared as text: a version that is no number (a tampered form) is no match either.
    if expected_version is not None and str(expected_version).strip() != str(record.version):
        raise Conflict()
    errors = {}
    try:
        new_name, new_notes = _clean_text(record.name if name is None else name,
                                          record.notes if notes is None else notes)
    except ValidationError as exc:
        errors.update(exc.errors)
    scenario = None
    try:
        scenario = apply_values(record, values or {})
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        new_seed = record.seed if seed is None else clean_seed(seed)
    except ValidationError as exc:
        errors.update(exc.errors)
    place = (record.province if province is None else province,
             record.tier if tier is None else tier, record.as_of if as_of is None else as_of)
    try:
        placed = apply_place(session, scenario or to_scenario(record), *place)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    before = record.snapshot()
    record.name, record.notes, record.seed = new_name, new_notes, new_seed
    (record.province, record.tier), record.as_of = mwage.check_place(*place[:2]), \
        mwage.parse_date(place[2])
    record.data = placed.to_dict()
    record.updated_at = now
    session.flush()
    audit.record(session, actor=actor, action="scenario.update", target_type="scenario",
                 target_id=record.id, before=before, after=record.snapshot(), now=now)
    return record


@atomic
def delete_scenario(session: Session, actor, record: SavedScenario, *, now: datetime) -> None:
    """Delete one's own scenario (snapshots already shared stay)."""
    require(actor, "scenario.delete", record)
    before = record.snapshot()
    ident = record.id
    session.delete(record)
    session.flush()
    audit.record(session, actor=actor, action="scenario.delete", target_type="scenario",
                 target_id=ident, before=before, now=now)


@atomic
def share_scenario(session: Session, actor, record: SavedScenario, *, negotiation,
                   results: dict, now: datetime) -> ScenarioSnapshot:
    """Freeze the scenario and its ``results`` summary into ``negotiation``."""
    require(actor, "scenario.share", (record, negotiation))
    snap = ScenarioSnapshot(
        negotiation_id=negotiation.id, organisation_id=actor.organisation_id,
        shared_by_id=actor.id, source_scenario_id=record.id, name=record.name,
        notes=record.notes, sector=record.sector, data=record.data,
        baseline_pay=record.baseline_pay, baseline_label=record.baseline_label,
        seed=record.seed, results=results, created_at=now)
    session.add(snap)
    session.flush()
    audit.record(session, actor=actor, action="scenario.share", target_type="scenario_snapshot",
                 target_id=snap.id, after=snap.snapshot(), now=now)
    return snap


def snapshots_for(session: Session, actor, negotiation) -> list[ScenarioSnapshot]:
    """Snapshots shared into ``negotiation``, newest first (parties only)."""
    if not access.can_see_negotiation(actor, negotiation):
        raise PermissionDenied("snapshot.view")
    return list(session.scalars(
        select(ScenarioSnapshot).where(ScenarioSnapshot.negotiation_id == negotiation.id)
        .order_by(ScenarioSnapshot.created_at.desc(), ScenarioSnapshot.id.desc())))
