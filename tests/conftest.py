"""Shared fixtures, in the style of Flask's tutorial: ``app``, ``client``, ``auth``, ``session``.

Every database test runs against a real SQLite file and, when ``TEST_POSTGRES_URL`` is set
(``make test`` starts a throwaway server), a real PostgreSQL database. Each test gets a fresh
copy of a template database that was migrated with Alembic and loaded with the demo data once.
"""
from __future__ import annotations

import contextlib

import os
import re
import shutil
import uuid
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import demo, rules, schema
from app.db import make_engine, make_session_factory

DEMO_PASSWORD = demo.DEMO_PASSWORD
rules.install()  # every feature's permission rules, as the app factory does
# The demo data are loaded as of this instant, so dates in them are predictable.
DEMO_NOW = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)
BACKENDS = ["sqlite", "postgres"]


def _postgres_url() -> str | None:
    return os.environ.get("TEST_POSTGRES_URL")


def _load_demo(url: str) -> None:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        demo.load(session, now=DEMO_NOW)
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    url = f"sqlite:///{path}"
    schema.upgrade(url)
    _load_demo(url)
    engine = make_engine(url)
    with engine.connect() as conn:  # fold the WAL into the main file before copying it
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def postgres_template() -> str:
    base = _postgres_url()
    if not base:
        if os.environ.get("XIESHANG_REQUIRE_POSTGRES") == "1":
            pytest.fail("TEST_POSTGRES_URL is not set but PostgreSQL tests are required")
        pytest.skip("PostgreSQL not available (set TEST_POSTGRES_URL; `make test` does)")
    name = f"xs_template_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    schema.upgrade(url)
    _load_demo(url)
    yield name
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A fresh, migrated database with the demo data, on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    with postgres_copy(request.getfixturevalue("postgres_template")) as url:
        yield url


@contextlib.contextmanager
def postgres_copy(template: str):
    """The URL of a new PostgreSQL database copied from ``template``, dropped afterwards."""
    base = _postgres_url()
    name = f"xs_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def sqlite_url(request, tmp_path) -> str:
    """A fresh SQLite copy only (for tests that exercise one engine on purpose)."""
    target = tmp_path / "test.sqlite3"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"


def make_test_app(url: str, instance, **overrides):
    from app.web import create_app
    config = {
        "TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-only-key",
        "XIESHANG_DEMO": True, "INSTANCE_PATH": str(instance),
        # No consumer runs beside an in-process app: submitted jobs stay queued (tests run them
        # with app.jobs.runner, or start real consumer processes: tests/test_multi_host.py).
        "XIESHANG_ENQUEUE": lambda job_id: None,
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app_factory(tmp_path):
    """Build an app for a database URL (browser tests serve one from a thread)."""
    made = []

    def factory(url: str, **overrides):
        application = make_test_app(url, tmp_path / "instance", **overrides)
        made.append(application)
        return application
    yield factory
    for application in made:
        application.extensions["xieshang.engine"].dispose()


@pytest.fixture
def app(db_url, tmp_path):
    application = make_test_app(db_url, tmp_path / "instance")
    yield application
    application.extensions["xieshang.engine"].dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def session(app):
    with app.extensions["xieshang.sessions"]() as s:
        yield s


@pytest.fixture
def queued(app):
    """The ids of the jobs the app hands to the queue (none reaches a consumer)."""
    ids: list[int] = []
    app.config["XIESHANG_ENQUEUE"] = ids.append
    return ids


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class AuthActions:
    """Log in as a demo user and post forms with a valid CSRF token."""

    def __init__(self, client):
        self.client = client

    def token(self, page: str = "/login") -> str:
        body = self.client.get(page, follow_redirects=True).get_data(as_text=True)
        match = CSRF_RE.search(body)
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def login(self, username: str = "union", password: str = DEMO_PASSWORD):
        return self.client.post("/login", data={
            "username": username, "password": password, "csrf_token": self.token()})

    def logout(self):
        return self.client.post("/logout", data={"csrf_token": self.token("/dashboard")})

    def post(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token("/dashboard"))
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def auth(client):
    return AuthActions(client)
