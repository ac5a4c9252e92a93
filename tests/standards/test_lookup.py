"""Dated lookups in the seeded registry, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from sqlalchemy import func, select

from app import standards
from app.standards import importer, provinces, seed
from app.standards.models import MinimumWageRecord, PlaceTierRecord, RegistryIsAppendOnly
from tests.conftest import DEMO_NOW


def test_henan_on_the_day_before_and_the_day_of_the_2025_standard(session):
    before = standards.minimum_wage(session, "河南", 1, date(2025, 11, 30))
    on_the_day = standards.minimum_wage(session, "河南省", 1, date(2025, 12, 1))
    assert (before.monthly, before.hourly, before.effective_from) == (
        2100, 20.6, date(2024, 1, 1))
    assert (on_the_day.monthly, on_the_day.hourly, on_the_day.effective_from) == (
        2350, 23.0, date(2025, 12, 1))
    assert [standards.minimum_wage(session, "河南", t, date(2026, 12, 1)).monthly
            for t in (1, 2, 3)] == [2350, 2150, 2000]
    assert on_the_day.source and before.document == "豫政〔2023〕43号"


def test_before_the_first_record_there_is_no_standard(session):
    with pytest.raises(standards.StandardNotFound):
        standards.minimum_wage(session, "河南", 1, date(2023, 12, 31))
    with pytest.raises(standards.StandardNotFound):
        standards.minimum_wage(session, "火星", 1, date(2026, 12, 1))


def test_a_tier_dropped_by_the_newer_standard_is_gone_from_its_date(session):
    # Gansu merged four tiers into three on 2025-12-01.
    assert standards.minimum_wage(session, "甘肃", 4, date(2025, 11, 30)).monthly == 1850
    with pytest.raises(standards.StandardNotFound):
        standards.minimum_wage(session, "甘肃", 4, date(2025, 12, 1))


def test_in_force_lists_every_province_once_per_tier(session):
    wages = standards.minimum_wages_in_force(session, date(2026, 12, 1))
    assert {w.province for w in wages} == set(provinces.SHORT_NAMES)
    assert len({(w.province, w.tier) for w in wages}) == len(wages)
    assert all(w.source for w in wages)
    henan = standards.minimum_wages_in_force(session, date(2025, 6, 1), "河南省")
    assert [(w.tier, w.monthly) for w in henan] == [(1, 2100), (2, 2000), (3, 1800)]


def test_newer_standard_for_the_banner(session):
    newer = standards.newer_minimum_wage(session, "河南", 1, since=date(2025, 6, 1),
                                         on=date(2026, 12, 1))
    assert newer is not None and newer.monthly == 2350
    assert standards.newer_minimum_wage(session, "河南", 1, since=date(2025, 12, 1),
                                        on=date(2026, 12, 1)) is None
    assert standards.newer_minimum_wage(session, "河南", 1, since=date(2025, 6, 1),
                                        on=date(2025, 11, 30)) is None


def test_a_place_whose_tier_changed_between_standards(session):
    # The seed has no Henan annex (tier to be confirmed); record one place under both standards.
    for tier, when in ((2, date(2024, 1, 1)), (1, date(2025, 12, 1))):
        session.add(PlaceTierRecord(province="河南", city="许昌市", tier=tier,
                                    standard_effective_from=when, source="test annex",
                                    verified=False, note="", created_at=DEMO_NOW))
    session.commit()
    assert standards.place_tier(session, "河南", "许昌市", date(2025, 11, 30)).tier == 2
    assert standards.place_tier(session, "河南", "许昌市", date(2025, 12, 1)).tier == 1
    unknown = standards.place_tier(session, "河南", "郑州市", date(2025, 12, 1))
    assert unknown.tier is None and unknown.standard_effective_from == date(2025, 12, 1)


def test_seeded_places_cover_every_capital_and_every_henan_city(session):
    cities = set(session.scalars(select(PlaceTierRecord.city).where(
        PlaceTierRecord.province == "河南")))
    assert len(cities) == 18  # 17 prefecture-level cities and 济源
    capitals = session.scalar(select(func.count(func.distinct(PlaceTierRecord.province))))
    assert capitals == 31
    assert standards.place_tier(session, "吉林", "长春市", date(2026, 12, 1)).tier == 1


def test_records_are_append_only(session):
    record = session.scalars(select(MinimumWageRecord)).first()
    record.monthly = 1
    with pytest.raises(RegistryIsAppendOnly):
        session.flush()


def test_every_seed_row_passes_the_import_checks():
    with (seed.DATA / "minimum_wages.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for i, row in enumerate(rows, start=2):
        values, problems = importer.check_row(row, i)
        assert not problems, (i, [p.text() for p in problems])
