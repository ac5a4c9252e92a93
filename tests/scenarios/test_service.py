"""Scenario service: create, edit, copy, share, delete, with access and audit, on both backends."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Role, User
from app.errors import Conflict, NotFound, PermissionDenied, ValidationError
from app.negotiations.models import Negotiation
from app.scenarios import service
from app.scenarios.models import SavedScenario, ScenarioSnapshot, SnapshotIsImmutable
from app.simulator.effect import package_effect as run
from app.simulator import presets
from tests.conftest import DEMO_NOW

NOW = DEMO_NOW + timedelta(days=1)
SMALL = 120


def user(session, username):
    return session.scalar(select(User).where(User.username == username))


def negotiation_of(session, org_id, sector="delivery"):
    return session.scalars(select(Negotiation).where(
        Negotiation.worker_org_id == org_id, Negotiation.sector == sector)
        .order_by(Negotiation.id)).first()


def count(session, model):
    return session.scalar(select(func.count()).select_from(model))


def new(session, actor, name="测试方案", **kw):
    return service.create_from_preset(session, actor, sector="delivery", name=name,
                                      n_workers=SMALL, now=NOW, **kw)


def test_create_from_preset_is_private_audited_and_compares_with_the_preset(session):
    union = user(session, "union")
    record = new(session, union, notes="草稿")
    session.commit()
    assert record.organisation_id == union.organisation_id and record.owner_id == union.id
    assert record.baseline_pay == presets.preset("delivery").pay.to_dict()
    assert service.to_scenario(record).workforce.n_workers == SMALL
    entry = session.scalars(select(AuditEntry).where(
        AuditEntry.action == "scenario.create", AuditEntry.target_id == record.id)).one()
    assert entry.actor_id == union.id and entry.after["name"] == "测试方案"
    assert record in service.scenarios_for(session, union)
    assert record not in service.scenarios_for(session, user(session, "platform"))


@pytest.mark.parametrize("kwargs, key", [
    ({"sector": "boats", "name": "x"}, "sector"),
    ({"sector": "delivery", "name": "  "}, "name"),
    ({"sector": "delivery", "name": "x", "seed": "abc"}, "seed"),
    ({"sector": "delivery", "name": "x", "n_workers": 0}, "workforce.n_workers"),
])
def test_bad_input_on_create_saves_nothing(session, kwargs, key):
    before = count(session, SavedScenario)
    with pytest.raises(ValidationError) as exc:
        service.create_from_preset(session, user(session, "union"), now=NOW, **kwargs)
    assert key in exc.value.errors
    session.rollback()
    assert count(session, SavedScenario) == before


def test_update_changes_terms_and_marks_their_source(session):
    union = user(session, "union")
    record = new(session, union)
    session.commit()
    service.update_scenario(session, union, record, values={"pay.base_per_order": "7.5"},
                            name="新名字", expected_version=record.version, now=NOW)
    session.commit()
    scenario = service.to_scenario(record)
    assert scenario.pay.base_per_order == 7.5
    assert scenario.sources["pay.base_per_order"] == "user"
    assert record.name == "新名字" and record.version == 2
    assert session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "scenario.update", AuditEntry.target_id == record.id)) == 1


def test_update_with_bad_values_changes_nothing(session):
    union = user(session, "union")
    record = new(session, union)
    session.commit()
    with pytest.raises(ValidationError) as exc:
        service.update_scenario(session, union, record, name="",
                                values={"pay.base_per_order": "-1", "pay.commission_rate": "x"},
                                now=NOW)
    assert set(exc.value.errors) == {"name", "pay.base_per_order", "pay.commission_rate"}
    assert all(isinstance(m, str) and m for m in exc.value.errors.values())
    session.rollback()
    session.refresh(record)
    assert record.version == 1 and record.name == "测试方案"


def test_stale_version_is_a_conflict(session):
    union = user(session, "union")
    record = new(session, union)
    session.commit()
    service.update_scenario(session, union, record, values={"pay.base_per_order": 7},
                            expected_version=1, now=NOW)
    session.commit()
    with pytest.raises(Conflict):
        service.update_scenario(session, union, record, values={"pay.base_per_order": 8},
                                expected_version=1, now=NOW)


def test_other_organisations_neither_see_nor_copy_nor_change(session):
    union, platform = user(session, "union"), user(session, "platform")
    record = new(session, union)
    session.commit()
    with pytest.raises(NotFound):
        service.get_scenario(session, platform, record.id)
    for call in (lambda: service.copy_scenario(session, platform, record, now=NOW),
                 lambda: service.update_scenario(session, platform, record, name="x", now=NOW),
                 lambda: service.delete_scenario(session, platform, record, now=NOW)):
        with pytest.raises(PermissionDenied):
            call()


def _colleague(session, of, username: str) -> User:
    """A second member of ``of``'s organisation."""
    person = User(username=username, display_name=username, role=Role.member,
                  organisation_id=of.organisation_id)
    person.set_password("xieshang-demo")
    session.add(person)
    return person


