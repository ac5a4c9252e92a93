"""The survey domain: answer checks, small-group suppression, calibration from responses."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.simulator.presets import preset
from app.surveys import aggregate, calibration, questions, service, synthetic
from app.surveys.models import Survey
from tests.surveys.helpers import GOOD, make_survey


def test_every_question_has_both_languages_units_and_a_range():
    for q in questions.BANK:
        assert q.zh and q.en
        if q.kind in ("int", "number"):
            assert q.unit_zh and q.unit_en and q.low < q.high
    # nothing identifying in the bank
    assert not {"name", "phone", "platform_id"} & set(questions.KEYS)


def test_the_good_answer_passes_and_each_bound_is_checked():
    answers, errors = questions.parse_answers(list(questions.KEYS), GOOD)
    assert not errors and answers["hours_online_per_day"] == 9.0
    for key in questions.NUMERIC_KEYS:
        q = questions.BY_KEY[key]
        _a, errors = questions.parse_answers([key], {key: f"{q.high + 1:g}"})
        assert key in errors, key
        _a, errors = questions.parse_answers([key], {key: "-1"})
        assert key in errors, key
    _a, errors = questions.parse_answers(["orders_per_day"], {"orders_per_day": "nan"})
    assert "orders_per_day" in errors


def test_suppression_hides_groups_below_five():
    rows = [{**GOOD, "vehicle_type": "ebike", "orders_per_day": 20}] * 6 + \
        [{**GOOD, "vehicle_type": "car", "orders_per_day": 5}] * 4
    parsed = [questions.parse_answers(list(questions.KEYS),
                                      {k: str(v) for k, v in r.items()})[0] for r in rows]
    summary = aggregate.summarise(parsed, list(questions.KEYS))
    vehicles = summary["groups"]["vehicle_type"]
    assert [r["value"] for r in vehicles["rows"]] == ["ebike"]
    assert vehicles["hidden_groups"] == 1
    assert vehicles["rows"][0]["figures"]["orders_per_day"]["median"] == 20
    # the histogram's bin holding the 4 car riders' orders is emptied
    h = summary["figures"]["orders_per_day"]["histogram"]
    assert sum(h["counts"]) == 6 and h["hidden_bins"] == 1
    assert aggregate.summarise(parsed[:4], list(questions.KEYS))["hidden"]


TRUTH = {"market.orders_per_hour_mean": 3.5,
         "workforce.groups.full_time.days_per_month": 22.0,
         "workforce.groups.full_time.hours_median": 9.5,
         "workforce.groups.full_time.share": 0.38, "workforce.groups.casual.share": 0.3}


def test_calibration_from_responses_recovers_the_parameters(session):
    """Responses drawn from a known scenario, stored through the public service, recover it."""
    sid = make_survey(session)
    survey = session.get(Survey, sid)
    truth = preset("delivery").with_values(TRUTH)
    now = utcnow()
    for i, a in enumerate(synthetic.answers(truth, 600, seed=7)):
        service.submit(session, survey, {**{k: str(v) for k, v in a.items()}, "consent": "yes"},
                       device_hash=f"synthetic-{i}", address_hash=f"a{i}", now=now)
    session.commit()
    owner = session.scalar(select(User).where(User.username == "union"))
    answers = [r.answers for r in service.responses(session, owner, survey,
                                                    include_excluded=False)]
    assert len(answers) == 600
    fitted = calibration.calibrate_to(survey, answers, compare=False)["values"]
    before = preset("delivery").to_dict()
    tolerance = {"market.orders_per_hour_mean": 0.1, "workforce.groups.full_time.days_per_month":
                 1.0, "workforce.groups.full_time.hours_median": 0.5,
                 "workforce.groups.full_time.share": 0.05, "workforce.groups.casual.share": 0.06}
    for key, value in TRUTH.items():
        assert fitted[key] == pytest.approx(value, abs=tolerance[key]), key
        # the preset was far enough away for the test to mean something
        section, *path = key.split(".")
        node = before[section]
        if path[0] == "groups":
            node = next(g for g in node["groups"] if g["name"] == path[1])[path[2]]
        else:
            node = node[path[0]]
        assert abs(node - value) > tolerance[key], key


def test_the_survey_package_imports_nothing_above_it():
    """A feature beside scenarios and ledger: no Flask, no web, reports or other features."""
    import subprocess
    import sys
    code = ("import sys, app.surveys.service, app.surveys.aggregate, app.surveys.calibration, "
            "app.surveys.export, app.surveys.synthetic; "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'flask_babel') "
            "or m.startswith(('app.web', 'app.reports', 'app.scenarios', 'app.ledger'))); "
            "print(','.join(bad)); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, f"app.surveys imports {result.stdout.strip()} {result.stderr}"
