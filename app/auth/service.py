"""Accounts and organisations: login with throttling, and the admin changes, all audited."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from app import audit
from app.db import atomic
from app.auth.models import LoginAttempt, Organisation, OrgKind, Role, Sector, User
from app.auth.permissions import require
from app.errors import Conflict, Msg, ValidationError
from app.ids import parse_id


class LoginThrottled(Exception):
    """Too many failed logins for this username or address: try again in ``retry_after``
    seconds."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


USERNAME_RE = re.compile(r"^[A-Za-z0-9_.-]{3,50}$")
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class LoginPolicy:
    """Failed logins allowed in ``window`` per account and per address before a delay, which
    doubles with each further failure (``base_delay``, 2×, 4× … at most ``window``): a backoff,
    not a lock (assumptions, 2026-12, after OWASP's authentication cheat sheet)."""

    max_failures: int = 5
    window: timedelta = timedelta(minutes=15)
    max_address_failures: int = 20
    base_delay: timedelta = timedelta(seconds=30)


#: Login attempts older than this are deleted (the audit log keeps every login).
KEEP_ATTEMPTS = timedelta(days=1)


@functools.cache
def _dummy_hash() -> str:
    return generate_password_hash("an unknown user's password is checked against this")


def check_password_policy(password: str) -> Msg | None:
    """Return the problem with a new password in words, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return Msg("The password must have at least %(n)s characters", n=MIN_PASSWORD_LENGTH)
    if len(password) > 200:
        return Msg("The password is too long")
    if password.isdigit() or password.isalpha():
        return Msg("The password must contain letters and also digits or symbols")
    return None


def _wait(session: Session, attempt, condition, limit: int, policy: LoginPolicy,
          now: datetime) -> float:
    """Seconds still to wait before another try under ``condition`` (0: none)."""
    since = now - policy.window
    others = (LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since, condition,
              LoginAttempt.id != attempt.id)
    failures, last = session.execute(select(func.count(), func.max(LoginAttempt.at))
                                     .where(*others)).one()
    if failures < limit or last is None:
        return 0.0
    delay = min(policy.base_delay * 2 ** min(failures - limit, 20), policy.window)
    return max(0.0, (last + delay - now).total_seconds())


def authenticate(session: Session, username: str, password: str, *, address: str,
                 now: datetime, policy: LoginPolicy = LoginPolicy()) -> User | None:
    """Check a login. Raises :class:`LoginThrottled` while the account or the address waits.

    The attempt is recorded (as a failure) and committed before anything is checked, so
    simultaneous attempts count each other; an unknown user costs a password check like a
    known one. A success clears the account's failures.
    """
    username = (username or "").strip()[:50]
    address = (address or "-")[:64]
    attempt = LoginAttempt(username=username, address=address, succeeded=False, at=now)
    session.add(attempt)
    session.commit()
    wait = max(_wait(session, attempt, LoginAttempt.username == username,
                     policy.max_failures, policy, now),
               _wait(session, attempt, LoginAttempt.address == address,
                     policy.max_address_failures, policy, now))
    user = session.scalar(select(User).where(User.username == username))
    # End the read transaction before the slow password check: on SQLite a read transaction
    # that later writes fails if another login wrote in between.
    session.commit()
    # The attempt row is changed with plain statements: a simultaneous successful login of the
    # same account may have deleted it already (that clears the account's failures).
    this = LoginAttempt.id == attempt.id
    if wait > 0:
        # A refused try is no guess: it does not lengthen the wait.
        session.execute(delete(LoginAttempt).where(this))
        session.commit()
        raise LoginThrottled(math.ceil(wait))
    if user is None:
        check_password_hash(_dummy_hash(), password)
    ok = bool(user and user.check_password(password) and user.is_active
              and user.organisation.is_active)
    session.execute(update(LoginAttempt).where(this).values(succeeded=ok))
    if ok:
        session.execute(delete(LoginAttempt).where(
            ((LoginAttempt.username == username) & LoginAttempt.succeeded.is_(False))
            | (LoginAttempt.at < now - KEEP_ATTEMPTS)))
    audit.record(session, actor=user if ok else None,
                 action="login" if ok else "login_failed", target_type="user",
                 target_id=user.id if user else None, after={"username": username,
                                                             "address": address}, now=now)
    session.commit()
    return user if ok else None


def _clean(value) -> str:
    return (value or "").strip()


def _organisation_errors(session: Session, data: dict, current: Organisation | None) -> dict:
    errors: dict[str, str] = {}
    name = _clean(data.get("name"))
    if not name:
        errors["name"] = Msg("Enter the organisation's name")
    elif len(name) > 200:
        errors["name"] = Msg("The name cannot be longer than 200 characters")
    else:
        clash = session.scalar(select(Organisation).where(Organisation.name == name))
        if clash is not None and clash is not current:
            errors["name"] = Msg("An organisation with this name already exists")
    kind = data.get("kind")
    if kind not in {k.value for k in OrgKind}:
        errors["kind"] = Msg("Choose the type of organisation")
    for field, label in (("province", Msg("the province")), ("city", Msg("the city"))):
        value = _clean(data.get(field))
        if not value:
            errors[field] = Msg("Fill in %(label)s", label=label)
        elif len(value) > 50:
            errors[field] = Msg("%(label)s cannot be longer than 50 characters", label=label)
    sector = data.get("sector") or None
    if sector is not None and sector not in {s.value for s in Sector}:
        errors["sector"] = Msg("Invalid sector")
    if kind == OrgKind.platform.value and sector is None:
        errors["sector"] = Msg("A platform company must choose a sector")
    partner = data.get("partner_of_id") or None
    if partner is not None:
        target = session.get(Organisation, pid) if (pid := parse_id(partner)) else None
        if target is None or target.kind is not OrgKind.platform:
            errors["partner_of_id"] = Msg("The partner platform company does not exist")
        elif current is not None and target.id == current.id:
            errors["partner_of_id"] = Msg("An organisation cannot be its own partner")
    if partner is not None and kind != OrgKind.labour_partner.value:
        errors.setdefault("partner_of_id",
                          Msg("Only a labour partner company can be linked to a platform"))
    return errors


@atomic
def save_organisation(session: Session, actor, data: dict, *, now: datetime,
                      organisation: Organisation | None = None) -> Organisation:
    """Create (``organisation`` None) or update an organisation after validating ``data``.

    An update whose ``data["version"]`` (the version the form was loaded with) is not the stored
    one raises :class:`Conflict`: someone else saved in between, and nothing is overwritten.
    """
    require(actor, "organisation.edit" if organisation else "organisation.create", organisation)
    sent = str(data.get("version") or "").strip()
    if organisation is not None and sent and sent != str(organisation.version):
        raise Conflict()
    errors = _organisation_errors(session, data, organisation)
    if errors:
        raise ValidationError(errors)
    before = organisation.snapshot() if organisation else None
    org = organisation or Organisation()
    org.name = _clean(data["name"])
    org.kind = OrgKind(data["kind"])
    org.province = _clean(data["province"])
    org.city = _clean(data["city"])
    org.sector = Sector(data["sector"]) if data.get("sector") else None
    partner = data.get("partner_of_id") or None
    org.partner_of_id = int(partner) if partner else None
    if "is_active" in data:
        org.is_active = bool(data["is_active"])
    session.add(org)
    session.flush()
    audit.record(session, actor=actor,
                 action="organisation.update" if organisation else "organisation.create",
                 target_type="organisation", target_id=org.id, before=before,
                 after=org.snapshot(), now=now)
    return org


def _user_errors(session: Session, actor, data: dict, current: User | None) -> dict:
    errors: dict[str, str] = {}
    if current is None:
        username = _clean(data.get("username"))
        if not USERNAME_RE.match(username):
            errors["username"] = Msg("The username is 3–50 letters, digits or _ . -")
        elif session.scalar(select(User).where(User.username == username)):
            errors["username"] = Msg("This username is already taken")
    display = _clean(data.get("display_name"))
    if not display:
        errors["display_name"] = Msg("Enter the person's name")
    elif len(display) > 100:
        errors["display_name"] = Msg("The name cannot be longer than 100 characters")
    org_id = data.get("organisation_id")
    org = session.get(Organisation, pid) if (pid := parse_id(org_id)) else None
    if org is None:
        errors["organisation_id"] = Msg("Choose the organisation")
    elif not actor.is_site_admin and org.id != actor.organisation_id:
        errors["organisation_id"] = Msg("You can only manage users of your own organisation")
    if data.get("role") not in {r.value for r in Role}:
        errors["role"] = Msg("Choose a role")
    password = data.get("password") or ""
    if current is None or password:
        problem = check_password_policy(password)
        if problem:
            errors["password"] = problem
    if data.get("is_site_admin") and not actor.is_site_admin:
        errors["is_site_admin"] = Msg("Only a site administrator can grant this permission")
    return errors


@atomic
def save_user(session: Session, actor, data: dict, *, now: datetime,
              user: User | None = None) -> User:
    """Create or update a user account; org admins manage their own organisation only."""
    if user is None:
        org_id = data.get("organisation_id")
        org = session.get(Organisation, pid) if (pid := parse_id(org_id)) else None
        require(actor, "user.create", org or actor.organisation)
    else:
        require(actor, "user.edit", user)
    errors = _user_errors(session, actor, data, user)
    if errors:
        raise ValidationError(errors)
    before = user.snapshot() if user else None
    target = user or User(username=_clean(data["username"]))
    target.display_name = _clean(data["display_name"])
    target.organisation_id = int(data["organisation_id"])
    target.role = Role(data["role"])
    if actor.is_site_admin:
        target.is_site_admin = bool(data.get("is_site_admin"))
    if "is_active" in data:
        if target.is_active and not data["is_active"] and user is not None:
            target.end_sessions()  # a deactivated account's open sessions end now
        target.is_active = bool(data["is_active"])
    if data.get("password"):
        target.set_password(data["password"])
    session.add(target)
    session.flush()
    audit.record(session, actor=actor, action="user.update" if user else "user.create",
                 target_type="user", target_id=target.id, before=before,
                 after=target.snapshot(), now=now)
    return target
