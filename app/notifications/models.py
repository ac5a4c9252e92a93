"""Tables: a user's own settings (calendar feed, e-mail notifications) and the sent-mail log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UTCDateTime


class UserSettings(Base):
    """One row per user who changed a setting; a user without a row has the defaults.

    The calendar feed's secret is kept only as its SHA-256: the URL is shown once, when it is
    made, and a stolen database does not open anybody's calendar.
    """

    __tablename__ = "user_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    calendar_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True,
                                                            unique=True)
    calendar_token_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    notify_offers: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_deadlines: Mapped[bool] = mapped_column(Boolean, default=True)
    notify_comments: Mapped[bool] = mapped_column(Boolean, default=True)
    # Events before this instant (when the address was first given) are never mailed, so
    # choosing notifications does not bring a flood of old offers and comments.
    notify_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the user closed the first-visit guide (None: it is shown on the dashboard).
    guide_dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        return {"email": self.email, "notify_offers": self.notify_offers,
                "notify_deadlines": self.notify_deadlines,
                "notify_comments": self.notify_comments,
                "calendar_feed": self.calendar_token_hash is not None}


class NotificationSent(Base):
    """A message sent to a user about one event; the unique key makes a second send impossible."""

    __tablename__ = "notification_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    event_key: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("user_id", "event_key",
                                       name="uq_notification_sent_user_event"),)
