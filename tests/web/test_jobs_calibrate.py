"""Calibration of a large file as a background job (issue 19): above
``calibrate_upload.INTERACTIVE_ROWS`` records the page refuses the file beside its field and
"Run in the background" fits it. The consumer's part runs in-process on the test's real
database (``runner.run``)."""
from __future__ import annotations

import io
import json
import time

import pytest

from app.jobs import runner
from app.jobs.models import Job
from app.simulator import presets
from app.simulator import records as R
from app.simulator.calibrate import calibrate_file
from app.web.calibrate_upload import INTERACTIVE_ROWS
from tests.web.test_analyses_pages import HX, _csv
from tests.jobs.helpers import count_jobs

LARGE = INTERACTIVE_ROWS + 1


@pytest.fixture(scope="module")
def large_file() -> bytes:
    return _csv(LARGE)


def _post(auth, url, payload: bytes, **extra):
    return auth.post(url, {"source": "preset:delivery", **extra,
                           "file": (io.BytesIO(payload), "records.csv")},
                     content_type="multipart/form-data", headers=HX)


def test_a_large_file_is_refused_in_the_request_with_the_offer(client, auth, large_file):
    auth.login("union")
    started = time.process_time()
    answer = _post(auth, "/analyses/calibrate", large_file)
    assert time.process_time() - started < 2  # read and counted, not fitted
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400 and 'id="err-file"' in page
    assert f"{LARGE:,}" in page and f"{INTERACTIVE_ROWS:,}" in page and "后台运行" in page
    assert 'id="run-as-job"' in page and 'formaction="/analyses/jobs/calibrate"' in page
    # a file at the limit is still fitted in the request
    assert _post(auth, "/analyses/calibrate", _csv(300)).status_code == 200


def test_a_large_file_is_fitted_as_a_job_with_the_pages_figures(app, client, auth, queued,
                                                               session, large_file):
    auth.login("union")
    answer = _post(auth, "/analyses/jobs/calibrate", large_file, map_orders="-")
    assert answer.status_code == 204 and answer.headers["HX-Redirect"].endswith(
        f"/analyses/jobs/{queued[0]}")
    job_id = queued[0]
    assert session.get(Job, job_id).upload == large_file  # kept until the job ends
    page = client.get(f"/analyses/jobs/{job_id}").get_data(as_text=True)
    assert 'id="job-progress"' in page and "records.csv" in page and f"{LARGE:,}" in page
    with app.extensions["xieshang.sessions"]() as s:
        assert runner.run(s, job_id) == "done"
    result = client.get(f"/analyses/jobs/{job_id}/result").get_data(as_text=True)
    assert 'id="calibrate-result"' in result and "<svg" in result and 'id="job-banner"' in result
    # the same fit as calibrate_file on the same file, seed and chosen columns
    direct = calibrate_file(presets.preset("delivery"), large_file, "records.csv",
                            _guessed(large_file), seed=_seed(session, job_id))
    shown = json.loads(result.split('name="values" value="')[1].split('"')[0]
                       .replace("&#34;", '"').replace("&quot;", '"'))
    assert shown == json.loads(json.dumps(direct["values"]))
    session.expire_all()
    assert session.get(Job, job_id).upload is None  # the records are not kept after the job


def _guessed(data: bytes) -> dict:
    headers, _rows = R.read_table(data, "records.csv")
    return {**R.guess_mapping(headers), "orders": None}


def _seed(session, job_id: int) -> int:
    return json.loads(session.get(Job, job_id).parameters)["seed"]


def test_a_refused_file_or_column_is_a_400_and_queues_nothing(client, auth, queued, session):
    auth.login("union")
    before = count_jobs(session)
    bad_column = _post(auth, "/analyses/jobs/calibrate", _csv(100), map_hours_per_day="9")
    assert bad_column.status_code == 400 and 'id="err-hours_per_day"' in bad_column.get_data(
        as_text=True)
    empty = _post(auth, "/analyses/jobs/calibrate", b"")
    assert empty.status_code == 400 and 'id="err-file"' in empty.get_data(as_text=True)
    assert count_jobs(session) == before and queued == []
