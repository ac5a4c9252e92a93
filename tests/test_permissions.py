"""``can(user, action, resource)``: a table of cases, each with the answer it must give."""
from types import SimpleNamespace as NS

import pytest

from app.errors import PermissionDenied
from app.auth.permissions import CORE_ACTIONS, can, require

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


# -- Ledger rows (app/ledger/access.py): office region, own enterprise, the union's agreements --
import app.ledger.access  # noqa: E402,F401  (registers the ledger rules)
from app.auth.models import OrgKind  # noqa: E402

_OFFICE = NS(id=30, kind=OrgKind.mediator, province="河南省", city="郑州市")
_FAR_OFFICE = NS(id=31, kind=OrgKind.mediator, province="河南省", city="洛阳市")
_ENTERPRISE = NS(id=40, kind=OrgKind.platform, province="河南省", city="郑州市")
_UNION = NS(id=50, kind=OrgKind.union, province="河南省", city="郑州市")


def _member(org, site=False):
    return NS(id=org.id * 10, organisation_id=org.id, organisation=org, is_org_admin=True,
              is_site_admin=site, is_active=True)


_ITEM = NS(enterprise=_ENTERPRISE, negotiation_id=None)
_ENT_RECORD = NS(enterprise=_ENTERPRISE)
CASES += [
    (_member(_UNION), "ledger.list", None, True),
    (_member(_OFFICE), "ledger.view", _ITEM, True),
    (_member(_FAR_OFFICE), "ledger.view", _ITEM, False),
    (_member(_UNION), "ledger.view", _ITEM, False),
    (_member(_OFFICE), "ledger.manage", _ENTERPRISE, True),
    (_member(_ENTERPRISE), "ledger.manage", _ENTERPRISE, False),
    (_member(_OFFICE), "ledger.create", _UNION, False),
    (_member(_OFFICE), "screening.create", _ENTERPRISE, True),
    (_member(_OFFICE), "screening.import", None, True),
    (_member(_ENTERPRISE), "screening.import", None, False),
    (_member(_ENTERPRISE), "screening.view", _ENT_RECORD, True),
    (_member(_FAR_OFFICE), "screening.view", _ENT_RECORD, False),
    (_member(_OFFICE), "ledger.edit", _ITEM, True),
    (_member(_ENTERPRISE), "ledger.close", _ITEM, False),
    (_member(_OFFICE), "ledger.reopen", _ITEM, True),
    (_member(_ENTERPRISE), "ledger.start", _ITEM, True),
    (_member(_ENTERPRISE), "ledger.evidence", _ITEM, True),
    (_member(_UNION), "ledger.evidence", _ITEM, False),
    (_member(_UNION), "layoff.list", None, False),
    (_member(_ENTERPRISE), "layoff.create", _ENTERPRISE, True),
    (_member(_ENTERPRISE), "layoff.view", _ENT_RECORD, True),
    (_member(_OFFICE), "report.region", None, True),
    (_member(_ENTERPRISE), "report.region", None, False),
]

@pytest.mark.parametrize("actor,action,resource,expected", CASES)
def test_can(actor, action, resource, expected):
    assert can(actor, action, resource) is expected


def test_every_core_rule_has_a_case():
    covered = {action for _, action, _, _ in CASES}
    assert CORE_ACTIONS <= covered, f"add cases for {sorted(CORE_ACTIONS - covered)}"


def test_require_raises():
    with pytest.raises(PermissionDenied):
        require(MEMBER, "audit.view")
    require(SITE_ADMIN, "audit.view")
