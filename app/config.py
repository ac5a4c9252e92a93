"""Settings from the environment.

Every setting has a safe default for a single office running the embedded SQLite database under
``instance/``; a shared deployment sets ``DATABASE_URL`` and ``SECRET_KEY`` (see README).
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def instance_path() -> Path:
    """Folder for the SQLite file, the generated secret key and uploads."""
    return Path(os.environ.get("XIESHANG_INSTANCE", PROJECT_ROOT / "instance")).resolve()


def load_or_create_secret_key(folder: Path) -> str:
    """Read ``SECRET_KEY`` from the environment, else from ``folder/secret_key``.

    The file is generated once (0600) so sessions survive a restart; there is no fixed default.
    """
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = folder / "secret_key"
    if path.exists():
        return path.read_text().strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Values read once when the app is created; tests pass overrides to ``create_app``."""

    def __init__(self) -> None:
        folder = instance_path()
        self.INSTANCE_PATH = str(folder)
        self.SECRET_KEY = load_or_create_secret_key(folder)
        self.DATABASE_URL = os.environ.get(
            "DATABASE_URL", f"sqlite:///{folder / 'xieshang.sqlite3'}"
        )
        self.XIESHANG_DEMO = _flag("XIESHANG_DEMO")
        https = _flag("XIESHANG_HTTPS")
        self.XIESHANG_HTTPS = https  # served over HTTPS only: HSTS and secure cookies
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = https
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SECURE = https
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
        # The cookie's expiry does not slide with every response; a session ends at most this
        # long after the login, however active (assumption: one working day).
        self.SESSION_REFRESH_EACH_REQUEST = False
        self.SESSION_ABSOLUTE_LIFETIME = timedelta(hours=int(
            os.environ.get("XIESHANG_SESSION_HOURS", "8")))
        self.MAX_CONTENT_LENGTH = 10 * 1024 * 1024
        self.WTF_CSRF_TIME_LIMIT = None
        self.BABEL_DEFAULT_LOCALE = "zh_CN"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
        self.LANGUAGES = ("zh_CN", "en")
        # Failed logins allowed per account / per client address within the window before each
        # further try waits (30 s, doubling, at most the window): see docs/operations.md.
        self.LOGIN_MAX_FAILURES = int(os.environ.get("XIESHANG_LOGIN_MAX_FAILURES", "5"))
        self.LOGIN_MAX_ADDRESS_FAILURES = int(
            os.environ.get("XIESHANG_LOGIN_MAX_ADDRESS_FAILURES", "20"))
        self.LOGIN_WINDOW = timedelta(minutes=15)
        # Processes a background job's simulation spreads its chunks of workers over (a
        # population above the interactive limit): two where there are two cores or more
        # (bench/simulator.py, 2026-12-04: 0.57 of the one-process time on 2 cores).
        self.JOB_PROCESSES = int(os.environ.get("XIESHANG_JOB_PROCESSES",
                                                str(min(2, os.cpu_count() or 1))))
        # Reverse proxies in front of the app that set X-Forwarded-For / -Proto (nginx: 1).
        # 0 trusts no such header: the client address is the connection's.
        self.TRUSTED_PROXIES = int(os.environ.get("XIESHANG_TRUSTED_PROXIES", "0"))

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}
