"""Surveys: creating and closing them, answering and withdrawing, flagging responses.

Functions take the session, the acting user (None for a respondent: no account) and ``now``; they
check access, validate, write and add the audit entry, as one unit of work (``db.atomic``).
The web layer passes the device and the address only as keyed hashes, so no address is ever
stored.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.models import Sector
from app.auth.permissions import can, require
from app.errors import NotFound, ValidationError
from app.surveys import access  # noqa: F401 (registers the survey rules)
from app.surveys import questions
from app.surveys.models import Survey, SurveyAttempt, SurveyResponse

LOCAL_ZONE = ZoneInfo("Asia/Shanghai")
TITLE_MAX, PLACE_MAX, NOTE_MAX = 200, 100, 500
# A survey runs for at most a year (assumption, issue 20, 2026-12: the figures asked about are
# "last week" and "last month", which a longer survey would mix across seasons).
MAX_OPEN_DAYS = 366
# Answers from one address per survey per hour before 429 (assumption, issue 20, 2026-12):
# riders at a union meeting share one Wi-Fi, and mobile carriers put many phones behind one
# address, so the limit is generous; the device cookie is the per-person check.
ANSWERS_PER_HOUR = 30
ANSWER_WINDOW = timedelta(hours=1)
# Work bounded: a survey stops taking answers beyond this many responses.
MAX_RESPONSES = 20000
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and retyped
CODE_LENGTH = 10


class SurveyClosed(Exception):
    """The survey's closing date has passed."""


class AlreadyAnswered(Exception):
    """This device has answered this survey already."""


class RateLimited(Exception):
    """Too many tries from this address for this survey in the last hour."""


def local_date(now: datetime) -> date:
    return now.astimezone(LOCAL_ZONE).date()


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def normalise_code(raw: str) -> str:
    return "".join(c for c in str(raw or "").upper() if c.isalnum())[:CODE_LENGTH + 4]


# -- owners ---------------------------------------------------------------------------------

def visible_surveys(session: Session, actor) -> list[Survey]:
    require(actor, "survey.list")
    return list(session.scalars(select(Survey).where(
        Survey.organisation_id == actor.organisation_id).order_by(Survey.id.desc())))


def get_survey(session: Session, actor, survey_id, action: str = "survey.view") -> Survey:
    """The survey if the actor may ``action`` it; NotFound when it is not theirs to know."""
    survey = session.get(Survey, survey_id) if survey_id else None
    if survey is None or not can(actor, "survey.view", survey):
        raise NotFound(survey_id)
    require(actor, action, survey)
    return survey


def _closing(raw, now: datetime, errors: dict) -> datetime | None:
    if isinstance(raw, date):
        day = raw
    else:
        try:
            day = date.fromisoformat(str(raw or "").strip())
        except ValueError:
            errors["closes_on"] = "Enter a date as YYYY-MM-DD."
            return None
    today = local_date(now)
    if day < today:
        errors["closes_on"] = "The closing date cannot be in the past."
    elif day > today + timedelta(days=MAX_OPEN_DAYS):
        errors["closes_on"] = ("A survey runs for at most %(days)s days.",
                               {"days": MAX_OPEN_DAYS})
    else:
        # Open to the end of the closing day, Beijing time.
        return datetime.combine(day + timedelta(days=1), time(0), LOCAL_ZONE)
    return None


@atomic
def create_survey(session: Session, actor, data: dict, *, now: datetime) -> Survey:
    """A new survey from ``data``: title, sector, place, closes_on (date), questions (keys)."""
    require(actor, "survey.create")
    errors: dict = {}
    title = " ".join(str(data.get("title") or "").split())
    if not title:
        errors["title"] = "This field is required."
    elif len(title) > TITLE_MAX:
        errors["title"] = "This text is too long."
    sector = str(data.get("sector") or "")
    if sector not in {s.value for s in Sector}:
        errors["sector"] = "Choose a sector."
    place = " ".join(str(data.get("place") or "").split())
    if not place:
        errors["place"] = "This field is required."
    elif len(place) > PLACE_MAX:
        errors["place"] = "This text is too long."
    closes_at = _closing(data.get("closes_on"), now, errors)
    keys = data.get("questions") or []
    try:
        chosen = questions.validate_selection(keys if isinstance(keys, (list, tuple)) else [])
    except ValueError as exc:
        errors["questions"] = str(exc)
    if errors:
        raise ValidationError(errors)
    survey = Survey(organisation_id=actor.organisation_id, created_by_id=actor.id, title=title,
                    sector=sector, place=place, questions=chosen,
                    token=secrets.token_urlsafe(12), closes_at=closes_at, created_at=now)
    session.add(survey)
    session.flush()
    audit.record(session, actor=actor, action="survey.create", target_type="survey",
                 target_id=survey.id, after=survey.snapshot(), now=now)
    return survey


@atomic
def close_survey(session: Session, actor, survey: Survey, *, now: datetime) -> Survey:
    """Close now (the closing date becomes this instant); closing twice changes nothing."""
    require(actor, "survey.manage", survey)
    if survey.is_open(now):
        before = survey.snapshot()
        survey.closes_at = now
        session.flush()
        audit.record(session, actor=actor, action="survey.close", target_type="survey",
                     target_id=survey.id, before=before, after=survey.snapshot(), now=now)
    return survey


