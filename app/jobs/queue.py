"""The task queue: Huey with its SQLite storage in the instance folder (no server to run), or
Redis for several hosts, and its tasks. ``make run`` starts one consumer beside the web server:

    huey_consumer app.jobs.queue.huey -w 1 -k thread

``XIESHANG_QUEUE_URL=redis://host:port/db`` puts the queue in Redis (every web host and consumer
set the same URL: see docs/operations.md). Otherwise ``XIESHANG_HUEY_DB`` names the SQLite
storage file (tests use one of their own). Each task opens its own database session from
``DATABASE_URL`` (as the web app does) and closes it.
"""
from __future__ import annotations

import os
from pathlib import Path

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey

from app import rules
from app.config import Config, instance_path
from app.db import make_engine, make_session_factory, utcnow
from app.jobs import runner
from app.jobs import service as jobs_service
from app.models import import_models
from app.notifications import mail, sender
from app.simulator.parallel import spread_over

# How often the notification pass runs (assumption: every 5 minutes is soon enough for an
# offer, and a deadline notice goes out early on its day).
NOTIFY_EVERY_MINUTES = 5


def storage_path() -> Path:
    return Path(os.environ.get("XIESHANG_HUEY_DB") or instance_path() / "huey.sqlite3")


def queue_url() -> str:
    return os.environ.get("XIESHANG_QUEUE_URL", "").strip()


def _make() -> Huey:
    url = queue_url()
    if url.startswith(("redis://", "rediss://", "unix://")):
        return RedisHuey("xieshang", url=url)
    if url:
        raise ValueError("XIESHANG_QUEUE_URL must be a redis:// URL (or unset for SQLite)")
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


def stale_jobs_pass() -> int:
    """Fail the jobs a stopped consumer left behind (``service.fail_stale``); how many."""
    import_models()
    engine = make_engine(Config().DATABASE_URL)
    try:
        with make_session_factory(engine)() as session:
            return jobs_service.fail_stale(session, now=utcnow())
    finally:
        engine.dispose()


@huey.periodic_task(crontab(minute="30"))  # hourly: a job is stale after an hour at the least
def fail_stale_jobs_periodically() -> int:
    return stale_jobs_pass()


def run_job_now(job_id: int) -> str:
    """Run job ``job_id`` on the configured database; its final status. The permission rules
    are installed first (as the web factory does): the reports a job prints check access. A
    simulation of the job spreads over ``JOB_PROCESSES`` processes."""
    import_models()
    rules.install()
    config = Config()
    engine = make_engine(config.DATABASE_URL)
    try:
        with make_session_factory(engine)() as session, spread_over(config.JOB_PROCESSES):
            return runner.run(session, job_id)
    finally:
        engine.dispose()


@huey.task()
def run_job(job_id: int) -> str:
    """Run one analysis job (queued by the web layer: the consumer runs it)."""
    return run_job_now(job_id)


def enqueue(job_id: int) -> None:
    """Hand job ``job_id`` to the consumers."""
    run_job(job_id)
