"""Office-grade XLSX downloads of the compare page, a negotiation's offers, the ledger and the
regional report (the scenario's own export is in ``scenarios_view``); all through
``app.workbook``: typed cells, number formats, a frozen header, a sheet per table."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, request
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required

from app import workbook
from app.auth.permissions import require
from app.db import utcnow
from app.ids import parse_id
from app.ledger import service as ledger_service
from app.negotiations import overview, terms as terms_mod
from app.negotiations import offers as offer_service, records as negotiation_records
from app.errors import ValidationError
from app.scenarios import service as scenario_service
from app.scenarios.export import TEXT as SCENARIO_TEXT
from app.simulator import field_specs
from app.web.database import db
from app.web.errors import all_messages
from app.workbook import Column, Typed
from app.simulator.effect import effects_many

bp = Blueprint("exports", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COMPARE = 4


@bp.before_request
@login_required
def _signed_in():
    pass


def _lang() -> str:
    return "en" if str(get_locale()).startswith("en") else "zh"


def _download(book, filename: str, ascii_name: str) -> Response:
    response = Response(workbook.to_bytes(book), mimetype=XLSX)
    response.headers["Content-Disposition"] = (
        f"attachment; filename={ascii_name}; filename*=UTF-8''{quote(filename, safe='')}")
    return response


def _value(value):
    """A term's value as a number when it is one; lists and choices as text."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return str(value)


# -- compare ---------------------------------------------------------------------------------
def _path(data, path: str):
    for part in path.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


@bp.get("/scenarios/compare.xlsx")
def compare_xlsx():
    ids = list(dict.fromkeys(i for i in map(parse_id, request.args.getlist("ids")) if i))
    if not 2 <= len(ids) <= MAX_COMPARE:
        abort(400, _("Choose two to four scenarios to compare."))
    records = [scenario_service.get_scenario(db(), current_user, i, "scenario.view")
               for i in ids]
    scenarios = [scenario_service.to_scenario(r) for r in records]
    baseline = scenario_service.baseline_of(scenarios[0], records[0].baseline_pay)
    try:
        columns = effects_many(scenarios, baseline, records[0].seed)
    except ValidationError as exc:
        abort(400, all_messages(exc))
    first = columns[0]
    today = {"package": first["baseline"]}
    measures = [(_("Below the hourly minimum wage: %(reading)s",
                   reading=SCENARIO_TEXT[_lang()].get(r, r)),
                 f"package.share_below_hourly_minimum_by_reading.{r}", "percent")
                for r in first.get("readings") or ()]
    measures += [
        (_("Median net pay per working hour"), "package.quantiles.net_per_working_hour.p50",
         "money"),
        (_("10th percentile net pay per working hour"),
         "package.quantiles.net_per_working_hour.p10", "money"),
        (_("Median net income per month"), "package.quantiles.net_monthly.p50", "money"),
        (_("Better off than today"), "delta.share_better_off", "percent"),
        (_("Worse off than today"), "delta.share_worse_off", "percent"),
        (_("Net cost per order"), "package.platform.cost_per_order", "money"),
        (_("Net cost per worker-month"), "package.platform.cost_per_worker_month", "money"),
        (_("Net cost to the platform"), "package.platform.net_cost", "money")]
    book = workbook.new_book()
    heads = [Column(_("Measure")), Column(_("Today's rules"), "money")] + [
        Column(r.name, "money") for r in records]
    rows = [[label, Typed(_path(today, path), kind)]
            + [Typed(_path(c, path), kind) for c in columns] for label, path, kind in measures]
    workbook.add_table(book, _("Results"), heads, rows,
                       preamble=[(_("Seed"), records[0].seed)])
    lang = _lang()
    specs = [{e["key"]: e for e in field_specs(s) if e["key"].startswith("pay.")}
             for s in scenarios]
    term_rows = []
    for key, entry in specs[0].items():
        term_rows.append([entry["label_en"] if lang == "en" else entry["label_zh"], entry["unit"],
                          _value(records[0].baseline_pay.get(entry["name"]))]
                         + [_value(sp.get(key, {}).get("value")) for sp in specs])
    workbook.add_table(book, _("Terms"), [Column(_("Term")), Column(_("Unit")),
                                          Column(_("Today's rules"), "general")]
                       + [Column(r.name, "general") for r in records], term_rows)
    return _download(book, _("Compare scenarios") + ".xlsx", "compare.xlsx")


# -- offers ----------------------------------------------------------------------------------
@bp.get("/negotiations/<int:negotiation_id>/offers.xlsx")
def offers_xlsx(negotiation_id: int):
    session = db()
    negotiation = negotiation_records.get_negotiation(session, current_user, negotiation_id)
    lang = _lang()
    offers, results = offer_service.offers_with_results(session, current_user,
                                                              negotiation)
    sent = [o for o in offers if o.status in ("sent", "superseded")]
    side = {"worker": _("Worker side"), "employer": _("Employer side")}
    heads = [Column(_("Term")), Column(_("Today's rules"), "general")] + [
        Column(_("%(side)s, round %(n)s (%(on)s)", side=side.get(o.side, o.side), n=o.round,
                 on=o.sent_on.isoformat() if o.sent_on else ""), "general") for o in sent]
    comparison = overview.compare_offers(sent, negotiation.current_rules, lang, results)
    book = workbook.new_book()
    workbook.add_table(book, _("Offers"), heads, [
        [row.label, _value(row.current)] + [_value(c.value) for c in row.cells]
        for row in comparison["rows"]], preamble=[(_("Negotiation"), negotiation.title)])
    result_rows = []
    for row, (_key, _path_, _zh, _en, unit) in zip(comparison["results"], terms_mod.RESULT_ROWS):
        # The page shows shares as percentage points; the workbook keeps the fraction.
        kind = "percent" if unit == "%" else "money"
        scale = 100.0 if unit == "%" else 1.0

        def typed(v, kind=kind, scale=scale):
            return Typed(None if v is None else v / scale, kind)
        result_rows.append([row.label, typed(row.current)] + [typed(c.value) for c in row.cells])
    workbook.add_table(book, _("Simulated effect"), heads, result_rows)
    return _download(book, f"{negotiation.title}-{_('Offers')}.xlsx",
                     f"offers-{negotiation.id}.xlsx")


# -- ledger ----------------------------------------------------------------------------------
@bp.get("/ledger/items.xlsx")
def ledger_xlsx():
    require(current_user, "ledger.list")
    today = ledger_service.local_date(utcnow())
    items = ledger_service.visible_items(db(), current_user, today=today)
    standing = {"open": _("Not started"), "in_progress": _("In progress"),
                "closed": _("Closed"), "overdue": _("Overdue")}
    rows = [[item.id, item.enterprise.name, item.title, item.responsible, item.opened_on,
             item.deadline, standing.get(item.standing(today), item.standing(today)),
             item.closed_on, (item.deadline - today).days
             if item.standing(today) != "closed" else None, item.negotiation_id]
            for item in items]
    book = workbook.new_book()
    workbook.add_table(book, _("Ledger"), [
        Column(_("No."), "int"), Column(_("Enterprise")), Column(_("Item")),
        Column(_("Person responsible")), Column(_("Opened on"), "date"),
        Column(_("Deadline"), "date"), Column(_("Status")), Column(_("Closed on"), "date"),
        Column(_("Days left"), "int"), Column(_("Negotiation no."), "int")], rows,
        preamble=[(_("As of"), today)])
    return _download(book, _("Ledger") + ".xlsx", "ledger.xlsx")
