"""Helpers for negotiation tests: demo users, the demo negotiations by role, an outsider org."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.auth.models import Organisation, OrgKind, Role, Sector, User
from app.negotiations.models import Negotiation
from tests.conftest import DEMO_NOW

TITLES = {
    "consultation": "速达外卖骑手劳动报酬专项集体协商（示例）",
    "awaiting": "速达外卖平台算法与工作时间规则协商（示例）",
    "in_force": "畅行网约车驾驶员抽成比例集体合同（示例）",
    "preparing": "速达外卖骑手恶劣天气保障专项协商（示例）",
}
# A moment a few days after the demo was loaded (demo dates are relative to DEMO_NOW).
NOW = DEMO_NOW + dt.timedelta(hours=1)


def user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def negotiation(session, key: str) -> Negotiation:
    return session.scalar(select(Negotiation).where(Negotiation.title == TITLES[key]))


def make_outsider(session, *, kind=OrgKind.union, username="outsider", site_admin=False) -> User:
    """A user of an organisation that takes part in no demo negotiation."""
    org = Organisation(name=f"{username}的组织（测试）", kind=kind, province="河南省", city="洛阳市",
                       sector=Sector.delivery if kind is OrgKind.platform else None)
    person = User(username=username, display_name=username, organisation=org,
                  role=Role.org_admin, is_site_admin=site_admin)
    person.set_password("xieshang-demo")
    session.add_all([org, person])
    session.commit()
    return person

