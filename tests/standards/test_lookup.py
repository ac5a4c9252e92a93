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
    unknown = standards.place_tier(session, "河南", "开封市", date(2025, 12, 1))
    assert unknown.tier is None and unknown.standard_effective_from == date(2025, 12, 1)


def test_zhengzhou_is_tier_1_under_the_2025_standard_per_the_official_page(session):
    before = standards.place_tier(session, "河南", "郑州市", date(2025, 11, 30))
    after = standards.place_tier(session, "河南", "郑州市", date(2025, 12, 1))
    assert before.tier is None
    assert after.tier == 1 and after.verified and "zhengzhou.gov.cn" in after.source


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


def test_seeded_places_name_a_seeded_standard_of_their_province():
    with (seed.DATA / "minimum_wages.csv").open(encoding="utf-8") as fh:
        dates = {(r["province"], r["effective_from"]) for r in csv.DictReader(fh)}
    places = seed.place_rows()
    assert {(p["province"], p["standard_effective_from"].isoformat()) for p in places} == dates


def test_seed_rows_name_a_source_and_only_official_ones_are_verified():
    with (seed.DATA / "minimum_wages.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    verified = {(r["province"], r["tier"], r["effective_from"]) for r in rows
                if r["verified"] == "yes"}
    assert verified == {("天津", "1", "2025-09-01"), ("河南", "1", "2025-12-01")}
    assert all(".gov.cn/" in r["source"].split(" ; ")[0] for r in rows if r["verified"] == "yes")
    assert not [r for r in rows if "recollect" in r["source"] and r["province"] != "安徽"]


def test_corrected_seed_figures(session):
    on = date(2026, 12, 1)
    tianjin = standards.minimum_wage(session, "天津", 1, on)
    assert (tianjin.monthly, tianjin.hourly, tianjin.verified) == (2510, 26.6, True)
    previous = standards.minimum_wage(session, "天津", 1, date(2025, 8, 31))
    assert (previous.monthly, previous.effective_from) == (2320, date(2023, 11, 1))
    assert [standards.minimum_wage(session, "福建", t, on).monthly for t in (1, 2, 3, 4)] == [
        2265, 2195, 2045, 1895]
    assert standards.minimum_wage(session, "江苏", 1, on).monthly == 2660
    assert standards.minimum_wage(session, "四川", 2, on).hourly == 22.0
    with pytest.raises(standards.StandardNotFound):   # Sichuan has two tiers since 2025
        standards.minimum_wage(session, "四川", 3, on)
    # Hunan's 2025 tier 3 hourly rate was not found: tier 3 is not seeded for that standard.
    with pytest.raises(standards.StandardNotFound):
        standards.minimum_wage(session, "湖南", 3, on)
