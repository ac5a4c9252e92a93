"""What the scenario pages show besides the form: labels, formatting, the chart, the comparison
columns and the place-and-date fields (kept apart from the views in ``scenarios.py``)."""
from __future__ import annotations

from flask import Response, abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.reports import charts
from app.scenarios import export, forms, service
from app.scenarios import minimum_wage as mwage
from app.errors import ValidationError
from app.simulator import field_specs
from app.simulator import fieldspec
from app.simulator.effect import effects_many
from app.standards import thresholds
from app.web.errors import all_messages


# -- labels, chart, comparison ----------------------------------------------------------------

SECTION_LABELS = {
    "piece_rate": _l("Piece rate"), "commission": _l("Commission"),
    "hours": _l("Working hours and rest"), "dispatch": _l("Dispatch"),
    "weather": _l("Weather and heat"), "penalties": _l("Penalties"),
    "floors": _l("Pay floors"), "protection": _l("Protection paid by the platform"),
    "market": _l("Market"), "weather_calendar": _l("Weather calendar"),
    "workforce": _l("Workforce"), "costs": _l("Workers' own costs"),
    "behaviour": _l("Behavioural response"), "thresholds": _l("Minimum wage standard"),
}
SECTOR_LABELS = {"delivery": _l("Delivery"), "ride_hailing": _l("Ride-hailing"),
                 "freight": _l("Freight")}
GROUP_LABELS = {"casual": _l("Casual"), "part_time": _l("Part-time"),
                "full_time": _l("Full-time"), "crowd_sourced": _l("Crowd-sourced"),
                "dedicated": _l("Dedicated")}
VEHICLE_LABELS = {"e_bike": _l("E-bike"), "owned_car": _l("Own car"),
                  "rented_car": _l("Rented car"), "van": _l("Van")}
WEATHER_LABELS = {"fair": _l("Fair"), "rain": _l("Rain"), "snow_ice": _l("Snow or ice"),
                  "cold": _l("Severe cold"), "heat_35": _l("Heat 35–37 ℃"),
                  "heat_37": _l("Heat 37–40 ℃"), "heat_40": _l("Heat ≥ 40 ℃")}
PLATFORM_LABELS = {"worker_pay": _l("Pay to workers (gross)"),
                   "subsidies": _l("of which weather and heat subsidies"),
                   "floor_topups": _l("of which floor top-ups"),
                   "insurance": _l("Injury insurance and pension subsidy"),
                   "commission_revenue": _l("Commission kept"),
                   "membership_revenue": _l("Membership fees"),
                   "customer_fares": _l("Customer fares"),
                   "net_cost": _l("Net cost to the platform")}
CHOICE_LABELS = {"day": _l("each day"), "cycle": _l("each settlement cycle"),
                 "month": _l("each month"), **VEHICLE_LABELS}
MEASURE_LABELS = {"net_per_working_hour": _l("Net pay per working hour (yuan)"),
                  "net_per_online_hour": _l("Net pay per online hour (yuan)"),
                  "net_monthly": _l("Net income per month (yuan)")}


UNITS_EN = fieldspec.UNITS_EN  # one table of units


