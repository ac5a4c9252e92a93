"""Issue 13, finding 6: sessions can be revoked, and they end after an absolute lifetime."""
from __future__ import annotations

from sqlalchemy import select

from app.auth.models import User


def _copy(app, client):
    """A second browser holding a copy of the first one's session cookie."""
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def _signed_in(client) -> bool:
    return client.get("/dashboard").status_code == 200


def test_a_copied_cookie_dies_with_logout(app, client, auth):
    auth.login("union")
    copy = _copy(app, client)
    assert _signed_in(copy)
    auth.logout()
    assert not _signed_in(copy)


def test_a_new_password_or_deactivation_ends_the_users_sessions(app, client, auth, session):
    auth.login("union")
    copy = _copy(app, client)
    other = app.test_client()
    from tests.conftest import AuthActions
    admin = AuthActions(other)
    admin.login("admin")
    union = session.scalar(select(User).where(User.username == "union"))
    form = {"display_name": union.display_name, "organisation_id": str(union.organisation_id),
            "role": union.role.value, "is_active": "y", "password": "new-password-42",
            "version": str(union.version)}
    response = admin.post(f"/admin/users/{union.id}", form)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    assert not _signed_in(copy) and not _signed_in(client)
    auth.login("union", "new-password-42")
    assert _signed_in(client)
    session.expire_all()
    form["version"] = str(session.get(User, union.id).version)
    form.pop("password")
    form.pop("is_active")
    response = admin.post(f"/admin/users/{union.id}", form)
    assert response.status_code in (302, 303)
    assert not _signed_in(client)


def test_sessions_have_an_absolute_lifetime_and_do_not_slide(app, client, auth):
    auth.login("union")
    client.get("/dashboard")  # the first page stores the CSRF token in the session
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "session=" not in page.headers.get("Set-Cookie", "")  # no sliding expiry
    with client.session_transaction() as s:
        s["auth_at"] -= app.config["SESSION_ABSOLUTE_LIFETIME"].total_seconds() + 60
    assert not _signed_in(client)
