"""Journey: frontier and sensitivity run as background jobs — a real gunicorn host and a real huey
consumer process (SQLite queue in the test's folder), Chromium following the progress bar,
cancelling one job and opening the results of the others."""
from __future__ import annotations

import re

import pytest

from tests import hosts


@pytest.fixture
def live_server(sqlite_url, tmp_path):
    """One host and one consumer on a fresh SQLite copy; yields the host's base URL."""
    with hosts.host_and_consumer(sqlite_url, tmp_path) as (url, _consumer):
        yield url


def _submit(page, base: str, analysis: str) -> None:
    page.goto(f"{base}/analyses/{analysis}")
    if analysis == "frontier":
        page.fill("#f-n", "6")
    page.click("#run-as-job")
    page.wait_for_url(re.compile(r".*/analyses/jobs/\d+$"), timeout=30_000)


def test_frontier_and_sensitivity_as_jobs(page, live_server, login_as, tmp_path):
    login_as("union")
    _submit(page, live_server, "frontier")
    assert page.locator("#job-progress").is_visible()  # the bar, before the result
    page.screenshot(path=f"{tmp_path}/job-running-desktop.png", full_page=True)
    page.click("#job-result", timeout=120_000)
    page.wait_for_selector("#frontier-result svg.chart", timeout=30_000)
    assert page.locator("#job-banner").is_visible()
    assert page.locator("#frontier-offers tbody tr").count() >= 1
    page.screenshot(path=f"{tmp_path}/job-frontier-result.png", full_page=True)

    # A sensitivity run cancelled by its owner: no result, and the bar and button are gone.
    _submit(page, live_server, "sensitivity")
    assert page.locator("#job-progress").is_visible()
    page.click("#job-cancel")
    page.wait_for_selector('#job-status[data-status="cancelled"]', timeout=30_000)
    assert page.locator("#job-result").count() == 0
    assert page.locator("#job-cancel").count() == 0

    # Run again to the end: the same tornado chart as the page's own answer.
    _submit(page, live_server, "sensitivity")
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{tmp_path}/job-running-phone.png", full_page=True)
    page.click("#job-result", timeout=120_000)
    page.wait_for_selector("#sensitivity-result svg", timeout=30_000)

    page.goto(f"{live_server}/analyses/jobs/")
    rows = page.locator(".jobs-table tbody tr")
    assert rows.count() == 3
    assert "已取消" in page.locator(".jobs-table").inner_text()
    page.screenshot(path=f"{tmp_path}/jobs-list-phone.png", full_page=True)
