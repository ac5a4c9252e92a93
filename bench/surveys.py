"""Benchmark of the riders' survey on a demo database (SQLite); prints one JSON line.

Figures (median of ``--runs`` runs, milliseconds): the public answer page (GET), one answer
stored (POST with a new device each time), the owner's results page (320 demo responses plus
those stored here, with its charts) and the calibration from them (POST). Also the public page's
size in bytes (HTML, gzip-compressed HTML, and its one stylesheet).

Usage: .venv/bin/python bench/surveys.py [--runs 5]
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import demo, schema  # noqa: E402
from app.db import make_engine, make_session_factory  # noqa: E402
from app.demo.surveys import TOKEN  # noqa: E402
from app.web import create_app  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ANSWER = {"days_last_month": "22", "hours_online_per_day": "9", "hours_with_orders_per_day": "7",
          "orders_per_day": "28", "km_per_day": "90", "gross_pay_last_month": "6200",
          "deductions_last_month": "180", "vehicle_type": "ebike", "work_pattern": "full_time",
          "city": "郑州", "consent": "yes"}


def _ms(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(1000 * (time.perf_counter() - t))
    return round(statistics.median(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    folder = tempfile.mkdtemp()
    url = f"sqlite:///{folder}/bench.sqlite3"
    schema.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        demo.load(session, now=datetime.now(timezone.utc))
    engine.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "XIESHANG_DEMO": True,
                      "INSTANCE_PATH": folder})
    page = app.test_client().get(f"/s/{TOKEN}").data

    def answer():
        rider = app.test_client()
        token = CSRF.search(rider.get(f"/s/{TOKEN}").get_data(as_text=True)).group(1)
        assert rider.post(f"/s/{TOKEN}", data={**ANSWER, "csrf_token": token},
                          environ_base={"REMOTE_ADDR": f"10.0.{time.time_ns() % 250}.1"}
                          ).status_code == 303

    owner = app.test_client()
    token = CSRF.search(owner.get("/login").get_data(as_text=True)).group(1)
    owner.post("/login", data={"username": "union", "password": demo.DEMO_PASSWORD,
                               "csrf_token": token})
    token = CSRF.search(owner.get("/dashboard").get_data(as_text=True)).group(1)
    out = {
        "bench": "surveys", "runs": runs, "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "public_page_bytes": len(page), "public_page_gzip_bytes": len(gzip.compress(page)),
        "public_css_bytes": (ROOT / "static/css/survey.css").stat().st_size,
        "public_get_ms": _ms(lambda: app.test_client().get(f"/s/{TOKEN}"), runs),
        "answer_get_and_post_ms": _ms(answer, runs),
        "results_page_ms": _ms(lambda: owner.get("/surveys/1"), runs),
        "calibration_ms": _ms(lambda: owner.post("/surveys/1/calibrate",
                                                 data={"csrf_token": token}), runs),
    }
    app.extensions["xieshang.engine"].dispose()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
