"""Upgrades lose nothing: the first release's database, upgraded to head, keeps every record.

``fixtures/release/release-0004.sqlite3`` was made by the release (Alembic 0004: the demo plus an
edit of every record kind, see ``make_fixture.py`` beside it). On SQLite the file itself is
upgraded; on PostgreSQL a database is migrated to 0004, filled with the same rows and upgraded.
Every row of every table, every column the release had, must come out with the same value —
unless a migration says on purpose that it changes a column, in ``CHANGED_ON_PURPOSE`` below.
Then the app is used on the upgraded data as each demo user.
"""
from __future__ import annotations

import shutil
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select, text
from sqlalchemy.engine import make_url

from app import schema
from tests.conftest import DEMO_PASSWORD, AuthActions, make_test_app

FIXTURE = Path(__file__).parent / "fixtures" / "release" / "release-0004.sqlite3"
RELEASE_REVISION = "0004"
# {(table, column): reason} for columns a later migration transforms on purpose.
CHANGED_ON_PURPOSE: dict[tuple[str, str], str] = {}


def _normal(value):
    """One form for a value read from either backend (zones, numeric types)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, float) and value.is_integer():
        return Decimal(int(value))
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return value


def _rows(url: str) -> dict[str, dict[tuple, dict]]:
    """Every table's rows by primary key, read through reflected types."""
    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine)
    out = {}
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SET TIME ZONE 'UTC'"))
        for table in meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            key = [c.name for c in table.primary_key.columns]
            out[table.name] = {
                tuple(row[k] for k in key): {c: _normal(v) for c, v in row.items()}
                for row in conn.execute(select(table)).mappings()}
    engine.dispose()
    return out


def _release_rows() -> dict[str, dict[tuple, dict]]:
    return _rows(f"sqlite:///{FIXTURE}")


def _load_into_postgres(url: str) -> None:
    """Copy the fixture's rows into a PostgreSQL database that is at the release revision."""
    source = create_engine(f"sqlite:///{FIXTURE}")
    source_meta = MetaData()
    source_meta.reflect(source)
    target = create_engine(url)
    target_meta = MetaData()
    target_meta.reflect(target)
    with source.connect() as src, target.begin() as dst:
        dst.execute(text("SET TIME ZONE 'UTC'"))
        dst.execute(text("SET session_replication_role = replica"))  # FKs checked below
        for table in target_meta.sorted_tables:
            if table.name == "alembic_version":
                continue
            rows = [dict(r) for r in src.execute(select(source_meta.tables[table.name])).mappings()]
            if rows:
                dst.execute(table.insert(), rows)
            for column in table.primary_key.columns:
                if column.autoincrement and rows:
                    dst.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', "
                        f"'{column.name}'), (SELECT max(\"{column.name}\") FROM \"{table.name}\"))"))
        dst.execute(text("SET session_replication_role = DEFAULT"))
    source.dispose()
    target.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def upgraded_url(request, tmp_path) -> str:
    """The release's data, upgraded to the head revision, on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "release.sqlite3"
        shutil.copyfile(FIXTURE, target)
        url = f"sqlite:///{target}"
        schema.upgrade(url)
        yield url
        return
    base = request.getfixturevalue("postgres_base")
    name = f"xs_release_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    schema.upgrade(url, RELEASE_REVISION)
    _load_into_postgres(url)
    schema.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_base(postgres_template) -> str:
    """The throwaway server's URL (the template fixture fails or skips when there is none)."""
    import os
    return os.environ["TEST_POSTGRES_URL"]


def test_fixture_is_the_release():
    engine = create_engine(f"sqlite:///{FIXTURE}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
            == RELEASE_REVISION
    engine.dispose()


def test_every_record_survives_the_upgrade(upgraded_url):
    before = _release_rows()
    after = _rows(upgraded_url)
    assert sum(len(rows) for rows in before.values()) > 200  # the fixture is not empty
    for table, rows in before.items():
        assert table in after, f"table {table} was dropped"
        for key, old in rows.items():
            assert key in after[table], f"{table} {key} was lost"
            new = after[table][key]
            for column, value in old.items():
                if (table, column) in CHANGED_ON_PURPOSE:
                    continue
                assert column in new, f"{table}.{column} was dropped"
                assert new[column] == value, f"{table} {key} {column}: {value!r} → {new[column]!r}"


def test_fixture_edits_are_present(upgraded_url):
    """The edits made after the demo (not only the demo itself) come through."""
    after = _rows(upgraded_url)
    names = {row["name"] for row in after["organisation"].values()}
    assert any(name.endswith("（已改名）") for name in names)
    assert any("内部备注" in row["body"] for row in after["negotiation_note"].values())
    assert len(after["login_attempt"]) == 2
    assert any(row["notes"] == "把雨天补贴提高到 2 元/单" for row in after["scenario"].values())


@pytest.mark.parametrize("username", ["union", "platform", "mediator", "admin"])
def test_the_app_works_on_upgraded_data(upgraded_url, tmp_path, username):
    app = make_test_app(upgraded_url, tmp_path / "instance")
    client = app.test_client()
    answer = AuthActions(client).login(username, DEMO_PASSWORD)
    assert answer.status_code == 302 and "/login" not in answer.location, answer.location
    for path in ["/dashboard", "/negotiations/", "/negotiations/1", "/scenarios/", "/ledger/"]:
        page = client.get(path)
        assert page.status_code in (200, 403), (path, page.status_code)
    assert "（已改名）" in client.get("/dashboard").get_data(as_text=True) or username != "union"
    app.extensions["xieshang.engine"].dispose()
