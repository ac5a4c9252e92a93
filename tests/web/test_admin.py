"""Administration pages: who may open them, validation, audit entries."""
import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.models import Organisation, User

ADMIN_PAGES = ["/admin/organisations", "/admin/organisations/new", "/admin/users",
               "/admin/users/new", "/admin/audit"]
# Expected status per role; org admins manage their own organisation's users only.
ACCESS = {
    "admin": {p: 200 for p in ADMIN_PAGES},
    "union": {"/admin/organisations": 403, "/admin/organisations/new": 403,
              "/admin/users": 200, "/admin/users/new": 200, "/admin/audit": 403},
    "mediator": {"/admin/organisations": 403, "/admin/organisations/new": 403,
                 "/admin/users": 200, "/admin/users/new": 200, "/admin/audit": 403},
}


@pytest.mark.parametrize("role", sorted(ACCESS))
def test_admin_page_access_by_role(client, auth, role):
    auth.login(role)
    for page, expected in ACCESS[role].items():
        assert client.get(page).status_code == expected, (role, page)


def test_member_without_admin_role_is_refused(client, auth, session):
    user = session.scalar(select(User).where(User.username == "union"))
    from app.auth.models import Role
    user.role = Role.member
    session.commit()
    auth.login("union")
    for page in ADMIN_PAGES:
        assert client.get(page).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def _audit_count(session, action):
    return session.scalar(select(func.count()).select_from(AuditEntry)
                          .where(AuditEntry.action == action))


def test_site_admin_creates_organisation_and_it_is_audited(client, auth, session):
    auth.login("admin")
    response = auth.post("/admin/organisations/new", {
        "name": "洛阳市快递员工会（示例）", "kind": "union", "province": "河南省", "city": "洛阳市"})
    assert response.status_code == 302
    org = session.scalar(select(Organisation).where(Organisation.name == "洛阳市快递员工会（示例）"))
    assert org is not None and org.city == "洛阳市"
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.create"))
    assert entry.actor_name == "admin" and entry.after["name"] == org.name
    assert entry.before is None


def test_invalid_organisation_gets_400_messages_and_writes_nothing(client, auth, session):
    auth.login("admin")
    before = session.scalar(select(func.count()).select_from(Organisation))
    response = auth.post("/admin/organisations/new", {
        "name": "", "kind": "platform", "province": "", "city": "郑州市"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请填写组织名称" in body and "平台企业须选择行业" in body and "请填写省份" in body
    assert session.scalar(select(func.count()).select_from(Organisation)) == before
    assert _audit_count(session, "organisation.create") == 0


def test_org_admin_creates_user_in_own_organisation_only(client, auth, session):
    auth.login("union")
    other = session.scalar(select(Organisation).where(Organisation.name == "速达外卖平台（示例）"))
    response = auth.post("/admin/users/new", {
        "username": "rider-rep", "display_name": "赵六（示例）", "organisation_id": str(other.id),
        "role": "member", "password": "long-enough-1"})
    assert response.status_code == 403
    assert session.scalar(select(User).where(User.username == "rider-rep")) is None
    own = session.scalar(select(User).where(User.username == "union")).organisation_id
    response = auth.post("/admin/users/new", {
        "username": "rider-rep", "display_name": "赵六（示例）", "organisation_id": str(own),
        "role": "member", "password": "long-enough-1"})
    assert response.status_code == 302
    created = session.scalar(select(User).where(User.username == "rider-rep"))
    assert created.organisation_id == own and created.check_password("long-enough-1")
    assert _audit_count(session, "user.create") == 1


def test_org_admin_cannot_edit_other_organisations_users(client, auth, session):
    auth.login("union")
    platform_user = session.scalar(select(User).where(User.username == "platform"))
    assert client.get(f"/admin/users/{platform_user.id}").status_code == 403


def test_org_admin_cannot_grant_site_admin(client, auth, session):
    auth.login("union")
    own = session.scalar(select(User).where(User.username == "union")).organisation_id
    response = auth.post("/admin/users/new", {
        "username": "sneaky", "display_name": "x", "organisation_id": str(own),
        "role": "member", "password": "long-enough-1", "is_site_admin": "1"})
    assert response.status_code == 400
    assert session.scalar(select(User).where(User.username == "sneaky")) is None


def test_weak_password_rejected(client, auth, session):
    auth.login("admin")
    own = session.scalar(select(User).where(User.username == "admin")).organisation_id
    response = auth.post("/admin/users/new", {
        "username": "weak", "display_name": "x", "organisation_id": str(own),
        "role": "member", "password": "short"})
    assert response.status_code == 400 and "至少 10 个字符" in response.get_data(as_text=True)


def test_audit_page_lists_logins(client, auth):
    auth.login("admin")
    body = client.get("/admin/audit").get_data(as_text=True)
    assert "login" in body and "demo.load" in body


def test_missing_objects_are_404(client, auth):
    auth.login("admin")
    assert client.get("/admin/organisations/99999").status_code == 404
    assert client.get("/admin/users/99999").status_code == 404


def test_organisation_messages_follow_the_interface_language(client, auth, session):
    """The domain raises message ids (issue 14): the English interface shows the English words,
    the Chinese one the same Chinese as before."""
    auth.login("admin")
    bad = {"name": "", "kind": "platform", "province": "", "city": "郑州市"}
    auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    english = auth.post("/admin/organisations/new", bad).get_data(as_text=True)
    assert "Enter the organisation&#39;s name" in english
    assert "A platform company must choose a sector" in english
    assert "Fill in the province" in english
    assert "请填写组织名称" not in english and "平台企业须选择行业" not in english
    auth.post("/lang", {"lang": "zh_CN", "next": "/dashboard"})
    chinese = auth.post("/admin/organisations/new", bad).get_data(as_text=True)
    assert "请填写组织名称" in chinese and "Enter the organisation" not in chinese
