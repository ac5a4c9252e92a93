"""The audit log is append-only; the secret key is generated once and never fixed."""
import os
import stat

import pytest
from sqlalchemy import select

from app.audit import AuditEntry, AuditLogIsAppendOnly
from app.config import load_or_create_secret_key


def test_audit_entries_cannot_be_changed_or_deleted(session):
    entry = session.scalar(select(AuditEntry).limit(1))
    assert entry is not None
    entry.action = "tampered"
    with pytest.raises(AuditLogIsAppendOnly):
        session.commit()
    session.rollback()
    entry = session.scalar(select(AuditEntry).limit(1))
    session.delete(entry)
    with pytest.raises(AuditLogIsAppendOnly):
        session.commit()
    session.rollback()
    assert session.scalar(select(AuditEntry).where(AuditEntry.action == "tampered")) is None


def test_secret_key_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = load_or_create_secret_key(tmp_path)
    second = load_or_create_secret_key(tmp_path)
    assert first == second and len(first) >= 40
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600
    other = load_or_create_secret_key(tmp_path / "elsewhere")
    assert other != first


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_or_create_secret_key(tmp_path) == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_app_without_overrides_uses_generated_key(tmp_path, monkeypatch):
    from app.web import create_app
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("XIESHANG_INSTANCE", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    app = create_app()
    assert app.config["SECRET_KEY"] == (tmp_path / "secret_key").read_text().strip()
    app.extensions["xieshang.engine"].dispose()


def test_a_web_worker_keeps_openblas_to_one_thread(sqlite_url, app_factory):
    """Workers are one process per core; OpenBLAS's spinning threads would take the others'."""
    from threadpoolctl import threadpool_info, threadpool_limits
    threadpool_limits(limits=2, user_api="blas")
    app_factory(sqlite_url)
    blas = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    assert blas and set(blas) == {1}
