"""Database backups: SQLite through its online backup API, PostgreSQL through pg_dump/pg_restore.

A backup is consistent while the app keeps running (SQLite's backup API copies a snapshot; pg_dump
runs in one transaction). Restoring replaces the whole database content.
"""
from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    pass


def _sqlite_path(url) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(url.database)


def _libpq_args(url) -> tuple[list[str], dict]:
    """Connection arguments for the PostgreSQL command-line tools, password via the environment."""
    args = ["--host", url.host or "localhost", "--port", str(url.port or 5432),
            "--username", url.username or "postgres", "--dbname", url.database]
    env = {"PGPASSWORD": url.password} if url.password else {}
    return args, env


def _run(command: list[str], env: dict) -> None:
    import os
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} not found; install the postgresql-client package")
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(result.stderr.strip() or f"{command[0]} failed")


def backup(database_url: str, output: Path) -> Path:
    """Write a consistent copy of the database to ``output`` (SQLite file or pg_dump archive)."""
    url = make_url(database_url)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        target = sqlite3.connect(output)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return output
    if url.get_backend_name() == "postgresql":
        args, env = _libpq_args(url)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(output), *args], env)
        return output
    raise BackupError(f"backups are not supported for {url.get_backend_name()}")


def restore(database_url: str, source_file: Path) -> None:
    """Replace the database content with the backup in ``source_file``."""
    url = make_url(database_url)
    source_file = Path(source_file)
    if not source_file.is_file():
        raise BackupError(f"no backup file at {source_file}")
    if url.get_backend_name() == "sqlite":
        try:
            source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
            source.execute("PRAGMA schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source_file} is not a SQLite backup: {exc}") from exc
        target = sqlite3.connect(_sqlite_path(url))
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
        return
    if url.get_backend_name() == "postgresql":
        args, env = _libpq_args(url)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              *args, str(source_file)], env)
        return
    raise BackupError(f"restore is not supported for {url.get_backend_name()}")
