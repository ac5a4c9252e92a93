"""Translated labels for the domain's enumerations, and the domain's messages (English source
strings raised by the ledger) listed so that they are extracted and translated."""
from __future__ import annotations

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import OrgKind, Role, Sector
from app.web import english

ORG_KINDS = {
    OrgKind.union: _l("Union"),
    OrgKind.platform: _l("Platform enterprise"),
    OrgKind.labour_partner: _l("Labour partner company"),
    OrgKind.mediator: _l("Mediator / tripartite office"),
}
SECTORS = {
    Sector.delivery: _l("Delivery"),
    Sector.ride_hailing: _l("Ride-hailing"),
    Sector.freight: _l("Freight"),
}
ROLES = {Role.member: _l("Member"), Role.org_admin: _l("Organisation admin")}

# --- the implementation ledger -------------------------------------------------------------------
LEDGER_STANDINGS = {
    "open": _l("Not started"), "in_progress": _l("In progress"), "closed": _l("Closed"),
    "overdue": _l("Overdue"),
}
RISK_GRADES = {"low": _l("Low risk"), "medium": _l("Medium risk"), "high": _l("High risk")}
ITEM_SOURCES = {"manual": _l("Entered by hand"), "screening": _l("From a risk screening"),
                "agreement": _l("From an agreement's standard")}
ITEM_HISTORY = {"created": _l("Opened"), "started": _l("Work started"), "closed": _l("Closed"),
                "reopened": _l("Reopened"), "edited": _l("Details changed"),
                "evidence": _l("Evidence added")}

# Messages raised by the domain (English source strings), listed here so they are translated.
LEDGER_MESSAGES = (
    _l("A closed item cannot be changed; reopen it first."),
    _l("An item from an agreement names its negotiation."),
    _l("An item from an agreement names the standard."),
    _l("Choose a platform or labour partner company."),
    _l("Choose at least one item that is not open yet."),
    _l("Choose where the item comes from."),
    _l("Closing an item needs evidence: a note or a file."),
    _l("Column “%(name)s” appears twice."),
    _l("Enter a date as YYYY-MM-DD."),
    _l("Enter a number."),
    _l("Enter a percentage between 0 and 100."),
    _l("Enter a whole number."),
    _l("Enter the negotiation's number."),
    _l("Must be at least 1."),
    _l("Name a negotiation your organisation is party to, with this enterprise on the employer "
       "side."),
    _l("Must not be negative."),
    _l("No indicator columns were found."),
    _l("No platform or labour partner company is named “%(name)s”."),
    _l("Say why the item is reopened."),
    _l("The CSV file could not be read."),
    _l("The deadline cannot be in the past."),
    _l("The enterprise name column is missing (enterprise / 企业名称)."),
    _l("The enterprise name is empty."),
    _l("The file has a header but no rows."),
    _l("The file has more than %(limit)s columns."),
    _l("The file has more than %(limit)s rows."),
    _l("The file is empty."),
    _l("The file is larger than %(limit)s MB."),
    _l("The file is larger than 5 MB."),
    _l("The file is not UTF-8 or GB18030 text."),
    _l("The file is not a CSV text file."),
    _l("The file is not a readable XLSX workbook."),
    _l("The file name contains invisible direction characters; rename it."),
    _l("The file's content does not match its type."),
    _l("The plan has not been reported to the labour bureau "
       "(Labour Contract Law art. 41, after hearing the union or workers)."),
    _l("The plan was reported before the union or workers were heard "
       "(Labour Contract Law art. 41)."),
    _l("The plan was reported to the labour bureau fewer than 30 days ahead "
       "(Henan guidance 豫人社函〔2023〕137号, not a rule of law)."),
    _l("The screening date cannot be in the future."),
    _l("The union or the workers have not been told "
       "(Labour Contract Law art. 41: 30 days ahead)."),
    _l("The union or the workers were told fewer than 30 days ahead "
       "(Labour Contract Law art. 41)."),
    _l("The workbook is too large once unpacked (at most %(limit)s MB)."),
    _l("The workforce is smaller than the number laid off."),
    _l("This date is after the lay-off date."),
    _l("This field is required."),
    _l("This number is too large; please check it."),
    _l("This step is not allowed in the item's current status."),
    _l("This text is too long."),
    _l("Unknown column “%(name)s”."),
    _l("Upload a .csv or .xlsx file."),
    _l("Upload a PDF, PNG, JPEG, XLSX, DOCX, CSV or TXT file."),
    _l("Write a note or attach a file."),
    _l("“%(name)s” is outside your region."),
    _l("“%(value)s” is not a date (use YYYY-MM-DD)."),
)


def tr(message: str, **params) -> str:
    """Translate a domain message (an English source string, or a ``Msg``)."""
    if getattr(message, "params", None):
        params = {**message.params, **params}
    text = _(getattr(message, "id", message))
    return text % params if params else text


def _lookup(table):
    def label(value):
        if value is None:
            return ""
        for key, text in table.items():
            if value == key or value == key.value:
                return text
        return str(value)
    return label


def _zip_labels(values, label):
    """Pair option values with their labels: ``label`` is a function or a dict."""
    return [(v, label(v) if callable(label) else label.get(v, v)) for v in values]


def _tojson_pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True)


def init_app(app) -> None:
    app.jinja_env.globals.update(
        org_kind_label=_lookup(ORG_KINDS), sector_label=_lookup(SECTORS),
        role_label=_lookup(ROLES),
        platform_names=lambda orgs: {o.id: o.name for o in orgs})
    app.jinja_env.filters.update(zip_labels=_zip_labels, tojson_pretty=_tojson_pretty)
    english.init_app(app)  # the English forms of citations, units and provinces
