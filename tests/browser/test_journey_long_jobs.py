"""Journey (issue 19): long work started from its own page runs as a background job — a real
gunicorn host and a real huey consumer process (SQLite queue in the test's folder), Chromium
following the progress bar and downloading the result: a population above the interactive
limit from the workbench, calibration of a large file, the regional report's PDF, and a
negotiation's documents as a ZIP."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from app.web.calibrate_upload import INTERACTIVE_ROWS
from tests import hosts
from tests.web.test_analyses_pages import _csv

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@pytest.fixture
def live_server(sqlite_url, tmp_path):
    """One host and one consumer on a fresh SQLite copy; yields the host's base URL."""
    with hosts.host_and_consumer(sqlite_url, tmp_path) as (url, _consumer):
        yield url


def _shots(page, folder: Path, name: str, around: str | None = None) -> None:
    """Desktop and phone screenshots in ``folder``: the whole page, or the screen around one
    element."""
    for size, label in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page.set_viewport_size(size)
        if around:
            page.locator(around).scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"{name}-{label}.png"), full_page=not around)
    page.set_viewport_size(DESKTOP)


def _download(page, selector: str, name_starts: str = "") -> bytes:
    page.wait_for_selector(selector, timeout=120_000)
    with page.expect_download() as info:
        page.click(selector)
    assert info.value.suggested_filename.startswith(name_starts)
    return Path(info.value.path()).read_bytes()


def test_long_work_runs_as_jobs_from_its_pages(page, live_server, login_as, tmp_path):
    page.set_viewport_size(DESKTOP)
    login_as("union")
    page.goto(f"{live_server}/scenarios/new")
    page.fill("#f-name", "大规模测试")
    page.fill("#f-n_workers", "300")
    page.click("button.primary")
    page.wait_for_selector("#readings-working_time")
    workbench = page.url

    # Above the interactive limit: refused beside the field, with the offer of a job.
    page.click("details.assumptions > summary")
    page.fill("#f-workforce-n_workers", "6000")
    offer = page.locator("#err-workforce-n_workers #run-scenario-as-job")
    offer.wait_for(timeout=30_000)
    assert "150,000" in page.locator("#err-workforce-n_workers").inner_text()
    _shots(page, tmp_path, "workbench-offer", around="#err-workforce-n_workers")
    offer.click()
    page.wait_for_url(re.compile(r".*/analyses/jobs/\d+$"), timeout=30_000)
    assert page.locator("#job-status").count() == 1
    assert page.locator("#job-progress").count() == 1 or page.locator("#job-result").count()
    _shots(page, tmp_path, "scenario-job")
    page.click("#job-result", timeout=120_000)
    page.wait_for_selector("#scenario-job-result #metric-median-hourly")
    assert "6,000" in page.locator("#job-banner").inner_text()
    _shots(page, tmp_path, "scenario-job-result")
    page.click("#job-banner >> text=返回工作台")
    page.wait_for_url(workbench)

    # A records file above the interactive size: refused beside the field, fitted as a job.
    records = tmp_path / "records.csv"
    records.write_bytes(_csv(INTERACTIVE_ROWS + 1))
    page.goto(f"{live_server}/analyses/calibrate")
    page.set_input_files("#f-file", str(records))
    page.click("#analysis button.primary")
    page.wait_for_selector("#err-file:has-text('后台')", timeout=30_000)
    _shots(page, tmp_path, "calibrate-refused", around="#err-file")
    page.set_input_files("#f-file", str(records))
    page.click("#run-as-job")
    page.wait_for_url(re.compile(r".*/analyses/jobs/\d+$"), timeout=30_000)
    page.click("#job-result", timeout=120_000)
    page.wait_for_selector("#calibrate-result svg")
    _shots(page, tmp_path, "calibrate-job-result")

    # A negotiation's documents as one ZIP, from the agreement page.
    page.goto(f"{live_server}/negotiations/")
    page.click("text=速达外卖骑手劳动报酬专项集体协商（示例）")
    page.goto(page.url.rstrip("/") + "/agreement")
    page.click("#prepare-zip")
    page.wait_for_selector("#documents-zip #job-status")
    archive = zipfile.ZipFile(io.BytesIO(_download(page, "#documents-zip #job-download")))
    names = archive.namelist()
    assert len(names) >= 4 and all(archive.read(n).startswith(b"%PDF") for n in names)
    _shots(page, tmp_path, "agreement-zip", around="#documents-zip")

    # The office prepares the regional report's PDF and downloads it from the same page.
    page.context.clear_cookies()
    login_as("mediator")
    page.goto(f"{live_server}/reports/region")
    page.click("#prepare-pdf")
    page.wait_for_selector("#report-pdf #job-status")
    assert page.locator("#report-pdf #job-progress").count() == 1
    _shots(page, tmp_path, "report-pdf-running")
    pdf = _download(page, "#report-pdf #job-download", "region-report-")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    _shots(page, tmp_path, "report-pdf-ready")
