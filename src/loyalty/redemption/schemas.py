"""Bodies of redemption, till confirmation, code pools and partner statistics."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from msgspec import Meta

from loyalty.core.schemas import RequestBody, ResponseBody

TypedCode = Annotated[str, Meta(min_length=1, max_length=80, pattern=r"^[A-Za-z0-9 _-]+$")]
PoolCodeText = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


class RedemptionIssued(ResponseBody):
    id: UUID
    offer_id: UUID
    code: str
    qr_payload: str
    status: str
    issued_at: datetime
    expires_at: datetime


class MyRedemption(ResponseBody):
    id: UUID
    offer_id: UUID
    partner_id: UUID
    partner_name: str
    title: str
    language: str
    status: Literal["issued", "redeemed", "expired", "cancelled"]
    code: str | None
    issued_at: datetime
    expires_at: datetime
    redeemed_at: datetime | None
    cancelled_at: datetime | None


class ConfirmIn(RequestBody):
    code: TypedCode


class Confirmed(ResponseBody):
    status: Literal["redeemed"]
    offer_id: UUID
    redeemed_at: datetime


class PoolUploadResult(ResponseBody):
    received: int
    added: int
    duplicate: int
    remaining: int


class PoolStatus(ResponseBody):
    offer_id: UUID
    total: int
    claimed: int
    remaining: int


class StatsCell(ResponseBody):
    offer_id: UUID
    period_start: date
    suppressed: bool
    issued: int | None
    redeemed: int | None


class PartnerStats(ResponseBody):
    granularity: Literal["day", "week"]
    since: date
    until: date
    min_people_per_cell: int
    cells: list[StatsCell]