def test_copy_belongs_to_the_copier_and_delete_is_for_the_owner_only(session):
    union = user(session, "union")
    colleague = _colleague(session, union, "union-colleague")
    record = new(session, union)
    session.commit()
    copy = service.copy_scenario(session, colleague, record, now=NOW)
    session.commit()
    assert copy.owner_id == colleague.id and copy.origin == f"scenario:{record.id}"
    assert copy.data["pay"] == record.data["pay"] and copy.name.endswith("（副本）")
    with pytest.raises(PermissionDenied):
        service.delete_scenario(session, colleague, record, now=NOW)
    service.delete_scenario(session, union, record, now=NOW)
    session.commit()
    assert session.get(SavedScenario, record.id) is None
    assert session.scalars(select(AuditEntry).where(
        AuditEntry.action == "scenario.delete", AuditEntry.target_id == record.id)).one().before


def test_share_snapshot_is_immutable_and_copyable_by_the_other_side(session):
    union, platform = user(session, "union"), user(session, "platform")
    negotiation = negotiation_of(session, union.organisation_id)
    record = new(session, union)
    record_scenario = service.to_scenario(record)
    results = run(record_scenario, service.baseline_of(record), record.seed)
    snap = service.share_scenario(session, union, record, negotiation=negotiation,
                                  results=results, now=NOW)
    session.commit()
    assert snap.negotiation_id == negotiation.id and snap.results["seed"] == record.seed
    assert snap in service.snapshots_for(session, platform, negotiation)
    answer = service.copy_snapshot(session, platform, snap, now=NOW)
    session.commit()
    assert answer.organisation_id == platform.organisation_id
    assert answer.origin == f"snapshot:{snap.id}" and answer.data == snap.data
    # The union's later changes do not touch the snapshot; nobody can change it.
    service.update_scenario(session, union, record, values={"pay.base_per_order": 9}, now=NOW)
    session.commit()
    session.refresh(snap)
    assert snap.data["pay"]["base_per_order"] != 9
    snap.name = "改名"
    with pytest.raises(SnapshotIsImmutable):
        session.flush()
    session.rollback()


def test_cannot_share_into_or_open_a_negotiation_one_is_not_party_to(session):
    union = user(session, "union")
    ride = user(session, "ride-platform")
    negotiation = negotiation_of(session, union.organisation_id)
    assert ride.organisation_id not in negotiation.party_org_ids()
    ride_record = service.create_from_preset(session, ride, sector="ride_hailing", name="r",
                                             n_workers=SMALL, now=NOW)
    with pytest.raises(PermissionDenied):
        service.share_scenario(session, ride, ride_record, negotiation=negotiation,
                               results={}, now=NOW)
    snap = session.scalars(select(ScenarioSnapshot)
                           .where(ScenarioSnapshot.negotiation_id == negotiation.id)).first()
    assert snap is not None  # the demo shares one
    with pytest.raises(PermissionDenied):
        service.get_snapshot(session, ride, snap.id)
    with pytest.raises(PermissionDenied):
        service.copy_snapshot(session, ride, snap, now=NOW)


def test_create_from_a_negotiations_current_rules(session):
    union = user(session, "union")
    negotiation = negotiation_of(session, union.organisation_id)
    record = service.create_from_rules(session, union, negotiation=negotiation, name="现行规则",
                                       now=NOW)
    expected = service.negotiation_link.current_rules_scenario(
        negotiation, presets.preset("delivery"))
    assert record.data["pay"] == expected.pay.to_dict() == record.baseline_pay
    assert record.origin == f"negotiation:{negotiation.id}"


def test_recent_scenarios_are_the_first_of_the_list_with_their_owner(session):
    union = user(session, "union")
    member = _colleague(session, union, "union2")
    session.commit()
    for i in range(6):
        new(session, member if i % 2 else union, name=f"方案{i}")
        session.commit()
    full = service.scenarios_for(session, union)
    assert len(full) > 5
    for limit in (1, 5, 50):
        assert [(r.id, r.name, r.updated_at, r.owner_name)
                for r in service.recent_scenarios(session, union, limit)] == [
            (s.id, s.name, s.updated_at, s.owner.display_name) for s in full[:limit]]
    assert service.recent_scenarios(session, user(session, "mediator")) == []
