"""``can(user, action, resource)``: a table of cases, each with the answer it must give."""
from types import SimpleNamespace as NS

import pytest

from app.auth.permissions import RULES, PermissionDenied, can, require

UNION_ORG = NS(id=1)
PLATFORM_ORG = NS(id=2)


def user(org, *, admin=False, site=False, active=True):
    return NS(id=hash((org.id, admin, site)) % 1000, organisation_id=org.id, is_org_admin=admin,
              is_site_admin=site, is_active=active)


MEMBER = user(UNION_ORG)
ORG_ADMIN = user(UNION_ORG, admin=True)
SITE_ADMIN = user(PLATFORM_ORG, site=True)
INACTIVE_SITE_ADMIN = user(PLATFORM_ORG, site=True, active=False)
OWN_USER = NS(organisation_id=UNION_ORG.id, is_site_admin=False)
OTHER_USER = NS(organisation_id=PLATFORM_ORG.id, is_site_admin=False)

CASES = [
    (MEMBER, "dashboard.view", None, True),
    (MEMBER, "admin.view", None, False),
    (ORG_ADMIN, "admin.view", None, True),
    (MEMBER, "organisation.list", None, False),
    (ORG_ADMIN, "organisation.create", None, False),
    (SITE_ADMIN, "organisation.create", None, True),
    (SITE_ADMIN, "organisation.edit", UNION_ORG, True),
    (ORG_ADMIN, "organisation.edit", UNION_ORG, False),
    (MEMBER, "organisation.view", UNION_ORG, True),
    (MEMBER, "organisation.view", PLATFORM_ORG, False),
    (ORG_ADMIN, "user.list", UNION_ORG, True),
    (ORG_ADMIN, "user.list", PLATFORM_ORG, False),
    (MEMBER, "user.list", UNION_ORG, False),
    (ORG_ADMIN, "user.create", UNION_ORG, True),
    (ORG_ADMIN, "user.create", PLATFORM_ORG, False),
    (ORG_ADMIN, "user.edit", OWN_USER, True),
    (ORG_ADMIN, "user.edit", OTHER_USER, False),
    (ORG_ADMIN, "user.edit", NS(organisation_id=UNION_ORG.id, is_site_admin=True), False),
    (SITE_ADMIN, "user.edit", OTHER_USER, True),
    (SITE_ADMIN, "audit.view", None, True),
    (ORG_ADMIN, "audit.view", None, False),
    (INACTIVE_SITE_ADMIN, "audit.view", None, False),
    (SITE_ADMIN, "no.such.action", None, False),
    (None, "dashboard.view", None, False),
]


@pytest.mark.parametrize("actor,action,resource,expected", CASES)
def test_can(actor, action, resource, expected):
    assert can(actor, action, resource) is expected


def test_every_rule_has_a_case():
    covered = {action for _, action, _, _ in CASES}
    assert set(RULES) <= covered, f"add cases for {sorted(set(RULES) - covered)}"


def test_require_raises():
    with pytest.raises(PermissionDenied):
        require(MEMBER, "audit.view")
    require(SITE_ADMIN, "audit.view")
