"""Bodies of the admins' company endpoints and of an HR admin's company scope."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec
from msgspec import Meta

from loyalty.core.schemas import RequestBody, ResponseBody, ShortText

CompanyNames = Annotated[list[ShortText], Meta(max_length=200)]


class CompanyIn(RequestBody):
    name: ShortText


class CompanyPatch(RequestBody):
    name: ShortText


class CompanyOut(ResponseBody):
    id: UUID
    name: str
    created_at: datetime
    updated_at: datetime


class HrScopeIn(RequestBody):
    """``group_wide: true`` with no companies, or ``false`` with at least one company name."""

    group_wide: bool
    companies: CompanyNames = msgspec.field(default_factory=list)


class HrScopeOut(ResponseBody):
    user_id: UUID
    group_wide: bool
    companies: list[str]
