"""Jobs a stopped consumer left behind are failed by the hourly pass, with a message that says
so, and no longer count as open (issue 19)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.auth.models import User
from app.jobs import queue
from app.jobs import service as jobs
from app.jobs.models import Job

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.timezone.utc)
PARAMETERS = {"scenario": {}, "arguments": {}, "form": {}, "source": "x", "terms": []}


def _job(session, user, *, status, submitted, started=None) -> int:
    job = jobs.submit(session, user, kind="sensitivity", parameters=PARAMETERS, now=submitted)
    job.status, job.started_at = status, started
    job.upload = b"records" if status == "queued" else None
    session.flush()
    return job.id


def test_stale_jobs_fail_and_fresh_ones_are_left_alone(app, client, auth, session):
    user = session.scalar(select(User).where(User.username == "union"))
    hour = dt.timedelta(hours=1)
    left_running = _job(session, user, status="running", submitted=NOW - 2 * hour,
                        started=NOW - 2 * hour + dt.timedelta(minutes=1))
    running = _job(session, user, status="running", submitted=NOW - hour / 2,
                   started=NOW - hour / 2)
    lost = _job(session, user, status="queued", submitted=NOW - 25 * hour)
    waiting = _job(session, user, status="queued", submitted=NOW - 2 * hour)
    session.commit()

    assert jobs.fail_stale(session, now=NOW) == 2
    session.expire_all()
    status = {i: session.get(Job, i).status for i in (left_running, running, lost, waiting)}
    assert status == {left_running: "failed", running: "running", lost: "failed",
                      waiting: "queued"}
    assert session.get(Job, lost).upload is None
    assert session.get(Job, waiting).upload == b"records"
    assert jobs.fail_stale(session, now=NOW) == 0

    auth.login("union")
    page = client.get(f"/analyses/jobs/{left_running}").get_data(as_text=True)
    assert "重新提交" in page
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    page = client.get(f"/analyses/jobs/{lost}").get_data(as_text=True)
    assert "The job was never started; submit it again" in page


def test_the_stale_pass_runs_every_hour():
    task = queue.fail_stale_jobs_periodically.task_class()
    assert task.validate_datetime(dt.datetime(2026, 12, 4, 10, 30))
    assert not task.validate_datetime(dt.datetime(2026, 12, 4, 10, 35))
