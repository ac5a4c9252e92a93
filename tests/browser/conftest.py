"""Browser harness: a live server thread on a fresh SQLite copy, and Debian's Chromium driven
by Playwright (no browser download). Everything a test saves goes under its tmp_path."""
from __future__ import annotations

import os
import re
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("XIESHANG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]


# Validation (400), conflicts (409) and throttling (429) are answers the tests provoke on purpose.
EXPECTED_STATUS = re.compile(r"Failed to load resource: .* status of (400|409|429) ")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def live_server(sqlite_url, app_factory):
    """The app served on 127.0.0.1 from a thread; yields its base URL."""
    application = app_factory(sqlite_url)
    server = make_server("127.0.0.1", 0, application, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}; `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab; the server outlives it so no request is cut off at teardown."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                  accept_downloads=True)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda msg: errors.append(msg.text)
           if msg.type == "error" and not EXPECTED_STATUS.search(msg.text) else None)
    yield tab
    context.close()
    assert errors == [], f"browser errors: {errors}"


def login(page, base_url: str, username: str, password: str = "xieshang-demo") -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button.primary")
    page.wait_for_url(f"{base_url}/dashboard")


@pytest.fixture
def login_as(page, live_server):
    return lambda username: login(page, live_server, username)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core 4 from npm, installed once into a cache folder (never into the app's static
    files): ``XIESHANG_AXE_DIR`` or ``~/.cache/xieshang-axe``. ``make test`` installs it too."""
    import subprocess
    from pathlib import Path
    folder = Path(os.environ.get("XIESHANG_AXE_DIR") or Path.home() / ".cache" / "xieshang-axe")
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(folder), "--no-audit", "--no-fund",
                        "--silent", "axe-core@4"], check=True, timeout=300)
    return script.read_text(encoding="utf-8")