def responses(session: Session, actor, survey: Survey, *, include_excluded: bool = True):
    """The raw responses, oldest first: the owner's alone."""
    require(actor, "survey.responses", survey)
    query = select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
    if not include_excluded:
        query = query.where(SurveyResponse.excluded.is_(False))
    return list(session.scalars(query.order_by(SurveyResponse.submitted_at, SurveyResponse.id)))


def response_count(session: Session, survey: Survey) -> int:
    return session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id))


def get_response(session: Session, actor, response_id) -> SurveyResponse:
    response = session.get(SurveyResponse, response_id) if response_id else None
    if response is None or not can(actor, "survey.view", response.survey):
        raise NotFound(response_id)
    require(actor, "survey.manage", response.survey)
    return response


@atomic
def set_excluded(session: Session, actor, response: SurveyResponse, *, excluded: bool,
                 note: str, now: datetime) -> SurveyResponse:
    """Flag a response and leave it out of results and calibration (or take it back in)."""
    require(actor, "survey.manage", response.survey)
    note = " ".join(str(note or "").split())
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": "This text is too long."})
    before = {"excluded": response.excluded, "flag_note": response.flag_note}
    response.excluded, response.flag_note = bool(excluded), note
    session.flush()
    audit.record(session, actor=actor, action="survey.flag", target_type="survey_response",
                 target_id=response.id, before=before,
                 after={"excluded": response.excluded, "flag_note": note}, now=now)
    return response


# -- respondents (no account) ---------------------------------------------------------------

def by_token(session: Session, token: str) -> Survey:
    token = str(token or "")
    survey = session.scalar(select(Survey).where(Survey.token == token)) \
        if 0 < len(token) <= 32 else None
    if survey is None:
        raise NotFound(token)
    return survey


def check_rate(session: Session, survey: Survey, address_hash: str, *, now: datetime,
               limit: int = ANSWERS_PER_HOUR) -> None:
    """RateLimited when ``address_hash`` sent ``limit`` answers to this survey in the last hour.

    The answers are counted in the database, so that the limit holds across every web worker
    and host. Refused answers write nothing and are not counted.
    """
    since = now - ANSWER_WINDOW
    count = session.scalar(select(func.count()).select_from(SurveyAttempt).where(
        SurveyAttempt.survey_id == survey.id, SurveyAttempt.address_hash == address_hash[:64],
        SurveyAttempt.at >= since))
    if count >= limit:
        raise RateLimited(survey.id)


def has_answered(session: Session, survey: Survey, device_hash: str | None) -> bool:
    if not device_hash:
        return False
    return session.scalar(select(func.count()).select_from(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id,
        SurveyResponse.device_hash == device_hash[:64])) > 0


@atomic
def submit(session: Session, survey: Survey, form: dict, *, device_hash: str,
           address_hash: str = "-", now: datetime) -> tuple[SurveyResponse, str]:
    """Check consent and answers and store them; returns the response and its withdrawal code.

    Raises SurveyClosed, AlreadyAnswered (this device), RateLimited (this address) or
    ValidationError (consent, answers).
    """
    if not survey.is_open(now):
        raise SurveyClosed(survey.id)
    if has_answered(session, survey, device_hash):
        raise AlreadyAnswered(survey.id)
    check_rate(session, survey, address_hash, now=now)
    answers, errors = questions.parse_answers(survey.questions, form)
    if str(form.get("consent") or "") != "yes":
        errors = {"consent": ("Please read the statement and agree before answering.", {}),
                  **errors}
    if errors:
        raise ValidationError(errors)
    if response_count(session, survey) >= MAX_RESPONSES:
        raise SurveyClosed(survey.id)
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    response = SurveyResponse(survey_id=survey.id, answers=answers, submitted_at=now,
                              device_hash=device_hash[:64],
                              withdrawal_hash=_hash(f"{survey.id}:{code}"), excluded=False,
                              flag_note="")
    session.add(response)
    # Old answers' rows are dropped as new ones come: only the last hour is ever counted.
    session.execute(delete(SurveyAttempt).where(SurveyAttempt.survey_id == survey.id,
                                                SurveyAttempt.at < now - ANSWER_WINDOW))
    session.add(SurveyAttempt(survey_id=survey.id, address_hash=address_hash[:64], at=now))
    try:
        session.flush()
    except IntegrityError:  # the same device, twice at once, from two workers
        session.rollback()
        raise AlreadyAnswered(survey.id)
    # The entry says that an answer came, never what it was (withdrawal deletes the answers).
    audit.record(session, actor=None, action="survey.answer", target_type="survey",
                 target_id=survey.id, now=now)
    return response, format_code(code)


def format_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


@atomic
def withdraw(session: Session, survey: Survey, code: str, *, now: datetime) -> None:
    """Delete the response the code was given for; ValidationError if no response has it."""
    clean = normalise_code(code)
    response = session.scalar(select(SurveyResponse).where(
        SurveyResponse.survey_id == survey.id,
        SurveyResponse.withdrawal_hash == _hash(f"{survey.id}:{clean}"))) \
        if len(clean) == CODE_LENGTH else None
    if response is None:
        raise ValidationError({"code": "No answer has this code. Check the code and try again."})
    session.delete(response)
    session.flush()
    audit.record(session, actor=None, action="survey.withdraw", target_type="survey",
                 target_id=survey.id, now=now)

