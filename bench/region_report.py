"""Benchmark: the regional year report as PDF on the demo data (issue 19: is it over a second?).

Loads the demo into a fresh SQLite file, then times ``ledger.report.build`` and
``report_pdf.render_report`` (the work of ``/reports/region.pdf``) RUNS times after one warm-up.
Prints one JSON line: ``build_s``, ``render_s`` and ``total_s`` (medians of wall time),
``total_cpu_s`` (median CPU time of this process), ``pages`` and ``bytes``.

    .venv/bin/python bench/region_report.py
"""
from __future__ import annotations

import datetime as dt
import io
import json
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pypdf import PdfReader  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import demo, rules, schema  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.db import make_engine, make_session_factory  # noqa: E402
from app.ledger import report as region  # noqa: E402
from app.reports import report_pdf  # noqa: E402

RUNS = 5
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.timezone.utc)


def main() -> None:
    rules.install()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.sqlite3"
        schema.upgrade(url)
        engine = make_engine(url)
        sessions = make_session_factory(engine)
        with sessions() as session:
            demo.load(session, now=NOW)
        builds, renders, cpus, data = [], [], [], b""
        with sessions() as session:
            office = session.scalar(select(User).where(User.username == "mediator"))
            for run in range(RUNS + 1):
                cpu, start = time.process_time(), time.perf_counter()
                report = region.build(session, office, NOW.year, today=NOW.date())
                built = time.perf_counter()
                data = report_pdf.render_report(report, lang="zh",
                                                office=office.organisation.name, generated=NOW)
                if run:  # the first run warms the fonts and templates
                    builds.append(built - start)
                    renders.append(time.perf_counter() - built)
                    cpus.append(time.process_time() - cpu)
        engine.dispose()
    print(json.dumps({
        "build_s": round(statistics.median(builds), 3),
        "render_s": round(statistics.median(renders), 3),
        "total_s": round(statistics.median(b + r for b, r in zip(builds, renders)), 3),
        "total_cpu_s": round(statistics.median(cpus), 3),
        "first_run_included": False,
        "pages": len(PdfReader(io.BytesIO(data)).pages), "bytes": len(data), "runs": RUNS,
        "machine": f"{platform.machine()} {platform.python_version()}",
    }))


if __name__ == "__main__":
    main()
