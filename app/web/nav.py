"""Navigation by role: every entry and dashboard section, listed here; the layout shows what the
user may use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import can


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    action: str
    resource: Callable | None = None


# Every entry of the navigation, in the order shown; an entry shows when its action is allowed.
NAV: tuple[NavItem, ...] = (
    NavItem("main.dashboard", _l("Dashboard"), "dashboard.view"),
    NavItem("negotiations.index", _l("Negotiations"), "negotiation.list"),
    NavItem("scenarios.index", _l("Scenarios"), "scenario.list"),
    NavItem("analyses.index", _l("Analyses"), "analyses.view"),
    NavItem("standards.index", _l("Standards calculator"), "standards.view"),
    NavItem("registry.index", _l("Minimum wages"), "standards.reference"),
    NavItem("agreements.index", _l("Agreements"), "agreement.list"),
    NavItem("library.index", _l("Case library"), "library.view"),
    NavItem("surveys.index", _l("Surveys"), "survey.list"),
    NavItem("ledger.index", _l("Ledger"), "ledger.list"),
    NavItem("reports.region_report", _l("Regional report"), "report.region"),
    NavItem("admin.index", _l("Administration"), "admin.view"),
)


def visible_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for item in NAV:
        resource = item.resource() if item.resource else None
        if can(current_user, item.action, resource):
            items.append({"url": url_for(item.endpoint), "label": item.label,
                          "endpoint": item.endpoint})
    return items


# Templates included in the dashboard, in order, with the action that must be allowed to see them.
DASHBOARD_SECTIONS: tuple[tuple[str, str], ...] = (
    ("scenarios/_dashboard.html", "scenario.list"),
    ("ledger/_dashboard.html", "layoff.list"),
    ("negotiations/_dashboard.html", "negotiation.list"),
    ("agreements/_dashboard.html", "agreement.list"),
    ("analyses/_dashboard.html", "analyses.view"),
    ("registry/_adjustments.html", "agreement.list"),
)


def dashboard_sections() -> list[str]:
    return [t for t, action in DASHBOARD_SECTIONS if can(current_user, action)]


def init_app(app) -> None:
    app.context_processor(lambda: {"nav_items": visible_items,
                                   "dashboard_sections": dashboard_sections})
