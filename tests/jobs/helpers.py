"""Helpers of the job tests: the consumer's part of a job run in-process, and the job count."""
from __future__ import annotations

from sqlalchemy import func, select

from app.jobs import runner
from app.jobs.models import Job


def run_job(app, job_id: int) -> str:
    """Run job ``job_id`` as the consumer would, on the app's database; its final status."""
    with app.extensions["xieshang.sessions"]() as s:
        return runner.run(s, job_id)


def count_jobs(session) -> int:
    return session.scalar(select(func.count()).select_from(Job))
