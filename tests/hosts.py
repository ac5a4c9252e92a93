"""Real app processes for tests: gunicorn "hosts" and huey consumers started as subprocesses on
127.0.0.1 (port 0: the server picks a free port and logs it), and a small HTTP client with its own
cookies. Used by tests/test_multi_host.py and the background-jobs browser journey.
"""
from __future__ import annotations

import http.cookiejar
import os
import queue
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LISTENING_RE = re.compile(r"Listening at: http://127\.0\.0\.1:(\d+)")
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class Process:
    """A subprocess whose output is read by a thread (so it never blocks on a full pipe)."""

    def __init__(self, args: list[str], env: dict):
        self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, pattern: re.Pattern, timeout: float = 60) -> re.Match:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None and self.lines.empty():
                break
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                continue
            match = pattern.search(line)
            if match:
                return match
        raise AssertionError(f"{pattern.pattern} not seen; output:\n{''.join(self.output)}")

    def stop(self) -> str:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=10)
        self.proc.stdout.close()
        return "".join(self.output)


def environment(database_url: str, instance: Path, **extra) -> dict:
    """The environment of one host or consumer: shared database, queue and secret key, its own
    instance folder (nothing local is shared between hosts)."""
    instance.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XIESHANG_", "TEST_"))}
    env.update({"DATABASE_URL": database_url, "XIESHANG_INSTANCE": str(instance),
                "SECRET_KEY": "multi-host-test-key", "PYTHONUNBUFFERED": "1", **extra})
    return env


def start_host(env: dict) -> tuple[Process, str]:
    """A gunicorn server (one worker) on a free port; (process, base URL)."""
    host = Process([str(BIN / "gunicorn"), "--workers", "1", "--bind", "127.0.0.1:0",
                    "--timeout", "120", "app.web:create_app()"], env)
    try:
        port = host.wait_for(LISTENING_RE).group(1)
    except AssertionError:
        host.stop()
        raise
    return host, f"http://127.0.0.1:{port}"


def start_consumer(env: dict) -> Process:
    """A huey consumer (one thread worker) of the queue the environment names."""
    consumer = Process([str(BIN / "huey_consumer"), "app.jobs.queue.huey", "-w", "1",
                        "-k", "thread", "-d", "0.1", "-m", "0.5"], env)
    try:
        consumer.wait_for(re.compile(r"app\.jobs\.queue\.run_job"))
    except AssertionError:
        consumer.stop()
        raise
    return consumer


@contextmanager
def host_and_consumer(database_url: str, folder: Path) -> Iterator[tuple[str, Process]]:
    """(base URL, consumer) of one host and one consumer sharing ``database_url`` and a SQLite
    queue in ``folder``; both stopped at the end."""
    started = []
    try:
        queue_file = str(folder / "huey.sqlite3")
        host, url = start_host(environment(database_url, folder / "host",
                                           XIESHANG_HUEY_DB=queue_file))
        started.append(host)
        consumer = start_consumer(environment(database_url, folder / "consumer",
                                              XIESHANG_HUEY_DB=queue_file))
        started.append(consumer)
        yield url, consumer
    finally:
        for process in reversed(started):
            process.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A browser-like HTTP client: its own cookies, the CSRF token of the last page read."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())
        self.token = ""

    def request(self, url: str, data: dict | None = None, headers: dict | None = None):
        """(status, body, headers); redirects are returned, not followed."""
        body = None
        if data is not None:
            body = urllib.parse.urlencode({"csrf_token": self.token, **data}).encode()
        req = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(req, timeout=120) as answer:
                status, text, head = answer.status, answer.read().decode(), answer.headers
        except urllib.error.HTTPError as e:
            status, text, head = e.code, e.read().decode(), e.headers
        match = CSRF_RE.search(text)
        if match:
            self.token = match.group(1)
        return status, text, head

    def login(self, base: str, username: str, password: str = "xieshang-demo") -> None:
        self.request(f"{base}/login")
        status, _text, _head = self.request(f"{base}/login", {"username": username,
                                                               "password": password})
        assert status == 302, status
        self.request(f"{base}/dashboard")
