"""CPU time and SQL statements per request of each kind in ``bench/load.py``'s workload. One JSON
line.

    .venv/bin/python bench/pages_cpu.py [--requests 30] [--kinds dashboard,negotiation]
        [--profile dashboard|negotiation|simulation|agreement_pdf]

Builds a temporary SQLite copy of the demo database as ``bench/load.py`` does, signs in as the
union's negotiator through the Flask test client (CSRF on, as in production) and requests, one
after the other: the dashboard, the negotiation page, the workbench's simulation results (a new
base rate each time, so never a cached result, as the debounced form sends while someone types)
and the agreement PDF. For each kind: the median CPU time of this process per request
(``time.process_time``, which a busy shared machine inflates much less than wall time) and the
number of SQL statements of one request (``before_cursor_execute``). ``--profile KIND`` prints
cProfile's top functions of that kind to stderr instead of timing it.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from sqlalchemy import event  # noqa: E402

from bench.forms import TOKEN, FormFields  # noqa: E402
from bench.load import demo_database  # noqa: E402

def requests_of(client, ids: dict) -> dict:
    """One callable per kind of request; each checks its answer."""
    page = client.get(f"/scenarios/{ids['scenario']}").get_data(as_text=True)
    token = TOKEN.search(page).group(1)
    parser = FormFields()
    parser.feed(page)
    fields = {k: v for k, v in parser.fields.items() if k not in ("csrf_token", "action")}
    rng = random.Random(7)

    def get(url, kind):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (kind, response.status_code)
        return call

    def simulate():
        form = dict(fields, csrf_token=token)
        form["pay.base_per_order"] = f"{rng.uniform(4.0, 7.0):.3f}"
        response = client.post(f"/scenarios/{ids['scenario']}/run", data=form,
                               headers={"HX-Request": "true", "HX-Target": "results"})
        assert response.status_code == 200 and b"<svg" in response.data, response.status_code

    return {
        "dashboard": get("/dashboard", "dashboard"),
        "negotiation": get(f"/negotiations/{ids['negotiation']}", "negotiation"),
        "simulation": simulate,
        "agreement_pdf": get(f"/negotiations/{ids['agreement']}/agreement.pdf", "pdf"),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--pdf-requests", type=int, default=8)
    parser.add_argument("--kinds", default="dashboard,negotiation,simulation,agreement_pdf",
                        help="which kinds of request, comma-separated")
    parser.add_argument("--profile", default=None)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xieshang-pages-") as tmp:
        folder = Path(tmp)
        url, ids = demo_database(folder)
        from app.web import create_app
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "pages-bench", "XIESHANG_DEMO": True,
                          "INSTANCE_PATH": tmp, "LOGIN_MAX_FAILURES": 1000})
        statements = []
        event.listen(app.extensions["xieshang.engine"], "before_cursor_execute",
                     lambda *a, **k: statements.append(1))
        client = app.test_client()
        token = TOKEN.search(client.get("/login").get_data(as_text=True)).group(1)
        client.post("/login", data={"username": "union", "password": "xieshang-demo",
                                    "csrf_token": token})
        kinds = requests_of(client, ids)
        figures = {}
        for kind, call in kinds.items():
            if kind not in args.kinds.split(",") or args.profile and kind != args.profile:
                continue
            call()
            call()  # warm-up: first-use imports, template compilation, fonts
            statements.clear()
            call()
            sql = len(statements)
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(5):
                    call()
                profile.disable()
                stats = pstats.Stats(profile, stream=sys.stderr)
                stats.sort_stats("cumulative").print_stats(args.top)
                stats.sort_stats("tottime").print_stats(args.top)
            n = args.pdf_requests if kind == "agreement_pdf" else args.requests
            cpu = []
            for _ in range(n):
                start = time.process_time()
                call()
                cpu.append((time.process_time() - start) * 1000)
            figures[kind] = {"cpu_ms_p50": round(statistics.median(cpu), 2), "sql": sql,
                             "requests": n}
        app.extensions["xieshang.engine"].dispose()
    figures["load_average_1min"] = round(os.getloadavg()[0], 2)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
