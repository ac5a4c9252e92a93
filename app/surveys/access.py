"""Who may create surveys and see their responses;
rows installed into the shared ``RULES`` by ``app.rules``.

A union creates surveys of its riders; a mediating office (三方办) may run one for a tripartite
study. Responses, their export and everything built from them belong to the owning organisation
alone: not the platform side, not another union, and not the site administrators (who run the
system but are no party to the riders' data).
"""
from __future__ import annotations

from app.auth.models import OrgKind

CREATOR_KINDS = (OrgKind.union, OrgKind.mediator)


def _creator(user, _resource) -> bool:
    org = getattr(user, "organisation", None)
    return org is not None and org.kind in CREATOR_KINDS


def _owner(user, survey) -> bool:
    return survey is not None and survey.organisation_id == user.organisation_id


# Installed into app.auth.permissions.RULES by app.rules.install.
SURVEY_RULES = {
    "survey.list": _creator,
    "survey.create": _creator,
    "survey.view": _owner,
    "survey.manage": _owner,
    "survey.responses": _owner,
    "survey.export": _owner,
    "survey.calibrate": _owner,
}
