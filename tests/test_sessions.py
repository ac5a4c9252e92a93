"""Headers and sessions (issue 9) not covered elsewhere: session lifetime and expiry, and the
upload size limit.

Security headers, cookie flags, throttling and the password policy: tests/web/test_auth.py and
tests/web/test_admin.py; file types of evidence: tests/web/test_ledger_pages.py.
"""
from __future__ import annotations

import time
from datetime import timedelta

import pytest

from tests.conftest import CSRF_RE
from tests.test_access_matrix import _counts


def _login(client, username="mediator"):
    token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post("/login", data={"username": username, "password": "xieshang-demo",
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



@pytest.mark.parametrize("username, path", [
    ("union", "/analyses/calibrate"), ("mediator", "/ledger/import"),
    ("union", "/agreements/verify")])
def test_an_upload_over_the_limit_is_refused_before_it_is_read(sqlite_url, app_factory,
                                                                username, path):
    # The declared length is over MAX_CONTENT_LENGTH: the server answers 413 without reading (or
    # spooling) the body, so a small body with a large Content-Length is enough to show it.
    app = app_factory(sqlite_url, MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    _login(client, username)
    token = CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)
    before = _counts(app)
    answer = client.post(path, data={"csrf_token": token, "note": "x"},
                         environ_overrides={"CONTENT_LENGTH": str(1024 * 1024)})
    assert answer.status_code == 413
    assert "上传的文件过大" in answer.get_data(as_text=True)
    assert _counts(app) == before
