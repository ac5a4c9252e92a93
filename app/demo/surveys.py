"""Demo survey: the riders' union's survey of delivery riders in 郑州 with 320 responses.

The answers are drawn (seeded) from the delivery preset with a few assumptions moved, so that
calibrating to them visibly changes the scenario. Run by ``app.demo.load``
after every other loader (existing demo ids stay).
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

import numpy as np

from app import audit
from app.simulator.presets import preset
from app.surveys import questions
from app.surveys.models import Survey, SurveyResponse
from app.surveys.synthetic import answers as draw

SEED = 20261102
RESPONSES = 320
TOKEN = "demo-zz-riders-2026"
# What the demo riders "really" do (the calibration should find these again).
TRUTH = {"market.orders_per_hour_mean": 2.6,
         "workforce.groups.full_time.days_per_month": 25.0,
         "workforce.groups.full_time.hours_median": 10.5,
         "workforce.groups.full_time.share": 0.35, "workforce.groups.casual.share": 0.33}


def truth():
    return preset("delivery").with_values(TRUTH)


def load(session, orgs: dict, users: dict, now) -> None:
    union = users.get("union")
    if union is None:
        return
    survey = Survey(organisation_id=union.organisation_id, created_by_id=union.id,
                    title="2026 年外卖骑手收入与工时调查（示例）", sector="delivery",
                    place="河南省郑州市", questions=list(questions.KEYS), token=TOKEN,
                    closes_at=now + timedelta(days=120), created_at=now - timedelta(days=21))
    session.add(survey)
    session.flush()
    rng = np.random.default_rng(SEED)
    # More answers in the first days after the link went out, fewer later.
    offsets = np.sort(rng.exponential(6.0, RESPONSES).clip(0, 20.5))
    for i, a in enumerate(draw(truth(), RESPONSES, SEED)):
        at = survey.created_at + timedelta(days=float(offsets[i]))
        session.add(SurveyResponse(
            survey_id=survey.id, answers=a, submitted_at=at,
            device_hash=hashlib.sha256(f"demo-device-{i}".encode()).hexdigest(),
            withdrawal_hash=hashlib.sha256(f"demo-code-{i}".encode()).hexdigest(),
            excluded=False, flag_note=""))
    session.flush()
    audit.record(session, actor=union, action="survey.create", target_type="survey",
                 target_id=survey.id, after=survey.snapshot(), now=now)

