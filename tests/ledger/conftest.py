"""Helpers for ledger tests: demo users and organisations, extra "other region" ones."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.auth.models import Organisation, OrgKind, Role, Sector, User

# The instant the demo data are loaded with (tests/conftest.py DEMO_NOW).
DEMO_NOW = datetime(2026, 11, 2, 2, 0, tzinfo=timezone.utc)


@pytest.fixture
def now():
    return DEMO_NOW


@pytest.fixture
def later(now):
    return lambda days: now + timedelta(days=days)


def org(session, name_part: str) -> Organisation:
    return session.scalars(select(Organisation).where(
        Organisation.name.contains(name_part))).one()


def user(session, username: str) -> User:
    return session.scalars(select(User).where(User.username == username)).one()


def make_org(session, name, kind, *, province="河南省", city="郑州市", sector=None,
             partner_of=None) -> Organisation:
    o = Organisation(name=name, kind=kind, province=province, city=city, sector=sector,
                     partner_of=partner_of)
    session.add(o)
    session.flush()
    return o


def make_user(session, username, organisation, role=Role.org_admin) -> User:
    u = User(username=username, display_name=username, organisation=organisation, role=role)
    u.set_password("xieshang-demo")
    session.add(u)
    session.flush()
    return u


@pytest.fixture
def world(session):
    """Demo orgs and users plus an enterprise and an office in another city (洛阳)."""
    w = {
        "mediator": user(session, "mediator"), "platform": user(session, "platform"),
        "union": user(session, "union"), "admin": user(session, "admin"),
        "delivery": org(session, "速达外卖"), "delivery_partner": org(session, "众达人力"),
        "freight": org(session, "货运通"),
    }
    w["other_ent"] = make_org(session, "洛阳快送科技有限公司（测试）", OrgKind.platform,
                              city="洛阳市", sector=Sector.delivery)
    w["other_office"] = make_org(session, "洛阳市协调劳动关系三方办公室（测试）", OrgKind.mediator,
                                 city="洛阳市")
    w["other_mediator"] = make_user(session, "ly_mediator", w["other_office"])
    w["other_platform"] = make_user(session, "ly_platform", w["other_ent"])
    w["partner_user"] = make_user(session, "zd_partner", w["delivery_partner"], Role.member)
    w["province_office"] = make_org(session, "河南省协调劳动关系三方办公室（测试）", OrgKind.mediator,
                                    city="")
    w["province_mediator"] = make_user(session, "hn_mediator", w["province_office"])
    session.commit()
    return w
