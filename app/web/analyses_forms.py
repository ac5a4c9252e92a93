"""Form fields of the analyses pages that depend on other fields.

A form is drawn for one scenario (``for_source``) and, on the frontier, each range for one term
(``x_for``, ``y_for``). Changing the scenario or a term redraws the form (htmx GET on the
select); whatever still arrives drawn for another scenario or term is stale and is replaced by
the defaults of the scenario and term now chosen, so a package is never analysed with the
previous scenario's rate or the previous term's range.
"""
from __future__ import annotations

import math

from app.errors import Msg, ValidationError
from app.simulator.optimize import check_range, decimals, default_range

RANGES = {"x": ("x_lo", "x_hi"), "y": ("y_lo", "y_hi")}


def stale_source(form: dict, source: str) -> bool:
    """True when the form's scenario-dependent values were drawn for another scenario."""
    drawn = form.get("for_source")
    return drawn is not None and drawn != source


def term_default_range(scenario, spec: dict) -> tuple[float, float]:
    """The range a term is tried over unless the user sets one.

    An hourly floor the scenario does not have yet is tried from none to 1.5 × the scenario's
    hourly minimum wage (assumption, 2026-12: wide enough to show where the floor starts to bind);
    every other term over :func:`app.simulator.optimize.default_range` (today's value ±50 %)."""
    if spec["key"] == "pay.hourly_floor" and float(spec["value"]) <= 0:
        return 0.0, float(round(1.5 * scenario.thresholds.hourly_minimum_wage))
    return default_range(spec)


def _text(value: float, digits: int) -> str:
    return f"{value:.{digits}f}".rstrip("0").rstrip(".") or "0"


def range_text(scenario, spec: dict) -> tuple[str, str]:
    """The default range as the two inputs show it, rounded inwards to the term's decimals;
    blank (the engine's own default) when rounding leaves no valid range."""
    lo, hi = term_default_range(scenario, spec)
    d = decimals(spec)
    lo_s = _text(math.ceil(lo * 10 ** d - 1e-9) / 10 ** d, d)
    hi_s = _text(math.floor(hi * 10 ** d + 1e-9) / 10 ** d, d)
    try:
        check_range(spec, float(lo_s), float(hi_s), "range")
    except ValidationError:
        return "", ""
    return lo_s, hi_s


def frontier_defaults(form: dict, scenario, source: str, terms: list[dict]) -> None:
    """Fill the frontier form in place: defaults, and fresh ranges for a changed scenario or
    term. A range left blank on purpose (both inputs present and empty) stays blank."""
    if stale_source(form, source):  # the offer picked is kept: offers are picked by key
        for name in (*RANGES["x"], *RANGES["y"]):
            form.pop(name, None)
    form.setdefault("x_key", "pay.base_per_order")
    if "y_key" not in form:
        # Pay everyone more per order, or guarantee an hourly floor: a real trade-off.
        form["y_key"] = "pay.hourly_floor"
    specs = {t["key"]: t for t in terms}
    for axis, (lo, hi) in RANGES.items():
        key = form.get(f"{axis}_key")
        drawn = form.get(f"{axis}_for")
        if drawn is not None and drawn != key:
            form.pop(lo, None)
            form.pop(hi, None)
        if lo not in form and hi not in form and key in specs:
            form[lo], form[hi] = range_text(scenario, specs[key])


def offer_index(offers: list[dict], chosen: str) -> int:
    """The position of the offer whose key is ``chosen`` (offers are picked by key, not by
    row: the list differs from one scenario to the next)."""
    for i, offer in enumerate(offers):
        if offer["key"] == chosen:
            return i
    raise ValidationError({"chosen": Msg("Choose an offer from the list")})
