"""Long work started from its own page as a background job: a population above the interactive
limit (issue 19). The consumer's part runs in-process on the test's real database
(``runner.run``); tests/jobs/test_consumer.py runs a real consumer process."""
from __future__ import annotations

import re

from app.jobs import runner
from app.jobs import service as jobs
from app.jobs.models import Job
from app.scenarios import service as scenarios
from app.scenarios.models import SavedScenario
from app.simulator.effect import baseline_cache, effect_cache, package_effect
from app.simulator.params import MAX_WORKER_DAYS, larger_runs
from tests.jobs.helpers import count_jobs, run_job
from tests.web.test_scenarios_workbench import HX, create

# 6,000 workers × 30 days = 180,000 worker-days: above the interactive limit, quick as a job.
ABOVE = {"workforce.n_workers": "6000"}
TOO_BIG = {"workforce.n_workers": str(runner.JOB_MAX_WORKER_DAYS // 30 + 1)}


def test_the_refusal_beside_the_field_offers_the_job(client, auth):
    auth.login("union")
    sid = create(auth)
    assert 6000 * 30 > MAX_WORKER_DAYS
    for headers in ({}, HX):
        answer = auth.post(f"/scenarios/{sid}/run", ABOVE, headers=headers)
        page = answer.get_data(as_text=True)
        assert answer.status_code == 400
        slot = re.search(r'<p class="field-error" id="err-workforce-n_workers"[^>]*>(.*?)</p>',
                         page, re.S).group(1)
        assert "150,000" in slot and 'id="run-scenario-as-job"' in slot
        assert f'formaction="/scenarios/{sid}/run-as-job"' in slot and "后台任务" in slot
        assert "3,000,000" in slot  # the jobs' own ceiling
    # Above the jobs' own ceiling there is nothing to offer.
    page = auth.post(f"/scenarios/{sid}/run", TOO_BIG, headers=HX).get_data(as_text=True)
    assert "run-scenario-as-job" not in page


def test_a_large_population_runs_as_a_job_with_the_workbench_figures(app, client, auth,
                                                                       queued, session):
    auth.login("union")
    sid = create(auth)
    answer = auth.post(f"/scenarios/{sid}/run-as-job", ABOVE)
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    job_id = queued[0]
    page = client.get(f"/analyses/jobs/{job_id}").get_data(as_text=True)
    assert 'id="job-progress"' in page and 'id="job-cancel"' in page and "6,000" in page
    assert run_job(app, job_id) == "done"
    result = client.get(f"/analyses/jobs/{job_id}/result").get_data(as_text=True)
    # The same computation as the workbench: package_effect on the same scenario and seed.
    record = session.get(SavedScenario, sid)
    with larger_runs(None):
        package = scenarios.apply_values(record, {"workforce.n_workers": 6000})
        effect = package_effect(package, scenarios.baseline_of(package, record.baseline_pay),
                                record.seed)
    median = effect["package"]["quantiles"]["net_per_working_hour"]["p50"]
    assert f'id="metric-median-hourly">¥{median:,.2f}<' in result
    cost = effect["package"]["platform"]["cost_per_order"]
    assert f'id="metric-cost-order">¥{cost:,.2f}<' in result
    assert 'id="job-banner"' in result and "6,000" in result and "<svg" in result
    # Nothing was saved to the scenario.
    session.expire_all()
    assert session.get(SavedScenario, sid).data == record.data


def test_the_jobs_result_scales_the_cost_to_the_workers_its_negotiation_covers(
        app, client, auth, queued, session):
    from tests.negotiations.helpers import negotiation
    n = negotiation(session, "consultation")
    auth.login("union")
    created = auth.post("/scenarios/from-negotiation", {"negotiation_id": str(n.id)})
    sid = int(created.headers["Location"].rstrip("/").split("/")[-1])
    assert auth.post(f"/scenarios/{sid}/run-as-job", ABOVE).status_code == 303
    assert run_job(app, queued[0]) == "done"
    result = client.get(f"/analyses/jobs/{queued[0]}/result").get_data(as_text=True)
    assert 'id="covered-cost"' in result and f"{n.workers_count:,}" in result
    per_month = jobs.result(session.get(Job, queued[0]))["package"]["platform"][
        "cost_per_worker_month"]
    assert f'id="covered-package">{per_month * n.workers_count:,.0f}<' in result
    # the scenario deleted since: the stored figures still show, without that section
    assert auth.post(f"/scenarios/{sid}/delete", {}).status_code in (302, 303)
    result = client.get(f"/analyses/jobs/{queued[0]}/result")
    assert result.status_code == 200 and 'id="covered-cost"' not in result.get_data(
        as_text=True) and 'id="metric-median-hourly"' in result.get_data(as_text=True)


def test_the_consumer_spreads_a_large_population_over_two_processes(
        app, client, auth, queued, session, db_url, tmp_path, monkeypatch):
    """``queue.run_job_now`` (what the consumer calls) spreads the job's simulations over
    ``XIESHANG_JOB_PROCESSES`` processes, with the figures of one process."""
    from app.jobs import queue
    from app.simulator import parallel

    auth.login("union")
    sid = create(auth)
    assert auth.post(f"/scenarios/{sid}/run-as-job", ABOVE).status_code == 303
    # simulated in the job, not taken from this process's caches (the same scenario and seed
    # ran before, on the other database)
    baseline_cache.clear()
    effect_cache.clear()
    spread = []
    map_shared = parallel.map_shared
    monkeypatch.setattr(parallel, "map_shared",
                        lambda fn, calls, processes: spread.append(processes)
                        or map_shared(fn, calls, processes))
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("XIESHANG_INSTANCE", str(tmp_path / "consumer"))
    monkeypatch.setenv("XIESHANG_JOB_PROCESSES", "2")
    assert queue.run_job_now(queued[0]) == "done"
    assert spread and set(spread) == {2}
    result = client.get(f"/analyses/jobs/{queued[0]}/result").get_data(as_text=True)
    record = session.get(SavedScenario, sid)
    baseline_cache.clear()
    effect_cache.clear()  # computed again here, not the job's cached figures
    monkeypatch.setattr(parallel, "map_shared", map_shared)
    with larger_runs(None):
        package = scenarios.apply_values(record, {"workforce.n_workers": 6000})
        effect = package_effect(package, scenarios.baseline_of(package, record.baseline_pay),
                                record.seed)
    for key, figure in (("metric-median-hourly",
                         effect["package"]["quantiles"]["net_per_working_hour"]["p50"]),
                        ("metric-cost-order", effect["package"]["platform"]["cost_per_order"])):
        assert f'id="{key}">¥{figure:,.2f}<' in result


def test_the_submit_checks_and_queues_but_never_simulates(app, client, auth, queued,
                                                          monkeypatch, session):
    auth.login("union")
    sid = create(auth)

    def no_simulation(*args, **kwargs):
        raise AssertionError("a web request simulated")
    monkeypatch.setattr("app.simulator.engine.simulate", no_simulation)
    assert auth.post(f"/scenarios/{sid}/run-as-job", ABOVE).status_code == 303
    # refused: above the jobs' ceiling, or a bad value; 400 with the message, nothing queued
    before = count_jobs(session)
    too_big = auth.post(f"/scenarios/{sid}/run-as-job", TOO_BIG, headers=HX)
    assert too_big.status_code == 400 and "3,000,000" in too_big.get_data(as_text=True)
    bad = auth.post(f"/scenarios/{sid}/run-as-job", {"workforce.n_workers": "abc"})
    assert bad.status_code == 400
    assert count_jobs(session) == before and len(queued) == 1


def test_another_organisation_cannot_run_the_scenario(client, auth, queued):
    auth.login("union")
    sid = create(auth)
    auth.logout()
    auth.login("platform")
    assert auth.post(f"/scenarios/{sid}/run-as-job", ABOVE).status_code == 404
    assert queued == []
