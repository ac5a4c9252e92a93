"""Organisations, their users, and login attempts (for rate limiting across processes)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.db import Base, UTCDateTime, utcnow


class OrgKind(str, enum.Enum):
    union = "union"                      # 工会
    platform = "platform"                # 平台企业
    labour_partner = "labour_partner"    # 用工合作企业
    mediator = "mediator"                # 调解组织 / 协调劳动关系三方办公室


class Sector(str, enum.Enum):
    delivery = "delivery"                # 外卖 / 即时配送
    ride_hailing = "ride_hailing"        # 网约车
    freight = "freight"                  # 货运


class Role(str, enum.Enum):
    member = "member"
    org_admin = "org_admin"


def enum_column(cls):
    return Enum(cls, native_enum=False, length=20, validate_strings=True,
                values_callable=lambda e: [m.value for m in e])


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrgKind] = mapped_column(enum_column(OrgKind))
    province: Mapped[str] = mapped_column(String(50))
    city: Mapped[str] = mapped_column(String(50))
    sector: Mapped[Sector | None] = mapped_column(enum_column(Sector), nullable=True)
    # A labour partner company (用工合作企业) works for a platform.
    partner_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    partner_of: Mapped["Organisation | None"] = relationship(remote_side=[id])
    users: Mapped[list["User"]] = relationship(back_populates="organisation")

    __mapper_args__ = {"version_id_col": version}

    def snapshot(self) -> dict:
        return {
            "name": self.name, "kind": self.kind.value, "province": self.province,
            "city": self.city, "sector": self.sector.value if self.sector else None,
            "partner_of_id": self.partner_of_id, "is_active": self.is_active,
        }


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.member)
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    locale: Mapped[str | None] = mapped_column(String(10), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    # Sessions carry the generation they were made in; bumping it (logout, a new password,
    # deactivation) ends every session of the user, copied cookies included.
    session_generation: Mapped[int] = mapped_column(Integer, nullable=False, default=0,
                                                    server_default="0")

    organisation: Mapped[Organisation] = relationship(back_populates="users", lazy="joined")

    __mapper_args__ = {"version_id_col": version}

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session made before this is refused from now on."""
        self.session_generation = (self.session_generation or 0) + 1

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    # The three members Flask-Login expects, written here so the domain needs no Flask.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_org_admin(self) -> bool:
        return self.role is Role.org_admin

    def snapshot(self) -> dict:
        return {
            "username": self.username, "display_name": self.display_name,
            "organisation_id": self.organisation_id, "role": self.role.value,
            "is_site_admin": self.is_site_admin, "is_active": self.is_active,
        }


class LoginAttempt(Base):
    """One login try; failures within a window throttle further tries (shared by all workers)."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
        Index("ix_login_attempt_at", "at"),
    )
