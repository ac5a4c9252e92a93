"""Navigation by role: blueprints register their entries; the layout shows what the user may use."""
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
    order: int = 50
    resource: Callable | None = None


NAV: list[NavItem] = [
    NavItem("main.dashboard", _l("Dashboard"), "dashboard.view", 0),
    NavItem("admin.index", _l("Administration"), "admin.view", 90),
]


def register(item: NavItem) -> None:
    if all(existing.endpoint != item.endpoint for existing in NAV):
        NAV.append(item)


def visible_items() -> list[dict]:
    if not current_user.is_authenticated:
        return []
    items = []
    for item in sorted(NAV, key=lambda i: i.order):
        resource = item.resource() if item.resource else None
        if can(current_user, item.action, resource):
            items.append({"url": url_for(item.endpoint), "label": item.label,
                          "endpoint": item.endpoint})
    return items


# Templates included in the dashboard, with the action that must be allowed to see them.
DASHBOARD_SECTIONS: list[tuple[str, str]] = []


def dashboard_sections() -> list[str]:
    return [t for t, action in DASHBOARD_SECTIONS if can(current_user, action)]


def init_app(app) -> None:
    app.context_processor(lambda: {"nav_items": visible_items,
                                   "dashboard_sections": dashboard_sections})
