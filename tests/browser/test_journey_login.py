"""First journey: every demo user logs in and sees Chinese, then English, pages."""
import pytest

DEMO = {
    "union": ("郑州市新就业形态劳动者工会联合会（示例）", False),
    "platform": ("速达外卖平台（示例）", False),
    "mediator": ("郑州市协调劳动关系三方办公室（示例）", False),
    "admin": ("郑州市协调劳动关系三方办公室（示例）", True),
}


@pytest.mark.parametrize("username", sorted(DEMO))
def test_demo_user_logs_in_in_chinese_and_switches_to_english(page, live_server, login_as,
                                                               username, tmp_path):
    organisation, is_site_admin = DEMO[username]
    login_as(username)
    assert page.locator("h1").inner_text() == "工作台"
    assert organisation in page.content()
    nav = page.locator("nav.mainnav").inner_text()
    assert "工作台" in nav
    assert ("管理" in nav) is True  # all demo users administer their organisation
    page.screenshot(path=str(tmp_path / f"{username}-zh.png"), full_page=True)

    page.click("text=English")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.locator("html").get_attribute("lang") == "en"
    if is_site_admin:
        page.click("nav.mainnav >> text=Admin")
        page.wait_for_load_state()
        assert page.locator("h1").inner_text() == "Organisations"
        assert page.locator("table.table tbody tr").count() >= 9
    page.click("text=中文")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "zh-CN"

    page.click("text=退出")
    page.wait_for_url(f"{live_server}/login")
    assert "您已退出登录" in page.content()


def test_wrong_password_shows_message_in_place(page, live_server):
    page.goto(f"{live_server}/login")
    page.fill("#username", "union")
    page.fill("#password", "not-the-password")
    page.click("button.primary")
    assert page.locator(".form-error").inner_text() == "用户名或密码错误。"
    assert page.url == f"{live_server}/login"
