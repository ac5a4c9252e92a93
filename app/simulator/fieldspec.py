"""Field metadata and validation shared by the input dataclasses.

Every input field is declared with :func:`spec`, which stores in ``dataclasses.field`` metadata
everything a form needs (Chinese and English label, unit, form group, bounds, source of the
default) and everything validation needs. :class:`Validated` checks the fields on construction
and raises :class:`~app.errors.ValidationError` keyed by field name.
"""
from __future__ import annotations

import dataclasses
import math
from numbers import Integral, Real

from app.errors import Bilingual, Msg, ValidationError

# The English form of every unit the fields, results and registry write in Chinese.
UNITS_EN = {
    "元": "yuan", "元/单": "yuan/order", "元/公里": "yuan/km", "公里": "km",
    "元/分钟": "yuan/min", "比例": "share", "单/月": "orders/month", "元/月": "yuan/month",
    "小时": "h", "分钟": "min", "单/小时": "orders/h", "元/天": "yuan/day", "天": "days",
    "元/小时": "yuan/h", "元/时": "yuan/h", "概率": "probability", "倍": "×", "人": "workers",
    "天/月": "days/month", "单": "orders", "单/天": "orders/day", "元/工作日": "yuan/working day",
    "缴费的比例": "share of the contribution", "单位缴费部分": "employer's contribution",
    "已纳入": "included", "个省份": "provinces", "元/人/月": "yuan/person/month", "%": "%",
}

GROUPS = ("piece_rate", "commission", "hours", "dispatch", "weather", "penalties", "floors",
          "protection", "market", "workforce", "costs", "behaviour", "thresholds")


def spec(default, *, zh: str, en: str, unit: str = "", group: str, min=None, max=None,
         source: str = "assumption", kind: str = "float", min_exclusive: bool = False,
         max_exclusive: bool = False, choices: tuple | None = None, note_zh: str = ""):
    """Declare a dataclass field with form and validation metadata.

    ``kind`` is one of ``"float"``, ``"int"``, ``"bool"``, ``"choice"``, ``"text"``.
    """
    assert group in GROUPS, group
    metadata = {
        "label_zh": zh, "label_en": en, "unit": unit, "group": group, "min": min, "max": max,
        "min_exclusive": min_exclusive, "max_exclusive": max_exclusive, "source": source,
        "type": kind, "choices": tuple(choices) if choices else None, "note_zh": note_zh,
    }
    return dataclasses.field(default=default, metadata=metadata)


def _fmt(x) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def field_label(md: dict) -> Bilingual:
    """The field's label in both languages, a parameter of its messages."""
    return Bilingual(md["label_en"], md["label_zh"])


def range_message(md: dict) -> Msg:
    """The message for a value outside the declared bounds."""
    label, lo, hi = field_label(md), md["min"], md["max"]
    if lo is not None and hi is not None:
        excluded = [_fmt(b) for b, ex in ((lo, md["min_exclusive"]), (hi, md["max_exclusive"]))
                    if ex]
        if excluded:
            return Msg("%(label)s must be between %(lo)s and %(hi)s (excluding %(excluded)s)",
                       label=label, lo=_fmt(lo), hi=_fmt(hi),
                       excluded=Bilingual.joined(excluded, en_sep=" and "))
        return Msg("%(label)s must be between %(lo)s and %(hi)s", label=label, lo=_fmt(lo),
                   hi=_fmt(hi))
    if lo is not None:
        if md["min_exclusive"]:
            return Msg("%(label)s must be greater than %(lo)s", label=label, lo=_fmt(lo))
        return Msg("%(label)s must be at least %(lo)s", label=label, lo=_fmt(lo))
    if md["max_exclusive"]:
        return Msg("%(label)s must be less than %(hi)s", label=label, hi=_fmt(hi))
    return Msg("%(label)s must be at most %(hi)s", label=label, hi=_fmt(hi))


def coerce(value, md: dict):
    """Convert ``value`` (possibly a string from a form or the CLI) to the field's type.

    Returns ``(value, None)`` or ``(None, message)``.
    """
    kind, label = md["type"], field_label(md)
    if kind == "bool":
        if isinstance(value, str):
            low = value.strip().lower()
            if low in ("1", "true", "yes", "on", "是"):
                return True, None
            if low in ("0", "false", "no", "off", "否"):
                return False, None
            return None, Msg("%(label)s must be yes or no", label=label)
        if isinstance(value, bool):
            return value, None
        if isinstance(value, Integral) and value in (0, 1):
            return bool(value), None
        return None, Msg("%(label)s must be yes or no", label=label)
    if kind in ("choice", "text"):
        if not isinstance(value, str):
            return None, Msg("%(label)s must be text", label=label)
        value = value.strip()
        if kind == "choice" and value not in md["choices"]:
            return None, Msg("%(label)s must be one of: %(choices)s", label=label,
                             choices=Bilingual.joined(md["choices"]))
        return value, None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None, Msg("%(label)s must be a number", label=label)
    if isinstance(value, bool) or not isinstance(value, Real):
        return None, Msg("%(label)s must be a number", label=label)
    value = float(value)
    if not math.isfinite(value):
        return None, Msg("%(label)s must be a finite number (not NaN or infinity)", label=label)
    if kind == "int":
        if not value.is_integer():
            return None, Msg("%(label)s must be a whole number", label=label)
        return int(value), None
    return value, None


def check_range(value, md: dict) -> Msg | None:
    lo, hi = md["min"], md["max"]
    if lo is not None and (value < lo or (md["min_exclusive"] and value == lo)):
        return range_message(md)
    if hi is not None and (value > hi or (md["max_exclusive"] and value == hi)):
        return range_message(md)
    return None


class Validated:
    """Mixin for frozen dataclasses: type coercion and bound checks in ``__post_init__``.

    Subclasses add cross-field checks by overriding :meth:`_extra_errors`.
    """

    def __post_init__(self):
        errors: dict[str, Msg] = {}
        for f in dataclasses.fields(self):
            md = f.metadata
            if "type" not in md:
                continue
            value, message = coerce(getattr(self, f.name), md)
            if message is None and md["type"] in ("float", "int"):
                message = check_range(value, md)
            if message is not None:
                errors[f.name] = message
            else:
                object.__setattr__(self, f.name, value)
        if not errors:
            errors.update(self._extra_errors())
        if errors:
            raise ValidationError(errors)

    def _extra_errors(self) -> dict[str, Msg]:
        return {}

    def to_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(cls, data: dict):
        if not isinstance(data, dict):
            raise ValidationError({"": Msg(
                "Wrong data format: an object (dictionary) is expected")})
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValidationError({k: Msg("Unknown parameter") for k in unknown})
        return cls(**data)


def label(cls, name: str) -> str:
    """The Chinese label of field ``name`` of dataclass ``cls``."""
    return {f.name: f.metadata.get("label_zh", f.name) for f in dataclasses.fields(cls)}[name]
