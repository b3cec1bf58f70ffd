"""Bodies of the partner, location and partner-admin endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from loyalty.core.schemas import Email, LocalizedText, RequestBody, ResponseBody, ShortText

Url = Annotated[str, Meta(max_length=500, pattern=r"^https://[^\s\x00-\x1f\x7f]+$")]
Phone = Annotated[str, Meta(min_length=5, max_length=32, pattern=r"^\+?[0-9 ()-]{5,32}$")]
TimeZoneName = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_+/-]+$")]
Latitude = Annotated[float, Meta(ge=-90, le=90)]
Longitude = Annotated[float, Meta(ge=-180, le=180)]
PartnerStatusName = Literal["active", "suspended"]


class Contacts(RequestBody, omit_defaults=True):
    phone: Phone | None = None
    email: Email | None = None


class PartnerIn(RequestBody):
    name: LocalizedText
    description: LocalizedText | None = None
    website: Url | None = None
    logo_url: Url | None = None
    contacts: Contacts | None = None


class PartnerPatch(RequestBody):
    name: LocalizedText | msgspec.UnsetType = msgspec.UNSET
    description: LocalizedText | msgspec.UnsetType | None = msgspec.UNSET
    website: Url | msgspec.UnsetType | None = msgspec.UNSET
    logo_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    contacts: Contacts | msgspec.UnsetType | None = msgspec.UNSET
    status: PartnerStatusName | msgspec.UnsetType = msgspec.UNSET


class PartnerOut(ResponseBody):
    id: UUID
    name: dict[str, str]
    description: dict[str, str] | None
    website: str | None
    logo_url: str | None
    contacts: dict[str, str]
    status: str
    suspended_at: datetime | None
    created_at: datetime
    updated_at: datetime


class PartnerAdminInvite(RequestBody):
    email: Email
    full_name: ShortText
    language: Literal["kk", "ru", "en"] = "ru"


class PartnerAdminOut(ResponseBody):
    id: UUID
    email: str
    full_name: str
    partner_id: UUID
    status: str


class LocationIn(RequestBody):
    city: ShortText
    address: ShortText
    lat: Latitude
    lon: Longitude
    timezone: TimeZoneName = "Asia/Almaty"


class LocationPatch(RequestBody):
    city: ShortText | msgspec.UnsetType = msgspec.UNSET
    address: ShortText | msgspec.UnsetType = msgspec.UNSET
    lat: Latitude | msgspec.UnsetType = msgspec.UNSET
    lon: Longitude | msgspec.UnsetType = msgspec.UNSET
    timezone: TimeZoneName | msgspec.UnsetType = msgspec.UNSET


class LocationOut(ResponseBody):
    id: UUID
    partner_id: UUID
    city: str
    address: str
    lat: float
    lon: float
    timezone: str
