"""Bodies of the registration, session, profile and staff endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

import msgspec
from msgspec import Meta

from loyalty.core.schemas import (
    NO_NUL,
    NOT_BLANK_SINGLE_LINE,
    SINGLE_LINE,
    Email,
    Language,
    RequestBody,
    ResponseBody,
    ShortText,
)

EmployeeNumber = Annotated[str, Meta(min_length=1, max_length=64, pattern=NOT_BLANK_SINGLE_LINE)]
# Longer than any allowed password, so an over-long one is answered as weak_password, not a type error.
SubmittedPassword = Annotated[str, Meta(max_length=1024, pattern=NO_NUL)]
SubmittedCode = Annotated[str, Meta(max_length=32, pattern=SINGLE_LINE)]
Phone = Annotated[str, Meta(pattern=r"^\+?[0-9 ()-]{5,24}$")]


class RegisterRequest(RequestBody):
    employee_number: EmployeeNumber
    email: Email
    password: SubmittedPassword
    full_name: ShortText
    policy_version: Annotated[str, Meta(min_length=1, max_length=32, pattern=SINGLE_LINE)]
    accept_policy: bool
    optional_purposes: Annotated[dict[str, bool], Meta(max_length=20)] = msgspec.field(default_factory=dict)
    language: Language | None = None


class VerificationSent(ResponseBody):
    status: Literal["verification_sent"] = "verification_sent"


class VerifyRequest(RequestBody):
    email: Email
    code: SubmittedCode
    # Optional extension: when sent, it must be the password chosen at /auth/register, so a second
    # registration by someone else cannot slip their password into the account the code creates.
    password: SubmittedPassword | None = None


class LoginRequest(RequestBody):
    email: Email
    password: SubmittedPassword


class RefreshRequest(RequestBody):
    refresh_token: Annotated[str, Meta(min_length=1, max_length=256)]


class TokenPair(ResponseBody):
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: Literal["bearer"] = "bearer"


class PasswordResetRequest(RequestBody):
    email: Email


class PasswordResetConfirm(RequestBody):
    email: Email
    code: SubmittedCode
    new_password: SubmittedPassword


class Profile(ResponseBody):
    id: UUID
    email: str
    full_name: str
    phone: str | None
    language: str
    employee_number: str | None
    company: str | None
    department: str | None
    city: str | None
    roles: list[str]
    restricted: bool
    created_at: datetime


class ProfileUpdate(RequestBody):
    full_name: ShortText | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    # HR owns these; naming one is answered with field_managed_by_hr rather than as an unknown field.
    employee_number: Any = msgspec.UNSET
    company: Any = msgspec.UNSET
    department: Any = msgspec.UNSET
    city: Any = msgspec.UNSET
    email: Any = msgspec.UNSET


HR_MANAGED_FIELDS = ("employee_number", "company", "department", "city", "email")
