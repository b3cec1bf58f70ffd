"""HR's roster: who counts as an employee of the group."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import UUIDv7AuditBase


class EmploymentStatus(StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"


class RosterEntry(UUIDv7AuditBase):
    __tablename__ = "roster_entries"
    __table_args__ = (
        CheckConstraint("email = lower(email)", name="email_lowercase"),
        CheckConstraint("status IN ('active', 'terminated')", name="status_known"),
        CheckConstraint(
            "(status = 'terminated') = (terminated_at IS NOT NULL)", name="terminated_at_matches_status"
        ),
        Index("ix_roster_entries_company", "company"),
        Index("ix_roster_entries_email", "email", unique=True),
    )

    employee_number: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    full_name: Mapped[str] = mapped_column(String(200))
    # The company's name, its natural key: a rename follows through ON UPDATE CASCADE.
    company: Mapped[str] = mapped_column(
        String(200), ForeignKey("companies.name", onupdate="CASCADE", ondelete="RESTRICT")
    )
    department: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(
        String(16), default=EmploymentStatus.ACTIVE, server_default=text("'active'")
    )
    terminated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
