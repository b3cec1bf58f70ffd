"""Accounts, their sessions and refresh tokens, and one-time codes mailed to people."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import UUIDv7AuditBase, UUIDv7Base


class AccountStatus(StrEnum):
    ACTIVE = "active"
    INVITED = "invited"  # staff who have not set a password yet
    DISABLED = "disabled"  # terminated employees and removed staff


class CodePurpose(StrEnum):
    REGISTRATION = "registration"
    PASSWORD_RESET = "password_reset"


class User(UUIDv7AuditBase):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("role IN ('employee', 'partner_admin', 'hr_admin', 'admin')", name="role_known"),
        CheckConstraint("status IN ('active', 'invited', 'disabled')", name="status_known"),
        CheckConstraint("language IN ('kk', 'ru', 'en')", name="language_known"),
        CheckConstraint(
            "(role = 'employee') = (roster_entry_id IS NOT NULL)", name="employee_has_roster_entry"
        ),
        CheckConstraint("status <> 'active' OR password_hash IS NOT NULL", name="active_has_password"),
        CheckConstraint(
            "(role = 'partner_admin') = (partner_id IS NOT NULL)", name="partner_admin_has_partner"
        ),
        # An HR admin's reach is stated, never implied: group-wide, or the companies in
        # staff_company_scopes (none there = nothing).
        CheckConstraint("(role = 'hr_admin') = (hr_group_wide IS NOT NULL)", name="hr_admin_has_scope"),
    )

    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(2), default="ru", server_default=text("'ru'"))
    role: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=AccountStatus.ACTIVE)
    roster_entry_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("roster_entries.id", ondelete="RESTRICT"), unique=True
    )
    consented_policy_version_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("policy_versions.id", ondelete="RESTRICT")
    )
    partner_id: Mapped[UUID | None] = mapped_column(
        ForeignKey("partners.id", ondelete="RESTRICT"), index=True
    )
    core_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # The ``marketing`` purpose as last stated (consent records hold the history); notifications read it.
    marketing_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    restricted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    core_withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Random pseudonym that audit and consent records keep; erasing the user row severs the link.
    subject_ref: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: secrets.token_hex(16))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hr_group_wide: Mapped[bool | None] = mapped_column(Boolean)


class AuthSession(UUIDv7Base):
    """A login: the family of refresh tokens that descend from it. Revoking it kills all of them and
    every access token that names it, on the very next request."""

    __tablename__ = "auth_sessions"
    __table_args__ = (Index("ix_auth_sessions_user_id", "user_id"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_refreshed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))


class RefreshToken(UUIDv7Base):
    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_session_id", "session_id"),)

    session_id: Mapped[UUID] = mapped_column(ForeignKey("auth_sessions.id", ondelete="CASCADE"))
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class OneTimeCode(UUIDv7Base):
    """A 6-digit code mailed to ``email``, stored as an argon2id hash. For registration, ``payload`` holds
    what the person submitted until they prove the address."""

    __tablename__ = "one_time_codes"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("purpose IN ('registration', 'password_reset')", name="purpose_known"),
        CheckConstraint("attempts >= 0", name="attempts_non_negative"),
        Index("ix_one_time_codes_live", "email", "purpose", postgresql_where=text("consumed_at IS NULL")),
    )

    purpose: Mapped[str] = mapped_column(String(32))
    email: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(256))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    consumed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    roster_entry_id: Mapped[UUID | None] = mapped_column(ForeignKey("roster_entries.id", ondelete="CASCADE"))
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
