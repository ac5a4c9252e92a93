"""Headers and sessions (issue 9) not covered elsewhere: session lifetime and expiry.

Security headers, cookie flags, throttling and the password policy: tests/web/test_auth.py and
tests/web/test_admin.py; file types of evidence: tests/web/test_ledger_pages.py.
"""
from __future__ import annotations

import time
from datetime import timedelta

from tests.conftest import CSRF_RE


def _login(client):
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": "mediator", "password": "xieshang-demo",
                                         "csrf_token": token})
    assert answer.status_code == 302
    return answer


def test_the_session_cookie_lasts_the_configured_lifetime(sqlite_url, app_factory):
    app = app_factory(sqlite_url)
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=8)
    cookie = _login(app.test_client()).headers["Set-Cookie"]
    assert "Expires=" in cookie


def test_an_expired_session_sends_the_user_to_login(sqlite_url, app_factory):
    app = app_factory(sqlite_url, PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    client = app.test_client()
    _login(client)
    assert client.get("/dashboard").status_code == 200
    time.sleep(2.1)  # the signed cookie's timestamp is now older than the lifetime
    answer = client.get("/dashboard")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]

