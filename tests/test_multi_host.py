"""Several hosts: two app processes (gunicorn on their own ports, their own instance folders)
and one job consumer, against one PostgreSQL and one Redis (``make test`` starts both).

A frontier submitted on host A is followed from host B (progress, then the result page); a job
cancelled on B is never finished by the consumer; and an edit saved on A makes the stale form
on B a 409 (optimistic locking holds across hosts).
"""
from __future__ import annotations

import os
import re
import time

import pytest
import redis
from sqlalchemy import select

from app.auth.models import User
from app.scenarios.models import SavedScenario
from tests import hosts
from tests.conftest import postgres_copy

pytestmark = pytest.mark.postgres
POLL = {"HX-Request": "true", "HX-Target": "job-status"}
STATUS_RE = re.compile(r'data-status="(\w+)"')
VERSION_RE = re.compile(r'name="version"[^>]*value="(\d+)"')
FRONTIER = {"source": "preset:delivery", "x_key": "pay.base_per_order", "y_key": "pay.per_km",
            "measure": "p25_net_per_working_hour", "n": "8", "chosen": "today"}


@pytest.fixture
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("XIESHANG_REQUIRE_REDIS") == "1":
            pytest.fail("TEST_REDIS_URL is not set but the Redis tests are required")
        pytest.skip("Redis not available (scripts/with-redis.sh; `make test` starts one)")
    redis.Redis.from_url(url).flushdb()  # this test's queue only
    return url


@pytest.fixture
def postgres_url(postgres_template) -> str:
    """A fresh PostgreSQL database with the demo data, shared by every process of the test."""
    with postgres_copy(postgres_template) as url:
        yield url


@pytest.fixture
def cluster(postgres_url, redis_url, tmp_path):
    """(base URL of host A, of host B, the consumer, the shared database's URL)."""
    started = []
    try:
        env = {name: hosts.environment(postgres_url, tmp_path / name,
                                       XIESHANG_QUEUE_URL=redis_url)
               for name in ("a", "b", "consumer")}
        a, url_a = hosts.start_host(env["a"])
        started.append(a)
        b, url_b = hosts.start_host(env["b"])
        started.append(b)
        consumer = hosts.start_consumer(env["consumer"])
        started.append(consumer)
        yield url_a, url_b, consumer, postgres_url
    finally:
        for process in reversed(started):
            process.stop()


def _job_id(location: str) -> int:
    return int(location.rstrip("/").split("/")[-1])


def test_a_job_submitted_on_one_host_is_followed_on_the_other(cluster):
    url_a, url_b, consumer, _db = cluster
    person = hosts.Client()
    person.login(url_a, "union")
    person.request(f"{url_a}/analyses/frontier")
    status, _body, head = person.request(f"{url_a}/analyses/jobs/frontier", FRONTIER)
    assert status == 303
    job_id = _job_id(head["Location"])
    # The same person, now served by host B (the cookie is valid on every host).
    seen, deadline = [], time.monotonic() + 120
    while time.monotonic() < deadline:
        status, body, _head = person.request(f"{url_b}/analyses/jobs/{job_id}", headers=POLL)
        assert status == 200
        seen.append(STATUS_RE.search(body).group(1))
        if seen[-1] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert seen[-1] == "done", (seen, consumer.output[-20:])
    assert {"queued", "running"} & set(seen), seen  # followed while it ran, not only at the end
    status, page, _head = person.request(f"{url_b}/analyses/jobs/{job_id}/result")
    assert status == 200 and 'id="frontier-result"' in page and "<svg" in page
    assert "run_job" in "".join(consumer.output)


def test_a_job_cancelled_on_the_other_host_gets_no_result(cluster):
    url_a, url_b, _consumer, database_url = cluster
    person = hosts.Client()
    person.login(url_a, "union")
    person.request(f"{url_a}/analyses/frontier")
    first = _job_id(person.request(f"{url_a}/analyses/jobs/frontier",
                                   {**FRONTIER, "n": "12"})[2]["Location"])
    second = _job_id(person.request(f"{url_a}/analyses/jobs/frontier", FRONTIER)[2]["Location"])
    person.request(f"{url_b}/analyses/jobs/{second}")
    status, _body, _head = person.request(f"{url_b}/analyses/jobs/{second}/cancel", {})
    assert status == 303
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        body = person.request(f"{url_a}/analyses/jobs/{first}", headers=POLL)[1]
        if STATUS_RE.search(body).group(1) == "done":
            break
        time.sleep(0.3)
    time.sleep(1.0)  # the consumer has taken the cancelled job by now
    body = person.request(f"{url_a}/analyses/jobs/{second}")[1]
    assert 'data-status="cancelled"' in body
    assert person.request(f"{url_a}/analyses/jobs/{second}/result")[0] == 302


def test_optimistic_locking_holds_across_hosts(cluster):
    url_a, url_b, _consumer, database_url = cluster
    from app.db import make_engine, make_session_factory
    engine = make_engine(database_url)
    with make_session_factory(engine)() as s:
        sid = s.scalar(select(SavedScenario.id).join(User, User.id == SavedScenario.owner_id)
                       .where(User.username == "union").order_by(SavedScenario.id))
    first, second = hosts.Client(), hosts.Client()
    first.login(url_a, "union")
    second.login(url_b, "union")
    page_a = first.request(f"{url_a}/scenarios/{sid}")[1]
    page_b = second.request(f"{url_b}/scenarios/{sid}")[1]
    version = VERSION_RE.search(page_a).group(1)
    assert VERSION_RE.search(page_b).group(1) == version
    saved = first.request(f"{url_a}/scenarios/{sid}/save", {"version": version, "name": "甲的方案"})
    assert saved[0] in (200, 302)
    stale = second.request(f"{url_b}/scenarios/{sid}/save", {"version": version, "name": "乙的方案"})
    assert stale[0] == 409 and "甲的方案" in stale[1]
    with make_session_factory(engine)() as s:
        assert s.get(SavedScenario, sid).name == "甲的方案"
    engine.dispose()


def _wait_done(person, base: str, job_id: int, consumer) -> None:
    deadline, status = time.monotonic() + 120, ""
    while time.monotonic() < deadline:
        body = person.request(f"{base}/analyses/jobs/{job_id}", headers=POLL)[1]
        status = STATUS_RE.search(body).group(1)
        if status in ("done", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert status == "done", (status, consumer.output[-20:])


def test_a_file_made_by_a_job_is_served_by_every_host(cluster):
    """The regional report's PDF, prepared on host A, is downloaded from host B (it is stored
    in PostgreSQL, not in A's instance folder), by the office's organisation only."""
    url_a, url_b, consumer, _db = cluster
    office = hosts.Client()
    office.login(url_a, "mediator")
    office.request(f"{url_a}/reports/region?year=2026")
    status, _body, head = office.request(f"{url_a}/reports/region.pdf?year=2026", {})
    assert status == 303
    job_id = _job_id(head["Location"])
    _wait_done(office, url_b, job_id, consumer)
    with office.opener.open(f"{url_b}/analyses/jobs/{job_id}/download", timeout=60) as answer:
        assert answer.headers["Content-Type"] == "application/pdf"
        assert answer.read().startswith(b"%PDF")
    union = hosts.Client()
    union.login(url_b, "union")
    assert union.request(f"{url_b}/analyses/jobs/{job_id}/download")[0] == 404
