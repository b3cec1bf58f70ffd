"""Bodies of HR's roster endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from loyalty.core.schemas import Email, OptionalShortText, RequestBody, ResponseBody, ShortText

EmployeeNumber = Annotated[str, Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")]
OptionalText = OptionalShortText | None
Status = Literal["active", "terminated"]


class RosterEntryIn(RequestBody):
    employee_number: EmployeeNumber
    email: Email
    full_name: ShortText
    company: ShortText
    department: OptionalText = None
    city: OptionalText = None
    status: Status = "active"


class RosterEntryPatch(RequestBody):
    employee_number: EmployeeNumber | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    full_name: ShortText | msgspec.UnsetType = msgspec.UNSET
    company: ShortText | msgspec.UnsetType = msgspec.UNSET
    department: OptionalText | msgspec.UnsetType = msgspec.UNSET
    city: OptionalText | msgspec.UnsetType = msgspec.UNSET
    status: Status | msgspec.UnsetType = msgspec.UNSET


class RosterEntryOut(ResponseBody):
    id: UUID
    employee_number: str
    email: str
    full_name: str
    company: str
    department: str | None
    city: str | None
    status: str
    terminated_at: datetime | None
    has_account: bool
    created_at: datetime
    updated_at: datetime


class ImportRowError(ResponseBody):
    row: int
    employee_number: str | None
    field: str
    message: str


class ImportResult(ResponseBody):
    applied: bool
    created: int
    updated: int
    unchanged: int
    rejected: int
    errors: list[ImportRowError]
