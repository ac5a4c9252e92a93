"""One pass of the notification job: send every due notice once.

For each notice a row of ``notification_sent`` (unique per user and event) is written, the
message is sent, and only then is the row committed. A failed send rolls the row back, so the
next pass tries again; a second pass running at the same time cannot insert the same row (the
unique constraint refuses it), so it never sends the same message twice.
"""
from __future__ import annotations

import datetime as dt
import logging
import smtplib

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from . import mail, notices
from .compose import compose
from .models import NotificationSent

log = logging.getLogger(__name__)


def run_pass(session: Session, settings: mail.MailSettings | None, *,
             now: dt.datetime) -> int:
    """Send what is due; return how many messages went out. Mail off (None): nothing."""
    if settings is None:
        return 0
    due = notices.due(session, now=now)
    session.rollback()  # end the read transaction: each send commits on its own
    sent = 0
    with mail.Connection(settings) as connection:
        for notice in due:
            session.add(NotificationSent(user_id=notice.user.id, event_key=notice.key,
                                         sent_at=now))
            try:
                session.flush()
            except IntegrityError:
                session.rollback()  # sent by another pass meanwhile
                continue
            subject, body = compose(notice, settings.base_url)
            try:
                connection.send(mail.message(settings, notice.email, subject, body))
            except (smtplib.SMTPException, OSError) as exc:
                session.rollback()
                log.warning("notification %s to user %s not sent: %s", notice.key,
                            notice.user.id, exc)
                # (SMTPException is an OSError: a refused address is not a lost server.)
                if isinstance(exc, smtplib.SMTPServerDisconnected) \
                        or not isinstance(exc, smtplib.SMTPException):
                    break  # the server is gone: the next pass tries again
                continue
            session.commit()
            sent += 1
    return sent
