"""Partner businesses and the places where their offers can be used."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, Computed, DateTime, Float, ForeignKey, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from loyalty.db.base import UUIDv7AuditBase

DEFAULT_TIMEZONE = "Asia/Almaty"


class PartnerStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class PointType(UserDefinedType[Any]):
    """PostgreSQL's built-in ``point`` (x = longitude, y = latitude): a GiST index answers bounding boxes."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "point"


class Partner(UUIDv7AuditBase):
    __tablename__ = "partners"
    __table_args__ = (CheckConstraint("status IN ('active', 'suspended')", name="status_known"),)

    name: Mapped[dict[str, str]] = mapped_column(JSONB)
    description: Mapped[dict[str, str] | None] = mapped_column(JSONB)
    website: Mapped[str | None] = mapped_column(String(500))
    logo_url: Mapped[str | None] = mapped_column(String(500))
    contact_phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(
        String(16), default=PartnerStatus.ACTIVE, server_default=text("'active'")
    )
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class PartnerLocation(UUIDv7AuditBase):
    __tablename__ = "partner_locations"
    __table_args__ = (
        CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        Index("ix_partner_locations_partner", "partner_id"),
        Index("ix_partner_locations_position", "position", postgresql_using="gist"),
    )

    partner_id: Mapped[UUID] = mapped_column(ForeignKey("partners.id", ondelete="RESTRICT"))
    city: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    position: Mapped[Any] = mapped_column(PointType(), Computed("point(lon, lat)", persisted=True))
    timezone: Mapped[str] = mapped_column(String(64), default=DEFAULT_TIMEZONE)
