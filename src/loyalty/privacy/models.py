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
    # What changed, in kk/ru/en, announced to the people it affects when it is published ahead of time.
    summary: Mapped[dict[str, str] | None] = mapped_column(JSONB)


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


class DataRequestChannel(StrEnum):
    APP = "app"  # filed by the employee in the app
    PAPER = "paper"  # the rest were received by HR outside the app and filed on the person's behalf
    EMAIL = "email"
    IN_PERSON = "in_person"


class DataRequest(UUIDv7AuditBase):
    """A data-subject request, filed by an employee in the app or by HR for someone on the roster who asked
    outside it (perhaps without an account, perhaps after leaving), worked by HR within the legal
    response period. One open request per kind per person: a partial unique index says so."""

    __tablename__ = "data_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('access', 'rectification', 'objection', 'erasure')", name="kind_known"),
        CheckConstraint("status IN ('open', 'completed', 'rejected')", name="status_known"),
        CheckConstraint("(status = 'open') = (decided_at IS NULL)", name="decided_when_closed"),
        CheckConstraint("channel IN ('app', 'paper', 'email', 'in_person')", name="channel_known"),
        Index("ix_data_requests_queue", "due_on", "id", postgresql_where=text("status = 'open'")),
        Index("ix_data_requests_user", "user_id", "created_at"),
        Index(
            "ux_data_requests_one_open_per_kind",
            "roster_entry_id",
            "kind",
            unique=True,
            postgresql_where=text("status = 'open'"),
        ),
    )

    # Erasure unlinks the request from the account; the pseudonym keeps it accountable.
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The person on the roster, with or without an account; erasure and retention unlink it too.
    roster_entry_id: Mapped[UUID | None] = mapped_column(ForeignKey("roster_entries.id", ondelete="SET NULL"))
    subject_ref: Mapped[str] = mapped_column(String(64))
    channel: Mapped[str] = mapped_column(
        String(16), default=DataRequestChannel.APP, server_default=text("'app'")
    )
    # How HR made sure the request came from the person, for requests received outside the app.
    identity_verification: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    details: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=DataRequestStatus.OPEN)
    due_on: Mapped[date] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by_ref: Mapped[str | None] = mapped_column(String(64))
    decision_note: Mapped[str | None] = mapped_column(Text)
