"""Issue 13, finding 1: one request cannot take a worker for long (worker-days bound)."""
from __future__ import annotations

import json
import re
import time

from sqlalchemy import func, select

from app.negotiations.models import Negotiation
from app.scenarios.models import SavedScenario
from app.simulator import presets
from tests.web.test_scenarios_workbench import HX, create

HUGE = {"workforce.n_workers": "100000", "workforce.days": "366"}


# Work is bounded in CPU time (process_time): wall time on a busy test machine says nothing;
# answer times under load are bench/abuse.py's figures.
def test_oversized_run_is_a_quick_400_naming_the_limit(client, auth):
    auth.login("union")
    sid = create(auth)
    for headers in ({}, HX):
        started = time.process_time()
        response = auth.post(f"/scenarios/{sid}/run", HUGE, headers=headers)
        assert time.process_time() - started < 2
        assert response.status_code == 400
        assert "150,000" in response.get_data(as_text=True)


def test_oversized_save_and_create_write_nothing(client, auth, session):
    auth.login("union")
    sid = create(auth)
    before = session.get(SavedScenario, sid).data
    response = auth.post(f"/scenarios/{sid}/save", {**HUGE, "version": "1"})
    assert response.status_code == 400 and "150,000" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(SavedScenario, sid).data == before
    count = session.scalar(select(func.count()).select_from(SavedScenario))
    response = auth.post("/scenarios/new", {"name": "大", "sector": "delivery",
                                            "n_workers": "1000000"})
    assert response.status_code == 400
    assert session.scalar(select(func.count()).select_from(SavedScenario)) == count


def test_negotiation_cannot_carry_an_oversized_population(client, auth, session):
    auth.login("union")
    rules = presets.preset("delivery").to_dict()
    rules["workforce"]["n_workers"] = 100_000
    rules["workforce"]["days"] = 366
    before = session.scalar(select(func.count()).select_from(Negotiation))
    union_org = session.scalar(select(Negotiation.worker_org_id))
    platform_org = session.scalar(select(Negotiation.employer_org_id))
    started = time.process_time()
    response = auth.post("/negotiations/new", {
        "title": "超大规则", "worker_org_id": union_org, "employer_org_id": platform_org,
        "sector": "delivery", "province": "河南省", "city": "郑州市",
        "workers_covered": "全部骑手", "workers_count": "50",
        "current_rules": json.dumps(rules)})
    assert time.process_time() - started < 2
    assert response.status_code == 400 and "150,000" in response.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Negotiation)) == before


def test_analysis_grid_is_bounded_by_the_orders_it_re_thins(client, auth):
    """A grid of pay terms shares one set of kept orders (15 × 15 on 1,500 × 100 answers); a grid
    whose axis is an hour limit re-thins per value and is refused beyond its budget, with the
    largest size that fits; the background job's budget is larger."""
    auth.login("union")
    sid = create(auth, workers=1500)
    assert auth.post(f"/scenarios/{sid}/save", {"workforce.days": "100",
                                                    "version": "1"}).status_code == 302
    started = time.process_time()
    pay = auth.post("/analyses/frontier", {"source": f"scenario:{sid}", "n": "15"})
    assert pay.status_code == 200
    assert time.process_time() - started < 4
    hours = {"source": f"scenario:{sid}", "x_key": "pay.max_daily_hours",
             "y_key": "pay.max_orders_per_hour"}
    started = time.process_time()
    response = auth.post("/analyses/frontier", {**hours, "n": "15"})
    assert time.process_time() - started < 2
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    # The subject is cut to 600 workers × 100 days: 3² × 60,000 ≤ 900,000 < 4² × 60,000.
    assert "900,000" in text
    assert re.search(r"(最多|at most) ?(\d+)", text).group(2) == "3"
    smaller = auth.post("/analyses/frontier", {**hours, "n": "3"})
    assert smaller.status_code == 200


def test_cli_may_run_bigger_and_spread_it_over_processes(runner):
    args = ["simulate", "--workers", "20000", "--days", "30", "--json",
            "--baseline-set", "base_per_order=7"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    one = json.loads(result.output)
    assert one["workers"] == 20000 and "delta" in one
    two = runner.invoke(args=args + ["--processes", "2"])
    assert two.exit_code == 0, two.output
    assert json.loads(two.output) == one  # the same figures, to the last digit
    bad = runner.invoke(args=args + ["--processes", "0"])
    assert bad.exit_code == 2 and "--processes" in bad.output
