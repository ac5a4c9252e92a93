"""Demo data: fictional organisations in 郑州 (all marked 示例) and the four demo logins.

Loaded only when demo mode is on (``XIESHANG_DEMO=1``) and only into an empty database. Each
feature's demo records come from one module of this package; ``LOADERS`` runs them in order.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import audit, rules
from app.db import transaction
from app.auth.models import Organisation, OrgKind, Role, Sector, User
from app.demo import agreements, ledger, negotiations, scenarios, surveys

DEMO_PASSWORD = "xieshang-demo"

ORGANISATIONS = [
    # key, name, kind, sector, partner_of
    ("federation", "郑州市总工会（示例）", OrgKind.union, None, None),
    ("riders_union", "郑州市新就业形态劳动者工会联合会（示例）", OrgKind.union, None, None),
    ("delivery", "速达外卖平台（示例）", OrgKind.platform, Sector.delivery, None),
    ("ride_hailing", "畅行网约车平台（示例）", OrgKind.platform, Sector.ride_hailing, None),
    ("freight", "货运通平台（示例）", OrgKind.platform, Sector.freight, None),
    ("delivery_partner", "郑州众达人力服务有限公司（示例）", OrgKind.labour_partner,
     Sector.delivery, "delivery"),
    ("ride_partner", "郑州安途汽车服务有限公司（示例）", OrgKind.labour_partner,
     Sector.ride_hailing, "ride_hailing"),
    ("freight_partner", "郑州顺程物流服务有限公司（示例）", OrgKind.labour_partner,
     Sector.freight, "freight"),
    ("tripartite", "郑州市协调劳动关系三方办公室（示例）", OrgKind.mediator, None, None),
]

USERS = [
    # username, display name, organisation key, role, site admin
    ("union", "王建国（示例·工会协商代表）", "riders_union", Role.org_admin, False),
    ("platform", "李晓明（示例·平台企业代表）", "delivery", Role.org_admin, False),
    ("mediator", "张敏（示例·调解员）", "tripartite", Role.org_admin, False),
    ("admin", "系统管理员（示例）", "tripartite", Role.member, True),
]

DEMO_LOGINS = [(u[0], u[1]) for u in USERS]

# The one order of the loaders ``(session, organisations_by_key, users_by_name, now)``:
# negotiations first, because the others refer to them; the surveys last, so that the ids of the
# other demo records stay as they were before the surveys existed.
LOADERS: tuple[Callable[[Session, dict, dict, datetime], None], ...] = (
    negotiations.load, agreements.load, scenarios.load, ledger.load, surveys.load)


def is_empty(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(Organisation)) == 0


def load(session: Session, *, now: datetime) -> bool:
    """Load the demo data into an empty database; returns False (and does nothing) otherwise."""
    rules.install()  # the loaders act as users, through the permission rules
    if not is_empty(session):
        return False
    with transaction(session):  # the whole demo or nothing; the services join this unit
        orgs: dict[str, Organisation] = {}
        for key, name, kind, sector, partner in ORGANISATIONS:
            org = Organisation(name=name, kind=kind, province="河南省", city="郑州市", sector=sector,
                               partner_of=orgs.get(partner) if partner else None)
            session.add(org)
            orgs[key] = org
        users: dict[str, User] = {}
        for username, display, org_key, role, site_admin in USERS:
            user = User(username=username, display_name=display, organisation=orgs[org_key],
                        role=role, is_site_admin=site_admin)
            user.set_password(DEMO_PASSWORD)
            session.add(user)
            users[username] = user
        session.flush()
        for loader in LOADERS:
            loader(session, orgs, users, now)
        audit.record(session, actor=None, action="demo.load", target_type="database",
                     after={"organisations": len(orgs), "users": len(users)}, now=now)
    return True
