"""Issue 13, finding 4: login throttling per account and per address behind a proxy, with
backoff, counted atomically, and no username discovery by timing."""
from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.models import LoginAttempt
from app.auth.service import LoginPolicy, LoginThrottled, authenticate
from tests.conftest import DEMO_PASSWORD, AuthActions, DEMO_NOW, make_test_app


@pytest.fixture
def proxied(db_url, tmp_path):
    application = make_test_app(db_url, tmp_path / "instance", TRUSTED_PROXIES=1)
    yield application
    application.extensions["xieshang.engine"].dispose()


def _login(client, username, password, address):
    token = AuthActions(client).token()
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token},
                       headers={"X-Forwarded-For": address})


def test_behind_a_proxy_one_attacker_does_not_lock_out_everyone(proxied):
    attacker, person = proxied.test_client(), proxied.test_client()
    for _ in range(5):
        assert _login(attacker, "admin", "wrong-password-1", "203.0.113.9").status_code == 400
    refused = _login(attacker, "union", "wrong-password-1", "203.0.113.9")
    assert refused.status_code in (400, 429)
    # Another client behind the same nginx (same remote_addr 127.0.0.1) logs in.
    assert _login(person, "union", DEMO_PASSWORD, "198.51.100.7").status_code == 302


def test_per_address_limit_across_usernames(proxied):
    attacker, person = proxied.test_client(), proxied.test_client()
    limit = proxied.config["LOGIN_MAX_ADDRESS_FAILURES"]
    for i in range(limit):
        _login(attacker, f"nobody{i}", "wrong-password-1", "203.0.113.9")
    response = _login(attacker, "union", DEMO_PASSWORD, "203.0.113.9")
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    assert _login(person, "union", DEMO_PASSWORD, "198.51.100.7").status_code == 302


def test_backoff_instead_of_a_lock(session):
    policy = LoginPolicy()
    now = DEMO_NOW
    for _ in range(5):
        assert authenticate(session, "admin", "wrong", address="a", now=now,
                            policy=policy) is None
    with pytest.raises(LoginThrottled) as first:
        authenticate(session, "admin", DEMO_PASSWORD, address="b", now=now, policy=policy)
    assert 0 < first.value.retry_after <= 30
    later = now + timedelta(seconds=31)  # the wait is over: the right password works
    assert authenticate(session, "admin", DEMO_PASSWORD, address="b", now=later,
                        policy=policy) is not None


def test_simultaneous_guesses_do_not_pass_the_limit(app):
    factory = app.extensions["xieshang.sessions"]
    results, barrier = [], threading.Barrier(12)

    def guess(i):
        with factory() as s:
            barrier.wait()
            try:
                authenticate(s, "admin", f"guess-{i}", address=f"10.0.0.{i}", now=DEMO_NOW)
                results.append("checked")
            except LoginThrottled:
                results.append("throttled")
            except Exception as exc:  # e.g. SQLite busy: not a guess either
                results.append(type(exc).__name__)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("checked") <= 5, results


def test_unknown_users_cost_a_password_check(app, session):
    def timed(username):
        started = time.perf_counter()
        with app.extensions["xieshang.sessions"]() as s:
            authenticate(s, username, "wrong-password", address=username, now=DEMO_NOW)
        return time.perf_counter() - started
    timed("nobody-warm-up")
    known = min(timed("union") for _ in range(2))
    unknown = min(timed(f"nobody{i}") for i in range(2))
    assert unknown > known / 3, (known, unknown)


def test_old_attempts_are_pruned(session):
    old = DEMO_NOW - timedelta(days=3)
    session.add(LoginAttempt(username="x", address="y", succeeded=False, at=old))
    session.commit()
    assert authenticate(session, "union", DEMO_PASSWORD, address="z", now=DEMO_NOW)
    assert session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.at < DEMO_NOW - timedelta(days=1))) == 0
