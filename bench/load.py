"""Load benchmark: gunicorn (2 sync workers) on 127.0.0.1 against a fresh copy of the demo
database, driven by locust (headless, FastHttpUser) for a fixed time. Prints one JSON line.

The bounded workload, all users signed in as the union's negotiator:
- readers (all users but the ones below) open the dashboard and the negotiation page, one after the
  other with a pause of 0–50 ms: the **page mix**, the figure with targets (≥ 150 requests/s,
  p95 ≤ 150 ms, no errors);
- ``--modellers`` people on the workbench, each asking for new simulation results (a new base rate,
  so never a cached result: 2,000 workers, today's rules and the package) every ``--sim-pacing``
  seconds, as the debounced form does while someone types;
- one person downloading the agreement PDF every ``--pdf-pacing`` seconds.
Simulation results and the PDF are reported separately. Statistics are reset when the last user
has been spawned (locust's ``--reset-stats``). Everything this script starts is stopped at the end.
With the defaults (12 users: 9 readers, 2 modellers, 1 printer) the two workers are close to
saturation, so ``rps`` is near the capacity of the machine and ``p95_ms`` includes queueing.

    .venv/bin/python bench/load.py [--seconds 30] [--users 12] [--modellers 2]
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOCUSTFILE = r'''
import random
import sys

from locust import FastHttpUser, between, constant_pacing, task

sys.path.insert(0, {root!r})
from bench.forms import TOKEN, FormFields  # noqa: E402
NEGOTIATION = {negotiation!r}
SCENARIO = {scenario!r}
AGREEMENT = {agreement!r}


class Signed(FastHttpUser):
    """A logged-in union negotiator."""
    abstract = True

    def on_start(self):
        token = TOKEN.search(self.client.get("/login").text).group(1)
        self.client.post("/login", data={{"username": "union", "password": "xieshang-demo",
                                          "csrf_token": token}}, name="login")


class Reader(Signed):
    """Opens the dashboard and the negotiation page, one after the other, with almost no pause."""
    wait_time = between(0.0, 0.05)

    @task
    def dashboard(self):
        self.client.get("/dashboard", name="page: dashboard")

    @task
    def negotiation(self):
        self.client.get(f"/negotiations/{{NEGOTIATION}}", name="page: negotiation")


class Modeller(Signed):
    """Edits the workbench: a new base rate (so never a cached result) every {sim_pacing} s."""
    fixed_count = {modellers}
    abstract = {modellers} == 0
    wait_time = constant_pacing({sim_pacing})

    def on_start(self):
        super().on_start()
        page = self.client.get(f"/scenarios/{{SCENARIO}}", name="workbench page").text
        self.token = TOKEN.search(page).group(1)
        parser = FormFields()
        parser.feed(page)
        self.fields = {{k: v for k, v in parser.fields.items()
                       if k not in ("csrf_token", "action")}}

    @task
    def results(self):
        form = dict(self.fields, csrf_token=self.token)
        form["pay.base_per_order"] = f"{{random.uniform(4.0, 7.0):.3f}}"
        self.client.post(f"/scenarios/{{SCENARIO}}/run", data=form, name="simulation results",
                         headers={{"HX-Request": "true", "HX-Target": "results"}})


class Printer(Signed):
    """Downloads the agreement PDF every {pdf_pacing} s."""
    fixed_count = 1
    wait_time = constant_pacing({pdf_pacing})

    @task
    def pdf(self):
        self.client.get(f"/negotiations/{{AGREEMENT}}/agreement.pdf", name="agreement PDF")
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demo_database(folder: Path) -> tuple[str, dict]:
    """A fresh demo database, and the ids the workload needs."""
    from sqlalchemy import select

    from app import demo, schema
    from app.db import make_engine, make_session_factory, utcnow
    from app.agreements.models import Agreement
    from app.negotiations.models import Negotiation
    from app.auth.models import User
    from app.scenarios.models import SavedScenario as Scenario

    url = f"sqlite:///{folder / 'demo.sqlite3'}"
    schema.upgrade(url)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        demo.load(session, now=utcnow())
        union = session.scalar(select(User).where(User.username == "union"))
        ids = {
            "negotiation": session.scalar(select(Negotiation.id).order_by(Negotiation.id)),
            "scenario": session.scalar(select(Scenario.id).where(
                Scenario.organisation_id == union.organisation_id).order_by(Scenario.id)),
            "agreement": session.scalar(select(Agreement.negotiation_id).order_by(Agreement.id)),
        }
    engine.dispose()
    return url, ids


def wait_until_up(port: int, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def start_gunicorn(folder: Path, url: str, port: int, *, threads: int = 1) -> subprocess.Popen:
    """gunicorn with 2 workers on 127.0.0.1:``port`` serving the database at ``url``."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-bench",
           "XIESHANG_INSTANCE": str(folder), "XIESHANG_DEMO": "1",
           "XIESHANG_LOGIN_MAX_FAILURES": "1000"}
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", str(threads),
         "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "app.web:create_app()"],
        env=env, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL)


def stop(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


def run_locust(folder: Path, port: int, ids: dict, *, users: int, seconds: int, modellers: int,
               sim_pacing: float, pdf_pacing: float) -> dict:
    """Run the workload of :data:`LOCUSTFILE` headless; the statistics by request name."""
    locustfile = folder / "locustfile.py"
    locustfile.write_text(LOCUSTFILE.format(
        **ids, root=str(ROOT), modellers=modellers, sim_pacing=sim_pacing, pdf_pacing=pdf_pacing),
        encoding="utf-8")
    prefix = folder / "stats"
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(locustfile), "--headless",
         "--users", str(users), "--spawn-rate", str(users),
         "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
         "--csv", str(prefix), "--only-summary", "--reset-stats", "--stop-timeout", "10",
         "--loglevel", "WARNING"],
        check=False, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        timeout=seconds + 120)
    return read_stats(prefix)


def read_stats(prefix: Path) -> dict:
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv", encoding="utf-8")))
    out = {}
    for row in rows:
        out[row["Name"]] = {
            "requests": int(row["Request Count"]), "errors": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": float(row["50%"] or 0), "p95_ms": float(row["95%"] or 0),
        }
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=12, help="all users, readers included")
    parser.add_argument("--modellers", type=int, default=2)
    parser.add_argument("--sim-pacing", type=float, default=1.0, help="seconds between runs")
    parser.add_argument("--pdf-pacing", type=float, default=2.0, help="seconds between PDFs")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (1: sync workers)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="xieshang-load-") as tmp:
        folder = Path(tmp)
        url, ids = demo_database(folder)
        port = free_port()
        server = start_gunicorn(folder, url, port, threads=args.threads)
        try:
            wait_until_up(port)
            stats = run_locust(folder, port, ids, users=args.users, seconds=args.seconds,
                               modellers=args.modellers, sim_pacing=args.sim_pacing,
                               pdf_pacing=args.pdf_pacing)
        finally:
            stop(server)

    pages = [v for k, v in stats.items() if k.startswith("page: ")]
    page_requests = sum(p["requests"] for p in pages)
    figures = {
        "seconds": args.seconds, "users": args.users, "modellers": args.modellers,
        "sim_pacing_s": args.sim_pacing, "pdf_pacing_s": args.pdf_pacing,
        "threads": args.threads,
        "rps": round(sum(p["rps"] for p in pages), 1),
        "p95_ms": max((p["p95_ms"] for p in pages), default=0.0),
        "errors": sum(p["errors"] for p in pages),
        "page_requests": page_requests,
        "endpoints": {k: v for k, v in stats.items() if k != "Aggregated"},
    }
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
