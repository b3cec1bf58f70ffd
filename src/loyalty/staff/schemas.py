"""Staff invitations and accounts as admins see them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from loyalty.companies.schemas import CompanyNames, HrScopeOut
from loyalty.core.schemas import Email, Language, RequestBody, ResponseBody, ShortText


class StaffInvite(RequestBody):
    email: Email
    full_name: ShortText
    role: Literal["hr_admin", "admin"]
    language: Language = "ru"
    # hr_admin only: absent = group-wide (the parent company's privacy officer), a list = those companies.
    companies: CompanyNames | None = None


class StaffUser(ResponseBody):
    id: UUID
    email: str
    full_name: str
    role: str
    status: str
    created_at: datetime
    hr_scope: HrScopeOut | None = None


class StaffAccount(ResponseBody):
    """A staff account as admins manage it (``GET /admin/staff`` and the lifecycle actions)."""

    id: UUID
    email: str
    full_name: str
    role: Literal["hr_admin", "partner_admin", "admin"]
    status: Literal["invited", "active", "disabled"]
    partner_id: UUID | None
    last_login_at: datetime | None
    created_at: datetime
    hr_scope: HrScopeOut | None = None  # HR admins: group-wide, or the companies they work on


class StaffAccountErased(ResponseBody):
    status: Literal["erased"]
    subject_ref: str
