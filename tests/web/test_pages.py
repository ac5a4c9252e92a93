"""Language switch, error pages as page and fragment, the CLI, and the catalogues."""
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.auth.models import User

ROOT = Path(__file__).resolve().parents[2]


def test_english_switch_and_back(client, auth):
    auth.login("mediator")
    response = auth.post("/lang", {"lang": "en", "next": "/dashboard"})
    assert response.status_code == 302
    body = client.get("/dashboard").get_data(as_text=True)
    assert "Dashboard" in body and 'lang="en"' in body and "工作台" not in body
    auth.post("/lang", {"lang": "zh_CN", "next": "/dashboard"})
    assert "工作台" in client.get("/dashboard").get_data(as_text=True)


def test_unknown_language_is_ignored(client, auth):
    auth.post("/lang", {"lang": "fr", "next": "/login"})
    assert 'lang="zh-CN"' in client.get("/login").get_data(as_text=True)


def test_404_page_and_htmx_fragment(client, auth):
    auth.login("union")
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "<html" in page.get_data(as_text=True)
    fragment = client.get("/no/such/page", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 404 and "<html" not in body and "未找到" in body


def test_no_page_loads_anything_from_outside(client, auth):
    auth.login("admin")
    for page in ["/login", "/dashboard", "/admin/organisations", "/admin/users", "/admin/audit"]:
        body = client.get(page).get_data(as_text=True)
        assert 'src="http' not in body and 'href="http' not in body and "//cdn" not in body


def test_translation_catalogues_are_complete():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "check"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout


def test_cli_users_create_and_demo_load_refuses_second_time(runner, session):
    result = runner.invoke(args=["users", "create", "--username", "analyst1", "--name", "分析员",
                                 "--organisation", "郑州市总工会（示例）", "--role", "member",
                                 "--password", "analyst-pass-1"])
    assert result.exit_code == 0, result.output
    user = session.scalar(select(User).where(User.username == "analyst1"))
    assert user.organisation.name == "郑州市总工会（示例）"
    bad = runner.invoke(args=["users", "create", "--username", "x", "--name", "n",
                              "--organisation", "郑州市总工会（示例）", "--password", "short"])
    assert bad.exit_code != 0 and "用户名" in bad.output
    again = runner.invoke(args=["demo", "load"])
    assert "already has data" in again.output


def test_flask_simulate_is_registered(runner):
    import json
    result = runner.invoke(args=["simulate", "--preset", "delivery", "--workers", "200",
                                 "--days", "7", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert figures["workers"] == 200 and figures["seed"] == 3
    assert 0.0 <= figures["share_below_hourly_minimum"] <= 1.0
