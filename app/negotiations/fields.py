"""Form fields parsed for the negotiation and agreement services: each helper reads one field of
a form-shaped mapping, returns the value (or a default) and, when it is missing or malformed,
puts a message id (``Msg``) under the field's key in ``errors``; ``raise_any`` then refuses
the whole form at once, so every message appears beside its field and nothing is written."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.errors import Msg, ValidationError


def text(form: Mapping, key: str, errors: dict, *, required: bool = False, max_len: int = 200,
         label: str = Msg("this field")) -> str:
    value = str(form.get(key) or "").strip()
    if required and not value:
        errors[key] = Msg("Fill in %(label)s", label=label)
    elif len(value) > max_len:
        errors[key] = Msg("Write at most %(max)s characters in %(label)s", label=label,
                          max=max_len)
    return value


def date(form: Mapping, key: str, errors: dict, *, required: bool = True,
         default: dt.date | None = None) -> dt.date | None:
    raw = form.get(key)
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    raw = str(raw or "").strip()
    if not raw:
        if default is None and required:
            errors[key] = Msg("Fill in the date")
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[key] = Msg("Write the date as year-month-day, e.g. 2026-11-02")
        return None


def integer(form: Mapping, key: str, errors: dict, *, required: bool = True, minimum: int = 0,
            maximum: int = 10_000_000, default: int | None = None) -> int | None:
    raw = form.get(key)
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        raw = str(raw or "").strip()
        if not raw:
            if default is None and required:
                errors[key] = Msg("Fill in a whole number")
            return default
        try:
            value = int(raw)
        except ValueError:
            errors[key] = Msg("Fill in a whole number")
            return None
    if not minimum <= value <= maximum:
        errors[key] = Msg("Must be between %(min)s and %(max)s", min=minimum, max=maximum)
        return None
    return value


def boolean(form: Mapping, key: str) -> bool:
    value = form.get(key)
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes", "y")


def not_future(day: dt.date | None, key: str, today: dt.date, errors: dict) -> None:
    if day is not None and key not in errors and day > today:
        errors[key] = Msg("The date cannot be later than today")


def raise_any(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
