"""Privacy-policy versions and the append-only record of every consent given or withdrawn."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, CheckConstraint, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import UUIDv7AuditBase, UUIDv7Base


class PolicyVersion(UUIDv7AuditBase):
    __tablename__ = "policy_versions"
    __table_args__ = (Index("ix_policy_versions_effective", "effective_at"),)

    version: Mapped[str] = mapped_column(String(32), unique=True)
    texts: Mapped[dict[str, str]] = mapped_column(JSONB)
    purposes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    effective_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ConsentRecord(UUIDv7Base):
    """One consent event, with what is needed to prove it later. A database trigger refuses every
    UPDATE and DELETE unless the transaction declares itself an erasure (``loyalty.erasure``)."""

    __tablename__ = "consent_records"
    __table_args__ = (
        CheckConstraint("method IN ('registration', 'consent_update')", name="method_known"),
        CheckConstraint("language IN ('kk', 'ru', 'en')", name="language_known"),
        Index("ix_consent_records_user_id", "user_id", "created_at"),
    )

    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_ref: Mapped[str] = mapped_column(String(64))
    policy_version_id: Mapped[UUID] = mapped_column(ForeignKey("policy_versions.id", ondelete="RESTRICT"))
    language: Mapped[str] = mapped_column(String(2))
    text_sha256: Mapped[str] = mapped_column(String(64))
    purposes_granted: Mapped[list[str]] = mapped_column(ARRAY(Text))
    purposes_declined: Mapped[list[str]] = mapped_column(ARRAY(Text))
    method: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(512))
