"""The minimum wage of a scenario's place on its date: the one lookup its thresholds come from.

The figures come from the dated national registry (:mod:`app.standards`), so a standard an
administrator records is used from its effective date on, and a scenario dated earlier keeps
computing with the standard of its own date. A scenario stores its province (the registry's
short name), its tier and its date; which tier a city belongs to is the user's choice, helped by
the registry's place table, and every page shows the record used with its source.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import Msg, ValidationError
from app.standards import provinces
from app.standards.lookup import (MinimumWage, StandardNotFound, minimum_wages_in_force,
                                  standard_date)
from app.standards.lookup import minimum_wage as registry_minimum_wage
from app.standards.models import MinimumWageRecord
from app.standards.thresholds import TIERS

PROVINCES = {short: (full, provinces.ENGLISH[short])
             for short, full, _code in provinces.PROVINCES}
DEFAULT_PROVINCE, DEFAULT_TIER = "河南", "1"
# A scenario stored before places existed holds Henan's figures (the app's first province).
LEGACY_PROVINCE = "河南"


def check_place(province, tier) -> tuple[str, str]:
    """(short province name, tier) from raw values; ValidationError keyed province/tier."""
    errors = {}
    short = provinces.normalise(province)
    if short is None:
        errors["province"] = Msg("Unknown province")
    if str(tier or "").strip() not in TIERS:
        errors["tier"] = Msg("Choose tier 1, 2, 3 or 4")
    if errors:
        raise ValidationError(errors)
    return short, str(tier).strip()


def minimum_wage(session: Session, province, tier, on: dt.date) -> MinimumWage:
    """The standard in force in ``province``/``tier`` on ``on``.

    Raises :class:`ValidationError` keyed ``province``, ``tier`` or ``as_of`` for an unknown
    place, a tier the province's standard does not have, or a date before its first record.
    """
    short, tier = check_place(province, tier)
    if standard_date(session, short, on) is None:
        first = _first_date(session, short)
        raise ValidationError({"as_of": Msg(
            "No minimum wage record of %(province)s in force on %(date)s (the earliest is "
            "%(first)s)", province=short, date=on.isoformat(), first=first.isoformat())
            if first else Msg("No minimum wage record of %(province)s in force on %(date)s",
                              province=short, date=on.isoformat())})
    try:
        return registry_minimum_wage(session, short, int(tier), on)
    except StandardNotFound:
        raise ValidationError({"tier": Msg(
            "The standard of %(province)s in force on %(date)s has no tier %(tier)s",
            province=short, date=on.isoformat(), tier=tier)}) from None


def parse_date(raw) -> dt.date:
    """A date from a form or the command line (``YYYY-MM-DD``), or ValidationError."""
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        raise ValidationError({"as_of": Msg(
            "Fill in the date as year-month-day (e.g. 2026-01-31)")}) from None


def place_of(session: Session, hourly: float, valid_from: str) -> tuple[str, str, dt.date]:
    """The place and date a scenario stored before places existed is given: the Henan tier whose
    hourly figure it holds in the standard in force on ``valid_from`` (tier 1 if none), dated
    no earlier than the registry's first Henan standard."""
    first = _first_date(session, LEGACY_PROVINCE)
    try:
        on = dt.date.fromisoformat(str(valid_from))
    except ValueError:
        on = first
    on = max(on, first) if first else on
    records = minimum_wages_in_force(session, on, LEGACY_PROVINCE) if on else []
    tier = next((str(r.tier) for r in records if abs(r.hourly - hourly) < 1e-9), DEFAULT_TIER)
    return LEGACY_PROVINCE, tier, on


def _first_date(session: Session, province: str) -> dt.date | None:
    return session.scalar(select(func.min(MinimumWageRecord.effective_from)).where(
        MinimumWageRecord.province == province))
