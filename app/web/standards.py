"""Standards calculator: the per-minute, per-km and per-order rates a target wage implies."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from app.auth.permissions import require
from app.scenarios import access  # noqa: F401  (registers the permission rules)
from app.simulator import standards as formulas
from app.web.htmx import wants_fragment

bp = Blueprint("standards", __name__, url_prefix="/standards")


# name, default, minimum, maximum (None = open), exclusive minimum
FIELDS = (
    ("minimum_wage", 20.6, 0.0, 1000.0, True),
    ("paid_leave_share", 0.0, 0.0, 2.0, False),
    ("payroll_tax_share", 0.0, 0.0, 0.99, False),
    ("target_hourly", 25.0, 0.0, 1000.0, True),
    ("utilization", 0.6, 0.0, 1.0, True),
    ("cost_per_km", 0.08, 0.0, 100.0, False),
    ("minutes_per_order", 28.0, 0.0, 1440.0, False),
    ("km_per_order", 3.0, 0.0, 1000.0, False),
    ("per_order_minimum", 0.0, 0.0, 10_000.0, False),
)
MESSAGES = {
    "number": "请输入数字",
    "range": "必须在 {lo:g} 到 {hi:g} 之间",
    "range_open": "必须大于 {lo:g}，且不超过 {hi:g}",
}


def _parse(args) -> tuple[dict, dict, dict]:
    raw, values, errors = {}, {}, {}
    for name, default, lo, hi, open_lo in FIELDS:
        text = (args.get(name) or "").strip()
        raw[name] = text if name in args else f"{default:g}"
        try:
            value = float(raw[name])
        except ValueError:
            errors[name] = MESSAGES["number"]
            continue
        if value != value or value < lo or value > hi or (open_lo and value <= lo):
            errors[name] = (MESSAGES["range_open"] if open_lo else MESSAGES["range"]).format(
                lo=lo, hi=hi)
            continue
        values[name] = value
    return raw, values, errors


def standards_context(args) -> dict:
    raw, v, errors = _parse(args)
    result = None
    if not errors:
        per_minute, per_km = formulas.utilization_rates(v["target_hourly"], v["cost_per_km"],
                                                        v["utilization"])
        result = {
            "contractor_wage": formulas.contractor_equivalent_wage(
                v["minimum_wage"], v["paid_leave_share"], v["payroll_tax_share"]),
            "per_minute": per_minute, "per_km": per_km,
            "per_hour_engaged": per_minute * 60.0,
            "per_order": formulas.per_order_floor(v["minutes_per_order"], v["km_per_order"],
                                                  per_minute, per_km, v["per_order_minimum"]),
        }
    return {"raw": raw, "errors": errors, "result": result, "values": v,
            "field_names": [f[0] for f in FIELDS]}


@bp.get("/")
@login_required
def index():
    require(current_user, "standards.view")
    ctx = standards_context(request.args)
    status = 400 if ctx["errors"] else 200
    if wants_fragment("standards-result"):
        return render_template("scenarios/_standards_result.html", **ctx), status
    return render_template("scenarios/standards.html", **ctx), status
