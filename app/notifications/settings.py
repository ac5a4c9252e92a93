"""A user's own settings: the secret calendar-feed address and which e-mails they want.

Every function takes the session, the acting user (who may change only their own settings) and
``now``; each change is audited and committed once.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app.db import atomic
from app.auth.models import User
from app.errors import ValidationError

from .models import UserSettings

# token_urlsafe(32): 43 characters of [A-Za-z0-9_-]; anything else is not a token of ours.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43}")
# A plain address check (the mail server has the last word): one @, a dot in the domain.
EMAIL_RE = re.compile(r"[^@\s<>\"',;]{1,64}@[A-Za-z0-9.-]{1,252}\.[A-Za-z]{2,63}")
MAX_EMAIL = 254
KINDS = ("offers", "deadlines", "comments")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def of(session: Session, user) -> UserSettings:
    """The user's settings row, or an unsaved one with the defaults."""
    row = session.get(UserSettings, user.id)
    if row is None:
        row = UserSettings(user_id=user.id, email="", notify_offers=True, notify_deadlines=True,
                           notify_comments=True)
    return row


def _save(session: Session, actor, row: UserSettings, before: dict, action: str,
          now: dt.datetime) -> None:
    if row not in session:
        session.add(row)
    session.flush()
    audit.record(session, actor=actor, action=f"settings.{action}", target_type="user",
                 target_id=actor.id, before=before, after=row.snapshot(), now=now)


@atomic
def new_calendar_token(session: Session, actor, *, now: dt.datetime) -> str:
    """A new secret for the actor's feed; the old address stops working. Returns the secret."""
    row = of(session, actor)
    before = row.snapshot()
    token = secrets.token_urlsafe(32)
    row.calendar_token_hash, row.calendar_token_at = token_hash(token), now
    _save(session, actor, row, before, "calendar_new", now)
    return token


@atomic
def revoke_calendar_token(session: Session, actor, *, now: dt.datetime) -> None:
    """The feed's address stops working; no new one is made."""
    row = of(session, actor)
    before = row.snapshot()
    row.calendar_token_hash, row.calendar_token_at = None, None
    _save(session, actor, row, before, "calendar_revoke", now)


def user_for_token(session: Session, token: str) -> User | None:
    """The active user whose feed ``token`` opens, or None (malformed, revoked, unknown)."""
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None
    user = session.scalar(select(User).join(UserSettings, UserSettings.user_id == User.id)
                          .where(UserSettings.calendar_token_hash == token_hash(token)))
    if user is None or not user.is_active or not user.organisation.is_active:
        return None
    return user


@atomic
def save_notifications(session: Session, actor, form: Mapping, *, now: dt.datetime) -> None:
    """Store the address and the kinds of message chosen (checkboxes ``notify_<kind>``).

    ``ValidationError`` (field ``email``) for an address that is not one; nothing is written.
    """
    email = str(form.get("email") or "").strip()
    if len(email) > MAX_EMAIL:
        raise ValidationError({"email": "This text is too long."})
    if email and not EMAIL_RE.fullmatch(email):
        raise ValidationError({"email": "Enter an e-mail address such as name@example.org."})
    row = of(session, actor)
    before = row.snapshot()
    if email and not row.email:
        row.notify_since = now  # what happened before is not mailed
    row.email = email
    for kind in KINDS:
        setattr(row, f"notify_{kind}", str(form.get(f"notify_{kind}") or "") in ("1", "on", "y"))
    _save(session, actor, row, before, "notifications", now)


@atomic
def dismiss_guide(session: Session, actor, *, now: dt.datetime) -> None:
    """The first-visit guide is not shown again to the actor."""
    row = of(session, actor)
    if row.guide_dismissed_at is not None:
        return
    before = row.snapshot()
    row.guide_dismissed_at = now
    _save(session, actor, row, before, "guide_dismissed", now)
