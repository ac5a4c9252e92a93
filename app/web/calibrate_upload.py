"""The calibration page's upload: the table of records, the column mapping the form chose, and
the size above which a file is fitted as a background job (used by ``app.web.analyses`` in the
request and by ``app.web.analysis_jobs`` to queue the job), and the subject's anchor checks."""
from __future__ import annotations

import functools
import json

from app.errors import Msg, ValidationError
from app.simulator import Scenario, anchors, simulate
from app.simulator import records as R

#: Records above which a file is calibrated as a background job, not in the request.
#: Assumption, measured 2026-12-04 on the 2-core test machine (``calibrate_file`` of a CSV of
#: the delivery preset's synthetic records, median of 3): 20,000 rows 0.9 s, 50,000 rows 2.4 s,
#: 100,000 rows 4.0 s of wall time; reading and checking 100,000 rows alone takes 0.5 s.
INTERACTIVE_ROWS = 20_000


def table(upload) -> tuple[str, bytes, list, list]:
    """``(filename, data, headers, rows)`` of the uploaded file (ValidationError if refused)."""
    if upload is None or not upload.filename:
        raise ValidationError({"file": Msg("Choose the CSV or XLSX file to upload")})
    data = upload.read(R.MAX_BYTES + 1)
    headers, rows = R.read_table(data, upload.filename)
    return upload.filename, data, headers, rows


def interactive_table(upload) -> tuple[list, list]:
    """``(headers, rows)`` of a file small enough to calibrate in the request."""
    _name, _data, headers, rows = table(upload)
    if len(rows) > INTERACTIVE_ROWS:
        raise ValidationError({"file": Msg(
            "This file has %(n)s rows: above %(limit)s rows it is fitted in the background "
            "(“Run in the background”)", n=f"{len(rows):,}", limit=f"{INTERACTIVE_ROWS:,}")})
    return headers, rows


def mapping(headers: list, form: dict) -> dict:
    """Record field → column: guessed from the headers, then the form's choices ("-": none)."""
    chosen = R.guess_mapping(headers)
    for f in R.FIELD_NAMES:
        value = (form.get(f"map_{f}") or "").strip()
        if value == "-":
            chosen[f] = None
        elif value:
            chosen[f] = value
    return chosen


def anchors_before(s, seed):
    """The scenario's anchor checks, computed once per scenario and seed: a rejected upload
    must not cost a simulation each time (the page shows them beside the error)."""
    return _anchor_checks(json.dumps(s.to_dict(), sort_keys=True, default=str), seed)


@functools.lru_cache(maxsize=32)
def _anchor_checks(scenario_json: str, seed: int):
    return anchors.check(simulate(Scenario.from_dict(json.loads(scenario_json)), seed=seed))
