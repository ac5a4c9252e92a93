"""Form fields parsed for the negotiation and agreement services: each helper reads one field of
a form-shaped mapping, returns the value (or a default) and, when it is missing or malformed,
puts a Chinese message under the field's key in ``errors``; ``raise_any`` then refuses the whole
form at once, so every message appears beside its field and nothing is written."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from app.errors import ValidationError


def text(form: Mapping, key: str, errors: dict, *, required: bool = False, max_len: int = 200,
         label: str = "此项") -> str:
    value = str(form.get(key) or "").strip()
    if required and not value:
        errors[key] = f"请填写{label}"
    elif len(value) > max_len:
        errors[key] = f"{label}不能超过{max_len}个字"
    return value


def date(form: Mapping, key: str, errors: dict, *, required: bool = True,
         default: dt.date | None = None) -> dt.date | None:
    raw = form.get(key)
    if isinstance(raw, dt.date) and not isinstance(raw, dt.datetime):
        return raw
    raw = str(raw or "").strip()
    if not raw:
        if default is None and required:
            errors[key] = "请填写日期"
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[key] = "日期格式应为 年-月-日，例如 2026-11-02"
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
                errors[key] = "请填写整数"
            return default
        try:
            value = int(raw)
        except ValueError:
            errors[key] = "请填写整数"
            return None
    if not minimum <= value <= maximum:
        errors[key] = f"应在{minimum}至{maximum}之间"
        return None
    return value


def boolean(form: Mapping, key: str) -> bool:
    value = form.get(key)
    if isinstance(value, bool):
        return value
    return str(value or "").strip().lower() in ("1", "true", "on", "yes", "y")


def not_future(day: dt.date | None, key: str, today: dt.date, errors: dict) -> None:
    if day is not None and key not in errors and day > today:
        errors[key] = "日期不能晚于今天"


def raise_any(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)
