"""Redemptions: the codes employees show at the till, the counters that enforce offers' limits, partners'
pools of single-use codes, and the idempotency keys that make issuing safe to retry."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import NaturalKeyBase, UUIDv7Base


class RedemptionStatus(StrEnum):
    ISSUED = "issued"
    REDEEMED = "redeemed"
    EXPIRED = "expired"  # never stored: an issued code past its expiry reads as expired
    CANCELLED = "cancelled"


class LimitPeriod(StrEnum):
    EVER = "ever"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Redemption(UUIDv7Base):
    __tablename__ = "redemptions"
    __table_args__ = (
        CheckConstraint("status IN ('issued', 'redeemed', 'cancelled')", name="status_known"),
        CheckConstraint("source IN ('generated', 'pool')", name="source_known"),
        CheckConstraint("(status = 'redeemed') = (redeemed_at IS NOT NULL)", name="redeemed_at_matches"),
        CheckConstraint("(status = 'cancelled') = (cancelled_at IS NOT NULL)", name="cancelled_at_matches"),
        # A code identifies one live redemption at its partner's till.
        Index(
            "ux_redemptions_live_code",
            "partner_id",
            "code",
            unique=True,
            postgresql_where=text("status = 'issued'"),
        ),
        Index("ix_redemptions_partner_code", "partner_id", "code", text("issued_at DESC")),
        Index("ix_redemptions_user", "user_id", text("issued_at DESC"), text("id DESC")),
        Index("ix_redemptions_offer_day", "offer_id", "local_day"),
    )

    offer_id: Mapped[UUID] = mapped_column(ForeignKey("offers.id", ondelete="RESTRICT"))
    partner_id: Mapped[UUID] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    # Erasure sets this to NULL: the redemption stays for settlement without a link to the person.
    user_id: Mapped[UUID | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=RedemptionStatus.ISSUED)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    redeemed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The calendar day of issuing in the offer's time zone: limit periods and statistics read it.
    local_day: Mapped[date] = mapped_column(Date)


class RedemptionCounter(NaturalKeyBase):
    """How many live or used codes an employee holds for an offer in one limit period. Issuing bumps it
    with a conditional upsert (``... DO UPDATE SET used = used + 1 WHERE used < limit``)."""

    __tablename__ = "redemption_counters"
    __table_args__ = (CheckConstraint("used >= 0", name="used_not_negative"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    offer_id: Mapped[UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(Integer)


class PoolCode(UUIDv7Base):
    """A partner's single-use code; once claimed it is never handed out again, even if cancelled."""

    __tablename__ = "pool_codes"
    __table_args__ = (
        Index("ux_pool_codes_offer_code", "offer_id", "code", unique=True),
        Index("ix_pool_codes_unclaimed", "offer_id", "id", postgresql_where=text("claimed_at IS NULL")),
    )

    offer_id: Mapped[UUID] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
