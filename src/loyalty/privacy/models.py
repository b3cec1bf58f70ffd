"""Privacy-policy versions, the append-only record of every consent given or withdrawn, and data-subject
requests."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import ARRAY, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, text
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


class DataRequestKind(StrEnum):
    ACCESS = "access"
    RECTIFICATION = "rectification"
    OBJECTION = "objection"
    ERASURE = "erasure"


class DataRequestStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"
    REJECTED = "rejected"


class DataRequest(UUIDv7AuditBase):
    """A data-subject request an employee filed and HR works, due within the legal response period."""

    __tablename__ = "data_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('access', 'rectification', 'objection', 'erasure')", name="kind_known"),
        CheckConstraint("status IN ('open', 'completed', 'rejected')", name="status_known"),
        CheckConstraint("(status = 'open') = (decided_at IS NULL)", name="decided_when_closed"),
        Index("ix_data_requests_queue", "due_on", "id", postgresql_where=text("status = 'open'")),
        Index("ix_data_requests_user", "user_id", "created_at"),
    )

    # Erasure unlinks the request from the account; the pseudonym keeps it accountable.
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_ref: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    details: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DataRequestStatus.OPEN)
    due_on: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_ref: Mapped[str | None] = mapped_column(String(64))
    decision_note: Mapped[str | None] = mapped_column(Text)
