"""Database adapter: engine and session factory, declarative ``Base`` with a naming convention.

SQLite gets WAL and foreign keys on every connection; PostgreSQL is used as is.
"""
from __future__ import annotations

import contextlib
import functools
import os
from datetime import datetime, timezone

from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, sessionmaker
from sqlalchemy.types import DateTime, TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned timezone-aware.

    SQLite keeps no zone, so the zone is attached again when reading.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class RecordIsImmutable(Exception):
    """A record kept as written (audit entries, sent offers, signed texts) was about to change."""


def append_only(*models, error: type[RecordIsImmutable] = RecordIsImmutable, message: str,
                events: tuple[str, ...] = ("before_update", "before_delete")) -> None:
    """Make the ORM refuse to update or delete rows of ``models`` (raising ``error(message)``)."""
    def refuse(_mapper, _connection, _target):
        raise error(message)
    for model in models:
        for name in events:
            event.listen(model, name, refuse)


_DEPTH = "xieshang_unit_depth"


@contextlib.contextmanager
def transaction(session):
    """One unit of work: commit when the block ends, roll back on any error.

    A unit opened inside another joins it: only the outermost one commits, so a view that
    combines two services (copy a scenario, then update it) writes both or neither.
    """
    depth = session.info.get(_DEPTH, 0)
    session.info[_DEPTH] = depth + 1
    try:
        yield session
        if depth == 0:
            session.commit()
    except BaseException:
        if depth == 0:
            session.rollback()
        raise
    finally:
        session.info[_DEPTH] = depth


def atomic(fn):
    """How every service writes: ``fn(session, ...)`` is one :func:`transaction`."""
    @functools.wraps(fn)
    def wrapper(session, *args, **kwargs):
        with transaction(session):
            return fn(session, *args, **kwargs)
    return wrapper


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _create_private(url: str) -> None:
    """Create a new SQLite file readable by its owner only (0600): it holds password hashes
    and evidence. SQLite gives its -wal and -shm files the same mode."""
    from sqlalchemy.engine import make_url
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    try:
        fd = os.open(database, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError:
        return  # e.g. the folder is missing: SQLite says so when connecting
    os.close(fd)


def make_engine(url: str, **kwargs) -> Engine:
    """Create an engine; SQLite connections get WAL and enforced foreign keys."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False})
        _create_private(url)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)
