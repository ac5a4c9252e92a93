"""Analyses as background jobs: submit, progress fragment, result page, cancel, failure, access.

The consumer's part runs here in-process on the test's real database (``runner.run``); the
consumer as a separate process is tested in tests/test_multi_host.py and
tests/jobs/test_consumer.py.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.simulator import presets
from app.jobs import runner
from app.jobs import service as jobs
from app.jobs.models import Job
from tests.jobs.helpers import count_jobs, run_job

POLL = {"HX-Request": "true", "HX-Target": "job-status"}
FRONTIER = {"source": "preset:delivery", "x_key": "pay.base_per_order",
            "y_key": "pay.per_km", "measure": "p25_net_per_working_hour", "n": "3",
            "chosen": "today"}


def test_a_frontier_job_runs_and_its_result_page_shows_the_chart(app, client, auth, queued):
    auth.login("union")
    answer = auth.post("/analyses/jobs/frontier", FRONTIER)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:400]
    job_id = int(answer.headers["Location"].rstrip("/").split("/")[-1])
    assert queued == [job_id]
    page = client.get(f"/analyses/jobs/{job_id}").get_data(as_text=True)
    assert 'id="job-progress"' in page and 'hx-trigger="every 1s"' in page
    assert 'id="job-cancel"' in page
    assert run_job(app, job_id) == "done"
    poll = client.get(f"/analyses/jobs/{job_id}", headers=POLL)
    fragment = poll.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="job-status"')
    assert "hx-trigger" not in fragment and f"/analyses/jobs/{job_id}/result" in fragment
    assert "HX-Request" in poll.headers["Vary"]
    result = client.get(f"/analyses/jobs/{job_id}/result").get_data(as_text=True)
    assert 'id="frontier-result"' in result and "<svg" in result and 'id="job-banner"' in result
    # the same numbers as the analysis run in the request
    direct = auth.post("/analyses/frontier", FRONTIER).get_data(as_text=True)
    def offers(page):
        start = page.index('id="frontier-offers"')
        return page[start:page.index("</table>", start)]
    assert offers(direct) == offers(result) and "<td>" in offers(result)


def test_a_sensitivity_job_by_htmx_opens_the_job_page(app, client, auth, queued):
    auth.login("union")
    answer = auth.post("/analyses/jobs/sensitivity", {"source": "preset:delivery",
                                                      "measure": "p25_net_per_working_hour",
                                                      "step": "10"},
                       headers={"HX-Request": "true", "HX-Target": "analysis"})
    assert answer.status_code == 204
    job_id = queued[0]
    assert answer.headers["HX-Redirect"] == f"/analyses/jobs/{job_id}"
    assert run_job(app, job_id) == "done"
    result = client.get(f"/analyses/jobs/{job_id}/result").get_data(as_text=True)
    assert 'id="sensitivity-result"' in result and "<svg" in result


def test_refused_forms_answer_beside_the_field_and_queue_nothing(app, client, auth, queued,
                                                                 session):
    auth.login("union")
    before = count_jobs(session)
    same = auth.post("/analyses/jobs/frontier", {**FRONTIER, "y_key": "pay.base_per_order"})
    assert same.status_code == 400 and "两个参数不能相同" in same.get_data(as_text=True)
    step = auth.post("/analyses/jobs/sensitivity", {"source": "preset:delivery",
                                                    "measure": "p25_net_per_working_hour",
                                                    "step": "95"})
    assert step.status_code == 400 and "步长" in step.get_data(as_text=True)
    assert count_jobs(session) == before and queued == []


def test_cancel_by_the_owner_means_no_result(app, client, auth, queued, session):
    auth.login("union")
    job_id = int(auth.post("/analyses/jobs/frontier", FRONTIER).headers["Location"]
                 .split("/")[-1])
    assert auth.post(f"/analyses/jobs/{job_id}/cancel").status_code == 303
    page = client.get(f"/analyses/jobs/{job_id}").get_data(as_text=True)
    assert 'data-status="cancelled"' in page and 'id="job-cancel"' not in page
    assert run_job(app, job_id) == "cancelled"
    session.expire_all()
    job = session.get(Job, job_id)
    assert job.status == "cancelled" and job.result is None
    assert client.get(f"/analyses/jobs/{job_id}/result").status_code == 302
    assert auth.post(f"/analyses/jobs/{job_id}/cancel").status_code == 409


def test_a_job_cancelled_while_running_stops_at_the_next_progress_call(app, session):
    user = session.scalar(select(User).where(User.username == "union"))
    job = jobs.submit(session, user, kind="sensitivity", parameters={}, now=utcnow())
    session.commit()
    assert jobs.start(session, job.id, now=utcnow()) is not None
    assert jobs.report_progress(session, job.id, 0.3)
    jobs.cancel(session, user, job, now=utcnow())
    session.commit()
    assert not jobs.report_progress(session, job.id, 0.6)
    assert not jobs.finish(session, job.id, {"x": 1}, now=utcnow())
    session.expire_all()
    assert session.get(Job, job.id).result is None

    # The analysis itself stops at the first progress call after a cancel.
    small = presets.preset("delivery").with_values({"workforce.n_workers": 50})
    calls = []

    def stop(fraction):
        calls.append(fraction)
        raise runner.Cancelled
    with pytest.raises(runner.Cancelled):
        runner.RUNNERS["sensitivity"]({"scenario": small.to_dict(), "arguments": {
            "measure": "p25_net_per_working_hour", "seed": 1}}, stop)
    assert len(calls) == 1 and calls[0] < 1


def test_a_failure_shows_its_message(app, client, auth, session):
    auth.login("union")
    user = session.scalar(select(User).where(User.username == "union"))
    job = jobs.submit(session, user, kind="frontier", parameters={
        "scenario": {}, "arguments": {**{k: v for k, v in FRONTIER.items()
                                         if k in ("x_key", "y_key", "measure")},
                                      "seed": 1, "n": 99}, "form": {}, "source": "x",
        "terms": []}, now=utcnow())
    session.commit()
    assert run_job(app, job.id) == "failed"
    page = client.get(f"/analyses/jobs/{job.id}").get_data(as_text=True)
    assert 'role="alert"' in page and "网格点数" in page
    session.expire_all()
    assert json.loads(session.get(Job, job.id).error)


def test_a_failure_inside_the_job_reads_in_either_language(app, client, auth, session):
    """A field check that fails in the consumer is stored with its label in both languages."""
    auth.login("union")
    user = session.scalar(select(User).where(User.username == "union"))
    job = jobs.submit(session, user, kind="sensitivity", parameters={
        "scenario": {"workforce": {"n_workers": 0}}, "arguments": {"seed": 1}, "form": {},
        "source": "x", "terms": []}, now=utcnow())
    session.commit()
    assert run_job(app, job.id) == "failed"
    page = client.get(f"/analyses/jobs/{job.id}").get_data(as_text=True)
    assert "模拟劳动者人数必须在 1 到 1000000 之间" in page
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    page = client.get(f"/analyses/jobs/{job.id}").get_data(as_text=True)
    assert "Simulated workers must be between 1 and 1000000" in page


def test_only_the_submitting_organisation_sees_a_job(app, client, auth, queued):
    auth.login("union")
    job_id = int(auth.post("/analyses/jobs/frontier", FRONTIER).headers["Location"]
                 .split("/")[-1])
    assert f"/analyses/jobs/{job_id}" in client.get("/analyses/jobs/").get_data(as_text=True)
    auth.logout()
    auth.login("platform")
    for url in (f"/analyses/jobs/{job_id}", f"/analyses/jobs/{job_id}/result"):
        assert client.get(url).status_code == 404
    assert auth.post(f"/analyses/jobs/{job_id}/cancel").status_code == 404
    assert f"/analyses/jobs/{job_id}" not in client.get("/analyses/jobs/").get_data(as_text=True)
