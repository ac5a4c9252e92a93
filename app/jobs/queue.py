"""The task queue: Huey with its SQLite storage in the instance folder (no server to run), and
its tasks. ``make run`` starts one consumer beside the web server:

    huey_consumer app.jobs.queue.huey -w 1 -k thread

``XIESHANG_HUEY_DB`` names another storage file (tests use one of their own). Each task opens
its own database session from ``DATABASE_URL`` (as the web app does) and closes it.
"""
from __future__ import annotations

import os
from pathlib import Path

from huey import SqliteHuey, crontab

from app.config import Config, instance_path
from app.db import make_engine, make_session_factory, utcnow
from app.models import import_models
from app.notifications import mail, sender

# How often the notification pass runs (assumption: every 5 minutes is soon enough for an
# offer, and a deadline notice goes out early on its day).
NOTIFY_EVERY_MINUTES = 5


def storage_path() -> Path:
    return Path(os.environ.get("XIESHANG_HUEY_DB") or instance_path() / "huey.sqlite3")


def _make() -> SqliteHuey:
    path = storage_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("xieshang", filename=str(path))


huey = _make()


def notifications_pass() -> int:
    """One pass of the notification job on the configured database; messages sent."""
    settings = mail.MailSettings.from_env()
    if settings is None:
        return 0
    import_models()
    engine = make_engine(Config().DATABASE_URL)
    try:
        with make_session_factory(engine)() as session:
            return sender.run_pass(session, settings, now=utcnow())
    finally:
        engine.dispose()


@huey.task()
def send_notifications() -> int:
    """Run one pass now (queued: the consumer runs it)."""
    return notifications_pass()


@huey.periodic_task(crontab(minute=f"*/{NOTIFY_EVERY_MINUTES}"))
def send_notifications_periodically() -> int:
    return notifications_pass()
