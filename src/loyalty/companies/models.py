"""The group's companies, and which of them an HR admin works for."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from loyalty.db.base import NaturalKeyBase, UUIDv7AuditBase


class Company(UUIDv7AuditBase):
    """A company of the group. Its ``name`` is the natural key roster entries and offers' eligibility
    rules name it by (``roster_entries.company`` follows a rename through ``ON UPDATE CASCADE``)."""

    __tablename__ = "companies"

    name: Mapped[str] = mapped_column(String(200), unique=True)


class StaffCompanyScope(NaturalKeyBase):
    """One company an HR admin whose ``users.hr_group_wide`` is false may work on. Rows of a group-wide
    HR admin do not exist; an HR admin with neither sees nothing."""

    __tablename__ = "staff_company_scopes"
    __table_args__ = (Index("ix_staff_company_scopes_company_id", "company_id"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[UUID] = mapped_column(
        ForeignKey("companies.id", ondelete="RESTRICT"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
