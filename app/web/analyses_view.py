"""Helpers of the analyses pages: parsing small form values, formatting, charts with labels."""
from __future__ import annotations

import math

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.reports import charts
from app.errors import Msg, ValidationError
from app.simulator import fieldspec
from app.web.errors import joined, translated

PRESET_LABELS = {"delivery": _l("Preset: delivery (Zhengzhou)"),
                 "ride_hailing": _l("Preset: ride-hailing (Zhengzhou)"),
                 "freight": _l("Preset: freight (Zhengzhou)")}
UNITS_EN = fieldspec.UNITS_EN  # one table of units
GROUP_LABELS = {"casual": _l("Casual"), "part_time": _l("Part-time"), "full_time": _l("Full-time"),
                "crowd_sourced": _l("Crowd-sourced"), "dedicated": _l("Dedicated")}
MODEL_LABELS = {"mixture of log-normals": _l("mixture of log-normals, one per group"),
                "mixture of binomials (30 days)": _l("mixture of binomials (30 days), one per group"),
                "log-normal": _l("log-normal")}
RECORD_FIELD_TITLES = {"hours_per_day": _l("Online hours per worked day"),
                       "days_per_month": _l("Days worked per month"),
                       "orders": _l("Orders per month"),
                       "earnings": _l("Earnings per month (yuan)")}
FIT_TITLES = {**RECORD_FIELD_TITLES, "orders_per_hour": _l("Orders per online hour"),
              "km_per_order": _l("Km per order"), "minutes_per_order": _l("Minutes per order")}


def fmt(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:,.{digits}f}"


def pct(value, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value * 100:.{digits}f}%"


def number(raw, field: str) -> float:
    try:
        value = float(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: Msg("Must be a number")}) from None
    if not math.isfinite(value):
        raise ValidationError({field: Msg("Must be a finite number")})
    return value


def integer(raw, field: str, lo: int, hi: int) -> int:
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        raise ValidationError({field: Msg("Must be a whole number")}) from None
    if not lo <= value <= hi:
        raise ValidationError({field: Msg("Must be between %(lo)s and %(hi)s", lo=lo, hi=hi)})
    return value


def pair(form: dict, lo_name: str, hi_name: str, field: str):
    """(low, high) from two optional inputs; None when both are blank."""
    lo, hi = (form.get(lo_name) or "").strip(), (form.get(hi_name) or "").strip()
    if not lo and not hi:
        return None
    if not lo or not hi:
        raise ValidationError({field: Msg(
            "Fill in both the lower and the upper end of the range, or neither")})
    return number(lo, field), number(hi, field)


def field_errors(e: ValidationError, rename: dict | None = None,
                 prefix_strip: bool = False, known=None) -> dict:
    """Errors keyed as the form's fields (dotted simulator keys mapped to input names).

    Errors about anything the form has no field for (``known``: the form's field names) are
    joined under ``_form`` and shown above the form, so no message is ever lost.
    """
    out, other = {}, []
    for k, m in e.errors.items():
        m = translated(m)
        k = (rename or {}).get(k, k)
        if prefix_strip and "." in k:
            k = k.rsplit(".", 1)[1]
        if known is not None and k not in known:
            other.append(f"{k}: {m}" if k else m)
        else:
            out[k] = m
    if other:
        out["_form"] = joined(other)
    return out


def frontier_chart(result: dict, *, is_en: bool) -> str:
    m = result["measure"]
    unit = UNITS_EN.get(m["unit"], m["unit"]) if is_en else m["unit"]
    offers = [(o["name"], o["cost"], o["worker"]) for o in result["offers"] if "error" not in o]
    return charts.frontier_chart(
        [(p["cost"], p["worker"]) for p in result["points"]],
        [(p["cost"], p["worker"]) for p in result["frontier"]], offers,
        (result["current"]["cost"], result["current"]["worker"]),
        labels={"packages": _("Packages tried"), "frontier": _("Efficient frontier"),
                "current": _("This scenario"),
                "x": _("Platform net cost (10,000 yuan a month)"),
                "y": f"{m['label_en'] if is_en else m['label_zh']} ({unit})",
                "title": _("Platform cost and worker pay of every package tried")})


def tornado_chart(result: dict, *, is_en: bool, top: int = 15) -> str:
    rows = result["rows"][:top]
    m = result["measure"]
    step = f"{result['step'] * 100:g}%"
    return charts.tornado_chart(
        [r["label_en"] if is_en else r["label_zh"] for r in rows],
        [r["delta_low"] for r in rows], [r["delta_high"] for r in rows],
        labels={"down": _("Input −%(step)s", step=step), "up": _("Input +%(step)s", step=step),
                "x": _("Change of %(measure)s", measure=m["label_en"] if is_en
                       else m["label_zh"]),
                "title": _("Which inputs move the result most")})


def calibration_chart(comparison: dict, *, is_en: bool) -> str:
    panels = [(str(RECORD_FIELD_TITLES[k]), h["edges"], h["observed"], h["simulated"])
              for k, h in comparison.items() if k in RECORD_FIELD_TITLES]
    return charts.observed_simulated_chart(
        panels, labels={"observed": _("Records"), "simulated": _("Calibrated simulation"),
                        "y": _("Share of workers (%)"),
                        "title": _("Observed and simulated distributions")})
