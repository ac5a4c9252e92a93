"""The dated minimum-wage lookup and the place and date of scenarios (decision 3)."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from app import schema
from app.scenarios import minimum_wage as mwage
from app.errors import ValidationError
from app.simulator import presets
from app.standards import thresholds

D = dt.date


@pytest.mark.parametrize("tier, on, monthly, hourly, since", [
    ("1", D(2024, 1, 1), 2100, 20.6, D(2024, 1, 1)),
    ("1", D(2025, 11, 30), 2100, 20.6, D(2024, 1, 1)),
    ("1", D(2025, 12, 1), 2350, 23.0, D(2025, 12, 1)),
    ("2", D(2026, 6, 1), 2150, 21.1, D(2025, 12, 1)),
    ("3", D(2025, 1, 1), 1800, 17.6, D(2024, 1, 1)),
    ("3", D(2030, 1, 1), 2000, 19.6, D(2025, 12, 1)),
])
def test_the_standard_in_force_on_the_date(session, tier, on, monthly, hourly, since):
    record = mwage.minimum_wage(session, "河南", tier, on)
    assert (record.monthly, record.hourly, record.effective_from) == (monthly, hourly, since)
    assert record.source.startswith("https://") and record.document


@pytest.mark.parametrize("args, key", [
    (("山西省太原", "1", D(2026, 1, 1)), "province"), (("河南", "4", D(2026, 1, 1)), "tier"),
    (("河南", "0", D(2026, 1, 1)), "tier"), (("河南", "1", D(2023, 12, 31)), "as_of")])
def test_unknown_place_or_a_date_before_the_records_is_refused(session, args, key):
    with pytest.raises(ValidationError) as exc:
        mwage.minimum_wage(session, *args)
    assert key in exc.value.errors


def test_bad_dates_are_refused_with_a_message():
    for raw in ("", "2026-02-30", "tomorrow", None):
        with pytest.raises(ValidationError) as exc:
            mwage.parse_date(raw)
        assert "as_of" in exc.value.errors


def test_the_scenario_gets_the_figures_with_their_place_date_and_source(session):
    record = mwage.minimum_wage(session, "河南", "2", D(2026, 1, 1))
    s = thresholds.with_minimum_wage(presets.preset("delivery"), record)
    th = s.thresholds
    assert (th.hourly_minimum_wage, th.monthly_minimum_wage, th.valid_from) == \
        (21.1, 2150.0, "2025-12-01")
    assert th.region == "河南省二类"
    assert s.sources["thresholds.hourly_minimum_wage"] == record.source


def test_a_stored_scenario_is_given_the_place_that_keeps_its_figures(session):
    assert mwage.place_of(session, 19.6, "2024-01-01") == ("河南", "2", D(2024, 1, 1))
    assert mwage.place_of(session, 20.6, "2024-01-01") == ("河南", "1", D(2024, 1, 1))
    assert mwage.place_of(session, 23.0, "2025-12-01") == ("河南", "1", D(2025, 12, 1))
    assert mwage.place_of(session, 19.6, "2025-12-01") == ("河南", "3", D(2025, 12, 1))


def test_migration_dates_existing_scenarios_and_keeps_their_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    schema.upgrade(url, "0004")
    data = presets.preset("delivery").to_dict()
    tier2 = json.loads(json.dumps(data))
    tier2["thresholds"]["hourly_minimum_wage"] = 19.6
    con = sqlite3.connect(tmp_path / "old.sqlite3")
    con.execute("INSERT INTO organisation (id, name, kind, province, city, is_active, "
                "created_at, version) VALUES (1, '工会', 'union', '河南省', '郑州市', 1, "
                "'2025-01-01 00:00:00', 1)")
    con.execute("INSERT INTO user_account (id, username, display_name, password_hash, "
                "organisation_id, role, is_site_admin, is_active, created_at, version) VALUES "
                "(1, 'u', 'u', 'x', 1, 'member', 0, 1, '2025-01-01 00:00:00', 1)")
    for ident, d in ((1, data), (2, tier2)):
        con.execute("INSERT INTO scenario (id, organisation_id, owner_id, name, notes, sector, "
                    "data, baseline_pay, baseline_label, seed, origin, created_at, updated_at, "
                    "version) VALUES (?, 1, 1, 'old', '', 'delivery', ?, '{}', 'preset', 1, "
                    "'preset', '2025-01-01 00:00:00', '2025-01-01 00:00:00', 1)",
                    (ident, json.dumps(d)))
    con.commit()
    con.close()
    schema.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, province, tier, as_of, data FROM scenario "
                                 "ORDER BY id")).all()
    assert [(r[1], r[2], str(r[3])) for r in rows] == [("河南", "1", "2024-01-01"),
                                                        ("河南", "2", "2024-01-01")]
    assert json.loads(rows[1][4]) == tier2  # data untouched
    for row in rows:
        th = json.loads(row[4])["thresholds"]
        with Session(engine) as session:
            record = mwage.minimum_wage(session, row[1], row[2], D.fromisoformat(str(row[3])))
        assert record.hourly == th["hourly_minimum_wage"]  # the same figures as before
