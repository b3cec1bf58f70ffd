"""A notification (what happened to whom, as a template key and its values, never rendered text) and
its deliveries, one per channel, which the job worker sends and marks; the person's push devices, their
choices per topic and channel, and their quiet hours."""

from __future__ import annotations

from datetime import datetime, time
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import NaturalKeyBase, UUIDv7Base

DEFAULT_TIME_ZONE = "Asia/Almaty"


class Channel(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    PUSH = "push"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker (committed before the send); see ``delivery.py``
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"


class Notification(UUIDv7Base):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_feed", "user_id", text("created_at DESC"), text("id DESC")),
        Index("ix_notifications_unread", "user_id", postgresql_where=text("read_at IS NULL")),
        Index("ix_notifications_read_at", "read_at", postgresql_where=text("read_at IS NOT NULL")),
    )

    # None for someone reached by email alone: no account yet (a registration code) or any more (the
    # confirmation of their erasure); their address is then among the sealed values.
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(64))
    # The template's values; rendered when read, in the reader's language.
    params: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # Values that must not sit here in plain text (a one-time code; the address, name and language of a
    # recipient without an account), encrypted (``core/sealing.py``); cleared once the mail is sent or has
    # failed for good. A notification with sealed values is email-only: the inbox never shows it.
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationDelivery(UUIDv7Base):
    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("notification_id", "channel"),
        CheckConstraint("channel IN ('inbox', 'email', 'push')", name="channel_known"),
        CheckConstraint("status IN ('pending', 'sending', 'sent', 'failed', 'skipped')", name="status_known"),
        CheckConstraint("(status = 'sent') = (sent_at IS NOT NULL)", name="sent_when_sent"),
        CheckConstraint("(status = 'sending') = (claimed_at IS NOT NULL)", name="claimed_when_sending"),
        Index(
            "ix_notification_deliveries_due", "next_attempt_at", postgresql_where=text("status = 'pending'")
        ),
        Index(
            "ix_notification_deliveries_claimed", "claimed_at", postgresql_where=text("status = 'sending'")
        ),
    )

    notification_id: Mapped[UUID] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The failure's kind (an exception class name), never its message, which may name the recipient.
    last_error: Mapped[str | None] = mapped_column(String(200))
    # While ``sending``: when a worker claimed it, and the queue's job that did (None outside a job).
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    claimed_by_job: Mapped[int | None] = mapped_column(BigInteger)


class Platform(StrEnum):
    ANDROID = "android"
    IOS = "ios"


class PushDevice(UUIDv7Base):
    """A push token of the person's app (FCM registration token). A token belongs to one person at a time:
    registering it again from another account moves it. A retired token (FCM said it is gone, or the
    person removed it) is never pushed to again; retention deletes it."""

    __tablename__ = "push_devices"
    __table_args__ = (
        CheckConstraint("platform IN ('android', 'ios')", name="platform_known"),
        Index("ix_push_devices_live", "user_id", postgresql_where=text("retired_at IS NULL")),
    )

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(4096), unique=True)
    platform: Mapped[str] = mapped_column(String(16))
    app_version: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Why: "removed" (the person), "unregistered" / "invalid" (FCM's answer).
    retired_reason: Mapped[str | None] = mapped_column(String(32))


class NotificationPreference(NaturalKeyBase):
    """The person's choice for one topic on one channel; no row = the topic's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (CheckConstraint("channel IN ('inbox', 'email', 'push')", name="channel_known"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(64), primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class QuietHours(NaturalKeyBase):
    """When push and email of non-urgent topics wait (local time in ``time_zone``); start after end spans
    midnight. The SQL function ``notification_quiet_until`` (migration 0010) says until when."""

    __tablename__ = "notification_quiet_hours"

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    time_zone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIME_ZONE)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class DigestFrequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class DigestChoice(NaturalKeyBase):
    """How often the person wants the offer digest (``flows/notices.py``); no row = daily."""

    __tablename__ = "notification_digest"
    __table_args__ = (CheckConstraint("frequency IN ('daily', 'weekly', 'off')", name="frequency_known"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class NoticeMark(NaturalKeyBase):
    """That a producer told someone something already (``key``: what, e.g. ``digest:<user>:<day>``,
    ``code_expiring:<redemption>``, ``pool_low:<offer>``). Producers insert their marks with ``ON CONFLICT
    DO NOTHING ... RETURNING`` and notify only for the rows that came back, in the same transaction, so a
    job run twice, or on two workers at once, tells nobody twice."""

    __tablename__ = "notice_marks"
    __table_args__ = (Index("ix_notice_marks_user", "user_id", "kind", text("created_at DESC")),)

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # The person told, when the notice was personal (erasure takes their marks with them).
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Announcement(UUIDv7Base):
    """An admin's message to a scope of employees (companies, cities or everyone); the ``announce`` job fans
    it out in batches, remembering how far it got (``fanned_out_until``, the last user id told)."""

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_created", text("created_at DESC"), text("id DESC")),)

    title: Mapped[dict[str, str]] = mapped_column(JSONB)
    body: Mapped[dict[str, str]] = mapped_column(JSONB)
    # {"everyone": bool, "company_ids": [...], "cities": [...]}
    scope: Mapped[dict[str, Any]] = mapped_column(JSONB)
    audience: Mapped[int] = mapped_column(Integer)
    sent_count: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    fanned_out_until: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))
    # The admin's pseudonym (as in the audit log), not their account.
    created_by_ref: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