def _pct(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def _num(value, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _signed(value, digits: int = 1, scale: float = 1.0, suffix: str = "") -> str:
    if value is None:
        return "—"
    return f"{value * scale:+,.{digits}f}{suffix}"


def labels_context() -> dict:
    from flask_babel import get_locale
    is_en = str(get_locale()).startswith("en")
    return {"is_en": is_en, "section_labels": SECTION_LABELS, "sector_labels": SECTOR_LABELS,
            "group_labels": GROUP_LABELS, "vehicle_labels": VEHICLE_LABELS,
            "weather_labels": WEATHER_LABELS, "platform_labels": PLATFORM_LABELS,
            "choice_labels": CHOICE_LABELS, "measure_labels": MEASURE_LABELS,
            "field_label": lambda e: e["label_en"] if is_en else e["label_zh"],
            "unit_label": lambda u: UNITS_EN.get(u, u) if is_en else u,
            "pct": _pct, "num": _num, "signed": _signed, "dom_id": forms.dom_id}


def chart_for(results: dict) -> str:
    h = results["histogram"]
    return charts.pay_distribution_chart(
        h["edges"], h["baseline"], h["package"], results["minimum_wage"],
        labels={"baseline": _("Today's rules"), "package": _("This package"),
                "minimum_wage": _("Hourly minimum wage"),
                "x": _("Net pay per working hour (yuan)"), "y": _("Share of workers (%)"),
                "title": _("Net pay per working hour: today's rules and this package")})


def compare_context(records) -> dict:
    """Run 2–4 scenarios on the first one's draws against the first one's rules of today."""
    first = records[0]
    scenarios = [service.to_scenario(r) for r in records]
    scenarios = [s.__class__.from_dict({**s.to_dict(), "name": r.name})
                 for s, r in zip(scenarios, records)]
    baseline = service.baseline_of(scenarios[0], first.baseline_pay)
    try:
        columns = effects_many(scenarios, baseline, first.seed)
    except ValidationError as exc:
        return {"records": records, "columns": None,
                "error": all_messages(exc)}
    return {"records": records, "columns": columns, "error": None, "seed": first.seed,
            "term_rows": _term_rows(scenarios, first.baseline_pay), "cmp_get": _getter,
            "cmp_fmt": _formatter}


def _term_rows(scenarios, baseline_pay: dict) -> list[dict]:
    """The package terms on which the scenarios differ, as shown values per scenario."""
    is_en = labels_context()["is_en"]
    specs = [{e["key"]: e for e in field_specs(s) if e["key"].startswith("pay.")}
             for s in scenarios]
    rows = []
    for key, entry in specs[0].items():
        values = [forms.show(sp[key]["value"]) for sp in specs]
        if len(set(values)) > 1:
            rows.append({"key": key, "label": entry["label_en"] if is_en else entry["label_zh"],
                         "values": values,
                         "today": forms.show(baseline_pay.get(entry["name"], ""))})
    return rows


def _getter(path: str):
    def get(column):
        value = column
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return value
    return get


def _formatter(kind: str):
    def fmt(value, diff: bool = False):
        if value is None:
            return "—"
        if kind == "pct":
            return f"{value * 100:+.1f} pt" if diff else f"{value * 100:.1f}%"
        digits = 2 if kind == "yuan2" else 0
        return f"{value:+,.{digits}f}" if diff else f"¥{value:,.{digits}f}"
    return fmt


def place_context(session, record, place: tuple) -> dict:
    """The place-and-date fields (``place`` = province, tier, as_of as typed) and the standard
    they select (None if they select none)."""
    province, tier, as_of = place
    try:
        standard = mwage.minimum_wage(session, province, tier, mwage.parse_date(as_of))
    except ValidationError:
        standard = None
    is_en = labels_context()["is_en"]
    return {"place": {"province": province, "tier": tier, "as_of": str(as_of)},
            "standard": standard, "region_label": thresholds.region_label,
            "provinces": [(k, v[1] if is_en else v[0]) for k, v in mwage.PROVINCES.items()],
            "tiers": [(k, v[1] if is_en else v[0]) for k, v in mwage.TIERS.items()]}


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=scenario.{filename.rsplit('.', 1)[-1]}; "
        f"filename*=UTF-8''{_quote(filename)}")
    return response


def _quote(text: str) -> str:
    from urllib.parse import quote
    return quote(text, safe="")


def export_response(record, results, fmt: str):
    """The CSV or XLSX download of a scenario's or snapshot's results and inputs."""
    scenario = service.to_scenario(record)
    locale = "en" if labels_context()["is_en"] else "zh"
    if fmt == "csv":
        return _download(export.to_csv(record.name, scenario, record.baseline_pay, results,
                                       locale=locale),
                         "text/csv; charset=utf-8", f"{record.name}.csv")
    if fmt == "xlsx":
        return _download(export.to_xlsx(record.name, scenario, record.baseline_pay, results,
                                        locale=locale),
                         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         f"{record.name}.xlsx")
    abort(404)
