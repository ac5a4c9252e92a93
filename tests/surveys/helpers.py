"""Helpers for the survey tests: a survey made through the service, a valid answer form."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.auth.models import User
from app.db import utcnow
from app.surveys import questions, service

# One plausible rider: every question of the bank answered.
GOOD = {"days_last_week": "5", "days_last_month": "22", "hours_online_per_day": "9",
        "hours_with_orders_per_day": "7", "orders_per_day": "28", "km_per_day": "90",
        "gross_pay_last_month": "6200", "gross_pay_last_week": "1500",
        "deductions_last_month": "180", "vehicle_cost_per_month": "400",
        "battery_swap_per_month": "220", "phone_cost_per_month": "80",
        "vehicle_type": "ebike", "work_pattern": "full_time", "city": "郑州市"}


def make_survey(session, username: str = "union", *, keys=questions.KEYS, days: int = 30,
                title: str = "测试调查") -> int:
    """A survey open for ``days`` more days (from the wall clock, as the pages use it)."""
    actor = session.scalar(select(User).where(User.username == username))
    now = utcnow()
    survey = service.create_survey(session, actor, {
        "title": title, "sector": "delivery", "place": "郑州市",
        "closes_on": (service.local_date(now) + timedelta(days=days)).isoformat(),
        "questions": list(keys)}, now=now)
    session.commit()
    return survey.id


def token_of(session, survey_id: int) -> str:
    from app.surveys.models import Survey
    return session.get(Survey, survey_id).token


def closing_day(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()
