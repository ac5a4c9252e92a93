"""A server process killed with SIGKILL in the middle of a burst of writes loses nothing it
acknowledged and leaves no half-written record (SQLite and PostgreSQL)."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from sqlalchemy import func, select, text

from app.audit import AuditEntry
from app.auth.models import Organisation
from app.db import make_engine, make_session_factory

PREFIX = "断电测试工会"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """A tiny cookie-keeping HTTP client (one connection per request, like separate tabs)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def token(self, path: str) -> str:
        _, body = self.request("GET", path)
        return re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)


@pytest.fixture
def server(db_url, tmp_path):
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": "crash-test",
           "XIESHANG_INSTANCE": str(tmp_path), "XIESHANG_DEMO": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
         "app.web:create_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    deadline = time.monotonic() + 90  # workers import numpy, scipy, matplotlib, WeasyPrint
    while time.monotonic() < deadline:
        try:
            if Browser(port).request("GET", "/healthz")[0] == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        pytest.fail("gunicorn did not start")
    yield process, port
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(5)


def test_sigkill_during_write_burst_loses_no_acknowledged_write(server, db_url):
    process, port = server
    browser = Browser(port)
    token = browser.token("/login")
    status, _ = browser.request("POST", "/login", {"username": "admin", "password": "xieshang-demo",
                                                  "csrf_token": token})
    assert status == 302
    token = browser.token("/admin/organisations/new")

    acknowledged: list[str] = []
    stop = threading.Event()

    def burst(worker: int):
        n = 0
        while not stop.is_set():
            name = f"{PREFIX}{worker}-{n}（示例）"
            n += 1
            try:
                status, _ = browser.request("POST", "/admin/organisations/new", {
                    "name": name, "kind": "union", "province": "河南省", "city": "郑州市",
                    "csrf_token": token})
            except (OSError, http.client.HTTPException):  # cut off by the kill
                continue
            if status == 302:
                acknowledged.append(name)

    threads = [threading.Thread(target=burst, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    while len(acknowledged) < 15:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # master and workers, mid-request
    process.wait(5)
    stop.set()
    for thread in threads:
        thread.join(10)
    assert len(acknowledged) >= 15

    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        if engine.dialect.name == "sqlite":
            assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        stored = dict(session.execute(select(Organisation.name, Organisation.id)
                                      .where(Organisation.name.like(f"{PREFIX}%"))).all())
        missing = set(acknowledged) - set(stored)
        assert not missing, f"acknowledged but lost: {sorted(missing)[:5]}"
        # Each organisation was written with its audit entry in one transaction: no half record.
        audited = session.execute(
            select(AuditEntry.target_id, func.count())
            .where(AuditEntry.action == "organisation.create")
            .group_by(AuditEntry.target_id)).all()
        audited = dict(audited)
        for name, org_id in stored.items():
            assert audited.get(org_id) == 1, f"{name} has {audited.get(org_id)} audit entries"
        assert set(audited) <= set(stored.values())
    engine.dispose()
