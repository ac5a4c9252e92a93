"""Translated labels for the domain's enumerations."""
from __future__ import annotations

import json

from flask_babel import lazy_gettext as _l

from app.auth.models import OrgKind, Role, Sector

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
