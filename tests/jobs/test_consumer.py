"""A real huey consumer process runs the jobs that print documents (issue 19): one gunicorn host
and one consumer on a fresh SQLite copy (the SQLite queue in the test's folder). The consumer
must install the permission rules itself, as the web factory does: every printed document
checks the submitter's access when the job runs."""
from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from pypdf import PdfReader

from tests import hosts

POLL = {"HX-Request": "true", "HX-Target": "job-status"}
STATUS_RE = re.compile(r'data-status="(\w+)"')


@pytest.fixture
def server(sqlite_url, tmp_path):
    """(base URL, consumer) of one host and one consumer sharing a database and a queue."""
    with hosts.host_and_consumer(sqlite_url, tmp_path) as started:
        yield started


def _finished(person, base: str, job_id: int, consumer) -> str:
    deadline, status = time.monotonic() + 120, ""
    while time.monotonic() < deadline:
        status = STATUS_RE.search(person.request(f"{base}/analyses/jobs/{job_id}",
                                                 headers=POLL)[1]).group(1)
        if status in ("done", "failed", "cancelled"):
            return status
        time.sleep(0.2)
    raise AssertionError((status, consumer.output[-20:]))


def _download(person, base: str, job_id: int) -> tuple[str, bytes]:
    with person.opener.open(f"{base}/analyses/jobs/{job_id}/download", timeout=60) as answer:
        return answer.headers["Content-Type"], answer.read()


def test_the_consumer_prints_the_report_and_a_negotiations_documents(server):
    base, consumer = server
    office = hosts.Client()
    office.login(base, "mediator")
    office.request(f"{base}/reports/region?year=2026")
    status, _body, head = office.request(f"{base}/reports/region.pdf?year=2026", {})
    assert status == 303
    report = int(head["Location"].rsplit("/", 1)[-1])
    # the office's negotiation page holds the ZIP form
    negotiations = office.request(f"{base}/negotiations/")[1]
    nid = int(re.search(r'href="/negotiations/(\d+)"', negotiations).group(1))
    office.request(f"{base}/negotiations/{nid}/agreement")
    status, _body, head = office.request(f"{base}/negotiations/{nid}/documents.zip", {})
    assert status == 303
    bundle = int(head["Location"].rsplit("/", 1)[-1])

    assert _finished(office, base, report, consumer) == "done"
    kind, data = _download(office, base, report)
    assert kind == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "2026年度" in text and "合计" in text

    assert _finished(office, base, bundle, consumer) == "done"
    kind, data = _download(office, base, bundle)
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert kind == "application/zip" and archive.namelist()
    assert all(archive.read(n).startswith(b"%PDF") for n in archive.namelist())
