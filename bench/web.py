"""Benchmark of the workbench's results fragment (delivery preset, 2,000 workers). One JSON line.

    .venv/bin/python bench/web.py [--requests 40]

Builds a temporary SQLite database with the demo data, logs in as the union through the Flask
test client and posts the workbench form as htmx does (``HX-Target: results``). Every request
changes the base rate, so no result comes from the cache: each one simulates today's rules and
the package on common random numbers, summarises them and draws the SVG chart.

- ``results_fragment_ms_p50``, ``results_fragment_ms_p95``: server time per request (wall time
  of the test-client call), after two warm-up requests;
- ``results_fragment_cpu_ms_p50``, ``_p95``: the same in CPU time of this process, which a busy
  shared machine inflates much less than wall time.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from app import demo, schema  # noqa: E402
from app.db import make_engine, make_session_factory  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        schema.upgrade(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            demo.load(session, now=datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc))
        engine.dispose()

        from app.web import create_app
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": False, "INSTANCE_PATH": tmp})
        client = app.test_client()
        client.post("/login", data={"username": "union", "password": demo.DEMO_PASSWORD})
        created = client.post("/scenarios/new", data={"name": "bench", "sector": "delivery",
                                                       "n_workers": "2000"})
        sid = created.headers["Location"].rstrip("/").split("/")[-1]
        headers = {"HX-Request": "true", "HX-Target": "results"}
        times, cpu = [], []
        for i in range(args.requests + 2):
            rate = f"{6.0 + 0.05 * (i + 1):.2f}"
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.post(f"/scenarios/{sid}/run", data={"pay.base_per_order": rate},
                                   headers=headers)
            elapsed = (time.perf_counter() - start) * 1000
            elapsed_cpu = (time.process_time() - start_cpu) * 1000
            body = response.get_data(as_text=True)
            assert response.status_code == 200 and "<svg" in body, response.status_code
            assert re.search(r'id="metric-share-below"', body)
            if i >= 2:
                times.append(elapsed)
                cpu.append(elapsed_cpu)
        app.extensions["xieshang.engine"].dispose()
    def p95(values):
        values = sorted(values)
        return round(values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))], 1)
    print(json.dumps({
        "results_fragment_ms_p50": round(statistics.median(times), 1),
        "results_fragment_ms_p95": p95(times),
        "results_fragment_cpu_ms_p50": round(statistics.median(cpu), 1),
        "results_fragment_cpu_ms_p95": p95(cpu),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "requests": len(times), "workers": 2000, "preset": "delivery",
        "machine": f"{platform.machine()} {os.cpu_count()} cpu, Python {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
