"""Files made as background jobs (issue 19): the regional report's PDF, stored with the job and
downloadable by the submitting organisation only. The consumer's part runs in-process on the
test's real database (``runner.run``); tests/jobs/test_consumer.py runs a real consumer."""
from __future__ import annotations

import io
import zipfile

from pypdf import PdfReader
from sqlalchemy import select

from app.auth.models import User
from app.jobs.models import Job
from app.negotiations.models import Negotiation
from app.reports import procedure_documents as documents
from tests.jobs.helpers import count_jobs, run_job
from tests.negotiations.helpers import TITLES

HX = {"HX-Request": "true", "HX-Target": "report-pdf"}
POLL = {"HX-Request": "true", "HX-Target": "job-status"}


def test_the_report_page_prepares_the_pdf_as_a_job(app, client, auth, queued, session):
    auth.login("mediator")
    page = client.get("/reports/region?year=2026").get_data(as_text=True)
    assert 'id="prepare-pdf"' in page and 'hx-post="/reports/region.pdf?year=2026"' in page
    answer = auth.post("/reports/region.pdf?year=2026", headers=HX)
    fragment = answer.get_data(as_text=True)
    assert answer.status_code == 200 and fragment.lstrip().startswith('<div id="job-status"')
    assert 'id="job-progress"' in fragment and 'hx-trigger="every 1s"' in fragment
    job_id = queued[0]
    assert run_job(app, job_id) == "done"
    poll = client.get(f"/analyses/jobs/{job_id}", headers=POLL).get_data(as_text=True)
    assert f'href="/analyses/jobs/{job_id}/download"' in poll and "hx-trigger" not in poll
    assert "region-report-2026.pdf" in poll
    pdf = client.get(f"/analyses/jobs/{job_id}/download")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert 'filename="region-report-2026.pdf"' in pdf.headers["Content-Disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "2026年度" in text and "郑州市" in text and "合计" in text
    # stored in the database (every host serves it), not recomputed
    session.expire_all()
    assert session.get(Job, job_id).output == pdf.data
    # without htmx the form opens the job's page; the result link is the download
    plain = auth.post("/reports/region.pdf?year=2026")
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"/{queued[1]}")
    assert client.get(f"/analyses/jobs/{job_id}/result").headers["Location"].endswith(
        f"/analyses/jobs/{job_id}/download")


def test_an_old_link_to_the_pdf_opens_the_report_page_and_says_how(client, auth, queued,
                                                                   session):
    """The PDF used to print on GET /reports/region.pdf; bookmarks to it still lead there."""
    before = count_jobs(session)
    auth.login("mediator")
    old = client.get("/reports/region.pdf?year=2025")
    assert old.status_code == 302 and old.headers["Location"].endswith(
        "/reports/region?year=2025")
    page = client.get(old.headers["Location"]).get_data(as_text=True)
    assert "PDF 现在在后台生成" in page and 'id="prepare-pdf"' in page
    assert client.get("/reports/region.pdf?year=abc").status_code == 400
    auth.logout()
    auth.login("union")
    assert client.get("/reports/region.pdf?year=2025").status_code == 403
    assert count_jobs(session) == before and queued == []


def test_only_the_office_prepares_it_and_only_its_organisation_downloads_it(
        app, client, auth, queued, session):
    auth.login("mediator")
    auth.post("/reports/region.pdf?year=2026", headers=HX)
    job_id = queued[0]
    assert run_job(app, job_id) == "done"
    auth.logout()
    before = count_jobs(session)
    for username in ("union", "platform"):
        auth.login(username)
        assert auth.post("/reports/region.pdf?year=2026", headers=HX).status_code == 403
        for url in (f"/analyses/jobs/{job_id}/download", f"/analyses/jobs/{job_id}"):
            assert client.get(url).status_code == 404
        auth.logout()
    assert count_jobs(session) == before and len(queued) == 1


def test_a_bad_year_is_a_400_with_its_message_and_queues_nothing(client, auth, queued,
                                                                  session):
    auth.login("mediator")
    before = count_jobs(session)
    for year in ("1999", "abc", "2999"):
        answer = auth.post(f"/reports/region.pdf?year={year}", headers=HX)
        assert answer.status_code == 400 and "2000" in answer.get_data(as_text=True)
    assert count_jobs(session) == before and queued == []


def test_a_job_whose_submitter_lost_the_right_fails_with_its_message(app, client, auth,
                                                                       queued, session):
    auth.login("mediator")
    auth.post("/reports/region.pdf?year=2026", headers=HX)
    user = session.scalar(select(User).where(User.username == "mediator"))
    user.is_active = False
    session.commit()
    assert run_job(app, queued[0]) == "failed"
    session.expire_all()
    job = session.get(Job, queued[0])
    assert "no longer has an account" in job.error and job.output is None


def _negotiation(session, key: str) -> int:
    return session.scalar(select(Negotiation.id).where(Negotiation.title == TITLES[key]))


def test_a_negotiations_documents_as_one_zip(app, client, auth, queued, session):
    nid = _negotiation(session, "consultation")
    auth.login("union")
    page = client.get(f"/negotiations/{nid}/agreement").get_data(as_text=True)
    assert 'id="prepare-zip"' in page
    answer = auth.post(f"/negotiations/{nid}/documents.zip", headers={
        "HX-Request": "true", "HX-Target": "documents-zip"})
    assert answer.status_code == 200 and 'id="job-progress"' in answer.get_data(as_text=True)
    assert run_job(app, queued[0]) == "done"
    made = client.get(f"/analyses/jobs/{queued[0]}/download")
    assert made.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(made.data))
    names = archive.namelist()
    # the agreement in both languages, then every document the union's page lists
    assert any(n.endswith("-zh.pdf") for n in names) and any(n.endswith("-en.pdf") for n in names)
    user = session.scalar(select(User).where(User.username == "union"))
    listed = documents.available(session, user, session.get(Negotiation, nid))
    assert len(names) == 2 + len(listed) and len(listed) >= 2
    for (kind, rid, _label), name in zip(listed, names[2:]):
        single = client.get(f"/negotiations/{nid}/documents/{kind}/{rid}.pdf")
        assert single.status_code == 200 and archive.read(name) == single.data
    for name in names:
        assert archive.read(name).startswith(b"%PDF")
    text = PdfReader(io.BytesIO(archive.read(names[0]))).pages[0].extract_text()
    assert "集体合同" in text or "协议" in text


def test_the_zip_is_a_partys_only(app, client, auth, queued, session):
    in_force = _negotiation(session, "in_force")
    auth.login("platform")  # the delivery platform is no party to the ride-hailing contract
    assert auth.post(f"/negotiations/{in_force}/documents.zip").status_code == 404
    assert queued == []
    auth.logout()
    auth.login("union")
    auth.post(f"/negotiations/{in_force}/documents.zip")
    assert run_job(app, queued[0]) == "done"
    auth.logout()
    auth.login("mediator")  # a party to the negotiation, but not of the union's organisation
    assert client.get(f"/analyses/jobs/{queued[0]}/download").status_code == 404
