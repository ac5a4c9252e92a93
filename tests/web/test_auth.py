"""Login, logout, throttling, CSRF, sessions."""
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import LoginAttempt


def test_login_page_is_chinese_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "登录协商平台" in body and 'lang="zh-CN"' in body


def test_login_success_redirects_to_dashboard(client, auth):
    response = auth.login("union")
    assert response.status_code == 302 and response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "工作台" in page and "郑州市新就业形态劳动者工会联合会（示例）" in page


def test_login_failure_is_400_with_message(client, auth, session):
    response = auth.login("union", "wrong-password")
    assert response.status_code == 400
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302
    failed = session.scalar(select(func.count()).select_from(AuditEntry)
                            .where(AuditEntry.action == "login_failed"))
    assert failed == 1


def test_unknown_user_is_rejected_the_same_way(auth):
    response = auth.login("nobody", "whatever-1234")
    assert response.status_code == 400


def test_repeated_failures_are_throttled_even_with_the_right_password(auth, session):
    for _ in range(5):
        assert auth.login("platform", "bad-guess-123").status_code == 400
    response = auth.login("platform")
    assert response.status_code == 429
    assert "30 秒" in response.get_data(as_text=True) and response.headers["Retry-After"] == "30"
    attempts = session.scalar(select(func.count()).select_from(LoginAttempt))
    assert attempts == 5  # the throttled try is refused before the password is checked


def test_post_without_csrf_token_is_rejected(client):
    response = client.post("/login", data={"username": "union", "password": "xieshang-demo"})
    assert response.status_code == 400
    assert client.get("/dashboard").status_code == 302


def test_logout_needs_post_and_ends_the_session(client, auth):
    auth.login("union")
    assert client.get("/logout").status_code == 405
    response = auth.logout()
    assert response.status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_login_and_logout_do_not_follow_offsite_next(client, auth):
    token = auth.token()
    response = client.post("/login?next=//evil.example/x", data={
        "username": "union", "password": "xieshang-demo", "csrf_token": token})
    assert response.headers["Location"].endswith("/dashboard")


def test_session_cookie_flags(client, auth):
    response = auth.login("union")
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_inactive_user_cannot_log_in(client, auth, session):
    from app.auth.models import User
    user = session.scalar(select(User).where(User.username == "union"))
    user.is_active = False
    session.commit()
    assert auth.login("union").status_code == 400


def test_security_headers_present(client):
    response = client.get("/login")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "HX-Request" in response.headers["Vary"]
