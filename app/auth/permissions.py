"""Who may do what: ``can(user, action, resource)``.

One table, ``RULES``, maps each action to a predicate over the user and the resource. Every
route checks through here. The rows of the features are added in one place, ``app.rules.install``
(called by the app factory, the demo loader and the tests). An action not in the table is
refused.
"""
from __future__ import annotations

from typing import Any, Callable

from app.errors import PermissionDenied


def _site_admin(user, _resource) -> bool:
    return bool(user.is_site_admin)


def _own_org_admin(user, organisation) -> bool:
    """Site admins, or the organisation's own admins for their organisation."""
    if user.is_site_admin:
        return True
    return user.is_org_admin and organisation is not None and organisation.id == user.organisation_id


def _member_of(user, organisation) -> bool:
    return user.is_site_admin or (organisation is not None
                                  and organisation.id == user.organisation_id)


def _any_user(_user, _resource) -> bool:
    return True


RULES: dict[str, Callable[[Any, Any], bool]] = {
    "dashboard.view": _any_user,
    "admin.view": lambda u, r: u.is_site_admin or u.is_org_admin,
    "organisation.list": _site_admin,
    "organisation.create": _site_admin,
    "organisation.edit": _site_admin,
    "organisation.view": _member_of,
    "user.list": lambda u, org: _own_org_admin(u, org),
    "user.create": lambda u, org: _own_org_admin(u, org),
    "user.edit": lambda u, target: (
        u.is_site_admin
        or (u.is_org_admin and target is not None
            and target.organisation_id == u.organisation_id and not target.is_site_admin)),
    "audit.view": _site_admin,
}


# The rules defined here; the features' rules are added by app.rules.install.
CORE_ACTIONS = frozenset(RULES)


def can(user, action: str, resource: Any = None) -> bool:
    """True if ``user`` (active) may perform ``action`` on ``resource``."""
    if user is None or not getattr(user, "is_active", False):
        return False
    rule = RULES.get(action)
    return bool(rule and rule(user, resource))


def require(user, action: str, resource: Any = None) -> None:
    """Raise :class:`PermissionDenied` unless :func:`can` allows it."""
    if not can(user, action, resource):
        raise PermissionDenied(action)
